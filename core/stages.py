"""How long each stage of a build took: wall seconds and CPU seconds, the CPU of the process and of the
worker processes it reaped during the stage (the loaders' and the linker's). The benchmark reads them
(``CASCADE_BUILD_TIMINGS=FILE cascade build …``): a large build runs its stages in a forked child and
the database load in the parent (cascade/apart.py), where no wrapper from outside can time them.

>>> reset()
>>> with stage("load"):
...     _ = sum(range(1000))
>>> [row["stage"] for row in taken()], sorted(taken()[0])
(['load'], ['cpu_s', 'stage', 'wall_s'])
"""
from __future__ import annotations

import resource
import time
from contextlib import contextmanager

__all__ = ["stage", "taken", "reset", "add", "TIMINGS_ENV"]

TIMINGS_ENV = "CASCADE_BUILD_TIMINGS"

_rows: list[dict] = []


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def stage(name: str):
    """Time the block as stage ``name`` (appended when the block ends, also by an exception)."""
    wall, cpu = time.perf_counter(), _cpu()
    try:
        yield
    finally:
        _rows.append({"stage": name, "wall_s": round(time.perf_counter() - wall, 3),
                      "cpu_s": round(_cpu() - cpu, 3)})


def taken() -> list[dict]:
    """The stages timed since the last :func:`reset`, in the order they ended."""
    return list(_rows)


def add(rows: list[dict]) -> None:
    """Stages timed elsewhere (the build's child process), in their order."""
    _rows.extend(rows)


def reset() -> None:
    _rows.clear()
