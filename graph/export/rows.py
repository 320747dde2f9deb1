"""Nodes and relationships as a Neo4j-like server stores them: the properties of a ``cascade push``
(:mod:`graph.push`), which the GraphML, CSV (``neo4j-admin``) and Cypher exports carry too, with the
``cascade_owner`` tag, so a later ``cascade push --wipe`` replaces an import as well.
"""
from __future__ import annotations

import json

import networkx as nx

__all__ = ["OWNER_PROPERTY", "KEY_PROPERTY", "DEFAULT_OWNER", "LABELS", "neo4j_properties", "node_rows",
           "relationship_rows"]

OWNER_PROPERTY = "cascade_owner"
KEY_PROPERTY = "cascade_key"
DEFAULT_OWNER = "policy-cascade"
LABELS = ("Document", "Section", "Task", "Unit")


def _value(v):
    """A property value Neo4j can store: scalars and lists of one scalar type; the rest as JSON text.

    >>> _value({"parts": 5})
    '{"parts": 5}'
    >>> _value(["2022-06-30", "每年"])
    ['2022-06-30', '每年']
    >>> _value([{"upper": "a"}])
    '[{"upper": "a"}]'
    """
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, (list, tuple)):
        kinds = {type(x) for x in v}
        if len(kinds) <= 1 and kinds <= {str, bool, int, float}:
            return list(v)
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def neo4j_properties(data: dict, skip=("label", "type")) -> dict:
    """The properties a node or relationship gets in the server (before the owner tag).

    Nulls are left out (a Bolt server does not store them), dicts and lists of dicts become JSON text
    as in the embedded store.

    >>> neo4j_properties({"label": "Document", "id": "d", "doc_no": None, "declared": {}, "year": 2022})
    {'declared': '{}', 'id': 'd', 'year': 2022}
    """
    return {k: _value(v) for k, v in sorted(data.items()) if k not in skip and v is not None}


def node_rows(G: nx.MultiDiGraph):
    """``(id, label, properties)`` of every node, by id."""
    for n, d in sorted(G.nodes(data=True), key=lambda x: x[0]):
        props = neo4j_properties(d)
        props.setdefault("id", n)
        props[OWNER_PROPERTY] = DEFAULT_OWNER
        yield n, d["label"], props


def relationship_rows(G: nx.MultiDiGraph):
    """``(start, end, type, properties)`` of every relationship, by type, start, end and key; the key is
    the ``cascade_key`` property (parallel relationships of one type stay apart)."""
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda x: (x[3].get("type", ""), x[0], x[1], str(x[2]))):
        props = neo4j_properties(d)
        props[KEY_PROPERTY] = str(k)
        props[OWNER_PROPERTY] = DEFAULT_OWNER
        yield u, v, d["type"], props
