"""GraphML for Gephi and yEd: one attribute per property, lists and dicts as JSON text."""
from __future__ import annotations

import io
import json

import networkx as nx

from ..textsafe import xml_text
from .rows import KEY_PROPERTY, node_rows, relationship_rows

__all__ = ["to_graphml"]


def to_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML with one attribute per property; lists and dicts as JSON text (GraphML has no lists).

    Nodes keep ``label`` (Document, Section, Task, Unit) and relationships ``type``, so Gephi and yEd
    can colour by them.

    >>> G = nx.MultiDiGraph(); G.add_node("d", label="Document", id="d", cites=["国办发〔2021〕12号"])
    >>> "国办发〔2021〕12号" in to_graphml(G)
    True
    """
    H = nx.MultiDiGraph()
    for n, label, props in node_rows(G):
        H.add_node(xml_text(n), label=label, **{k: _scalar(v) for k, v in props.items()})
    for u, v, rtype, props in relationship_rows(G):
        H.add_edge(xml_text(u), xml_text(v), key=xml_text(props[KEY_PROPERTY]), type=rtype,
                   **{k: _scalar(x) for k, x in props.items()})
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue().decode("utf-8")


def _scalar(v):
    # Characters XML 1.0 cannot hold (a control character in a document's text) become U+FFFD.
    return xml_text(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
