"""The store: JSON → graph → JSON round trip, the embedded engine, atomic versions."""
import json

import pytest

from cascade.errors import ReadOnlyError, StoreError
from graph.export import to_json_dict
from graph.store import current_version, load_graph, save
from queries.cypher import run_cypher


def test_json_round_trip_is_lossless(built):
    result, store = built
    assert to_json_dict(load_graph(store)) == to_json_dict(result.graph)


def test_embedded_engine_holds_the_same_counts(built):
    result, store = built
    G = result.graph
    for label in ("Document", "Section", "Task", "Unit"):
        _, rows = run_cypher(store, f"MATCH (n:{label}) RETURN count(n)")
        assert rows[0][0] == sum(1 for _, d in G.nodes(data=True) if d["label"] == label), label
    _, rows = run_cypher(store, "MATCH ()-[r:DERIVED_FROM]->() RETURN count(r)")
    assert rows[0][0] == sum(1 for *_, d in G.edges(data=True) if d["type"] == "DERIVED_FROM")


def test_lead_query_of_the_readme_returns_rows(built):
    _, store = built
    cols, rows = run_cypher(store, 'MATCH (t:Task)-[:ASSIGNED_TO {role:"lead"}]->(u:Unit) '
                                   'RETURN u.name, count(t) AS n ORDER BY n DESC LIMIT 5')
    assert cols == ["u.name", "n"]
    assert rows and rows[0][0] == "广州市黄埔区政务公开办"


@pytest.mark.parametrize("query", [
    "CREATE (d:Document {id: 'x'})",
    "MATCH (t:Task) SET t.text = 'x'",
    "MATCH (t:Task) DETACH DELETE t",
    "merge (u:Unit {id: 'x'})",
    "DROP TABLE Task",
    "COPY Task FROM 'x.csv'",
])
def test_cypher_refuses_writes(built, query):
    _, store = built
    with pytest.raises(ReadOnlyError):
        run_cypher(store, query)


def test_a_string_that_looks_like_a_write_is_fine(built):
    _, store = built
    _, rows = run_cypher(store, "MATCH (t:Task) WHERE t.text CONTAINS 'CREATE' RETURN count(t)")
    assert rows == [[0]]


def test_saving_switches_versions_atomically(built, tmp_path):
    G = built[0].graph
    first = save(G, tmp_path)
    second = save(G, tmp_path)
    assert current_version(tmp_path) == second and not first.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("v-")] == [second.name]


def test_missing_store_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run 'cascade build PATH' first"):
        load_graph(tmp_path / "nothing")
