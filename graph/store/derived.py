"""The store's derived rows kept true when an incremental build changes the database in place.

A full save writes the workload rows whole (:mod:`graph.workload_rows`, through :mod:`graph.store.bulk`).
An incremental build replaces the tasks of a few documents inside one write transaction
(:func:`graph.store.save_layer`), which changes the counts of the units those tasks name, and of those
only. Counts add up document by document, so :func:`update_workload` takes the documents' counts out as
they were and adds them as they are now, from their own graphs: a few primary-key lookups (at 1M tasks,
milliseconds). :func:`refresh_workload` counts units' rows again in the database instead, for a build
that no longer has a document's previous graph: the engine's walk from a unit to its tasks joins whole
tables, 5-7 s at 1M tasks however few the units.

The gap rows (:mod:`graph.gap_rows`) of the pairs of plans a change can reach are counted again by the
incremental build (:mod:`cascade.incremental.gaps`); :func:`replace_gaps` puts them in place of those
pairs' rows. The not-assessable rows (:mod:`graph.not_assessable_rows`) the same way
(:func:`replace_not_assessable`), for the pairs :mod:`cascade.incremental.not_assessable` names. The
local-addition rows (:mod:`graph.local_addition_rows`) of the documents a change reaches are asked again
(:mod:`cascade.incremental.local_additions`) and put in place by :func:`replace_local_additions`.
"""
from __future__ import annotations

from core.records import ROLES

from ..gap_rows import GAP_COLUMNS, GAP_LABEL
from ..local_addition_rows import LOCAL_ADDITION_COLUMNS, LOCAL_ADDITION_LABEL
from ..not_assessable_rows import NOT_ASSESSABLE_COLUMNS, NOT_ASSESSABLE_LABEL
from ..workload_rows import COUNTED, WORKLOAD_COLUMNS, WORKLOAD_LABEL, WORKLOAD_REL, row_id, workload_counts

__all__ = ["update_workload", "refresh_workload", "read_workload", "read_gaps", "replace_gaps", "read_not_assessable",
           "replace_not_assessable", "read_local_additions", "replace_local_additions", "read_kept_rows"]

_ROLE = "coalesce(a.role, 'implement')"
# The units' own assignments of plan tasks, by level of the task's document: graph.workload_rows's
# definition in Cypher.
_COUNT = ("UNWIND $units AS x MATCH (u:Unit {id: x})<-[a:ASSIGNED_TO]-(t:Task), (doc:Document) "
          "WHERE doc.id = t.doc_id AND coalesce(a.`column`, 'own') = 'own' AND coalesce(t.scope, 'plan') <> 'notice' "
          "RETURN u.id, u.name, doc.level, "
          + ", ".join(f"count(DISTINCT CASE WHEN {_ROLE} = '{r}' THEN t.id END)" for r in ROLES)
          + ", count(DISTINCT t.id)")
_COLUMNS = ", ".join(f"w.`{c}`" for c in COUNTED)


def _rows(conn, query: str, params: dict) -> list[list]:
    result = conn.execute(query, params)
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def update_workload(conn, before, after) -> None:
    """Change the workload rows on ``conn`` (in the caller's transaction) from what the graphs ``before``
    count (the replaced or removed documents' own graphs, as the store held them) to what ``after``
    count (the new documents' own graphs): a row whose total falls to nothing goes, a new one comes
    with its ``WORKLOAD_OF`` relationship. Call it once the units named are in the store."""
    change: dict[tuple, list[int]] = {}
    names: dict[str, str] = {}
    for sign, graphs in ((-1, before), (1, after)):
        for g in graphs:
            for key, counts in workload_counts(g).items():
                names[key[0]] = g.nodes[key[0]].get("name")
                diff = change.setdefault(key, [0] * len(COUNTED))
                for i, c in enumerate(counts):
                    diff[i] += sign * c
    keys = {row_id(*key): key for key, diff in change.items() if any(diff)}
    if not keys:
        return
    stored = {r[0]: r[1:] for r in _rows(conn, f"UNWIND $ids AS x MATCH (w:{WORKLOAD_LABEL} {{id: x}}) "
                                               f"RETURN w.id, {_COLUMNS}", {"ids": sorted(keys)})}
    gone, kept, new = [], [], []
    for rid, (unit, level) in sorted(keys.items()):
        now = [a + b for a, b in zip(stored.get(rid, [0] * len(COUNTED)), change[(unit, level)])]
        row = {"id": rid, "unit": unit, "name": names[unit], "level": level, **dict(zip(COUNTED, now))}
        if now[-1] <= 0:
            if rid in stored:
                gone.append(rid)
        else:
            (kept if rid in stored else new).append(row)
    if gone:
        _rows(conn, f"UNWIND $ids AS x MATCH (w:{WORKLOAD_LABEL} {{id: x}}) DETACH DELETE w", {"ids": gone})
    if kept:
        sets = ", ".join(f"w.`{c}` = r.`{c}`" for c in COUNTED)
        _rows(conn, f"UNWIND $rows AS r MATCH (w:{WORKLOAD_LABEL} {{id: r.id}}) SET {sets}", {"rows": kept})
    _create(conn, new)


def _create(conn, rows: list[dict]) -> None:
    """New rows and their relationships to their units: one ``MATCH`` on both keys a relationship, which
    finds them by their indexes (an ``UNWIND … MATCH`` joins whole tables)."""
    if not rows:
        return
    columns = ", ".join(f"`{c}`: r.`{c}`" for c in rows[0])
    _rows(conn, f"UNWIND $rows AS r CREATE (:{WORKLOAD_LABEL} {{{columns}}})", {"rows": rows})
    link = f"MATCH (w:{WORKLOAD_LABEL} {{id: $id}}), (u:Unit {{id: $unit}}) CREATE (w)-[:{WORKLOAD_REL}]->(u)"
    for r in rows:
        conn.execute(link, {"id": r["id"], "unit": r["unit"]})


def refresh_workload(conn, units) -> None:
    """Count the workload rows of ``units`` again on ``conn`` (in the caller's transaction): their rows go
    (those of a unit no longer in the store too), then the rows the database now gives them come back.
    ``units``: every unit whose assignments changed, named before the change or after it."""
    units = sorted(set(units))
    if not units:
        return
    _rows(conn, f"MATCH (w:{WORKLOAD_LABEL}) WHERE w.unit IN $units DETACH DELETE w", {"units": units})
    _create(conn, [{"id": row_id(u, level), "unit": u, "name": name, "level": level, **dict(zip(COUNTED, counts))}
                   for u, name, level, *counts in _rows(conn, _COUNT, {"units": units})])


def replace_gaps(conn, pairs, rows: list[dict]) -> None:
    """On ``conn`` (in the caller's transaction), the gap rows of ``pairs`` of (lower plan, upper plan) go,
    and ``rows`` (dicts of :data:`graph.gap_rows.GAP_COLUMNS`, those pairs' rows now) come: a pass over
    the gap rows, not the graph (at a nation-year 106,636 rows, milliseconds)."""
    _replace_pairs(conn, GAP_LABEL, GAP_COLUMNS, pairs, rows)


def replace_not_assessable(conn, pairs, rows: list[dict]) -> None:
    """:func:`replace_gaps` for the not-assessable rows (:data:`graph.not_assessable_rows.NOT_ASSESSABLE_COLUMNS`)."""
    _replace_pairs(conn, NOT_ASSESSABLE_LABEL, NOT_ASSESSABLE_COLUMNS, pairs, rows)


def replace_local_additions(conn, docs, rows: list[dict]) -> None:
    """On ``conn`` (in the caller's transaction), the local-addition rows of the documents ``docs`` go and
    ``rows`` (dicts of :data:`graph.local_addition_rows.LOCAL_ADDITION_COLUMNS`, their rows now) come."""
    _rows(conn, f"MATCH (r:{LOCAL_ADDITION_LABEL}) WHERE r.lower_doc IN $docs DELETE r", {"docs": sorted(docs) or ["\x00"]})
    _create_rows(conn, LOCAL_ADDITION_LABEL, LOCAL_ADDITION_COLUMNS, rows)


def _create_rows(conn, label: str, schema: list[tuple[str, str]], rows: list[dict]) -> None:
    if rows:
        columns = ", ".join(f"`{c}`: r.`{c}`" for c, _ in schema)
        _rows(conn, f"UNWIND $rows AS r CREATE (:{label} {{{columns}}})", {"rows": rows})


def _replace_pairs(conn, label: str, schema: list[tuple[str, str]], pairs, rows: list[dict]) -> None:
    # an empty list has no type for the engine: a value no pair's key is stands in
    keys = sorted({f"{low}|{up}" for low, up in pairs}) or ["\x00"]
    _rows(conn, f"MATCH (g:{label}) WHERE (g.lower_doc + '|' + g.upper_doc) IN $keys DELETE g", {"keys": keys})
    _create_rows(conn, label, schema, rows)


def read_workload(store):
    """The store's workload rows, by id, as a callable that gives them afresh (dicts of
    :data:`graph.workload_rows.WORKLOAD_COLUMNS`, read from one Arrow table: 340,603 rows at a
    nation-year take a few tens of MB as columns, several times that as dicts); None for a store written
    before it kept them."""
    return _read_rows(store, WORKLOAD_LABEL, WORKLOAD_COLUMNS)


def read_gaps(store):
    """The store's gap rows (:data:`graph.gap_rows.GAP_COLUMNS`), by id, as :func:`read_workload` gives
    the workload rows; None for a store written before it kept them."""
    return _read_rows(store, GAP_LABEL, GAP_COLUMNS)


def read_not_assessable(store):
    """The store's not-assessable rows (:data:`graph.not_assessable_rows.NOT_ASSESSABLE_COLUMNS`), by id, as
    :func:`read_workload` gives the workload rows; None for a store written before it kept them."""
    return _read_rows(store, NOT_ASSESSABLE_LABEL, NOT_ASSESSABLE_COLUMNS)


def read_local_additions(store):
    """The store's local-addition rows (:data:`graph.local_addition_rows.LOCAL_ADDITION_COLUMNS`), by id, as
    :func:`read_workload` gives the workload rows; None for a store written before it kept them."""
    return _read_rows(store, LOCAL_ADDITION_LABEL, LOCAL_ADDITION_COLUMNS)


def read_kept_rows(store) -> dict:
    """The rows the store keeps for the saved queries that page them, as :func:`graph.push.push` takes
    them: ``{"gaps", "not_assessable", "local_additions"}`` (each None from a store written before it)."""
    return {"gaps": read_gaps(store), "not_assessable": read_not_assessable(store),
            "local_additions": read_local_additions(store)}


def _read_rows(store, label: str, schema: list[tuple[str, str]]):
    from .versions import open_database

    columns = ", ".join(f"w.`{c}` AS `{c}`" for c, _ in schema)
    db, conn = open_database(store)
    try:
        table = conn.execute(f"MATCH (w:{label}) RETURN {columns} ORDER BY `id`").get_as_arrow()
    except RuntimeError:   # no such table
        return None
    finally:
        conn.close()
        db.close()
    return lambda: (row for batch in table.to_batches(10_000) for row in batch.to_pylist())
