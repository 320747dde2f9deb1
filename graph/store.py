"""The store: the graph as JSON and as an embedded Cypher database (LadybugDB), saved atomically.

Layout of a store folder (default ``.cascade/``)::

    CURRENT            the name of the version in use (replaced atomically)
    v-<stamp>/         one complete version: graph.json, cascade.lbdb, meta.json

A build writes a new version beside the old one and only then points ``CURRENT`` at it, so a build
killed at any moment leaves the previous store whole. Old versions are removed afterwards.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import networkx as nx

from cascade.errors import StoreError

from .bulk import NODE_COLUMNS, REL_TABLES, SCHEMA_DDL, write_database, write_json  # noqa: F401 (re-exported)
from .export import from_json_dict, write_atomic

__all__ = ["save", "load_graph", "current_version", "open_database", "SCHEMA_DDL", "DEFAULT_STORE"]

DEFAULT_STORE = ".cascade"
STORE_FORMAT = 1


def current_version(store: str | os.PathLike) -> Path | None:
    store = Path(store)
    try:
        name = (store / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = store / name
    return path if name and path.is_dir() else None


def save(G: nx.MultiDiGraph, store: str | os.PathLike = DEFAULT_STORE, meta: dict | None = None) -> Path:
    """Write the graph as a new version of the store and make it current. Returns its folder."""
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    version = store / f"v-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    partial = Path(str(version) + ".partial")
    partial.mkdir()
    try:
        write_json(G, partial / "graph.json")
        write_database(G, partial / "cascade.lbdb")
        info = {"format": STORE_FORMAT, "nodes": G.number_of_nodes(), "relationships": G.number_of_edges()}
        info.update(meta or {})
        write_atomic(partial / "meta.json", json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True))
        os.replace(partial, version)
        write_atomic(store / "CURRENT", version.name + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in store.iterdir():
        if old.is_dir() and old.name.startswith("v-") and old != version:
            shutil.rmtree(old, ignore_errors=True)
    return version


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of the store's current version."""
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first")
    try:
        data = json.loads((version / "graph.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{version / 'graph.json'}: unreadable store ({err})") from err
    return from_json_dict(data)


def database_path(store: str | os.PathLike = DEFAULT_STORE) -> Path:
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first")
    return version / "cascade.lbdb"


def open_database(store: str | os.PathLike = DEFAULT_STORE):
    """A read-only connection to the store's embedded database (the engine itself refuses writes)."""
    import ladybug

    path = database_path(store)
    try:
        db = ladybug.Database(str(path), read_only=True)
    except RuntimeError as err:
        raise StoreError(f"{path}: cannot open the embedded database ({err})") from err
    return db, ladybug.Connection(db)
