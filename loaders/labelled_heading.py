"""An item whose only lines are its unit labels: ``(一)财政工作概况;内设机构职能、办公电话;领导分工。`` then
``责任股室:办公室、人事教育股`` and the next item. The numbered heading is what is to be done, and the label
says who does it: a reader counts it as one task, where the parser had taken the item for a heading whose
prose (none) holds the tasks, and had lost the label's units with it.
"""
from __future__ import annotations

from core.records import Task

from .columns import field_label
from .units import looks_like_units, parse_units

__all__ = ["labelled_heading_task"]


def labelled_heading_task(st, sec, lines) -> bool:
    """Append the task a heading with only labelled unit (and deadline) lines under it stands for.

    ``lines`` are the section's body lines ((prose, original, line)); False when any line is prose, or
    none names units, or the heading has no words of its own to be a task."""
    fields = [field_label(prose) for prose, _, _ in lines]
    if not lines or any(f is None or f[0].kind not in ("units", "deadline") for f in fields):
        return False
    unit_lines = [orig for (_, orig, _), f in zip(lines, fields) if f[0].kind == "units" and looks_like_units(orig)]
    title = (sec.title or "").strip()
    if not unit_lines or len(title) < 6:
        return False
    doc = st.doc
    units = []
    for orig, f in ((o, f) for (_, o, _), f in zip(lines, fields) if o in unit_lines):
        role = f[0].role if f[0].role in ("lead", "cooperate", "implement") else "implement"
        units += [a for a in parse_units(orig, region=doc.region, issuer=doc.issuer, default_role=role,
                                         internal=doc.level == "department")
                  if (a.canonical, a.role) not in {(b.canonical, b.role) for b in units}]
    st.tasks.append(Task(number=f"{sec.number}.1", section=sec.path, text=title, text_norm=title,
                         order=len(st.tasks), assignments=units, line=lines[0][2]))
    return True
