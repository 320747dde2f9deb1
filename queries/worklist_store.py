"""What the worklist shows besides the gap rows, asked of the store (queries/backend.py: embedded or Bolt).

The gap rows themselves are the saved ``gaps`` query, paged and filtered by the store
(:meth:`queries.backend.Backend.table`). Here: the values its filters can take, the documents and tasks
a row names, and the rows an analyst marked (graph/marks.py names a row by its requirement and lower
document, so a mark is found again without the graph). Every query looks nodes up by ``id`` (indexed
on both backends) or reads one row per document, never a task per row of the whole graph.

>>> _ordered_levels(["county", None, "city", "other"])
['city', 'county', 'other']
"""
from __future__ import annotations

import json

from core.records import LEVELS

__all__ = ["gap_filters", "documents", "tasks", "marked_rows", "as_list"]

_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}


def _ordered_levels(levels) -> list[str]:
    return sorted({v for v in levels if v}, key=lambda v: (_RANK.get(v, len(LEVELS)), v))


def as_list(v) -> list:
    """A list property as a list: a Bolt push may carry it as JSON text.

    >>> as_list('["a", "b"]'), as_list(None), as_list("a")
    (['a', 'b'], [], ['a'])
    """
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            return [v]
    return list(v or [])


def gap_filters(backend) -> dict:
    """``{"levels", "regions"}``: the levels (top first) and regions of the documents that implement
    another, the only ones a gap row can name as its lower document."""
    _, rows = backend.rows("MATCH (lo:Document)-[:IMPLEMENTS]->(:Document) "
                           "RETURN DISTINCT lo.level AS level, lo.region AS region")
    return {"levels": _ordered_levels(r[0] for r in rows), "regions": sorted({r[1] for r in rows if r[1]})}


def documents(backend, ids) -> dict[str, dict]:
    """``{id: {title, level, region, year, issuer, doc_no, source}}`` of the documents ``ids`` names."""
    keys = ("title", "level", "region", "year", "issuer", "doc_no", "source")
    _, rows = backend.rows("UNWIND $ids AS i MATCH (d:Document {id: i}) RETURN d.id, d.title, d.level, d.region, d.year, "
                           "d.issuer, d.doc_no, d.source", {"ids": sorted(set(ids))}, chunk="ids")
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def document_tasks(backend, doc: str) -> list[dict]:
    """``[{id, number, text}]`` of the document ``doc``'s tasks, in the order it prints them."""
    _, rows = backend.rows("MATCH (t:Task) WHERE t.doc_id = $d RETURN t.id, t.number, t.text_norm, t.position",
                           {"d": doc})
    return [{"id": r[0], "number": r[1], "text": r[2]} for r in sorted(rows, key=lambda r: (r[3] is None, r[3] or 0))]


def tasks(backend, ids) -> dict[str, dict]:
    """``{id: {doc_id, number, text, text_norm, line, position, deadlines}}`` of the tasks ``ids`` names."""
    keys = ("doc_id", "number", "text", "text_norm", "line", "position", "deadlines")
    _, rows = backend.rows("UNWIND $ids AS i MATCH (t:Task {id: i}) RETURN t.id, t.doc_id, t.number, t.text, t.text_norm, "
                           "t.line, t.position, t.deadlines", {"ids": sorted(set(ids))}, chunk="ids")
    return {r[0]: {**dict(zip(keys, r[1:])), "deadlines": as_list(r[7])} for r in rows}


def marked_rows(backend, marks: dict) -> list[dict]:
    """The rows ``marks`` (``{(upper, lower_doc): {verdict, note, marked_at}}``, graph/marks.py) names, with
    what the store holds of them: ``{upper, upper_doc, number, text, lower_doc, lower_title, lower_issuer,
    lower_level, lower_region, lower_year, verdict, note, marked_at}``, by lower document and requirement.
    A requirement the store no longer holds keeps its row, with no text."""
    found = tasks(backend, [up for up, _ in marks])
    docs = documents(backend, [lo for _, lo in marks] + [t["doc_id"] for t in found.values() if t["doc_id"]])
    out = []
    for (upper, lower_doc), mark in sorted(marks.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        task = found.get(upper) or {}
        lower = docs.get(lower_doc) or {}
        out.append({"upper": upper, "upper_doc": task.get("doc_id"),
                    "upper_title": (docs.get(task.get("doc_id")) or {}).get("title"),
                    "number": task.get("number"), "text": task.get("text_norm"), "lower_doc": lower_doc,
                    **{f"lower_{k}": lower.get(k) for k in ("title", "issuer", "level", "region", "year")},
                    "verdict": mark.get("verdict"), "note": mark.get("note"), "marked_at": mark.get("marked_at")})
    return out
