"""The store's file locks: ``.lock`` for a switch of ``CURRENT``, ``.compact.lock`` for a compaction."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

__all__ = ["store_lock"]


@contextmanager
def store_lock(store: Path, name: str = ".lock", wait: bool = True):
    """An exclusive lock on a file of the store (held for a switch of ``CURRENT``, or by a compaction):
    yields whether it was taken (always, when ``wait``)."""
    import fcntl

    with open(store / name, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
