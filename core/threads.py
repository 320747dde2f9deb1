"""Keep numpy's BLAS to one thread while linking.

The linker multiplies many small matrices (tasks of one document × tasks of its parent). OpenBLAS
starts its own thread pool for each product; on a 2-core machine shared with the loader's worker
processes those threads spin and wait more than they compute: linking 10,000 synthetic tasks took 35 s
with the default pool and 7 s with one thread (bench/run.py). numpy offers no switch, and the
environment variable only works before numpy is first imported (the app imports it long before a
build), so this calls OpenBLAS's own setter through ctypes, as threadpoolctl does.
"""
from __future__ import annotations

import ctypes
from contextlib import contextmanager

__all__ = ["blas_threads", "set_blas_threads", "limited_blas"]

_SETTERS = ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
            "scipy_openblas_set_num_threads")
_GETTERS = ("openblas_get_num_threads", "scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
            "scipy_openblas_get_num_threads")
_LIBS: list | None = None


def _openblas_libs() -> list:
    """The OpenBLAS libraries loaded in this process (numpy's own, once numpy is imported)."""
    global _LIBS
    if _LIBS is None:
        import numpy  # noqa: F401  (loads the library whose pool we set)

        paths = set()
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if "openblas" in line.lower() and "/" in line:
                        paths.add(line[line.index("/"):].strip())
        except OSError:   # not Linux: leave the pool as it is
            pass
        libs = []
        for p in sorted(paths):
            try:
                libs.append(ctypes.CDLL(p))
            except OSError:
                continue
        _LIBS = libs
    return _LIBS


def _call(names, *args):
    out = None
    for lib in _openblas_libs():
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                out = fn(*args)
                break
    return out


def blas_threads() -> int | None:
    """OpenBLAS's thread count, or None when no OpenBLAS is loaded.

    >>> isinstance(blas_threads(), (int, type(None)))
    True
    """
    return _call(_GETTERS)


def set_blas_threads(n: int) -> None:
    _call(_SETTERS, ctypes.c_int(n))


@contextmanager
def limited_blas(n: int = 1):
    """Run a block with OpenBLAS limited to ``n`` threads, then restore the previous count.

    >>> with limited_blas(1):
    ...     inside = blas_threads()
    >>> inside in (1, None)
    True
    """
    before = blas_threads()
    set_blas_threads(n)
    try:
        yield
    finally:
        if before is not None:
            set_blas_threads(before)
