"""One requirement's trace asked of the store (queries/backend.py: embedded or Bolt), not of a loaded graph.

The lower tasks are the saved ``trace`` query's rows (``queries/cypher/trace.cypher``), paged by the
store; the chain above is one indexed lookup per step, the documents' levels and titles one lookup for
the documents on the page. What needs the whole graph is left out: the coverage status of each lower
document (a gap is an absence, found only against every expected pair) and the depth of each lower task
in the tree; ``queries.trace`` gives those when the graph is loaded.
"""
from __future__ import annotations

from core.errors import CascadeError

__all__ = ["find_task", "first_task", "search_tasks", "top_requirements", "trace", "unit_tasks"]

def _rows(backend, query: str, chunk: str | None = None, **params) -> list[list]:
    return [list(r) for r in backend.rows(query, params, chunk=chunk)[1]]


def search_tasks(backend, what: str, limit: int = 20) -> list[dict]:
    """The task whose id ``what`` is, else tasks whose text holds every word of ``what`` (spaces split
    words), those of an upper document first (a trace reads from the top down), then by document and
    id: ``{task, doc_id, text}``."""
    me = _rows(backend, "MATCH (t:Task {id: $id}) RETURN t.id, t.doc_id, t.text_norm", id=what)
    words = what.split()
    if me or not words:
        return [{"task": i, "doc_id": doc, "text": text} for i, doc, text in me]
    where = " AND ".join(f"t.text_norm CONTAINS $w{i}" for i in range(len(words)))
    hits = _rows(backend, f"MATCH (t:Task) WHERE {where} RETURN t.id AS id, t.doc_id AS doc, t.text_norm AS text "
                          "ORDER BY doc, id LIMIT 500", **{f"w{i}": w for i, w in enumerate(words)})
    uppers = {r[0] for r in _rows(backend, "MATCH (:Document)-[:IMPLEMENTS]->(d:Document) RETURN DISTINCT d.id")}
    hits.sort(key=lambda h: h[1] not in uppers)
    return [{"task": i, "doc_id": doc, "text": text} for i, doc, text in hits[:limit]]


def find_task(backend, what: str) -> str:
    """The first of :func:`search_tasks`: the task ``what`` names, or the first its words find."""
    return first_task(search_tasks(backend, what, 1), what)


def first_task(hits: list[dict], what: str) -> str:
    """The task of the first of ``hits`` (:func:`search_tasks`' answer for ``what``), or the error that
    nothing matches."""
    if not hits:
        raise CascadeError(f"no task matches '{what}'", key="no_task_match", what=what)
    return hits[0]["task"]


def top_requirements(backend, limit: int) -> list[tuple[str, str]]:
    """``(doc_id, task)`` of the first ``limit`` requirements of the top plans, those that implement no
    other document and that some document implements (the national 要点 of a nation-year): the plans
    from the highest level down, by id, each plan's tasks in reading order (position, then id)."""
    from core.records import LEVEL_RANK   # here: a kept trace's reader imports this module, not the records

    tops = _rows(backend, "MATCH (d:Document) WHERE NOT (d)-[:IMPLEMENTS]->(:Document) "
                          "AND (:Document)-[:IMPLEMENTS]->(d) RETURN d.id, d.level")
    out: list[tuple[str, str]] = []
    for doc, _ in sorted(tops, key=lambda r: (LEVEL_RANK.get(r[1], len(LEVEL_RANK)), r[0])):
        if len(out) >= limit:
            break
        out += [(doc, r[0]) for r in _rows(backend, "MATCH (t:Task) WHERE t.doc_id = $doc RETURN t.id AS id, "
                                                    "t.position AS position ORDER BY position, id LIMIT $limit",
                                           doc=doc, limit=limit - len(out))]
    return out


def _up(backend, task: str) -> list[str]:
    # queries.trace.trace_up's walk: the first target (by id) of each step's links not rejected.
    up, seen, node = [], {task}, task
    while True:
        above = [r[0] for r in _rows(backend, "MATCH (t:Task {id: $id})-[d:DERIVED_FROM]->(x) "
                                              "WHERE coalesce(d.status, 'proposed') <> 'rejected' "
                                              "RETURN x.id AS id ORDER BY id", id=node) if r[0] not in seen]
        if not above:
            return up
        node = above[0]
        seen.add(node)
        up.append(node)


def trace(backend, task: str, offset: int = 0, limit: int | None = None, whole: bool = False) -> dict:
    """``{task, up, down, total, offset, nodes, documents, source}``: ``up`` the chain above (ids, nearest first);
    ``down`` one page of the lower tasks (``{task, doc_id, level, number, text}``, in the saved query's
    order) of ``total``; ``nodes`` the task itself and those above (``{doc_id, number, text}``; a section
    above: its ``title``); ``documents`` ``{level, title}`` of every document named.

    ``whole``: the same answer from every lower task read once and the page cut from them, one run of the
    saved query where its total and its page are two (each a walk down every level: 0.1 s at 100,000
    tasks); for warming, which asks one first page of many requirements and whose totals nobody kept yet."""
    me = _rows(backend, "MATCH (t:Task {id: $id}) RETURN t.doc_id, t.number, t.text_norm", id=task)
    if not me:
        raise CascadeError(f"no task '{task}' in the graph")
    up = _up(backend, task)
    nodes = {task: {"doc_id": me[0][0], "number": me[0][1], "text": me[0][2]}}
    for i, doc, number, text in _rows(backend, "UNWIND $ids AS i MATCH (t:Task {id: i}) "
                                               "RETURN t.id, t.doc_id, t.number, t.text_norm", "ids", ids=up):
        nodes[i] = {"doc_id": doc, "number": number, "text": text}
    for i, doc, title in _rows(backend, "UNWIND $ids AS i MATCH (s:Section {id: i}) RETURN s.id, s.doc_id, s.title",
                               "ids", ids=[u for u in up if u not in nodes]):
        nodes[i] = {"doc_id": doc, "number": None, "text": title}
    if whole and backend.kind == "bolt":   # (the embedded store's trace reads every lower task once anyway)
        columns, rows = backend.page("trace", 0, None, task=task)
        every = [dict(zip(columns, r)) for r in rows]
        total, page = len(every), every[offset:None if limit is None else offset + limit]
    else:
        total, page = backend.trace(task, offset, limit)
    docs = sorted({r["doc_id"] for r in page} | {n["doc_id"] for n in nodes.values()} - {None})
    documents = {i: {"level": level, "title": title} for i, level, title in _rows(
        backend, "UNWIND $ids AS i MATCH (d:Document {id: i}) RETURN d.id, d.level, d.title", "ids", ids=docs)}
    down = [{"task": r["task"], "doc_id": r["doc_id"], "level": documents.get(r["doc_id"], {}).get("level"),
             "number": r["number"], "text": r["text"]} for r in page]
    return {"task": task, "up": up, "down": down, "total": total, "offset": offset, "nodes": nodes,
            "documents": documents, "source": backend.kind}



def unit_tasks(backend, unit: str, limit: int = 500) -> list[dict]:
    """The first ``limit`` plan tasks ``unit`` is assigned in its own right (the workload's rows),
    by document and id: ``{task, doc_id, number, role, text}``."""
    return [dict(zip(("task", "doc_id", "number", "role", "text"), r)) for r in _rows(
        backend, "MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit {id: $unit}) "
                 "WHERE a.`column` = 'own' AND coalesce(t.scope, 'plan') <> 'notice' "
                 "RETURN t.id AS task, t.doc_id AS doc_id, t.number AS number, a.role AS role, t.text_norm AS text "
                 "ORDER BY doc_id, task, role LIMIT $limit", unit=unit, limit=int(limit))]
