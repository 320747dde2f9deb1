"""The manifest: metadata the documents' text lacks (SCHEMA.md, "Manifest")."""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from core.errors import ManifestError

from .manifest_schema import check_rows, _show

__all__ = ["read_manifest", "resolve_path", "Manifest", "check_rows", "safe_yaml", "MAX_YAML_NODES"]


MAX_YAML_NODES = 1_000_000   # a manifest's nodes with every alias expanded (25,000 documents: ~300,000)
MAX_YAML_DEPTH = 64          # nesting (a manifest is three levels deep; libyaml's composer recurses)


class Manifest(dict):
    """Entries keyed by the resolved path of their file, plus :attr:`problems`: one line per row that
    names no usable file (those rows are left out). A row that names its file but has a bad field is
    kept with only ``file`` and ``_error``: :func:`loaders.load_file` then skips that document with
    the error, and the other documents load as usual."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []


def read_manifest(path: str | Path) -> Manifest:
    """Entries of a manifest keyed by the resolved path of their file, each checked against
    :data:`ROW_SCHEMA` (see :mod:`loaders.manifest_schema`).

    Raises :class:`core.errors.ManifestError` naming the manifest when it cannot be read at all
    (not YAML, no ``documents:`` list, aliases past :data:`MAX_YAML_NODES`); a bad row costs only its
    own document.
    """
    path = Path(path)
    try:
        raw = _load_yaml(_manifest_text(path.read_bytes()))
    except (OSError, UnicodeDecodeError) as err:
        raise ManifestError(f"{path}: cannot read manifest ({_one_line(err)})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err) or "invalid YAML"
        raise ManifestError(f"{path}:{where} invalid YAML ({_one_line(problem)})") from err
    docs = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(docs, list):
        raise ManifestError(f"{path}: expected a 'documents:' list")
    out = Manifest()
    resolved: dict[str, str] = {}
    for i, entry, error in check_rows(docs):
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or "\x00" in name:
            out.problems.append(f"row {i}: {error or _no_file(name)}")
            continue
        if error:
            entry = {"file": name, "_error": f"{path.name}: row {i} (file {_show(name, 80, quote=False)}): {error}"}
        try:
            real = resolve_path(path.parent / name, resolved)
        except (OSError, ValueError) as err:   # a "\ud800" escape: no file system takes it
            out.problems.append(f"row {i}: file {_show(name)} is not a usable path ({type(err).__name__})")
            continue
        out[real] = entry
    return out


def _manifest_text(data: bytes) -> str:
    """UTF-8, else GB18030: Notepad on a Chinese Windows desktop saves a manifest in GBK ("ANSI")."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def safe_yaml(text: str):
    """PyYAML's safe load with alias expansion bounded (:func:`_bounded_yaml`), for the other YAML
    files analysts edit (reviews)."""
    return _bounded_yaml(text)


def _no_file(name) -> str:
    return "has no 'file'" if name in (None, "") else f"file must be a path (text), got {_show(name)}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


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
    return _bounded_yaml(text)


# The C loader where libyaml is there: twice as fast as the pure-Python one.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader, but an impossible date (2021-13-45) stays the text it is, for the schema to name."""


def _timestamp_or_text(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _bounded_yaml(text: str):
    """PyYAML's safe load, refused when aliases would expand past :data:`MAX_YAML_NODES` nodes
    ("billion laughs": nine nested aliases of nine make a billion; PyYAML shares them, but whoever
    walks the result, a JSON writer or a hash, walks every one) or refer to themselves."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root) -> None:
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_YAML_NODES:
                raise yaml.YAMLError(f"aliases expand to more than {MAX_YAML_NODES:,} nodes (an alias bomb?)")
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise yaml.YAMLError("an alias refers to itself")
        on_path.add(key)
        stack.append((node, True))
        if len(on_path) > MAX_YAML_DEPTH:
            raise yaml.YAMLError(f"nested more than {MAX_YAML_DEPTH} levels deep")
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [x for pair in node.value for x in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


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
    try:
        return constructor(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except ValueError:   # an impossible date (2021-13-45): the text, for the schema to name
        return value
