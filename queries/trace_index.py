"""Every requirement's trace read without opening the database: a SQLite file per version of the graph.

At a nation-year the embedded database costs a fresh process 0.15-0.45 s before a trace's first row (its
import, its opening, a prepared statement per step), where a kept answer takes 5 ms; but only the top
plans' requirements are kept. A trace needs little of the graph, and all of it by key: the chain above
(each node's links not rejected), the walk down (each node's lower ends and what contains them), and the
page's numbers, texts and documents. That is written once per version, after a build of a store too large
to load (:meth:`cascade.api.Cascade.warm_answers`), as ``<store>/answers/<version>/trace.sqlite``:

- ``node(id, doc, kind, number, text, uppers, hops)``: every task (kind ``T``), section (``S``) and
  document (``D``); ``uppers`` the ids its links not rejected name, sorted; ``hops`` the nodes containing
  it that a walk down goes on from (those that are tasks or that some link names, with their distance in
  steps; NULL when none, as for nearly every task);
- ``below(upper, lower, lower_doc, hops)``: the links not rejected keyed by their upper end, with the
  lower end's ``hops``;
- ``doc(id, level, title)``.

The answers are :func:`queries.trace_store.trace`'s and, for an id, :func:`queries.trace_store.search_tasks`'
(a test holds them equal for every requirement of a store). Python's standard library reads it.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from sys import intern

__all__ = ["FILE", "TraceIndex", "open_index", "write_index", "update_index", "index_delta", "DELTA_FILE"]

FILE = "trace.sqlite"
DELTA_FILE = "trace_delta.json"   # in a version an incremental build made: {"from": version, "documents": [...]}
FORMAT = "2"
_STEPS = 8    # the saved trace query's longest path (queries/cypher/trace.cypher)
# A fresh process reads the file's pages mapped, not one read() each: its first trace walks hundreds of pages
# (a province's requirement at 1M: 21 → 11 ms); the mapping costs nothing until a page is touched.
_MMAP = 1 << 30
_CHUNK = 500  # ids per IN list (SQLite allows 32,766 parameters; a shorter list keeps each query cheap)


def write_index(backend, path: str | os.PathLike, current=None) -> Path | None:
    """Write the trace index of ``backend``'s graph to ``path``, atomically (a reader sees the whole file
    or none). ``current()``, asked between the steps, false: the graph has a newer version (a build
    since), so the index would be of no use: None, nothing written."""
    path = Path(path)
    current = current or (lambda: True)
    # What the walk needs of every node, held while writing: its document and kind (its text is read
    # again, sorted, when its row is written: at 1M the texts and a list a node held 2.5 GB)
    # (every id read in batches and interned: each query's rows are new strings, 2.9M of them for CONTAINS)
    docs = sorted(zip(*backend.columns("MATCH (d:Document) RETURN d.id, d.level, d.title")))
    nodes: dict[str, tuple[str, str]] = {intern(i): (intern(i), "D") for i, _, _ in docs}
    for label, kind in (("Task", "T"), ("Section", "S")):
        for ids, owners in backend.batches(f"MATCH (n:{label}) RETURN n.id, n.doc_id"):
            nodes.update((intern(i), (intern(d), kind)) for i, d in zip(ids, owners))
    container: dict[str, str] = {}
    for tops, ins in backend.batches("MATCH (a)-[:CONTAINS]->(b) RETURN a.id, b.id"):
        for a, b in zip(tops, ins):
            if a in nodes and b in nodes:
                container.setdefault(intern(b), intern(a))   # a containment is a tree: one container each
    links = sorted((intern(b), intern(a)) for lower, upper in backend.batches(
        "MATCH (a)-[r:DERIVED_FROM]->(b) WHERE coalesce(r.status, 'proposed') <> 'rejected' RETURN a.id, b.id")
        for a, b in zip(lower, upper) if a in nodes and b in nodes)
    if not current():
        return None
    uppers: dict[str, str] = {}
    for b, a in links:
        uppers[a] = uppers[a] + _SEP + b if a in uppers else b   # sorted, as links are
    hops = _Hops(nodes, container, {b for b, _ in links})
    if hasattr(backend, "release"):
        backend.release()   # the engine's buffer pool holds every page those scans read (GBs at 1M)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(
            "PRAGMA page_size=8192; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE doc(id TEXT PRIMARY KEY, level TEXT, title TEXT) WITHOUT ROWID;"
            "CREATE TABLE node(id TEXT PRIMARY KEY, doc TEXT, kind TEXT, number TEXT, text TEXT, uppers TEXT,"
            " hops TEXT) WITHOUT ROWID;"
            "CREATE TABLE below(upper TEXT, lower TEXT, lower_doc TEXT, hops TEXT, PRIMARY KEY(upper, lower))"
            " WITHOUT ROWID;")
        db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        db.executemany("INSERT INTO doc VALUES (?, ?, ?)", docs)
        db.executemany("INSERT INTO node VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((i, i, "D", None, title, uppers.get(i), hops.of(i)) for i, _, title in docs))
        for query in ("MATCH (n:Task) RETURN n.id, n.number, n.text_norm ORDER BY n.id",
                      "MATCH (n:Section) RETURN n.id, NULL, n.title ORDER BY n.id"):
            for ids, numbers, texts in backend.batches(query):
                if not current():
                    break
                db.executemany("INSERT OR IGNORE INTO node VALUES (?, ?, ?, ?, ?, ?, ?)",
                               ((i, *nodes[i], number, text, uppers.get(i), hops.of(i))
                                for i, number, text in zip(ids, numbers, texts)))
        db.executemany("INSERT OR IGNORE INTO below VALUES (?, ?, ?, ?)",
                       ((b, a, nodes[a][0], hops.of(a)) for b, a in links))
        db.commit()
    finally:
        db.close()
    return _publish(tmp, path, current)


def update_index(backend, base: str | os.PathLike, path: str | os.PathLike, documents, current=None) -> Path | None:
    """Write the trace index of ``backend``'s graph to ``path`` from ``base``, the index of the version an
    incremental build changed into this one, where only ``documents`` changed: their nodes, and the links
    whose lower end is theirs (:mod:`cascade.incremental` names them). The same file :func:`write_index`
    writes (a test holds every table equal), from a few reads of the database instead of all of it: at 1M
    tasks, a document added re-read its neighbourhood, where the whole index took 40 CPU s. None, nothing
    written, when ``current()`` turns false or ``base`` is no index of this format."""
    path, docs = Path(path), sorted(set(documents))
    current = current or (lambda: True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.unlink(missing_ok=True)
    import shutil

    try:
        shutil.copyfile(base, tmp)
    except OSError:   # gone since it was asked for (a newer version's warming dropped it)
        return None
    db = sqlite3.connect(tmp)
    try:
        if dict(db.execute("SELECT key, value FROM meta")).get("format") != FORMAT:
            raise sqlite3.DatabaseError("not this format")
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        _update(backend, db, docs)
        db.commit()
    except sqlite3.DatabaseError:
        db.close()
        tmp.unlink(missing_ok=True)
        return None
    db.close()
    return _publish(tmp, path, current)


def _publish(tmp: Path, path: Path, current) -> Path | None:
    """``tmp`` made ``path`` at once (a reader sees the whole file or none), unless the graph has a newer
    version since (``current()`` false): then nothing."""
    if not current():
        tmp.unlink(missing_ok=True)
        return None
    os.replace(tmp, path)
    return path


def index_delta(store) -> dict | None:
    """What an incremental build says its version changed (:data:`DELTA_FILE`), or None (a full build's
    version, or one written before it)."""
    import json

    from graph.store import current_version

    version = current_version(store)
    try:
        delta = json.loads((version / DELTA_FILE).read_text(encoding="utf-8")) if version is not None else None
    except (OSError, ValueError):
        return None
    return delta if isinstance(delta, dict) and delta.get("from") and isinstance(delta.get("documents"), list) else None


def _update(backend, db: sqlite3.Connection, docs: list[str]) -> None:
    """:func:`update_index`'s change of the open copy ``db``: the changed documents' rows replaced, and the
    ``hops`` of every document one of whose sections a link now names, or no longer names, walked again."""
    ids = {"ids": docs}
    doc_rows = backend.rows("UNWIND $ids AS i MATCH (d:Document {id: i}) RETURN d.id, d.level, d.title", ids, chunk="ids")[1]
    nodes: dict[str, tuple[str, str]] = {i: (i, "D") for i, _, _ in doc_rows}
    tasks = backend.columns("MATCH (n:Task) WHERE n.doc_id IN $ids RETURN n.id, n.doc_id, n.number, n.text_norm", ids)
    sections = backend.columns("MATCH (n:Section) WHERE n.doc_id IN $ids RETURN n.id, n.doc_id, n.title", ids)
    nodes.update((i, (d, "T")) for i, d in zip(tasks[0], tasks[1]))
    nodes.update((i, (d, "S")) for i, d in zip(sections[0], sections[1]) if i not in nodes)
    links = backend.columns("MATCH (a:Task)-[r:DERIVED_FROM]->(b) WHERE a.doc_id IN $ids AND "
                            "coalesce(r.status, 'proposed') <> 'rejected' RETURN a.id, b.id", ids)

    def held(i: str) -> tuple | None:   # (doc, kind) of a node the index holds and no changed document owns
        return db.execute("SELECT doc, kind FROM node WHERE id = ?", (i,)).fetchone()

    kinds = {}
    for b in set(links[1]):
        kinds[b] = nodes.get(b) or held(b)
    links = sorted((b, a) for a, b in zip(*links) if a in nodes and kinds.get(b) is not None)
    db.execute("CREATE TEMP TABLE changed(id TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO changed VALUES (?)", ((d,) for d in docs))
    # the sections whose being named may turn: those the changed documents' links named, before and now
    old = db.execute("SELECT DISTINCT b.upper, n.doc FROM below b JOIN changed c ON b.lower_doc = c.id "
                     "JOIN node n ON n.id = b.upper WHERE n.kind = 'S'").fetchall()
    turning = dict(old)
    turning.update((b, kinds[b][0]) for b, _ in links if kinds[b][1] == "S")
    named_before = {s for s in turning if _named(db, s)}
    gone = [i for (i,) in db.execute("SELECT n.id FROM node n JOIN changed c ON n.doc = c.id") if i not in nodes]
    for table, column in (("node", "doc"), ("below", "lower_doc"), ("doc", "id")):
        db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM changed)")
    for k in range(0, len(gone), _CHUNK):   # links of unchanged documents to a node gone (none if the plan is whole)
        part = gone[k:k + _CHUNK]
        db.execute(f"DELETE FROM below WHERE upper IN ({','.join('?' * len(part))})", part)
    uppers: dict[str, str] = {}
    for b, a in links:
        uppers[a] = uppers[a] + _SEP + b if a in uppers else b
    db.executemany("INSERT INTO doc VALUES (?, ?, ?)", sorted(doc_rows))
    db.executemany("INSERT OR IGNORE INTO node VALUES (?, ?, ?, ?, ?, ?, NULL)",
                   [(i, i, "D", None, title, uppers.get(i)) for i, _, title in sorted(doc_rows)]
                   + [(i, d, "T", n, t, uppers.get(i)) for i, d, n, t in zip(*tasks)]
                   + [(i, d, "S", None, t, uppers.get(i)) for i, d, t in zip(*sections)])
    db.executemany("INSERT OR IGNORE INTO below VALUES (?, ?, ?, NULL)", ((b, a, nodes[a][0]) for b, a in links))
    walk_again = {d for d, _ in nodes.values()} | {turning[s] for s in turning if (s in named_before) != _named(db, s)}
    _rewrite_hops(backend, db, sorted(walk_again))


def _named(db: sqlite3.Connection, node: str) -> bool:
    return db.execute("SELECT 1 FROM below WHERE upper = ? LIMIT 1", (node,)).fetchone() is not None


def _rewrite_hops(backend, db: sqlite3.Connection, docs: list[str]) -> None:
    """Every ``hops`` of the nodes of ``docs`` (theirs and the links' under them) walked again from the
    database's containment and the index's links, as :func:`write_index` walks them."""
    if not docs:
        return
    ids = {"ids": docs}
    nodes = {d: (d, "D") for d in docs}
    for label, kind in (("Task", "T"), ("Section", "S")):
        found = backend.columns(f"MATCH (n:{label}) WHERE n.doc_id IN $ids RETURN n.id, n.doc_id", ids)
        nodes.update((i, (d, kind)) for i, d in zip(*found) if i not in nodes)
    container: dict[str, str] = {}
    for label in ("Task", "Section"):
        for a, b in zip(*backend.columns(f"MATCH (a)-[:CONTAINS]->(b:{label}) WHERE b.doc_id IN $ids "
                                         "RETURN a.id, b.id", ids)):
            if a in nodes and b in nodes:
                container.setdefault(b, a)
    named = {i for i, (_, kind) in nodes.items() if kind == "S" and _named(db, i)}
    hops = _Hops(nodes, container, named)
    db.executemany("UPDATE node SET hops = ? WHERE id = ?", ((hops.of(i), i) for i in nodes))
    # their links' rows again, by key (``below`` is keyed by the upper end: one scan finds them all)
    db.execute("CREATE TEMP TABLE walked(id TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO walked VALUES (?)", ((d,) for d in docs))
    rows = db.execute("SELECT upper, lower FROM below WHERE lower_doc IN (SELECT id FROM walked)").fetchall()
    db.executemany("UPDATE below SET hops = ? WHERE upper = ? AND lower = ?", ((hops.of(a), b, a) for b, a in rows))


_SEP = "\x1f"   # between the ids of a node's uppers (the unit separator: no id holds it)


class _Hops:
    """Each node's containers a walk down goes on from: those that are tasks or that some link names,
    with their distance in steps, as ``id,steps,kind`` joined by :data:`_SEP` (None when none, as for
    nearly every node); computed once per container, which many tasks share."""

    def __init__(self, nodes: dict, container: dict, named: set):
        self.nodes, self.container, self.named = nodes, container, named
        self._memo: dict[str, tuple] = {}

    def _from(self, node: str) -> tuple:
        """``((id, steps, kind), ...)`` of ``node`` and its containers, steps counted from ``node``."""
        chain, here = [], node
        while here is not None and here not in self._memo:
            chain.append(here)
            here = self.container.get(here)
            if here in chain:
                here = None
        tail = self._memo.get(here, ())
        for n in reversed(chain):
            kind = self.nodes[n][1]
            own = ((n, 0, kind),) if kind == "T" or n in self.named else ()
            tail = own + tuple((i, s + 1, k) for i, s, k in tail)
            self._memo[n] = tail
        return self._memo[node]

    def of(self, node: str) -> str | None:
        c = self.container.get(node)
        if c is None:
            return None
        found = self._from(c)
        return _SEP.join(f"{i},{s + 1},{k}" for i, s, k in found) if found else None


class TraceIndex:
    """A reader of one trace index (:func:`write_index`)."""

    def __init__(self, path: str | os.PathLike, shared: bool = False):
        # shared: used from several threads (SQLite serializes a connection's calls in this build, see
        # sqlite3.threadsafety)
        self._db = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True,
                                   check_same_thread=not (shared and sqlite3.threadsafety == 3))
        self._db.execute(f"PRAGMA mmap_size={_MMAP}")
        if dict(self._db.execute("SELECT key, value FROM meta")).get("format") != FORMAT:
            self._db.close()
            raise ValueError(f"{path}: not a trace index of format {FORMAT}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _node(self, node: str) -> tuple | None:
        """``(doc, kind, number, text, uppers, hops)`` of a node, or None."""
        return self._db.execute("SELECT doc, kind, number, text, uppers, hops FROM node WHERE id = ?",
                                (node,)).fetchone()

    def search(self, what: str) -> list[dict] | None:
        """:func:`queries.trace_store.search_tasks` when ``what`` is a task's id, else None."""
        found = self._node(what)
        if found is None or found[1] != "T":
            return None
        return [{"task": what, "doc_id": found[0], "text": found[3]}]

    def trace(self, task: str, offset: int = 0, limit: int | None = None) -> dict | None:
        """:func:`queries.trace_store.trace` of ``task`` without ``source``; None when it is no task."""
        me = self._node(task)
        if me is None or me[1] != "T":
            return None
        nodes = {task: {"doc_id": me[0], "number": me[2], "text": me[3]}}
        up, seen, here = [], {task}, me
        while True:   # queries.trace_store._up: the first upper (by id) of each step not yet seen
            step = next((i for i in (here[4] or "").split(_SEP) if i and i not in seen), None)
            here = self._node(step) if step is not None else None
            if here is None:
                break
            seen.add(step)
            up.append(step)
            nodes[step] = {"doc_id": here[0], "number": here[2] if here[1] == "T" else None, "text": here[3]}
        below = sorted(self._below(task, me))
        page = below[offset:None if limit is None else offset + limit]
        found = {}
        ids = [t for _, t in page]
        for k in range(0, len(ids), _CHUNK):
            part = ids[k:k + _CHUNK]
            found.update((i, (n, t)) for i, n, t in self._db.execute(
                f"SELECT id, number, text FROM node WHERE id IN ({','.join('?' * len(part))})", part))
        names = sorted({d for d, _ in page} | {n["doc_id"] for n in nodes.values()} - {None})
        documents = {}
        for k in range(0, len(names), _CHUNK):
            part = names[k:k + _CHUNK]
            documents.update((i, {"level": level, "title": title}) for i, level, title in self._db.execute(
                f"SELECT id, level, title FROM doc WHERE id IN ({','.join('?' * len(part))})", part))
        down = [{"task": t, "doc_id": d, "level": documents.get(d, {}).get("level"), "number": found[t][0],
                 "text": found[t][1]} for d, t in page]
        return {"task": task, "up": up, "down": down, "total": len(below), "offset": offset, "nodes": nodes,
                "documents": dict(sorted(documents.items()))}

    def _below(self, task: str, me: tuple) -> set[tuple[str, str]]:
        """``(doc, task)`` of every task the saved trace query finds below ``task``: within :data:`_STEPS`
        steps, each a link not rejected (from its lower end to its upper) or a containment (from a section
        to what it contains: a link to a section containing the task takes it up too); walked by
        shortest distance."""
        dist: dict[str, int] = {task: 0}
        found: dict[str, tuple[str, str]] = {}   # id -> (kind, doc)
        levels: list[list[str]] = [[task]] + [[] for _ in range(_STEPS)]

        def reach(node: str, steps: int, kind: str, doc: str) -> bool:
            if steps > _STEPS or steps >= dist.get(node, _STEPS + 1):
                return False
            dist[node] = steps
            found[node] = (kind, doc)
            levels[steps].append(node)
            return True

        for c, j, kind in _read_hops(me[5]):   # the task's own containers
            reach(c, j, kind, me[0])
        for d in range(_STEPS):
            ids = [i for i in levels[d] if dist[i] == d]
            for k in range(0, len(ids), _CHUNK):
                part = ids[k:k + _CHUNK]
                for low, low_doc, hops in self._db.execute(
                        f"SELECT lower, lower_doc, hops FROM below WHERE upper IN ({','.join('?' * len(part))})", part):
                    if reach(low, d + 1, "T", low_doc) and hops:
                        for c, j, kind in _read_hops(hops):
                            reach(c, d + 1 + j, kind, low_doc)
        return {(doc, i) for i, (kind, doc) in found.items() if kind == "T"}


def _read_hops(text: str | None) -> list[tuple[str, int, str]]:
    out = []
    for item in (text or "").split(_SEP):
        if item:
            i, steps, kind = item.rsplit(",", 2)
            out.append((i, int(steps), kind))
    return out


def open_index(path: str | os.PathLike, shared: bool = False) -> TraceIndex | None:
    """The index at ``path``, or None when there is none (not written yet) or it is not one."""
    try:
        return TraceIndex(path, shared) if Path(path).is_file() else None
    except (sqlite3.Error, ValueError):
        return None
