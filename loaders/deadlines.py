"""Deadlines in task text: absolute, relative to the plan's year, recurring, standing.

>>> parse_deadlines("2021年11月20日前完成", 2021)
['2021-11-20']
>>> parse_deadlines("年底前在市政府门户网站公开", 2021)
['2021-12-31']
>>> parse_deadlines("(2020年9月24日—9月30日)", 2020)
['2020-09-30']
>>> parse_deadlines("每年至少更新一次", 2021)
['每年']
>>> parse_deadlines("各单位分别于2022930日、1230日前报送", 2022)
['2022-09-30', '2022-12-30']
>>> parse_deadlines("于在今年10月10日前、2022年1月10日前报送", 2021)
['2021-10-10', '2022-01-10']
>>> parse_deadlines("三季度前", 2022), parse_deadlines("第四季度末前完成", 2022), parse_deadlines("全年", 2022)
(['三季度前'], ['2022-12-31'], ['全年'])
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from .normalize import normalize

__all__ = ["parse_deadlines"]

_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_RANGE_END = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*[—\-–~至到]+\s*(?:(\d{1,2})月)?(\d{1,2})日")
# 今年10月10日前 is relative; 2021年10月10日 is not (the full pattern takes it first).
_MONTH_DAY = re.compile(r"(?<!\d)(?<!\d年)(\d{1,2})月(\d{1,2})日(?:前|之前|以前|止)")
# A mirror that dropped 年 and 月: 2022930日 (2022-09-30), 1230日前 (12-30 of the plan's year).
_GARBLED = re.compile(r"(?<![\d年月])(20\d\d)?(1[0-2]|0?[1-9])([0-3]\d)日")
_YEAR_END = re.compile(r"(?:(\d{4})年)?(?:底|年底|年末)(?:前|之前)")
_YEAR_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)?(?:前|之前)")
# A quarter (三季度前, 第四季度末前): its end where the text says so, else the phrase as printed.
_QUARTER = re.compile(r"(?:第)?([一二三四1-4])季度(末|底)?(?:前|之前|内|以内)")
# A 时限 cell that says only "in the year" (全年, 年内): the phrase, never read inside a sentence
# (全年共发布…).
_WHOLE_YEAR = re.compile(r"(?:^|(?<=[\s。;；]))(全年|年内|本年度内|全年持续|全年推进)$")
_RECURRING = [(word, re.compile(pattern)) for word, pattern in (
    ("每年", r"每年|(?<![本上今去当])年度(?!报告|工作|考核|计划|预算|决算|重点)"), ("每半年", r"每半年"), ("每季度", r"每季度|每季"),
    ("每月", r"每月"), ("每周", r"每周"), ("长期", r"长期|持续推进|常态化"))]


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - _dt.timedelta(days=1)).isoformat()


def parse_deadlines(text: str, year: int | None = None) -> list[str]:
    """ISO dates where a deadline is exact, else phrases such as ``每年`` or ``长期``; in order."""
    return list(_deadlines(text, year))


@lru_cache(maxsize=1 << 15)   # a task's text comes back in the plans below it, word for word
def _deadlines(text: str, year: int | None) -> tuple[str, ...]:
    return _parse(normalize(text), year)


@lru_cache(maxsize=1 << 14)
def _parse(s: str, year: int | None) -> tuple[str, ...]:
    """:func:`parse_deadlines` of a normalized text. A cell such as 2022年底前 recurs in every row of a
    table: remembered. Each pattern runs only when the text holds a character it cannot match without."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(pos: int, end: int, value: str | None):
        if value and not any(a <= pos < b for a, b in taken):
            found.append((pos, value))
            taken.append((pos, end))

    day, month = "日" in s, "月" in s
    for m in (_RANGE_END.finditer(s) if day else ()):
        y = int(m.group(1))
        add(m.start(), m.end(), _iso(y, int(m.group(4) or m.group(2)), int(m.group(5))))
    for m in (_FULL.finditer(s) if day and month else ()):
        add(m.start(), m.end(), _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in (_YEAR_MONTH.finditer(s) if month else ()):
        add(m.start(), m.end(), _month_end(int(m.group(1)), int(m.group(2))))
    for m in (_GARBLED.finditer(s) if day else ()):
        y = int(m.group(1)) if m.group(1) else year
        if y:
            add(m.start(), m.end(), _iso(y, int(m.group(2)), int(m.group(3))))
    if year and day and month:
        for m in _MONTH_DAY.finditer(s):
            add(m.start(), m.end(), _iso(year, int(m.group(1)), int(m.group(2))))
    for m in (_YEAR_END.finditer(s) if "底" in s or "末" in s else ()):
        y = int(m.group(1)) if m.group(1) else year
        add(m.start(), m.end(), _iso(y, 12, 31) if y else "年底")  # undated plan: keep the phrase
    for m in (_QUARTER.finditer(s) if "季度" in s else ()):
        q = "一二三四".find(m.group(1)) + 1 or int(m.group(1))
        add(m.start(), m.end(), _month_end(year, 3 * q) if m.group(2) and year else m.group(0))
    if "年" in s and (m := _WHOLE_YEAR.search(s.strip())):
        add(m.start(), m.end(), m.group(1))
    for word, pattern in _RECURRING:
        m = pattern.search(s)
        if m and word not in (v for _, v in found):
            add(m.start(), m.end(), word)
    seen: set[str] = set()
    out = []
    for _, v in sorted(found):
        if v not in seen:
            seen.add(v)
            out.append(v)
    return tuple(out)
