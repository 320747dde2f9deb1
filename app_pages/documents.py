"""Documents: add files (checked, saved under the data folder), rebuild with a progress bar, and take
the report away."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cascade.errors import CascadeError
from cascade.uploads import MAX_UPLOAD_MB, rebuild, save_upload
from loaders import SUPPORTED
from app_pages.common import data_dir, graph_or_none, optional, store_dir, store_version
from queries.overview import documents_table

st.title("Documents")

st.subheader("Add documents")
st.caption(f"Saved under `{data_dir()}/uploads/` (at most {MAX_UPLOAD_MB} MB each), then the whole folder "
           "is rebuilt with its manifest and the review decisions.")
files = st.file_uploader("Files", type=[s.lstrip(".") for s in SUPPORTED], accept_multiple_files=True,
                         max_upload_size=MAX_UPLOAD_MB, key="d_files")
replace = st.checkbox("Replace files with the same name", key="d_replace")


def do_rebuild() -> None:
    bar = st.progress(0.0, text="Reading documents…")

    def progress(i: int, n: int, name: str) -> None:
        bar.progress(min(i / n, 1.0) if n else 1.0, text=f"Reading {name} ({i + 1}/{n})" if name else "Linking…")

    try:
        result = rebuild(data_dir(), store_dir(), progress)
    except CascadeError as err:
        bar.empty()
        st.error(f"Rebuild failed, the previous store is unchanged: {err}")
        return
    bar.progress(1.0, text="Done")
    docs = sum(1 for _, d in result.graph.nodes(data=True) if d.get("label") == "Document")
    st.success(f"Rebuilt: {docs} documents, {result.graph.number_of_nodes()} nodes, "
               f"{result.graph.number_of_edges()} relationships.")
    for p in result.problems:
        (st.error if p.severity == "error" else st.warning)(str(p))
    st.session_state["d_rebuilt"] = store_version()


if st.button("Save and rebuild", type="primary", disabled=not files, key="d_save"):
    saved = []
    for f in files or []:
        try:
            saved.append(save_upload(f.name, f.getvalue(), data_dir(), overwrite=replace))
        except CascadeError as err:
            st.error(str(err))
    if saved:
        st.success("Saved " + ", ".join(f"`{p.name}`" for p in saved))
        do_rebuild()

if st.button("Rebuild from the data folder", key="d_rebuild"):
    do_rebuild()

st.subheader("In the store")
G = graph_or_none()
if G is not None:
    st.dataframe(pd.DataFrame(documents_table(G)), hide_index=True, width="stretch")

    st.subheader("Report")
    write_report = optional("cascade.report", "write_report")
    if write_report is None:
        st.info("`cascade.report.write_report` is not available in this version.")
    else:
        fmt = st.radio("Format", ["html", "xlsx"], horizontal=True, key="d_fmt",
                       format_func=lambda f: {"html": "HTML (coverage report)", "xlsx": "XLSX (台账 layout)"}[f])
        if st.button("Prepare the report", key="d_report"):
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / f"report.{fmt}"
                try:
                    write_report(G, out, fmt)
                except CascadeError as err:
                    st.error(str(err))
                else:
                    st.session_state["d_report_file"] = (fmt, out.read_bytes())
        ready = st.session_state.get("d_report_file")
        if ready:
            kind, data = ready
            st.download_button(f"Download report.{kind} ({len(data) // 1024} KB)", data, file_name=f"cascade-report.{kind}",
                               mime="text/html" if kind == "html" else
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="d_download")
