"""Cascade: the graph laid out by level, filtered or centred on what a search found."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.graphview import (COVERAGE_BANDS, EXPAND_MAX, LEVEL_COLOURS, MARK_STYLES, MAX_NODES,
                               NO_COVERAGE_COLOUR, cap_nodes, render_html)
from app_pages.common import (answer, doc_name, dropped_chains_from, graph, show_table, store_dir, store_version,
                              task_name, term, tr, lang)
from queries.view import (LINK_STATUSES, coverage_per_document, filter_options, neighbourhood, node_details,
                          search, select, upper_documents)

G = graph()
opts = filter_options(G)
doc_titles = {d["id"]: doc_name(G, d["id"]) for d in opts["documents"]}
unit_names = {u["id"]: u["name"] for u in opts["units"]}

st.title(tr("nav.cascade"))

with st.sidebar:
    st.header(tr("cascade.filters"))
    years = st.multiselect(tr("col.year"), opts["years"], key="f_year", placeholder=tr("common.choose"))
    regions = st.multiselect(tr("col.region"), opts["regions"], key="f_region", placeholder=tr("common.choose"))
    levels = st.multiselect(tr("col.level"), opts["levels"], key="f_level", placeholder=tr("common.choose"),
                            format_func=lambda v: term("level", v))
    documents = st.multiselect(tr("cascade.document"), list(doc_titles), format_func=doc_titles.get, key="f_doc",
                               placeholder=tr("common.choose"))
    section_choices = {s["id"]: f"{s['name']} ({doc})" for doc in (documents or list(opts["sections"]))
                       for s in opts["sections"].get(doc, [])}
    sections = st.multiselect(tr("cascade.section"), list(section_choices), format_func=section_choices.get,
                              key="f_section", placeholder=tr("common.choose"))
    units = st.multiselect(tr("cascade.unit"), list(unit_names), format_func=unit_names.get, key="f_unit",
                           placeholder=tr("common.choose"))
    link_status = st.multiselect(tr("cascade.link_status"), list(LINK_STATUSES), key="f_status",
                                 placeholder=tr("common.choose"), format_func=lambda v: term("link", v), help=tr("cascade.link_status_help"))
    show_units = st.toggle(tr("cascade.show_units"), key="f_units", help=tr("cascade.show_units_help"))
    scope = st.radio(tr("cascade.scope"), ["documents", "all"], key="f_scope", horizontal=True,
                     format_func=lambda v: tr(f"cascade.scope.{v}"), help=tr("cascade.scope_help"))
    limit = st.number_input(tr("cascade.limit"), min_value=20, max_value=MAX_NODES, value=MAX_NODES, step=50,
                            key="f_limit", help=tr("cascade.limit_help"))

if "search" not in st.session_state and st.query_params.get("q"):   # ?q=… opens the page on a search
    st.session_state["search"] = st.query_params["q"]
    if str(st.query_params.get("depth", "")).isdigit():
        st.session_state["depth"] = max(1, min(3, int(st.query_params["depth"])))
query = st.text_input(tr("cascade.search"), key="search", placeholder=tr("cascade.search_placeholder"))
focus = None
if query.strip():
    hits = search(G, query, limit=50)
    if not hits:
        st.warning(tr("cascade.no_match", query=query))
    else:
        labels = {h["id"]: f"{term('label', h['label'])} · {task_name(G, h['id'])}" for h in hits}
        c1, c2 = st.columns([4, 1])
        focus = c1.selectbox(tr("cascade.matches", n=len(hits)), list(labels), format_func=labels.get,
                             key="focus")
        depth = c2.number_input(tr("cascade.links_out"), min_value=1, max_value=3, value=1, key="depth")

# The default: one node per document, levels top to bottom (a filter on sections, units or links, a
# search, or "everything" opens the documents into sections, tasks and units).
documents_only = scope == "documents" and not (focus or documents or sections or units or link_status or show_units)
if focus:
    nodes = neighbourhood(G, focus, depth=int(depth))
    st.caption(tr("cascade.neighbourhood", node=focus, depth=int(depth)))
else:
    nodes = select(G, years=years, regions=regions, levels=levels, documents=documents, sections=sections,
                   units=units, link_status=link_status, include_units=show_units or bool(units))
    if documents_only:
        nodes = [n for n in nodes if G.nodes[n].get("label") == "Document"]
        st.caption(tr("cascade.documents_view", n=EXPAND_MAX))

# Gaps, dropped chains and local additions are marked on the drawn nodes.
marks: dict[str, str] = {}
rows = answer("coverage")
if rows:
    for r in rows:
        if r.get("status") == "local":
            for low in r.get("lower") or []:
                marks.setdefault(low, "local")
    # Only what will be drawn: following chains from every task of a large cascade takes minutes.
    for r in dropped_chains_from(n for n in cap_nodes(G, nodes, int(limit))[0] if G.nodes[n].get("label") == "Task"):
        for m in r.get("middle") or []:
            marks[m] = "dropped"
    for r in rows:
        if r.get("status") == "gap":
            marks[r["upper"]] = "gap"
            if documents_only:       # the document that left a requirement out carries the mark
                marks[r["lower_doc"]] = "gap"


# In the panel a click pins (inside the view's iframe): open the node's trace, or centre the view on it.
NODE_LINKS = ((("Task",), tr("view.trace_it"), "trace?task={id}"),
              (("Task", "Unit", "Section", "Document"), tr("view.centre_here"), "cascade?q={id}"))


@st.cache_data(max_entries=16, show_spinner=False)
def _draw(store: str, version: str, nodes: tuple, marks: tuple, statuses: tuple, limit: int, highlight: tuple,
          lang: str, documents_only: bool = False, coverage: tuple = ()):
    # The cascade of documents opens a document on a click, in the browser (its children travel with it).
    return render_html(G, list(nodes), height="680px", marks=dict(marks), link_status=list(statuses) or None,
                       limit=limit, highlight=highlight, node_links=NODE_LINKS, lang=lang,
                       documents_only=documents_only, coverage=dict(coverage) if documents_only else None,
                       expand=EXPAND_MAX if documents_only else 0)


in_view = set(nodes)
page, left_out = _draw(str(store_dir()), store_version(), tuple(nodes),
                       tuple(sorted((n, m) for n, m in marks.items() if n in in_view)),
                       tuple(link_status if not focus else ()), int(limit), (focus,) if focus else (), lang(),
                       documents_only, tuple(sorted(coverage_per_document(rows or []).items())) if documents_only else ())
shown = len(nodes) - sum(left_out.values())
if not nodes:
    st.info(tr("cascade.no_node"))
else:
    msg = tr("cascade.drawn", n=shown)
    if left_out:
        st.warning(tr("cascade.capped", drawn=msg, limit=int(limit),
                      left="，".join(f"{term('label', label)} {n}" for label, n in left_out.items())))
    else:
        st.caption(msg)
    st.iframe(page, height=700)
    dot = "<span style='color:{}'>●</span> {}".format
    levels_legend = " ".join(dot(c, term("level", lvl)) for lvl, c in LEVEL_COLOURS.items() if lvl)
    if documents_only:      # the boxes' colour is the coverage, their border the level
        box = "<span style='display:inline-block;width:14px;height:10px;background:{}'></span> {}".format
        bands = [f"≥ {floor:.0%}" if floor else f"< {COVERAGE_BANDS[-2][0]:.0%}" for floor, _ in COVERAGE_BANDS]
        legend = tr("cascade.legend_coverage") + " " + " ".join(box(c, b) for (_, c), b in zip(COVERAGE_BANDS, bands)) + \
            " " + box(NO_COVERAGE_COLOUR, tr("cascade.legend_no_coverage")) + " · " + tr("cascade.legend_border") + \
            " " + levels_legend + " · " + f"{MARK_STYLES['gap']['prefix']}{tr('mark.gap')}"
    else:
        legend = levels_legend + f" <span style='color:#8e44ad'>◆</span> {tr('cascade.legend_unit')} · " + \
            " · ".join(f"<span style='display:inline-block;width:9px;height:9px;border-radius:50%;background:#ddd;"
                       f"border:{min(s['width'], 3)}px {'dashed' if s['dashes'] else 'solid'} {s['border']}'></span> "
                       f"{s['prefix']}{tr('mark.' + name)}" for name, s in MARK_STYLES.items()) + \
            " · " + tr("cascade.legend_links")
    st.html(f"<div style='font-size:0.85em;color:#555'>{legend}</div>")

    st.subheader(tr("cascade.details"))
    drawn = [n for n in nodes if n in G]
    # A new search hit becomes the node shown; a node no longer in view gives way to the first one.
    if focus and st.session_state.get("_detail_focus") != focus:
        st.session_state["detail"] = focus
    st.session_state["_detail_focus"] = focus
    if st.session_state.get("detail") not in drawn:
        st.session_state["detail"] = focus if focus in drawn else drawn[0]
    picked = st.selectbox(tr("cascade.node"), drawn, format_func=lambda n: task_name(G, n), key="detail")
    if picked:
        info = node_details(G, picked)
        st.markdown(tr("cascade.node_head", label=term("label", info["label"]), id=info["id"],
                       level=term("level", info["level"]) or "—",
                       path=" › ".join(f"`{p}`" for p in info["path"]) or "—"))
        st.text(info["text"])
        if info["label"] == "Task" and info["document"] in upper_documents(G):
            st.page_link("app_pages/trace.py", label=tr("cascade.trace_this"), icon=":material/timeline:",
                         query_params={"task": info["id"]})
        if info["units"]:
            show_table(pd.DataFrame(info["units"]))
        for key, title in (("upper", "cascade.derives_from"), ("lower", "cascade.derived_by")):
            if info[key]:
                st.markdown(f"**{tr(title)}**")
                show_table(pd.DataFrame(info[key])[["lower", "upper", "score", "status", "method", "upper_text"
                                                    if key == "upper" else "lower_text"]])
        if info["tasks"]:
            st.markdown(tr("cascade.tasks_assigned", n=len(info["tasks"])))
            show_table(pd.DataFrame(info["tasks"]))
