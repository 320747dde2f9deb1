"""Compare: an upper and a lower document side by side, linked tasks aligned, shared text highlighted,
and what the lower level added (numbers, deadlines) listed per link.

Above the size the graph loads at (:func:`app_pages.common.asks_store`) the pair is picked by words of a
document's title, region or id (or opened from a worklist row) and only the two documents are read from
the store (:func:`queries.compare_store.pair_graph`); what is drawn is the same.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (asks_store, doc_name, esc, graph, links_frame, project, run, show_table, store_answer,
                              term, tr)
from queries.view import align, diff_segments, document_pairs

MAX_ROWS = 150
STYLE = {"same": "background:#fff3b0", "removed": "color:#a93226;text-decoration:line-through",
         "added": "color:#1e8449;font-weight:600"}


def painted(segments) -> str:
    return "".join(f"<span style='{STYLE[k]}'>{esc(t)}</span>" for k, t in segments)


def show_pair(G, lower_doc: str, upper_doc: str, drift) -> None:
    """The aligned tasks of the pair (``G`` holds both documents: the whole graph or the pair's own);
    ``drift(lower, upper)`` is the drift of one link."""
    rows = align(G, lower_doc, upper_doc)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("compare.linked"), sum(1 for r in rows if r["upper"] and r["lower"]))
    c2.metric(tr("compare.not_taken_up"), sum(1 for r in rows if r["upper"] and not r["lower"]))
    c3.metric(tr("compare.no_source"), sum(1 for r in rows if r["lower"] and not r["upper"]))
    c4.metric(tr("compare.upper_tasks"), len({r["upper"] for r in rows if r["upper"]}))

    only = st.radio(tr("compare.show"), ["linked pairs", "everything", "not taken up", "no source"], horizontal=True,
                    key="c_only", format_func=lambda k: tr("compare.show." + k.replace(" ", "_")))
    keep = {"linked pairs": lambda r: r["upper"] and r["lower"], "everything": lambda r: True,
            "not taken up": lambda r: r["upper"] and not r["lower"],
            "no source": lambda r: r["lower"] and not r["upper"]}[only]
    shown = [r for r in rows if keep(r)]
    body = []
    drift_rows = []
    for r in shown[:MAX_ROWS]:
        if r["upper"] and r["lower"]:
            up, low = diff_segments(r["upper_text"], r["lower_text"])
            left, right = painted(up), painted(low)
            d = run(drift, r["lower"], r["upper"])
            if d:
                drift_rows.append({"lower": r["lower"], "upper": r["upper"], "score": r["score"], "status": r["status"],
                                   "similarity": d.get("similarity"),
                                   "numbers_added": ", ".join(d.get("numbers_added") or []),
                                   "deadlines_added": ", ".join(d.get("deadlines_added") or [])})
        else:
            left, right = esc(r["upper_text"] or "—"), esc(r["lower_text"] or "—")
        meta = f"{r['score']:.2f} · {esc(term('status', r['status']))}" if r["score"] is not None else ""
        body.append(f"<tr><td><code>{esc(r['upper'] or '')}</code><br>{left}</td>"
                    f"<td style='white-space:nowrap;color:#666'>{meta}</td>"
                    f"<td><code>{esc(r['lower'] or '')}</code><br>{right}</td></tr>")

    if not shown:
        st.info(tr("compare.nothing"))
    else:
        st.html("<table style='width:100%;border-collapse:collapse;font-size:0.9em' border='1' cellpadding='6'>"
                f"<tr><th style='width:47%'>{esc(doc_name(G, upper_doc))}</th><th>{esc(tr('compare.link'))}</th>"
                f"<th style='width:47%'>{esc(doc_name(G, lower_doc))}</th></tr>" + "".join(body) + "</table>")
        st.caption(tr("compare.legend") + (tr("compare.first_rows", n=MAX_ROWS, total=len(shown))
                                           if len(shown) > MAX_ROWS else ""))
    if drift_rows:
        st.subheader(tr("compare.drift"))
        show_table(links_frame(pd.DataFrame(drift_rows)))


def from_store() -> None:
    """The pair picked by words (or by ``?upper=…&lower=…``), read from the store; no graph is loaded."""
    from queries.drift import drift

    st.caption(tr("compare.from_store"))
    asked = (st.query_params.get("upper"), st.query_params.get("lower"))
    if all(asked) and "c_words" not in st.session_state:
        st.session_state["c_words"] = asked[1]
        st.session_state["c_only"] = "not taken up"
    c1, c2 = st.columns([2, 4])
    words = c1.text_input(tr("compare.find"), key="c_words", placeholder=tr("compare.find_help")).strip()
    hits = (store_answer("find_documents", words, 50) or []) if words else []
    if not hits:
        st.info(tr("compare.find_none") if words else tr("compare.find_hint"))
        st.stop()
    names = {d["id"]: f"{d.get('year') or ''} {term('level', d.get('level'))} · {d.get('title') or d['id']} ({d['id']})"
             for d in hits}
    lower_doc = c2.selectbox(tr("compare.lower"), list(names), format_func=names.get, key="c_lower")
    uppers = {p["id"]: f"{names.get(p['id']) or (p.get('title') or p['id'])}  ({term('via', p.get('via'))})"
              for p in store_answer("parents", lower_doc) or []}
    if lower_doc == asked[1] and asked[0] and asked[0] not in uppers:
        uppers[asked[0]] = f"{asked[0]}  ({term('via', 'chain')})"   # a gap's lower plan may sit two levels down
    if not uppers:
        st.info(tr("compare.no_parent"))
        st.stop()
    if lower_doc == asked[1] and asked[0] in uppers and "c_upper" not in st.session_state:
        st.session_state["c_upper"] = asked[0]
    upper_doc = st.selectbox(tr("compare.upper"), list(uppers), format_func=uppers.get, key="c_upper")
    G = store_answer("pair", upper_doc, lower_doc)
    if G is None:
        st.stop()
    show_pair(G, lower_doc, upper_doc, lambda lower, upper: drift(G, lower, upper))


st.title(tr("nav.compare"))
if asks_store():
    from_store()
    st.stop()
G = graph()

pairs = document_pairs(G)
if not pairs:
    st.info(tr("compare.no_pairs"))
    st.stop()
# ?upper=…&lower=… (a worklist row's link) opens the page on that pair, once: the person may choose
# another. A gap's lower document may implement the upper one through a level between: the pair is
# offered all the same.
asked = (st.query_params.get("upper"), st.query_params.get("lower"))
if all(d in G for d in asked):
    at = next((i for i, p in enumerate(pairs) if (p["upper"], p["lower"]) == asked), None)
    if at is None:
        pairs = [*pairs, {"upper": asked[0], "lower": asked[1], "via": "chain"}]
        at = len(pairs) - 1
    if "c_pair" not in st.session_state:
        st.session_state["c_pair"] = at
        st.session_state["c_only"] = "not taken up"
labels = {i: f"{doc_name(G, p['lower'])}  →  {doc_name(G, p['upper'])}  ({term('via', p['via'])})"
          for i, p in enumerate(pairs)}
choice = st.selectbox(tr("compare.pair"), list(labels), format_func=labels.get,
                      key="c_pair")
show_pair(G, pairs[choice]["lower"], pairs[choice]["upper"], project().drift)
