"""An assessment-index table (考核指标/评分 style) printed one cell a paragraph.

A bureau may divide its year's work as the index it is scored on: 一级指标 … 五级指标 columns (主动公开 /
重点领域信息 / 23 / 养老服务 / 补贴发放 / 0.75, the scores among them), the last a criterion worded as a question
(``是否及时公开本地区…相关政策(0.25``, its points closing it), then 责任科室、单位. A reader takes each 是否…
criterion as a task and the unit cells after it as its units; the index levels above it and their
scores group the criteria, they ask nothing themselves. The table is read as the 具体要求 | 责任科室 table
it is (:func:`index_rows`), which the structure parser reads as any task table whose rows carry no number.
"""
from __future__ import annotations

import re

from .blocks import Block
from .normalize import normalize
from .units import looks_like_units

__all__ = ["index_rows"]

_LEVEL = re.compile(r"^[一二三四五六七八九十]级指标$")
_UNITS_HEAD = re.compile(r"^(?:责任|落实|牵头)(?:科室|单位|部门|处室|股室)")
_CRITERION = re.compile(r"^是否\S{6,}")
# the criterion's points closing its cell: (0.25, (0.5分), （1分）, or …信息等0.5 (its bracket lost)
_SCORE = re.compile(r"[(（]\s*\d{1,2}(?:\.\d{1,2})?\s*分?\s*[)）]?$|(?<=[\u4e00-\u9fff])\d\.\d{1,2}分?$")
_SHORT = 40   # an index level's cell or a score: short; a longer line that is no criterion ends the table


def index_rows(blocks: list[Block]) -> list[Block]:
    """``blocks`` with an assessment-index table printed one cell a paragraph read as rows: a header
    ``具体要求 | 责任科室`` for its ``…级指标`` and ``责任科室`` lines, then one row a criterion (its text, its
    score left out, then its unit cells joined). Anything else is returned as it is.

    >>> lines = ["一级指标", "二级指标", "三级指标", "责任科室、单位", "主动公开", "养老服务(2", "0.75",
    ...          "是否及时公开本地区养老补贴相关政策(0.25", "中医科", "是否按月公开补贴申领数量、审核",
    ...          "通过名单(0.5", "医政科", "监督执法大队"]
    >>> [b.cells for b in index_rows([Block((x,), k) for k, x in enumerate(lines)])]
    [('具体要求', '责任科室'), ('是否及时公开本地区养老补贴相关政策', '中医科'), ('是否按月公开补贴申领数量、审核通过名单', '医政科、监督执法大队')]
    """
    head = _header_end(blocks)
    if head is None:
        return blocks
    out = blocks[:head[0]] + [Block(("具体要求", "责任科室"), blocks[head[0]].line, row=True)]
    text, line, units = "", 0, []

    def close():
        if text:
            cells = (_SCORE.sub("", text).rstrip(), "、".join(units)) if units else (text, "")
            out.append(Block(cells, line, row=True))

    i = head[1]
    while i < len(blocks):
        b = blocks[i]
        cell = normalize(b.cells[0]).strip() if not b.row and len(b.cells) == 1 else ""
        if not cell and not b.row:
            i += 1
            continue
        if _CRITERION.match(cell):
            close()
            text, line, units = b.cells[0].strip(), b.line, []
        elif text and not units and not _SCORE.search(normalize(text)) and cell and not looks_like_units(b.cells[0]):
            text += b.cells[0].strip()   # (a criterion's cell broken over two paragraphs: its score is on the last)
        elif text and cell and looks_like_units(b.cells[0]) and len(cell) <= _SHORT:
            units.append(b.cells[0].strip())
        elif cell and len(cell) <= _SHORT:
            close()   # an index level's cell or its score: the criteria after it are under it
            text, units = "", []
        else:
            break     # prose after the table
        i += 1
    close()
    return out + blocks[i:]


def _header_end(blocks: list[Block]) -> tuple[int, int] | None:
    """(index of the first ``…级指标`` line, index after the units header line) of an index table's
    header printed one cell a paragraph: two levels or more, then the unit column's header."""
    for i, b in enumerate(blocks):
        if b.row or not _LEVEL.match(normalize(b.cells[0]).strip()):
            continue
        k = i
        while k < len(blocks) and not blocks[k].row and _LEVEL.match(normalize(blocks[k].cells[0]).strip()):
            k += 1
        if k - i >= 2 and k < len(blocks) and not blocks[k].row and _UNITS_HEAD.match(normalize(blocks[k].cells[0]).strip()):
            return i, k + 1
        return None
    return None
