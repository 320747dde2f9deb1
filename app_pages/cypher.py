"""Cypher: a read-only console on the embedded store, with the saved queries."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.errors import CascadeError
from app_pages.common import graph, store_dir
from queries.cypher import run_cypher, saved_queries

graph()   # stops the page with a clear message when there is no store
st.title("Cypher")
st.caption("Read-only: write clauses are refused before the query reaches the engine, and the engine is "
           "opened read-only. Write the `CONTAINS` property `order` as ``r.`order` ``.")

saved = saved_queries()
choices = ["(your own)"] + list(saved)
pick = st.selectbox("Saved query", choices, key="q_saved",
                    format_func=lambda k: k if k not in saved else f"{k} — {saved[k]['title']}")
default = saved[pick]["query"] if pick in saved else "MATCH (d:Document) RETURN d.level, count(*) AS documents"
if st.session_state.get("_q_loaded") != pick:   # loading a saved query replaces the editor's text
    st.session_state["q_text"] = default
    st.session_state["_q_loaded"] = pick
query = st.text_area("Query", key="q_text", height=160)
limit = st.number_input("At most rows", min_value=1, max_value=100_000, value=5000, step=500, key="q_limit")

if st.button("Run", type="primary", shortcut="Ctrl+Enter", key="q_run") or st.session_state.get("q_result_for") == query:
    try:
        columns, rows = run_cypher(store_dir(), query, None, limit=int(limit))
    except CascadeError as err:
        st.error(str(err))
        st.session_state.pop("q_result_for", None)
    else:
        st.session_state["q_result_for"] = query
        frame = pd.DataFrame([[c if isinstance(c, (str, int, float, bool, type(None))) else str(c) for c in r]
                              for r in rows], columns=columns)
        st.caption(f"{len(frame)} row(s)" + (" (limit reached)" if len(frame) >= int(limit) else ""))
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8-sig"), file_name="query.csv",
                           mime="text/csv", key="q_csv")
