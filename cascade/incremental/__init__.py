"""Incremental builds (``cascade build --incremental``): touch only what a changed document touches.

Two paths. The *fast path* (:func:`build_fast`) runs when the store holds the state of a previous build
(``state.pickle`` in its version, written with marshal) made with the same code and reviews;
otherwise the build is a full one (``reason`` in ``BuildResult.incremental`` says why) that reuses the
record cache and leaves that state for the next build.

**What the fast path reads.** Not the whole input, nor the whole store:

* files are listed with ``os.scandir`` and told apart by ``(size, mtime_ns)`` and their manifest entry;
  only a file whose stat or entry differs is hashed (its *content key*: its bytes, its manifest entry
  and the code of ``core`` and ``loaders``, as a full build computes it) and loaded, only if the key is new;
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
4. ``MEMBER_OF`` is recomputed only for the collectives whose members may have changed: those whose
   slot (:func:`graph.membership.collective_slots`) covers the old or new slot of a touched unit, those
   the changed documents name, those of a bureau that issued its first plan; by
   :func:`graph.membership.add_membership` on a graph of those collectives, their candidate units and
   the issuers that decide the units' slots (:mod:`cascade.incremental.members`).

**The store** (see :mod:`graph.store`): a new version made from the previous one, with hard links to
its files. The database file (550 MB at 1M tasks) is shared, not copied: the
change is one write transaction appended to the version's own copy of the write-ahead log, never
checkpointed into the shared file; readers replay the log (0.05 s a MB at 1M tasks). A bulk change, or a
log past :data:`graph.store.WAL_LIMIT`, copies the file and checkpoints the copy. Updating the one database
in place was weighed and left aside: the database would then change at another moment than the
one switch of ``CURRENT``, and a build killed mid-transaction would leave its
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

**Known limits.** A change of the reviews file, of the code (the packages of
:data:`~cascade.incremental.keys.CODE_PACKAGES`), confirmed reviews (which can carry links over years
across unchanged documents) or a document id taken twice make the build a full one.

**The modules**, in the order a fast build runs them: :mod:`~cascade.incremental.keys` (what changed:
code, documents, files), :mod:`~cascade.incremental.manifest_cache`, :mod:`~cascade.incremental.state`
(what the previous build left), :mod:`~cascade.incremental.plan` (which links change),
:mod:`~cascade.incremental.fast` (the run), :mod:`~cascade.incremental.apply` with
:mod:`~cascade.incremental.db` and :mod:`~cascade.incremental.members` (the change written);
:mod:`~cascade.incremental.full` is the full path, :mod:`~cascade.incremental.cache` the record cache.
"""

from cascade.incremental.fast import Fast, build_fast
from cascade.incremental.full import Incremental
from cascade.incremental.keys import CODE_PACKAGES, CONTENT_PACKAGES, code_fingerprint, code_key, content_key
from cascade.incremental.manifest_cache import prime_manifest_cache, read_manifest_cached
from cascade.incremental.state import STATE_FILE
from cascade.results import StoredResult

__all__ = ["build_fast", "Fast", "StoredResult", "Incremental", "content_key", "code_fingerprint", "code_key",
           "CODE_PACKAGES", "CONTENT_PACKAGES", "read_manifest_cached", "prime_manifest_cache", "STATE_FILE"]
