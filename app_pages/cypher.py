"""Cypher: a read-only console on the embedded store, with the saved queries."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import CascadeError
from app_pages.common import asks_store, error_text, graph, lang, project, tr
from cascade import i18n
from queries.cypher import saved_queries

if not asks_store():
    graph()   # a small store: stops the page with a clear message when there is none
st.title(tr("nav.cypher"))
st.caption(tr("cypher.caption"))

saved = saved_queries()


def saved_title(name: str) -> str:
    """The catalogue's short title of a saved query (``cypher.q.<name>``), else the file's own first sentence."""
    return tr(f"cypher.q.{name}") if i18n.has(f"cypher.q.{name}", lang()) else saved[name]["title"].split(". ")[0]

choices = ["(your own)"] + list(saved)
pick = st.selectbox(tr("cypher.saved"), choices, key="q_saved",
                    format_func=lambda k: tr("cypher.own") if k not in saved else f"{k} — {saved_title(k)}")
default = saved[pick]["query"] if pick in saved else "MATCH (d:Document) RETURN d.level, count(*) AS documents"
if st.session_state.get("_q_loaded") != pick:   # loading a saved query replaces the editor's text
    st.session_state["q_text"] = default
    st.session_state["_q_loaded"] = pick
query = st.text_area(tr("cypher.query"), key="q_text", height=160)
limit = st.number_input(tr("cypher.limit"), min_value=1, max_value=100_000, value=5000, step=500, key="q_limit")

if st.button(tr("cypher.run"), type="primary", shortcut="Ctrl+Enter", key="q_run") or st.session_state.get("q_result_for") == query:
    try:
        columns, rows = project().cypher(query, None, int(limit))
    except CascadeError as err:
        st.error(error_text(err))
        st.session_state.pop("q_result_for", None)
    else:
        st.session_state["q_result_for"] = query
        frame = pd.DataFrame([[c if isinstance(c, (str, int, float, bool, type(None))) else str(c) for c in r]
                              for r in rows], columns=columns)
        st.caption(tr("cypher.rows", n=len(frame)) + (tr("cypher.limit_reached") if len(frame) >= int(limit) else ""))
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button(tr("cypher.download"), frame.to_csv(index=False).encode("utf-8-sig"), file_name="query.csv",
                           mime="text/csv", key="q_csv")
