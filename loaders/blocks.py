"""The one document model every format reader produces: a list of :class:`Block`.

A block is a paragraph (one line of text) or a table row (its cells, a merged cell given only in its
first row, as a flattened table prints it). The structure parser downstream never knows which format
a document came in. Readers of positioned text (PDF, OFD, scans) build on it in :mod:`loaders.layout`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "text_blocks", "cell_text"]


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


def text_blocks(text: str) -> list[Block]:
    """Lines of text as blocks: a line that prints its own ``|`` between cells is a table row.

    >>> [(b.cells, b.row) for b in text_blocks("一、总体要求\\n\\n| 序号 | 任务 |")]
    [(('一、总体要求',), False), (('序号', '任务'), True)]
    """
    blocks = []
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if "|" in line and _CELL_BAR.search(line):
            raw = [c.strip() for c in line.strip("|").split("|")]
            cells = tuple(c for c in raw if c)
            if cells:
                kept = [k for k, c in enumerate(raw) if c]
                emptied = tuple(j for j, k in enumerate(kept) if k + 1 < len(raw) and not raw[k + 1]
                                and any(raw[k + 1:]))
                blocks.append(Block(cells, i, row=True, emptied=emptied))
            continue
        blocks.append(Block((line,), i))
    return blocks


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
