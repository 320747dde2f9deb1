"""Where the saved queries run: the embedded store, or a Bolt server that `cascade push` filled.

``open_backend(store)`` opens the embedded store, unless ``CASCADE_BOLT_URI`` is set: then a Bolt server
(login from ``CASCADE_BOLT_USER`` / ``CASCADE_BOLT_PASSWORD``, database from ``CASCADE_BOLT_DATABASE``;
the password is never printed). Both answer the same saved queries of ``queries/cypher/`` in pages:
the saved text is the whole-result query, ending in its ORDER BY; a page is that text with
``SKIP $skip LIMIT $limit`` appended, and its total the same match counted (``WITH … RETURN count(*)``),
so the store does the paging and Python never holds more than one page.
"""
from __future__ import annotations

import os
import re
from typing import Iterator

from core.errors import QueryError

__all__ = ["Backend", "open_backend", "paged_query", "count_query", "filtered_query", "BOLT_ENV", "GRAPH_TASKS_ENV",
           "graph_tasks_limit"]

BOLT_ENV = "CASCADE_BOLT_URI"
GRAPH_TASKS_ENV = "CASCADE_GRAPH_TASKS"


def graph_tasks_limit() -> int:
    """Above this many tasks a page or a command asks the store instead of loading the graph (about a
    second and 300 MB per 10,000 tasks loaded; a nation-year is a minute and GBs)."""
    return int(os.environ.get(GRAPH_TASKS_ENV) or 100_000)


_LAST_RETURN = re.compile(r"\bRETURN\b(?![\s\S]*\bRETURN\b)", re.I)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b[\s\S]*$", re.I)


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
        if uri:
            from graph.push import connect

            self._driver = connect(uri, user, password)
            self.where = _safe(uri)
        else:
            from graph.store import database_path, open_database

            self._db, self._conn = open_database(store)
            self.where = str(database_path(store))

    def close(self) -> None:
        if self.kind == "bolt":
            self._driver.close()
        else:
            self._conn.close()
            self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def version(self) -> str:
        """What changes when the graph does: the key a cache of answers is kept under."""
        if self.kind == "bolt":
            # The pushed graph carries no version; its size is the cheapest signal a re-push changes.
            n = self.rows("MATCH (n) RETURN count(n) AS c")[1][0][0]
            r = self.rows("MATCH ()-[r]->() RETURN count(r) AS c")[1][0][0]
            return f"bolt:{self.where}:{n}:{r}"
        from graph.store import database_path

        st = database_path(self.store).stat()
        return f"embedded:{self.where}:{st.st_mtime_ns}:{st.st_size}"

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

    def rows(self, query: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        columns, it = self.stream(query, params)
        return columns, list(it)

    def page(self, name: str, skip: int = 0, limit: int | None = None, equal: dict | None = None,
             contains: dict | None = None, **params) -> tuple[list[str], Iterator[list]]:
        """One page of a saved query, in its ORDER BY: rows ``skip`` … ``skip + limit``; with ``equal`` /
        ``contains``, of the rows :func:`filtered_query` keeps."""
        if skip < 0 or (limit is not None and limit < 0):
            raise QueryError("offset and limit must be 0 or more")
        query, filters = filtered_query(_saved(name), equal, contains)
        params = {**params, **filters, "skip": int(skip)}
        if limit is not None:
            params["limit"] = int(limit)
        return self.stream(paged_query(query, limit), params)

    def total(self, name: str, equal: dict | None = None, contains: dict | None = None, **params) -> int:
        """How many rows the whole saved query has, filtered as :meth:`page` (counted by the store)."""
        query, filters = filtered_query(_saved(name), equal, contains)
        return int(self.rows(count_query(query), {**params, **filters})[1][0][0])

    def table(self, name: str, skip: int = 0, limit: int | None = None, equal: dict | None = None,
              contains: dict | None = None, **params) -> tuple[int, list[dict]]:
        """(total, one page of rows as dicts) of a saved query, filtered as :meth:`page`."""
        columns, rows = self.page(name, skip, limit, equal, contains, **params)
        page = [dict(zip(columns, r)) for r in rows]
        return self.total(name, equal, contains, **params), page

    def trace(self, task: str, skip: int = 0, limit: int | None = None) -> tuple[int, list[dict]]:
        """The lower tasks that take up ``task``, at any depth: (total, one page of rows as dicts)."""
        return self.table("trace", skip, limit, task=task)


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
               status: str | None = None, **params) -> int:
    """Write one page of a saved query to the text stream ``out`` as rows arrive; returns the rows written.

    ``csv``: a header of the query's columns (with ``status`` first when given), cells safe for
    spreadsheets; ``json``: ``{"total", "offset", "limit", "rows": [...]}``; ``md``: a table under a line
    saying which rows of how many these are.
    """
    import json

    from graph.textsafe import spreadsheet_rows

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
        body = []
        for r in rows:
            body.append("| " + " | ".join(str(c if c is not None else "").replace("|", "\\|").replace("\n", " ")
                                           for c in lead + list(r)) + " |")
            n += 1
        first = skip + 1 if n else skip
        out.write(f"{name}: rows {first}–{skip + n} of {total}\n\n")
        if n:
            out.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n" + "\n".join(body) + "\n")
    else:
        raise QueryError(f"unknown format '{fmt}' (md, csv or json)")
    return n
