"""Review: accept or reject proposed links, one at a time, from the keyboard.

Decisions go to ``<data>/reviews.yaml`` through :func:`graph.reviews.save_review` (an atomic write)
and are applied by every rebuild; until then the link keeps its status in the store, and the
decision is shown beside it.

Above the size the graph loads at (:func:`app_pages.common.asks_store`) the links come from the store a
page at a time (:func:`queries.review_store.review_page`, lowest score first), and a decision is saved
exactly as on the graph.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import CascadeError
from app_pages.common import (asks_store, doc_name, error_text, esc, graph, links_frame, method_words, reviews_file,
                              run, show_table, store_answer, term, tr)
from graph.reviews import read_reviews, save_review
from queries.view import diff_segments, links

PAGE = 50
PAINT = {"same": "background:#fff3b0", "removed": "color:#a93226", "added": "color:#1e8449;font-weight:600"}


def decisions() -> dict:
    if not reviews_file().exists():
        return {}
    return run(read_reviews, reviews_file()) or {}


def order_choice() -> str:
    return st.radio(tr("review.order"), ["lowest score first", "reading order"], key="r_order", horizontal=True,
                    format_func=lambda k: tr("review.order." + k.split()[0]))


def review_link(r: dict, pos: int, n: int, decided: dict, ends, hide_decided: bool, name) -> None:
    """Link ``r``, the ``pos``-th of ``n`` in the queue: both texts side by side, then the decision buttons.
    ``ends``: the graph (or the link's two ends) the review hashes; ``name(doc)``: a document's name."""
    st.markdown(tr("review.head", i=pos + 1, n=n, score=r["score"], method=method_words(r["method"]),
                   status=term("status", r["status"]))
                + (tr("review.decided", status=term("status", decided[(r["lower"], r["upper"])].get("status")))
                   if (r["lower"], r["upper"]) in decided else "")
                + (tr("review.changed") if r["suspect"] else ""))
    up, low = diff_segments(r["upper_text"], r["lower_text"])
    cell = "<td style='vertical-align:top;width:50%;padding:8px'>"
    st.html("<table style='width:100%;border-collapse:collapse' border='1'><tr>"
            f"<th>{esc(tr('review.upper'))} · {esc(name(r['upper_doc']))}</th>"
            f"<th>{esc(tr('review.lower'))} · {esc(name(r['lower_doc']))}</th></tr>"
            f"<tr>{cell}<code>{esc(r['upper'])}</code><br>"
            + "".join(f"<span style='{PAINT[k]}'>{esc(t)}</span>" for k, t in up)
            + f"</td>{cell}<code>{esc(r['lower'])}</code><br>"
            + "".join(f"<span style='{PAINT[k]}'>{esc(t)}</span>" for k, t in low) + "</td></tr></table>")
    if r.get("evidence"):
        with st.expander(tr("review.evidence")):
            st.json(r["evidence"])

    def decide(status: str) -> None:
        try:
            save_review(reviews_file(), r["lower"], r["upper"], status, ends)
        except (CascadeError, OSError) as err:
            st.session_state["r_error"] = error_text(err)
            return
        st.session_state["r_saved"] = f"{term('status', status)}：{r['lower']} → {r['upper']}"
        st.session_state["r_last"] = (r["lower"], r["upper"])
        if not hide_decided:
            st.session_state["r_pos"] = pos + 1

    def move(step: int) -> None:
        st.session_state["r_pos"] = max(0, min(pos + step, n - 1))

    b1, b2, b3, b4 = st.columns(4)
    b1.button(tr("review.accept"), type="primary", shortcut="Y", on_click=decide, args=("confirmed",), key="r_accept",
              help=tr("review.shortcut", letter="Y"), width="stretch")
    b2.button(tr("review.reject"), shortcut="N", on_click=decide, args=("rejected",), key="r_reject",
              help=tr("review.shortcut", letter="N"), width="stretch")
    b3.button(tr("review.previous"), shortcut="K", on_click=move, args=(-1,), key="r_prev", disabled=pos == 0,
              help=tr("review.shortcut", letter="K"), width="stretch")
    b4.button(tr("review.next"), shortcut="J", on_click=move, args=(1,), key="r_next", disabled=pos >= n - 1,
              help=tr("review.shortcut", letter="J"), width="stretch")
    st.caption(tr("review.keys"))


def undo_and_messages(G) -> None:
    """The undo button for the last decision, and what the last click saved or why it could not."""
    def undo() -> None:
        lower, upper = st.session_state.pop("r_last")
        try:
            save_review(reviews_file(), lower, upper, None, G)
        except (CascadeError, OSError) as err:
            st.session_state["r_error"] = error_text(err)
            return
        st.session_state["r_saved"] = tr("review.withdrawn", link=f"{lower} → {upper}")

    if st.session_state.get("r_last"):
        st.button(tr("review.undo", task=st.session_state["r_last"][0]), shortcut="U", on_click=undo, key="r_undo",
                  help=tr("review.shortcut", letter="U"))
    if st.session_state.get("r_error"):
        st.error(st.session_state.pop("r_error"))
    if st.session_state.get("r_saved"):
        st.toast(tr("review.saved", what=st.session_state.pop("r_saved")))


def from_store() -> None:
    """The links a page at a time from the store (a Bolt server, or a store too large to load)."""
    from queries.review_store import link_ends

    st.caption(tr("review.from_store"))
    decided = decisions()
    st.caption(tr("review.caption", file=reviews_file(), n=len(decided)))
    c1, c2, c3 = st.columns([2, 3, 2])
    statuses = c1.multiselect(tr("review.status"), ["proposed", "confirmed", "rejected"], default=["proposed"],
                              key="r_status", placeholder=tr("common.choose"), format_func=lambda v: term("status", v))
    doc = c2.text_input(tr("review.lower_document_id"), key="r_doc_id").strip()
    with c3:
        order = order_choice()
    t1, t2, t3 = st.columns([2, 2, 1])
    hide_decided = t1.toggle(tr("review.hide_decided"), value=True, key="r_hide")
    only_suspect = t2.toggle(tr("review.only_suspect"), key="r_suspect", help=tr("review.only_suspect_help"))
    page = int(t3.number_input(tr("units.page"), min_value=1, value=1, step=1, key="r_page"))
    found = store_answer("review_page", None if only_suspect else tuple(statuses) or None, (page - 1) * PAGE, PAGE,
                         "score" if order == "lowest score first" else "reading", doc or None, only_suspect)
    if found is None:
        st.stop()
    total, rows = found
    queue = [r for r in rows if not (hide_decided and (r["lower"], r["upper"]) in decided and not only_suspect)]
    if rows:
        st.caption(tr("units.page_of", first=(page - 1) * PAGE + 1, last=(page - 1) * PAGE + len(rows), total=total))
    if not queue:
        st.success(tr("review.nothing_left"))
    else:
        pos = min(st.session_state.get("r_pos", 0), len(queue) - 1)
        r = queue[pos]
        docs = store_answer("documents", (r["upper_doc"], r["lower_doc"])) or {}
        review_link(r, pos, len(queue), decided, link_ends(r), hide_decided,
                    lambda d: f"{(docs.get(d) or {}).get('title') or d} ({d})")
    undo_and_messages(None)
    if rows:
        st.subheader(tr("review.page_links"))
        frame = pd.DataFrame(rows).drop(columns=["evidence", "upper_label", "position"])
        frame.insert(0, "decision", [decided.get((a, b), {}).get("status") for a, b in zip(frame["lower"], frame["upper"])])
        show_table(links_frame(frame))


st.title(tr("review.title"))
if asks_store():
    from_store()
    st.stop()
G = graph()
decided = decisions()
st.caption(tr("review.caption", file=reviews_file(), n=len(decided)))

all_links = links(G)
lower_docs = list(dict.fromkeys(r["lower_doc"] for r in all_links))
c1, c2, c3 = st.columns([2, 3, 2])
statuses = c1.multiselect(tr("review.status"), ["proposed", "confirmed", "rejected"], default=["proposed"],
                          key="r_status", placeholder=tr("common.choose"), format_func=lambda v: term("status", v))
doc = c2.selectbox(tr("review.lower_document"), ["(all)"] + lower_docs, key="r_doc",
                   format_func=lambda d: tr("review.all") if d == "(all)" else doc_name(G, d))
with c3:
    order = order_choice()
t1, t2 = st.columns(2)
hide_decided = t1.toggle(tr("review.hide_decided"), value=True, key="r_hide")
only_suspect = t2.toggle(tr("review.only_suspect"), key="r_suspect", help=tr("review.only_suspect_help"))

queue = [r for r in links(G, status=None if only_suspect else statuses or None, lower_doc=None if doc == "(all)" else doc)
         if not (hide_decided and (r["lower"], r["upper"]) in decided and not only_suspect)
         and (r["suspect"] or not only_suspect)]
if order == "lowest score first":
    queue.sort(key=lambda r: (r["score"] if r["score"] is not None else 0))

if not queue:
    st.success(tr("review.nothing_left"))
else:
    pos = min(st.session_state.get("r_pos", 0), len(queue) - 1)
    review_link(queue[pos], pos, len(queue), decided, G, hide_decided, lambda d: doc_name(G, d))
undo_and_messages(G)

st.subheader(tr("review.all_links"))
frame = pd.DataFrame(all_links)
if not frame.empty:
    frame.insert(0, "decision", [decided.get((a, b), {}).get("status") for a, b in zip(frame["lower"], frame["upper"])])
    show_table(links_frame(frame.drop(columns=["evidence"], errors="ignore")))
