"""The record cache (``<store>/cache/records/<content key>.pickle``): each document's records as its
loader made them, so a build loads only the files whose content key is new, and the incremental build
rebuilds a stored document's own graph without reading the store.

Every cache file is written by :func:`write_cache_file`: atomically, but best effort (a full disk costs
the next build time, never this one).
"""
from __future__ import annotations

import pickle
from pathlib import Path

import networkx as nx

from core.files import write_atomic

__all__ = ["read_record", "write_record", "record_graph", "write_cache_file"]


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a cache file, or nothing when it cannot be written: a cache may be missing, never half
    written. Not fsynced: an fsync per record costs seconds over a large build."""
    try:
        write_atomic(path, data, durable=False)
    except OSError:
        pass


def read_record(cache: Path, key: str):
    """The records cached under ``key``, or ``None``."""
    try:
        with open(cache / f"{key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def write_record(cache: Path, key: str, rec) -> None:
    write_cache_file(cache / f"{key}.pickle", pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))


def record_graph(cache: Path, key: str) -> nx.MultiDiGraph | None:
    """A document's own graph (its nodes and edges, as the builder adds them) from its cached records;
    ``None`` when they are not in the cache."""
    from graph.build import add_document

    rec = read_record(cache, key)
    if rec is None:
        return None
    g = nx.MultiDiGraph()
    add_document(g, rec)
    return g
