"""One requirement followed down every level: which lower documents took it up, with which tasks,
and where it stopped.

A lower task continues a requirement when it derives from it, or from a section that contains it
(a link that could go no finer); rejected links do not count. The same walk is the saved query
``queries/cypher/trace.cypher``.

>>> from queries.gaps import _example
>>> t = trace(_example(), "up/1")
>>> [(b["lower_doc"], b["status"], [c["task"] for c in b["tasks"]]) for b in t["below"]]
[('low', 'covered', ['low/1'])]
>>> [(r["depth"], r["task"], r["status"]) for r in trace_rows(_example(), "up/2")]
[(0, 'up/2', None), (1, None, 'gap')]
"""
from __future__ import annotations

import networkx as nx

from core.errors import CascadeError

__all__ = ["trace", "trace_rows", "trace_up", "derived_below"]


def derived_below(G: nx.MultiDiGraph, task: str) -> list[str]:
    """Lower tasks that derive from ``task`` or from a section containing it, sorted."""
    from queries.gaps import sections_above

    out = set()
    for target in [task, *sections_above(G, task)]:
        for t, _, d in G.in_edges(target, data=True):
            if d.get("type") == "DERIVED_FROM" and d.get("status") != "rejected":
                out.add(t)
    return sorted(out)


def trace_up(G: nx.MultiDiGraph, task: str) -> list[str]:
    """The chain above ``task``: what it derives from, one step at a time, nearest first (the first
    target where a task derives from several).

    >>> from queries.gaps import _example
    >>> trace_up(_example(), "low/1")
    ['up/1']
    """
    from queries.gaps import derived_targets

    up, seen, node = [], {task}, task
    while True:
        above = [x for x in derived_targets(G, node) if x not in seen]
        if not above:
            return up
        node = above[0]
        seen.add(node)
        up.append(node)


def trace(G: nx.MultiDiGraph, task_id: str, rows: list[dict] | None = None) -> dict:
    """The tree below one task.

    ``{task, doc_id, level, number, text, above: [ids it derives from], below: [{lower_doc, level,
    status, reason, tasks: [subtree, …]}]}``: one branch per document that implements the task's
    document, with the coverage status of the task there (``covered``, ``gap``, ``not_applicable``).
    """
    from queries.gaps import coverage, derived_targets

    if task_id not in G or G.nodes[task_id].get("label") != "Task":
        raise CascadeError(f"no task '{task_id}' in the graph")
    rows = coverage(G) if rows is None else rows
    status = {(r["upper"], r["lower_doc"]): r for r in rows if r["status"] != "local"}
    lowers: dict[str, list[str]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") == "IMPLEMENTS":
            lowers.setdefault(v, []).append(u)

    def walk(t: str, seen: frozenset) -> dict:
        d = G.nodes[t]
        doc = d.get("doc_id")
        node = {"task": t, "doc_id": doc, "level": G.nodes.get(doc, {}).get("level"), "number": d.get("number"),
                "text": d.get("text_norm"), "above": derived_targets(G, t), "below": []}
        below = [x for x in derived_below(G, t) if x not in seen]
        for lo in sorted(lowers.get(doc, [])):
            r = status.get((t, lo))
            kids = [x for x in below if G.nodes[x].get("doc_id") == lo]
            node["below"].append({
                "lower_doc": lo, "level": G.nodes[lo].get("level"),
                "status": r["status"] if r else ("covered" if kids else None),
                "reason": r["reason"] if r else "",
                "tasks": [walk(x, seen | {x}) for x in kids]})
        return node

    return walk(task_id, frozenset({task_id}))


def trace_rows(G: nx.MultiDiGraph, task_id: str) -> list[dict]:
    """:func:`trace` flattened, depth first: ``{depth, level, doc_id, task, number, status, reason,
    text}``. A document that did not take the requirement up is a row with ``task`` None."""
    out: list[dict] = []

    def flat(node: dict, depth: int, status, reason):
        out.append({"depth": depth, "level": node["level"], "doc_id": node["doc_id"], "task": node["task"],
                    "number": node["number"], "status": status, "reason": reason, "text": node["text"]})
        for b in node["below"]:
            if not b["tasks"]:
                out.append({"depth": depth + 1, "level": b["level"], "doc_id": b["lower_doc"], "task": None,
                            "number": None, "status": b["status"], "reason": b["reason"], "text": None})
            for kid in b["tasks"]:
                flat(kid, depth + 1, b["status"], b["reason"])

    flat(trace(G, task_id), 0, None, "")
    return out
