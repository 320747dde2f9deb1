"""Reviews applied to the links (:mod:`graph.reviews` reads them): confirmed links are kept, flagged
when their texts changed, and carried over to next year's tasks that continue them.
"""
from __future__ import annotations

import networkx as nx

from .evidence import _kind, _spans, node_text, review_hash, span_dicts
from .features import _TaskIndex
from .scoring import similarity

__all__ = ["apply_reviews", "reuse_reviews"]


def _add_link(G, lower: str, upper: str, score: float, method: str, kind: str | None,
              status: str = "proposed") -> None:
    lt, ut = node_text(G, lower), node_text(G, upper)
    spans = _spans(lt, ut)
    G.add_edge(lower, upper, key="DERIVED_FROM", type="DERIVED_FROM", score=round(min(max(score, 0.0), 1.0), 4),
               method=method, status=status, kind=kind or _kind(lt, ut, spans), evidence=span_dicts(spans),
               suspect=False)


def apply_reviews(G: nx.MultiDiGraph, reviews: dict, index: _TaskIndex | None = None) -> None:
    """Confirmed links are kept (added if the linker did not propose them) with status ``confirmed``;
    a reviewed link whose texts changed since review is flagged ``suspect``. Rejected links were
    removed before proposing (see :func:`graph.link.link_tasks`)."""
    for (lower, upper), r in sorted(reviews.items()):
        if r.get("status") != "confirmed" or lower not in G or upper not in G:
            continue
        if not G.has_edge(lower, upper, key="DERIVED_FROM"):
            _add_link(G, lower, upper, similarity(node_text(G, lower), node_text(G, upper)), "review", None)
        e = G.edges[lower, upper, "DERIVED_FROM"]
        e["status"] = "confirmed"
        stored = r.get("hash")
        e["suspect"] = bool(stored) and stored != review_hash(node_text(G, lower), node_text(G, upper))


def reuse_reviews(G: nx.MultiDiGraph, reviews: dict) -> int:
    """Last year's confirmed links, carried over: when a task continues a task whose link was confirmed,
    and the upper task continues too (or is the same), the corresponding link is proposed this year
    (``method: continues``) unless the linker found it already or a review decided it. Returns the
    number of links added."""
    if not any(r.get("status") == "confirmed" for r in reviews.values()):
        return 0        # nothing to carry over (and no scan of every edge of a large graph)
    carried: dict[str, list[str]] = {}
    parents: dict[str, set] = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") == "CONTINUES" and d.get("kind") == "carried_over":
            carried.setdefault(v, []).append(u)
        elif d.get("type") == "IMPLEMENTS":
            parents.setdefault(u, set()).add(v)
    added = 0
    for (lo0, up0), r in sorted(reviews.items()):
        if r.get("status") != "confirmed" or lo0 not in carried:
            continue
        for lo1 in carried[lo0]:
            allowed = parents.get(G.nodes[lo1].get("doc_id"), set())
            for up1 in [*carried.get(up0, []), up0]:
                if (up1 not in G or G.nodes[up1].get("doc_id") not in allowed or (lo1, up1) in reviews
                        or G.has_edge(lo1, up1, key="DERIVED_FROM")):
                    continue
                _add_link(G, lo1, up1, similarity(node_text(G, lo1), node_text(G, up1)), "continues", None)
                added += 1
    return added
