"""How a plan numbers what it says: parts 一、, sections (一), tasks 1. and points (1) or ①."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["cn_to_int", "classify"]

CN = "一二三四五六七八九十百零〇两"
_PART = re.compile(rf"^([{CN}]+)\s*[、.．]\s*(.*)$")
_SECTION = re.compile(rf"^[(（]([{CN}]+)[)）]\s*(.*)$")
# (一加强…信息公开。: a section whose closing bracket the page lost, no bracket before its sentence's end;
# not (一带一路), (三公经费), (一是…
_SECTION_OPEN = re.compile(rf"^[(（]([一二三四五六七八九十]{{1,3}})(?![是个次年带把批些级般起直定体项场份系公{CN}])"
                           r"([\u4e00-\u9fff][^()（）。,，]{3,}(?:[。,，].*)?)$")
# 20.2021年底前 is task 20; 1.5亿 is no task.
_TASK = re.compile(r"^(\d{1,3})\s*(?:[.、．](?!\d(?!\d{3}年))|\)(?!\d))\s*(.*)$")   # 1. 1、 1)
_SUB = re.compile(r"^(?:[(（](\d{1,2})[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*(.*)$")


def cn_to_int(s: str) -> int:
    """Chinese numerals to int, past 十.

    >>> [cn_to_int(x) for x in ("一", "十", "十三", "二十", "二十六", "一百零一")]
    [1, 10, 13, 20, 26, 101]
    """
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    total, cur = 0, 0
    for c in s:
        if c in digits:
            cur = digits[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


@lru_cache(maxsize=1 << 16)   # pure, and asked of the same cell several times (the plan's start, each pass)
def classify(text: str) -> tuple[str, str | None, str]:
    """The kind of a normalized cell: part, section, task, sub, or text.

    >>> classify("(十三)加强政策解读。")
    ('section', '(十三)', '加强政策解读。')
    >>> classify("12.建立台账")
    ('task', '12', '建立台账')
    >>> classify("2)做好财政信息公开。")
    ('task', '2', '做好财政信息公开。')
    >>> classify("二、工作内容")
    ('part', '二', '工作内容')
    >>> classify("(一加强营商环境信息公开。公开监管规则。")[:2], classify("(一带一路)建设")[0]
    (('section', '(一)'), 'text')
    """
    m = _PART.match(text)
    if m and m.group(2):
        return "part", m.group(1), m.group(2)
    m = _SECTION.match(text) or _SECTION_OPEN.match(text)
    if m:
        return "section", f"({m.group(1)})", m.group(2)
    m = _TASK.match(text)
    if m and m.group(2):
        return "task", m.group(1), m.group(2)
    m = _SUB.match(text)
    if m and m.group(3):
        return "sub", f"({m.group(1)})" if m.group(1) else m.group(2), m.group(3)
    return "text", None, text
