"""Records → the cascade graph (a networkx ``MultiDiGraph`` following SCHEMA.md).

Nodes carry ``label`` plus the SCHEMA properties; edges carry ``type`` plus theirs. Ids are built
from the document id and the printed numbering only, so a rebuild of the same input gives the same
ids whatever the load order.
"""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from loaders.normalize import normalize
from loaders.records import DocumentRecords
from loaders.units import canonical_name

__all__ = ["build_graph", "add_document", "document_id", "task_id", "section_id", "unit_id", "nodes_of", "edges_of"]


def document_id(records: DocumentRecords) -> str:
    """A document's id: the manifest's, else a slug of its file name.

    >>> from loaders.records import Document, DocumentRecords
    >>> document_id(DocumentRecords(Document(source="2022 黄埔 plan.txt")))
    '2022-黄埔-plan'
    """
    doc = records.document
    if doc.id:
        return doc.id
    stem = Path(doc.source).stem
    return re.sub(r"[^\w\u4e00-\u9fff]+", "-", stem).strip("-").lower() or "document"


def section_id(doc_id: str, path: tuple[str, ...]) -> str:
    return "/".join((doc_id, *path))


def task_id(doc_id: str, section: tuple[str, ...], number: str) -> str:
    """The id of a task: document id, section path, printed number.

    >>> task_id("2022-huangpu", ("一", "(一)"), "1")
    '2022-huangpu/一/(一)/1'
    """
    return "/".join((doc_id, *section, number))


def unit_id(canonical: str) -> str:
    return f"unit:{canonical}"


def add_document(G: nx.MultiDiGraph, records: DocumentRecords) -> str:
    """Add one document's nodes and edges to ``G``; returns the document id."""
    doc = records.document
    did = document_id(records)
    G.add_node(did, label="Document", id=did, title=doc.title, level=doc.level, region=doc.region,
               year=doc.year, issuer=doc.issuer, doc_no=doc.doc_no, issued_on=doc.issued_on,
               cites=list(doc.cites), source=doc.source, kind=doc.kind, truncated=doc.truncated,
               script=doc.script, format=doc.format, declared=dict(doc.declared),
               warnings=list(doc.warnings), parents=list(doc.parents))
    if doc.issuer:
        name, region = canonical_name(normalize(doc.issuer), doc.region)
        uid = unit_id(name)
        _add_unit(G, uid, name, normalize(doc.issuer), region, False)
        G.add_edge(did, uid, key="ISSUED_BY", type="ISSUED_BY")

    for sec in records.sections:
        sid = section_id(did, sec.path)
        G.add_node(sid, label="Section", id=sid, doc_id=did, number=sec.number, title=sec.title,
                   depth=sec.depth, scope=sec.scope, position=sec.order)
        parent = section_id(did, sec.path[:-1]) if len(sec.path) > 1 else did
        if parent not in G:
            parent = did
        G.add_edge(parent, sid, key="CONTAINS", type="CONTAINS", order=sec.order)

    seen: dict[str, int] = {}
    for task in records.tasks:
        tid = task_id(did, task.section, task.number)
        if tid in seen:  # the same number printed twice in one section: keep both, apart
            seen[tid] += 1
            tid = f"{tid}~{seen[tid]}"
        else:
            seen[tid] = 1
        sid = section_id(did, task.section) if task.section else None
        scope = G.nodes[sid].get("scope", "plan") if sid in G else "plan"
        G.add_node(tid, label="Task", id=tid, doc_id=did, number=task.number, text=task.text,
                   text_norm=task.text_norm, deadlines=list(task.deadlines), section_id=sid,
                   position=task.order, line=task.line, inherited_units=task.inherited_units, scope=scope)
        G.add_edge(sid if sid in G else did, tid, key="CONTAINS", type="CONTAINS", order=task.order)
        for a in task.assignments:
            uid = unit_id(a.canonical)
            _add_unit(G, uid, a.canonical, a.short_name, a.region, a.collective, a.alias)
            key = f"ASSIGNED_TO:{a.role}:{a.column}"
            if not G.has_edge(tid, uid, key=key):
                G.add_edge(tid, uid, key=key, type="ASSIGNED_TO", role=a.role, column=a.column)
    return did


def _add_unit(G, uid, name, short, region, collective, alias=None):
    if uid in G:
        node = G.nodes[uid]
        if alias and alias not in node["aliases"]:
            node["aliases"] = sorted({*node["aliases"], alias})
        return
    G.add_node(uid, label="Unit", id=uid, name=name, short_name=short, region=region,
               collective=bool(collective), aliases=[alias] if alias else [])


def build_graph(records: list[DocumentRecords]) -> nx.MultiDiGraph:
    """The graph of a set of documents (not yet linked across levels: see :mod:`graph.link`).

    Documents are added in the order of their ids, so the graph does not depend on load order.
    """
    G = nx.MultiDiGraph()
    for rec in sorted(records, key=document_id):
        if document_id(rec) in G:
            raise ValueError(f"two documents share the id '{document_id(rec)}' ({rec.document.source})")
        add_document(G, rec)
    return G


def nodes_of(G: nx.MultiDiGraph, label: str):
    """Ids and attributes of the nodes with a label, in id order."""
    return sorted(((n, d) for n, d in G.nodes(data=True) if d.get("label") == label), key=lambda x: x[0])


def edges_of(G: nx.MultiDiGraph, rel_type: str):
    """(start, end, attributes) of the edges of a type, in a stable order."""
    return sorted(((u, v, d) for u, v, d in G.edges(data=True) if d.get("type") == rel_type),
                  key=lambda x: (x[0], x[1], str(sorted(x[2].items()))))
