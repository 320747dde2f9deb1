"""The Cascade and Documents pages asked of the store (queries/backend.py: embedded or Bolt), not of a
loaded graph: documents with their counts and coverage, groups of them by level and region, and one
document's neighbourhood, each from a few aggregate or per-document queries.

At a nation-year that is 25,000 document rows, never the million tasks. Every query runs on the embedded
store and on FalkorDB over Bolt: no ``EXISTS { }``, ``COUNT { }`` or ``=~``, no ``labels()``.

The coverage share here is not :func:`queries.view.coverage_per_document`'s. That one is covered among
covered + gaps, and a gap needs the whole graph (who was expected to act: issuers, collectives,
addressed tiers, sections standing for one requirement). Here a document's share is the part of its
parent plans' obligation requirements (plan tasks whose clause is an obligation) that some plan task of
the document derives from, by a link not rejected: requirements asked of other units count against it,
a link to a section counts for none, and a link to a requirement not asked of the document counts
for it. So the two shares differ, in either direction; the pages say which one they show.

>>> groups([{"id": "a", "level": "city", "region": "R", "tasks": 3, "required": 4, "taken": 2, "parents": []},
...         {"id": "b", "level": "city", "region": "R", "tasks": 2, "required": 0, "taken": 0, "parents": ["a"]}])
[{'key': 'city|R', 'level': 'city', 'region': 'R', 'documents': 2, 'tasks': 5, 'required': 4, 'taken': 2, 'share': 0.5}]
"""
from __future__ import annotations

import networkx as nx

from core.records import LEVEL_RANK, LEVELS
from queries.overview import COUNTED

__all__ = ["documents", "groups", "group_links", "group_key", "neighbourhood", "to_graph", "PLAN", "OBLIGATION"]

PLAN = "coalesce({0}.scope, 'plan') <> 'notice'"
OBLIGATION = "coalesce({0}.clause, 'obligation') = 'obligation'"
_NOT_REJECTED = "coalesce({0}.status, 'proposed') <> 'rejected'"


def _where(years=(), levels=(), regions=()) -> tuple[str, dict]:
    # Only the filters given: ``$x IS NULL OR …`` does not plan the same on both engines.
    conds, params = [], {}
    for name, values in (("year", years), ("level", levels), ("region", regions)):
        if values:
            conds.append(f"d.{name} IN ${name}s")
            params[f"{name}s"] = list(values)
    return _all(*conds), params


def _all(*conditions: str) -> str:
    """A WHERE clause of the conditions given (none: no clause).

    >>> _all("a = 1", "", "b = 2"), _all("")
    (' WHERE a = 1 AND b = 2', '')
    """
    kept = [c for c in conditions if c]
    return " WHERE " + " AND ".join(kept) if kept else ""


def _share(taken: int, required: int) -> float | None:
    return round(taken / required, 3) if required else None


def documents(backend, years=(), levels=(), regions=(), linked: bool = False) -> list[dict]:
    """The documents the filters keep (each a collection of allowed values; empty: no restriction), in
    reading order (level, latest year, id): ``{id, level, region, year, title, kind, truncated, tasks,
    required, taken, share, parents}``, and with ``linked`` ``linked_tasks``: the links up from its tasks,
    as the Overview counts them (one more scan of every link). ``required``: the obligation requirements
    of its parent plans; ``taken``: how many of them a plan task of it derives from; ``share``: taken / required
    (None with nothing required); ``parents``: the documents it implements."""
    where, params = _where(years, levels, regions)
    _, docs = backend.rows(f"MATCH (d:Document){where} RETURN d.id, d.level, d.region, d.year, d.title, d.kind, "
                           "d.truncated", params)
    # With a filter, tasks are reached from the kept documents by doc_id (a join, or the Task.doc_id
    # index on a Bolt server); ``t.doc_id IN $ids`` over thousands of ids took 9 s at 1M, the join 0.2 s.
    match = f"MATCH (d:Document){where} WITH d MATCH " if where else "MATCH "
    join = "t.doc_id = d.id" if where else ""
    requirement = f"count(CASE WHEN {PLAN.format('t')} AND {OBLIGATION.format('t')} THEN 1 END)"
    # (its tasks as the Overview counts them: not its framing sentences, queries.overview.counted)
    counted = f"count(CASE WHEN {COUNTED.format('t')} THEN 1 END)"
    counts = {doc: (n, req) for doc, n, req in backend.rows(
        f"{match}(t:Task){_all(join)} RETURN t.doc_id AS doc, {counted} AS n, {requirement} AS req", params)[1]}
    ups = dict(backend.rows(f"{match}(t:Task)-[:DERIVED_FROM]->(){_all(join, COUNTED.format('t'))} "
                            "RETURN t.doc_id AS doc, count(*) AS n", params)[1]) if linked else None
    parents: dict[str, list[str]] = {}
    for low, up in backend.rows(f"MATCH (d:Document)-[:IMPLEMENTS]->(p:Document){where} RETURN d.id, p.id",
                                params)[1]:
        parents.setdefault(low, []).append(up)
    if where:      # the parents' requirements, which the filter may have left out
        counts.update({doc: (n, req) for doc, n, req in backend.rows(
            f"MATCH (d:Document)-[:IMPLEMENTS]->(p:Document){where} WITH DISTINCT p MATCH (t:Task) "
            f"WHERE t.doc_id = p.id RETURN t.doc_id AS doc, {counted} AS n, {requirement} AS req", params)[1]})
    # One aggregate: per (lower document, upper document), the distinct requirements taken up.
    taken: dict[tuple[str, str], int] = {(low, up): n for low, up, n in backend.rows(
        f"{match}(t:Task)-[r:DERIVED_FROM]->(u:Task)"
        f"{_all(join, PLAN.format('t'), _NOT_REJECTED.format('r'), PLAN.format('u'), OBLIGATION.format('u'))} "
        "RETURN t.doc_id AS low, u.doc_id AS up, count(DISTINCT u.id) AS n", params)[1]}
    rows = []
    for i, level, region, year, title, kind, trunc in docs:
        ps = sorted(parents.get(i, []))
        required = sum(counts.get(p, (0, 0))[1] for p in ps)
        took = sum(taken.get((i, p), 0) for p in ps)
        rows.append({"id": i, "level": level, "region": region, "year": year, "title": title, "kind": kind,
                     "truncated": bool(trunc), "tasks": counts.get(i, (0, 0))[0],
                     **({"linked_tasks": ups.get(i, 0)} if ups is not None else {}),
                     "required": required, "taken": took, "share": _share(took, required), "parents": ps})
    rows.sort(key=lambda r: (LEVEL_RANK.get(r["level"], len(LEVELS)), -(r["year"] or 0), r["id"]))
    return rows


def group_key(level, region=None) -> str:
    """The id of a group's box: its level, and its region when grouped by region.

    >>> group_key("city", "广州市"), group_key("county")
    ('city|广州市', 'county')
    """
    return f"{level or ''}|{region or ''}" if region is not None else f"{level or ''}"


def groups(rows: list[dict], by_region: bool = True) -> list[dict]:
    """:func:`documents` rows summed per (level, region), or per level: ``{key, level, region, documents,
    tasks, required, taken, share}``, in ladder order, then most documents first."""
    acc: dict[str, dict] = {}
    for r in rows:
        region = (r["region"] or "") if by_region else None
        key = group_key(r["level"], region)
        g = acc.setdefault(key, {"key": key, "level": r["level"], "region": region, "documents": 0, "tasks": 0,
                                 "required": 0, "taken": 0})
        g["documents"] += 1
        g["tasks"] += r["tasks"]
        g["required"] += r["required"]
        g["taken"] += r["taken"]
    out = [dict(g, share=_share(g["taken"], g["required"])) for g in acc.values()]
    out.sort(key=lambda g: (LEVEL_RANK.get(g["level"], len(LEVELS)), -g["documents"], g["region"] or ""))
    return out


def group_links(rows: list[dict], by_region: bool = True, among=None) -> list[dict]:
    """How many documents of one group implement a document of another: ``{lower, upper, documents}``
    between group keys (``among``: only between these keys).

    >>> group_links([{"id": "a", "level": "city", "region": "R", "parents": []},
    ...              {"id": "b", "level": "county", "region": "S", "parents": ["a"]}])
    [{'lower': 'county|S', 'upper': 'city|R', 'documents': 1}]
    """
    where = {r["id"]: group_key(r["level"], (r["region"] or "") if by_region else None) for r in rows}
    keep = set(among) if among is not None else None
    count: dict[tuple[str, str], int] = {}
    for r in rows:
        for p in r.get("parents") or []:
            pair = (where[r["id"]], where.get(p))
            if pair[1] and pair[0] != pair[1] and (keep is None or set(pair) <= keep):
                count[pair] = count.get(pair, 0) + 1
    return [{"lower": lo, "upper": up, "documents": n} for (lo, up), n in sorted(count.items())]


def neighbourhood(backend, doc_ids, limit: int = 6000) -> dict:
    """What the documents ``doc_ids`` hold and link to, fetched by ``doc_id`` (indexed): ``documents``
    (these and the plans they implement), ``implements`` pairs, ``sections``, ``tasks`` (at most ``limit``
    in all, in document order; ``left_out`` says how many more there are), ``contains`` and ``assigned``
    relationships, ``units``, and ``upper``: the tasks and sections of the plans above that their tasks
    derive from, with the links (``derived``)."""
    ids = sorted(set(doc_ids))

    def rows(query, **params):
        return [list(r) for r in backend.rows(query, {"ids": ids, **params})[1]]

    implements = rows("UNWIND $ids AS i MATCH (d:Document {id: i})-[r:IMPLEMENTS]->(p:Document) RETURN d.id, p.id, r.via "
                      "ORDER BY d.id, p.id")
    shown = sorted(set(ids) | {p for _, p, _ in implements})
    docs = [dict(zip(("id", "level", "region", "year", "title", "kind", "doc_no"), r)) for r in backend.rows(
        "UNWIND $ids AS i MATCH (d:Document {id: i}) RETURN d.id, d.level, d.region, d.year, d.title, d.kind, d.doc_no "
        "ORDER BY d.id", {"ids": shown})[1]]
    total = rows("MATCH (t:Task) WHERE t.doc_id IN $ids RETURN count(t)")[0][0]
    tasks = [dict(zip(("id", "doc_id", "number", "text", "text_norm", "position", "deadlines", "section_id"), r))
             for r in rows("MATCH (t:Task) WHERE t.doc_id IN $ids RETURN t.id, t.doc_id, t.number, t.text, "
                           "t.text_norm, t.position, t.deadlines, t.section_id ORDER BY t.doc_id, t.position, t.id "
                           "LIMIT $limit",
                           limit=int(limit))]
    sections = [dict(zip(("id", "doc_id", "number", "title", "depth", "position"), r)) for r in rows(
        "MATCH (s:Section) WHERE s.doc_id IN $ids RETURN s.id, s.doc_id, s.number, s.title, s.depth, s.position "
        "ORDER BY s.doc_id, s.position, s.id")]
    contains = rows("MATCH (a)-[:CONTAINS]->(b) WHERE b.doc_id IN $ids RETURN a.id, b.id ORDER BY a.id, b.id")
    # By doc_id, then kept to the tasks fetched: a list of task ids (``t.id IN $tasks``) is a scan of
    # every task for each, about 20 times slower on the embedded store.
    kept = {t["id"] for t in tasks}
    assigned = [r for r in rows("MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit) WHERE t.doc_id IN $ids "
                                "RETURN t.id, u.id, u.name, u.short_name, a.role, a.`column` "
                                "ORDER BY t.id, u.id, a.role") if r[0] in kept]
    upper, derived = {}, []
    for label, text in (("Task", "x.text_norm"), ("Section", "x.title")):
        for t, x, doc, number, words, status, score, method in rows(
                f"MATCH (t:Task)-[r:DERIVED_FROM]->(x:{label}) WHERE t.doc_id IN $ids "
                f"RETURN t.id, x.id, x.doc_id, x.number, {text}, r.status, r.score, r.method ORDER BY t.id, x.id"):
            if t not in kept:
                continue
            upper[x] = {"id": x, "label": label, "doc_id": doc, "number": number,
                        ("text_norm" if label == "Task" else "title"): words}
            derived.append({"lower": t, "upper": x, "status": status or "proposed", "score": score, "method": method})
    return {"documents": docs, "implements": implements, "sections": sections, "tasks": tasks,
            "left_out": max(0, total - len(tasks)), "contains": contains, "assigned": assigned,
            "upper": [upper[k] for k in sorted(upper)], "derived": derived}


def to_graph(found: dict) -> nx.MultiDiGraph:
    """:func:`neighbourhood`'s answer as a small graph with the node and relationship attributes of the
    whole graph (``graph/build.py``), so ``cascade.graphview`` draws it as it draws the graph."""
    G = nx.MultiDiGraph()
    for d in found["documents"]:
        G.add_node(d["id"], label="Document", **{k: v for k, v in d.items() if k != "id"}, id=d["id"])
    for low, up, via in found["implements"]:
        G.add_edge(low, up, key="IMPLEMENTS", type="IMPLEMENTS", via=via)
    for s in found["sections"]:
        G.add_node(s["id"], label="Section", **s)
    for t in found["tasks"]:
        G.add_node(t["id"], label="Task", **{k: v for k, v in t.items() if v is not None or k == "text_norm"})
    for u in found["upper"]:
        if u["id"] not in G and u["doc_id"] in G:
            G.add_node(u["id"], **u)
    for a, b in found["contains"]:
        if a in G and b in G:
            G.add_edge(a, b, key="CONTAINS", type="CONTAINS")
    for t, unit, name, short, role, column in found["assigned"]:
        G.add_node(unit, label="Unit", id=unit, name=name, short_name=short)
        G.add_edge(t, unit, key=f"ASSIGNED_TO:{role}:{column}", type="ASSIGNED_TO", role=role, column=column)
    for r in found["derived"]:
        if r["upper"] in G:
            G.add_edge(r["lower"], r["upper"], key="DERIVED_FROM", type="DERIVED_FROM",
                       **{k: r[k] for k in ("status", "score", "method")})
    return G
