"""The store's gap rows (:mod:`graph.gap_rows`) and not-assessable rows (:mod:`graph.not_assessable_rows`)
after an incremental change: the rows of every pair of plans the change can reach are counted again; the
others stay as the store holds them.

A gap row of a (lower plan, upper plan) pair depends on the two plans (their properties, tasks and
sections), the ``IMPLEMENTS`` edge between them, the ``DERIVED_FROM`` links between their tasks, and the
lower plan's issuer with the collectives covering it (``MEMBER_OF``, 1-3 steps). So the pairs counted
again are

* those the plan links again or drops (:class:`cascade.incremental.plan.Plan`'s ``dirty_pairs`` and
  ``stale_pairs``): every pair of a touched document, and every pair whose ``IMPLEMENTS`` edge came or
  went;
* those of a lower plan whose issuer reaches, in 0-2 ``MEMBER_OF`` steps, a unit one of whose
  ``MEMBER_OF`` edges changed (the first changed edge on any path of the issuer's covering starts there).

A pair is judged by :func:`queries.gaps.coverage` on what the store holds of it, read from the upper
plan's id down (:func:`queries.coverage_store.coverage_graph`, a few small queries an upper plan: at a
nation-year about 0.15 s), the analysis the definition ``graph/gap_rows.cypher`` is tested equal to:
that definition run on a few plans costs as much as on all of them (about 1 s at a nation-year: the
engine joins whole tables whatever the plans asked).

A skip-level pair's gap rows (a requirement naming the lower issuer, no plan between held) depend on
those chains too, so a pair that came to qualify or stopped is counted again for its gap rows as well.

A pair has not-assessable rows only if it qualifies (the lower document is partial, or the pair skips a
level with no plan between held, or a level is unknown: :func:`graph.not_assessable_rows.pairs_query`),
which depends on the ``IMPLEMENTS`` chains beside the pair too: a plan between added or removed turns a
skip-level pair not_assessable or not_applicable without touching either document. So the store is
asked which pairs qualify before the change and after it (the definition's first part, tens of
milliseconds at a nation-year), and counted again are the pairs that came to qualify and the qualifying
pairs the rule above reaches; the rows of those that no longer qualify go. (The pairs the stored rows
hold would not do for "before": a pair that qualifies and owes nothing holds none, and would be counted
again by every build.)
"""
from __future__ import annotations

from cascade.incremental.db import Db
from cascade.incremental.plan import Plan
from graph.gap_rows import gap_row
from graph.not_assessable_rows import not_assessable_row, pairs_query
from graph.store import replace_gaps, replace_not_assessable

__all__ = ["recount_gaps", "gap_rows_of", "pair_rows_of", "qualifying_pairs"]


class _Reader:
    """What :mod:`queries.coverage_store` reads through (:meth:`queries.backend.Backend.rows`), on the
    build's write transaction: it sees the change."""

    def __init__(self, db: Db):
        self.db = db

    def rows(self, query: str, params: dict | None = None, chunk: str | None = None) -> tuple[list, list[list]]:
        return [], self.db.rows(query, **(params or {}))


def qualifying_pairs(db: Db) -> set[tuple[str, str]]:
    """The (lower document, upper document) pairs whose rows are not-assessable ones, as the database
    now holds them."""
    return {(r[0], r[1]) for r in db.rows(pairs_query())}


def pair_rows_of(db: Db, pairs) -> tuple[list[dict], list[dict]]:
    """The gap rows (:data:`graph.gap_rows.GAP_COLUMNS`) and the not-assessable rows
    (:data:`graph.not_assessable_rows.NOT_ASSESSABLE_COLUMNS`) of ``pairs`` of (lower plan, upper plan) as
    the database now holds them, the pairs of one upper plan read together."""
    from queries.coverage_store import coverage_graph, rows_of

    lowers_of: dict[str, list[str]] = {}
    for low, up in pairs:
        lowers_of.setdefault(up, []).append(low)
    reader, gaps, unjudged = _Reader(db), [], []
    for up, lowers in sorted(lowers_of.items()):
        G = coverage_graph(reader, up, lowers)
        for r in rows_of(G, up, lowers):
            if r["status"] == "gap":
                gaps.append(gap_row(G, r["upper"], up, r["lower_doc"]))
            elif r["status"] == "not_assessable":
                unjudged.append(not_assessable_row(G, r["upper"], up, r["lower_doc"]))
    return gaps, unjudged


def gap_rows_of(db: Db, pairs) -> list[dict]:
    """The gap rows of ``pairs`` (:func:`pair_rows_of`)."""
    return pair_rows_of(db, pairs)[0]


def recount_gaps(db: Db, plan: Plan, delta: dict, docs: dict, gone_members: list,
                 qualified: set[tuple[str, str]]) -> int:
    """Count the gap rows and the not-assessable rows of the pairs the change reaches again (the module
    doc), once the change is in the database. ``delta``: the change's graph layer (its ``MEMBER_OF``
    edges removed and added); ``docs``: every document after the change; ``gone_members``: the
    ``MEMBER_OF`` edges into units the change removed (gone with them, in no layer); ``qualified``: the
    pairs that qualified for not-assessable rows before the change (:func:`qualifying_pairs`). Returns
    the pairs counted."""
    removed = {(r[1], r[2]) for r in delta["remove_relationships"] if r[0] == "MEMBER_OF"}
    added = {(r["start"], r["end"]) for r in delta["relationships"] if r["type"] == "MEMBER_OF"}
    starts = {m for m, _ in (removed ^ added) | {tuple(e) for e in gone_members}}
    pairs = set(plan.dirty_pairs)
    if starts:
        reach = starts | {r[0] for r in db.rows("MATCH (i:Unit)-[:MEMBER_OF*1..2]->(a:Unit) WHERE a.id IN $a "
                                                "RETURN DISTINCT i.id", a=sorted(starts))}
        covered = {d for d, info in docs.items() if info.get("issuer_uid") in reach}
        pairs |= {p for p in plan.implements if p[0] in covered}
    now = qualifying_pairs(db)
    unjudged = (now & pairs) | (now - qualified)
    # a plan between added or removed: a skip-level pair's gap rows come or go with it
    gapped = pairs | {p for p in now ^ qualified if p in plan.implements}
    gap_rows, unjudged_rows = pair_rows_of(db, sorted(gapped | unjudged))
    of = lambda rows, keep: [r for r in rows if (r["lower_doc"], r["upper_doc"]) in keep]  # noqa: E731
    replace_gaps(db.conn, gapped | (now ^ qualified) | set(plan.stale_pairs), of(gap_rows, gapped))
    replace_not_assessable(db.conn, unjudged | (qualified - now) | set(plan.stale_pairs), of(unjudged_rows, unjudged))
    return len(pairs | unjudged)
