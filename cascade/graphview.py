"""The pyvis picture of (part of) the cascade: national on top, 股室 at the bottom.

Safety: pyvis serialises node data with Jinja's ``tojson`` (``<`` becomes ``\\u003c``, so nothing
can close the script block), but tooltips are put into the page as HTML; so every text that comes
from a document is HTML-escaped here before it enters a label or a tooltip, and our own markup is
the only markup left. Offline: vis.js is inlined (``cdn_resources="in_line"``) and the Bootstrap
links the pyvis template carries are removed, so the page requests nothing from the network.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import quote

import networkx as nx

from cascade.i18n import t, term
from core.records import LEVELS

__all__ = ["render_html", "cap_nodes", "LEVEL_COLOURS", "MARK_STYLES", "MAX_NODES", "PHYSICS_MAX"]

MAX_NODES = 1000          # pyvis/vis.js stalls above about this many nodes
PHYSICS_MAX = 150         # above this, physics is off and the hierarchical layout alone places nodes
LEVEL_COLOURS = {"national": "#c0392b", "province": "#d35400", "city": "#d4ac0d", "county": "#27ae60",
                 "department": "#2980b9", None: "#7f8c8d"}
UNIT_COLOUR = "#8e44ad"
# How a marked node is drawn: a gap (an upper task a lower document was expected to take up and did
# not), a local addition, a dropped chain. The page passes the marks; the view only draws them.
MARK_STYLES = {"gap": {"border": "#000000", "width": 4, "dashes": False, "prefix": "⚠ "},
               "local": {"border": "#16a085", "width": 3, "dashes": False, "prefix": "+ "},
               "dropped": {"border": "#7f8c8d", "width": 3, "dashes": [2, 3], "prefix": "✕ "}}
LINK_COLOURS = {"proposed": "#e67e22", "confirmed": "#c0392b", "rejected": "#bdc3c7"}
_LABEL_LEN = 16
_TASK_LABEL_LEN = 8       # tasks sit side by side: number and a few characters, the text is in the tooltip
_PRIORITY = {"Document": 0, "Section": 1, "Task": 2, "Unit": 3}
_TASK_ROWS = 3            # a document's tasks alternate over this many rows, so 60 tasks are not one long line
_ROW_WRAP = 12           # … when it has more than this many tasks in view
_STEP = 4 + _TASK_ROWS + 1  # hierarchy slots per level: document, section depth 1-3, task rows, unit
_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_CDN = re.compile(r'<link[^>]*href="https?://[^"]*"[^>]*/?>|<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', re.S)


def _short(text: str | None, n: int = _LABEL_LEN) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def cap_nodes(G: nx.MultiDiGraph, nodes, limit: int = MAX_NODES) -> tuple[list[str], dict[str, int]]:
    """The nodes to draw (documents first, then sections, tasks, units; order kept within a label)
    and how many of each label were left out.

    >>> G = nx.MultiDiGraph(); G.add_nodes_from([("t1", {"label": "Task"}), ("d", {"label": "Document"}), ("t2", {"label": "Task"})])
    >>> cap_nodes(G, ["t1", "d", "t2"], limit=2)
    (['t1', 'd'], {'Task': 1})
    """
    nodes = [n for n in dict.fromkeys(nodes) if n in G]
    ranked = sorted(range(len(nodes)), key=lambda i: (_PRIORITY.get(G.nodes[nodes[i]].get("label"), 4), i))
    kept_idx = sorted(ranked[:limit])
    kept = [nodes[i] for i in kept_idx]
    left = Counter(G.nodes[nodes[i]].get("label") for i in ranked[limit:])
    return kept, dict(left)


def _tooltip(G, n: str, d: dict, level: str | None, node_links=(), lang: str | None = None) -> str:
    """Tooltip markup: our tags around escaped document text; our words in ``lang``."""
    e = html.escape
    label = d.get("label")
    parts = [f"<b>{e(term('label', label, lang))}</b> <code>{e(n)}</code>"]
    if label == "Document":
        parts.append(e(d.get("title") or ""))
        parts.append(e(" · ".join(str(x) for x in (term("level", level, lang), term("kind", d.get("kind"), lang),
                                                    d.get("region"), d.get("year"), d.get("doc_no")) if x)))
    elif label == "Section":
        parts.append(e(f"{d.get('number', '')} {d.get('title') or ''}"))
    elif label == "Task":
        parts.append(e(d.get("text") or d.get("text_norm") or ""))
        if d.get("deadlines"):
            parts.append(f"<i>{e(t('view.deadlines', lang))}</i> " + e("、".join(map(str, d["deadlines"]))))
        units = [(G.nodes[v].get("name") or v, ed.get("role")) for _, v, ed in G.out_edges(n, data=True)
                 if ed.get("type") == "ASSIGNED_TO"]
        if units:
            parts.append(f"<i>{e(t('view.units', lang))}</i> "
                         + e("；".join(f"{name}（{term('role_unit', role, lang)}）" for name, role in units)))
        ups = [(v, ed) for _, v, ed in G.out_edges(n, data=True) if ed.get("type") == "DERIVED_FROM"]
        for v, ed in ups[:5]:
            parts.append(f"<i>{e(t('view.derives_from', lang))}</i> {e(v)} "
                         f"({e(term('status', ed.get('status') or 'proposed', lang))}, {e(str(ed.get('score')))})")
        downs = sum(1 for _, _, ed in G.in_edges(n, data=True) if ed.get("type") == "DERIVED_FROM")
        if downs:
            parts.append(f"<i>{e(t('view.derived_by', lang, n=downs))}</i>")
    else:
        parts.append(e(d.get("name") or n))
        if d.get("short_name") and d.get("short_name") != d.get("name"):
            parts.append(f"<i>{e(t('view.as_written', lang))}</i> " + e(d["short_name"]))
    actions = [f'<a href="{html.escape(url.format(id=quote(n, safe="")), quote=True)}" target="_blank" rel="noopener">{html.escape(text)}</a>'
               for labels, text, url in node_links if d.get("label") in labels]
    if actions:
        parts.append(" · ".join(actions))
    return "<br>".join(p for p in parts if p)


def _node_text(d: dict, n: str) -> str:
    label = d.get("label")
    if label == "Document":
        return d.get("title") or n
    if label == "Section":
        return f"{d.get('number', '')} {d.get('title') or ''}"
    if label == "Task":
        return f"{d.get('number', '')} {d.get('text_norm') or ''}"
    return d.get("short_name") or d.get("name") or n


# Runs inside the view's iframe. Before the network is built: vis.js shows string tooltips as plain
# text, so titles (already escaped, with our own tags only) become elements, in one batched update
# (one update per node would re-run the hierarchical layout each time). After: a click pins the
# clicked node's details in a panel; ``data-drawn`` and window.cascadeView let the browser test see it.
_BEFORE = """
(function () {
  function asElement(t) { var el = document.createElement("div"); el.className = "cv-tip"; el.innerHTML = t; return el; }
  nodes.update(nodes.get({filter: function (n) { return typeof n.title === "string"; }})
    .map(function (n) { return {id: n.id, title: asElement(n.title)}; }));
  edges.update(edges.get({filter: function (x) { return typeof x.title === "string"; }})
    .map(function (x) { return {id: x.id, title: asElement(x.title)}; }));
})();
"""
_AFTER = """
network.once("afterDrawing", function () { document.body.setAttribute("data-drawn", "1"); });
(function () {
  var panel = document.createElement("div"); panel.id = "cv-panel"; document.body.appendChild(panel);
  network.on("click", function (p) {
    if (p.nodes.length) { var t = nodes.get(p.nodes[0]).title; panel.replaceChildren(t.cloneNode(true)); panel.style.display = "block"; }
    else { panel.style.display = "none"; }
  });
  window.cascadeView = {network: network, nodes: nodes, edges: edges};
})();
"""
_STYLE = """<style>
body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
#mynetwork { border: none !important; }
.cv-tip { max-width: 420px; white-space: normal; font-size: 13px; line-height: 1.4; }
#cv-panel { display: none; position: absolute; top: 8px; right: 8px; max-width: 380px; max-height: 70%;
  overflow: auto; background: #fffef5; border: 1px solid #ccc; border-radius: 4px; padding: 8px;
  font-size: 13px; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
</style>"""


def render_html(G: nx.MultiDiGraph, nodes=None, height: str = "640px", marks: dict[str, str] | None = None,
                link_status=None, limit: int = MAX_NODES, highlight=None, node_links=(),
                lang: str | None = None, documents_only: bool = False) -> tuple[str, dict[str, int]]:
    """HTML of a pyvis view of ``nodes`` (default: all) and, per label, how many the cap left out.

    With ``documents_only`` (the cascade of documents), a document's label is its region, year and
    title, long enough to read, in a larger font.

    Parameters
    ----------
    marks : node id → ``"gap"`` | ``"local"`` | ``"dropped"``, drawn per :data:`MARK_STYLES`.
    link_status : the ``DERIVED_FROM`` statuses to draw (default: all).
    highlight : node ids drawn larger (a search hit).
    node_links : ``(labels, text, url)`` links shown in the tooltip and the pinned panel of nodes with one
        of ``labels``; ``{id}`` in ``url`` becomes the URL-encoded node id (the app passes its page URLs).
    lang : the language of the tooltips' own words (default: ``CASCADE_LANG``, else Chinese).
    """
    from pyvis.network import Network

    chosen, left_out = cap_nodes(G, list(nodes if nodes is not None else G.nodes), limit)
    keep = set(chosen)
    marks = marks or {}
    highlight = set(highlight or ())
    statuses = set(link_status) if link_status else None
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    unit_rank: dict[str, int] = {}
    for n in chosen:
        if G.nodes[n].get("label") == "Task":
            r = rank.get(docs.get(G.nodes[n].get("doc_id"), {}).get("level"), len(LEVELS))
            for _, v, ed in G.out_edges(n, data=True):
                if ed.get("type") == "ASSIGNED_TO" and v in keep:
                    unit_rank[v] = min(unit_rank.get(v, r), r)

    # Tasks of a document with many in view alternate over a few rows; unused slots are squeezed out
    # so a small view is not stretched over every level of the ladder.
    in_view = Counter(G.nodes[n].get("doc_id") for n in chosen if G.nodes[n].get("label") == "Task")
    task_count: dict[str, int] = {}
    placed = []
    for n in chosen:
        d = G.nodes[n]
        label = d.get("label")
        if label == "Unit":
            level = None
            slot = unit_rank.get(n, len(LEVELS)) * _STEP + _STEP - 1
            shape, colour = "diamond", UNIT_COLOUR
        else:
            level = docs.get(d.get("doc_id", n), {}).get("level") if label != "Document" else d.get("level")
            if label == "Task":
                doc = d.get("doc_id")
                task_count[doc] = task_count.get(doc, -1) + 1
                offset = 4 + (task_count[doc] % _TASK_ROWS if in_view[doc] > _ROW_WRAP else 0)
            else:
                offset = 0 if label == "Document" else min(int(d.get("depth") or 1), 3)
            slot = rank.get(level, len(LEVELS)) * _STEP + offset
            shape = {"Document": "box", "Section": "ellipse"}.get(label, "dot")
            colour = LEVEL_COLOURS.get(level, LEVEL_COLOURS[None])
        placed.append((n, d, level, slot, shape, colour))
    dense = {slot: i for i, slot in enumerate(sorted({p[3] for p in placed}))}

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for n, d, level, slot, shape, colour in placed:
        mark = MARK_STYLES.get(marks.get(n, ""))
        if documents_only and d.get("label") == "Document":
            where = f"{d.get('region') or ''}{d.get('year') or ''}"
            text = (mark["prefix"] if mark else "") + (f"{where}\n" if where else "") + _short(_node_text(d, n), 44)
        else:
            text = (mark["prefix"] if mark else "") + _short(_node_text(d, n), _TASK_LABEL_LEN if d.get("label") == "Task" else _LABEL_LEN)
        options = {"label": html.escape(text), "title": _tooltip(G, n, d, level, node_links, lang), "shape": shape, "level": dense[slot],
                   "color": {"background": colour, "border": mark["border"] if mark else colour,
                             "highlight": {"background": colour, "border": "#000000"}},
                   "borderWidth": mark["width"] if mark else 1,
                   "size": 18 if n in highlight else 10,
                   "font": {"size": 16 if n in highlight or documents_only else 12,
                            "color": "#ffffff" if shape == "box" else "#222222"}}
        if mark and mark["dashes"]:
            options["shapeProperties"] = {"borderDashes": mark["dashes"]}
        if documents_only and d.get("label") == "Document":
            options["widthConstraint"] = {"maximum": 230}     # a long title wraps in its box
        net.add_node(n, **options)
    for u, v, d in G.edges(data=True):
        if u not in keep or v not in keep:
            continue
        kind = d.get("type", "")
        if kind == "DERIVED_FROM":
            status = d.get("status") or "proposed"
            if statuses is not None and status not in statuses:
                continue
            net.add_edge(u, v, title=html.escape(t("view.edge_derived", lang, status=term("status", status, lang),
                                                   score=d.get("score"))),
                         color=LINK_COLOURS.get(status, "#e67e22"), width=2,
                         dashes=status == "rejected", arrows="to")
        else:
            net.add_edge(u, v, title=html.escape(term("edge", kind, lang)
                                                 + (f"（{term('role_unit', d['role'], lang)}）" if d.get("role") else "")),
                         color="#d5d8dc", width=1, arrows="to" if kind != "CONTAINS" else "")
    # Boxes of documents side by side need room; a few nodes placed by the layout alone do not move.
    physics = len(chosen) <= PHYSICS_MAX and not documents_only
    spacing, separation = (280, 130) if documents_only else (90, 90)
    net.set_options(
        '{"layout": {"hierarchical": {"enabled": true, "direction": "UD", "sortMethod": "directed",'
        f' "levelSeparation": {separation}, "nodeSpacing": {spacing}, "treeSpacing": 60}}}},'
        f' "physics": {{"enabled": {str(physics).lower()}, "solver": "hierarchicalRepulsion",'
        ' "hierarchicalRepulsion": {"nodeDistance": 60}, "stabilization": {"iterations": 150}},'
        ' "edges": {"smooth": false}, "interaction": {"hover": true, "tooltipDelay": 150, "navigationButtons": false}}')
    page = net.generate_html(notebook=False)
    page = _CDN.sub("", page)
    page = _HEADING.sub("", page)
    page = page.replace("network = new vis.Network(container, data, options);",
                        _BEFORE + "network = new vis.Network(container, data, options);" + _AFTER, 1)
    page = page.replace("</head>", _STYLE + "</head>", 1)
    return page, left_out
