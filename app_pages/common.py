"""What every page of the app shares: where the store and the documents are, the cached graph, and
optional analyses imported only when a page needs them.

Settings come from the environment so the tests and the browser check can point the app at a store
of their own: ``CASCADE_STORE`` (default ``.cascade``) and ``CASCADE_DATA`` (default ``data``: the
documents a rebuild reads, uploads and ``reviews.yaml``).
"""
from __future__ import annotations

import html
import importlib
import os
from pathlib import Path

import streamlit as st

from cascade.errors import CascadeError



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


@st.cache_resource(show_spinner="Loading the cascade…", max_entries=2)
def _load(store: str, version: str):
    from graph.store import load_graph

    return load_graph(store)


def graph():
    """The graph of the store's current version (reloaded when a rebuild makes a new version);
    stops the page with a one-line error when there is no store."""
    try:
        return _load(str(store_dir()), store_version())
    except CascadeError as err:
        st.error(f"{err}")
        st.caption(f"Build one with `cascade build {data_dir()}/ --store {store_dir()}`, "
                   "or upload documents on the Documents page.")
        st.stop()


def graph_or_none():
    """The graph, or None (the page says why) when there is no store yet."""
    try:
        return _load(str(store_dir()), store_version())
    except CascadeError as err:
        st.info(str(err))
        return None


def optional(module: str, name: str):
    """``module.name`` if it can be imported, else None: analyses written by others may not exist yet,
    and the app must keep working meanwhile."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def need(module: str, name: str):
    """Like :func:`optional`, but says on the page what is missing."""
    fn = optional(module, name)
    if fn is None:
        st.info(f"`{module}.{name}` is not available in this version, so this part is not shown.")
    return fn


@st.cache_resource(show_spinner="Analysing the cascade…", max_entries=256)
def _analysis(store: str, version: str, module: str, name: str, args: tuple):
    import inspect

    fn = getattr(importlib.import_module(module), name)
    G = _load(store, version)
    kwargs = {}
    if (module, name) != ("queries.gaps", "coverage") and "rows" in inspect.signature(fn).parameters:
        kwargs["rows"] = _analysis(store, version, "queries.gaps", "coverage", ())   # computed once, shared
    return fn(G, *args, **kwargs)


def analysis(module: str, name: str, *args, say_missing: bool = True):
    """``module.name(G, *args)`` for the current store, computed once per store version and arguments
    (analyses of a large cascade take seconds; a page reruns on every click). None, with a line on
    the page, when the analysis does not exist yet or fails. Results are shared: never modify them."""
    if optional(module, name) is None:
        if say_missing:
            st.info(f"`{module}.{name}` is not available in this version, so this part is not shown.")
        return None
    try:
        return _analysis(str(store_dir()), store_version(), module, name, tuple(args))
    except CascadeError as err:
        st.error(str(err))
        return None


def dropped_chains_from(uppers) -> list[dict]:
    """Dropped chains that start at ``uppers`` (computed on the coverage rows that can matter)."""
    if optional("queries.gaps", "dropped_chains") is None:
        return []
    return _dropped(str(store_dir()), store_version(), tuple(sorted(set(uppers))))


@st.cache_resource(show_spinner="Following chains…", max_entries=64)
def _dropped(store: str, version: str, uppers: tuple) -> list[dict]:
    from queries.gaps import dropped_chains
    from queries.view import chain_rows

    rows = _analysis(store, version, "queries.gaps", "coverage", ())
    return dropped_chains(_load(store, version), chain_rows(rows, uppers))


def run(fn, *args, **kwargs):
    """Call an analysis; a project error becomes one line on the page instead of a traceback."""
    try:
        return fn(*args, **kwargs)
    except CascadeError as err:
        st.error(str(err))
        return None


def doc_name(G, doc_id: str | None) -> str:
    if not doc_id or doc_id not in G:
        return str(doc_id)
    d = G.nodes[doc_id]
    return f"{d.get('year') or ''} {d.get('level') or ''} · {d.get('title') or doc_id} ({doc_id})"


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
