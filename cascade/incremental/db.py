"""The store's database as the incremental build changes it: queries inside the one write transaction
of :func:`graph.store.save_layer`, rows inserted as the bulk writer types them, and the counts the new
version reports.
"""
from __future__ import annotations

import json
from pathlib import Path

from core.records import LINK_TYPES

__all__ = ["Db", "counts_after", "node_json", "rel_json", "UNIT_PROPS"]

UNIT_PROPS = ("name", "short_name", "region", "collective", "aliases")
_COPY_ROWS = 5000     # above this many rows of a table, Arrow COPY


class Db:
    """Queries on the version's database, inside one write transaction. ``bulk``: whether it may
    ``COPY`` (see :func:`graph.store.save_layer`)."""

    def __init__(self, conn, bulk: bool = True):
        self.conn, self.bulk = conn, bulk

    def rows(self, query: str, **params) -> list[list]:
        # an empty list has no type for the engine: a value no id, name or region holds stands in
        params = {k: (v if not isinstance(v, list) or v else ["\x00"]) for k, v in params.items()}
        r = self.conn.execute(query, params)
        out = []
        while r.has_next():
            out.append(r.get_next())
        return out

    def insert(self, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]], label_of) -> None:
        """Nodes (id, properties with ``label``) and edges (start, end, properties with ``type``), typed as
        the bulk writer types them. The few rows of a document go by ``UNWIND … CREATE`` (nodes) and
        one prepared ``MATCH`` on both ends' keys + ``CREATE`` per edge (0.3 ms each at 1M tasks); Arrow
        ``COPY`` costs 10-80 ms a table and, on first use, pyarrow's import of pandas (0.25 s); it is kept
        for many rows. (``UNWIND … MATCH … CREATE`` for edges joined by scanning whole tables: 3.6 s.)"""
        from graph.store.schema import NODE_COLUMNS, REL_TABLES, cell

        by_label: dict[str, list] = {}
        for n, d in nodes:
            by_label.setdefault(d["label"], []).append((n, d))
        for label, cols in NODE_COLUMNS.items():
            rows = by_label.get(label)
            if not rows:
                continue
            data = {c: [cell(d.get(c, n if c == "id" else None), t) for n, d in rows] for c, t in cols}
            if len(rows) > _COPY_ROWS:
                self._copy(label, data, cols, "")
                continue
            props = ", ".join(f"`{c}`: r.`{c}`" for c, _ in cols)
            self.conn.execute(f"UNWIND $rows AS r CREATE (:{label} {{{props}}})",
                              {"rows": [dict(zip(data, vals)) for vals in zip(*data.values())]})
        groups: dict[tuple, list] = {}
        for u, v, d in edges:
            key = (d["type"], label_of(u), label_of(v))
            if d["type"] in REL_TABLES and key[1:] in REL_TABLES[d["type"]][0]:   # as the bulk writer
                groups.setdefault(key, []).append((u, v, d))
        for (rel, a, b), group in sorted(groups.items()):
            pairs, cols = REL_TABLES[rel]
            if len(group) > _COPY_ROWS:
                data = {"from": [u for u, _, _ in group], "to": [v for _, v, _ in group]}
                for c, t in cols:
                    data[c] = [cell(d.get(c), t) for _, _, d in group]
                self._copy(rel, data, [("from", "STRING"), ("to", "STRING"), *cols],
                           f" (from='{a}', to='{b}')" if len(pairs) > 1 else "")
                continue
            props = ", ".join(f"`{c}`: $p{i}" for i, (c, _) in enumerate(cols))
            query = f"MATCH (x:{a} {{id: $from}}), (y:{b} {{id: $to}}) CREATE (x)-[:{rel} {{{props}}}]->(y)"
            for u, v, d in group:
                params = {"from": u, "to": v}
                params.update((f"p{i}", cell(d.get(c), t)) for i, (c, t) in enumerate(cols))
                self.conn.execute(query, params)

    def _copy(self, table: str, data: dict, cols, opts: str) -> None:
        import pyarrow as pa

        from graph.store import BulkChange

        if not self.bulk:
            raise BulkChange(table)

        types = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
                 "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string())}
        arrays = pa.table({c: pa.array(data[c], type=types[t]) for c, t in cols})
        self.conn.execute(f"COPY {table} FROM $df{opts}", {"df": arrays})

    def unit_rows(self, units) -> dict:
        """The stored properties of these units (those the database holds), by id."""
        if not units:
            return {}
        # UNWIND + a match on the key looks each id up in the primary-key index; "u.id IN $u" scans every
        # unit (100k tasks: 8 ms against under 1 ms; 1M: 0.25 s for a build's four calls)
        rows = self.rows("UNWIND $u AS x MATCH (u:Unit {id: x}) RETURN u.id, u.name, u.short_name, u.region, "
                         "u.collective, u.aliases", u=sorted(set(units)))
        return {r[0]: {"label": "Unit", "id": r[0], "name": r[1], "short_name": r[2], "region": r[3],
                       "collective": r[4], "aliases": r[5] or []} for r in rows}

    def update_unit(self, u: str, attrs: dict) -> None:
        """Set a stored unit's properties. Not through :meth:`rows`: its stand-in for an empty list would
        be stored as an alias, and read back as one by the next build."""
        self.conn.execute("MATCH (u:Unit) WHERE u.id = $id SET u.name = $name, u.short_name = $short, "
                          "u.region = $region, u.collective = $coll, u.aliases = CAST($aliases AS STRING[])",
                          {"id": u, "name": attrs.get("name"), "short": attrs.get("short_name"),
                           "region": attrs.get("region"), "coll": bool(attrs.get("collective")),
                           "aliases": list(attrs.get("aliases") or [])})

    def first_mentions(self, units: list[str]) -> dict:
        """Unit → the smallest id of a document in the store that names it."""
        out: dict[str, str] = {}
        for q in ("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE u.id IN $u RETURN u.id, min(t.doc_id)",
                  "MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE u.id IN $u RETURN u.id, min(x.id)"):
            for u, d in self.rows(q, u=units):
                if d is not None and (u not in out or d < out[u]):
                    out[u] = d
        return out

    def counts(self) -> dict:
        from graph.store import NODE_COLUMNS, REL_TABLES

        labels = {label: self.rows(f"MATCH (n:{label}) RETURN count(n)")[0][0] for label in NODE_COLUMNS}
        rels = {rel: self.rows(f"MATCH ()-[r:{rel}]->() RETURN count(r)")[0][0] for rel in REL_TABLES}
        return {"nodes": sum(labels.values()), "relationships": sum(rels.values()), "label_counts": labels,
                "derived_from": rels.get("DERIVED_FROM", 0), "links": sum(rels.get(t, 0) for t in LINK_TYPES)}


def counts_after(previous: Path, delta: dict) -> dict | None:
    """The previous version's counts plus what a delta that removed no node adds and removes."""
    if delta["remove_nodes"]:
        return None
    try:
        meta = json.loads((previous / "meta.json").read_text(encoding="utf-8"))
        labels, links, derived = dict(meta["label_counts"]), meta["links"], meta["derived_from"]
        nodes, rels = meta["nodes"], meta["relationships"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    replaced = set(delta["replaced"])
    added = [n for n in delta["nodes"] if n["id"] not in replaced]
    for n in added:
        labels[n["label"]] = labels.get(n["label"], 0) + 1
    nodes += len(added)
    for sign, rows in ((1, [(r["type"],) for r in delta["relationships"]]), (-1, delta["remove_relationships"])):
        for r in rows:
            rels += sign
            links += sign * (r[0] in LINK_TYPES)
            derived += sign * (r[0] == "DERIVED_FROM")
    return {"nodes": nodes, "relationships": rels, "label_counts": labels, "derived_from": derived, "links": links}


def node_json(n: str, d: dict) -> dict:
    """A node as the graph layer holds it."""
    from graph.export.json import properties

    return {"id": n, "label": d["label"], "properties": properties(d)}


def rel_json(u: str, v: str, d: dict) -> dict:
    """An edge as the graph layer holds it."""
    from graph.export.json import properties

    return {"type": d["type"], "start": u, "end": v, "properties": properties(d)}
