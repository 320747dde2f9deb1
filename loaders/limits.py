"""What one input file may cost, and names as the file system gives them.

Offices feed this tool files from the internet and e-mail: a DOCX whose ``document.xml`` inflates to a
gigabyte, an XLSX of a million empty-looking cells, an XML part that declares an external entity. Each
limit below is checked before the costly step; a file over one is skipped with one line naming the file
and the limit (a :class:`core.errors.LoadError`), and the build goes on. The defaults keep one
build under ~1 GB whatever one file holds (a 16 MB ``document.xml`` of tiny paragraphs peaks at
~350 MB; 60 MB at ~1 GB), and are far above any real work plan (the largest seen: a 2 MB
``document.xml``, 3,000 table rows, 200,000 characters). Each is settable by an environment variable of the same
name prefixed ``CASCADE_`` (``CASCADE_MAX_TEXT_CHARS=20000000``), read when a file is checked.

| limit | default | what it bounds |
|---|---|---|
| MAX_ZIP_PART | 16 MB | one part of a DOCX/XLSX, inflated (document.xml, sharedStrings.xml, a sheet) |
| MAX_ZIP_TOTAL | 48 MB | all XML parts of one DOCX/XLSX, inflated |
| MAX_ZIP_RATIO | 200 | inflated/compressed size of a part over 1 MB (text XML compresses ~10x; a bomb ~1000x) |
| MAX_ZIP_ENTRIES | 10,000 | parts in one DOCX/XLSX |
| MAX_SHEET_CELLS | 2,000,000 | cells read from one XLSX (empty ones in a row included) |
| MAX_SHEET_ROWS | 200,000 | rows read from one XLSX |
| MAX_TEXT_BYTES | 16 MB | a text or HTML file, before decoding |
| MAX_HTML_TAGS | 30,000 | elements (opening tags) of an HTML file; a 3,000-row table of 8 columns has 27,000. Parsing and reading stay linear: 29,000 sibling paragraphs read in 0.7 s (the limit bounds memory, not a quadratic reader any more) |
| MAX_ZIP_DIRECTORY | 8 MB | a zip's central directory, read from its end record before the zip is opened |
| MAX_PDF_PAGES | 1,000 | pages of a PDF, counted in its objects before pdfplumber reads them (pdfplumber takes ~0.1 s a page) |
| MAX_PDF_STREAM | 32 MB | one Flate stream of a PDF (behind ASCIIHex/ASCII85 too), inflated, counted before pdfplumber reads the file |
| MAX_TEXT_CHARS | 4,000,000 | text of one document once read (any format) |
"""
from __future__ import annotations

import base64
import binascii
import os
import re
import zipfile
import zlib

from core.errors import LoadError

__all__ = ["limit", "check_container", "check_office_zip", "check_bytes", "check_text", "SheetBudget", "display_name",
           "DEFAULTS"]

MB = 1024 * 1024
DEFAULTS = {
    "MAX_ZIP_PART": 16 * MB,
    "MAX_ZIP_TOTAL": 48 * MB,
    "MAX_ZIP_RATIO": 200,
    "MAX_ZIP_ENTRIES": 10_000,
    "MAX_SHEET_CELLS": 2_000_000,
    "MAX_SHEET_ROWS": 200_000,
    "MAX_TEXT_BYTES": 16 * MB,
    "MAX_HTML_TAGS": 30_000,
    "MAX_ZIP_DIRECTORY": 8 * MB,
    "MAX_PDF_STREAM": 32 * MB,
    "MAX_PDF_PAGES": 1_000,
    "MAX_TEXT_CHARS": 4_000_000,
}
_RATIO_FROM = 1 * MB   # small parts may compress far better (a run of spaces): only big ones are judged
_SCAN_CHUNK = 1 << 20
# A DOCTYPE in any XML part: python-docx and openpyxl parse with lxml, which would keep an entity
# reference as a node nobody expects (or, in other parsers, fetch it). No Office program writes one.
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E|\x00<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E")


def limit(name: str) -> int:
    """The limit in force: ``CASCADE_<name>`` from the environment, else :data:`DEFAULTS`."""
    raw = os.environ.get(f"CASCADE_{name}")
    if raw:
        try:
            return int(raw.replace("_", ""))
        except ValueError:
            pass
    return DEFAULTS[name]


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n:,} bytes"


def check_office_zip(zf: zipfile.ZipFile, name) -> None:
    """Refuse a DOCX/XLSX whose parts would inflate past the limits, or whose XML declares a DOCTYPE
    (entities). The sizes come from the zip's directory; a part that inflates to more than it declares
    fails its CRC check in :mod:`zipfile`, which never reads past the declared size. XML parts are
    scanned for a DOCTYPE as they inflate (a few ms per MB)."""
    infos = zf.infolist()
    if len(infos) > limit("MAX_ZIP_ENTRIES"):
        raise LoadError(name, f"Office file has {len(infos):,} parts (limit MAX_ZIP_ENTRIES = {limit('MAX_ZIP_ENTRIES'):,})")
    part_max, total_max, ratio_max = limit("MAX_ZIP_PART"), limit("MAX_ZIP_TOTAL"), limit("MAX_ZIP_RATIO")
    xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels", ".vml"))]
    total = 0
    for info in xml:
        if info.file_size > part_max:
            raise LoadError(name, f"{info.filename} inflates to {_size(info.file_size)} "
                                  f"(limit MAX_ZIP_PART = {_size(part_max)}): a zip bomb?")
        if info.file_size > _RATIO_FROM and info.file_size > ratio_max * max(info.compress_size, 1):
            raise LoadError(name, f"{info.filename} inflates {info.file_size // max(info.compress_size, 1):,} times "
                                  f"(limit MAX_ZIP_RATIO = {ratio_max}): a zip bomb?")
        total += info.file_size
    if total > total_max:
        raise LoadError(name, f"Office file's XML inflates to {_size(total)} (limit MAX_ZIP_TOTAL = {_size(total_max)})")
    for info in xml:
        tail = b""
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_SCAN_CHUNK)
                if not chunk:
                    break
                window = tail + chunk
                # Every declaration opens with '<!' (in UTF-8) or '<\0!' (in UTF-16): most parts have
                # neither, and a plain search for them is many times faster than the pattern's.
                if (b"<!" in window or b"<\x00!" in window) and _DOCTYPE.search(window):
                    raise LoadError(name, f"{info.filename} declares a DOCTYPE or entities (refused: "
                                          "external entities could read local files)")
                tail = chunk[-32:]


def check_text(text: str, name) -> None:
    """Refuse a document whose text is past MAX_TEXT_CHARS."""
    cap = limit("MAX_TEXT_CHARS")
    if len(text) > cap:
        raise LoadError(name, f"document text has {len(text):,} characters (limit MAX_TEXT_CHARS = {cap:,})")


def check_bytes(data: bytes, name, what: str = "text") -> None:
    """Refuse a text or HTML file past MAX_TEXT_BYTES, or an HTML file of more than MAX_HTML_TAGS tags."""
    cap = limit("MAX_TEXT_BYTES")
    if len(data) > cap:
        raise LoadError(name, f"{what} file of {_size(len(data))} (limit MAX_TEXT_BYTES = {_size(cap)})")
    if what == "html":
        tags, cap = data.count(b"<") - data.count(b"</"), limit("MAX_HTML_TAGS")
        if tags > cap:
            raise LoadError(name, f"HTML file of {tags:,} tags (limit MAX_HTML_TAGS = {cap:,})")


def check_container(data: bytes, name) -> None:
    """Before any parser opens the file: a zip's central directory (which :mod:`zipfile` reads whole:
    ~500 bytes of memory per entry) and a PDF's Flate streams (which pdfminer inflates whole)."""
    if data[:4] == b"PK\x03\x04":
        _check_zip_directory(data, name)
    elif data[:5] == b"%PDF-":
        _check_pdf_streams(data, name)


def _check_zip_directory(data: bytes, name) -> None:
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return   # no end record: zipfile says it is damaged
    entries = int.from_bytes(data[end + 10:end + 12], "little")
    size = int.from_bytes(data[end + 12:end + 16], "little")
    loc = end - 20   # a zip64 end record, when the counts overflowed
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and loc >= 0 and data[loc:loc + 4] == b"PK\x06\x07":
        at = int.from_bytes(data[loc + 8:loc + 16], "little")
        if data[at:at + 4] == b"PK\x06\x06":
            entries = int.from_bytes(data[at + 32:at + 40], "little")
            size = int.from_bytes(data[at + 40:at + 48], "little")
    if entries > limit("MAX_ZIP_ENTRIES"):
        raise LoadError(name, f"Office file has {entries:,} parts (limit MAX_ZIP_ENTRIES = {limit('MAX_ZIP_ENTRIES'):,})")
    if size > limit("MAX_ZIP_DIRECTORY"):
        raise LoadError(name, f"zip directory of {_size(size)} (limit MAX_ZIP_DIRECTORY = {_size(limit('MAX_ZIP_DIRECTORY'))})")


_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PDF_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)")


def _check_pdf_streams(data: bytes, name) -> None:
    """Each stream whose filters are Flate, or ASCIIHex/ASCII85 then Flate, is inflated up to the limit
    and dropped (LZW and run-length streams are not measured: see README, "still weak")."""
    pages, most = len(_PDF_PAGE.findall(data)), limit("MAX_PDF_PAGES")
    if pages > most:
        raise LoadError(name, f"PDF of {pages:,} pages (limit MAX_PDF_PAGES = {most:,})")
    cap = limit("MAX_PDF_STREAM")
    pos = 0
    while True:
        i = data.find(b"stream", pos)
        if i < 0:
            return
        pos = i + 6
        if data[i - 3:i] == b"end":
            continue
        j = i + 6 + (2 if data[i + 6:i + 8] == b"\r\n" else 1 if data[i + 6:i + 7] in (b"\n", b"\r") else 0)
        if j == i + 6:
            continue
        end = data.find(b"endstream", j)
        end = len(data) if end < 0 else end
        if _too_big(_stream_filters(data, i), memoryview(data)[j:end], cap):
            raise LoadError(name, f"a PDF stream inflates past {_size(cap)} (limit MAX_PDF_STREAM): a zip bomb?")
        pos = end


def _stream_filters(data: bytes, at: int) -> list[bytes]:
    """The /Filter names of the stream whose keyword is at ``at`` (from its dictionary, just before)."""
    found = None
    for m in _PDF_FILTER.finditer(data, max(0, at - 2048), at):
        found = m
    if found is None or b"endobj" in data[found.end():at] or b"stream" in data[found.end():at]:
        return [b"FlateDecode"] if data[at + 6:at + 9].strip()[:1] == b"x" else []   # no dictionary seen
    return re.findall(rb"/(\w+)", found.group(1))


def _too_big(filters: list[bytes], body, cap: int) -> bool:
    try:
        for f in filters:
            if f in (b"ASCIIHexDecode", b"AHx"):
                hexa = re.sub(rb"\s", b"", bytes(body).split(b">", 1)[0])
                body = binascii.unhexlify(hexa + b"0" * (len(hexa) % 2))
            elif f in (b"ASCII85Decode", b"A85"):
                body = base64.a85decode(bytes(body).split(b"~>", 1)[0], ignorechars=b" \t\n\r\x0c")
            elif f in (b"FlateDecode", b"Fl"):
                return len(zlib.decompressobj().decompress(body, cap + 1)) > cap
            else:
                return False   # images (DCT, JBIG2, CCITT) stay compressed; LZW, RunLength: not measured
    except (zlib.error, ValueError, binascii.Error):
        pass   # damaged: pdfminer says so, or skips the stream
    return False


class SheetBudget:
    """Counts the rows and cells an XLSX reader takes; raises once past MAX_SHEET_ROWS/MAX_SHEET_CELLS."""

    def __init__(self, name):
        self.name = name
        self.rows = self.cells = 0
        self.max_rows, self.max_cells = limit("MAX_SHEET_ROWS"), limit("MAX_SHEET_CELLS")

    def take(self, n_cells: int) -> None:
        self.rows += 1
        self.cells += n_cells
        if self.rows > self.max_rows:
            raise LoadError(self.name, f"spreadsheet has more than {self.max_rows:,} rows (limit MAX_SHEET_ROWS)")
        if self.cells > self.max_cells:
            raise LoadError(self.name, f"spreadsheet has more than {self.max_cells:,} cells (limit MAX_SHEET_CELLS)")


def display_name(name: str) -> str:
    """A file name or path as people read it. The OS gives Python a name that is not UTF-8 (a GBK
    name from a zip made on a Chinese Windows desktop; raw bytes such as ``\\xff\\xfe``) with its bytes
    as lone surrogates, which no UTF-8 writer accepts. Its bytes are read as UTF-8, else GB18030 (which
    covers GBK); bytes neither reads are written ``\\xff``. GB18030 maps bytes to text one to one, so
    the name is kept without loss.

    >>> display_name(os.fsdecode("政务公开.txt".encode("gbk")))
    '政务公开.txt'
    >>> display_name(os.fsdecode(b"\\xff\\xfe.txt"))
    '\\\\xff\\\\xfe.txt'
    """
    if not _SURROGATE.search(name):
        return _escape_controls(name)
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:   # a surrogate the OS did not make
        return _escape_controls(name.encode("utf-8", "backslashreplace").decode("utf-8"))
    for enc in ("utf-8", "gb18030"):
        try:
            return _escape_controls(raw.decode(enc))
        except UnicodeDecodeError:
            continue
    return _escape_controls(raw.decode("utf-8", errors="backslashreplace"))


_SURROGATE = re.compile("[\ud800-\udfff]")
# A control character in a name (ESC, BEL, a line break: all allowed by Linux) is written as an
# escape: the name becomes a document's id and source, shown in terminals, XML and spreadsheets.
_NAME_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _escape_controls(name: str) -> str:
    if not _NAME_CONTROL.search(name):
        return name
    return _NAME_CONTROL.sub(lambda m: _SHORT.get(m.group()) or f"\\x{ord(m.group()):02x}", name)


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
