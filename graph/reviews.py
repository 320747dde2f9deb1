"""Analysts' decisions on links, kept in ``data/reviews.yaml`` so that they survive every rebuild.

A review names a link by the ids of its two ends (ids are stable across rebuilds) and stores a hash of
the two texts the reviewer saw. :func:`graph.link.link` applies the reviews: a ``rejected`` link is never
proposed again, a ``confirmed`` one is kept (and added if the linker would not propose it), and a
reviewed link whose texts changed since is flagged ``suspect``.

The file::

    reviews:
      - lower: 2022-huangpu/一/(一)/1
        upper: 2022-guangzhou/一/(一)/1
        status: confirmed
        hash: 3f0c9a1e2b7d4c55
        reviewed_at: '2026-11-21T06:00:00+00:00'
        note: 同一要求,措辞细化
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import yaml

from core.errors import ReviewError
from loaders.manifest import safe_yaml

__all__ = ["read_reviews", "save_review", "write_reviews", "STATUSES", "REVIEWS_NAME"]

STATUSES = ("confirmed", "rejected")
REVIEWS_NAME = "reviews.yaml"


def read_reviews(path: str | os.PathLike | None) -> dict[tuple[str, str], dict]:
    """The reviews in ``path`` as ``{(lower id, upper id): {"status", "hash", …}}``; ``{}`` when the file
    does not exist.

    >>> read_reviews("/nonexistent/reviews.yaml")
    {}
    """
    out: dict[tuple[str, str], dict] = {}
    for i, entry in enumerate(read_entries(path, "reviews"), 1):
        if not isinstance(entry, dict) or not entry.get("lower") or not entry.get("upper"):
            raise ReviewError(f"{path}: review {i} needs 'lower' and 'upper'")
        status = entry.get("status")
        if status not in STATUSES:
            raise ReviewError(f"{path}: review {i} has status {status!r} (expected confirmed or rejected)")
        key = (str(entry["lower"]), str(entry["upper"]))
        out[key] = {k: v for k, v in entry.items() if k not in ("lower", "upper")}
    return out


def read_entries(path: str | os.PathLike | None, key: str) -> list:
    """The list under ``key:`` of an analyst's YAML file (reviews, marks), [] when there is none; one
    ReviewError naming the file when it cannot be read or is not such a file."""
    if path is None or not Path(path).is_file():
        return []
    path = Path(path)
    try:
        data = safe_yaml(path.read_text(encoding="utf-8"))   # aliases bounded: no "billion laughs"
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ReviewError(f"{path}: cannot read {key} ({_first_line(err)})") from err
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key, []), list):
        raise ReviewError(f"{path}: not a {key} file (expected '{key}:' with a list)")
    return data.get(key) or []


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def write_reviews(path: str | os.PathLike, reviews: dict[tuple[str, str], dict]) -> None:
    """Write all reviews atomically (written aside, then renamed over the file), in a stable order."""
    from core.files import write_atomic

    entries = [{"lower": lo, "upper": up, **{k: v for k, v in r.items() if v is not None}}
               for (lo, up), r in sorted(reviews.items())]
    text = ("# Link reviews: confirmed and rejected links survive every rebuild (see graph/reviews.py).\n"
            + yaml.safe_dump({"reviews": entries}, allow_unicode=True, sort_keys=False, width=120))
    write_atomic(path, text)


@contextmanager
def locked(path: Path):
    """Serialize read-modify-write of the reviews file between processes (the app and a CLI)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.parent / f".{path.name}.lock"
    with open(lock, "a+") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # not POSIX: the atomic rename still keeps the file whole
            pass
        yield


def save_review(path: str | os.PathLike, lower_id: str, upper_id: str, status: str, G=None,
                note: str | None = None) -> dict:
    """Record a decision on the link ``lower_id → upper_id`` and write the file atomically.

    ``status`` is ``confirmed`` or ``rejected``, or ``None`` to withdraw the review. With the graph ``G``,
    the review stores a hash of both texts, so that a later change of either flags the link ``suspect``.
    Returns the stored review (``{}`` when withdrawn).
    """
    from graph.link.evidence import node_text, review_hash

    path = Path(path)
    if status is not None and status not in STATUSES:
        raise ReviewError(f"{path}: status {status!r} is not one of confirmed, rejected")
    if G is not None:
        for node in (lower_id, upper_id):
            if node not in G:
                raise ReviewError(f"{path}: no node '{node}' in the graph")
    with locked(path):
        reviews = read_reviews(path)
        key = (lower_id, upper_id)
        if status is None:
            reviews.pop(key, None)
            write_reviews(path, reviews)
            return {}
        review = {"status": status,
                  "hash": review_hash(node_text(G, lower_id), node_text(G, upper_id)) if G is not None else None,
                  "reviewed_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                  "note": note}
        reviews[key] = {k: v for k, v in review.items() if v is not None}
        write_reviews(path, reviews)
        return reviews[key]
