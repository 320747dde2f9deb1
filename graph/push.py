"""Push the graph into a graph server, idempotently: Neo4j or another Bolt server, or FalkorDB through
its own protocol (``falkor://``).

Nodes are written with ``UNWIND $rows AS row MERGE (n:Label {id: row.p.id}) SET n = row.p`` per label,
relationships with ``MERGE (a)-[r:TYPE {cascade_key: row.p.cascade_key}]->(b) SET r = row.p`` per type
and end labels, so pushing twice changes nothing. Every node and relationship written carries
``cascade_owner`` (the tool's name by default): ``wipe=True`` first deletes exactly those nodes, and
nothing else of the server's. One ``:CascadePush`` node records the version pushed, the batches written
(a push can resume) and whether it completed; the store's kept answers go with it (``:CascadeAnswer``),
and so do its workload rows (``(:Workload)-[:WORKLOAD_OF]->(:Unit)``, :mod:`graph.workload_rows`), which
the saved workload query ranks, its gap rows (``(:Gap)``, :mod:`graph.gap_rows`), which the saved gaps
query pages, and its not-assessable rows (``(:NotAssessable)``, :mod:`graph.not_assessable_rows`), which
the saved not_assessable query pages, and its local-addition rows (``(:LocalAddition)``,
:mod:`graph.local_addition_rows`), which the saved local_additions query pages; the marker says whether
each went (``gap_rows``, ``not_assessable_rows``, ``local_addition_rows``), so a reader of a graph pushed without them is told to push again rather than
finding no row.

Servers differ. Neo4j takes large requests and uniqueness constraints; the FalkorDB Bolt listener
(used in CI) dies on a request whose Cypher text passes 4 KB and refuses constraints. So each request is
kept under a byte budget (:mod:`graph.push_rows`: rows batched by size as well as by count), a long
string is sent in pieces that the server concatenates, and constraints are tried once per label and
skipped with a warning where refused. The budget is off for a server that reports itself through
``dbms.components()`` as Neo4j, and on (``SAFE_LIMITS``) for any other, unless given.

FalkorDB's own protocol has no such limit: there the same statements go ``NATIVE_LIMITS.batch_size``
rows a request, strings whole (:mod:`graph.push_send` carries them; only the sending differs), and
write the graph a Bolt push writes, which readers then read through Bolt.
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import chain

import networkx as nx

from core.errors import ExportError

from .export.rows import DEFAULT_OWNER, KEY_PROPERTY, LABELS, OWNER_PROPERTY, neo4j_properties
from .gap_rows import GAP_LABEL
from .local_addition_rows import LOCAL_ADDITION_LABEL
from .not_assessable_rows import NOT_ASSESSABLE_LABEL
from .push_rows import (NATIVE_LIMITS, SAFE_LIMITS, Limits, StoredGraph, answer_rows, derived_nodes, fit, graph_records,
                        stored_records, text_size, with_workload)
from .push_rows import batches as batched
from .push_send import connect, open_sender, safe_uri
from .workload_rows import WORKLOAD_LABEL, workload_rows

__all__ = ["push", "Limits", "SAFE_LIMITS", "neo4j_properties", "OWNER_PROPERTY", "KEY_PROPERTY", "DEFAULT_OWNER",
           "MARKER_LABEL", "MARKER_ROWS", "ANSWER_LABEL", "connect", "safe_uri", "NATIVE_LIMITS"]


# Room for the parameters' names and the separators around them.
_OVERHEAD = 40


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _constraints(sender, labels, warnings: list[str]) -> int:
    made = 0
    for label in labels:
        name = f"cascade_{label.lower()}_id"
        refused = sender.schema(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{_q(label)}) REQUIRE n.id IS UNIQUE")
        if refused is None:
            made += 1
        elif sender.neo4j:
            warnings.append(f"no uniqueness constraint on :{label}(id): {refused}")
        else:
            # Without constraints, an index at least keeps MERGE from scanning every node (a refusal:
            # already there, or not supported either).
            sender.schema(f"CREATE INDEX FOR (n:{_q(label)}) ON (n.id)")
    if made < len(labels) and not sender.neo4j:
        warnings.append("this server does not support uniqueness constraints: skipped (MERGE on id still "
                        "keeps one node per id)")
    return made


# Properties the saved queries (queries/cypher/) look nodes up by, besides id: tasks are joined to
# their document by doc_id, which without an index is a scan of every task per document.
# A kept answer's pieces are found by its key.
_LOOKUP_INDEXES = [("Task", "doc_id"), ("CascadeAnswer", "id"), ("CascadeAnswer", "key")]

MARKER_LABEL = "CascadePush"     # one node per owner: the version pushed, batches written, complete or not
# the marker's property saying whether the push sent the rows of a label (queries.backend asks it)
MARKER_ROWS = {GAP_LABEL: "gap_rows", NOT_ASSESSABLE_LABEL: "not_assessable_rows",
               LOCAL_ADDITION_LABEL: "local_addition_rows"}
ANSWER_LABEL = "CascadeAnswer"   # a piece of a kept answer: {key, version, i, n, text}
_MARK_SECONDS = 2.0              # how often the marker records the batches written (a resume redoes fewer)
_ANSWER_PIECE = 16_000           # bytes of an answer's piece where the server sets no string limit


def _indexes(sender, labels) -> None:
    for label, prop in _LOOKUP_INDEXES:
        if label not in labels:
            continue
        # FalkorDB has no IF NOT EXISTS: a refusal there is an index already made
        sender.schema(f"CREATE INDEX cascade_{label.lower()}_{prop} IF NOT EXISTS FOR (n:{_q(label)}) ON (n.{_q(prop)})"
                      if sender.neo4j else f"CREATE INDEX FOR (n:{_q(label)}) ON (n.{_q(prop)})")


def _node_spec(label: str) -> tuple:
    return (f"UNWIND $rows AS row MERGE (n:{_q(label)} {{id: row.p.id}}) "
            f"SET n = row.p, n.{OWNER_PROPERTY} = $owner RETURN count(n) AS c",
            f":{label} nodes",
            lambda r, prop: (f"MATCH (n:{_q(label)} {{id: $id}}) SET n.{_q(prop)} = n.{_q(prop)} + $part",
                             f"the :{label} {r.ident['id']}'s {prop}", {"id": r.ident["id"]}))


def _rel_spec(rtype: str, a: str, b: str) -> tuple:
    return (f"UNWIND $rows AS row MATCH (a:{_q(a)} {{id: row.s}}) MATCH (b:{_q(b)} {{id: row.e}}) "
            f"MERGE (a)-[r:{_q(rtype)} {{{KEY_PROPERTY}: row.p.{KEY_PROPERTY}}}]->(b) "
            f"SET r = row.p, r.{OWNER_PROPERTY} = $owner RETURN count(r) AS c",
            f":{rtype} relationships",
            lambda r, prop: (f"MATCH (a:{_q(a)} {{id: $s}})-[r:{_q(rtype)} {{{KEY_PROPERTY}: $k}}]->"
                             f"(b:{_q(b)} {{id: $e}}) SET r.{_q(prop)} = r.{_q(prop)} + $part",
                             f"a :{rtype}'s {prop}", dict(r.ident)))


def push(G: nx.MultiDiGraph | StoredGraph, uri: str, user: str | None = "neo4j", password: str | None = None,
         database: str | None = None, batch_size: int | None = None, wipe: bool = False, progress=False,
         limits: Limits | None = None, owner: str = DEFAULT_OWNER, version: str | None = None,
         resume: bool = False, answers: dict[str, str] | None = None, gaps=None,
         not_assessable=None, local_additions=None) -> str:
    """Write the graph into a graph server; returns a one-paragraph summary.

    Parameters
    ----------
    G : the cascade graph, or a store's graph read record by record (:func:`stored_graph`).
    uri : ``bolt://`` or ``neo4j://`` (Bolt), or ``falkor://host:port`` (FalkorDB's own protocol;
        ``falkors://``, ``redis://``, ``rediss://`` too, :mod:`graph.push_send`).
    user, password : the login (the password is never logged or echoed).
    database : the Neo4j database, or the FalkorDB graph; the server's default when None (through
        FalkorDB's protocol: the graph its Bolt listener serves, ``falkordb``).
    batch_size : rows per ``UNWIND`` request at most (default: 200 for Neo4j, 100 under FalkorDB's
        Bolt budget, ``NATIVE_LIMITS.batch_size`` through FalkorDB's protocol).
    wipe : first delete every node (and its relationships) an earlier push of ``owner`` wrote.
    progress : True for a click progress bar on stderr, or a callable ``(done, total)``.
    limits : request limits; default: none for Neo4j or FalkorDB's protocol, :data:`SAFE_LIMITS` for any
        other Bolt server.
    owner : the tag written in ``cascade_owner``.
    version : the content version of ``G`` (``Cascade.version()``). The push keeps, in one
        ``:CascadePush {owner}`` node, the version it writes, how many batches it has written (every
        couple of seconds, and when it stops on an error) and whether it completed; readers trust the
        server's graph to be that version only once it has. Without a version the marker says none.
    resume : go on where an interrupted push of the same ``version`` stopped: the batches the marker
        counts are skipped (another version starts over). A batch holding a text sent in pieces is always
        written again, so its pieces are appended once; a batch written twice changes nothing (MERGE).
    answers : kept answers of ``version`` (``{key: JSON text}``, :mod:`cascade.answers`) written as
        ``:CascadeAnswer`` pieces, so readers of the server need not compute them; those of other versions
        are removed.
    gaps : the store's gap rows (:func:`graph.store.read_gaps`: a callable giving them afresh), written as
        ``:Gap`` nodes in place of those an earlier push of ``owner`` left; by default those of a
        :class:`StoredGraph`. Without them the marker says the server has none (``gap_rows`` false).
    not_assessable : the store's not-assessable rows (:func:`graph.store.read_not_assessable`), as ``gaps``
        (``:NotAssessable`` nodes; ``not_assessable_rows`` in the marker).
    local_additions : the store's local-addition rows (:func:`graph.store.read_local_additions`), as ``gaps``
        (``:LocalAddition`` nodes; ``local_addition_rows`` in the marker).

    Raises
    ------
    ExportError : unreachable server, refused login, or a request the server dropped.
    """
    if batch_size is not None and batch_size < 1:
        raise ExportError(f"batch size must be at least 1, not {batch_size}")
    if resume and wipe:
        raise ExportError("a push cannot both wipe and resume: the wipe would remove what it resumes")
    if (resume or answers) and not version:
        raise ExportError("resuming a push, or pushing kept answers, needs the graph's version")
    sender = open_sender(uri, user, password, database, connections=(limits or Limits()).connections)
    warnings: list[str] = []
    notes: Counter = Counter()
    requests = 0
    bar = pool = None
    try:
        # a batch size is a cap only under a request budget: the one given, or FalkorDB's Bolt listener's
        capped = limits is not None or not (sender.native or sender.neo4j)
        if limits is None:
            limits = NATIVE_LIMITS if sender.native else Limits() if sender.neo4j else SAFE_LIMITS
        if batch_size is not None:
            limits = replace(limits, batch_size=min(batch_size, limits.batch_size) if capped else batch_size)
        if isinstance(G, nx.MultiDiGraph):
            records, labels = graph_records(G), sorted({d["label"] for _, d in G.nodes(data=True)})
            total = G.number_of_nodes() + G.number_of_edges()
            derived = workload_rows(G)
            workload = (lambda: derived) if derived else None
        else:
            records, labels, total = stored_records(G.records), list(LABELS), G.nodes + G.relationships
            workload = G.workload
            if workload is None:
                warnings.append("no workload rows: the store was written before it kept them, so the saved "
                                "workload query finds none on the server (build the store again)")
            gaps = G.gaps if gaps is None else gaps
            if gaps is None:
                warnings.append("no gap rows: the store was written before it kept them, so the saved gaps "
                                "query on the server says to push again (build the store again)")
            not_assessable = G.not_assessable if not_assessable is None else not_assessable
            if not_assessable is None:
                warnings.append("no not-assessable rows: the store was written before it kept them, so the saved "
                                "not_assessable query on the server says to push again (build the store again)")
            local_additions = G.local_additions if local_additions is None else local_additions
            if local_additions is None:
                warnings.append("no local-addition rows: the store was written before it kept them, so the saved "
                                "local_additions query on the server says to push again (build the store again)")
        if workload is not None:   # the saved workload query reads these (graph.workload_rows)
            records = with_workload(records, workload)
            labels.append(WORKLOAD_LABEL)
            total += 2 * sum(1 for _ in workload())
        # the saved gaps, not_assessable and local_additions queries page these (graph.gap_rows,
        # graph.not_assessable_rows, graph.local_addition_rows); no relationship
        kept = {GAP_LABEL: gaps, NOT_ASSESSABLE_LABEL: not_assessable, LOCAL_ADDITION_LABEL: local_additions}
        for label, rows in kept.items():
            if rows is not None:
                records = chain(records, derived_nodes(label, rows()))
                labels.append(label)
                total += sum(1 for _ in rows())
        # FalkorDB's Bolt listener cannot send a record over 64 KB: pieces there as the Bolt push cuts them
        piece = limits.max_string_bytes or (SAFE_LIMITS.max_string_bytes if sender.native else _ANSWER_PIECE)
        answer_items = [(ANSWER_LABEL, *row) for row in answer_rows(answers or {}, version or "", piece)]
        total += len(answer_items)
        done = 0
        if progress is True and sys.stderr.isatty():
            import click
            bar = click.progressbar(length=total, label="Pushing", file=sys.stderr, show_pos=True)
            bar.__enter__()

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if bar is not None:
                bar.update(n)
            elif callable(progress):
                progress(done, total)

        local = threading.local()

        def run(query: str, what: str, own: bool = False, **params):
            nonlocal requests
            requests += 1
            return sender.run(query, what, params, own=own)

        wiped = 0
        if wipe:
            while True:
                rows = run(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = $owner WITH n LIMIT 500 "
                           "DETACH DELETE n RETURN count(*) AS c", "the wipe", owner=owner)
                c = rows[0]["c"] if rows else 0
                wiped += c
                if not c:
                    break
        skip = 0
        # The batches a marker counts are those of one way of batching: a resume with another (another
        # batch size, the other protocol) would skip other rows, so it starts over instead.
        batching = (f"{limits.batch_size} rows/{limits.max_request_bytes or 0} bytes/"
                    f"{limits.max_string_bytes or 0}/{limits.max_list_items or 0}")
        if resume:
            state = run(f"MATCH (m:{MARKER_LABEL} {{owner: $owner}}) RETURN m.version AS v, m.batches AS n, "
                        "m.batching AS b", "the push marker", owner=owner)
            if state and state[0]["v"] == version and state[0]["b"] in (batching, None):
                skip = int(state[0]["n"] or 0)
            elif state and state[0]["v"] == version:
                notes["resume started over: the interrupted push batched differently"] = 1
        marker = {"batches": skip, "at": time.monotonic()}

        def mark(complete: bool = False) -> None:
            (send if pool is not None else run)(f"MERGE (m:{MARKER_LABEL} {{owner: $owner}}) SET m.version = $v, m.batches = $n, "
                "m.batching = $b, m.complete = $complete, "
                + ", ".join(f"m.{MARKER_ROWS[k]} = ${MARKER_ROWS[k]}" for k in kept) + " RETURN 1 AS c", "the push marker",
                owner=owner, v=version, n=marker["batches"], b=batching, complete=complete,
                **{MARKER_ROWS[k]: rows is not None for k, rows in kept.items()})
            marker["at"] = time.monotonic()

        mark()
        if not skip:
            # the kept rows (gaps, not assessable, local additions) of an earlier push, some no longer true: none may outlive it (a
            # resumed push's rows are those of its own version)
            for label in kept:
                while run(f"MATCH (n:{label}) WHERE n.{OWNER_PROPERTY} = $owner WITH n LIMIT 5000 DELETE n "
                          "RETURN count(*) AS c", f"the earlier {label} rows", owner=owner)[0]["c"]:
                    pass
        constrained = _constraints(sender, labels, warnings)
        _indexes(sender, set(labels) | ({ANSWER_LABEL} if answer_items else set()))

        def room_for(query: str) -> int | None:
            if limits.max_request_bytes is None:
                return None
            return limits.max_request_bytes - len(query.encode()) - text_size(owner) - _OVERHEAD

        appends = []
        batches = 0
        pool = ThreadPoolExecutor(max_workers=max(1, limits.connections), thread_name_prefix="push",
                                  initializer=lambda: setattr(local, "worker", True))

        def send(query: str, what: str, **params):
            """A request through the workers: on the sender's one connection when there is one (never
            used by two threads at once), else on this worker thread's own."""
            if not getattr(local, "worker", False):
                return pool.submit(send, query, what, **params).result()
            return run(query, what, own=limits.connections > 1, **params)

        written: Counter = Counter()

        def write(items, counted: bool = True) -> None:
            """``(group, ident, locate, properties)`` in batches, each group's through its query
            (:func:`spec`), up to ``limits.connections`` in flight; what did not fit a request is
            appended after. ``counted``: the batches are the graph's, which the marker counts (those
            done in order) and a resume skips."""
            nonlocal batches
            tailed = []
            inflight: deque = deque()

            def fitted():
                for group, ident, locate, props in items:
                    row = fit(ident, locate, props, limits, room_of(group), notes)
                    if row.tails:
                        tailed.append((group, row))
                    written[group] += 1
                    yield group, row

            def settle(keep: int) -> None:
                while len(inflight) > keep:
                    number, future = inflight.popleft()
                    future.result()
                    if counted and number > marker["batches"]:
                        marker["batches"] = number
                        if time.monotonic() - marker["at"] > _MARK_SECONDS:
                            mark()

            try:
                for group, batch in batched(fitted(), limits, room_of):
                    if batch is None:
                        settle(0)
                        continue
                    if counted:
                        batches += 1
                    if not counted or batches > skip or any(r.tails for r in batch):
                        query, what, _ = spec(group)
                        inflight.append((batches, pool.submit(send, query, what, rows=[r.payload() for r in batch],
                                                              owner=owner)))
                        settle(limits.connections)
                    advance(len(batch))
                settle(0)
            except BaseException:
                # What is in flight finishes; the marker counts the batches done in order before the
                # first that failed.
                try:
                    settle(0)
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    pass
                for _, future in inflight:
                    future.exception()
                raise
            for group, r in tailed:
                for prop, pieces in r.tails.items():
                    appends.append((*spec(group)[2](r, prop), pieces))

        specs: dict = {}

        def spec(group) -> tuple:
            """(write query, what it writes, the append of a long property's pieces) of a group: a
            label, or a relationship's (type, start label, end label)."""
            if group not in specs:
                specs[group] = _node_spec(group) if isinstance(group, str) else _rel_spec(*group)
            return specs[group]

        rooms: dict = {}

        def room_of(group) -> int | None:
            if group not in rooms:
                rooms[group] = room_for(spec(group)[0])
            return rooms[group]

        try:
            write(records)
            for query, what, ident, pieces in appends:
                for part in pieces:
                    run(query, what, part=part, **ident)
            if appends:
                notes["long strings sent in pieces"] = len(appends)
            if answers is not None:
                write(answer_items, counted=False)
                while run(f"MATCH (n:{ANSWER_LABEL}) WHERE n.{OWNER_PROPERTY} = $owner AND n.version <> $v "
                          "WITH n LIMIT 500 DELETE n RETURN count(*) AS c", "the older answers", owner=owner,
                          v=version)[0]["c"]:
                    pass
            mark(complete=True)
        except BaseException:
            # Stopped (a dropped connection, an interrupt): what was written is recorded, if the
            # server still listens, so a resume redoes as little as it can.
            try:
                mark()
            except Exception:  # noqa: BLE001 - the error that stopped the push is the one to report
                pass
            raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
        if bar is not None:
            bar.__exit__(None, None, None)
        sender.close()

    # the graph's own; the kept answers and the workload rows are said apart
    n_nodes = Counter({k: n for k, n in written.items() if isinstance(k, str)
                       and k not in (ANSWER_LABEL, WORKLOAD_LABEL, GAP_LABEL, NOT_ASSESSABLE_LABEL,
                                    LOCAL_ADDITION_LABEL)})
    n_rels = Counter()
    for group, n in written.items():
        if not isinstance(group, str) and group[1] != WORKLOAD_LABEL:
            n_rels[group[0]] += n
    parts = [f"Pushed {sum(n_nodes.values())} nodes ({', '.join(f'{k} {v}' for k, v in sorted(n_nodes.items()))}) "
             f"and {sum(n_rels.values())} relationships ({', '.join(f'{k} {v}' for k, v in sorted(n_rels.items()))}) "
             f"to {sender.where} in {requests} requests"
             + (" through FalkorDB's own protocol" if sender.native else "")]
    if wipe:
        parts.append(f"wiped {wiped} nodes of an earlier push first")
    if skip:
        parts.append(f"resumed: {min(skip, batches)} of {batches} batches were already on the server")
    if written[WORKLOAD_LABEL]:
        parts.append(f"{written[WORKLOAD_LABEL]} workload rows (unit and level) for the saved workload query")
    if gaps is not None:
        parts.append(f"{written[GAP_LABEL]} gap rows for the saved gaps query")
    if not_assessable is not None:
        parts.append(f"{written[NOT_ASSESSABLE_LABEL]} not-assessable rows for the saved not_assessable query")
    if local_additions is not None:
        parts.append(f"{written[LOCAL_ADDITION_LABEL]} local-addition rows for the saved local_additions query")
    if answers:
        parts.append(f"{len(answers)} kept answers of version {version} in {len(answer_items)} pieces")
    if limits.max_request_bytes is not None:
        parts.append(f"requests kept under {limits.max_request_bytes} bytes for a server that is not Neo4j")
    parts.append(f"uniqueness constraints on id: {constrained} of {len(labels)} labels")
    parts += [f"{n} {what}" for what, n in sorted(notes.items())]
    parts += [f"warning: {w}" for w in warnings]
    return "; ".join(parts) + "."
