"""A unit line a lined document lost into the paragraph above it (or below it).

A plan that prints who answers for a paragraph on a line of its own after it (…及时准确传递政策意图。 /
市金融办、人民银行某市中心支行分别牵头落实) keeps that line in its text and Word forms; its PDF (or a page)
joins a line that fills the width to the next one, so one paragraph whose last line reaches the margin
arrives with its unit line glued after its full stop. In a document that prints its unit lines on lines
of their own, such a tail is that line: it is cut off again, so the paragraph's units are its own and
not those of the next unit line. The tail must be units and role words only, by the rule the reflow cuts
a flattened text by (:func:`loaders.cells.unit_line_end`): 市财政局要…, 市统计局召开…, 市财政局牵头,做好…
say more than who, and stay the paragraph's sentences.

A unit line long enough to reach the margin itself (…、市统计局按照职责分工负责) is so joined to the paragraph
after it: a paragraph that opens with a printed line's worth of names ended by a role word that takes no
object (牵头落实, 按照职责分工负责, 配合落实 …) and then a sentence of its own (加强金融政策信息公开,…。) is
that unit line and its paragraph. (A short subject, 县财政局负责做好…, or a role word that takes one,
各乡镇配合做好…, is the paragraph's sentence.)
"""
from __future__ import annotations

import re
from dataclasses import replace

from .cells import unit_line_end
from .wraps import width

__all__ = ["unit_lines_unglued"]

_STOPS = "。;"
_TRAILING = " 。.;,"
# Role words that end a note and take no object, unlike 负责/牵头/配合 alone (…负责做好…).
_NOTE_END = re.compile(r"(?:牵头|负责|配合|协助|共同|分别)落实$|按照?(?:职责|职能)(?:分工)?(?:负责|落实)$|分别(?:牵头|负责)$")
_NOTE_WORDS = re.compile(_NOTE_END.pattern.replace("$", ""))   # (the same, anywhere: a cheap first test)
_LINE = 26   # a printed line's characters, at the least (公文: 28 a line, less its two of indentation)


def _is_unit_line(v: str) -> bool:
    v = v.strip()
    # (a full stop before the end ends a sentence: no line of names and role words holds one)
    return bool(v) and "。" not in v[:-1] and unit_line_end(v, 0, len(v)) == len(v)


def _tail_at(v: str) -> int | None:
    """Where a unit line glued after the paragraph's last full stop starts, or None."""
    end = len(v.rstrip(_TRAILING))
    i = max(v.rfind(c, 0, end) for c in _STOPS) + 1
    if i <= 0 or i >= end:
        return None
    z = unit_line_end(v, i, len(v))
    if z is None or v[z:].strip(_TRAILING) or not v[:i - 1].strip() or _is_unit_line(v[:i - 1]):
        return None   # (市发改局牵头落实;市工信局…按职责分工分别落实: one note of two clauses, no paragraph)
    return i


def _head_end(v: str) -> int | None:
    """Where a unit line that filled its printed line, glued before the paragraph after it, ends: what
    follows holds a sentence of its own (the paragraph, its own unit line glued after it or not)."""
    if not _NOTE_WORDS.search(v):
        return None
    z = unit_line_end(v, 0, len(v))
    if z is None or width(v[:z]) < _LINE or not _NOTE_END.search(v[:z]):
        return None
    rest = v[z:].strip()
    stop = min((k for k in (rest.find(c) for c in _STOPS) if k >= 0), default=-1)
    return z if stop >= 10 else None


def unit_lines_unglued(blocks: list, view) -> list:
    """The blocks of a lined document with each paragraph's glued unit line a line of its own again,
    when the document prints at least one unit line on a line of its own (the same list when none is
    glued, or the document prints none so: its paragraphs then end in their notes as written).

    >>> from loaders.blocks import Block
    >>> lines = ["1.加强就业政策公开。", "市人社局牵头落实", "2.及时传递政策意图。市金融办牵头落实", "3.公开财政收支。"]
    >>> [b.cells[0] for b in unit_lines_unglued([Block((x,), i) for i, x in enumerate(lines)], str)]
    ['1.加强就业政策公开。', '市人社局牵头落实', '2.及时传递政策意图。', '市金融办牵头落实', '3.公开财政收支。']
    >>> [b.cells[0] for b in unit_lines_unglued([Block((x,)) for x in ["做好解读。", "市人社局负责",
    ...                                          "发布指标。市统计局召开发布会,市财政局配合"]], str)][-1]
    '发布指标。市统计局召开发布会,市财政局配合'
    """
    texts = [b.cells[0] if not b.row and len(b.cells) == 1 and "|" not in b.cells[0] else None for b in blocks]
    views = [view(t) if t is not None else None for t in texts]
    if not any(v is not None and _is_unit_line(v) for v in views):
        return blocks
    out, changed = [], False
    for b, orig, v in zip(blocks, texts, views):
        if orig is None:
            out.append(b)
            continue
        h = _head_end(v)
        if h is not None:
            out.append(replace(b, cells=(orig[:h].strip(),)))
            orig = orig[h:].strip()
            v = view(orig)
        k = _tail_at(v)
        pieces = [orig[:k].rstrip(), orig[k:].strip()] if k is not None else [orig]
        out += [replace(b, cells=(p,)) for p in pieces] if h is not None or k is not None else [b]
        changed = changed or h is not None or k is not None
    return out if changed else blocks
