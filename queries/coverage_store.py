"""Coverage rows asked of the store (queries/backend.py: embedded or Bolt), in full, a plan at a time.

The saved ``gaps`` query pages a nation-year's gap list, one row a (requirement, lower plan), but a row
says only *that* the lower plan does not take the requirement up. A gap is a claim an office signs: the
analyst must also see *why* it was owed (the unit it was assigned to, or that it addresses every lower
government), what the lower plan did take up beside it, and who must act. :func:`coverage_graph` reads
what :func:`queries.gaps.coverage` needs of one upper plan and the plans below it from the store, as a
small graph of the shape :mod:`graph.build` makes, and that same function runs on it: the rows, reasons,
evidence and the ``who`` column are those the whole graph gives, for every pair (a skip-level one is judged
on the plan between, as there). :func:`pair_coverage` gives one
pair's rows, :func:`requirement_coverage` one requirement's status in every plan below it. Each read
looks nodes up by ``id`` or ``doc_id`` (indexed), so either costs a few small queries at any scale.
"""
from __future__ import annotations

import networkx as nx

from queries.documents_store import held_by_title
from queries.worklist_store import as_list

__all__ = ["coverage_graph", "rows_of", "pair_coverage", "requirement_coverage", "gap_row", "took_up"]

_DOC = ("title", "level", "parent_level", "region", "year", "issuer", "kind", "truncated", "tier", "source",
        "explains")
_TASK = ("doc_id", "number", "text", "text_norm", "position", "line", "scope", "clause", "section_id")
_TASK_LISTS = ("addressed_to", "addressees", "deadlines")
_UNIT = ("name", "short_name", "collective")


def _unit(G: nx.MultiDiGraph, uid: str, values) -> None:
    if uid not in G:
        G.add_node(uid, label="Unit", id=uid, **dict(zip(_UNIT, values)))


def _documents(G: nx.MultiDiGraph, rows) -> None:
    for r in rows:
        if r[0] not in G:
            G.add_node(r[0], label="Document", id=r[0], **dict(zip(_DOC, r[1:])),
                       parent_cited=as_list(r[len(_DOC) + 1]))


def _doc_columns(var: str = "d") -> str:
    return ", ".join(f"{var}.{k}" for k in (*_DOC, "parent_cited"))


_DOC_COLUMNS = _doc_columns()


def coverage_graph(backend, upper_doc: str, lower_docs=None) -> nx.MultiDiGraph:
    """What :func:`queries.gaps.coverage` reads of one upper plan and the plans implementing it
    (``lower_docs``, default: all): the upper plan whole (sections, tasks, their own assignments and
    units); each lower plan with the tasks of it that derive from the upper one (and their own
    assignments), its issuer and the collectives covering it (``MEMBER_OF``, as the saved gaps query
    follows them: 1–3 steps); and, for a lower plan whose own parent level is not the upper plan's, the
    plans it implements up the ladder and a held plan its text cites, which decide whether the pair is
    judged on the plan between (:func:`queries.gaps._chain`). The lower plans' other tasks change no row
    of the upper plan: a requirement is covered or not by what derives from it, and who must act by the
    nearest such task. Rows of other pairs the graph holds are not the upper plan's: see :func:`rows_of`."""
    G = nx.MultiDiGraph()
    _, rows = backend.rows(f"MATCH (d:Document {{id: $id}}) RETURN d.id, {_DOC_COLUMNS}", {"id": upper_doc})
    if not rows:
        return G
    _documents(G, rows)
    _, rows = backend.rows(f"MATCH (d:Document)-[:IMPLEMENTS]->(:Document {{id: $id}}) RETURN d.id, {_DOC_COLUMNS}",
                           {"id": upper_doc})
    wanted = None if lower_docs is None else set(lower_docs)
    rows = [r for r in rows if r[0] != upper_doc and (wanted is None or r[0] in wanted)]
    _documents(G, rows)
    for r in rows:
        G.add_edge(r[0], upper_doc, key="IMPLEMENTS", type="IMPLEMENTS")
    level = G.nodes[upper_doc]["level"]
    skip = [r[0] for r in rows if not (G.nodes[r[0]]["parent_level"] and level and
                                       (G.nodes[r[0]]["parent_level"] == level or level == "department"))]
    if skip:
        _ladder(G, backend, skip)
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


def _ladder(G: nx.MultiDiGraph, backend, lowers: list[str]) -> None:
    """The plans ``lowers`` implement up the ladder, with the IMPLEMENTS edges among them, and for each
    title a lower plan cites as its parent one held plan of that title (or holding it), if any."""
    _, rows = backend.rows(f"MATCH (l:Document)-[:IMPLEMENTS*1..6]->(d:Document) WHERE l.id IN $ids "
                           f"RETURN DISTINCT d.id, {_DOC_COLUMNS}", {"ids": lowers}, chunk="ids")
    _documents(G, rows)
    ids = sorted({*lowers, *(r[0] for r in rows)})
    _, rows = backend.rows("MATCH (a:Document)-[:IMPLEMENTS]->(b:Document) WHERE a.id IN $ids RETURN a.id, b.id",
                           {"ids": ids}, chunk="ids")
    for a, b in rows:
        if b in G and not G.has_edge(a, b, "IMPLEMENTS"):
            G.add_edge(a, b, key="IMPLEMENTS", type="IMPLEMENTS")
    for cited in sorted({t for low in lowers for t in G.nodes[low].get("parent_cited") or []}):
        _documents(G, held_by_title(backend, cited, "x.id, " + _doc_columns("x")))


def rows_of(G: nx.MultiDiGraph, upper_doc: str, lower_docs=None) -> list[dict]:
    """:func:`queries.gaps.coverage` of a :func:`coverage_graph`: the rows of ``upper_doc``'s requirements
    in the lower plans it was read for (a plan of the ladder above one of them is in the graph too)."""
    from queries.gaps import coverage

    keep = None if lower_docs is None else set(lower_docs)
    return [r for r in coverage(G) if r["status"] != "local" and r["upper_doc"] == upper_doc
            and (keep is None or r["lower_doc"] in keep)]


def pair_coverage(backend, upper_doc: str, lower_doc: str) -> list[dict]:
    """The coverage rows of the pair (:func:`queries.gaps.coverage`'s shape: status, reason, evidence,
    ``who`` …), one per requirement of ``upper_doc``."""
    return rows_of(coverage_graph(backend, upper_doc, [lower_doc]), upper_doc, [lower_doc])


def requirement_coverage(backend, task: str) -> list[dict]:
    """One requirement against every plan below its own whose parent level it is: a coverage row each
    (status, reason, evidence, who), by lower document."""
    _, rows = backend.rows("MATCH (t:Task {id: $id}) RETURN t.doc_id", {"id": task})
    if not rows:
        return []
    return [r for r in rows_of(coverage_graph(backend, rows[0][0]), rows[0][0]) if r["upper"] == task]


def gap_row(backend, upper: str, upper_doc: str, lower_doc: str) -> dict | None:
    """The full coverage row of one requirement against one lower plan, or None when the store no
    longer holds it."""
    return next((r for r in pair_coverage(backend, upper_doc, lower_doc) if r["upper"] == upper), None)


def took_up(backend, docs) -> dict[str, float | None]:
    """Each of ``docs``' share of the upper requirements it took up, as the graph mode colours a
    document (:func:`queries.view.coverage_per_document`: covered among covered and gaps; None when
    nothing could be judged), from the coverage of each plan they implement (:func:`coverage_graph`).
    """
    from queries.view import coverage_per_document

    docs = sorted(set(docs))
    _, rows = backend.rows("MATCH (d:Document)-[:IMPLEMENTS]->(p:Document) WHERE d.id IN $ids RETURN d.id, p.id",
                           {"ids": docs}, chunk="ids")
    lowers_of: dict[str, set] = {}
    for low, up in rows:
        lowers_of.setdefault(up, set()).add(low)
    found: list[dict] = []
    for up, lowers in sorted(lowers_of.items()):
        found += rows_of(coverage_graph(backend, up, lowers), up, lowers)
    shares = coverage_per_document(found)
    return {d: shares.get(d) for d in docs}
