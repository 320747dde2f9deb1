"""Choosing the links of one scored document pair, and the kind of each (merged, split, or what its
evidence shows).

A link is proposed only above a calibrated threshold (a wrong link is worse than none; README,
"Linking"). When the headings agree but the texts share little, or no task of an upper section reaches the
threshold while the lower task restates the section's heading, the link goes to the ``Section``, and only
if the lower task's own text supports it (a local addition under a mirrored heading stays unlinked).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from .domains import field_links
from .evidence import _covered, _kind, _spans
from .features import _Features, _isin_sorted
from .scoring import PairScores
from .text import _clean

__all__ = ["DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 0.10
SECTION_THRESHOLD = 0.45        # a lower task restating most of an upper heading
TEXT_MIN = 0.08                 # below this text score a link goes to the upper task's section …
SECTION_SUPPORT = 0.12          # … if the lower text itself supports that section this much
RESTATED_SHARE = 0.5            # a lower task restating this share of an upper one verbatim derives from it too


def _pair_links(ps: PairScores, FL: _Features, FU: _Features, threshold: float, method: str,
                rejected, rejected_by_lower: dict) -> list[tuple]:
    """Choose the links of one document pair, with their evidence and kind: ``(lower row, upper, score,
    method, kind, spans)``, the upper an index into ``FU.inp.tasks + FU.inp.heads`` and the spans
    :func:`graph.link.evidence._spans`' tuples (:func:`graph.link.runner.link_tasks` makes the edges:
    plain numbers and tuples are what a worker sends back cheapest)."""
    L, U = FL.inp, FU.inp
    S = ps.score
    if rejected_by_lower:
        S = S.copy()
        ui = {u: j for j, u in enumerate(U.tasks)}
        for i, n in enumerate(L.tasks):
            for up in rejected_by_lower.get(n, ()):
                if up in ui:
                    S[i, ui[up]] = -1
    work, framing = _work_and_framing(L, U)
    if framing is not None:
        # a lower task that assigns work does not derive from the upper plan's framing sentences
        # (指导思想/工作原则/总体要求: why and to what end); framing restating framing stays
        S = S.copy() if S is ps.score else S
        S[np.ix_(work, framing)] = -1
    apart = _other_plans(L, U)
    if apart is not None:
        # a task of another plan a notice issues beside the 政务公开 one (政务服务 要点: clause other_plan,
        # loaders/two_plans.py) derives from none of the 政务公开 plan's, nor they from it
        S = S.copy() if S is ps.score else S
        S[apart[0][:, None] != apart[1][None, :]] = -1
    n_l, n_u = S.shape
    rows = np.arange(n_l)
    if n_u and n_l:
        best_j = S.argmax(axis=1)
        best = S[rows, best_j]
        linked = best >= threshold
        # a lower task that merges several upper requirements: other candidates nearly as good, clearly
        # above the threshold, and no other lower task of this document taking them up clearly better
        # (a mask first, so that only the few rows with such a candidate are looked at one by one)
        # (or one it restates in large part, however far below the best: RESTATED_SHARE, :func:`_restates`)
        col_max = S.max(axis=0)   # (each column's best, read again per candidate below)
        col_best = col_max[None, :]
        second = (S >= 2 * threshold) & (S >= 0.85 * col_best)
        second[rows, best_j] = False
        maybe_merged = second.any(axis=1)
        little_text = ps.parts["lexical"][rows, best_j] < TEXT_MIN
    else:
        best_j, best = np.zeros(n_l, np.int64), np.zeros(n_l, S.dtype)
        linked = maybe_merged = little_text = np.zeros(n_l, bool)
    sec = ps.section_score if ps.section_score is not None and len(ps.sections) else None
    todo = linked if sec is None else linked | (sec.max(axis=1) >= SECTION_THRESHOLD)
    # the rows' values as Python lists: a numpy scalar read one at a time costs more than the list
    # (the comparisons stay numpy's, in float32, above)
    best_j, best, linked, maybe_merged, little_text = (
        a.tolist() for a in (best_j, best, linked, maybe_merged, little_text))
    # (row, upper, the upper's text as an index into U.texts + U.head_titles, score, method, kind, upper
    # is a task)
    chosen: list[tuple] = []
    for i in np.flatnonzero(todo).tolist():
        n = L.tasks[i]
        if linked[i]:
            j = best_j[i]
            if little_text[i]:
                # agreeing headings with little shared text: the evidence is for the section, not the
                # task, and a local addition under a mirrored heading shares the heading and nothing else
                h = int(FU.t_head[j])
                if (h >= 0 and U.head_is_section[h] and (n, U.heads[h]) not in rejected
                        and _section_support(FL, FU, i, h) >= SECTION_SUPPORT):
                    chosen.append((i, U.heads[h], n_u + h, best[i], method + "+section", None, False))
                continue
            if not maybe_merged[i]:
                chosen.append((i, U.tasks[j], j, best[i], method, None, True))
                continue
            targets = [j]
            row = S[i]
            for rank, k in enumerate(np.argsort(-row)[1:].tolist(), 1):
                if row[k] < 2 * threshold:
                    break
                if row[k] < 0.85 * col_max[k]:
                    continue
                if rank <= 2 and row[k] >= 0.85 * row[j] and _distinct(L.texts[i], U.texts[j], U.texts[k]):
                    targets.append(int(k))      # nearly as good as the best
                elif (_restates(L.texts[i], U.texts[k])
                        and all(_distinct(L.texts[i], U.texts[t], U.texts[k]) for t in targets)):
                    targets.append(int(k))      # restated in large part, on a stretch of its own
            kind = "merged" if len(targets) > 1 else None
            for k in targets:
                chosen.append((i, U.tasks[k], k, float(S[i, k]), method, kind, True))
            continue
        srow = sec[i]
        if rejected or (framing is not None and work[i]) or apart is not None:
            srow = srow.copy()
            for k, s in enumerate(ps.sections):
                if (n, s) in rejected:
                    srow[k] = -1
            if framing is not None and work[i]:
                srow[_framing_sections(U, ps.sections)] = -1     # nor from a framing section as a whole
            if apart is not None:   # nor from a section of the other plan (or of the 政务公开 one)
                srow[_other_plan_sections(U, ps.sections, not apart[0][i])] = -1
        k = int(srow.argmax())
        if srow[k] >= SECTION_THRESHOLD and _section_support(FL, FU, i, int(FU.sec_idx[k])) >= SECTION_SUPPORT:
            h = int(FU.sec_idx[k])
            chosen.append((i, U.heads[h], n_u + h, float(srow[k]), method + "+section", None, False))
    # a lower list of fields (教育、养老服务、医疗卫生等领域) takes up the requirements its fields name
    # (graph.link.domains: only where the list maps onto the upper paragraph)
    linked_to: dict[int, list[int]] = {}
    for c in chosen:
        if c[6]:
            linked_to.setdefault(c[0], []).append(c[2])
    for i, ks in field_links(FL, FU, ps.parts.get("order"), linked_to):
        ks = [k for k in ks if S[i, k] >= 0 and (L.tasks[i], U.tasks[k]) not in rejected]
        if not ks:
            continue
        had = linked_to.get(i, [])
        if had:
            chosen = [c[:5] + ("merged",) + c[6:] if c[0] == i and c[6] else c for c in chosen]
        for k in ks:
            chosen.append((i, U.tasks[k], k, float(S[i, k]), method + "+fields",
                           "merged" if had or len(ks) > 1 else None, True))
    # an upper requirement taken up by several tasks of the lower document is split among them
    takers = Counter(up for _, up, _, _, _, _, is_task in chosen if is_task)
    out = []
    upper_texts = U.texts + U.head_titles       # as FU.clean has them
    for i, up, t, score, meth, kind, is_task in chosen:
        lt, ut = L.texts[i], upper_texts[t]
        spans = _spans(lt, ut)
        kind = kind or _kind(lt, ut, spans, (FL.clean[i], FU.clean[t]))
        if is_task and takers[up] > 1 and kind not in ("merged", "verbatim"):
            kind = "split"     # a restatement stays verbatim, a merge stays merged
        out.append((i, t, round(min(max(score, 0.0), 1.0), 4), meth, kind, spans))
    return out


def _work_and_framing(L, U) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Which lower tasks assign work (clause ``obligation``) and which upper tasks are framing, as masks;
    ``(None, None)`` when no pair of the two is possible."""
    if "framing" not in U.clauses or "obligation" not in L.clauses:
        return None, None
    return (np.array([c == "obligation" for c in L.clauses], bool),
            np.array([c == "framing" for c in U.clauses], bool))


def _other_plans(L, U) -> tuple[np.ndarray, np.ndarray] | None:
    """Which lower and which upper tasks belong to another plan than the 政务公开 one (clause
    ``other_plan``), as masks; None when neither document holds one."""
    if "other_plan" not in L.clauses and "other_plan" not in U.clauses:
        return None
    mask = lambda X: np.array([c == "other_plan" for c in X.clauses] if len(X.clauses) == len(X.tasks)  # noqa: E731
                              else [False] * len(X.tasks), bool)
    return mask(L), mask(U)


def _other_plan_sections(U, sections: list[str], other: bool) -> list[int]:
    """The positions in ``sections`` of the upper sections whose every task is of the other plan
    (``other``), or whose every task is not."""
    out = []
    for k, s in enumerate(sections):
        inside = [c == "other_plan" for c, t in zip(U.clauses, U.task_secs) if t and (t == s or t.startswith(s + "/"))]
        if inside and all(x == other for x in inside):
            out.append(k)
    return out


def _framing_sections(U, sections: list[str]) -> list[int]:
    """The positions in ``sections`` of the upper sections whose every task is framing (总体要求,
    指导思想 …), a section holding no task left out (its clause is not known)."""
    out = []
    for k, s in enumerate(sections):
        inside = [c for c, t in zip(U.clauses, U.task_secs) if t and (t == s or t.startswith(s + "/"))]
        if inside and all(c == "framing" for c in inside):
            out.append(k)
    return out


def _section_support(FL: _Features, FU: _Features, i: int, h: int) -> float:
    """How much lower task ``i`` supports a link to upper heading ``h`` by its own text: the larger of
    the share of the heading it restates and the share of its text found in the section."""
    codes, idf = FL.task_codes(i)
    head_codes, head_idf = FU.head_codes(h)
    title = float(head_idf[_isin_sorted(head_codes, codes)].sum()) / (float(head_idf.sum()) or 1.0)
    total = float(idf.sum())
    inside = float(idf[_isin_sorted(codes, FU.section_grams(h))].sum()) / total if total else 0.0
    return max(title, inside)


def _restates(lower: str, upper: str) -> bool:
    """Does the lower text restate most of the upper one word for word? A city's one long sentence that
    strings together five sentences of its province's paragraph (青岛 2024 (一).1 under 山东 (一).1-(一).5)
    derives from each of them, though each shares only a fifth of its text."""
    total = len(_clean(upper))
    if not total or _piece_cover(upper, _pieces(lower)) < RESTATED_SHARE * total:
        return False   # (asked of every candidate of a merging task: 82k times at 100k tasks, 3% true)
    return _covered(upper, _spans(lower, upper, 4), 2, total) >= RESTATED_SHARE


@lru_cache(maxsize=256)
def _pieces(text: str) -> frozenset:
    """The text's 4-character pieces (a lower task's, asked against each of its candidates)."""
    return frozenset(_piece_list(text))


@lru_cache(maxsize=4096)
def _piece_list(text: str) -> tuple[str, ...]:
    """The text's 4-character pieces in order (an upper task's, asked by many lower tasks; kept strings
    keep their hashes: a third of the cost of slicing them again)."""
    return tuple(text[j:j + 4] for j in range(len(text) - 3))


def _piece_cover(upper: str, lower: frozenset) -> int:
    """How many characters of ``upper`` lie in a 4-character piece of it that ``lower`` (the lower text's
    :func:`_pieces`) holds: no fewer than the letters :func:`_spans` (pieces of 4 or more found in both)
    can cover, so a share below the bar here is below it there, at a fraction of the cost."""
    pieces = _piece_list(upper)
    if lower.isdisjoint(pieces):
        return 0
    # the pieces found as bits, each covering its own position and the 3 after it (bits to its right)
    found = int("".join(["1" if p in lower else "0" for p in pieces]) + "000", 2)
    return (found | found >> 1 | found >> 2 | found >> 3).bit_count()


def _distinct(lower: str, a: str, b: str) -> bool:
    """Do two upper texts match different stretches of the lower text?"""
    sa = {i for s in _spans(lower, a, 4) for i in range(s[0], s[1])}
    sb = {i for s in _spans(lower, b, 4) for i in range(s[0], s[1])}
    return bool(sa) and bool(sb) and len(sa & sb) <= 0.3 * min(len(sa), len(sb))
