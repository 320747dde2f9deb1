"""Compare: an upper and a lower document side by side, linked tasks aligned, shared text highlighted,
and what the lower level added (numbers, deadlines) listed per link."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import doc_name, esc, graph, project, run, show_table, term, tr
from queries.view import align, diff_segments, document_pairs

G = graph()
st.title(tr("nav.compare"))

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
lower_doc, upper_doc = pairs[choice]["lower"], pairs[choice]["upper"]
rows = align(G, lower_doc, upper_doc)

c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("compare.linked"), sum(1 for r in rows if r["upper"] and r["lower"]))
c2.metric(tr("compare.not_taken_up"), sum(1 for r in rows if r["upper"] and not r["lower"]))
c3.metric(tr("compare.no_source"), sum(1 for r in rows if r["lower"] and not r["upper"]))
c4.metric(tr("compare.upper_tasks"), len({r["upper"] for r in rows if r["upper"]}))

only = st.radio(tr("compare.show"), ["linked pairs", "everything", "not taken up", "no source"], horizontal=True,
                key="c_only", format_func=lambda k: tr("compare.show." + k.replace(" ", "_")))
keep = {"linked pairs": lambda r: r["upper"] and r["lower"], "everything": lambda r: True,
        "not taken up": lambda r: r["upper"] and not r["lower"], "no source": lambda r: r["lower"] and not r["upper"]}[only]
shown = [r for r in rows if keep(r)]
MAX_ROWS = 150

STYLE = {"same": "background:#fff3b0", "removed": "color:#a93226;text-decoration:line-through",
         "added": "color:#1e8449;font-weight:600"}


def painted(segments) -> str:
    return "".join(f"<span style='{STYLE[k]}'>{esc(t)}</span>" for k, t in segments)


body = []
drift_rows = []
for r in shown[:MAX_ROWS]:
    if r["upper"] and r["lower"]:
        up, low = diff_segments(r["upper_text"], r["lower_text"])
        left, right = painted(up), painted(low)
        d = run(project().drift, r["lower"], r["upper"])
        if d:
            drift_rows.append({"lower": r["lower"], "upper": r["upper"], "score": r["score"], "status": r["status"],
                               "similarity": d.get("similarity"), "numbers_added": ", ".join(d.get("numbers_added") or []),
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
    show_table(pd.DataFrame(drift_rows))
