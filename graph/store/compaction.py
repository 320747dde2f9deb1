"""Compaction: folding a version's write-ahead log into a private copy of its database.

An incremental build leaves its one write transaction in the log beside a database file it shares with
the previous version (see :func:`graph.store.saving.save_layer`); readers replay the log, which costs
with its size. A log past :data:`WAL_LIMIT` is folded in by a detached process after the build
(``python -m graph.store compact STORE VERSION``, see :mod:`graph.store.__main__`), or, with
``CASCADE_COMPACT=inline`` or past :data:`WAL_HARD_LIMIT`, by the build itself.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.files import write_atomic

from .locking import store_lock
from .versions import current_version, new_partial

__all__ = ["WAL_LIMIT", "WAL_HARD_LIMIT", "compact", "fold_limit", "start_if_due"]

WAL_LIMIT = 1024 * 1024   # a log this large is folded into a copy of the database (see compact)
WAL_HARD_LIMIT = 8 * WAL_LIMIT   # ... and by the build itself if it is this large (compactions kept losing)


def _mode() -> str:
    """``background`` (default): a log past :data:`WAL_LIMIT` is folded in by a detached process after
    the build; ``inline``: by the build that finds it (the environment's ``CASCADE_COMPACT``)."""
    return "inline" if os.environ.get("CASCADE_COMPACT") == "inline" else "background"


def fold_limit() -> int:
    """The size of a previous version's log from which a build folds it into its own copy itself."""
    return WAL_LIMIT if _mode() == "inline" else WAL_HARD_LIMIT


def start_if_due(store: Path, version: Path) -> None:
    """Start a detached compaction of ``version`` when its log is past :data:`WAL_LIMIT` (in the
    background mode)."""
    wal = version / "cascade.lbdb.wal"
    if _mode() == "background" and wal.is_file() and wal.stat().st_size >= WAL_LIMIT:
        _start(store, version)


def _start(store: Path, version: Path) -> None:
    # A module of the installed package, run in the store folder: the build's working directory (where
    # a folder named like one of the project's packages could shadow it) does not matter, and a relative
    # store path is made absolute first.
    store = store.resolve()
    try:
        subprocess.Popen([sys.executable, "-m", "graph.store", "compact", str(store), version.name],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True, cwd=str(store))
    except OSError:
        pass   # the next build folds the log in itself, past WAL_HARD_LIMIT


def compact(store: str | os.PathLike, name: str) -> Path | None:
    """Fold the write-ahead log of version ``name`` into a private copy of its database, as a new version
    with the same content (its other files hard-linked), made current only if ``name`` still is.

    An incremental build that leaves a log past :data:`WAL_LIMIT` starts this in a detached process
    (copying 550 MB and checkpointing at 1M tasks takes 2-4 s, which the build would otherwise pay once
    in ~10 builds). A build that switches ``CURRENT`` meanwhile wins: the compaction is dropped (its
    version held the same content). A build that started from ``name`` goes on from it (or from the new
    version, the same graph), and removes it when it switches. Returns the new version, or ``None`` when
    there was nothing to do, another compaction was running, or ``CURRENT`` had moved on."""
    import ladybug

    store = Path(store)
    version = store / name
    with store_lock(store, ".compact.lock", wait=False) as mine:
        if not mine or current_version(store) != version:
            return None
        new, partial = new_partial(store)
        try:
            src = version / "cascade.lbdb"
            shutil.copyfile(src, partial / src.name)
            wal = src.with_name(src.name + ".wal")
            if wal.is_file():
                shutil.copyfile(wal, partial / wal.name)
            db = ladybug.Database(str(partial / src.name))
            conn = ladybug.Connection(db)
            try:
                conn.execute("CHECKPOINT")
            finally:
                conn.close()
                db.close()
            for p in version.iterdir():
                if p.is_file() and p.name not in (src.name, wal.name):
                    os.link(p, partial / p.name)
            with store_lock(store):
                if current_version(store) != version:
                    raise _Moved
                os.replace(partial, new)
                write_atomic(store / "CURRENT", new.name + "\n")
        except (_Moved, OSError, RuntimeError):
            shutil.rmtree(partial, ignore_errors=True)
            return None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    # The version it replaced stays until the next build removes it: a build that started from it may
    # still be reading it (removing it here made such a build fail, one in ~25 back-to-back at 1M).
    return new


class _Moved(Exception):
    pass
