"""A plan's own key to its unit notes: which of the listed units lead.

A plan may list every task's units in one note and say once, in the first note, how to read them:
``(责任单位:市发展改革委、市商务局,各区县政府。逗号前为牵头单位,多个牵头单位的按职责分别牵头,下同)``.
A reader takes the units before the comma as the task's leads and the rest as those who carry it out,
in that note and, as 下同 says, in every note after it; the key itself names no unit. Read without it,
every unit would carry the task out alike and the key's words (逗号前为牵头单位) would be units.

The key is said in the note's own words, so the note is rewritten as those words read: the units before
the first comma get 牵头 (``市发展改革委、市商务局牵头,各区县政府``), which :mod:`loaders.units` reads.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .blocks import Block

__all__ = ["apply_note_key"]

# 。逗号前为牵头单位,多个牵头单位的按职责分别牵头,下同 (up to the note's end): the key, no unit
_KEY = re.compile(r"[。;；,，]?\s*(?:其中\s*[,，]?\s*)?逗号前(?:面)?(?:的)?(?:单位)?(?:为|是)牵头(?:单位|部门)[^()（）]*")
_SAME_BELOW = re.compile(r"下同")
# A units note: its label, then the units (a 各县(市、区) inside kept whole by _note_end)
_NOTE_OPEN = re.compile(r"[(（]\s*(?:责任单位|责任部门|牵头单位|落实单位|责任主体)\s*[:：]")
_ROLE_SAID = re.compile(r"牵头|负责|配合|协助|会同|落实")


def _note_end(text: str, start: int) -> int | None:
    """Where the note opened at ``start`` closes (its own bracket, the inner ones matched), or None."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] in "(（":
            depth += 1
        elif text[k] in ")）":
            depth -= 1
            if depth == 0:
                return k
    return None


def _first_comma(body: str) -> int | None:
    """The first comma of a note's units outside inner brackets (各县(市,区)政府 holds none)."""
    depth = 0
    for k, ch in enumerate(body):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        elif ch in ",，" and depth == 0:
            return k
    return None


def _rewrite(text: str, active: bool) -> tuple[str, bool]:
    """``text`` with each units note read by the key (the key taken out), and whether the key holds
    after it."""
    out, at = [], 0
    for m in _NOTE_OPEN.finditer(text):
        if m.start() < at:
            continue
        end = _note_end(text, m.start())
        body = text[m.end(): end if end is not None else len(text)]
        key = _KEY.search(body)
        if key:
            body = body[: key.start()] + body[key.end():]
        here = active or bool(key)
        if key and _SAME_BELOW.search(key.group(0)):
            active = True
        comma = _first_comma(body) if here else None
        label = text[m.start(): m.end()]
        if comma is not None and not _ROLE_SAID.search(body[:comma]):
            body = body[:comma].rstrip() + "牵头" + body[comma:]
        elif here and comma is None and not _ROLE_SAID.search(body):
            # no comma: every unit listed stands before it (in a note the text cut short too, whose last
            # name may be cut: the label says it, the names are left as they are)
            label = label[:1] + "牵头单位:"
        out.append(text[at: m.start()] + label + body)
        at = end if end is not None else len(text)
    out.append(text[at:])
    return "".join(out), active


def apply_note_key(blocks: list[Block]) -> list[Block]:
    """The blocks with their units notes read by the plan's key (see the module's doc), when a note
    gives one; the blocks as they are otherwise.

    >>> lines = ["(一)公开规划。(责任单位:市发改委、市商务局,各区县政府。逗号前为牵头单位,下同)",
    ...          "(二)公开预算。(责任单位:市财政局,各区县政府)"]
    >>> [b.cells[0] for b in apply_note_key([Block((x,), i) for i, x in enumerate(lines)])]
    ['(一)公开规划。(责任单位:市发改委、市商务局牵头,各区县政府)', '(二)公开预算。(责任单位:市财政局牵头,各区县政府)']
    >>> lines = ["(一)公开规划。(责任单位:市发改委,各区县政府。逗号前为牵头单位,下同)", "(二)公开预算。(责任单位:市财政局)"]
    >>> apply_note_key([Block((x,), i) for i, x in enumerate(lines)])[1].cells[0]
    '(二)公开预算。(牵头单位:市财政局)'
    >>> apply_note_key([Block(("(一)公开预算。(责任单位:市财政局,各区县政府)",), 0)])[0].cells[0]
    '(一)公开预算。(责任单位:市财政局,各区县政府)'
    """
    if not any(_KEY.search(c) for b in blocks for c in b.cells):
        return blocks
    out, active = [], False
    for b in blocks:
        cells = []
        for c in b.cells:
            c, active = _rewrite(c, active)
            cells.append(c)
        out.append(replace(b, cells=tuple(cells)) if tuple(cells) != b.cells else b)
    return out
