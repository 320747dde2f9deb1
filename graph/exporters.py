"""Exchange formats for the tools analysts already use: GraphML (Gephi, yEd), CSV for
``neo4j-admin database import``, and a Cypher script for ``cypher-shell``.

Nodes and relationships carry the same properties as a ``cascade push`` (:mod:`graph.neo4j`),
including the ``cascade_owner`` tag, so a later ``cascade push --wipe`` replaces an import too.
"""
from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections import defaultdict

import networkx as nx

from core.errors import ExportError

from .textsafe import spreadsheet_rows, xml_text
from .neo4j import DEFAULT_OWNER, KEY_PROPERTY, LABELS, OWNER_PROPERTY, neo4j_properties

__all__ = ["to_graphml", "to_csv_zip", "to_cypher", "cypher_literal", "CSV_ARRAY_DELIMITERS"]


def _nodes(G: nx.MultiDiGraph):
    for n, d in sorted(G.nodes(data=True), key=lambda x: x[0]):
        props = neo4j_properties(d)
        props.setdefault("id", n)
        props[OWNER_PROPERTY] = DEFAULT_OWNER
        yield n, d["label"], props


def _rels(G: nx.MultiDiGraph):
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda x: (x[3].get("type", ""), x[0], x[1], str(x[2]))):
        props = neo4j_properties(d)
        props[KEY_PROPERTY] = str(k)
        props[OWNER_PROPERTY] = DEFAULT_OWNER
        yield u, v, d["type"], props


# --- GraphML -------------------------------------------------------------------------------------------

def to_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML with one attribute per property; lists and dicts as JSON text (GraphML has no lists).

    Nodes keep ``label`` (Document, Section, Task, Unit) and relationships ``type``, so Gephi and yEd
    can colour by them.

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document", id="d", cites=["国办发〔2021〕12号"])
    >>> "国办发〔2021〕12号" in to_graphml(G)
    True
    """
    H = nx.MultiDiGraph()
    for n, label, props in _nodes(G):
        H.add_node(xml_text(n), label=label, **{k: _scalar(v) for k, v in props.items()})
    for u, v, rtype, props in _rels(G):
        H.add_edge(xml_text(u), xml_text(v), key=xml_text(props[KEY_PROPERTY]), type=rtype,
                   **{k: _scalar(x) for k, x in props.items()})
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue().decode("utf-8")


def _scalar(v):
    # Characters XML 1.0 cannot hold (a control character in a document's text) become U+FFFD.
    return xml_text(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)


# --- CSV for neo4j-admin -------------------------------------------------------------------------------

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
    for _, label, props in _nodes(G):
        node_groups[label].append(props)
    rel_groups: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, rtype, props in _rels(G):
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


# --- Cypher script -------------------------------------------------------------------------------------

def cypher_literal(v) -> str:
    """A Cypher literal for a property value.

    >>> print(cypher_literal("它's 汉"))
    '它\\'s 汉'
    >>> cypher_literal({"id": "a", "n": [1, 2.5, True, None]})
    "{`id`: 'a', `n`: [1, 2.5, true, null]}"
    """
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ExportError(f"{v!r} cannot be written as a Cypher literal")
        return repr(v)
    if isinstance(v, str):
        s = (v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
             .replace("\t", "\\t"))
        return f"'{s}'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"`{str(k).replace('`', '``')}`: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise ExportError(f"{type(v).__name__} cannot be written as a Cypher literal")


def cypher_statements(G: nx.MultiDiGraph, batch_size: int = 100) -> list[str]:
    """The statements of :func:`to_cypher`, without comments, one per list item."""
    out = []
    labels = sorted({d["label"] for _, d in G.nodes(data=True)} | set(LABELS))
    for label in labels:
        out.append(f"CREATE CONSTRAINT cascade_{label.lower()}_id IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE")
    groups: dict[str, list[dict]] = defaultdict(list)
    label_of = {}
    for n, label, props in _nodes(G):
        groups[label].append({"id": props["id"], "props": props})
        label_of[n] = label
    for label, rows in sorted(groups.items()):
        for i in range(0, len(rows), batch_size):
            out.append(f"UNWIND {cypher_literal(rows[i:i + batch_size])} AS row "
                       f"MERGE (n:`{label}` {{id: row.id}}) SET n = row.props")
    rgroups: dict[tuple, list[dict]] = defaultdict(list)
    for u, v, rtype, props in _rels(G):
        rgroups[(rtype, label_of[u], label_of[v])].append({"s": u, "e": v, "k": props[KEY_PROPERTY], "props": props})
    for (rtype, a, b), rows in sorted(rgroups.items()):
        for i in range(0, len(rows), batch_size):
            out.append(f"UNWIND {cypher_literal(rows[i:i + batch_size])} AS row "
                       f"MATCH (a:`{a}` {{id: row.s}}) MATCH (b:`{b}` {{id: row.e}}) "
                       f"MERGE (a)-[r:`{rtype}` {{{KEY_PROPERTY}: row.k}}]->(b) SET r = row.props")
    return out


def to_cypher(G: nx.MultiDiGraph) -> str:
    """A script ``cypher-shell`` runs (``cypher-shell -u neo4j -p … -f cascade.cypher``): constraints,
    then batched ``UNWIND … MERGE`` per label and relationship type. Idempotent, like ``cascade push``.
    """
    head = ("// policy-cascade graph: run with  cypher-shell -u neo4j -p PASSWORD -f THIS_FILE\n"
            "// Idempotent (MERGE on id); every node carries cascade_owner, so `cascade push --wipe` replaces it.\n"
            f"// {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships.\n")
    return head + "".join(s + ";\n" for s in cypher_statements(G))
