"""Units: workload per responsible unit and level, and what one unit leads, implements, cooperates on."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import answer, asks_store, graph, show_table, store_answer, term, tr
from core.records import LEVELS

PAGE = 50
ROLES = ["lead", "implement", "cooperate", "support"]


def chart(top: pd.DataFrame, roles: list[str]) -> None:
    """Stacked bars of the units with most tasks (``top``: workload rows with name, level, total, roles)."""
    import altair as alt

    u_, r_, n_, tot_ = tr("col.unit"), tr("col.role"), tr("col.tasks"), tr("col.total")
    long = (top.assign(label=top["name"] + " · " + top["level"].map(lambda v: term("level", v)))
            .melt(id_vars=["label", "total"], value_vars=roles, var_name="role", value_name="tasks"))
    long["role_order"] = long["role"].map(ROLES.index)
    long["role"] = long["role"].map(lambda v: term("role_unit", v))
    long = long.rename(columns={"label": u_, "role": r_, "tasks": n_, "total": tot_})
    st.altair_chart(alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{u_}:N", sort=alt.EncodingSortField(tot_, order="descending"), title=None,
                axis=alt.Axis(labelLimit=360)),
        x=alt.X(f"{n_}:Q", title=tr("col.tasks"), stack="zero"),
        color=alt.Color(f"{r_}:N", title=tr("col.role"),
                        scale=alt.Scale(domain=[term("role_unit", r) for r in ROLES],
                                        range=["#c0392b", "#2980b9", "#7fb3d5", "#bdc3c7"])),
        order=alt.Order("role_order:Q"),
        tooltip=[u_, r_, n_, tot_],
    ).properties(height=max(240, 24 * len(top))).configure(font="Noto Sans CJK SC, Microsoft YaHei, sans-serif"),
        width="stretch")


def role_tabs(tasks: pd.DataFrame) -> None:
    """One unit's tasks, a tab per role it holds and one with all."""
    if "via" in tasks:   # no collective between: the unit is named itself (a blank cell read as "None")
        tasks = tasks.assign(via=tasks["via"].fillna(tr("units.direct")))
    present = [r for r in ROLES if r in set(tasks["role"])]
    tabs = st.tabs([f"{term('role_unit', r)}（{int((tasks['role'] == r).sum())}）" for r in present]
                   + [tr("units.all")])
    for tab, role in zip(tabs, present + ["all"]):
        with tab:
            part = tasks if role == "all" else tasks[tasks["role"] == role]
            show_table(part, column_config={"text": st.column_config.TextColumn(tr("col.text"), width="large")})


def from_store() -> None:
    """The workload a page at a time from the store (a Bolt server, or a store too large to load), merged
    as on the graph: the accountable units, then the collectives; no graph is loaded."""
    st.caption(tr("units.from_store"))
    c1, c2, c3 = st.columns([1, 2, 1])
    level = c1.selectbox(tr("units.level"), ["", *LEVELS], key="u_level_one",
                         format_func=lambda v: term("level", v) if v else tr("units.all"))
    name = c2.text_input(tr("units.name_contains"), key="u_name").strip()
    page = c3.number_input(tr("units.page"), min_value=1, value=1, step=1, key="u_page")
    found = store_answer("workload", (page - 1) * PAGE, PAGE, level or None, name or None)
    if found is None:
        st.stop()
    total, frame = found["total"], pd.DataFrame(found["rows"])
    collectives = pd.DataFrame(found["collectives"])
    st.subheader(tr("units.workload", n=total))
    if frame.empty and collectives.empty:
        st.info(tr("units.none"))
        st.stop()
    if not frame.empty:
        if page == 1:
            chart(frame.head(20), ROLES)
            st.caption(tr("units.top_caption"))
        st.caption(tr("units.page_of", first=(page - 1) * PAGE + 1, last=(page - 1) * PAGE + len(frame), total=total))
        show_table(frame[["name", "level", "total", *ROLES, "via_collective"]])
    if not collectives.empty:
        st.subheader(tr("units.collectives", n=len(collectives)))
        st.caption(tr("units.collectives_caption"))
        show_table(collectives.assign(merged=collectives["merged"].map("、".join))[
            ["name", "level", "total", *ROLES, "merged"]])
    st.subheader(tr("units.one"))
    both = pd.concat([frame, collectives])
    names = dict(zip(both["unit"], both["name"]))
    unit = st.selectbox(tr("cascade.unit"), list(names), format_func=lambda u: names.get(u) or u, key="u_pick")
    tasks = pd.DataFrame(store_answer("unit_tasks", unit) or [])
    if tasks.empty:
        st.info(tr("units.no_tasks"))
    else:
        role_tabs(tasks)


st.title(tr("nav.units"))
if asks_store():
    from_store()
    st.stop()
G = graph()

rows = answer("workload", True)     # 街镇 counted under 各街镇
if rows is None:
    st.stop()
frame = pd.DataFrame(rows)
if frame.empty:
    st.info(tr("units.none"))
    st.stop()

c1, c2 = st.columns([1, 2])
levels = c1.multiselect(tr("units.level"), sorted(frame["level"].dropna().unique()), key="u_level", placeholder=tr("common.choose"),
                        format_func=lambda v: term("level", v))
name_filter = c2.text_input(tr("units.name_contains"), key="u_name")
view = frame
if levels:
    view = view[view["level"].isin(levels)]
if name_filter.strip():
    view = view[view["name"].fillna("").str.contains(name_filter.strip(), regex=False)]

roles = [r for r in ("lead", "implement", "cooperate", "support") if r in view]
# Accountable units first: a collective (各部门, 各街镇 …) is no one an office can hold to account.
collective = view["collective"] if "collective" in view else pd.Series(False, index=view.index)
collectives, view = view[collective.astype(bool)], view[~collective.astype(bool)]
st.subheader(tr("units.workload", n=len(view)))
top = view.head(20)
if not top.empty:
    chart(top, roles)
    st.caption(tr("units.top_caption"))
order = ["name", "level", "total", "lead", "implement", "cooperate", "support", "via_collective", "merged"]
joined = lambda m: "、".join(m) if isinstance(m, list) else ""  # noqa: E731
show_table(view.assign(merged=view["merged"].map(joined) if "merged" in view else "")[[c for c in order if c in view]])
if not collectives.empty:
    st.subheader(tr("units.collectives", n=len(collectives)))
    st.caption(tr("units.collectives_caption"))
    show_table(collectives.assign(merged=collectives["merged"].map(joined))[
        [c for c in order if c in collectives and c != "via_collective"]])
view = pd.concat([view, collectives])

st.subheader(tr("units.one"))
units = list(dict.fromkeys(view["unit"]))
if units:
    names = dict(zip(frame["unit"], frame["name"]))
    unit = st.selectbox(tr("cascade.unit"), units, format_func=lambda u: names.get(u) or u, key="u_pick")
    st.page_link("app_pages/cascade.py", label=tr("units.show_in_cascade"),
                 icon=":material/account_tree:", query_params={"q": unit})
    tasks = pd.DataFrame(answer("unit_tasks", unit) or [])
    if tasks.empty:
        st.info(tr("units.no_tasks"))
    else:
        role_tabs(tasks)
