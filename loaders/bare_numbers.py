"""A document's own number that lost its brackets and its 号 (a page's or a crawler's text): ``中县政务公开202210``,
``X政办2023 5``, ``X政办〔2023〕5``. Read only where a number stands: on a line of its own beside the title.
"""
from __future__ import annotations

import re

__all__ = ["bare_number", "number_beside_title", "number_after_title", "cited_bare_numbers"]

# The prefix (an abbreviation: 中县政务公开, 某政办), the year, the serial; brackets and 号 each perhaps lost, a
# space perhaps where the closing bracket was.
_BARE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,10}?)\s*([〔\[【(（［])?\s*(20[0-3]\d)\s*([〕\]】)）］])?(\s*)(\d{1,3})\s*(号)?$")
# An office's name, the signer's (its signing date glued after it): no number's prefix
SIGNER_END = re.compile(r"(?:办公厅|办公室|政府|局|委员会|委|厅|中心|小组|管委会|部|院|所)$")
# What a line of a page's fields or a signature holds before digits: no number's prefix
_NOT_PREFIX = re.compile(r"时间|日期|发布|更新|来源|索引|浏览|访问|电话|邮编|传真|[年月日]$")
_NEAR = 5   # lines above or below the title where its number stands (a page's info line may come between)


def bare_number(line: str, ending: bool = False) -> str | None:
    """The number a line of its own holds with its brackets and 号 lost, canonical; or None.

    >>> [bare_number(x) for x in ("中县政务公开202210", "某政办2023 5", "某政办〔2023〕5", "某政办发〔2023〕5号")]
    ['中县政务公开〔2022〕10号', '某政办〔2023〕5号', '某政办〔2023〕5号', None]
    >>> [bare_number(x) for x in ("某局办公室2016628", "发布时间2022 10", "某镇人民政府2022728")]
    [None, None, None]
    """
    m = (_BARE.search if ending else _BARE.match)(line.strip())   # ``ending``: what ends the text (…06某政办202305)
    if m is None:
        return None
    prefix, opened, year, closed, space, serial, hao = m.groups()
    if opened and closed and hao:
        return None   # a whole number: the number readers' own
    if SIGNER_END.search(prefix) or _NOT_PREFIX.search(prefix):
        return None   # a signature's glued date (某局办公室2016628), a page's field
    return f"{prefix}〔{year}〕{int(serial)}号"


def number_beside_title(lines: list[str], title_at: int) -> str | None:
    """The first bare number on a line of its own within a few lines of the title (above it, as a page
    prints the number over a repeated title, or below it), or glued to a title's start or end; never
    past the addressees' line.

    >>> number_beside_title(["某县关于印发某方案的通知", "某政办2023 5", "各乡镇:"], 0)
    '某政办〔2023〕5号'
    >>> number_beside_title(["某县关于印发某方案的通知", "来源:某县 时间:", "某政办202305关于印发某方案的通知"], 0)
    '某政办〔2023〕5号'
    """
    for i in [title_at, *range(title_at + 1, title_at + 1 + _NEAR), *range(title_at - 1, title_at - 1 - _NEAR, -1)]:
        if not 0 <= i < len(lines):
            continue
        line = lines[i].strip()
        if i > title_at and "各" in line and line.endswith((":", "：")):
            break
        # on a line of its own, or glued to the title it heads or ends (中县政务公开202210关于印发…的通知, its
        # line breaks lost; …的通知某政办2023 5)
        parts = [line] * (i != title_at)
        parts = [(p, False) for p in parts]
        if (k := line.find("关于")) > 0:
            parts.append((line[:k], True))
        if (k := line.rfind("的通知")) >= 0:
            parts.append((line[k + 3:], False))
        for part, ending in parts:
            if no := bare_number(part, ending):
                return no
    return None


# (the number in brackets right after a title in 《》: 《…的通知》(豫政办〔2021〕 26号))
_AFTER_TITLE = re.compile(r"》\s*[(（]\s*([\u4e00-\u9fff]{1,12}?)\s*[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]\s*(\d{1,4})\s*号\s*[)）]")


def number_after_title(lines: list[str], title: str | None) -> str | None:
    """The number printed right after the document's own title where a sentence names it in 《》: a
    forwarding notice's (现将《X关于印发…的通知》(豫政办〔2021〕26号)转发给你们), the only place the forwarded
    plan's own number stands once the plan is what was read. Another title's number is a citation.

    >>> number_after_title(["现将《某省人民政府办公厅关于印发某要点的", "通知》(某政办〔2021〕 6号) 转发给你们。",
    ...                     "某省人民政府办公厅关于印发某要点的通知"], "某省人民政府办公厅关于印发某要点的通知")
    '某政办〔2021〕6号'
    >>> number_after_title(["按照《某省关于某事的通知》(某政〔2021〕6号)要求,"], "某县关于印发某要点的通知") is None
    True
    >>> number_after_title(["落实《某站关于某事的通知》(某政〔2021〕6号)和《某站关于某事的通知》(某办〔2021〕2号)"], "某站关于某事的通知") is None
    True
    """
    if not title or len(title) < 8:
        return None
    text = "".join(line.strip() for line in lines[:40])
    found = set()
    for k in (k.start() for k in re.finditer(re.escape("《" + title + "》"), text)):
        if m := _AFTER_TITLE.match(text, k + len(title) + 1):
            found.add(f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号")
    # (two numbers after the one title: a mirror that wrote its own words for every title, no one's number)
    return found.pop() if len(found) == 1 else None


# 《…工作要点的通知》(川办发202310): a cited number in brackets right after its 《title》, its own brackets and
# its 号 lost; the four digits after the prefix are the year, the rest the serial
_CITED_BARE = re.compile(r"》\s*[(（]\s*([\u4e00-\u9fff]{2,8}?(?:发|办|函|字))\s*(20[0-3]\d)\s*(\d{1,3})\s*[)）]")


def cited_bare_numbers(text: str) -> list[str]:
    """Numbers cited after a 《title》 whose brackets and 号 were lost, canonical, in order.

    >>> cited_bare_numbers("落实《某省关于印发某要点的通知》(川办发202310)和《某市…的通知》(资市府办发20236)精神")
    ['川办发〔2023〕10号', '资市府办发〔2023〕6号']
    >>> cited_bare_numbers("《某办法》(2023年修订)")
    []
    """
    return [f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号" for m in _CITED_BARE.finditer(text)]
