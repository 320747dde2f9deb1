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


def _add_unit(conn, uid):
    conn.execute("CREATE (:Unit {id: $id, label: 'Unit', name: $id, collective: false, aliases: []})", {"id": uid})
    return ({"nodes": [{"id": uid, "label": "Unit", "properties": {"aliases": [], "collective": False, "id": uid,
                                                                    "name": uid}}]}, {}, {"extra.txt": b"x"})


def test_a_layer_adds_to_the_base_in_both_the_json_and_the_database(built, tmp_path):
    from graph.store import layers, save_layer

    G = built[0].graph
    first = save(G, tmp_path)
    second = save_layer(tmp_path, lambda conn: _add_unit(conn, "unit:新单位"))
    assert current_version(tmp_path) == second and not first.exists()
    assert [p.name for p in layers(second)] == ["delta-0001.json"] and (second / "extra.txt").is_file()
    # graph.json is the same file as the base's (a hard link), never rewritten
    assert (second / "graph.json").stat().st_nlink == 1 and (second / "graph.json").stat().st_size > 0
    H = load_graph(tmp_path)
    assert "unit:新单位" in H and H.number_of_nodes() == G.number_of_nodes() + 1
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:新单位'}) RETURN count(u)")[1] == [[1]]
    third = save_layer(tmp_path, lambda conn: ({"remove_nodes": ["unit:新单位"]}, {}, {}))
    assert [p.name for p in layers(third)] == ["delta-0001.json", "delta-0002.json"]
    assert to_json_dict(load_graph(tmp_path))["nodes"][0] == to_json_dict(G)["nodes"][0]
    assert load_graph(tmp_path).number_of_nodes() == G.number_of_nodes()


def test_a_layer_that_fails_leaves_the_store_as_it_was(built, tmp_path):
    from graph.store import save_layer

    G = built[0].graph
    version = save(G, tmp_path)

    def broken(conn):
        _add_unit(conn, "unit:半途")
        raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        save_layer(tmp_path, broken)
    assert current_version(tmp_path) == version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("v-")] == [version.name]
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:半途'}) RETURN count(u)")[1] == [[0]]
    assert to_json_dict(load_graph(tmp_path)) == to_json_dict(G)


def test_layers_beyond_the_limit_are_folded_into_a_new_base(built, tmp_path, monkeypatch):
    import graph.store as store
    from graph.store import layers, save_layer

    monkeypatch.setattr(store, "MAX_LAYERS", 2)
    G = built[0].graph
    save(G, tmp_path)
    for i in range(3):
        v = save_layer(tmp_path, lambda conn, i=i: _add_unit(conn, f"unit:第{i}"))
    assert layers(v) == []
    assert {f"unit:第{i}" for i in range(3)} <= set(load_graph(tmp_path))


def test_a_layer_leaves_its_change_in_the_log_that_readers_and_the_next_layer_replay(built, tmp_path):
    """save_layer does not checkpoint on close: the change stays in cascade.lbdb.wal beside the copied
    file; a read-only reader sees it, and the next layer copies the log with the file."""
    from graph.store import save_layer

    save(built[0].graph, tmp_path)
    first = save_layer(tmp_path, lambda conn: _add_unit(conn, "unit:甲"))
    assert (first / "cascade.lbdb.wal").is_file()
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:甲'}) RETURN count(u)")[1] == [[1]]
    second = save_layer(tmp_path, lambda conn: _add_unit(conn, "unit:乙"))
    assert not first.exists()
    rows = run_cypher(tmp_path, "MATCH (u:Unit) WHERE u.id IN ['unit:甲', 'unit:乙'] RETURN u.id")[1]
    assert sorted(rows) == [["unit:乙"], ["unit:甲"]]
    assert (second / "cascade.lbdb.wal").is_file()


def test_a_log_past_the_limit_is_checkpointed_into_the_file(built, tmp_path, monkeypatch):
    import graph.store as store
    from graph.store import save_layer

    monkeypatch.setattr(store, "WAL_LIMIT", 0)
    save(built[0].graph, tmp_path)
    v = save_layer(tmp_path, lambda conn: _add_unit(conn, "unit:丙"))
    wal = v / "cascade.lbdb.wal"
    assert not wal.is_file() or wal.stat().st_size == 0
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:丙'}) RETURN count(u)")[1] == [[1]]
