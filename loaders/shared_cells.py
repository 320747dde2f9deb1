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

__all__ = ["group_cell", "merged_lead", "share_column_cells", "share_unit_cell"]

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


def share_unit_cell(st, task, cells: list[str], first: bool = False, block=None) -> None:
    """``cells`` are the unit cells after ``task`` (``first`` as :meth:`_State.set_units` reads it): they
    are also the cells of the group's numbered requirements before ``task`` that have none (printed in
    the same 具体要求 cell), back to the group's first (see :func:`group_cell`). ``block``, the row they
    are read from, says whether an empty cell was printed right before them (no merged cell left out)."""
    st.set_units(task, cells, first=first, merged=not printed_empty_before(block, cells))
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


def merged_lead(st, task, missing_roles, flat: bool = False) -> list:
    """The lead a row takes from a merged 牵头 cell: a table prints a cell shared by several rows once, on
    its first row, so a row that prints fewer unit cells than the header has, its 牵头 column left out
    (``missing_roles``: the roles of the leading unit columns it did not print), is led by the row above's
    lead, as the same table's rowspan or merged Word cell gives it. Only from the row right above in the
    same section (a heading row closes a merged cell), and only when that row has a lead.

    ``flat``: the row's text lost its cell breaks, so an empty 牵头 cell and a merged one look the same
    (``missing_roles``: the unit columns found empty). A table that leaves a 牵头 cell empty where nothing
    above could be merged into it (its first row, a row under a new heading or under a row with no lead:
    平潭 2022's rows 1-2, whose page prints them empty) leaves its other empty ones empty too; a table that
    never does so merged them, as its lined form shows (南平 2021's row 6 under row 5's 牵头 cell).

    >>> from types import SimpleNamespace as S
    >>> lead, other = S(role="lead"), S(role="implement")
    >>> above, row = S(section=("一", "(二)"), assignments=[lead, other]), S(section=("一", "(二)"), assignments=[])
    >>> st = S(tasks=[above, row], last_own=[lead, other], scope="plan")
    >>> merged_lead(st, row, ["lead"]) == [lead], merged_lead(st, row, [None]), merged_lead(st, row, [])
    (True, [], [])
    >>> first = S(section=("二",), assignments=[])
    >>> merged_lead(S(tasks=[above, first], last_own=[lead], scope="plan"), first, ["lead"])
    []
    >>> flat = S(tasks=[first], last_own=[], scope="plan")
    >>> merged_lead(flat, first, ["lead"], flat=True), flat.tasks.append(above), flat.tasks.append(row)
    ([], None, None)
    >>> flat.last_own = [lead, other]; merged_lead(flat, row, ["lead"], flat=True)   # (this table leaves them empty)
    []
    """
    if ("lead" not in missing_roles or st.scope != "plan" or not st.tasks or st.tasks[-1] is not task
            or any(a.role == "lead" for a in task.assignments) or (flat and getattr(st, "empty_leads", False))):
        return []   # (a row whose lead is printed, or a measure row adding units to its task's)
    above = st.tasks[-2] if len(st.tasks) >= 2 else None
    carried = [] if above is None or above.section != task.section else [
        a for a in st.last_own if a.role == "lead" and any(a is b for b in above.assignments)]
    if flat and not carried:
        st.empty_leads = True   # (set on the parse's state: this table prints empty 牵头 cells)
    return carried


def printed_empty_before(block, cells: list[str]) -> bool:
    """Whether the row printed an empty cell right before its first unit cell (``| | 区财政局 |``): a
    column left empty, not a cell merged with the row above (which the row does not print at all).

    >>> from loaders.blocks import row_block
    >>> printed_empty_before(row_block(["2.做好采购公开", "", "各乡镇"], 1), ["各乡镇"])
    True
    >>> printed_empty_before(row_block(["2.做好采购公开", "各乡镇", ""], 1), ["各乡镇"])
    False
    """
    if block is None or not cells or cells[0] not in block.cells:
        return False
    return block.cells.index(cells[0]) - 1 in block.emptied
