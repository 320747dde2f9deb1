"""A numbered sub-heading printed with a task's number: ``1.强化组织领导`` over the items it heads.

Plans (and document-sharing copies of them) sometimes number a sub-heading like a task, with no stop
and nothing after it, then go on with the numbered sentences it heads:

    一、完善工作机制,夯实公开基础。
    1.强化组织领导与责任落实
    2.健全政务公开领导小组,实行三级责任机制,定期督查整改情况。

A reader takes the first line as a heading, not as a task: it is short, has no punctuation at all,
and the next item is a whole sentence (it has a stop) printed right under it. A run of short items
each without a stop (``1.做好政策解读`` / ``2.加强平台建设``) is a list of tasks and stays one; a short
line followed by unnumbered prose stays the task that prose details (寿光: ``1.推进…信息公开`` /
its paragraph / its unit lines is one task), as before.
"""
from __future__ import annotations

import re

__all__ = ["heads_next_item"]

_PUNCT = re.compile(r"[,，。;；:：、!！?？()（）《》“”\"]")
_STOP = re.compile(r"[。;；!！]")


def is_sub_heading(text: str, next_text: str) -> bool:
    """``text`` (a numbered item's, its number off) heads ``next_text`` (the next numbered item's).

    >>> is_sub_heading("强化组织领导与责任落实", "健全领导小组,实行三级责任机制,定期督查。")
    True
    >>> is_sub_heading("做好政策解读", "加强平台建设")
    False
    >>> is_sub_heading("做好政策解读。", "加强平台建设,每季度更新。")
    False
    """
    t = text.strip()
    return (4 <= len(t) <= 20 and not _PUNCT.search(t) and not re.search(r"\d", t)
            and bool(_STOP.search(next_text)) and len(next_text.strip()) > len(t))


def heads_next_item(st, number: str, rest: str) -> None:
    """Before task ``number`` opens: when the task just opened (on the line right above, no text or
    units added to it since) is a sub-heading over it, it becomes a section holding the items after it."""
    t = st.open_task
    if (t is None or st.table or t.assignments or st.opened_at != st.at - 1 or not t.number.isdigit()
            or not number.isdigit() or int(number) != int(t.number) + 1 or t.number != "1"
            or not is_sub_heading(t.text_norm, rest) or st.tasks[-1] is not t):
        return
    st.tasks.pop()
    st.open_task = None
    path = st.section + (t.number,)
    st.section = st.open_section(path, t.number, t.text_norm.strip(), len(path))
