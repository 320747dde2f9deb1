"""A cover notice issuing two plans, one of them not the 政务公开 plan (湖南 2022: 关于印发《湖南省2022年政务
管理服务工作要点》和《湖南省2022年政务公开工作要点》的通知; 衡南 2021, its 政务服务 and 政务公开 要点): the
lines from the other plan's own title line to the next plan's title line (or to the end of what is held)
are that plan's. Read apart from the notice and the 政务公开 plan (each plan numbers its parts from 一、
again), its tasks are marked ``clause: other_plan``: no requirement a lower 政务公开 plan owes, no local
addition, and no task of the 政务公开 plan derives from them (queries/gaps.py, graph/link/choose.py).

>>> split_plans(["关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知", "各乡镇:",
...              "某县2021年政务服务工作要点", "一、深化改革", "(一)推进一件事一次办。",
...              "某县2021年政务公开工作要点", "一、加强公开", "(一)做好信息公开。"],
...             "关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知")
(3, 5, '某县2021年政务服务工作要点')
>>> split_plans(["某县2021年政务公开工作要点", "一、加强公开"], "关于印发《某县2021年政务公开工作要点》的通知") is None
True
"""
from __future__ import annotations

import re

from .normalize import normalize

__all__ = ["issued_plans", "split_plans", "OTHER_PLAN", "other_plan_records", "plan_title_lines"]

OTHER_PLAN = "other_plan"
_QUOTED = re.compile(r"《([^《》]{4,80})》")
_PLAN_WORDS = re.compile(r"(?:要点|方案|安排|计划|清单|分工)$")
_SUBJECT = "政务公开"
_ANNEX = re.compile(r"^附件\s*\d*\s*[:：]?\s*")
_SPACE = re.compile(r"[\s《》]")


def issued_plans(title: str | None) -> list[str]:
    """The plans a notice's title issues, by name, when it issues more than one (《A》和《B》, or A和B
    without the quotes).

    >>> issued_plans("湖南省人民政府办公厅关于印发《湖南省2022年政务管理服务工作要点》和《湖南省2022年政务公开工作要点》的通知")
    ['湖南省2022年政务管理服务工作要点', '湖南省2022年政务公开工作要点']
    >>> issued_plans("关于印发某县2021年政务服务工作要点和某县2021年政务公开工作要点的通知")
    ['某县2021年政务服务工作要点', '某县2021年政务公开工作要点']
    """
    title = normalize(title or "")
    names = [n for n in _QUOTED.findall(title) if _PLAN_WORDS.search(n)]
    if len(names) < 2:
        m = re.search(r"印发(.+?)的通知$", title)
        parts = re.split(r"和|及|、", m.group(1)) if m else []
        names = [p for p in parts if len(p) >= 6 and _PLAN_WORDS.search(p)]
    return list(dict.fromkeys(_SPACE.sub("", n) for n in names)) if len(names) >= 2 else []


def plan_title_lines(blocks: list, title: str | None) -> list:
    """The blocks with each issued plan's name that stands bare inside a line (a text whose line breaks were
    lost: …2021年7月2日某县2021年政务服务工作要点坚持以…, …公开整改情况。某县2021年政务公开工作要点一、加强公开)
    cut to a line of its own, as the lined text has it. A name stands bare as a title where a line would
    start: after a sentence's or a note's end (。;)), the signature's date (…日) or an attachment's label
    (附件2), held by no 《》 or quotes, and not going on as the notice's sentences that name it go on (…印发
    给你们, 已经…同意, 和《…》, 的通知). The blocks unchanged when the notice issues one plan, or none of its
    names stands so.

    >>> from loaders.blocks import Block
    >>> [b.text for b in plan_title_lines([Block(("(二)做好公开。某县2021年政务公开工作要点一、加强公开",), 7)],
    ...                                    "关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知")]
    ['(二)做好公开。', '某县2021年政务公开工作要点', '一、加强公开']
    >>> [b.text for b in plan_title_lines([Block(("各乡镇:现将某县2021年政务服务工作要点和某县2021年政务公开工作要点印发给你们。",), 3)],
    ...                                    "关于印发某县2021年政务服务工作要点和某县2021年政务公开工作要点的通知")]
    ['各乡镇:现将某县2021年政务服务工作要点和某县2021年政务公开工作要点印发给你们。']
    """
    from dataclasses import replace

    from .reflow import _view   # (a copy of the same length: positions found in it cut the original)

    names = issued_plans(title)
    if not names or not any(_SUBJECT in n for n in names) or all(_SUBJECT in n for n in names):
        return blocks
    bare = re.compile(r"(?:(?<=^)|(?<=[。;；)）\]】日\s])|(?<=附件)|(?<=附件\d)|(?<=附件\d[:：]))(?:"
                      + "|".join(r"\s*".join(map(re.escape, n)) for n in names)
                      + r")(?![》”\"'和及、与,，]|印发|的通知|已经|经)")
    out = []
    for b in blocks:
        text = b.text
        cuts = [] if b.row else sorted({k for m in bare.finditer(_view(text)) for k in (m.start(), m.end())} - {0, len(text)})
        if not cuts:
            out.append(b)
            continue
        parts = [text[i:j].strip() for i, j in zip([0, *cuts], [*cuts, len(text)])]
        out += [replace(b, cells=(p,)) for p in parts if p]
    return out


def _title_line(line: str, names: list[str]) -> str | None:
    core = _SPACE.sub("", _ANNEX.sub("", line or ""))
    return next((n for n in names if core == n), None)


def split_plans(norm_lines: list[str], title: str | None) -> tuple[int, int, str] | None:
    """Where the plan that is not the 政务公开 one lies, as (first line, end line, its name): from its own
    title line (kept out) to the next plan's title line or the end; None when the notice issues one plan,
    or none or every one of its plans is a 政务公开 plan, or the other plan's title line is not found."""
    names = issued_plans(title)
    ours = [n for n in names if _SUBJECT in n]
    others = [n for n in names if _SUBJECT not in n]
    if not ours or not others:
        return None
    at = [(i, _title_line(x, names)) for i, x in enumerate(norm_lines)]
    at = [(i, n) for i, n in at if n]
    for k, (i, n) in enumerate(at):
        if n in others:
            end = next((j for j, m in at[k + 1:] if m != n), len(norm_lines))
            return i + 1, end, n
    return None


def other_plan_records(sections, tasks, name: str, after_sections: int, after_tasks: int):
    """The other plan's sections and tasks, read on their own, put under a section of their own named
    by the plan (path ``("其他方案", …)``: their numbers are those of another plan), each task marked
    :data:`OTHER_PLAN`, in order after the first plan's (``after_sections`` sections, ``after_tasks``
    tasks)."""
    from core.records import Section

    top = ("其他方案",)
    out = [Section(path=top, number="其他方案", title=name, depth=1, order=after_sections)]
    for k, s in enumerate(sections, 1):
        s.path, s.depth, s.order = top + tuple(s.path), s.depth + 1, after_sections + k
        out.append(s)
    for k, t in enumerate(tasks):
        t.section, t.order, t.clause = top + tuple(t.section), after_tasks + k, OTHER_PLAN
    return out, tasks
