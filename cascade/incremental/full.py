"""The full path of an incremental build: every file's records (from the record cache when its content
key is known), linked in full by :mod:`cascade.pipeline`, then the state the next build starts from.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import networkx as nx

from cascade.incremental.cache import read_record, write_cache_file, write_record
from cascade.incremental.keys import content_code, content_key, entry_hash, file_key
from cascade.incremental.manifest_cache import prime_manifest_cache
from cascade.incremental.state import STATE_FILE, dump_state, file_stat, make_state
from cascade.loading import load_files
from cascade.results import Problem, graph_counts
from loaders.limits import display_name

__all__ = ["Incremental"]


class Incremental:
    """A full build with ``--incremental``: the record cache, then the state for the next build."""

    def __init__(self, store: str | os.PathLike, files: list[Path], manifest: dict[Path, dict],
                 reviews_path: str | os.PathLike | None = None, reason: str = "no previous store",
                 manifests: list[Path] | None = None):
        self.store = Path(store)
        self.cache = self.store / "cache" / "records"
        self.files = files
        self.manifest = manifest
        self.real = {f: f.resolve() for f in files}
        code = content_code()
        self.keys = {f: content_key(f, manifest.get(self.real[f]), code) for f in files}
        self.reviews_key = file_key(reviews_path)
        self.manifests = sorted(os.path.realpath(m) for m in manifests or [])
        self.info: dict = {"files": len(files), "loaded": 0, "cached": 0, "mode": "full", "reason": reason}

    def load(self, progress: Callable | None = None):
        """Records of every file (cached ones unpickled, the others loaded) and the problems."""
        records = [read_record(self.cache, self.keys[f]) for f in self.files]
        missing = [i for i, rec in enumerate(records) if rec is None]
        problems = [Problem(str(f), w, "warning") for f, rec in zip(self.files, records) if rec is not None
                    for w in rec.document.warnings]
        loaded, load_problems = load_files([self.files[i] for i in missing], self.manifest, progress)
        for i, rec in zip(missing, loaded):
            if rec is not None:
                write_record(self.cache, self.keys[self.files[i]], rec)
                records[i] = rec
        keep = {f"{k}.pickle" for k in self.keys.values()}
        if self.cache.is_dir():
            for old in self.cache.iterdir():
                if old.name not in keep:
                    old.unlink(missing_ok=True)
        self.info.update(loaded=len(missing), cached=len(self.files) - len(missing))
        return [r for r in records if r is not None], load_problems + problems

    def meta(self, G: nx.MultiDiGraph) -> dict:
        """Counts the next builds report without reading the graph."""
        return {"incremental": "full", **graph_counts(G)}

    def remember(self, G: nx.MultiDiGraph, version: Path, problems: list) -> None:
        """Leave the state for the next incremental build in the version just saved. Best effort: without
        it, the next build is a full one."""
        by_source: dict[str, list[str]] = {}
        for n, d in G.nodes(data=True):
            if d.get("label") == "Document":
                by_source.setdefault(d.get("source"), []).append(n)
        files, file_doc = {}, {}
        for f in self.files:
            real = str(self.real[f])
            entry = self.manifest.get(self.real[f])
            src = (entry or {}).get("file") or display_name(f.name)
            docs = by_source.get(src) or [None]
            if len(docs) > 1:
                return   # two files with one source: which document is whose is not known
            try:
                files[real] = (*file_stat(real), entry_hash(entry), self.keys[f])
            except OSError:
                return
            file_doc[real] = docs[0]
        by_file: dict[str, list] = {}
        for p in problems:
            try:
                real = str(Path(p.path).resolve())
            except OSError:
                continue
            by_file.setdefault(real, []).append((p.message, p.severity))
        state = make_state(G, files, file_doc, by_file, self.reviews_key, self.manifests)
        write_cache_file(version / STATE_FILE, dump_state(state))
        if len(self.manifests) == 1:
            prime_manifest_cache(Path(self.manifests[0]), list(self.manifest.values()), self.store / "cache")
