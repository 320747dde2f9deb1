"""The overview's numbers asked of the store (queries/backend.py: embedded or Bolt), not of a loaded graph.

Same answers as ``queries.overview.label_counts`` / ``documents_table`` and
``queries.view.documents_by_level_year`` on the graph the store holds, from a few aggregate queries
whose results are one row per label, per document or per (level, year): at a nation-year that is
25,000 rows, not the million tasks. The queries are portable (no ``labels()``/``label()``, which the
embedded engine and Neo4j spell differently; one count per label and type instead).
"""
from __future__ import annotations

from collections import Counter

from core.records import LEVELS
from queries.overview import COUNTED
from queries.worklist_store import as_list

__all__ = ["overview", "NODE_LABELS", "REL_TYPES"]

NODE_LABELS = ("Document", "Section", "Task", "Unit")
REL_TYPES = ("CONTAINS", "ASSIGNED_TO", "DERIVED_FROM", "IMPLEMENTS", "ISSUED_BY", "MEMBER_OF", "CONTINUES")


def _one(backend, query: str) -> int:
    try:
        return int(backend.rows(query)[1][0][0])
    except Exception as err:  # noqa: BLE001 - a type the store has no table for (embedded): none of it
        from core.errors import QueryError

        if isinstance(err, QueryError) and backend.kind == "embedded":
            return 0
        raise


def overview(backend) -> dict:
    """``{"counts", "documents", "per_level_year"}``, as the graph functions give them."""
    counts = {}
    for label in NODE_LABELS:
        counts[label] = _one(backend, f"MATCH (n:{label}) RETURN count(n) AS c")
    for rel in REL_TYPES:
        counts[rel] = _one(backend, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c")
    counts = {k: v for k, v in sorted(counts.items()) if v}

    # (a document's tasks as an analyst counts them: not its framing sentences, queries.overview.counted)
    counted = COUNTED.format("t")
    tasks = dict(backend.rows(f"MATCH (t:Task) WHERE {counted} RETURN t.doc_id AS doc, count(t) AS n")[1])
    linked = dict(backend.rows(f"MATCH (t:Task)-[:DERIVED_FROM]->() WHERE {counted} "
                               "RETURN t.doc_id AS doc, count(*) AS n")[1])
    _, docs = backend.rows("MATCH (d:Document) RETURN d.id AS id, d.level AS level, d.region AS region, "
                           "d.year AS year, d.title AS title, d.truncated AS truncated, d.warnings AS warnings")
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows = [{"id": i, "level": lvl, "region": region, "year": year, "title": title, "tasks": tasks.get(i, 0),
             "linked_tasks": linked.get(i, 0), "truncated": bool(trunc), "warnings": "; ".join(as_list(warn))}
            for i, lvl, region, year, title, trunc, warn in docs]
    rows.sort(key=lambda r: (rank.get(r["level"], 9), -(r["year"] or 0), r["id"]))
    c = Counter((r["level"], r["year"]) for r in rows)
    per = [{"level": lvl, "year": yr, "documents": n}
           for (lvl, yr), n in sorted(c.items(), key=lambda x: (rank.get(x[0][0], len(LEVELS)), -(x[0][1] or 0)))]
    return {"counts": counts, "documents": rows, "per_level_year": per}
