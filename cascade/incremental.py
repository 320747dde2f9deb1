"""Incremental builds (``cascade build --incremental``): redo only what a changed document touches.

A document's *content key* is a hash of its bytes, its manifest entry and the loaders' own source, so a
key is unchanged exactly when loading the file again would give the same records. An incremental build

1. loads only the files whose key is not in the record cache (``<store>/cache/records/<key>.pickle``,
   written by every incremental build, pruned to the files of the last build), and unpickles the rest;
2. builds the graph from all records, as a full build does; ids come from document ids and printed
   numbers only, so every node of an unchanged document keeps its id;
3. re-links only the *neighbourhood* of the changed documents (added or changed, plus the documents they
   implement, the documents implementing them, and the same issuer's plans of the years around): the
   linker runs on that subgraph, and its ``IMPLEMENTS``/``DERIVED_FROM``/``CONTINUES`` edges touching a
   changed document are kept; every edge between two unchanged documents is copied from the previous
   store, review status included;
4. recomputes what is global (``MEMBER_OF``) and saves a new version of the store as usual.

A full build is the reference: the linker's IDF weights are taken over the graph it is given, so a pair
re-linked on the neighbourhood can score slightly differently than in a full build. When the reviews
file, the linker's source, or the set of removed documents makes reuse unsafe, the build links in full
(``reason`` says why).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Callable

import networkx as nx

__all__ = ["content_key", "code_fingerprint", "Incremental", "LINK_TYPES"]

LINK_TYPES = ("IMPLEMENTS", "DERIVED_FROM", "CONTINUES")
_ROOT = Path(__file__).resolve().parents[1]
_FINGERPRINTS: dict[str, str] = {}


def code_fingerprint(package: str) -> str:
    """A hash of a package's Python source: cached results are stale when the code that made them changed."""
    if package not in _FINGERPRINTS:
        h = hashlib.sha256()
        for p in sorted((_ROOT / package).glob("*.py")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
        _FINGERPRINTS[package] = h.hexdigest()[:16]
    return _FINGERPRINTS[package]


def content_key(path: Path, overrides: dict | None) -> str:
    """The key of one document: its bytes, its manifest entry and the loaders' version.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("一、总体要求", encoding="utf-8")
    >>> content_key(p, {"level": "county"}) == content_key(p, {"level": "county"}) != content_key(p, {"level": "city"})
    True
    """
    h = hashlib.sha256()
    h.update(code_fingerprint("loaders").encode())
    h.update(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False, default=str).encode())
    h.update(path.read_bytes())
    return h.hexdigest()[:32]


class Incremental:
    """One incremental build over ``store``: the record cache, the previous version and its keys."""

    def __init__(self, store: str | os.PathLike, files: list[Path], manifest: dict[Path, dict],
                 reviews_path: str | os.PathLike | None = None):
        from graph.store import current_version

        self.store = Path(store)
        self.cache = self.store / "cache" / "records"
        self.files = files
        self.manifest = manifest
        self.keys = {f: content_key(f, manifest.get(f.resolve())) for f in files}
        self.previous = current_version(self.store)
        self.prev_meta = self._read_meta()
        self.reviews_key = _file_key(reviews_path)
        self.info: dict = {"files": len(files), "loaded": 0, "cached": 0}

    def _read_meta(self) -> dict:
        if self.previous is None:
            return {}
        try:
            return json.loads((self.previous / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    # -- loading --------------------------------------------------------------------------------
    def load(self, progress: Callable | None = None):
        """Records of every file (cached ones unpickled, the others loaded) and the problems."""
        from cascade.pipeline import load_all

        cached, missing = {}, []
        for f in self.files:
            p = self.cache / f"{self.keys[f]}.pickle"
            try:
                with open(p, "rb") as fh:
                    cached[f] = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                missing.append(f)
        loaded, problems = load_all(missing, self.manifest, progress)
        self.cache.mkdir(parents=True, exist_ok=True)
        fresh, i = {}, 0
        for f in missing:   # load_all keeps the order of the files and leaves out the failed ones
            src = (self.manifest.get(f.resolve()) or {}).get("file") or f.name
            if i < len(loaded) and loaded[i].document.source == src:
                fresh[f] = loaded[i]
                i += 1
                tmp = self.cache / f"{self.keys[f]}.pickle.tmp{os.getpid()}"
                with open(tmp, "wb") as fh:
                    pickle.dump(fresh[f], fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.cache / f"{self.keys[f]}.pickle")
        keep = {f"{k}.pickle" for k in self.keys.values()}
        for old in self.cache.iterdir():
            if old.name not in keep:
                old.unlink(missing_ok=True)
        from cascade.pipeline import Problem

        for f, rec in cached.items():
            problems.extend(Problem(str(f), w, "warning") for w in rec.document.warnings)
        self.info.update(loaded=len(missing), cached=len(cached))
        records = [cached.get(f) or fresh.get(f) for f in self.files]
        return [r for r in records if r is not None], problems

    # -- linking --------------------------------------------------------------------------------
    def doc_keys(self, G: nx.MultiDiGraph) -> dict[str, str]:
        """Document id → content key, for the store's meta."""
        by_source = {}
        for f, k in self.keys.items():
            src = (self.manifest.get(f.resolve()) or {}).get("file") or f.name
            by_source[src] = k
        return {n: by_source.get(d.get("source"), "") for n, d in G.nodes(data=True) if d.get("label") == "Document"}

    def meta(self, G: nx.MultiDiGraph) -> dict:
        return {"content_keys": self.doc_keys(G), "linker": _linker_fingerprint(),
                "reviews_key": self.reviews_key}

    def link(self, G: nx.MultiDiGraph, link_all: Callable[[nx.MultiDiGraph], object]) -> None:
        """Link ``G``: the changed neighbourhood with ``link_all``, the rest copied from the previous store."""
        reason = self._full_reason(G)
        if reason:
            self.info.update(mode="full", reason=reason)
            link_all(G)
            return
        P = self._previous_links()
        old_keys: dict = self.prev_meta["content_keys"]
        new_keys = self.doc_keys(G)
        docs = {n for n, d in G.nodes(data=True) if d.get("label") == "Document"}
        changed = {n for n in docs if old_keys.get(n) != new_keys.get(n) or n not in P}
        removed = {n for n in old_keys if n not in docs}
        hood = set(changed)
        for n in changed:   # parents and children, by the previous links and the new documents' parents
            for src in (P, G):
                if n in src:
                    hood.update(v for _, v, e in src.out_edges(n, data=True) if e.get("type") == "IMPLEMENTS")
                    hood.update(u for u, _, e in src.in_edges(n, data=True) if e.get("type") == "IMPLEMENTS")
            hood.update(p for p in G.nodes[n].get("parents") or [] if p in docs)
        issuers = {G.nodes[n].get("issuer") for n in changed}
        hood.update(n for n in docs if G.nodes[n].get("issuer") in issuers)   # CONTINUES across years
        hood.update(_parents_by_reference(G, changed, docs))
        hood.update(n for n in docs - hood if changed & set(_refs(G, n, docs)))
        H = _subgraph(G, hood)
        link_all(H)
        doc_of = _doc_index(G)
        added = copied = 0
        for u, v, k, d in H.edges(keys=True, data=True):
            if d.get("type") in LINK_TYPES and (doc_of.get(u) in changed or doc_of.get(v) in changed):
                G.add_edge(u, v, key=k, **d)
                added += 1
        for u, v, k, d in P.edges(keys=True, data=True):
            if d.get("type") not in LINK_TYPES or u not in G or v not in G:
                continue
            du, dv = doc_of.get(u), doc_of.get(v)
            if du in changed or dv in changed or du in removed or dv in removed:
                continue
            G.add_edge(u, v, key=k, **d)
            copied += 1
        self.info.update(mode="incremental", changed=sorted(changed), neighbourhood=len(hood),
                         relinked_edges=added, copied_edges=copied, changed_documents=len(changed))

    def remember(self, G: nx.MultiDiGraph, version: Path) -> None:
        """Keep the links of the version just saved beside it (``links.pickle``): the next incremental
        build reads them instead of parsing the whole graph.json. Best effort: without the file, the
        next build falls back to graph.json."""
        links = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if d.get("type") in LINK_TYPES]
        docs = [n for n, d in G.nodes(data=True) if d.get("label") == "Document"]
        tmp = version / f".links.pickle.{os.getpid()}"
        try:
            with open(tmp, "wb") as fh:
                pickle.dump({"documents": docs, "links": links}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, version / "links.pickle")
        except OSError:
            tmp.unlink(missing_ok=True)

    def _previous_links(self) -> nx.MultiDiGraph:
        """The previous version's documents and link edges (from links.pickle, else graph.json)."""
        try:
            with open(self.previous / "links.pickle", "rb") as fh:
                data = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            from graph.store import load_graph

            return load_graph(self.store)
        P = nx.MultiDiGraph()
        P.add_nodes_from(data["documents"], label="Document")
        P.add_edges_from(data["links"])
        return P

    def _full_reason(self, G: nx.MultiDiGraph) -> str | None:
        if self.previous is None:
            return "no previous store"
        if "content_keys" not in self.prev_meta:
            return "the previous store was not built incrementally"
        if self.prev_meta.get("linker") != _linker_fingerprint():
            return "the linker changed since the previous build"
        if self.prev_meta.get("reviews_key") != self.reviews_key:
            return "the reviews changed since the previous build"
        docs = {n for n, d in G.nodes(data=True) if d.get("label") == "Document"}
        if set(self.prev_meta["content_keys"]) - docs:
            # A removed parent can change which document a child implements by inference.
            return "documents were removed"
        return None


def _linker_fingerprint() -> str:
    """The code whose output an incremental build copies: the graph builder, the linker, the reviews."""
    h = hashlib.sha256()
    for name in ("build.py", "link.py", "reviews.py"):
        p = _ROOT / "graph" / name
        h.update(p.read_bytes() if p.is_file() else b"")
    return h.hexdigest()[:16]


def _file_key(path) -> str | None:
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def _refs(G, n: str, docs: set) -> list[str]:
    return [p for p in G.nodes[n].get("parents") or [] if p in docs]


def _parents_by_reference(G, changed: set, docs: set) -> set:
    """Upper documents a changed document names by doc number (its citations)."""
    out = set()
    cites = {c for n in changed for c in G.nodes[n].get("cites") or []}
    if cites:
        out.update(n for n in docs if G.nodes[n].get("doc_no") in cites)
    return out


def _doc_index(G: nx.MultiDiGraph) -> dict[str, str]:
    out = {}
    for n, d in G.nodes(data=True):
        lab = d.get("label")
        if lab == "Document":
            out[n] = n
        elif lab in ("Task", "Section"):
            out[n] = d.get("doc_id")
    return out


def _subgraph(G: nx.MultiDiGraph, docs: set) -> nx.MultiDiGraph:
    """The documents ``docs`` with their sections, tasks, units and the edges among them (a copy)."""
    keep = set(docs)
    for n, d in G.nodes(data=True):
        if d.get("label") in ("Task", "Section") and d.get("doc_id") in docs:
            keep.add(n)
    for n in list(keep):
        keep.update(v for v in G.successors(n) if G.nodes[v].get("label") == "Unit")
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, dict(G.nodes[n])) for n in keep)
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keep, keys=True, data=True) if v in keep)
    return H
