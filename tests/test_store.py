"""The store: JSON → graph → JSON round trip, the embedded engine, atomic versions."""

import pytest

from core.errors import ReadOnlyError, StoreError
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


def test_a_layer_changes_the_database_which_is_the_graph_read_back(built, tmp_path):
    from graph.store import save_layer

    G = built[0].graph
    first = save(G, tmp_path)
    assert sorted(p.name for p in first.iterdir()) == ["CONTENT", "cascade.lbdb", "meta.json"]   # no copy as JSON
    second = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:新单位"))
    assert current_version(tmp_path) == second and not first.exists()
    assert (second / "extra.txt").is_file()
    assert not (second / "graph.json").exists() and not list(second.glob("delta-*"))
    H = load_graph(tmp_path)
    assert "unit:新单位" in H and H.number_of_nodes() == G.number_of_nodes() + 1
    assert H.nodes["unit:新单位"] == {"label": "Unit", "id": "unit:新单位", "name": "unit:新单位", "short_name": None,
                                     "region": None, "collective": False, "aliases": []}
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:新单位'}) RETURN count(u)")[1] == [[1]]

    def remove(conn, bulk):
        conn.execute("MATCH (u:Unit {id: 'unit:新单位'}) DELETE u")
        return {}, {}, {}

    save_layer(tmp_path, remove)
    assert to_json_dict(load_graph(tmp_path)) == to_json_dict(G)


def test_a_layer_that_fails_leaves_the_store_as_it_was(built, tmp_path):
    from graph.store import save_layer

    G = built[0].graph
    version = save(G, tmp_path)

    def broken(conn, bulk):
        _add_unit(conn, "unit:半途")
        raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        save_layer(tmp_path, broken)
    assert current_version(tmp_path) == version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("v-")] == [version.name]
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:半途'}) RETURN count(u)")[1] == [[0]]
    assert to_json_dict(load_graph(tmp_path)) == to_json_dict(G)


def test_a_layer_never_writes_the_database_file_it_shares_with_the_previous_version(built, tmp_path):
    """The new version's database is a hard link to the previous one's: the engine must leave its bytes
    alone (the change goes to the version's own copy of the log), or the previous version, which a
    reader may hold and a killed build falls back on, would change under them."""
    import hashlib

    from graph.store import save_layer

    first = save(built[0].graph, tmp_path)
    db = first / "cascade.lbdb"
    before, inode = hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_ino
    kept = tmp_path / "old.lbdb"
    kept.hardlink_to(db)   # the previous version is removed after the switch: keep an eye on its file
    second = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:甲"))
    third = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:乙"))
    assert (third / "cascade.lbdb").stat().st_ino == inode and not second.exists()
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == before
    rows = run_cypher(tmp_path, "MATCH (u:Unit) WHERE u.id IN ['unit:甲', 'unit:乙'] RETURN u.id")[1]
    assert sorted(rows) == [["unit:乙"], ["unit:甲"]]


def test_a_bulk_change_is_made_again_on_a_private_copy_that_is_checkpointed(built, tmp_path):
    from graph.store import BulkChange, save_layer

    inode = (save(built[0].graph, tmp_path) / "cascade.lbdb").stat().st_ino
    calls = []

    def bulk_only(conn, bulk):
        calls.append(bulk)
        if not bulk:
            raise BulkChange("Unit")
        return _add_unit(conn, "unit:大批")

    v = save_layer(tmp_path, bulk_only)
    assert calls == [False, True]
    assert (v / "cascade.lbdb").stat().st_ino != inode
    assert not (v / "cascade.lbdb.wal").is_file() or (v / "cascade.lbdb.wal").stat().st_size == 0
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:大批'}) RETURN count(u)")[1] == [[1]]
    assert "unit:大批" in load_graph(tmp_path)


def test_a_layer_while_another_build_writes_the_database_is_one_clear_error(built, tmp_path):
    import subprocess
    import sys

    from graph.store import save_layer

    first = save(built[0].graph, tmp_path)
    # another process writing the same (shared) file, as a concurrent build does (engine locks are per process)
    other = subprocess.Popen([sys.executable, "-c", "import ladybug, sys; db = ladybug.Database(sys.argv[1]); "
                              "print('open', flush=True); sys.stdin.read()", str(first / "cascade.lbdb")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="another build is changing this store"):
            save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:甲"))
    finally:
        other.communicate("", timeout=60)
    assert current_version(tmp_path) == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("v-")] == [first.name]
    assert save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:甲")) != first


def test_a_layer_leaves_its_change_in_the_log_that_readers_and_the_next_layer_replay(built, tmp_path):
    """save_layer does not checkpoint on close: the change stays in cascade.lbdb.wal beside the copied
    file; a read-only reader sees it, and the next layer copies the log with the file."""
    from graph.store import save_layer

    save(built[0].graph, tmp_path)
    first = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:甲"))
    assert (first / "cascade.lbdb.wal").is_file()
    assert run_cypher(tmp_path, "MATCH (u:Unit {id: 'unit:甲'}) RETURN count(u)")[1] == [[1]]
    second = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:乙"))
    assert not first.exists()
    rows = run_cypher(tmp_path, "MATCH (u:Unit) WHERE u.id IN ['unit:甲', 'unit:乙'] RETURN u.id")[1]
    assert sorted(rows) == [["unit:乙"], ["unit:甲"]]
    assert (second / "cascade.lbdb.wal").is_file()


def test_a_log_past_the_limit_is_checkpointed_into_a_copy_of_the_file(built, tmp_path, monkeypatch):
    import graph.store.compaction as compaction
    from graph.store import save_layer

    monkeypatch.setenv("CASCADE_COMPACT", "inline")
    monkeypatch.setattr(compaction, "WAL_LIMIT", 1)
    first = save(built[0].graph, tmp_path)
    inode = (first / "cascade.lbdb").stat().st_ino
    second = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:丙"))   # no log yet: a hard link
    assert (second / "cascade.lbdb").stat().st_ino == inode and (second / "cascade.lbdb.wal").is_file()
    v = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:丁"))
    wal = v / "cascade.lbdb.wal"
    assert (v / "cascade.lbdb").stat().st_ino != inode
    assert not wal.is_file() or wal.stat().st_size == 0
    rows = run_cypher(tmp_path, "MATCH (u:Unit) WHERE u.id IN ['unit:丙', 'unit:丁'] RETURN u.id")[1]
    assert sorted(rows) == [["unit:丁"], ["unit:丙"]]


def _units(store_path):
    return sorted(r[0] for r in run_cypher(store_path, "MATCH (u:Unit) WHERE u.id STARTS WITH 'unit:后' RETURN u.id")[1])


def test_a_log_past_the_limit_is_folded_in_by_a_background_compaction(built, tmp_path, monkeypatch):
    """The build publishes its version at once (the file shared, the log grown); a detached process then
    makes a version with the same content whose file is a checkpointed private copy, and switches to it."""
    import time

    import graph.store.compaction as compaction
    from graph.store import content_version, save_layer

    monkeypatch.delenv("CASCADE_COMPACT", raising=False)
    monkeypatch.setattr(compaction, "WAL_LIMIT", 1)
    inode = (save(built[0].graph, tmp_path) / "cascade.lbdb").stat().st_ino
    layered = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:后甲"))
    assert (layered / "cascade.lbdb").stat().st_ino == inode   # the build itself copied nothing
    meta = (layered / "meta.json").stat().st_ino
    want = to_json_dict(load_graph(tmp_path))
    for _ in range(600):   # the compaction runs detached: wait for its switch (not a timing check)
        if current_version(tmp_path) != layered and not any(p.name.endswith(".partial") for p in tmp_path.iterdir()):
            break
        time.sleep(0.1)
    folded = current_version(tmp_path)
    assert folded != layered
    assert layered.is_dir()   # left for the next build to remove: a build may have started from it
    assert (folded / "cascade.lbdb").stat().st_ino != inode
    assert not (folded / "cascade.lbdb.wal").is_file() or (folded / "cascade.lbdb.wal").stat().st_size == 0
    assert (folded / "meta.json").stat().st_ino == meta   # the other files are the same files
    assert _units(tmp_path) == ["unit:后甲"] and to_json_dict(load_graph(tmp_path)) == want
    assert content_version(tmp_path) == layered.name   # the same graph: the app does not reload it
    folded_db = (folded / "cascade.lbdb").stat().st_ino
    monkeypatch.setenv("CASCADE_COMPACT", "inline")   # no second compaction left running after the test
    after = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:后乙"))   # from the folded version
    assert (after / "cascade.lbdb").stat().st_ino == folded_db
    assert not layered.exists() and not folded.exists() and _units(tmp_path) == ["unit:后乙", "unit:后甲"]


def test_the_background_compaction_runs_whatever_the_build_s_working_directory(built, tmp_path, monkeypatch):
    """The compactor is a module of the installed package (``python -m graph.store compact``), run in the
    store folder: a build from another folder, on a relative store path, beside a folder that would
    shadow the package, still has its log folded in."""
    import time

    import graph.store.compaction as compaction
    from graph.store import save_layer

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "graph").mkdir(parents=True)
    (elsewhere / "graph" / "__init__.py").write_text("raise ImportError('not the package')\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("CASCADE_COMPACT", raising=False)
    monkeypatch.setattr(compaction, "WAL_LIMIT", 1)
    save(built[0].graph, "store")
    layered = save_layer("store", lambda conn, bulk: _add_unit(conn, "unit:后丁")).name
    store = elsewhere / "store"
    for _ in range(600):   # detached: wait for its switch (not a timing check)
        if current_version(store).name != layered and not any(p.name.endswith(".partial") for p in store.iterdir()):
            break
        time.sleep(0.1)
    folded = current_version(store)
    assert folded.name != layered and (store / layered).is_dir()
    assert not (folded / "cascade.lbdb.wal").is_file() or (folded / "cascade.lbdb.wal").stat().st_size == 0
    assert _units(store) == ["unit:后丁"]


def test_the_compactor_runs_as_a_module_from_any_folder(built, tmp_path, monkeypatch):
    import subprocess
    import sys

    from graph.store import save_layer

    monkeypatch.setenv("CASCADE_COMPACT", "inline")
    store = tmp_path / "store"
    save(built[0].graph, store)
    layered = save_layer(store, lambda conn, bulk: _add_unit(conn, "unit:后戊"))
    run = subprocess.run([sys.executable, "-m", "graph.store", "compact", str(store), layered.name],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert current_version(store) != layered and _units(store) == ["unit:后戊"]
    usage = subprocess.run([sys.executable, "-m", "graph.store"], cwd=tmp_path, capture_output=True, text=True)
    assert usage.returncode == 2 and "usage: python -m graph.store compact" in usage.stderr


def test_a_compaction_of_a_version_no_longer_current_changes_nothing(built, tmp_path, monkeypatch):
    from graph.store import compact, save_layer

    monkeypatch.setenv("CASCADE_COMPACT", "inline")
    save(built[0].graph, tmp_path)
    first = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:后乙"))
    second = save_layer(tmp_path, lambda conn, bulk: _add_unit(conn, "unit:后丙"))
    assert compact(tmp_path, first.name) is None and current_version(tmp_path) == second
    folded = compact(tmp_path, second.name)
    assert folded is not None and current_version(tmp_path) == folded and second.is_dir()
    assert _units(tmp_path) == ["unit:后丙", "unit:后乙"]
    assert compact(tmp_path, second.name) is None


def test_a_build_leaves_the_half_written_version_of_a_live_writer_alone(built, tmp_path):
    import subprocess
    import sys

    sleeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        theirs = tmp_path / f"v-20260101000000-{sleeper.pid}-1.partial"
        theirs.mkdir(parents=True)
        save(built[0].graph, tmp_path)
        assert theirs.is_dir()   # another writer's, still at work
    finally:
        sleeper.communicate(b"", timeout=60)
    save(built[0].graph, tmp_path)
    assert not theirs.exists()   # its writer is gone: left over, removed


def test_builds_writing_one_store_at_once_never_leave_it_without_its_current_version(tmp_path):
    """Each build removes the versions it replaced: never the one another build switched to meanwhile."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    store = tmp_path / "store"
    cmd = [sys.executable, "-c", "import sys; from cascade.pipeline import build\n"
           "for _ in range(3): build([sys.argv[1]], None, sys.argv[2])", str(root / "data"), str(store)]
    procs = [subprocess.Popen(cmd, cwd=root) for _ in range(2)]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert current_version(store) is not None and load_graph(store).number_of_nodes() > 0
    assert [p.name for p in store.iterdir() if p.name.startswith("v-")] == [current_version(store).name]
