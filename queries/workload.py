"""Who carries what: tasks per responsible unit and role, per level of the document that assigns them.

Only a document's own assignments count (``column == "own"``): a column repeating the level above
would count the same work twice. Tasks of a cover notice are left out, as in :mod:`queries.gaps`.

Collectives (各部门, 各街镇, 属下单位 …) are rows of their own marked ``collective``: they are no one an
office can hold to account, and a page shows them apart. With ``merge=True`` a unit named as the
collective without its 各 (街镇 beside 各街镇, in the same region) is the same collective: its tasks are
counted under it.

>>> from queries.gaps import _example
>>> [(r["name"], r["implement"], r["total"], r["via_collective"], r["collective"]) for r in workload(_example())]
[('各区政府', 2, 2, 0, True), ('市税务局', 2, 2, 0, False), ('区政府办', 0, 0, 2, False)]
"""
from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

from core.records import LEVELS, ROLES
from graph.workload_rows import own_assignments

__all__ = ["workload", "unit_tasks", "is_collective", "collective_aliases", "aliases_by_name", "class_noun_names",
           "CLASS_NOUNS"]

# Names of a class of bodies rather than one body: plural by meaning even without 各 (街镇 are all the
# streets and towns, 属下单位 all the units under a bureau).
CLASS_NOUNS = ("街镇", "镇街", "乡镇", "街道", "乡镇街道", "园区管理机构", "园区", "属下单位", "直属单位", "下属单位", "有关单位",
               "相关单位", "有关部门", "相关部门", "成员单位", "其他股室", "其余股室")
_CLASS_NOUN = re.compile("^(?:" + "|".join(CLASS_NOUNS) + ")$")
_PLACE_PREFIX = "区市县镇省"


def class_noun_names() -> list[str]:
    """Every short name :func:`is_collective` takes for a class of bodies (a noun, or a place word and a
    noun): what a store's query matches, where it has no regular expressions.

    >>> "区街镇" in class_noun_names(), "区局" in class_noun_names()
    (True, False)
    """
    return [*CLASS_NOUNS, *(p + n for p in _PLACE_PREFIX for n in CLASS_NOUNS)]


def is_collective(G: nx.MultiDiGraph, unit: str) -> bool:
    """A collective by the vocabulary (``collective``) or by its name: a bare class of bodies."""
    d = G.nodes[unit]
    if d.get("collective"):
        return True
    short = (d.get("short_name") or d.get("name") or "").strip()
    short = re.sub(f"^[{_PLACE_PREFIX}](?=[^局委办])", "", short)
    return bool(_CLASS_NOUN.match(short))


def collective_aliases(G: nx.MultiDiGraph) -> dict[str, str]:
    """Unit id → the collective it names without its 各 (``…黄埔区街镇`` → ``…黄埔区各街镇``)."""
    return aliases_by_name((n, d.get("name")) for n, d in G.nodes(data=True) if d.get("label") == "Unit")


def aliases_by_name(units) -> dict[str, str]:
    """:func:`collective_aliases` over ``(id, name)`` pairs of units (a store's query gives those whose
    name holds 各 and those named as one without it).

    >>> aliases_by_name([("a", "黄埔区各街镇"), ("b", "黄埔区街镇"), ("c", "各")])
    {'b': 'a'}
    """
    units = list(units)
    by_name = {name: n for n, name in units if name}
    out = {}
    for n, name in units:
        name = name or ""
        if "各" not in name:
            continue
        i = name.rfind("各")
        bare = name[:i] + name[i + 1:]
        other = by_name.get(bare)
        if other and other != n and bare[i:]:
            out[other] = n
    return out


def workload(G: nx.MultiDiGraph, merge: bool = False) -> list[dict]:
    """One row per unit and level: ``{unit, name, level, lead, implement, cooperate, support, total,
    via_collective, collective, merged}``, most tasks first. With ``merge``, a unit that names a collective
    without its 各 is counted under the collective (``merged``: the names counted under it); without, the
    rows are those of the saved query ``queries/cypher/workload.cypher``.

    ``total`` counts distinct tasks (a unit named twice on one task, say lead and cooperate, counts
    once); ``via_collective`` counts the further tasks that reach the unit through a collective that
    covers it (``MEMBER_OF``), which the role columns leave out.
    """
    from graph.membership import members_of

    alias = collective_aliases(G) if merge else {}
    by_role: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for t, v, role, level in own_assignments(G):
        v = alias.get(v, v)
        by_role[(v, level)][role].add(t)
        by_role[(v, level)]["total"].add(t)
    via: dict[tuple, set] = defaultdict(set)
    for (c, level), roles in list(by_role.items()):
        if not is_collective(G, c):
            continue
        for m in _all_members(G, c, members_of):
            via[(m, level)].update(roles["total"])
    for key in via:
        via[key] -= by_role.get(key, {}).get("total", set())
    keys = {k for k in set(by_role) | {k for k, v in via.items() if v} if k[0] not in alias}
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows = []
    for v, level in keys:
        roles = by_role.get((v, level), {})
        d = G.nodes[v]
        row = {"unit": v, "name": d.get("name"), "level": level}
        row.update({r: len(roles.get(r, ())) for r in ROLES})
        row["total"] = len(roles.get("total", ()))
        row["via_collective"] = len(via.get((v, level), ()))
        row["collective"] = is_collective(G, v)
        row["merged"] = sorted(G.nodes[a].get("name") or a for a, c in alias.items() if c == v)
        rows.append(row)
    rows.sort(key=lambda r: (-r["total"], rank.get(r["level"], 9), r["name"] or "", r["unit"]))
    return rows


def _all_members(G, collective, members_of) -> set[str]:
    out, todo = set(), [collective]
    while todo:
        for m in members_of(G, todo.pop()):
            if m not in out:
                out.add(m)
                todo.append(m)
    return out


def unit_tasks(G: nx.MultiDiGraph, unit_id: str) -> list[dict]:
    """The tasks of one unit: its own assignments, then those reaching it through a collective.

    Rows: ``{task, doc_id, level, number, role, via, text}``; ``via`` is ``None`` for a direct
    assignment, else the collective's name.

    >>> from queries.gaps import _example
    >>> [(r["task"], r["via"]) for r in unit_tasks(_example(), "u:gov")]
    [('up/1', '各区政府'), ('up/2', '各区政府')]
    """
    from graph.membership import covering

    if unit_id not in G:
        return []
    reach = [(unit_id, None)] + [(c, G.nodes[c].get("name")) for c in covering(G, unit_id)]
    rows, seen = [], set()
    for target, via in reach:
        for t, _, d in sorted(G.in_edges(target, data=True), key=lambda e: e[0]):
            if d.get("type") != "ASSIGNED_TO" or d.get("column", "own") != "own" or t in seen:
                continue
            td = G.nodes[t]
            if td.get("scope", "plan") == "notice":
                continue
            seen.add(t)
            rows.append({"task": t, "doc_id": td.get("doc_id"),
                         "level": G.nodes.get(td.get("doc_id"), {}).get("level"), "number": td.get("number"),
                         "role": d.get("role"), "via": via, "text": td.get("text_norm")})
    return rows
