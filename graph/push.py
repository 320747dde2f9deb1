"""Push the graph into a Neo4j (or other Bolt) server with the official driver, idempotently.

Nodes are written with ``UNWIND $rows AS row MERGE (n:Label {id: row.p.id}) SET n = row.p`` per label,
relationships with ``MERGE (a)-[r:TYPE {cascade_key: row.p.cascade_key}]->(b) SET r = row.p`` per type
and end labels, so pushing twice changes nothing. Every node and relationship written carries
``cascade_owner`` (the tool's name by default): ``wipe=True`` first deletes exactly those nodes, and
nothing else of the server's. One ``:CascadePush`` node records the version pushed, the batches written
(a push can resume) and whether it completed; the store's kept answers go with it (``:CascadeAnswer``).

Servers differ. Neo4j takes large requests and uniqueness constraints; the FalkorDB Bolt listener
(used in CI) dies on a request whose Cypher text passes 4 KB and refuses constraints. So each request is
kept under a byte budget (:mod:`graph.push_rows`: rows batched by size as well as by count), a long
string is sent in pieces that the server concatenates, and constraints are tried once per label and
skipped with a warning where refused. The budget is off for a server that reports itself through
``dbms.components()`` as Neo4j, and on (``SAFE_LIMITS``) for any other, unless given.
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import networkx as nx

from core.errors import ExportError

from .export.rows import DEFAULT_OWNER, KEY_PROPERTY, LABELS, OWNER_PROPERTY, neo4j_properties
from .push_rows import SAFE_LIMITS, Limits, StoredGraph, answer_rows, fit, graph_records, stored_records, text_size
from .push_rows import batches as batched

__all__ = ["push", "Limits", "SAFE_LIMITS", "neo4j_properties", "OWNER_PROPERTY", "KEY_PROPERTY", "DEFAULT_OWNER",
           "MARKER_LABEL", "ANSWER_LABEL", "connect"]


# Room for the parameters' names and the separators around them.
_OVERHEAD = 40


def safe_uri(uri: str) -> str:
    """The address without any user or password it may embed.

    >>> safe_uri("bolt://neo4j:secret@db.example:7687")
    'bolt://db.example:7687'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable address>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _scrub(text: str, uri: str, password: str | None) -> str:
    """A driver message with the raw address and the password taken out.

    >>> _scrub("Unable to parse 'bolt://u:pw@h:1'", "bolt://u:pw@h:1", "pw")
    "Unable to parse 'bolt://h:1'"
    """
    text = text.replace(uri, safe_uri(uri))
    if password:
        text = text.replace(password, "***")
    parts = urlsplit(uri) if "://" in uri else None
    if parts is not None and parts.password:
        text = text.replace(parts.password, "***")
    return text


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _wake(uri: str, wait: float = 0.5) -> None:
    """Offer a bare Bolt handshake and drop it.

    The FalkorDB Bolt listener (4.16) leaves the first handshake after a connection closed with
    GOODBYE unanswered until the client gives up; a dropped handshake clears that state (measured:
    the next driver connection then opens in 0.05 s instead of waiting out its 10 s deadline). A
    server that answers (Neo4j) just sees a client leave. Plain ``bolt://``/``neo4j://`` only.
    """
    import socket

    parts = urlsplit(uri)
    if parts.scheme not in ("bolt", "neo4j") or not parts.hostname:
        return
    try:
        with socket.create_connection((parts.hostname, parts.port or 7687), timeout=wait) as sock:
            sock.settimeout(wait)
            sock.sendall(bytes.fromhex("6060B017" "000001FF" "00080805" "00020404" "00000003"))
            sock.recv(4)
    except (OSError, ValueError):
        pass


def connect(uri: str, user: str | None, password: str | None, attempts: int = 3, connections: int = 1):
    """One driver (of at most ``connections`` connections), checked: raises :class:`ExportError` with one
    line for a bad address or login.

    A refused handshake is retried a few times before the address is called unreachable.
    """
    try:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise ExportError("the 'neo4j' driver is not installed") from err
    where = safe_uri(uri)
    auth = (user or "", password) if password else None
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0,
                                            connection_acquisition_timeout=10.0, max_connection_pool_size=connections)
    except (ConfigurationError, ValueError) as err:
        raise ExportError(f"{where}: not a Bolt address ({_scrub(str(err).splitlines()[0], uri, password)})") from None
    last = None
    for attempt in range(attempts):
        _wake(uri)
        try:
            driver.verify_connectivity()
            return driver
        except AuthError:
            driver.close()
            raise ExportError(f"{where}: the server refused user '{user}': wrong user or password") from None
        except ServiceUnavailable as err:
            last = err
            time.sleep(0.2 * (attempt + 1))
        except Neo4jError as err:
            driver.close()
            # FalkorDB answers a password it cannot check with a general error during the login.
            raise ExportError(f"{where}: the server refused the login of user '{user}' "
                              f"({_scrub(err.message or err.code or '', uri, password)}): check the user and password") from None
        except OSError as err:
            last = err
            time.sleep(0.2 * (attempt + 1))
    driver.close()
    cause = last
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        reason = cause.strerror
    else:
        reason = _scrub(" ".join(str(last).split())[:160], uri, password) if last else "no answer"
    raise ExportError(f"{where}: no Bolt server answers ({reason})")


def _is_neo4j(session) -> bool:
    try:
        rows = session.run("CALL dbms.components() YIELD name RETURN name").data()
    except Exception:  # noqa: BLE001 - any refusal means "not Neo4j"
        return False
    return any(str(r.get("name", "")).startswith("Neo4j") for r in rows)


def _constraints(session, labels, neo4j: bool, warnings: list[str]) -> int:
    made = 0
    for label in labels:
        name = f"cascade_{label.lower()}_id"
        try:
            session.run(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{_q(label)}) REQUIRE n.id IS UNIQUE").consume()
            made += 1
            continue
        except Exception as err:  # noqa: BLE001 - the server's dialect decides; we only report
            refused = str(getattr(err, "message", None) or err).splitlines()[0]
        if neo4j:
            warnings.append(f"no uniqueness constraint on :{label}(id): {refused}")
            continue
        # Without constraints, an index at least keeps MERGE from scanning every node.
        try:
            session.run(f"CREATE INDEX FOR (n:{_q(label)}) ON (n.id)").consume()
        except Exception:  # noqa: BLE001 - already there, or not supported either
            pass
    if made < len(labels) and not neo4j:
        warnings.append("this server does not support uniqueness constraints: skipped (MERGE on id still "
                        "keeps one node per id)")
    return made


# Properties the saved queries (queries/cypher/) look nodes up by, besides id: tasks are joined to
# their document by doc_id, which without an index is a scan of every task per document.
# A kept answer's pieces are found by its key.
_LOOKUP_INDEXES = [("Task", "doc_id"), ("CascadeAnswer", "id"), ("CascadeAnswer", "key")]

MARKER_LABEL = "CascadePush"     # one node per owner: the version pushed, batches written, complete or not
ANSWER_LABEL = "CascadeAnswer"   # a piece of a kept answer: {key, version, i, n, text}
_MARK_SECONDS = 2.0              # how often the marker records the batches written (a resume redoes fewer)
_ANSWER_PIECE = 16_000           # bytes of an answer's piece where the server sets no string limit


def _indexes(session, labels, neo4j: bool) -> None:
    for label, prop in _LOOKUP_INDEXES:
        if label not in labels:
            continue
        query = (f"CREATE INDEX cascade_{label.lower()}_{prop} IF NOT EXISTS FOR (n:{_q(label)}) ON (n.{_q(prop)})"
                 if neo4j else f"CREATE INDEX FOR (n:{_q(label)}) ON (n.{_q(prop)})")
        try:
            session.run(query).consume()
        except Exception:  # noqa: BLE001 - already there (FalkorDB has no IF NOT EXISTS), or not supported
            pass


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
         database: str | None = None, batch_size: int = 200, wipe: bool = False, progress=False,
         limits: Limits | None = None, owner: str = DEFAULT_OWNER, version: str | None = None,
         resume: bool = False, answers: dict[str, str] | None = None) -> str:
    """Write the graph into a Bolt server; returns a one-paragraph summary.

    Parameters
    ----------
    G : the cascade graph, or a store's graph read record by record (:func:`stored_graph`).
    uri, user, password : the server and login (the password is never logged or echoed).
    database : the Neo4j database (FalkorDB: the graph name); the server's default when None.
    batch_size : rows per ``UNWIND`` request at most.
    wipe : first delete every node (and its relationships) an earlier push of ``owner`` wrote.
    progress : True for a click progress bar on stderr, or a callable ``(done, total)``.
    limits : request limits; default: none for Neo4j, :data:`SAFE_LIMITS` for any other server.
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

    Raises
    ------
    ExportError : unreachable server, refused login, or a request the server dropped.
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    where = safe_uri(uri)
    if batch_size < 1:
        raise ExportError(f"batch size must be at least 1, not {batch_size}")
    if resume and wipe:
        raise ExportError("a push cannot both wipe and resume: the wipe would remove what it resumes")
    if (resume or answers) and not version:
        raise ExportError("resuming a push, or pushing kept answers, needs the graph's version")
    driver = connect(uri, user, password, connections=max(1, (limits or Limits()).connections))
    warnings: list[str] = []
    notes: Counter = Counter()
    requests = 0
    bar = pool = None
    opened: list = []
    try:
        with driver.session(database=database) as session:
            is_neo4j = _is_neo4j(session)
            if limits is None:
                limits = Limits(batch_size=batch_size) if is_neo4j else replace(
                    SAFE_LIMITS, batch_size=min(batch_size, SAFE_LIMITS.batch_size))
            else:
                limits = replace(limits, batch_size=min(batch_size, limits.batch_size))
            if isinstance(G, nx.MultiDiGraph):
                records, labels = graph_records(G), sorted({d["label"] for _, d in G.nodes(data=True)})
                total = G.number_of_nodes() + G.number_of_edges()
            else:
                records, labels, total = stored_records(G.records), list(LABELS), G.nodes + G.relationships
            answer_items = [(ANSWER_LABEL, *row) for row in
                            answer_rows(answers or {}, version or "", limits.max_string_bytes or _ANSWER_PIECE)]
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

            def run(query: str, what: str, on=None, **params):
                nonlocal requests
                requests += 1
                try:
                    return (on or session).run(query, **params).data()
                except (ServiceUnavailable, SessionExpired) as err:
                    raise ExportError(f"{where}: the server dropped the connection while writing {what} "
                                      f"({_scrub(str(err).splitlines()[0], uri, password)}); "
                                      "try a smaller --batch-size") from None
                except Neo4jError as err:
                    msg = (err.message or err.code or "").splitlines()
                    raise ExportError(f"{where}: the server refused writing {what}: "
                                      f"{_scrub(msg[0] if msg else '', uri, password)}") from None

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
            if resume:
                state = run(f"MATCH (m:{MARKER_LABEL} {{owner: $owner}}) RETURN m.version AS v, m.batches AS n",
                            "the push marker", owner=owner)
                if state and state[0]["v"] == version:
                    skip = int(state[0]["n"] or 0)
            marker = {"batches": skip, "at": time.monotonic()}

            def mark(complete: bool = False) -> None:
                (send if pool is not None else run)(f"MERGE (m:{MARKER_LABEL} {{owner: $owner}}) SET m.version = $v, m.batches = $n, "
                    "m.complete = $complete RETURN 1 AS c", "the push marker", owner=owner, v=version,
                    n=marker["batches"], complete=complete)
                marker["at"] = time.monotonic()

            mark()
            constrained = _constraints(session, labels, is_neo4j, warnings)
            _indexes(session, set(labels) | ({ANSWER_LABEL} if answer_items else set()), is_neo4j)

            def room_for(query: str) -> int | None:
                if limits.max_request_bytes is None:
                    return None
                return limits.max_request_bytes - len(query.encode()) - text_size(owner) - _OVERHEAD

            appends = []
            batches = 0
            pool = ThreadPoolExecutor(max_workers=max(1, limits.connections), thread_name_prefix="push",
                                      initializer=lambda: setattr(local, "worker", True))

            def send(query: str, what: str, **params):
                """A request through the workers: on the one session when there is one connection (never
                used by two threads at once), else on this worker thread's own."""
                if not getattr(local, "worker", False):
                    return pool.submit(send, query, what, **params).result()
                if limits.connections <= 1:
                    return run(query, what, **params)
                if not hasattr(local, "session"):
                    local.session = driver.session(database=database)
                    opened.append(local.session)
                return run(query, what, on=local.session, **params)

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
        for worker_session in opened:
            worker_session.close()
        if bar is not None:
            bar.__exit__(None, None, None)
        driver.close()

    n_nodes = Counter({k: n for k, n in written.items() if isinstance(k, str) and k != ANSWER_LABEL})
    n_rels = Counter()
    for group, n in written.items():
        if not isinstance(group, str):
            n_rels[group[0]] += n
    parts = [f"Pushed {sum(n_nodes.values())} nodes ({', '.join(f'{k} {v}' for k, v in sorted(n_nodes.items()))}) "
             f"and {sum(n_rels.values())} relationships ({', '.join(f'{k} {v}' for k, v in sorted(n_rels.items()))}) "
             f"to {where}{f' database {database}' if database else ''} in {requests} requests"]
    if wipe:
        parts.append(f"wiped {wiped} nodes of an earlier push first")
    if skip:
        parts.append(f"resumed: {min(skip, batches)} of {batches} batches were already on the server")
    if answers:
        parts.append(f"{len(answers)} kept answers of version {version} in {len(answer_items)} pieces")
    if limits.max_request_bytes is not None:
        parts.append(f"requests kept under {limits.max_request_bytes} bytes for a server that is not Neo4j")
    parts.append(f"uniqueness constraints on id: {constrained} of {len(labels)} labels")
    parts += [f"{n} {what}" for what, n in sorted(notes.items())]
    parts += [f"warning: {w}" for w in warnings]
    return "; ".join(parts) + "."
