"""Keeping Python's cyclic garbage collector out of the way of bulk work.

Building, linking, loading and (un)pickling a large cascade create tens of millions of objects and no
reference cycles; each full pass of the collector rescans everything alive (seconds at 1M tasks), so
the bulk stages run with it paused.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["gc_paused", "gc_frozen", "release_free_memory"]


@contextmanager
def gc_paused():
    """Cyclic garbage collection off for a while.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def gc_frozen():
    """As :func:`gc_paused`, and the objects alive before and after frozen out of the collector's
    passes: forked workers then never collect (and so write to, and copy) the parent's pages. Unfrozen
    again on the way out (a dropped graph must stay collectable), unless a caller froze objects itself."""
    outer = gc.get_freeze_count() > 0
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
        if not outer:
            gc.unfreeze()


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``), where it has them:
    what Python frees in large blocks (a linker's pickled results, ~0.2 GB at 1M tasks) otherwise stays
    in the process while the graph that outlives it is worked on. Elsewhere, nothing."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim   # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    trim(0)
