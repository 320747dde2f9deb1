"""The trace index (queries/trace_index.py) answers every task's trace as the store's saved query does,
and the library reads it instead of opening the database once warming wrote it."""
from __future__ import annotations

from conftest import DATA
from queries import trace_store
from queries.backend import open_backend
from queries.trace_index import FILE, open_index, write_index


def _every_trace_agrees(store, index_path) -> int:
    """Compare the index with the store's trace for every task, a whole page and a cut one; the number of
    tasks with something below."""
    reached = 0
    with open_backend(store, env={}) as b, open_index(index_path) as index:
        tasks = sorted(r[0] for r in b.rows("MATCH (t:Task) RETURN t.id")[1])
        for task in tasks:
            for offset, limit in ((0, None), (1, 2)):
                want = trace_store.trace(b, task, offset, limit)
                del want["source"]
                assert index.trace(task, offset, limit) == want, (task, offset, limit)
            assert index.search(task) == trace_store.search_tasks(b, task, 1)
            reached += bool(want["total"])
        assert index.trace("no such task") is None and index.search("政务公开") is None
    return reached


def test_every_trace_of_the_seeds_is_the_stores_even_past_a_rejected_link_and_a_section(store_copy, tmp_path):
    from conftest import reject_link

    with open_backend(store_copy, env={}) as b:
        assert b.rows("MATCH (:Task)-[:DERIVED_FROM]->(:Section) RETURN count(*)")[1][0][0] > 0   # the walk through a section is tried
        lower, upper = b.rows("MATCH (a:Task)-[d:DERIVED_FROM]->(b:Task)<-[:DERIVED_FROM]-(:Task) "
                              "RETURN a.id, b.id ORDER BY a.id, b.id LIMIT 1")[1][0]
    reject_link(store_copy, lower, upper)
    with open_backend(store_copy, env={}) as b:
        write_index(b, tmp_path / FILE)
    assert _every_trace_agrees(store_copy, tmp_path / FILE) >= 20
    with open_index(tmp_path / FILE) as index:
        assert lower not in [r["task"] for r in index.trace(upper)["down"]]


def test_every_trace_of_a_synthetic_cascade_is_the_stores(synthetic_store, tmp_path):
    with open_backend(synthetic_store, env={}) as b:
        write_index(b, tmp_path / FILE)
    assert _every_trace_agrees(synthetic_store, tmp_path / FILE) >= 200


def test_a_trace_is_read_from_the_index_without_the_database_once_warming_wrote_it(built, tmp_path, monkeypatch):
    import shutil

    import queries.backend
    from cascade.api import Cascade

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    c = Cascade(store)
    with open_backend(store, env={}) as b:
        task = b.rows("MATCH (t:Task)-[:DERIVED_FROM]->(u:Task) RETURN u.id, count(t) AS n ORDER BY n DESC, u.id LIMIT 1")[1][0][0]
    before = c.trace(task)
    path = c.write_trace_index()
    assert path is not None and path.name == FILE and path.is_file()
    for kept in path.parent.glob("*.json"):   # the answers that trace kept: now the index must give them
        kept.unlink()
    c.store_task_count()   # (the load-or-ask question, kept again)

    def no_database(*a, **k):
        raise AssertionError("the database was opened")

    monkeypatch.setattr(queries.backend, "open_backend", no_database)
    again = Cascade(store)
    assert again.trace(task) == before and again.trace(task, 1, 1)["down"] == before["down"][1:2]
    monkeypatch.undo()
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    # words are no id: the store's search answers them, as before
    assert Cascade(store).trace(before["nodes"][task]["text"][:12])["task"] == task


def test_a_new_version_drops_the_older_index_and_a_broken_file_is_no_index(built, tmp_path):
    import shutil

    from cascade.api import Cascade
    from cascade.pipeline import build

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    first = Cascade(store).write_trace_index()
    build([DATA], store=store)
    second = Cascade(store).write_trace_index()
    assert second != first and second.is_file() and not first.exists()
    second.write_bytes(b"not a database")
    assert open_index(second) is None and open_index(tmp_path / "missing.sqlite") is None


def test_cascade_warm_writes_the_index_of_a_store_and_says_so_or_names_the_missing_store(built, tmp_path):
    import shutil

    from click.testing import CliRunner

    from cascade.answers import answers_dir
    from cascade.cli import cli

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    r = CliRunner().invoke(cli, ["--lang", "zh", "warm", "--store", str(store)])
    assert r.exit_code == 0 and "追踪索引" in r.output
    with open_index(answers_dir(store) / FILE) as index, open_backend(store, env={}) as b:
        task = b.rows("MATCH (t:Task)-[:DERIVED_FROM]->(u:Task) RETURN u.id ORDER BY u.id LIMIT 1")[1][0][0]
        want = trace_store.trace(b, task)
        del want["source"]
        assert index.trace(task) == want
    r = CliRunner().invoke(cli, ["warm", "--store", str(tmp_path / "nowhere")])
    assert r.exit_code == 1 and "nowhere" in r.output and "Traceback" not in r.output


def test_an_index_whose_graph_is_replaced_while_it_is_written_is_not_kept(built, tmp_path):
    """A build that makes a newer version while warming writes the index: the writing stops and leaves
    nothing (the newer version's warming writes its own)."""
    asked = []

    def current():
        asked.append(1)
        return len(asked) < 2   # the graph changes after the first question

    with open_backend(built[1], env={}) as b:
        assert write_index(b, tmp_path / FILE, current) is None
    assert not list(tmp_path.iterdir())
