"""Loaders: a file in, plain records out (see :mod:`loaders.records`). They know nothing of graphs.

>>> from pathlib import Path
>>> recs = load_file(Path(__file__).parent.parent / "data" / "2021_taishan_culture_bureau_sections.txt",
...                  {"level": "department", "region": "江门市台山市", "issuer": "台山市文化广电旅游体育局", "year": 2021})
>>> len(recs.tasks), recs.tasks[0].assignments[0].role
(33, 'lead')
"""
from __future__ import annotations

import re
from pathlib import Path

from cascade.errors import LoadError

from .limits import display_name
from .metadata import level_of_issuer, level_of_title, read_metadata
from .normalize import is_traditional, normalize
from .read import read_blocks
from .records import Assignment, Document, DocumentRecords, Section, Task
from .structure import parse_structure

__all__ = ["load_file", "Document", "DocumentRecords", "Section", "Task", "Assignment", "SUPPORTED"]

SUPPORTED = (".txt", ".text", ".md", ".html", ".htm", ".shtml", ".docx", ".xlsx", ".pdf")
_NOTICE_WORDS = re.compile(r"通知|印发|转发|要点|方案|意见|办法|〔\d{4}〕")
_META_KEYS = ("id", "title", "level", "region", "year", "issuer", "doc_no", "issued_on", "cites", "kind", "parents")


def load_file(path: str | Path, overrides: dict | None = None, data: bytes | None = None) -> DocumentRecords:
    """Load one document. ``overrides`` (from the manifest) win over what the text says.

    Raises :class:`cascade.errors.LoadError` naming the file when it cannot be read as a document.
    """
    path = Path(path)
    overrides = overrides or {}
    if overrides.get("_error"):   # its manifest row is wrong (loaders.manifest): this document only is skipped
        raise LoadError(path, overrides["_error"])
    fmt, blocks, text = read_blocks(path, data)
    norm_lines = [normalize(b.text) for b in blocks]
    meta = read_metadata(norm_lines)
    doc = Document(source=overrides.get("file") or display_name(path.name), format=fmt)
    doc.title = meta.get("title")
    doc.issuer = meta.get("issuer")
    doc.doc_no = meta.get("doc_no")
    doc.issued_on = meta.get("issued_on")
    doc.year = meta.get("year")
    doc.cites = meta.get("cites", [])
    doc.declared = meta.get("declared", {})
    doc.script = "zh-Hant" if is_traditional(text) else "zh-Hans"
    for key in _META_KEYS:
        if overrides.get(key) is not None:
            value = overrides[key]
            if key in ("issuer", "region") and isinstance(value, str):
                value = normalize(value)
            setattr(doc, key, value)
    if doc.level is None:
        doc.level = level_of_issuer(doc.issuer) or meta.get("addressed_level") or level_of_title(doc.title)
    if "[GAP]" in text:
        doc.truncated = True
        doc.warnings.append("truncated: the retrieved text has gaps ([GAP])")
    sections, tasks = parse_structure(blocks, doc)
    if "kind" not in overrides:
        if any(s.path and s.path[0].startswith("附件") for s in sections) and any(
                t.section and t.section[0].startswith("附件") for t in tasks):
            doc.kind = "catalog"
        elif doc.title and "解读" in doc.title:
            doc.kind = "interpretation"
        elif doc.title and "台账" in doc.title:
            doc.kind = "ledger"
    if not tasks and not sections:
        # A news page is no notice: a notice names what it issues (印发…要点/方案, a 〔2022〕 number).
        if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") < 20 or not _NOTICE_WORDS.search("\n".join(norm_lines)):
            raise LoadError(path, "no plan structure found (no numbered headings or tasks): not a work plan?")
        # A cover notice whose plan was not retrieved: a document still, with nothing to assign.
        doc.warnings.append("no plan structure found: only the cover notice or an opening was retrieved")
        if "kind" not in overrides:
            doc.kind = "notice"
    return DocumentRecords(document=doc, sections=sections, tasks=tasks)
