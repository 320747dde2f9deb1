"""The manifest: metadata the documents' text lacks (SCHEMA.md, "Manifest")."""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from cascade.errors import ManifestError

from .records import LEVELS

__all__ = ["read_manifest", "resolve_path"]


def read_manifest(path: str | Path) -> dict[Path, dict]:
    """Entries of a manifest keyed by the resolved path of their file.

    Raises :class:`cascade.errors.ManifestError` with the manifest's name and the entry at fault.
    """
    path = Path(path)
    try:
        raw = _load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ManifestError(f"{path}: cannot read manifest ({err})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ManifestError(f"{path}:{where} invalid YAML") from err
    docs = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(docs, list):
        raise ManifestError(f"{path}: expected a 'documents:' list")
    out: dict[Path, dict] = {}
    resolved: dict[str, str] = {}
    for i, entry in enumerate(docs, 1):
        if not isinstance(entry, dict) or not entry.get("file"):
            raise ManifestError(f"{path}: entry {i} has no 'file'")
        level = entry.get("level")
        if level is not None and level not in LEVELS:
            raise ManifestError(f"{path}: entry {i} ({entry['file']}): level '{level}' is not one of {', '.join(LEVELS)}")
        if entry.get("year") is not None:
            try:
                entry["year"] = int(entry["year"])
            except (TypeError, ValueError) as err:
                raise ManifestError(f"{path}: entry {i} ({entry['file']}): year '{entry['year']}' is not a number") from err
        for key in ("parents", "cites"):
            if key in entry and isinstance(entry[key], str):
                entry[key] = [entry[key]]
        out[resolve_path(path.parent / entry["file"], resolved)] = entry
    return out


def resolve_path(path: str | os.PathLike, folders: dict[str, str] | None = None) -> Path:
    """``Path(path).resolve()``, with the resolved folders remembered in ``folders``: the manifest's
    documents sit in a few thousand folders, and resolving every component of every path again cost
    more than reading the manifest. Only the file itself is then checked for being a link."""
    p = os.fspath(path)
    if folders is None:
        return Path(os.path.realpath(p))
    head, name = os.path.split(p)
    if not head or name in ("", ".", ".."):
        return Path(os.path.realpath(p))
    folder = folders.get(head)
    if folder is None:
        folder = folders[head] = os.path.realpath(head)
    full = os.path.join(folder, name)
    # A link (or something we cannot look at): what realpath makes of it.
    return Path(os.path.realpath(full) if os.path.islink(full) else full)


def _load_yaml(text: str):
    """The manifest's YAML: a plain list of flat entries (what `bench/synth.py` and most hand-written
    manifests are) is read by :func:`_simple_documents`, anything else by PyYAML. A 25,000-document
    manifest took PyYAML 4.7 s even with libyaml's C parser (its constructors are Python)."""
    simple = _simple_documents(text)
    if simple is not None:
        return simple
    # The C loader where libyaml is there: twice as fast as the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}


_TOP = re.compile(r"documents:[ ]*(?:#.*)?")
_ITEM = re.compile(r"( *)- ([A-Za-z_][A-Za-z0-9_]*):[ ]+(.*)")
_FIELD_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*):[ ]+(.*)")
_DOUBLE = re.compile(r'"([^"\\]*)"[ ]*(?:#.*)?')
_SINGLE = re.compile(r"'([^']*)'[ ]*(?:#.*)?")
_FLOW = re.compile(r"\[([^\[\]{}\"'#]*)\][ ]*(?:#.*)?")
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# The first characters for which YAML's resolver may read a plain scalar as other than a string
# (bool, int, float, null, timestamp, merge, value): see yaml.resolver.Resolver.
_MAYBE_NOT_STR = set("yYnNtTfFoO-+0123456789.<~=")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"


class _NotSimple(Exception):
    """The text uses YAML beyond the simple form: PyYAML reads it."""


def _simple_documents(text: str) -> dict | None:
    """``{"documents": [...]}`` for a manifest made only of comments, the line ``documents:`` and
    entries of ``key: value`` lines (plain, quoted without escapes, or ``[a, b]`` values, one line
    each); None for anything else (PyYAML then reads it). A plain value is typed by PyYAML's own
    resolver and constructors, so an entry reads as PyYAML would read it."""
    # Tabs, other line breaks (YAML also breaks at \x85, \u2028, \u2029), escapes, a byte-order mark
    # or a character YAML refuses: PyYAML decides.
    if ("\t" in text or "\r" in text or "\\" in text or text.startswith("\ufeff")
            or _OTHER_BREAKS.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text)):
        return None
    docs: list[dict] = []
    seen_top = False
    indent = None
    entry: dict | None = None
    try:
        for line in text.split("\n"):
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if line[0] != " " and line[0] != "-":
                if seen_top or not _TOP.fullmatch(line):
                    return None
                seen_top = True
                continue
            if not seen_top:
                return None
            m = _ITEM.fullmatch(line)
            if m:
                if indent is None:
                    indent = len(m.group(1))
                elif len(m.group(1)) != indent:
                    return None
                entry = {}
                docs.append(entry)
                _put(entry, m.group(2), m.group(3))
                continue
            m = _FIELD_LINE.fullmatch(line)
            if m is None or entry is None or len(m.group(1)) != indent + 2:
                return None
            _put(entry, m.group(2), m.group(3))
    except _NotSimple:
        return None
    return {"documents": docs} if docs else None


def _put(entry: dict, key: str, raw: str) -> None:
    if _plain(key) != key:
        raise _NotSimple   # a key YAML reads as a bool or a null (on:, no:, null:)
    entry[key] = _value(raw)


def _value(raw: str):
    if not raw:
        raise _NotSimple   # "key: " with nothing after: a null, or a nested block below
    first = raw[0]
    if first == '"':
        m = _DOUBLE.fullmatch(raw)
    elif first == "'":
        m = _SINGLE.fullmatch(raw)
    elif first == "[":
        m = _FLOW.fullmatch(raw)
        if m is None:
            raise _NotSimple
        inner = m.group(1).strip(" ")
        if not inner:
            return []
        items = [item.strip(" ") for item in inner.split(",")]
        if any(not item or ":" in item or item[0] in _INDICATORS for item in items):
            raise _NotSimple
        return [_plain(item) for item in items]
    else:
        # A plain scalar ends at a comment (" #"); a ": " in it would make it a mapping.
        value = raw.split(" #", 1)[0].rstrip(" ")
        if not value or first in _INDICATORS or ": " in value or value.endswith(":"):
            raise _NotSimple
        return _plain(value)
    if m is None:
        raise _NotSimple
    return m.group(1)


def _plain(value: str):
    """A plain scalar as PyYAML's SafeLoader reads it."""
    if value[0] not in _MAYBE_NOT_STR:
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
    if constructor is None:
        raise _NotSimple
    return constructor(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
