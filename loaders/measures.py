"""A task's measures printed as rows of their own under its merged number and title cells.

A table whose 序号 and 任务 cells span several rows prints each measure (具体要求) with its own unit
cell (and deadline) beside it. Flattened, or read back from a table printed one cell a line, the row
is one run of text: …传递政策意图。发展改革委、财政厅 召开季度新闻发布会…。发展改革委、统计局. A sentence's
end, then a unit's name, then the next measure mark where each measure's row ends.
"""
from __future__ import annotations

import re

from .cells import DEADLINE_HEAD, unit_name_end

__all__ = ["measures"]

_SENTENCE_END = re.compile(r"。\s?")
# What goes on after a unit that is a sentence's subject, not a cell of its own (市财政局要…, 市财政局会同…).
_SUBJECT_GOES_ON = re.compile(r"[要应将须对在于和及与等同会牵负配协的、,，;；:：(（]|按(?:照|要求|规定|职)")


def measures(text: str, table: list, view) -> list[tuple[str, str, str]]:
    """(text, units, deadline) of each measure but the last, whose text only is given (its cells are the
    row's own); [] when the text holds one measure. ``view`` is the reflow's same-length view.

    Where the header puts a deadline after the units, a sentence's end, a unit's name and a deadline
    together mark the end of a row. Where the units are the row's last cells (序号 | 任务 | 有关要求 |
    责任单位), a list of names after a sentence's end marks it when the next measure's words follow the
    list (the reflow's text has lost the spaces between cells): one name, or names the sentence goes on
    from (市财政局要…, 市财政局、市税务局按照…), is the next measure's subject.

    >>> cols = [type("C", (), {"kind": k})() for k in ("number", "task", "requirement", "units")]
    >>> [m[:2] for m in measures("传递政策意图。发展改革委、财政厅召开新闻发布会,发布重要数据。", cols, lambda s: s)]
    [('传递政策意图。', '发展改革委、财政厅'), ('召开新闻发布会,发布重要数据。', '')]
    >>> measures("传递政策意图。市财政局、市统计局要召开新闻发布会,发布重要数据。", cols, lambda s: s)
    []
    """
    kinds = [c.kind if c else "text" for c in table]
    if "units" not in kinds:
        return []
    dated = "deadline" in kinds[kinds.index("units"):]
    if not dated and (kinds[-1] != "units" or "number" not in kinds):
        return []
    v = view(text)
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(v):
        k = m.end()
        z = unit_name_end(v, k, len(v))
        names = 1
        while z is not None and v[z:z + 1] in ("、", ","):
            nxt = unit_name_end(v, z + 1, len(v), loose=True)   # (in a list, a name need only end like a unit)
            if nxt is None:
                break
            z, names = nxt, names + 1
        if z is None:
            continue
        if dated:
            d = DEADLINE_HEAD.match(v, z)
            if d is None or d.end() == z or len(v) - d.end() < 8:
                continue
            end = d.end()
        else:
            rest = v[z:].lstrip()
            if len(rest) < 8 or names < 2 or _SUBJECT_GOES_ON.match(rest):
                continue
            end = z
        out.append((text[pos:k].strip(), text[k:z].strip(), text[z:end].strip()))
        pos = end
    if not out:
        return []
    return out + [(text[pos:].strip(), "", "")]
