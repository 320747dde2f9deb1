"""Bulk writers of a store version: the embedded database (one ``COPY`` per table from Arrow) and
``graph.json`` (streamed). :mod:`graph.store` decides where and when they run; this module only writes.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

__all__ = ["write_database", "write_json", "NODE_COLUMNS", "REL_TABLES", "SCHEMA_DDL", "schema_ddl"]

# Typed tables of the embedded engine. Lists stay lists; dict-valued properties are JSON strings.
NODE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "Document": [("id", "STRING"), ("label", "STRING"), ("title", "STRING"), ("level", "STRING"),
                 ("region", "STRING"), ("year", "INT64"), ("issuer", "STRING"), ("doc_no", "STRING"),
                 ("issued_on", "STRING"), ("cites", "STRING[]"), ("source", "STRING"), ("kind", "STRING"),
                 ("truncated", "BOOLEAN"), ("script", "STRING"), ("format", "STRING"),
                 ("declared", "STRING"), ("warnings", "STRING[]"), ("parents", "STRING[]")],
    "Section": [("id", "STRING"), ("label", "STRING"), ("doc_id", "STRING"), ("number", "STRING"),
                ("title", "STRING"), ("depth", "INT64"), ("scope", "STRING"), ("position", "INT64")],
    "Task": [("id", "STRING"), ("label", "STRING"), ("doc_id", "STRING"), ("number", "STRING"),
             ("text", "STRING"), ("text_norm", "STRING"), ("deadlines", "STRING[]"),
             ("section_id", "STRING"), ("position", "INT64"), ("line", "INT64"),
             ("inherited_units", "BOOLEAN"), ("scope", "STRING")],
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


def _q(name: str) -> str:
    return f"`{name}`"


def schema_ddl() -> list[str]:
    out = []
    for label, cols in NODE_COLUMNS.items():
        body = ", ".join(f"{_q(c)} {t}" for c, t in cols)
        out.append(f"CREATE NODE TABLE {label}({body}, PRIMARY KEY(id))")
    for rel, (pairs, cols) in REL_TABLES.items():
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
        props = "".join(f", {_q(c)} {t}" for c, t in cols)
        out.append(f"CREATE REL TABLE {rel}({ends}{props})")
    return out


SCHEMA_DDL = schema_ddl()


def _cell(value, typ: str):
    if typ == "STRING[]":
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    if typ == "STRING":
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    if typ == "INT64":
        return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if typ == "DOUBLE":
        return float(value) if value is not None else None
    if typ == "BOOLEAN":
        return bool(value) if value is not None else None
    return value


def write_database(G: nx.MultiDiGraph, path: Path) -> None:
    """Bulk-load the graph: one Arrow table per node label and per relationship (type, end labels),
    each written with one ``COPY`` (the engine scans Arrow tables directly; no row-by-row inserts)."""
    import ladybug
    import pyarrow as pa

    arrow_types = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
                   "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string())}
    # One pass over nodes and one over edges (a pass per table costs a scan of the graph each time).
    nodes: dict[str, list] = {label: [] for label in NODE_COLUMNS}
    label_of: dict[str, str] = {}
    for n, d in G.nodes(data=True):
        label = d.get("label")
        if label in nodes:
            nodes[label].append((n, d))
            label_of[n] = label
    edges: dict[tuple[str, str, str], list] = {}
    for u, v, d in G.edges(data=True):
        rel = d.get("type")
        if rel in REL_TABLES:
            key = (rel, label_of.get(u), label_of.get(v))
            if key[1:] in REL_TABLES[rel][0]:
                edges.setdefault(key, []).append((u, v, d))
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        for ddl in SCHEMA_DDL:
            conn.execute(ddl)
        for label, cols in NODE_COLUMNS.items():
            rows = nodes[label]
            if not rows:
                continue
            table = pa.table({c: pa.array([_cell(d.get(c, n if c == "id" else None), t) for n, d in rows],
                                          type=arrow_types[t]) for c, t in cols})
            conn.execute(f"COPY {label} FROM $df", {"df": table})
        for rel, (pairs, cols) in REL_TABLES.items():
            for a, b in pairs:
                group = edges.get((rel, a, b))
                if not group:
                    continue
                data = {"from": pa.array([u for u, _, _ in group], pa.string()),
                        "to": pa.array([v for _, v, _ in group], pa.string())}
                for c, t in cols:
                    data[c] = pa.array([_cell(d.get(c), t) for _, _, d in group], type=arrow_types[t])
                opts = f" (from='{a}', to='{b}')" if len(pairs) > 1 else ""
                conn.execute(f"COPY {rel} FROM $df{opts}", {"df": pa.table(data)})
    finally:
        conn.close()
        db.close()


def write_json(G: nx.MultiDiGraph, path: Path) -> None:
    """graph.json, streamed: the same bytes as a compact ``json.dumps(to_json_dict(G))`` without holding
    the whole document (a copy of the graph as dicts, then as one string) in memory at once.

    Compact because json's C encoder is used only without indent (3× faster on a large graph).
    """
    from .export import _props

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def rel_dict(u, v, d):
        return {"type": d["type"], "start": u, "end": v, "properties": _props(d)}

    edges = sorted(G.edges(data=True), key=lambda e: (e[2]["type"], e[0], e[1]))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"nodes":[')
        for i, (n, d) in enumerate(sorted(G.nodes(data=True), key=lambda x: x[0])):
            fh.write(("," if i else "") + dumps({"id": n, "label": d["label"], "properties": _props(d)}))
        fh.write('],"relationships":[')
        i = 0
        while i < len(edges):
            j = i + 1
            key = (edges[i][2]["type"], edges[i][0], edges[i][1])
            while j < len(edges) and (edges[j][2]["type"], edges[j][0], edges[j][1]) == key:
                j += 1
            group = [rel_dict(*e) for e in edges[i:j]]
            if len(group) > 1:   # parallel edges: by their properties, as to_json_dict orders them
                group.sort(key=lambda r: json.dumps(r["properties"], ensure_ascii=False, sort_keys=True))
            fh.write(("," if i else "") + ",".join(dumps(r) for r in group))
            i = j
        fh.write("]}\n")
        fh.flush()
        os.fsync(fh.fileno())
