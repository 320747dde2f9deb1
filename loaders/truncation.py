"""What the end of a cut text leaves half-written in a unit cell.

A download or a stored excerpt may stop inside the last row's unit cell (…市金融办、人民银): the names
before the cut are whole and stay the row's units; the last one is no unit's name (a name ends like a
unit: 局, 办, 行 …) and is dropped, and the document says it is truncated, as a row cut mid-text does.
"""
from __future__ import annotations

import re

from .normalize import normalize
from .units import is_unit_name, looks_like_units

__all__ = ["cut_unit_fragment", "drop_cut_unit"]

_ITEM_SPLIT = re.compile(r"[、,，;；/\s]")
_WHOLE_END = "。;；!！)）]】"


def cut_unit_fragment(cell: str) -> str | None:
    """The fragment a cut left at the end of a unit cell (normalized), or None when the cell ends whole.

    >>> cut_unit_fragment("市发改委、市财政局、市金融办、人民银")
    '人民银'
    >>> cut_unit_fragment("市发改委、人民银行潍坊市中心支行"), cut_unit_fragment("市财政局牵头落实")
    (None, None)
    """
    text = normalize(cell).strip()
    if not text or text[-1] in _WHOLE_END or not looks_like_units(text):
        return None
    items = [x for x in _ITEM_SPLIT.split(text) if x]
    if len(items) < 2 or not all(is_unit_name(x) for x in items[:-1]):
        return None   # (one name alone that ends like none is prose, not a cut cell)
    last = items[-1]
    return None if is_unit_name(last) else last


def drop_cut_unit(st, last_cell: str) -> None:
    """The text ends inside ``last_cell``, a unit cell: the document is truncated, and the cut name is
    taken out of every place the parse put it (the open row, the units the next rows would inherit,
    the unit lines of a section's prose)."""
    fragment = cut_unit_fragment(last_cell)
    if not fragment:
        return
    st.doc.truncated = True
    st.doc.warnings.append(f"truncated: the text ends mid-cell ({fragment}… dropped)")

    def keep(units: list) -> list:
        return [a for a in units if normalize(a.name) != fragment and a.short_name != fragment]

    for t in st.tasks[-3:]:
        t.assignments = keep(t.assignments)
    st.last_own, st.last_upper = keep(st.last_own), keep(st.last_upper)
    for path, units in list(st.section_units.items()):
        st.section_units[path] = keep(units)
    for path, marks in st.line_units.items():
        st.line_units[path] = [(at, keep(units)) for at, units in marks]
