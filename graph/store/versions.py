"""The versions of a store folder: which one is current, a new one written half-way beside it, its
publication (the switch of ``CURRENT``) and the removal of the versions it replaced."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from core.errors import StoreError
from core.files import write_atomic

from .locking import store_lock

__all__ = ["DEFAULT_STORE", "STORE_FORMAT", "current_version", "content_version", "database_path",
           "open_database", "new_partial", "publish", "remove_old", "write_meta"]

DEFAULT_STORE = ".cascade"
STORE_FORMAT = 2   # 2: the database is the graph's one copy (no graph.json)
# The content version (content_version) on its own; meta.json holds it too.
CONTENT_FILE = "CONTENT"


def current_version(store: str | os.PathLike) -> Path | None:
    store = Path(store)
    try:
        name = (store / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = store / name
    return path if name and path.is_dir() else None


def content_version(store: str | os.PathLike = DEFAULT_STORE) -> str:
    """Names what the current version holds: the name it was built as, which a compaction, whose version
    holds the same graph, keeps. ``""`` when there is no store."""
    version = current_version(store)
    if version is None:
        return ""
    try:   # a file of its own: every kept answer asks, and meta.json is a megabyte at 1M tasks (3 ms)
        return (version / CONTENT_FILE).read_text(encoding="utf-8").strip() or version.name
    except OSError:
        pass
    try:   # a version written before it
        return json.loads((version / "meta.json").read_text(encoding="utf-8")).get("version") or version.name
    except (OSError, ValueError, AttributeError):
        return version.name


def database_path(store: str | os.PathLike = DEFAULT_STORE) -> Path:
    version = current_version(store)
    if version is None:
        raise StoreError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
    return version / "cascade.lbdb"


def open_database(store: str | os.PathLike = DEFAULT_STORE):
    """A read-only connection to the store's embedded database (the engine itself refuses writes)."""
    return open_path(database_path(store))


def open_path(path: Path):
    """A read-only connection to the database file ``path`` (see :func:`open_database`)."""
    import ladybug

    try:
        db = ladybug.Database(str(path), read_only=True, buffer_pool_size=_read_pool())
    except RuntimeError as err:
        raise StoreError(f"{path}: cannot open the embedded database ({err})") from err
    return db, ladybug.Connection(db)


def _read_pool() -> int:
    """A reader's buffer pool: the engine's default (80 % of the memory) costs every open 15-20 ms more,
    the price of reserving it (36 ms against 18 ms at 1M tasks), for nothing a reader needs; 8 GB still
    runs the whole gap definition at 1M tasks (1 GB cannot). ``CASCADE_READ_POOL_MB`` overrides it."""
    mb = os.environ.get("CASCADE_READ_POOL_MB", "")
    if mb.isdigit() and int(mb) > 0:
        return int(mb) << 20
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return 0   # the engine's default
    return min(8 << 30, int(memory * 0.8))


def new_partial(store: Path) -> tuple[Path, Path]:
    """A new version's name and the ``.partial`` folder it is written in until :func:`publish`."""
    store.mkdir(parents=True, exist_ok=True)
    version = store / f"v-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    partial = Path(str(version) + ".partial")
    partial.mkdir()
    return version, partial


def publish(store: Path, partial: Path, version: Path) -> None:
    with store_lock(store):   # against a compaction's check-and-switch (see graph.store.compaction)
        os.replace(partial, version)
        write_atomic(store / "CURRENT", version.name + "\n")


def remove_old(store: Path) -> None:
    """Every version but the current one, and half-written ones whose writer is gone. Under the store
    lock, sparing what ``CURRENT`` names then: another build or a compaction may have switched to its
    own version since the caller switched to the caller's."""
    with store_lock(store):
        current = current_version(store)
        for old in store.iterdir():
            if old.is_dir() and old.name.startswith("v-") and old != current:
                if old.name.endswith(".partial") and _writer_alive(old.name):
                    continue   # another build, or a compaction, is writing it
                import shutil   # (here: a process that only reads the store need not import it)

                shutil.rmtree(old, ignore_errors=True)


def _writer_alive(name: str) -> bool:
    try:
        pid = int(name.split("-")[2])   # v-<stamp>-<pid>-<n>.partial
        os.kill(pid, 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def write_meta(partial: Path, G_counts: dict, meta: dict | None) -> None:
    # "version": the folder it was built as; a compaction's version keeps it (same content, same meta)
    info = {"format": STORE_FORMAT, **G_counts}
    info.update(meta or {})
    info["version"] = partial.name.removesuffix(".partial")
    write_atomic(partial / "meta.json", json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True))
    write_atomic(partial / CONTENT_FILE, info["version"] + "\n")
