"""The store's local-addition rows (:mod:`graph.local_addition_rows`) kept true by an incremental build.

A document's rows depend on its own tasks, their links up and whether it implements another; so they
change only for the documents the change touched, those whose links to a plan above were made again or
dropped (the lower side of the plan's dirty and stale pairs), and those whose ``IMPLEMENTS`` were made
again. Their rows go and the definition is asked again of their tasks, each found by its key: the
definition run whole joins every task with its links (1.2-2 s at a nation-year), the tasks of a few
documents take milliseconds.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from cascade.incremental.cache import record_graph
from cascade.incremental.db import Db
from cascade.incremental.plan import Plan
from graph.local_addition_rows import LOCAL_ADDITION_COLUMNS, tasks_query
from graph.store import replace_local_additions

__all__ = ["recount_local_additions"]


def recount_local_additions(db: Db, plan: Plan, H: nx.MultiDiGraph, own: dict, docs: dict, cache: Path) -> int:
    """Ask the rows of the documents the change reaches again, once the change is in the database.
    ``H``: the relinked documents' graph; ``own``: each changed document's own graph; ``docs``: every
    document after the change. Returns the documents asked."""
    reached = set(plan.touched) | set(plan.reimplemented)
    reached |= {low for low, _ in plan.dirty_pairs | plan.stale_pairs}
    ids: list[str] = []
    unknown: list[str] = []
    for d in sorted(reached):
        if d not in docs:   # removed: its rows only go
            continue
        g = own.get(d)
        if g is None and d in H and H.nodes[d].get("label") == "Document":
            ids += [t for t, data in H.nodes(data=True) if data.get("label") == "Task" and data.get("doc_id") == d]
            continue
        if g is None:
            g = record_graph(cache, docs[d]["key"])
        if g is None:   # records gone from the cache: the database knows its tasks (a pass over them)
            unknown.append(d)
            continue
        ids += [t for t, label in g.nodes(data="label") if label == "Task"]
    if unknown:
        ids += [r[0] for r in db.rows("MATCH (t:Task) WHERE t.doc_id IN $d RETURN t.id", d=unknown)]
    names = [c for c, _ in LOCAL_ADDITION_COLUMNS]
    rows = [dict(zip(names, r)) for r in db.rows(tasks_query(), ids=sorted(set(ids)))] if ids else []
    replace_local_additions(db.conn, reached, rows)
    return len(reached)
