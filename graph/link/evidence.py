"""The evidence of a link: the spans the two texts share (what the app highlights), the kind of the
link they show (verbatim, partial, adapted), and the hash of the two texts a reviewer saw.
"""
from __future__ import annotations

import hashlib

from .text import _KEEP, _clean

__all__ = ["evidence_spans", "span_dicts", "review_hash"]


def evidence_spans(lower: str, upper: str, min_len: int = 3) -> list[dict]:
    """The matched spans of two texts, as offsets into each: what the app highlights.

    Stretches of ``lower`` made of ``min_len``-grams that occur in ``upper``, each cut greedily into the
    longest pieces found verbatim in ``upper`` (so reordered phrases are found too). Linear in the texts'
    length: it runs once per proposed link, a million times at scale.

    >>> evidence_spans("做好财政信息公开工作", "全面做好财政信息公开")
    [{'lower': [0, 8], 'text': '做好财政信息公开', 'upper': [2, 10]}]
    """
    return span_dicts(_spans(lower, upper, min_len))


def span_dicts(spans) -> list[dict]:
    """Spans as :func:`evidence_spans` gives them, from :func:`_spans`' tuples. Keys in order: the store
    keeps the evidence as JSON with sorted keys, and reads back this dict."""
    return [{"lower": [a, b], "text": text, "upper": [c, d]} for a, b, c, d, text in spans]


def _spans(lower: str, upper: str, min_len: int = 3) -> tuple[tuple[int, int, int, int, str], ...]:
    """:func:`evidence_spans` as ``(lower start, lower end, upper start, upper end, text)`` tuples: what
    the linker's workers send back (hashable, so the links of equal evidence share one list)."""
    lower, upper = lower or "", upper or ""
    if len(lower) < min_len or len(upper) < min_len:
        return ()
    if lower == upper:      # a restatement (most links): the walk below would find the whole text
        return ((0, len(lower), 0, len(lower), lower),) if len(_KEEP.sub("", lower)) >= 2 else ()
    # Walking the lower text: where its next min_len-gram occurs in the upper text, the longest piece
    # from there found verbatim (a binary search: every prefix of a found piece is found too). A
    # stretch of found min_len-grams is cut piece by piece; the next stretch may start inside the last
    # piece of the previous one. Plain Python beats numpy on texts of a few hundred characters.
    out = []
    s, n = 0, len(lower)
    while s <= n - min_len:
        if lower[s:s + min_len] not in upper:
            s += 1
            continue
        lo, hi = min_len, n - s
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if lower[s:s + mid] in upper:
                lo = mid
            else:
                hi = mid - 1
        piece = lower[s:s + lo]
        if len(_KEEP.sub("", piece)) >= 2:
            b = upper.find(piece)
            out.append((s, s + lo, b, b + lo, piece))
        end = s + lo
        r = end - min_len + 1           # the min_len-grams up to here are all found
        while r <= end and r <= n - min_len and lower[r:r + min_len] in upper:
            r += 1
        s = end if r > end else r + 1   # the stretch goes on, or a new one starts after r
    return tuple(out)


def _covered(text: str, spans, side: int, total: int | None = None) -> float:
    """Share of a text's letters (punctuation aside) inside the spans (:func:`_spans`' tuples; ``side``
    0 for the lower text, 2 for the upper; ``total``: that count, if known)."""
    total = len(_clean(text)) if total is None else total
    if not total:
        return 0.0
    pieces = sorted(sp[side:side + 2] for sp in spans)
    covered, reach = 0, 0
    for a, b in pieces:          # spans may overlap on the upper side
        a = max(a, reach)
        if b > a:
            covered += len(_KEEP.sub("", text[a:b]))
            reach = b
    return covered / total


def _kind(lower: str, upper: str, spans=None, cleaned: tuple[str, str] | None = None) -> str:
    """verbatim (restated word for word after normalization), partial (a small part of a longer upper
    requirement), else adapted. merged and split are decided over several links. ``spans``: the two
    texts' :func:`_spans`, ``cleaned``: their :func:`graph.link.text._clean`, when known."""
    cl, cu = cleaned or (_clean(lower), _clean(upper))
    if cl and cl == cu:
        return "verbatim"
    spans = _spans(lower, upper) if spans is None else spans
    cov_l = _covered(lower, spans, 0, len(cl))
    if cov_l >= 0.93 and _covered(upper, spans, 2, len(cu)) >= 0.93:
        return "verbatim"
    if len(cl) < 0.6 * len(cu) and cov_l >= 0.5:
        return "partial"
    return "adapted"


def review_hash(lower_text: str | None, upper_text: str | None) -> str:
    """A short hash of the two texts a reviewer saw, to flag a reviewed link whose texts changed.

    >>> review_hash("a", "b") == review_hash("a", "b") != review_hash("a", "c")
    True
    """
    h = hashlib.sha1(f"{lower_text or ''}\x1f{upper_text or ''}".encode("utf-8"))
    return h.hexdigest()[:16]


def node_text(G, n: str) -> str:
    """The text a link's end shows: a task's normalized text, a section's title."""
    d = G.nodes[n]
    return d.get("text_norm") if d.get("label") == "Task" else (d.get("title") or "")
