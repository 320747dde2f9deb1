"""``MEMBER_OF`` after an incremental change, by the rules of :mod:`graph.membership`, on the few
collectives the change can reach.

A unit is counted by the collectives whose slot covers its own (:func:`graph.membership.member_slot`,
:func:`~graph.membership.collective_slots`). The change moves the slots of a few units (new, changed or
gone ones, issuers whose government region moved, units under a bureau that issued its first or last
plan); the collectives covering any of those slots, before or after, are the ones redone. The store
only finds what the slots name (units of a region, names under a bureau); which of them are members is
decided by :func:`graph.membership.add_membership`, run on a graph of those collectives, their
candidates, and the issuers that decide the candidates' slots.
"""
from __future__ import annotations

import networkx as nx

from cascade.incremental.db import UNIT_PROPS, Db, rel_json
from cascade.incremental.plan import Plan
from graph.membership import (GOV_NAME, _ancestor, add_membership, collective_slots, is_others, issuer_role,
                               member_slot, slot_covers)

__all__ = ["redo_membership"]

_NATIONAL = (None, "", "全国")   # the region above a province's: no prefix finds its governments


def _owners(docs: dict) -> set[str]:
    """Bureaus: the names of the units that issued a department-level plan."""
    return {d["issuer_uid"][len("unit:"):] for d in docs.values()
            if d.get("issuer_uid") and issuer_role(d.get("level"), d.get("region")) == "bureau"}


def _gov_regions(docs: dict) -> dict[str, str]:
    """Issuer → the region of its first government-level plan, in document-id order (as a full build adds
    documents)."""
    out: dict[str, str] = {}
    for n in sorted(docs):
        d = docs[n]
        if d.get("issuer_uid") and issuer_role(d.get("level"), d.get("region")) == "government":
            out.setdefault(d["issuer_uid"], d["region"])
    return out


def _owner_of(name: str, owners: set[str]) -> str | None:
    return next((name[:i] for i in range(len(name) - 1, 0, -1) if name[:i] in owners), None)


def _slot(row: dict | None, gov: dict, owners: set[str]):
    if not row or row.get("collective"):
        return None
    name = row.get("name") or ""
    return member_slot(name, row.get("region"), gov.get(row["id"]), _owner_of(name, owners))


def redo_membership(db: Db, plan: Plan, delta: dict, units: set, old_rows: dict, unit_nodes: dict,
                    gone_units: list, docs: dict) -> None:
    """Redo ``MEMBER_OF`` for the collectives whose members may have changed. ``units``: those the
    touched documents name; ``old_rows``: their stored properties before the change; ``unit_nodes``:
    those new or changed; ``docs``: every document after the change."""
    old_owners, new_owners = _owners(plan.old_docs), _owners(docs)
    moved_owners = sorted(new_owners ^ old_owners)
    old_gov, new_gov = _gov_regions(plan.old_docs), _gov_regions(docs)
    issuers = {info.get("issuer_uid") for d in plan.touched for info in (plan.old_docs.get(d), docs.get(d)) if info}
    issuers.discard(None)
    # units whose slot may move: new, changed or gone ones, issuers whose government region moved, units
    # under a bureau that issued its first (or last) plan. A unit only named again keeps its slot.
    star = set(unit_nodes) | set(gone_units) | {u for u in issuers if old_gov.get(u) != new_gov.get(u)}
    for o in moved_owners:
        star |= {r[0] for r in db.rows("MATCH (u:Unit) WHERE starts_with(u.name, $o) RETURN u.id", o=o)}
    rows = {**db.unit_rows(star - set(unit_nodes)), **unit_nodes}
    moved = set()   # the slots left or taken, as (kind, key)
    for u in star:
        before = old_rows.get(u) if u in units else rows.get(u)   # (the others' properties did not change)
        for slot in (_slot(before, old_gov, old_owners), _slot(rows.get(u), new_gov, new_owners)):
            if slot:
                moved.add(slot[:2])
    # the "other …" collectives a touched document names: who is lead beside them may change
    named = set()
    for u in units:
        r = unit_nodes.get(u) or old_rows.get(u)
        if r and r.get("collective") and is_others(r.get("name")):
            named.add(u)
    C = _collectives(db, moved, star | named, moved_owners, new_owners)
    if not C:
        return
    G = _candidates(db, C, rows, new_owners, new_gov)
    add_membership(G)
    cids = sorted(C)
    for m, c in db.rows("MATCH (m:Unit)-[r:MEMBER_OF]->(c:Unit) WHERE c.id IN $c RETURN m.id, c.id", c=cids):
        delta["remove_relationships"].append(["MEMBER_OF", m, c])
    db.rows("MATCH (:Unit)-[r:MEMBER_OF]->(c:Unit) WHERE c.id IN $c DELETE r", c=cids)
    new = [(m, c, d) for m, c, d in G.edges(data=True) if d.get("type") == "MEMBER_OF" and c in C]
    db.insert([], new, lambda n: "Unit")
    delta["relationships"] += [rel_json(m, c, d) for m, c, d in new]


def _collectives(db: Db, moved: set, ids: set, moved_owners: list[str], owners: set[str]) -> dict[str, list]:
    """The collectives to redo, id → [id, name, region]: those whose slots cover a moved slot, those in
    ``ids`` (touched themselves), and those whose own bureau came or went."""
    regions, prefixes = set(), set(moved_owners)
    for kind, key in moved:
        if kind == "section":
            prefixes.add(key)
        elif kind == "town":   # a collective of any region that contains the town's
            regions.update(key[:i] for i in range(1, len(key) + 1))
        else:
            regions.add(key)
            if kind == "government":   # a collective naming deeper levels (各市、县…) is the region's further up
                regions.update(r for r in (_ancestor(key, 1), _ancestor(key, 2)) if r)
    found = []
    # (one simple query per kind of key: one combined WHERE costs a slow pass over every unit)
    if regions - set(_NATIONAL[:2]):
        found += db.rows("MATCH (c:Unit) WHERE c.collective AND c.region IN $r RETURN c.id, c.name, c.region",
                         r=sorted(regions - set(_NATIONAL[:2])))
    if regions & set(_NATIONAL[:2]):
        found += db.rows("MATCH (c:Unit) WHERE c.collective AND (c.region IS NULL OR c.region = '') "
                         "RETURN c.id, c.name, c.region")
    if ids:
        # (UNWIND and a match on the key: the primary-key index, not a pass over every unit)
        found += db.rows("UNWIND $s AS x MATCH (c:Unit {id: x}) WHERE c.collective RETURN c.id, c.name, c.region",
                         s=sorted(ids))
    for o in sorted(prefixes):
        found += db.rows("MATCH (c:Unit) WHERE c.collective AND starts_with(c.name, $o) RETURN c.id, c.name, c.region",
                         o=o)
    C = {}
    for r in found:
        name = r[1] or ""
        if r[0] in ids or any(name.startswith(o) for o in moved_owners) or \
                any(slot_covers(s, m) for s in collective_slots(name, r[2], _owner_of(name, owners)) for m in moved):
            C[r[0]] = r
    return C


def _candidates(db: Db, C: dict, rows: dict, owners: set[str], gov: dict[str, str]) -> nx.MultiDiGraph:
    """The graph :func:`graph.membership.add_membership` decides ``C``'s members on: the collectives, every
    unit whose slot one of them covers, the bureaus that prefix those units' names (each with a
    department plan) and the governments' issuers (each with a plan of its region), and the leads of the
    tasks that name an "other …" collective."""
    slots = {s for c in C.values() for s in collective_slots(c[1] or "", c[2], _owner_of(c[1] or "", owners))}
    depts = sorted(k for kind, k in slots if kind == "department")
    below = sorted({k for kind, k in slots if kind in ("town", "government") and k not in _NATIONAL
                    and not isinstance(k, tuple)})
    found: list[list] = []   # [id, name, region] of units that may fill a slot
    if depts:
        found += db.rows("MATCH (u:Unit) WHERE NOT u.collective AND u.region IN $d RETURN u.id, u.name, u.region",
                         d=depts)
    for o in sorted(k for kind, k in slots if kind == "section"):
        found += db.rows("MATCH (u:Unit) WHERE NOT u.collective AND starts_with(u.name, $o) "
                         "RETURN u.id, u.name, u.region", o=o)
    for r in below:   # towns and governments of the regions below (a government's own region starts with it)
        found += db.rows("MATCH (u:Unit) WHERE NOT u.collective AND starts_with(u.region, $r) "
                         "RETURN u.id, u.name, u.region", r=r)
    # provinces' governments; and those a collective naming deeper levels covers (a county's region need
    # not start with its province's: 太原市小店区)
    if any(kind == "government" and (k in _NATIONAL or isinstance(k, tuple)) for kind, k in slots):
        found += db.rows("MATCH (u:Unit) WHERE NOT u.collective AND u.name =~ $gov RETURN u.id, u.name, u.region",
                         gov=".*" + GOV_NAME)
    # the governments' issuers, whose slot their plans decide, whatever their name says (the slot a plan
    # of its region gives an issuer with no bureau above it)
    gov_slots = [s for s in slots if s[0] == "government"]
    have = {r[0] for r in found}
    issuers = [u for u, reg in gov.items()
               if u not in have and any(slot_covers(s, member_slot("", None, reg)) for s in gov_slots)]
    found += [[r["id"], r["name"], r["region"]] for r in db.unit_rows(issuers).values()]
    want = set(C)
    for u, name, region in found:
        m = member_slot(name or "", region, gov.get(u), _owner_of(name or "", owners))
        if m and any(slot_covers(s, m) for s in slots):
            want.add(u)
    rows = {**db.unit_rows(sorted(want - set(rows))), **{u: r for u, r in rows.items() if u in want}}
    # the bureaus whose names prefix these names (they decide which units are 股室)
    todo = set(rows)
    while todo:
        need = set()
        for u in todo:
            name = rows[u].get("name") or ""
            need.update("unit:" + name[:i] for i in range(len(name) - 1, 0, -1) if name[:i] in owners)
        need -= set(rows)
        rows.update(db.unit_rows(sorted(need)))
        todo = need & set(rows)
    G = nx.MultiDiGraph()
    for u, r in rows.items():
        G.add_node(u, **{k: r.get(k) for k in ("label", "id", *UNIT_PROPS)})
    for name in sorted(owners):
        if "unit:" + name in G:
            G.add_node("doc:dept:" + name, label="Document", level="department")
            G.add_edge("doc:dept:" + name, "unit:" + name, key="ISSUED_BY", type="ISSUED_BY")
    for u, reg in gov.items():
        if u in G:
            G.add_node("doc:gov:" + u, label="Document", level="province", region=reg)
            G.add_edge("doc:gov:" + u, u, key="ISSUED_BY", type="ISSUED_BY")
    # the tasks that name an "other …" collective: who is lead beside it
    others = [c for c, r in C.items() if is_others(r[1])]
    if others:
        for t, u, role in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(c:Unit) WHERE c.id IN $c "
                                  "MATCH (t)-[a:ASSIGNED_TO]->(u:Unit) RETURN DISTINCT t.id, u.id, a.role", c=others):
            G.add_node("task:" + t, label="Task")
            G.add_edge("task:" + t, u, key=f"ASSIGNED_TO:{role}", type="ASSIGNED_TO", role=role)
    for n in list(G):
        if "label" not in G.nodes[n]:
            G.nodes[n]["label"] = "Elsewhere"   # a lead outside these units: counted, never a member
    return G
