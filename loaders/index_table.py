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
from .cells import unit_name_end
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
        return _line_rows(blocks)
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


# The same table with its line breaks lost: the header words one after another, then the cells run on
# (…政策(0.25中医科 是否按月度…(0.5中医科 医疗卫生3公开标准0.5是否…), a space where an empty cell was.
_HEADER_RUN = re.compile(r"(?:[一二三四五六七八九十]级指标\s*){2,}(?:责任|落实|牵头)(?:科室|单位|部门|处室|股室)"
                         r"(?:[、/和及](?:科室|单位|部门))?")
_RUN_SCORE = re.compile(r"[(（]\s*\d{1,2}(?:\.\d{1,2})?\s*分?\s*[)）]?|(?<=[\u4e00-\u9fff])\d\.\d{1,2}分?")


def _criteria(body: str) -> list[int]:
    """Where each 是否… criterion starts: after a score, a space or an index level's points, or right
    after the unit names that close the criterion before it (…政策(0.5老龄科是否…); a 是否 inside a
    criterion's sentence is none."""
    out: list[int] = []
    for m in re.finditer("是否", body):
        a = m.start()
        if a == 0 or body[a - 1].isdigit() or body[a - 1].isspace():
            out.append(a)
            continue
        sc = list(_RUN_SCORE.finditer(body, out[-1] + 6 if out else 0, a))
        i = sc[-1].end() if sc else a
        while i < a and (e := unit_name_end(body, i, a, True)):
            i = e
        if sc and i == a:
            out.append(a)
    return out


def _line_rows(blocks: list[Block]) -> list[Block]:
    """An index table in a paragraph that lost its line breaks: the text before its header, the header,
    then a row for each 是否… criterion (its text up to its score, then the unit names glued after the
    score, up to the next space).

    >>> v = "某局分工 一级指标二级指标责任科室、单位 主动公开23养老服务(2是否公开养老补贴相关政策(0.25中医科 是否公开监督检查结果等0.5医政科区监督执法大队"
    >>> [b.cells for b in _line_rows([Block((v,), 1)])][1:]
    [('具体要求', '责任科室'), ('是否公开养老补贴相关政策', '中医科'), ('是否公开监督检查结果等', '医政科、区监督执法大队')]
    """
    for k, b in enumerate(blocks):
        m = None if b.row or len(b.cells) != 1 else _HEADER_RUN.search(b.cells[0])
        if m is None:
            continue
        v, line = b.cells[0], b.line
        out = [Block((v[:m.start()].strip(),), line)] if v[:m.start()].strip() else []
        out.append(Block(("具体要求", "责任科室"), line, row=True))
        body = v[m.end():]
        starts = _criteria(body)
        for a, z in zip(starts, starts[1:] + [len(body)]):
            seg = body[a:z]
            sc = _RUN_SCORE.search(seg, 6)
            if sc is None:
                out.append(Block((seg.strip(), ""), line, row=True))   # (cut before its score: no unit seen)
                continue
            rest = seg[sc.end():].lstrip()
            rest = rest[:next((i for i, ch in enumerate(rest) if ch.isspace()), len(rest))]
            names, i = [], 0
            while i < len(rest) and (e := unit_name_end(rest, i, len(rest), True)):
                names.append(rest[i:e])
                i = e
            out.append(Block((seg[:sc.start()].rstrip(), "、".join(names)), line, row=True))
        return blocks[:k] + out + blocks[k + 1:]
    return blocks
