"""Loading: the document files of the inputs, read into records (in worker processes when there are
many), and one record per document. The full build (:mod:`cascade.pipeline`) and the incremental one
(:mod:`cascade.incremental`) both load through here.

One bad file never loses the others: its error is collected as a :class:`Problem` and the build goes on.
"""
from __future__ import annotations

import os
from pathlib import Path
from traceback import format_exc
from typing import Callable, Iterable

from cascade.results import Problem
from core.errors import LoadError
from core.files import list_documents
from core.records import DocumentRecords
from graph.gcutil import gc_paused as _no_gc  # records hold no cycles: unpickling a million is faster without passes
from loaders import load_file

__all__ = ["collect_files", "load_files", "load_all", "unique_documents", "form_key", "reviews_path",
           "PARALLEL_MIN_FILES", "LOAD_WORKERS"]


def collect_files(paths: Iterable[str | os.PathLike],
                  skipped: list[Problem] | None = None) -> tuple[list[Path], list[Path]]:
    """Document files under ``paths`` and the manifests beside them (see :func:`core.files.list_documents`);
    what is in a folder but no file to read is added to ``skipped``, a problem each."""
    found: list[tuple[str, str]] = []
    files, manifests = list_documents(paths, found)
    if skipped is not None:
        skipped.extend(Problem(f, why) for f, why in found)
    return files, manifests


PARALLEL_MIN_FILES = 64   # below this, starting worker processes costs more than it saves
LOAD_WORKERS = 2          # the machine we target has 2 cores


def _load_one(f: Path, overrides: dict | None) -> tuple[DocumentRecords | None, list[Problem]]:
    """Load one file; never raises for a bad file (its problem is returned instead)."""
    try:
        rec = load_file(f, overrides)
    except LoadError as err:
        return None, [Problem(str(f), err.problem if err.path == str(f) else str(err), detail=format_exc())]
    except RecursionError:
        return None, [Problem(str(f), "structure nested too deeply to read", detail=format_exc())]
    except MemoryError:
        return None, [Problem(str(f), "too large to read in memory")]
    except Exception as err:  # a loader bug on one strange file must not lose the other documents
        return None, [Problem(str(f), f"could not be read ({type(err).__name__}: {err}); "
                                      "run with --debug and report the file", detail=format_exc())]
    return rec, [Problem(str(f), w, "warning") for w in rec.document.warnings]


def _can_fork() -> bool:
    """Workers are forked (cheap: the loaders are already imported), but only from a single-threaded
    process: forking the app's server, which runs other threads, could copy a held lock into a worker.
    Spawned workers would re-import the caller's main module, which a script need not allow."""
    import multiprocessing
    import threading

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _start_worker() -> None:
    """Loader workers leave Ctrl-C to the parent, which stops the build with one line; a worker that
    took the signal itself would print its own traceback. What the worker inherited (modules, the
    manifest) is frozen out of the garbage collector's passes, which would otherwise walk it again and
    again and copy the pages it touches."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    # What a worker keeps are the loaders' caches, which grow with every document and hold no cycle: at
    # the default threshold (700) the collector's passes kept walking them, 8% of a worker's time.
    # Young cycles (python-docx's parts) are still collected, a few thousand allocations later.
    gc.set_threshold(_WORKER_GC_THRESHOLD, 10, 10)
    gc.enable()   # the parent turns it off while records arrive; a worker has cycles to collect (python-docx's parts)


_WORKER_GC_THRESHOLD = 10_000


def _load_chunk(jobs: list[tuple[Path, dict | None]]) -> list[tuple[DocumentRecords | None, list[Problem]]]:
    return [_load_one(f, o) for f, o in jobs]


def load_all(files: list[Path], manifest: dict[Path, dict] | None = None,
             progress: Callable[[int, int, str], None] | None = None,
             workers: int | None = None) -> tuple[list[DocumentRecords], list[Problem]]:
    """Load every file; returns the records and the problems (one per file that failed)."""
    records, problems = load_files(files, manifest, progress, workers)
    return [r for r in records if r is not None], problems


def load_files(files: list[Path], manifest: dict[Path, dict] | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               workers: int | None = None) -> tuple[list[DocumentRecords | None], list[Problem]]:
    """Each file's records (``None`` for a file that failed, in the order of ``files``) and the problems.

    With many files the work is spread over ``workers`` processes (default :data:`LOAD_WORKERS`);
    results come back in the order of ``files`` whatever the scheduling, so the build is the same.
    """
    from loaders.manifest import resolve_path

    manifest = manifest or {}
    folders: dict[str, str] = {}
    jobs = [(f, manifest.get(resolve_path(f, folders))) for f in files]
    workers = LOAD_WORKERS if workers is None else workers
    results: list[tuple[DocumentRecords | None, list[Problem]]] = []
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES and _can_fork():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Chunks of a few dozen files: few enough round trips, small enough for a smooth progress bar.
        size = max(8, min(64, len(jobs) // (workers * 8) or 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker) as pool, _no_gc():
            try:
                for chunk in pool.map(_load_chunk, chunks):
                    results.extend(chunk)
                    if progress:
                        progress(len(results), len(files), files[len(results) - 1].name)
            except BaseException:
                # Ctrl-C: stop after the chunks under way, not once every queued file is loaded (what
                # leaving `with` waits for). Killing the workers instead trips a bug of 3.11's pool.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    else:
        for i, (f, o) in enumerate(jobs):
            if progress:
                progress(i, len(files), f.name)
            results.append(_load_one(f, o))
    problems = [p for _, probs in results for p in probs]
    if progress:
        progress(len(files), len(files), "")
    return [rec for rec, _ in results], problems


def form_key(title, issuer, doc_no, named: bool) -> str | None:
    """The key two files share when they are one document in two forms; ``None`` for a document the
    manifest gives an id (``named``): the analyst said it is its own."""
    from graph.build import same_document_key

    return None if named else same_document_key(title, issuer, doc_no)


_FORMAT_RANK = {"docx": 0, "xlsx": 1, "html": 2, "pdf": 3}


def _richness(rec: DocumentRecords) -> tuple:
    plan = [t for t in rec.tasks if not t.section or t.section[0] != "通知"]
    return (-len(plan), -sum(1 for t in plan if t.assignments), _FORMAT_RANK.get(rec.document.format, 4),
            rec.document.source)


def _one_form_each(records: list[DocumentRecords], problems: list[Problem]) -> list[DocumentRecords]:
    """One document dropped in two forms (its text and its saved page, a .doc and its scan): keep the
    form that gives the most (tasks, then assigned tasks, then the richer format) and say which. A
    manifest id keeps a file as its own document: the analyst said so."""
    groups: dict[str, list[DocumentRecords]] = {}
    for rec in records:
        d = rec.document
        key = form_key(d.title, d.issuer, d.doc_no, named=bool(d.id))
        if key:
            groups.setdefault(key, []).append(rec)
    dropped = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        keep, *others = sorted(group, key=_richness)
        for rec in others:
            dropped.add(id(rec))
            problems.append(Problem(rec.document.source,
                                    f"same document as {keep.document.source} (same document number, or title and issuer): "
                                    f"kept {keep.document.source}", "warning"))
    return [r for r in records if id(r) not in dropped]


def unique_documents(records: list[DocumentRecords], problems: list[Problem]) -> list[DocumentRecords]:
    """One record per document: one form of a document given in two (a warning says which was kept),
    and no id twice (a document whose id another already has is dropped as a problem: plan.txt beside
    plan.docx)."""
    from graph.build import document_id

    records = _one_form_each(records, problems)
    kept: dict[str, DocumentRecords] = {}
    for rec in records:
        did = document_id(rec)
        if did in kept:
            problems.append(Problem(rec.document.source, f"same document id '{did}' as {kept[did].document.source}: "
                                                         "rename one or give it an id in the manifest"))
            continue
        kept[did] = rec
    return list(kept.values())


def reviews_path(paths: list, manifests: list[Path]) -> Path | None:
    """Where the link reviews live by default: ``reviews.yaml`` beside the manifest, else in the first
    folder given."""
    if manifests:
        return Path(manifests[0]).parent / "reviews.yaml"
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    return folders[0] / "reviews.yaml" if folders else None
