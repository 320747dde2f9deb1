"""A large full build run apart: everything that holds the graph in a forked child process, the
database loaded by the parent once the child has ended.

At 1M tasks the networkx graph and its links held ~3.5 GB and the engine's bulk load ~2 GB more, both
alive at once in one process (a 6.4 GB peak). Here the child loads, builds, links, and writes the
store's files (the database's tables as Parquet files, the incremental state) into the
new version's folder, sends back what the build says (counts, problems) and ends with ``os._exit``: the
kernel frees its graph at once (freed object by object it took ~50 s). The parent, which never held
the graph, then loads the database from the files and publishes the version (see
:func:`graph.store.saving.finish_apart`). Loading progress is relayed to the parent's callback.

Only from a single-threaded process (as the loaders' workers: forking the app's server could copy a
held lock) and only from :data:`APART_MIN_FILES` files on (``CASCADE_BUILD_APART_FILES``): a small
build keeps its graph in the result, which the tests and the app's small stores read.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from traceback import format_exc
from typing import Callable

from cascade.loading import _can_fork
from cascade.results import StoredResult
from core import stages
from core.errors import CascadeError

__all__ = ["APART_MIN_FILES", "APART_FILES_ENV", "wanted", "build_apart"]

# ~40 tasks a file in a real or synthetic cascade: 2,000 files are ~80k tasks, where the graph alone
# is ~0.3 GB and forking costs nothing measurable; below it the result keeps its graph.
APART_MIN_FILES = 2000
APART_FILES_ENV = "CASCADE_BUILD_APART_FILES"


def wanted(n_files: int) -> bool:
    """Whether a full build of ``n_files`` files runs apart."""
    limit = int(os.environ.get(APART_FILES_ENV) or APART_MIN_FILES)
    return n_files >= limit and _can_fork()


def build_apart(store: Path, work: Callable, progress: Callable[[int, int, str], None] | None) -> StoredResult:
    """Run ``work(partial, progress, tables_ready)`` in a forked child and publish what it wrote.

    ``work`` writes the version's files into ``partial``, calls ``tables_ready(plan)`` with the plan of
    :func:`graph.store.bulk.write_table_files` once the tables are written, and returns a dict:
    ``problems``, ``info`` (the incremental build's), ``meta`` (for meta.json), ``counts`` (nodes
    and relationships, for meta.json) and ``summary`` (``label_counts``, ``derived_from``).
    An exception in the child is raised here; a child that died raises a :class:`CascadeError`."""
    import multiprocessing

    from graph.store.saving import abandon_apart, finish_apart, start_apart

    version, partial = start_apart(store)
    receive, send = multiprocessing.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:   # the child: never returns
        receive.close()
        _end_with(parent)
        _child(work, partial, progress, send)
    send.close()
    plan = out = None
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:
                break
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif kind == "tables":
                plan = message[1]
            elif kind == "done":
                out = message[1]
            elif kind == "error":
                err, trace = message[1], message[2]
                if not isinstance(err, BaseException):
                    err = CascadeError(str(err))
                err.__notes__ = [*getattr(err, "__notes__", []), "in the build process:\n" + trace]
                raise err
        status = _wait(pid)
        pid = None
        if out is None or plan is None:
            how = _how(status)
            raise CascadeError(f"the build process ended before finishing ({how}); the previous store is unchanged",
                               key="build_died", how=how)
        stages.add(out.get("timings") or [])
        result = finish_apart(store, version, partial, plan, out["counts"], out["meta"])
    except BaseException:
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            _wait(pid)
        abandon_apart(partial)
        raise
    finally:
        receive.close()
    meta = {**out["meta"], **out["summary"]}
    return StoredResult.of(store, result, [], out["problems"], out["info"], meta)


def _child(work: Callable, partial: Path, progress, send) -> None:
    """The child's whole life: run the work, send what it returns (or its exception), end at once."""
    code = 1
    try:
        def relay(done: int, total: int, name: str) -> None:
            send.send(("progress", done, total, name))

        out = work(partial, relay if progress is not None else None, lambda plan: send.send(("tables", plan)))
        send.send(("done", out))
        code = 0
    except BaseException as err:   # even Ctrl-C: the parent decides what the user sees
        try:
            send.send(("error", err, format_exc()))
        except Exception:   # an exception that does not pickle: its text
            try:
                send.send(("error", f"{type(err).__name__}: {err}", format_exc()))
            except Exception:
                pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            send.close()
        finally:
            os._exit(code)


def _end_with(parent: int) -> None:
    """The child is killed when the parent dies (Linux): a build whose command was killed must not
    go on for minutes holding gigabytes."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:   # it died before that
        os._exit(1)


def _wait(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"killed by signal {sig}" + (" — out of memory?" if sig == signal.SIGKILL else "")
    return f"exit status {os.waitstatus_to_exitcode(status)}"
