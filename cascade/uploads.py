"""Documents uploaded through the app: checked, saved under the data folder only, then rebuilt.

An uploaded file's name comes from the user's browser, so it is reduced to a plain file name (no
folders, no leading dots, no control or path characters) and the file is written only inside
``<data>/uploads/``; its size is checked before anything is written, and the write is atomic.
"""
from __future__ import annotations

import os
import re

import unicodedata
from pathlib import Path
from typing import Callable

from core.archives import MAX_TOTAL_MB, Bundle, is_archive_name
from core.errors import LoadError
from core.records import LEVELS
from core.files import write_atomic

__all__ = ["MAX_UPLOAD_MB", "UPLOAD_DIR", "safe_name", "save_upload", "save_uploads", "rebuild"]

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
    core.errors.LoadError: run.sh: not a document type the loaders read (.bmp, .csv, .doc, .docx, .et, .htm, .html, .jpeg, .jpg, .md, .mht, .mhtml, .ods, .odt, .ofd, .pdf, .png, .rtf, .shtml, .text, .tif, .tiff, .tsv, .txt, .webp, .wps, .xls, .xlsx)
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
    write_atomic(target, data)
    return target


def save_uploads(name: str, data: bytes, data_dir: str | os.PathLike, max_mb: float = MAX_UPLOAD_MB,
                 overwrite: bool = False) -> tuple[list[Path], list[LoadError]]:
    """Save one upload: a document as :func:`save_upload` does, or an archive of documents (the 附件 an
    office mails: ``.zip``, ``.7z``, ``.rar``) unpacked, each member saved as an upload of its own.
    Returns the saved paths and, one each, the members refused (another type, too large,
    password-protected, a name taken), so that one bad member never loses the others. The members are
    read as the build reads an archive in a data folder (:class:`core.archives.Bundle`: its limits, its
    GBK names); nothing is extracted by the archive's own paths: a member's name is reduced to a plain
    file name as any upload's is."""
    if not is_archive_name(name):
        return [save_upload(name, data, data_dir, max_mb, overwrite)], []
    if len(data) > max_mb * 1024 * 1024:
        raise LoadError(name, f"{len(data) / 1024 / 1024:.1f} MB is over the {max_mb:g} MB upload limit")
    bundle = Bundle(data, name)
    saved: list[Path] = []
    refused: list[LoadError] = []
    budget = MAX_TOTAL_MB * 1024 * 1024
    for member in bundle.members():
        where = f"{name}/{member}"
        try:
            body = bundle.read(member, min(max_mb, budget / 1024 / 1024))
        except LoadError as err:
            refused.append(LoadError(where, err.problem))
            continue
        budget -= len(body)
        try:
            saved.append(save_upload(member.rpartition("/")[2], body, data_dir, max_mb, overwrite))
        except LoadError as err:
            refused.append(LoadError(where, err.problem))
    return saved, refused


def rebuild(data_dir: str | os.PathLike, store: str | os.PathLike,
            progress: Callable[[int, int, str], None] | None = None):
    """Rebuild the store from everything under ``data_dir`` (its manifest and ``reviews.yaml``
    included); returns the :class:`cascade.results.BuildResult`."""
    from cascade.pipeline import build

    reviews = Path(data_dir) / "reviews.yaml"
    return build([data_dir], store=store, progress=progress, reviews=reviews if reviews.is_file() else None)


# --- what the user knows about an upload: level, region, year and parent, kept in the manifest ----------

def guess_metadata(path: str | os.PathLike, G=None) -> dict:
    """What the text of an uploaded file says of itself, to pre-fill the upload form: ``title``,
    ``issuer``, ``doc_no``, ``level``, ``region``, ``year``, and ``parent`` — a loaded document the text
    cites by title or 文号 (``G``: the current graph), else None. Never raises for a bad file: an empty
    guess (the rebuild reports the file)."""
    from core.errors import CascadeError
    from loaders import load_file

    try:
        doc = load_file(path).document
    except (CascadeError, OSError, ValueError):
        return {}
    out = {k: getattr(doc, k, None) for k in ("title", "issuer", "doc_no", "level", "region", "year")}
    cited = [c for c in (getattr(doc, "parent_cited", None) or []) if c]
    cites = [c for c in (getattr(doc, "cites", None) or []) if c]
    out["cited"] = cited + cites
    if not out["region"]:     # the issuer's name opens with its region: 广州市黄埔区人民政府办公室
        from loaders.units import split_region

        parts = []
        for part in split_region(out.get("issuer") or out.get("title") or ""):
            if len(part) > 6 or re.search(r"政府|办公|委员会|部门", part):
                break
            parts.append(part)
        out["region"] = "".join(parts) or None
    out["parent"] = None
    if G is not None:
        # Of the loaded documents the text cites (by 文号 or title), the nearest level above its own; when
        # the text tells which level its own parent plan is (a district's: its city's), only one of that
        # level: a district plan citing the State Council's 要点 and its city's plan owes the city's, and a
        # parent named here overrides inference at every rebuild, so a cited plan further up is no guess.
        rank = {lvl: i for i, lvl in enumerate(LEVELS)}
        own = rank.get(out.get("level"), len(rank))
        owed = getattr(doc, "parent_level", None)
        hits = []
        for n, d in G.nodes(data=True):
            if d.get("label") != "Document" or rank.get(d.get("level"), len(rank)) >= own:
                continue
            if owed and d.get("level") != owed:
                continue
            title, no = d.get("title") or "", d.get("doc_no") or ""
            if any((no and no in c) or (len(title) >= 6 and (title in c or c in title)) for c in cited + cites):
                hits.append((rank.get(d.get("level"), -1), n))
        out["parent"] = max(hits)[1] if hits else None
    return out


def replace_row(text: str, rel: str, block: str) -> str | None:
    """``text`` (a manifest) with the lines of the row of ``file: rel`` replaced by ``block`` (one YAML
    list item), everything else as it was written: the other rows, their comments, the blank lines;
    a comment at the end of the row's first line stays on the new first line. None when the row is not
    a block item one can cut out (the caller then writes the manifest anew).

    >>> print(replace_row("documents:\\n  # the city\\n  - file: a.txt   # seed\\n    year: 2021\\n\\n  - file: b.txt\\n",
    ...                   "a.txt", "- file: a.txt\\n  year: 2022\\n"), end="")
    documents:
      # the city
      - file: a.txt   # seed
        year: 2022
    <BLANKLINE>
      - file: b.txt
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    items = next((v for k, v in getattr(root, "value", []) if getattr(k, "value", None) == "documents"), None)
    if not isinstance(items, yaml.SequenceNode) or items.flow_style:
        return None
    lines = text.splitlines(keepends=True)
    starts = [item.start_mark.line for item in items.value]
    for i, item in enumerate(items.value):
        fields = {getattr(k, "value", None): getattr(v, "value", None) for k, v in getattr(item, "value", [])
                  if isinstance(item, yaml.MappingNode)}
        if fields.get("file") != rel:
            continue
        first = starts[i]
        dash = lines[first].find("-")
        if dash < 0 or lines[first][:dash].strip():
            return None
        last = starts[i + 1] if i + 1 < len(starts) else item.end_mark.line + (item.end_mark.column > 0)
        while last > first + 1 and (not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")):
            last -= 1   # blank lines and comments before the next row belong to what follows
        new = [" " * dash + line + "\n" for line in block.splitlines()]
        note = lines[first].rstrip("\n").partition(" #")[2]
        if note and "'" not in lines[first] and '"' not in lines[first]:
            new[0] = f"{new[0].rstrip()}   #{note}\n"
        return "".join(lines[:first] + new + lines[last:])
    return None


def record_metadata(data_dir: str | os.PathLike, file: str | os.PathLike, meta: dict) -> Path:
    """Write what the user said of an uploaded file into ``<data_dir>/manifest.yaml`` (its row replaced
    in place if it had one, by :func:`replace_row`: the hand-written rest keeps its comments), so every
    rebuild reads it: fields ``level``, ``region``, ``year``, ``issuer``,
    ``title``, ``doc_no`` and ``parents`` (a parent the user names is used before any inference). The
    row is checked as the manifest's rows are; the file is written atomically."""
    import yaml

    from core.errors import ManifestError
    from core.files import write_atomic
    from loaders.manifest import safe_yaml
    from loaders.manifest_schema import check_rows

    root = Path(data_dir)
    manifest = root / "manifest.yaml"
    rel = Path(file).resolve().relative_to(root.resolve()).as_posix()
    row = {"file": rel, **{k: v for k, v in meta.items() if v not in (None, "", [])}}
    for _, _, error in check_rows([row]):
        if error:
            raise ManifestError(f"{manifest}: {rel}: {error}")
    text = manifest.read_text(encoding="utf-8") if manifest.is_file() else "documents:\n"
    data = safe_yaml(text) or {}
    rows = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ManifestError(f"{manifest}: expected a 'documents:' list")
    block = yaml.safe_dump([row], allow_unicode=True, sort_keys=False, width=200)
    if any(isinstance(r, dict) and r.get("file") == rel for r in rows):
        rows = [row if isinstance(r, dict) and r.get("file") == rel else r for r in rows]
        text = replace_row(text, rel, block)
    else:   # appended as text: the comments of the hand-written rows stay
        text = text.rstrip("\n") + "\n" + "".join("  " + line + "\n" for line in block.splitlines())
        rows = [*rows, row]
    check = safe_yaml(text) if text is not None else None
    if not isinstance(check, dict) or check.get("documents") != rows:
        # a manifest laid out otherwise (flow style, other indentation): written anew, comments lost
        text = yaml.safe_dump({**data, "documents": rows}, allow_unicode=True, sort_keys=False, width=200)
    write_atomic(manifest, text)
    return manifest
