"""A space inside a sentence is a line wrap, not a paragraph break.

A PDF's text extraction, or a page whose lines were joined with a space, keeps a space where a printed
line wrapped (…工作的决策部 署,切实提升…; …主要负责人要亲自过 问、定期听取汇报…). Chinese prose has no
space inside a sentence, so a space between two characters is read as a paragraph break; but a
sentence that has gone past a comma and not yet ended is no paragraph's end: a space there wraps it.
"""
from __future__ import annotations

import re

from .units import looks_like_units

__all__ = ["wraps_sentence"]

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
