"""The manifest, read fast: entry by entry, each entry cached by the hash of its text
(``<store>/cache/manifest-*.cache``, left by every build), so one appended entry costs one small YAML
parse, not the whole manifest's (5.5 s at 1M tasks). A manifest written otherwise than as a plain block
list is read whole by :func:`loaders.manifest.read_manifest`, as a full build reads it.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from cascade.incremental.keys import entry_hash
from cascade.incremental.cache import write_cache_file
from graph.gcutil import gc_paused as _no_gc  # a cache of 25,000 entries unmarshals a third faster

__all__ = ["read_manifest_cached", "prime_manifest_cache"]

_REPARSE_AT = 16   # new manifest entries parsed at every build until this many pile up
_ITEM = re.compile(r"^( *)- ", re.M)
_RISKY = re.compile(r"(^|[\s:\-\[,])[&*!][^\s]|^---|^\.\.\.", re.M)   # anchors, aliases, tags, documents


def _split_manifest(text: str) -> list[str] | None:
    """The entries of a block-style ``documents:`` list, as text, or ``None`` when the manifest is
    written otherwise (then it is parsed whole)."""
    # (the substring tests first: a regex pass over 8 MB takes 0.2 s)
    if (any(c in text for c in "&*!") or "---" in text or "..." in text) and _RISKY.search(text):
        return None
    head, sep, body = text.partition("\ndocuments:\n")
    if not sep and text.startswith("documents:\n"):
        head, body = "", text[len("documents:\n"):]
    elif not sep:
        return None
    if any(line.strip() and not line.lstrip().startswith("#") for line in head.splitlines()):
        return None
    first = _ITEM.match(body)
    if first is None:
        return None
    indent = first.group(1)
    starts = [0] + [m.start() + 1 for m in re.finditer("\n" + indent + "- ", body)]
    # every line is an entry's dash or indented deeper than it (no other top-level key), or a comment
    # (anchored on the newline, not ^ in multiline mode: 7 ms against 46 ms over 6 MB)
    stray = rf"\n(?!{indent}- |{indent} |[ \t]*#|[ \t]*(?:\n|\Z))"
    if re.search(stray, body):
        return None
    return [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)])]


def _yaml_load(text: str):
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _normalized(entry) -> dict | None:
    """An entry as :func:`loaders.manifest.read_manifest` returns it, or ``None`` if it is wrong (the
    whole manifest is then read by it, which names the row)."""
    from loaders.manifest import check_rows

    (_, checked, error), = check_rows([entry])
    if error or not isinstance(checked.get("file"), str) or not checked["file"] or "\x00" in checked["file"]:
        return None
    return checked


def read_manifest_cached(path: Path, cache_dir: Path) -> tuple[Mapping[str, dict], dict[str, str]]:
    """The manifest's entries keyed by the real path of their file (``str``), and each entry's hash
    (:func:`entry_hash`). Entries are parsed one by one and cached by the hash of their text, so only
    new or edited entries are parsed; the cached ones are unpacked only when one of them is asked for
    (a build asks for the entries of changed files only). A manifest that is not a plain block list
    (anchors, other keys) or has an invalid entry is read whole by
    :func:`loaders.manifest.read_manifest`, which raises the error a full build gives."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    chunks = _split_manifest(text) if text is not None else None
    if chunks is None:
        return _read_whole(path)
    folder = os.path.realpath(path.parent)
    cache = _manifest_cache(path, cache_dir)
    index, stored = _read_manifest_cache(cache, folder)
    hashes = [hashlib.sha1(c.encode()).hexdigest() for c in chunks]
    missing = [i for i, h in enumerate(hashes) if h not in index]
    fresh: dict[str, dict] = {}
    if missing:
        if len(missing) > 64:   # many new entries: one parse of the whole list is faster
            raw = (_yaml_load(text) or {}).get("documents")
            if not isinstance(raw, list) or len(raw) != len(chunks):
                return _read_whole(path)
            parsed = {hashes[i]: raw[i] for i in missing}
        else:
            parsed = {}
            for i in missing:
                try:
                    one = (_yaml_load("documents:\n" + chunks[i]) or {}).get("documents")
                except Exception:   # noqa: BLE001 (yaml's errors): the whole parse reports it
                    return _read_whole(path)
                if not isinstance(one, list) or len(one) != 1:
                    return _read_whole(path)
                parsed[hashes[i]] = one[0]
        for h, raw_entry in parsed.items():
            entry = _normalized(raw_entry)
            if entry is None:
                return _read_whole(path)
            fresh[h] = entry
            index[h] = (_entry_path(folder, entry["file"]), entry_hash(entry))
    entries = _Entries(index, hashes, fresh, stored)
    # Rewriting the cache (10 MB at 1M tasks) for a few new entries costs more than parsing them again
    # at the next builds; they are cached once more than _REPARSE_AT are new.
    if len(missing) > _REPARSE_AT or (missing and stored is None):
        _write_manifest_cache(cache, folder, {h: index[h] for h in hashes}, {h: entries.by_hash(h) for h in hashes})
    return entries, {index[h][0]: index[h][1] for h in hashes}


class _Entries(Mapping):
    """Manifest entries by real path; those from the cache are unpacked at the first that is asked for."""

    def __init__(self, index: dict, hashes: list[str], fresh: dict, stored: bytes | None):
        self._hash = {index[h][0]: h for h in hashes}
        self._fresh, self._stored, self._cached = fresh, stored, None

    def by_hash(self, h: str) -> dict:
        if h in self._fresh:
            return self._fresh[h]
        if self._cached is None:
            self._cached = _unpack(self._stored) if self._stored is not None else {}
        return self._cached[h]

    def __getitem__(self, real: str) -> dict:
        return self.by_hash(self._hash[real])

    def __iter__(self):
        return iter(self._hash)

    def __len__(self) -> int:
        return len(self._hash)


def _entry_path(folder: str, name) -> str:
    # a plain relative path needs no normpath (25,000 of them: 0.1 s)
    if isinstance(name, str) and name and name[0] not in "./" and "//" not in name and "/." not in name \
            and not name.endswith("/"):
        return folder.rstrip("/") + "/" + name
    return os.path.normpath(os.path.join(folder, name))


# The cache of a manifest: a header, then (marshal) the folder and each entry's text hash → its file's
# real path and the entry's hash, then the entries themselves, unpacked only when one is needed
# (marshal, or pickle for a value marshal cannot write, such as a date).
_MANIFEST_HEAD = b"cascade-manifest marshal %d %d.%d\n" % (marshal.version, *sys.version_info[:2])


def _manifest_cache(path: Path, cache_dir: Path) -> Path:
    return cache_dir / f"manifest-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]}.cache"


def _read_manifest_cache(cache: Path, folder: str) -> tuple[dict, bytes | None]:
    try:
        data = cache.read_bytes()
        if not data.startswith(_MANIFEST_HEAD):
            return {}, None
        at = len(_MANIFEST_HEAD)
        size = int.from_bytes(data[at:at + 8], "little")
        with _no_gc():
            cached_folder, index = marshal.loads(memoryview(data)[at + 8:at + 8 + size])
    except (OSError, ValueError, EOFError, TypeError):
        return {}, None
    if cached_folder != folder:   # the paths in it are another folder's
        return {}, None
    return index, data[at + 8 + size:]


def _unpack(stored: bytes) -> dict:
    with _no_gc():
        return marshal.loads(stored[1:]) if stored[:1] == b"m" else pickle.loads(stored[1:])


def _write_manifest_cache(cache: Path, folder: str, index: dict, entries: dict) -> None:
    head = marshal.dumps((folder, index))
    try:
        packed = b"m" + marshal.dumps(entries)
    except ValueError:
        packed = b"p" + pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    write_cache_file(cache, _MANIFEST_HEAD + len(head).to_bytes(8, "little") + head + packed)


def prime_manifest_cache(path: Path, entries: list[dict], cache_dir: Path) -> bool:
    """Cache the entries a full build parsed (``read_manifest``'s, in the manifest's order) by the text
    of each, so the next incremental build parses none of them. Nothing is cached unless the manifest
    splits into as many entries, each naming its file."""
    try:
        chunks = _split_manifest(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    if chunks is None or len(chunks) != len(entries) or \
            any(str(e.get("file")) not in c for e, c in zip(entries, chunks)):
        return False
    folder = os.path.realpath(path.parent)
    hashes = [hashlib.sha1(c.encode()).hexdigest() for c in chunks]
    index = {h: (_entry_path(folder, e["file"]), entry_hash(e)) for h, e in zip(hashes, entries)}
    _write_manifest_cache(_manifest_cache(path, cache_dir), folder, index, dict(zip(hashes, entries)))
    return True


def _read_whole(path: Path) -> tuple[dict[str, dict], dict[str, str]]:
    from loaders.manifest import read_manifest

    whole = read_manifest(path)
    entries = type(whole)()
    entries.update((str(k), v) for k, v in whole.items())
    entries.problems = whole.problems
    return entries, {k: entry_hash(v) for k, v in entries.items()}
