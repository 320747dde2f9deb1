"""A plan that numbers its parts with 1、 where the original has 一、.

A re-worded copy (a content farm's, or a writer's) may number the plan's parts 1、2、 and keep their
(一)(二) items under them. A reader of such a plan sees 1、 as the part it holds: the (一) items under it
are its sections, not a task's points. Read as a task, 1、 would be a task that asks nothing of its own
and its sections would hang from no part.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .blocks import Block
from .normalize import normalize
from .numbering import classify

__all__ = ["digit_parts"]

_CN = "一二三四五六七八九十"
_DIGIT_HEAD = re.compile(r"^(\s*)(\d{1,2})(\s*[、.．])")


def digit_parts(blocks: list[Block]) -> list[Block]:
    """The blocks with each 1、 item made a part (一、) when the plan has no part of its own after its
    first 1、 item and every 1、 item holds (一) items: the first numbered line after it is (一).

    >>> lines = ["1、做好公开工作", "(一)推进决策公开。各地要公开。", "(二)推进结果公开。", "2、加强平台建设",
    ...          "(一)办好网站。"]
    >>> [b.cells[0][:2] for b in digit_parts([Block((x,), i) for i, x in enumerate(lines)])]
    ['一、', '(一', '(二', '二、', '(一']
    >>> lines = ["1、做好公开工作。", "(1)推进决策公开。", "2、加强平台建设。"]
    >>> [b.cells[0][:2] for b in digit_parts([Block((x,), i) for i, x in enumerate(lines)])]
    ['1、', '(1', '2、']
    """
    kinds = []
    for b in blocks:
        if b.row or len(b.cells) != 1:
            kinds.append(("row", None))
            continue
        kind, number, _ = classify(normalize(b.cells[0]))
        kinds.append((kind, number))
    items = [i for i, (kind, _) in enumerate(kinds) if kind == "task"]
    if not items or any(kind in ("part", "row") for kind, _ in kinds[items[0]:]):
        return blocks
    numbers = [kinds[i][1] for i in items]
    if numbers != [str(n) for n in range(1, len(numbers) + 1)] or len(numbers) > len(_CN):
        return blocks
    for i in items:
        first = next((kinds[j] for j in range(i + 1, len(kinds)) if kinds[j][0] != "text"), None)
        if first != ("section", "(一)"):
            return blocks
    out = list(blocks)
    for i in items:
        text = blocks[i].cells[0]
        m = _DIGIT_HEAD.match(text)
        if m is None:
            return blocks
        out[i] = replace(blocks[i], cells=(m.group(1) + _CN[int(m.group(2)) - 1] + "、" + text[m.end():].lstrip(),))
    return out
