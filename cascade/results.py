"""What a build returns: the graph, the records, and a :class:`Problem` for each file it skipped or doubts.

Shared by the full build (:mod:`cascade.pipeline`) and the incremental one (:mod:`cascade.incremental`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from core.records import DocumentRecords

__all__ = ["BuildResult", "Problem"]


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
