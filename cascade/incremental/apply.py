"""Applying an incremental change: the database (inside the store's write transaction) and the graph
layer of the new version — the touched documents' nodes replaced, their units brought up to date, the
document links of the plan, and the collectives' members redone (:mod:`cascade.incremental.members`).
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from cascade.incremental.cache import record_graph
from cascade.incremental.db import UNIT_PROPS, Db, counts_after, node_json, rel_json
from cascade.incremental.gaps import qualifying_pairs, recount_gaps
from cascade.incremental.local_additions import recount_local_additions
from cascade.incremental.members import redo_membership
from cascade.incremental.plan import Plan
from graph.store import refresh_workload, update_workload

__all__ = ["apply_change", "Decline"]


class Decline(Exception):
    """The fast path cannot do this change exactly: the build goes the full way."""


def apply_change(conn, bulk: bool, previous: Path, plan: Plan, H: nx.MultiDiGraph, own: dict, docs: dict,
                 cache: Path) -> tuple[dict, dict]:
    """Write the change into the version's database (``conn``, in its write transaction; ``bulk``: whether
    it may ``COPY``) and return the graph layer and the version's counts. ``H``: the relinked documents'
    graph; ``own``: each changed document's own graph; ``docs``: every document's state after the change."""
    db = Db(conn, bulk)
    delta = _apply(db, plan, H, own, docs, cache)
    counts = counts_after(previous, delta)
    if counts is None:   # nodes went with their edges: count in the database
        counts = db.counts()
    return delta, counts


def _apply(db: Db, plan: Plan, H: nx.MultiDiGraph, own: dict, docs: dict, cache: Path) -> dict:
    """Change the database and return the graph layer: the touched documents' nodes replaced, their
    units brought up to date, the document links of ``plan`` and the collectives' members redone, the
    derived rows (workload, gaps, local additions) counted again where the change reaches them."""
    # "replaced": nodes of "nodes" already in the store (their properties change): counted once
    delta = {"remove_nodes": [], "remove_relationships": [], "nodes": [], "relationships": [], "replaced": []}
    # the pairs whose rows cannot be judged before the change: a change elsewhere on their ladder can
    # turn them (cascade/incremental/gaps.py)
    qualified = qualifying_pairs(db)
    # what the store holds of the touched documents, before they go (an added one has nothing there)
    stored = sorted(d for d in plan.touched if d in plan.old_docs)
    old_units, old_nodes = _stored_nodes(db, plan, stored, cache)
    units = sorted(old_units | {n for g in own.values() for n, d in g.nodes(data=True) if d.get("label") == "Unit"})
    old_first = db.first_mentions(units)
    _remove(db, plan, delta, old_nodes)
    old_rows = db.unit_rows(units)
    new_first = db.first_mentions(units) if stored else old_first
    unit_nodes, gone_units, gone_members = _units(db, plan, delta, units, old_rows, old_first, new_first, own, docs,
                                                  cache)
    _add_documents(db, plan, delta, H, own, docs)
    redo_membership(db, plan, delta, set(units), old_rows, unit_nodes, gone_units, docs)
    _workload(db, plan, stored, own, units, cache)
    recount_gaps(db, plan, delta, docs, gone_members, qualified)
    recount_local_additions(db, plan, H, own, docs, cache)
    return delta


def _workload(db: Db, plan: Plan, stored: list[str], own: dict, units: list[str], cache: Path) -> None:
    """The workload rows of the units the touched documents name: their counts as the store held them out,
    as they are now in; counted again in the database when a stored document's records are gone."""
    before = [_stored_graph(plan, d, cache) for d in stored]
    if all(g is not None for g in before):
        update_workload(db.conn, before, [own[d] for d in sorted(own)])
    else:
        refresh_workload(db.conn, units)


def _stored_nodes(db: Db, plan: Plan, stored: list[str], cache: Path) -> tuple[set, dict[str, list]]:
    """The units the stored documents name and their own nodes (tasks, sections, the document) by label."""
    # their nodes and units: from the records they were built from, found by key (the primary-key index);
    # finding them by document id in the database is a pass over every task and section (1M: 0.2 s)
    graphs = [_stored_graph(plan, d, cache) for d in stored]
    known = all(g is not None for g in graphs)
    old_units, old_nodes = set(), {"Task": [], "Section": [], "Document": []}
    if stored and known:
        for g in graphs:
            old_units.update(v for _, v, t in g.edges(data="type") if t in ("ASSIGNED_TO", "ISSUED_BY"))
            for n, label in g.nodes(data="label"):
                if label in old_nodes:
                    old_nodes[label].append(n)
    elif stored:
        old_units = {r[0] for r in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE t.doc_id IN $d "
                                           "RETURN DISTINCT u.id", d=stored)}
        old_units |= {r[0] for r in db.rows("MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE x.id IN $d "
                                            "RETURN DISTINCT u.id", d=stored)}
        for label, col in (("Task", "doc_id"), ("Section", "doc_id"), ("Document", "id")):
            old_nodes[label] = [r[0] for r in db.rows(f"MATCH (n:{label}) WHERE n.{col} IN $d RETURN n.id", d=stored)]
    return old_units, old_nodes


def _remove(db: Db, plan: Plan, delta: dict, old_nodes: dict[str, list]) -> None:
    """The touched documents' nodes go, with the document and task links between documents that stay
    which the plan makes again."""
    for label, ids in old_nodes.items():
        if ids:
            delta["remove_nodes"] += sorted(ids)
            db.rows(f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) DETACH DELETE n", ids=sorted(ids))
    # document links that change between documents that stay
    keep_docs = [a for a in sorted(plan.reimplemented) if a not in plan.touched]
    for a, b in db.rows("MATCH (a:Document)-[r:IMPLEMENTS]->(b:Document) WHERE a.id IN $d RETURN a.id, b.id", d=keep_docs):
        delta["remove_relationships"].append(["IMPLEMENTS", a, b])
    db.rows("MATCH (a:Document)-[r:IMPLEMENTS]->(:Document) WHERE a.id IN $d DELETE r", d=keep_docs)
    for a, b in sorted(plan.stale_pairs):
        if a in plan.touched or b in plan.touched:
            continue
        q = "MATCH (x:Task)-[r:DERIVED_FROM]->(y) WHERE x.doc_id = $a AND y.doc_id = $b"
        delta["remove_relationships"] += [["DERIVED_FROM", x, y] for x, y in db.rows(q + " RETURN x.id, y.id", a=a, b=b)]
        db.rows(q + " DELETE r", a=a, b=b)


def _units(db: Db, plan: Plan, delta: dict, units: list[str], old_rows: dict, old_first: dict, new_first: dict,
           own: dict, docs: dict, cache: Path) -> tuple[dict, list, list]:
    """The units the touched documents name, as a full build makes them: properties from the first
    mention in document-id order, aliases from every mention. Returns those that changed or are new
    (id → properties), those no document names any more (gone from the database) and the ``MEMBER_OF``
    edges into those, gone with them (the gap rows of their members' plans change)."""
    unit_nodes, gone_units = {}, []
    for u in units:
        cands = [x for x in [new_first.get(u)] if x] + [d for d in sorted(own) if u in own[d]]
        if not cands:
            gone_units.append(u)
            continue
        owner = min(cands)
        if owner in own:
            attrs = dict(own[owner].nodes[u])
        elif u in old_rows and old_first.get(u) == owner:
            attrs = dict(old_rows[u])
        else:
            attrs = dict(_mention_graph(owner, docs, cache).nodes[u])
        aliases = set(attrs.get("aliases") or [])
        for d in own:
            if u in own[d]:
                aliases.update(own[d].nodes[u].get("aliases") or [])
        if u in old_rows:
            old_contrib = _old_aliases(plan, u, cache)
            if old_contrib is None or old_contrib:
                aliases |= _all_aliases(db, u, docs, cache, exclude=set(own))   # a touched document gave one
            else:
                aliases.update(old_rows[u].get("aliases") or [])
        attrs["aliases"] = sorted(aliases)
        attrs["label"], attrs["id"] = "Unit", u
        if u not in old_rows or any(old_rows[u].get(k) != attrs.get(k) for k in UNIT_PROPS):
            unit_nodes[u] = attrs
    gone_members = []
    if gone_units:
        delta["remove_nodes"] += gone_units
        gone_members = db.rows("MATCH (m:Unit)-[:MEMBER_OF]->(u:Unit) WHERE u.id IN $d RETURN m.id, u.id", d=gone_units)
        db.rows("MATCH (u:Unit) WHERE u.id IN $d DETACH DELETE u", d=gone_units)
    for u, attrs in unit_nodes.items():
        if u in old_rows:
            db.update_unit(u, attrs)
    db.insert([(u, a) for u, a in unit_nodes.items() if u not in old_rows], [], None)
    delta["nodes"] += [node_json(u, a) for u, a in sorted(unit_nodes.items())]
    delta["replaced"] += sorted(u for u in unit_nodes if u in old_rows)
    return unit_nodes, gone_units, gone_members


def _add_documents(db: Db, plan: Plan, delta: dict, H: nx.MultiDiGraph, own: dict, docs: dict) -> None:
    """The changed documents' nodes and edges, and the links the plan made again."""
    nodes, edges = [], []
    for did in sorted(own):
        g = own[did]
        for n, d in g.nodes(data=True):
            if d.get("label") != "Unit":
                nodes.append((n, d))
        edges += [(u, v, d) for u, v, d in g.edges(data=True)]
    for (a, b), via in sorted(plan.implements.items()):
        if a in plan.reimplemented:
            edges.append((a, b, {"type": "IMPLEMENTS", "via": via}))
    doc_of = lambda n: n if H.nodes[n].get("label") == "Document" else H.nodes[n].get("doc_id")  # noqa: E731
    for u, v, d in H.edges(data=True):
        t = d.get("type")
        if (t == "DERIVED_FROM" and (doc_of(u), doc_of(v)) in plan.dirty_pairs) or \
                (t == "CONTINUES" and (doc_of(u), doc_of(v)) in plan.dirty_continues):
            edges.append((u, v, d))
    labels = {n: d["label"] for n, d in nodes}

    def label_of(n: str) -> str:
        if n in labels:
            return labels[n]
        if n in H:
            return H.nodes[n]["label"]
        return "Document" if n in docs else "Unit"
    db.insert(nodes, edges, label_of)
    delta["nodes"] += [node_json(n, d) for n, d in nodes]
    delta["relationships"] += [rel_json(u, v, d) for u, v, d in edges]


def _mention_graph(doc: str, docs: dict, cache: Path) -> nx.MultiDiGraph:
    """One stored document's own graph (from its cached records): its first mention of each unit."""
    g = record_graph(cache, docs[doc]["key"])
    if g is None:
        raise Decline(f"the records of {doc} are not in the cache")
    return g


def _old_aliases(plan: Plan, u: str, cache: Path) -> set | None:
    """Aliases the previous versions of the touched documents gave ``u`` (``None``: unknown)."""
    out = set()
    for d in plan.touched:
        if d not in plan.old_docs:
            continue
        g = _stored_graph(plan, d, cache)
        if g is None:
            return None
        if u in g:
            out.update(g.nodes[u].get("aliases") or [])
    return out


def _stored_graph(plan: Plan, d: str, cache: Path) -> nx.MultiDiGraph | None:
    """The graph the store holds of a touched document (its own nodes and edges, from the cached records
    of its previous version), built once; ``None`` when those records are gone from the cache."""
    if d not in plan.stored_graphs:
        plan.stored_graphs[d] = record_graph(cache, plan.old_docs[d]["key"])
    return plan.stored_graphs[d]


def _all_aliases(db: Db, u: str, docs: dict, cache: Path, exclude: set) -> set:
    """The aliases every stored document but ``exclude`` gives ``u``, from their cached records."""
    ids = {r[0] for r in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE u.id = $u RETURN DISTINCT t.doc_id", u=u)}
    ids |= {r[0] for r in db.rows("MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE u.id = $u RETURN x.id", u=u)}
    out = set()
    for d in sorted(ids - exclude):
        out.update(_mention_graph(d, docs, cache).nodes[u].get("aliases") or [])
    return out
