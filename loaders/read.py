"""From bytes to blocks: detect the format by content, decode, and flatten to paragraphs and rows.

Every format reader returns the same thing, a list of :class:`Block`: a paragraph (one line of text)
or a table row (its cells, a merged cell given only in its first row, as a flattened table prints
it). The structure parser downstream never knows which format a document came in.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from core.errors import LoadError

from .limits import SheetBudget, check_bytes, check_container, check_office_zip, check_text

__all__ = ["Block", "detect_format", "decode", "read_blocks", "MAX_BYTES"]

MAX_BYTES = 200 * 1024 * 1024
MAX_HTML_DEPTH = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LOW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")   # below a space, but for \t \n \f \r


@dataclass
class Block:
    cells: tuple[str, ...]          # one cell for a paragraph
    line: int = 0                   # 1-based position in the source (line, or paragraph index)
    row: bool = False               # a table row (cells from a real or a pipe table)
    # A grid row: one cell per column of its table, empty cells kept, so the header says what each
    # cell is; the indices here continue a merged (rowspan) cell from above, whose text they repeat.
    merged: tuple[int, ...] | None = None

    @property
    def grid(self) -> bool:
        return self.merged is not None

    @property
    def text(self) -> str:
        return " | ".join(self.printed().cells)

    def printed(self) -> "Block":
        """The row as a flattened table prints it: empty cells dropped, a merged cell only in its
        first row."""
        if self.merged is None:
            return self
        cells = tuple(c for i, c in enumerate(self.cells) if c and i not in self.merged)
        return Block(cells or ("",), self.line, row=self.row)


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
        except zipfile.BadZipFile:
            return "zip-broken"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        from .ofd import is_ofd

        return "ofd" if is_ofd(names) else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        from .legacy import ole_kind

        return ole_kind(data)  # doc (.doc/.wps), xls (.xls/.et) or another OLE file
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    try:
        sniff = decode(head, name).lower()
    except LoadError:
        sniff = ""
    if re.search(r"<(!doctype html|html|body|div|p|table|meta|head)[\s>]", sniff):
        return "html"
    return "text"


def decode(data: bytes, name: str = "") -> str:
    """Bytes → str: BOMs first, then UTF-8, then what charset-normalizer finds among the Chinese
    encodings (GB18030 covers GBK and GB2312; Big5 for Taiwan/HK files)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) > 1 and data[1:2] == b"\x00" and data[0:1] != b"\x00":
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        # Only the position is kept: the error itself, held in a local, would make a cycle with its
        # traceback's frame that keeps the whole loading call stack (blocks, records) alive until the
        # garbage collector's next full pass.
        bad_at = err.start
    # A file cut mid-character (a truncated download) is still UTF-8.
    if bad_at >= len(data) - 3:
        return data[:bad_at].decode("utf-8")
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed
    best, best_bad = None, None
    for enc in ("gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        # GB18030 reads almost any byte pair, Big5 text included, but as private-use and rare
        # characters: count those as misreadings too.
        bad = text.count("\ufffd") + sum(1 for c in text if "\ue000" <= c <= "\uf8ff")
        if best_bad is None or bad < best_bad:
            best, best_bad = text, bad
    if best is not None and best_bad is not None and best_bad <= max(3, len(best) // 200):
        return best
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise LoadError(name, "not a text file (no encoding reads it)")
    return str(match)


def _decode_lines(data: bytes) -> str | None:
    """A UTF-8 file with paragraphs pasted in from a GB18030 one: each line in the encoding that
    reads it. None unless some non-ASCII line is UTF-8 and every line reads strictly in one of them
    (a whole GBK file is left to the detectors: GB18030 would also read most UTF-8 lines)."""
    out, utf8_lines = [], 0
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
            utf8_lines += not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        for enc in ("gb18030", "big5"):
            try:
                out.append(line.decode(enc))
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    return "\n".join(out) if utf8_lines else None


def _text_blocks(text: str) -> list[Block]:
    blocks = []
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.count("|") >= 1 and re.search(r"\S\s*\|", line):
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            cells = tuple(c for c in cells if c)
            if cells:
                blocks.append(Block(cells, i, row=True))
            continue
        blocks.append(Block((line,), i))
    return blocks


_CHROME = re.compile(r"(^|[\s_-])(share|bdshare|jiathis|breadcrumb|crumbs?|position|location|navbar|menu|toolbar|"
                     r"print|qrcode|ewm|sidebar|related|comment|copyright|footer|topbar)($|[\s_-])")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "button", "select", "svg")


def _max_depth(root) -> int:
    """Deepest tag nesting under ``root``, without recursion (parents come before children)."""
    depth = {id(root): 0}
    deepest = 0
    for tag in root.find_all(True):
        d = depth[id(tag)] = depth.get(id(tag.parent), 0) + 1
        deepest = max(deepest, d)
    return deepest


def _html_blocks(text: str, name: str = "") -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    depth = _max_depth(soup)
    if depth > MAX_HTML_DEPTH:
        # First thing after parsing: bs4's tree edits below cost depth² (20,000 nested divs: minutes).
        raise LoadError(name, f"HTML nested too deeply ({depth} levels > {MAX_HTML_DEPTH}): not a document page")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    # Site chrome that is not in <nav>/<footer>: share bars, breadcrumbs, print tools, QR codes, and
    # what the page hides (spam for search engines).
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        attrs = tag.attrs or {}
        marks = " ".join([*(attrs.get("class") or []), attrs.get("id") or ""]).lower()
        style = (attrs.get("style") or "").replace(" ", "").lower()
        if _CHROME.search(marks) or "display:none" in style or "visibility:hidden" in style:
            tag.decompose()
    blocks: list[Block] = []
    n = 0
    body = soup.body or soup
    # Tables become rows; merged cells (rowspan) are printed once, in their first row. A table
    # holding tables only lays out the page: its cells are paragraphs. Inner tables go first.
    tables = body.find_all("table")
    layout = {id(t) for t in tables if t.find("table") is not None}
    grids: dict[str, list[Block]] = {}
    for table in reversed(tables):
        if id(table) in layout:
            for cell in table.find_all(["td", "th"]):
                cell.insert_before("\n")
                cell.insert_after("\n")
            continue
        key = f"\ue010{len(grids)}\ue011"
        grids[key] = _html_grid(table)
        table.replace_with(soup.new_string("\n" + key + "\n"))
    flat = _block_text(body)
    for b in _text_blocks(flat):
        for g in grids.get(b.cells[0], [b]):
            n += 1
            g.line = n
            blocks.append(g)
    return blocks


_BLOCK_TAGS = frozenset(("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
                         "table", "ul", "ol", "dd", "dt", "blockquote"))


def _block_text(root) -> str:
    """The text of ``root`` with a line break around every block element and at every <br>: one walk
    over the tree (inserting line-break strings beside each tag costs a search of its siblings each
    time, quadratic in a page of many paragraphs)."""
    from bs4 import NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skip = (Comment, Declaration, Doctype, ProcessingInstruction)
    out: list[str] = []
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append("\n")
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, skip):
                out.append(str(node))
            continue
        block = node.name in _BLOCK_TAGS
        if block:
            out.append("\n")
            stack.append((node, True))
        stack.extend((c, False) for c in reversed(node.contents))
    return "".join(out)


_INLINE_SPACE = re.compile(r"[ \t\r\f\v\u3000\xa0]+")


def _html_cell_text(cell) -> str:
    """A cell's text: inline elements joined as printed (a number split over two spans is one
    number), paragraphs and line breaks inside the cell by a space (units one per <p>)."""
    for br in cell.find_all("br"):
        br.replace_with("\n")
    for tag in cell.find_all(["p", "div", "li"]):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (_INLINE_SPACE.sub(" ", line).strip() for line in cell.get_text("").split("\n"))
    return " ".join(line for line in lines if line)


def _html_grid(table) -> list[Block]:
    """A table's rows as grid rows, rowspan and colspan resolved. A row that is one cell across
    the table (a colspan heading) is a paragraph."""
    out: list[Block] = []
    above: dict[int, list] = {}          # column -> [rows left, text] of a rowspan cell
    width = 0
    for tr in table.find_all("tr"):
        cells: list[str] = []
        merged: list[int] = []
        tds = tr.find_all(["td", "th"], recursive=False)
        k = 0
        col = 0
        while k < len(tds) or col in above:
            if col in above:
                left, text = above[col]
                cells.append(text)
                merged.append(col)
                if left <= 1:
                    del above[col]
                else:
                    above[col][0] = left - 1
                col += 1
                continue
            td = tds[k]
            k += 1
            text = _html_cell_text(td)
            span = _int_attr(td, "colspan")
            rows = _int_attr(td, "rowspan")
            for j in range(span):
                cells.append(text if j == 0 else "")
                if rows > 1:
                    above[col + j] = [rows - 1, text if j == 0 else ""]
            col += span
        width = max(width, len(cells))
        own = [c for i, c in enumerate(cells) if c and i not in merged]
        if not own:
            continue
        if len(own) == 1 and not merged and (len(cells) == 1 or cells.count("") == len(cells) - 1) and width > 1:
            out.append(Block((own[0],), 0))
            continue
        out.append(Block(tuple(cells), 0, row=True, merged=tuple(merged)))
    return out


def _int_attr(tag, name: str) -> int:
    try:
        return max(1, min(int(str(tag.get(name) or 1).strip()), 1000))
    except ValueError:
        return 1


def _cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _format_counter(n: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return _cn_numeral(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering (``一、``, ``(一)``, ``1.`` drawn by numbering.xml, not typed): the
    text a reader sees before each numbered paragraph. Without it a plan's headings lose their numbers."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}   # (numId, ilvl) -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is None:
            return
        abstract = {}
        for an in numbering.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                lv[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            lv = abstract.get(ref.get(qn("w:val")) if ref is not None else None, {})
            for ilvl, spec in lv.items():
                self.levels[(num.get(qn("w:numId")), ilvl)] = spec
        for style in document.styles:
            ppr = getattr(style.element, "pPr", None)
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is not None:
                self.styles[style.style_id] = num_pr

    def prefix(self, p) -> str:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None and ppr is not None:
            style = ppr.find(qn("w:pStyle"))
            num_pr = self.styles.get(style.get(qn("w:val"))) if style is not None else None
        if num_pr is None:
            return ""
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        num_id = num_id.get(qn("w:val")) if num_id is not None else None
        level = int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        spec = self.levels.get((num_id, level))
        if not spec or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, spec[2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = spec[1]
        for k in range(level + 1):
            fmt, _, start = self.levels.get((num_id, k), ("decimal", "", 1))
            text = text.replace(f"%{k + 1}", _format_counter(counters.get(k, start), fmt))
        return text


def _docx_text(paragraphs, numbering: _Numbering) -> str:
    """Paragraphs of a cell or of the body, numbering drawn, lines joined by a space."""
    lines = []
    for p in paragraphs:
        # (a comment or processing instruction in the XML has a tag that is not text)
        text = "".join(t.text or "" for t in p.iter() if isinstance(t.tag, str) and t.tag.endswith("}t"))
        prefix = numbering.prefix(p)
        if text.strip() or prefix:
            lines.append(prefix + text.strip())
    return " ".join(lines).strip()


def _docx_blocks(data: bytes, name="") -> list[Block]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        check_office_zip(zf, name)   # sizes and DOCTYPEs before python-docx parses a part
    d = docx.Document(io.BytesIO(data))
    numbering = _Numbering(d)
    blocks: list[Block] = []
    n = 0
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _docx_text([child], numbering)
            if text:
                n += 1
                blocks.append(Block((text,), n))
        elif tag == "tbl":
            table = Table(child, d)
            above: list = []
            for row in table.rows:
                # A grid row (see Block): one cell per column, a horizontal merge's repeats empty, a
                # vertical merge's continuation marked and carrying the merged text.
                cells, merged, seen, current = [], [], set(), []
                for ci, cell in enumerate(row.cells):
                    tc = cell._tc
                    current.append(tc)
                    if id(tc) in seen:
                        cells.append("")   # horizontally merged: python-docx repeats the cell
                        continue
                    seen.add(id(tc))
                    if ci < len(above) and above[ci] is tc:
                        merged.append(ci)  # vertically merged: its first row printed it
                    cells.append(_docx_text(tc.findall(qn("w:p")), numbering))
                above = current
                own = [c for i, c in enumerate(cells) if c and i not in merged]
                if not own:
                    continue
                n += 1
                if len(own) == 1 and not merged and len(cells) > 1 and cells.count("") == len(cells) - 1:
                    blocks.append(Block((own[0],), n))     # one cell across the table: a heading
                else:
                    blocks.append(Block(tuple(cells), n, row=True, merged=tuple(merged)))
    return blocks


def _cell_text(value) -> str:
    """An XLSX value as the sheet shows it: dates as 2021年11月20日, line breaks as spaces."""
    import datetime as dt

    if isinstance(value, dt.datetime) and not (value.hour or value.minute):
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s*\n\s*", " ", str(value)).strip()


def _xlsx_blocks(data: bytes, name="") -> list[Block]:
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        check_office_zip(zf, name)   # sizes and DOCTYPEs before openpyxl parses a part
    budget = SheetBudget(name)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    blocks: list[Block] = []
    n = 0
    for ws in wb.worksheets:
        # The cells there are, not the range the file declares: an A1:XFD1048576 <dimension> would pad
        # every row to 16,384 cells (and count them against the budget).
        ws.reset_dimensions()
        for row in ws.iter_rows(values_only=True):
            budget.take(len(row))
            cells = tuple(c for c in (_cell_text(v) for v in row if v is not None) if c)
            if not cells:
                continue
            n += 1
            blocks.append(Block(cells, n, row=len(cells) > 1))
    wb.close()
    return blocks


def _pdf_blocks(data: bytes, name: str) -> list[Block]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many types for damaged or encrypted files
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect: its name only shows in the repr.
        msg = f"{err!r} {err.__cause__!r}"
        if "password" in msg.lower() or "encrypt" in msg.lower() or "PDFPasswordIncorrect" in type(err).__name__:
            raise LoadError(name, "encrypted PDF: cannot read without the password") from err
        raise LoadError(name, f"damaged PDF ({type(err).__name__})") from err
    blocks: list[Block] = []
    with pdf:
        for page in pdf.pages:
            blocks.extend(_pdf_page_blocks(page))
    if not any(b.text.strip() for b in blocks):
        raise LoadError(name, "PDF has no text layer (scanned image?): run OCR first")
    for n, b in enumerate(blocks, 1):
        b.line = n
    return blocks


def _join_wrapped(cell: str) -> str:
    """A table cell's text wrapped over lines, joined: no space between Chinese characters."""
    return re.sub(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])\s*\n\s*(?=\S)|\s*\n\s*(?=[\u4e00-\u9fff])",
                  "", cell.strip()).replace("\n", " ")


def _pdf_page_blocks(page) -> list[Block]:
    """One page: ruled tables become rows (a merged cell comes as None below its first row, which is
    how the other readers give it), the text around them lines, in reading order from the top.
    extract_text alone would interleave the columns of a table line by line."""
    try:
        tables = page.find_tables()
    except Exception:  # a malformed page: its plain text is still worth having
        tables = []
    if not tables:
        return _text_blocks(page.extract_text() or "")
    try:
        return _pdf_table_blocks(page, tables)
    except ValueError:   # a table's box outside the page (a malformed file): the plain text then
        return _text_blocks(page.extract_text() or "")


def _pdf_table_blocks(page, tables) -> list[Block]:
    pieces: list[tuple[float, list[Block]]] = []
    rest = page
    for table in tables:
        rows = []
        for row in table.extract():
            cells = tuple(_join_wrapped(c) for c in row if c and c.strip())
            if cells:
                rows.append(Block(cells, 0, row=True))
        pieces.append((table.bbox[1], rows))
        rest = rest.outside_bbox(table.bbox)
    for line in rest.extract_text_lines():
        pieces.append((line["top"], _text_blocks(line["text"])))
    pieces.sort(key=lambda p: p[0])
    return [b for _, bs in pieces for b in bs]


def read_blocks(path: str | Path, data: bytes | None = None) -> tuple[str, list[Block], str]:
    """Read a file into blocks. Returns ``(format, blocks, full text)``."""
    path = Path(path)
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
    if fmt in ("text", "html"):
        check_bytes(data, path, fmt)
    try:
        if fmt == "text":
            text = decode(data, str(path))
            # (a stray NUL pasted into a plan is not binary: its controls become spaces below)
            if text.count("\x00", 0, 4000) > 8 or len(_LOW_CONTROL.findall(text, 0, 4000)) > 40:
                raise LoadError(path, "binary file, not a document")
            blocks = _text_blocks(text)
        elif fmt == "html":
            blocks = _html_blocks(decode(data, str(path)), str(path))
        elif fmt == "docx":
            blocks = _docx_blocks(data, path)
        elif fmt == "xlsx":
            blocks = _xlsx_blocks(data, path)
        elif fmt == "pdf":
            from .ocr import mixed_pdf_blocks, pdf_text_pages, scanned_pdf_blocks

            counts = pdf_text_pages(data)
            if counts and all(c < 10 for c in counts):   # no text layer: a scan
                blocks = scanned_pdf_blocks(data, str(path))
            elif counts and any(c < 10 for c in counts):  # some pages scanned
                blocks = mixed_pdf_blocks(data, str(path), counts)
            else:
                blocks = _pdf_blocks(data, str(path))
        elif fmt == "doc":
            from .legacy import to_office_xml

            blocks = _docx_blocks(to_office_xml(data, str(path), "doc"))
        elif fmt == "xls":
            from .legacy import xls_blocks

            blocks = xls_blocks(data, str(path))
        elif fmt == "ofd":
            from .ofd import ofd_blocks

            blocks, _ = ofd_blocks(data, str(path))
        elif fmt == "image":
            from .ocr import image_blocks

            blocks = image_blocks(data, str(path))
        elif fmt == "zip-broken":
            raise LoadError(path, "damaged Office file (bad zip archive)")
        elif fmt == "ole-broken":
            raise LoadError(path, "damaged legacy Office file (.doc/.xls/.wps/.et)")
        elif fmt == "ole":
            raise LoadError(path, "Office file that is neither Word nor Excel (a presentation?)")
        else:
            raise LoadError(path, "zip archive that is neither DOCX, XLSX nor OFD")
    except LoadError:
        raise
    # A broken XML part is a SyntaxError (lxml, ElementTree); a corrupt zip member a zlib.error.
    except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, ValueError, OSError) as err:
        raise LoadError(path, f"damaged {fmt.upper()} file ({type(err).__name__}: {err})") from err
    # Control characters (an ESC sequence, Word's vertical tab) are never a plan's text: a terminal
    # would obey them and an XLSX cell refuses them.
    for b in blocks:
        if any(_CONTROL.search(c) for c in b.cells):
            b.cells = tuple(_CONTROL.sub(" ", c).strip() for c in b.cells)
    text = "\n".join(b.text for b in blocks)
    check_text(text, path)
    return fmt, blocks, text
