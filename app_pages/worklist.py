"""缺口 worklist: every gap and every requirement whose coverage cannot be judged, with who must act and
why, filterable, each one marked by the analyst (核实为缺口 / 已落实 with evidence / 不适用 with reason).

Marks go to ``<data>/marks.yaml`` through :func:`graph.marks.save_mark` (an atomic write), are read
again on every run (the counts change at once) and survive rebuilds: a mark names its row by the
requirement and the lower document, ids a rebuild keeps. The marked selection goes into the report.

Above the size the graph loads at (:func:`app_pages.common.asks_store`) the rows are the saved ``gaps``
and ``not_assessable`` queries, a page at a time, filtered by the store; every row of the page carries its
reason, evidence, who must act and what it waits for as the whole graph gives them (the page's pairs of
plans read from the store: :mod:`queries.coverage_store`); the marks work the same, and the export holds
the marked rows so too.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (answer, asks_store, error_text, esc, graph, lang, run, show_table, store_answer, term,
                              tr)
from core.errors import CascadeError
from cascade.i18n import reason_text
from cascade.report_rows import doc_names, names_of, waits_for_text, who_must_act
from graph.marks import MARKS_NAME, NEEDS_NOTE, VERDICTS, apply_marks, read_marks, save_mark

PAGE = 50


def marks_file():
    from app_pages.common import data_dir

    return data_dir() / MARKS_NAME


def mark(upper: str, lower_doc: str, verdict: str | None) -> None:
    try:
        save_mark(marks_file(), upper, lower_doc, verdict, st.session_state.get("w_note"))
    except (CascadeError, OSError) as err:
        st.session_state["w_error"] = error_text(err)
        return
    st.session_state["w_saved"] = (tr("worklist.withdrawn") if verdict is None else term("verdict", verdict))
    st.session_state["w_note"] = ""


def verdict_buttons(r: dict) -> None:
    """The evidence box and the verdict buttons for the row ``r`` (``upper``, ``lower_doc``, ``verdict``)."""
    st.text_input(tr("worklist.note"), key="w_note", placeholder=tr("worklist.note_help"))
    key = (r["upper"], r["lower_doc"])
    b = st.columns(4)
    b[0].button(term("verdict", "confirmed_gap"), key="w_confirm", on_click=mark, args=(*key, "confirmed_gap"),
                type="primary", width="stretch")
    b[1].button(term("verdict", "implemented"), key="w_done", on_click=mark, args=(*key, "implemented"),
                width="stretch")
    b[2].button(term("verdict", "not_applicable"), key="w_na", on_click=mark, args=(*key, "not_applicable"),
                width="stretch")
    b[3].button(tr("worklist.withdraw"), key="w_undo", on_click=mark, args=(*key, None), disabled=not r.get("verdict"),
                width="stretch")
    if st.session_state.get("w_error"):
        st.error(st.session_state.pop("w_error"))
    if st.session_state.get("w_saved"):
        st.toast(tr("worklist.saved", what=st.session_state.pop("w_saved")))


def row_links(upper: str, upper_doc: str, lower_doc: str) -> None:
    l1, l2, l3 = st.columns(3)
    l1.page_link("app_pages/trace.py", label=tr("worklist.to_trace"), icon=":material/timeline:",
                 query_params={"task": upper})
    l2.page_link("app_pages/cascade.py", label=tr("worklist.to_cascade"), icon=":material/account_tree:",
                 query_params={"q": upper, "depth": "2"})
    l3.page_link("app_pages/compare.py", label=tr("worklist.to_compare"), icon=":material/compare:",
                 query_params={"upper": upper_doc, "lower": lower_doc})


def report_format() -> str:
    return st.radio(tr("documents.format"), ["xlsx", "pdf"], horizontal=True, key="w_fmt",
                    format_func=lambda f: tr(f"documents.format.{f}"))


def download() -> None:
    if st.session_state.get("w_report_file"):
        from cascade.report import REPORT_MIME

        made = st.session_state.get("w_report_kind", "xlsx")
        st.download_button(tr("worklist.download", kind=made), st.session_state["w_report_file"],
                           file_name=f"report.{made}", key="w_download", mime=REPORT_MIME[made])


def from_store() -> None:
    """The gaps and the requirements that cannot be judged (无法判断), as the saved ``gaps`` and
    ``not_assessable`` queries give them, a page at a time with the filters applied by the store (a Bolt
    server, or a store too large to load): no graph is loaded."""
    st.caption(tr("worklist.from_store", file=marks_file()))
    marks = run(read_marks, marks_file()) or {}
    options = store_answer("gap_filters") or {"levels": [], "regions": []}
    status = st.radio(tr("worklist.status"), ["gap", "not_assessable"], key="w_status", horizontal=True,
                      format_func=lambda v: term("status", v))
    f = st.columns([1, 1, 2, 1])
    level = f[0].selectbox(tr("worklist.level"), ["", *options["levels"]], key="w_level_one",
                           format_func=lambda v: term("level", v) if v else tr("units.all"))
    region = f[1].selectbox(tr("worklist.region"), ["", *options["regions"]], key="w_region_one",
                            format_func=lambda v: v or tr("units.all"))
    words = f[2].text_input(tr("worklist.text_contains"), key="w_words").strip()
    page = int(f[3].number_input(tr("units.page"), min_value=1, value=1, step=1, key="w_page"))
    equal = {k: v for k, v in (("lower_level", level), ("lower_region", region)) if v} or None
    contains = {"text": words} if words else None
    # The first pages unfiltered are what a first render asks: their totals count every row, cached per version.
    gaps = store_answer("table", "gaps", 0, PAGE, None, None)
    unjudged = store_answer("table", "not_assessable", 0, PAGE, None, None)
    everything = gaps if status == "gap" else unjudged
    found = everything if (page, equal, contains) == (1, None, None) else \
        store_answer("table", "gaps" if status == "gap" else status, (page - 1) * PAGE, PAGE, equal, contains)
    if everything is None or found is None or unjudged is None or gaps is None:
        st.stop()
    verdicts = [m.get("verdict") for m in marks.values()]
    m = st.columns(5)
    m[0].metric(term("status", "gap"), gaps[0])
    m[1].metric(term("status", "not_assessable"), unjudged[0])
    m[2].metric(tr("worklist.marked"), len(marks))
    m[3].metric(term("verdict", "confirmed_gap"), verdicts.count("confirmed_gap"))
    m[4].metric(tr("worklist.settled"), sum(v in NEEDS_NOTE for v in verdicts))
    total, rows = found
    if not everything[0]:
        st.success(tr("worklist.empty_store" if status == "gap" else "worklist.empty_unjudged"))
    elif not rows:
        st.info(tr("worklist.none_match"))
    else:
        full = page_coverage(rows)
        for r in rows:
            r["verdict"] = (marks.get((r["upper"], r["lower_doc"])) or {}).get("verdict")
            r["full"] = full.get((r["upper"], r["lower_doc"])) or {}
        st.caption(tr("units.page_of", first=(page - 1) * PAGE + 1, last=(page - 1) * PAGE + len(rows), total=total))
        if not all(r["full"] for r in rows):
            st.caption(tr("worklist.who_issuer"))
        label = lambda r: f"《{r.get('lower_title') or r['lower_doc']}》 {r.get('lower_issuer') or ''}".strip()  # noqa: E731
        frame = pd.DataFrame([{"verdict": term("verdict", r["verdict"]) if r["verdict"] else "",
                               "number": r["number"], "upper": (r["text"] or "")[:80], "lower_doc": label(r),
                               "who": who_must_act(r["full"], lang()) or r.get("lower_issuer") or "",
                               **({"why": term("unjudged", r["why"]),
                                   "waits_for": waits_for_text(r["full"].get("waits_for"))}
                                  if status == "not_assessable" else {}),
                               "lower_level": r.get("lower_level"), "region": r.get("lower_region"),
                               "year": r.get("lower_year"), "upper_id": r["upper"]}
                              for r in rows])
        show_table(frame, column_config={"upper": st.column_config.TextColumn(tr("col.upper"), width="large")})
        store_row([dict(r, label=label(r)) for r in rows], marks)
    st.subheader(tr("worklist.hand_over"))
    if not marks:
        st.caption(tr("worklist.no_marks"))
        return
    kind = report_format()
    if st.button(tr("worklist.make_report_store", n=len(marks)), key="w_report"):
        from cascade.report_marked import marked_report

        selection = store_answer("marked", marks)
        if selection is not None:
            st.session_state["w_report_file"] = marked_report(selection, kind, lang())
            st.session_state["w_report_kind"] = kind
    download()


def page_coverage(rows: list[dict]) -> dict[tuple, dict]:
    """The page's rows as the whole graph gives them (status, reason, evidence, who must act, what a
    not-assessable row waits for), by (requirement, lower document): the pairs of plans the page shows,
    read from the store together and kept per version (:meth:`cascade.api.Cascade.store_pairs_coverage`)."""
    pairs = tuple(dict.fromkeys((r["upper_doc"], r["lower_doc"]) for r in rows))
    return {(x["upper"], x["lower_doc"]): x for found in store_answer("pairs_coverage", pairs) or [] for x in found}


def store_row(rows: list[dict], marks: dict) -> None:
    """One row of the page: the requirement, the lower document, who must act; its links and verdicts."""
    keys = [f"{r['upper']}\t{r['lower_doc']}" for r in rows]
    if st.session_state.get("w_row") not in keys:
        st.session_state["w_row"] = keys[0]
    choice = st.selectbox(tr("worklist.row"), keys, key="w_row",
                          format_func=lambda k: f"{rows[keys.index(k)]['upper']} → {rows[keys.index(k)]['label']}")
    r = rows[keys.index(choice)]
    held = store_answer("documents", (r["upper_doc"], r["lower_doc"])) or {}
    upper_doc = held.get(r["upper_doc"]) or {}
    names = names_of(held)      # the reasons name a document by its title, not its id
    task = (store_answer("tasks", (r["upper"],)) or {}).get(r["upper"]) or {}
    mark_of = marks.get((r["upper"], r["lower_doc"])) or {}
    full = r["full"]   # why it was owed and who must act, as the whole graph says (page_coverage)
    st.html(
        "<table style='width:100%;border-collapse:collapse' border='1' cellpadding='6'>"
        f"<tr><th style='width:9em'>{esc(tr('worklist.requirement'))}</th><td>{esc(upper_doc.get('title') or r['upper_doc'])}"
        f" #{esc(r['number'])}<br>{esc(r['text'])}</td></tr>"
        f"<tr><th>{esc(tr('worklist.lower'))}</th><td>{esc(r['label'])}</td></tr>"
        f"<tr><th>{esc(tr('col.who'))}</th><td><b>{esc(who_must_act(full, lang()) or r.get('lower_issuer') or '')}</b></td></tr>"
        f"<tr><th>{esc(tr('worklist.why'))}</th><td>"
        f"{esc(reason_text(full['reason'], lang(), names) if full.get('reason') else tr('worklist.why_store'))}</td></tr>"
        + (f"<tr><th>{esc(tr('report.col.waits_for'))}</th><td>{esc(reason_text(str(full['waits_for']), lang(), names))}"
           "</td></tr>" if full.get("waits_for") else "")
        + (f"<tr><th>{esc(tr('col.verdict'))}</th><td>{esc(term('verdict', r['verdict']))}"
           f"{'：' + esc(mark_of['note']) if mark_of.get('note') else ''}</td></tr>" if r.get("verdict") else "")
        + "</table>")
    row_links(r["upper"], r["upper_doc"], r["lower_doc"])
    with st.expander(tr("worklist.source")):
        st.caption(f"{upper_doc.get('source') or r['upper_doc']}"
                   + (f" · {tr('worklist.line', line=task['line'])}" if task.get("line") else ""))
        st.text(task.get("text") or r["text"] or "")
        for e in full.get("evidence") or []:
            if e.get("node") != r["upper"]:
                st.caption(e.get("doc"))
                st.text(e.get("text") or "")
    verdict_buttons(r)


st.title(tr("nav.worklist"))
if asks_store():
    from_store()
    st.stop()
G = graph()
names = doc_names(G)    # the reasons name a document by its title, not its id
st.caption(tr("worklist.caption", file=marks_file()))
rows = answer("coverage")
if rows is None:
    st.stop()
marks = run(read_marks, marks_file()) or {}
items = apply_marks(rows, marks)
if not items:
    st.success(tr("worklist.empty"))
    st.stop()


def doc_attr(doc: str, key: str):
    return (G.nodes.get(doc) or {}).get(key)


def lower_label(r: dict) -> str:
    title = r.get("lower_title") or doc_attr(r["lower_doc"], "title") or r["lower_doc"]
    return f"《{title}》 {r.get('lower_issuer') or ''}".strip()


def who_line(r: dict) -> str:
    return who_must_act(r, lang())


def upper_text(r: dict) -> str:
    d = G.nodes.get(r["upper"]) or {}
    return " ".join((d.get("text_norm") or d.get("text") or "").split())


# Counts first: what is open, what the analyst has settled (read from the file on every run).
verdicts = [r.get("verdict") for r in items]
m = st.columns(5)
m[0].metric(term("status", "gap"), sum(r["status"] == "gap" for r in items))
m[1].metric(term("status", "not_assessable"), sum(r["status"] == "not_assessable" for r in items))
m[2].metric(tr("worklist.unmarked"), verdicts.count(None))
m[3].metric(term("verdict", "confirmed_gap"), verdicts.count("confirmed_gap"))
m[4].metric(tr("worklist.settled"), sum(v in NEEDS_NOTE for v in verdicts))

# Filters: level, region, year and document of the lower side, responsible unit, status, verdict.
options = lambda values: sorted({str(v) for v in values if v not in (None, "")})  # noqa: E731
f = st.columns(4)
levels = f[0].multiselect(tr("worklist.level"), options(doc_attr(r["lower_doc"], "level") for r in items),
                          key="w_level", format_func=lambda v: term("level", v), placeholder=tr("common.choose"))
regions = f[1].multiselect(tr("worklist.region"), options(doc_attr(r["lower_doc"], "region") for r in items),
                           key="w_region", placeholder=tr("common.choose"))
years = f[2].multiselect(tr("worklist.year"), options(doc_attr(r["lower_doc"], "year") for r in items),
                         key="w_year", placeholder=tr("common.choose"))
docs = f[3].multiselect(tr("worklist.document"), options(r["lower_doc"] for r in items), key="w_doc",
                        format_func=lambda d: lower_label(next(r for r in items if r["lower_doc"] == d)),
                        placeholder=tr("common.choose"))
g = st.columns(3)
units = g[0].multiselect(tr("worklist.unit"), options(u for r in items for u in r.get("who") or []), key="w_unit",
                         placeholder=tr("common.choose"))
statuses = g[1].multiselect(tr("worklist.status"), ["gap", "not_assessable"], key="w_status",
                            format_func=lambda s: term("status", s), placeholder=tr("common.choose"))
marked = g[2].multiselect(tr("worklist.verdict"), ["none", *VERDICTS], key="w_verdict",
                          format_func=lambda v: tr("worklist.unmarked") if v == "none" else term("verdict", v),
                          placeholder=tr("common.choose"))


def keep(r: dict) -> bool:
    return ((not levels or str(doc_attr(r["lower_doc"], "level")) in levels)
            and (not regions or str(doc_attr(r["lower_doc"], "region")) in regions)
            and (not years or str(doc_attr(r["lower_doc"], "year")) in years)
            and (not docs or r["lower_doc"] in docs)
            and (not units or set(units) & set(r.get("who") or []))
            and (not statuses or r["status"] in statuses)
            and (not marked or (r.get("verdict") or "none") in marked))


shown = sorted((r for r in items if keep(r)), key=lambda r: (r["status"] != "gap", r.get("verdict") is not None,
                                                              r["lower_doc"], r["upper"]))
st.markdown(tr("worklist.shown", n=len(shown), total=len(items)))
if not shown:
    st.info(tr("worklist.none_match"))
    st.stop()
frame = pd.DataFrame([{"status": r["status"], "verdict": term("verdict", r.get("verdict")) if r.get("verdict") else "",
                       "upper": upper_text(r)[:80], "lower_doc": lower_label(r), "who": who_line(r),
                       "reason": reason_text(r["reason"], lang(), names), "upper_id": r["upper"]} for r in shown])
show_table(frame, column_config={"upper": st.column_config.TextColumn(tr("col.upper"), width="large")})

# One row at a time: the requirement, the lower document, who must act and why; then the verdict.
keys = [f"{r['upper']}\t{r['lower_doc']}" for r in shown]
if st.session_state.get("w_row") not in keys:
    st.session_state["w_row"] = keys[0]
choice = st.selectbox(tr("worklist.row"), keys, key="w_row",
                      format_func=lambda k: f"{term('status', shown[keys.index(k)]['status'])} · "
                                            f"{shown[keys.index(k)]['upper']} → {lower_label(shown[keys.index(k)])}")
r = shown[keys.index(choice)]
ud = G.nodes.get(r["upper"]) or {}
updoc = G.nodes.get(r["upper_doc"]) or {}
st.html(
    "<table style='width:100%;border-collapse:collapse' border='1' cellpadding='6'>"
    f"<tr><th style='width:9em'>{esc(tr('worklist.requirement'))}</th><td>{esc(updoc.get('title') or r['upper_doc'])}"
    f" #{esc(ud.get('number'))}<br>{esc(upper_text(r))}</td></tr>"
    f"<tr><th>{esc(tr('worklist.lower'))}</th><td>{esc(lower_label(r))}</td></tr>"
    f"<tr><th>{esc(tr('col.who'))}</th><td><b>{esc(who_line(r))}</b></td></tr>"
    f"<tr><th>{esc(tr('worklist.why'))}</th><td>{esc(reason_text(r['reason'], lang(), names))}</td></tr>"
    + (f"<tr><th>{esc(tr('report.col.waits_for'))}</th><td>{esc(reason_text(str(r['waits_for']), lang(), names))}</td></tr>"
       if r.get("waits_for") else "")
    + (f"<tr><th>{esc(tr('col.verdict'))}</th><td>{esc(term('verdict', r['verdict']))}"
       f"{'：' + esc(r['note']) if r.get('note') else ''}</td></tr>" if r.get("verdict") else "")
    + "</table>")
row_links(r["upper"], r["upper_doc"], r["lower_doc"])
with st.expander(tr("worklist.source")):
    where = f"{updoc.get('source') or r['upper_doc']}" + (f" · {tr('worklist.line', line=ud['line'])}" if ud.get("line") else "")
    st.caption(where)
    st.text(ud.get("text") or upper_text(r))
    for e in r.get("evidence") or []:
        if e.get("node") != r["upper"]:
            st.caption(e.get("doc"))
            st.text(e.get("text") or "")

verdict_buttons(r)

# The selection handed upward: the report with the verdicts in its 台账 and a section of their own.
st.subheader(tr("worklist.hand_over"))
kind = report_format()
if st.button(tr("worklist.make_report"), key="w_report"):
    from cascade.report import WRITERS

    try:
        st.session_state["w_report_file"] = WRITERS[kind](G, lang(), read_marks(marks_file()))
        st.session_state["w_report_kind"] = kind
    except CascadeError as err:
        st.error(error_text(err))
download()
