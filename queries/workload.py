"""Who carries what: tasks per responsible unit and role, per level of the document that assigns them.

Only a document's own assignments count (``column == "own"``): a column repeating the level above
would count the same work twice. Tasks of a cover notice are left out, as in :mod:`queries.gaps`.

>>> from queries.gaps import _example
>>> [(r["name"], r["implement"], r["total"], r["via_collective"]) for r in workload(_example())]
[('各区政府', 2, 2, 0), ('市税务局', 2, 2, 0), ('区政府办', 0, 0, 2)]
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from loaders.records import LEVELS, ROLES

__all__ = ["workload", "unit_tasks"]


def workload(G: nx.MultiDiGraph) -> list[dict]:
    """One row per unit and level: ``{unit, name, level, lead, implement, cooperate, support, total,
    via_collective}``, most tasks first.

    ``total`` counts distinct tasks (a unit named twice on one task, say lead and cooperate, counts
    once); ``via_collective`` counts the further tasks that reach the unit through a collective that
    covers it (``MEMBER_OF``), which the role columns leave out.
    """
    from graph.membership import members_of

    by_role: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for t, v, role, level in _assignments(G):
        by_role[(v, level)][role].add(t)
        by_role[(v, level)]["total"].add(t)
    via: dict[tuple, set] = defaultdict(set)
    for (c, level), roles in list(by_role.items()):
        if not G.nodes[c].get("collective"):
            continue
        for m in _all_members(G, c, members_of):
            via[(m, level)].update(roles["total"])
    for key in via:
        via[key] -= by_role.get(key, {}).get("total", set())
    keys = set(by_role) | {k for k, v in via.items() if v}
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows = []
    for v, level in keys:
        roles = by_role.get((v, level), {})
        d = G.nodes[v]
        row = {"unit": v, "name": d.get("name"), "level": level}
        row.update({r: len(roles.get(r, ())) for r in ROLES})
        row["total"] = len(roles.get("total", ()))
        row["via_collective"] = len(via.get((v, level), ()))
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


def _assignments(G):
    """(task, unit, role, level of the task's document) of every own assignment of a plan task."""
    for t, v, d in G.edges(data=True):
        if d.get("type") != "ASSIGNED_TO" or d.get("column", "own") != "own":
            continue
        td = G.nodes[t]
        if td.get("scope", "plan") == "notice":
            continue
        doc = G.nodes.get(td.get("doc_id"), {})
        yield t, v, d.get("role") or "implement", doc.get("level")


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
