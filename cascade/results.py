"""What a build returns: the graph, the records, and a :class:`Problem` for each file it skipped or doubts.

Shared by the full build (:mod:`cascade.pipeline`) and the incremental one (:mod:`cascade.incremental`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from core.records import LINK_TYPES, DocumentRecords

__all__ = ["BuildResult", "Problem", "StoredResult", "graph_counts"]


@dataclass
class Problem:
    """One file that could not be loaded, or a warning about one that was."""
    path: str
    message: str
    severity: str = "error"   # error: the file was skipped; warning: loaded with a caveat
    detail: str = ""          # the traceback, for `cascade --debug` (text: it crosses process pools)

    def __str__(self) -> str:
        from loaders.limits import display_name   # a name that is not UTF-8 (GBK, raw bytes) is shown readable

        return display_name(self.message if self.message.startswith(self.path) else f"{self.path}: {self.message}")


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    records: list[DocumentRecords]   # empty after a build of more than cascade.pipeline.KEEP_RECORDS_MAX_TASKS
    problems: list[Problem] = field(default_factory=list)
    store: Path | None = None
    incremental: dict | None = None   # what an incremental build reused (see cascade.incremental)

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class StoredResult(BuildResult):
    """A build result whose graph is read from the store only when asked for: the incremental fast path
    never holds the whole graph, and a large full build (:mod:`cascade.apart`) held it in another
    process. ``counts`` (nodes per label) and ``links`` come from the store's meta."""

    @classmethod
    def of(cls, root: Path, version: Path, records, problems, info, meta=None) -> StoredResult:
        if meta is None:
            try:
                meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
        out = cls(None, records, problems, store=version, incremental=info)
        out.root = root
        out.counts = meta.get("label_counts")
        out.links = meta.get("derived_from")
        out.meta = meta
        return out

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            from graph.store import load_graph

            self._graph = load_graph(self.root)
        return self._graph

    @graph.setter
    def graph(self, value) -> None:
        self._graph = value


def graph_counts(G: nx.MultiDiGraph) -> dict:
    """What a build reports of its graph without keeping it: nodes per label (``label_counts``), the
    ``DERIVED_FROM`` relationships and all the links (:data:`core.records.LINK_TYPES`)."""
    labels: dict[str, int] = {}
    for d in G._node.values():
        labels[d.get("label")] = labels.get(d.get("label"), 0) + 1
    rels: dict[str, int] = {}
    for _, _, d in G.edges(data=True):
        rels[d.get("type")] = rels.get(d.get("type"), 0) + 1
    return {"label_counts": labels, "derived_from": rels.get("DERIVED_FROM", 0),
            "links": sum(rels.get(t, 0) for t in LINK_TYPES)}
