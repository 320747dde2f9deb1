"""Incremental builds (``cascade build --incremental``): touch only what a changed document touches.

Two paths. The *fast path* (:func:`build_fast`) runs when the store holds the state of a previous build
(``state.pickle`` in its version, written with marshal) made with the same loaders, builder, linker, membership and reviews;
otherwise the build is a full one (``reason`` in ``BuildResult.incremental`` says why) that reuses the
record cache and leaves that state for the next build.

**What the fast path reads.** Not the whole input, nor the whole store:

* files are listed with ``os.scandir`` and told apart by ``(size, mtime_ns)`` and their manifest entry;
  only a file whose stat or entry differs is hashed (its *content key*: its bytes, its manifest entry
  and the loaders' source, as a full build computes it) and loaded, only if the key is new;
* the manifest is parsed entry by entry, each entry cached by the hash of its text
  (``<store>/cache/manifest-*.cache``, left by every build), so one appended entry costs one small YAML
  parse, not the whole manifest's (5.5 s at 1M tasks);
* the previous state holds each document's metadata (level, region, year, numbers, parents, task
  count…) and the document links (``IMPLEMENTS``, document ``CONTINUES``), a few MB at 1M tasks; the
  records (``<store>/cache/records/<key>.pickle``) are unpickled only for the changed documents and
  those they are linked with.

**What it recomputes**, and why it equals a full build:

1. ``IMPLEMENTS`` for the changed documents and for every document whose parents could depend on them
   (it names them in its manifest ``parents`` or its citations, or lies below them in their region
   chain, where a parent is inferred): :func:`graph.link.link_documents` is run on those documents and
   the ones they could point at (the same lookups: ids, sources, document numbers, places), nothing else.
2. Task links (``DERIVED_FROM``) are made per pair of documents (a lower task's candidates are the tasks
   of one upper document at a time), so only the pairs that are new or involve a changed document are
   linked again, on a graph of just those documents; ``CONTINUES`` likewise per pair of years of an
   issuer. Every other link stays as it is in the store.
3. A ``Unit`` node takes its properties from its first mention in document-id order and its aliases
   from all mentions: only the units the changed documents name are looked at again.
4. ``MEMBER_OF`` is recomputed only for the collectives whose candidates may have changed (those the
   changed documents name, those whose region or bureau a touched unit falls in, those of a bureau that
   issued its first plan), by :func:`graph.membership.add_membership` on a graph of those collectives,
   their candidate units and the issuers that decide the units' kinds.

**The store** (see :mod:`graph.store`): a new version made from the previous one, with hard links to
its files and one small graph layer. The database file (550 MB at 1M tasks) is shared, not copied: the
change is one write transaction appended to the version's own copy of the write-ahead log, never
checkpointed into the shared file; readers replay the log (0.05 s a MB at 1M tasks). A bulk change, or a
log past :data:`graph.store.WAL_LIMIT`, copies the file and checkpoints the copy. Updating the one database
in place was weighed and left aside: the database and graph.json would then change at different
moments, not at the one switch of ``CURRENT``, and a build killed mid-transaction would leave its
recovery to the next opener of the file every reader uses.

**Measured** (one bureau plan added, or removed, ``cascade build --incremental`` from the command line,
wall, warm page cache): 100k tasks 0.7 s; 1M tasks 1.65-1.8 s (was 2.2-2.9 s when the database file was
copied at every build), of which: Python's start and imports 0.26 s, the state 0.17 s read and 0.12 s
written, listing and stat-ing 25,000 files 0.17 s, the manifest 0.11 s, the plan and linking 0.1 s,
opening the database (with its log) 0.1 s, the database queries 0.35 s. A cold page cache (the first
build after a long pause) adds 0.2-1.2 s; a background compaction running beside it, up to 0.6 s.

**Why it can equal a full build.** The linker takes its IDF weights from a fixed table
(``graph/idf.tsv``), not from the graph it links, so a pair's links depend on its two documents only.
(Before that, IDF over the whole graph made every score shift a little with any added document: the
cause of the relationships a reliability test once saw differ from a full build.)

**Known limits.** A change of the reviews file, of the code (loaders, builder, linker, membership, store
writers), confirmed reviews (which can carry links over years across unchanged documents) or a document
id taken twice make the build a full one.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping
from typing import Callable

import networkx as nx

from graph.gcutil import gc_paused as _no_gc  # a state of 25,000 documents (un)pickles a third faster
from core.records import LINK_TYPES
from loaders.limits import display_name

__all__ = ["content_key", "code_fingerprint", "Incremental", "build_fast", "list_files", "read_manifest_cached",
           "LINK_TYPES", "STATE_FILE"]

STATE_FILE = "state.pickle"
STATE_FORMAT = 2
_ROOT = Path(__file__).resolve().parents[1]
_FINGERPRINTS: dict[tuple, str] = {}


def code_fingerprint(package: str) -> str:
    """A hash of a package's Python source: cached results are stale when the code that made them changed."""
    files = sorted(q for q in (_ROOT / package).iterdir() if q.suffix in (".py", ".txt", ".tsv", ".ttl"))
    # Remembered per file state: a file edited while the process lives (a test, a long-lived app) counts.
    stamp = (package, tuple((q.name, q.stat().st_mtime_ns, q.stat().st_size) for q in files))
    if stamp not in _FINGERPRINTS:
        h = hashlib.sha256()
        for p in files:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        _FINGERPRINTS[stamp] = h.hexdigest()[:16]
    return _FINGERPRINTS[stamp]


def content_key(path: Path, overrides: dict | None) -> str:
    """The key of one document: its bytes, its manifest entry and the loaders' version.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("一、总体要求", encoding="utf-8")
    >>> content_key(p, {"level": "county"}) == content_key(p, {"level": "county"}) != content_key(p, {"level": "city"})
    True
    """
    h = hashlib.sha256()
    h.update(code_fingerprint("loaders").encode())
    h.update(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False, default=str).encode())
    h.update(path.read_bytes())
    return h.hexdigest()[:32]


def _code_key() -> str:
    """The code whose output the store holds: loaders, graph builder, linker, reviews, membership, writers.
    Any change of it makes the next incremental build a full one."""
    # The whole of both packages, data files included (idf.tsv: a changed table changes every link
    # score): a hand-written list of files went stale when a file it did not name changed.
    h = hashlib.sha256(code_fingerprint("loaders").encode())
    h.update(code_fingerprint("graph").encode())
    return h.hexdigest()[:16]


def _file_key(path) -> str | None:
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def _entry_hash(entry: dict | None) -> str:
    return hashlib.sha1(json.dumps(entry or {}, sort_keys=True, ensure_ascii=False,
                                   default=str).encode()).hexdigest()[:16]


# ------------------------------------------------------------------------------------------------------
# Listing files and reading the manifest, fast
# ------------------------------------------------------------------------------------------------------

def list_files(paths) -> tuple[list[str], list[Path], dict[str, str]] | None:
    """What :func:`cascade.pipeline.collect_files` returns (the files as ``str``: 25,000 ``Path``
    objects cost 0.2 s), with ``os.scandir`` (faster than ``rglob``), plus each file's real path (each
    folder given resolved once, not each file). ``None``
    when a path is missing or a symbolic link lies under a folder: then the caller lists with
    ``collect_files`` (its errors, its way of following links)."""
    from core.files import SKIP_NAMES as _SKIP_NAMES, SKIP_SUFFIXES as _SKIP_SUFFIXES, MANIFEST_NAMES

    skip_names, skip_suffixes = _SKIP_NAMES, _SKIP_SUFFIXES
    files: list[str] = []
    manifests: list[Path] = []
    real: dict[str, str] = {}
    for p in map(Path, paths):
        if p.is_file():
            files.append(str(p))
            real[str(p)] = os.path.realpath(p)
            continue
        if not p.is_dir():
            return None
        manifests.extend(p / m for m in MANIFEST_NAMES if (p / m).is_file())
        try:
            _walk(str(p), os.path.realpath(p), files, real, skip_names, skip_suffixes)
        except _LinkFound:
            return None
    return files, manifests, real


class _LinkFound(Exception):
    pass


def _walk(folder: str, real_folder: str, files: list, real: dict, skip_names, skip_suffixes) -> None:
    """Depth first, each folder's entries sorted by name: the order of sorted ``Path`` objects (part by
    part), without building and sorting 25,000 of them (1M tasks: 0.34 -> 0.1 s)."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for e in entries:
        if e.is_symlink():
            raise _LinkFound
        name = e.name
        if name.startswith("."):
            continue
        if e.is_dir():
            _walk(e.path, os.path.join(real_folder, name), files, real, skip_names, skip_suffixes)
        elif not e.is_file():
            raise _LinkFound   # a FIFO, a device: collect_files names it as skipped
        elif e.is_file():
            dot = name.rfind(".")
            if name in skip_names or (dot > 0 and name[dot:].lower() in skip_suffixes):
                continue
            files.append(e.path)
            real[e.path] = os.path.join(real_folder, name)


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
    (:func:`_entry_hash`). Entries are parsed one by one and cached by the hash of their text, so only
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
            index[h] = (_entry_path(folder, entry["file"]), _entry_hash(entry))
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
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    _write_file(cache, _MANIFEST_HEAD + len(head).to_bytes(8, "little") + head + packed)


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
    index = {h: (_entry_path(folder, e["file"]), _entry_hash(e)) for h, e in zip(hashes, entries)}
    _write_manifest_cache(_manifest_cache(path, cache_dir), folder, index, dict(zip(hashes, entries)))
    return True


def _read_whole(path: Path) -> tuple[dict[str, dict], dict[str, str]]:
    from loaders.manifest import read_manifest

    whole = read_manifest(path)
    entries = type(whole)()
    entries.update((str(k), v) for k, v in whole.items())
    entries.problems = whole.problems
    return entries, {k: _entry_hash(v) for k, v in entries.items()}


# ------------------------------------------------------------------------------------------------------
# The state a build leaves for the next incremental one
# ------------------------------------------------------------------------------------------------------

_DOC_FIELDS = ("level", "region", "year", "doc_no", "cites", "parents", "source", "kind", "issuer", "warnings",
               "title", "parent_cited")


def _doc_info(G: nx.MultiDiGraph, n: str, key: str, file: str) -> dict:
    """What later builds need to know of a document without its records."""
    d = G.nodes[n]
    info = {f: d.get(f) for f in _DOC_FIELDS}
    tasks = [t for _, t, e in G.out_edges(n, data=True) if e.get("type") == "CONTAINS"]
    n_tasks = plan = 0
    todo = list(tasks)
    while todo:   # the document's sections and tasks, through CONTAINS
        t = todo.pop()
        td = G.nodes[t]
        if td.get("label") == "Task":
            n_tasks += 1
            plan += td.get("scope", "plan") == "plan"
        todo.extend(v for _, v, e in G.out_edges(t, data=True) if e.get("type") == "CONTAINS")
    info.update(n_tasks=n_tasks, plan_tasks=plan > 0, key=key, file=file,
                issuer_uid=next((u for _, u, e in G.out_edges(n, data=True) if e.get("type") == "ISSUED_BY"), None))
    return _lookups(info)


def _lookups(info: dict) -> dict:
    """The keys :func:`graph.link.link_documents` looks documents up by, computed once per document
    (computing them for 25,000 documents at every build took over a second)."""
    from graph import link as L

    info["docno_key"] = L._docno_key(info.get("doc_no")) if info.get("doc_no") else None
    info["ref_keys"] = sorted({x for r in info.get("parents") or [] for x in (r, L._docno_key(r)) if x})
    info["cite_keys"] = sorted({k for c in info.get("cites") or [] for k in [L._docno_key(c)] if k})
    info["chain"] = L._region_chain(info.get("region"))
    info["place"] = "全国" if L._is_national(info) else (info.get("region") or "")
    info["rank"] = L._rank(info)
    info["issuer_key"] = L._issuer_key(info) if info.get("issuer") else None
    return info


def _two_forms(changed: dict, docs: dict, removed: set) -> bool:
    """Whether a changed document is the same document as another one (see pipeline._one_form_each)."""
    from graph.build import document_id, same_document_key
    from core.records import Document, DocumentRecords

    keys = {}
    for did, info in docs.items():
        named = did != document_id(DocumentRecords(Document(source=info.get("source") or "")))
        if did not in removed and did not in changed and not named:
            k = same_document_key(info.get("title"), info.get("issuer"), info.get("doc_no"))
            if k:
                keys[k] = did
    for did, rec in changed.items():
        d = rec.document
        k = None if d.id else same_document_key(d.title, d.issuer, d.doc_no)
        if k and k in keys:
            return True
        if k:
            keys[k] = did
    return False


def make_state(G: nx.MultiDiGraph, files: dict[str, tuple], file_doc: dict[str, str | None],
               problems: dict[str, list], reviews_key: str | None, manifests: list[str]) -> dict:
    """``files``: real path → (size, mtime_ns, entry hash, content key); ``file_doc``: real path → the
    id of its document (``None`` when it was skipped)."""
    docs = {}
    for f, doc in file_doc.items():
        if doc is not None and doc in G:
            docs[doc] = _doc_info(G, doc, files[f][3], f)
    implements, continues = {}, set()
    for u, v, d in G.edges(data=True):
        t = d.get("type")
        if t == "IMPLEMENTS":
            implements[(u, v)] = d.get("via")
        elif t == "CONTINUES" and u in docs and v in docs:
            continues.add((u, v))
    return {"format": STATE_FORMAT, "code": _code_key(), "reviews_key": reviews_key, "manifests": manifests,
            "files": files, "file_doc": file_doc, "docs": docs, "implements": implements,
            "continues": continues, "problems": problems}


# The state is plain dicts, tuples, sets and strings: marshal writes it 3x and reads it 1.4x faster than
# pickle (1M tasks: 0.08 s / 0.11 s against 0.22 s / 0.16 s). Its format may change between Python
# versions, hence the version in the header; a state marshal refuses is pickled.
_MARSHAL_HEAD = b"cascade-state marshal %d %d.%d\n" % (marshal.version, *sys.version_info[:2])


def _dump_state(state: dict) -> bytes:
    with _no_gc():
        try:
            return _MARSHAL_HEAD + marshal.dumps(state)
        except ValueError:   # a value marshal cannot write
            return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def _read_state(version: Path | None) -> dict | None:
    if version is None:
        return None
    try:
        with open(version / STATE_FILE, "rb") as fh:
            data = fh.read()
        with _no_gc():
            if data.startswith(_MARSHAL_HEAD):
                state = marshal.loads(memoryview(data)[len(_MARSHAL_HEAD):])
            else:
                state = pickle.loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else None


def _write_file(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _stat(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


# ------------------------------------------------------------------------------------------------------
# The full path: every record (from the cache when its key is known), linked in full
# ------------------------------------------------------------------------------------------------------

class Incremental:
    """A full build with ``--incremental``: the record cache, then the state for the next build."""

    def __init__(self, store: str | os.PathLike, files: list[Path], manifest: dict[Path, dict],
                 reviews_path: str | os.PathLike | None = None, reason: str = "no previous store",
                 manifests: list[Path] | None = None):
        self.store = Path(store)
        self.cache = self.store / "cache" / "records"
        self.files = files
        self.manifest = manifest
        self.real = {f: f.resolve() for f in files}
        self.keys = {f: content_key(f, manifest.get(self.real[f])) for f in files}
        self.reviews_key = _file_key(reviews_path)
        self.manifests = sorted(os.path.realpath(m) for m in manifests or [])
        self.info: dict = {"files": len(files), "loaded": 0, "cached": 0, "mode": "full", "reason": reason}

    def load(self, progress: Callable | None = None):
        """Records of every file (cached ones unpickled, the others loaded) and the problems."""
        from cascade.pipeline import Problem, load_all

        cached, missing = {}, []
        for f in self.files:
            rec = _read_record(self.cache, self.keys[f])
            if rec is None:
                missing.append(f)
            else:
                cached[f] = rec
        loaded, problems = load_all(missing, self.manifest, progress)
        fresh = _match_loaded(missing, loaded, self.manifest, self.real)
        for f, rec in fresh.items():
            _write_record(self.cache, self.keys[f], rec)
        keep = {f"{k}.pickle" for k in self.keys.values()}
        for old in self.cache.iterdir():
            if old.name not in keep:
                old.unlink(missing_ok=True)
        for f, rec in cached.items():
            problems.extend(Problem(str(f), w, "warning") for w in rec.document.warnings)
        self.info.update(loaded=len(missing), cached=len(cached))
        records = [cached.get(f) or fresh.get(f) for f in self.files]
        return [r for r in records if r is not None], problems

    def meta(self, G: nx.MultiDiGraph) -> dict:
        """Counts the next builds report without reading the graph."""
        labels: dict[str, int] = {}
        for _, d in G.nodes(data=True):
            labels[d.get("label")] = labels.get(d.get("label"), 0) + 1
        rels: dict[str, int] = {}
        for _, _, d in G.edges(data=True):
            rels[d.get("type")] = rels.get(d.get("type"), 0) + 1
        return {"incremental": "full", "label_counts": labels, "derived_from": rels.get("DERIVED_FROM", 0),
                "links": sum(rels.get(t, 0) for t in LINK_TYPES)}

    def link(self, G: nx.MultiDiGraph, link_all: Callable[[nx.MultiDiGraph], object]) -> None:
        link_all(G)

    def remember(self, G: nx.MultiDiGraph, version: Path, problems: list) -> None:
        """Leave the state for the next incremental build in the version just saved. Best effort: without
        it, the next build is a full one."""
        from graph.build import document_id

        by_source: dict[str, list[str]] = {}
        for n, d in G.nodes(data=True):
            if d.get("label") == "Document":
                by_source.setdefault(d.get("source"), []).append(n)
        files, file_doc = {}, {}
        for f in self.files:
            real = str(self.real[f])
            entry = self.manifest.get(self.real[f])
            src = (entry or {}).get("file") or display_name(f.name)
            docs = by_source.get(src) or [None]
            if len(docs) > 1:
                return   # two files with one source: which document is whose is not known
            try:
                files[real] = (*_stat(real), _entry_hash(entry), self.keys[f])
            except OSError:
                return
            file_doc[real] = docs[0]
        del document_id
        by_file: dict[str, list] = {}
        for p in problems:
            try:
                real = str(Path(p.path).resolve())
            except OSError:
                continue
            by_file.setdefault(real, []).append((p.message, p.severity))
        state = make_state(G, files, file_doc, by_file, self.reviews_key, self.manifests)
        _write_file(version / STATE_FILE, _dump_state(state))
        if len(self.manifests) == 1:
            prime_manifest_cache(Path(self.manifests[0]), list(self.manifest.values()), self.store / "cache")


def _read_record(cache: Path, key: str):
    try:
        with open(cache / f"{key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _write_record(cache: Path, key: str, rec) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    _write_file(cache / f"{key}.pickle", pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))


def _match_loaded(files: list[Path], loaded: list, manifest: dict, real: dict) -> dict:
    """``load_all`` keeps the order of the files and leaves out the failed ones: which record is whose."""
    out, i = {}, 0
    for f in files:
        src = (manifest.get(real[f]) or {}).get("file") or display_name(f.name)
        if i < len(loaded) and loaded[i].document.source == src:
            out[f] = loaded[i]
            i += 1
    return out


class _Plan:
    """Which document links change: ``IMPLEMENTS`` of the documents that could see the change, and the
    pairs of documents whose task links (``DERIVED_FROM``, ``CONTINUES``) are made again."""

    def __init__(self, old_docs: dict, docs: dict, touched: set, implements: dict, continues: set):
        from graph import link as L

        self.old_docs, self.docs, self.touched = old_docs, docs, touched
        self.stored_graphs: dict[str, nx.MultiDiGraph | None] = {}   # see _stored_graph
        removed = {d for d in touched if d not in docs}
        # 1. IMPLEMENTS: the documents whose parents may change, linked again on the few they could name
        seen = self._seers()
        S = self._doc_graph(seen)
        L.link_documents(S)
        self.implements = {p: v for p, v in implements.items() if p[0] not in seen and p[0] not in removed
                           and p[1] not in removed}
        for a, b, d in S.edges(data=True):
            if d.get("type") == "IMPLEMENTS" and a in seen:
                self.implements[(a, b)] = d.get("via")
        self.reimplemented = seen   # their IMPLEMENTS edges are replaced
        # 2. DERIVED_FROM: pairs new or with a changed side; stale: old pairs that are gone or changed
        changed = {d for d in touched if d in docs}
        self.dirty_pairs = {p for p in self.implements if p[0] in changed or p[1] in changed or p not in implements}
        self.stale_pairs = {p for p in implements if p[0] in touched or p[1] in touched or p not in self.implements}
        # 3. CONTINUES: an issuer's plan and its plan of the year before
        issuers = {docs[n]["issuer_key"] for n in changed if docs[n]["issuer_key"]}
        groups: dict[tuple, list[str]] = {}   # (issuer, year) → its plans, for the changed documents' issuers
        for n, d in docs.items():
            if d["issuer_key"] in issuers and d.get("plan_tasks") and d.get("year"):
                groups.setdefault((d["issuer_key"], d["year"]), []).append(n)
        self.continues = {p for p in continues if p[0] not in touched and p[1] not in touched}
        self.dirty_continues = set()
        for n in changed:
            d = docs[n]
            if not (d.get("plan_tasks") and d["issuer_key"] and d.get("year")):
                continue
            self.dirty_continues.update((n, p) for p in groups.get((d["issuer_key"], d["year"] - 1), ()))
            self.dirty_continues.update((c, n) for c in groups.get((d["issuer_key"], d["year"] + 1), ()))
        self.continues |= self.dirty_continues
        self.linked_docs = ({d for p in self.dirty_pairs for d in p} | {d for p in self.dirty_continues for d in p}
                            | changed)

    def _seers(self) -> set:
        """Documents whose IMPLEMENTS could change: the changed ones, and those that name a touched
        document (manifest parents, citations) or lie below one in its region chain (inferred parents,
        citations without a number)."""
        keys, places = set(), set()
        for n in self.touched:
            for d in (self.old_docs.get(n), self.docs.get(n)):
                if d is not None:
                    keys.update(x for x in (n, d.get("source"), d["docno_key"]) if x)
                    places.add((d["place"], d["rank"]))
        out = {n for n in self.touched if n in self.docs}
        for n, d in self.docs.items():
            if n in out:
                continue
            if keys.intersection(d["ref_keys"]) or keys.intersection(d["cite_keys"]):
                out.add(n)
                continue
            for place, rank in places:
                if d["rank"] > rank and (place == "全国" or place in d["chain"]):
                    out.add(n)
                    break
        return out

    def _doc_graph(self, seen: set) -> nx.MultiDiGraph:
        """The documents in ``seen`` and every document they could name, each with as many (empty) task
        nodes as it has tasks: what :func:`graph.link.link_documents` looks at."""
        want_keys, want_places = set(), set()
        for n in seen:
            d = self.docs[n]
            want_keys.update(d["ref_keys"], d["cite_keys"])
            want_places.update([*d["chain"], "全国"])
        keep = set(seen)
        for n, d in self.docs.items():
            if n in want_keys or d.get("source") in want_keys or d["place"] in want_places \
                    or (d["docno_key"] and d["docno_key"] in want_keys):
                keep.add(n)
        S = nx.MultiDiGraph()
        for n in sorted(keep):   # a full build adds documents in id order: the same ties break the same way
            d = self.docs[n]
            S.add_node(n, label="Document", **{k: d.get(k) for k in _DOC_FIELDS})
        for n in sorted(keep):
            S.add_nodes_from(((f"{n}\x00{i}", {"label": "Task", "doc_id": n}) for i in range(self.docs[n]["n_tasks"])))
        return S


# ------------------------------------------------------------------------------------------------------
# The fast path
# ------------------------------------------------------------------------------------------------------

@dataclass
class Fast:
    """What :func:`build_fast` did: a result, or the reason it left the build to the full path."""
    result: object = None
    reason: str | None = None
    files: list[Path] | None = None
    manifests: list[Path] | None = None


def build_fast(paths, manifest_path, store, progress=None, reviews=None) -> Fast:
    """An incremental build that reads and rewrites only what the changed documents touch (see the
    module's docstring). ``Fast.result`` is ``None`` when a full build is needed, with the reason."""
    from graph.store import current_version

    store = Path(store)
    previous = current_version(store)
    state = _read_state(previous)
    if state is None:
        return Fast(reason="no previous store" if previous is None else
                    "the previous store was not built incrementally")
    listed = list_files(paths)
    if listed is None:
        return Fast(reason="the inputs hold symbolic links or missing paths")
    files, manifests, real = listed
    if manifest_path:
        manifests = [Path(manifest_path)]
    if not files:
        return Fast(reason="no documents", files=files, manifests=manifests)
    if state["code"] != _code_key():
        return Fast(reason="the loaders, builder, linker or store code changed since the previous build")
    if state["manifests"] != sorted(os.path.realpath(m) for m in manifests):
        return Fast(reason="the manifests are not those of the previous build")
    from cascade.pipeline import reviews_path

    rpath = reviews or reviews_path(list(paths), manifests)
    if _file_key(rpath) != state["reviews_key"]:
        return Fast(reason="the reviews changed since the previous build")
    from graph.reviews import read_reviews

    review_data = read_reviews(rpath)
    if any(r.get("status") == "confirmed" for r in review_data.values()):
        return Fast(reason="confirmed reviews are applied by a full link")
    if any("same document id" in m for probs in state["problems"].values() for m, _ in probs):
        return Fast(reason="the previous build dropped a document for a duplicate id")
    manifest: dict[str, dict] = {}
    entry_keys: dict[str, str] = {}
    for m in manifests:
        entries, hashes = read_manifest_cached(m, store / "cache")
        if getattr(entries, "problems", None):
            return Fast(reason="the manifest has rows that name no file")   # the full build names them
        manifest.update(entries)
        entry_keys.update(hashes)
    return _Run(store, previous, state, files, real, manifest, entry_keys, review_data, progress).run()


class _Run:
    def __init__(self, store, previous, state, files, real, manifest, entry_keys, review_data, progress):
        self.store, self.previous, self.state = store, previous, state
        self.manifest, self.entry_keys = manifest, entry_keys
        self.review_data, self.progress = review_data, progress
        self.cache = store / "cache" / "records"
        # real path of every file: the roots resolved once (list_files refused links under them)
        self.files = files
        self.real = real
        self.info: dict = {"files": len(files), "loaded": 0, "cached": 0, "mode": "incremental"}

    # -- what changed ---------------------------------------------------------------------------------
    def _changes(self):
        """Files whose content key is new, files gone, and the keys of all."""
        old = self.state["files"]
        keys, changed = {}, []
        no_entry = _entry_hash(None)
        for f in self.files:
            real = self.real[f]
            entry = self.manifest.get(real)
            ek = self.entry_keys.get(real) or no_entry
            st = _stat(real)
            prev = old.get(real)
            if prev is not None and prev[0] == st[0] and prev[1] == st[1] and prev[2] == ek:
                keys[real] = prev
                continue
            key = content_key(Path(real), entry)
            keys[real] = (*st, ek, key)
            if prev is None or prev[3] != key:
                changed.append(f)
        gone = [f for f in old if f not in keys]
        return keys, changed, gone

    def run(self) -> Fast:
        from cascade.pipeline import BuildResult, Problem, load_all

        state = self.state
        keys, changed_files, gone = self._changes()
        docs = state["docs"]
        file_doc = dict(state["file_doc"])
        # load the changed files (from the record cache when the key is known)
        records, problems, missing = {}, [], []
        for f in changed_files:
            rec = _read_record(self.cache, keys[self.real[f]][3])
            if rec is None:
                missing.append(f)
            else:
                records[f] = rec
                problems.extend(Problem(str(f), w, "warning") for w in rec.document.warnings)
        by_path = {Path(self.real[f]): self.manifest.get(self.real[f]) for f in missing}
        paths = [Path(f) for f in missing]
        loaded, load_problems = load_all(paths, {k: v for k, v in by_path.items() if v is not None},
                                         self.progress)
        problems.extend(load_problems)
        fresh = {str(f): rec for f, rec in _match_loaded(paths, loaded, by_path,
                                                         {f: Path(self.real[str(f)]) for f in paths}).items()}
        for f, rec in fresh.items():
            _write_record(self.cache, keys[self.real[f]][3], rec)
        records.update(fresh)
        self.info.update(loaded=len(missing), cached=len(self.files) - len(missing))

        from graph.build import add_document, document_id

        removed = {file_doc[f] for f in gone if file_doc.get(f)}
        changed: dict[str, object] = {}
        for f in changed_files:
            real = self.real[f]
            if file_doc.get(real):
                removed.add(file_doc[real])
            rec = records.get(f)
            file_doc[real] = document_id(rec) if rec is not None else None
            if rec is not None:
                did = document_id(rec)
                if did in changed:
                    return Fast(reason=f"two files give the document id '{did}'")
                changed[did] = rec
        if _two_forms(changed, docs, removed):
            return Fast(reason="a document dropped in two forms: the full build keeps one")
        for f in gone:
            file_doc.pop(f, None)
        removed -= set(changed)
        owners_of_ids = {}
        for f, did in file_doc.items():
            if did is not None:
                if did in owners_of_ids:
                    return Fast(reason=f"two files give the document id '{did}'")
                owners_of_ids[did] = f
        # problems of the unchanged files, as a full build reports them again
        changed_real = {self.real[f] for f in changed_files}
        shown = {self.real[f]: f for f in self.files}
        for real, probs in state["problems"].items():
            if real in keys and real not in changed_real:
                problems.extend(Problem(shown.get(real, real), m, s) for m, s in probs)
        if not changed and not removed:   # the store is up to date: no new version
            result = _result(BuildResult, self.store, self.previous, [], problems, self.info)
            self.info.update(changed=[], changed_documents=0, relinked_edges=0, neighbourhood=0,
                             copied_edges=result.meta.get("links", 0))
            return Fast(result=result)
        if len(set(docs) - removed) + len(changed) == 0 or all(d is None for d in file_doc.values()):
            return Fast(reason="no document left")

        # the changed documents' own graphs: their nodes, their metadata, their first mention of each unit
        own = {}
        for did, rec in sorted(changed.items()):
            g = nx.MultiDiGraph()
            add_document(g, rec)
            own[did] = g
        new_docs = {d: info for d, info in docs.items() if d not in removed and d not in changed}
        for did, g in own.items():
            f = next(real for real, x in file_doc.items() if x == did)
            new_docs[did] = _doc_info(g, did, keys[f][3], f)
        touched = set(changed) | removed
        plan = _Plan(docs, new_docs, touched, state["implements"], state["continues"])
        self.info.update(changed=sorted(changed), changed_documents=len(changed), removed=sorted(removed))
        try:
            return self._save(plan, changed, own, new_docs, keys, file_doc, problems)
        except _Decline as why:
            return Fast(reason=str(why))

    # -- linking and saving -------------------------------------------------------------------------
    def _save(self, plan, changed, own, new_docs, keys, file_doc, problems) -> Fast:
        from cascade.pipeline import BuildResult
        from graph.store import save_layer

        H = self._link(plan, changed, new_docs)
        delta_holder = {}

        def update(conn, bulk):
            db = _Db(conn, bulk)
            delta = _apply(db, plan, H, own, changed, new_docs, self.cache)
            counts = _counts_after(self.previous, delta)
            if counts is None:   # nodes went with their edges: count in the database
                counts = db.counts()
            delta_holder["delta"] = delta
            state = dict(self.state, files=keys, file_doc=file_doc, docs=new_docs,
                         implements=plan.implements, continues=plan.continues,
                         problems=_problems_by_file(problems, self.files, self.real))
            data = _dump_state(state)
            return delta, {"incremental": "layer", **counts}, {STATE_FILE: data}

        version = save_layer(self.store, update)
        delta = delta_holder["delta"]
        n_links = sum(1 for r in delta["relationships"] if r["type"] in LINK_TYPES)
        self.info.update(neighbourhood=len(plan.linked_docs), relinked_edges=n_links,
                         copied_edges=None, version=version.name)
        import json as _json

        meta = _json.loads((version / "meta.json").read_text(encoding="utf-8"))
        self.info["copied_edges"] = max(0, meta.get("links", 0) - n_links)
        return Fast(result=_result(BuildResult, self.store, version, list(changed.values()), problems,
                                   self.info, meta))

    def _link(self, plan, changed, new_docs) -> nx.MultiDiGraph:
        """The graph of the documents whose pairs are linked again, linked pair by pair."""
        from cascade.threads import limited_blas
        from graph import link as L
        from graph.build import build_graph

        recs = []
        for d in sorted(plan.linked_docs):
            if d in changed:
                recs.append(changed[d])
                continue
            rec = _read_record(self.cache, new_docs[d]["key"])
            if rec is None:
                from cascade.pipeline import load_all

                entry = self.manifest.get(new_docs[d]["file"])
                got, _ = load_all([Path(new_docs[d]["file"])], {Path(new_docs[d]["file"]): entry} if entry else {})
                rec = got[0]
                _write_record(self.cache, new_docs[d]["key"], rec)
            recs.append(rec)
        H = build_graph(recs)
        for (a, b) in sorted(plan.dirty_pairs):
            H.add_edge(a, b, key="IMPLEMENTS", type="IMPLEMENTS", via=plan.implements[(a, b)])
        rejected = {k for k, r in self.review_data.items() if r.get("status") == "rejected"}
        with limited_blas(1):   # as the full build links: many small matrix products
            L.link_tasks(H, rejected=rejected)
            L.link_years(H)
        return H


def _problems_by_file(problems, files, reals) -> dict:
    back = {str(f): reals[f] for f in files}
    out: dict[str, list] = {}
    for p in problems:
        real = back.get(p.path)
        if real is not None:
            out.setdefault(real, []).append((p.message, p.severity))
    return out


def _result(base, store, version, records, problems, info, meta=None):
    """A build result whose graph is read from the store only when asked for: the fast path never
    holds the whole graph. ``counts`` (nodes per label) and ``links`` come from the database."""
    if meta is None:
        try:
            meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}

    class StoredResult(base):
        @property
        def graph(self) -> nx.MultiDiGraph:
            if self._graph is None:
                from graph.store import load_graph

                self._graph = load_graph(store)
            return self._graph

        @graph.setter
        def graph(self, value) -> None:
            self._graph = value

    out = StoredResult(None, records, problems, store=version, incremental=info)
    out.counts = meta.get("label_counts")
    out.links = meta.get("derived_from")
    out.meta = meta
    return out


# ------------------------------------------------------------------------------------------------------
# Applying the change: the database (inside the store's write transaction) and the graph layer
# ------------------------------------------------------------------------------------------------------

_UNIT_PROPS = ("name", "short_name", "region", "collective", "aliases")
_COPY_ROWS = 5000     # above this many rows of a table, Arrow COPY


class _Db:
    """Queries on the version's database, inside one write transaction. ``bulk``: whether it may
    ``COPY`` (see :func:`graph.store.save_layer`)."""

    def __init__(self, conn, bulk: bool = True):
        self.conn, self.bulk = conn, bulk

    def rows(self, query: str, **params) -> list[list]:
        # an empty list has no type for the engine: a value no id, name or region holds stands in
        params = {k: (v if not isinstance(v, list) or v else ["\x00"]) for k, v in params.items()}
        r = self.conn.execute(query, params)
        out = []
        while r.has_next():
            out.append(r.get_next())
        return out

    def insert(self, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]], label_of) -> None:
        """Nodes (id, properties with ``label``) and edges (start, end, properties with ``type``), typed as
        the bulk writer types them. The few rows of a document go by ``UNWIND … CREATE`` (nodes) and
        one prepared ``MATCH`` on both ends' keys + ``CREATE`` per edge (0.3 ms each at 1M tasks); Arrow
        ``COPY`` costs 10-80 ms a table and, on first use, pyarrow's import of pandas (0.25 s); it is kept
        for many rows. (``UNWIND … MATCH … CREATE`` for edges joined by scanning whole tables: 3.6 s.)"""
        from graph.store import NODE_COLUMNS, REL_TABLES, _cell

        by_label: dict[str, list] = {}
        for n, d in nodes:
            by_label.setdefault(d["label"], []).append((n, d))
        for label, cols in NODE_COLUMNS.items():
            rows = by_label.get(label)
            if not rows:
                continue
            data = {c: [_cell(d.get(c, n if c == "id" else None), t) for n, d in rows] for c, t in cols}
            if len(rows) > _COPY_ROWS:
                self._copy(label, data, cols, "")
                continue
            props = ", ".join(f"`{c}`: r.`{c}`" for c, _ in cols)
            self.conn.execute(f"UNWIND $rows AS r CREATE (:{label} {{{props}}})",
                              {"rows": [dict(zip(data, vals)) for vals in zip(*data.values())]})
        groups: dict[tuple, list] = {}
        for u, v, d in edges:
            key = (d["type"], label_of(u), label_of(v))
            if d["type"] in REL_TABLES and key[1:] in REL_TABLES[d["type"]][0]:   # as the bulk writer
                groups.setdefault(key, []).append((u, v, d))
        for (rel, a, b), group in sorted(groups.items()):
            pairs, cols = REL_TABLES[rel]
            if len(group) > _COPY_ROWS:
                data = {"from": [u for u, _, _ in group], "to": [v for _, v, _ in group]}
                for c, t in cols:
                    data[c] = [_cell(d.get(c), t) for _, _, d in group]
                self._copy(rel, data, [("from", "STRING"), ("to", "STRING"), *cols],
                           f" (from='{a}', to='{b}')" if len(pairs) > 1 else "")
                continue
            props = ", ".join(f"`{c}`: $p{i}" for i, (c, _) in enumerate(cols))
            query = f"MATCH (x:{a} {{id: $from}}), (y:{b} {{id: $to}}) CREATE (x)-[:{rel} {{{props}}}]->(y)"
            for u, v, d in group:
                params = {"from": u, "to": v}
                params.update((f"p{i}", _cell(d.get(c), t)) for i, (c, t) in enumerate(cols))
                self.conn.execute(query, params)

    def _copy(self, table: str, data: dict, cols, opts: str) -> None:
        import pyarrow as pa

        from graph.store import BulkChange

        if not self.bulk:
            raise BulkChange(table)

        types = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
                 "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string())}
        arrays = pa.table({c: pa.array(data[c], type=types[t]) for c, t in cols})
        self.conn.execute(f"COPY {table} FROM $df{opts}", {"df": arrays})

    def counts(self) -> dict:
        from graph.store import NODE_COLUMNS, REL_TABLES

        labels = {label: self.rows(f"MATCH (n:{label}) RETURN count(n)")[0][0] for label in NODE_COLUMNS}
        rels = {rel: self.rows(f"MATCH ()-[r:{rel}]->() RETURN count(r)")[0][0] for rel in REL_TABLES}
        return {"nodes": sum(labels.values()), "relationships": sum(rels.values()), "label_counts": labels,
                "derived_from": rels.get("DERIVED_FROM", 0), "links": sum(rels.get(t, 0) for t in LINK_TYPES)}


def _counts_after(previous: Path, delta: dict) -> dict | None:
    """The previous version's counts plus what a delta that removed no node adds and removes."""
    if delta["remove_nodes"]:
        return None
    try:
        meta = json.loads((previous / "meta.json").read_text(encoding="utf-8"))
        labels, links, derived = dict(meta["label_counts"]), meta["links"], meta["derived_from"]
        nodes, rels = meta["nodes"], meta["relationships"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    replaced = set(delta["replaced"])
    added = [n for n in delta["nodes"] if n["id"] not in replaced]
    for n in added:
        labels[n["label"]] = labels.get(n["label"], 0) + 1
    nodes += len(added)
    for sign, rows in ((1, [(r["type"],) for r in delta["relationships"]]), (-1, delta["remove_relationships"])):
        for r in rows:
            rels += sign
            links += sign * (r[0] in LINK_TYPES)
            derived += sign * (r[0] == "DERIVED_FROM")
    return {"nodes": nodes, "relationships": rels, "label_counts": labels, "derived_from": derived, "links": links}


def _node_json(n: str, d: dict) -> dict:
    from graph.export import _props

    return {"id": n, "label": d["label"], "properties": _props(d)}


def _rel_json(u: str, v: str, d: dict) -> dict:
    from graph.export import _props

    return {"type": d["type"], "start": u, "end": v, "properties": _props(d)}


def _apply(db: _Db, plan: _Plan, H: nx.MultiDiGraph, own: dict, changed: dict, docs: dict, cache: Path) -> dict:
    """Change the database and return the graph layer: the touched documents' nodes replaced, their
    units brought up to date, the document links of ``plan`` and the collectives' members redone."""
    # "replaced": nodes of "nodes" already in the store (their properties change): counted once
    delta = {"remove_nodes": [], "remove_relationships": [], "nodes": [], "relationships": [], "replaced": []}
    # what the store holds of the touched documents, before they go (an added one has nothing there)
    stored = sorted(d for d in plan.touched if d in plan.old_docs)
    # their nodes and units: from the records they were built from, found by key (the primary-key index);
    # finding them by document id in the database is a pass over every task and section (1M: 0.2 s)
    graphs = [_stored_graph(plan, d, cache) for d in stored]
    known = all(g is not None for g in graphs)
    old_units, old_nodes = set(), {"Task": [], "Section": [], "Document": []}
    if stored and known:
        for g in graphs:
            old_units.update(v for _, v, t in g.edges(data="type") if t in ("ASSIGNED_TO", "ISSUED_BY"))
            for n, label in g.nodes(data="label"):
                if label in old_nodes:
                    old_nodes[label].append(n)
    elif stored:
        old_units = {r[0] for r in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE t.doc_id IN $d "
                                           "RETURN DISTINCT u.id", d=stored)}
        old_units |= {r[0] for r in db.rows("MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE x.id IN $d "
                                            "RETURN DISTINCT u.id", d=stored)}
        for label, col in (("Task", "doc_id"), ("Section", "doc_id"), ("Document", "id")):
            old_nodes[label] = [r[0] for r in db.rows(f"MATCH (n:{label}) WHERE n.{col} IN $d RETURN n.id", d=stored)]
    units = sorted(old_units | {n for g in own.values() for n, d in g.nodes(data=True) if d.get("label") == "Unit"})
    old_first = _first_mentions(db, units)
    for label, ids in old_nodes.items():
        if ids:
            delta["remove_nodes"] += sorted(ids)
            db.rows(f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) DETACH DELETE n", ids=sorted(ids))
    # document links that change between documents that stay
    keep_docs = [a for a in sorted(plan.reimplemented) if a not in plan.touched]
    for a, b in db.rows("MATCH (a:Document)-[r:IMPLEMENTS]->(b:Document) WHERE a.id IN $d RETURN a.id, b.id", d=keep_docs):
        delta["remove_relationships"].append(["IMPLEMENTS", a, b])
    db.rows("MATCH (a:Document)-[r:IMPLEMENTS]->(:Document) WHERE a.id IN $d DELETE r", d=keep_docs)
    for a, b in sorted(plan.stale_pairs):
        if a in plan.touched or b in plan.touched:
            continue
        q = "MATCH (x:Task)-[r:DERIVED_FROM]->(y) WHERE x.doc_id = $a AND y.doc_id = $b"
        delta["remove_relationships"] += [["DERIVED_FROM", x, y] for x, y in db.rows(q + " RETURN x.id, y.id", a=a, b=b)]
        db.rows(q + " DELETE r", a=a, b=b)

    # units: properties from the first mention in document-id order, aliases from every mention
    old_rows = _unit_rows(db, units)
    new_first = _first_mentions(db, units) if stored else old_first
    unit_nodes, gone_units = {}, []
    for u in units:
        cands = [x for x in [new_first.get(u)] if x] + [d for d in sorted(own) if u in own[d]]
        if not cands:
            gone_units.append(u)
            continue
        owner = min(cands)
        if owner in own:
            attrs = dict(own[owner].nodes[u])
        elif u in old_rows and old_first.get(u) == owner:
            attrs = dict(old_rows[u])
        else:
            attrs = dict(_mention_graph(owner, docs, cache).nodes[u])
        aliases = set(attrs.get("aliases") or [])
        for d in own:
            if u in own[d]:
                aliases.update(own[d].nodes[u].get("aliases") or [])
        if u in old_rows:
            old_contrib = _old_aliases(plan, u, cache)
            if old_contrib is None or old_contrib:
                aliases |= _all_aliases(db, u, docs, cache, exclude=set(own))   # a touched document gave one
            else:
                aliases.update(old_rows[u].get("aliases") or [])
        attrs["aliases"] = sorted(aliases)
        attrs["label"], attrs["id"] = "Unit", u
        if u not in old_rows or any(old_rows[u].get(k) != attrs.get(k) for k in _UNIT_PROPS):
            unit_nodes[u] = attrs
    if gone_units:
        delta["remove_nodes"] += gone_units
        db.rows("MATCH (u:Unit) WHERE u.id IN $d DETACH DELETE u", d=gone_units)
    for u, attrs in unit_nodes.items():
        if u in old_rows:
            db.rows("MATCH (u:Unit) WHERE u.id = $id SET u.name = $name, u.short_name = $short, u.region = $region, "
                    "u.collective = $coll, u.aliases = $aliases", id=u, name=attrs.get("name"),
                    short=attrs.get("short_name"), region=attrs.get("region"),
                    coll=bool(attrs.get("collective")), aliases=list(attrs.get("aliases") or []))
    db.insert([(u, a) for u, a in unit_nodes.items() if u not in old_rows], [], None)
    delta["nodes"] += [_node_json(u, a) for u, a in sorted(unit_nodes.items())]
    delta["replaced"] += sorted(u for u in unit_nodes if u in old_rows)

    # the touched documents' nodes and edges, and the links made again
    nodes, edges = [], []
    for did in sorted(own):
        g = own[did]
        for n, d in g.nodes(data=True):
            if d.get("label") != "Unit":
                nodes.append((n, d))
        edges += [(u, v, d) for u, v, d in g.edges(data=True)]
    for (a, b), via in sorted(plan.implements.items()):
        if a in plan.reimplemented:
            edges.append((a, b, {"type": "IMPLEMENTS", "via": via}))
    doc_of = lambda n: n if H.nodes[n].get("label") == "Document" else H.nodes[n].get("doc_id")  # noqa: E731
    for u, v, d in H.edges(data=True):
        t = d.get("type")
        if (t == "DERIVED_FROM" and (doc_of(u), doc_of(v)) in plan.dirty_pairs) or \
                (t == "CONTINUES" and (doc_of(u), doc_of(v)) in plan.dirty_continues):
            edges.append((u, v, d))
    labels = {n: d["label"] for n, d in nodes}

    def label_of(n: str) -> str:
        if n in labels:
            return labels[n]
        if n in H:
            return H.nodes[n]["label"]
        return "Document" if n in docs else "Unit"
    db.insert(nodes, edges, label_of)
    delta["nodes"] += [_node_json(n, d) for n, d in nodes]
    delta["relationships"] += [_rel_json(u, v, d) for u, v, d in edges]

    _membership(db, plan, delta, set(units), old_rows, unit_nodes, gone_units, docs)
    return delta


def _first_mentions(db: _Db, units: list[str]) -> dict:
    """Unit → the smallest id of a document in the store that names it."""
    out: dict[str, str] = {}
    for q in ("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE u.id IN $u RETURN u.id, min(t.doc_id)",
              "MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE u.id IN $u RETURN u.id, min(x.id)"):
        for u, d in db.rows(q, u=units):
            if d is not None and (u not in out or d < out[u]):
                out[u] = d
    return out


def _unit_rows(db: _Db, units: list[str]) -> dict:
    # UNWIND + a match on the key looks each id up in the primary-key index; "u.id IN $u" scans every
    # unit (100k tasks: 8 ms against under 1 ms; 1M: 0.25 s for a build's four calls)
    rows = db.rows("UNWIND $u AS x MATCH (u:Unit {id: x}) RETURN u.id, u.name, u.short_name, u.region, "
                   "u.collective, u.aliases", u=sorted(set(units)))
    return {r[0]: {"label": "Unit", "id": r[0], "name": r[1], "short_name": r[2], "region": r[3],
                   "collective": r[4], "aliases": r[5] or []} for r in rows}


def _record_graph(cache: Path, key: str) -> nx.MultiDiGraph | None:
    """A document's own graph (its nodes and edges, as the builder adds them) from its cached records;
    ``None`` when they are not in the cache."""
    from graph.build import add_document

    rec = _read_record(cache, key)
    if rec is None:
        return None
    g = nx.MultiDiGraph()
    add_document(g, rec)
    return g


def _mention_graph(doc: str, docs: dict, cache: Path) -> nx.MultiDiGraph:
    """One stored document's own graph (from its cached records): its first mention of each unit."""
    g = _record_graph(cache, docs[doc]["key"])
    if g is None:
        raise _Decline(f"the records of {doc} are not in the cache")
    return g


class _Decline(Exception):
    """The fast path cannot do this change exactly: the build goes the full way."""


def _old_aliases(plan: _Plan, u: str, cache: Path) -> set | None:
    """Aliases the previous versions of the touched documents gave ``u`` (``None``: unknown)."""
    out = set()
    for d in plan.touched:
        if d not in plan.old_docs:
            continue
        g = _stored_graph(plan, d, cache)
        if g is None:
            return None
        if u in g:
            out.update(g.nodes[u].get("aliases") or [])
    return out


def _stored_graph(plan: _Plan, d: str, cache: Path) -> nx.MultiDiGraph | None:
    """The graph the store holds of a touched document (its own nodes and edges, from the cached records
    of its previous version), built once; ``None`` when those records are gone from the cache."""
    if d not in plan.stored_graphs:
        plan.stored_graphs[d] = _record_graph(cache, plan.old_docs[d]["key"])
    return plan.stored_graphs[d]


def _all_aliases(db: _Db, u: str, docs: dict, cache: Path, exclude: set) -> set:
    ids = {r[0] for r in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(u:Unit) WHERE u.id = $u RETURN DISTINCT t.doc_id", u=u)}
    ids |= {r[0] for r in db.rows("MATCH (x:Document)-[:ISSUED_BY]->(u:Unit) WHERE u.id = $u RETURN x.id", u=u)}
    out = set()
    for d in sorted(ids - exclude):
        out.update(_mention_graph(d, docs, cache).nodes[u].get("aliases") or [])
    return out


def _membership(db: _Db, plan: _Plan, delta: dict, units: set, old_rows: dict, unit_nodes: dict,
                gone_units: list, docs: dict) -> None:
    """Redo ``MEMBER_OF`` for the collectives whose candidates may have changed."""
    from graph.membership import (_GOV_LEVELS, _GOV_NAME, _OTHERS, _TOWN_NAME, _parent_region, add_membership,
                                  collective_kinds)

    def owners(ds):
        return {d["issuer_uid"][5:] for d in ds.values() if d.get("level") == "department" and d.get("issuer_uid")}

    def gov_region(ds, uids):
        out = {}
        for n in sorted(ds):
            d = ds[n]
            if d.get("issuer_uid") in uids and d.get("level") in _GOV_LEVELS and d.get("region"):
                out.setdefault(d["issuer_uid"], d["region"])
        return out

    new_owners = owners(docs)
    moved_owners = sorted(new_owners ^ owners(plan.old_docs))
    issuers = {info.get("issuer_uid") for d in plan.touched for info in (plan.old_docs.get(d), docs.get(d)) if info}
    issuers.discard(None)
    g_old, g_new = gov_region(plan.old_docs, issuers), gov_region(docs, issuers)
    # units whose membership can change: new, changed or gone ones, issuers whose government region
    # moved, units under a bureau that issued its first (or last) plan. A unit only named again keeps
    # its kind, and so its memberships.
    star = set(unit_nodes) | set(gone_units) | {u for u in issuers if g_old.get(u) != g_new.get(u)}
    for o in moved_owners:
        star |= {r[0] for r in db.rows("MATCH (u:Unit) WHERE starts_with(u.name, $o) RETURN u.id", o=o)}
    rows = {**_unit_rows(db, sorted(star - set(unit_nodes))), **unit_nodes}
    # the "other …" collectives a touched document names: who is lead beside them may change
    named = set()
    for u in units:
        r = unit_nodes.get(u) or old_rows.get(u)
        if r and r.get("collective") and _OTHERS.search(r.get("name") or ""):
            named.add(u)
    all_owners = new_owners | set(moved_owners)

    def owner_of(name, pool):
        return next((name[:i] for i in range(len(name) - 1, 0, -1) if name[:i] in pool), None)

    # the collectives a touched unit can be a candidate of: same region (departments), a region above
    # (towns), the region above its government's, its bureau (股室); and those touched themselves
    regions, town_regions, name_prefixes = set(), set(), set(moved_owners)
    for u in star:
        for r in (old_rows.get(u), rows.get(u)):
            if not r:
                continue
            region = r.get("region") or ""
            regions.add(region)
            if _TOWN_NAME.search(r.get("name") or ""):
                town_regions.update(region[:i] for i in range(1, len(region) + 1))
            regions.add(_parent_region(g_new.get(u) or g_old.get(u) or r.get("region")))
            o = owner_of(r.get("name") or "", all_owners)
            if o:
                name_prefixes.add(o)
    regions.discard(None)
    regions.discard("")
    # (one simple query per kind of key: one combined WHERE costs a slow pass over every unit)
    found = []
    if regions or town_regions:
        found += db.rows("MATCH (c:Unit) WHERE c.collective AND c.region IN $r RETURN c.id, c.name, c.region",
                         r=sorted(regions | town_regions))
    if star or named:
        # (UNWIND and a match on the key: the primary-key index, not a pass over every unit)
        found += db.rows("UNWIND $s AS x MATCH (c:Unit {id: x}) WHERE c.collective RETURN c.id, c.name, c.region",
                         s=sorted(star | named))
    for o in sorted(name_prefixes):
        found += db.rows("MATCH (c:Unit) WHERE c.collective AND starts_with(c.name, $o) RETURN c.id, c.name, c.region",
                         o=o)
    C = {}
    for r in found:
        kinds = collective_kinds(r[1] or "")
        if (r[2] in regions or r[0] in star or r[0] in named or any((r[1] or "").startswith(o) for o in name_prefixes)
                or ("town" in kinds and r[2] in town_regions)):
            C[r[0]] = r
    if not C:
        return
    # their candidates, by kind: departments of the region, towns below it, governments of the regions
    # below it, the 股室 of their bureau
    dept, town, gov = set(), set(), set()
    for c in C.values():
        kinds = collective_kinds(c[1] or "")
        if c[2]:
            (dept.add(c[2]) if "department" in kinds else None)
            (town.add(c[2]) if "town" in kinds else None)
        if "government" in kinds:
            gov.add(c[2])
    c_owners = sorted({o for c in C.values() for o in [owner_of(c[1] or "", new_owners)] if o})
    want = set(C)
    if dept:
        want |= {r[0] for r in db.rows("MATCH (u:Unit) WHERE NOT u.collective AND u.region IN $d RETURN u.id",
                                       d=sorted(dept))}
    for o in c_owners:
        want |= {r[0] for r in db.rows("MATCH (u:Unit) WHERE NOT u.collective AND starts_with(u.name, $o) "
                                       "RETURN u.id", o=o)}
    for pattern, prefixes in ((_TOWN_NAME, town), (_GOV_NAME, {r for r in gov if r})):
        for r in sorted(prefixes):
            want |= {u for u, name in db.rows("MATCH (u:Unit) WHERE NOT u.collective AND starts_with(u.region, $r) "
                                              "RETURN u.id, u.name", r=r) if pattern.search(name or "")}
    gov_all = gov_region(docs, {d.get("issuer_uid") for d in docs.values()})
    want |= {u for u, reg in gov_all.items() if _parent_region(reg) in gov}
    if "全国" in gov or None in gov or "" in gov:   # provinces' governments do not start with 全国
        want |= {r[0] for r in db.rows("MATCH (u:Unit) WHERE NOT u.collective AND u.name =~ $gov RETURN u.id",
                                       gov=".*" + _GOV_NAME.pattern)}
    G = nx.MultiDiGraph()
    rows = {**_unit_rows(db, sorted(want - set(rows))), **{u: r for u, r in rows.items() if u in want}}
    # the bureaus whose names prefix these names (they decide which units are 股室)
    todo = set(rows)
    while todo:
        need = set()
        for u in todo:
            name = rows[u].get("name") or ""
            need.update("unit:" + name[:i] for i in range(len(name) - 1, 0, -1) if name[:i] in new_owners)
        need -= set(rows)
        rows.update(_unit_rows(db, sorted(need)))
        todo = need & set(rows)
    for u, r in rows.items():
        G.add_node(u, **{k: r.get(k) for k in ("label", "id", *_UNIT_PROPS)})
    for name in sorted(new_owners):
        if "unit:" + name in G:
            G.add_node("doc:dept:" + name, label="Document", level="department")
            G.add_edge("doc:dept:" + name, "unit:" + name, key="ISSUED_BY", type="ISSUED_BY")
    for u, reg in gov_all.items():
        if u in G:
            G.add_node("doc:gov:" + u, label="Document", level="province", region=reg)
            G.add_edge("doc:gov:" + u, u, key="ISSUED_BY", type="ISSUED_BY")
    # the tasks that name an "other …" collective: who is lead beside it
    others = [c for c, r in C.items() if _OTHERS.search(r[1] or "")]
    if others:
        for t, u, role in db.rows("MATCH (t:Task)-[:ASSIGNED_TO]->(c:Unit) WHERE c.id IN $c "
                                  "MATCH (t)-[a:ASSIGNED_TO]->(u:Unit) RETURN DISTINCT t.id, u.id, a.role", c=others):
            G.add_node("task:" + t, label="Task")
            G.add_edge("task:" + t, u, key=f"ASSIGNED_TO:{role}", type="ASSIGNED_TO", role=role)
    for n in list(G):
        if "label" not in G.nodes[n]:
            G.nodes[n]["label"] = "Elsewhere"   # a lead outside these units: counted, never a member
    add_membership(G)
    cids = sorted(C)
    for m, c in db.rows("MATCH (m:Unit)-[r:MEMBER_OF]->(c:Unit) WHERE c.id IN $c RETURN m.id, c.id", c=cids):
        delta["remove_relationships"].append(["MEMBER_OF", m, c])
    db.rows("MATCH (:Unit)-[r:MEMBER_OF]->(c:Unit) WHERE c.id IN $c DELETE r", c=cids)
    new = [(m, c, d) for m, c, d in G.edges(data=True) if d.get("type") == "MEMBER_OF" and c in C]
    db.insert([], new, lambda n: "Unit")
    delta["relationships"] += [_rel_json(m, c, d) for m, c, d in new]
