"""An interpretation (解读) written as questions and answers (问:…制定背景 / 答:…).

Each question is a heading of its own and its answer the text under it, read as an interpretation's
prose: a question about the background or the basis (背景, 依据) asks nothing, and the sentences of the
other answers describe the plan, one task each. The answer's own 1、2、 only count its points (the
plan's parts, the documents it rests on); they are no numbering of the plan's tasks.
"""
from __future__ import annotations

import re

from .blocks import Block

__all__ = ["split_qa", "qa_line"]

# 问: / 答: where a question or an answer opens: at a line's start, after a sentence's end, or (答:) right
# after its question, which a text that lost its line breaks glues to it (…的背景和目标答:2021年是…).
_MARK = re.compile(r"[问問答][:：]")
_NOT_MARK = "回提询詢疑解访訪咨諮设設追请請"   # 回答: 提问: 解答: … are words, no question or answer
_QUESTION = re.compile(r"^\s*[问問][:：]\s*(.+)$")
_ANSWER = re.compile(r"^\s*答[:：]\s*")
# An answer's point number: 1、 1. (1) ① 一、 (一)
_POINT = re.compile(r"^\s*(?:\d{1,2}\s*[、.．)）](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])\s*")

_INNER_POINT = re.compile(r"(?<=[。;；!！?？])\s*\d{1,2}\s*[、．](?!\d)")
# A point's title too short to pass for a sentence of its own (4、强化组织保障。包括…): kept as its siblings are
_SHORT_TITLE = re.compile(r"\s*([^。;；:：!！?？,，]{2,9}[。.])\s*(?=\S)")


def _is_qa(blocks: list[Block]) -> bool:
    text = "\n".join(b.cells[0] for b in blocks[:80] if not b.row and len(b.cells) == 1)[:6000]
    starts = [m.start() for m in _MARK.finditer(text) if m.start() == 0 or text[m.start() - 1] not in _NOT_MARK]
    asks = sum(1 for k in starts if text[k] in "问問")
    return asks >= 2 and len(starts) - asks >= 2


def split_qa(blocks: list[Block]) -> list[Block]:
    """The blocks of a Q&A with each question and each answer opening a block of its own (a text whose
    line breaks were lost holds several on one line); any other document's blocks as they are.

    >>> bs = [Block(("问:某市2021年要点的制定背景答:为了推进公开。问:主要内容。答:1、做好公开。",), 1),
    ...       Block(("2、加强培训。",), 2)]
    >>> [b.cells[0] for b in split_qa(bs)]
    ['问:某市2021年要点的制定背景', '答:为了推进公开。', '问:主要内容。', '答:1、做好公开。', '2、加强培训。']
    """
    if not _is_qa(blocks):
        return blocks
    out: list[Block] = []
    for b in blocks:
        if b.row or len(b.cells) != 1:
            out.append(b)
            continue
        s, at = b.cells[0], 0
        cuts = [m.start() for m in _MARK.finditer(s)
                if m.start() > 0 and s[m.start() - 1] not in _NOT_MARK
                and (s[m.start() - 1] in "。.?？!！;；)） \u3000" or s[m.start()] == "答")]
        for k in cuts:
            if s[at:k].strip():
                out.append(Block((s[at:k],), b.line))
            at = k
        out.append(Block((s[at:],), b.line) if at else b)
    return out


def qa_line(st, block: Block, cell: str) -> bool:
    """Read one line of a Q&A into the parser's state: a question opens a section (问1, 问2 …), an
    answer's lines are its prose, their point numbers taken off. False for a line of any other text."""
    q = _QUESTION.match(cell)
    if not q and not (st.part and st.part[0].startswith("问")):
        return False
    st.close_task()
    if q:
        number = f"问{1 + sum(1 for s in st.sections if s.number.startswith('问'))}"
        st.part = st.section = st.open_section((number,), number, q.group(1).strip().rstrip("。.?？ "), 1)
        return True
    text, orig = _ANSWER.sub("", cell, count=1), _ANSWER.sub("", block.cells[0], count=1)
    # each point (…等4方面的公开工作。2、进一步推进…: the points of an answer whose line breaks were lost) with
    # its number taken off; a short title at its head is a sentence the prose reader keeps, as it keeps a
    # longer one (进一步推进决策公开和公众参与。)
    titles = st.__dict__.setdefault("point_titles", set())
    titles.update(_short_titles(text))
    text, orig = _points(text), _points(orig)
    if text.strip():
        st.bodies.setdefault(st.section, []).append((text, orig, block.line))
    return True


def _point_spans(text: str) -> list[tuple[int, int]]:
    starts = [m.end() for m in _POINT.finditer(text)][:1] + [m.end() for m in _INNER_POINT.finditer(text)]
    return list(zip(starts, [m.start() for m in _INNER_POINT.finditer(text)] + [len(text)]))


def _points(text: str) -> str:
    """An answer's text with its points' numbers taken off.

    >>> _points("1、强化组织保障。包括加强培训等3点内容。2、做好公开。")
    '强化组织保障。包括加强培训等3点内容。做好公开。'
    """
    spans = _point_spans(text)
    if not spans:
        return text
    return ("" if _POINT.match(text) else text[:spans[0][0]]) + "".join(text[a:z] for a, z in spans)


def _short_titles(text: str) -> list[str]:
    """The short titles heading an answer's points (1、强化组织保障。包括… → 强化组织保障).

    >>> _short_titles("1、强化组织保障。包括加强培训等3点内容。2、进一步推进决策公开和公众参与。包括…")
    ['强化组织保障']
    """
    return [m.group(1).strip("。. ") for a, z in _point_spans(text) if (m := _SHORT_TITLE.match(text, a, z))]
