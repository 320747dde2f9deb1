"""The links awaiting review asked of the store (queries/backend.py: embedded or Bolt), a page at a time.

The rows have the shape of :func:`queries.view.links` (``lower``, ``upper``, their documents and texts,
``score``, ``method``, ``status``, ``kind``, ``suspect``, ``evidence``), ordered by the store: lowest score
first (what a reviewer should look at first), or by the lower document and the task's position. A link's
upper end is a task or a section (its title is its text). :func:`link_ends` gives what
:func:`graph.reviews.save_review` hashes, so a decision taken here is the one the graph page would save.
"""
from __future__ import annotations

import json

import networkx as nx

__all__ = ["review_page", "link_ends", "ORDERS"]

ORDERS = {"score": "score, lower, upper", "reading": "lower_doc, position, lower, upper"}
_COLUMNS = ("lower", "lower_doc", "lower_text", "upper", "upper_doc", "upper_text", "upper_label", "score", "method",
            "status", "kind", "suspect", "evidence", "position")


def _where(statuses, lower_doc: str | None, suspect: bool) -> tuple[str, dict]:
    conditions, params = [], {}
    if statuses:
        conditions.append("coalesce(d.status, 'proposed') IN $statuses")
        params["statuses"] = list(statuses)
    if lower_doc:
        conditions.append("t.doc_id = $lower_doc")
        params["lower_doc"] = lower_doc
    if suspect:
        conditions.append("coalesce(d.suspect, false) = true")
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def review_page(backend, statuses=("proposed",), offset: int = 0, limit: int = 50, order: str = "score",
                lower_doc: str | None = None, suspect: bool = False) -> tuple[int, list[dict]]:
    """(how many links match, one page of them): links whose status is one of ``statuses`` (None: any),
    of the lower document ``lower_doc`` (None: any), only those flagged ``suspect`` when asked; in
    ``order`` (:data:`ORDERS`)."""
    where, params = _where(statuses, lower_doc, suspect)
    match = "MATCH (t:Task)-[d:DERIVED_FROM]->(x)" + where
    total = int(backend.rows(match + " RETURN count(*) AS total", params)[1][0][0])
    # Each side of the OR names a property only one of the two tables has (a Task's text, a Section's
    # title): the other is null on every backend.
    _, rows = backend.rows(
        match + " RETURN t.id AS lower, t.doc_id AS lower_doc, t.text_norm AS lower_text, x.id AS upper, "
        "x.doc_id AS upper_doc, coalesce(x.text_norm, x.title) AS upper_text, "
        "CASE WHEN x.text_norm IS NULL AND x.title IS NOT NULL THEN 'Section' ELSE 'Task' END AS upper_label, "
        "coalesce(d.score, 0.0) AS score, d.method AS method, coalesce(d.status, 'proposed') AS status, "
        "d.kind AS kind, coalesce(d.suspect, false) AS suspect, d.evidence AS evidence, t.position AS position "
        f"ORDER BY {ORDERS[order]} SKIP $skip LIMIT $limit", {**params, "skip": int(offset), "limit": int(limit)})
    out = []
    for r in rows:
        row = dict(zip(_COLUMNS, r))
        if isinstance(row["evidence"], str):
            try:
                row["evidence"] = json.loads(row["evidence"])
            except ValueError:
                pass
        out.append(row)
    return total, out


def link_ends(row: dict) -> nx.MultiDiGraph:
    """The two ends of a link row as :func:`graph.reviews.save_review` reads them from the graph.

    >>> from graph.link.evidence import node_text
    >>> G = link_ends({"lower": "b/1", "lower_text": "做好", "upper": "a/一", "upper_text": "总体", "upper_label": "Section"})
    >>> node_text(G, "b/1"), node_text(G, "a/一")
    ('做好', '总体')
    """
    G = nx.MultiDiGraph()
    G.add_node(row["lower"], label="Task", text_norm=row["lower_text"])
    if row.get("upper_label") == "Section":
        G.add_node(row["upper"], label="Section", title=row["upper_text"])
    else:
        G.add_node(row["upper"], label="Task", text_norm=row["upper_text"])
    return G
