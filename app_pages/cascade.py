"""Cascade: the graph laid out by level, filtered or centred on what a search found.

Above the size the graph loads at (``common.asks_store``) the page asks the store instead
(:func:`from_store`): groups of documents by level and region, a group's documents, one document's
neighbourhood, each fetched for what is drawn (``queries/cascade_store.py``)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.graphview import (COVERAGE_BANDS, EXPAND_BUDGET, EXPAND_MAX, LEVEL_COLOURS, MARK_STYLES, MAX_NODES,
                               NO_COVERAGE_COLOUR, cap_nodes, render_groups, render_html)
from app_pages.common import (answer, asks_store, doc_name, dropped_chains_from, graph, links_frame, query_version,
                              show_table, store_answer, store_dir, store_version, task_name, term, tr, lang)
from core.records import LEVELS
from queries.cascade_store import group_links, groups, to_graph
from queries.view import (LINK_STATUSES, coverage_per_document, filter_options, neighbourhood, node_details,
                          ordered, search, select, unjudged_per_document, upper_documents)

# In the panel a click pins (inside the view's iframe): open the node's trace, or centre the view on it.
NODE_LINKS = ((("Task",), tr("view.trace_it"), "trace?task={id}"),
              (("Task", "Unit", "Section", "Document"), tr("view.centre_here"), "cascade?q={id}"))


def levels_legend(units: bool = False) -> str:
    """The colours of the levels (and the units' diamond)."""
    dot = "<span style='color:{}'>●</span> {}".format
    legend = " ".join(dot(c, term("level", lvl)) for lvl, c in LEVEL_COLOURS.items() if lvl)
    return legend + (f" <span style='color:#8e44ad'>◆</span> {tr('cascade.legend_unit')}" if units else "")


def coverage_legend(key: str) -> str:
    """The legend of boxes coloured by a share (``key``: which share) and bordered by their level."""
    box = "<span style='display:inline-block;width:14px;height:10px;background:{}'></span> {}".format
    bands = [f"≥ {floor:.0%}" if floor else f"< {COVERAGE_BANDS[-2][0]:.0%}" for floor, _ in COVERAGE_BANDS]
    return tr(key) + " " + " ".join(box(c, b) for (_, c), b in zip(COVERAGE_BANDS, bands)) + \
        " " + box(NO_COVERAGE_COLOUR, tr("cascade.legend_no_coverage")) + " · " + tr("cascade.legend_border") + \
        " " + levels_legend()


def _choose(key: str, options: list, label: str, **kwargs):
    # A choice no longer among the options (another level, other filters) falls back to "all".
    if st.session_state.get(key) not in options:
        st.session_state[key] = ""
    return st.selectbox(label, options, key=key, **kwargs)


def _store_view(doc_ids: tuple, drawn: tuple, coverage: tuple, limit: int, expand: bool,
                highlight: tuple) -> tuple[str, dict, int, dict]:
    """A view of what the store holds of ``doc_ids``: the documents ``drawn`` as boxes (their children
    open on a click when ``expand``), or, with no ``drawn``, every node fetched. Returns the page, what
    the cap left out, how many nodes were drawn, and the store's answer."""
    found = store_answer("neighbourhood", doc_ids, EXPAND_BUDGET if drawn else limit)
    if not found:
        return "", {}, 0, {}
    page, left_out, n = _store_page(str(store_dir()), query_version(), doc_ids, drawn, coverage, limit, expand,
                                    highlight, lang(), _found=found)
    return page, left_out, n, found


@st.cache_data(max_entries=16, show_spinner=False)
def _store_page(store: str, version: str, doc_ids: tuple, drawn: tuple, coverage: tuple, limit: int,
                expand: bool, highlight: tuple, lang: str, _found: dict) -> tuple[str, dict, int]:
    G = to_graph(_found)
    nodes = [d for d in drawn if d in G] if drawn else ordered(G, G.nodes)
    page, left_out = render_html(G, nodes, height="680px", limit=limit, highlight=highlight, node_links=NODE_LINKS,
                                 lang=lang, documents_only=bool(drawn), coverage=dict(coverage) if drawn else None,
                                 expand=EXPAND_MAX if drawn and expand else 0)
    return page, left_out, len(nodes) - sum(left_out.values())


def from_store() -> None:
    """The cascade at national scale, Bloom's expand-neighbours way: groups of documents (per level and
    region, or per level when the regions are many), a group's documents, one document."""
    everything = store_answer("document_table", (), (), ())
    if everything is None:
        st.stop()
    with st.sidebar:
        st.header(tr("cascade.filters"))
        years = st.multiselect(tr("col.year"), sorted({r["year"] for r in everything if r["year"]}, reverse=True),
                               key="f_year", placeholder=tr("common.choose"))
        regions = st.multiselect(tr("col.region"), sorted({r["region"] for r in everything if r["region"]}),
                                 key="f_region", placeholder=tr("common.choose"))
        levels = st.multiselect(tr("col.level"), [lvl for lvl in LEVELS if any(r["level"] == lvl for r in everything)],
                                key="f_level", placeholder=tr("common.choose"), format_func=lambda v: term("level", v))
        limit = st.number_input(tr("cascade.limit"), min_value=20, max_value=MAX_NODES, value=MAX_NODES, step=50,
                                key="f_limit", help=tr("cascade.limit_help"))
    rows = store_answer("document_table", tuple(years), tuple(levels), tuple(regions)) if years or levels or regions \
        else everything
    if rows is None:
        st.stop()
    by_id = {r["id"]: r for r in everything}
    # ?q= (a node of another page) opens its document; ?level= / ?region= / ?doc= a group or a document.
    wanted = st.query_params.get("doc") or str(st.query_params.get("q") or "").split("/")[0]
    if wanted in by_id and "c_doc" not in st.session_state:
        st.session_state.update(c_level=by_id[wanted]["level"], c_region=by_id[wanted]["region"] or "",
                                c_doc=wanted)
    for key in ("level", "region"):
        if f"c_{key}" not in st.session_state and st.query_params.get(key):
            st.session_state[f"c_{key}"] = st.query_params[key]

    st.caption(tr("cascade.store_caption", tasks=sum(r["tasks"] for r in everything)))
    c1, c2, c3 = st.columns([1, 2, 3])
    any_ = lambda v, f=str: f(v) if v else tr("cascade.store_any")  # noqa: E731
    level = _choose("c_level", ["", *[lvl for lvl in LEVELS if any(r["level"] == lvl for r in rows)]], tr("col.level"),
                    format_func=lambda v: any_(v, lambda x: term("level", x)))
    in_level = [r for r in rows if not level or r["level"] == level]
    region = _choose("c_region", ["", *sorted({r["region"] or "" for r in in_level} - {""})], tr("col.region"),
                     format_func=any_)
    in_group = [r for r in in_level if not region or r["region"] == region]
    listed = in_group[:MAX_NODES] if level or region else []
    doc = _choose("c_doc", ["", *[r["id"] for r in listed]], tr("cascade.document"),
                  format_func=lambda d: any_(d, lambda x: f"{by_id[x]['year'] or ''} {by_id[x]['region'] or ''} · "
                                                          f"{by_id[x]['title'] or x} ({x})"))
    if len(in_group) > len(listed) and listed:
        st.caption(tr("cascade.store_docs_capped", total=len(in_group), shown=len(listed)))

    if doc:
        st.caption(tr("cascade.store_document", doc=doc))
        page, left_out, n, found = _store_view((doc,), (), (), int(limit), False, (doc,))
        draw(page, left_out, int(limit), levels_legend(units=True) + " · " + tr("cascade.legend_links"), n)
        if found and found["left_out"]:
            st.warning(tr("cascade.store_tasks_left", n=found["left_out"], limit=int(limit)))
        document_tasks(found, doc)
        return
    if region:
        docs = [r["id"] for r in in_group[:int(limit)]]
        parents = sorted({p for r in in_group[:int(limit)] for p in r["parents"]} - set(docs))
        tasks = sum(by_id[d]["tasks"] for d in docs + parents if d in by_id)
        # the boxes take the graph mode's colours: the share each took up (covered / covered + gaps)
        took = store_answer("took_up", tuple(sorted(d for d in docs + parents if d in by_id))) or {}
        shares = tuple(sorted(took.items()))
        name = f"{term('level', level)} · {region}" if level else region
        st.caption(tr("cascade.store_documents", group=name, n=EXPAND_MAX))
        if tasks > EXPAND_BUDGET:
            st.info(tr("cascade.store_no_expand", tasks=tasks))
        page, left_out, n, _ = _store_view(tuple(docs + parents), tuple(parents + docs), shares, int(limit),
                                           tasks <= EXPAND_BUDGET, ())
        if len(in_group) > int(limit):
            left_out = {**left_out, "Document": left_out.get("Document", 0) + len(in_group) - int(limit)}
        draw(page, left_out, int(limit), coverage_legend("cascade.legend_coverage"), n)
        return
    # Groups: per (level, region) while they are few enough to read, else per level; a chosen level
    # opens into its regions.
    by_region = bool(level) or len(groups(rows)) <= EXPAND_MAX
    found = groups(in_level if level else rows, by_region)
    links = group_links(rows, by_region)
    shown = found[:EXPAND_MAX]
    keys = {g["key"] for g in shown}
    above = {link["upper"] for link in links if link["lower"] in keys} - keys
    if above:      # the groups the drawn ones hang from, so the ladder shows
        shown += [g for g in groups(rows, by_region) if g["key"] in above]
    st.caption(tr("cascade.store_groups", what=tr(f"cascade.group.{'region' if by_region else 'level'}")))
    if len(found) > EXPAND_MAX:
        st.warning(tr("cascade.groups_capped", shown=EXPAND_MAX, total=len(found)))
    page, _ = render_groups(shown, links, height="680px", lang=lang(),
                            open_links=((tr("view.open_group"), "cascade?level={level}&region={region}"),))
    draw(page, {}, len(shown), coverage_legend("cascade.legend_coverage_store"), len(shown))


def draw(page: str, left_out: dict, limit: int, legend: str, n: int) -> None:
    """The view, how many nodes it draws (``n``) and what the cap left out, and its legend."""
    if not page:
        st.info(tr("cascade.no_node"))
        return
    msg = tr("cascade.drawn", n=n)
    if left_out:
        st.warning(tr("cascade.capped", drawn=msg, limit=limit,
                      left="，".join(f"{term('label', label)} {k}" for label, k in left_out.items())))
    else:
        st.caption(msg)
    st.iframe(page, height=700)
    st.html(f"<div style='font-size:0.85em;color:#555'>{legend}</div>")


def document_tasks(found: dict, doc: str) -> None:
    """The document's tasks: their units and the upper requirements they derive from."""
    units: dict[str, list[str]] = {}
    for t, _, name, short, role, _ in found.get("assigned", []):
        units.setdefault(t, []).append(f"{short or name}（{term('role_unit', role)}）")
    ups: dict[str, list[str]] = {}
    for r in found.get("derived", []):
        ups.setdefault(r["lower"], []).append(r["upper"])
    tasks = [t for t in found.get("tasks", []) if t["doc_id"] == doc]
    st.markdown(tr("cascade.store_tasks", n=len(tasks)))
    show_table(pd.DataFrame([{"task": t["id"], "number": t["number"], "text": t["text_norm"],
                              "units": "；".join(units.get(t["id"], [])), "upper": "、".join(ups.get(t["id"], []))}
                             for t in tasks]),
               column_config={"text": st.column_config.TextColumn(tr("col.text"), width="large")})


if asks_store():
    st.title(tr("nav.cascade"))
    from_store()
    st.stop()

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


@st.cache_data(max_entries=16, show_spinner=False)
def _draw(store: str, version: str, nodes: tuple, marks: tuple, statuses: tuple, limit: int, highlight: tuple,
          lang: str, documents_only: bool = False, coverage: tuple = (), unjudged: tuple = ()):
    # The cascade of documents opens a document on a click, in the browser (its children travel with it).
    return render_html(G, list(nodes), height="680px", marks=dict(marks), link_status=list(statuses) or None,
                       limit=limit, highlight=highlight, node_links=NODE_LINKS, lang=lang,
                       documents_only=documents_only, coverage=dict(coverage) if documents_only else None,
                       expand=EXPAND_MAX if documents_only else 0, unjudged=dict(unjudged) if documents_only else None)


in_view = set(nodes)
page, left_out = _draw(str(store_dir()), store_version(), tuple(nodes),
                       tuple(sorted((n, m) for n, m in marks.items() if n in in_view)),
                       tuple(link_status if not focus else ()), int(limit), (focus,) if focus else (), lang(),
                       documents_only, tuple(sorted(coverage_per_document(rows or []).items())) if documents_only else (),
                       tuple(sorted(unjudged_per_document(rows or []).items())) if documents_only else ())
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
    if documents_only:      # the boxes' colour is the coverage, their border the level
        legend = coverage_legend("cascade.legend_coverage") + " · " + f"{MARK_STYLES['gap']['prefix']}{tr('mark.gap')}"
    else:
        legend = levels_legend(units=True) + " · " + \
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
                show_table(links_frame(pd.DataFrame(info[key])[["lower", "upper", "score", "status", "method",
                                                                 "upper_text" if key == "upper" else "lower_text"]]))
        if info["tasks"]:
            st.markdown(tr("cascade.tasks_assigned", n=len(info["tasks"])))
            show_table(pd.DataFrame(info["tasks"]))
