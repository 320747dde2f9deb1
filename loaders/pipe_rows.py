"""A pipe table whose line breaks were lost but whose ``|`` separators stayed: its rows back.

A page copied as text, or a crawler's text of a Markdown table, can arrive as one line that still parts
its cells with ``|``: ``序号 | 工作任务 | 责任单位 |1 | 做好… | 办公室 |2 | …``. Read as one row it
gave no task. Its cells are all there; only where each row ends is lost. A reader of the table tells
it as the lined table does: a cell that opens with the plan's numbering (``一、``, ``(一)``, ``1.``, or a
bare ``序号`` number that continues the count) opens a row, unless the row so far holds only headings of
a higher level (``一、… | (一)… | 1.…`` is one row, the merged heading cells printed before the task);
a table whose rows carry no task number ends a row when it holds as many cells as the header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .columns import column_meaning, is_header_cell
from .numbering import classify, cn_to_int

__all__ = ["one_line_table"]

_LEVEL = {"part": 1, "section": 2, "task": 3}
_MIN_HEADER = 3
_MIN_WIDTH = 2   # a header of two cells when one of them names the units (see _header)
_LONGEST_WORD = 8   # (主要工作任务, 配合/责任单位 …: the longest header word, in characters)


_CN = "一二三四五六七八九十"
# A row's first cell glued to the last cell of the row before (rows printed without a closing |):
# the next bare 序号 number at a cell's end, or the next heading or dotted task number inside it.
_TRAILING_NUMBER = re.compile(r"(?<=[^\d.\-/:：第])\s*(\d{1,3})$")
_INNER_MARKER = re.compile(rf"(?<=[^\d.\-/:：第{_CN}])(?:([{_CN}]{{1,3}})、|[(（]([{_CN}]{{1,3}})[)）]|(\d{{1,3}})[.、．](?!\d))")


def _word_end(cell: str) -> int:
    """The length of the header word a cell holds: the whole cell, or a header word glued to the first
    row's opening (完成时限1, 责任单位一、…: the rows printed without their closing |); 0 for none."""
    if is_header_cell(cell):
        return len(cell)
    for k in range(min(len(cell) - 1, _LONGEST_WORD), 1, -1):
        rest = cell[k:].strip()
        if is_header_cell(cell[:k]) and (rest.isdigit() and len(rest) <= 3 or classify(rest)[0] in _LEVEL):
            return k
    return 0


def _meaning(cell: str):
    return column_meaning(cell[:_word_end(cell)])


def _header_word_at_end(cell: str) -> int | None:
    """Where a header word that ends ``cell`` starts (the text before it is the title or the notice
    the header was glued to), taking the longest word: ``…分解表工作任务`` → the start of 工作任务."""
    for k in range(max(0, len(cell) - _LONGEST_WORD), len(cell) - 1):
        if is_header_cell(cell[k:]):
            return k
    return None


def _header(cells: list[str]) -> tuple[int, int, int] | None:
    """(first cell, cell after the header, where the header word starts in the first cell) of the first
    run of header cells (three or more, or two with a units column), or None."""
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and _word_end(cells[j]):
            j += 1
            if _word_end(cells[j - 1]) < len(cells[j - 1]):
                break   # (the rows begin inside it)
        start = i
        glued = 0
        if i > 0 and j > i:
            k = _header_word_at_end(cells[i - 1])
            if k is not None:
                start, glued = i - 1, k
        words = [cells[start][glued:], *cells[i:j]] if start < i else cells[i:j]
        kinds = [_meaning(w).kind for w in words]
        if len(words) >= _MIN_HEADER or (len(words) == 2 and "units" in kinds):
            return start, j, glued
        i = j + 1
    return None


@dataclass
class _Count:
    """The plan's numbering as the rows have given it so far."""
    bare: bool            # rows numbered by a column of bare numbers (序号; else by 1. or 1、)
    part: int = 0
    section: int = 0
    task: int = 0

    def next_task(self, n: int) -> bool:
        return n == 1 or self.task < n <= self.task + 3   # (a number the source skips: kept, as the reflow does)

    def level(self, cell: str) -> int | None:
        """The numbering level a cell opens with (1 part, 2 section, 3 task), or None. In a table with a
        序号 column a task opens with its bare number (a 1. inside a requirement cell is its own list)."""
        if cell.isdigit() and len(cell) <= 3 and self.next_task(int(cell)):
            return 3   # a bare number cell, with or without a 序号 header word above it
        kind, number, _ = classify(cell)
        if kind == "task" and not self.bare and self.next_task(int(number)):
            return 3
        return _LEVEL.get(kind) if kind in ("part", "section") else None

    def take(self, cell: str) -> None:
        level = self.level(cell)
        kind, number, _ = classify(cell)
        if level == 3:
            self.task = int(cell) if cell.isdigit() else int(number)
            self.bare = self.bare or cell.isdigit()
        elif level == 2:
            self.section = cn_to_int(number.strip("()（）"))
        elif level == 1:
            self.part, self.section = cn_to_int(number), 0

    def glued_at(self, cell: str) -> int | None:
        """Where the next row's first cell starts inside ``cell`` (see _TRAILING_NUMBER), or None."""
        if self.bare:
            m = _TRAILING_NUMBER.search(cell)
            n = int(m.group(1)) if m and m.start() > 0 else 0
            return m.start(1) if n and self.task < n <= self.task + 3 else None
        for m in _INNER_MARKER.finditer(cell, 1):
            part, section, task = m.groups()
            if (part and cn_to_int(part) == self.part + 1) or (section and cn_to_int(section) == self.section + 1) \
                    or (task and int(task) == self.task + 1 and self.task):
                return m.start()
        return None


def _counted(row: list[str], count: _Count) -> int:
    """The cells of a row that fill the header's columns: a heading printed before the row's own
    numbered cell (一、… | (一)… | 1.…) shares the first column with it."""
    numbered = sum(1 for c in row if c and count.level(c) is not None)
    return len(row) - max(0, numbered - 1)


def one_line_table(line: str) -> tuple[str, list[list[str]]] | None:
    """The text before a pipe table laid out on one line, and the table's rows (the header first, each a
    list of its cells as printed, empty ones ``""``); None when the line is one row (it holds no header
    with cells after it for more than one row).

    >>> text = "某局任务分解表 序号 | 工作任务 | 责任科室 |1 | 做好预算公开。 | 办公室 |2 | 做好规划公开。 | 规划科 |"
    >>> one_line_table(text)
    ('某局任务分解表', [['序号', '工作任务', '责任科室'], ['1', '做好预算公开。', '办公室'], ['2', '做好规划公开。', '规划科']])
    >>> one_line_table("一、加强… | (一)推进… | 1.做好… | 全年 | 区发改局 |2.加强… | 全年 | 区财政局 |")  # no header, 2 rows
    >>> one_line_table("工作任务 | 具体要求 | 牵头单位 | (一)推进… | | | 公开目录 | 按时公开。 | 审批科 |")[1][1:]
    [['(一)推进…', '', ''], ['公开目录', '按时公开。', '审批科']]
    >>> one_line_table("序号 | 工作任务 | 责任单位 | 完成时限1 | 做好预算公开。 | 区财政局 | 年底前2 | 做好规划公开。 | 区发改局 | 长期")[1][1:]
    [['1', '做好预算公开。', '区财政局', '年底前'], ['2', '做好规划公开。', '区发改局', '长期']]
    """
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 2 * _MIN_WIDTH + 1:
        return None   # (a header and more than one row of it: a printed row's line, asked of every table)
    head = _header(cells)
    if head is None:
        return _headless(cells)
    start, end, glued = head
    width = end - start
    body = cells[end:]
    while body and not body[-1]:
        body.pop()
    if len(body) <= width:
        return None   # a header and at most one row: a line of its own as printed
    before = cells[:start] + ([cells[start][:glued]] if glued else [])
    header = ([cells[start][glued:].strip()] if glued else []) + cells[start + (1 if glued else 0):end]
    k = _word_end(header[-1])
    if k < len(header[-1]):   # (the header's last word glued to the first row's opening: 完成时限1)
        header[-1], body = header[-1][:k].strip(), [header[-1][k:].strip(), *body]
    count = _Count(bare=any(_meaning(h).kind == "number" for h in header))
    return " ".join(c for c in before if c).strip(), [header, *_rows(body, count, width)]


def _rows(body: list[str], count: _Count, width: int | None) -> list[list[str]]:
    """The body's cells cut into rows where a cell opens with the numbering (or, with ``width``, where a
    row holds as many cells as the header)."""
    rows: list[list[str]] = []
    row: list[str] = []
    queue = list(body)
    while queue:
        cell = queue.pop(0)
        k = count.glued_at(cell)
        if k is not None:
            cell, queue = cell[:k].strip(), [cell[k:].strip(), *queue]
        level = count.level(cell)
        opens = row and level is not None and not all(
            c and (lv := count.level(c)) is not None and lv < level for c in row)
        if opens or (width and row and _counted(row, count) >= width):
            rows.append(row)
            row = []
        count.take(cell)
        row.append(cell)
    if row:
        rows.append(row)
    return rows


# The first row's number, glued to the title before it once the line breaks went (…任务清单1 | 做好…, …清单1.做好…)
_FIRST_NUMBER = re.compile(r"(?<![\d.\-/:：第])(?:1$|1[.、．](?!\d)|一、|[(（]一[)）])")


def _headless(cells: list[str]) -> tuple[str, list[list[str]]] | None:
    """A pipe table printed with no header, or under one whose words are none the project knows (项目 |
    内容 | 承办), its line breaks lost: its rows all the same, when the numbering cuts it into three rows
    or more of one width (three cells or more; the last, cut short, may hold fewer). None otherwise.

    >>> _headless(["某局任务清单1", "做好预算公开。", "办公室", "年底前", "2", "做好规划公开。", "规划科", "全年",
    ...            "3", "做好统计公开。", "统计科", "6月底前"])[1][2]
    ['3', '做好统计公开。', '统计科', '6月底前']
    >>> _headless(["首页", "1", "2", "3", "下一页"]) is None
    True
    """
    for i, cell in enumerate(cells[:_LONGEST_WORD]):
        m = _FIRST_NUMBER.search(cell)
        if m is None:
            continue
        before, first = cell[:m.start()].strip(), cell[m.start():].strip()
        rows = _rows([first, *cells[i + 1:]], _Count(bare=first.isdigit()), None)
        widths = [len(r) for r in rows]
        if not (len(rows) >= 3 and widths[0] >= 3 and len(set(widths[:-1])) == 1 and widths[-1] <= widths[0]):
            return None
        if i < 2:
            return " ".join([*cells[:i], before]).strip(), rows
        # (the header's unknown words before the first row: a row of their own, as the lined table prints it)
        return "", [[*cells[:i], *([before] if before else [])], *rows]
    return None
