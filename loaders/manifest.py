"""The manifest: metadata the documents' text lacks (SCHEMA.md, "Manifest")."""
from __future__ import annotations

from pathlib import Path

import yaml

from cascade.errors import ManifestError

from .records import LEVELS

__all__ = ["read_manifest"]


def read_manifest(path: str | Path) -> dict[Path, dict]:
    """Entries of a manifest keyed by the resolved path of their file.

    Raises :class:`cascade.errors.ManifestError` with the manifest's name and the entry at fault.
    """
    path = Path(path)
    try:
        # The C loader where libyaml is there: twice as fast on a manifest of 100,000 documents.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
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
        out[(path.parent / entry["file"]).resolve()] = entry
    return out
