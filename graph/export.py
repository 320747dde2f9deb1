"""Exporters in one registry keyed by format name; each is imported only when first used.

``export(G, "json")`` returns the text; ``export(G, "json", path)`` writes it (atomically) instead.
"""
from __future__ import annotations

import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import networkx as nx

from cascade.errors import ExportError

__all__ = ["export", "register", "formats", "to_json_dict", "from_json_dict", "write_atomic"]

# format -> "module:function"; the function takes the graph and returns str or bytes.
_REGISTRY: dict[str, str] = {
    "json": "graph.export:to_json",
    "graphml": "graph.exporters:to_graphml",
    "csv": "graph.exporters:to_csv_zip",
    "cypher": "graph.exporters:to_cypher",
    "ttl": "graph.rdf:to_turtle",
}
_LOADED: dict[str, Callable] = {}


def register(fmt: str, target: str) -> None:
    """Register an exporter as ``"module:function"`` (imported lazily)."""
    _REGISTRY[fmt] = target


def formats() -> list[str]:
    return sorted(_REGISTRY)


def _get(fmt: str) -> Callable:
    if fmt not in _REGISTRY:
        raise ExportError(f"unknown export format '{fmt}' (known: {', '.join(formats())})")
    if fmt not in _LOADED:
        module, func = _REGISTRY[fmt].split(":")
        _LOADED[fmt] = getattr(importlib.import_module(module), func)
    return _LOADED[fmt]


def export(G: nx.MultiDiGraph, fmt: str, destination: str | os.PathLike | None = None) -> str | bytes | None:
    out = _get(fmt)(G)
    if destination is None:
        return out
    write_atomic(destination, out)
    return None


def write_atomic(path: str | os.PathLike, content: str | bytes) -> None:
    """Write aside in the same folder, fsync, then rename over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _props(d: dict, skip=("label", "type")) -> dict:
    return {k: v for k, v in sorted(d.items()) if k not in skip}


def to_json_dict(G: nx.MultiDiGraph) -> dict:
    """The SCHEMA.md JSON shape, in a stable order (nodes by id, relationships by type, start, end)."""
    nodes = [{"id": n, "label": d["label"], "properties": _props(d)} for n, d in sorted(G.nodes(data=True), key=lambda x: x[0])]
    rels = [{"type": d["type"], "start": u, "end": v, "properties": _props(d)}
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

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document", id="d", title="t")
    >>> G.add_node("s", label="Section", id="s"); G.add_edge("d", "s", key="CONTAINS", type="CONTAINS", order=0)
    'CONTAINS'
    >>> to_json_dict(from_json_dict(to_json_dict(G))) == to_json_dict(G)
    True
    """
    G = nx.MultiDiGraph()
    for n in data["nodes"]:
        G.add_node(n["id"], label=n["label"], **n["properties"])
    for r in data["relationships"]:
        p = r["properties"]
        key = r["type"]
        if r["type"] == "ASSIGNED_TO":
            key = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}"
        G.add_edge(r["start"], r["end"], key=key, type=r["type"], **p)
    return G
