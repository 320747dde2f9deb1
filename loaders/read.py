"""From bytes to blocks: tell the format by content, and hand the file to that format's reader.

Every reader (:mod:`loaders.formats`) returns the same thing, a list of :class:`loaders.blocks.Block`:
a paragraph or a table row. The structure parser downstream never knows which format a document came
in. This module is the dispatcher only: :func:`detect_format` names the format, :data:`READERS` maps
it to its reader, and :func:`read_blocks` applies the limits every format shares.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from core.archives import document_bytes
from core.errors import LoadError

from .blocks import Block, gloss_lines_joined, heading_cells_apart
from .charset import decode
from .formats.image import read_image
from .formats.legacy import odf_kind, ole_kind, to_office_xml
from .formats.mhtml import is_mhtml, parts_of_mhtml
from .formats.ofd import is_ofd, read_ofd
from .formats.pdf import read_pdf
from .formats.sheets import read_delimited, read_xls, read_xlsx
from .formats.text import read_text
from .formats.web import read_html
from .formats.word import read_docx
from .limits import check_bytes, check_container, check_text
from .normalize import strip_mirror_debris, strip_pinyin

__all__ = ["detect_format", "read_blocks", "READERS", "MAX_BYTES"]

MAX_BYTES = 200 * 1024 * 1024
# Extensions that promise a binary format: a file named so whose bytes are neither that format nor text
# was damaged or renamed, and the person should hear which, not that "no encoding reads it".
_BINARY_NAMES = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX", ".odt": "ODT", ".ods": "ODS", ".doc": "DOC",
                 ".wps": "WPS", ".xls": "XLS", ".et": "ET", ".ofd": "OFD", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG",
                 ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WebP", ".bmp": "BMP"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def detect_format(data: bytes, name: str = "") -> str:
    """The format of a file, by its content first and its extension second.

    >>> detect_format(b"%PDF-1.7 ...")
    'pdf'
    >>> detect_format("<!DOCTYPE html><html><body>x</body></html>".encode())
    'html'
    >>> detect_format("一、总体要求".encode("utf-8"), "a.docx")
    'text'
    """
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                odf = odf_kind(z.read("mimetype")[:100]) if "mimetype" in names else None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return "zip-broken"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if odf:
            return odf
        return "ofd" if is_ofd(names) else "zip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ole_kind(data)  # doc (.doc/.wps), xls (.xls/.et) or another OLE file
    if is_mhtml(head):
        return "mhtml"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP") or (   # a picture saved from a page or a chat
            head[:2] == b"BM" and int.from_bytes(head[2:6], "little") == len(data)):   # (a BMP states its size)
        return "image"
    try:
        sniff = decode(head, name).lower()
    except LoadError:
        sniff = ""
    if re.search(r"<(!doctype html|html|body|div|p|table|meta|head)[\s>]", sniff):
        return "html"
    return "csv" if name.lower().endswith((".csv", ".tsv")) else "text"


def _read_converted(kind: str) -> Callable[[bytes, str], list[Block]]:
    """Word 97-2003 (``.doc``, WPS ``.wps``), RTF and OpenDocument: LibreOffice makes a DOCX or an XLSX,
    which that reader reads."""
    def read(data: bytes, name: str) -> list[Block]:
        office = to_office_xml(data, name, kind)
        return read_docx(office) if kind in ("doc", "rtf", "odt") else read_xlsx(office)
    return read


def _read_mhtml(data: bytes, name: str) -> list[Block]:
    """A web page saved as one file (``.mht``/``.mhtml``): its HTML part, read as the page itself, with
    the pictures saved beside it in the file."""
    html, pictures = parts_of_mhtml(data, name)
    check_bytes(html, name, "html")   # (the page, not its images, is what the HTML limits are for)
    return read_html(html, name, lambda src: pictures.get(src) or _data_uri(src))


_PICTURE_MAX = 20 * 1024 * 1024


def _read_page(data: bytes, name: str) -> list[Block]:
    """A web page, with the pictures saved beside it (a page saved complete: ``page_files/``) that it shows;
    only files inside the page's own folder are looked at, never a URL."""
    from urllib.parse import unquote, urlsplit

    folder = Path(name).parent.resolve()

    def local(src: str) -> bytes | None:
        found = _data_uri(src)
        if found is not None or not src or urlsplit(src).scheme or src.startswith("//"):
            return found
        try:
            target = (folder / unquote(urlsplit(src).path)).resolve()
            if folder not in target.parents:
                return None
            inside = document_bytes(target, _PICTURE_MAX / 1024 / 1024)   # a page saved in a bundle
            if inside is not None:
                return inside
            if not target.is_file() or target.stat().st_size > _PICTURE_MAX:
                return None
            return target.read_bytes()
        except (LoadError, OSError, ValueError):
            return None
    return read_html(data, name, local)


def _data_uri(src: str) -> bytes | None:
    """A picture written into the page itself (``data:image/png;base64,…``)."""
    if not src.startswith("data:image/") or ";base64," not in src[:64]:
        return None
    import base64
    import binascii

    try:
        return base64.b64decode(src.split(",", 1)[1], validate=False)
    except (binascii.Error, ValueError):
        return None


def _read_xls(data: bytes, name: str) -> list[Block]:
    """Excel 97-2003 (``.xls``, WPS ``.et``): xlrd reads it, else LibreOffice makes it an XLSX."""
    blocks = read_xls(data, name)
    return read_xlsx(to_office_xml(data, name, "xls")) if blocks is None else blocks


# The format :func:`detect_format` names → its reader, ``(bytes, file name) → blocks``.
READERS: dict[str, Callable[[bytes, str], list[Block]]] = {
    "text": read_text, "html": _read_page, "docx": read_docx, "xlsx": read_xlsx, "pdf": read_pdf,
    "doc": _read_converted("doc"), "xls": _read_xls, "ofd": read_ofd, "image": read_image, "csv": read_delimited,
    "mhtml": _read_mhtml, "rtf": _read_converted("rtf"), "odt": _read_converted("odt"),
    "ods": _read_converted("ods"),
}
# What :func:`detect_format` names but no reader reads: why, in one line.
_REFUSED = {
    "zip-broken": "damaged Office file (bad zip archive)",
    "ole-broken": "damaged legacy Office file (.doc/.xls/.wps/.et)",
    "ole": "Office file that is neither Word nor Excel (a presentation?)",
}


def read_blocks(path: str | Path, data: bytes | None = None) -> tuple[str, list[Block], str]:
    """Read a file into blocks. Returns ``(format, blocks, full text)``."""
    path = Path(path)
    if data is None:
        data = document_bytes(path)   # a member of a mailed .zip of 附件, read in place (core.archives)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise LoadError(path, f"cannot read: {err.strerror or err}") from err
        if size > MAX_BYTES:
            raise LoadError(path, f"file too large ({size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB)")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise LoadError(path, f"cannot read: {err.strerror or err}") from err
    if not data.strip():
        raise LoadError(path, "empty file")
    check_container(data, path)   # a zip's directory, a PDF's streams (loaders.limits)
    fmt = detect_format(data, path.name)
    if fmt in ("text", "html", "csv"):
        check_bytes(data, path, fmt)
    reader = READERS.get(fmt)
    if reader is None and fmt == "zip":
        from . import SUPPORTED

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            inside = sum(1 for n in z.namelist() if n.lower().endswith(SUPPORTED))
        # (a .zip is walked into by the listing: this one is inside an archive, or named as another type)
        raise LoadError(path, f"zip archive of {inside} document file(s) under another name: name it .zip, "
                              "outside any archive, and its documents are read"
                        if inside else "zip archive that is neither DOCX, XLSX, ODT/ODS nor OFD")
    if reader is None:
        raise LoadError(path, _REFUSED[fmt])
    try:
        blocks = reader(data, str(path))
    except LoadError as err:
        claimed = _BINARY_NAMES.get(path.suffix.lower())
        if fmt == "text" and claimed and err.problem.startswith("not a text file"):
            raise LoadError(path, f"named .{path.suffix[1:].lower()} but neither {claimed} nor text inside "
                                  "(damaged, or renamed?)") from err
        raise
    # A broken XML part is a SyntaxError (lxml, ElementTree); a corrupt zip member a zlib.error.
    except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, ValueError, OSError) as err:
        raise LoadError(path, f"damaged {fmt.upper()} file ({type(err).__name__}: {err})") from err
    # Control characters (an ESC sequence, Word's vertical tab) are never a plan's text: a terminal
    # would obey them and an XLSX cell refuses them.
    if _CONTROL.search("\n".join(c for b in blocks for c in b.cells)):   # (one pass, not one a cell: most have none)
        for b in blocks:
            if any(_CONTROL.search(c) for c in b.cells):
                b.cells = tuple(_CONTROL.sub(" ", c).strip() for c in b.cells)
    # A mirror's @@ after each word is no part of the text in any form it reaches us in: its page
    # saved as HTML, its text pasted into Word or printed to PDF (a text file's are taken out as read).
    if fmt != "text" and any(c != strip_pinyin(c) for b in blocks for c in b.cells):
        for b in blocks:   # 區(qū): a mirror's pinyin glosses, in a page saved as HTML as in its text
            b.cells = tuple(strip_pinyin(c) for c in b.cells)
    if fmt != "text" and "@@" in "".join(c for b in blocks for c in b.cells):
        for b in blocks:
            b.cells = tuple(strip_mirror_debris(c) for c in b.cells)
    if fmt != "text":   # (a text's rows had it in loaders.blocks.text_blocks)
        blocks = heading_cells_apart(blocks)
    if "(" in "".join(b.cells[0] for b in blocks if not b.row):
        blocks = gloss_lines_joined(blocks)
    text = "\n".join(b.text for b in blocks)
    check_text(text, path)
    return fmt, blocks, text
