"""The binary Office formats offices still send: Word 97-2003 ``.doc`` (and WPS Office's ``.wps``,
which is the same format), Excel ``.xls`` (and WPS's ``.et``); and the other word-processor formats a
document is saved in (RTF, OpenDocument ``.odt``/``.ods``), which LibreOffice converts the same way.

All are OLE2 compound files; the streams inside tell Word (``WordDocument``) from Excel (``Workbook``),
whatever the extension says. A Word file is converted to DOCX by LibreOffice (headless) and read by the
DOCX reader, so tables keep their merged cells and numbering its numbers; an Excel file is read by
xlrd (:mod:`loaders.formats.sheets`), and converted to XLSX here when xlrd cannot. Conversions are
cached by the file's hash (:mod:`loaders.cache`): a rebuild does not start LibreOffice again.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import LoadError

from .. import cache

__all__ = ["ole_kind", "odf_kind", "to_office_xml", "soffice", "LIBREOFFICE_HINT"]

LIBREOFFICE_HINT = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
CONVERT_TIMEOUT = 180   # seconds: a 100-page .doc converts in ~10 s; more is a hung converter
_STREAMS = {"worddocument": "doc", "workbook": "xls", "book": "xls"}
# kind → (the suffix LibreOffice is given, what it becomes, how the person calls the file)
_KINDS = {"doc": ("doc", "docx", "Word (.doc/.wps)"), "rtf": ("rtf", "docx", "RTF (.rtf)"),
          "odt": ("odt", "docx", "OpenDocument text (.odt)"), "xls": ("xls", "xlsx", "Excel (.xls/.et)"),
          "ods": ("ods", "xlsx", "OpenDocument spreadsheet (.ods)")}


def ole_kind(data: bytes) -> str:
    """``doc`` or ``xls`` for an OLE2 compound file by its streams, ``ole`` for another kind
    (a PowerPoint file, an MSI), ``ole-broken`` for one whose directory cannot be parsed."""
    try:
        import olefile
    except ImportError:
        # Stream names sit in the directory as UTF-16: a plain search finds them.
        for stream, kind in (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls")):
            if stream.encode("utf-16-le") + b"\0\0" in data:
                return kind
        return "ole"
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {e[-1].lower() for e in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises OSError and others on a damaged directory
        return "ole-broken"
    for stream, kind in _STREAMS.items():
        if stream in streams:
            return kind
    return "ole"


def odf_kind(mimetype: bytes) -> str | None:
    """``odt`` or ``ods`` for an OpenDocument zip by its ``mimetype`` member, else None.

    >>> odf_kind(b"application/vnd.oasis.opendocument.text"), odf_kind(b"application/epub+zip")
    ('odt', None)
    """
    return {b"application/vnd.oasis.opendocument.text": "odt",
            b"application/vnd.oasis.opendocument.spreadsheet": "ods"}.get(mimetype.strip())


def soffice() -> str | None:
    return os.environ.get("CASCADE_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def to_office_xml(data: bytes, name: str, kind: str) -> bytes:
    """A ``doc``/``rtf``/``odt`` → DOCX or ``xls``/``ods`` → XLSX, through LibreOffice; cached by the file's
    hash."""
    suffix, target, what = _KINDS[kind]
    key = cache.key(data, "libreoffice", target)
    hit = cache.read("convert", f"{key}.{target}")
    if hit is not None:
        return hit
    exe = soffice()
    if exe is None:
        raise LoadError(name, f"legacy {what} file: reading it needs LibreOffice, which is not installed "
                              f"({LIBREOFFICE_HINT})")
    with tempfile.TemporaryDirectory(prefix="cascade-lo-") as tmp:
        src = Path(tmp) / f"in.{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        # Its own profile folder: two conversions at once (two build workers) would share a locked one.
        cmd = [exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as err:
            raise LoadError(name, f"LibreOffice took more than {CONVERT_TIMEOUT} s to convert it "
                                  "(damaged or password-protected?)") from err
        except OSError as err:
            raise LoadError(name, f"LibreOffice could not be started ({err.strerror or err}): {LIBREOFFICE_HINT}") from err
        result = out / f"in.{target}"
        if not result.is_file():
            said = (run.stderr or run.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise LoadError(name, f"LibreOffice could not convert this {what} file (damaged or password-protected?)"
                                  + (f": {said[-1][:200]}" if said else ""))
        converted = result.read_bytes()
    cache.write("convert", f"{key}.{target}", converted)
    return converted

