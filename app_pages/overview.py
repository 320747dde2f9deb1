"""Overview: what is in the store, what went wrong reading it, and how much of each level is covered."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import analysis, data_dir, graph, optional, store_dir
from queries.overview import documents_table, label_counts
from queries.view import coverage_per_level, documents_by_level_year

G = graph()
st.title("Policy cascade")
st.caption(f"Store `{store_dir()}` · documents from `{data_dir()}/`")

counts = label_counts(G)
cols = st.columns(6)
for col, (key, name) in zip(cols, [("Document", "Documents"), ("Section", "Sections"), ("Task", "Tasks"),
                                   ("Unit", "Units"), ("DERIVED_FROM", "Task links"), ("IMPLEMENTS", "Document links")]):
    col.metric(name, counts.get(key, 0))

left, right = st.columns(2)
with left:
    st.subheader("Documents per level and year")
    per = pd.DataFrame(documents_by_level_year(G))
    if per.empty:
        st.info("No documents in the store.")
    else:
        st.dataframe(per.pivot_table(index="level", columns="year", values="documents", sort=False).fillna(0).astype(int),
                     width="stretch")
with right:
    st.subheader("Coverage per level")
    rows = analysis("queries.gaps", "coverage")
    if rows is not None:
        per_level = pd.DataFrame(coverage_per_level(G, rows))
        if per_level.empty:
            st.info("No lower document implements an upper one yet, so there is no coverage to show.")
        else:
            import altair as alt

            statuses = ["covered", "gap", "not_assessable", "not_applicable", "local"]
            long = per_level.melt(id_vars="level", value_vars=statuses, var_name="status", value_name="count")
            st.altair_chart(alt.Chart(long).mark_bar().encode(
                x=alt.X("level:N", sort=list(per_level["level"]), title=None, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("count:Q", title="requirements / tasks"),
                color=alt.Color("status:N", scale=alt.Scale(domain=statuses,
                                                            range=["#27ae60", "#c0392b", "#f1c40f", "#95a5a6", "#2980b9"])),
                order=alt.Order("order:Q"), tooltip=["level", "status", "count"],
            ).transform_calculate(order="indexof(['covered', 'gap', 'not_assessable', 'not_applicable', 'local'], "
                                        "datum.status)"
                                  ).properties(height=300), width="stretch")
            st.caption("Per level of the lower document: upper requirements it covered, left as gaps, that "
                       "cannot be judged from what is held (not_assessable: 无法判断), that did not apply to it, "
                       "and its own local additions.")

st.subheader("Documents")
st.dataframe(pd.DataFrame(documents_table(G)), hide_index=True, width="stretch",
             column_config={"truncated": st.column_config.CheckboxColumn("truncated")})

st.subheader("Parse warnings")
if optional("queries.checks", "check") is not None:
    issues = [i.as_dict() if hasattr(i, "as_dict") else {"severity": getattr(i, "severity", None), "message": str(i)}
              for i in analysis("queries.checks", "check") or []]
    frame = pd.DataFrame(issues)
    if frame.empty:
        st.success("No issues found.")
    else:
        parse = frame[frame["code"].isin(["truncated-document", "unresolved-unit"])] if "code" in frame else frame
        if parse.empty:
            st.success("Every document was read whole and every unit resolved.")
        else:
            st.dataframe(parse, hide_index=True, width="stretch")
        if "code" in frame:
            rest = frame[~frame.index.isin(parse.index)]
            with st.expander(f"Other checks ({len(rest)}: " + ", ".join(f"{c} {n}" for c, n in
                                                                       rest["code"].value_counts().items()) + ")"):
                st.dataframe(rest, hide_index=True, width="stretch")
else:
    # Before queries.checks exists: what the loaders recorded on each document.
    warned = [r for r in documents_table(G) if r["truncated"] or r["warnings"]]
    if warned:
        st.dataframe(pd.DataFrame(warned)[["id", "truncated", "warnings"]], hide_index=True, width="stretch")
    else:
        st.success("Every document was read whole.")

calendar = analysis("queries.calendar", "deadline_calendar", say_missing=False)
if calendar:
    with st.expander(f"Deadline calendar ({len(calendar)} deadlines, dated first, soonest first)"):
        st.dataframe(pd.DataFrame(calendar).assign(units=lambda f: f["units"].map("、".join)),
                     hide_index=True, width="stretch",
                     column_config={"text": st.column_config.TextColumn("text", width="large")})
