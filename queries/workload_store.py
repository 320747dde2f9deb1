"""The units page's workload asked of the store (queries/backend.py: embedded or Bolt), merged as
:func:`queries.workload.workload` merges it (``merge=True``), without the graph.

* :func:`aliases`: a unit named as a collective without its 各 (街镇 beside 各街镇) → that collective, from
  the names of the units whose name holds 各 and of those named as one of them without it;
* :func:`accountable_page`: the units one can hold to account (neither a collective nor such a name), per
  level, a page at a time, counted and ordered by the store as the graph's rows are ordered, with
  ``via_collective`` (tasks that reach the unit through a collective covering it, ``MEMBER_OF``) for the
  units of the page only;
* :func:`collectives`: the collectives' rows, a name without its 各 counted under its collective.

The store knows a collective by its ``collective`` flag or by its short name being one of
:func:`queries.workload.class_noun_names`, the names :func:`queries.workload.is_collective` takes.
"""
from __future__ import annotations

from collections import defaultdict

from core.records import LEVELS, ROLES
from graph.build import unit_id
from queries.workload import aliases_by_name, class_noun_names

__all__ = ["aliases", "accountable_page", "collectives"]

# A unit's counts per level, as the store keeps them (graph/workload_rows.py): what counting its own
# assignments would give (at a nation-year an aggregate over 1.9M assignments, 4-35 s before a page's first row).
_ROWS = "MATCH (w:Workload)-[:WORKLOAD_OF]->(u:Unit) WHERE "
_COLLECTIVE = "(coalesce(u.collective, false) OR coalesce(u.short_name, u.name, '') IN $nouns)"
_RANK = "CASE w.level " + " ".join(f"WHEN '{lvl}' THEN {i}" for i, lvl in enumerate(LEVELS)) + " ELSE 9 END"
_COUNTS = ", ".join(f"w.{c} AS {c}" for c in (*ROLES, "total"))


def aliases(backend) -> dict[str, str]:
    """Unit id → the collective it names without its 各 (:func:`queries.workload.aliases_by_name`)."""
    _, named = backend.rows("MATCH (u:Unit) WHERE u.name CONTAINS '各' RETURN u.id, u.name")
    bare = sorted({name[:name.rfind("各")] + name[name.rfind("各") + 1:] for _, name in named})
    # by key (a unit's id is made of its name): "u.name IN $names" compared every unit with every name
    # (1M: 9,112 names, 6.4 s; by key 0.06 s)
    _, plain = backend.rows("UNWIND $ids AS x MATCH (u:Unit {id: x}) RETURN u.id, u.name",
                            {"ids": [unit_id(n) for n in bare]}, chunk="ids")
    return aliases_by_name([*plain, *named])


def _filters(level: str | None, name: str | None) -> tuple[str, dict]:
    where, params = "", {}
    if level:
        where += " AND w.level = $level"
        params["level"] = level
    if name:
        where += " AND u.name CONTAINS $name"
        params["name"] = name
    return where, params


def accountable_page(backend, alias: dict, offset: int = 0, limit: int = 50, level: str | None = None,
                     name: str | None = None) -> tuple[int, list[dict]]:
    """(how many unit·level rows, one page of them): ``{unit, name, level, lead, implement, cooperate,
    support, total, via_collective, collective}``, most tasks first, as :func:`queries.workload.workload`
    orders them; ``level`` and ``name`` (words the unit's name holds) filter."""
    where, params = _filters(level, name)
    params.update(nouns=class_noun_names(), aliases=sorted(alias))
    match = _ROWS + f"NOT {_COLLECTIVE} AND NOT u.id IN $aliases" + where
    total = int(backend.rows(match + " RETURN count(*)", params)[1][0][0])
    _, rows = backend.rows(
        match + f" RETURN w.unit AS unit, w.name AS name, w.level AS level, {_RANK} AS rank, {_COUNTS} "
        "ORDER BY total DESC, rank, name, unit SKIP $skip LIMIT $limit",
        {**params, "skip": int(offset), "limit": int(limit)})
    page = [{"unit": r[0], "name": r[1], "level": r[2], **dict(zip(ROLES, r[4:8])), "total": r[8]} for r in rows]
    via = _via(backend, alias, [r["unit"] for r in page])
    for r in page:
        r["via_collective"] = len(via.get((r["unit"], r["level"]), ()))
        r["collective"] = False
    return total, page


def _tasks(backend, units) -> list[list]:
    """(unit, level, role, task) of every own assignment of a plan task to ``units``. The scope is tested
    here and the documents' levels asked by their keys: a test of it in the query, or the join on
    ``doc_id``, made the engine scan every task (0.36-0.45 s for a page's 50 units at 1M; so 0.05 s)."""
    _, rows = backend.rows("MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit) WHERE u.id IN $units AND a.`column` = 'own' "
                           "RETURN u.id, t.doc_id, a.role, t.id, t.scope", {"units": sorted(set(units))}, chunk="units")
    rows = [r for r in rows if (r[4] if r[4] is not None else "plan") != "notice"]
    docs = sorted({r[1] for r in rows if r[1] is not None})
    levels = dict(backend.rows("UNWIND $ids AS x MATCH (d:Document {id: x}) RETURN d.id, d.level", {"ids": docs},
                               chunk="ids")[1]) if docs else {}
    return [[u, levels[d], role if role is not None else "implement", t] for u, d, role, t, _ in rows if d in levels]


def _via(backend, alias: dict, units: list[str]) -> dict[tuple, set]:
    """(unit, level) → the tasks that reach the unit through a collective covering it, less its own."""
    if not units:
        return {}
    _, cover = backend.rows("MATCH (m:Unit)-[:MEMBER_OF*1..6]->(u:Unit) WHERE m.id IN $units AND "
                            f"{_COLLECTIVE} RETURN DISTINCT m.id, u.id", {"units": units, "nouns": class_noun_names()}, chunk="units")
    if not cover:
        return {}
    named = defaultdict(set)                     # a collective's tasks include those of its name without 各
    for a, c in alias.items():
        named[c].add(a)
    by_unit = defaultdict(set)
    for u, level, _, t in _tasks(backend, {c for _, c in cover} | {a for _, c in cover for a in named[c]}):
        by_unit[(alias.get(u, u), level)].add(t)
    via = defaultdict(set)
    for m, c in cover:
        for (u, level), tasks in by_unit.items():
            if u == c:
                via[(m, level)] |= tasks
    for u, level, _, t in _tasks(backend, units):
        via[(u, level)].discard(t)
    return via


def collectives(backend, alias: dict, level: str | None = None, name: str | None = None) -> list[dict]:
    """The collectives' rows (``{unit, name, level, lead, implement, cooperate, support, total, merged,
    collective}``), most tasks first; a unit named as a collective without its 各 counted under it
    (``merged``: the names counted under it)."""
    where, params = _filters(level, name)
    params.update(nouns=class_noun_names(), merged=sorted(set(alias) | set(alias.values())))
    _, rows = backend.rows(_ROWS + f"{_COLLECTIVE} AND NOT u.id IN $merged" + where
                           + f" RETURN w.unit, w.name, w.level, {_COUNTS}", params)
    out = [{"unit": r[0], "name": r[1], "level": r[2], **dict(zip(ROLES, r[3:7])), "total": r[7], "merged": []}
           for r in rows]
    # The merged ones task by task (a task named under both names counts once), filtered as merged rows.
    groups: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for u, lvl, role, t in _tasks(backend, params["merged"]):
        if not level or lvl == level:
            groups[(alias.get(u, u), lvl)][role].add(t)
            groups[(alias.get(u, u), lvl)]["total"].add(t)
    if groups:
        _, names = backend.rows("UNWIND $ids AS i MATCH (u:Unit {id: i}) RETURN u.id, u.name", {"ids": params["merged"]}, chunk="ids")
        names = dict(names)
        for (u, lvl), roles in groups.items():
            if name and name not in (names.get(u) or ""):
                continue
            out.append({"unit": u, "name": names.get(u), "level": lvl, **{r: len(roles.get(r, ())) for r in ROLES},
                        "total": len(roles["total"]),
                        "merged": sorted(names.get(a) or a for a, c in alias.items() if c == u)})
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    for r in out:
        r["collective"] = True
    out.sort(key=lambda r: (-r["total"], rank.get(r["level"], 9), r["name"] or "", r["unit"]))
    return out

