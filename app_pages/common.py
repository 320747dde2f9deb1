"""What every page of the app shares: where the store and the documents are, and the library's
:class:`cascade.api.Cascade` over the store, whose answers are computed once per store version.

Settings come from the environment so the tests and the browser check can point the app at a store
of their own: ``CASCADE_STORE`` (default ``.cascade``) and ``CASCADE_DATA`` (default ``data``: the
documents a rebuild reads, uploads and ``reviews.yaml``).

Every word a person reads comes from ``cascade/i18n`` through :func:`tr` and :func:`term`, in the
language of the sidebar switch (default: ``?lang=``, then ``CASCADE_LANG``, then Chinese).
"""
from __future__ import annotations

import html
import os
from pathlib import Path

import streamlit as st

from cascade import i18n
from cascade.api import Cascade
from core.errors import CascadeError


def lang() -> str:
    """The language the person chose (the sidebar switch), else ``?lang=``, else ``CASCADE_LANG``, else zh."""
    chosen = i18n.normalize_lang(st.session_state.get("lang"))
    if chosen:
        return chosen
    return i18n.normalize_lang(st.query_params.get("lang")) or i18n.default_lang()


def tr(key: str, **params) -> str:
    """The interface text of ``key`` in the chosen language."""
    return i18n.t(key, lang(), **params)


def term(group: str, value) -> str:
    """The word for a machine key (``status``, ``role``, ``level``, ``kind``, ``label`` …); unknown keys as they are."""
    return i18n.term(group, value, lang())


def language_switch() -> None:
    """The sidebar switch 中文 / English; the choice is kept in ``?lang=`` so a link keeps it too."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = lang()
    st.sidebar.segmented_control("语言 · Language", list(i18n.LANGS), format_func=i18n.LANG_NAMES.get, key="lang",
                                 required=True) if hasattr(st.sidebar, "segmented_control") else \
        st.sidebar.radio("语言 · Language", list(i18n.LANGS), format_func=i18n.LANG_NAMES.get, key="lang",
                         horizontal=True)
    if st.session_state.get("lang") == i18n.default_lang() and "lang" not in st.query_params:
        return
    st.query_params["lang"] = st.session_state["lang"]


# Columns of the tables the pages show: their headers from the catalogue (``col.<name>``), and the
# machine keys in them shown as words; a column we have no word for keeps its name.
_VALUE_TERMS = {"level": "level", "status": "status", "link_status": "status", "role": "role_unit", "label": "label", "kind": "kind",
                "via": "via", "code": "check", "decision": "status", "severity": "severity",
                "upper_level": "level", "lower_level": "level"}


def localize(frame):
    """``frame`` with translated headers and machine keys shown as words (a copy)."""
    frame = frame.copy()
    language = lang()   # once: each call reads the session's state (a 500-row table asked it 2,000 times)
    for col in ("reason", "message"):      # the analyses' explanations, clause by clause
        if col in frame.columns:
            frame[col] = frame[col].map(lambda v: i18n.reason_text(v, language) if isinstance(v, str) else v)
    if "method" in frame.columns:          # how a link was found, part by part
        frame["method"] = frame["method"].map(lambda v: i18n.method_text(v, language) if isinstance(v, str) else v)
    if "warnings" in frame.columns:        # what the loaders noted on a document
        frame["warnings"] = frame["warnings"].map(
            lambda ws: [i18n.problem_text(f"_: {w}", language)[2:] for w in ws] if isinstance(ws, list) else ws)
    for col, group in _VALUE_TERMS.items():
        if col in frame.columns:
            frame[col] = frame[col].map(lambda v, g=group: i18n.term(g, v, language) if isinstance(v, str) else v)
    return frame.rename(columns=lambda name: _col_name(name, language))


def links_frame(frame):
    """A table of links: its ``status`` is the link's (待审核, 已确认), headed 关联状态, not the 落实情况 of a
    coverage row, which the same key heads elsewhere."""
    return frame.rename(columns={"status": "link_status"})


def method_words(method) -> str:
    """How a link was found, in the person's language (``lexical+structure`` → 文字相似 + 结构位置)."""
    return i18n.method_text(method, lang())


def col_name(name) -> str:
    return _col_name(name, lang())


def _col_name(name, language: str) -> str:
    key = f"col.{name}"
    return i18n.t(key, language) if i18n.has(key, language) else str(name)


def show_table(frame, column_order=None, column_config=None, **kwargs) -> None:
    """``st.dataframe`` of ``frame`` in the person's language (headers and machine keys), full width."""
    st.dataframe(localize(frame), hide_index=True, width="stretch",
                 column_order=[col_name(c) for c in column_order] if column_order else None,
                 column_config={col_name(k): v for k, v in (column_config or {}).items()} or None, **kwargs)


def quick_search() -> None:
    """The one search box (sidebar, every page): units, documents, tasks by words, 繁體, pinyin or its
    initials (queries.search); a hit opens its trace, or the cascade centred on it. Above the size the
    graph loads at (:func:`asks_store`): tasks by the words of their text, asked of the store."""
    if asks_store():
        box = st.sidebar.container()
        q = box.text_input(tr("search.label"), key="qs_text", placeholder=tr("search.placeholder_store"))
        hits = (store_answer("search", q.strip(), 8) or []) if q.strip() else []
        if q.strip() and not hits:
            box.caption(tr("search.none", query=q))
        for i, h in enumerate(hits):
            text = h["text"] if len(h["text"]) <= 40 else h["text"][:39] + "…"
            if box.button(f"{term('label', 'Task')} · {text} → {tr('search.to_trace')}", key=f"qs_hit_{i}",
                          width="stretch"):
                st.session_state["jump_task"] = h["task"]
                st.switch_page("app_pages/trace.py")
        return
    try:
        G = project().graph
    except CascadeError:
        return   # no store yet: the page says so
    box = st.sidebar.container()
    q = box.text_input(tr("search.label"), key="qs_text", placeholder=tr("search.placeholder"),
                       help=tr("search.help"))
    if not q.strip():
        return
    from queries.search import jump_target

    hits = project().search(q, limit=8)
    if not hits:
        box.caption(tr("search.none", query=q))
        return
    uppers = project().upper_documents()
    for i, h in enumerate(hits):
        target = jump_target(G, h["id"], uppers)
        text = h["text"] if len(h["text"]) <= 40 else h["text"][:39] + "…"
        where = tr("search.to_trace") if target and target[0] == "trace" else tr("search.to_cascade")
        if box.button(f"{term('label', h['label'])} · {text} → {where}", key=f"qs_hit_{i}", width="stretch"):
            kind, node = target
            if kind == "trace":
                st.session_state["jump_task"] = node
                st.switch_page("app_pages/trace.py")
            else:
                st.session_state["search"] = node
                st.session_state.pop("focus", None)
                st.switch_page("app_pages/cascade.py")


def store_dir() -> Path:
    """The store the app reads (read at every run, so a test can point the app elsewhere)."""
    return Path(os.environ.get("CASCADE_STORE", ".cascade"))


def data_dir() -> Path:
    """The documents a rebuild reads; uploads and ``reviews.yaml`` live here."""
    return Path(os.environ.get("CASCADE_DATA", "data"))


def reviews_file() -> Path:
    return data_dir() / "reviews.yaml"


def store_version() -> str:
    """What the current version holds (a background compaction's new version holds the same graph:
    no reload for it)."""
    from graph.store import content_version

    return content_version(store_dir())


@st.cache_resource(show_spinner=False, max_entries=4)
def _project(store: str) -> Cascade:
    return Cascade(store)


def project() -> Cascade:
    """The library over the app's store, shared by every session: it reads the graph once per store
    version and computes each answer once on it (a page reruns on every click)."""
    return _project(str(store_dir()))


def query_version() -> str:
    """What a store answer is cached under: the store's version; on a Bolt server, whose pushed graph
    carries no version to read cheaply, the minute (answers are kept a minute)."""
    import time

    from queries.backend import BOLT_ENV

    if os.environ.get(BOLT_ENV):
        return f"bolt:{int(time.time() // 60)}"
    return store_version()


@st.cache_data(show_spinner=False, max_entries=256)
def _store_answer(store: str, version: str, what: str, args: tuple):
    return getattr(_project(store), f"store_{what}")(*args)


def store_answer(what: str, *args):
    """``project().store_<what>(*args)``: an answer of the store's queries (embedded, or the Bolt server
    ``CASCADE_BOLT_URI`` names), cached per store version (``table``, ``task_count``, ``search``,
    ``trace``, ``unit_tasks``: see :class:`cascade.api.Cascade`). None, with a line on the page, when the
    query fails."""
    try:
        with st.spinner(tr("common.analysing")):
            return _store_answer(str(store_dir()), query_version(), what, tuple(args))
    except CascadeError as err:
        st.error(error_text(err))
        return None


def asks_store() -> bool:
    """Whether a page queries the store instead of loading the graph: a Bolt server is configured, or
    the store holds more tasks than load in a few seconds (:func:`queries.backend.graph_tasks_limit`).
    No store: False, and the page's :func:`graph` says how to build one."""
    from queries.backend import BOLT_ENV, graph_tasks_limit

    if os.environ.get(BOLT_ENV):
        return True
    try:
        return _store_answer(str(store_dir()), query_version(), "task_count", ()) > graph_tasks_limit()
    except CascadeError:
        return False


def graph():
    """The graph of the store's current version (reloaded when a rebuild makes a new version);
    stops the page with a one-line error when there is no store."""
    try:
        with st.spinner(tr("common.loading")):
            return project().graph
    except CascadeError as err:
        st.error(error_text(err))
        st.caption(tr("common.build_hint", data=data_dir(), store=store_dir()))
        st.stop()


def graph_or_none():
    """The graph, or None (the page says why) when there is no store yet."""
    try:
        return project().graph
    except CascadeError as err:
        st.info(error_text(err))
        return None


def error_text(err) -> str:
    """A project error in the person's language: the catalogue's sentence for its kind, then its own text
    (file names and the problem as the lower layers wrote them)."""
    return i18n.error_text(err, lang())


def answer(method: str, *args):
    """``project().<method>(*args)`` (an analysis of :class:`cascade.api.Cascade`) with a spinner; None,
    with a line on the page, when it fails. Results are shared: never modify them."""
    try:
        with st.spinner(tr("common.analysing")):
            return getattr(project(), method)(*args)
    except CascadeError as err:
        st.error(error_text(err))
        return None


def dropped_chains_from(uppers) -> list[dict]:
    """Dropped chains that start at ``uppers``."""
    return project().dropped_chains(tuple(sorted(set(uppers))))


def run(fn, *args, **kwargs):
    """Call an analysis; a project error becomes one line on the page instead of a traceback."""
    try:
        return fn(*args, **kwargs)
    except CascadeError as err:
        st.error(error_text(err))
        return None


def doc_name(G, doc_id: str | None) -> str:
    if not doc_id or doc_id not in G:
        return str(doc_id)
    d = G.nodes[doc_id]
    return f"{d.get('year') or ''} {term('level', d.get('level'))} · {d.get('title') or doc_id} ({doc_id})"


def doc_short(G, doc_id: str | None) -> str:
    """Region, year and id: enough to tell documents apart where space is short."""
    if not doc_id or doc_id not in G:
        return str(doc_id)
    d = G.nodes[doc_id]
    return f"{d.get('region') or ''} {d.get('year') or ''} ({doc_id})".strip()


def task_name(G, task_id: str | None, n: int = 60) -> str:
    if not task_id or task_id not in G:
        return str(task_id)
    d = G.nodes[task_id]
    text = " ".join((d.get("text_norm") or d.get("title") or d.get("name") or "").split())
    return f"{task_id} · {text[:n]}{'…' if len(text) > n else ''}"


def esc(text) -> str:
    """Document text made safe for ``st.html`` (which also sanitizes, but we do not rely on it)."""
    return html.escape("" if text is None else str(text))
