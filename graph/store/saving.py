"""Saving a graph as a new version of a store: whole (:func:`save`, a full build), or as a layer on
the current version (:func:`save_layer`, an incremental build) whose database change is one write
transaction on the previous version's file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import networkx as nx

from core.errors import StoreError
from core.files import write_atomic
from core.stages import stage

from ..build import edge_count
from ..gcutil import gc_paused
from . import compaction
from .bulk import copy_table_files, write_database, write_table_files
from .versions import DEFAULT_STORE, current_version, new_partial, publish, remove_old, write_meta

__all__ = ["save", "save_layer", "BulkChange", "start_apart", "write_apart", "finish_apart", "abandon_apart"]


def save(G: nx.MultiDiGraph, store: str | os.PathLike = DEFAULT_STORE, meta: dict | None = None,
         files: dict[str, bytes] | None = None) -> Path:
    """Write the graph as a new version of the store and make it current. Returns its folder.

    ``files``: more files of the version (name → bytes), written before it becomes current."""
    store = Path(store)
    version, partial = new_partial(store)
    try:
        _write_database(G, partial)
        for name, data in (files or {}).items():
            write_atomic(partial / name, data)
        write_meta(partial, {"nodes": G.number_of_nodes(), "relationships": edge_count(G)}, meta)
        publish(store, partial, version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    remove_old(store)
    return version


def _write_database(G: nx.MultiDiGraph, partial: Path) -> None:
    """The database, the version's one copy of the graph (:mod:`graph.store.tables` reads it back).
    Without the cyclic collector, as :func:`write_apart`."""
    with gc_paused():
        write_database(G, partial / "cascade.lbdb")


# A full save split between two processes (see cascade.apart): the one holding the graph writes its
# files, the other, small, loads the database from them and publishes. Same files as save().

def start_apart(store: Path) -> tuple[Path, Path]:
    """A new version's name and its ``.partial`` folder, for :func:`write_apart` and :func:`finish_apart`."""
    return new_partial(Path(store))


def write_apart(G: nx.MultiDiGraph, partial: Path, tables_ready: Callable[[list], None]) -> dict:
    """The graph's side: the database's tables as files (``tables_ready(plan)`` once written, see
    :func:`graph.store.bulk.write_table_files`). Returns the counts for meta.json.

    Without the cyclic collector: it makes millions of short-lived dicts and lists and no cycle, and
    each full pass of the collector went through the whole graph's objects again."""
    counts = {"nodes": G.number_of_nodes(), "relationships": edge_count(G)}
    with gc_paused():
        with stage("tables"):
            plan = write_table_files(G, partial / _TABLES)
        tables_ready(plan)
    return counts


def finish_apart(store: Path, version: Path, partial: Path, plan: list, counts: dict, meta: dict | None) -> Path:
    """The other side, once :func:`write_apart` has run: the database loaded from the table files, which
    are then removed, the meta written and the version published, as :func:`save` does."""
    store = Path(store)
    with stage("copy"):
        copy_table_files(partial / "cascade.lbdb", plan)
    shutil.rmtree(partial / _TABLES)
    write_meta(partial, counts, meta)
    publish(store, partial, version)
    remove_old(store)
    return version


def abandon_apart(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)


_TABLES = "tables"


def save_layer(store: str | os.PathLike, update: Callable, meta: dict | None = None) -> Path:
    """A new version made from the current one by an incremental build.

    ``update(conn, bulk)`` runs inside one write transaction on the current database; it changes the
    database and returns ``(delta, meta, files)``: the change as the graph's JSON records (unused here),
    more meta, and more files of the version (name → bytes).
    It may bulk-load (``COPY``) only when ``bulk`` is true, and otherwise raises :class:`BulkChange` to
    be called again with it. The database is the version's graph (:mod:`graph.store.tables`): the delta
    is not kept (the incremental build counts with it). A log left past
    :data:`graph.store.compaction.WAL_LIMIT` is folded in by a detached compaction afterwards."""
    store = Path(store)
    previous = current_version(store)
    if previous is None:
        raise StoreError(f"no store at {store} to add a layer to")
    version, partial = new_partial(store)
    try:
        try:
            _, more_meta, files = _update_database(previous, partial, update, private=False)
        except BulkChange:
            for p in partial.glob("cascade.lbdb*"):
                p.unlink()
            _, more_meta, files = _update_database(previous, partial, update, private=True)
        for name, data in (files or {}).items():
            write_atomic(partial / name, data)
        write_meta(partial, {}, {**(meta or {}), **(more_meta or {})})
        publish(store, partial, version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    remove_old(store)
    compaction.start_if_due(store, version)
    return version


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
    :data:`~graph.store.compaction.WAL_HARD_LIMIT` (:data:`~graph.store.compaction.WAL_LIMIT` with
    ``CASCADE_COMPACT=inline``), which the background compactions (:func:`graph.store.compaction.compact`)
    should have folded in. Readers replay the log when they open the file,
    which costs with its size (0.05 s a MB at 1M tasks). Copying the 550 MB file of 1M tasks at every
    build cost 0.2-1.8 s."""
    import ladybug

    src, dst = previous / "cascade.lbdb", partial / "cascade.lbdb"
    wal = src.with_name(src.name + ".wal")
    size = wal.stat().st_size if wal.is_file() else 0
    private = private or (size > 0 and size >= compaction.fold_limit())
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
