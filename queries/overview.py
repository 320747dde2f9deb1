"""Overview numbers of a cascade graph: what the first page of the app and the report show."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from core.records import LEVELS

__all__ = ["label_counts", "documents_table", "documents_per_level", "counted", "COUNTED"]


# :func:`counted` in Cypher, of a task bound to ``{0}`` (the store's answers count as the graph's).
COUNTED = "coalesce({0}.clause, 'obligation') <> 'framing'"


def label_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes per label and of relationships per type.

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document")
    >>> label_counts(G)
    {'Document': 1}
    """
    c = Counter(d.get("label") for _, d in G.nodes(data=True))
    c.update(d.get("type") for _, _, d in G.edges(data=True))
    return dict(sorted(c.items()))


def counted(task: dict) -> bool:
    """Whether a task node is one of the tasks an analyst counts in its plan: any but a sentence of a
    framing section (总体要求, 指导思想, 基本原则, 工作目标: ``clause: framing``), which states the plan's aim.

    >>> counted({"clause": "obligation"}), counted({}), counted({"clause": "framing"})
    (True, True, False)
    """
    return task.get("clause", "obligation") != "framing"


def documents_table(G: nx.MultiDiGraph) -> list[dict]:
    """One row per document, top level first: id, level, region, year, title, tasks (the tasks an analyst
    counts: :func:`counted`), the links up from them, warnings."""
    tasks = Counter(d.get("doc_id") for _, d in G.nodes(data=True) if d.get("label") == "Task" and counted(d))
    linked = Counter(G.nodes[u].get("doc_id") for u, _, d in G.edges(data=True)
                     if d.get("type") == "DERIVED_FROM" and counted(G.nodes[u]))
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("label") != "Document":
            continue
        rows.append({"id": n, "level": d.get("level"), "region": d.get("region"), "year": d.get("year"),
                     "title": d.get("title"), "tasks": tasks.get(n, 0), "linked_tasks": linked.get(n, 0),
                     "truncated": bool(d.get("truncated")), "warnings": "; ".join(d.get("warnings") or [])})
    rows.sort(key=lambda r: (rank.get(r["level"], 9), -(r["year"] or 0), r["id"]))
    return rows


def documents_per_level(G: nx.MultiDiGraph) -> dict[str, int]:
    """Documents per level, in ladder order (levels with none are left out)."""
    c = Counter(d.get("level") for _, d in G.nodes(data=True) if d.get("label") == "Document")
    return {lvl: c[lvl] for lvl in LEVELS if c.get(lvl)}
