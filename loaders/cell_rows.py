"""Rows of a task table that carry no number: printed one cell a line with no full stop in their
text, or pipe rows (重点任务 | 工作内容 | 负责科室) numbered by position.

Printed one cell a line (重点任务 / 工作内容 / 负责科室, each a line), a row's text is known as a task's
by its sentence (…准确回复。); a requirement with no full stop (注重政务服务办理流程、办理结果等信息发布)
is a row's text all the same when a unit cell follows it: the text cells since the last row make a row
of their own, numbered by position, instead of giving their unit cell to the row above.
"""
from __future__ import annotations

import re

from .blocks import Block
from .columns import HEADER_RUN, HEADER_WORD, column_meaning
from .deadlines import parse_deadlines
from .normalize import normalize
from .numbering import classify
from .units import looks_like_units

__all__ = ["absorb_loose", "merged_number_row", "grouped_cell_lines", "group_column_rows", "header_lines_open_table", "loose_row",
           "numbered_rows_enough", "numbered_unit_rows", "unnumbered_row", "spaced_cell_lines", "EMPTY_UNIT_CELL"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_NUMBER = re.compile(r"^(\d{1,3})[.、．]?$")   # a 序号 cell: 1, 1. or 1、 (as structure reads it)


def loose_row(st):
    """The task the text cells kept since the last row make, when a unit cell now follows them (in a
    table with no 序号 column, after a row that has its units, or before any row); else None."""
    if not (st.table and not st.numbered and st.loose):
        return None
    if st.open_task is not None and not st.open_task.assignments:
        return None   # (the row above waits for its unit cell: this is it)
    text = " ".join(o for o, _, _ in st.loose)
    norm = " ".join(c for _, c, _ in st.loose)
    if len(_CJK.findall(norm)) < 8:
        return None
    line = st.loose[0][2]
    st.unnumbered += 1
    return st.new_task(str(st.unnumbered), norm, text, line)


def absorb_loose(st, task):
    """``task``'s unit cell has come: the text cells kept since it began are its own (a requirement
    cell after its title, with no full stop or before any unit), as the lined row joins them."""
    for orig, cell, _ in st.loose:
        task.text_norm += " " + cell
        task.text += " " + orig
    st.loose = []
    return task


def unnumbered_row(st, block, cells: tuple[str, ...]) -> bool:
    """A pipe row of a task table whose rows carry no number (重点任务 | 工作内容 | 负责科室): its text
    cells, then its unit cell, then perhaps a deadline; numbered by position, as the same table read
    from HTML or DOCX is (:func:`_grid_row`). Only in a table where no numbered row came first, so a
    numbered task's requirement continued on the next row stays that task's."""
    if not (st.table and st.unit_columns and len(cells) >= 2 and st.pending_number is None):
        return False
    if st.open_task is not None and st.open_task.number != str(st.unnumbered):
        return False
    if classify(cells[0])[0] != "text" or _BARE_NUMBER.match(cells[0]):
        return False   # (the test below fails on its first cell too: asked first, before the unit cells)
    units_at = next((i for i, o in enumerate(block.cells) if i and looks_like_units(o)), None)
    if units_at is None or any(classify(c)[0] != "text" or _BARE_NUMBER.match(c) for c in cells[:units_at]):
        return False
    # (工作任务 | 牵头科室 | 责任科室 | 工作要求: the requirement cell after the units is the row's text too)
    after = [(o, c) for o, c in zip(block.cells[units_at:], cells[units_at:]) if not looks_like_units(o)]
    said = [(o, c) for o, c in after if st.text_after_units and not _is_deadline_cell(c)]
    if any(not _is_deadline_cell(c) for o, c in after if (o, c) not in said):
        return False
    title = " ".join(block.cells[:units_at])
    if len(title) < 8:
        return False
    st.unnumbered += 1
    task = st.new_task(str(st.unnumbered), " ".join([*cells[:units_at], *(c for _, c in said)]),
                       " ".join([title, *(o for o, _ in said)]), block.line)
    deadline = " ".join(c for o, c in after if (o, c) not in said)
    if deadline:
        st.extra_deadlines[id(task)] = st.extra_deadlines.get(id(task), "") + " " + deadline
    st.set_units(task, [o for o in block.cells[units_at:] if looks_like_units(o)])
    return True


def _is_deadline_cell(text: str) -> bool:
    return len(text) <= 30 and bool(parse_deadlines(text, 2000)) and not looks_like_units(text)


def grouped_cell_lines(blocks: list) -> list | None:
    """A table printed one cell a line whose header puts a text column after its unit columns and has
    no 序号 (工作任务 / 牵头科室 / 责任科室 / 工作要求, each a line): no number and no full stop tells
    where a row starts, but the header's width does. Its lines are grouped back into rows of that many
    cells, a heading line (一、 / (一)) a row of its own; a last row the text's end cut short keeps
    the cells it has. None unless every row's unit cells read as units (a merged or empty cell, or
    prose after the table, would shift them: the lines are then left as they are).

    >>> lines = ["工作任务", "牵头科室", "责任科室", "工作要求", "(一)推进清单公开", "公开权力清单", "法规科",
    ...          "各科室", "按时更新。"]
    >>> [b.cells for b in grouped_cell_lines([Block((x,), i) for i, x in enumerate(lines, 1)])]
    [('工作任务', '牵头科室', '责任科室', '工作要求'), ('(一)推进清单公开',), ('公开权力清单', '法规科', '各科室', '按时更新。')]
    """
    for i in range(len(blocks)):
        run = i
        while run < len(blocks) and not blocks[run].row and column_meaning(blocks[run].cells[0].strip()):
            run += 1
        if run - i < 3:
            continue
        kinds = [column_meaning(b.cells[0].strip()).kind for b in blocks[i:run]]
        units = [k for k, kind in enumerate(kinds) if kind == "units"]
        if "number" in kinds or not units or not any(k in ("task", "requirement") for k in kinds[units[-1]:]):
            return numbered_unit_rows(blocks, i, run, kinds)
        n = len(kinds)
        out = [*blocks[:i], Block(tuple(b.cells[0].strip() for b in blocks[i:run]), blocks[i].line, row=True)]
        k, rows = run, 0
        while k < len(blocks):
            if blocks[k].row:
                return None
            if classify(normalize(blocks[k].cells[0].strip()))[0] in ("part", "section"):
                out.append(blocks[k])
                k += 1
                continue
            group = blocks[k:k + n]
            if any(g.row or classify(normalize(g.cells[0].strip()))[0] in ("part", "section") for g in group):
                return None
            cells = tuple(g.cells[0].strip() for g in group)
            if len(group) == n and not all(looks_like_units(cells[u]) for u in units):
                return None
            out.append(Block(cells, group[0].line, row=True))
            rows += len(group) == n
            k += n
        return out if rows else None
    return None


# A unit cell holding only a dash (——, —, /) or 无 is an empty cell: no unit, and the column it stands in
# is known by the cell before it.
EMPTY_UNIT_CELL = re.compile(r"^[—–―─\-－/／]+$|^无$")


def numbered_unit_rows(blocks: list, i: int, run: int, kinds: list) -> list | None:
    """A table printed one cell a line whose unit columns come last (工作任务 / 牵头单位 / 责任单位, each a
    line) and whose rows open with the plan's numbering (1.公开…): a row is its numbered line and the lines
    after it up to the header's width, each unit line one column's cell (two unit lines are two columns,
    not one list); a heading line (一、 / (一)) is a row of its own. A dash in a unit cell (——) leaves it
    empty, so the cell before it is the lead's. None unless every row so read opens with its number.

    >>> lines = ["工作任务", "牵头单位", "责任单位", "(一)做好规划公开。", "1.公开发展规划。", "发展局", "——",
    ...          "2.公开专项规划。", "规划局", "建设局、交通局"]
    >>> [(b.cells, b.emptied) for b in grouped_cell_lines([Block((x,), k) for k, x in enumerate(lines, 1)])][1:]
    [(('(一)做好规划公开。',), ()), (('1.公开发展规划。', '发展局'), (1,)), (('2.公开专项规划。', '规划局', '建设局、交通局'), ())]
    """
    n = len(kinds)
    units = [k for k, kind in enumerate(kinds) if kind == "units"]
    if "number" in kinds or len(units) < 2 or units != list(range(n - len(units), n)):
        return None
    out = [*blocks[:i], Block(tuple(b.cells[0].strip() for b in blocks[i:run]), blocks[i].line, row=True)]
    k, rows = run, 0
    while k < len(blocks):
        kind = classify(normalize(blocks[k].cells[0].strip()))[0]
        if blocks[k].row or kind not in ("part", "section", "task"):
            return None
        if kind != "task":
            out.append(blocks[k])
            k += 1
            continue
        group = blocks[k:k + n]
        if any(g.row or classify(normalize(g.cells[0].strip()))[0] in ("part", "section", "task") for g in group[1:]):
            return None
        raw = ["" if EMPTY_UNIT_CELL.match(g.cells[0].strip()) else g.cells[0].strip() for g in group]
        cells = raw[n - len(units):]
        if len(group) == n and (not any(cells) or not all(looks_like_units(c) for c in cells if c)):
            return None
        kept = [j for j, c in enumerate(raw) if c]
        emptied = tuple(x for x, j in enumerate(kept) if j + 1 < len(raw) and not raw[j + 1] and j + 1 >= n - len(units))
        out.append(Block(tuple(raw[j] for j in kept), group[0].line, row=True, emptied=emptied))
        rows += len(group) == n
        k += n
    return out if rows >= 2 else None


_GAP = re.compile(r"[ \t\u3000\xa0]+")


def spaced_cell_lines(blocks: list, view) -> tuple[list, list] | None:
    """The same table (header with no 序号, a text column after its units) flattened with a space or a
    tab between its cells, as a crawler joins a page that printed a cell a paragraph (工作任务 牵头科室
    责任科室 工作要求 (一)… 公开权力清单 法规科 各科室 按时更新。): its cells back one a line and grouped
    by the header's width as :func:`grouped_cell_lines` groups them. (the blocks before the table, for
    the reflow; the table's rows), or None. ``view``: the reflow's simplified view of a text.

    >>> text = "某局分解表 工作任务 牵头科室 责任科室 工作要求 (一)推进清单公开 公开权力清单 法规科 各科室 按时更新。"
    >>> before, rows = spaced_cell_lines([Block((text,), 1)], lambda x: x)
    >>> [b.cells for b in before], [b.cells for b in rows][1:]
    ([('某局分解表',)], [('(一)推进清单公开',), ('公开权力清单', '法规科', '各科室', '按时更新。')])
    """
    for i, b in enumerate(blocks):
        if b.row:
            continue
        text = b.cells[0]
        v = view(text)
        for m in HEADER_RUN.finditer(v):
            words = list(HEADER_WORD.finditer(v, m.start(), m.end()))
            if len(words) < 3 or any(not _GAP.fullmatch(v, a.end(), z.start()) for a, z in zip(words, words[1:])):
                continue   # (a header whose words a space or a tab parts: so are its rows' cells)
            cells = [text[w.start():w.end()].strip() for w in words] + _GAP.split(text[m.end():].strip())
            lines = [Block((c,), b.line) for c in cells if c]
            grouped = grouped_cell_lines(lines)
            if grouped is None:
                return None
            before = text[:m.start()].strip()
            return [*blocks[:i], *([Block((before,), b.line)] if before else [])], grouped + blocks[i + 1:]
    return None


def group_column_rows(blocks: list) -> list:
    """A table whose header is one cell shorter than its rows, with an empty slot after its first cell
    (工作任务 |  | 牵头科室 | 责任科室 | 工作要求: a sheet's header cell spanning the group and the task column,
    read without its merge): the header's first word names two columns, so a row's first cell that is a
    heading ((一)推进清单公开 | 公开权力清单 | 法规科 | 各科室 | 按时更新。) is the group's, a line of its own as
    the lined table prints it, and the row is its other cells, which the header's words name.

    >>> head = Block(("工作任务", "牵头科室", "责任科室", "工作要求"), 1, row=True, emptied=(0,))
    >>> row = Block(("(一)推进清单公开", "公开权力清单", "法规科", "各科室", "按时更新。"), 2, row=True)
    >>> [(b.cells, b.row) for b in group_column_rows([head, row])][1:]
    [(('(一)推进清单公开',), False), (('公开权力清单', '法规科', '各科室', '按时更新。'), True)]
    """
    out, width = [], None
    for b in blocks:
        if b.row and not b.grid and len(b.cells) >= 3 and 0 in b.emptied and all(
                column_meaning(normalize(c)) for c in b.cells):
            width = len(b.cells)
        elif (width and b.row and not b.grid and len(b.cells) == width + 1
              and classify(normalize(b.cells[0]))[0] in ("part", "section")):
            out += [Block((b.cells[0],), b.line), Block(b.cells[1:], b.line, row=True)]
            continue
        elif b.row and b.grid:
            width = None
        out.append(b)
    return out


def header_lines_open_table(blocks: list, head: int) -> bool:
    """Whether the lines from ``head`` on are a task table's header printed one cell a line: three header
    words or more one after another, a 序号 and a unit column among them (序号 / 任务 / 有关要求 / 责任单位).
    Such a header opens a table however few of its numbered rows the retrieved text still holds.

    >>> from .blocks import Block
    >>> header_lines_open_table([Block((c,), k) for k, c in enumerate(["序号", "任 务", "有关要求", "责任单位", "1"])], 0)
    True
    >>> header_lines_open_table([Block((c,), k) for k, c in enumerate(["序号", "任务", "1"])], 0)
    False
    """
    kinds = []
    for b in blocks[head:]:
        col = None if b.row else column_meaning(b.cells[0].strip())
        if col is None:
            break
        kinds.append(col.kind)
    return len(kinds) >= 3 and "number" in kinds and "units" in kinds


def numbered_rows_enough(blocks: list, head: int, numbers: list[int]) -> bool:
    """Whether the bare numbers (序号 cells on lines of their own) show a table printed one cell a line:
    rows numbered 1, 2, 3; or, under a header so printed (:func:`header_lines_open_table`), a row numbered 1
    (an excerpt that kept the table's first row only)."""
    need = 1 if header_lines_open_table(blocks, head) else 3
    return numbers[:need] == list(range(1, need + 1))


def merged_number_row(cells: tuple[str, ...]) -> list[str] | None:
    """A row under a task whose 序号 (and title) cells span it, printed without them: its text cells,
    then its unit cell (and deadline) — one more measure of the task above (| | 其他文件 | 公开其他文件。|
    综合科 | 长期 |). The kinds of its cells (requirement …, units, deadline), or None for another row.

    >>> merged_number_row(("其他文件", "公开本单位印发的其他文件。", "综合科", "长期"))
    ['requirement', 'requirement', 'units', 'deadline']
    >>> merged_number_row(("公开预算。", "财政科")), merged_number_row(("1", "公开预算。", "财政科"))
    (['requirement', 'units'], None)
    """
    if len(cells) < 2 or _BARE_NUMBER.match(cells[0]) or looks_like_units(cells[0]):
        return None
    at = next((k for k, c in enumerate(cells) if looks_like_units(c)), None)
    if at is None or any(classify(normalize(c))[0] != "text" for c in cells[:at]):
        return None   # (| 建立健全…制度 | 2.制定… | 各单位 |: a numbered row of its own, its title first)
    return ["requirement"] * at + ["units" if looks_like_units(c) else "deadline" for c in cells[at:]]
