"""The bulk writer of a store version's database (one ``COPY`` per table from Arrow, or from Parquet
files another process wrote). :mod:`graph.store.saving` decides where and when it runs; this module
only writes.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from operator import itemgetter
from pathlib import Path

import networkx as nx

from core.errors import StoreError

from ..gap_rows import GAP_LABEL, gap_definition
from ..gcutil import release_free_memory
from ..local_addition_rows import LOCAL_ADDITION_LABEL, local_addition_definition
from ..not_assessable_rows import NOT_ASSESSABLE_LABEL, not_assessable_definition, pairs_query
from ..workload_rows import WORKLOAD_COLUMNS, WORKLOAD_LABEL, WORKLOAD_REL, workload_columns
from .schema import NODE_COLUMNS, REL_TABLES, SCHEMA_DDL, cell

__all__ = ["write_database", "write_table_files", "copy_table_files", "CHUNK_ROWS"]

# Python types that a column of each engine type takes as they are (what cell would return unchanged).
_PLAIN = {"STRING": {str, type(None)}, "INT64": {int, type(None)}, "DOUBLE": {float, type(None)},
          "BOOLEAN": {bool, type(None)}}


def _values(values: list, typ: str) -> list:
    """``[cell(v, typ) for v in values]``, skipped when every value is already what cell returns
    (one check per column in C, instead of a Python call per cell: most of the store stage at 1M)."""
    kinds = set(map(type, values))
    if typ == "STRING[]":
        if kinds <= {list} and set(map(type, chain.from_iterable(values))) <= {str}:
            return values
    elif kinds <= _PLAIN.get(typ, ()):
        return values
    return [cell(v, typ) for v in values]


def _column(dicts: list, name: str) -> list:
    """``[d.get(name) for d in dicts]``; in C when every dict has the key (the usual case)."""
    try:
        return list(map(itemgetter(name), dicts))
    except KeyError:
        return [d.get(name) for d in dicts]


def _arrow_table(columns: dict[str, tuple[list, str]]):
    import pyarrow as pa

    types = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
             "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string())}
    return pa.table({c: pa.array(_utf8(_values(values, t)) if t == "STRING" else _values(values, t), type=types[t])
                     for c, (values, t) in columns.items()})


def _utf8(values: list) -> list:
    """The strings as UTF-8 bytes, for Arrow: a str handed to Arrow keeps a UTF-8 copy of itself for
    as long as it lives (CPython caches it in the object), so every id, text and name of the graph
    would hold its text twice from the store stage on (~0.3 GB at 1M tasks). A string that is not
    valid UTF-8 (a lone surrogate) is left to Arrow, which says so as before."""
    try:
        try:
            return list(map(str.encode, values))   # in C: a column with no None (ids, texts)
        except TypeError:
            return [v if v is None else v.encode() for v in values]
    except (UnicodeEncodeError, TypeError, AttributeError):
        return values


# Rows per COPY: a big table goes in several COPYs, so neither its Arrow copy (a million tasks' texts
# are half a gigabyte) nor the engine's copy of it is in memory whole: at 1M tasks 0.7 GB less at the
# peak than one COPY per table; more, smaller COPYs are slower (a COPY into a filled table checks
# and merges with what is there: 250,000 rows a COPY took 42 s, one COPY a table 35 s).
CHUNK_ROWS = 500_000


def _tables(G: nx.MultiDiGraph, rows: int = CHUNK_ROWS):
    """``(COPY statement, Arrow table, node table?)`` per node label, then per relationship type and end
    labels, a big one in chunks of about ``rows``; rows in the graph's order. Made one at a time, so
    only the table being copied and the next one are in memory. The workload rows
    (:mod:`graph.workload_rows`) follow the nodes, their relationships to units the relationships.

    Node tables come in the schema's order; the relationship tables by start label (in the order the
    schema first names it), each start label's tables from one walk of its nodes' adjacency
    (:func:`_edge_rows`) in the schema's order, but for a chunk that fills up first."""
    attrs = G._node
    nodes: dict[str, list] = {label: [] for label in NODE_COLUMNS}
    for n, d in attrs.items():
        ids = nodes.get(d.get("label"))
        if ids is not None:
            ids.append(n)
    for label, cols in NODE_COLUMNS.items():
        ids = nodes[label]
        for i in range(0, len(ids), rows):
            chunk = ids[i:i + rows]
            dicts = [attrs[n] for n in chunk]
            _check_properties(label, dicts, cols, ("label",))
            columns = {c: ([d.get("id", n) for n, d in zip(chunk, dicts)] if c == "id" else _column(dicts, c), t)
                       for c, t in cols}
            del chunk, dicts
            yield f"COPY {label} FROM $df", _arrow_table(columns), True
            del columns
    derived = workload_columns(G)
    to_units = {"from": (derived["id"], "STRING"), "to": (derived["unit"], "STRING")}
    if derived["id"]:   # as a label without nodes: no COPY
        yield f"COPY {WORKLOAD_LABEL} FROM $df", _arrow_table({c: (derived[c], t) for c, t in WORKLOAD_COLUMNS}), True
    del derived
    for start, tables in _tables_by_start().items():
        for (rel, end), starts, ends, dicts in _edge_rows(G, nodes[start], tables, rows):
            pairs, cols = REL_TABLES[rel]
            _check_properties(rel, dicts, cols, ("type",))
            opts = f" (from='{start}', to='{end}')" if len(pairs) > 1 else ""
            columns = {"from": (starts, "STRING"), "to": (ends, "STRING")}
            columns.update((c, (_column(dicts, c), t)) for c, t in cols)
            del starts, ends, dicts
            yield f"COPY {rel} FROM $df{opts}", _arrow_table(columns), False
            del columns
    if to_units["from"][0]:
        yield f"COPY {WORKLOAD_REL} FROM $df", _arrow_table(to_units), False


def _check_properties(table: str, dicts: list, cols: list, more: tuple) -> None:
    """The database is the store's one copy of the graph (:mod:`graph.store.tables`): a property with no
    column would be lost, so it is refused (add its column to the schema)."""
    names = {c for c, _ in cols}.union(more)
    extra = set().union(*set(map(tuple, dicts))) - names
    if extra:
        raise StoreError(f"{table}: the store has no column for {', '.join(sorted(map(str, extra)))}")


def _tables_by_start() -> dict[str, list[tuple[str, str]]]:
    """start label -> its ``(relationship type, end label)`` tables, in the schema's order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rel, (pairs, _) in REL_TABLES.items():
        for a, b in pairs:
            out.setdefault(a, []).append((rel, b))
    return out


def _edge_rows(G: nx.MultiDiGraph, starts_of: list, tables: list[tuple[str, str]], rows: int):
    """``((type, end label), [starts], [ends], [attribute dicts])`` of the edges from the nodes
    ``starts_of`` that belong to one of ``tables``, each table's in the graph's order, about ``rows`` at
    a time: one walk of those nodes' adjacency for all their tables (a walk a table went through a
    task's edges four times), rather than every edge of the graph grouped in lists first (at 1M tasks
    4.5M edges, ~0.4 GB beside the graph). What is left of each table comes at the end, in the order of
    ``tables``."""
    attrs, succ = G._node, G._succ
    by_end: dict[str, dict[str, tuple]] = {}   # end label -> type -> (starts, ends, dicts)
    for rel, end in tables:
        by_end.setdefault(end, {})[rel] = ([], [], [])
    for u in starts_of:
        for v, keydict in succ[u].items():
            by_type = by_end.get(attrs[v].get("label"))
            if by_type is None:
                continue
            for d in keydict.values():
                columns = by_type.get(d.get("type"))
                if columns is None:
                    continue
                starts, ends, dicts = columns
                starts.append(u)
                ends.append(v)
                dicts.append(d)
                if len(starts) >= rows:
                    rel = d.get("type")
                    by_type[rel] = ([], [], [])
                    yield (rel, attrs[v].get("label")), starts, ends, dicts
    for rel, end in tables:
        columns = by_end[end].pop(rel)
        if columns[0]:
            yield (rel, end), *columns
        del columns


def write_database(G: nx.MultiDiGraph, path: Path) -> None:
    """Bulk-load the graph: one Arrow table per node label and per relationship (type, end labels),
    each written with ``COPY`` (the engine scans Arrow tables directly; no row-by-row inserts), a big
    one in chunks of :data:`CHUNK_ROWS`. The engine copies one table (in C++, without the GIL) while
    Python makes the next."""
    _copy_all(path, ((statement, {"df": table}, is_node) for statement, table, is_node in _tables(G)))


def write_table_files(G: nx.MultiDiGraph, folder: Path) -> list[tuple[str, bool]]:
    """The tables :func:`write_database` would copy, written as Parquet files in ``folder`` instead,
    for :func:`copy_table_files` to load in another process (see :mod:`cascade.apart`): the process
    holding the graph need not hold the engine's COPY too. One file a table (one COPY: the fastest,
    and the loading process holds nothing else), made and written :data:`FILE_ROWS` rows at a time (a
    row group each), so the process holding the graph holds little more. Returns ``(COPY statement,
    node table?)`` per file, in order. Uncompressed: the files live for seconds, in the page cache."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir()
    plan: list[tuple[str, bool]] = []
    writers: dict[str, object] = {}   # statement -> its file's writer (a start label's tables are made together)
    try:
        for statement, table, is_node in _tables(G, FILE_ROWS):
            writer = writers.get(statement)
            if writer is None:
                f = folder / f"{len(plan):03d}.parquet"
                writer = writers[statement] = pq.ParquetWriter(f, table.schema, compression="none")
                literal = "'" + str(f.resolve()).replace("\\", "\\\\").replace("'", "\\'") + "'"
                plan.append((statement.replace("$df", literal), is_node))
            writer.write_table(table)
            del table
    finally:
        for writer in writers.values():
            writer.close()
    # What Arrow's pool and the C heap keep of the freed chunks goes back to the system: the process
    # may hold the graph a while longer (at 100k tasks ~100 MB kept, more with a start label's tables
    # made together than one after the other).
    pa.default_memory_pool().release_unused()
    release_free_memory()
    return plan


# Rows made and written at a time by write_table_files.
FILE_ROWS = 100_000


def copy_table_files(path: Path, plan: list[tuple[str, bool]]) -> None:
    """Bulk-load a database from the files of :func:`write_table_files`."""
    _copy_all(path, ((statement, None, is_node) for statement, is_node in plan))


def _copy_all(path: Path, copies) -> None:
    """Create the schema and run each ``(COPY statement, parameters, node table?)``, one at a time on a
    thread of its own while the caller makes the next.

    Each COPY has a connection of its own, closed after it: a connection keeps every table it was given
    until it is closed (a million tasks' tables held 2 GB more). Node tables are copied on one thread:
    on two, the engine's primary-key index builder deadlocked on a 1M-task cascade (every thread asleep
    on its locks, no progress in 9 minutes); relationships use two.
    """
    import ladybug

    db = ladybug.Database(str(path), max_num_threads=max(NODE_THREADS, REL_THREADS))

    def copy(statement, params, threads):
        conn = ladybug.Connection(db, num_threads=threads)
        try:
            conn.execute(statement, params) if params else conn.execute(statement)
        finally:
            conn.close()

    try:
        conn = ladybug.Connection(db)
        try:
            for ddl in SCHEMA_DDL:
                conn.execute(ddl)
        finally:
            conn.close()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy") as pool:
            pending = None
            for statement, params, is_node in copies:
                if pending is not None:
                    pending.result()
                pending = pool.submit(copy, statement, params, NODE_THREADS if is_node else REL_THREADS)
                del params
            if pending is not None:
                pending.result()
        # not COPY Gap FROM (definition), which would run the definition on the one thread a node table is
        # copied on (see above)
        conn = ladybug.Connection(db, num_threads=REL_THREADS)
        try:
            gaps = conn.execute(gap_definition()).get_as_arrow()
            # the rows that cannot be judged: the definition only when a pair qualifies (a nation-year
            # of whole plans has none; its pairs are asked in 0.04-0.25 s, the definition takes 1.4-3.6 s)
            unjudged = (conn.execute(not_assessable_definition()).get_as_arrow()
                        if conn.execute(pairs_query()).has_next() else None)
            local = conn.execute(local_addition_definition()).get_as_arrow()
        finally:
            conn.close()
        if gaps.num_rows:
            copy(f"COPY {GAP_LABEL} FROM $df", {"df": gaps}, NODE_THREADS)
        if unjudged is not None and unjudged.num_rows:
            copy(f"COPY {NOT_ASSESSABLE_LABEL} FROM $df", {"df": unjudged}, NODE_THREADS)
        if local.num_rows:
            copy(f"COPY {LOCAL_ADDITION_LABEL} FROM $df", {"df": local}, NODE_THREADS)
    finally:
        db.close()


# Threads of the engine's COPY: see write_database. Its buffer pool keeps the engine's default (80% of
# the machine's memory, taken only as used): a pool of 256 MB made a 1M-task COPY fail ("the buffer
# pool is full"), and one of 1 GB did not lower the peak (the engine's COPY memory is outside the pool).
NODE_THREADS, REL_THREADS = 1, 2
