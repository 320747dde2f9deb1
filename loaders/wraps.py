"""A space inside a sentence is a line wrap, not a paragraph break.

A PDF's text extraction, or a page whose lines were joined with a space, keeps a space where a printed
line wrapped (…工作的决策部 署,切实提升…; …主要负责人要亲自过 问、定期听取汇报…). Chinese prose has no
space inside a sentence, so a space between two characters is read as a paragraph break; but a
sentence that has gone past a comma and not yet ended is no paragraph's end: a space there wraps it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .places import is_place
from .units import looks_like_units

__all__ = ["wraps_sentence", "printed_width", "fills_the_line", "width", "splits_a_word", "unwrapped", "closed_wraps", "lines_unwrapped"]

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


# The words a unit's or a place's name is made of: a space inside one (河南省人 民政府, 责任 单位) is a PDF's
# line wrap, never a paragraph's end nor a cell's.
_NAME_WORD = re.compile(r"人民政府|人民|政府|单位|部门|办公厅|办公室|委员会|管委会|示范区|开发区|省辖市|省直管")
# A name's tail standing alone after a space (…各省直管县(市) 人民 政府,): it ends the name before it.
_NAME_TAIL = re.compile(r"(?:人民政府|人民|政府|民政府|单位|部门|管委会|办公厅|办公室)(?=[\s,，、:：;；。)）]|$)")
# What a cited document is cited for (按照《…》(…号) 要求,; 现将《…》(…号) 转发给你们): the sentence goes on
# after the citation.
_CITED_FOR = re.compile(r"(?:要求|精神|规定|部署|安排)[,，]|(?:转发|印发)给")


def splits_a_word(v: str, a: int, z: int) -> bool:
    """Whether the space ``v[a:z]`` falls inside a word, as a PDF's line wrap leaves one: inside a name
    (河南省人 民政府; a place, 河 南省), before a name's tail standing alone (县(市) 人民 政府,), inside a
    title in book-title marks (《…责任单位 的通知》), or between a citation and what it is cited for
    (《…》(豫政〔2021〕6号) 要求,).

    >>> t = "按照《河南省人 民政府关于明确责任单位 的通知》(豫政〔2021〕6号) 要求,各省直管县(市) 人民 政府,"
    >>> [t[k - 2:k + 3] for k in range(len(t)) if t[k] == " " and splits_a_word(t, k, k + 1)]
    ['省人 民政', '单位 的通', '号) 要求', '市) 人民', '人民 政府']
    >>> splits_a_word("做好公开。 区财政局", 5, 6), splits_a_word("市发改局 市财政局", 4, 5)
    (False, False)
    """
    if not 0 < a < z < len(v):
        return False
    before, after = v[max(0, a - 8):a], v[z:z + 8]
    joined = before + after
    for m in _NAME_WORD.finditer(joined):
        if m.start() < len(before) < m.end():
            return True
    for n in range(2, 6):   # a place of the divisions table cut in two (河 南省, 焦作 市)
        for i in range(max(0, len(before) - n + 1), len(before)):
            if i + n > len(before) and i + n <= len(joined) and is_place(joined[i:i + n]):
                return True
    tail = _NAME_TAIL.match(after)
    if tail and not re.match(r"[ \u3000\xa0]{2}", v[z + tail.end():z + tail.end() + 2]):
        return True   # (二、工作分工 办公室  组织…: a name a wide space sets before its duties opens an entry)
    opened = v[max(0, a - 60):a]
    if opened.rfind("《") > opened.rfind("》"):
        return True
    return before[-1:] in "》)）" and "《" in opened and _CITED_FOR.match(v, z) is not None


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def closes_up(v: str, a: int, z: int, pdf: bool) -> bool:
    """Whether the space ``v[a:z]``, which the reflow read as no break, goes from the text as a reader
    reads it: between two Chinese characters, inside a word (河南省人 民政府, 责任 单位) or anywhere in a
    PDF's lines (``pdf``: the text has a printed line width), a wrap has no width. A space that the
    reflow kept inside a crawler's text for another reason (a sentence past its comma) may stand
    between two names (市发改局 市财政局): it stays."""
    return 0 < a < z < len(v) and _cjk(v[a - 1]) and _cjk(v[z]) and (pdf or splits_a_word(v, a, z))


def unwrapped(orig: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``orig[start:end]`` stripped, without the wrap spaces ``spans`` (see :func:`closes_up`).

    >>> unwrapped("按照《河南省人 民政府的通知》,", 0, 16, [(7, 8)])
    '按照《河南省人民政府的通知》,'
    """
    out, at = [], start
    for a, z in spans:
        if start <= a and z <= end:
            out.append(orig[at:a])
            at = z
    out.append(orig[at:end])
    return "".join(out).strip()


_ONE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def closed_wraps(block, view):
    """A line of a document that kept its line breaks, without the wrap spaces inside it (a PDF's
    paragraph printed as one line: 按照《河南省人 民政府…》, (责任 单位: …)), by the rule the reflow cuts
    a flattened text by (:func:`closes_up`); a table's row (a pipe row too), or a line with no such space, as it is.

    >>> from loaders.blocks import Block
    >>> closed_wraps(Block(("(一) 做好公开.(责任 单位: 各市政府)",)), str).cells
    ('(一) 做好公开.(责任单位: 各市政府)',)
    >>> closed_wraps(Block(("市发改局 市财政局",)), str).cells
    ('市发改局 市财政局',)
    """
    if block.row or len(block.cells) != 1 or "|" in block.cells[0] or not _ONE_SPACE.search(block.cells[0]):
        return block
    orig = block.cells[0]
    v = view(orig)
    pdf = printed_width(orig) is not None
    spans = [(m.start(), m.end()) for m in _ONE_SPACE.finditer(v) if closes_up(v, m.start(), m.end(), pdf)]
    return replace(block, cells=(unwrapped(orig, 0, len(orig), spans),)) if spans else block


def lines_unwrapped(blocks: list, view) -> list:
    """The blocks of a document that kept its line breaks, each line without its wrap spaces (the
    same list when no line holds one)."""
    out = [closed_wraps(b, view) for b in blocks]
    return blocks if all(a is b for a, b in zip(out, blocks)) else out
