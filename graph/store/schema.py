"""The typed tables of the embedded engine (LadybugDB) and how a graph property becomes a cell of one.

The bulk writer (:mod:`graph.store.bulk`) and the incremental build's inserts type their rows here, so
a value reads back the same whichever way it went in.
"""
from __future__ import annotations

import json

from ..gap_rows import GAP_COLUMNS, GAP_LABEL
from ..local_addition_rows import LOCAL_ADDITION_COLUMNS, LOCAL_ADDITION_LABEL
from ..not_assessable_rows import NOT_ASSESSABLE_COLUMNS, NOT_ASSESSABLE_LABEL
from ..workload_rows import WORKLOAD_COLUMNS, WORKLOAD_LABEL, WORKLOAD_REL

__all__ = ["NODE_COLUMNS", "REL_TABLES", "DERIVED_NODE_COLUMNS", "DERIVED_REL_TABLES", "SCHEMA_DDL", "schema_ddl",
           "json_encoder", "value_reader"]

# Typed tables of the embedded engine. Lists stay lists; dict-valued properties are JSON strings.
NODE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "Document": [("id", "STRING"), ("label", "STRING"), ("title", "STRING"), ("level", "STRING"),
                 ("region", "STRING"), ("year", "INT64"), ("issuer", "STRING"), ("doc_no", "STRING"),
                 ("issued_on", "STRING"), ("cites", "STRING[]"), ("source", "STRING"), ("kind", "STRING"),
                 ("truncated", "BOOLEAN"), ("script", "STRING"), ("format", "STRING"),
                 ("declared", "STRING"), ("warnings", "STRING[]"), ("parents", "STRING[]"),
                 ("tier", "STRING"), ("parent_level", "STRING"), ("explains", "STRING"),
                 ("parent_cited", "STRING[]"), ("parse", "STRING")],
    "Section": [("id", "STRING"), ("label", "STRING"), ("doc_id", "STRING"), ("number", "STRING"),
                ("title", "STRING"), ("depth", "INT64"), ("scope", "STRING"), ("position", "INT64"),
                ("sole_requirement", "STRING")],
    "Task": [("id", "STRING"), ("label", "STRING"), ("doc_id", "STRING"), ("number", "STRING"),
             ("text", "STRING"), ("text_norm", "STRING"), ("deadlines", "STRING[]"),
             ("section_id", "STRING"), ("position", "INT64"), ("line", "INT64"),
             ("inherited_units", "BOOLEAN"), ("scope", "STRING"), ("clause", "STRING"),
             ("addressees", "STRING[]"), ("addressed_to", "STRING[]"),
             ("national_only", "BOOLEAN"), ("own_units", "STRING[]"),
             ("lower_work_governments", "STRING[]")],
    "Unit": [("id", "STRING"), ("label", "STRING"), ("name", "STRING"), ("short_name", "STRING"),
             ("region", "STRING"), ("collective", "BOOLEAN"), ("aliases", "STRING[]")],
}
REL_TABLES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "CONTAINS": ([("Document", "Section"), ("Section", "Section"), ("Section", "Task"), ("Document", "Task")],
                 [("order", "INT64")]),
    "ASSIGNED_TO": ([("Task", "Unit")], [("role", "STRING"), ("column", "STRING")]),
    "DERIVED_FROM": ([("Task", "Task"), ("Task", "Section")],
                     [("score", "DOUBLE"), ("method", "STRING"), ("status", "STRING"), ("kind", "STRING"),
                      ("evidence", "STRING"), ("suspect", "BOOLEAN")]),
    "IMPLEMENTS": ([("Document", "Document")], [("via", "STRING")]),
    "ISSUED_BY": ([("Document", "Unit")], []),
    "MEMBER_OF": ([("Unit", "Unit")], [("via", "STRING")]),
    "CONTINUES": ([("Task", "Task"), ("Document", "Document")],
                  [("kind", "STRING"), ("score", "DOUBLE"), ("carried_over", "INT64"), ("new", "INT64"),
                   ("dropped", "INT64")]),
}

# Tables the store derives from the graph for its queries (graph/workload_rows.py, graph/gap_rows.py,
# graph/not_assessable_rows.py, graph/local_addition_rows.py): in the database
# only, never in the graph, its JSON or its exports; apart from NODE_COLUMNS and REL_TABLES, which are
# the graph's own (what the store's counts count and the pages read back as the graph).
DERIVED_NODE_COLUMNS: dict[str, list[tuple[str, str]]] = {WORKLOAD_LABEL: WORKLOAD_COLUMNS, GAP_LABEL: GAP_COLUMNS,
                                                          NOT_ASSESSABLE_LABEL: NOT_ASSESSABLE_COLUMNS,
                                                          LOCAL_ADDITION_LABEL: LOCAL_ADDITION_COLUMNS}
DERIVED_REL_TABLES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    WORKLOAD_REL: ([(WORKLOAD_LABEL, "Unit")], []),
}

# The graph's properties whose values are dicts or lists of dicts: a cell of JSON (cell), decoded when
# the graph is read back (value_reader). And those a node or relationship may not have at all (a section
# holding several requirements has no sole_requirement, a task's CONTINUES no counts): left out when
# empty, as the graph had them. Every other property is on every node of its label, None or not.
JSON_PROPERTIES = {("Document", "declared"), ("Document", "parse"), ("DERIVED_FROM", "evidence")}
OPTIONAL_PROPERTIES = {("Section", "sole_requirement"), ("CONTINUES", "carried_over"), ("CONTINUES", "new"),
                       ("CONTINUES", "dropped")}


def _q(name: str) -> str:
    return f"`{name}`"


def schema_ddl() -> list[str]:
    out = []
    for label, cols in {**NODE_COLUMNS, **DERIVED_NODE_COLUMNS}.items():
        body = ", ".join(f"{_q(c)} {t}" for c, t in cols)
        out.append(f"CREATE NODE TABLE {label}({body}, PRIMARY KEY(id))")
    for rel, (pairs, cols) in {**REL_TABLES, **DERIVED_REL_TABLES}.items():
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
        props = "".join(f", {_q(c)} {t}" for c, t in cols)
        out.append(f"CREATE REL TABLE {rel}({ends}{props})")
    return out


SCHEMA_DDL = schema_ddl()


def cell(value, typ: str):
    if typ == "STRING[]":
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    if typ == "STRING":
        if value is None:
            return None
        return value if isinstance(value, str) else _json_cell(value)
    if typ == "INT64":
        return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if typ == "DOUBLE":
        return float(value) if value is not None else None
    if typ == "BOOLEAN":
        return bool(value) if value is not None else None
    return value


# Columns of text of their own (few repeats): read back as they come, not looked up
_FREE_TEXT = frozenset({"text", "text_norm", "title", "evidence"})

# The one empty list of list properties read back (graph.build shares one the same way: at 1M tasks
# millions of empty lists; never appended to).
_EMPTY: list = []


def value_reader(table: str, column: str, typ: str):
    """A function from a column's cells, as the engine gives them back, to the graph's values (the
    inverse of :func:`cell` for the values the graph holds); ``.optional`` says whether an empty cell
    means the property is absent."""
    if (table, column) in JSON_PROPERTIES:
        # equal cells, one value: the links share their evidence as the linker made it (graph.link); a
        # document's dicts stay its own
        memo: dict[str, object] | None = {} if table == "DERIVED_FROM" else None

        def read(cells: list) -> list:
            if memo is None:
                return [None if c is None else json.loads(c) for c in cells]
            out = []
            for c in cells:
                v = memo.get(c) if c is not None else None
                if v is None and c is not None:
                    v = memo[c] = json.loads(c)
                out.append(v)
            return out
    elif typ == "STRING[]":
        same: dict[str, str] = {}   # the ids and words lists repeat (a unit's id in a million own_units)

        def read(cells: list) -> list:
            return [[same.setdefault(x, x) for x in c] if c else _EMPTY for c in cells]
    elif typ == "STRING" and column not in _FREE_TEXT:
        same = {}   # one string object for each value repeated down the column (labels, levels, numbers)

        def read(cells: list) -> list:
            return [same.setdefault(c, c) if c is not None else None for c in cells]
    else:
        def read(cells: list) -> list:
            return cells
    read.optional = (table, column) in OPTIONAL_PROPERTIES
    return read


def json_encoder(sort_keys: bool = False, separators: tuple[str, str] = (", ", ": ")):
    """``json.JSONEncoder(ensure_ascii=False, sort_keys=…, separators=…).encode`` as one reusable C
    encoder: ``encode`` and ``dumps`` build an encoder per call, most of their cost on a million small
    dicts (the ``evidence`` cells).

    >>> json_encoder(separators=(",", ":"))({"b": [1e-05, None], "a": "汉"})
    '{"b":[1e-05,null],"a":"汉"}'
    """
    plain = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=separators)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return plain.encode
    item_sep, key_sep = separators
    try:
        # no markers: no check for circular references (a property holds none), and no dict shared by
        # the threads that may encode at once
        encoder = make(None, plain.default, json.encoder.encode_basestring, None, key_sep, item_sep, sort_keys,
                       False, True)
        encoder([{"b": 1, "a": [0.5, None, "汉"]}], 0)
    except TypeError:   # another signature: the plain way
        return plain.encode
    return lambda value: "".join(encoder(value, 0))


_json_cell = json_encoder(sort_keys=True)
