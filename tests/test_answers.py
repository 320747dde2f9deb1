"""Store answers kept on disk per version of the graph (cascade/answers.py), on the seed store."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from cascade import answers
from core.errors import CascadeError
from cascade.api import Cascade


def _store(built, tmp_path):
    """A copy of the session's store without the answers other tests' pages kept in it."""
    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store, ignore=shutil.ignore_patterns("answers"))
    return store


def test_an_answer_is_computed_once_per_version_and_read_back_the_same(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return (3, [{"a": 1}])

    first = answers.cached(store, ("k", 1), compute)
    again = answers.cached(store, ("k", 1), compute)
    assert first == again == [3, [{"a": 1}]] and len(calls) == 1
    folder = answers.answers_dir(store)
    assert folder.parent == store / "answers" and len(list(folder.glob("*.json"))) == 1
    # another key is another answer
    answers.cached(store, ("k", 2), compute)
    assert len(calls) == 2


def test_a_new_version_asks_again_and_old_answers_are_pruned(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    root = store / "answers"
    for i in range(answers.KEEP + 2):
        (root / f"old{i}").mkdir(parents=True)
    calls = []
    answers.cached(store, ("k",), lambda: calls.append(1) or 1)
    assert len([p for p in root.iterdir()]) == answers.KEEP
    assert answers.answers_dir(store).is_dir()


def test_warm_answers_keeps_what_the_pages_ask_first_and_they_equal_the_store(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    c = Cascade(store)
    c.warm_answers()
    kept = list(answers.answers_dir(store).glob("*.json"))
    from queries.backend import open_backend

    with open_backend(store, env={}) as b:
        total, rows = b.table("gaps", 0, 50)
        unjudged = b.table("not_assessable", 0, 50)[1]
    # overview, two document tables, the worklist's filters, its two first pages and every pair of plans
    # they show (who must act on each row), the workload ranking and its first unit's tasks, the review
    # queue; the task count and four answers of each top plan's requirement (two searches of its id, its
    # trace's first page, its coverage); then the trace index of every other requirement
    pairs = {(r["upper_doc"], r["lower_doc"]) for page in (rows, unjudged) for r in page}
    assert len(pairs) >= 2 and len(kept) == 8 + len(pairs) + 1 + 1 + 4 * len(_top_requirements(built[0].graph))
    assert {answers.answer_name(("pair_coverage", *p)) for p in pairs} <= {k.stem for k in kept}
    first_unit = c.store_workload(0, 50, None, None)["rows"][0]["unit"]
    assert answers.answer_name(("unit_tasks", first_unit)) in {k.stem for k in kept}
    assert (answers.answers_dir(store) / "trace.sqlite").is_file()
    assert c.store_table("gaps", 0, 50, None, None) == [total, rows]
    assert c.store_workload(0, 50, None, None)["rows"]


def _top_requirements(G) -> set[str]:
    """The tasks of the plans that implement no other and that some plan implements, read from the graph."""
    implements = [(u, v) for u, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"]
    tops = {v for _, v in implements} - {u for u, _ in implements}
    return {n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") in tops}


def _refuse_the_store(monkeypatch) -> list:
    """Every later opening of the store (embedded or Bolt) fails the test; returns the openings seen."""
    import queries.backend

    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("the store was opened for an answer that is kept")

    monkeypatch.setattr(queries.backend, "open_backend", refuse)
    return opened


def test_a_trace_from_the_store_is_kept_and_read_back_without_opening_it(built, tmp_path, monkeypatch):
    from queries import trace_store
    from queries.backend import open_backend

    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")     # the seed store stands in for a nation-year
    store = _store(built, tmp_path)
    G = built[0].graph
    with open_backend(store, env={}) as b:
        task = max(sorted(_top_requirements(G)), key=lambda t: b.trace(t, 0, 1)[0])
        pages = [trace_store.trace(b, task, offset, 2) for offset in (0, 2)]
        # warming's way (every lower task read once, the page cut from them) is the same answer
        assert [trace_store.trace(b, task, offset, 2, whole=True) for offset in (0, 2)] == pages
    assert pages[0]["total"] >= 3 and pages[1]["down"]
    words = G.nodes[task]["text_norm"][:12]
    c = Cascade(store)
    assert c.trace(task, 0, 2) == pages[0] and c.store_trace(task, 2, 2) == pages[1]
    assert c.trace(words, 0, 2) == pages[0]
    opened = _refuse_the_store(monkeypatch)
    again = Cascade(store)                               # a new process would hold nothing in memory either
    assert again.trace(task, 0, 2) == pages[0] and again.trace(words, 0, 2) == pages[0]
    assert again.store_trace(task, 2, 2) == pages[1] and not opened
    with pytest.raises(AssertionError):                 # a page nobody asked for is read from the store
        again.store_trace(task, 1, 2)


def test_warm_answers_keeps_the_top_plans_requirements_first_trace_pages(built, tmp_path, monkeypatch):
    """After warming, the Trace page's and `cascade trace`'s first view of a top plan's requirement (the
    search of its id, its first page, its coverage below) is read from the kept answers, equal to the
    store's own, and the store is not opened."""
    from click.testing import CliRunner

    from cascade.api import SEARCH_PAGE, TRACE_PAGE
    from cascade.cli import cli
    from queries import coverage_store, trace_store
    from queries.backend import open_backend

    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    store = _store(built, tmp_path)
    tops = _top_requirements(built[0].graph)
    assert 2 <= len(tops) <= 200
    Cascade(store).warm_answers()
    with open_backend(store, env={}) as b:
        want = {t: (trace_store.trace(b, t, 0, TRACE_PAGE), coverage_store.requirement_coverage(b, t),
                    trace_store.search_tasks(b, t, SEARCH_PAGE)) for t in sorted(tops)}
    assert any(w[0]["total"] for w in want.values()) and any(w[1] for w in want.values())
    opened = _refuse_the_store(monkeypatch)
    c = Cascade(store)
    for t, (trace, below, hits) in want.items():
        assert c.trace(t, 0, TRACE_PAGE) == trace, t
        assert c.store_requirement_coverage(t) == below and c.store_search(t, SEARCH_PAGE) == hits
    task = max(want, key=lambda t: want[t][0]["total"])
    res = CliRunner().invoke(cli, ["trace", task, "--store", str(store), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["down"] == want[task][0]["down"] and out["below"] == want[task][1] and not opened


def test_an_unreachable_bolt_server_is_one_error_not_an_answer_kept(built, tmp_path, monkeypatch):
    store = _store(built, tmp_path)
    monkeypatch.setenv("CASCADE_BOLT_URI", "bolt://127.0.0.1:1")
    assert answers.answers_dir(store) is None
    with pytest.raises(CascadeError):
        answers.cached(store, ("k",), lambda: (1, 2))
    assert not (store / "answers").exists()


URI = os.environ.get("CASCADE_BOLT_URI")


def _server(query, **params):
    from graph.push import connect

    driver = connect(URI, os.environ.get("CASCADE_BOLT_USER", "neo4j"), os.environ.get("CASCADE_BOLT_PASSWORD") or None)
    try:
        with driver.session(database=os.environ.get("CASCADE_BOLT_DATABASE") or None) as s:
            return s.run(query, **params).data()
    finally:
        driver.close()


def _push(c: Cascade, **options) -> str:
    return c.push(URI, os.environ.get("CASCADE_BOLT_USER", "neo4j"), os.environ.get("CASCADE_BOLT_PASSWORD") or None,
                  database=os.environ.get("CASCADE_BOLT_DATABASE") or None, **options)


@pytest.mark.bolt
@pytest.mark.skipif(not URI, reason="no Bolt server: CASCADE_BOLT_URI is unset")
def test_answers_follow_the_pushed_graph_and_equal_the_servers_own(built, tmp_path, monkeypatch):
    """`cascade push` carries the kept answers of the store's version; with CASCADE_BOLT_URI set an answer is
    read from the server (then kept in a local folder of the server's version), and it is what the server's
    own queries give; a miss is computed on the server and kept locally, never written to the server."""
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    c = Cascade(store)
    c.warm_answers()
    local = answers.kept_answers(store)
    assert len(local) >= 7
    summary = _push(c, wipe=True)
    assert f"{len(local)} kept answers of version {c.version()}" in summary

    monkeypatch.setenv("CASCADE_BOLT_URI", URI)
    on_server = Cascade(store)

    def never():
        raise AssertionError("a pushed answer is read, not computed")

    kept_by = {}
    for call in (lambda: on_server.store_overview(), lambda: on_server.store_document_table((), (), (), False),
                 lambda: on_server.store_document_table((), (), (), True), lambda: on_server.store_gap_filters(),
                 lambda: on_server.store_table("gaps", 0, 50, None, None),
                 lambda: on_server.store_workload(0, 50, None, None),
                 lambda: on_server.store_review_page(("proposed",), 0, 50, "score", None, False)):
        seen = {}

        def spy(store_, key, compute, seen=seen):
            seen["key"] = key
            seen["server"] = json.loads(json.dumps(compute(), ensure_ascii=False, default=str))
            return seen["server"]

        monkeypatch.setattr(answers, "cached", spy)
        call()   # computed by the server's own queries
        monkeypatch.undo()
        monkeypatch.setenv("CASCADE_BOLT_URI", URI)
        name = answers.answer_name(seen["key"])
        assert json.loads(local[name]) == seen["server"], seen["key"]
        assert answers.cached(store, seen["key"], never) == seen["server"]
        kept_by[name] = seen["server"]
    folder = store / "answers" / f"bolt-{c.version()}"
    assert {p.stem for p in folder.glob("*.json")} == set(kept_by)
    # read from the local folder from now on, even if the server lost them
    _server("MATCH (a:CascadeAnswer) DELETE a")
    name = next(iter(kept_by))
    assert answers.cached(store, ("overview",), never) == json.loads(local[answers.answer_name(("overview",))])

    # a miss: computed (on the server, by the caller), kept locally, the server left as it was
    calls = []
    assert answers.cached(store, ("k", 1), lambda: calls.append(1) or [1, 2]) == [1, 2]
    assert answers.cached(store, ("k", 1), never) == [1, 2] and calls == [1]
    assert _server("MATCH (a:CascadeAnswer) RETURN count(a) AS c") == [{"c": 0}]

    # a push that has not completed names no version: nothing is kept for it
    _server("MATCH (m:CascadePush) SET m.complete = false")
    monkeypatch.setattr(answers, "SERVER_VERSION_SECONDS", 0)   # the version read again at once
    assert answers.cached(store, ("k", 2), lambda: calls.append(2) or [3]) == [3]
    assert answers.cached(store, ("k", 2), lambda: calls.append(2) or [3]) == [3]
    assert calls == [1, 2, 2]
    assert not (folder / (answers.answer_name(("k", 2)) + ".json")).exists()
