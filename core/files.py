"""Files: written atomically, and which files of a data folder are documents.

Every store, export, report, upload and cache goes through :func:`write_atomic`, so a crash or a full
disk leaves the old file or the new one, never half of one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic", "MANIFEST_NAMES", "SKIP_NAMES", "SKIP_SUFFIXES", "is_companion"]

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")
# Files beside the documents that are not documents: the manifest, the analysts' reviews and marks, notes.
SKIP_NAMES = frozenset({"reviews.yaml", "README.md", "MANIFEST.md", *MANIFEST_NAMES})
SKIP_SUFFIXES = frozenset({".yaml", ".yml", ".json"})   # images are documents too: scans of a page or a table


def is_companion(name: str) -> bool:
    """A file that lives beside the documents without being one (manifest, reviews, JSON side files)."""
    return name in SKIP_NAMES or Path(name).suffix.lower() in SKIP_SUFFIXES


def _umask() -> int:
    """The process's umask, read without changing it where /proc shows it (os.umask sets it to read it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, content: str | bytes, *, durable: bool = True) -> None:
    """Write aside in the same folder, then rename over the target. The file gets the mode a plain
    ``open`` would give it (the user's umask; an existing file keeps its mode), not mkstemp's 0600.

    ``durable`` fsyncs before the rename; caches that are cheap to rebuild pass False, because an
    fsync per file costs seconds over the thousands of records of a large build."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            # (a lone surrogate as \udcff, which JSON reads back as it was, rather than no file at all)
            fh.write(content.encode("utf-8", "backslashreplace") if isinstance(content, str) else content)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
