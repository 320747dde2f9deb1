"""Bundles of documents: the ``.zip`` (or ``.7z``, ``.rar``) of 附件 an office mails, read in place.

A member is named by a path through its archive, ``<folder>/附件.zip/2022年要点.docx``, which the
build lists and loads as any file (:func:`core.files.list_documents`, :func:`document_bytes`): nothing
is extracted, so nothing is written beside the data. The app's upload saves the members it reads here
(:func:`cascade.uploads.save_uploads`), with the same limits and the same one line for a member refused.

Limits (as an upload's): at most :data:`MAX_MEMBERS` members, :data:`MAX_TOTAL_MB` unpacked together (by
the sizes the archive declares: :mod:`zipfile` never reads past a member's declared size), and each
member read up to :data:`MAX_MEMBER_MB` only (counted on the bytes inflated, so a bomb that lies about
its size costs no more). A member with a password is named in one line; the others are still read.

Zip names carry no charset unless flagged UTF-8 (Windows' own zip tool writes GBK, which :mod:`zipfile`
reads as CP437); RAR 4 names written without their Unicode form are the writer's code page: both are
read back as GB18030 when they are not UTF-8. ``.7z`` and ``.rar`` are read by libarchive (PyPI
``libarchive-c`` over Debian's ``libarchive13``); without it, such an archive is one line saying so.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib

from core.errors import LoadError

__all__ = ["ARCHIVE_SUFFIXES", "MAX_MEMBERS", "MAX_TOTAL_MB", "MAX_MEMBER_MB", "Bundle", "is_archive_name",
           "split_member", "document_bytes", "document_stat"]

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
MAX_MEMBERS = 500            # a bundle of a year's plans, not an archive of a whole site
MAX_TOTAL_MB = 200           # what its members may unpack to, together
MAX_MEMBER_MB = 20           # one member, as one upload
_MB = 1024 * 1024
# a path that goes through an archive: …/附件.zip/x.docx (the archive is the first such part that is a file)
_THROUGH = re.compile(r"\.(?:zip|7z|rar)/", re.I)


def is_archive_name(name: str) -> bool:
    """Whether a file is walked into as an archive of documents, by its name.

    >>> is_archive_name("附件.ZIP"), is_archive_name("a.7z"), is_archive_name("plan.docx")
    (True, True, False)
    """
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _kind(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".") or "zip"


def _decoded(raw: str | bytes, utf8: bool = False) -> str:
    """A member's name as its writer meant it: bytes (or zipfile's CP437 reading of them) that are not
    UTF-8 are GBK, as a Chinese Windows desktop writes them."""
    if isinstance(raw, bytes):
        data = raw
    elif utf8:
        return raw
    else:
        try:
            data = raw.encode("cp437")
        except UnicodeEncodeError:
            return raw
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "backslashreplace")


def _clean(name: str) -> str | None:
    """The member's path as it is listed (``附件/x.docx``), or None for no document: a folder, a hidden
    file, a Mac's resource fork. ``..`` and root parts are dropped: the name is a label under the
    archive, never a place to write to."""
    parts = [p for p in re.split(r"[\\/]", name) if p not in ("", ".", "..")]
    if not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
        return None
    return "/".join(parts)


class Bundle:
    """One archive, from its path or its bytes: its document members and each member's bytes.

    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("附件/要点.txt", "一、总体要求".encode())
    ...     z.writestr("../__MACOSX/._要点.txt", b"")
    >>> b = Bundle(buf.getvalue(), "a.zip")
    >>> b.members(), b.read("附件/要点.txt").decode()
    (['附件/要点.txt'], '一、总体要求')
    """

    def __init__(self, source: str | os.PathLike | bytes, name: str | os.PathLike | None = None):
        self.source = source
        self.name = str(name if name is not None else source)
        self.kind = _kind(self.name)
        self._raw: dict[str, object] | None = None   # listed member → what its archive calls it

    def members(self) -> list[str]:
        """The document members' paths, in the archive's order. :class:`LoadError` (naming the archive)
        for one that cannot be read at all, has too many members, or unpacks to too much."""
        if self._raw is None:
            listed = self._list_zip() if self.kind == "zip" else self._list_other()
            if len(listed) > MAX_MEMBERS:
                raise LoadError(self.name, f"{self.kind} archive of {len(listed)} files (more than {MAX_MEMBERS})")
            total = sum(size for _, _, size in listed)
            if total > MAX_TOTAL_MB * _MB:
                raise LoadError(self.name, f"{self.kind} archive unpacks to {total / _MB:.0f} MB "
                                           f"(more than {MAX_TOTAL_MB} MB)")
            self._raw = {}
            for name, raw, _ in listed:
                clean = _clean(name)
                if clean and clean not in self._raw:
                    self._raw[clean] = raw
        return list(self._raw)

    def read(self, member: str, cap_mb: float = MAX_MEMBER_MB) -> bytes:
        """One member's bytes, read up to ``cap_mb``; :class:`LoadError` naming ``<archive>/<member>``:
        password-protected, damaged, or unpacking past the cap."""
        if member not in self.members():
            raise LoadError(f"{self.name}/{member}", f"no such member in the {self.kind} archive")
        cap = int(cap_mb * _MB)
        raw = self._raw[member]
        body = self._read_zip(raw, member, cap) if self.kind == "zip" else self._read_other(raw, member, cap)
        if len(body) > cap:
            raise LoadError(f"{self.name}/{member}", f"unpacks to more than {cap_mb:g} MB")
        return body

    # --- zip, by the standard library ---------------------------------------------------------------

    def _zip(self) -> zipfile.ZipFile:
        src = io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source
        try:
            return zipfile.ZipFile(src)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
            raise LoadError(self.name, "damaged zip archive") from err

    def _list_zip(self) -> list[tuple[str, object, int]]:
        with self._zip() as z:
            return [(_decoded(i.filename, bool(i.flag_bits & 0x800)), i.filename, i.file_size)
                    for i in z.infolist() if not i.is_dir()]

    def _read_zip(self, raw, member: str, cap: int) -> bytes:
        where = f"{self.name}/{member}"
        with self._zip() as z:
            try:
                info = z.getinfo(raw)
                if info.flag_bits & 0x1:
                    raise LoadError(where, "password-protected zip member")
                with z.open(info) as f:
                    return f.read(cap + 1)
            except RuntimeError as err:   # zipfile: "File … is encrypted, password required"
                raise LoadError(where, "password-protected zip member") from err
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, KeyError) as err:
                raise LoadError(where, f"damaged zip member ({type(err).__name__})") from err

    # --- 7z and RAR, by libarchive ------------------------------------------------------------------

    def _open_other(self):
        try:
            import libarchive
        except (ImportError, OSError) as err:   # (OSError: the package without Debian's libarchive13)
            raise LoadError(self.name, f"{self.kind} archive: reading it needs libarchive "
                                       "(pip install libarchive-c; apt-get install libarchive13)") from err
        if isinstance(self.source, bytes):
            return libarchive, libarchive.memory_reader(self.source)
        return libarchive, libarchive.file_reader(os.fspath(self.source))

    def _entries(self):
        """(libarchive, each regular entry) of the archive, its errors as one line naming it."""
        libarchive, reader = self._open_other()
        try:
            with reader as archive:
                for entry in archive:
                    if entry.isreg:
                        yield libarchive, entry
        except libarchive.ArchiveError as err:
            if "ncrypt" in _said(err):   # 7z's header encrypted with its members: not even names to list
                raise LoadError(self.name, f"password-protected {self.kind} archive") from err
            raise LoadError(self.name, f"damaged {self.kind} archive ({_said(err)})") from err

    def _list_other(self) -> list[tuple[str, object, int]]:
        return [(_decoded(e.pathname), e.pathname, e.size or 0) for _, e in self._entries()]

    def _read_other(self, raw, member: str, cap: int) -> bytes:
        """A 7z or RAR member: every member is inflated in one pass and kept (:data:`_UNPACKED`), as a
        solid archive inflates everything before a member to reach it: read one by one, 100 members of
        a solid 7z took 34 s, in one pass 0.7 s."""
        if isinstance(self.source, bytes):   # an upload: kept by this Bundle only
            kept, key = self.__dict__.setdefault("_unpacked", {}), None
        else:   # a file: one archive at a time, as a build reads a bundle's members one after another
            st = os.stat(self.source)
            kept, key = _UNPACKED, (self.kind, os.fspath(self.source), st.st_size, st.st_mtime_ns)
        if kept.get("key") != key or kept.get("cap", -1) < cap or "bodies" not in kept:
            kept.clear()
            kept.update(key=key, cap=cap, bodies=self._unpack_all(cap))
        body = kept["bodies"].get(raw, kept["bodies"].get(_REST))
        if body is None:
            raise LoadError(f"{self.name}/{member}", f"no such member in the {self.kind} archive")
        if isinstance(body, str):
            raise LoadError(f"{self.name}/{member}", body)
        return body

    def _unpack_all(self, cap: int) -> dict:
        """Each regular entry's bytes (inflated up to ``cap`` + 1: a member that lies about its size is
        cut there), or why it cannot be read."""
        bodies: dict = {}
        try:
            self._unpack_into(bodies, cap)
        except LoadError as err:   # damaged part way: the members before it are read, the others named
            if not bodies:
                raise
            bodies[_REST] = err.problem
        return bodies

    def _unpack_into(self, bodies: dict, cap: int) -> None:
        for libarchive, entry in self._entries():
            if _encrypted(entry):
                bodies[entry.pathname] = f"password-protected {self.kind} member"
                continue
            out = bytearray()
            try:
                for block in entry.get_blocks():
                    out += block
                    if len(out) > cap:
                        break
            except libarchive.ArchiveError as err:
                said = _said(err)
                bodies[entry.pathname] = (f"password-protected {self.kind} member"
                                          if "ncrypt" in said or "passphrase" in said.lower()
                                          else f"damaged {self.kind} member ({said})")
                continue
            bodies[entry.pathname] = bytes(out)


_UNPACKED: dict = {}
_REST = object()   # the members after an archive's damage: why they cannot be read


def _said(err) -> str:
    """libarchive's own message, one short line."""
    text = getattr(err, "msg", None)   # (its str() is a repr of the C call: retcode, pointer)
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "unreadable")
    return re.sub(r"\s+", " ", text)[:120] or type(err).__name__


_ENCRYPTED = []


def _encrypted(entry) -> bool:
    """Whether libarchive knows the entry's data is encrypted (libarchive ≥ 3.2; libarchive-c does not
    ask it, so the C function is declared here once)."""
    if not _ENCRYPTED:
        try:
            from ctypes import c_int

            from libarchive import ffi

            _ENCRYPTED.append(ffi.ffi("entry_is_data_encrypted", [ffi.c_archive_entry_p], c_int))
        except (AttributeError, ImportError, OSError):
            _ENCRYPTED.append(None)
    check = _ENCRYPTED[0]
    return bool(check and check(entry._entry_p))


# --- a member as a file of the build ------------------------------------------------------------------

def split_member(path: str | os.PathLike) -> tuple[str, str] | None:
    """``(archive, member)`` when ``path`` goes through an archive file (``d/附件.zip/要点.docx``),
    else None. A folder named ``x.zip`` is a folder.

    >>> split_member("no/such/a.zip/b.docx") is None, split_member("plain.docx") is None
    (True, True)
    """
    s = os.fspath(path)
    for m in _THROUGH.finditer(s):
        head = s[:m.end() - 1]
        if os.path.isfile(head):
            return head, s[m.end():]
    return None


def document_bytes(path: str | os.PathLike, cap_mb: float | None = None) -> bytes | None:
    """A member's bytes (:class:`LoadError` naming it when it cannot be read), or None for a path
    that goes through no archive (a plain file, which the caller reads)."""
    inside = split_member(path)
    if inside is None:
        return None
    try:
        return Bundle(inside[0]).read(inside[1], MAX_MEMBER_MB if cap_mb is None else cap_mb)
    except LoadError as err:
        raise LoadError(os.fspath(path), err.problem) from err


def document_stat(path: str | os.PathLike) -> os.stat_result:
    """``os.stat`` of a file; of a member, its archive's (a changed archive has every member looked at)."""
    inside = split_member(path)
    return os.stat(inside[0] if inside else path)
