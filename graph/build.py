"""Records → the cascade graph (a networkx ``MultiDiGraph`` following SCHEMA.md).

Nodes carry ``label`` plus the SCHEMA properties; edges carry ``type`` plus theirs. Ids are built
from the document id and the printed numbering only, so a rebuild of the same input gives the same
ids whatever the load order.

Memory (a national cascade has ~1M tasks, ~2M assignments): the structural edges that carry the same
properties share one attribute dict (``CONTAINS`` of one ``order``, ``ASSIGNED_TO`` of one role and
column, ``ISSUED_BY``), and every id is one string object wherever it appears (node key, adjacency,
``section_id``). So treat the attributes of those edges as read-only: copy before changing one
(only ``DERIVED_FROM`` edges, which are never shared, are changed in place, by the linker's reviews).
Likewise a pair of nodes joined by one ``CONTAINS`` or ``ASSIGNED_TO`` edge shares its key dict
(networkx's ``{key: attributes}`` of the pair) with every pair joined by the same edge, and an empty
list property is one shared list: at 1M tasks 3.4M key dicts and 3M empty lists held ~0.8 GB. Never
add or remove an edge of such a pair in place (no other relationship type joins the same two labels
in that direction: the linker and the membership add and remove only their own pairs' edges), and
replace a list property rather than append to it.
"""
from __future__ import annotations

import re
import sys
from itertools import chain
from pathlib import Path

import networkx as nx

from loaders.normalize import normalize
from core.records import DocumentRecords
from loaders.lower_work import is_government_collective, lower_government_work
from loaders.units import canonical_name, split_region

from .gcutil import gc_paused

__all__ = ["build_graph", "add_document", "edge_count", "GraphWriter", "SHARED_PROPS", "document_id", "task_id", "section_id",
           "unit_id", "nodes_of", "edges_of",
           "reachable", "own_units", "issuer_of"]


def document_id(records: DocumentRecords) -> str:
    """A document's id: the manifest's, else a slug of its file name.

    >>> from core.records import Document, DocumentRecords
    >>> document_id(DocumentRecords(Document(source="2022 黄埔 plan.txt")))
    '2022-黄埔-plan'
    """
    doc = records.document
    if doc.id:
        return doc.id
    stem = Path(doc.source).stem
    return re.sub(r"[^\w\u4e00-\u9fff]+", "-", stem).strip("-").lower() or "document"


_DOCNO = re.compile(r"〔\d{4}〕\d+号")


def same_document_key(title: str | None, issuer: str | None, doc_no: str | None) -> str | None:
    """What makes two files one document (a plan's text and its saved page): its 文号, else its title
    and issuer. None when the text says too little to tell.

    >>> same_document_key("平潭综合实验区管委会办公室关于印发2022年全区政务公开工作主要任务分解表的通知", "平潭综合实验区管委会办公室", None)[:12]
    't:平潭综合实验区管委会'
    >>> same_document_key("x", None, "国办发〔2022〕8号")
    'no:国办发〔2022〕8号'
    """
    from loaders.normalize import normalize

    if doc_no and _DOCNO.search(doc_no):
        return "no:" + re.sub(r"\s+", "", normalize(doc_no))
    t = re.sub(r"[\s《》“”\"]+", "", normalize(title or ""))
    if len(t) >= 12:
        return "t:" + t + "|" + re.sub(r"\s+", "", normalize(issuer or ""))
    return None


def section_id(doc_id: str, path: tuple[str, ...]) -> str:
    return "/".join((doc_id, *path))


def task_id(doc_id: str, section: tuple[str, ...], number: str) -> str:
    """The id of a task: document id, section path, printed number.

    >>> task_id("2022-huangpu", ("一", "(一)"), "1")
    '2022-huangpu/一/(一)/1'
    """
    return "/".join((doc_id, *section, number))


def unit_id(canonical: str) -> str:
    return f"unit:{canonical}"


# The properties of the edges whose attribute dicts are shared, in the order the builder sets them.
SHARED_PROPS = {"CONTAINS": ("order",), "ASSIGNED_TO": ("role", "column"), "ISSUED_BY": ()}
_SHAREABLE = frozenset((int, str))


class GraphWriter:
    """Adds nodes and edges to a ``MultiDiGraph`` as ``add_node``/``add_edge`` would, without their
    per-call checks and cache clearing, and with shared attribute dicts for the structural edges.

    Writes the graph's own dicts (``_node``, ``_succ``, ``_pred``), the way networkx's converters do;
    the graph's cached views are cleared once, at the end (:meth:`done`).
    """

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.nodes, self.succ, self.pred = G._node, G._succ, G._pred
        self.shared: dict[tuple, dict] = {}
        self.pairs: dict[tuple, dict] = {}   # (key, id of a shared attribute dict) -> the one key dict
        self.pair_ids: set[int] = set()      # ids of the shared attribute dicts whose key dicts are shared

    def node(self, n: str, attrs: dict) -> None:
        if n in self.nodes:   # as add_node: a node added twice keeps its dict, updated
            self.nodes[n].update(attrs)
        else:
            self.nodes[n] = attrs
            self.succ[n] = {}
            self.pred[n] = {}

    def edge(self, u: str, v: str, key: str, attrs: dict) -> None:
        keydict = self.succ[u].get(v)
        if keydict is None:
            if id(attrs) in self.pair_ids:
                keydict = self.pairs.get((key, id(attrs)))
                if keydict is None:
                    keydict = self.pairs[(key, id(attrs))] = {key: attrs}
            else:
                keydict = {key: attrs}
            self.succ[u][v] = self.pred[v][u] = keydict
            return
        # a second edge of the pair, or the same again: a new key dict (the pair's may be shared), as
        # add_edge would leave it (an edge there already is updated, into a copy: it may be shared too)
        keydict = self.succ[u][v] = self.pred[v][u] = {**keydict}
        keydict[key] = {**keydict[key], **attrs} if key in keydict else attrs

    def shared_attrs(self, rel: str, *values) -> dict:
        """The one attribute dict of the ``rel`` edges with these property values (read-only by
        contract, see the module doc). Values are ints and strings: 1, 1.0 and True would share a
        key, so other types get a dict of their own."""
        key = (rel, *values)
        d = self.shared.get(key)
        if d is not None and _SHAREABLE.issuperset(map(type, values)):
            return d
        d = {"type": rel, **dict(zip(SHARED_PROPS[rel], values))}
        if key not in self.shared and _SHAREABLE.issuperset(map(type, values)):
            self.shared[key] = d
            if rel != "ISSUED_BY":   # one a document: too few to matter
                self.pair_ids.add(id(d))
        return d

    def done(self) -> None:
        getattr(nx, "_clear_cache", lambda G: None)(self.G)   # networkx >= 3.3 caches some views


def add_document(G: nx.MultiDiGraph, records: DocumentRecords) -> str:
    """Add one document's nodes and edges to ``G``; returns the document id."""
    w = GraphWriter(G)
    did = _add_document(w, records)
    w.done()
    return did


def _add_document(w: GraphWriter, records: DocumentRecords) -> str:
    doc = records.document
    did = document_id(records)
    w.node(did, {"label": "Document", "id": did, "title": doc.title, "level": doc.level, "region": doc.region,
                 "year": doc.year, "issuer": doc.issuer, "doc_no": doc.doc_no, "issued_on": doc.issued_on,
                 "cites": list(doc.cites), "source": doc.source, "kind": doc.kind, "truncated": doc.truncated,
                 "script": doc.script, "format": doc.format, "declared": _sorted_dict(doc.declared),
                 "warnings": list(doc.warnings), "parents": list(doc.parents),
                 # records cached before these fields existed have none: the defaults of core/records.py
                 "tier": getattr(doc, "tier", None), "parent_level": getattr(doc, "parent_level", None),
                 "explains": getattr(doc, "explains", None),
                 "parent_cited": list(getattr(doc, "parent_cited", None) or ()),
                 "parse": _sorted_dict(getattr(doc, "parse", None) or {})})
    if doc.issuer:
        name, region = _issuer_name(doc)
        uid = _add_unit(w, name, normalize(doc.issuer), region, False)
        w.edge(did, uid, "ISSUED_BY", w.shared_attrs("ISSUED_BY"))

    # path -> section id: one string object for the node, its edges and its tasks' section_id
    sections: dict[tuple[str, ...], str] = {}
    section_parent: dict[str, str | None] = {}
    for sec in records.sections:
        sid = sections.get(sec.path) or section_id(did, sec.path)
        w.node(sid, {"label": "Section", "id": sid, "doc_id": did, "number": sec.number, "title": sec.title,
                     "depth": sec.depth, "scope": sec.scope, "position": sec.order})
        sections[sec.path] = sid
        parent = _section_of(sections, did, sec.path[:-1]) if len(sec.path) > 1 else did
        if parent not in w.nodes:
            parent = did
        section_parent[sid] = parent if parent != did else None
        w.edge(parent, sid, "CONTAINS", w.shared_attrs("CONTAINS", sec.order))

    seen: dict[str, int] = {}
    requirements: dict[str, list[str]] = {}   # section → the requirements below it (see sole_requirement)
    for task in records.tasks:
        tid = task_id(did, task.section, task.number)
        if tid in seen:  # the same number printed twice in one section: keep both, apart
            seen[tid] += 1
            tid = f"{tid}~{seen[tid]}"
        else:
            seen[tid] = 1
        sid = _section_of(sections, did, task.section) if task.section else None
        node = w.nodes.get(sid) if sid is not None else None
        scope = node.get("scope", "plan") if node is not None else "plan"
        deadlines = (task.deadlines if type(task.deadlines) is list else list(task.deadlines)) or _NONE
        units = [_add_unit(w, a.canonical, a.short_name, a.region, a.collective, a.alias) for a in task.assignments]
        w.node(tid, {"label": "Task", "id": tid, "doc_id": did, "number": task.number, "text": task.text,
                     "text_norm": task.text_norm, "deadlines": deadlines, "section_id": sid,
                     "position": task.order, "line": task.line, "inherited_units": task.inherited_units,
                     "scope": scope, "clause": getattr(task, "clause", "obligation"),
                     "addressees": _list(getattr(task, "addressees", None)),
                     "addressed_to": _list(getattr(task, "addressed_to", None)),
                     "national_only": getattr(task, "national_only", False),
                     # the units of its ASSIGNED_TO edges of column "own", repeated on the node: the saved
                     # gaps query tests a million (requirement, lower plan) pairs against them at 1M tasks
                     # without expanding edges per pair; in the order the plan prints them, which the
                     # store's edges do not keep (a report read from the store lists units by it)
                     "own_units": (own := _own_units(task.assignments, units)),
                     # the lower governments among them when the text's work happens in those governments
                     # (a pilot among some districts, 政务公开 carried to villages): a department that a shared
                     # note also names does not owe it (loaders/lower_work.py; the gap definitions read it)
                     "lower_work_governments": _lower_work_governments(w, task.text_norm, own)})
        w.edge(sid if sid in w.nodes else did, tid, "CONTAINS", w.shared_attrs("CONTAINS", task.order))
        if (scope != "notice" and getattr(task, "clause", "obligation") == "obligation"
                and not getattr(task, "national_only", False)):
            s = sid if sid in w.nodes else None
            while s is not None and len(requirements.setdefault(s, [])) < 2:
                requirements[s].append(tid)
                s = section_parent.get(s)
        for a, uid in zip(task.assignments, units):
            key = sys.intern(f"ASSIGNED_TO:{a.role}:{a.column}")
            keydict = w.succ[tid].get(uid)
            if keydict is None or key not in keydict:
                w.edge(tid, uid, key, w.shared_attrs("ASSIGNED_TO", a.role, a.column))
    # A task linked to a section takes up its heading; that is evidence for a requirement only when the
    # section holds one requirement (queries/gaps.py, and the saved gaps query reads this property).
    for s, inside in requirements.items():
        if len(inside) == 1:
            w.nodes[s]["sole_requirement"] = inside[0]
    return did


# The one empty list of the list properties of tasks and units (see the module doc: never appended to).
_NONE: list = []


def _own_units(assignments: list, units: list[str]) -> list[str]:
    """The units of the assignments of column "own", once each, in the order of ``units``."""
    own = {u for a, u in zip(assignments, units) if a.column == "own"}
    return [u for u in dict.fromkeys(units) if u in own] or _NONE


def _lower_work_governments(w: GraphWriter, text: str | None, own: list[str]) -> list[str]:
    """The government collectives among a task's own units (各区、市政府) when its work happens in the lower
    governments themselves (:func:`loaders.lower_work.lower_government_work`); else none."""
    if not own or lower_government_work(text) is None:
        return _NONE
    govs = [u for u in own if w.nodes[u]["collective"]
            and is_government_collective(w.nodes[u]["short_name"] or w.nodes[u]["name"])]
    return govs or _NONE


def _sorted_dict(d) -> dict:
    """A dict-valued property with its keys in order: the store keeps it as JSON with sorted keys (as the
    Bolt push and the exports write it), so the graph read back from the store is this one."""
    return dict(sorted(d.items()))


def _list(values) -> list:
    return list(values) if values else _NONE


def _section_of(sections: dict, did: str, path: tuple[str, ...]) -> str:
    """The id of a section path: the section's own string object when it was read, else a new one."""
    sid = sections.get(path)
    return sid if sid is not None else section_id(did, path)


def _issuer_name(doc) -> tuple[str, str | None]:
    """The issuer's canonical name and region. A township's plan (region 某县某镇) is named from its
    county (某某镇人民政府 → 某县某某镇人民政府, not 某县某镇某某镇人民政府) and its issuer is of the town's
    region, which the county's 各乡镇(街道) covers (graph/membership.py)."""
    if doc.level != "township" or not doc.region:
        return canonical_name(normalize(doc.issuer), doc.region)
    name, _ = canonical_name(normalize(doc.issuer), "".join(split_region(doc.region)) or doc.region)
    return name, doc.region


def _add_unit(w: GraphWriter, name, short, region, collective, alias=None) -> str:
    uid = sys.intern(unit_id(name))
    node = w.nodes.get(uid)
    if node is not None:
        if alias and alias not in node["aliases"]:
            node["aliases"] = sorted({*node["aliases"], alias})
        return uid
    w.node(uid, {"label": "Unit", "id": uid, "name": name, "short_name": short, "region": region,
                 "collective": bool(collective), "aliases": [alias] if alias else _NONE})
    return uid


def build_graph(records: list[DocumentRecords]) -> nx.MultiDiGraph:
    """The graph of a set of documents (not yet linked across levels: see :mod:`graph.link`).

    Documents are added in the order of their ids, so the graph does not depend on load order.
    """
    G = nx.MultiDiGraph()
    w = GraphWriter(G)
    with gc_paused():
        for rec in sorted(records, key=document_id):
            if document_id(rec) in G:
                raise ValueError(f"two documents share the id '{document_id(rec)}' ({rec.document.source})")
            _add_document(w, rec)
    w.done()
    return G


def edge_count(G: nx.MultiDiGraph) -> int:
    """``G.number_of_edges()``, counted in C: networkx walks a degree view in Python (1-3 s at 1M tasks).

    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> edge_count(G) == G.number_of_edges() == 3
    True
    """
    return sum(map(len, chain.from_iterable(map(dict.values, G._succ.values()))))


def nodes_of(G: nx.MultiDiGraph, label: str):
    """Ids and attributes of the nodes with a label, in id order."""
    return sorted(((n, d) for n, d in G.nodes(data=True) if d.get("label") == label), key=lambda x: x[0])


def edges_of(G: nx.MultiDiGraph, rel_type: str):
    """(start, end, attributes) of the edges of a type, in a stable order."""
    return sorted(((u, v, d) for u, v, d in G.edges(data=True) if d.get("type") == rel_type),
                  key=lambda x: (x[0], x[1], str(sorted(x[2].items()))))


def own_units(G: nx.MultiDiGraph, task: str) -> list[tuple[str, str]]:
    """(unit id, role) of a task's own assignments (not a column repeating the level above)."""
    return sorted({(v, d.get("role") or "implement") for _, v, d in G.out_edges(task, data=True)
                   if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own"})


def issuer_of(G: nx.MultiDiGraph, doc: str) -> str | None:
    """The unit that issued a document (its ``ISSUED_BY``), or None."""
    for _, v, d in G.out_edges(doc, data=True):
        if d.get("type") == "ISSUED_BY":
            return v
    return None


def reachable(G: nx.MultiDiGraph, start: str, rel_type: str) -> set[str]:
    """The nodes ``start`` reaches along outgoing relationships of ``rel_type``, at any depth (``CONTAINS``:
    everything inside a document or section; ``MEMBER_OF``: every collective a unit belongs to)."""
    out, todo = set(), [start]
    while todo:
        for _, v, d in G.out_edges(todo.pop(), data=True):
            if d.get("type") == rel_type and v not in out:
                out.add(v)
                todo.append(v)
    return out
