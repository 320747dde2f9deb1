"""Loaders: a file in, plain records out (see :mod:`core.records`). They know nothing of graphs.

:func:`load_file` (:mod:`loaders.load`) reads one file; it is imported on first use, as every reader and
rule behind it compiles its patterns when imported (a second at a process's start), which a process that
only asks a question of the store, or uses one rule (:mod:`loaders.normalize`), never needs.

>>> from pathlib import Path
>>> from loaders import load_file
>>> load_file(Path(__file__).parent.parent / "data" / "2021_national_state_council_workpoints.txt").document.level
'national'
"""
from __future__ import annotations

from core.records import Assignment, Document, DocumentRecords, Section, Task

__all__ = ["load_file", "normalized_line", "Document", "DocumentRecords", "Section", "Task", "Assignment", "SUPPORTED"]

SUPPORTED = (".txt", ".text", ".md", ".csv", ".tsv", ".html", ".htm", ".shtml", ".mht", ".mhtml", ".docx", ".xlsx", ".pdf",
             ".doc", ".wps", ".xls", ".et", ".rtf", ".odt", ".ods", ".ofd", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")


def __getattr__(name: str):
    if name in ("load_file", "normalized_line"):
        from . import load

        return getattr(load, name)
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
