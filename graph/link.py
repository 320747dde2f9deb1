"""Linking the levels: which lower document implements which upper one, and which lower task
derives from which upper requirement.

Candidates for a lower task come only from the documents its document implements, so the cost is
(tasks of a document × tasks of its parents), never the corpus squared.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import networkx as nx

from loaders.records import LEVELS

__all__ = ["link_documents", "link_tasks", "link", "similarity", "DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 0.28
_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
_NOISE = re.compile(r"[\s\d,.;:!?()\[\]、。,;:“”\"'《》〔〕|/—\-]+")


def _docno_key(no: str | None) -> str | None:
    """A document number reduced to what survives bracket and digit variants.

    >>> _docno_key("穗府办函[2022]48号") == _docno_key("穗府辦函〔2022〕48號")
    True
    """
    if not no:
        return None
    from loaders.normalize import normalize

    s = normalize(no)
    m = re.search(r"(.*?)[〔\[(【]?(\d{4})[〕\])】]?(\d*)号", s)
    if not m:
        return s
    return f"{m.group(1)}|{m.group(2)}|{int(m.group(3)) if m.group(3) else ''}"


def _region_chain(region: str | None) -> list[str]:
    from loaders.units import split_region

    parts = split_region(region)
    return ["".join(parts[: i + 1]) for i in range(len(parts))]


def link_documents(G: nx.MultiDiGraph) -> None:
    """Add ``IMPLEMENTS`` edges: by citation, by the manifest, else by region chain and year."""
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    by_docno: dict[str, list[str]] = {}
    for n, d in docs.items():
        key = _docno_key(d.get("doc_no"))
        if key:
            by_docno.setdefault(key, []).append(n)
    by_source = {d.get("source"): n for n, d in docs.items()}
    for n, d in sorted(docs.items()):
        parents: dict[str, str] = {}
        for ref in d.get("parents") or []:
            target = ref if ref in docs else by_source.get(ref) or next(iter(by_docno.get(_docno_key(ref) or "", [])), None)
            if target and target != n:
                parents.setdefault(target, "manifest")
        for cited in d.get("cites") or []:
            for target in by_docno.get(_docno_key(cited) or "", []):
                if target != n and _rank(docs[target]) < _rank(d):
                    parents.setdefault(target, "citation")
        if not parents:
            target = _nearest_above(n, d, docs)
            if target:
                parents[target] = "inferred"
        for target, via in sorted(parents.items()):
            G.add_edge(n, target, key="IMPLEMENTS", type="IMPLEMENTS", via=via)


def _rank(d: dict) -> int:
    return _RANK.get(d.get("level") or "", len(LEVELS))


def _nearest_above(n: str, d: dict, docs: dict) -> str | None:
    """The nearest loaded document above in the same region chain and year (levels not loaded are
    skipped: a department's plan may implement the national one directly)."""
    chain = _region_chain(d.get("region"))
    best, best_key = None, None
    for m, e in docs.items():
        if m == n or _rank(e) >= _rank(d) or e.get("year") != d.get("year"):
            continue
        region = e.get("region") or ""
        if e.get("level") == "national" or region in ("全国", "中国"):
            distance = len(chain) + 1
        elif region in chain:
            distance = len(chain) - chain.index(region)
        else:
            continue
        key = (distance, -_rank(e), m)
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best


def _grams(text: str) -> Counter:
    s = _NOISE.sub("", text or "")
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def similarity(a: str, b: str) -> float:
    """Cosine similarity of character bigrams (the lexical baseline).

    >>> round(similarity("做好财政信息公开", "做好财政信息公开工作"), 2)
    0.88
    """
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    dot = sum(v * gb.get(k, 0) for k, v in ga.items())
    return dot / math.sqrt(sum(v * v for v in ga.values()) * sum(v * v for v in gb.values()))


def link_tasks(G: nx.MultiDiGraph, threshold: float = DEFAULT_THRESHOLD) -> None:
    """Add ``DERIVED_FROM`` edges from each lower task to its best upper requirement(s)."""
    tasks_of: dict[str, list[str]] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == "Task" and d.get("scope", "plan") == "plan":
            tasks_of.setdefault(d["doc_id"], []).append(n)
    for lower_doc, upper_doc, e in list(G.edges(data=True)):
        if e.get("type") != "IMPLEMENTS":
            continue
        uppers = sorted(tasks_of.get(upper_doc, []))
        for t in sorted(tasks_of.get(lower_doc, [])):
            text = _context(G, t)
            scored = sorted(((similarity(text, _context(G, u)), u) for u in uppers), reverse=True)
            if scored and scored[0][0] >= threshold:
                score, u = scored[0]
                G.add_edge(t, u, key="DERIVED_FROM", type="DERIVED_FROM", score=round(score, 4),
                           method="bigram", status="proposed", kind="adapted", evidence=[])


def _context(G, task: str) -> str:
    d = G.nodes[task]
    sec = G.nodes.get(d.get("section_id")) if d.get("section_id") else None
    return (sec.get("title", "") if sec else "") + " " + d.get("text_norm", "")


def link(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Link documents, then tasks. Mutates and returns ``G``."""
    link_documents(G)
    link_tasks(G)
    return G
