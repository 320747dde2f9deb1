"""A stored graph read record by record, without building it in memory.

``load_graph`` of a nation-year (974,766 tasks) holds the whole networkx graph, several GB. What only
needs each node and relationship once, in a stable order (``cascade push``), reads them here instead,
from the store's database, in ``to_json_dict``'s order (nodes by id, relationships by type, start, end).
"""
from __future__ import annotations

import json
import os
from typing import Iterator

from .tables import read_records
from .versions import current_version

__all__ = ["stored_records", "stored_counts"]


def stored_counts(store: str | os.PathLike) -> tuple[int, int] | None:
    """(nodes, relationships) of the current version as its meta.json counts them, or None when it does
    not say."""
    version = current_version(store)
    if version is None:
        return None
    try:
        meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
        return int(meta["nodes"]), int(meta["relationships"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stored_records(store: str | os.PathLike) -> Iterator[tuple[str, dict]] | None:
    """``("node", {"id", "label", "properties"})`` for every node, then ``("relationship", {"type",
    "start", "end", "properties"})`` for every relationship of the current version; None when there is
    no store."""
    version = current_version(store)
    if version is None:
        return None
    return read_records(version / "cascade.lbdb")
