"""Overview: what is in the store, what went wrong reading it, and how much of each level is covered.

The counts and tables come from aggregate queries on the store (queries/overview_store.py through
queries/backend.py: the embedded store, or the Bolt server CASCADE_BOLT_URI names), cached per store
version; only the coverage chart and the checks need the whole graph, and above
queries.backend.graph_tasks_limit() tasks (CASCADE_GRAPH_TASKS) they
wait for the analyst to ask (at a nation-year, loading the graph takes about a minute and GBs).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (answer, data_dir, error_text, graph, lang, project, query_version, show_table,
                              store_dir, term, tr)
from core.errors import CascadeError
from queries.backend import graph_tasks_limit
from queries.view import coverage_per_level



@st.cache_data(show_spinner=False, max_entries=4)
def _aggregates(store: str, version: str) -> dict:
    return project().store_overview()


def aggregates() -> dict:
    """The store's overview numbers; one line and a hint to build when there is no store."""
    try:
        with st.spinner(tr("common.loading")):
            return _aggregates(str(store_dir()), query_version())
    except CascadeError as err:
        st.error(error_text(err))
        st.caption(tr("common.build_hint", data=data_dir(), store=store_dir()))
        st.stop()


agg = aggregates()
st.title(tr("app.title"))
st.caption(tr("overview.caption", store=store_dir(), data=data_dir()))

counts = agg["counts"]
cols = st.columns(6)
for col, (key, name) in zip(cols, [("Document", "documents"), ("Section", "sections"), ("Task", "tasks"),
                                   ("Unit", "units"), ("DERIVED_FROM", "task_links"),
                                   ("IMPLEMENTS", "document_links")]):
    col.metric(tr(f"overview.metric.{name}"), counts.get(key, 0))

# The graph-wide analyses: at once for a graph that loads in seconds, on request above that.
whole_graph = counts.get("Task", 0) <= graph_tasks_limit() or st.session_state.get("ov_whole_graph")
if not whole_graph:
    st.info(tr("overview.large_store", tasks=counts.get("Task", 0)))
    if st.button(tr("overview.load_graph"), key="ov_load_graph"):
        st.session_state["ov_whole_graph"] = True
        st.rerun()
G = graph() if whole_graph else None

left, right = st.columns(2)
with left:
    st.subheader(tr("overview.per_level_year"))
    per = pd.DataFrame(agg["per_level_year"])
    if per.empty:
        st.info(tr("overview.no_documents"))
    else:
        per["level"] = per["level"].map(lambda v: term("level", v))
        table = per.pivot_table(index="level", columns="year", values="documents", sort=False).fillna(0).astype(int)
        table.index.name, table.columns.name = tr("col.level"), tr("col.year")
        st.dataframe(table, width="stretch")
with right:
    st.subheader(tr("overview.coverage_per_level"))
    rows = answer("coverage") if whole_graph else None
    if not whole_graph:
        st.caption(tr("overview.needs_graph"))
    elif rows is not None:
        per_level = pd.DataFrame(coverage_per_level(G, rows))
        if per_level.empty:
            st.info(tr("overview.no_coverage"))
        else:
            import altair as alt

            # Every status the analysis gives is drawn (a new one in grey, under its own name).
            known = ["covered", "gap", "not_assessable", "not_applicable", "local"]
            statuses = [s for s in known if s in per_level] + \
                [c for c in per_level.columns if c not in known and c != "level"]
            colours = {"covered": "#27ae60", "gap": "#c0392b", "not_assessable": "#f1c40f",
                       "not_applicable": "#95a5a6", "local": "#2980b9"}
            names = [term("status", s) for s in statuses]
            long = per_level.assign(level=per_level["level"].map(lambda v: term("level", v))).melt(
                id_vars="level", value_vars=statuses, var_name="status", value_name="count")
            long["order"] = long["status"].map(statuses.index)
            long["status"] = long["status"].map(lambda s: term("status", s))
            lv, st_, n_ = tr("col.level"), tr("col.status"), tr("col.count")
            long = long.rename(columns={"level": lv, "status": st_, "count": n_})
            st.altair_chart(alt.Chart(long).mark_bar().encode(
                x=alt.X(f"{lv}:N", sort=[term("level", v) for v in per_level["level"]], title=None,
                        axis=alt.Axis(labelAngle=0)),
                y=alt.Y(f"{n_}:Q", title=tr("overview.chart_y")),
                color=alt.Color(f"{st_}:N", title=tr("col.status"),
                                scale=alt.Scale(domain=names, range=[colours.get(s, "#7f8c8d") for s in statuses])),
                order=alt.Order("order:Q"), tooltip=[lv, st_, n_],
            ).properties(height=300).configure(font="Noto Sans CJK SC, Microsoft YaHei, sans-serif"), width="stretch")
            st.caption(tr("overview.coverage_caption"))
        open_items = sum(r["status"] in ("gap", "not_assessable") for r in rows)
        if open_items:     # from the count to the rows: who must act on each, and the analyst's verdict
            st.page_link("app_pages/worklist.py", icon=":material/checklist:",
                         label=tr("overview.to_worklist", gaps=sum(r["status"] == "gap" for r in rows),
                                  unknown=sum(r["status"] == "not_assessable" for r in rows)))

st.subheader(tr("overview.documents"))
show_table(pd.DataFrame(agg["documents"]),
           column_config={"truncated": st.column_config.CheckboxColumn(tr("col.truncated"))})

st.subheader(tr("overview.parse_warnings"))
if not whole_graph:
    st.caption(tr("overview.needs_graph"))
else:
    from cascade.i18n import reason_text
    from cascade.report_rows import doc_names

    names = doc_names(G)    # a check names a document by its title, not its id
    issues = [{**i.as_dict(), "message": reason_text(i.message, lang(), names)} for i in answer("check") or []]
    frame = pd.DataFrame(issues)
    if frame.empty:
        st.success(tr("overview.no_issues"))
    else:
        parse = frame[frame["code"].isin(["truncated-document", "unresolved-unit"])] if "code" in frame else frame
        if parse.empty:
            st.success(tr("overview.all_read"))
        else:
            show_table(parse)
        if "code" in frame:
            rest = frame[~frame.index.isin(parse.index)]
            with st.expander(tr("overview.other_checks", n=len(rest), which="，".join(
                    f"{term('check', c)} {n}" for c, n in rest["code"].value_counts().items()))):
                show_table(rest)

calendar = answer("deadline_calendar") if whole_graph else None
if calendar:
    with st.expander(tr("overview.calendar", n=len(calendar))):
        show_table(pd.DataFrame(calendar).assign(units=lambda f: f["units"].map("、".join)),
                   column_config={"text": st.column_config.TextColumn(tr("col.text"), width="large")})
