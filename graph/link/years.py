"""Year over year (``CONTINUES``): a plan and the same issuer's plan of the year before, document to
document and task to task.
"""
from __future__ import annotations

import re

import networkx as nx

from .features import _TaskIndex
from .scoring import score_pair

__all__ = ["link_years"]

CONTINUES_THRESHOLD = 0.45      # same task carried over to next year's plan


def issuer_key(d: dict) -> str | None:
    from loaders.normalize import normalize

    issuer = d.get("issuer")
    return re.sub(r"\s+", "", normalize(issuer)) if issuer else None


def link_years(G: nx.MultiDiGraph, threshold: float = CONTINUES_THRESHOLD, index: _TaskIndex | None = None) -> int:
    """``CONTINUES`` from a plan to the same issuer's plan of the year before, document to document
    (``kind: year``, with the counts ``carried_over``, ``new``, ``dropped``) and task to task
    (``kind: carried_over``). Returns the number of task edges added."""
    index = index or _TaskIndex(G)
    by_key: dict[tuple, list[str]] = {}
    for n in index.tasks_of:        # documents with plan tasks (not a pass over every node)
        d = G.nodes[n] if n in G else {}
        if d.get("label") == "Document" and issuer_key(d) and d.get("year"):
            by_key.setdefault((issuer_key(d), d.get("year")), []).append(n)
    added = 0
    for (issuer, year), docs in sorted(by_key.items()):
        for prev in sorted(by_key.get((issuer, year - 1), [])):
            for cur in sorted(docs):
                added += _continue_pair(G, index, cur, prev, threshold)
    return added


def _continue_pair(G, index, cur: str, prev: str, threshold: float) -> int:
    ps = score_pair(index, cur, prev, ("lexical", "structure", "order"))
    S = ps.score
    carried = 0
    taken = set()
    for i, n in enumerate(ps.lowers):
        if not len(ps.uppers):
            break
        j = int(S[i].argmax())
        if S[i, j] >= threshold:
            G.add_edge(n, ps.uppers[j], key="CONTINUES", type="CONTINUES", kind="carried_over",
                       score=round(float(S[i, j]), 4))
            carried += 1
            taken.add(j)
    new = len(ps.lowers) - carried
    dropped = len(ps.uppers) - len(taken)
    share = carried / len(ps.lowers) if ps.lowers else 0.0
    G.add_edge(cur, prev, key="CONTINUES", type="CONTINUES", kind="year", score=round(share, 4),
               carried_over=carried, new=new, dropped=dropped)
    return carried
