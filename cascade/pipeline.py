"""Build: files → records → graph → links → store. The CLI and the app call this; nothing else does.

One bad file never loses the others: its error is collected as a :class:`Problem` and the build goes on
(the files are found and loaded by :mod:`cascade.loading`). With ``incremental``, the build goes through
:mod:`cascade.incremental`, which touches only what changed when the store allows it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from cascade.loading import collect_files, load_all, reviews_path, unique_documents
from cascade.results import BuildResult, Problem, graph_counts
from core import stages
from core.errors import CascadeError
from loaders.manifest import read_manifest

__all__ = ["build", "link_all", "KEEP_RECORDS_MAX_TASKS"]

# Above this many tasks a build's result carries no records: at 1M tasks they held 0.4 GB beside the
# graph, which has every field of them, through linking and saving.
KEEP_RECORDS_MAX_TASKS = 200_000


def build(paths: Iterable[str | os.PathLike], manifest_path: str | os.PathLike | None = None,
          store: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None,
          reviews: str | os.PathLike | None = None, incremental: bool = False) -> BuildResult:
    """Load, link and (when ``store`` is given) save: see :func:`_build`. Slow conversions (LibreOffice,
    OCR) are cached in the store's ``cache`` folder, so a rebuild does not repeat them."""
    from loaders import cache

    stages.reset()
    with cache.using(Path(store) / "cache" if store is not None else None):
        result = _build(paths, manifest_path, store, progress, reviews, incremental)
    if os.environ.get(stages.TIMINGS_ENV):
        from core.files import write_atomic

        write_atomic(os.environ[stages.TIMINGS_ENV], json.dumps(stages.taken(), indent=1), durable=False)
    return result


def _build(paths: Iterable[str | os.PathLike], manifest_path: str | os.PathLike | None = None,
           store: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None,
           reviews: str | os.PathLike | None = None, incremental: bool = False) -> BuildResult:
    """Load, link and (when ``store`` is given) save. Raises :class:`CascadeError` only for problems
    that stop the whole build (no input, a broken manifest).

    ``incremental`` (with a store): reuse the previous store's records and links for every document
    whose content did not change, and re-link only the changed ones and their neighbours
    (see :mod:`cascade.incremental`)."""
    paths = list(paths)
    fast_reason = None
    if incremental and store is not None:   # touch only what changed, when the store allows it
        from cascade.incremental import build_fast

        fast = build_fast(paths, manifest_path, store, progress, reviews)
        if fast.result is not None:
            return fast.result
        fast_reason = fast.reason
    listing_problems: list[Problem] = []
    files, manifests = collect_files(paths, listing_problems)
    if manifest_path:
        manifests = [Path(manifest_path)]
    manifest: dict[Path, dict] = {}
    manifest_problems: list[Problem] = []
    for m in manifests:
        entries = read_manifest(m)
        manifest.update(entries)
        manifest_problems += [Problem(str(m), p) for p in getattr(entries, "problems", ())]
    if not files:
        raise CascadeError(f"no documents found in {', '.join(map(str, paths))}")
    inc = None
    if incremental and store is not None:
        from cascade.incremental import Incremental

        inc = Incremental(store, files, manifest, reviews or reviews_path(paths, manifests), fast_reason, manifests)
    reviews_file = reviews or reviews_path(paths, manifests)
    first_problems = listing_problems + manifest_problems
    if store is not None:
        from cascade import apart

        if apart.wanted(len(files)):
            def work(partial, progress, tables_ready):
                from graph.store.saving import write_apart

                G, _, problems, sources = _load_and_link(paths, files, manifest, inc, first_problems, reviews_file, progress)
                counts = write_apart(G, partial, tables_ready)
                summary = graph_counts(G)
                meta = {"sources": sources, **(inc.meta(G) if inc is not None else {})}
                if inc is not None:
                    inc.remember(G, partial, problems)
                return {"problems": problems, "info": inc.info if inc is not None else None, "meta": meta,
                        "counts": counts, "summary": summary, "timings": stages.taken()}

            return apart.build_apart(Path(store), work, progress)
    G, records, problems, sources = _load_and_link(paths, files, manifest, inc, first_problems, reviews_file, progress)
    result = BuildResult(G, records, problems, incremental=inc.info if inc is not None else None)
    if store is not None:
        from graph.store import save

        meta = {"sources": sources}
        with stages.stage("store"):
            result.store = save(G, store, {**meta, **(inc.meta(G) if inc is not None else {})})
        if inc is not None:
            inc.remember(G, result.store, problems)
    return result


def _load_and_link(paths, files, manifest, inc, problems, reviews_file, progress):
    """Load, build the graph, link, add membership: ``(G, records, problems, sources)``; ``records``
    empty above :data:`KEEP_RECORDS_MAX_TASKS` tasks."""
    from graph.build import build_graph
    from graph.gcutil import release_free_memory
    from graph.membership import add_membership
    from graph.reviews import read_reviews

    with stages.stage("load"):
        if inc is not None:
            records, load_problems = inc.load(progress)
        else:
            records, load_problems = load_all(files, manifest, progress)
    problems = problems + load_problems
    records = unique_documents(records, problems)
    if not records:
        where, first = ", ".join(map(str, paths)), "; ".join(str(p) for p in problems[:3])
        raise CascadeError(f"no document could be loaded from {where} ({len(problems)} file(s) skipped); "
                           f"the previous store is unchanged: {first}",
                           key="nothing_loaded", where=where, n=len(problems), first=[str(p) for p in problems[:3]])
    with stages.stage("graph"):
        G = build_graph(records)
    sources = sorted(r.document.source for r in records)
    if sum(len(r.tasks) for r in records) > KEEP_RECORDS_MAX_TASKS:
        records = []   # the graph holds what they say; linking and saving then reuse their memory
    with stages.stage("link"):
        link_all(G, read_reviews(reviews_file))
        release_free_memory()
    with stages.stage("membership"):
        add_membership(G)
    return G, records, problems, sources


def link_all(G: nx.MultiDiGraph, reviews: dict | None = None) -> None:
    """The whole linking step of a full build: document links, task links, years, the reviews."""
    from core.threads import limited_blas
    from graph.link import link

    with limited_blas(1):  # many small matrix products: BLAS threads only wait on 2 cores
        link(G, reviews=reviews)
