"""The store: the graph as an embedded Cypher database (LadybugDB), saved atomically.

Layout of a store folder (default ``.cascade/``)::

    CURRENT            the name of the version in use (replaced atomically)
    v-<stamp>/         one complete version:
        cascade.lbdb       the embedded database: always the whole graph, and the graph's one copy
        cascade.lbdb.wal   its write-ahead log, left by incremental builds (readers replay it)
        meta.json          counts and build information

The database holds every node and relationship with every property, so :func:`load_graph` reads the
networkx graph back from it (:mod:`~graph.store.tables`): no version keeps a second copy as JSON (a
nation-year's was 2 GB, 36 s of a 1M build). A build writes a new version beside the old one and only
then points ``CURRENT`` at it, so a build killed at any moment leaves the previous version whole, and a
reader sees either the old or the new graph. An incremental build (:func:`save_layer`) makes its version
from the previous one: the database is a hard link to the previous file, which the engine leaves
untouched, plus a copy of the write-ahead log to which its one write transaction is appended. Only a bulk
change copies the file and checkpoints the copy; a log grown past :data:`WAL_LIMIT` is folded into a copy
by a detached process after the build (:func:`compact`), which makes a version with the same content
current. Old versions are removed afterwards. (Versions written before the database was the graph's one
copy also hold ``graph.json`` and ``delta-NNNN.json`` files; they are no longer read.)

One job a module: :mod:`~graph.store.versions` (``CURRENT``, half-written versions, publishing, removing
old ones), :mod:`~graph.store.locking`, :mod:`~graph.store.schema` (the engine's typed tables, and how a
property becomes a cell and back), :mod:`~graph.store.bulk` (writing a whole database),
:mod:`~graph.store.tables` (the graph read back), :mod:`~graph.store.stream` (read record by record),
:mod:`~graph.store.compaction`, :mod:`~graph.store.saving` (a full or an incremental save),
:mod:`~graph.store.derived` (the database's rows derived from the graph for its queries, counted again
for what an incremental build changed). The limits (``WAL_LIMIT``, …) are read in their own modules:
change them there, not here.
"""
from .versions import DEFAULT_STORE, content_version, current_version, database_path, open_database

# The rest is imported when first asked for: a reader that only needs the current version (a kept answer,
# cascade/answers.py) would otherwise import the writers and the compaction first, 20 ms of a kept
# trace's 25 ms in a fresh process.
_LAZY = {"write_database": "bulk", "WAL_LIMIT": "compaction", "compact": "compaction",
         "read_gaps": "derived", "read_workload": "derived", "refresh_workload": "derived",
         "replace_gaps": "derived", "read_not_assessable": "derived", "replace_not_assessable": "derived",
         "read_local_additions": "derived", "read_kept_rows": "derived", "replace_local_additions": "derived",
         "update_workload": "derived", "load_graph": "tables", "load_version": "tables",
         "read_graph": "tables", "BulkChange": "saving", "save": "saving", "save_layer": "saving",
         "NODE_COLUMNS": "schema", "REL_TABLES": "schema", "SCHEMA_DDL": "schema"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = ["save", "save_layer", "load_graph", "load_version", "read_graph", "current_version",
           "content_version", "database_path", "open_database", "compact", "BulkChange", "SCHEMA_DDL",
           "NODE_COLUMNS", "REL_TABLES", "write_database", "DEFAULT_STORE",
           "WAL_LIMIT", "read_workload", "refresh_workload", "update_workload",
           "read_gaps", "replace_gaps", "read_not_assessable", "replace_not_assessable", "read_local_additions",
           "replace_local_additions", "read_kept_rows"]
