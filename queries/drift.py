"""Drift along one link: how a lower task's text differs from the upper requirement it derives from.

What was added (often the local numbers, deadlines and units that make a requirement concrete) and
what was left out, as character spans of the normalized texts.

>>> d = drift_texts("做好政务公开工作。", "2022年6月底前做好政务公开工作,每季度更新1次。")
>>> d["numbers_added"], d["deadlines_added"]
(['2022', '6', '1'], ['2022年6月底前', '每季度'])
>>> d["removed"]
[]
"""
from __future__ import annotations

import difflib
import re

import networkx as nx

from core.errors import CascadeError

__all__ = ["drift", "drift_texts"]

_NUMBER = re.compile(r"\d+(?:\.\d+)?%?|[一二三四五六七八九十百千两]+(?=[个项次条家类批月年天日周])")
_DEADLINE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|上半年|下半年)?前?|\d{1,2}月\d{1,2}日前|\d{1,2}月底前|"
                       r"每(?:年|季度|半年|月|周)|年底前|年内|长期|持续")
_TRIVIAL = re.compile(r"^[\s,,。、;;::()()“”\"]*$")


def drift_texts(upper: str, lower: str) -> dict:
    """The difference between two texts: ``{added, removed, numbers_added, deadlines_added, spans}``.

    ``spans`` are ``{op, upper, lower}`` with ``op`` one of ``insert``, ``delete``, ``replace``.
    """
    upper, lower = upper or "", lower or ""
    sm = difflib.SequenceMatcher(None, upper, lower, autojunk=False)
    spans, added, removed = [], [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        a, b = upper[i1:i2], lower[j1:j2]
        spans.append({"op": op, "upper": a, "lower": b})
        if b and not _TRIVIAL.match(b):
            added.append(b)
        if a and not _TRIVIAL.match(a):
            removed.append(a)
    up_numbers = set(_NUMBER.findall(upper))
    numbers_added = [n for n in dict.fromkeys(_NUMBER.findall(lower)) if n not in up_numbers]
    up_deadlines = set(_DEADLINE.findall(upper))
    deadlines_added = [x for x in dict.fromkeys(_DEADLINE.findall(lower)) if x not in up_deadlines]
    return {"added": added, "removed": removed, "numbers_added": numbers_added,
            "deadlines_added": deadlines_added, "spans": spans,
            "similarity": round(sm.ratio(), 3)}


def drift(G: nx.MultiDiGraph, lower_id: str, upper_id: str) -> dict:
    """Drift between a lower task and the upper task (or section) it derives from.

    Returns :func:`drift_texts`'s dict plus ``lower``, ``upper``, ``linked`` (whether a
    ``DERIVED_FROM`` edge joins them) and ``deadlines`` (the lower task's parsed deadlines that the
    upper one lacks).
    """
    for n in (lower_id, upper_id):
        if n not in G:
            raise CascadeError(f"no node '{n}' in the graph")
    lo, up = G.nodes[lower_id], G.nodes[upper_id]
    up_text = up.get("text_norm") if up.get("label") == "Task" else up.get("title")
    out = drift_texts(up_text, lo.get("text_norm"))
    linked = any(d.get("type") == "DERIVED_FROM" for d in (G.get_edge_data(lower_id, upper_id) or {}).values())
    up_deadlines = set(up.get("deadlines") or [])
    out.update({"lower": lower_id, "upper": upper_id, "linked": linked,
                "deadlines": [x for x in lo.get("deadlines") or [] if x not in up_deadlines]})
    return out
