"""CSV for ``neo4j-admin database import``: a zip of one file per label and per relationship type,
plus the ``import.sh`` that runs the import."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict

import networkx as nx

from core.errors import ExportError

from ..textsafe import spreadsheet_rows
from .rows import node_rows, relationship_rows

__all__ = ["to_csv_zip", "CSV_ARRAY_DELIMITERS"]

# The first of these that no list item contains separates list items (neo4j-admin --array-delimiter).
CSV_ARRAY_DELIMITERS = ("|", ";", "\u001f")


def _csv_type(values) -> str:
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("boolean")
        elif isinstance(v, int):
            kinds.add("long")
        elif isinstance(v, float):
            kinds.add("double")
        elif isinstance(v, list):
            kinds.add("string[]" if all(isinstance(x, str) for x in v) else "json")
        else:
            kinds.add("string")
    if kinds == {"long", "double"}:
        return "double"
    if len(kinds) == 1:
        return kinds.pop()
    return "string"


def _csv_cell(v, typ: str, delim: str) -> str:
    if v is None:
        return ""
    if typ == "string[]":
        return delim.join(v)
    if typ == "boolean":
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def to_csv_zip(G: nx.MultiDiGraph) -> bytes:
    """A zip of CSV files in the ``neo4j-admin database import`` header format, plus ``import.sh``.

    One file per label (``nodes_Task.csv``: ``id:ID,:LABEL,text,…``) and per relationship type
    (``rels_ASSIGNED_TO.csv``: ``:START_ID,:END_ID,:TYPE,role,…``); ids share one id space. Typed
    columns (``year:long``, ``truncated:boolean``, ``deadlines:string[]``); dicts are JSON text. The
    zip's entries carry a fixed date, so the same graph gives the same bytes.
    """
    node_groups: dict[str, list[dict]] = defaultdict(list)
    for _, label, props in node_rows(G):
        node_groups[label].append(props)
    rel_groups: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, rtype, props in relationship_rows(G):
        rel_groups[rtype].append((u, v, props))
    items = [x for rows in node_groups.values() for p in rows for v in p.values() if isinstance(v, list) for x in v]
    items += [x for rows in rel_groups.values() for _, _, p in rows for v in p.values() if isinstance(v, list) for x in v]
    delim = next((d for d in CSV_ARRAY_DELIMITERS if not any(isinstance(x, str) and d in x for x in items)), None)
    if delim is None:
        raise ExportError("no array delimiter is free: every candidate occurs in a list property")

    files: dict[str, bytes] = {}
    for label, rows in sorted(node_groups.items()):
        keys = sorted({k for p in rows for k in p} - {"id"})
        types = {k: _csv_type([p[k] for p in rows if k in p]) for k in keys}
        header = ["id:ID", ":LABEL"] + [k if types[k] in ("string", "json") else f"{k}:{types[k]}" for k in keys]
        files[f"nodes_{label}.csv"] = _table(header, [[p["id"], label] + [_csv_cell(p.get(k), types[k], delim) for k in keys]
                                                      for p in rows])
    for rtype, rows in sorted(rel_groups.items()):
        keys = sorted({k for _, _, p in rows for k in p})
        types = {k: _csv_type([p[k] for _, _, p in rows if k in p]) for k in keys}
        header = [":START_ID", ":END_ID", ":TYPE"] + [k if types[k] in ("string", "json") else f"{k}:{types[k]}" for k in keys]
        files[f"rels_{rtype}.csv"] = _table(header, [[u, v, rtype] + [_csv_cell(p.get(k), types[k], delim) for k in keys]
                                                     for u, v, p in rows])
    nodes = " ".join(f"--nodes={name}" for name in sorted(files) if name.startswith("nodes_"))
    rels = " ".join(f"--relationships={name}" for name in sorted(files) if name.startswith("rels_"))
    delim_arg = "$'\\x1f'" if delim == "\u001f" else f"'{delim}'"
    files["import.sh"] = (
        "#!/bin/sh\n"
        "# Import into an EMPTY Neo4j database (stop it first; neo4j-admin writes its store files).\n"
        "# Usage: sh import.sh [DATABASE]   (run from this folder; default database: neo4j)\n"
        f"neo4j-admin database import full {nodes} {rels} \\\n"
        f"  --array-delimiter={delim_arg} --multiline-fields=true --overwrite-destination=true \"${{1:-neo4j}}\"\n"
    ).encode("utf-8")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


def _table(header: list[str], rows: list[list]) -> bytes:
    """A CSV file; a text cell a spreadsheet would run (``=…``, ``+…``, ``-…``, ``@…``) gets a leading
    ``'`` (:func:`graph.textsafe.spreadsheet_cell`): analysts open these files in Excel too. Ids get
    it alike, so the import's start and end ids still match the nodes'."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    spreadsheet_rows(buf, rows)
    return buf.getvalue().encode("utf-8")
