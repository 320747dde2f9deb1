"""The store: the graph as JSON and as an embedded Cypher database (LadybugDB), saved atomically.

Layout of a store folder (default ``.cascade/``)::

    CURRENT            the name of the version in use (replaced atomically)
    v-<stamp>/         one complete version: graph.json, cascade.lbdb, meta.json

A build writes a new version beside the old one and only then points ``CURRENT`` at it, so a build
killed at any moment leaves the previous store whole. Old versions are removed afterwards.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import networkx as nx

from cascade.errors import StoreError

from .export import from_json_dict, write_atomic

__all__ = ["save", "load_graph", "current_version", "open_database", "SCHEMA_DDL", "DEFAULT_STORE"]

DEFAULT_STORE = ".cascade"
STORE_FORMAT = 1

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


def _write_database(G: nx.MultiDiGraph, path: Path) -> None:
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


def _write_json(G: nx.MultiDiGraph, path: Path) -> None:
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


def current_version(store: str | os.PathLike) -> Path | None:
    store = Path(store)
    try:
        name = (store / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = store / name
    return path if name and path.is_dir() else None


def save(G: nx.MultiDiGraph, store: str | os.PathLike = DEFAULT_STORE, meta: dict | None = None) -> Path:
    """Write the graph as a new version of the store and make it current. Returns its folder."""
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    version = store / f"v-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    partial = Path(str(version) + ".partial")
    partial.mkdir()
    try:
        _write_json(G, partial / "graph.json")
        _write_database(G, partial / "cascade.lbdb")
        info = {"format": STORE_FORMAT, "nodes": G.number_of_nodes(), "relationships": G.number_of_edges()}
        info.update(meta or {})
        write_atomic(partial / "meta.json", json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True))
        os.replace(partial, version)
        write_atomic(store / "CURRENT", version.name + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in store.iterdir():
        if old.is_dir() and old.name.startswith("v-") and old != version:
            shutil.rmtree(old, ignore_errors=True)
    return version


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of the store's current version."""
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first")
    try:
        data = json.loads((version / "graph.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{version / 'graph.json'}: unreadable store ({err})") from err
    return from_json_dict(data)


def database_path(store: str | os.PathLike = DEFAULT_STORE) -> Path:
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first")
    return version / "cascade.lbdb"


def open_database(store: str | os.PathLike = DEFAULT_STORE):
    """A read-only connection to the store's embedded database (the engine itself refuses writes)."""
    import ladybug

    path = database_path(store)
    try:
        db = ladybug.Database(str(path), read_only=True)
    except RuntimeError as err:
        raise StoreError(f"{path}: cannot open the embedded database ({err})") from err
    return db, ladybug.Connection(db)
