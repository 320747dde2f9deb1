"""A catalogue's header of two rows (基层政务公开标准目录, a bureau's 公开事项 list): the second row names
the parts of columns of the first, each part a column of its own in every row under it —

    序号 | 公开事项        | 公开内容 | … | 公开主体 | 公开对象        | 公开方式          | 公开层级
         | 一级事项 | 二级事项 |          |   |          | 全社会 | 特定群众 | 主动 | 依申请公开 | 镇级 | 村级

(六安's 公开事项 so split into 一级目录 | 二级目录 | 三级目录). Read as one header row whose columns are the
parts where a column has them, the rows fit it, in every form the table reaches us in: pipe rows, cells
a line, and joined with nothing (the second row's words then follow the first's)."""
from __future__ import annotations

import re
from dataclasses import replace

from .normalize import to_simplified

__all__ = ["SUB_COLUMN_WORDS", "with_sub_columns", "sub_header_rows"]

# Each first-row column a catalogue splits, and the words its parts are printed with (spaces removed)
_PARTS = {
    "公开事项": ("一级事项", "二级事项", "三级事项", "一级目录", "二级目录", "三级目录"),
    "公开对象": ("全社会", "特定群众", "特定群体", "特定对象"),
    "公开方式": ("主动", "依申请公开", "依申请"),
    "公开层级": ("省级", "市级", "县级", "区级", "乡级", "镇级", "乡镇级", "街道级", "村级", "乡(镇)级"),
}
# What each part means as a column: an item's levels are its text; who sees it and how are remarks
SUB_COLUMN_WORDS = {w: ("task" if parent == "公开事项" else "remarks", None) for parent, parts in _PARTS.items() for w in parts}


_LONGEST = max(len(w) for w in (*_PARTS, *SUB_COLUMN_WORDS))


def _plain(cell: str) -> str:
    """The cell as the words above are written, for looking it up; a cell longer than any of them is
    none, and is not converted (every header and row cell of every table comes here)."""
    plain = re.sub(r"[\s\u3000]+", "", cell or "")
    return to_simplified(plain) if len(plain) <= _LONGEST else plain


def with_sub_columns(cells: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Header cells whose last ones are a second row's parts: the first row with each split column
    in its parts' place (cells unchanged where no part follows, or a part fits no column).

    >>> with_sub_columns(("序号", "公开事项", "公开主体", "公开对象", "一级事项", "二级事项", "全社会", "特定群众"))
    ('序号', '一级事项', '二级事项', '公开主体', '全社会', '特定群众')
    >>> with_sub_columns(("序号", "公开事项", "责任科室"))
    ('序号', '公开事项', '责任科室')
    """
    cells = tuple(cells)
    k = len(cells)
    while k > 0 and _plain(cells[k - 1]) in SUB_COLUMN_WORDS:
        k -= 1
    first, parts = cells[:k], cells[k:]
    if not parts or not first:
        return cells
    given: dict[int, list[str]] = {}
    at = 0   # the parts come in the order of the columns they split
    for p in parts:
        while at < len(first) and _plain(p) not in _PARTS.get(_plain(first[at]), ()):
            at += 1
        if at == len(first):
            return cells
        given.setdefault(at, []).append(p)
    return tuple(c for i, cell in enumerate(first) for c in given.get(i, [cell]))


def sub_header_rows(blocks: list) -> list:
    """A header row followed by a row of its columns' parts (全社会 | 特定群体 | 主动 | 依申请 | 乡级): one
    header row, the parts in their columns' place.

    >>> from loaders.blocks import Block
    >>> rows = [Block(("序号", "公开事项", "公开对象"), 1, row=True), Block(("一级事项", "二级事项", "全社会"), 2, row=True)]
    >>> [b.cells for b in sub_header_rows(rows)]
    [('序号', '一级事项', '二级事项', '全社会')]
    """
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        cells = [c for c in b.cells if c.strip()] if b.row else []
        if (prev is not None and prev.row and cells and all(_plain(c) in SUB_COLUMN_WORDS for c in cells)
                and len(merged := with_sub_columns((*[c for c in prev.cells if c.strip()], *cells))) > len(
                    [c for c in prev.cells if c.strip()])):
            out[-1] = replace(prev, cells=merged, merged=None, emptied=())
            continue
        out.append(b)
    return out
