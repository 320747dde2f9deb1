"""The Streamlit app: explore the cascade built by `cascade build` (reads the store, computes nothing itself)."""
from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from cascade.errors import CascadeError
from cascade.graphview import render_html
from graph.store import load_graph
from queries.overview import documents_per_level, documents_table, label_counts

STORE = os.environ.get("CASCADE_STORE", ".cascade")

st.set_page_config(page_title="Policy cascade", layout="wide")


@st.cache_resource(show_spinner=False)
def _graph(store: str, version: str):
    return load_graph(store)


def _version(store: str) -> str:
    from graph.store import current_version

    v = current_version(store)
    return v.name if v else ""


st.title("Policy cascade")
try:
    G = _graph(STORE, _version(STORE))
except CascadeError as err:
    st.error(str(err))
    st.stop()

counts = label_counts(G)
cols = st.columns(5)
for col, key in zip(cols, ["Document", "Section", "Task", "Unit", "DERIVED_FROM"]):
    col.metric(key if key != "DERIVED_FROM" else "Links", counts.get(key, 0))

st.subheader("Documents per level")
st.bar_chart(pd.Series(documents_per_level(G), name="documents"))
st.dataframe(pd.DataFrame(documents_table(G)), hide_index=True, width="stretch")

st.subheader("Cascade (documents and sections)")
nodes = [n for n, d in G.nodes(data=True) if d.get("label") in ("Document", "Section")]
page, left_out = render_html(G, nodes, height="520px")
if left_out:
    st.caption(f"{left_out} nodes left out of the view (cap)")
st.iframe(page, height=540)
