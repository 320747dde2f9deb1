"""A cache of slow conversions (LibreOffice, OCR) by the hash of the file's bytes, so that a rebuild
does not convert or OCR the same file again. It lives in the store's own ``cache/`` folder: the build
sets it (:func:`use`); without a store nothing is cached and nothing is written.
"""
from __future__ import annotations

import hashlib
import os

from contextlib import contextmanager
from pathlib import Path

from core.files import write_atomic

__all__ = ["use", "folder", "key", "read", "write"]

_DIR: Path | None = None


def use(path: str | os.PathLike | None) -> None:
    """Cache under ``path`` (the store's ``cache`` folder), or nowhere (``None``)."""
    global _DIR
    _DIR = Path(path) if path is not None else None


@contextmanager
def using(path: str | os.PathLike | None):
    before = _DIR
    use(path)
    try:
        yield
    finally:
        use(before)


def folder() -> Path | None:
    return _DIR


def key(data: bytes, *salt: str) -> str:
    h = hashlib.sha256(data)
    for s in salt:
        h.update(b"\0" + s.encode())
    return h.hexdigest()[:32]


def read(kind: str, name: str) -> bytes | None:
    if _DIR is None:
        return None
    try:
        return (_DIR / kind / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Atomically (two workers converting the same file both write whole files); a cache that cannot
    be written (read-only store) only costs the next build the conversion again."""
    if _DIR is None:
        return
    try:
        write_atomic(_DIR / kind / name, data, durable=False)
    except OSError:
        pass
