"""Linking the levels: which lower document implements which upper one, which lower task derives from
which upper requirement, and which task of a plan continues last year's (:func:`link`).

Candidates for a lower task come only from the documents its document implements, and each pair of
documents is scored as a whole with numpy (one matrix of lower tasks × upper tasks, from n-gram arrays
computed once per document), so the cost grows with tasks(document) × tasks(parents), never with the
corpus squared. On a large graph the pairs are scored in two forked processes (:func:`link_tasks`).

Reviews (:mod:`graph.reviews`) are applied last: rejected pairs are never proposed, confirmed ones kept.
"""
from __future__ import annotations

import os
import pickle
import sys
import zlib
from dataclasses import dataclass
from itertools import chain, filterfalse

import networkx as nx

from core.records import LINK_TYPES
from core.threads import limited_blas

from ..gcutil import gc_frozen as _gc_frozen
from .choose import DEFAULT_THRESHOLD, _pair_links
from .confirmed import apply_reviews, reuse_reviews
from .documents import implements_pairs, link_documents
from .features import _EMPTY_DOC, _DocInput, _Features, _TaskIndex, _pack, _unpack
from .scoring import DEFAULT_METHODS, METHODS, _score_features, score_pair
from .years import link_years

__all__ = ["link", "link_tasks", "LINK_WORKERS", "PARALLEL_MIN_TASKS"]

LINK_WORKERS = 2                # the machine we target has 2 cores
PARALLEL_MIN_TASKS = 20_000     # below this a fork costs more than it saves
_PLAIN_METHODS = {"lexical", "structure", "order", "objects"}   # scored from _DocInput alone, in workers


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
    by_upper: dict[str, list[str]] = {}
    for lower_doc, upper_doc in implements_pairs(G, index.docs):
        by_upper.setdefault(upper_doc, []).append(lower_doc)
    jobs = sorted(by_upper.items())
    rejected_by_lower: dict[str, set] = {}
    for lo, up in rejected:
        rejected_by_lower.setdefault(lo, set()).add(up)
    work = _Work(index, jobs, set(methods), "+".join(m for m in METHODS if m in set(methods)), threshold,
                 rejected, rejected_by_lower, evict)
    added = 0

    def add(k, links):
        nonlocal added
        added += work.add(G, k, links)

    workers = LINK_WORKERS if workers is None else workers
    n_tasks = sum(len(v) for v in index.tasks_of.values())
    if not set(methods) <= _PLAIN_METHODS or n_tasks < PARALLEL_MIN_TASKS:
        workers = 1     # the encoder and the per-task alternatives read the graph: in this process
    if workers > 1 and len(jobs) > 1 and _can_fork():
        work.packed = {doc: _pack(index.docs[doc]) for doc in
                       sorted({d for up, lows in jobs for d in (up, *lows)}) if doc in index.docs}
    _run_jobs(work, workers, add)
    getattr(nx, "_clear_cache", lambda G: None)(G)   # networkx >= 3.3 caches some views
    return added


@dataclass
class _Work:
    """The jobs of one :func:`link_tasks` call and all they read. A forked worker is handed it when it
    starts (:func:`_start_worker`): inherited with the process's memory, never pickled."""
    index: _TaskIndex
    jobs: list[tuple[str, list[str]]]       # (upper document, the lower documents that implement it)
    methods: set
    method: str                             # the methods as a link's ``method`` names them
    threshold: float
    rejected: set | frozenset
    rejected_by_lower: dict[str, set]
    evict: bool
    packed: dict | None = None              # document → :func:`_pack`, when workers score the pairs
    share: "_SharedEvidence" = None         # set by __post_init__

    def __post_init__(self):
        self.share = _SharedEvidence()

    def links(self, k: int) -> list[tuple]:
        """The links of job ``k`` (one upper document's pairs), as ``[(position of the lower document in
        the job, its pair's links as :func:`graph.link.choose._pair_links` gives them), …]``: numbers,
        strings and tuples, what a worker pickles and the parent unpickles fastest (:meth:`add` makes
        them edges)."""
        index = self.index
        upper, lowers = self.jobs[k]
        plain = self.methods <= _PLAIN_METHODS
        FU = _Features(self._input(upper), index.idf_table) if plain else index.features(upper)
        out: list[tuple] = []
        for p, lower in enumerate(lowers):
            if plain:
                FL = _Features(self._input(lower), index.idf_table)
                ps = _score_features(FL, FU, self.methods)
            else:
                FL = index.features(lower)
                ps = score_pair(index, lower, upper, self.methods)
                if self.evict:
                    index.forget(lower)
            rows = _pair_links(ps, FL, FU, self.threshold, self.method, self.rejected, self.rejected_by_lower)
            if rows:
                out.append((p, rows))
        if not plain and self.evict:
            index.forget(upper)
        return out

    def add(self, G: nx.MultiDiGraph, k: int, links: list[tuple]) -> int:
        """Add job ``k``'s :meth:`links` to ``G`` as ``DERIVED_FROM`` edges, in the parent; returns how
        many. The ids are the graph's own strings (this process's index holds them, where a worker's
        would be copies the adjacency kept: ~0.2 GB at 1M), the evidence shared
        (:class:`_SharedEvidence`), and each attribute dict is the edge's own, not copied into
        another as ``G.add_edge`` would (a million links at 1M tasks: the copies cost CPU and churned
        the heap)."""
        upper, lowers = self.jobs[k]
        docs, evidence, shared = self.index.docs, self.share, self.share.lists
        U = docs.get(upper, _EMPTY_DOC)
        ends = U.tasks + U.heads            # what a link's upper index counts
        succ, pred = G._succ, G._pred
        added = 0
        # (a million links at 1M tasks: each dict of the graph looked up once, the shared evidence
        # read without a call)
        for p, rows in links:
            tasks = docs[lowers[p]].tasks
            for i, t, score, method, kind, spans in rows:
                u, v = tasks[i], ends[t]
                attrs = {"type": "DERIVED_FROM", "score": score, "method": method, "status": "proposed",
                         "kind": kind, "evidence": shared.get(spans) or evidence(spans), "suspect": False}
                out, into = succ.get(u), pred.get(v)
                if out is None or into is None:
                    G.add_edge(u, v, "DERIVED_FROM", **attrs)
                    continue
                keydict = out.get(v)
                if keydict is None:
                    keydict = out[v] = into[u] = {}
                old = keydict.get("DERIVED_FROM")
                if old is None:
                    keydict["DERIVED_FROM"] = attrs
                else:
                    old.update(attrs)
            added += len(rows)
        return added

    def _input(self, doc: str) -> _DocInput:
        if self.packed is not None:
            return _unpack(self.packed[doc]) if doc in self.packed else _EMPTY_DOC
        return self.index.docs.get(doc, _EMPTY_DOC)


def _can_fork() -> bool:
    """Only a single-threaded process is forked (as the loaders do): forking the app's server, which
    runs other threads, could copy a held lock into a worker."""
    import multiprocessing
    import threading

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _run_jobs(work: _Work, workers: int, consume) -> None:
    """``consume(k, work.links(k))`` for every job in order, the jobs computed in forked workers if
    ``workers`` > 1."""
    n_jobs = len(work.jobs)
    # Frozen objects are left out of garbage collections: a worker's collections then never write to
    # (and so copy) the parent's pages.
    with _gc_frozen():
        if workers <= 1 or n_jobs < 2 or not _can_fork():
            for k in range(n_jobs):
                consume(k, work.links(k))
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The results are only collected while the workers run, and enter the graph once they are gone:
        # every page the parent wrote to while they shared it would be copied (the whole graph, the
        # first time this ran at 1M: 4.4 GB became 8.1 GB). They wait as the workers pickled and
        # compressed them (ids and evidence repeat), and are unpickled one job at a time.
        results = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(work,)) as pool:
            try:
                # small chunks: a worker left with the last long chunk would idle the other core
                results.extend(pool.map(_worker_links, range(n_jobs), chunksize=max(1, n_jobs // (workers * 64))))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        for k in range(len(results)):
            links = pickle.loads(zlib.decompress(results[k]))
            results[k] = None
            consume(k, links)


class _SharedEvidence:
    """One list for every link's evidence of the same spans, one dict for every span of the same offsets
    and text, one list for the same offsets, across all the document pairs (the spans come as
    :func:`graph.link.evidence._spans`' tuples, a link's evidence made once per distinct one). At 100k
    tasks 95k links had 14k distinct evidence lists and 110k spans 16k distinct ones: shared, the
    graph's evidence holds a fifth of the memory (~0.3 GB less at 1M). Evidence is read, never changed
    in place."""

    def __init__(self):
        self.lists: dict[tuple, list] = {}
        self.spans: dict[tuple, dict] = {}
        self.offsets: dict[tuple, list] = {}

    def __call__(self, spans: tuple) -> list[dict]:
        same = self.lists.get(spans)
        if same is None:
            same = self.lists[spans] = [self._span(sp) for sp in spans]
        return same

    def _span(self, sp: tuple) -> dict:
        same = self.spans.get(sp)
        if same is None:
            a, b, c, d, text = sp
            offsets = self.offsets
            same = self.spans[sp] = {"lower": offsets.setdefault((a, b), [a, b]), "text": sys.intern(text),
                                     "upper": offsets.setdefault((c, d), [c, d])}   # keys as span_dicts
        return same


_WORKER_WORK: _Work | None = None     # set in a worker process only, by _start_worker


def _start_worker(work: _Work) -> None:
    """A worker's start: keep the work it was forked with, and leave Ctrl-C to the parent."""
    import signal

    global _WORKER_WORK
    _WORKER_WORK = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_links(k: int) -> bytes:
    return zlib.compress(pickle.dumps(_WORKER_WORK.links(k), protocol=pickle.HIGHEST_PROTOCOL), 1)


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
    with limited_blas(1), _gc_frozen():
        return _link(G, reviews, methods, threshold, workers)


_LINK_TYPES = frozenset(LINK_TYPES)


def _has_links(G: nx.MultiDiGraph) -> bool:
    """Does any edge of ``G`` have a link's key? The key sets of every edge walked in C: a build links
    a graph that has none, and the comprehension that removes them took twice as long to find none."""
    keysets = chain.from_iterable(map(dict.values, G._succ.values()))
    return next(filterfalse(_LINK_TYPES.isdisjoint, keysets), None) is not None


def _link(G, reviews, methods, threshold, workers=None):
    # linking twice gives the same graph: earlier links are replaced, not added to (a link's key is its
    # type, here and in graph.export.from_json_dict: keys alone are read, a third faster at 3.4M edges)
    # (the adjacency read directly, a key set at a time: the edge view's tuples took seconds at 1M)
    if _has_links(G):
        G.remove_edges_from([(u, v, k) for u, nbrs in G._succ.items() for v, keys in nbrs.items()
                             if not _LINK_TYPES.isdisjoint(keys) for k in keys if k in _LINK_TYPES])
    link_documents(G)
    index = _TaskIndex(G)
    rejected = {k for k, r in reviews.items() if r.get("status") == "rejected"}
    link_tasks(G, threshold, methods, rejected, index, workers=workers)
    apply_reviews(G, reviews, index)
    link_years(G, index=index)
    reuse_reviews(G, reviews)
    return G
