"""Build: files → records → graph → links → store. The CLI and the app call this; nothing else does.

One bad file never loses the others: its error is collected as a :class:`Problem` and the build goes on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from cascade.errors import CascadeError, LoadError
from loaders import SUPPORTED, load_file
from loaders.manifest import read_manifest
from loaders.records import DocumentRecords

__all__ = ["collect_files", "load_all", "build", "BuildResult", "Problem"]

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")
_SKIP_NAMES = {"reviews.yaml", "README.md", "MANIFEST.md"} | set(MANIFEST_NAMES)


@dataclass
class Problem:
    """One file that could not be loaded, or a warning about one that was."""
    path: str
    message: str
    severity: str = "error"   # error: the file was skipped; warning: loaded with a caveat

    def __str__(self) -> str:
        return self.message if self.message.startswith(self.path) else f"{self.path}: {self.message}"


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    records: list[DocumentRecords]
    problems: list[Problem] = field(default_factory=list)
    store: Path | None = None

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Path]]:
    """Document files under ``paths`` (sorted, hidden files skipped) and the manifests found beside them."""
    files: list[Path] = []
    manifests: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for m in MANIFEST_NAMES:
                if (p / m).is_file():
                    manifests.append(p / m)
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if f.name in _SKIP_NAMES or f.suffix.lower() in (".yaml", ".yml", ".json", ".png", ".jpg"):
                    continue
                files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            raise CascadeError(f"{p}: no such file or folder")
    return files, manifests


def load_all(files: list[Path], manifest: dict[Path, dict] | None = None,
             progress: Callable[[int, int, str], None] | None = None) -> tuple[list[DocumentRecords], list[Problem]]:
    """Load every file; returns the records and the problems (one per file that failed)."""
    manifest = manifest or {}
    records: list[DocumentRecords] = []
    problems: list[Problem] = []
    for i, f in enumerate(files):
        if progress:
            progress(i, len(files), f.name)
        try:
            rec = load_file(f, manifest.get(f.resolve()))
        except LoadError as err:
            problems.append(Problem(str(f), err.problem if err.path == str(f) else str(err)))
            continue
        except RecursionError:
            problems.append(Problem(str(f), "structure nested too deeply to read"))
            continue
        except MemoryError:
            problems.append(Problem(str(f), "too large to read in memory"))
            continue
        for w in rec.document.warnings:
            problems.append(Problem(str(f), w, "warning"))
        records.append(rec)
    if progress:
        progress(len(files), len(files), "")
    return records, problems


def build(paths: Iterable[str | os.PathLike], manifest_path: str | os.PathLike | None = None,
          store: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None,
          reviews: str | os.PathLike | None = None) -> BuildResult:
    """Load, link and (when ``store`` is given) save. Raises :class:`CascadeError` only for problems
    that stop the whole build (no input, a broken manifest)."""
    from graph.build import build_graph
    from graph.link import link

    paths = list(paths)
    files, manifests = collect_files(paths)
    if manifest_path:
        manifests = [Path(manifest_path)]
    manifest: dict[Path, dict] = {}
    for m in manifests:
        manifest.update(read_manifest(m))
    if not files:
        raise CascadeError(f"no documents found in {', '.join(map(str, paths))}")
    records, problems = load_all(files, manifest, progress)
    G = build_graph(records)
    link(G)
    from graph.membership import add_membership

    add_membership(G)
    result = BuildResult(G, records, problems)
    if store is not None:
        from graph.store import save

        result.store = save(G, store, {"sources": sorted(r.document.source for r in records)})
    return result
