"""The store: the graph as JSON and as an embedded Cypher database (LadybugDB), saved atomically.

Layout of a store folder (default ``.cascade/``)::

    CURRENT            the name of the version in use (replaced atomically)
    v-<stamp>/         one complete version:
        graph.json         the graph of the last full build (the *base*)
        delta-0001.json …  layers written by incremental builds, applied in order on the base
        cascade.lbdb       the embedded database: always the whole graph (never layered)
        cascade.lbdb.wal   its write-ahead log, left by incremental builds (readers replay it)
        meta.json          counts and build information

A build writes a new version beside the old one and only then points ``CURRENT`` at it, so a build
killed at any moment leaves the previous version whole, and a reader sees either the old or the new
graph. An incremental build (:func:`save_layer`) makes its version from the previous one: the base and
the earlier layers are hard links (files are never modified once written), one new layer holds what
changed, and the database is a copy of the previous one (with its write-ahead log) changed in one write
transaction, not checkpointed on close. Old versions are removed afterwards.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Callable

import networkx as nx

from cascade.errors import StoreError

from .bulk import NODE_COLUMNS, REL_TABLES, SCHEMA_DDL, write_database, write_json  # noqa: F401 (re-exported)
from .export import from_json_dict, write_atomic

__all__ = ["save", "save_layer", "load_graph", "apply_delta", "layers", "current_version", "database_path",
           "open_database", "SCHEMA_DDL", "DEFAULT_STORE", "MAX_LAYERS", "WAL_LIMIT"]

DEFAULT_STORE = ".cascade"
STORE_FORMAT = 1
MAX_LAYERS = 32     # beyond this many layers an incremental build writes a new base (load_graph stays fast)
WAL_LIMIT = 256 * 1024   # an incremental build checkpoints the database once its write-ahead log is larger


def current_version(store: str | os.PathLike) -> Path | None:
    store = Path(store)
    try:
        name = (store / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = store / name
    return path if name and path.is_dir() else None


def _new_partial(store: Path) -> tuple[Path, Path]:
    store.mkdir(parents=True, exist_ok=True)
    version = store / f"v-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    partial = Path(str(version) + ".partial")
    partial.mkdir()
    return version, partial


def _publish(store: Path, partial: Path, version: Path) -> None:
    os.replace(partial, version)
    write_atomic(store / "CURRENT", version.name + "\n")


def _remove_old(store: Path, version: Path) -> None:
    for old in store.iterdir():
        if old.is_dir() and old.name.startswith("v-") and old != version:
            shutil.rmtree(old, ignore_errors=True)


def _write_meta(partial: Path, G_counts: dict, meta: dict | None) -> None:
    info = {"format": STORE_FORMAT, **G_counts}
    info.update(meta or {})
    write_atomic(partial / "meta.json", json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True))


def save(G: nx.MultiDiGraph, store: str | os.PathLike = DEFAULT_STORE, meta: dict | None = None,
         files: dict[str, bytes] | None = None) -> Path:
    """Write the graph as a new version of the store and make it current. Returns its folder.

    ``files``: more files of the version (name → bytes), written before it becomes current."""
    store = Path(store)
    version, partial = _new_partial(store)
    try:
        write_json(G, partial / "graph.json")
        write_database(G, partial / "cascade.lbdb")
        for name, data in (files or {}).items():
            write_atomic(partial / name, data)
        _write_meta(partial, {"nodes": G.number_of_nodes(), "relationships": G.number_of_edges()}, meta)
        _publish(store, partial, version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _remove_old(store, version)
    return version


def layers(version: Path) -> list[Path]:
    """The delta layers of a version, in the order they apply."""
    return sorted(version.glob("delta-*.json"))


def save_layer(store: str | os.PathLike, update: Callable, meta: dict | None = None) -> Path:
    """A new version made from the current one by an incremental build.

    ``update(conn)`` runs inside one write transaction on a copy of the current database; it changes
    the database and returns ``(delta, meta, files)``: the graph delta (see :func:`apply_delta`), more
    meta, and more files of the version (name → bytes). The base graph.json and the earlier layers are
    hard-linked, the delta is written as the next layer; with :data:`MAX_LAYERS` layers already, the
    graph is written whole as a new base instead."""
    import ladybug

    store = Path(store)
    previous = current_version(store)
    if previous is None:
        raise StoreError(f"no store at {store} to add a layer to")
    version, partial = _new_partial(store)
    try:
        _copy_database(previous / "cascade.lbdb", partial / "cascade.lbdb")
        db = ladybug.Database(str(partial / "cascade.lbdb"))
        conn = ladybug.Connection(db)
        try:
            # The change stays in the write-ahead log beside the copy (cascade.lbdb.wal): a checkpoint
            # on close rewrites pages of the 550 MB file (0.4 s at 1M tasks) for a few KB of change.
            # Readers replay the log when they open the file (read-only ones too, without writing),
            # which costs with its size (100k tasks: 0.05 s for 170 KB): past WAL_LIMIT it is folded in.
            conn.execute("CALL force_checkpoint_on_close=false")
            conn.execute("BEGIN TRANSACTION")
            try:
                delta, more_meta, files = update(conn)
            except BaseException:
                try:   # a failed statement has already rolled the transaction back
                    conn.execute("ROLLBACK")
                except RuntimeError:
                    pass
                raise
            conn.execute("COMMIT")
            wal = partial / "cascade.lbdb.wal"
            if wal.is_file() and wal.stat().st_size > WAL_LIMIT:
                conn.execute("CHECKPOINT")
        finally:
            conn.close()
            db.close()
        old = layers(previous)
        if len(old) >= MAX_LAYERS:
            G = _load_version(previous)
            apply_delta(G, delta)
            write_json(G, partial / "graph.json")
        else:
            os.link(previous / "graph.json", partial / "graph.json")
            for p in old:
                os.link(p, partial / p.name)
            n = int(old[-1].stem.split("-")[1]) + 1 if old else 1
            write_atomic(partial / f"delta-{n:04d}.json",
                         json.dumps(delta, ensure_ascii=False, separators=(",", ":")))
        for name, data in (files or {}).items():
            write_atomic(partial / name, data)
        _write_meta(partial, {}, {**(meta or {}), **(more_meta or {})})
        _publish(store, partial, version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _remove_old(store, version)
    return version


def _copy_database(src: Path, dst: Path) -> None:
    """The database file and its write-ahead log, if any (the log holds committed changes not yet
    checkpointed into the file). ``shutil.copyfile`` copies in the kernel (sendfile)."""
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.is_file():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


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
    from .gcutil import gc_paused

    try:
        with gc_paused():   # millions of new dicts and no cycles: collections would only rescan them
            return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{path}: unreadable store ({err})") from err


def _load_version(version: Path) -> nx.MultiDiGraph:
    G = from_json_dict(_read_json(version / "graph.json"))
    for layer in layers(version):
        apply_delta(G, _read_json(layer))
    return G


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of the store's current version (its base with its layers applied)."""
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first")
    return _load_version(version)


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
