"""The deadline calendar: every dated or recurring deadline of every plan task, soonest first.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("d", label="Document", level="county")
>>> G.add_node("t", label="Task", doc_id="d", number="3", text_norm="报送落实情况", deadlines=["每年", "2022-09-30"])
>>> [(r["date"], r["recurring"]) for r in deadline_calendar(G)]
[('2022-09-30', False), ('每年', True)]
"""
from __future__ import annotations

import re

import networkx as nx

__all__ = ["deadline_calendar"]

_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def deadline_calendar(G: nx.MultiDiGraph) -> list[dict]:
    """Rows ``{date, recurring, task, doc_id, level, number, units, text}``: ISO dates in order, then
    phrases (``每年``, ``长期``) by phrase. ``units`` are the task's own lead units, else all its own units.
    """
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("label") != "Task" or d.get("scope", "plan") == "notice":
            continue
        own = [(v, e.get("role")) for _, v, e in G.out_edges(n, data=True)
               if e.get("type") == "ASSIGNED_TO" and e.get("column", "own") == "own"]
        leads = [v for v, r in own if r == "lead"] or [v for v, _ in own]
        units = sorted({G.nodes[v].get("short_name") or G.nodes[v].get("name") for v in leads})
        for date in d.get("deadlines") or []:
            rows.append({"date": date, "recurring": not _ISO.match(date), "task": n, "doc_id": d.get("doc_id"),
                         "level": G.nodes.get(d.get("doc_id"), {}).get("level"), "number": d.get("number"),
                         "units": units, "text": d.get("text_norm")})
    rows.sort(key=lambda r: (r["recurring"], r["date"], r["doc_id"] or "", r["task"]))
    return rows
