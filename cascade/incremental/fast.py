"""The fast path of an incremental build: read and rewrite only what the changed documents touch.

It runs when the store holds the state of a previous build (:mod:`cascade.incremental.state`) made
with the same code (:func:`cascade.incremental.keys.code_key`) and reviews; otherwise
:func:`build_fast` says why and the build is a full one.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from cascade.incremental.apply import Decline, apply_change
from cascade.incremental.cache import read_record, write_record
from cascade.incremental.keys import code_key, file_key
from cascade.incremental.manifest_cache import read_manifest_cached
from cascade.incremental.plan import Plan, find_changes, two_forms
from cascade.incremental.state import STATE_FILE, doc_info, dump_state, read_state
from cascade.loading import load_files, reviews_path
from cascade.results import BuildResult, Problem, StoredResult
from core.files import list_documents_fast
from core.records import LINK_TYPES

__all__ = ["Fast", "build_fast", "StoredResult"]


@dataclass
class Fast:
    """What :func:`build_fast` did: a result, or the reason it left the build to the full path."""
    result: BuildResult | None = None
    reason: str | None = None


def build_fast(paths, manifest_path, store, progress=None, reviews=None) -> Fast:
    """An incremental build that reads and rewrites only what the changed documents touch (see
    :mod:`cascade.incremental`). ``Fast.result`` is ``None`` when a full build is needed, with the reason."""
    from graph.reviews import read_reviews
    from graph.store import current_version

    store = Path(store)
    previous = current_version(store)
    state = read_state(previous)
    if state is None:
        return Fast(reason="no previous store" if previous is None else
                    "the previous store was not built incrementally")
    listed = list_documents_fast(paths)
    if listed is None:
        return Fast(reason="the inputs hold symbolic links or missing paths")
    files, manifests, real = listed
    if manifest_path:
        manifests = [Path(manifest_path)]
    if not files:
        return Fast(reason="no documents")
    if state["code"] != code_key():
        return Fast(reason="the build code changed since the previous build (core, loaders, graph or cascade)")
    if state["manifests"] != sorted(os.path.realpath(m) for m in manifests):
        return Fast(reason="the manifests are not those of the previous build")
    rpath = reviews or reviews_path(list(paths), manifests)
    if file_key(rpath) != state["reviews_key"]:
        return Fast(reason="the reviews changed since the previous build")
    review_data = read_reviews(rpath)
    if any(r.get("status") == "confirmed" for r in review_data.values()):
        return Fast(reason="confirmed reviews are applied by a full link")
    if any("same document id" in m for probs in state["problems"].values() for m, _ in probs):
        return Fast(reason="the previous build dropped a document for a duplicate id")
    manifest: dict[str, dict] = {}
    entry_keys: dict[str, str] = {}
    for m in manifests:
        entries, hashes = read_manifest_cached(m, store / "cache")
        if getattr(entries, "problems", None):
            return Fast(reason="the manifest has rows that name no file")   # the full build names them
        manifest.update(entries)
        entry_keys.update(hashes)
    return _Run(store, previous, state, files, real, manifest, entry_keys, review_data, progress).run()


class _Run:
    """One fast build: what changed, the plan, the links made again, the change written."""

    def __init__(self, store, previous, state, files, real, manifest, entry_keys, review_data, progress):
        self.store, self.previous, self.state = store, previous, state
        self.manifest, self.entry_keys = manifest, entry_keys
        self.review_data, self.progress = review_data, progress
        self.cache = store / "cache" / "records"
        # real path of every file: the roots resolved once (list_documents_fast refused links under them)
        self.files = files
        self.real = real
        self.info: dict = {"files": len(files), "loaded": 0, "cached": 0, "mode": "incremental"}

    def run(self) -> Fast:
        from graph.build import add_document, document_id

        state = self.state
        keys, changed_files, gone = find_changes(self.files, self.real, self.manifest, self.entry_keys,
                                                 state["files"])
        docs = state["docs"]
        file_doc = dict(state["file_doc"])
        records, problems = self._load(changed_files, keys)
        removed = {file_doc[f] for f in gone if file_doc.get(f)}
        changed: dict[str, object] = {}
        for f, rec in zip(changed_files, records):
            real = self.real[f]
            if file_doc.get(real):
                removed.add(file_doc[real])
            file_doc[real] = document_id(rec) if rec is not None else None
            if rec is not None:
                did = document_id(rec)
                if did in changed:
                    return Fast(reason=f"two files give the document id '{did}'")
                changed[did] = rec
        if two_forms(changed, docs, removed):
            return Fast(reason="a document dropped in two forms: the full build keeps one")
        for f in gone:
            file_doc.pop(f, None)
        removed -= set(changed)
        file_of: dict[str, str] = {}
        for f, did in file_doc.items():
            if did is not None:
                if did in file_of:
                    return Fast(reason=f"two files give the document id '{did}'")
                file_of[did] = f
        # problems of the unchanged files, as a full build reports them again
        changed_real = {self.real[f] for f in changed_files}
        shown = {self.real[f]: f for f in self.files}
        for real, probs in state["problems"].items():
            if real in keys and real not in changed_real:
                problems.extend(Problem(shown.get(real, real), m, s) for m, s in probs)
        if not changed and not removed:   # the store is up to date: no new version
            result = StoredResult.of(self.store, self.previous, [], problems, self.info)
            self.info.update(changed=[], changed_documents=0, relinked_edges=0, neighbourhood=0,
                             copied_edges=result.meta.get("links", 0))
            return Fast(result=result)
        if len(set(docs) - removed) + len(changed) == 0 or all(d is None for d in file_doc.values()):
            return Fast(reason="no document left")

        # the changed documents' own graphs: their nodes, their metadata, their first mention of each unit
        own = {}
        for did, rec in sorted(changed.items()):
            g = nx.MultiDiGraph()
            add_document(g, rec)
            own[did] = g
        new_docs = {d: info for d, info in docs.items() if d not in removed and d not in changed}
        for did, g in own.items():
            new_docs[did] = doc_info(g, did, keys[file_of[did]][3], file_of[did])
        plan = Plan(docs, new_docs, set(changed) | removed, state["implements"], state["continues"])
        self.info.update(changed=sorted(changed), changed_documents=len(changed), removed=sorted(removed))
        try:
            return self._save(plan, changed, own, new_docs, keys, file_doc, problems)
        except Decline as why:
            return Fast(reason=str(why))

    def _load(self, changed_files: list[str], keys: dict) -> tuple[list, list[Problem]]:
        """The records of the changed files (``None`` for one that failed), from the record cache when
        their key is known, and their problems."""
        records = [read_record(self.cache, keys[self.real[f]][3]) for f in changed_files]
        problems = [Problem(str(f), w, "warning") for f, rec in zip(changed_files, records) if rec is not None
                    for w in rec.document.warnings]
        missing = [i for i, rec in enumerate(records) if rec is None]
        paths = [Path(changed_files[i]) for i in missing]
        entries = {Path(self.real[changed_files[i]]): self.manifest.get(self.real[changed_files[i]]) for i in missing}
        loaded, load_problems = load_files(paths, {k: v for k, v in entries.items() if v is not None},
                                           self.progress)
        problems.extend(load_problems)
        for i, rec in zip(missing, loaded):
            if rec is not None:
                write_record(self.cache, keys[self.real[changed_files[i]]][3], rec)
                records[i] = rec
        self.info.update(loaded=len(missing), cached=len(self.files) - len(missing))
        return records, problems

    def _save(self, plan, changed, own, new_docs, keys, file_doc, problems) -> Fast:
        from graph.store import save_layer

        from graph.store import content_version
        from queries.trace_index import DELTA_FILE

        H = self._link(plan, changed, new_docs)
        written = {}
        # what the trace index of the version before needs read again to be this one's
        # (queries.trace_index.update_index): the documents replaced, and the lower ends of the pairs linked again
        index_delta = {"from": content_version(self.store),
                 "documents": sorted(plan.touched | {p[0] for p in plan.dirty_pairs | plan.stale_pairs})}

        def update(conn, bulk):
            delta, counts = apply_change(conn, bulk, self.previous, plan, H, own, new_docs, self.cache)
            written["delta"] = delta
            state = dict(self.state, files=keys, file_doc=file_doc, docs=new_docs,
                         implements=plan.implements, continues=plan.continues,
                         problems=_problems_by_file(problems, self.files, self.real))
            return delta, {"incremental": "layer", **counts}, {STATE_FILE: dump_state(state),
                                                              DELTA_FILE: json.dumps(index_delta).encode()}

        version = save_layer(self.store, update)
        n_links = sum(1 for r in written["delta"]["relationships"] if r["type"] in LINK_TYPES)
        meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
        self.info.update(neighbourhood=len(plan.linked_docs), relinked_edges=n_links,
                         copied_edges=max(0, meta.get("links", 0) - n_links), version=version.name)
        return Fast(result=StoredResult.of(self.store, version, list(changed.values()), problems, self.info, meta))

    def _link(self, plan, changed, new_docs) -> nx.MultiDiGraph:
        """The graph of the documents whose pairs are linked again, linked pair by pair."""
        from core.threads import limited_blas
        from graph import link as L
        from graph.build import build_graph

        recs = []
        for d in sorted(plan.linked_docs):
            if d in changed:
                recs.append(changed[d])
                continue
            rec = read_record(self.cache, new_docs[d]["key"])
            if rec is None:   # gone from the cache: loaded again
                f = Path(new_docs[d]["file"])
                entry = self.manifest.get(new_docs[d]["file"])
                rec = load_files([f], {f: entry} if entry else {})[0][0]
                write_record(self.cache, new_docs[d]["key"], rec)
            recs.append(rec)
        H = build_graph(recs)
        for (a, b) in sorted(plan.dirty_pairs):
            H.add_edge(a, b, key="IMPLEMENTS", type="IMPLEMENTS", via=plan.implements[(a, b)])
        rejected = {k for k, r in self.review_data.items() if r.get("status") == "rejected"}
        with limited_blas(1):   # as the full build links: many small matrix products
            L.link_tasks(H, rejected=rejected)
            L.link_years(H)
        return H


def _problems_by_file(problems, files, reals) -> dict:
    back = {str(f): reals[f] for f in files}
    out: dict[str, list] = {}
    for p in problems:
        real = back.get(p.path)
        if real is not None:
            out.setdefault(real, []).append((p.message, p.severity))
    return out
