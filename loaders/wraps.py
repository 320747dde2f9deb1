"""A space inside a sentence is a line wrap, not a paragraph break.

A PDF's text extraction, or a page whose lines were joined with a space, keeps a space where a printed
line wrapped (…工作的决策部 署,切实提升…; …主要负责人要亲自过 问、定期听取汇报…). Chinese prose has no
space inside a sentence, so a space between two characters is read as a paragraph break; but a
sentence that has gone past a comma and not yet ended is no paragraph's end: a space there wraps it.
"""
from __future__ import annotations

import re

from .units import looks_like_units

__all__ = ["wraps_sentence", "printed_width", "fills_the_line", "width"]

_COMMA = re.compile(r"[,，]")
_END = re.compile(r"[。;；!！?？:：]")


def wraps_sentence(before: str) -> bool:
    """Whether a space after ``before`` (the text since the last break) falls inside a sentence.

    >>> wraps_sentence("各级各部门要高度重视政务公开工作,强化组织领导,主要负责人要亲自过")
    True
    >>> wraps_sentence("一、总体要求"), wraps_sentence("市财政局牵头,市统计局配合"), wraps_sentence("做好公开。各单位")
    (False, False, False)
    """
    commas = list(_COMMA.finditer(before))
    if not commas or _END.search(before, commas[-1].end()):
        return False
    last_end = max((m.end() for m in _END.finditer(before)), default=0)
    if not any(m.start() >= last_end for m in commas):
        return False   # the comma belongs to a sentence that ended: a new one opened after it
    return not looks_like_units(before[last_end:].strip())


# A PDF's text extraction keeps its printed lines, a space (or a tab) at each line's end: every line of a
# paragraph but its last runs the page's full width (its first is indented two characters), wherever the
# line broke, before a sentence's first comma too (…工作的决策部 署,切实提升…).
_LINE_BREAK = re.compile(r"(?<![A-Za-z0-9\s])[ \t\u3000]+(?![A-Za-z0-9\s])|\t+")   # (2019 年: a digit's spacing)
_INDENT = 3.5   # a first line's two characters of indentation, and a half-width character's rounding


def width(text: str) -> float:
    """A text's printed width in characters: a letter or a digit is half of one, a space (a PDF's spacing
    around a number) none."""
    return sum(0 if c.isspace() else 0.5 if c.isascii() and c.isalnum() else 1 for c in text)


def printed_width(text: str) -> float | None:
    """The width of a full printed line when ``text`` is a PDF's lines joined by spaces: most of its
    long pieces between two spaces run within a few characters of the widest (at most 45 wide, as a
    page's line is); None for paragraphs a crawler joined (their lengths vary as paragraphs do).

    >>> line = "各级各部门要高度重视政务公开工作,强化组织领导,落实责任"
    >>> printed_width(" ".join([line, line[2:], line[1:], line[:-1], "确保完成。"]))
    28
    >>> printed_width("一、总体要求 2020年全市政务公开工作要以习近平新时代中国特色社会主义思想为指导,准确执行条例。 二、主要任务") is None
    True
    """
    pieces = [width(x) for x in _LINE_BREAK.split(text)]
    long = [w for w in pieces if w >= 12]
    lines = [w for w in long if w <= 45]
    if not lines:
        return None
    full = max(lines)
    near = [w for w in long if full - _INDENT <= w <= full]
    return full if len(near) >= 3 and len(near) * 2 >= len(long) else None


def fills_the_line(line: str, full: float | None) -> bool:
    """Whether ``line`` (a printed line's text) runs the full width, so that its paragraph goes on."""
    return full is not None and width(line) >= full - _INDENT
