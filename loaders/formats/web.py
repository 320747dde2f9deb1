"""Web pages (HTML, as a government site serves them): the article's paragraphs and tables, without
the site's chrome (navigation, share bars, breadcrumbs, what the page hides). Tables become grid rows
(see :class:`loaders.blocks.Block`), rowspan and colspan resolved and bounded.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from core.errors import LoadError

from ..blocks import Block, text_blocks
from ..charset import decode
from ..ocr import is_page_image, pasted_pages

__all__ = ["read_html", "MAX_HTML_DEPTH"]

MAX_HTML_DEPTH = 1000
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


def read_html(data: bytes, name: str, image: Callable[[str], bytes | None] | None = None) -> list[Block]:
    """A web page's blocks, in reading order. ``image`` gives the bytes of a picture the page shows (its
    ``src``), where the page was saved with them: a plan posted as pictures of its pages is read by OCR
    where they stand (:func:`loaders.ocr.is_page_image`), logos and icons are not."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data, name), "lxml")
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
    pictures: dict[str, bytes] = {}
    for img in body.find_all("img") if image is not None else ():
        blob = image(img.get("src") or "")
        if blob and is_page_image(blob):
            key = f"\ue012{len(pictures)}\ue013"
            pictures[key] = blob
            img.replace_with(soup.new_string("\n" + key + "\n"))
    scans: list[bytes] = []   # pictures one after the other: pages of one scan

    def add(found):
        nonlocal n
        for g in found:
            n += 1
            g.line = n
            blocks.append(g)

    for b in text_blocks(_block_text(body)):
        if b.cells[0] in pictures:
            scans.append(pictures[b.cells[0]])
            continue
        if scans:
            add(pasted_pages(scans, name, "html-image"))
            scans = []
        add(grids.get(b.cells[0], [b]))
    if scans:
        add(pasted_pages(scans, name, "html-image"))
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

