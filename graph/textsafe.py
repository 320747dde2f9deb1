"""Document text on its way out, made safe for the reader at the other end.

Text from documents and manifests is data, whatever it holds: ``=HYPERLINK("http://…")`` in a task,
an ESC sequence in a title, a character XML 1.0 forbids. Each output gets what its reader needs:

- a spreadsheet (CSV, XLSX, Neo4j's import CSV an analyst may open in Excel): a cell beginning with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and LibreOffice; it is
  prefixed with ``'`` as OWASP recommends ("CSV Injection"). Plain numbers (``-1``) are left alone.
- XML (GraphML): characters XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/FFFF) become U+FFFD.
- a terminal: non-printable characters are written as escapes (``\\x1b``), so text cannot move the
  cursor, retitle the window or ring the bell.

JSON and Cypher keep the raw text: their readers take any string, and they are where it is kept whole.
"""
from __future__ import annotations

import re

__all__ = ["spreadsheet_cell", "spreadsheet_rows", "xml_text", "terminal_text", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Controls (C0 but tab and newline, DEL, C1), line and paragraph separators, bidirectional overrides
# (which reorder what follows on screen), lone surrogates.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def spreadsheet_cell(value):
    """A cell a spreadsheet shows as text, never runs.

    >>> spreadsheet_cell('=HYPERLINK("http://x")'), spreadsheet_cell("-1"), spreadsheet_cell("落实")
    ('\\'=HYPERLINK("http://x")', '-1', '落实')
    """
    if isinstance(value, str) and value[:1] in FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_rows(out, rows) -> None:
    """Write ``rows`` as CSV lines ending in ``\\n`` to ``out``, each cell through :func:`spreadsheet_cell`.
    A row holding a carriage return is written with every cell quoted: the csv module quotes only
    what holds its line terminator, and a bare CR in an unquoted cell ends the row for most readers."""
    import csv

    plain = csv.writer(out, lineterminator="\n")
    quoted = None
    for row in rows:
        row = [spreadsheet_cell(c) for c in row]
        if any(isinstance(c, str) and "\r" in c for c in row):
            quoted = quoted or csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
            quoted.writerow(row)
        else:
            plain.writerow(row)


def xml_text(value):
    """Text XML 1.0 can hold: forbidden characters become U+FFFD (other values pass as they are).

    >>> xml_text("a\\x1bb\\x00")
    'a\\ufffdb\\ufffd'
    """
    if isinstance(value, str) and _XML_FORBIDDEN.search(value):
        return _XML_FORBIDDEN.sub("\ufffd", value)
    return value


def terminal_text(text: str, newlines: bool = True, json: bool = False) -> str:
    """Text a terminal prints without obeying any of it: controls as ``\\x1b``-style escapes
    (``newlines=False`` escapes line breaks too, for one-line output; ``json=True`` writes ``\\u001b``,
    which JSON reads back as the same character: JSON escapes C0 controls itself, not C1 or the rest).

    >>> terminal_text("标题\\x1b]0;pwned\\x07")
    '标题\\\\x1b]0;pwned\\\\x07'
    """
    pattern = _TERMINAL if newlines else _ONE_LINE
    if not pattern.search(text):
        return text
    return pattern.sub(_json_escape if json else _escape, text)


_ONE_LINE = re.compile(_TERMINAL.pattern[:-1] + "\n\t]")


def _json_escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    if m.group() in _SHORT:
        return _SHORT[m.group()]
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
