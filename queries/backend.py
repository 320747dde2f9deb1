"""Where the saved queries run: the embedded store, or a Bolt server that `cascade push` filled.

``open_backend(store)`` opens the embedded store, unless ``CASCADE_BOLT_URI`` is set: then a Bolt server
(login from ``CASCADE_BOLT_USER`` / ``CASCADE_BOLT_PASSWORD``, database from ``CASCADE_BOLT_DATABASE``;
the password is never printed). Both answer the same saved queries of ``queries/cypher/`` in pages:
the saved text is the whole-result query, ending in its ORDER BY; a page is that text with
``SKIP $skip LIMIT $limit`` appended, and its total the same match counted (``WITH … RETURN count(*)``),
so the store does the paging and Python never holds more than one page.

A total is the whole query counted, kept per version of the graph (:func:`_totals`).

The saved gaps query reads the gap rows the store keeps (:mod:`graph.gap_rows`), the saved
not_assessable query its not-assessable rows (:mod:`graph.not_assessable_rows`), the saved
local_additions query its local-addition rows (:mod:`graph.local_addition_rows`): a page of each sorts
a table of rows, not a join of the whole graph (which at a nation-year is seconds: the store must finish
an ORDER BY before it can skip). A store or a server written before it kept them holds none, which
would read as "no gaps": there the query fails, saying to build or push again (:meth:`Backend.holds_rows`).
"""
from __future__ import annotations

import os
import re
import threading
from typing import Iterator

from core.errors import QueryError

# The rows a store derives for a saved query that reads them (its first MATCH labels them): what they
# are called in an error, and its key (``<key>_server`` on a server). The labels as graph.gap_rows,
# graph.not_assessable_rows and graph.local_addition_rows name them, written out: importing those modules would import networkx into
# every reader (tests/test_not_assessable_rows.py checks the message on a store without the rows).
_KEPT_ROWS = {"Gap": ("gap rows", "no_gap_rows"), "NotAssessable": ("not-assessable rows", "no_not_assessable_rows"),
              "LocalAddition": ("local-addition rows", "no_local_addition_rows")}

__all__ = ["Backend", "open_backend", "paged_query", "count_query", "filtered_query", "BOLT_ENV", "GRAPH_TASKS_ENV",
           "graph_tasks_limit"]

BOLT_ENV = "CASCADE_BOLT_URI"
BOLT_REQUEST_BYTES = 2_000   # a list parameter's share of a Bolt request (FalkorDB fails past about 4 KB)
GRAPH_TASKS_ENV = "CASCADE_GRAPH_TASKS"


def graph_tasks_limit() -> int:
    """Above this many tasks a page or a command asks the store instead of loading the graph. Measured in
    a fresh process (bench/app_render.py): at 9,593 tasks the app's first run loading the graph takes
    2.3 s and its slowest page 1.8 s; at 96,066 tasks 14–16 s and 42 s (the Cascade page), where the
    store answers every page in 0.8–1.5 s at ten times that size. Every page has a store mode, so the
    graph is loaded only where it answers about as fast."""
    return int(os.environ.get(GRAPH_TASKS_ENV) or 20_000)


_LAST_RETURN = re.compile(r"\bRETURN\b(?![\s\S]*\bRETURN\b)", re.I)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b[\s\S]*$", re.I)
_TOTALS: dict[tuple, int] = {}             # (graph version, query, parameters) → total; see _totals


def _saved(name: str) -> str:
    from queries.cypher import saved_queries

    saved = saved_queries()
    if name not in saved:
        raise QueryError(f"no saved query named {name!r} (known: {', '.join(sorted(saved))})")
    return saved[name]["query"]


def _body(query: str) -> str:
    # Comments go first: a comment's "RETURN" or "ORDER BY" is not the query's.
    return re.sub(r"//[^\n]*", "", query).rstrip().rstrip(";")


def paged_query(query: str, limit: int | None) -> str:
    """The saved query with its page clauses (ORDER BY already ends every saved query).

    >>> paged_query("MATCH (t:Task) RETURN t.id AS id ORDER BY id", 10).split()[-4:]
    ['SKIP', '$skip', 'LIMIT', '$limit']
    """
    body = _body(query)
    if not _ORDER_BY.search(body[_LAST_RETURN.search(body).start():]):
        raise QueryError("a paged query needs an ORDER BY, or its pages would overlap")
    return body + "\nSKIP $skip" + ("\nLIMIT $limit" if limit is not None else "")


def count_query(query: str) -> str:
    """The number of rows the saved query returns, counted by the store.

    >>> count_query("MATCH (t:Task) RETURN DISTINCT t.id AS id ORDER BY id")
    'MATCH (t:Task) WITH DISTINCT t.id AS id\\nRETURN count(*) AS total'
    """
    body = _body(query)
    m = _LAST_RETURN.search(body)
    tail = _ORDER_BY.sub("", body[m.end():]).rstrip()
    return body[:m.start()] + "WITH" + tail + "\nRETURN count(*) AS total"


def filtered_query(query: str, equal: dict | None = None, contains: dict | None = None) -> tuple[str, dict]:
    """The saved query keeping only the rows whose columns equal ``equal``'s values and hold
    ``contains``' text; the filter applies to the answer's columns (after its aggregates), so any saved
    query filters the same way on either backend. Returns the text and its parameters.

    >>> filtered_query("MATCH (u:Unit) RETURN u.id AS unit, u.level AS level ORDER BY unit",
    ...                {"level": "city"}, {"unit": "局"})[0].splitlines()[1:]
    ['WHERE level = $filter0 AND unit CONTAINS $filter1', 'RETURN unit, level', 'ORDER BY unit']
    """
    body = _body(query)
    m = _LAST_RETURN.search(body)
    tail = body[m.end():]
    order = _ORDER_BY.search(tail)
    projection = (tail[:order.start()] if order else tail).rstrip()
    columns = re.findall(r"\bAS\s+(\w+)\s*(?=,|$)", projection, re.I)
    conditions, params = [], {}
    for op, given in (("=", equal or {}), ("CONTAINS", contains or {})):
        for column, value in given.items():
            if column not in columns:
                raise QueryError(f"no column {column!r} to filter on (the query returns {', '.join(columns)})")
            conditions.append(f"{column} {op} $filter{len(params)}")
            params[f"filter{len(params)}"] = value
    if not conditions:
        return query, {}
    text = (body[:m.start()] + "WITH" + projection + "\nWHERE " + " AND ".join(conditions)
            + "\nRETURN " + ", ".join(columns) + ("\n" + order.group(0) if order else ""))
    return text, params


class Backend:
    """One connection to where the graph is; ``kind`` is "embedded" or "bolt"."""

    def __init__(self, store=None, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None):
        self.kind = "bolt" if uri else "embedded"
        self.store = store
        self._database = database
        self._kept: dict[str, bool] = {}   # holds_rows, asked once a label
        if uri:
            self._driver = _driver(uri, user, password)
            self.where = _safe(uri)
        else:
            from graph.store import database_path, open_database

            self._db, self._conn = open_database(store)
            self.where = str(database_path(store))

    def close(self) -> None:
        if self.kind != "bolt":   # a Bolt driver is the process's (_driver), kept for the next backend
            self._conn.close()
            self._db.close()

    def release(self) -> None:
        """Give back the memory the embedded engine keeps after a query (its buffer pool holds the pages
        every scan read: a few passes over a nation-year's tables held 3.7 GB) by opening the store
        again; a Bolt server's memory is the server's."""
        if self.kind == "embedded":
            from graph.store import open_database

            self._conn.close()
            self._db.close()
            self._db, self._conn = open_database(self.store)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def version(self) -> str:
        """What changes when the graph does: the key a cache of answers is kept under."""
        if self.kind == "bolt":
            pushed = self.pushed_version()
            if pushed:
                return f"bolt:{self.where}:{pushed}"
            # A push that did not complete, or an older tool's, says no version; the graph's size is
            # the cheapest signal a re-push changes.
            n = self.rows("MATCH (n) RETURN count(n) AS c")[1][0][0]
            r = self.rows("MATCH ()-[r]->() RETURN count(r) AS c")[1][0][0]
            return f"bolt:{self.where}:{n}:{r}"
        from graph.store import database_path

        st = database_path(self.store).stat()
        return f"embedded:{self.where}:{st.st_mtime_ns}:{st.st_size}"

    def pushed_version(self, owner: str | None = None) -> str | None:
        """The content version of the graph `cascade push` wrote to this Bolt server, once that push
        completed (its ``:CascadePush`` marker, :func:`graph.push.push`); None on the embedded store, or
        when no complete push says one."""
        if self.kind != "bolt":
            return None
        from graph.push import DEFAULT_OWNER, MARKER_LABEL

        rows = self.rows(f"MATCH (m:{MARKER_LABEL}) WHERE m.owner = $owner RETURN m.version, m.complete",
                         {"owner": owner or DEFAULT_OWNER})[1]
        if len(rows) != 1 or not rows[0][0] or rows[0][1] is not True:
            return None
        return str(rows[0][0])

    def pushed_answer(self, key: str, version: str) -> str | None:
        """The JSON text of the answer ``key`` that `cascade push` kept on this server for ``version``
        (its pieces joined), or None when the server has not all of it."""
        if self.kind != "bolt":
            return None
        from graph.push import ANSWER_LABEL

        rows = self.rows(f"MATCH (a:{ANSWER_LABEL}) WHERE a.key = $key AND a.version = $version "
                         "RETURN a.i, a.n, a.text ORDER BY a.i", {"key": key, "version": version})[1]
        if not rows or [r[0] for r in rows] != list(range(rows[0][1])):
            return None
        return "".join(r[2] for r in rows)

    def stream(self, query: str, params: dict | None = None) -> tuple[list[str], Iterator[list]]:
        """Columns and an iterator over the rows, read from the store as they are consumed."""
        from queries.cypher import check_read_only

        check_read_only(query)
        params = params or {}
        if self.kind == "bolt":
            from neo4j.exceptions import Neo4jError

            # Not default_access_mode="READ": FalkorDB then answers from an empty graph (0 nodes after
            # a push). check_read_only above is what keeps this session reading.
            session = self._driver.session(database=self._database)
            try:
                result = session.run(query, **params)
                columns = list(result.keys())
            except Neo4jError as err:
                session.close()
                raise QueryError(f"{self.where}: the server refused the query "
                                 f"({(err.message or err.code or '').splitlines()[0]})") from None

            def rows():
                try:
                    for record in result:
                        yield list(record.values())
                except Neo4jError as err:
                    raise QueryError(f"{self.where}: the server failed the query "
                                     f"({(err.message or err.code or '').splitlines()[0]})") from None
                finally:
                    session.close()

            return columns, rows()
        try:
            result = self._conn.execute(query, params)
        except RuntimeError as err:
            raise QueryError(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
        if isinstance(result, list):
            result = result[-1]

        def rows():
            while result.has_next():
                yield result.get_next()

        return result.get_column_names(), rows()

    def rows(self, query: str, params: dict | None = None, chunk: str | None = None) -> tuple[list[str], list[list]]:
        """Columns and every row. ``chunk``: a list parameter the query only filters by (each row comes
        from one of its items, no aggregate across them); on a Bolt server it is sent in pieces under
        :data:`BOLT_REQUEST_BYTES`, since FalkorDB drops a larger request and stops answering."""
        values = (params or {}).get(chunk) if chunk else None
        if self.kind != "bolt" or not values or len(repr(values).encode("utf-8")) <= BOLT_REQUEST_BYTES:
            columns, it = self.stream(query, params)
            return columns, list(it)
        pieces, size = [[]], 0
        for v in values:
            cost = len(repr(v).encode("utf-8")) + 2
            if pieces[-1] and size + cost > BOLT_REQUEST_BYTES:
                pieces.append([])
                size = 0
            pieces[-1].append(v)
            size += cost
        columns, out = [], []
        for piece in pieces:
            columns, it = self.stream(query, {**params, chunk: piece})
            out += list(it)
        return columns, out

    def columns(self, query: str, params: dict | None = None) -> list[list]:
        """Every row of a query as one list per column: on the embedded store read as Arrow columns, several
        times faster than row by row for a whole table (1M tasks: 0.8 s against 3.4 s)."""
        if self.kind == "bolt":
            columns, it = self.stream(query, params)
            return [list(c) for c in zip(*it)] or [[] for _ in columns]
        from queries.cypher import check_read_only

        check_read_only(query)
        try:
            result = self._conn.execute(query, params or {})
        except RuntimeError as err:
            raise QueryError(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
        table = result.get_as_arrow(chunk_size=-1)
        return [table.column(i).to_pylist() for i in range(table.num_columns)]

    def batches(self, query: str, rows: int = 100_000) -> Iterator[list[list]]:
        """The rows of a query as column lists of at most ``rows`` rows each: a whole table's texts without
        all of them in Python at once (on the embedded store the engine's Arrow result is cut in batches)."""
        if self.kind == "bolt":
            columns, it = self.stream(query)
            chunk = []
            for r in it:
                chunk.append(r)
                if len(chunk) >= rows:
                    yield [list(c) for c in zip(*chunk)]
                    chunk = []
            if chunk:
                yield [list(c) for c in zip(*chunk)]
            return
        from queries.cypher import check_read_only

        check_read_only(query)
        try:
            table = self._conn.execute(query).get_as_arrow(chunk_size=rows)
        except RuntimeError as err:
            raise QueryError(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
        for batch in table.to_batches(max_chunksize=rows):
            yield [batch.column(i).to_pylist() for i in range(batch.num_columns)]

    def page(self, name: str, skip: int = 0, limit: int | None = None, equal: dict | None = None,
             contains: dict | None = None, **params) -> tuple[list[str], Iterator[list]]:
        """One page of a saved query, in its ORDER BY: rows ``skip`` … ``skip + limit``; with ``equal`` /
        ``contains``, of the rows :func:`filtered_query` keeps."""
        if skip < 0 or (limit is not None and limit < 0):
            raise QueryError("offset and limit must be 0 or more")
        saved = _saved(name)
        self._check_rows(saved)
        query, filters = filtered_query(saved, equal, contains)
        params = {**params, **filters, "skip": int(skip)}
        if limit is not None:
            params["limit"] = int(limit)
        return self.stream(paged_query(query, limit), params)

    def holds_gap_rows(self) -> bool:
        """Whether the store, or the graph pushed to the server, holds its gap rows (:mod:`graph.gap_rows`):
        the embedded store has their table (a store with no gap has it empty); a server's complete push
        says it sent them (:func:`graph.push.push`)."""
        from graph.gap_rows import GAP_LABEL

        return self.holds_rows(GAP_LABEL)

    def holds_rows(self, label: str) -> bool:
        """Whether the store, or the graph pushed to the server, holds the rows of ``label`` it derives for
        a saved query (``Gap``, ``NotAssessable``), as :meth:`holds_gap_rows` says of the gap rows."""
        if label not in self._kept:
            if self.kind == "bolt":
                from graph.push import DEFAULT_OWNER, MARKER_LABEL, MARKER_ROWS

                rows = self.rows(f"MATCH (m:{MARKER_LABEL}) WHERE m.owner = $owner "
                                 f"RETURN m.complete, m.`{MARKER_ROWS[label]}`", {"owner": DEFAULT_OWNER})[1]
                self._kept[label] = len(rows) == 1 and rows[0][0] is True and rows[0][1] is True
            else:
                self._kept[label] = label in {r[0] for r in self.rows("CALL show_tables() RETURN name")[1]}
        return self._kept[label]

    def _check_rows(self, saved: str) -> None:
        """A saved query that reads rows the store derives (gap, not-assessable rows) fails where they are
        not kept (the module doc)."""
        m = re.match(r"\s*MATCH\s*\(\s*\w+\s*:\s*(\w+)\s*\)", _body(saved))
        if m is None or m.group(1) not in _KEPT_ROWS or self.holds_rows(m.group(1)):
            return
        what, key = _KEPT_ROWS[m.group(1)]
        server = self.kind == "bolt"
        raise QueryError(f"{self.where}: " + (f"the graph on this server was pushed without its {what}; push it "
                                              "again" if server else f"this store was written before it kept its "
                                              f"{what}; build it again"),
                         key=f"{key}_server" if server else key, where=self.where)

    def total(self, name: str, equal: dict | None = None, contains: dict | None = None, **params) -> int:
        """How many rows the whole saved query has, filtered as :meth:`page` (counted by the store, once
        per version of the graph)."""
        saved = _saved(name)
        self._check_rows(saved)
        query, filters = filtered_query(saved, equal, contains)
        params = {**params, **filters}
        return _totals(self, count_query(query), params)

    def table(self, name: str, skip: int = 0, limit: int | None = None, equal: dict | None = None,
              contains: dict | None = None, **params) -> tuple[int, list[dict]]:
        """(total, one page of rows as dicts) of a saved query, filtered as :meth:`page`."""
        total = self.total(name, equal, contains, **params)
        if total <= skip:   # nothing to find: no second query
            return total, []
        columns, rows = self.page(name, skip, limit, equal, contains, **params)
        return total, [dict(zip(columns, r)) for r in rows]

    def trace(self, task: str, skip: int = 0, limit: int | None = None) -> tuple[int, list[dict]]:
        """The lower tasks that take up ``task``, at any depth: (total, one page of rows as dicts), the
        saved ``trace`` query's rows in its order.

        On the embedded store the tasks are found by :data:`_TRACE_EMBEDDED` (3-4 times faster at 1M) and
        kept per version, and only the page's are read; a Bolt server runs the saved query."""
        if self.kind == "bolt":
            return self.table("trace", skip, limit, task=task)
        if skip < 0 or (limit is not None and limit < 0):
            raise QueryError("offset and limit must be 0 or more")
        key = (self.version(), "trace", task)
        below = _BELOW.get(key)
        if below is None:
            if len(_BELOW) > 64:
                _BELOW.clear()
            below = _BELOW[key] = sorted((doc, t) for t, doc in self.rows(_TRACE_EMBEDDED, {"task": task})[1])
        page = below[skip:None if limit is None else skip + limit]
        # The page's tasks unwound and found by key (8 ms for 200 at 1M, cold): a list of keys tested
        # with IN makes the engine scan every task (1.5 s), and a query per task cost 1.7 ms each.
        found = {t: (number, text) for t, number, text in self.rows(
            "UNWIND $ids AS i MATCH (t:Task {id: i}) RETURN t.id, t.number, t.text_norm", {"ids": [t for _, t in page]})[1]}
        return len(below), [{"task": t, "doc_id": doc, "number": found[t][0], "text": found[t][1]} for doc, t in page]


# The saved trace query (queries/cypher/trace.cypher) as this engine runs it fast: walked from the
# requirement, whose key finds it, not from every task; the rejected links left out while walking, not
# every path of up to eight steps built and tested afterwards; each task reached once, by its shortest
# path (a task within eight steps by some path is within eight by its shortest). Same tasks: a test holds
# them equal to the saved query's. (A task's own trace never returns to it: links only go up a level.)
_TRACE_EMBEDDED = ("MATCH (u:Task {id: $task})<-[:DERIVED_FROM|CONTAINS* SHORTEST 1..8 "
                   "(r, n | WHERE coalesce(r.status, 'proposed') <> 'rejected')]-(t) "
                   "WHERE label(t) = 'Task' RETURN DISTINCT t.id, t.doc_id")
_BELOW: dict[tuple, list] = {}


def _total_key(backend: Backend, query: str, params: dict) -> tuple:
    return backend.version(), query, repr(sorted(params.items()))


def _totals(backend: Backend, query: str, params: dict) -> int:
    """A count query's answer, kept per version of the graph: a saved query's total at a nation-year is
    the whole query's work (seconds), and every page of it asks for the same total."""
    key = _total_key(backend, query, params)
    if key not in _TOTALS:
        if len(_TOTALS) > 256:
            _TOTALS.clear()
        _TOTALS[key] = int(backend.rows(query, params)[1][0][0])
    return _TOTALS[key]


_DRIVERS: dict[tuple, object] = {}
_DRIVERS_LOCK = threading.Lock()
_READERS = 4   # connections a process keeps to a server: the app's sessions ask at once


def _driver(uri: str, user: str | None, password: str | None):
    """One driver per server and login for the whole process: opening one is a handshake and a check
    (0.5 s on FalkorDB), which every page's every answer paid when each backend opened its own; the
    driver keeps its connections and opens them again if the server went away."""
    from graph.push import connect

    key = (uri, user, password)
    with _DRIVERS_LOCK:
        if key not in _DRIVERS:
            _DRIVERS[key] = connect(uri, user, password, connections=_READERS)
        return _DRIVERS[key]


def _safe(uri: str) -> str:
    from graph.push import safe_uri

    return safe_uri(uri)


def open_backend(store=None, env: dict | None = None) -> Backend:
    """The embedded store at ``store``, or the Bolt server ``CASCADE_BOLT_URI`` names."""
    env = os.environ if env is None else env
    uri = env.get(BOLT_ENV)
    if uri:
        return Backend(uri=uri, user=env.get("CASCADE_BOLT_USER", "neo4j"),
                       password=env.get("CASCADE_BOLT_PASSWORD") or None,
                       database=env.get("CASCADE_BOLT_DATABASE") or None)
    return Backend(store=store)


def write_page(backend: Backend, name: str, out, fmt: str = "md", skip: int = 0, limit: int | None = None,
               status: str | None = None, answer: tuple | list | None = None, words=None, **params) -> int:
    """Write one page of a saved query to the text stream ``out`` as rows arrive; returns the rows written.

    ``csv``: a header of the query's columns (with ``status`` first when given), cells safe for
    spreadsheets; ``json``: ``{"total", "offset", "limit", "rows": [...]}``; ``md``: a table under a line
    saying which rows of how many these are. ``answer``: the page already at hand, ``(total, rows as
    dicts)`` as :meth:`Backend.table` gives it (a kept answer); the store is asked only when it is empty.
    ``words``: for ``md``, how a person reads it (this layer knows no catalogue): an object with
    ``head(name, first, last, total)``, ``column(name)`` and ``cell(column, value)``; None: machine keys.
    """
    import json

    from graph.textsafe import spreadsheet_rows

    if answer is not None and answer[1]:
        total, columns, rows = answer[0], list(answer[1][0]), [list(r.values()) for r in answer[1]]
    else:
        total = backend.total(name, **params)
        columns, rows = backend.page(name, skip, limit, **params)
    head = (["status"] if status else []) + list(columns)
    lead = [status] if status else []
    n = 0
    if fmt == "csv":
        spreadsheet_rows(out, [head])
        for r in rows:
            spreadsheet_rows(out, [lead + list(r)])
            n += 1
    elif fmt == "json":
        out.write(json.dumps({"total": total, "offset": skip, "limit": limit}, ensure_ascii=False)[:-1]
                  + ', "rows": [')
        for r in rows:
            out.write(("," if n else "") + "\n " + json.dumps(dict(zip(head, lead + list(r))), ensure_ascii=False,
                                                              default=str))
            n += 1
        out.write("\n]}\n")
    elif fmt == "md":
        cell = words.cell if words is not None else (lambda _column, value: value)
        body = []
        for r in rows:
            body.append("| " + " | ".join(str(cell(k, c) if c is not None else "").replace("|", "\\|").replace("\n", " ")
                                           for k, c in zip(head, lead + list(r))) + " |")
            n += 1
        first = skip + 1 if n else skip
        out.write((words.head(name, skip + 1, skip + n, total) if words is not None   # none: last < first
                   else f"{name}: rows {first}–{skip + n} of {total}") + "\n\n")
        if n:
            shown = [words.column(k) for k in head] if words is not None else head
            out.write("| " + " | ".join(shown) + " |\n|" + "---|" * len(head) + "\n" + "\n".join(body) + "\n")
    else:
        raise QueryError(f"unknown format '{fmt}' (md, csv or json)")
    return n
