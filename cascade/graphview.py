"""The pyvis picture of (part of) the cascade: national on top, 股室 at the bottom.

Every text that comes from a document is HTML-escaped before it enters the page, and vis.js is
inlined so the view works offline.
"""
from __future__ import annotations

import html

import networkx as nx

from loaders.records import LEVELS

__all__ = ["render_html", "LEVEL_COLOURS", "MAX_NODES"]

MAX_NODES = 1000
LEVEL_COLOURS = {"national": "#c0392b", "province": "#d35400", "city": "#f1c40f", "county": "#27ae60",
                 "department": "#2980b9", None: "#7f8c8d"}
_LABEL_LEN = 18


def _short(text: str | None, n: int = _LABEL_LEN) -> str:
    text = (text or "").strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def render_html(G: nx.MultiDiGraph, nodes: list[str] | None = None, height: str = "640px") -> tuple[str, int]:
    """HTML of a pyvis view of ``nodes`` (default: all) and how many were left out by the cap."""
    from pyvis.network import Network

    chosen = list(nodes if nodes is not None else G.nodes)
    left_out = max(0, len(chosen) - MAX_NODES)
    chosen = chosen[:MAX_NODES]
    keep = set(chosen)
    level_of = {n: d.get("level") for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for n in chosen:
        d = G.nodes[n]
        label = d.get("label")
        level = level_of.get(d.get("doc_id", n)) if label != "Unit" else None
        if label == "Document":
            text, shape = d.get("title") or n, "box"
        elif label == "Section":
            text, shape = f"{d.get('number', '')} {d.get('title', '')}", "ellipse"
        elif label == "Task":
            text, shape = f"{d.get('number', '')}. {d.get('text_norm', '')}", "dot"
        else:
            text, shape = d.get("name") or n, "diamond"
        net.add_node(n, label=html.escape(_short(text)), title=html.escape(text or ""), shape=shape,
                     color=LEVEL_COLOURS.get(level, "#95a5a6") if label != "Unit" else "#8e44ad",
                     level=(rank.get(level, len(LEVELS)) * 3 + {"Document": 0, "Section": 1, "Task": 2}.get(label, 3)))
    for u, v, d in G.edges(data=True):
        if u in keep and v in keep:
            net.add_edge(u, v, title=html.escape(d.get("type", "")), color="#e74c3c" if d.get("type") == "DERIVED_FROM" else "#bdc3c7")
    net.set_options('{"layout": {"hierarchical": {"enabled": true, "direction": "UD", "sortMethod": "directed"}},'
                    ' "physics": {"enabled": false}, "interaction": {"hover": true}}')
    return net.generate_html(notebook=False), left_out
