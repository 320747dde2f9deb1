"""A table printed one cell a line whose row has no full stop in its text.

Printed one cell a line (重点任务 / 工作内容 / 负责科室, each a line), a row's text is known as a task's
by its sentence (…准确回复。); a requirement with no full stop (注重政务服务办理流程、办理结果等信息发布)
is a row's text all the same when a unit cell follows it: the text cells since the last row make a row
of their own, numbered by position, instead of giving their unit cell to the row above.
"""
from __future__ import annotations

import re

__all__ = ["absorb_loose", "loose_row"]

_CJK = re.compile(r"[\u4e00-\u9fff]")


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
