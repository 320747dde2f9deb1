"""An analyst's verdicts on the worklist of gaps, kept in ``data/marks.yaml`` so that they survive every
rebuild (as link reviews do, graph/reviews.py).

A mark names a coverage row by its upper requirement and lower document (ids are stable across
rebuilds). Verdicts: ``confirmed_gap`` (核实为缺口: checked, it is a gap), ``implemented`` (已落实: done,
the note says where — a document, a page, a 文号) and ``not_applicable`` (不适用: the note gives the reason).
The last two need a note: a verdict that overrides the analysis must say on what it rests.

The file::

    marks:
      - upper: 2022-guangzhou/一/(一)/2
        lower_doc: 2022-huangpu
        verdict: implemented
        note: 见区发展改革局2022年5月通知
        marked_at: '2026-12-06T06:00:00+00:00'
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import yaml

from core.errors import ReviewError
from graph.reviews import read_entries

__all__ = ["read_marks", "save_mark", "write_marks", "apply_marks", "VERDICTS", "NEEDS_NOTE", "MARKS_NAME"]

VERDICTS = ("confirmed_gap", "implemented", "not_applicable")
NEEDS_NOTE = ("implemented", "not_applicable")
MARKS_NAME = "marks.yaml"


def read_marks(path: str | os.PathLike | None) -> dict[tuple[str, str], dict]:
    """The marks in ``path`` as ``{(upper id, lower doc id): {"verdict", "note", "marked_at"}}``; ``{}``
    when the file does not exist.

    >>> read_marks("/nonexistent/marks.yaml")
    {}
    """
    out: dict[tuple[str, str], dict] = {}
    for i, entry in enumerate(read_entries(path, "marks"), 1):
        if not isinstance(entry, dict) or not entry.get("upper") or not entry.get("lower_doc"):
            raise ReviewError(f"{path}: mark {i} needs 'upper' and 'lower_doc'")
        if entry.get("verdict") not in VERDICTS:
            raise ReviewError(f"{path}: mark {i} has verdict {entry.get('verdict')!r} "
                              f"(expected {', '.join(VERDICTS)})")
        out[(str(entry["upper"]), str(entry["lower_doc"]))] = {
            k: v for k, v in entry.items() if k not in ("upper", "lower_doc")}
    return out


def write_marks(path: str | os.PathLike, marks: dict[tuple[str, str], dict]) -> None:
    """Write all marks atomically, in a stable order."""
    from core.files import write_atomic

    entries = [{"upper": up, "lower_doc": lo, **{k: v for k, v in m.items() if v is not None}}
               for (up, lo), m in sorted(marks.items())]
    write_atomic(path, "# Worklist marks: an analyst's verdicts on gaps, kept across rebuilds (graph/marks.py).\n"
                 + yaml.safe_dump({"marks": entries}, allow_unicode=True, sort_keys=False, width=120))


def save_mark(path: str | os.PathLike, upper: str, lower_doc: str, verdict: str | None,
              note: str | None = None) -> dict:
    """Record (or with ``verdict=None`` withdraw) the verdict on one row; returns the stored mark."""
    from graph.reviews import locked

    path = Path(path)
    note = (note or "").strip() or None
    if verdict is not None and verdict not in VERDICTS:
        raise ReviewError(f"{path}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if verdict in NEEDS_NOTE and not note:
        raise ReviewError(f"{path}: verdict {verdict} needs a note (the evidence or the reason)",
                          key="mark_needs_note", verdict=verdict)
    with locked(path):
        marks = read_marks(path)
        if verdict is None:
            marks.pop((upper, lower_doc), None)
            write_marks(path, marks)
            return {}
        mark = {"verdict": verdict, "note": note,
                "marked_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        marks[(upper, lower_doc)] = {k: v for k, v in mark.items() if v is not None}
        write_marks(path, marks)
        return marks[(upper, lower_doc)]


def apply_marks(rows: list[dict], marks: dict[tuple[str, str], dict]) -> list[dict]:
    """The worklist rows (gap and not_assessable) with the analyst's ``verdict`` and ``note`` added
    (None when unmarked); a mark whose row no longer exists after a rebuild is left out."""
    out = []
    for r in rows:
        if r.get("status") not in ("gap", "not_assessable"):
            continue
        m = marks.get((r.get("upper"), r.get("lower_doc"))) or {}
        out.append({**r, "verdict": m.get("verdict"), "note": m.get("note"), "marked_at": m.get("marked_at")})
    return out
