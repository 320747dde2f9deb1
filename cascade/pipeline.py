"""Build: files → records → graph → links → store. The CLI and the app call this; nothing else does.

One bad file never loses the others: its error is collected as a :class:`Problem` and the build goes on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from traceback import format_exc
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from core.errors import CascadeError, LoadError
from core.files import MANIFEST_NAMES, is_companion
from graph.gcutil import gc_paused as _no_gc  # records hold no cycles: unpickling a million is faster without passes
from loaders import SUPPORTED, load_file
from loaders.manifest import read_manifest
from core.records import DocumentRecords

__all__ = ["collect_files", "load_all", "build", "BuildResult", "Problem"]



@dataclass
class Problem:
    """One file that could not be loaded, or a warning about one that was."""
    path: str
    message: str
    severity: str = "error"   # error: the file was skipped; warning: loaded with a caveat
    detail: str = ""          # the traceback, for `cascade --debug` (text: it crosses process pools)

    def __str__(self) -> str:
        from loaders.limits import display_name   # a name that is not UTF-8 (GBK, raw bytes) is shown readable

        return display_name(self.message if self.message.startswith(self.path) else f"{self.path}: {self.message}")


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    records: list[DocumentRecords]
    problems: list[Problem] = field(default_factory=list)
    store: Path | None = None
    incremental: dict | None = None   # what an incremental build reused (see cascade.incremental)

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def collect_files(paths: Iterable[str | os.PathLike],
                  skipped: list[Problem] | None = None) -> tuple[list[Path], list[Path]]:
    """Document files under ``paths`` (sorted, hidden files skipped) and the manifests found beside them.
    What is in a folder but no file to read (a named pipe, a device, a link that leads nowhere or to a
    folder, which is not followed) is added to ``skipped``, one problem each: never read (a FIFO would
    block the build, /dev/zero never ends), never passed over without a word."""
    files: list[Path] = []
    manifests: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for m in MANIFEST_NAMES:
                if (p / m).is_file():
                    manifests.append(p / m)
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                kind = _not_a_file(f)
                if kind == "folder":
                    continue
                if is_companion(f.name):
                    continue
                if kind:
                    if skipped is not None:
                        skipped.append(Problem(str(f), kind))
                    continue
                files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            kind = _not_a_file(p) if os.path.lexists(p) else None
            raise CascadeError(f"{p}: {kind}" if kind else f"{p}: no such file or folder")
    return files, manifests


def _not_a_file(f: Path) -> str | None:
    """None for a regular file (or a link to one), "folder" for a folder, else why it is not read."""
    import stat

    try:
        st = f.lstat()
    except OSError as err:
        return f"cannot be looked at ({err.strerror or err})"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            st = f.stat()
        except FileNotFoundError:
            return f"link that leads nowhere (to {os.readlink(f)})"
        except OSError as err:
            return f"link that cannot be followed ({err.strerror or err})"
        if stat.S_ISREG(st.st_mode):
            return None
        if stat.S_ISDIR(st.st_mode):
            target, here = os.path.realpath(f), os.path.realpath(f.parent)
            loop = here == target or here.startswith(target.rstrip(os.sep) + os.sep)
            return "link to a folder above it (a loop): not followed" if loop else "link to a folder: not followed"
    what = ("named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "device" if stat.S_ISCHR(st.st_mode)
            or stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file")
    return f"{'link to a ' if link else ''}{what}, not a document file: not read"


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
    gc.enable()   # the parent turns it off while records arrive; a worker has cycles to collect (python-docx's parts)


def _load_chunk(jobs: list[tuple[Path, dict | None]]) -> list[tuple[DocumentRecords | None, list[Problem]]]:
    return [_load_one(f, o) for f, o in jobs]


def load_all(files: list[Path], manifest: dict[Path, dict] | None = None,
             progress: Callable[[int, int, str], None] | None = None,
             workers: int | None = None) -> tuple[list[DocumentRecords], list[Problem]]:
    """Load every file; returns the records and the problems (one per file that failed).

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
    records: list[DocumentRecords] = []
    problems: list[Problem] = []
    for rec, probs in results:
        problems.extend(probs)
        if rec is not None:
            records.append(rec)
    if progress:
        progress(len(files), len(files), "")
    return records, problems


_FORMAT_RANK = {"docx": 0, "xlsx": 1, "html": 2, "pdf": 3}


def _richness(rec: DocumentRecords) -> tuple:
    plan = [t for t in rec.tasks if not t.section or t.section[0] != "通知"]
    return (-len(plan), -sum(1 for t in plan if t.assignments), _FORMAT_RANK.get(rec.document.format, 4),
            rec.document.source)


def _one_form_each(records: list[DocumentRecords], problems: list[Problem]) -> list[DocumentRecords]:
    """One document dropped in two forms (its text and its saved page, a .doc and its scan): keep the
    form that gives the most (tasks, then assigned tasks, then the richer format) and say which. A
    manifest id keeps a file as its own document: the analyst said so."""
    from graph.build import same_document_key

    groups: dict[str, list[DocumentRecords]] = {}
    for rec in records:
        d = rec.document
        key = None if d.id else same_document_key(d.title, d.issuer, d.doc_no)
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


def _unique_ids(records: list[DocumentRecords], problems: list[Problem]) -> list[DocumentRecords]:
    """Drop (as a problem) a document whose id another already has: plan.txt beside plan.docx."""
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


def build(paths: Iterable[str | os.PathLike], manifest_path: str | os.PathLike | None = None,
          store: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None,
          reviews: str | os.PathLike | None = None, incremental: bool = False) -> BuildResult:
    """Load, link and (when ``store`` is given) save: see :func:`_build`. Slow conversions (LibreOffice,
    OCR) are cached in the store's ``cache`` folder, so a rebuild does not repeat them."""
    from loaders import cache

    with cache.using(Path(store) / "cache" if store is not None else None):
        return _build(paths, manifest_path, store, progress, reviews, incremental)


def _build(paths: Iterable[str | os.PathLike], manifest_path: str | os.PathLike | None = None,
           store: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None,
           reviews: str | os.PathLike | None = None, incremental: bool = False) -> BuildResult:
    """Load, link and (when ``store`` is given) save. Raises :class:`CascadeError` only for problems
    that stop the whole build (no input, a broken manifest).

    ``incremental`` (with a store): reuse the previous store's records and links for every document
    whose content did not change, and re-link only the changed ones and their neighbours
    (see :mod:`cascade.incremental`)."""
    from graph.build import build_graph
    from graph.link import link
    from graph.reviews import read_reviews

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
        records, problems = inc.load(progress)
    else:
        records, problems = load_all(files, manifest, progress)
    problems = listing_problems + manifest_problems + problems
    records = _unique_ids(records, problems)
    if not records:
        raise CascadeError(f"no document could be loaded from {', '.join(map(str, paths))} "
                           f"({len(problems)} file(s) skipped); the previous store is unchanged: "
                           + "; ".join(str(p) for p in problems[:3]))
    G = build_graph(records)

    review_data = read_reviews(reviews or reviews_path(paths, manifests))

    def link_all(H):  # the whole linking step; an incremental build runs it on the changed neighbourhood
        from cascade.threads import limited_blas

        with limited_blas(1):  # many small matrix products: BLAS threads only wait on 2 cores
            link(H, reviews=review_data)

    if inc is not None:
        inc.link(G, link_all)
    else:
        link_all(G)
    from graph.membership import add_membership

    add_membership(G)
    result = BuildResult(G, records, problems, incremental=inc.info if inc is not None else None)
    if store is not None:
        from graph.store import save

        meta = {"sources": sorted(r.document.source for r in records)}
        result.store = save(G, store, {**meta, **(inc.meta(G) if inc is not None else {})})
        if inc is not None:
            inc.remember(G, result.store, problems)
    return result
