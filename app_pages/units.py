"""Units: workload per responsible unit and level, and what one unit leads, implements, cooperates on."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import analysis, graph

G = graph()
st.title("Units")

rows = analysis("queries.workload", "workload")
if rows is None:
    st.stop()
frame = pd.DataFrame(rows)
if frame.empty:
    st.info("No task is assigned to a unit yet.")
    st.stop()

c1, c2 = st.columns([1, 2])
levels = c1.multiselect("Level of the assigning document", sorted(frame["level"].dropna().unique()), key="u_level")
name_filter = c2.text_input("Unit name contains", key="u_name")
view = frame
if levels:
    view = view[view["level"].isin(levels)]
if name_filter.strip():
    view = view[view["name"].fillna("").str.contains(name_filter.strip(), regex=False)]

roles = [r for r in ("lead", "implement", "cooperate", "support") if r in view]
st.subheader(f"Workload ({len(view)} unit·level rows)")
top = view.head(20)
if not top.empty:
    import altair as alt

    long = (top.assign(label=top["name"] + " · " + top["level"].fillna(""))
            .melt(id_vars=["label", "total"], value_vars=roles, var_name="role", value_name="tasks"))
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("total", order="descending"), title=None,
                axis=alt.Axis(labelLimit=360)),
        x=alt.X("tasks:Q", title="tasks", stack="zero"),
        color=alt.Color("role:N", scale=alt.Scale(domain=["lead", "implement", "cooperate", "support"],
                                                  range=["#c0392b", "#2980b9", "#7fb3d5", "#bdc3c7"])),
        order=alt.Order("role_order:Q"),
        tooltip=["label", "role", "tasks", "total"],
    ).transform_calculate(role_order="indexof(['lead', 'implement', 'cooperate', 'support'], datum.role)"
                          ).properties(height=max(240, 24 * len(top)))
    st.altair_chart(chart, width="stretch")
    st.caption("The 20 units with most tasks under these filters; the table has them all.")
st.dataframe(view, hide_index=True, width="stretch")

st.subheader("One unit")
units = list(dict.fromkeys(view["unit"]))
if units:
    names = dict(zip(frame["unit"], frame["name"]))
    unit = st.selectbox("Unit", units, format_func=lambda u: names.get(u) or u, key="u_pick")
    st.page_link("app_pages/cascade.py", label="Show this unit and its tasks in the cascade",
                 icon=":material/account_tree:", query_params={"q": unit})
    tasks = pd.DataFrame(analysis("queries.workload", "unit_tasks", unit) or [])
    if tasks.empty:
        st.info("No tasks.")
    else:
        present = [r for r in ("lead", "implement", "cooperate", "support") if r in set(tasks["role"])]
        tabs = st.tabs([f"{r} ({int((tasks['role'] == r).sum())})" for r in present] + ["all"])
        for tab, role in zip(tabs, present + ["all"]):
            with tab:
                part = tasks if role == "all" else tasks[tasks["role"] == role]
                st.dataframe(part, hide_index=True, width="stretch",
                             column_config={"text": st.column_config.TextColumn("text", width="large")})
