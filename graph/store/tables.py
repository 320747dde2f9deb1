"""The graph read back from the store's database.

The engine's tables hold the whole graph, every node and relationship with every property (the schema
of :mod:`graph.store.schema`), and every version's database is whole: a full build copies the graph in,
an incremental build changes it in one transaction. So the database is the store's one copy of the
graph; a version keeps no second one as JSON (a nation-year's ``graph.json`` was 2 GB, written in 36 s
of a 1M build and read back in over a minute and 10 GB).

The graph read here equals the one that was saved (``to_json_dict`` of both is the same): nodes are
added by id and relationships by type, start and end (the order ``graph.json`` had), cells go back to
the graph's values (:func:`graph.store.schema.value_reader`: JSON-valued properties decoded, an
optional property left out when empty, a value repeated down a column one object), every id is one
string object, and the structural relationships share their attribute and key dicts as the builder
shares them (:class:`graph.build.GraphWriter`; at 1M tasks 6.8 → 4.6 GB at the reader's peak).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator

import networkx as nx

from core.errors import StoreError

from ..build import SHARED_PROPS, GraphWriter
from ..export.json import shared_attrs
from ..gcutil import gc_paused
from .schema import NODE_COLUMNS, REL_TABLES, value_reader
from .versions import DEFAULT_STORE, current_version, open_path

__all__ = ["load_graph", "load_version", "read_graph", "read_records"]

# Rows converted to Python at a time: a million tasks' texts as Python strings and as Arrow at once
# would double the stage's memory for nothing.
_BATCH = 100_000


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of the store's current version."""
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
    return load_version(version)


def load_version(version: Path) -> nx.MultiDiGraph:
    return read_graph(version / "cascade.lbdb")


def read_graph(path: Path) -> nx.MultiDiGraph:
    """The graph the database at ``path`` holds."""
    db, conn = open_path(path)
    try:
        with gc_paused():
            return _read_graph(conn)
    except RuntimeError as err:   # a store written before a column of the schema existed
        raise StoreError(f"{path}: unreadable store ({err}); build it again") from err
    finally:
        conn.close()
        db.close()


def _read_graph(conn) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    w = GraphWriter(G)   # the builder's sharing: one attribute dict and one key dict per structural edge
    nodes, succ, pred = G._node, G._succ, G._pred
    for nid, attrs in _sorted_nodes(conn):
        nodes[nid] = attrs
        succ[nid] = {}
        pred[nid] = {}
    shared: dict[tuple, dict] = {}
    for rel, u, v, props in _relationships(conn):
        names = SHARED_PROPS.get(rel)
        if names is not None and len(props) == len(names):
            attrs = w.shared_attrs(rel, *map(props.get, names))
        else:
            attrs = shared_attrs(shared, rel, props)
        key = f"ASSIGNED_TO:{props.get('role')}:{props.get('column', 'own')}" if rel == "ASSIGNED_TO" else rel
        w.edge(u, v, key, attrs)
    w.done()
    return G


def read_records(path: Path) -> Iterator[tuple[str, dict]]:
    """``("node", {"id", "label", "properties"})`` for every node, then ``("relationship", {"type",
    "start", "end", "properties"})`` for every relationship, in ``to_json_dict``'s order and shape, from
    the database at ``path`` (what ``cascade push`` sends, without building the graph)."""
    db, conn = open_path(path)
    try:
        for nid, attrs in _sorted_nodes(conn):
            label = attrs.pop("label")
            yield "node", {"id": nid, "label": label, "properties": attrs}
        for rel, u, v, props in _relationships(conn):
            yield "relationship", {"type": rel, "start": u, "end": v, "properties": props}
    finally:
        conn.close()
        db.close()


def _sorted_nodes(conn) -> list[tuple[str, dict]]:
    """Every node's ``(id, attributes)``, by id. Ids, and the ids a task or section names (its document,
    its section), are interned: one string object for the node's key and each mention."""
    intern = sys.intern
    out: list[tuple[str, dict]] = []
    for label, cols in NODE_COLUMNS.items():
        names = [c for c, _ in cols]
        readers = [value_reader(label, c, t) for c, t in cols]
        q = f"MATCH (n:{label}) RETURN " + ", ".join(f"n.`{c}`" for c in names)
        interned = {i for i, c in enumerate(names) if c in ("id", "doc_id", "section_id")}
        same_text = "text" in names and "text_norm" in names
        for columns in _batches(conn, q):
            for i in interned:
                columns[i] = [None if x is None else intern(x) for x in columns[i]]
            columns = [r(col) for r, col in zip(readers, columns)]
            drop = [c for c, r in zip(names, readers) if getattr(r, "optional", False)]
            for row in zip(*columns):
                attrs = dict(zip(names, row))
                for c in drop:
                    if attrs[c] is None:
                        del attrs[c]
                if same_text and attrs["text_norm"] == attrs["text"]:   # one string, as the loaders leave it
                    attrs["text_norm"] = attrs["text"]
                out.append((attrs["id"], attrs))
    out.sort(key=_first)
    return out


def _first(pair):
    return pair[0]


def _relationships(conn) -> Iterator[tuple[str, str, str, dict]]:
    """``(type, start id, end id, properties)`` of every relationship: by type, then start and end; the
    relationships of one type between the same two nodes by their properties (as ``to_json_dict``)."""
    intern = sys.intern
    for rel in sorted(REL_TABLES):
        pairs, cols = REL_TABLES[rel]
        names = [c for c, _ in cols]
        readers = [value_reader(rel, c, t) for c, t in cols]
        optional = [c for c, r in zip(names, readers) if getattr(r, "optional", False)]
        rows: list[tuple] = []
        for a, b in pairs:
            q = (f"MATCH (a:{a})-[r:{rel}]->(b:{b}) RETURN a.id, b.id"
                 + "".join(f", r.`{c}`" for c in names))
            for columns in _batches(conn, q):
                # the ends as the nodes' own id strings now, not a copy of each held until the type is done
                columns[0], columns[1] = list(map(intern, columns[0])), list(map(intern, columns[1]))
                columns[2:] = [r(col) for r, col in zip(readers, columns[2:])]
                rows += zip(*columns)
        rows.sort(key=_ends)
        n, i = len(rows), 0
        while i < n:
            r = rows[i]
            j = i + 1
            while j < n and rows[j][0] == r[0] and rows[j][1] == r[1]:
                j += 1
            if j == i + 1:
                yield rel, r[0], r[1], _props(names, r[2:], optional)
            else:   # rare: one type twice between two nodes
                group = [_props(names, x[2:], optional) for x in rows[i:j]]
                group.sort(key=lambda g: json.dumps(g, ensure_ascii=False, sort_keys=True))
                for props in group:
                    yield rel, r[0], r[1], props
            i = j
        del rows


def _ends(row):
    return row[0], row[1]


def _props(names: list, values: tuple, optional: list) -> dict:
    props = dict(zip(names, values))
    for c in optional:
        if props[c] is None:
            del props[c]
    return props


def _batches(conn, query: str) -> Iterator[list[list]]:
    """A query's result as Python lists, one per column, :data:`_BATCH` rows at a time; each batch's
    Arrow memory is given back once converted (a million tasks' texts are ~0.6 GB as Arrow)."""
    batches = conn.execute(query).get_as_arrow(_BATCH).to_batches()
    for i in range(len(batches)):
        batch, batches[i] = batches[i], None
        yield [col.to_pylist() for col in batch.columns]
        del batch
