"""Keys that tell what changed: of the code (:func:`code_key`), of a document (:func:`content_key`), of
a file (:func:`file_key`) and of a manifest entry (:func:`entry_hash`).

A cached result is stale when the code that made it changed, so the keys hash whole packages (their
subpackages and data files included): a hand-written list of files went stale once already, when a
file it did not name changed (``graph/store.py``).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from core.archives import document_bytes
from core.errors import LoadError

__all__ = ["CODE_PACKAGES", "CONTENT_PACKAGES", "code_fingerprint", "code_key", "content_code", "content_key",
           "file_key", "entry_hash"]

# What a store holds is made by these packages and nothing else: the records (core, loaders), the graph,
# its links, its membership and the store's writers (graph), which records a build keeps and how an
# incremental build writes its change into the store (cascade). queries/ and the app only read a store.
# A change to any of them makes the next incremental build a full one. All of cascade: a finer cut would
# be a list of files again (what this replaces); the price is one full build after a change to its CLI
# or its words too.
CODE_PACKAGES = ("core", "loaders", "graph", "cascade")
# A document's records depend on its bytes, its manifest entry and these: the readers and the records.
CONTENT_PACKAGES = ("core", "loaders")
# Code and the data it reads (graph/idf.tsv: a changed table changes every link score; saved Cypher).
CODE_SUFFIXES = (".py", ".txt", ".tsv", ".ttl", ".cypher")

_ROOT = Path(__file__).resolve().parents[2]
_FINGERPRINTS: dict[tuple, str] = {}


def code_fingerprint(package: str) -> str:
    """A hash of a package's code and data files, its subpackages' included.

    >>> code_fingerprint("core") == code_fingerprint("core") != code_fingerprint("loaders")
    True
    """
    files = sorted(_code_files(_ROOT / package, ""))
    # Remembered per file state: a file edited while the process lives (a test, a long-lived app) counts.
    stamp = (str(_ROOT), package, tuple((rel, st.st_mtime_ns, st.st_size) for rel, _, st in files))
    if stamp not in _FINGERPRINTS:
        h = hashlib.sha256()
        for rel, path, _ in files:
            h.update(rel.encode())
            h.update(Path(path).read_bytes())
        _FINGERPRINTS[stamp] = h.hexdigest()[:16]
    return _FINGERPRINTS[stamp]


def _code_files(folder: Path, prefix: str):
    """(path relative to the package, path, stat) of each code or data file under ``folder``."""
    with os.scandir(folder) as it:
        for e in it:
            if e.name.startswith((".", "__pycache__")):
                continue
            if e.is_dir():
                yield from _code_files(Path(e.path), f"{prefix}{e.name}/")
            elif e.name.endswith(CODE_SUFFIXES):
                yield f"{prefix}{e.name}", e.path, e.stat()


def _packages_key(packages) -> str:
    h = hashlib.sha256()
    for p in packages:
        h.update(f"{p}:{code_fingerprint(p)}\n".encode())
    return h.hexdigest()[:16]


def code_key() -> str:
    """The key of the code whose output a store holds (:data:`CODE_PACKAGES`)."""
    return _packages_key(CODE_PACKAGES)


def content_code() -> str:
    """The code part of every document's key (:data:`CONTENT_PACKAGES`)."""
    return _packages_key(CONTENT_PACKAGES)


def content_key(path: Path, overrides: dict | None, code: str | None = None) -> str:
    """The key of one document: its bytes, its manifest entry and the loaders' version (``code``, from
    :func:`content_code`, when many keys are made at once).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("一、总体要求", encoding="utf-8")
    >>> content_key(p, {"level": "county"}) == content_key(p, {"level": "county"}) != content_key(p, {"level": "city"})
    True
    """
    h = hashlib.sha256()
    h.update((code or content_code()).encode())
    h.update(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False, default=str).encode())
    try:   # (a member of an archive: its own bytes, so a changed archive reloads only what changed in it)
        data = document_bytes(path)
    except LoadError as err:   # a member that cannot be read: its load says why, keyed by that
        data = f"unreadable: {err.problem}".encode()
    h.update(path.read_bytes() if data is None else data)
    return h.hexdigest()[:32]


def file_key(path) -> str | None:
    """A hash of a file's bytes (the reviews), ``None`` for no file."""
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def entry_hash(entry: dict | None) -> str:
    """A hash of a manifest entry, as the state remembers it beside each file."""
    return hashlib.sha1(json.dumps(entry or {}, sort_keys=True, ensure_ascii=False,
                                   default=str).encode()).hexdigest()[:16]
