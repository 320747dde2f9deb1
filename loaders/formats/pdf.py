"""PDF: the text layer (pdfplumber; ruled tables become rows, the text around them lines, in reading
order), scanned pages through OCR (:mod:`loaders.ocr`), and files that mix both (the signed and stamped
page, an annex scanned into the file).
"""
from __future__ import annotations

import io
import re

from core.errors import LoadError

from ..blocks import Block, text_blocks
from ..layout import Item, LayoutBlock, join_pages, margins, page_blocks
from ..ocr import MAX_SIDE, blocks_of_pages, ocr_pages, page_lists, rgb

__all__ = ["read_pdf", "pdf_text_pages"]


def read_pdf(data: bytes, name: str) -> list[Block]:
    """A PDF's blocks: from its text layer, from OCR when it has none (a scan), or page by page when
    only some pages are scanned."""
    counts = pdf_text_pages(data)
    if counts and all(c < 10 for c in counts):   # no text layer: a scan
        return _scanned_pdf_blocks(data, name)
    if counts and any(c < 10 for c in counts):    # some pages scanned, or a page of a few characters
        # (a page of a few readable characters that draws no image is a text page: the tail of the last
        # paragraph, a page number; one of none, or of glyph numbers only, is read by OCR)
        scanned = [i for i, c in enumerate(counts) if c == 0 or (c < 10 and _has_image(data, i))]
        if scanned:
            return _mixed_pdf_blocks(data, name, scanned)
    return _pdf_blocks(data, name)


def _pdf_blocks(data: bytes, name: str, ocrd: dict | None = None) -> list[Block]:
    """The text layer's blocks; ``ocrd``: the blocks OCR read from the scanned pages, by page index."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many types for damaged or encrypted files
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect: its name only shows in the repr.
        msg = f"{err!r} {err.__cause__!r}"
        if "password" in msg.lower() or "encrypt" in msg.lower() or "PDFPasswordIncorrect" in type(err).__name__:
            raise LoadError(name, "encrypted PDF: cannot read without the password") from err
        raise LoadError(name, f"damaged PDF ({type(err).__name__})") from err
    with pdf:
        pages = [ocrd[i] if ocrd and i in ocrd else _page_items_or_blocks(page) for i, page in enumerate(pdf.pages)]
        width = max((float(page.width) for page in pdf.pages), default=None)
    # Text pages go through the layout model OFD and OCR pages use: lines wrapped at the margin are joined
    # into their paragraph, and a paragraph cut by a page break is joined again, so a plan printed to PDF
    # reads like the DOCX or text it was printed from. Pages with ruled tables keep pdfplumber's table finder.
    edges = margins([p for p in pages if isinstance(p, tuple) for p in [p[0]]], width)
    blocks = join_pages([page_blocks(p[0], None, edges=edges) if isinstance(p, tuple) else p for p in pages])
    if not any(b.text.strip() for b in blocks):
        raise LoadError(name, "PDF has no text layer (scanned image?): run OCR first")
    for n, b in enumerate(blocks, 1):
        b.line = n
    return blocks


def _page_items_or_blocks(page):
    """A page without ruled tables as its characters and their boxes (``(items,)``, for the layout model),
    a page with tables as its blocks."""
    try:
        tables = page.find_tables()
    except Exception:  # a malformed page: its plain text is still worth having
        return text_blocks(page.extract_text() or "")
    if tables:
        return _pdf_page_blocks(page)
    try:
        chars = page.chars
    except Exception:  # pdfminer fails on some malformed pages: the plain text then
        return text_blocks(page.extract_text() or "")
    return ([Item(c["x0"], c["top"], c["x1"], c["bottom"], c["text"]) for c in chars if c.get("text")],)


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
        return text_blocks(page.extract_text() or "")
    try:
        return _pdf_table_blocks(page, tables)
    except ValueError:   # a table's box outside the page (a malformed file): the plain text then
        return text_blocks(page.extract_text() or "")


def _grid_rows(table) -> list[Block]:
    """A ruled table's rows. One with a cell that spans columns (工作任务 over the group and the task
    columns) as the DOCX and HTML readers give it: a cell per column, a spanned one empty, a cell merged
    from above repeated (its index in ``merged``), so the header still names every column; printed
    flat, the header would have fewer cells than its rows."""
    texts = table.extract()
    boxes = [r.cells for r in table.rows]
    ncol = max((len(r) for r in texts), default=0)
    starts = [min((b[c][0] for b in boxes if c < len(b) and b[c] is not None), default=None) for c in range(ncol)]

    def spanned(row, c) -> bool:   # a cell covered by the cell to its left
        left = next((row[k] for k in range(c - 1, -1, -1) if k < len(row) and row[k] is not None), None)
        return left is not None and starts[c] is not None and left[2] > starts[c] + 1

    if not any(b is None and spanned(r, c) for r in boxes for c, b in enumerate(r)):
        # no cell spans columns: the rows as printed, empty cells dropped (a merged cell in its first row)
        return [Block(cells, 0, row=True) for row in texts
                if (cells := tuple(_join_wrapped(c) for c in row if c and c.strip()))]
    rows: list[Block] = []
    above: list[str] = [""] * ncol
    for texts_r, boxes_r in zip(texts, boxes):
        cells, merged = [], []
        for c in range(ncol):
            text = texts_r[c] if c < len(texts_r) else None
            if text is not None or (c < len(boxes_r) and boxes_r[c] is not None):
                cells.append(_join_wrapped(text or ""))
                continue
            if spanned(boxes_r, c):
                cells.append("")   # spanned from the left
            else:
                cells.append(above[c])
                merged.append(c)
        if not any(c.strip() for c in cells):
            continue
        above = cells
        rows.append(Block(tuple(cells), 0, row=True, merged=tuple(merged)))
    return rows


def _pdf_table_blocks(page, tables) -> list[Block]:
    pieces: list[tuple[float, list[Block]]] = []
    for table in tables:
        pieces.append((table.bbox[1], _grid_rows(table)))
    # The text above, between and below the tables is read as a page without tables is: lines wrapped
    # at the margin joined into their paragraph (a title or a paragraph over two lines above a table).
    boxes = sorted(t.bbox for t in tables)
    items = [Item(c["x0"], c["top"], c["x1"], c["bottom"], c["text"]) for c in page.chars if c.get("text")]
    edges = margins([items], float(page.width))
    between: dict[int, list[Item]] = {}
    for i in items:
        cx, cy = (i.x0 + i.x1) / 2, (i.y0 + i.y1) / 2
        if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            between.setdefault(sum(b[1] < cy for b in boxes), []).append(i)
    for its in between.values():
        pieces.append((min(i.y0 for i in its), list(page_blocks(its, None, edges=edges))))
    pieces.sort(key=lambda p: p[0])
    return [b for _, bs in pieces for b in bs]


# What a text layer holds when its fonts have no Unicode map (an embedded subset font without ToUnicode,
# as some converters and typesetting systems write): glyph numbers read as characters, i.e. control
# characters, Latin-1 and Latin Extended letters, private-use code points, U+FFFD.
_GLYPH_NOISE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xaf\xb8-\xd6\xd8-\u024f\ue000-\uf8ff\ufffd]")


def readable_chars(text: str) -> int:
    """The characters of a page's text layer, or 0 when at least 30% of them are glyph numbers, not text
    (a page then read by OCR, as a scan is: its text layer gives nothing a person can read).

    >>> readable_chars("一、做好各类规划主动公开。"), readable_chars("".join(map(chr, range(1, 40))) + "规划")
    (13, 0)
    """
    chars = len(text) - text.count(" ") - text.count("\n") - text.count("\r") - text.count("\t")
    return 0 if chars >= 10 and len(_GLYPH_NOISE.findall(text)) >= 0.3 * chars else chars


def pdf_text_pages(data: bytes) -> list[int] | None:
    """Readable characters on each page of a PDF (pdfium's text layer: :func:`readable_chars`), or None
    when pdfium cannot open it (the text reader then gives its own error)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # pdfium raises PdfiumError for damaged and encrypted files alike
        return None
    try:
        counts = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            counts.append(readable_chars(tp.get_text_range().strip()))
            tp.close()
            page.close()
        return counts
    finally:
        pdf.close()


def _scanned_pdf_blocks(data: bytes, name: str) -> list[LayoutBlock]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as err:
        raise LoadError(name, f"damaged PDF ({type(err).__name__})") from err
    count = len(pdf)

    try:
        return blocks_of_pages(ocr_pages(data, lambda: _render(pdf, range(count)), count, name, "pdf"), name)
    finally:
        pdf.close()


def _render(pdf, indexes):
    """PDF pages as images ~MAX_SIDE pixels high."""
    for i in indexes:
        page = pdf[i]
        w, h = page.get_size()
        yield rgb(page.render(scale=MAX_SIDE / max(w, h, 1)).to_pil())
        page.close()


def _has_image(data: bytes, index: int) -> bool:
    """Whether a page draws an image: a page of a few characters without one (the last page's tail of
    a paragraph and its page number) is a text page, read with the others, not sent to OCR."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        found = next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), None) is not None
        page.close()
        return found
    finally:
        pdf.close()


def _mixed_pdf_blocks(data: bytes, name: str, scanned: list[int]):
    """A PDF of text pages and scanned ones (the signed and stamped page, an annex scanned into the
    file): the scanned pages read by OCR, the text pages from their text layer as a text PDF's are
    (lines wrapped at the margin joined into their paragraph), in page order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        ocrd = dict(zip(scanned, page_lists(ocr_pages(data, lambda: _render(pdf, scanned), len(scanned), name,
                                                       "pdf-pages"))))
    finally:
        pdf.close()
    return _pdf_blocks(data, name, ocrd)
