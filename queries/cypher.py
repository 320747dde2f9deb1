"""Read-only Cypher on the embedded store.

Two guards: a lexical check that names the refused clause in a clear message, and the engine itself
opened read-only, which refuses any write the check might miss.
"""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import QueryError, ReadOnlyError

__all__ = ["check_read_only", "run_cypher", "saved_queries", "SAVED_DIR"]

SAVED_DIR = Path(__file__).parent / "cypher"

_WRITE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|ALTER|COPY|LOAD\s+EXTENSION|INSTALL|IMPORT|EXPORT|ATTACH|DETACH|"
    r"CHECKPOINT|BEGIN|COMMIT|ROLLBACK|USE|LOAD)\b",
    re.IGNORECASE,
)
_CALL = re.compile(r"\bCALL\b\s*((?:`[^`]*`|[\w.])*)", re.IGNORECASE)
# Procedures that only read (table and schema information).
_READ_PROCS = {"show_tables", "table_info", "show_connection", "db_version", "show_functions", "current_setting"}


# One left-to-right pass: a string may hold "//" and a comment may hold a quote, so neither can be
# blanked before the other ('//' DELETE n hid DELETE when comments went first).
_LITERAL_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?(?:\*/|$)", re.S)


def _strip_literals(query: str, keep_names: bool = False) -> str:
    """The query with string literals, backticked names (unless ``keep_names``) and comments blanked out.

    >>> _strip_literals("MATCH (n) WHERE n.id = '//' DELETE n // CREATE")
    "MATCH (n) WHERE n.id = '  ' DELETE n          "
    """
    def blank(m: re.Match) -> str:
        # Same length out as in, so positions in both forms of a query agree.
        tok = m.group(0)
        if tok[0] == "/":
            return " " * len(tok)
        if keep_names and tok[0] == "`":
            return tok
        return tok[0] + " " * (len(tok) - 2) + tok[-1] if len(tok) > 1 else " "

    return _LITERAL_OR_COMMENT.sub(blank, query)


def check_read_only(query: str) -> None:
    """Raise :class:`ReadOnlyError` for a query that could change the store.

    >>> check_read_only("MATCH (t:Task) WHERE t.text CONTAINS 'CREATE' RETURN count(t)")
    >>> check_read_only("MATCH (t:Task) DETACH DELETE t")
    Traceback (most recent call last):
    ...
    core.errors.ReadOnlyError: refused: DETACH is a write clause; the Cypher console is read-only
    """
    q = _strip_literals(query)
    m = _WRITE.search(q)
    if m:
        raise ReadOnlyError(f"refused: {m.group(1).upper()} is a write clause; the Cypher console is read-only",
                            key="write_clause", clause=m.group(1).upper())
    # Names read with their backticks removed: CALL `threads`=1 is CALL threads=1 to the engine.
    named = _strip_literals(query, keep_names=True)
    for m in _CALL.finditer(q):
        name = _CALL.match(named, m.start()).group(1).replace("`", "")
        if name.lower() not in _READ_PROCS:
            raise ReadOnlyError(f"refused: CALL {name or '(no name)'} is not a read-only procedure")


def run_cypher(store, query: str, parameters: dict | None = None, limit: int | None = None):
    """Run a read-only query on the store; returns ``(columns, rows)``."""
    from graph.store import open_database

    check_read_only(query)
    db, conn = open_database(store)
    try:
        try:
            result = conn.execute(query, parameters or {})
        except RuntimeError as err:
            msg = str(err).splitlines()[0] if str(err) else type(err).__name__
            if "read-only" in msg.lower():
                raise ReadOnlyError(f"refused by the engine: {msg}") from err
            raise QueryError(msg) from err
        if isinstance(result, list):
            result = result[-1]
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append(result.get_next())
            if limit is not None and len(rows) >= limit:
                break
        return columns, rows
    finally:
        conn.close()
        db.close()


def saved_queries() -> dict[str, dict]:
    """The saved queries of ``queries/cypher/``: name → {"title", "query"}.

    The first comment lines of each file say what it answers.
    """
    out = {}
    for path in sorted(SAVED_DIR.glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        title = " ".join(l.lstrip("/ ").strip() for l in text.splitlines() if l.startswith("//"))
        out[path.stem] = {"title": title or path.stem, "query": text}
    return out
