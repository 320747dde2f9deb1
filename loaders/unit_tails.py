"""A unit line a lined document lost into the paragraph above it.

A plan that prints who answers for a paragraph on a line of its own after it (…及时准确传递政策意图。 /
市金融办、人民银行某市中心支行分别牵头落实) keeps that line in its text and Word forms; its PDF (or a page)
joins a line that fills the width to the next one, so one paragraph whose last line reaches the margin
arrives with its unit line glued after its full stop. In a document that prints its unit lines on lines
of their own, such a tail is that line: it is cut off again, so the paragraph's units are its own and
not those of the next unit line. The tail must be units and role words only, by the rule the reflow cuts
a flattened text by (:func:`loaders.cells.unit_line_end`): 市财政局要…, 市统计局召开…, 市财政局牵头,做好…
say more than who, and stay the paragraph's sentences.
"""
from __future__ import annotations

from dataclasses import replace

from .cells import unit_line_end

__all__ = ["unit_lines_unglued"]

_STOPS = "。;"
_TRAILING = " 。.;,"


def _is_unit_line(v: str) -> bool:
    v = v.strip()
    return bool(v) and unit_line_end(v, 0, len(v)) == len(v)


def _tail_at(v: str) -> int | None:
    """Where a unit line glued after the paragraph's last full stop starts, or None."""
    end = len(v.rstrip(_TRAILING))
    i = max(v.rfind(c, 0, end) for c in _STOPS) + 1
    if i <= 0 or i >= end or not v[:i - 1].strip():
        return None
    z = unit_line_end(v, i, len(v))
    return i if z is not None and not v[z:].strip(_TRAILING) else None


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
    if not any(t is not None and _is_unit_line(view(t)) for t in texts):
        return blocks
    out, changed = [], False
    for b, orig in zip(blocks, texts):
        k = _tail_at(view(orig)) if orig is not None else None
        if k is None:
            out.append(b)
            continue
        out += [replace(b, cells=(orig[:k].rstrip(),)), replace(b, cells=(orig[k:].strip(),))]
        changed = True
    return out if changed else blocks
