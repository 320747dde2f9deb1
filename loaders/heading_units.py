"""A heading that says whose its tasks are: ``一、各区、县(市)政府、市政府各部门负责落实的工作任务`` over a
table with no unit column (沈阳's 任务明细表 groups its rows so, one part per who implements them). A
reader gives each task under it those units, as the units that carry it out, unless the task names its
own.
"""
from __future__ import annotations

import re

from .units import looks_like_units, parse_units

__all__ = ["heading_units", "give_heading_units"]

# …负责落实的工作任务, 由…负责的任务, …牵头落实的重点任务: the units, the role word, then 任务
_WHOSE = re.compile(r"^(?:由)?(.{2,80}?)(负责落实|负责实施|负责推进|具体落实|负责|牵头落实|牵头)的(?:主要|重点|具体)?(?:工作)?任务(?:事项)?$")


def heading_units(title: str, region: str | None = None, issuer: str | None = None) -> list:
    """The units a heading names as its tasks' (none when it names none).

    >>> [(a.short_name, a.role) for a in heading_units("各区、县(市)政府、市政府各部门负责落实的工作任务", "辽宁省沈阳市")]
    [('各区、县(市)政府', 'implement'), ('市政府各部门', 'implement')]
    >>> [(a.short_name, a.role) for a in heading_units("市政府办公厅牵头落实的工作任务", "辽宁省沈阳市")]
    [('市政府办公厅', 'lead')]
    >>> heading_units("主要任务"), heading_units("加强政务公开的工作任务")
    ([], [])
    """
    m = _WHOSE.match(title.strip().rstrip("。:："))
    if not m:
        return []
    role = "lead" if m.group(2).startswith("牵头") else "implement"
    if not looks_like_units(m.group(1)):
        return []   # (做好…负责的任务: no units' names)
    return parse_units(m.group(1), region=region, issuer=issuer, default_role=role)


def give_heading_units(sections, tasks, doc) -> None:
    """Tasks with no units of their own take the units their nearest heading names."""
    named = {s.path: units for s in sections if s.title and (units := heading_units(s.title, doc.region, doc.issuer))}
    if not named:
        return
    for t in tasks:
        if t.assignments:
            continue
        for k in range(len(t.section), 0, -1):
            if t.section[:k] in named:
                t.assignments = list(named[t.section[:k]])
                break
