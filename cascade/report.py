"""The coverage report a 政务公开办 hands upward: HTML with charts, an XLSX 台账, or a PDF.

All are in the office's shape: per level of the lower documents, one row per upper requirement (or
local addition) with 序号 / 上级要求 / 本级任务 / 牵头单位 / 配合单位 / 完成时限 / 落实情况 / 依据（原文摘录）
(and 本级文件, so a level with several documents can be filtered). Chinese unless ``lang="en"``; the
words come from cascade/i18n.

The rows are gathered once, in :mod:`cascade.report_rows`; each format has its writer
(:mod:`cascade.report_html`, :mod:`cascade.report_xlsx`, :mod:`cascade.report_pdf`), and this module
picks one by name.
"""
from __future__ import annotations

import os

import networkx as nx

from core.errors import CascadeError
from core.files import write_atomic
from cascade.report_html import html_report
from cascade.report_pdf import pdf_report
from cascade.report_xlsx import xlsx_report

__all__ = ["write_report", "html_report", "xlsx_report", "pdf_report", "WRITERS", "REPORT_FORMATS", "REPORT_MIME",
           "format_of"]

# The format's name → its writer, ``(graph, lang, marks) → text or bytes``.
WRITERS = {"html": html_report, "xlsx": xlsx_report, "pdf": pdf_report}
REPORT_FORMATS = tuple(WRITERS)
# What a download of each format is (the app's buttons offer the formats in this order).
REPORT_MIME = {"html": "text/html", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "pdf": "application/pdf"}


_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".pdf": "pdf"}


def format_of(out: str | os.PathLike) -> str | None:
    """The report format a file name asks for (``report.htm`` → ``html``), or None for a suffix no writer
    has: never HTML under a name that promises something else.

    >>> format_of("r.HTM"), format_of("r.pdf"), format_of("r.docx")
    ('html', 'pdf', None)
    """
    from pathlib import Path

    return _SUFFIXES.get(Path(out).suffix.lower())


def write_report(G: nx.MultiDiGraph, out: str | os.PathLike, fmt: str = "html", lang: str | None = None,
                 marks: dict | None = None, scope=None, scope_label: str | None = None) -> None:
    """Write the report to ``out`` (atomically): ``html``, ``xlsx`` or ``pdf``, in ``lang`` (default:
    CASCADE_LANG, else zh). ``marks`` (graph/marks.py) puts the analyst's verdicts into the 台账 and a
    section of their own; ``scope`` (document ids) reports on those documents only, ``scope_label`` says
    which in the heading."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise CascadeError(f"{out}: unknown report format '{fmt}' (html, xlsx or pdf)", key="report_format",
                           out=str(out), fmt=fmt)
    write_atomic(out, writer(G, lang, marks, scope, scope_label))
