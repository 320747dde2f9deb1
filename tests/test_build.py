"""The builder: records → MultiDiGraph following SCHEMA.md, with stable ids."""
import json

from cascade.pipeline import build
from graph.build import build_graph, nodes_of
from graph.export import to_json_dict


def test_seed_documents_have_schema_levels(seed_graph):
    docs = dict(nodes_of(seed_graph, "Document"))
    expected = {"2021-national": "national", "2021-guangzhou-interpretation": "city",
                "2022-huangpu": "county", "2021-taishan-culture": "department", "2020-chibi": "county"}
    assert {k: docs[k]["level"] for k in expected} == expected


def test_ids_follow_printed_numbering(seed_graph):
    assert "2022-huangpu/一/(一)/1" in seed_graph
    assert seed_graph.nodes["2022-huangpu/一/(一)/1"]["label"] == "Task"
    assert seed_graph.nodes["2022-huangpu/一/(一)"]["label"] == "Section"


def test_ids_do_not_depend_on_load_order(built):
    result, _ = built
    a = to_json_dict(build_graph(result.records))
    b = to_json_dict(build_graph(list(reversed(result.records))))
    assert a == b


def test_every_task_is_contained_and_units_are_named(seed_graph):
    for n, d in seed_graph.nodes(data=True):
        if d["label"] == "Task":
            parents = [u for u, _, e in seed_graph.in_edges(n, data=True) if e["type"] == "CONTAINS"]
            assert len(parents) == 1, n
        if d["label"] == "Unit":
            assert d["name"].strip(), n


def test_building_twice_gives_identical_json(data_dir, tmp_path):
    from graph.export import export

    a = export(build([data_dir], store=tmp_path / "a").graph, "json")
    b = export(build([data_dir], store=tmp_path / "b").graph, "json")
    assert a == b
    assert json.loads(a)["nodes"]
