"""One pair of plans' coverage rows asked of the store (queries/backend.py: embedded or Bolt), in full.

The saved ``gaps`` query pages a nation-year's gap list, one row a (requirement, lower plan), but a row
says only *that* the lower plan does not take the requirement up. A gap is a claim an office signs: the
analyst must also see *why* it was owed (the unit it was assigned to, or that it addresses every lower
government), what the lower plan did take up beside it, and who must act. :func:`pair_graph` reads what
:func:`queries.gaps.coverage` needs of one (upper, lower) pair from the store, as a small graph of the
shape :mod:`graph.build` makes, and :func:`pair_coverage` runs that same function on it: the rows,
reasons, evidence and the ``who`` column are those the whole graph gives, for a pair whose upper plan is
the lower one's own parent level (every pair the saved gaps query returns). Each read looks tasks up by
``doc_id`` (indexed), so a pair costs a few small queries at any scale.
"""
from __future__ import annotations

import networkx as nx

from queries.worklist_store import as_list

__all__ = ["pair_graph", "pair_coverage", "gap_row"]

_DOC = ("title", "level", "parent_level", "region", "year", "issuer", "kind", "truncated", "tier", "source",
        "explains")
_TASK = ("doc_id", "number", "text", "text_norm", "position", "line", "scope", "clause", "section_id")
_TASK_LISTS = ("addressed_to", "addressees", "deadlines")
_UNIT = ("name", "short_name", "collective")


def _unit(G: nx.MultiDiGraph, uid: str, values) -> None:
    if uid not in G:
        G.add_node(uid, label="Unit", id=uid, **dict(zip(_UNIT, values)))


def pair_graph(backend, upper_doc: str, lower_doc: str) -> nx.MultiDiGraph:
    """The two documents, their sections and tasks with their own assignments and units, the lower
    document's issuer and the collectives covering it (``MEMBER_OF``, as the saved gaps query follows
    them: 1–3 steps), and the links from the lower document's tasks into the upper one."""
    G = nx.MultiDiGraph()
    docs = list(dict.fromkeys((upper_doc, lower_doc)))
    _, rows = backend.rows("MATCH (d:Document) WHERE d.id IN $ids RETURN d.id, "
                           + ", ".join(f"d.{k}" for k in _DOC), {"ids": docs})
    for r in rows:
        G.add_node(r[0], label="Document", id=r[0], **dict(zip(_DOC, r[1:])))
    if upper_doc in G and lower_doc in G and upper_doc != lower_doc:
        G.add_edge(lower_doc, upper_doc, key="IMPLEMENTS", type="IMPLEMENTS")
    for doc in docs:
        if doc not in G:
            continue
        _, rows = backend.rows("MATCH (p)-[c:CONTAINS]->(s:Section) WHERE s.doc_id = $doc "
                               "RETURN s.id, s.number, s.title, s.depth, s.position, p.id, c.`order`", {"doc": doc})
        for sid, number, title, depth, position, _, _ in rows:
            G.add_node(sid, label="Section", id=sid, doc_id=doc, number=number, title=title, depth=depth,
                       position=position)
        for sid, *_, parent, order in rows:
            G.add_edge(parent, sid, key="CONTAINS", type="CONTAINS", order=order)
        _, rows = backend.rows("MATCH (t:Task) WHERE t.doc_id = $doc RETURN t.id, "
                               + ", ".join(f"t.{k}" for k in _TASK + _TASK_LISTS), {"doc": doc})
        for r in rows:
            attrs = dict(zip(_TASK, r[1:]))
            attrs.update({k: as_list(v) for k, v in zip(_TASK_LISTS, r[1 + len(_TASK):])})
            G.add_node(r[0], label="Task", id=r[0], **attrs)
            parent = attrs["section_id"] if attrs["section_id"] in G else doc
            G.add_edge(parent, r[0], key="CONTAINS", type="CONTAINS", order=attrs["position"])
        _, rows = backend.rows("MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit) WHERE t.doc_id = $doc "
                               "RETURN t.id, u.id, a.role, a.`column`, "
                               + ", ".join(f"u.{k}" for k in _UNIT), {"doc": doc})
        for tid, uid, role, column, *unit in rows:
            _unit(G, uid, unit)
            G.add_edge(tid, uid, key=f"ASSIGNED_TO:{role}:{column}", type="ASSIGNED_TO", role=role, column=column)
    _, rows = backend.rows("MATCH (d:Document {id: $doc})-[:ISSUED_BY]->(i:Unit) "
                           "OPTIONAL MATCH (i)-[:MEMBER_OF*1..3]->(c:Unit) RETURN i.id, "
                           + ", ".join(f"i.{k}" for k in _UNIT) + ", c.id, " + ", ".join(f"c.{k}" for k in _UNIT),
                           {"doc": lower_doc})
    n = len(_UNIT)
    for r in rows:
        _unit(G, r[0], r[1:1 + n])
        G.add_edge(lower_doc, r[0], key="ISSUED_BY", type="ISSUED_BY")
        if r[1 + n] is not None:   # covering is reachability: an edge to each collective reached says it
            _unit(G, r[1 + n], r[2 + n:])
            G.add_edge(r[0], r[1 + n], key="MEMBER_OF", type="MEMBER_OF")
    _, rows = backend.rows("MATCH (t:Task)-[d:DERIVED_FROM]->(x) WHERE t.doc_id = $lower AND x.doc_id = $upper "
                           "RETURN t.id, x.id, d.status", {"lower": lower_doc, "upper": upper_doc})
    for low, up, status in rows:
        if low in G and up in G:
            G.add_edge(low, up, key="DERIVED_FROM", type="DERIVED_FROM", status=status)
    return G


def pair_coverage(backend, upper_doc: str, lower_doc: str) -> list[dict]:
    """The coverage rows of the pair (:func:`queries.gaps.coverage`'s shape: status, reason, evidence,
    ``who`` …), one per requirement of ``upper_doc``; local additions left out."""
    from queries.gaps import coverage

    return [r for r in coverage(pair_graph(backend, upper_doc, lower_doc)) if r["status"] != "local"]


def gap_row(backend, upper: str, upper_doc: str, lower_doc: str) -> dict | None:
    """The full coverage row of one requirement against one lower plan, or None when the store no
    longer holds it."""
    return next((r for r in pair_coverage(backend, upper_doc, lower_doc) if r["upper"] == upper), None)
