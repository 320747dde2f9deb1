"""What the tests of real-document patterns share: a plan written to a file (lined, or with its line breaks
lost as a crawler loses them) and read, and the records a form must give alike."""
from __future__ import annotations

import re

from loaders import load_file

__all__ = ["load_text", "flattened", "form_signature", "lined_signature"]


def load_text(tmp_path, text: str, flat: bool = False, name: str = "plan.txt"):
    """``text`` as a file and read: as written, or (``flat``) its lines joined by spaces."""
    p = tmp_path / name
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    p.write_text(" ".join(lines) + "\n" if flat else text, encoding="utf-8")
    return load_file(p)


def flattened(text: str) -> str:
    """``text`` as a web page's table loses its lines: paragraphs joined by a space, a table's cells and
    rows by nothing, its bars dropped."""
    parts = []
    for line in text.splitlines():
        s = line.strip()
        if s:
            parts.append(("cell", re.sub(r"\s*[|\t]\s*", "", s)) if "|" in s else ("para", s))
    out = ""
    for i, (kind, s) in enumerate(parts):
        out += ("" if i == 0 or (kind == "cell" and parts[i - 1][0] == "cell") else " ") + s
    return out + "\n"


def form_signature(rec):
    """What every form of one document must give alike: its tasks (number, text without spaces, units with
    roles), title, issuer, number and year."""
    d = rec.document
    return ([(t.number, re.sub(r"\s+", "", t.text_norm), sorted((a.canonical, a.role) for a in t.assignments))
             for t in rec.tasks], d.title, d.issuer, d.doc_no, d.year)


def lined_signature(tmp_path, lines, name="plan.txt"):
    """:func:`form_signature` of ``lines`` written one a line."""
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return form_signature(load_file(tmp_path / name))
