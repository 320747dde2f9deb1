"""A Cypher script for ``cypher-shell``: constraints, then batched ``UNWIND … MERGE``, idempotent like
``cascade push``."""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from core.errors import ExportError

from .rows import KEY_PROPERTY, LABELS, node_rows, relationship_rows

__all__ = ["to_cypher", "cypher_statements", "cypher_literal"]


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
    for n, label, props in node_rows(G):
        groups[label].append({"id": props["id"], "props": props})
        label_of[n] = label
    for label, rows in sorted(groups.items()):
        for i in range(0, len(rows), batch_size):
            out.append(f"UNWIND {cypher_literal(rows[i:i + batch_size])} AS row "
                       f"MERGE (n:`{label}` {{id: row.id}}) SET n = row.props")
    rgroups: dict[tuple, list[dict]] = defaultdict(list)
    for u, v, rtype, props in relationship_rows(G):
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
