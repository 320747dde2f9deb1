"""A unit cell shared by several numbered requirements of a table printed one cell a paragraph.

A table whose 具体要求 cell holds several numbered requirements (3.… 4.… 5.…) prints its unit cell once,
after the last of them: that cell is the unit cell of each. A row never carries the unit cell of a row
above into a new 工作任务 group (the short cell that opens one: ``做好财政信息公开``), so the requirements of a
group printed before its first unit cell wait for that cell instead of taking the one above.
"""
from __future__ import annotations

import re

from .normalize import normalize
from .numbering import classify
from .units import looks_like_units, units_in_prose

__all__ = ["group_cell", "share_column_cells", "share_unit_cell"]

_STOP = re.compile(r"[。;；!！:：]")


def group_cell(st, orig: str) -> bool:
    """Whether ``orig``, a paragraph between a table's rows, opens a new 工作任务 group: a short cell with
    no stop and no number, neither units nor a heading, right after a row that has its own unit cell.
    Then the unit cell above reaches no row of the group (``st.last_own`` cleared), and the group's rows
    printed before its first unit cell share that cell (:func:`share_unit_cell`).

    >>> from types import SimpleNamespace as S
    >>> def state(): return S(table=True, open_task=None, tasks=[S(assignments=[1], inherited_units=False)],
    ...                       scope="plan", last_own=[1], last_upper=[], group_from=-1)
    >>> group_cell(state(), "做好财政信息公开"), group_cell(state(), "办公室"), group_cell(state(), "按规定公开部门预算。")
    (True, False, False)
    """
    cell = normalize(orig).strip()
    last = st.tasks[-1] if st.tasks else None
    if not (st.table and st.scope == "plan" and last is not None and st.open_task in (None, last)
            and last.assignments and not last.inherited_units):
        return False
    kind, _, _ = classify(cell)
    if not (kind == "text" and 4 <= len(cell) <= 30 and not _STOP.search(cell) and not looks_like_units(orig)):
        return False
    st.last_own, st.last_upper, st.group_from = [], [], len(st.tasks)
    return True


def share_unit_cell(st, task, cells: list[str], first: bool = False) -> None:
    """``cells`` are the unit cells after ``task`` (``first`` as :meth:`_State.set_units` reads it): they
    are also the cells of the group's numbered requirements before ``task`` that have none (printed in
    the same 具体要求 cell), back to the group's first (see :func:`group_cell`)."""
    st.set_units(task, cells, first=first)
    _share_back(st, task)


def share_column_cells(st, task, cells: list, unknown: list) -> None:
    """As :func:`share_unit_cell`, for a row whose unit cells the header's columns name."""
    st.set_units_by_column(task, cells, unknown)
    _share_back(st, task)


def _share_back(st, task) -> None:
    start, st.group_from = st.group_from, -1
    if start < 0 or not task.assignments or task not in st.tasks:
        return
    k = st.tasks.index(task)
    while (k > start and not st.tasks[k - 1].assignments and st.tasks[k - 1].section == task.section
           and id(st.tasks[k - 1]) not in st.no_inherit and st.tasks[k - 1].number[:1].isdigit()
           and not units_in_prose(st.tasks[k - 1].text_norm, st.doc.region, st.doc.issuer, st.doc.level == "department")):
        k -= 1
        st.tasks[k].assignments = list(task.assignments)
