"""Overview numbers of a cascade graph: what the first page of the app and the report show."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from core.records import LEVELS

__all__ = ["label_counts", "documents_table", "documents_per_level"]


def label_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes per label and of relationships per type.

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document")
    >>> label_counts(G)
    {'Document': 1}
    """
    c = Counter(d.get("label") for _, d in G.nodes(data=True))
    c.update(d.get("type") for _, _, d in G.edges(data=True))
    return dict(sorted(c.items()))


def documents_table(G: nx.MultiDiGraph) -> list[dict]:
    """One row per document, top level first: id, level, region, year, title, tasks, links up, warnings."""
    tasks = Counter(d.get("doc_id") for _, d in G.nodes(data=True) if d.get("label") == "Task")
    linked = Counter(G.nodes[u].get("doc_id") for u, _, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM")
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
