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

One job a module: :mod:`~graph.store.versions` (``CURRENT``, half-written versions, publishing, removing
old ones), :mod:`~graph.store.locking`, :mod:`~graph.store.schema` (the engine's typed tables),
:mod:`~graph.store.bulk` (writing a whole database and ``graph.json``), :mod:`~graph.store.deltas` (layers:
apply, merge, stage, load), :mod:`~graph.store.compaction`, :mod:`~graph.store.saving` (a full or an
incremental save), :mod:`~graph.store.derived` (the database's rows derived from the graph for its
queries, counted again for what an incremental build changed). The limits (``MAX_LAYERS``,
``WAL_LIMIT``, …) are read in their own modules: change them there, not here.
"""
from .versions import DEFAULT_STORE, content_version, current_version, database_path, open_database

# The rest is imported when first asked for: a reader that only needs the current version (a kept answer,
# cascade/answers.py) would otherwise import the writers, layers and compaction first, 20 ms of a kept
# trace's 25 ms in a fresh process.
_LAZY = {"write_database": "bulk", "write_json": "bulk", "WAL_LIMIT": "compaction", "compact": "compaction",
         "read_gaps": "derived", "read_workload": "derived", "refresh_workload": "derived",
         "replace_gaps": "derived", "update_workload": "derived", "MAX_LAYERS": "deltas", "apply_delta": "deltas",
         "layers": "deltas", "load_graph": "deltas", "merge_deltas": "deltas", "BulkChange": "saving",
         "save": "saving", "save_layer": "saving", "NODE_COLUMNS": "schema", "REL_TABLES": "schema",
         "SCHEMA_DDL": "schema"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

__all__ = ["save", "save_layer", "load_graph", "apply_delta", "merge_deltas", "layers", "current_version",
           "content_version", "database_path", "open_database", "compact", "BulkChange", "SCHEMA_DDL",
           "NODE_COLUMNS", "REL_TABLES", "write_database", "write_json", "DEFAULT_STORE", "MAX_LAYERS",
           "WAL_LIMIT", "read_workload", "refresh_workload", "update_workload",
           "read_gaps", "replace_gaps"]
