"""Whole documents read from the store (queries/backend.py: embedded or Bolt) into the graph the build
made of them, for an analysis of some documents without loading a nation-year.

A province's office reports on its own plans and those below it: at 974,766 tasks, loading the whole
graph to write that report took over 11 GB and was killed after 8 minutes, while the province holds a
thirtieth of it. :func:`documents_graph` reads, for a set of documents, every node and relationship the
analyses of those documents read: the documents whole (sections, tasks, their assignments), the plans
above them up the ladder whole (their requirements are what the documents are measured against), a held
plan a document's text cites as its parent, the units they name with the collectives covering them
(``MEMBER_OF``), and the links between all of these. Each property is read as the store's schema types it
(:data:`graph.store.schema.NODE_COLUMNS`) and given back as the graph holds it (JSON text back to its
dict or list), so the analyses of :mod:`queries` run on it as on the loaded graph and give the same
answers for those documents (``tests/test_cli_report.py``). Every read is one pass with the documents'
ids as a list unwound and joined (sent in pieces to a Bolt server): ``x.doc_id IN $ids`` tests each
row against the whole list (8.9 s for a province's 1,001 documents at 1M), the join hashes it (0.2 s).
So a county's documents or a province's cost seconds, not the whole graph's load.
"""
from __future__ import annotations

import json

import networkx as nx

from graph.store.schema import NODE_COLUMNS, REL_TABLES
from queries.worklist_store import as_list

__all__ = ["documents_graph", "ladder", "held_by_title"]

_JSON = {"declared", "parse", "evidence"}   # dict- or list-valued properties the store keeps as JSON text


def _value(name: str, typ: str, v):
    if typ == "STRING[]":
        return as_list(v)
    if name in _JSON and isinstance(v, str):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def _columns(label: str) -> list[tuple[str, str]]:
    return NODE_COLUMNS[label]


def _nodes(G: nx.MultiDiGraph, backend, label: str, where: str, ids: list[str]) -> list[str]:
    """Add the ``label`` nodes ``where`` keeps (``x`` is the node, ``i`` an item of ``ids``); returns their ids."""
    cols = _columns(label)
    if where != "x.id = i":
        # their ids first, then their properties by id: the join reads every column of every row it
        # tests (a province's tasks at 1M: 0.9 GB read for 38,095 rows, against 0.3 GB)
        _, found = backend.rows(f"UNWIND $ids AS i MATCH (x:{label}) WHERE {where} RETURN x.id", {"ids": ids},
                                chunk="ids")
        ids = [r[0] for r in found]
    _, rows = backend.rows(f"UNWIND $ids AS i MATCH (x:{label} {{id: i}}) RETURN "
                           + ", ".join(f"x.`{c}`" for c, _ in cols), {"ids": ids}, chunk="ids")
    backend.release()
    out = []
    for r in rows:
        attrs = {c: _value(c, t, v) for (c, t), v in zip(cols, r)}
        attrs["label"] = label
        G.add_node(r[0], **attrs)
        out.append(r[0])
    return out


def _printed(G: nx.MultiDiGraph, task: str, unit: str) -> tuple:
    """Where ``unit`` stands among the task's units as the plan prints them (``Task.own_units``)."""
    own = G.nodes[task].get("own_units") or []
    return (task, own.index(unit) if unit in own else len(own), unit)


def _edges(G: nx.MultiDiGraph, backend, match: str, rel: str, ids: list[str], order=None) -> None:
    """Add the ``rel`` relationships ``match`` binds to ``(a)-[r]->(b)`` whose two ends ``G`` holds (in the
    order ``order(a, b)`` gives, where the graph's order of edges means something)."""
    props = [c for c, _ in REL_TABLES[rel][1]]
    types = dict(REL_TABLES[rel][1])
    _, rows = backend.rows(match + " RETURN a.id, b.id" + "".join(f", r.`{c}`" for c in props), {"ids": ids},
                           chunk="ids")
    backend.release()   # each pass over a relationship table leaves its pages in the engine's memory
    if order is not None:
        rows = sorted(rows, key=lambda r: order(r[0], r[1]) if r[0] in G else (r[0],))
    for a, b, *values in rows:
        if a in G and b in G:
            attrs = {"type": rel, **{c: _value(c, types[c], v) for c, v in zip(props, values)}}
            key = f"ASSIGNED_TO:{attrs['role']}:{attrs['column']}" if rel == "ASSIGNED_TO" else rel
            G.add_edge(a, b, key=key, **attrs)


def ladder(backend, docs) -> list[str]:
    """``docs`` and every plan above them (``IMPLEMENTS``, transitively), sorted."""
    ids = sorted(set(docs))
    _, rows = backend.rows("UNWIND $ids AS i MATCH (l:Document {id: i})-[:IMPLEMENTS*1..6]->(a:Document) RETURN DISTINCT a.id",
                           {"ids": ids}, chunk="ids")
    return sorted({*ids, *(r[0] for r in rows)})


def held_by_title(backend, title: str, columns: str) -> list[list]:
    """``columns`` (of ``x``) of the first held plan, by id, whose title is ``title``, holds it or is held in
    it: whether a plan a document cites as its parent is held under another name (``queries.gaps``)."""
    return backend.rows("MATCH (x:Document) WHERE x.title = $t OR x.title CONTAINS $t OR $t CONTAINS x.title "
                        f"RETURN {columns} ORDER BY x.id LIMIT 1", {"t": title})[1]


def documents_graph(backend, docs) -> nx.MultiDiGraph:
    """The documents ``docs`` and the plans above them, whole, with the units they name, as a graph of
    the shape :mod:`graph.build` makes (see the module doc)."""
    G = nx.MultiDiGraph()
    whole = ladder(backend, docs)
    found = _nodes(G, backend, "Document", "x.id = i", whole)
    # a plan a document cites as its parent and that is held under another name: the coverage asks
    # whether any held plan bears that title (queries.gaps._missing_parent)
    for cited in sorted({t for d in found for t in G.nodes[d].get("parent_cited") or []}):
        cols = _columns("Document")
        for r in held_by_title(backend, cited, ", ".join(f"x.`{c}`" for c, _ in cols)):
            if r[0] not in G:
                G.add_node(r[0], **{c: _value(c, t, v) for (c, t), v in zip(cols, r)})
    for label in ("Section", "Task"):
        _nodes(G, backend, label, "x.doc_id = i", found)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a)-[r:CONTAINS]->(b) WHERE b.doc_id = i", "CONTAINS", found)
    _, rows = backend.rows("UNWIND $ids AS i MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE t.doc_id = i RETURN DISTINCT u.id",
                           {"ids": found}, chunk="ids")
    units = {r[0] for r in rows}
    _, rows = backend.rows("UNWIND $ids AS i MATCH (d:Document {id: i})-[:ISSUED_BY]->(u:Unit) RETURN u.id", {"ids": found},
                           chunk="ids")
    units |= {r[0] for r in rows}
    todo = sorted(units)
    while todo:    # the collectives covering them, and those covering those
        _nodes(G, backend, "Unit", "x.id = i", todo)
        _, rows = backend.rows("UNWIND $ids AS i MATCH (u:Unit {id: i})-[:MEMBER_OF]->(c:Unit) RETURN DISTINCT c.id",
                               {"ids": todo}, chunk="ids")
        todo = sorted({r[0] for r in rows} - units)
        units |= set(todo)
    units = sorted(units)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Unit {id: i})-[r:MEMBER_OF]->(b:Unit)", "MEMBER_OF", units)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Task)-[r:ASSIGNED_TO]->(b:Unit) WHERE a.doc_id = i", "ASSIGNED_TO", found,
           order=lambda a, b: _printed(G, a, b))
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Document {id: i})-[r:ISSUED_BY]->(b:Unit)", "ISSUED_BY", found)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Document {id: i})-[r:IMPLEMENTS]->(b:Document)", "IMPLEMENTS", found)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Task)-[r:DERIVED_FROM]->(b) WHERE a.doc_id = i", "DERIVED_FROM", found)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Document {id: i})-[r:CONTINUES]->(b:Document)", "CONTINUES", found)
    _edges(G, backend, "UNWIND $ids AS i MATCH (a:Task)-[r:CONTINUES]->(b:Task) WHERE a.doc_id = i", "CONTINUES", found)
    return G
