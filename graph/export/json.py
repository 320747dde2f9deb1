"""The graph as JSON (the shape of SCHEMA.md) and back: the ``json`` export, and its reader
(:func:`from_json_dict`, which stores written before the database was the graph's one copy used)."""
from __future__ import annotations

import json
import sys

import networkx as nx

from ..gcutil import gc_paused

__all__ = ["to_json", "to_json_dict", "from_json_dict", "shared_attrs"]


def properties(d: dict, skip=("label", "type")) -> dict:
    return {k: v for k, v in sorted(d.items()) if k not in skip}


def to_json_dict(G: nx.MultiDiGraph) -> dict:
    """The SCHEMA.md JSON shape, in a stable order (nodes by id, relationships by type, start, end)."""
    nodes = [{"id": n, "label": d["label"], "properties": properties(d)} for n, d in sorted(G.nodes(data=True), key=lambda x: x[0])]
    rels = [{"type": d["type"], "start": u, "end": v, "properties": properties(d)}
            for u, v, d in G.edges(data=True)]
    rels.sort(key=lambda r: (r["type"], r["start"], r["end"]))
    # Parallel edges of one type between the same nodes are rare: order only those by their properties
    # (serializing every edge's properties for the sort key took most of the time on a large graph).
    i = 0
    while i < len(rels):
        j = i + 1
        key = (rels[i]["type"], rels[i]["start"], rels[i]["end"])
        while j < len(rels) and (rels[j]["type"], rels[j]["start"], rels[j]["end"]) == key:
            j += 1
        if j - i > 1:
            rels[i:j] = sorted(rels[i:j], key=lambda r: json.dumps(r["properties"], ensure_ascii=False, sort_keys=True))
        i = j
    return {"nodes": nodes, "relationships": rels}


def to_json(G: nx.MultiDiGraph) -> str:
    return json.dumps(to_json_dict(G), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def from_json_dict(data: dict) -> nx.MultiDiGraph:
    """Inverse of :func:`to_json_dict`.

    Fast on a large graph (a store of a million tasks): nodes and edges go straight into the graph's
    dicts (as ``add_node``/``add_edge`` would put them, without their per-call checks), every id is one
    string object (node key, adjacency), and relationships with the same few properties share one
    attribute dict, as :func:`graph.build.build_graph` makes them (treat those as read-only).

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document", id="d", title="t")
    >>> G.add_node("s", label="Section", id="s"); G.add_edge("d", "s", key="CONTAINS", type="CONTAINS", order=0)
    'CONTAINS'
    >>> to_json_dict(from_json_dict(to_json_dict(G))) == to_json_dict(G)
    True
    """
    with gc_paused():
        return _from_json_dict(data)


def _from_json_dict(data: dict) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    nodes, succ, pred = G._node, G._succ, G._pred
    intern = sys.intern
    for n in data["nodes"]:
        nid = n["id"]
        if type(nid) is str:
            nid = intern(nid)
        attrs = {"label": n["label"], **n["properties"]}
        if nid in nodes:
            nodes[nid].update(attrs)
        else:
            nodes[nid] = attrs
            succ[nid] = {}
            pred[nid] = {}
    shared: dict[tuple, dict] = {}
    for r in data["relationships"]:
        u, v, rel, p = r["start"], r["end"], r["type"], r["properties"]
        if type(u) is str:
            u = intern(u)
        if type(v) is str:
            v = intern(v)
        for x in (u, v):
            if x not in nodes:   # as add_edge: an end not among the nodes is added bare
                nodes[x] = {}
                succ[x] = {}
                pred[x] = {}
        key = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}" if rel == "ASSIGNED_TO" else rel
        attrs = shared_attrs(shared, rel, p)
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        if key in keydict:   # a second edge with the same key updates the first, as add_edge does
            keydict[key] = {**keydict[key], **attrs}
        else:
            keydict[key] = attrs
    getattr(nx, "_clear_cache", lambda G: None)(G)   # networkx >= 3.3 caches some views
    return G


def shared_attrs(shared: dict, rel, props: dict) -> dict:
    """``{"type": rel, **props}``; one dict for all edges whose few properties are the same strings and
    ints (1, 1.0 and True are equal keys: those other types get dicts of their own)."""
    if len(props) > 2 or not all(type(x) is str or type(x) is int for x in props.values()):
        return {"type": rel, **props}
    key = (rel, *props.items())
    d = shared.get(key)
    if d is None:
        d = shared[key] = {"type": rel, **props}
    return d
