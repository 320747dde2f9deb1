"""Trace: one upper requirement followed down every level, as a table, a tree and a picture."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.api import SEARCH_PAGE, TRACE_PAGE
from cascade.graphview import render_html
from cascade.i18n import reason_text
from cascade.report_rows import doc_names, names_of, who_must_act
from app_pages.common import (answer, asks_store, doc_name, doc_short, dropped_chains_from, esc, graph, lang,
                              show_table, store_answer, task_name, term, tr)
from queries.trace import derived_below
from queries.view import tasks_of, upper_documents

PAGE = TRACE_PAGE   # a top plan's requirement's first page is kept after a build (Cascade.warm_requirements)


def from_store() -> None:
    """A requirement found by the words of its text, and its trace from the store's saved ``trace``
    query (a Bolt server, or a store too large to load): the chain above, each plan one level below with
    its coverage status, reason and who must act (:mod:`queries.coverage_store`), then the lower tasks a
    page at a time; no graph is loaded, so no picture."""
    st.caption(tr("trace.from_store"))
    # ?task=<id> and the sidebar's search open the page on that requirement, as in the graph's page.
    jump = st.session_state.pop("jump_task", None)
    if jump or ("t_words" not in st.session_state and st.query_params.get("task")):
        st.session_state["t_words"] = jump or st.query_params.get("task")
    c1, c2 = st.columns([2, 4])
    words = c1.text_input(tr("trace.search"), key="t_words").strip()
    hits = (store_answer("search", words, SEARCH_PAGE) or []) if words else []
    if not hits:
        st.info(tr("trace.search_none") if words else tr("trace.search_hint"))
        st.stop()
    texts = {h["task"]: h["text"] for h in hits}
    task = c2.selectbox(tr("trace.requirement"), list(texts), key="t_task_one",
                        format_func=lambda t: f"{t} · {(texts[t] or '')[:80]}")
    st.query_params["task"] = task
    page = st.number_input(tr("units.page"), min_value=1, value=1, step=1, key="t_page")
    found = store_answer("trace", task, (page - 1) * PAGE, PAGE)
    if found is None:
        st.stop()
    docs, nodes = found["documents"], found["nodes"]

    def where(n: str) -> str:
        d = docs.get(nodes[n]["doc_id"]) or {}
        return f"{term('level', d.get('level'))} · {d.get('title') or nodes[n]['doc_id']} · {nodes[n]['text'] or ''}"

    for n in reversed(found["up"]):
        st.markdown(f"↑ {esc(where(n))}")
    st.markdown(f"● **{esc(where(task))}**")
    below = store_answer("requirement_coverage", task) or []
    m = st.columns(3)
    m[0].metric(tr("trace.lower_tasks"), found["total"])
    m[1].metric(tr("trace.levels_reached"), len({r["level"] for r in found["down"]}))
    m[2].metric(tr("trace.gaps"), sum(r["status"] == "gap" for r in below))
    if below:
        # one level down, each plan whose parent level this is: status, why and who, as the graph says
        st.markdown(f"**{tr('trace.one_level')}**")
        # the reasons name documents by title, not id (their titles and issuers from the store)
        names = names_of(store_answer("documents", tuple(sorted({r["lower_doc"] for r in below} | set(docs)))) or {})
        show_table(pd.DataFrame([{"status": r["status"], "lower_doc": r["lower_title"], "issuer": r["lower_issuer"],
                                  "lower": " ".join(r["lower"]), "reason": reason_text(r["reason"], lang(), names),
                                  "who": who_must_act(r, lang())}
                                 for r in below]))
    if found["down"]:
        frame = pd.DataFrame(found["down"]).assign(
            title=lambda f: f["doc_id"].map(lambda d: (docs.get(d) or {}).get("title")))
        st.caption(tr("units.page_of", first=found["offset"] + 1, last=found["offset"] + len(frame),
                      total=found["total"]))
        show_table(frame, column_order=["level", "title", "number", "text", "task"],
                   column_config={"text": st.column_config.TextColumn(tr("col.text"), width="large")})


st.title(tr("nav.trace"))
st.caption(tr("trace.caption"))
if asks_store():
    from_store()
    st.stop()
G = graph()
names = doc_names(G)    # the reasons name a document by its title, not its id

uppers = upper_documents(G)
if not uppers:
    st.info(tr("trace.no_pairs"))
    st.stop()
# ?task=<id> opens the page on that requirement (the Cascade page links here that way); the search box
# jumps here through ``jump_task``, which wins over what the page showed before.
jump = st.session_state.pop("jump_task", None)
wanted = jump or st.query_params.get("task")
if wanted in G and G.nodes[wanted].get("doc_id") in uppers and (jump or "t_doc" not in st.session_state):
    st.session_state["t_doc"] = G.nodes[wanted]["doc_id"]
    st.session_state["t_task"] = wanted
    st.session_state["t_only"] = False
c1, c2, c3, c4 = st.columns([2, 4, 1, 1])
doc = c1.selectbox(tr("trace.upper_document"), uppers, format_func=lambda d: doc_name(G, d), key="t_doc")
only = c3.toggle(tr("trace.taken_up"), value=True, key="t_only", help=tr("trace.taken_up_help"))
gaps_only = c4.toggle(tr("trace.gaps_only"), key="t_gaps", help=tr("trace.gaps_only_help"))
tasks = tasks_of(G, doc)
if only:
    tasks = [t for t in tasks if derived_below(G, t)]
if gaps_only:      # the requirements some lower document left out (or whose coverage cannot be judged)
    open_rows = {r["upper"] for r in answer("coverage") or []
                 if r["status"] in ("gap", "not_assessable")}
    tasks = [t for t in tasks if t in open_rows]
if not tasks:
    st.info(tr("trace.no_requirement"))
    st.stop()
if st.session_state.get("t_task") not in tasks:
    st.session_state["t_task"] = tasks[0]
task = c2.selectbox(tr("trace.requirement"), tasks, format_func=lambda t: task_name(G, t, 80), key="t_task")
st.query_params["task"] = task
st.page_link("app_pages/cascade.py", label=tr("trace.show_in_cascade"),
             icon=":material/account_tree:", query_params={"q": task, "depth": "2"})

found = answer("trace", task)
if found is None:
    st.stop()
tree = found["tree"]

STATUS_COLOURS = {"covered": "#27ae60", "gap": "#c0392b", "not_assessable": "#e67e22", "not_applicable": "#7f8c8d",
                  "dropped": "#8e44ad"}
dropped = [r for r in dropped_chains_from([task]) if r.get("upper") == task]
dropped_at = {(r["middle_doc"], r["lower_doc"]) for r in dropped}


def badge(status: str | None) -> str:
    if not status:
        return ""
    return (f"<span style='background:{STATUS_COLOURS.get(status, '#999')};color:#fff;border-radius:3px;"
            f"padding:0 4px;font-size:0.8em'>{esc(term('status', status))}</span>")


def html_tree(node: dict) -> str:
    """Nested list of the trace; every text escaped, our tags only."""
    head = (f"<b>{esc(term('level', node.get('level')))}</b> · <code>{esc(node.get('task'))}</code> "
            f"{esc(node.get('text'))}")
    items = []
    for b in node.get("below") or []:
        status = b.get("status")
        lost = (node.get("doc_id"), b.get("lower_doc")) in dropped_at
        line = (f"{badge(status)} {badge('dropped') if lost else ''} <b>{esc(term('level', b.get('level')))}</b> "
                f"{esc(doc_short(G, b.get('lower_doc')))}")
        if b.get("reason"):
            line += f" <i style='color:#666'>— {esc(reason_text(b['reason'], lang(), names))}</i>"
        kids = "".join(html_tree(k) for k in b.get("tasks") or [])
        items.append(f"<li>{line}{f'<ul>{kids}</ul>' if kids else ''}</li>")
    return f"<li>{head}{f'<ul>{chr(10).join(items)}</ul>' if items else ''}</li>"


rows = found["down"]
if rows:
    frame = pd.DataFrame(rows)
    took = frame[frame["task"].notna() & (frame["depth"] > 0)]
    m = st.columns(4)
    m[0].metric(tr("trace.levels_reached"), int(took["depth"].max()) if not took.empty else 0)
    m[1].metric(tr("trace.lower_tasks"), len(took))
    m[2].metric(tr("trace.gaps"), int((frame["status"] == "gap").sum()))
    m[3].metric(tr("trace.dropped"), len(dropped))

left, right = st.columns([1, 1])
with left:
    st.markdown(f"**{tr('trace.tree')}**")
    st.html(f"<ul style='line-height:1.6;padding-left:1.2em'>{html_tree(tree)}</ul>")
with right:
    st.markdown(f"**{tr('trace.table')}**")
    if rows:
        if "reason" in frame:   # its documents named by title, not id
            frame["reason"] = frame["reason"].map(lambda v: reason_text(v, lang(), names) if isinstance(v, str) else v)
        show_table(frame, column_order=["depth", "level", "doc_id", "number", "status", "text", "reason", "task"],
                   column_config={"text": st.column_config.TextColumn(tr("col.text"), width="large")})
if dropped:
    st.markdown(tr("trace.dropped_head"))
    show_table(pd.DataFrame(dropped))

found: list[str] = []
marks: dict[str, str] = {}


def collect(node: dict):
    found.append(node["task"])
    for b in node.get("below") or []:
        found.append(b["lower_doc"])
        if b.get("status") == "gap":
            marks[b["lower_doc"]] = "gap"
        for k in b.get("tasks") or []:
            collect(k)


collect(tree)
for r in dropped:
    for m in r.get("middle") or []:
        marks[m] = "dropped"
st.markdown(f"**{tr('trace.graph')}**")
# The requirement on top and each lower level below it, a row for each level's document and one for its
# tasks: sections would add a row each and shrink the picture to fit.
page, _ = render_html(G, list(dict.fromkeys(found)), height="520px", marks=marks,
                      highlight=[task], lang=lang(), wide_labels=True,
                      node_links=((("Task",), tr("view.trace_it"), "trace?task={id}"),
                                  (("Task", "Section", "Document"), tr("view.show_in_cascade"), "cascade?q={id}")))
st.iframe(page, height=540)
st.caption(tr("trace.graph_caption"))
