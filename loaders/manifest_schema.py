"""The schema of a manifest row, checked by pydantic before anything is built.

Analysts edit ``manifest.yaml`` by hand: a number where an id goes, a mapping where a list goes, a
month 13. Each row is checked on its own; a wrong row gets one line naming the row, its file, the
field and what it holds (``row 3 (file 2021_x.txt): id must be text, got 12``), and costs only its own
document. YAML dates (``issued_on: 2021-05-01``, which YAML reads as a date) come out as ISO text.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Iterator, Literal

from pydantic import ConfigDict, Field, StrictStr, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from core.records import LEVELS

__all__ = ["check_rows", "ROW_SCHEMA", "FIELD_RULES"]

# C0/C1 control characters are never a plan's metadata (read_blocks drops them from document text too):
# a terminal would obey an ESC]0; title, and XML 1.0 refuses most of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


_DIRTY = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LISTS = ("cites", "parents")
_TEXTS = ("id", "title", "level", "region", "issuer", "doc_no", "kind")


def _text(value):
    """Text without controls (a line break or tab as a space) or outer spaces; a YAML date as its ISO
    text (``doc_no: 2021-05-01`` is still what was typed); anything else is left for the schema."""
    if type(value) is str:
        if _DIRTY.search(value):
            value = _CONTROL.sub("", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return value         # refused by the schema (pydantic would also take '20210501' or a timestamp)
        y, m, d = (int(x) for x in value.split("-"))
        try:
            return dt.date(y, m, d)
        except ValueError:
            return value
    return value


def _prepare(row: dict) -> dict:
    """A row as the schema checks it: null fields dropped, text cleaned (:func:`_text`), one text where
    a list goes as a list, a year written as text as a number, an ISO date as a date. In plain Python
    and only where needed (pydantic's validators written in Python cost 20 µs a field: 0.7 s for the
    25,000 rows of the 1M-task manifest)."""
    out = {}
    for k, v in row.items():
        if v is None:
            continue
        if k == "file":
            pass                   # a path as it is: a tab or a leading space can be part of a name
        elif k == "issued_on":
            v = _date(v)
        elif k == "year":
            if type(v) is str and v.strip().isdigit():
                v = int(v)
        elif k in _LISTS:
            v = [_text(x) for x in v] if type(v) is list else [_text(v)] if type(v) is str or isinstance(v, dt.date) else v
        elif k in _TEXTS:          # (a number where text goes is refused as it is: "id must be text, got 12")
            v = _text(v)           # other fields are kept as they are
        out[k] = v
    return out


Text = StrictStr
TextList = list[StrictStr]
Year = Annotated[int, Field(strict=True, ge=1, le=9999)]
Date = Annotated[dt.date, Field(strict=True)]
Level = Literal.__getitem__(LEVELS)


class ROW_SCHEMA(TypedDict, total=False):
    """A manifest row. Only these fields are checked; other fields are kept as they are."""
    __pydantic_config__ = ConfigDict(extra="allow")
    file: Annotated[StrictStr, Field(min_length=1)]
    id: Text
    title: Text
    level: Level
    region: Text
    year: Year
    issuer: Text
    doc_no: Text
    issued_on: Date
    kind: Text
    cites: TextList
    parents: TextList


# What each field must be, as the error line says it.
FIELD_RULES = {
    "file": "must be a path (text)",
    "id": "must be text", "title": "must be text", "region": "must be text", "issuer": "must be text",
    "doc_no": "must be text", "kind": "must be text",
    "level": "must be one of " + ", ".join(LEVELS),
    "year": "must be a year (a whole number such as 2021)",
    "issued_on": "must be a date YYYY-MM-DD",
    "cites": "must be text or a list of texts", "parents": "must be text or a list of texts",
}
_ROWS = TypeAdapter(list[ROW_SCHEMA])


def check_rows(rows: list) -> Iterator[tuple[int, Any, str | None]]:
    """``(row number from 1, checked row, error or None)`` for each row of a manifest's list. A checked
    row is a new dict: null fields dropped, dates as ISO text; a wrong row comes back as it was."""
    prepared: list = []
    early: dict[int, str] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            early[i] = f"must be a mapping of fields (file: …), got {_show(row)}"
            prepared.append({})
            continue
        bad_key = next((k for k in row if not isinstance(k, str)), None)
        if bad_key is not None:
            early[i] = f"field name {_show(bad_key)} must be text"
            prepared.append({})
            continue
        prepared.append(_prepare(row))
    try:
        checked = _ROWS.validate_python(prepared)
        errors: dict[int, str] = {}
    except ValidationError as err:
        checked = None
        errors = {}
        for e in err.errors(include_url=False):
            i, field = e["loc"][0], e["loc"][1] if len(e["loc"]) > 1 else None
            if i in errors:
                continue
            rule = FIELD_RULES.get(field, "is not valid")
            errors[i] = f"{field} {rule}, got {_show(prepared[i].get(field, e['input']))}"
    for i, row in enumerate(rows):
        problem = early.get(i) or errors.get(i)
        if problem:
            yield i + 1, row, problem
            continue
        out = checked[i] if checked is not None else _ROWS.validate_python([prepared[i]])[0]
        if "issued_on" in out:
            out["issued_on"] = out["issued_on"].isoformat()
        yield i + 1, out, None


def _show(value, limit: int = 40, quote: bool = True) -> str:
    """A value as an error line shows it: short, on one line, its kind when that says more."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value) if not isinstance(value, str) else value
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) and quote else text
