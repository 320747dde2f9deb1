"""The state a build leaves for the next incremental one (``state.pickle`` in its store version): each
file's stat, manifest entry hash and content key, each document's metadata (level, region, year,
numbers, parents, task count…) and lookup keys, and the document links (``IMPLEMENTS``, document
``CONTINUES``): a few MB at 1M tasks, read instead of the store.
"""
from __future__ import annotations

import marshal
import os
import pickle
import sys
from pathlib import Path

import networkx as nx

from cascade.incremental.keys import code_key
from core.archives import document_stat
from graph.gcutil import gc_paused as _no_gc  # a state of 25,000 documents (un)pickles a third faster

__all__ = ["STATE_FILE", "STATE_FORMAT", "DOC_FIELDS", "doc_info", "stored_form_key", "make_state", "dump_state", "read_state",
           "file_stat"]

STATE_FILE = "state.pickle"
STATE_FORMAT = 3   # 3: each document's form key kept

DOC_FIELDS = ("level", "region", "year", "doc_no", "cites", "parents", "source", "kind", "issuer", "warnings",
               "title", "parent_cited")


def doc_info(G: nx.MultiDiGraph, n: str, key: str, file: str) -> dict:
    """What later builds need to know of a document without its records."""
    d = G.nodes[n]
    info = {f: d.get(f) for f in DOC_FIELDS}
    tasks = [t for _, t, e in G.out_edges(n, data=True) if e.get("type") == "CONTAINS"]
    n_tasks = plan = 0
    todo = list(tasks)
    while todo:   # the document's sections and tasks, through CONTAINS
        t = todo.pop()
        td = G.nodes[t]
        if td.get("label") == "Task":
            n_tasks += 1
            plan += td.get("scope", "plan") == "plan"
        todo.extend(v for _, v, e in G.out_edges(t, data=True) if e.get("type") == "CONTAINS")
    info.update(n_tasks=n_tasks, plan_tasks=plan > 0, key=key, file=file,
                issuer_uid=next((u for _, u, e in G.out_edges(n, data=True) if e.get("type") == "ISSUED_BY"), None))
    info["form_key"] = stored_form_key(n, info)
    return _lookups(info)


def stored_form_key(did: str, info: dict) -> str | None:
    """The key a stored document shares with the same document in another form
    (:func:`cascade.loading.form_key`; none when the manifest named it: its id is not the one its source
    gives). Kept in the state: computed for 25,000 documents at every incremental build it took 1 s."""
    from cascade.loading import form_key
    from core.records import Document, DocumentRecords
    from graph.build import document_id

    named = did != document_id(DocumentRecords(Document(source=info.get("source") or "")))
    return form_key(info.get("title"), info.get("issuer"), info.get("doc_no"), named)


def _lookups(info: dict) -> dict:
    """The keys :func:`graph.link.link_documents` looks documents up by, computed once per document
    (computing them for 25,000 documents at every build took over a second)."""
    from graph import link as L

    info["docno_key"] = L.docno_key(info.get("doc_no")) if info.get("doc_no") else None
    info["ref_keys"] = sorted({x for r in info.get("parents") or [] for x in (r, L.docno_key(r)) if x})
    info["cite_keys"] = sorted({k for c in info.get("cites") or [] for k in [L.docno_key(c)] if k})
    info["chain"] = L.region_chain(info.get("region"))
    info["place"] = "全国" if L.is_national(info) else (info.get("region") or "")
    info["rank"] = L.document_rank(info)
    info["issuer_key"] = L.issuer_key(info) if info.get("issuer") else None
    return info


def make_state(G: nx.MultiDiGraph, files: dict[str, tuple], file_doc: dict[str, str | None],
               problems: dict[str, list], reviews_key: str | None, manifests: list[str]) -> dict:
    """``files``: real path → (size, mtime_ns, entry hash, content key); ``file_doc``: real path → the
    id of its document (``None`` when it was skipped)."""
    docs = {}
    for f, doc in file_doc.items():
        if doc is not None and doc in G:
            docs[doc] = doc_info(G, doc, files[f][3], f)
    implements, continues = {}, set()
    for u, v, d in G.edges(data=True):
        t = d.get("type")
        if t == "IMPLEMENTS":
            implements[(u, v)] = d.get("via")
        elif t == "CONTINUES" and u in docs and v in docs:
            continues.add((u, v))
    return {"format": STATE_FORMAT, "code": code_key(), "reviews_key": reviews_key, "manifests": manifests,
            "files": files, "file_doc": file_doc, "docs": docs, "implements": implements,
            "continues": continues, "problems": problems}


# The state is plain dicts, tuples, sets and strings: marshal writes it 3x and reads it 1.4x faster than
# pickle (1M tasks: 0.08 s / 0.11 s against 0.22 s / 0.16 s). Its format may change between Python
# versions, hence the version in the header; a state marshal refuses is pickled.
_MARSHAL_HEAD = b"cascade-state marshal %d %d.%d\n" % (marshal.version, *sys.version_info[:2])


def dump_state(state: dict) -> bytes:
    with _no_gc():
        try:
            return _MARSHAL_HEAD + marshal.dumps(state)
        except ValueError:   # a value marshal cannot write
            return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def read_state(version: Path | None) -> dict | None:
    """The state left in a store version, ``None`` when there is none or it is of another format."""
    if version is None:
        return None
    try:
        with open(version / STATE_FILE, "rb") as fh:
            data = fh.read()
        with _no_gc():
            if data.startswith(_MARSHAL_HEAD):
                state = marshal.loads(memoryview(data)[len(_MARSHAL_HEAD):])
            else:
                state = pickle.loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else None


def file_stat(path: str) -> tuple[int, int]:
    """What tells a file changed without reading it: (size, mtime_ns); a member's are its archive's."""
    st = document_stat(path)
    return st.st_size, st.st_mtime_ns

