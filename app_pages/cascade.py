"""Cascade: the graph laid out by level, filtered or centred on what a search found."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.graphview import LEVEL_COLOURS, MARK_STYLES, MAX_NODES, cap_nodes, render_html
from app_pages.common import analysis, doc_name, dropped_chains_from, graph, store_dir, store_version, task_name
from queries.view import (LINK_STATUSES, filter_options, neighbourhood, node_details, search, select,
                          upper_documents)

G = graph()
opts = filter_options(G)
doc_titles = {d["id"]: doc_name(G, d["id"]) for d in opts["documents"]}
unit_names = {u["id"]: u["name"] for u in opts["units"]}

st.title("Cascade")

with st.sidebar:
    st.header("Filters")
    years = st.multiselect("Year", opts["years"], key="f_year")
    regions = st.multiselect("Region", opts["regions"], key="f_region")
    levels = st.multiselect("Level", opts["levels"], key="f_level")
    documents = st.multiselect("Document", list(doc_titles), format_func=doc_titles.get, key="f_doc")
    section_choices = {s["id"]: f"{s['name']} ({doc})" for doc in (documents or list(opts["sections"]))
                       for s in opts["sections"].get(doc, [])}
    sections = st.multiselect("Section", list(section_choices), format_func=section_choices.get, key="f_section")
    units = st.multiselect("Unit", list(unit_names), format_func=unit_names.get, key="f_unit")
    link_status = st.multiselect("Link status", list(LINK_STATUSES), key="f_status",
                                 help="Keep tasks with a link of this status (unlinked: tasks with none); "
                                      "only links of these statuses are drawn.")
    show_units = st.toggle("Show units", key="f_units", help="Units chosen in the Unit filter are always shown.")
    limit = st.number_input("Most nodes drawn", min_value=20, max_value=MAX_NODES, value=MAX_NODES, step=50,
                            key="f_limit", help="vis.js slows down above about a thousand nodes.")

if "search" not in st.session_state and st.query_params.get("q"):   # ?q=… opens the page on a search
    st.session_state["search"] = st.query_params["q"]
    if str(st.query_params.get("depth", "")).isdigit():
        st.session_state["depth"] = max(1, min(3, int(st.query_params["depth"])))
query = st.text_input("Search a task, unit or document (id, name or words of its text; 繁體 matches too)",
                      key="search", placeholder="e.g. 市场监管局, 政策解读, 2022-huangpu/一")
focus = None
if query.strip():
    hits = search(G, query, limit=50)
    if not hits:
        st.warning(f"Nothing matches “{query}”.")
    else:
        labels = {h["id"]: f"{h['label']} · {task_name(G, h['id'])}" for h in hits}
        c1, c2 = st.columns([4, 1])
        focus = c1.selectbox(f"{len(hits)} match(es): centre the view on", list(labels), format_func=labels.get,
                             key="focus")
        depth = c2.number_input("Links out", min_value=1, max_value=3, value=1, key="depth")

if focus:
    nodes = neighbourhood(G, focus, depth=int(depth))
    st.caption(f"Neighbourhood of `{focus}`: its containment, links and units {int(depth)} step(s) out "
               "(filters do not apply while a search is active).")
else:
    nodes = select(G, years=years, regions=regions, levels=levels, documents=documents, sections=sections,
                   units=units, link_status=link_status, include_units=show_units or bool(units))

# Gaps, dropped chains and local additions are marked on the drawn nodes.
marks: dict[str, str] = {}
rows = analysis("queries.gaps", "coverage", say_missing=False)
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


# In the panel a click pins (inside the view's iframe): open the node's trace, or centre the view on it.
NODE_LINKS = ((("Task",), "trace it", "trace?task={id}"),
              (("Task", "Unit", "Section", "Document"), "centre here", "cascade?q={id}"))


@st.cache_data(max_entries=16, show_spinner="Drawing…")
def _draw(store: str, version: str, nodes: tuple, marks: tuple, statuses: tuple, limit: int, highlight: tuple):
    return render_html(G, list(nodes), height="680px", marks=dict(marks), link_status=list(statuses) or None,
                       limit=limit, highlight=highlight, node_links=NODE_LINKS)


in_view = set(nodes)
page, left_out = _draw(str(store_dir()), store_version(), tuple(nodes),
                       tuple(sorted((n, m) for n, m in marks.items() if n in in_view)),
                       tuple(link_status if not focus else ()), int(limit), (focus,) if focus else ())
shown = len(nodes) - sum(left_out.values())
if not nodes:
    st.info("No node matches these filters.")
else:
    msg = f"{shown} node(s) drawn"
    if left_out:
        msg += " · left out by the cap of %d: " % int(limit) + ", ".join(f"{n} {label.lower()}(s)" for label, n in left_out.items())
        st.warning(msg + ". Narrow the filters (year, document, section) to see them.")
    else:
        st.caption(msg)
    st.iframe(page, height=700)
    legend = " ".join(f"<span style='color:{c}'>●</span> {lvl}" for lvl, c in LEVEL_COLOURS.items() if lvl) + \
        " <span style='color:#8e44ad'>◆</span> unit · " + \
        " · ".join(f"<span style='display:inline-block;width:9px;height:9px;border-radius:50%;background:#ddd;"
                   f"border:{min(s['width'], 3)}px {'dashed' if s['dashes'] else 'solid'} {s['border']}'></span> "
                   f"{s['prefix']}{name}" for name, s in MARK_STYLES.items()) + \
        " · links: orange proposed, red confirmed, grey dashed rejected · hover for text, click to pin it"
    st.html(f"<div style='font-size:0.85em;color:#555'>{legend}</div>")

    st.subheader("Details")
    drawn = [n for n in nodes if n in G]
    # A new search hit becomes the node shown; a node no longer in view gives way to the first one.
    if focus and st.session_state.get("_detail_focus") != focus:
        st.session_state["detail"] = focus
    st.session_state["_detail_focus"] = focus
    if st.session_state.get("detail") not in drawn:
        st.session_state["detail"] = focus if focus in drawn else drawn[0]
    picked = st.selectbox("Node", drawn, format_func=lambda n: task_name(G, n), key="detail")
    if picked:
        info = node_details(G, picked)
        st.markdown(f"**{info['label']}** `{info['id']}` · level {info['level'] or '—'} · "
                    f"in {' › '.join(f'`{p}`' for p in info['path']) or '—'}")
        st.text(info["text"])
        if info["label"] == "Task" and info["document"] in upper_documents(G):
            st.page_link("app_pages/trace.py", label="Trace this requirement down the levels", icon=":material/timeline:",
                         query_params={"task": info["id"]})
        if info["units"]:
            st.dataframe(pd.DataFrame(info["units"]), hide_index=True, width="stretch")
        for key, title in (("upper", "Derives from"), ("lower", "Derived by")):
            if info[key]:
                st.markdown(f"**{title}**")
                st.dataframe(pd.DataFrame(info[key])[["lower", "upper", "score", "status", "method", "upper_text"
                                                      if key == "upper" else "lower_text"]],
                             hide_index=True, width="stretch")
        if info["tasks"]:
            st.markdown(f"**Tasks assigned** ({len(info['tasks'])})")
            st.dataframe(pd.DataFrame(info["tasks"]), hide_index=True, width="stretch")
