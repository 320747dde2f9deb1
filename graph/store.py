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
changed (past :data:`MAX_LAYERS` the layers are merged into one), and the database is a hard link to the
previous file, which the engine leaves untouched, plus a copy of the write-ahead log to which its one
write transaction is appended. Only a bulk change copies the file and checkpoints the copy; a log grown
past :data:`WAL_LIMIT` is folded into a copy by a detached process after the build (:func:`compact`),
which makes a version with the same content current. Old versions are removed afterwards.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import networkx as nx

from core.errors import StoreError

from .bulk import NODE_COLUMNS, REL_TABLES, SCHEMA_DDL, write_database, write_json  # noqa: F401 (re-exported)
from core.files import write_atomic

from .export import from_json_dict

__all__ = ["save", "save_layer", "load_graph", "apply_delta", "merge_deltas", "layers", "current_version",
           "content_version", "database_path", "open_database", "compact", "BulkChange", "SCHEMA_DDL",
           "DEFAULT_STORE", "MAX_LAYERS", "WAL_LIMIT"]

DEFAULT_STORE = ".cascade"
STORE_FORMAT = 1
MAX_LAYERS = 32     # beyond this many layers an incremental build merges them into one
MERGED_LIMIT = 0.25  # ... unless the merged layer would be larger than this part of graph.json: then a new base
WAL_LIMIT = 1024 * 1024   # a log this large is folded into a copy of the database (see compact)
WAL_HARD_LIMIT = 8 * WAL_LIMIT   # ... and by the build itself if it is this large (compactions kept losing)


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
    with _store_lock(store):   # against a compaction's check-and-switch (see compact)
        os.replace(partial, version)
        write_atomic(store / "CURRENT", version.name + "\n")


@contextmanager
def _store_lock(store: Path, name: str = ".lock", wait: bool = True):
    """An exclusive lock on a file of the store (held for a switch of ``CURRENT``, or by a compaction):
    yields whether it was taken (always, when ``wait``)."""
    import fcntl

    with open(store / name, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_old(store: Path) -> None:
    """Every version but the current one, and half-written ones whose writer is gone. Under the store
    lock, sparing what ``CURRENT`` names then: another build or a compaction may have switched to its
    own version since the caller switched to the caller's."""
    with _store_lock(store):
        current = current_version(store)
        for old in store.iterdir():
            if old.is_dir() and old.name.startswith("v-") and old != current:
                if old.name.endswith(".partial") and _writer_alive(old.name):
                    continue   # another build, or a compaction, is writing it
                shutil.rmtree(old, ignore_errors=True)


def _writer_alive(name: str) -> bool:
    try:
        pid = int(name.split("-")[2])   # v-<stamp>-<pid>-<n>.partial
        os.kill(pid, 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def _write_meta(partial: Path, G_counts: dict, meta: dict | None) -> None:
    # "version": the folder it was built as; a compaction's version keeps it (same content, same meta)
    info = {"format": STORE_FORMAT, **G_counts}
    info.update(meta or {})
    info["version"] = partial.name.removesuffix(".partial")
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
    _remove_old(store)
    return version


def layers(version: Path) -> list[Path]:
    """The delta layers of a version, in the order they apply."""
    return sorted(version.glob("delta-*.json"))


def save_layer(store: str | os.PathLike, update: Callable, meta: dict | None = None) -> Path:
    """A new version made from the current one by an incremental build.

    ``update(conn, bulk)`` runs inside one write transaction on the current database; it changes the
    database and returns ``(delta, meta, files)``: the graph delta (see :func:`apply_delta`), more
    meta, and more files of the version (name → bytes). It may bulk-load (``COPY``) only when ``bulk``
    is true, and otherwise raises :class:`BulkChange` to be called again with it. The base graph.json
    and the earlier layers are hard-linked, the delta is written as the next layer; with
    :data:`MAX_LAYERS` layers already, they are merged into one (:func:`merge_deltas`), and only when
    that would outgrow :data:`MERGED_LIMIT` of the base is the graph written whole as a new base."""
    store = Path(store)
    previous = current_version(store)
    if previous is None:
        raise StoreError(f"no store at {store} to add a layer to")
    version, partial = _new_partial(store)
    try:
        try:
            delta, more_meta, files = _update_database(previous, partial, update, private=False)
        except BulkChange:
            for p in partial.glob("cascade.lbdb*"):
                p.unlink()
            delta, more_meta, files = _update_database(previous, partial, update, private=True)
        _stage_layers(previous, partial, delta)
        for name, data in (files or {}).items():
            write_atomic(partial / name, data)
        _write_meta(partial, {}, {**(meta or {}), **(more_meta or {})})
        _publish(store, partial, version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _remove_old(store)
    wal = version / "cascade.lbdb.wal"
    if _compaction() == "background" and wal.is_file() and wal.stat().st_size >= WAL_LIMIT:
        _start_compaction(store, version)
    return version


def _compaction() -> str:
    """``background`` (default): a log past :data:`WAL_LIMIT` is folded in by a detached process after
    the build; ``inline``: by the build that finds it (the environment's ``CASCADE_COMPACT``)."""
    return "inline" if os.environ.get("CASCADE_COMPACT") == "inline" else "background"


def _start_compaction(store: Path, version: Path) -> None:
    try:
        # (niced: a build or the app beside it comes first)
        subprocess.Popen([sys.executable, "-c", "import os, sys; os.nice(10); from graph.store import compact; "
                          "compact(sys.argv[1], sys.argv[2])", str(store), version.name],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True,
                         cwd=str(Path(__file__).resolve().parents[1]))
    except OSError:
        pass   # the next build folds the log in itself, past WAL_HARD_LIMIT


def compact(store: str | os.PathLike, name: str) -> Path | None:
    """Fold the write-ahead log of version ``name`` into a private copy of its database, as a new version
    with the same content (its other files hard-linked), made current only if ``name`` still is.

    An incremental build that leaves a log past :data:`WAL_LIMIT` starts this in a detached process
    (copying 550 MB and checkpointing at 1M tasks takes 2-4 s, which the build would otherwise pay once
    in ~10 builds). A build that switches ``CURRENT`` meanwhile wins: the compaction is dropped (its
    version held the same content). A build that started from ``name`` goes on from it (or from the new
    version, the same graph), and removes it when it switches. Returns the new version, or ``None`` when
    there was nothing to do, another compaction was running, or ``CURRENT`` had moved on."""
    import ladybug

    store = Path(store)
    version = store / name
    with _store_lock(store, ".compact.lock", wait=False) as mine:
        if not mine or current_version(store) != version:
            return None
        new, partial = _new_partial(store)
        try:
            src = version / "cascade.lbdb"
            shutil.copyfile(src, partial / src.name)
            wal = src.with_name(src.name + ".wal")
            if wal.is_file():
                shutil.copyfile(wal, partial / wal.name)
            db = ladybug.Database(str(partial / src.name))
            conn = ladybug.Connection(db)
            try:
                conn.execute("CHECKPOINT")
            finally:
                conn.close()
                db.close()
            for p in version.iterdir():
                if p.is_file() and p.name not in (src.name, wal.name):
                    os.link(p, partial / p.name)
            with _store_lock(store):
                if current_version(store) != version:
                    raise _Moved
                os.replace(partial, new)
                write_atomic(store / "CURRENT", new.name + "\n")
        except (_Moved, OSError, RuntimeError):
            shutil.rmtree(partial, ignore_errors=True)
            return None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    # The version it replaced stays until the next build removes it: a build that started from it may
    # still be reading it (removing it here made such a build fail, one in ~25 back-to-back at 1M).
    return new


class _Moved(Exception):
    pass


class BulkChange(Exception):
    """Raised by an update that needs ``COPY`` on a database file it may not write (see :func:`save_layer`)."""


def _update_database(previous: Path, partial: Path, update: Callable, private: bool):
    """Run ``update`` in one transaction on the new version's database.

    The engine writes a transaction to the write-ahead log only and changes the file itself at a
    checkpoint, so the file can be a hard link to the previous version's, shared and never written,
    as long as nothing checkpoints: not on close, not automatically (a large change could pass the
    engine's 16 MB threshold). Two kinds of change need a private copy of the file, checkpointed
    after the commit: one that bulk-loads (``COPY``: rows it loaded are not found again by a later
    build's ``COPY`` until they are checkpointed; tried), and the one that finds the log past
    :data:`WAL_HARD_LIMIT` (:data:`WAL_LIMIT` with ``CASCADE_COMPACT=inline``), which the background
    compactions (:func:`compact`) should have folded in. Readers replay the log when they open the file,
    which costs with its size (0.05 s a MB at 1M tasks). Copying the 550 MB file of 1M tasks at every
    build cost 0.2-1.8 s."""
    import ladybug

    src, dst = previous / "cascade.lbdb", partial / "cascade.lbdb"
    wal = src.with_name(src.name + ".wal")
    size = wal.stat().st_size if wal.is_file() else 0
    limit = WAL_LIMIT if _compaction() == "inline" else WAL_HARD_LIMIT
    private = private or (size > 0 and size >= limit)
    if private:
        shutil.copyfile(src, dst)   # copies in the kernel (sendfile)
    else:
        os.link(src, dst)
    if size:
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))
    try:
        db = ladybug.Database(str(dst), auto_checkpoint=False)
    except RuntimeError as err:
        if "lock" in str(err).lower():   # the file is shared: another build is writing it
            raise StoreError(f"{previous.parent}: another build is changing this store; run this one again "
                             "once it has finished") from err
        raise
    conn = ladybug.Connection(db)
    try:
        conn.execute("CALL force_checkpoint_on_close=false")
        conn.execute("BEGIN TRANSACTION")
        try:
            out = update(conn, private)
        except BaseException:
            try:   # a failed statement has already rolled the transaction back
                conn.execute("ROLLBACK")
            except RuntimeError:
                pass
            raise
        conn.execute("COMMIT")
        if private:
            conn.execute("CHECKPOINT")
    finally:
        conn.close()
        db.close()
    return out


def _stage_layers(previous: Path, partial: Path, delta: dict) -> None:
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
        G = _load_version(previous)
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
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
    return _load_version(version)


def content_version(store: str | os.PathLike = DEFAULT_STORE) -> str:
    """Names what the current version holds: the name it was built as, which a compaction, whose version
    holds the same graph, keeps. ``""`` when there is no store."""
    version = current_version(store)
    if version is None:
        return ""
    try:
        return json.loads((version / "meta.json").read_text(encoding="utf-8")).get("version") or version.name
    except (OSError, ValueError, AttributeError):
        return version.name


def database_path(store: str | os.PathLike = DEFAULT_STORE) -> Path:
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
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
