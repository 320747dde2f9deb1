"""Documents: add files (checked, saved under the data folder), rebuild with a progress bar, and take
the report away.

Above the size the graph loads at (``common.asks_store``) the table of documents is asked of the store,
filtered there and shown a page at a time, and the report is that of one region and what lies below it,
read from the store (:mod:`queries.documents_store`)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cascade import i18n
from core.errors import CascadeError
from cascade.uploads import MAX_UPLOAD_MB, guess_metadata, rebuild, record_metadata, save_uploads
from core.archives import ARCHIVE_SUFFIXES
from loaders import SUPPORTED
from app_pages.common import (asks_store, data_dir, error_text, graph_or_none, lang, project, show_table, store_answer,
                              store_dir, store_version, term, tr)
from cascade.report import REPORT_MIME
from queries.overview import documents_table

st.title(tr("nav.documents"))

st.subheader(tr("documents.add"))
st.caption(tr("documents.add_caption", data=data_dir(), mb=MAX_UPLOAD_MB))
files = st.file_uploader(tr("documents.files"), type=[s.lstrip(".") for s in SUPPORTED + ARCHIVE_SUFFIXES], accept_multiple_files=True,
                         max_upload_size=MAX_UPLOAD_MB, key="d_files")
replace = st.checkbox(tr("documents.replace"), key="d_replace")


def do_rebuild() -> None:
    bar = st.progress(0.0, text=tr("documents.reading"))

    def progress(i: int, n: int, name: str) -> None:
        bar.progress(min(i / n, 1.0) if n else 1.0, text=tr("documents.reading_one", name=name, i=i + 1, n=n) if name
                     else tr("documents.linking"))

    try:
        result = rebuild(data_dir(), store_dir(), progress)
    except CascadeError as err:
        bar.empty()
        st.error(tr("documents.rebuild_failed", error=error_text(err)))
        return
    bar.progress(1.0, text=tr("documents.done"))
    # in the words `cascade build` says it (documents, sections, tasks, units, links), not graph nodes
    counts = project().counts()
    st.success(tr("documents.rebuilt", documents=counts.get("Document", 0), sections=counts.get("Section", 0),
                  tasks=counts.get("Task", 0), units=counts.get("Unit", 0), links=counts.get("links", 0)))
    for p in result.problems:
        (st.error if p.severity == "error" else st.warning)(
            tr("documents.skipped" if p.severity == "error" else "documents.warning",
               problem=i18n.problem_text(str(p), lang())))
    st.session_state["d_rebuilt"] = store_version()


if st.button(tr("documents.save"), type="primary", disabled=not files, key="d_save"):
    saved = []
    for f in files or []:
        try:
            these, refused = save_uploads(f.name, f.getvalue(), data_dir(), overwrite=replace)
        except CascadeError as err:
            st.error(error_text(err))
            continue
        saved += these
        for err in refused:    # a zip's members that are no document: named, the others still saved
            st.warning(error_text(err))
    if saved:
        st.success(tr("documents.saved", files="、".join(f"`{p.name}`" for p in saved)))
        do_rebuild()
        # the files of an earlier upload whose details were not saved yet keep their form
        earlier = [p for p in st.session_state.get("d_pending") or [] if Path(p).exists()]
        st.session_state["d_pending"] = list(dict.fromkeys(earlier + [str(p) for p in saved]))

# What the user knows of each new file (level, region, year, parent), pre-filled from its text; kept in
# the manifest, so a parent named here is used before any inference, at every rebuild.
pending = st.session_state.get("d_pending") or []
if pending:
    from core.records import LEVELS

    from app_pages.common import doc_name

    if asks_store():     # the parents to choose from without loading the graph (no guess from its titles)
        G_now, docs_now = None, sorted(r["id"] for r in store_answer("document_table", (), (), ()) or [])
    else:
        G_now = graph_or_none()
        docs_now = sorted(n for n, d in G_now.nodes(data=True) if d.get("label") == "Document") \
            if G_now is not None else []
    st.subheader(tr("documents.details"))
    st.caption(tr("documents.details_caption"))
    for i, path in enumerate(pending):
        guess = guess_metadata(path, G_now)
        with st.form(key=f"d_meta_{i}"):
            st.markdown(f"**{Path(path).name}**" + (f" · {guess['title']}" if guess.get("title") else ""))
            c = st.columns(4)
            level = c[0].selectbox(tr("col.level"), ["", *LEVELS], key=f"d_level_{i}",
                                   index=([""] + list(LEVELS)).index(guess.get("level") or ""),
                                   format_func=lambda v: i18n.term("level", v, lang()) if v else "—")
            region = c[1].text_input(tr("col.region"), value=guess.get("region") or "", key=f"d_region_{i}")
            year = c[2].number_input(tr("col.year"), min_value=0, max_value=2100, step=1, key=f"d_year_{i}",
                                     value=int(guess.get("year") or 0))
            issuer = c[3].text_input(tr("documents.issuer"), value=guess.get("issuer") or "", key=f"d_issuer_{i}")
            options = ["", *docs_now]
            parent = st.selectbox(tr("documents.parent"), options, key=f"d_parent_{i}",
                                  index=options.index(guess["parent"]) if guess.get("parent") in options else 0,
                                  format_func=lambda d: (doc_name(G_now, d) if G_now is not None else d) if d
                                  else tr("documents.parent_infer"))
            if guess.get("cited"):
                st.caption(tr("documents.cited", cited="；".join(guess["cited"][:6])))
            if st.form_submit_button(tr("documents.save_details")):
                meta = {"level": level or None, "region": region.strip() or None, "year": int(year) or None,
                        "issuer": issuer.strip() or None, "parents": [parent] if parent else None}
                try:
                    record_metadata(data_dir(), path, meta)
                except (CascadeError, OSError, ValueError) as err:
                    st.error(error_text(err) if isinstance(err, CascadeError) else str(err))
                else:
                    st.session_state["d_pending"] = [p for p in pending if p != path]
                    do_rebuild()

if st.button(tr("documents.rebuild"), key="d_rebuild"):
    do_rebuild()

PAGE = 50


def from_store() -> None:
    """The documents as the store gives them, filtered by the store, a page at a time; the report of one
    region (and what lies below it), read from the store."""
    from core.records import LEVELS

    everything = store_answer("document_table", (), (), (), True)
    if everything is None:
        return
    c1, c2, c3, c4 = st.columns([1, 2, 1, 1])
    levels = c1.multiselect(tr("col.level"), [lvl for lvl in LEVELS if any(r["level"] == lvl for r in everything)],
                            key="d_level", placeholder=tr("common.choose"), format_func=lambda v: term("level", v))
    regions = c2.multiselect(tr("col.region"), sorted({r["region"] for r in everything if r["region"]}),
                             key="d_region", placeholder=tr("common.choose"))
    years = c3.multiselect(tr("col.year"), sorted({r["year"] for r in everything if r["year"]}, reverse=True),
                           key="d_year", placeholder=tr("common.choose"))
    rows = store_answer("document_table", tuple(years), tuple(levels), tuple(regions), True) if levels or regions or years \
        else everything
    if rows is None:
        return
    pages = max(1, -(-len(rows) // PAGE))
    page = c4.number_input(tr("units.page"), min_value=1, max_value=pages, value=1, step=1, key="d_page")
    st.caption(tr("documents.from_store", n=len(rows), size=PAGE))
    shown = rows[(page - 1) * PAGE:page * PAGE]
    st.caption(tr("documents.page_of", first=(page - 1) * PAGE + 1 if shown else 0,
                  last=(page - 1) * PAGE + len(shown), total=len(rows)))
    show_table(pd.DataFrame(shown, columns=["id", "level", "region", "year", "title", "tasks", "linked_tasks",
                                            "required", "taken", "share", "truncated"]),
               column_config={"share": st.column_config.NumberColumn(tr("col.share"), format="percent"),
                              "truncated": st.column_config.CheckboxColumn(tr("col.truncated"))})
    st.subheader(tr("documents.report"))
    # A region's report reads only its documents and the plans above them from the store
    # (queries/documents_store.py); the whole nation-year's would need the whole graph.
    if len(regions) != 1:
        st.info(tr("documents.report_choose_region"))
        return
    report_button(region=regions[0], levels=tuple(levels), years=tuple(years))


def report_button(**scope) -> None:
    """The report's format, the button that prepares it (of the documents ``scope`` names, when given) and
    the download, once prepared."""
    fmt = st.radio(tr("documents.format"), list(REPORT_MIME), horizontal=True, key="d_fmt",
                   format_func=lambda f: tr(f"documents.format.{f}"))
    label = tr("documents.prepare_region", region=scope["region"]) if scope else tr("documents.prepare")
    if st.button(label, key="d_report"):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"report.{fmt}"
            try:
                project().report(out, fmt, lang=lang(), **scope)
            except CascadeError as err:
                st.error(error_text(err))
            else:
                st.session_state["d_report_file"] = (fmt, out.read_bytes())
    ready = st.session_state.get("d_report_file")
    if ready:
        kind, data = ready
        st.download_button(tr("documents.download", kind=kind, kb=len(data) // 1024), data,
                           file_name=f"cascade-report.{kind}",
                           mime=REPORT_MIME[kind], key="d_download")


st.subheader(tr("documents.in_store"))
if asks_store():
    from_store()
    st.stop()
G = graph_or_none()
if G is not None:
    show_table(pd.DataFrame(documents_table(G)))

    st.subheader(tr("documents.report"))
    report_button()
