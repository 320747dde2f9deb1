"""The workload rows a store keeps beside the graph: per unit and level of the assigning document, how
many plan tasks the unit leads, implements, cooperates on or supports (its own assignments only).

The saved query ``queries/cypher/workload.cypher`` ranks these rows. Counted at query time they are an
aggregate over every assignment of the graph (at a nation-year 1.9M assignments into 340,603 rows: 4 s
on the embedded store, 16 s on FalkorDB, before the first row of a page); counted once when the store
is written (:mod:`graph.store.bulk`, the push of :mod:`graph.push`), a page is an ORDER BY over the
rows alone (0.2 s). They live in the databases only, as ``(:Workload)-[:WORKLOAD_OF]->(:Unit)``: the
networkx graph and the exports hold none, since every one of them is derived from the graph.

>>> G = nx.MultiDiGraph()
>>> G.add_node("d", label="Document", level="city")
>>> G.add_node("d/1", label="Task", doc_id="d")
>>> G.add_nodes_from(["u:a", "u:b"], label="Unit")
>>> for unit, role in (("u:a", "lead"), ("u:a", "cooperate"), ("u:b", "implement")):
...     _ = G.add_edge("d/1", unit, type="ASSIGNED_TO", role=role, column="own")
>>> [(r["id"], r["lead"], r["cooperate"], r["total"]) for r in workload_rows(G)]
[('u:a|city', 1, 1, 1), ('u:b|city', 0, 0, 1)]
"""
from __future__ import annotations

import networkx as nx

from core.records import ROLES

__all__ = ["WORKLOAD_LABEL", "WORKLOAD_REL", "WORKLOAD_COLUMNS", "COUNTED", "own_assignments",
           "workload_counts", "workload_columns", "workload_rows", "row_id"]

WORKLOAD_LABEL = "Workload"
WORKLOAD_REL = "WORKLOAD_OF"
# A row's columns and their engine types: ``id`` is the row's key (:func:`row_id`); ``unit`` and ``name``
# are those of the unit its WORKLOAD_OF relationship ends at, kept on the row too: a page ranks the rows
# alone (at 1M, 70 ms; joined to their units 0.7 s), and an incremental build finds the rows of a unit
# that is gone. A unit's name never changes: its id is made of it (graph.build.unit_id).
COUNTED = (*ROLES, "total")
WORKLOAD_COLUMNS = [("id", "STRING"), ("unit", "STRING"), ("name", "STRING"), ("level", "STRING"),
                    *((c, "INT64") for c in COUNTED)]


def row_id(unit: str, level: str | None) -> str:
    """The key of a unit's row at one level.

    >>> row_id("unit:省商务厅", "province")
    'unit:省商务厅|province'
    """
    return f"{unit}|{level or ''}"


def _own(d: dict) -> bool:
    """An own assignment: a column repeating the level above would count the same work twice."""
    return d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own"


def _plan_task(d: dict) -> bool:
    return d.get("scope", "plan") != "notice"


def own_assignments(G: nx.MultiDiGraph):
    """(task, unit, role, level of the task's document) of every own assignment (``column`` ``own``) of a
    task not of a cover notice; a role left unsaid is ``implement``."""
    for t, v, d in G.edges(data=True):
        if not _own(d):
            continue
        td = G.nodes[t]
        if not _plan_task(td):
            continue
        doc = G.nodes.get(td.get("doc_id"), {})
        yield t, v, d.get("role") or "implement", doc.get("level")


def workload_counts(G: nx.MultiDiGraph) -> dict[tuple, list[int]]:
    """``(unit, level) → [tasks per role …, total]`` in the order of :data:`COUNTED`:
    :func:`own_assignments` counted, a task once per role and once in the total (a unit named twice on
    one task, say lead and cooperate, counts in both roles and once in the total). Tasks whose document
    is not in the graph count at no level, as the store's join of tasks to their documents drops them.
    Counted task by task over the adjacency, into lists rather than sets of task ids or dicts (at 1M,
    1.9M assignments into 340,603 counts: 5-6 s). Counts add up: a graph's are the sum of its documents'."""
    nodes, succ = G._node, G._succ
    at = {c: i for i, c in enumerate(COUNTED)}
    last = len(COUNTED) - 1
    counts: dict[tuple, list[int]] = {}
    # _own and _plan_task inlined: a call per edge was a quarter of the time (1M: ~4 s in all)
    for t, td in nodes.items():
        if td.get("label") != "Task" or td.get("scope") == "notice":
            continue
        doc = nodes.get(td.get("doc_id"))
        if doc is None:
            continue
        level = doc.get("level")
        for v, keyed in succ[t].items():
            roles = None
            for d in keyed.values():
                if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own":
                    if roles is None:
                        roles = set()
                    roles.add(d.get("role") or "implement")
            if roles is None or nodes[v].get("label") != "Unit":
                continue
            c = counts.get((v, level))
            if c is None:
                c = counts[(v, level)] = [0] * len(COUNTED)
            for r in roles:
                i = at.get(r, last)
                if i != last:
                    c[i] += 1
            c[last] += 1
    return counts


def workload_columns(G: nx.MultiDiGraph) -> dict[str, list]:
    """The rows of :data:`WORKLOAD_COLUMNS` as columns (name → values), by id: what a bulk load copies,
    without a dict per row."""
    nodes = G._node
    counts = workload_counts(G)
    keys = sorted(counts, key=lambda k: row_id(*k))
    out = {"id": [row_id(v, level) for v, level in keys], "unit": [v for v, _ in keys],
           "name": [nodes[v].get("name") for v, _ in keys], "level": [level for _, level in keys]}
    for i, c in enumerate(COUNTED):
        out[c] = [counts[k][i] for k in keys]
    return out


def workload_rows(G: nx.MultiDiGraph) -> list[dict]:
    """The rows of :data:`WORKLOAD_COLUMNS` (:func:`workload_counts`), one dict per unit and level with an
    own assignment, by id."""
    columns = workload_columns(G)
    return [dict(zip(columns, values)) for values in zip(*columns.values())]
