"""Positioned text → blocks: the lines and table rows a reader sees on a page, rebuilt from where each
piece of text sits. Shared by the OFD reader (text drawn at coordinates) and OCR (boxes found on a
scan). A table is found from its rulings (the lines drawn around cells); each cell's text is what lies
inside it, and a merged cell (no ruling between two grid cells) is marked as the DOCX reader marks it:
grid rows, one cell per column. Text outside tables becomes lines, and paragraphs, in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from .blocks import Block, text_blocks
from .columns import field_label

__all__ = ["Item", "Segment", "page_blocks", "join_pages", "margins", "LayoutBlock"]

_CJK = r"\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"


@dataclass
class Item:
    """A piece of text and its box (y grows downwards); ``conf`` from OCR (1.0 for drawn text)."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Segment:
    """A straight ruling, horizontal or vertical."""
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass
class LayoutBlock(Block):
    """A block rebuilt from positions: with the lowest confidence of the text in it, and whether OCR
    read it (else the file drew it)."""
    confidence: float = 1.0
    ocr: bool = False
    continues: bool = False          # the first line of a page that may end the paragraph overleaf
    goes_on: bool = False            # the last line of a page, running to the margin


def _join(parts: list[str]) -> str:
    """Lines of one cell or pieces of one line, joined as printed: no space between Chinese characters."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not (re.search(f"[{_CJK}]$", out) or re.match(f"[{_CJK}]", p)):
            out += " "
        out += p
    return out


def _lines(items: list[Item]) -> list[list[Item]]:
    """Items grouped into lines (each sorted left to right): an item joins a line whose vertical span
    covers its centre."""
    lines: list[list[Item]] = []
    spans: list[list[float]] = []
    for it in sorted(items, key=lambda i: (i.cy, i.x0)):
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            y0, y1 = spans[k]
            if y0 <= it.cy <= y1 and min(y1, it.y1) - max(y0, it.y0) >= 0.4 * min(y1 - y0, it.y1 - it.y0):
                lines[k].append(it)
                break
        else:
            lines.append([it])
            spans.append([it.y0, it.y1])
    return [sorted(line, key=lambda i: i.x0) for line in lines]


def _line_text(line: list[Item]) -> str:
    """A line's pieces joined: a gap is a space (it separates names in a cell), one wider than two
    characters two spaces (columns of an unruled table, as a PDF's text extraction gives them)."""
    height = median(i.y1 - i.y0 for i in line) or 1.0
    out, prev = "", None
    for it in line:
        if prev is not None:
            gap = it.x0 - prev.x1
            if gap > 2 * height:
                out += "  "
            elif gap > 0.2 * height:   # a space drawn (characters of a run touch): 市发改委 市自然资源局
                out += " "
        out += it.text
        prev = it
    return out.strip()


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _touch(a: Segment, b: Segment, tol: float) -> bool:
    return (min(a.x0, a.x1) - tol <= max(b.x0, b.x1) and min(b.x0, b.x1) - tol <= max(a.x0, a.x1)
            and min(a.y0, a.y1) - tol <= max(b.y0, b.y1) and min(b.y0, b.y1) - tol <= max(a.y0, a.y1))


def _tables(rulings: list[Segment], tol: float) -> list[list[Segment]]:
    """Rulings grouped into tables: the connected sets with at least two lines each way."""
    segs = [s for s in rulings if max(abs(s.x1 - s.x0), abs(s.y1 - s.y0)) > 2 * tol]
    u = _Union(len(segs))
    # Sorted by left edge: only segments that overlap in x can touch.
    order = sorted(range(len(segs)), key=lambda i: min(segs[i].x0, segs[i].x1))
    for ai, a in enumerate(order):
        ax1 = max(segs[a].x0, segs[a].x1) + tol
        for b in order[ai + 1:]:
            if min(segs[b].x0, segs[b].x1) > ax1:
                break
            if _touch(segs[a], segs[b], tol):
                u.join(a, b)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(u.find(i), []).append(s)
    return [g for g in groups.values()
            if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


def _width(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2000 else 1.0


def _split_at_rulings(items: list[Item], xs: list[float], v_at) -> list[Item]:
    """A box that runs over a column's ruling (OCR read two cells as one line) cut there, its text in
    proportion to the characters' widths (a Chinese character is twice a digit's)."""
    out = []
    for it in items:
        cuts = [x for x in xs if it.x0 < x < it.x1 and v_at(x, it.cy)]
        if not cuts or len(it.text) < 2:
            out.append(it)
            continue
        total = sum(_width(c) for c in it.text)
        scale = (it.x1 - it.x0) / total
        pieces, cur, x = [], "", it.x0
        start = it.x0
        for ch in it.text:
            mid = x + _width(ch) * scale / 2
            if cuts and mid > cuts[0]:
                pieces.append((start, x, cur))
                start, cur = x, ""
                while cuts and mid > cuts[0]:
                    cuts.pop(0)
            cur += ch
            x += _width(ch) * scale
        pieces.append((start, x, cur))
        out.extend(Item(a, it.y0, b, it.y1, t, it.conf) for a, b, t in pieces if t.strip())
    return out


def _table_rows(segs: list[Segment], items: list[Item], tol: float) -> tuple[list[LayoutBlock], set[int]]:
    """One ruled table: its rows (merged cells in their first row) and the ids of the items used."""
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    ys = _cluster([(s.y0 + s.y1) / 2 for s in hs], tol)
    xs = _cluster([(s.x0 + s.x1) / 2 for s in vs], tol)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return [], set()

    def v_at(x: float, y: float) -> bool:   # a vertical ruling at x crossing height y
        return any(abs((s.x0 + s.x1) / 2 - x) <= tol and min(s.y0, s.y1) - tol <= y <= max(s.y0, s.y1) + tol
                   for s in vs)

    def h_at(y: float, x: float) -> bool:
        return any(abs((s.y0 + s.y1) / 2 - y) <= tol and min(s.x0, s.x1) - tol <= x <= max(s.x0, s.x1) + tol
                   for s in hs)

    u = _Union(nr * nc)
    for r in range(nr):
        ym = (ys[r] + ys[r + 1]) / 2
        for c in range(nc):
            xm = (xs[c] + xs[c + 1]) / 2
            if c + 1 < nc and not v_at(xs[c + 1], ym):
                u.join(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not h_at(ys[r + 1], xm):
                u.join(r * nc + c, (r + 1) * nc + c)
    cells: dict[int, list[Item]] = {}
    used: set[int] = set()
    for it in _split_at_rulings(items, xs[1:-1], v_at):
        if not (xs[0] - tol <= it.cx <= xs[-1] + tol and ys[0] - tol <= it.cy <= ys[-1] + tol):
            continue
        c = max(0, min(nc - 1, sum(1 for x in xs[1:-1] if it.cx > x)))
        r = max(0, min(nr - 1, sum(1 for y in ys[1:-1] if it.cy > y)))
        cells.setdefault(u.find(r * nc + c), []).append(it)
        used.add(id(it))
    first: dict[int, tuple[int, int]] = {}
    for i in range(nr * nc):
        root = u.find(i)
        if root not in first:
            first[root] = divmod(i, nc)
    texts = {root: _join([_line_text(line) for line in _lines(got)]) for root, got in cells.items()}
    rows: list[LayoutBlock] = []
    for r in range(nr):
        # A grid row (see blocks.Block), as the DOCX reader gives it: one cell per column, a horizontal
        # merge's repeats empty, a vertical merge's continuation marked and carrying the merged text.
        row, merged, confs = [], [], []
        for c in range(nc):
            root = u.find(r * nc + c)
            fr, fc = first[root]
            if fc < c:
                row.append("")
                continue
            if fr < r:
                merged.append(c)
            elif root in cells:
                confs.extend(i.conf for i in cells[root])
            row.append(texts.get(root, ""))
        own = [t for i, t in enumerate(row) if t and i not in merged]
        if not own:
            continue
        if len(own) == 1 and not merged and nc > 1 and row.count("") == nc - 1:
            rows.append(LayoutBlock((own[0],), 0, confidence=min(confs)))    # one cell across: a heading
        else:
            rows.append(LayoutBlock(tuple(row), 0, row=True, merged=tuple(merged), confidence=min(confs)))
    return rows, used


# A line that starts a heading or an item is never the tail of the paragraph above it.
# (a bare number and a space: the 序号 cell of a table printed without rules, one row a line)
_STARTS_ITEM = re.compile(r"^\s*([一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．)）]|"
                          r"\d{1,3}\s+(?=\S)|[①-⑳]|第[一二三四五六七八九十\d]+[章条部分]|附件)")
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")


@dataclass
class _Line:
    y0: float
    y1: float
    x0: float
    x1: float
    height: float
    text: str
    conf: float


def _paragraphs(lines: list[_Line], margins: tuple[float, float] | None) -> tuple[list[_Line], bool, bool]:
    """Lines wrapped at the margin joined back into paragraphs, as the DOCX of the page holds them.
    Also whether the page's last paragraph runs to the margin (it may go on overleaf) and whether its
    first line could be the tail of one (not indented, not numbered)."""
    if not lines:
        return [], False, False
    left, right = margins or (min(l.x0 for l in lines), max(l.x1 for l in lines))

    def full(a: _Line) -> bool:
        return a.x1 >= right - 2 * a.height and "  " not in a.text

    def tail(b: _Line) -> bool:
        return (b.x0 <= left + 0.8 * b.height and not _STARTS_ITEM.match(b.text) and "  " not in b.text
                and field_label(b.text) is None)   # 牵头单位:… under a line reaching the margin: its own line

    def opens(a: _Line, b: _Line) -> bool:   # …(  / 责任单位:…) : a bracket opened at the margin goes on below
        if b.x0 > left + 0.8 * b.height:
            return False
        # …(牵头单位:区经发局, / 责任单位:…): a bracket still open at the margin, its list goes on below
        opened = max(a.text.rfind("("), a.text.rfind("（"))
        return a.text.rstrip()[-1:] in "(（《“〔[【" or (
            opened >= 0 and opened > max(a.text.rfind(")"), a.text.rfind("）")) and field_label(b.text) is not None)

    out: list[_Line] = []
    for b in lines:
        a = out[-1] if out else None
        if a is not None and full(a) and (tail(b) or opens(a, b)) and b.y0 - a.y1 < 1.5 * b.height:
            out[-1] = _Line(a.y0, b.y1, a.x0, b.x1, b.height, _join([a.text, b.text]), min(a.conf, b.conf))
        else:
            out.append(b)
    return out, full(lines[-1]), tail(lines[0])


def margins(pages: list[list[Item]], width: float | None = None) -> tuple[float, float] | None:
    """The left and right edges of the text over all pages: a page of short lines (a list, the last
    lines of a section) must not be taken for a narrow text block. A text whose every line stops far
    short of where the page's margins mirror each other (``width``: the page's) never reached the right
    margin: none of its lines wrapped there, so none is joined to the next.

    >>> margins([[Item(72, 0, 290, 10, "关于印发《工作要点》")]], 595)
    (72, 523)
    """
    xs = [(i.x0, i.x1) for items in pages for i in items if i.text.strip()]
    if not xs:
        return None
    left, right = min(x[0] for x in xs), max(x[1] for x in xs)
    if width and right < width - left - width / 6:
        right = width - left
    return left, right


def page_blocks(items: list[Item], rulings: list[Segment] | None = None, tol: float = 3.0,
                edges: tuple[float, float] | None = None) -> list[LayoutBlock]:
    """One page's blocks in reading order from the top: ruled tables as rows, other text as lines, and
    lines wrapped at the margin joined into their paragraph. ``tol`` is how far apart (in the page's
    units) two rulings may be and still meet; ``edges`` are the text's margins (:func:`margins`). The first and last blocks say whether the paragraph may
    go on from the page before or onto the next (:func:`join_pages`)."""
    items = [i for i in items if i.text.strip()]
    tables: list[tuple[float, float, list[LayoutBlock]]] = []
    used: set[int] = set()
    for segs in _tables(rulings or [], tol):
        rows, got = _table_rows(segs, [i for i in items if id(i) not in used], tol)
        if rows:
            tables.append((min(min(s.y0, s.y1) for s in segs), max(max(s.y0, s.y1) for s in segs), rows))
            used |= got
    lines = []
    for line in _lines([i for i in items if id(i) not in used]):
        text = _line_text(line)
        if text:
            lines.append(_Line(min(i.y0 for i in line), max(i.y1 for i in line), line[0].x0, line[-1].x1,
                               median(i.y1 - i.y0 for i in line), text, min(i.conf for i in line)))
    # A page number alone at the foot or the head of the page is no text of the plan.
    while lines and _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].text):
        lines.pop(0)
    # Paragraphs are rebuilt between tables, never across one.
    bounds = sorted(y for t in tables for y in (t[0], t[1]))
    groups: dict[int, list[_Line]] = {}
    for line in lines:
        groups.setdefault(sum(1 for y in bounds if line.y0 > y), []).append(line)
    pieces: list[tuple[float, list[LayoutBlock]]] = [(t[0], t[2]) for t in tables]
    open_end = open_start = False
    for k, group in groups.items():
        paras, last_full, first_tail = _paragraphs(group, edges)
        if k == 0:
            open_start = first_tail
        if k == len(bounds):
            open_end = last_full
        for para in paras:
            for b in text_blocks(para.text):   # a line that prints its own "|" is a row, as in a text file
                pieces.append((para.y0, [LayoutBlock(b.cells, 0, row=b.row, emptied=b.emptied, confidence=para.conf)]))
    pieces.sort(key=lambda p: p[0])
    blocks = [b for _, bs in pieces for b in bs]
    if blocks:
        blocks[0].continues = open_start and not blocks[0].row
        blocks[-1].goes_on = open_end and not blocks[-1].row
    return blocks


def join_pages(pages: list[list[Block]]) -> list[Block]:
    """The pages' blocks in one list, a paragraph cut by the page break joined again."""
    out: list[LayoutBlock] = []
    for blocks in pages:
        if out and blocks and getattr(out[-1], "goes_on", False) and getattr(blocks[0], "continues", False):
            a, b = out[-1], blocks[0]
            out[-1] = LayoutBlock((_join([a.cells[0], b.cells[0]]),), 0, confidence=min(a.confidence, b.confidence),
                                  ocr=a.ocr or b.ocr)
            out[-1].goes_on = b.goes_on
            out.extend(blocks[1:])
        else:
            out.extend(blocks)
    return out
