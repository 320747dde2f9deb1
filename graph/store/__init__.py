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
from .bulk import write_database, write_json
from .compaction import WAL_LIMIT, compact
from .derived import read_gaps, read_workload, refresh_workload, replace_gaps, update_workload
from .deltas import MAX_LAYERS, apply_delta, layers, load_graph, merge_deltas
from .saving import BulkChange, save, save_layer
from .schema import NODE_COLUMNS, REL_TABLES, SCHEMA_DDL
from .versions import DEFAULT_STORE, content_version, current_version, database_path, open_database

__all__ = ["save", "save_layer", "load_graph", "apply_delta", "merge_deltas", "layers", "current_version",
           "content_version", "database_path", "open_database", "compact", "BulkChange", "SCHEMA_DDL",
           "NODE_COLUMNS", "REL_TABLES", "write_database", "write_json", "DEFAULT_STORE", "MAX_LAYERS",
           "WAL_LIMIT", "read_workload", "refresh_workload", "update_workload",
           "read_gaps", "replace_gaps"]
