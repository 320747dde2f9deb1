"""The one document model every format reader produces: a list of :class:`Block`.

A block is a paragraph (one line of text) or a table row (its cells, a merged cell given only in its
first row, as a flattened table prints it). The structure parser downstream never knows which format
a document came in. Readers of positioned text (PDF, OFD, scans) build on it in :mod:`loaders.layout`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .columns import is_header_cell
from .normalize import strip_pinyin
from .numbering import classify
from .pipe_rows import one_line_table
from .sub_columns import sub_header_rows, with_sub_columns

__all__ = ["Block", "text_blocks", "line_block", "row_block", "cell_text", "heading_cells_apart", "gloss_lines_joined"]


@dataclass
class Block:
    cells: tuple[str, ...]          # one cell for a paragraph
    line: int = 0                   # 1-based position in the source (line, or paragraph index)
    row: bool = False               # a table row (cells from a real or a pipe table)
    # A grid row: one cell per column of its table, empty cells kept, so the header says what each
    # cell is; the indices here continue a merged (rowspan) cell from above, whose text they repeat.
    merged: tuple[int, ...] | None = None
    # A pipe row printed without its empty cells: the indices of the cells an empty one followed
    # (区财政局 |  | 年底前: no 配合单位, so 区财政局 is the 牵头单位 column's, not the last unit column's).
    emptied: tuple[int, ...] = ()

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


_CELL_BAR = re.compile(r"\S\s*\|")
_TAB_CELL = re.compile(r"\S[ \u3000]*\t")
# Two or more spaces (full-width or not) inside a line: where a page that prints a table's rows one a
# line sets its cells apart (工作任务　　具体要求　　责任单位).
_WIDE_GAP = re.compile(r"[ \u3000\xa0]{2,}")
# A mirror that decoded a page's non-breaking spaces as ``?`` leaves them before a line's words
# (``? ?二、重点任务``): indentation, no text, and the heading behind them is still a heading.
_LOST_INDENT = re.compile(r"^[ \u3000\xa0]*\?(?:[ \u3000\xa0?]*\?)?[ \u3000\xa0]*(?=[^\s?])")
# More cells than a task table has columns, or a cell longer than a paragraph: a whole document on one
# line, tabs between its cells, which the reflow reads (loaders.reflow), not one row.
_MAX_TAB_CELLS, _MAX_TAB_CELL = 16, 400


def row_block(raw: list[str], line: int) -> Block | None:
    """A table row from its cells as printed, an empty cell as ``""``: the empty cells dropped, and
    remembered where one followed a kept cell before a later one (see :attr:`Block.emptied`).

    >>> b = row_block(["3", "区财政局", "", "年底前"], 7)
    >>> b.cells, b.emptied
    (('3', '区财政局', '年底前'), (1,))
    """
    kept = [k for k, c in enumerate(raw) if c]
    if not kept:
        return None
    emptied = tuple(j for j, k in enumerate(kept) if k + 1 < len(raw) and not raw[k + 1] and any(raw[k + 1:]))
    return Block(tuple(raw[k] for k in kept), line, row=True, emptied=emptied)


# A heading's number after a sentence's end (…落实。二、推进…, …情况。(二)做好…) or at a cell's start.
_HEADING_INSIDE = re.compile(r"(?:^|(?<=[。;:!?！？：；\s]))(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")
_MENU_WORD = 8


def _whole_text_cell(cells: list[str]) -> bool:
    """Whether a line's ``|`` parts a whole document from a page's menu words, no table cells: a cell
    longer than a paragraph, or one that holds three headings of the plan, a part's among them (…落实。
    二、…), with only menu words (登录, 注册, 打印) in the other cells."""
    long = [c for c in cells if len(c) > _MENU_WORD]
    if any(len(c) > _MAX_TAB_CELL for c in long):
        return True
    heads = [m.group(0) for m in _HEADING_INSIDE.finditer(long[0])] if len(long) == 1 else []
    return len(heads) >= 3 and any(h.endswith("、") for h in heads[1:])   # (a part's heading, inside it)


def _marker_only(cell: str) -> bool:
    """``一、`` or ``(三)`` or ``1.`` alone: a heading's number a tab parts from its words, no cell."""
    kind, _, rest = classify(cell + "\u4e00")
    return kind != "text" and rest == "\u4e00"


def text_blocks(text: str) -> list[Block]:
    """Lines of text as blocks (see :func:`line_block`).

    >>> [(b.cells, b.row) for b in text_blocks("一、总体要求\\n\\n| 序号 | 任务 |\\n1\\t公开预算\\t\\t年底前")]
    [(('一、总体要求',), False), (('序号', '任务'), True), (('1', '公开预算', '年底前'), True)]
    >>> [b.cells for b in text_blocks("某局工作要点\\n二、\\t工作要求\\n1\\t公开预算\\t办公室")]
    [('某局工作要点',), ('二、工作要求',), ('1', '公开预算', '办公室')]
    >>> [b.cells for b in text_blocks("? ?二、重点任务\\n(一)公开预算。")]
    [('二、重点任务',), ('(一)公开预算。',)]
    >>> [b.cells for b in text_blocks("局领导  某某\\n工作任务\u3000\u3000责任科室\\n公开预算。\u3000\u3000办公室")]
    [('局领导  某某',), ('工作任务', '责任科室'), ('公开预算。', '办公室')]
    """
    lines = _cell_line_rows(text.splitlines())
    # A document of a line or two lost its line breaks: its tabs part cells of many rows (the reflow's).
    tabs = "\t" in text and sum(1 for x in lines if x.strip()) > 2
    out, wide = [], False
    for i, line in enumerate(lines, 1):
        cells = _WIDE_GAP.split(line.strip()) if not wide or "|" not in line else []
        if not wide and len(cells) > 1 and all(is_header_cell(c) for c in cells):
            wide = True   # a header whose words wide spaces part: so are the cells of the rows under it
        if wide and len(cells) > 1 and "\t" not in line and max(map(len, cells)) <= _MAX_TAB_CELL:
            out.append(row_block(cells, i))
        elif "|" in line and (table := one_line_table(line)) is not None:
            # a pipe table whose line breaks were lost, its | kept: its rows as the lined table prints them
            before, rows = table
            if before and (b := line_block(before, i, tabs)) is not None:
                out.append(b)
            out += [b for r in rows if (b := row_block(r, i)) is not None]
        elif (b := line_block(line, i, tabs)) is not None:
            out.append(b)
    return heading_cells_apart(_header_cell_lines(out))


_BARS_ONLY = re.compile(r"^[|\s]*\|[|\s]*$")


def _bar_cell(line: str) -> tuple[str, bool] | None:
    """A line of a pipe table printed one cell a line: (its cell, whether it ends the row), or None.
    Bars alone (||), or more bars after the cell (责任单位 | ||), end a row."""
    s = line.strip()
    if not (s.endswith("|") or _BARS_ONLY.match(s)):
        return None
    cell, _, bars = s.partition("|")
    return cell.strip(), "|" in bars or not cell.strip()


def _cell_line_rows(lines: list[str]) -> list[str]:
    """A pipe table printed one cell a line, each cell with its bar (工作任务 | / 具体要求 | / 责任单位 |,
    three header lines or more), each row ended by a line of bars (||) or by bars after its last cell
    (牵头处室:财务处 | |): every row's cells back on one line, as the lined table prints them (the lines
    a row took are left blank). Other lines, and the text after the table, are kept as they are.

    >>> [l for l in _cell_line_rows(["工作任务 |", "具体要求 |", "责任单位 |", "||", "1.公开文件 |",
    ...                                "1.清理文件。2.发布文本。 |", "各部门 |", "||", "说明"]) if l]
    ['工作任务 | 具体要求 | 责任单位 |', '1.公开文件 | 1.清理文件。2.发布文本。 | 各部门 |', '说明']
    >>> [l for l in _cell_line_rows(["工作任务 |", "牵头单位 |", "责任单位 |", "一、公开 | ||", "1.公开文件 |",
    ...                                "市政府办 |", "各部门 |", "2.公开规划 | ||"]) if l]
    ['工作任务 | 牵头单位 | 责任单位 |', '一、公开 |', '1.公开文件 | 市政府办 | 各部门 |', '2.公开规划 |']
    """
    out = list(lines)
    i = 0
    while i < len(lines):
        head = i
        while head < len(lines) and (c := _bar_cell(lines[head])) and c[0] and is_header_cell(strip_pinyin(c[0])):
            head += 1
            if c[1]:
                break
        if head - i < 3:
            i += 1
            continue
        # A header that no bars end (工作任务 | / 牵头单位 | / 责任单位 |, then a row's first cell): the page
        # ends a row by its bars only where the row lacks cells (省编办 | ||), a full row by its width.
        width = 0 if _bar_cell(lines[head - 1])[1] or head < len(lines) and _BARS_ONLY.match(lines[head]) else head - i
        if not width:
            # (a header closed by bars that pad it to the table's width, 工作任务 spanning three columns: 工作任务 |
            # 具体要求 | 责任单位 | ||: a full row, which prints no bars of its own, ends at that width)
            closing = lines[head - 1] if _bar_cell(lines[head - 1])[1] else lines[head]
            width = head - i + max(closing.count("|") - (1 if _bar_cell(lines[head - 1])[1] else 0), 0)
        words = [strip_pinyin(_bar_cell(x)[0]) for x in lines[i:head]]   # (鎮(zhèn)級: a mirror's gloss)
        if parts := len(subbed := with_sub_columns(words)) < len(words):
            # (a catalogue's second header row, its columns' parts: the rows are as wide as the parts)
            width, out[i:head] = len(subbed), [" | ".join(subbed) + " |"] + [""] * (head - i - 1)
            i = head
        else:   # (or the parts on lines of their own after the header's closing bars: 一级目录 | / 二级目录 |)
            m = head + bool(head < len(lines) and _BARS_ONLY.match(lines[head]))
            while m < len(lines) and (c := _bar_cell(lines[m])) and c[0] and is_header_cell(strip_pinyin(c[0])):
                m += 1
            parts = len(with_sub_columns(words + [strip_pinyin(_bar_cell(x)[0]) for x in lines[head:m] if _bar_cell(x)[0]])) > len(words)
        row: list[str] = []
        k = i
        while k < len(lines) and ((c := _bar_cell(lines[k])) is not None or _bar_next(lines, k)):
            if c is None:   # (a cell whose bar the page put on the line after it: 基础信息公开 / |)
                c, out[k], k = (lines[k].strip(), False), "", k + 1
            # (a bar alone inside a catalogue's row is an empty cell: √ | / | / √ |, its width the parts')
            lone = parts and bool(row) and lines[k].strip() == "|"
            if c[0] or lone:
                row.append(c[0])
            out[k] = ""
            if c[1] and row and not lone or width and len(row) == width:
                out[k] = " | ".join(row) + " |"
                row = []
            k += 1
        if row and k < len(lines) and lines[k].strip() and not any(x.strip() for x in lines[k + 1:]):
            row.append(lines[k].strip())   # the text's last line, cut before its bar: the row's last cell
            out[k], k = "", k + 1
        if row:
            out[k - 1] = " | ".join(row) + " |"
        i = k
    return out


def _bar_next(lines: list[str], k: int) -> bool:
    """Whether line ``k`` is a cell whose closing bar stands alone on the next line."""
    return k + 1 < len(lines) and lines[k + 1].strip() == "|" and bool(lines[k].strip()) and "|" not in lines[k]


def heading_cells_apart(blocks: list[Block]) -> list[Block]:
    """A table row that opens with the plan's headings (一、… | (三)做好财政信息公开。) and goes on with the
    row's text and unit cells, with no task number of its own: the headings are headings, the other cells
    the row (a task numbered by its position, as the lined table's row is). In every form a row so printed
    reaches us in (pipe text, a sheet, a PDF's table as printed). A grid row (Word, a ruled table whose
    cells span columns: one cell a column) keeps its cells under a header as wide, which names each column;
    under a header of another width (the header ended the page before, a table of its own there) it is
    read as printed."""
    from .units import looks_like_units
    out: list[Block] = []
    blocks = sub_header_rows(blocks)   # (a catalogue's second header row: its first row's columns' parts)
    width = 0   # the cells of the last header row
    for b in blocks:
        if b.row and len(b.cells) > 1 and all(is_header_cell(c) for c in b.cells if c):
            width = len(b.cells)
        cells = (b.cells if not b.grid else b.printed().cells if len(b.cells) != width else ()) if b.row else ()
        if (n := _category_cells(cells, width)):
            out += [Block((c,), b.line) for c in cells[:n]] + [Block(cells[n:], b.line, row=True)]
            continue
        if not cells or classify(cells[0])[0] not in ("part", "section"):
            out.append(b)   # (nearly every row: a number or a text first, no heading to set apart)
            continue
        kinds = [classify(c)[0] for c in cells]
        h = next((k for k, kind in enumerate(kinds) if kind not in ("part", "section")), 0)
        rest = cells[h:]
        if (h and "task" not in kinds and len(rest) >= 2 and not any(re.fullmatch(r"\d{1,3}[.、．]?", c) for c in rest)
                and any(looks_like_units(c) for c in rest[1:])):
            out += [Block((c,), b.line) for c in cells[:h]] + [Block(rest, b.line, row=True)]
        else:
            out.append(b)
    return out


_CATEGORY = re.compile(r"^[\u4e00-\u9fff]{2,12}$")


def _category_cells(cells: tuple, width: int) -> int:
    """How many cells a list's row opens with that are its categories, not its columns: a row wider than
    its header (工作任务 | 具体要求 | 责任单位 over 主动公开 | 基础信息公开 | 行政规范 | 做好…。 | 区司法局…), the
    header's first cell spanning the category columns, whose extra first cells are short names (no
    number, no stop, no unit) and whose next cell is a requirement's sentence. Those are the headings the
    rows under them share, as a merged cell in the lined table prints them once; 0 for any other row.

    >>> _category_cells(("主动公开", "基础信息公开", "行政规范", "做好行政规范性文件的集中公开工作。", "区司法局"), 3)
    3
    >>> _category_cells(("公开预算", "财政局", "各部门"), 2), _category_cells(("1", "公开预算决算信息。", "财政局"), 2)
    (0, 0)
    """
    from .units import looks_like_units
    if width < 2 or len(cells) <= width:
        return 0
    n = next((k for k, c in enumerate(cells) if not (_CATEGORY.match(c) and classify(c)[0] == "text"
                                                      and not looks_like_units(c))), len(cells))
    # (as many as the row has cells more than its header, or more: the header's first column holds one too)
    if n < len(cells) - width or n >= len(cells) - 1 or len(cells[n]) < 10 or not any(p in cells[n] for p in "。;；,，"):
        return 0
    return n


# A pinyin gloss (chuàng) opening a line: a page wrapped between a character and the gloss glued to it.
_GLOSS_FIRST = re.compile(r"\((?=[^)]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def gloss_lines_joined(blocks: list[Block]) -> list[Block]:
    """A line that opens with a pinyin gloss ends the line before it, whose last character the gloss
    reads (創 / (chuàng)新高地): the page wrapped between them, no paragraph ends there.

    >>> [b.cells for b in gloss_lines_joined([Block(("科技創",), 1), Block(("(chuàng)新高地",), 2)])]
    [('科技創(chuàng)新高地',)]
    """
    out: list[Block] = []
    for b in blocks:
        if (out and not b.row and not out[-1].row and _GLOSS_FIRST.match(b.cells[0])
                and re.search(r"[\u4e00-\u9fff]$", out[-1].cells[0])):
            out[-1] = replace(out[-1], cells=(out[-1].cells[0] + b.cells[0],))   # (a PDF's keeps its confidence)
            continue
        out.append(b)
    return out


def _header_cell_lines(blocks: list[Block]) -> list[Block]:
    """A pipe table printed one cell a line (工作任务 | / 责任单位 | / 完成时限 |, each line its own row): the
    header words on lines one after another are one header row, so that every column keeps its meaning.

    >>> rows = [Block((c,), k, row=True) for k, c in enumerate(["工作任务", "牵头单位", "责任单位", "做好公开。"])]
    >>> [b.cells for b in _header_cell_lines(rows)]
    [('工作任务', '牵头单位', '责任单位'), ('做好公开。',)]
    """
    out: list[Block] = []
    run: list[Block] = []
    for b in [*blocks, None]:
        if b is not None and b.row and len(b.cells) == 1 and is_header_cell(b.cells[0]):
            run.append(b)
            continue
        # (three header lines or more: one header row; fewer stay as they are)
        out += [Block(tuple(r.cells[0] for r in run), run[0].line, row=True)] if len(run) >= 3 else run
        run = []
        if b is not None:
            out.append(b)
    return out


def _menu_before_text(line: str) -> bool:
    """Whether a line's bars part a page's menu words (登录 | 注册, 首页 | English) from a whole text that
    lost its line breaks, no table cells (see :func:`_whole_text_cell`).

    >>> _menu_before_text("登录 | 注册 某市政府信息公开专栏" + "关于印发某方案的通知。" * 50), _menu_before_text("| 序号 | 任务 |")
    (True, False)
    """
    return _whole_text_cell([c.strip() for c in line.strip().strip("|").split("|")])


def line_block(raw: str, i: int, tabs: bool = True) -> Block | None:
    """One line (or a word processor's paragraph) as a block: a line that prints its own ``|`` between
    cells is a table row, and so is a line whose cells tabs part (``tabs``: a table copied from a page or
    a sheet, a TSV); None for a blank line."""
    line = raw.strip()
    if not line:
        return None
    if line[0] == "?":
        line = _LOST_INDENT.sub("", line)
    if "|" in line and _CELL_BAR.search(line) and not _menu_before_text(line):
        return row_block([c.strip() for c in line.strip("|").split("|")], i)
    if tabs and "\t" in line and _TAB_CELL.search(line):
        cells = [c.strip() for c in line.split("\t")]
        kept = [c for c in cells if c]
        if len(kept) == 2 and _marker_only(kept[0]):
            line = "".join(kept)
        elif 1 < len(kept) <= _MAX_TAB_CELLS and max(map(len, kept)) <= _MAX_TAB_CELL:
            return row_block(cells, i)
    return Block((line,), i)


def cell_text(value) -> str:
    """A spreadsheet value (XLSX or XLS) as the sheet shows it: dates as 2021年11月20日, line breaks
    as spaces."""
    import datetime as dt

    if isinstance(value, dt.datetime) and not (value.hour or value.minute):
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s*\n\s*", " ", str(value)).strip()
