"""Coverage rows asked of the store (queries/backend.py: embedded or Bolt), in full, a plan at a time.

The saved ``gaps`` query pages a nation-year's gap list, one row a (requirement, lower plan), but a row
says only *that* the lower plan does not take the requirement up. A gap is a claim an office signs: the
analyst must also see *why* it was owed (the unit it was assigned to, or that it addresses every lower
government), what the lower plan did take up beside it, and who must act. :func:`coverage_graph` reads
what :func:`queries.gaps.coverage` needs of one upper plan and the plans below it from the store, as a
small graph of the shape :mod:`graph.build` makes, and that same function runs on it: the rows, reasons,
evidence and the ``who`` column are those the whole graph gives, for every pair (a skip-level one is judged
on the plan between, as there). :func:`pair_coverage` gives one pair's rows, :func:`pairs_coverage` a
worklist page's pairs, :func:`requirement_coverage` one requirement's status in every plan below it
(:func:`plan_requirements_coverage` many of one plan's at once).
Each read starts from a node's ``id`` (indexed), so each costs a few small queries at any scale.
"""
from __future__ import annotations

import networkx as nx

from queries.documents_store import held_by_title
from queries.worklist_store import as_list

__all__ = ["coverage_graph", "rows_of", "pair_coverage", "pairs_coverage", "requirement_coverage",
           "plan_requirements_coverage", "gap_row", "took_up"]

_DOC = ("title", "level", "parent_level", "region", "year", "issuer", "kind", "truncated", "tier", "source",
        "explains", "doc_no")
# lists, read after those: the plans and numbers a document cites, which name the plan between a
# skip-level pair waits for (queries.parent_plan)
_DOC_LISTS = ("parent_cited", "cites")
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
                       **{k: as_list(v) for k, v in zip(_DOC_LISTS, r[len(_DOC) + 1:])})


def _doc_columns(var: str = "d") -> str:
    return ", ".join(f"{var}.{k}" for k in (*_DOC, *_DOC_LISTS))


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
    # The links to the upper plan as ids only, then each lower plan's linked tasks from its own id down its
    # CONTAINS edges: at a nation-year 0.1 s and a few milliseconds a plan, where reading the tasks'
    # properties through the links read the task table's text columns whole (0.35 s), and following
    # each lower plan's links forward cost 0.08 s a plan.
    _, links = backend.rows(inside + "(x)<-[d:DERIVED_FROM]-(t:Task) RETURN t.id, t.doc_id, x.id, d.status",
                            {"doc": upper_doc})
    links = [r for r in links if r[1] in G and r[1] != upper_doc]
    for doc in sorted({r[1] for r in links}):
        linked = {r[0] for r in links if r[1] == doc}
        _lower_tasks(G, backend, "MATCH (:Document {id: $doc})-[:CONTAINS*1..10]->(t:Task)", {"doc": doc}, linked)
        for task in sorted(linked - set(G)):   # a task deeper than the read reaches: by its own id
            _lower_tasks(G, backend, "MATCH (t:Task {id: $doc})", {"doc": task}, linked)
    for low, _, up, status in links:
        if low in G:
            G.add_edge(low, up, key="DERIVED_FROM", type="DERIVED_FROM", status=status)
    for low in lowers:
        _issuer(G, backend, low)
    return G


def _lower_tasks(G: nx.MultiDiGraph, backend, match: str, params: dict, linked: set) -> None:
    """The tasks ``match`` binds to ``t`` that are ``linked`` (derive from the upper plan), with their own
    assignments."""
    keep = lambda tid, attrs=None: tid in linked and (attrs is None or attrs["doc_id"] in G)  # noqa: E731
    _task_rows(G, backend, match, params, keep=keep)
    _assignments(G, backend, match, params, keep=lambda t: keep(t) and t in G)


def _issuer(G: nx.MultiDiGraph, backend, doc: str) -> None:
    """``doc``'s issuer and the collectives covering it (``MEMBER_OF``, as the saved gaps query follows
    them: 1-3 steps), each reached marked by an edge from the issuer. Three fixed steps, not ``*1..3``:
    the engine answers a variable-length step in 0.1 s at a nation-year, fixed ones in milliseconds."""
    unit = lambda v: ", ".join(f"{v}.{k}" for k in ("id", *_UNIT))  # noqa: E731
    _, rows = backend.rows("MATCH (:Document {id: $doc})-[:ISSUED_BY]->(i:Unit) "
                           "OPTIONAL MATCH (i)-[:MEMBER_OF]->(c1:Unit) OPTIONAL MATCH (c1)-[:MEMBER_OF]->(c2:Unit) "
                           "OPTIONAL MATCH (c2)-[:MEMBER_OF]->(c3:Unit) "
                           f"RETURN {unit('i')}, {unit('c1')}, {unit('c2')}, {unit('c3')}", {"doc": doc})
    n = 1 + len(_UNIT)
    for r in rows:
        _unit(G, r[0], r[1:n])
        G.add_edge(doc, r[0], key="ISSUED_BY", type="ISSUED_BY")
        for i in range(n, len(r), n):   # covering is reachability: an edge to each collective reached says it
            if r[i] is not None:
                _unit(G, r[i], r[i + 1:i + n])
                G.add_edge(r[0], r[i], key="MEMBER_OF", type="MEMBER_OF")


def _task_rows(G: nx.MultiDiGraph, backend, match: str, params: dict, keep=None) -> None:
    """Add the tasks ``match`` binds to ``t`` (those ``keep(id, attributes)`` accepts)."""
    n = len(_TASK) + len(_TASK_LISTS)
    _, rows = backend.rows(match + " RETURN t.id, " + ", ".join(f"t.{k}" for k in _TASK + _TASK_LISTS), params)
    for r in rows:
        attrs = dict(zip(_TASK, r[1:]))
        if (keep is not None and not keep(r[0], attrs)) or r[0] in G:
            continue
        attrs.update({k: as_list(v) for k, v in zip(_TASK_LISTS, r[1 + len(_TASK):1 + n])})
        G.add_node(r[0], label="Task", id=r[0], **attrs)
        sid = attrs["section_id"]
        G.add_edge(sid if sid in G else attrs["doc_id"], r[0], key="CONTAINS", type="CONTAINS", order=attrs["position"])


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
    _, rows = backend.rows(f"UNWIND $ids AS i MATCH (l:Document {{id: i}})-[:IMPLEMENTS*1..6]->(d:Document) "
                           f"RETURN DISTINCT d.id, {_DOC_COLUMNS}", {"ids": lowers}, chunk="ids")
    _documents(G, rows)
    ids = sorted({*lowers, *(r[0] for r in rows)})
    _, rows = backend.rows("UNWIND $ids AS i MATCH (a:Document {id: i})-[:IMPLEMENTS]->(b:Document) RETURN a.id, b.id",
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


def pairs_coverage(backend, pairs) -> list[list[dict]]:
    """:func:`pair_coverage` of each ``(upper_doc, lower_doc)`` of ``pairs``, in their order; the pairs of
    one upper plan read together (:func:`coverage_graph` of it and those lower plans), since a worklist
    page's rows come ordered by lower plan and many share theirs: at a nation-year 0.15 s an upper plan,
    where a pair at a time cost 0.6 s a pair."""
    pairs = [tuple(p) for p in pairs]
    lowers_of: dict[str, list] = {}
    for up, low in pairs:
        lowers_of.setdefault(up, []).append(low)
    found = {}
    for up, lowers in lowers_of.items():
        for r in rows_of(coverage_graph(backend, up, lowers), up, lowers):
            found.setdefault((up, r["lower_doc"]), []).append(r)
    return [found.get(p, []) for p in pairs]


def requirement_coverage(backend, task: str) -> list[dict]:
    """One requirement against every plan below its own whose parent level it is: a coverage row each
    (status, reason, evidence, who), by lower document."""
    _, rows = backend.rows("MATCH (t:Task {id: $id}) RETURN t.doc_id", {"id": task})
    if not rows:
        return []
    return plan_requirements_coverage(backend, rows[0][0], [task])[task]


def plan_requirements_coverage(backend, upper_doc: str, tasks) -> dict[str, list[dict]]:
    """:func:`requirement_coverage` of each of ``tasks`` (requirements of ``upper_doc``) from one read of
    the plan and those below it, which one requirement at a time would repeat for each."""
    found: dict[str, list[dict]] = {t: [] for t in tasks}
    for r in rows_of(coverage_graph(backend, upper_doc), upper_doc):
        if r["upper"] in found:
            found[r["upper"]].append(r)
    return found


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
    _, rows = backend.rows("UNWIND $ids AS i MATCH (d:Document {id: i})-[:IMPLEMENTS]->(p:Document) RETURN d.id, p.id",
                           {"ids": docs}, chunk="ids")
    lowers_of: dict[str, set] = {}
    for low, up in rows:
        lowers_of.setdefault(up, set()).add(low)
    found: list[dict] = []
    for up, lowers in sorted(lowers_of.items()):
        found += rows_of(coverage_graph(backend, up, lowers), up, lowers)
    shares = coverage_per_document(found)
    return {d: shares.get(d) for d in docs}
