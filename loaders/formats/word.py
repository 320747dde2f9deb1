"""Word documents (DOCX; a ``.doc``/``.wps`` once LibreOffice has converted it): body paragraphs with
the numbers Word draws (``一、``, ``(一)``, ``1.`` from numbering.xml), and tables as grid rows whose
merged cells are marked (see :class:`loaders.blocks.Block`).
"""
from __future__ import annotations

import io
import zipfile

from ..blocks import Block, line_block
from ..limits import check_office_zip
from ..ocr import is_page_image, pasted_pages

__all__ = ["read_docx"]


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
        # The styles' XML read as it is: python-docx's style objects, built one a style, cost more than
        # the rest of the numbering.
        for style in document.styles.element.findall(qn("w:style")):
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is not None:
                self.styles[style.get(qn("w:styleId"))] = num_pr

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


def _run_text(el) -> str:
    """What an element of a paragraph prints: a text's characters, a tab in a run (a tab-aligned column:
    ``市财政局<tab>年底前``; not a tab stop of the paragraph's properties) as a tab."""
    tag = el.tag
    if tag.endswith("}t"):
        return el.text or ""
    if tag.endswith("}tab") and el.getparent() is not None and el.getparent().tag.endswith("}r"):
        return "\t"
    return ""


# What a paragraph holds but does not print: the copy of a text box Word writes for older readers
# (mc:Fallback beside mc:Choice: the text would be read twice), and where tracked moves took text from
# (w:moveFrom; what tracked deletions took is w:delText, no w:t, and is not read either).
_NOT_PRINTED = ("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
                     "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}moveFrom")


def _printed(el):
    """The elements under ``el`` that print (see :data:`_NOT_PRINTED`), in document order."""
    if next(el.iter(*_NOT_PRINTED), None) is None:   # (most paragraphs: one walk in lxml's C code)
        return (x for x in el.iter() if x is not el and isinstance(x.tag, str))
    out = []
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NOT_PRINTED:
            out.append(child)
            out += _printed(child)
    return out


def _docx_text(paragraphs, numbering: _Numbering) -> str:
    """Paragraphs of a cell or of the body, numbering drawn, lines joined by a space."""
    lines = []
    for p in paragraphs:
        text = "".join(_run_text(t) for t in _printed(p))
        prefix = numbering.prefix(p)
        if text.strip() or prefix:
            lines.append(prefix + text.strip())
    return " ".join(lines).strip()


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _page_images(d, p) -> list[bytes]:
    """The scanned pages pasted into paragraph ``p`` (DrawingML pictures and, from converted .doc files,
    VML ones), as their files' bytes."""
    found: list[bytes] = []
    for el in p.iter(_BLIP, _VML_IMAGE):
        rid = el.get(_REL + "embed") or el.get(_REL + "id")
        part = d.part.related_parts.get(rid) if rid else None
        blob = getattr(part, "blob", None)
        if blob and is_page_image(blob):
            found.append(blob)
    return found


def read_docx(data: bytes, name="") -> list[Block]:
    """A DOCX's blocks: paragraphs and table rows in the order of the body; scanned pages pasted into it
    read by OCR where they stand."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        check_office_zip(zf, name)   # sizes and DOCTYPEs before python-docx parses a part
    d = docx.Document(io.BytesIO(data))
    numbering = _Numbering(d)
    blocks: list[Block] = []
    n = 0
    scans: list[bytes] = []   # pages pasted one after the other, read together (a paragraph goes over a page)
    pictures = any(rel.reltype.endswith("/image") for rel in d.part.rels.values())

    def read_scans():
        nonlocal n
        if scans:
            for b in pasted_pages(scans, name, "docx-image"):
                n += 1
                b.line = n
                blocks.append(b)
            scans.clear()

    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            b = line_block(_docx_text([child], numbering), n + 1)
            pasted = _page_images(d, child) if pictures else []
            if b is not None:
                read_scans()
                n += 1
                blocks.append(b)
            scans += pasted
            continue
        read_scans()
        if tag == "tbl":
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
                    # (a tab inside a cell aligns its words: a space, no cell border)
                    cells.append(_docx_text(tc.findall(qn("w:p")), numbering).replace("\t", " "))
                above = current
                own = [c for i, c in enumerate(cells) if c and i not in merged]
                if not own:
                    continue
                n += 1
                if len(own) == 1 and not merged and len(cells) > 1 and cells.count("") == len(cells) - 1:
                    blocks.append(Block((own[0],), n))     # one cell across the table: a heading
                else:
                    blocks.append(Block(tuple(cells), n, row=True, merged=tuple(merged)))
    read_scans()
    return blocks
