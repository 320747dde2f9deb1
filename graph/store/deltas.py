"""The layers of a version: ``graph.json`` (the base) and the ``delta-NNNN.json`` files that incremental
builds add on it, how a layer applies, how layers merge, and the graph they make together."""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from core.errors import StoreError
from core.files import write_atomic

from ..export import from_json_dict
from ..gcutil import gc_paused
from .bulk import write_json
from .versions import DEFAULT_STORE, current_version

__all__ = ["MAX_LAYERS", "MERGED_LIMIT", "layers", "stage_layers", "merge_deltas", "apply_delta", "load_graph",
           "load_version"]

MAX_LAYERS = 32     # beyond this many layers an incremental build merges them into one
MERGED_LIMIT = 0.25  # ... unless the merged layer would be larger than this part of graph.json: then a new base


def layers(version: Path) -> list[Path]:
    """The delta layers of a version, in the order they apply."""
    return sorted(version.glob("delta-*.json"))


def stage_layers(previous: Path, partial: Path, delta: dict) -> None:
    """The base and layers of a new version made from ``previous``: its base and layers hard-linked and
    ``delta`` written as the next layer; with :data:`MAX_LAYERS` layers already, they are merged into one
    (:func:`merge_deltas`), and only when that would outgrow :data:`MERGED_LIMIT` of the base is the
    graph written whole as a new base."""
    old = layers(previous)
    if len(old) < MAX_LAYERS:
        os.link(previous / "graph.json", partial / "graph.json")
        for p in old:
            os.link(p, partial / p.name)
        n = int(old[-1].stem.split("-")[1]) + 1 if old else 1
        write_atomic(partial / f"delta-{n:04d}.json", _delta_json(delta))
        return
    merged = _delta_json(merge_deltas([*(_read_json(p) for p in old), delta]))
    if len(merged) <= MERGED_LIMIT * (previous / "graph.json").stat().st_size:
        os.link(previous / "graph.json", partial / "graph.json")
        write_atomic(partial / "delta-0001.json", merged)
    else:
        G = load_version(previous)
        apply_delta(G, delta)
        write_json(G, partial / "graph.json")


def _delta_json(delta: dict) -> str:
    return json.dumps(delta, ensure_ascii=False, separators=(",", ":"))


def merge_deltas(deltas: list[dict]) -> dict:
    """One delta that does what applying ``deltas`` in order does (:func:`apply_delta`).

    A later layer's removals drop what earlier layers added (nodes, and relationships at a removed
    node or of a removed type and pair) and stay as removals for the base; its nodes replace earlier
    ones; relationships keep their order (adding one twice merges its properties, both ways).

    >>> a = {"nodes": [{"id": "x", "label": "Unit", "properties": {"n": 1}}],
    ...      "relationships": [{"type": "R", "start": "x", "end": "y", "properties": {}}]}
    >>> b = {"remove_nodes": ["x"], "nodes": [{"id": "z", "label": "Unit", "properties": {}}]}
    >>> m = merge_deltas([a, b])
    >>> m["remove_nodes"], [n["id"] for n in m["nodes"]], m["relationships"]
    (['x'], ['z'], [])
    """
    removed: dict[str, None] = {}
    removed_rels: dict[tuple, None] = {}
    nodes: dict[str, dict] = {}
    rels: list[dict] = []
    for d in deltas:
        gone = set(d.get("remove_nodes", ()))
        cut = {tuple(r) for r in d.get("remove_relationships", ())}
        if gone or cut:
            for n in gone:
                nodes.pop(n, None)
            rels = [r for r in rels if r["start"] not in gone and r["end"] not in gone
                    and (r["type"], r["start"], r["end"]) not in cut]
        removed.update(dict.fromkeys(d.get("remove_nodes", ())))
        removed_rels.update(dict.fromkeys(tuple(r) for r in d.get("remove_relationships", ())))
        for n in d.get("nodes", ()):
            nodes.pop(n["id"], None)   # a replaced node takes its place in the order of the later layer
            nodes[n["id"]] = n
        rels.extend(d.get("relationships", ()))
    return {"remove_nodes": list(removed), "remove_relationships": [list(r) for r in removed_rels],
            "nodes": list(nodes.values()), "relationships": rels}


def apply_delta(G: nx.MultiDiGraph, delta: dict) -> nx.MultiDiGraph:
    """Apply one layer: ``remove_nodes`` (with their edges), ``remove_relationships`` (``[type, start,
    end]``: every such edge), then ``nodes`` (added, or their properties replaced) and ``relationships``
    (added), both in the JSON shape of :func:`graph.export.to_json_dict`."""
    G.remove_nodes_from([n for n in delta.get("remove_nodes", ()) if n in G])
    for rel, u, v in delta.get("remove_relationships", ()):
        if G.has_node(u) and v in G[u]:
            G.remove_edges_from([(u, v, k) for k, d in list(G[u][v].items()) if d.get("type") == rel])
    for n in delta.get("nodes", ()):
        if n["id"] in G:
            d = G.nodes[n["id"]]
            d.clear()
            d.update(label=n["label"], **n["properties"])
        else:
            G.add_node(n["id"], label=n["label"], **n["properties"])
    for r in delta.get("relationships", ()):
        p = r["properties"]
        key = r["type"]
        if r["type"] == "ASSIGNED_TO":
            key = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}"
        G.add_edge(r["start"], r["end"], key=key, type=r["type"], **p)
    return G


def _read_json(path: Path):
    try:
        with gc_paused():   # millions of new dicts and no cycles: collections would only rescan them
            return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{path}: unreadable store ({err})") from err


def load_version(version: Path) -> nx.MultiDiGraph:
    G = from_json_dict(_read_json(version / "graph.json"))
    for layer in layers(version):
        apply_delta(G, _read_json(layer))
    return G


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of the store's current version (its base with its layers applied)."""
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
    return load_version(version)
