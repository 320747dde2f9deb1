"""Coverage rows asked of the store (queries/backend.py: embedded or Bolt), in full, a plan at a time.

The saved ``gaps`` query pages a nation-year's gap list, one row a (requirement, lower plan), but a row
says only *that* the lower plan does not take the requirement up. A gap is a claim an office signs: the
analyst must also see *why* it was owed (the unit it was assigned to, or that it addresses every lower
government), what the lower plan did take up beside it, and who must act. :func:`coverage_graph` reads
what :func:`queries.gaps.coverage` needs of one upper plan and the plans below it from the store, as a
small graph of the shape :mod:`graph.build` makes, and that same function runs on it: the rows, reasons,
evidence and the ``who`` column are those the whole graph gives, for every pair whose upper plan is the
lower one's own parent level (every pair the saved gaps query returns). :func:`pair_coverage` gives one
pair's rows, :func:`requirement_coverage` one requirement's status in every plan below it. Each read
looks nodes up by ``id`` or ``doc_id`` (indexed), so either costs a few small queries at any scale.
"""
from __future__ import annotations

import networkx as nx

from queries.worklist_store import as_list

__all__ = ["coverage_graph", "pair_coverage", "requirement_coverage", "gap_row"]

_DOC = ("title", "level", "parent_level", "region", "year", "issuer", "kind", "truncated", "tier", "source",
        "explains")
_TASK = ("doc_id", "number", "text", "text_norm", "position", "line", "scope", "clause", "section_id")
_TASK_LISTS = ("addressed_to", "addressees", "deadlines")
_UNIT = ("name", "short_name", "collective")


def _unit(G: nx.MultiDiGraph, uid: str, values) -> None:
    if uid not in G:
        G.add_node(uid, label="Unit", id=uid, **dict(zip(_UNIT, values)))


def coverage_graph(backend, upper_doc: str, lower_docs=None) -> nx.MultiDiGraph:
    """What :func:`queries.gaps.coverage` reads of one upper plan and the plans below it (``lower_docs``,
    default: every plan implementing it whose own parent level it is): the upper plan whole (sections,
    tasks, their own assignments and units), each lower plan with the tasks of it that derive from the
    upper one (and their own assignments), its issuer and the collectives covering it (``MEMBER_OF``, as
    the saved gaps query follows them: 1–3 steps). The lower plans' other tasks change no row: a
    requirement is covered or not by what derives from it, and who must act by the nearest such task."""
    G = nx.MultiDiGraph()
    _, rows = backend.rows("MATCH (d:Document {id: $id}) RETURN d.id, " + ", ".join(f"d.{k}" for k in _DOC),
                           {"id": upper_doc})
    if not rows:
        return G
    G.add_node(upper_doc, label="Document", id=upper_doc, **dict(zip(_DOC, rows[0][1:])))
    level = G.nodes[upper_doc]["level"]
    # a pair whose upper plan is not the lower one's own parent level is judged on the plan between,
    # which this graph does not hold: such pairs are left out (the saved gaps query leaves them out too)
    _, rows = backend.rows("MATCH (d:Document)-[:IMPLEMENTS]->(:Document {id: $id}) RETURN d.id, "
                           + ", ".join(f"d.{k}" for k in _DOC), {"id": upper_doc})
    wanted = None if lower_docs is None else set(lower_docs)
    for r in rows:
        attrs = dict(zip(_DOC, r[1:]))
        direct = attrs["parent_level"] and level and (attrs["parent_level"] == level or level == "department")
        if r[0] != upper_doc and direct and (wanted is None or r[0] in wanted):
            G.add_node(r[0], label="Document", id=r[0], **attrs)
            G.add_edge(r[0], upper_doc, key="IMPLEMENTS", type="IMPLEMENTS")
    lowers = sorted(n for n in G if n != upper_doc)
    # Every read starts from the upper document's id (the primary key) and follows its CONTAINS edges:
    # milliseconds at a nation-year, where a property filter (t.doc_id = …, t.id IN […]) is a pass over
    # every task (0.4–3.7 s)
    inside = "MATCH (:Document {id: $doc})-[:CONTAINS*1..10]->"
    _, rows = backend.rows(inside + "(s:Section) MATCH (p)-[c:CONTAINS]->(s) "
                           "RETURN s.id, s.number, s.title, s.depth, s.position, p.id, c.`order`", {"doc": upper_doc})
    for sid, number, title, depth, position, _, _ in rows:
        G.add_node(sid, label="Section", id=sid, doc_id=upper_doc, number=number, title=title, depth=depth,
                   position=position)
    for sid, *_, parent, order in rows:
        G.add_edge(parent, sid, key="CONTAINS", type="CONTAINS", order=order)
    _task_rows(G, backend, inside + "(t:Task)", {"doc": upper_doc})
    _assignments(G, backend, inside + "(t:Task)", {"doc": upper_doc})
    if not lowers:
        return G
    linked = inside + "(x)<-[d:DERIVED_FROM]-(t:Task)"
    links = _task_rows(G, backend, linked, {"doc": upper_doc}, ", x.id, d.status", keep=lambda doc: doc in G)
    _assignments(G, backend, inside + "(x)<-[:DERIVED_FROM]-(t:Task)", {"doc": upper_doc}, keep=lambda t: t in G)
    for low, up, status in links:
        G.add_edge(low, up, key="DERIVED_FROM", type="DERIVED_FROM", status=status)
    _, rows = backend.rows("MATCH (d:Document)-[:ISSUED_BY]->(i:Unit) WHERE d.id IN $ids "
                           "OPTIONAL MATCH (i)-[:MEMBER_OF*1..3]->(c:Unit) RETURN d.id, i.id, "
                           + ", ".join(f"i.{k}" for k in _UNIT) + ", c.id, " + ", ".join(f"c.{k}" for k in _UNIT),
                           {"ids": lowers}, chunk="ids")
    n = len(_UNIT)
    for doc, *r in rows:
        _unit(G, r[0], r[1:1 + n])
        G.add_edge(doc, r[0], key="ISSUED_BY", type="ISSUED_BY")
        if r[1 + n] is not None:   # covering is reachability: an edge to each collective reached says it
            _unit(G, r[1 + n], r[2 + n:])
            G.add_edge(r[0], r[1 + n], key="MEMBER_OF", type="MEMBER_OF")
    return G


def _task_rows(G: nx.MultiDiGraph, backend, match: str, params: dict, extra: str = "", keep=None) -> list:
    """Add the tasks ``match`` binds to ``t`` (of the documents ``keep`` accepts); returns, for each row
    kept, the task's id and the ``extra`` columns."""
    n = len(_TASK) + len(_TASK_LISTS)
    _, rows = backend.rows(match + " RETURN t.id, " + ", ".join(f"t.{k}" for k in _TASK + _TASK_LISTS) + extra,
                           params)
    out = []
    for r in rows:
        attrs = dict(zip(_TASK, r[1:]))
        if keep is not None and not keep(attrs["doc_id"]):
            continue
        attrs.update({k: as_list(v) for k, v in zip(_TASK_LISTS, r[1 + len(_TASK):1 + n])})
        if r[0] not in G:
            G.add_node(r[0], label="Task", id=r[0], **attrs)
            sid = attrs["section_id"]
            G.add_edge(sid if sid in G else attrs["doc_id"], r[0], key="CONTAINS", type="CONTAINS",
                       order=attrs["position"])
        out.append([r[0], *r[1 + n:]])
    return out


def _assignments(G: nx.MultiDiGraph, backend, match: str, params: dict, keep=None) -> None:
    """Add the own and repeated assignments of the tasks ``match`` binds to ``t`` (those ``keep`` accepts)."""
    _, rows = backend.rows(match + "-[a:ASSIGNED_TO]->(u:Unit) RETURN DISTINCT t.id, u.id, a.role, a.`column`, "
                           + ", ".join(f"u.{k}" for k in _UNIT), params)
    for tid, uid, role, column, *unit in rows:
        if keep is None or keep(tid):
            _unit(G, uid, unit)
            G.add_edge(tid, uid, key=f"ASSIGNED_TO:{role}:{column}", type="ASSIGNED_TO", role=role, column=column)


def pair_coverage(backend, upper_doc: str, lower_doc: str) -> list[dict]:
    """The coverage rows of the pair (:func:`queries.gaps.coverage`'s shape: status, reason, evidence,
    ``who`` …), one per requirement of ``upper_doc``; none when ``upper_doc`` is not the lower plan's own
    parent level (see :func:`coverage_graph`)."""
    from queries.gaps import coverage

    return [r for r in coverage(coverage_graph(backend, upper_doc, [lower_doc])) if r["status"] != "local"]


def requirement_coverage(backend, task: str) -> list[dict]:
    """One requirement against every plan below its own whose parent level it is: a coverage row each
    (status, reason, evidence, who), by lower document."""
    from queries.gaps import coverage

    _, rows = backend.rows("MATCH (t:Task {id: $id}) RETURN t.doc_id", {"id": task})
    if not rows:
        return []
    return [r for r in coverage(coverage_graph(backend, rows[0][0])) if r.get("upper") == task]


def gap_row(backend, upper: str, upper_doc: str, lower_doc: str) -> dict | None:
    """The full coverage row of one requirement against one lower plan, or None when the store no
    longer holds it."""
    return next((r for r in pair_coverage(backend, upper_doc, lower_doc) if r["upper"] == upper), None)
