"""The bulk writer (the database in COPYs), the graph read back from it, and the fast graph
readers/builders give what the plain networkx and json ways give."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from core.errors import StoreError
from graph.export import from_json_dict, to_json_dict
from graph.store import bulk, read_graph, schema


@pytest.fixture
def odd_graph(seed_graph):
    """The seed graph plus what is rare in it: parallel edges of one type, a float score that json
    writes with an exponent, a dict-valued property, a bare node, an edge dict shared by many edges."""
    G = seed_graph.copy()
    tasks = sorted(n for n, d in G.nodes(data=True) if d["label"] == "Task")
    G.add_edge(tasks[0], tasks[1], key="x1", type="CONTINUES", kind="carried_over", score=0.5)
    G.add_edge(tasks[0], tasks[1], key="x2", type="CONTINUES", kind="carried_over", score=1e-05)
    G.add_node("bare", label="Unit", id="bare", name=None, aliases=[])
    G.nodes[sorted(n for n, d in G.nodes(data=True) if d["label"] == "Document")[0]]["declared"] = {"b": 1, "a": [2]}
    shared = {"type": "MEMBER_OF", "via": "test"}
    for u in sorted(n for n, d in G.nodes(data=True) if d["label"] == "Unit" and n != "bare")[:3]:
        G.add_edge("bare", u, key="MEMBER_OF")
        G._succ["bare"][u]["MEMBER_OF"] = shared   # one dict for three edges, as the builder shares them
    G.nodes[tasks[5]]["deadlines"] = ("每年",)   # a tuple, as a caller might leave
    return G


def _text(G) -> str:
    return json.dumps(to_json_dict(G), ensure_ascii=False)


def test_the_graph_read_back_from_the_database_is_the_graph_saved(seed_graph, odd_graph, tmp_path):
    """The database is the store's one copy of the graph: what it gives back is what was saved, to the
    order of nodes, edges and dict keys, with ids one string object and equal evidence one list."""
    bulk.write_database(seed_graph, tmp_path / "seeds.lbdb")
    G = read_graph(tmp_path / "seeds.lbdb")
    assert _text(G) == _text(seed_graph)
    assert list(G.nodes) == sorted(seed_graph.nodes) and list(G.edges(keys=True)) == list(
        from_json_dict(to_json_dict(seed_graph)).edges(keys=True))
    task = next(n for n, d in G.nodes(data=True) if d["label"] == "Task" and d["section_id"])
    assert G.nodes[task]["doc_id"] is next(n for n in G if n == G.nodes[task]["doc_id"])
    evidence = [d["evidence"] for *_, d in G.edges(data=True) if d["type"] == "DERIVED_FROM" and d["evidence"]]
    assert len({id(e) for e in evidence}) < len(evidence) == sum(1 for *_, d in seed_graph.edges(data=True)
                                                                 if d["type"] == "DERIVED_FROM" and d["evidence"])
    # what is rare: parallel edges of one type (one key a type, as graph.json read back had them too), a
    # float with an exponent, a shared edge dict, a dict cell
    bulk.write_database(odd_graph, tmp_path / "odd.lbdb")
    H = read_graph(tmp_path / "odd.lbdb")
    assert json.dumps(to_json_dict(H)["relationships"], ensure_ascii=False) == json.dumps(
        to_json_dict(from_json_dict(to_json_dict(odd_graph)))["relationships"], ensure_ascii=False)
    doc = sorted(n for n, d in H.nodes(data=True) if d["label"] == "Document")[0]
    assert H.nodes[doc]["declared"] == {"a": [2], "b": 1}


def test_a_property_the_store_has_no_column_for_is_refused_not_lost(seed_graph, tmp_path):
    G = seed_graph.copy()
    unit = next(n for n, d in G.nodes(data=True) if d["label"] == "Unit")
    G.nodes[unit]["nickname"] = "x"
    with pytest.raises(StoreError, match="Unit.*nickname"):
        bulk.write_database(G, tmp_path / "g.lbdb")


def _from_json_dict_by_api(data: dict) -> nx.MultiDiGraph:
    """from_json_dict as it was written first, with networkx's own add_node/add_edge."""
    G = nx.MultiDiGraph()
    for n in data["nodes"]:
        G.add_node(n["id"], label=n["label"], **n["properties"])
    for r in data["relationships"]:
        p = r["properties"]
        key = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}" if r["type"] == "ASSIGNED_TO" else r["type"]
        G.add_edge(r["start"], r["end"], key=key, type=r["type"], **p)
    return G


def test_from_json_dict_gives_what_add_node_and_add_edge_give(odd_graph, seed_graph):
    data = to_json_dict(odd_graph)
    data["relationships"].append({"type": "ISSUED_BY", "start": "bare", "end": "nowhere", "properties": {}})
    G, H = from_json_dict(data), _from_json_dict_by_api(data)
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert [list(G.pred[n]) for n in G] == [list(H.pred[n]) for n in H]
    assert to_json_dict(from_json_dict(to_json_dict(seed_graph))) == to_json_dict(seed_graph)


def test_from_json_dict_shares_edge_dicts_and_id_strings(seed_graph):
    G = from_json_dict(to_json_dict(seed_graph))
    leads = [d for _, _, d in G.edges(data=True) if d["type"] == "ASSIGNED_TO" and d.get("role") == "lead"
             and d.get("column") == "own"]
    assert len(leads) > 1 and all(d is leads[0] for d in leads)
    keys = {n: n for n in G._node}
    assert all(v is keys[v] for nbrs in G._succ.values() for v in nbrs)


@pytest.mark.parametrize("read_back", [False, True], ids=["built", "read back from the store"])
def test_builder_shares_structural_edge_dicts_only(seed_graph, read_back, tmp_path):
    G = seed_graph
    if read_back:   # the store's reader shares as the builder does (memory at 1M: 6.8 -> 4.6 GB at its peak)
        bulk.write_database(seed_graph, tmp_path / "g.lbdb")
        G = read_graph(tmp_path / "g.lbdb")
    contains = {}
    for _, _, d in G.edges(data=True):
        if d["type"] == "CONTAINS":
            contains.setdefault(d["order"], set()).add(id(d))
    assert all(len(ids) == 1 for ids in contains.values())
    derived = [id(d) for _, _, d in G.edges(data=True) if d["type"] == "DERIVED_FROM"]
    assert len(derived) == len(set(derived))
    # a pair joined by one structural edge shares its key dict with the pairs joined by the same edge
    keydicts = {id(kd) for u, nbrs in G._succ.items() for v, kd in nbrs.items() if "CONTAINS" in kd}
    assert len(keydicts) == len(contains)


def _dump(path):
    import ladybug

    db = ladybug.Database(str(path), read_only=True)
    conn = ladybug.Connection(db)
    out = {}
    try:
        for label in bulk.NODE_COLUMNS:
            r = conn.execute(f"MATCH (n:{label}) RETURN n")
            out[label] = sorted(repr({k: v for k, v in r.get_next()[0].items() if k != "_ID"})
                                for _ in iter(r.has_next, False))
        for rel in bulk.REL_TABLES:
            r = conn.execute(f"MATCH (a)-[x:{rel}]->(b) RETURN a.id, b.id, x")
            rows = []
            while r.has_next():
                a, b, x = r.get_next()
                rows.append(repr((a, b, {k: v for k, v in x.items() if k not in ("_ID", "_SRC", "_DST")})))
            out[rel] = sorted(rows)
    finally:
        conn.close()
        db.close()
    return out


def test_database_in_small_chunks_holds_the_same_rows(odd_graph, tmp_path, monkeypatch):
    bulk.write_database(odd_graph, tmp_path / "one.lbdb")
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 7)
    bulk.write_database(odd_graph, tmp_path / "chunks.lbdb")
    one, chunks = _dump(tmp_path / "one.lbdb"), _dump(tmp_path / "chunks.lbdb")
    assert one == chunks
    count = lambda key, value: sum(1 for *_, d in (odd_graph.nodes(data=True) if key == "label" else
                                                 odd_graph.edges(data=True)) if d.get(key) == value)
    assert len(one["Task"]) == count("label", "Task") > 100
    assert len(one["CONTINUES"]) == count("type", "CONTINUES") and len(one["MEMBER_OF"]) >= 3


@pytest.mark.parametrize("value", [[{"lower": [0, 4], "upper": [1, 5], "text": "做好\n\"公开\""}], {"b": 1, "a": None},
                                   [1e-05, 0.1, True, None], {}, [], 3])
def test_json_cell_is_json_dumps_sorted(value):
    assert schema._json_cell(value) == json.dumps(value, ensure_ascii=False, sort_keys=True)
