"""Review: accept or reject proposed links, one at a time, from the keyboard.

Decisions go to ``<data>/reviews.yaml`` through :func:`graph.reviews.save_review` (an atomic write)
and are applied by every rebuild; until then the link keeps its status in the store, and the
decision is shown beside it.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cascade.errors import CascadeError
from app_pages.common import doc_name, esc, graph, need, optional, reviews_file, run
from queries.view import diff_segments, links

G = graph()
st.title("Review links")

read_reviews = optional("graph.reviews", "read_reviews")
save_review = need("graph.reviews", "save_review")


def decisions() -> dict:
    if read_reviews is None or not reviews_file().exists():
        return {}
    return run(read_reviews, reviews_file()) or {}


decided = decisions()
st.caption(f"Decisions are saved to `{reviews_file()}` ({len(decided)} so far) and applied on the next rebuild.")

all_links = links(G)
lower_docs = list(dict.fromkeys(r["lower_doc"] for r in all_links))
c1, c2, c3 = st.columns([2, 3, 2])
statuses = c1.multiselect("Status in the store", ["proposed", "confirmed", "rejected"], default=["proposed"],
                          key="r_status")
doc = c2.selectbox("Lower document", ["(all)"] + lower_docs, key="r_doc",
                   format_func=lambda d: d if d == "(all)" else doc_name(G, d))
order = c3.radio("Order", ["lowest score first", "reading order"], key="r_order", horizontal=True)
t1, t2 = st.columns(2)
hide_decided = t1.toggle("Hide links already decided", value=True, key="r_hide")
only_suspect = t2.toggle("Only reviewed links whose texts changed since", key="r_suspect",
                         help="A rebuild flags a reviewed link 'suspect' when either text changed after the review; "
                              "these are listed whatever their status.")

queue = [r for r in links(G, status=None if only_suspect else statuses or None, lower_doc=None if doc == "(all)" else doc)
         if not (hide_decided and (r["lower"], r["upper"]) in decided and not only_suspect)
         and (r["suspect"] or not only_suspect)]
if order == "lowest score first":
    queue.sort(key=lambda r: (r["score"] if r["score"] is not None else 0))

if not queue:
    st.success("Nothing left to review with these filters.")
else:
    pos = min(st.session_state.get("r_pos", 0), len(queue) - 1)
    r = queue[pos]
    st.markdown(f"**Link {pos + 1} of {len(queue)}** · score {r['score']} · method `{r['method']}` · "
                f"status `{r['status']}`" + (f" · decided: **{decided[(r['lower'], r['upper'])].get('status')}**"
                                              if (r["lower"], r["upper"]) in decided else "")
                + (" · ⚠ **a text changed since it was reviewed**" if r["suspect"] else ""))
    up, low = diff_segments(r["upper_text"], r["lower_text"])
    paint = {"same": "background:#fff3b0", "removed": "color:#a93226", "added": "color:#1e8449;font-weight:600"}
    cell = "<td style='vertical-align:top;width:50%;padding:8px'>"
    st.html("<table style='width:100%;border-collapse:collapse' border='1'><tr>"
            f"<th>Upper · {esc(doc_name(G, r['upper_doc']))}</th><th>Lower · {esc(doc_name(G, r['lower_doc']))}</th></tr>"
            f"<tr>{cell}<code>{esc(r['upper'])}</code><br>"
            + "".join(f"<span style='{paint[k]}'>{esc(t)}</span>" for k, t in up)
            + f"</td>{cell}<code>{esc(r['lower'])}</code><br>"
            + "".join(f"<span style='{paint[k]}'>{esc(t)}</span>" for k, t in low) + "</td></tr></table>")
    if r.get("evidence"):
        with st.expander("Evidence"):
            st.json(r["evidence"])

    def decide(status: str) -> None:
        try:
            save_review(reviews_file(), r["lower"], r["upper"], status, G)
        except (CascadeError, OSError) as err:
            st.session_state["r_error"] = str(err)
            return
        st.session_state["r_saved"] = f"{status}: {r['lower']} → {r['upper']}"
        st.session_state["r_last"] = (r["lower"], r["upper"])
        if not hide_decided:
            st.session_state["r_pos"] = pos + 1

    def move(step: int) -> None:
        st.session_state["r_pos"] = max(0, min(pos + step, len(queue) - 1))

    b1, b2, b3, b4 = st.columns(4)
    b1.button("Accept", type="primary", shortcut="Y", on_click=decide, args=("confirmed",), key="r_accept",
              disabled=save_review is None, help="Y", width="stretch")
    b2.button("Reject", shortcut="N", on_click=decide, args=("rejected",), key="r_reject",
              disabled=save_review is None, help="N", width="stretch")
    b3.button("Previous", shortcut="K", on_click=move, args=(-1,), key="r_prev", disabled=pos == 0, help="K",
              width="stretch")
    b4.button("Next", shortcut="J", on_click=move, args=(1,), key="r_next", disabled=pos >= len(queue) - 1, help="J",
              width="stretch")
    st.caption("Keys: Y accept · N reject · J next · K previous · U undo the last decision")



def undo() -> None:
    lower, upper = st.session_state.pop("r_last")
    try:
        save_review(reviews_file(), lower, upper, None, G)
    except (CascadeError, OSError) as err:
        st.session_state["r_error"] = str(err)
        return
    st.session_state["r_saved"] = f"withdrawn: {lower} → {upper}"


if st.session_state.get("r_last") and save_review is not None:
    st.button(f"Undo the last decision ({st.session_state['r_last'][0]})", shortcut="U", on_click=undo, key="r_undo",
              help="U")

if st.session_state.get("r_error"):
    st.error(st.session_state.pop("r_error"))
if st.session_state.get("r_saved"):
    st.toast("Saved " + st.session_state.pop("r_saved"))

st.subheader("All links")
frame = pd.DataFrame(all_links)
if not frame.empty:
    frame.insert(0, "decision", [decided.get((a, b), {}).get("status") for a, b in zip(frame["lower"], frame["upper"])])
    st.dataframe(frame.drop(columns=["evidence"], errors="ignore"), hide_index=True, width="stretch")
