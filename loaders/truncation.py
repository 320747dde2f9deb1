"""What the end of a cut text leaves half-written in a unit cell.

A [GAP] line (text missing there) or the text's end cuts what it falls in: what it cut mid-way is
dropped, not guessed (:func:`gap`).

A download or a stored excerpt may stop inside the last row's unit cell (…市金融办、人民银): the names
before the cut are whole and stay the row's units; the last one is no unit's name (a name ends like a
unit: 局, 办, 行 …) and is dropped, and the document says it is truncated, as a row cut mid-text does.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .normalize import PAGE_END, normalize
from core.roles import UNIT_LABELS

from .deadlines import parse_deadlines
from .numbering import classify
from .units import is_unit_name, looks_like_units

__all__ = ["TERMINAL", "complete", "cut_at_the_end", "cut_unit_fragment", "deadline_cell", "gap", "last_cell",
           "mark_truncated", "note_cut_at_the_end"]

TERMINAL = "。;;!！"   # what ends a sentence (a line that ends so was not cut mid-way)

_ROLE_AFTER = re.compile(r"(?:牵头|配合|负责|具体落实|落实|参与)$")
_ITEM_SPLIT = re.compile(r"[、,，;；/\s]")
_WHOLE_END = "。;；!！)）]】"
_FOOTER = re.compile("^(?:" + PAGE_END + ")")


def cut_unit_fragment(cell: str) -> str | None:
    """The fragment a cut left at the end of a unit cell (normalized), or None when the cell ends whole.

    >>> cut_unit_fragment("市发改委、市财政局、市金融办、人民银")
    '人民银'
    >>> cut_unit_fragment("市发改委、人民银行潍坊市中心支行"), cut_unit_fragment("市财政局牵头落实")
    (None, None)
    >>> cut_unit_fragment("区水务局牵头,区卫生健康局、区教育局按职责分工配合")   # its role word: whole
    >>> cut_unit_fragment("办公室牵头,各科室、局")
    '局'
    """
    text = normalize(cell).strip()
    if not text or text[-1] in _WHOLE_END or not looks_like_units(text) or _ROLE_AFTER.search(text):
        return None   # (…区教育局按职责分工配合: a cell that ends with its role word ends whole)
    # (办公室牵头,各科室、局: the role word after a name is no part of it)
    items = [_ROLE_AFTER.sub("", x) for x in _ITEM_SPLIT.split(text) if x]
    if len(items) < 2 or not all(is_unit_name(x) for x in items[:-1]):
        return None   # (one name alone that ends like none is prose, not a cut cell)
    last = items[-1]
    # (a lone 局 is the first character of 局属各单位, no office's name)
    return None if is_unit_name(last) and len(last) > 1 else last


def cut_at_the_end(st, blocks: list, last_cell: str, stops_mid_way: bool) -> None:
    """What the end of the text cut. A row whose 序号 cell was read and whose text stops mid-way (``6 |
    严格落实…从轻减轻``), or a table's last line that stops mid-way after its rows and is no row itself
    (cells a line each closed by a ``|``, the cut one never closed), made no task: the document is truncated, as
    the row's other forms say. A unit cell cut inside a name: the document is truncated, and the cut
    name is taken out of every place the parse put it (the open row, the units the next rows would
    inherit, a section's unit lines)."""
    if st.pending_number and stops_mid_way:
        mark_truncated(st.doc, f"truncated: task {st.pending_number} cut mid-row by the end of the text, dropped")
        st.pending_number = None
    elif (stops_mid_way and st.table and len(blocks) >= 2 and blocks[-2].row and len(blocks[-2].cells) == 1
          and not blocks[-1].row):
        mark_truncated(st.doc, "truncated: the text ends mid-row")
    fragment = cut_unit_fragment(last_cell)
    if not fragment:
        return
    role = _cut_role(fragment)
    mark_truncated(st.doc, f"truncated: the text ends mid-cell ({role or fragment}… dropped)")

    def keep(units: list) -> list:
        # (a fragment the parse joined to the name before it, 各科室、局, leaves that name; a name whose
        # role words the cut went through, 医保中心按职责分工落, is that name)
        units = [_without_tail(a, role if role else "、" + fragment) for a in units]
        return [a for a in units if normalize(a.name) != fragment and a.short_name != fragment]

    for t in st.tasks[-3:]:
        t.assignments = keep(t.assignments)
    st.last_own, st.last_upper = keep(st.last_own), keep(st.last_upper)
    for path, units in list(st.section_units.items()):
        st.section_units[path] = keep(units)
    for path, marks in st.line_units.items():
        st.line_units[path] = [(at, keep(units)) for at, units in marks]


_ROLE_PHRASES = ("按职责分工落实", "按职责分工负责", "按职责分工配合", "按职责落实", "具体落实", "牵头", "配合", "负责", "落实", "参与")


def _cut_role(fragment: str) -> str | None:
    """The role words the cut went through after a whole name (医保中心按职责分工落 → 按职责分工落), or None.

    >>> _cut_role("医保中心按职责分工落"), _cut_role("各科室配"), _cut_role("人民银")
    ('按职责分工落', '配', None)
    """
    for k in range(2, len(fragment)):
        tail = fragment[k:]
        if any(p.startswith(tail) and p != tail for p in _ROLE_PHRASES) and is_unit_name(fragment[:k]):
            return tail
    return None


def _without_tail(unit, tail: str):
    """``unit`` without a cut ``tail`` the parse glued to its name (``、fragment``, or cut role words)."""
    if not unit.short_name.endswith(tail) or len(unit.short_name) <= len(tail):
        return unit
    cut = lambda s: s[:-len(tail)] if s and s.endswith(tail) else s  # noqa: E731
    return replace(unit, name=cut(normalize(unit.name)) if normalize(unit.name).endswith(tail) else unit.name,
                   short_name=cut(unit.short_name), canonical=cut(unit.canonical))


def mark_truncated(doc, warning: str) -> None:
    """The document is cut: say so once."""
    doc.truncated = True
    if warning not in doc.warnings:
        doc.warnings.append(warning)


_OPEN_NOTE = re.compile(r"[(（]((?:" + "|".join(UNIT_LABELS) + r")[:：][^()（）]*)$")


def note_cut_at_the_end(line: str) -> list[tuple[str, str]]:
    """The labelled note the end of the text cut (…进展情况。(责任单位:各省辖市政府、某示范区管委会、省直管县〔):
    the names before the cut are its units, the cut one none; as :func:`loaders.units.inline_notes` gives
    a note: [(the note, its cell)], or none.

    >>> note_cut_at_the_end("定期公开进展情况。(责任单位:各省辖市政府、某示范区管委会、省直管县〔")
    [('(责任单位:各省辖市政府、某示范区管委会、省直管县〔', '责任单位:各省辖市政府、某示范区管委会')]
    >>> note_cut_at_the_end("定期公开进展情况。(详见附件")
    []
    """
    m = _OPEN_NOTE.search(line)
    if not m:
        return []
    cell = m.group(1).rstrip("、,，;； ")
    items = [x for x in _ITEM_SPLIT.split(cell.split("：")[-1].split(":")[-1]) if x]
    if items and not is_unit_name(items[-1]):
        cell = cell[:cell.rfind(items[-1])].rstrip("、,，;； ")
    return [(m.group(0), cell)]


def complete(text: str) -> bool:
    """Whether a line reads as whole (a [GAP] right after it did not cut it)."""
    t = text.rstrip(" |")
    # (a catalogue's ticked box, √ under 主动 or 镇级, is a whole cell: a mark, no words to cut; so is a line
    # of its channel cell, ■投资项目在线审批监管平台: a box and an option of the form's own list)
    return (not t or t[-1] in TERMINAL + ")）]】√✓✔" or looks_like_units(t) or deadline_cell(t)
            or t in ("已完成", "完成", "正在推进") or t.lstrip()[:1] in "■□☑☐")


def deadline_cell(text: str) -> bool:
    return len(text) <= 30 and bool(parse_deadlines(text, 2000)) and not looks_like_units(text)


def last_cell(block) -> str:
    """The last cell with text (a row read by its columns leaves the cells it lacks empty)."""
    return next((c for c in reversed(block.cells) if c.strip()), "")


def gap(st, before, at_end: bool = False, after: str = ""):
    """A [GAP] line: text is missing here. What it cut mid-way is dropped, not guessed; a sentence of
    prose cut by a [GAP] that ends the text is kept, as where the text ends with no [GAP] line.
    ``after`` is the first line after the gap (normalized): what follows stands under the headings it
    shows (:func:`_heading_lost`)."""
    cut = before is not None and not complete(normalize(last_cell(before)))
    # (a web page's footer after the gap, 【打印本页】【关闭窗口】: nothing of the text follows, the gap ends it)
    at_end = at_end or bool(_FOOTER.match(after))
    t = st.open_task
    if t is not None and cut and _whole_points_kept(t):
        st.doc.warnings.append(f"truncated: task {t.number}'s last point cut by a [GAP], dropped")
    elif t is not None and (cut or (st.table and not t.assignments and st.unit_columns)):
        st.cut.add(id(t))
        st.open_task = None
    elif cut and st.section and not at_end:
        st.cut_bodies.add(st.section)
    st.close_task()
    st.pending_number = None
    if not at_end and st.scope == "plan" and _heading_lost(st, after):
        k = sum(1 for x in st.sections if x.number == LOST_HEADING) + 1
        st.part = st.section = st.open_section((f"{LOST_HEADING}{k}",), LOST_HEADING, "", 1)


LOST_HEADING = "…"   # the number of a heading a [GAP] took: the items after it are under a heading not held
_POINT = re.compile(r"[(（](\d{1,2})[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")


def _whole_points_kept(t) -> bool:
    """A numbered task whose last point a [GAP] cut (3.推进… (1)…。(各级政府办公室负责) (2)推动基层…[GAP]):
    its points before the cut one are whole and stay the task, the cut point is dropped.

    >>> from types import SimpleNamespace as T
    >>> t = T(number="3", text="推进建设。(1)优化标准。(办公室负责)(2)推动基层", text_norm="推进建设。(1)优化标准。(办公室负责)(2)推动基层")
    >>> _whole_points_kept(t), t.text
    (True, '推进建设。(1)优化标准。(办公室负责)')
    >>> _whole_points_kept(T(number="3", text="推进建设。(1)优化标准", text_norm="推进建设。(1)优化标准"))
    False
    """
    if not t.number.isdigit():
        return False
    cut_norm = list(_POINT.finditer(t.text_norm))
    cut_orig = list(_POINT.finditer(t.text))
    if len(cut_norm) < 2 or len(cut_orig) != len(cut_norm):
        return False   # (no whole point before the cut one: a heading with a cut point, dropped)
    head_norm, head = t.text_norm[:cut_norm[-1].start()].rstrip(), t.text[:cut_orig[-1].start()].rstrip()
    if not complete(head_norm):
        return False
    t.text_norm, t.text = head_norm, head
    return True


def _number(number: str) -> int | None:
    """An item's number as an integer: (2) and 2 are 2, ② is 2; None for any other mark."""
    digits = re.sub(r"\D", "", number)
    if digits:
        return int(digits)
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    return circled.index(number) + 1 if len(number) == 1 and number in circled else None


def _heading_lost(st, after: str) -> bool:
    """Whether the item after a [GAP] stands under a heading the gap took, not under the last heading
    before it: its number does not follow that section's items ((二)工作原则 ——— 坚持…[GAP] (2)提升
    解读…: no (1) in 工作原则, its (1) and its heading are in the missing text). An item that follows
    them (…(1)…[GAP] (3)…) or any heading after the gap stays where the text puts it."""
    if not st.section or st.section[:1] == ("通知",):
        return False
    kind, number, _ = classify(after)
    if kind not in ("task", "sub") or number is None:
        return False
    n = _number(number)
    if n is None or n <= 1:
        return False   # (an item 1 opens its list: under the heading before it, as the text reads)
    for t in st.tasks:
        if t.section != st.section:
            continue
        if kind == "task" and t.number.isdigit() and int(t.number) < n:
            return False
        if kind == "sub" and not t.number.isdigit() and (_number(t.number) or n) < n:
            return False
        if kind == "sub" and any(_number(m.group(1) or m.group(2)) == n - 1 for m in _POINT.finditer(t.text_norm)):
            return False   # (3) after a task's points (1), (2): its next point
    return True
