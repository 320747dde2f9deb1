"""A stored graph read record by record, without building it in memory.

``load_graph`` of a nation-year (974,766 tasks; a 2 GB ``graph.json``) holds the parsed JSON and then the
networkx graph: over 10 GB and still growing after a minute, when it was stopped with the 23 GB machine full.
What only needs each node and relationship once, in a stable order (``cascade push``), reads them here
instead, one at a time, in the file's order (nodes by id, relationships by type, start, end).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from .deltas import layers
from .versions import current_version

__all__ = ["stored_records", "stored_counts"]

_CHUNK = 1 << 20


def _plain_version(store: str | os.PathLike) -> Path | None:
    """The current version's folder when its graph is ``graph.json`` alone (no incremental layers)."""
    version = current_version(store)
    if version is None or not (version / "graph.json").is_file() or list(layers(version)):
        return None
    return version


def stored_counts(store: str | os.PathLike) -> tuple[int, int] | None:
    """(nodes, relationships) of the current version as its meta.json counts them, or None when the
    version cannot be streamed (it has layers) or does not say."""
    version = _plain_version(store)
    if version is None:
        return None
    try:
        meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
        return int(meta["nodes"]), int(meta["relationships"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stored_records(store: str | os.PathLike) -> Iterator[tuple[str, dict]] | None:
    """``("node", {"id", "label", "properties"})`` for every node, then ``("relationship", {"type",
    "start", "end", "properties"})`` for every relationship, read from the current version's graph.json
    as it goes; None when the version has incremental layers (then load the graph)."""
    version = _plain_version(store)
    if version is None:
        return None
    return _records(version / "graph.json")


def _records(path: Path) -> Iterator[tuple[str, dict]]:
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as f:
        buf, pos = f.read(_CHUNK), 0
        for kind, key in (("node", '"nodes"'), ("relationship", '"relationships"')):
            # the array's opening bracket: a key never occurs unescaped inside a JSON string
            while True:
                i = buf.find(key, pos)
                j = buf.find("[", i + len(key)) if i >= 0 else -1
                if j >= 0:
                    pos = j + 1
                    break
                more = f.read(_CHUNK)
                if not more:
                    return
                buf, pos = buf[max(pos, len(buf) - len(key)):] + more, 0
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n,":
                    pos += 1
                if pos < len(buf) and buf[pos] == "]":
                    pos += 1
                    break
                try:
                    obj, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError:
                    more = f.read(_CHUNK)
                    if not more:
                        raise
                    buf, pos = buf[pos:] + more, 0
                    continue
                yield kind, obj
                pos = end
                if pos > _CHUNK:
                    buf, pos = buf[pos:], 0
