"""Answers of the store's whole-graph aggregates, kept on disk once per version of the graph.

At a nation-year some first answers of the app's pages are aggregates over the whole graph: the total of
the gap list (every requirement of every plan against every plan below it), the workload ranking of
340,000 units, the review queue ordered by score over a million links. Each takes seconds on the store
(5–35 s at 1M tasks), always gives the same answer for the same version, and every analyst's first page
asks for it. So the answer is written once, as JSON, under ``<store>/answers/<content version>/``, and
every app instance and process reads it from there; a build makes a new version and thus new answers.
After a build of a store too large to load, :func:`warm_later` computes the first pages' answers in a
detached process (as the compactor runs), so the first analyst does not wait for them either.

A Bolt server's graph carries no version the store can name: answers asked of it are not kept here.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from core.files import write_atomic

__all__ = ["cached", "answers_dir", "warm_later", "KEEP"]

KEEP = 3   # versions whose answers are kept: the current one and those a reader may still hold


def answers_dir(store) -> Path | None:
    """Where the current version's answers live, or None (no store, or a Bolt server is configured)."""
    from graph.store import content_version
    from queries.backend import BOLT_ENV

    if os.environ.get(BOLT_ENV):
        return None
    version = content_version(store)
    return Path(store) / "answers" / version if version else None


def cached(store, key: tuple, compute: Callable[[], object]):
    """``compute()`` as JSON gives it back (tuples become lists), read from the current version's answers
    when it was computed before, else computed and written there (atomically: a reader never sees half)."""
    folder = answers_dir(store)
    if folder is None:
        return json.loads(json.dumps(compute(), ensure_ascii=False, default=str))
    path = folder / (hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:24] + ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    text = json.dumps(compute(), ensure_ascii=False, default=str)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), durable=False)
        _prune(folder.parent, keep=folder.name)
    except OSError:
        pass   # a read-only store still answers; it computes again next time
    return json.loads(text)


def _prune(root: Path, keep: str) -> None:
    """Drop the answers of all but the newest :data:`KEEP` versions."""
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in folders if p.name != keep][KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def warm_later(store) -> None:
    """Compute the app's first answers of the store's new version in a detached process
    (:meth:`cascade.api.Cascade.warm_answers`); the build does not wait for it."""
    code = "import sys; from cascade.api import Cascade; Cascade(sys.argv[1]).warm_answers()"
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.Popen([sys.executable, "-c", code, str(store)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, env=env, cwd=os.getcwd())
