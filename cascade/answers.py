"""Answers of the store's whole-graph aggregates, kept on disk once per version of the graph.

At a nation-year some first answers of the app's pages are aggregates over the whole graph: the total of
the gap list (every requirement of every plan against every plan below it), the workload ranking of
340,000 units, the review queue ordered by score over a million links. Each takes seconds on the store
(5–35 s at 1M tasks), always gives the same answer for the same version, and every analyst's first page
asks for it. So the answer is written once, as JSON, under ``<store>/answers/<content version>/``, and
every app instance and process reads it from there; a build makes a new version and thus new answers.
After a build of a store too large to load, :func:`warm_later` computes the first pages' answers in a
detached process (as the compactor runs), so the first analyst does not wait for them either.

A Bolt server's graph has the version `cascade push` wrote on its marker (:mod:`graph.push`), and the
answers the push carried there (:func:`kept_answers`). When ``CASCADE_BOLT_URI`` is set, an answer is
read from ``<store>/answers/bolt-<server's version>/``, else from the server, else computed on the
server; either way it is then kept in that local folder (the app never writes to the server). A server
whose push did not complete, or that an older tool filled, has no version: its answers are not kept.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Callable

from core.files import write_atomic

try:   # the interpreter's own SHA-1: hashlib would load OpenSSL first (3 ms of a fresh process's trace)
    from _sha1 import sha1 as _sha1
except ImportError:   # an interpreter built without it
    from hashlib import sha1 as _sha1

__all__ = ["cached", "kept", "answers_dir", "answer_name", "kept_answers", "warm", "warm_later", "KEEP"]

KEEP = 3   # versions whose answers are kept: the current one and those a reader may still hold
# How long a process trusts the server's version it read (each read is a connection, 0.1-0.5 s): a
# re-push is seen within this time, as the app's own caches of a server's answers see it within a minute.
SERVER_VERSION_SECONDS = 30.0
_SERVER_VERSION: dict[str, tuple[float, str | None]] = {}
_BOLT_PREFIX = "bolt-"


def answers_dir(store) -> Path | None:
    """Where the current version's answers live, or None (no store, or a Bolt server is configured)."""
    from queries.backend import BOLT_ENV

    if os.environ.get(BOLT_ENV):
        return None
    return _local_dir(store)


def _local_dir(store) -> Path | None:
    """The embedded store's folder of answers of its current version, whatever the environment says."""
    from graph.store import content_version

    version = content_version(store)
    return Path(store) / "answers" / version if version else None


def answer_name(key: tuple) -> str:
    """The name an answer is kept under (a file's stem, a server's ``CascadeAnswer.key``).

    >>> answer_name(("overview",))
    '59e64c594009347648a1e7bd'
    """
    return _sha1(repr(key).encode("utf-8")).hexdigest()[:24]


def cached(store, key: tuple, compute: Callable[[], object]):
    """``compute()`` as JSON gives it back (tuples become lists), read from the current version's answers
    when it was computed before, else computed and written there (atomically: a reader never sees half).
    With a Bolt server configured, the server's version and answers (the module doc)."""
    from queries.backend import BOLT_ENV

    if os.environ.get(BOLT_ENV):
        return _cached_bolt(store, key, compute)
    folder = _local_dir(store)
    if folder is None:
        return _round_trip(compute())
    path = folder / (answer_name(key) + ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    text = json.dumps(compute(), ensure_ascii=False, default=str)
    _keep(path, text)
    return json.loads(text)


def kept(store, key: tuple):
    """The answer :func:`cached` keeps under ``key`` for the embedded store's current version, or None when
    none is kept (nothing is computed)."""
    from queries.backend import BOLT_ENV

    folder = None if os.environ.get(BOLT_ENV) else _local_dir(store)
    if folder is None:
        return None
    try:
        return json.loads((folder / (answer_name(key) + ".json")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _round_trip(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _keep(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), durable=False)
        _prune(path.parent.parent, keep=path.parent.name)
    except OSError:
        pass   # a read-only store still answers; it computes again next time


def _cached_bolt(store, key: tuple, compute: Callable[[], object]):
    from queries.backend import BOLT_ENV, open_backend

    name, uri = answer_name(key), os.environ.get(BOLT_ENV, "")
    seen = _SERVER_VERSION.get(uri)
    backend = None
    try:
        if seen is not None and time.monotonic() - seen[0] < SERVER_VERSION_SECONDS:
            version = seen[1]
        else:
            backend = open_backend(store)
            version = backend.pushed_version()
            _SERVER_VERSION[uri] = (time.monotonic(), version)
        if version is None:
            return _round_trip(compute())
        path = Path(store) / "answers" / (_BOLT_PREFIX + re.sub(r"[^\w.-]", "_", version)[:120]) / (name + ".json")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        backend = backend or open_backend(store)
        text = backend.pushed_answer(name, version)
    finally:
        if backend is not None:
            backend.close()
    if text is None:
        text = json.dumps(compute(), ensure_ascii=False, default=str)
    _keep(path, text)
    return json.loads(text)


def _prune(root: Path, keep: str) -> None:
    """Drop the answers of all but the newest :data:`KEEP` versions."""
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in folders if p.name != keep][KEEP - 1:]:
        import shutil

        shutil.rmtree(old, ignore_errors=True)


def kept_answers(store) -> dict[str, str]:
    """The embedded store's kept answers of its current version, ``{name: JSON text}`` (what `cascade push`
    carries to the server)."""
    folder = _local_dir(store)
    if folder is None or not folder.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))}


def _warm_process(store) -> tuple[list[str], dict]:
    """The command and environment of a process computing the app's first answers of the embedded store
    (:meth:`cascade.api.Cascade.warm_answers`): without the Bolt variables, so it reads the store, not a
    server holding an older push."""
    from queries.backend import BOLT_ENV

    # below the builds and the app beside it (as the compaction runs)
    code = "import os, sys; os.nice(10); from cascade.api import Cascade; Cascade(sys.argv[1]).warm_answers()"
    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != BOLT_ENV}
    env["PYTHONPATH"] = str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")
    return [sys.executable, "-c", code, str(store)], env


def warm(store) -> None:
    """The app's first answers of the store's current version, computed now (in a process of their own)."""
    import subprocess   # here: every reader of a kept answer imports this module, few warm

    cmd, env = _warm_process(store)
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False, env=env, cwd=os.getcwd())


def warm_later(store) -> None:
    """:func:`warm` in a detached process; the build does not wait for it."""
    import subprocess

    cmd, env = _warm_process(store)
    subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, env=env, cwd=os.getcwd())
