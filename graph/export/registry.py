"""The exporters' registry: every format ``cascade export --format`` accepts, in one table, each writer
imported only when first used (the app starts without rdflib).

``export(G, "json")`` returns the text; ``export(G, "json", path)`` writes it (atomically) instead.
"""
from __future__ import annotations

import importlib
import os
from typing import Callable

import networkx as nx

from core.errors import ExportError
from core.files import write_atomic

__all__ = ["export", "register", "formats"]

# format -> "module:function"; the function takes the graph and returns str or bytes.
_REGISTRY: dict[str, str] = {
    "json": "graph.export.json:to_json",
    "graphml": "graph.export.graphml:to_graphml",
    "csv": "graph.export.csv:to_csv_zip",
    "cypher": "graph.export.cypher:to_cypher",
    "ttl": "graph.export.rdf:to_turtle",
}
_LOADED: dict[str, Callable] = {}


def register(fmt: str, target: str) -> None:
    """Register an exporter as ``"module:function"`` (imported lazily)."""
    _REGISTRY[fmt] = target
    _LOADED.pop(fmt, None)


def formats() -> list[str]:
    """The registered formats, sorted.

    >>> formats()
    ['csv', 'cypher', 'graphml', 'json', 'ttl']
    """
    return sorted(_REGISTRY)


def _get(fmt: str) -> Callable:
    if fmt not in _REGISTRY:
        raise ExportError(f"unknown export format '{fmt}' (known: {', '.join(formats())})", key="export_format",
                          fmt=fmt, known=", ".join(formats()))
    if fmt not in _LOADED:
        module, func = _REGISTRY[fmt].split(":")
        _LOADED[fmt] = getattr(importlib.import_module(module), func)
    return _LOADED[fmt]


def export(G: nx.MultiDiGraph, fmt: str, destination: str | os.PathLike | None = None) -> str | bytes | None:
    """The graph in format ``fmt`` (str or bytes), or ``None`` once written to ``destination``."""
    out = _get(fmt)(G)
    if destination is None:
        return out
    write_atomic(destination, out)
    return None
