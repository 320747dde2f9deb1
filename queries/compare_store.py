"""One pair of documents asked of the store (queries/backend.py: embedded or Bolt), for the compare view.

:func:`pair_graph` reads the two documents, their sections and tasks (by ``doc_id``, indexed) and the
``DERIVED_FROM`` links from the lower document's tasks into the upper document, and returns them as a
small graph of the shape :mod:`graph.build` makes, so the compare view runs the same functions
(:func:`queries.view.align`, :func:`queries.drift.drift`) on two documents that it runs on the whole
graph, and gives the same rows. :func:`find_documents` and :func:`parents` pick the pair.
"""
from __future__ import annotations

import networkx as nx

from queries.worklist_store import as_list

__all__ = ["find_documents", "parents", "pair_graph"]

_DOC = ("title", "level", "region", "year", "issuer", "doc_no", "kind")


def _docs(rows) -> list[dict]:
    return [{"id": r[0], **dict(zip(_DOC, r[1:]))} for r in rows]


def find_documents(backend, words: str, limit: int = 50) -> list[dict]:
    """Documents whose id, title or region holds every word of ``words`` (spaces split words), by id:
    ``{id, title, level, region, year, issuer, doc_no, kind}``."""
    parts = words.split()
    if not parts:
        return []
    where = " AND ".join(f"(d.id CONTAINS $w{i} OR coalesce(d.title, '') CONTAINS $w{i} "
                         f"OR coalesce(d.region, '') CONTAINS $w{i})" for i in range(len(parts)))
    _, rows = backend.rows(f"MATCH (d:Document) WHERE {where} RETURN d.id AS id, d.title, d.level, d.region, d.year, "
                           "d.issuer, d.doc_no, d.kind ORDER BY id LIMIT $limit",
                           {**{f"w{i}": w for i, w in enumerate(parts)}, "limit": int(limit)})
    return _docs(rows)


def parents(backend, lower_doc: str) -> list[dict]:
    """The documents ``lower_doc`` implements (``IMPLEMENTS``), with ``via``: ``{id, via, title, …}``."""
    _, rows = backend.rows("MATCH (:Document {id: $id})-[r:IMPLEMENTS]->(d:Document) RETURN d.id AS id, d.title, "
                           "d.level, d.region, d.year, d.issuer, d.doc_no, d.kind, r.via ORDER BY id", {"id": lower_doc})
    return [{**d, "via": r[-1]} for d, r in zip(_docs([r[:-1] for r in rows]), rows)]


def pair_graph(backend, upper_doc: str, lower_doc: str) -> nx.MultiDiGraph:
    """The two documents, their sections and tasks, and the links from the lower one's tasks into the
    upper one (tasks or sections), as a graph: what :func:`queries.view.align` needs of the whole graph."""
    G = nx.MultiDiGraph()
    _, rows = backend.rows("UNWIND $ids AS i MATCH (d:Document {id: i}) RETURN d.id, d.title, d.level, d.region, d.year, "
                           "d.issuer, d.doc_no, d.kind", {"ids": list(dict.fromkeys((upper_doc, lower_doc)))})
    for d in _docs(rows):
        G.add_node(d.pop("id"), label="Document", **d)
    for doc in dict.fromkeys((upper_doc, lower_doc)):
        _, rows = backend.rows("MATCH (t:Task) WHERE t.doc_id = $doc RETURN t.id, t.number, t.text_norm, t.position, "
                               "t.deadlines, t.scope", {"doc": doc})
        for i, number, text, position, deadlines, scope in rows:
            G.add_node(i, label="Task", doc_id=doc, number=number, text_norm=text, position=position,
                       deadlines=as_list(deadlines), scope=scope)
            G.add_edge(doc, i, key="CONTAINS", type="CONTAINS")
    for target in ("Task", "Section"):
        shown = "x.text_norm" if target == "Task" else "x.title"
        _, rows = backend.rows(f"MATCH (t:Task)-[d:DERIVED_FROM]->(x:{target}) WHERE t.doc_id = $lower "
                               f"AND x.doc_id = $upper RETURN t.id, x.id, {shown}, x.position, d.score, d.status, "
                               "d.method", {"lower": lower_doc, "upper": upper_doc})
        for low, up, text, position, score, status, method in rows:
            if up not in G:
                G.add_node(up, label=target, doc_id=upper_doc, position=position,
                           **({"text_norm": text} if target == "Task" else {"title": text}))
            G.add_edge(low, up, key="DERIVED_FROM", type="DERIVED_FROM", score=score, status=status, method=method)
    return G
