"""The one table model: what a column means, read from its header text.

A plan's task table names its columns (序号 / 工作任务 / 具体要求 / 牵头单位 / 配合/责任单位 / 完成时限 …)
in any order and however the page prints them (``工 作 任 务``, ``配合 / 责任单位``, across inline
elements). Every reader (pipe text, HTML, DOCX, XLSX, flattened text) asks this module what a header
cell means, so the same table gives the same columns in every form.

>>> column_meaning("配合 / 责任单位")
Column(kind='units', role='cooperate_or_implement', upper=False)
>>> column_meaning("工 作 要 求")
Column(kind='requirement', role=None, upper=False)
>>> column_meaning("市里落实单位")
Column(kind='units', role=None, upper=True)
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from core.roles import UNIT_COLUMNS

from .sub_columns import SUB_COLUMN_WORDS

__all__ = ["Column", "column_meaning", "grid_columns", "is_header_cell", "field_label", "HEADER_WORDS", "HEADER_RUN"]


class Column(NamedTuple):
    kind: str               # number, task, requirement, units, deadline, remarks, status
    role: str | None        # for units: lead, cooperate, implement, cooperate_or_implement, or None (read the cell)
    upper: bool             # a units column repeating the level above (市里落实单位)


# 工作要点 | 具体要求 | 任务分工: a department's split of the year's points among its 处室 (鲁教厅办字). A cell
# of its own only: a title ends with these words too, no run of header words starts there.
_CELL_ONLY = {"工作要点": ("task", None), "任务分工": ("units", None), "责任分工": ("units", None)}
# Header words as printed (spaces removed), each with its meaning. Longest first in HEADER_RUN.
HEADER_WORDS: dict[str, tuple[str, str | None]] = {
    "序号": ("number", None), "编号": ("number", None),
    "工作任务": ("task", None), "任务": ("task", None), "重点任务": ("task", None), "主要任务": ("task", None),
    "工作事项": ("task", None), "任务内容": ("task", None), "政务公开领域": ("task", None), "工作项目": ("task", None),
    "主要工作任务": ("task", None), "重点工作任务": ("task", None),
    **_CELL_ONLY,
    "具体要求": ("requirement", None), "工作要求": ("requirement", None), "具体内容": ("requirement", None),
    "主要内容": ("requirement", None), "工作措施": ("requirement", None), "具体任务": ("requirement", None),
    "细化分工": ("requirement", None), "工作内容": ("requirement", None), "具体措施": ("requirement", None),
    "贯彻举措": ("requirement", None), "工作举措": ("requirement", None), "具体举措": ("requirement", None),
    "有关要求": ("requirement", None),   # (任务 / 有关要求 / 责任单位: a region's split, 2017)
    "任务事项": ("task", None),
    # A 公开事项 catalogue (标准目录) printed as a plan's table: each item is what its 公开主体 publishes, by
    # its 公开时限; what, on what grounds and where it is published say how (序号 | 公开事项 | 公开内容(要素) |
    # 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 …)
    **SUB_COLUMN_WORDS,   # (a second header row's parts of them: 一级事项 | 二级事项, 全社会 | 特定群众 …)
    "公开事项": ("task", None), "公开内容": ("requirement", None), "公开内容(要素)": ("requirement", None), "内容规范": ("requirement", None),
    "内容要求": ("requirement", None), "公开时限": ("deadline", None), "公开主体": ("units", "implement"),
    **{w: ("remarks", None) for w in ("公开依据", "公开渠道和载体", "公开对象", "公开层级", "公开范围", "公开时长",
                                       "公开形式")},
    # where a task is to be published (市政府门户网站、新闻媒体): a channel, no unit
    **{w: ("remarks", None) for w in ("公开载体", "公开渠道", "公开平台", "公开方式", "公开途径")},
    **{header: ("units", role) for header, role in UNIT_COLUMNS.items()},
    "完成时限": ("deadline", None), "时限": ("deadline", None), "时限要求": ("deadline", None),
    "完成时间": ("deadline", None), "时间要求": ("deadline", None), "完成时限要求": ("deadline", None),
    "时间节点": ("deadline", None),
    "备注": ("remarks", None), "责任领导": ("remarks", None),
    # who answers for it by name, and how to reach them: no unit, read as a remark
    **{w: ("remarks", None) for w in ("责任人", "具体责任人", "经办人", "联系人", "联系电话", "分管领导", "牵头领导",
                                       "责任科长", "分管局领导")},
    "落实情况": ("status", None), "进展情况": ("status", None), "完成情况": ("status", None),
    # a 督察表's columns: what the inspection found and who fixes it are no task's units; who supplies
    # the evidence (材料提供部门) is the unit that did the task
    "存在问题": ("status", None), "整改措施": ("status", None), "整改责任主体": ("remarks", None),
    "材料提供部门": ("units", "implement"),
}
_LONGEST = max(map(len, HEADER_WORDS))
# More characters than the longest header word once the spaces are removed (the steps after that keep
# the length), found from the text's start: a long line is not walked whole.
_LONGER_THAN_A_WORD = re.compile(r"(?:[\s\u3000\xa0]*[^\s\u3000\xa0]){%d}" % (_LONGEST + 1))
_UPPER = re.compile(r"^(市里|上级|市级|省里|区里)")
_UNIT_WORDS = re.compile(r"单位|部门|处室|科室|股室")
_GLOSSED = re.compile(r"^(.{2,8})\([^()]{2,12}\)$|^(?:市级|省级|区级|县级)(.{4,6})$")
_SPACES = re.compile(r"[\s\u3000\xa0]+")


def column_meaning(text: str) -> Column | None:
    """What a header cell means, or None when the text is no header word."""
    if text and len(text) > _LONGEST and _LONGER_THAN_A_WORD.match(text) and not (
            len(text) <= 24 and text.rstrip().endswith((")", "）"))):   # (a word and its gloss: 贯彻举措(市上统一要求))
        # Every line is asked whether it is a header: most are far longer than any word, and would
        # only crowd the cells that are out of the memory below.
        return None
    return _column_meaning(text)


@lru_cache(maxsize=4096)
def _column_meaning(text: str) -> Column | None:
    c = _SPACES.sub("", text or "").replace("／", "/").replace("（", "(").replace("）", ")")
    c = to_simplified_header(c)
    hit = HEADER_WORDS.get(c)
    if hit is None and (m := _GLOSSED.match(c)) and (c := m.group(1) or m.group(2)):
        # 贯彻举措(市上统一要求): a word and its gloss; 市级牵头单位: a units column the level it is
        # for names, with the role its word says
        hit = HEADER_WORDS.get(c)
    if hit is None and "、" in c:
        # 责任科室、责任人: one column for the unit and the person answering for it, a units column
        first, *rest = c.split("、")
        hit = HEADER_WORDS.get(first)
        if not (hit and hit[0] == "units" and all(HEADER_WORDS.get(r, ("",))[0] == "remarks" for r in rest)):
            hit = None
    if hit is None:
        return None
    kind, role = hit
    return Column(kind, role, kind == "units" and bool(_UPPER.match(c)))


def grid_columns(cells) -> list[Column | None]:
    """What each column of a grid header means. A text header cell spanning the columns after it
    (``具 体 要 求`` over the part, 序号 and requirement columns; a grid gives the spanned cells empty) names
    each of them: under it a row's part heading, number and text are read as the text column's.

    >>> [c and c.kind for c in grid_columns(["具体要求", "", "", "责任科室"])]
    ['requirement', 'requirement', 'requirement', 'units']
    >>> [c and c.kind for c in grid_columns(["", "工作任务", "责任单位", ""])]
    [None, 'task', 'units', None]
    """
    out: list[Column | None] = []
    for c in cells:
        col = column_meaning(c)
        if col is None and not (c or "").strip() and out and out[-1] is not None and out[-1].kind in ("task", "requirement"):
            col = out[-1]
        out.append(col)
    return out


def is_header_cell(text: str) -> bool:
    return column_meaning(text) is not None


_FIELD = re.compile(r"^\s*([^:：\s]{2,10})\s*[:：]\s*(\S.*)$")


def field_label(text: str) -> tuple[Column, str] | None:
    """A line that opens with a table's field label (牵头单位:…, 完成时限:…): the column it names and the
    value after it, or None.

    >>> field_label("配合单位：市自然资源局、市统计局")
    (Column(kind='units', role='cooperate', upper=False), '市自然资源局、市统计局')
    >>> field_label("地址:某县人民路1号") is None
    True
    >>> field_label("联系人:张三")[0].kind   # who answers by name: a remark, no unit
    'remarks'
    """
    m = _FIELD.match(text or "")
    col = column_meaning(m.group(1)) if m else None
    return (col, m.group(2)) if col is not None else None


# Traditional header words (工作任務, 責任單位) as the few characters they differ in.
_T2S = str.maketrans({"務": "务", "責": "责", "單": "单", "點": "点", "時": "时", "間": "间", "況": "况",
                      "進": "进", "項": "项", "體": "体", "頭": "头", "門": "门", "處": "处", "會": "会",
                      "協": "协", "細": "细", "內": "内", "負": "负", "導": "导", "編": "编", "號": "号",
                      "關": "关", "節": "节", "據": "据", "眾": "众", "請": "请", "動": "动", "鎮": "镇", "鄉": "乡", "載": "载", "對": "对", "層": "层", "規": "规", "範": "范", "領": "领", "實": "实", "際": "际", "備": "备", "註": "注",
                      "辦": "办", "裡": "里", "級": "级", "區": "区", "複": "复", "開": "开", "務": "务"})


def to_simplified_header(s: str) -> str:
    return s.translate(_T2S)


def _run_pattern() -> re.Pattern:
    # (a title ends with 工作要点 or 任务分工 too: …重点任务分工|工作任务 具体要求…, its breaks lost, is no run)
    words = sorted((w for w in HEADER_WORDS if w not in _CELL_ONLY), key=len, reverse=True)
    spaced = ["[ \u3000\xa0]*".join(re.escape(ch) for ch in w) for w in words]
    one = "(?:" + "|".join(spaced) + ")"
    # Two or more header words in a row, with nothing but space, a tab, '|' or '/' between them (or a 、
    # before the person a unit column names with it: 责任科室、责任人).
    return re.compile(rf"{one}(?:(?:[ \t\u3000\xa0|/]*|、(?=责任人|具体责任人|联系人|经办人)){one})+")


HEADER_RUN = _run_pattern()
HEADER_WORD = re.compile("(?:" + "|".join("[ \u3000\xa0]*".join(re.escape(ch) for ch in w)
                                            for w in sorted(HEADER_WORDS, key=len, reverse=True)) + ")")
