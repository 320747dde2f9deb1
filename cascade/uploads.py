"""Documents uploaded through the app: checked, saved under the data folder only, then rebuilt.

An uploaded file's name comes from the user's browser, so it is reduced to a plain file name (no
folders, no leading dots, no control or path characters) and the file is written only inside
``<data>/uploads/``; its size is checked before anything is written, and the write is atomic.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from cascade.errors import LoadError

__all__ = ["MAX_UPLOAD_MB", "UPLOAD_DIR", "safe_name", "save_upload", "rebuild"]

MAX_UPLOAD_MB = 20
UPLOAD_DIR = "uploads"
_RESERVED = {"manifest.yaml", "manifest.yml", "reviews.yaml"}
_UNSAFE = re.compile(r"[^\w.\-()\u3000-\u303f\uff08\uff09]+")
_MAX_NAME = 120


def safe_name(name: str) -> str:
    """The file name an upload is saved under, or :class:`LoadError` when none is acceptable.

    >>> safe_name("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_name("C:\\\\Users\\\\x\\\\2022 黄埔区 分工方案.docx")
    '2022_黄埔区_分工方案.docx'
    >>> safe_name(".hidden.txt")
    'hidden.txt'
    >>> safe_name("run.sh")
    Traceback (most recent call last):
    ...
    cascade.errors.LoadError: run.sh: not a document type the loaders read (.doc, .docx, .et, .htm, .html, .jpeg, .jpg, .md, .ofd, .pdf, .png, .shtml, .text, .tif, .tiff, .txt, .wps, .xls, .xlsx)
    """
    from loaders import SUPPORTED

    raw = name or ""
    base = re.split(r"[\\/]", raw)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip("._- ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix.lower()
    if f".{suffix}" not in SUPPORTED:
        raise LoadError(raw, f"not a document type the loaders read ({', '.join(sorted(SUPPORTED))})")
    stem = stem[: _MAX_NAME - len(suffix) - 1].strip("._- ")
    if not stem:
        raise LoadError(raw, "no usable file name")
    out = f"{stem}.{suffix}"
    if out.lower() in _RESERVED:
        raise LoadError(raw, "reserved name")
    return out


def save_upload(name: str, data: bytes, data_dir: str | os.PathLike, max_mb: float = MAX_UPLOAD_MB,
                overwrite: bool = False) -> Path:
    """Write an uploaded file under ``<data_dir>/uploads/`` and return its path.

    Refused (with :class:`LoadError`, naming the file): larger than ``max_mb``, empty, a type the
    loaders do not read, a name already taken (unless ``overwrite``), or a target that would resolve
    outside the data folder (a symlink planted there).
    """
    safe = safe_name(name)
    if len(data) > max_mb * 1024 * 1024:
        raise LoadError(name, f"{len(data) / 1024 / 1024:.1f} MB is over the {max_mb:g} MB upload limit")
    if not data:
        raise LoadError(name, "the file is empty")
    root = Path(data_dir).resolve()
    folder = root / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe
    if folder.resolve().parent != root or target.is_symlink() or target.resolve().parent != folder.resolve():
        raise LoadError(name, f"would be written outside {root}")
    if target.exists() and not overwrite:
        raise LoadError(name, f"{target.name} is already in {folder}; tick 'replace' to overwrite it")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def rebuild(data_dir: str | os.PathLike, store: str | os.PathLike,
            progress: Callable[[int, int, str], None] | None = None):
    """Rebuild the store from everything under ``data_dir`` (its manifest and ``reviews.yaml``
    included); returns the :class:`cascade.pipeline.BuildResult`."""
    from cascade.pipeline import build

    reviews = Path(data_dir) / "reviews.yaml"
    return build([data_dir], store=store, progress=progress, reviews=reviews if reviews.is_file() else None)
