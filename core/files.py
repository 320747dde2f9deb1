"""Files: written atomically, and which files of a data folder are documents.

Every store, export, report, upload and cache goes through :func:`write_atomic`, so a crash or a full
disk leaves the old file or the new one, never half of one. Every build finds its documents through
:func:`list_documents` (or :func:`list_documents_fast`, its quick form for an incremental build): one
set of rules for what in a folder is a document. An archive of documents (the ``.zip`` of 附件 an office
mails) is walked into: each member is listed as ``<archive>/<member>``, read in place (:mod:`core.archives`).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from core.archives import Bundle, is_archive_name
from core.errors import CascadeError, LoadError

__all__ = ["write_atomic", "MANIFEST_NAMES", "SKIP_NAMES", "SKIP_SUFFIXES", "is_companion", "list_documents",
           "list_documents_fast"]

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")
# Files beside the documents that are not documents: the manifest, the analysts' reviews and marks, notes.
SKIP_NAMES = frozenset({"reviews.yaml", "README.md", "MANIFEST.md", *MANIFEST_NAMES})
SKIP_SUFFIXES = frozenset({".yaml", ".yml", ".json"})   # images are documents too: scans of a page or a table


def is_companion(name: str) -> bool:
    """A file that lives beside the documents without being one (manifest, reviews, JSON side files).

    >>> is_companion("manifest.yaml"), is_companion("plan.json"), is_companion("plan.docx")
    (True, True, False)
    """
    dot = name.rfind(".")
    # (no Path: a build asks this of 25,000 names)
    return name in SKIP_NAMES or (dot > 0 and name[dot:].lower() in SKIP_SUFFIXES)


def list_documents(paths, skipped: list[tuple[str, str]] | None = None) -> tuple[list[Path], list[Path]]:
    """Document files under ``paths`` (sorted, hidden files skipped) and the manifests found beside them.
    What is in a folder but no file to read (a named pipe, a device, a link that leads nowhere or to a
    folder, which is not followed) is added to ``skipped`` as (path, why), one each: never read (a FIFO
    would block the build, /dev/zero never ends), never passed over without a word. A path given that is
    no file nor folder raises :class:`CascadeError`."""
    files: list[Path] = []
    manifests: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            manifests.extend(p / m for m in MANIFEST_NAMES if (p / m).is_file())
            found: list[tuple[str, str, str | None]] = []
            _walk(str(p), str(p), found)
            for f, _, why in found:
                if why is None:
                    files.append(Path(f))
                elif skipped is not None:
                    skipped.append((f, why))
        elif p.is_file() and is_archive_name(p.name):
            found = []
            _members(str(p), str(p), found)
            files.extend(Path(f) for f, _, why in found if why is None)
            if skipped is not None:
                skipped.extend((f, why) for f, _, why in found if why is not None)
        elif p.is_file():
            files.append(p)
        else:
            kind = _not_a_file(p) if os.path.lexists(p) else None
            raise CascadeError(f"{p}: {kind}" if kind else f"{p}: no such file or folder")
    return files, manifests


def list_documents_fast(paths) -> tuple[list[str], list[Path], dict[str, str]] | None:
    """What :func:`list_documents` finds, as ``str`` (25,000 ``Path`` objects cost 0.2 s), plus each
    file's real path (each folder given resolved once, not each file). ``None`` when a path is missing
    or anything but plain files and folders lies under a folder (a link, a FIFO): then the caller lists
    with :func:`list_documents`, which names what it skips and follows links to files."""
    files: list[str] = []
    manifests: list[Path] = []
    real: dict[str, str] = {}
    for p in map(Path, paths):
        if p.is_file() and not is_archive_name(p.name):
            files.append(str(p))
            real[str(p)] = os.path.realpath(p)
            continue
        if p.is_file():
            found = []
            _members(str(p), os.path.realpath(p), found)
            if any(why is not None for *_, why in found):
                return None
            files.extend(f for f, _, _ in found)
            real.update((f, r) for f, r, _ in found)
            continue
        if not p.is_dir():
            return None
        manifests.extend(p / m for m in MANIFEST_NAMES if (p / m).is_file())
        found: list[tuple[str, str, str | None]] = []
        _walk(str(p), os.path.realpath(p), found, plain_only=True)
        for f, real_f, why in found:
            if why is not None:
                return None
            files.append(f)
            real[f] = real_f
    return files, manifests, real


def _walk(folder: str, real_folder: str, out: list, plain_only: bool = False) -> None:
    """Add (path, real path, why it is not read or ``None``) to ``out`` for every entry that is not a
    folder, depth first, each folder's entries sorted by name: the order of sorted ``Path`` objects
    (part by part) without building and sorting 25,000 of them (1M tasks: 0.34 -> 0.1 s). Hidden
    entries and companion files are passed over. ``plain_only``: what is no plain file is not looked at
    further (its why is only "not plain")."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:   # as rglob: a folder that cannot be read holds nothing
        if plain_only:
            out.append((folder, folder, "not plain"))
        return
    pages = None
    for e in entries:
        name = e.name
        if name.startswith("."):
            continue
        # (a DirEntry knows its type without a system call, unless it is a link)
        if not e.is_symlink() and e.is_dir():
            if name.endswith(_PAGE_FOLDERS):
                pages = _page_stems(entries) if pages is None else pages
                if any(name == stem + tail for stem in pages for tail in _PAGE_FOLDERS):
                    continue   # a saved page's images, styles and scripts: the page is the document
            _walk(e.path, os.path.join(real_folder, name), out, plain_only)
        elif is_companion(name):
            continue
        elif not e.is_symlink() and e.is_file() and is_archive_name(name):
            _members(e.path, os.path.join(real_folder, name), out)
        elif not e.is_symlink() and e.is_file():
            out.append((e.path, os.path.join(real_folder, name), None))
        elif plain_only:
            out.append((e.path, e.path, "not plain"))
        else:
            why = _not_a_file(Path(e.path))
            if why is None and is_archive_name(name):   # a link to an archive
                _members(e.path, e.path, out)
            elif why != "folder":
                out.append((e.path, e.path, why))


def _members(archive: str, real: str, out: list) -> None:
    """Each document member of an archive, as (``<archive>/<member>``, its real path, None); an archive
    that cannot be listed (damaged, too many members, too large, no reader for its kind) is one entry
    with why."""
    try:
        members = Bundle(archive).members()
    except LoadError as err:
        out.append((archive, real, err.problem))
        return
    pages = {m.rpartition(".")[0] for m in members if m.lower().endswith(_PAGE_SUFFIXES)}
    for m in members:
        parts = m.split("/")
        # a page saved complete in the bundle: its page_files/ are the page's pictures, as in a folder
        if is_companion(parts[-1]) or any("/".join(parts[:i + 1]) == stem + tail for i in range(len(parts) - 1)
                                          for stem in pages for tail in _PAGE_FOLDERS):
            continue
        out.append((f"{archive}/{m}", f"{real}/{m}", None))


# "Save as complete web page" writes page.html and, beside it, page_files/ (page.files/ in some Chinese
# versions of Word and IE): logos, banners and scripts, which are no documents (a banner would be OCR'd).
_PAGE_FOLDERS = ("_files", ".files", "_文件")
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".mht", ".mhtml")


def _page_stems(entries) -> set[str]:
    return {e.name[:e.name.rfind(".")] for e in entries if e.name.lower().endswith(_PAGE_SUFFIXES)}


def _not_a_file(f: Path) -> str | None:
    """None for a regular file (or a link to one), "folder" for a folder, else why it is not read."""
    try:
        st = f.lstat()
    except OSError as err:
        return f"cannot be looked at ({err.strerror or err})"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            st = f.stat()
        except FileNotFoundError:
            return f"link that leads nowhere (to {os.readlink(f)})"
        except OSError as err:
            return f"link that cannot be followed ({err.strerror or err})"
        if stat.S_ISREG(st.st_mode):
            return None
        if stat.S_ISDIR(st.st_mode):
            target, here = os.path.realpath(f), os.path.realpath(f.parent)
            loop = here == target or here.startswith(target.rstrip(os.sep) + os.sep)
            return "link to a folder above it (a loop): not followed" if loop else "link to a folder: not followed"
    what = ("named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "device" if stat.S_ISCHR(st.st_mode)
            or stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file")
    what = f"link to a {what}" if link else what
    return f"{what}, not a document file: not read"


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
    import tempfile   # here: a fresh process that only reads (a trace) need not import it

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
