"""The pyvis picture of (part of) the cascade: national on top, 股室 at the bottom.

Safety: pyvis serialises node data with Jinja's ``tojson`` (``<`` becomes ``\\u003c``, so nothing
can close the script block), but tooltips are put into the page as HTML; so every text that comes
from a document is HTML-escaped here before it enters a label or a tooltip, and our own markup is
the only markup left. Offline: vis.js is inlined (``cdn_resources="in_line"``) and the Bootstrap
links the pyvis template carries are removed, so the page requests nothing from the network.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from urllib.parse import quote

import networkx as nx

from cascade.i18n import t, term
from core.records import LEVELS
from graph.build import reachable

__all__ = ["render_html", "render_groups", "cap_nodes", "coverage_colour", "LEVEL_COLOURS", "MARK_STYLES", "COVERAGE_BANDS",
           "NO_COVERAGE_COLOUR", "MAX_NODES", "PHYSICS_MAX", "EXPAND_MAX", "EXPAND_BUDGET"]

MAX_NODES = 1000          # pyvis/vis.js stalls above about this many nodes
PHYSICS_MAX = 150         # above this, physics is off and the hierarchical layout alone places nodes
LEVEL_COLOURS = {"national": "#c0392b", "province": "#d35400", "city": "#d4ac0d", "county": "#27ae60",
                 "township": "#117864", "department": "#2980b9", None: "#7f8c8d"}
UNIT_COLOUR = "#8e44ad"
# How a marked node is drawn: a gap (an upper task a lower document was expected to take up and did
# not), a local addition, a dropped chain. The page passes the marks; the view only draws them.
MARK_STYLES = {"gap": {"border": "#000000", "width": 4, "dashes": False, "prefix": "⚠ "},
               "local": {"border": "#16a085", "width": 3, "dashes": False, "prefix": "+ "},
               "dropped": {"border": "#7f8c8d", "width": 3, "dashes": [2, 3], "prefix": "✕ "}}
# The cascade of documents colours a document by the share of upper requirements it took up
# (covered among covered + gaps): the first band whose floor the share reaches.
COVERAGE_BANDS = ((0.9, "#1e8449"), (0.6, "#b9770e"), (0.0, "#c0392b"))
NO_COVERAGE_COLOUR = "#7f8c8d"     # a document with nothing above it to take up
EXPAND_MAX = 60           # children a document opens into in the browser; more would bury the cascade
EXPAND_BUDGET = 6000      # children the page carries in all (about 800 bytes each: 5 MB); 1000 documents open into 10 each
_EXPAND_MIN = 10
LINK_COLOURS = {"proposed": "#e67e22", "confirmed": "#c0392b", "rejected": "#bdc3c7"}
_LABEL_LEN = 16
_CHILD_LABEL_LEN = 20     # an opened document's children: number and a few words, wrapped
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
function cvTip(t) { var el = document.createElement("div"); el.className = "cv-tip"; el.innerHTML = t; return el; }
nodes.update(nodes.get({filter: function (n) { return typeof n.title === "string"; }})
  .map(function (n) { return {id: n.id, title: cvTip(n.title)}; }));
edges.update(edges.get({filter: function (x) { return typeof x.title === "string"; }})
  .map(function (x) { return {id: x.id, title: cvTip(x.title)}; }));
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
# With ``expand``: a click on a document adds its children (shipped as JSON, ``__CHILDREN__``) to the
# DataSets and a second click removes them; a unit two open documents share stays until both close.
# Each change gives every shown node its row again from its slot, unused slots squeezed out, so the
# hierarchical layout places the opened nodes between their document and the level below.
_EXPAND = """
(function () {
  var kids = __CHILDREN__, open = {}, refs = {}, MIN_SCALE = 0.75;
  // vis.js wants a level on every node at every change: rows are given out over the shown nodes and
  // ``adding`` before the new ones go in.
  function relevel(adding) {
    var all = nodes.get(), slots = Array.from(new Set(all.concat(adding).map(function (n) { return n.slot; })))
      .sort(function (a, b) { return a - b; });
    adding.forEach(function (n) { n.level = slots.indexOf(n.slot); });
    nodes.update(all.map(function (n) { return {id: n.id, level: slots.indexOf(n.slot)}; }));
  }
  function syncEdges() {
    var want = {};
    Object.keys(open).forEach(function (d) { kids[d].edges.forEach(function (e) {
      if (nodes.get(e.from) && nodes.get(e.to)) { want[e.id] = e; } }); });
    edges.remove(edges.getIds({filter: function (e) { return String(e.id).indexOf("x:") === 0 && !want[e.id]; }}));
    edges.add(Object.keys(want).filter(function (id) { return !edges.get(id); }).map(function (id) {
      var e = Object.assign({}, want[id]); e.title = cvTip(e.title || ""); return e; }));
  }
  function toggle(doc) {
    var k = kids[doc];
    if (open[doc]) {
      delete open[doc];
      nodes.remove(k.nodes.filter(function (n) { refs[n.id] -= 1; return refs[n.id] === 0; }).map(function (n) { return n.id; }));
      syncEdges(); relevel([]);
    } else {
      open[doc] = true;
      var adding = k.nodes.filter(function (n) { refs[n.id] = (refs[n.id] || 0) + 1; return refs[n.id] === 1 && !nodes.get(n.id); })
        .map(function (n) { var c = Object.assign({}, n); c.title = cvTip(n.title); return c; });
      relevel(adding); nodes.add(adding); syncEdges();
    }
    document.body.setAttribute("data-open", Object.keys(open).join(" "));
    // The whole view, unless that makes the labels too small to read: then the opened document and
    // what is below it, at the smallest legible scale.
    network.fit({animation: false});
    if (open[doc] && network.getScale() < MIN_SCALE) {
      var at = network.getPositions([doc])[doc];
      network.moveTo({position: {x: at.x, y: at.y + 0.3 * network.canvas.frame.canvas.clientHeight / MIN_SCALE},
                      scale: MIN_SCALE, animation: false});
    }
  }
  network.on("click", function (p) { if (p.nodes.length && kids[p.nodes[0]]) { toggle(p.nodes[0]); } });
  window.cascadeView.toggle = toggle; window.cascadeView.open = open;
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


def coverage_colour(share: float | None) -> str:
    """The colour of a document's box for the share of upper requirements it took up.

    >>> coverage_colour(0.95), coverage_colour(0.5), coverage_colour(None)
    ('#1e8449', '#c0392b', '#7f8c8d')
    """
    if share is None:
        return NO_COVERAGE_COLOUR
    return next(colour for floor, colour in COVERAGE_BANDS if share >= floor)


def _placements(G, chosen: list[str]) -> list[tuple]:
    """``(node, data, level, slot, shape, colour)`` for each node: the slot orders the rows of the
    hierarchical layout (a level's documents, its sections by depth, its task rows, then its units)."""
    keep = set(chosen)
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
    # (by the caller) so a small view is not stretched over every level of the ladder.
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
    return placed


class _Style:
    """How one view draws a node: what is the same for every node of the view, kept together."""

    def __init__(self, G, marks, highlight, node_links, lang, documents_only, coverage, coverage_key="view.coverage",
                 unjudged=None):
        self.G, self.marks, self.highlight, self.node_links = G, marks, highlight, node_links
        self.lang, self.documents_only, self.coverage = lang, documents_only, coverage
        self.coverage_key, self.unjudged = coverage_key, unjudged or {}

    def node(self, n, d, level, slot, shape, colour, child: bool = False) -> dict:
        mark = MARK_STYLES.get(self.marks.get(n, ""))
        prefix = mark["prefix"] if mark else ""
        is_doc_box = self.documents_only and d.get("label") == "Document"
        border = mark["border"] if mark else colour
        if is_doc_box:
            where = f"{d.get('region') or ''}{d.get('year') or ''}"
            text = prefix + (f"{where}\n" if where else "") + _short(_node_text(d, n), 44)
            if self.coverage is not None:
                share = self.coverage.get(n)
                text += "\n" + t(self.coverage_key, self.lang, share=f"{share:.0%}") if share is not None else ""
                colour = coverage_colour(share)
                if self.unjudged.get(n):   # the share leaves them out: 100% is not all taken up
                    text += "\n" + t("view.unjudged", self.lang, n=self.unjudged[n])
        elif child:         # opened from its document: room for a few words, wrapped
            text = prefix + _short(_node_text(d, n), _CHILD_LABEL_LEN)
        else:
            text = prefix + _short(_node_text(d, n), _TASK_LABEL_LEN if d.get("label") == "Task" else _LABEL_LEN)
        options = {"label": html.escape(text), "title": _tooltip(self.G, n, d, level, self.node_links, self.lang),
                   "shape": shape, "slot": slot,
                   "color": {"background": colour, "border": border,
                             "highlight": {"background": colour, "border": "#000000"}},
                   "borderWidth": mark["width"] if mark else (3 if is_doc_box and self.coverage is not None else 1),
                   "size": 18 if n in self.highlight else 10,
                   "font": {"size": 16 if n in self.highlight or is_doc_box else (14 if child else 12),
                            "color": "#ffffff" if shape == "box" else "#222222"}}
        if mark and mark["dashes"]:
            options["shapeProperties"] = {"borderDashes": mark["dashes"]}
        if is_doc_box:
            options["widthConstraint"] = {"maximum": 230}     # a long title wraps in its box
        elif child:
            options["widthConstraint"] = {"maximum": 130}
        return options


def _edge(u, v, d, statuses, lang) -> dict | None:
    """The vis.js options of one relationship, or None when its link status is filtered out."""
    kind = d.get("type", "")
    if kind == "DERIVED_FROM":
        status = d.get("status") or "proposed"
        if statuses is not None and status not in statuses:
            return None
        return {"title": html.escape(t("view.edge_derived", lang, status=term("status", status, lang), score=d.get("score"))),
                "color": LINK_COLOURS.get(status, "#e67e22"), "width": 2, "dashes": status == "rejected", "arrows": "to"}
    return {"title": html.escape(term("edge", kind, lang) + (f"（{term('role_unit', d['role'], lang)}）" if d.get("role") else "")),
            "color": "#d5d8dc", "width": 1, "arrows": "to" if kind != "CONTAINS" else ""}


def _children(G, doc: str, style: _Style, statuses, lang, cap: int) -> dict:
    """What a click on ``doc`` adds: its sections, tasks and units (at most ``cap``, documents' order),
    the relationships among them and to other nodes (drawn once both ends are shown), and how many
    were left out."""
    inside = [doc] + sorted(reachable(G, doc, "CONTAINS"),
                            key=lambda n: (_PRIORITY.get(G.nodes[n].get("label"), 4), G.nodes[n].get("position") or 0, n))
    units = dict.fromkeys(v for n in inside for _, v, ed in G.out_edges(n, data=True) if ed.get("type") == "ASSIGNED_TO")
    kept, left = cap_nodes(G, inside + list(units), cap + 1)
    nodes = [dict(style.node(*p, child=True), id=p[0]) for p in _placements(G, kept) if p[0] != doc]
    shown = set(kept)
    edges = []
    for n in kept:
        for u, v, d in (*G.out_edges(n, data=True), *G.in_edges(n, data=True)):
            if d.get("type") == "DERIVED_FROM" or (d.get("type") in ("CONTAINS", "ASSIGNED_TO")
                                                    and u in shown and v in shown):
                edge = _edge(u, v, d, statuses, lang)
                if edge:
                    edges.append(dict(edge, id=f"x:{u}>{v}:{d.get('type')}", to=v, **{"from": u}))
    more = sum(left.values())
    if more:
        nodes.append({"id": f"more:{doc}", "label": html.escape(t("view.more_children", lang, n=more)),
                      "title": html.escape(t("view.more_children_help", lang, n=more)), "shape": "text",
                      "slot": max(n["slot"] for n in nodes) if nodes else 0, "font": {"size": 14, "color": "#555555"}})
        edges.append({"id": f"x:{doc}>more", "from": doc, "to": f"more:{doc}", "color": "#d5d8dc", "width": 1,
                      "dashes": True})
    return {"nodes": nodes, "edges": list({e["id"]: e for e in edges}.values()), "more": more}


def render_html(G: nx.MultiDiGraph, nodes=None, height: str = "640px", marks: dict[str, str] | None = None,
                link_status=None, limit: int = MAX_NODES, highlight=None, node_links=(),
                lang: str | None = None, documents_only: bool = False, coverage: dict | None = None,
                expand: int = 0, wide_labels: bool = False,
                coverage_key: str = "view.coverage", unjudged: dict | None = None) -> tuple[str, dict[str, int]]:
    """HTML of a pyvis view of ``nodes`` (default: all) and, per label, how many the cap left out.

    With ``documents_only`` (the cascade of documents), a document's label is its region, year and
    title, long enough to read, in a larger font; with ``coverage`` its box is coloured by the share of
    upper requirements it took up (:data:`COVERAGE_BANDS`); with ``expand`` a click on a document opens
    it into its sections, tasks and units (at most ``expand`` of them, then a node saying how many
    more), in the browser, and a second click closes it again.

    Parameters
    ----------
    marks : node id → ``"gap"`` | ``"local"`` | ``"dropped"``, drawn per :data:`MARK_STYLES`.
    link_status : the ``DERIVED_FROM`` statuses to draw (default: all).
    highlight : node ids drawn larger (a search hit).
    node_links : ``(labels, text, url)`` links shown in the tooltip and the pinned panel of nodes with one
        of ``labels``; ``{id}`` in ``url`` becomes the URL-encoded node id (the app passes its page URLs).
    lang : the language of the tooltips' own words (default: ``CASCADE_LANG``, else Chinese).
    coverage : document id → share (0-1) of the upper requirements it took up, or None (nothing to judge).
    expand : how many children a document opens into at most (0: documents do not open).
    wide_labels : a few words of every node, wrapped, in a larger font (a small view such as a trace).
    coverage_key : the catalogue key of the share's words on a box (the store's share is another measure).
    unjudged : document id → how many upper requirements cannot be judged for it, said on its box.
    """
    from pyvis.network import Network

    chosen, left_out = cap_nodes(G, list(nodes if nodes is not None else G.nodes), limit)
    keep = set(chosen)
    marks = marks or {}
    statuses = set(link_status) if link_status else None
    style = _Style(G, marks, set(highlight or ()), node_links, lang, documents_only, coverage, coverage_key, unjudged)
    placed = _placements(G, chosen)
    dense = {slot: i for i, slot in enumerate(sorted({p[3] for p in placed}))}

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for p in placed:
        options = style.node(*p, child=wide_labels)
        options["level"] = dense[p[3]]
        net.add_node(p[0], **options)
    for u, v, d in G.edges(data=True):
        if u in keep and v in keep:
            edge = _edge(u, v, d, statuses, lang)
            if edge:
                net.add_edge(u, v, **edge)
    children = {}
    if documents_only and expand:
        shown_docs = [n for n in chosen if G.nodes[n].get("label") == "Document"]
        # The page carries every document's children: many documents open into fewer each.
        cap = max(_EXPAND_MIN, min(expand, EXPAND_BUDGET // max(1, len(shown_docs))))
        children = {n: _children(G, n, style, statuses, lang, cap) for n in shown_docs}
    # Boxes of documents side by side need room; a few nodes placed by the layout alone do not move.
    physics = len(chosen) <= PHYSICS_MAX and not documents_only
    spacing, separation = (280, 130) if documents_only else (150, 100) if wide_labels else (90, 90)
    distance = 170 if wide_labels else 60       # wrapped labels are about 130 pixels wide
    return _page(net, physics, spacing, separation, children), left_out


def _page(net, physics: bool, spacing: int, separation: int, children: dict | None = None) -> str:
    """The view's HTML: hierarchical layout, offline, our tooltip and click scripts (and the children a
    click opens, when there are any)."""
    net.set_options(
        '{"layout": {"hierarchical": {"enabled": true, "direction": "UD", "sortMethod": "directed",'
        f' "levelSeparation": {separation}, "nodeSpacing": {spacing}, "treeSpacing": 60}}}},'
        f' "physics": {{"enabled": {str(physics).lower()}, "solver": "hierarchicalRepulsion",'
        ' "hierarchicalRepulsion": {"nodeDistance": 60}, "stabilization": {"iterations": 150}},'
        ' "edges": {"smooth": false}, "interaction": {"hover": true, "tooltipDelay": 150, "navigationButtons": false}}')
    page = net.generate_html(notebook=False)
    page = _CDN.sub("", page)
    page = _HEADING.sub("", page)
    # The children travel as JSON inside the script: ``<``, ``>`` and ``&`` escaped, so document text
    # cannot close the script block (titles are already HTML-escaped for the tooltip).
    kids = json.dumps(children or {}, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")
    page = page.replace("network = new vis.Network(container, data, options);",
                        _BEFORE + "network = new vis.Network(container, data, options);" + _AFTER
                        + (_EXPAND.replace("__CHILDREN__", kids) if children else ""), 1)
    return page.replace("</head>", _STYLE + "</head>", 1)


def render_groups(groups: list[dict], links: list[dict], height: str = "640px", lang: str | None = None,
                  open_links=(), limit: int = MAX_NODES) -> tuple[str, int]:
    """HTML of the cascade at national scale: one box per group of documents (a level, or a level and a
    region), its level on the ladder, coloured by the group's share (``coverage_colour``; the store's
    measure, said in ``view.coverage_store``), bordered in the level's colour; an arrow from a group to
    the group whose documents its documents implement. Returns the page and how many groups the cap of
    ``limit`` left out.

    ``groups``: ``{key, level, region, documents, tasks, share}`` (``queries.cascade_store.groups``);
    ``links``: ``{lower, upper, documents}`` between keys; ``open_links``: ``(text, url)`` shown in a
    group's tooltip and pinned panel, ``{level}`` and ``{region}`` in ``url`` URL-encoded.
    """
    from pyvis.network import Network

    e = html.escape
    shown = groups[:limit]
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for g in shown:
        level = term("level", g["level"], lang) or "—"
        where = f"{level} · {g['region']}" if g.get("region") is not None else level
        counts = t("view.group_counts", lang, documents=g["documents"], tasks=g["tasks"])
        share = g.get("share")
        text = f"{_short(where, 30)}\n{counts}" + (f"\n{t('view.coverage_store', lang, share=f'{share:.0%}')}"
                                                   if share is not None else "")
        tip = [f"<b>{e(where)}</b>", e(counts)]
        if share is not None:
            tip.append(e(t("view.coverage_store_help", lang, taken=g["taken"], required=g["required"])))
        where_to = {"level": quote(g["level"] or "", safe=""), "region": quote(g.get("region") or "", safe="")}
        actions = [f'<a href="{e(url.format(**where_to), quote=True)}" target="_blank" rel="noopener">{e(words)}</a>'
                   for words, url in open_links]
        if actions:
            tip.append(" · ".join(actions))
        colour = coverage_colour(share)
        net.add_node(g["key"], label=e(text), title="<br>".join(tip), shape="box",
                     level=rank.get(g["level"], len(LEVELS)),
                     color={"background": colour, "border": LEVEL_COLOURS.get(g["level"], LEVEL_COLOURS[None]),
                            "highlight": {"background": colour, "border": "#000000"}},
                     borderWidth=3, font={"size": 16, "color": "#ffffff"}, widthConstraint={"maximum": 230})
    keys = {g["key"] for g in shown}
    for link in links:
        if link["lower"] in keys and link["upper"] in keys:
            net.add_edge(link["lower"], link["upper"], arrows="to", color="#95a5a6",
                         width=1 + min(6, len(str(link["documents"]))),    # a pixel more per digit
                         title=e(t("view.group_link", lang, n=link["documents"])))
    return _page(net, False, 280, 130), max(0, len(groups) - len(shown))
