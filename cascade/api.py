"""The library's one way in: a :class:`Cascade` over a store, which the CLI and the app both call.

>>> import tempfile, pathlib
>>> c = Cascade(pathlib.Path(tempfile.mkdtemp()) / ".cascade")
>>> r = c.build(["data/2022_guangzhou_city_plan.txt", "data/2021_national_state_council_workpoints.txt"])
>>> c.counts()["Document"], len(c.gaps()) >= 0
(2, True)

Everything an analyst asks (gaps, a trace, the checks, the workload, an export, a report, a push) is a
method here; each is the analysis of ``queries/`` or the writer of ``graph/`` over the store's current
graph, which is read once per store version and shared by the answers computed on it. Answers are
shared: never modify what a method returns.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from core.errors import CascadeError

if TYPE_CHECKING:   # imported where a graph is made: a question the store answers needs no networkx (0.18 s)
    import networkx as nx

__all__ = ["Cascade", "DEFAULT_STORE", "SEARCH_PAGE", "TRACE_PAGE"]

DEFAULT_STORE = ".cascade"
TRACE_PAGE = 200   # lower tasks on a trace's page read from the store: the app's Trace page and `cascade trace`
SEARCH_PAGE = 50   # tasks the Trace page's search offers to choose from
# Requirements of the top plans whose first trace page and coverage a build's warming keeps: the national
# 要点 of a nation-year, kept short (each is a trace and a search on the store).
TOP_REQUIREMENTS = 200


class Cascade:
    """One cascade store: build it, add to it, and ask it questions.

    ``store``: the store's folder (``.cascade`` by default). The graph is read lazily, once per version of
    the store; a build through this object, or by another process, makes the next answer read the new one.
    """

    def __init__(self, store: str | os.PathLike = DEFAULT_STORE):
        self.store = Path(store)
        self._lock = threading.RLock()
        self._version: str | None = None
        self._graph: nx.MultiDiGraph | None = None
        self._memo: dict[tuple, object] = {}
        self._shared = threading.local()   # .backend: the one connection warming reads through
        self._index = None   # (path, the trace index open), see _trace_index

    def __repr__(self) -> str:
        return f"Cascade({str(self.store)!r})"

    # --- the store -------------------------------------------------------------------------------------

    def version(self) -> str:
        """The store's content version: it changes with every build that changes the graph."""
        from graph.store import content_version

        return content_version(self.store)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph of the current version (read once per version; shared: do not modify)."""
        version = self.version()
        with self._lock:
            if self._graph is None or version != self._version:
                from graph.store import load_graph

                self._graph, self._version, self._memo = load_graph(self.store), version, {}
            return self._graph

    def _answer(self, key: tuple, compute: Callable[[nx.MultiDiGraph], object]):
        """``compute(graph)``, once per store version and key."""
        G = self.graph
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute(G)
            return self._memo[key]

    def build(self, paths: Iterable[str | os.PathLike], manifest: str | os.PathLike | None = None,
              reviews: str | os.PathLike | None = None, incremental: bool = False,
              progress: Callable[[int, int, str], None] | None = None):
        """Load the documents under ``paths``, link the levels and save the store; returns the
        :class:`cascade.results.BuildResult` (its ``problems`` name every file skipped or warned of)."""
        from cascade.pipeline import build

        result = build(paths, manifest, self.store, progress=progress, reviews=reviews, incremental=incremental)
        self._warm_if_large()
        return result

    def add(self, name: str, data: bytes, data_dir: str | os.PathLike, meta: dict | None = None,
            overwrite: bool = False, progress: Callable[[int, int, str], None] | None = None):
        """An uploaded file saved under ``data_dir`` (size-limited, never outside it), what the user said of
        it kept in the folder's manifest, and the store rebuilt from the folder. Returns the build result."""
        from cascade.uploads import rebuild, record_metadata, save_upload

        target = save_upload(name, data, data_dir, overwrite=overwrite)
        if meta:
            record_metadata(data_dir, target, meta)
        result = rebuild(data_dir, self.store, progress=progress)
        self._warm_if_large()
        return result

    def _warm_if_large(self) -> None:
        """After a build of a store the app will ask rather than load: its first answers computed in the
        background (:func:`cascade.answers.warm_later`)."""
        from queries.backend import graph_tasks_limit

        try:
            if self.store_task_count(env={}) > graph_tasks_limit():
                from cascade.answers import warm_later

                warm_later(self.store)
        except (CascadeError, OSError):
            pass   # no store to warm: the build said why

    def warm_answers(self) -> None:
        """The answers the app's pages ask first, computed and kept for the current version
        (:mod:`cascade.answers`): the gap list's and the not-assessable list's first pages and totals, with
        the pairs of plans those pages show (who must act, why), the workload ranking's first page and its first unit's tasks, the
        review queue's, the worklist's filters, the first trace pages of the top plans' requirements
        (:meth:`warm_requirements`), and then the index that answers every other requirement's trace
        (:meth:`write_trace_index`).

        Stops, between two answers, once the store has a newer version: a build made since started its own
        warming, and answers of this one would only take a core from it (at 1M the whole warming is 84 s,
        and back-to-back incremental builds each started one: 1.9 s builds took 4-16 s)."""
        from graph.store import content_version

        start = content_version(self.store)

        def current() -> bool:
            return content_version(self.store) == start

        def worklist(name: str) -> None:
            _, first = self.store_table(name, 0, 50, None, None)
            # the Worklist's first page: who must act on each row, and the reason of the row opened
            self.store_pairs_coverage(tuple(dict.fromkeys((r["upper_doc"], r["lower_doc"]) for r in first)))

        def units() -> None:
            # the Units page's first page, and the tasks of the unit it opens first (its first row)
            found = self.store_workload(0, 50, None, None)
            first = (found["rows"] or found["collectives"] or [{}])[0].get("unit")
            if first:
                self.store_unit_tasks(first)

        steps = [self.store_overview, partial(self.store_document_table, (), (), (), False),
                 partial(self.store_document_table, (), (), (), True), self.store_gap_filters,
                 partial(worklist, "gaps"), partial(worklist, "not_assessable"),
                 units,
                 partial(self.store_review_page, ("proposed",), 0, 50, "score", None, False)]
        for step in steps:
            if not current():
                return
            step()
        self.warm_requirements(current=current)
        if current():
            self.write_trace_index(current)

    def warm_requirements(self, limit: int = TOP_REQUIREMENTS, current: Callable[[], bool] | None = None) -> list[str]:
        """What the Trace page and `cascade trace` first ask of each of the first ``limit`` requirements of
        the top plans (:func:`queries.trace_store.top_requirements`), kept for the current version: the
        search of its id (the page's, the command's), its trace's first page, its coverage in the plans
        below; and the task count that says the store is asked. Read through one connection, each trace
        whole (one run of the saved query, not two), each plan's coverage once; stops once ``current()`` is
        false (:meth:`warm_answers`). Returns the requirements."""
        from queries import coverage_store, trace_store

        self.queries_store()   # asked before every trace: its count kept too
        with self._backend() as backend:
            self._shared.backend = backend
            try:
                tops = trace_store.top_requirements(backend, limit)
                plans: dict[str, list[str]] = {}
                for doc, task in tops:
                    plans.setdefault(doc, []).append(task)
                for doc, tasks in plans.items():
                    below: dict[str, list[dict]] = {}

                    def coverage_of(task, doc=doc, tasks=tasks, below=below):
                        if not below:   # the first not kept yet: the plan read once for all of them
                            below.update(coverage_store.plan_requirements_coverage(backend, doc, tasks))
                        return below[task]

                    for task in tasks:
                        if current is not None and not current():
                            return [task for _, task in tops]
                        self.store_search(task, SEARCH_PAGE)
                        self.store_search(task, 1)
                        self.store_trace(task, 0, TRACE_PAGE, whole=True)
                        self._kept(_requirement_key(task), partial(coverage_of, task))
            finally:
                self._shared.backend = None
        return [task for _, task in tops]

    def counts(self) -> dict[str, int]:
        """Nodes per label, and ``links``: the DERIVED_FROM relationships."""
        def count(G):
            out: dict[str, int] = {}
            for _, d in G.nodes(data=True):
                out[d["label"]] = out.get(d["label"], 0) + 1
            out["links"] = sum(1 for _, _, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM")
            return out
        return self._answer(("counts",), count)

    # --- coverage ----------------------------------------------------------------------------------------

    def coverage(self) -> list[dict]:
        """Every (upper requirement, lower plan) pair with its status, and the local additions
        (:func:`queries.gaps.coverage`)."""
        from queries.gaps import coverage

        return self._answer(("coverage",), coverage)

    def gaps(self, status: str = "gap") -> list[dict]:
        """The coverage rows of one status (``gap`` by default; ``not_assessable``, ``not_applicable``,
        ``covered``, ``local``)."""
        return [r for r in self.coverage() if r["status"] == status]

    def gaps_text(self, fmt: str = "md", lang: str | None = None) -> str:
        """The coverage as ``md`` (in the person's language), ``csv`` (with a byte-order mark, so Excel on a
        Chinese Windows reads UTF-8) or ``json`` (machine keys)."""
        from queries.gaps import render

        if fmt == "md" and (lang or "zh") != "en":
            from cascade.report_markdown import gaps_markdown

            return gaps_markdown(self.coverage(), self.graph, lang)
        text = render(self.coverage(), fmt, self.graph)
        return "\ufeff" + text if fmt == "csv" else text

    def gaps_page(self, out, fmt: str = "md", offset: int = 0, limit: int | None = None,
                  status: str = "gap", words=None) -> int:
        """One page of the saved gaps query (``status`` ``gap``), not_assessable query or local_additions
        query (``local``), streamed to the text stream ``out`` from the store's Cypher engine, or from the
        Bolt server ``CASCADE_BOLT_URI`` names; never the whole graph. Returns the rows written.
        ``words``: how a Markdown page is said to a person (:func:`queries.backend.write_page`)."""
        from queries.backend import open_backend, write_page

        name = {"gap": "gaps", "not_assessable": "not_assessable", "local": "local_additions"}[status]
        # a page is a kept answer once asked (cascade/answers.py): the first page after a build is warmed
        answer = self.store_table(name, offset, limit, None, None) if limit is not None else None
        with open_backend(self.store) as backend:
            return write_page(backend, name, out, fmt, offset, limit, status=status, answer=answer, words=words)

    def dropped_chains(self, uppers: tuple | None = None) -> list[dict]:
        """Chains of requirements dropped on the way down (:func:`queries.gaps.dropped_chains`); with
        ``uppers``, only those that start at these documents."""
        from queries.gaps import dropped_chains
        from queries.view import chain_rows

        rows = self.coverage() if uppers is None else chain_rows(self.coverage(), uppers)
        return self._answer(("dropped_chains", uppers), lambda G: dropped_chains(G, rows))

    # --- one requirement -----------------------------------------------------------------------------------

    def find_task(self, what: str) -> str:
        """A task id as given, else the highest task the words find (a trace reads from the top down)."""
        from queries.search import resolve_task

        return resolve_task(self.graph, what, self.search_index(), self.upper_documents())

    def queries_store(self) -> bool:
        """Whether an answer that can come from the store's queries should: a Bolt server is configured
        (``CASCADE_BOLT_URI``), or the store holds more tasks than load quickly
        (:func:`queries.backend.graph_tasks_limit`) and this object has not loaded the graph yet."""
        from queries.backend import BOLT_ENV

        if os.environ.get(BOLT_ENV):
            return True
        if self._graph is not None and self._version == self.version():
            return False
        from queries.backend import graph_tasks_limit

        return self.store_task_count() > graph_tasks_limit()

    # --- answers from the store's queries (the embedded database, or the Bolt server CASCADE_BOLT_URI
    # names): what the app shows of a store too large to load, without the graph -------------------

    def _backend(self, env: dict | None = None):
        from contextlib import nullcontext

        from queries.backend import open_backend

        shared = getattr(self._shared, "backend", None)
        if shared is not None and env is None:
            return nullcontext(shared)   # warming's connection, closed by warming; opening one costs 30-40 ms
        opened = getattr(self._shared, "opened", None)
        if opened is not None and env is None:   # within _one_connection: the first answer not kept opens it
            if not opened:
                opened.append(open_backend(self.store))
            return nullcontext(opened[0])
        return open_backend(self.store, env=env)

    @contextmanager
    def _one_connection(self):
        """The answers asked within share one connection, opened by the first of them that is not kept
        (none when all are): a trace asks the search of its id and then its page, and each opening of the
        embedded database costs 40-60 ms at 1M tasks."""
        if getattr(self._shared, "opened", None) is not None:
            yield
            return
        self._shared.opened = opened = []
        try:
            yield
        finally:
            self._shared.opened = None
            for backend in opened:
                backend.close()

    def store_task_count(self, env: dict | None = None) -> int:
        """How many tasks the store holds: counted by the database once per version and kept, so that the
        app's first question (load the graph, or ask the store?) opens no database (0.3 s at 1M).
        ``env`` other than the process's (``{}``: the embedded store though a server is set): counted."""
        from queries.backend import BOLT_ENV

        def compute() -> int:
            with self._backend(env) as backend:
                return int(backend.rows("MATCH (t:Task) RETURN count(t)")[1][0][0])

        if env is not None and bool(env.get(BOLT_ENV)) != bool(os.environ.get(BOLT_ENV)):
            return compute()
        return self._kept(("task_count",), compute)

    def store_overview(self) -> dict:
        """The Overview's counts and documents tables (:func:`queries.overview_store.overview`), kept per
        version (:mod:`cascade.answers`)."""
        from queries.overview_store import overview

        def compute():
            with self._backend() as backend:
                return overview(backend)

        return self._kept(("overview",), compute)

    def store_search(self, words: str, limit: int = 20) -> list[dict]:
        """The task ``words`` names, else tasks whose text holds them (:func:`queries.trace_store.search_tasks`);
        kept per version, so that a trace by id is read without opening the store (and words asked
        again are not a scan of every task's text again)."""
        from queries import trace_store

        from cascade.answers import kept

        found = kept(self.store, ("search", words, limit))
        if found is None:
            with self._trace_index() as index:   # an id: the trace index knows it without the database
                found = index.search(words) if index is not None else None
        if found is not None:
            return found

        def compute():
            with self._backend() as backend:
                return trace_store.search_tasks(backend, words, limit)

        return self._kept(("search", words, limit), compute)

    def store_trace(self, task: str, offset: int = 0, limit: int | None = None, whole: bool = False) -> dict:
        """A task's chain above and one page of the tasks below it (:func:`queries.trace_store.trace`, with
        ``whole`` when many are asked at once); kept per version. ``source`` says whose graph it is (the
        embedded store's or the Bolt server's), as the kept answer read from a server may have been
        computed on the store a push carried."""
        from queries import trace_store
        from queries.backend import BOLT_ENV

        from cascade.answers import kept

        key = ("trace", task, offset, limit)
        # a kept answer first (a national requirement's page: read, not walked again over its 20,000 lower
        # tasks), then the trace index (its answer not kept again: it is as quick), then the database
        found = kept(self.store, key)
        if found is None:
            with self._trace_index() as index:
                found = index.trace(task, offset, limit) if index is not None else None
        if found is not None:
            return {**found, "source": "embedded"}

        def compute():
            with self._backend() as backend:
                found = trace_store.trace(backend, task, offset, limit, whole)
            del found["source"]
            return found

        return {**self._kept(key, compute), "source": "bolt" if os.environ.get(BOLT_ENV) else "embedded"}

    @contextmanager
    def _trace_index(self):
        """The current version's trace index (:mod:`queries.trace_index`: any requirement's trace in a few
        ms, the database not opened), or None: not written yet, or a Bolt server is asked. Opened once per
        version and kept (the search of an id and its page, and the app's sessions, share it: SQLite here
        serializes a connection's use across threads)."""
        from cascade.answers import answers_dir
        from queries.trace_index import FILE, open_index

        folder = answers_dir(self.store)
        path = folder / FILE if folder is not None else None
        with self._lock:
            kept = self._index
            if kept is None or kept[0] != path:
                if kept is not None and kept[1] is not None:
                    kept[1].close()
                index = open_index(path, shared=True) if path is not None else None
                # (none yet: asked again next time, as warming may write it any moment)
                self._index = kept = (path, index) if index is not None else None
        yield kept[1] if kept is not None else None

    def write_trace_index(self, current: Callable[[], bool] | None = None) -> Path | None:
        """Write the current version's trace index (the last step of :meth:`warm_answers`) and drop those of
        older versions (each is about half the database's size); None when there is no version, or when
        ``current()`` turned false while writing (a build made a newer version: 40 CPU s at 1M saved for
        that build's own warming)."""
        from cascade.answers import answers_dir
        from queries.trace_index import FILE, index_delta, update_index, write_index

        folder = answers_dir(self.store)
        if folder is None:
            return None
        delta = index_delta(self.store)
        base = folder.parent / delta["from"] / FILE if delta else None
        with self._backend() as backend:
            path = None
            if base is not None and base.is_file():   # an incremental build's: the index before, changed
                path = update_index(backend, base, folder / FILE, delta["documents"], current)
            if path is None and (current is None or current()):
                path = write_index(backend, folder / FILE, current)
        if path is None:
            return None
        for old in folder.parent.glob(f"*/{FILE}"):
            if old != path:
                old.unlink(missing_ok=True)
        return path

    def store_table(self, name: str, offset: int = 0, limit: int | None = None, equal: dict | None = None,
                    contains: dict | None = None) -> tuple[int, list[dict]]:
        """(total, one page) of a saved query, filtered by the store (:meth:`queries.backend.Backend.table`);
        kept per version (:mod:`cascade.answers`)."""
        def compute():
            with self._backend() as backend:
                return backend.table(name, offset, limit, equal, contains)

        return self._kept(("table", name, offset, limit, equal, contains), compute)

    def _kept(self, key: tuple, compute: Callable[[], object]):
        from cascade.answers import cached

        return cached(self.store, key, compute)

    def store_unit_tasks(self, unit: str) -> list[dict]:
        """A unit's tasks, the first 500 (:func:`queries.trace_store.unit_tasks`); kept per version."""
        from queries import trace_store

        def compute():
            with self._backend() as backend:
                return trace_store.unit_tasks(backend, unit)

        return self._kept(("unit_tasks", unit), compute)

    # --- the worklist, compare, review and units pages of a store too large to load ----------------------

    def store_gap_filters(self) -> dict:
        """The levels and regions a gap row's lower document can have (:func:`queries.worklist_store.gap_filters`)."""
        from queries import worklist_store

        def compute():
            with self._backend() as backend:
                return worklist_store.gap_filters(backend)

        return self._kept(("gap_filters",), compute)

    def store_documents(self, ids: tuple) -> dict[str, dict]:
        """Title, level, region, year, issuer … of these documents (:func:`queries.worklist_store.documents`)."""
        from queries import worklist_store

        with self._backend() as backend:
            return worklist_store.documents(backend, ids)

    def store_tasks(self, ids: tuple) -> dict[str, dict]:
        """Text, number, line … of these tasks (:func:`queries.worklist_store.tasks`)."""
        from queries import worklist_store

        with self._backend() as backend:
            return worklist_store.tasks(backend, ids)

    def store_marked(self, marks: dict) -> list[dict]:
        """The worklist rows an analyst marked, with the store's data (:func:`queries.worklist_store.marked_rows`)
        and each row's coverage as the whole graph gives it (``status``, ``reason``, ``who``, ``who_via``:
        :func:`queries.coverage_store.pairs_coverage`)."""
        from queries import coverage_store, worklist_store

        with self._backend() as backend:
            rows = worklist_store.marked_rows(backend, marks)
            wanted = list(dict.fromkeys((r["upper_doc"], r["lower_doc"]) for r in rows if r.get("upper_doc")))
            pairs = {p: {x["upper"]: x for x in found}
                     for p, found in zip(wanted, coverage_store.pairs_coverage(backend, wanted))}
            for r in rows:
                full = pairs.get((r.get("upper_doc"), r["lower_doc"]), {}).get(r["upper"]) or {}
                r.update({k: full.get(k) for k in ("status", "reason", "who", "who_via")})
            return rows

    def store_requirement_coverage(self, task: str) -> list[dict]:
        """One requirement's coverage row in every plan one level below it, as the whole graph gives them
        (:func:`queries.coverage_store.requirement_coverage`); kept per version."""
        from queries import coverage_store

        def compute():
            with self._backend() as backend:
                return coverage_store.requirement_coverage(backend, task)

        return self._kept(_requirement_key(task), compute)

    def store_took_up(self, docs: tuple) -> dict[str, float | None]:
        """Each document's share of the upper requirements it took up, as the graph mode colours it
        (:func:`queries.coverage_store.took_up`); kept per version."""
        from queries import coverage_store

        def compute():
            with self._backend() as backend:
                return coverage_store.took_up(backend, docs)

        return self._kept(("took_up", tuple(sorted(docs))), compute)

    def store_pair_coverage(self, upper_doc: str, lower_doc: str) -> list[dict]:
        """Every requirement of ``upper_doc`` against ``lower_doc`` with its status, reason, evidence and who
        must act, as the whole graph gives them (:func:`queries.coverage_store.pair_coverage`); kept per
        version."""
        from queries import coverage_store

        def compute():
            with self._backend() as backend:
                return coverage_store.pair_coverage(backend, upper_doc, lower_doc)

        return self._kept(("pair_coverage", upper_doc, lower_doc), compute)

    def store_pairs_coverage(self, pairs: tuple) -> list[list[dict]]:
        """:meth:`store_pair_coverage` of each ``(upper_doc, lower_doc)`` of ``pairs`` (a worklist page's),
        kept as that keeps them; the pairs not kept yet read together
        (:func:`queries.coverage_store.pairs_coverage`: one read an upper plan)."""
        from queries import coverage_store

        pairs = [tuple(p) for p in pairs]
        read: dict[tuple, list] = {}

        def compute(i: int) -> list[dict]:
            if pairs[i] not in read:   # the first pair not kept: it and those after it (kept ones come first)
                with self._backend() as backend:
                    read.update(zip(pairs[i:], coverage_store.pairs_coverage(backend, pairs[i:])))
            return read[pairs[i]]

        return [self._kept(("pair_coverage", *p), partial(compute, i)) for i, p in enumerate(pairs)]

    def store_find_documents(self, words: str, limit: int = 50) -> list[dict]:
        """Documents whose id, title or region hold the words (:func:`queries.compare_store.find_documents`)."""
        from queries import compare_store

        with self._backend() as backend:
            return compare_store.find_documents(backend, words, limit)

    def store_parents(self, lower_doc: str) -> list[dict]:
        """The documents ``lower_doc`` implements (:func:`queries.compare_store.parents`)."""
        from queries import compare_store

        with self._backend() as backend:
            return compare_store.parents(backend, lower_doc)

    def store_pair(self, upper_doc: str, lower_doc: str) -> nx.MultiDiGraph:
        """Two documents, their tasks and the links between them, as a small graph
        (:func:`queries.compare_store.pair_graph`)."""
        from queries import compare_store

        with self._backend() as backend:
            return compare_store.pair_graph(backend, upper_doc, lower_doc)

    def store_review_page(self, statuses: tuple | None = ("proposed",), offset: int = 0, limit: int = 50,
                          order: str = "score", lower_doc: str | None = None,
                          suspect: bool = False) -> tuple[int, list[dict]]:
        """(total, one page) of the links to review (:func:`queries.review_store.review_page`)."""
        from queries import review_store

        def compute():
            with self._backend() as backend:
                return review_store.review_page(backend, statuses, offset, limit, order, lower_doc, suspect)

        return self._kept(("review_page", statuses, offset, limit, order, lower_doc, suspect), compute)

    def store_workload(self, offset: int = 0, limit: int = 50, level: str | None = None,
                       name: str | None = None) -> dict:
        """The units page's workload, merged as :meth:`workload` merges it: ``{"total", "rows"}`` (one page
        of the accountable units, :func:`queries.workload_store.accountable_page`) and ``"collectives"``
        (:func:`queries.workload_store.collectives`)."""
        from queries import workload_store

        def compute():
            with self._backend() as backend:
                alias = workload_store.aliases(backend)
                total, rows = workload_store.accountable_page(backend, alias, offset, limit, level, name)
                return {"total": total, "rows": rows,
                        "collectives": workload_store.collectives(backend, alias, level, name)}

        return self._kept(("workload", offset, limit, level, name), compute)

    # --- the cascade and documents pages of a store too large to load --------------------------------------

    def store_document_table(self, years: tuple = (), levels: tuple = (), regions: tuple = (),
                             linked: bool = False) -> list[dict]:
        """The documents the filters keep, with their counts and the share they derive from the plans
        above (:func:`queries.cascade_store.documents`); kept per version (:mod:`cascade.answers`)."""
        from queries import cascade_store

        def compute():
            with self._backend() as backend:
                return cascade_store.documents(backend, years, levels, regions, linked)

        return self._kept(("document_table", tuple(years), tuple(levels), tuple(regions), linked), compute)

    def store_neighbourhood(self, doc_ids: tuple, limit: int = 6000) -> dict:
        """What these documents hold and link to, fetched by their ids
        (:func:`queries.cascade_store.neighbourhood`)."""
        from queries import cascade_store

        with self._backend() as backend:
            return cascade_store.neighbourhood(backend, doc_ids, limit)

    def trace(self, what: str, offset: int = 0, limit: int | None = None) -> dict:
        """One requirement up to its source and down every level: ``{task, up: [ids, nearest first],
        down: rows of queries.trace.trace_rows, tree: queries.trace.trace}``.

        When :meth:`queries_store` says so, the answer comes from the saved ``trace`` query on the
        store or the Bolt server instead (:func:`queries.trace_store.trace`: ``source`` says which;
        ``down`` is the page ``offset`` … ``offset + limit`` of ``total`` lower tasks, without the
        coverage statuses and the tree, which need the whole graph)."""
        if self.queries_store():
            from queries.trace_store import first_task

            # both kept (a first page of a top plan's requirement is warmed after a build: no store opened)
            with self._one_connection():
                return self.store_trace(first_task(self.store_search(what, 1), what), offset, limit)
        from queries.trace import trace, trace_rows, trace_up

        task = self.find_task(what)
        return self._answer(("trace", task), lambda G: {
            "task": task, "up": trace_up(G, task), "down": trace_rows(G, task),
            "tree": trace(G, task, self.coverage())})

    def document_requirements(self, doc: str) -> list[dict] | None:
        """A document's tasks ``[{id, number, text}]`` in the order it prints them, when ``doc`` is a
        document's id (given where a requirement is asked: ``cascade trace 2022-guangzhou``); None when not."""
        if self.queries_store():
            from queries import worklist_store

            with self._backend() as backend:
                if doc not in worklist_store.documents(backend, (doc,)):
                    return None
                return worklist_store.document_tasks(backend, doc)
        G = self.graph
        if (G.nodes.get(doc) or {}).get("label") != "Document":
            return None
        tasks = [(d.get("position") or 0, n, d) for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc]
        return [{"id": n, "number": d.get("number"), "text": d.get("text_norm") or d.get("text")} for _, n, d in sorted(tasks)]

    def search_index(self) -> list[dict]:
        from queries.search import search_index

        return self._answer(("search_index",), search_index)

    def upper_documents(self) -> list[str]:
        from queries.view import upper_documents

        return self._answer(("upper_documents",), upper_documents)

    def search(self, text: str, limit: int = 20) -> list[dict]:
        from queries.search import find

        return find(self.graph, text, limit=limit, index=self.search_index())

    # --- the other analyses ----------------------------------------------------------------------------

    def check(self) -> list:
        """The checks (parse confidence, truncated documents, units, lead-less tasks, gaps)."""
        from queries.checks import check

        return self._answer(("check",), lambda G: check(G, self.coverage()))

    def workload(self, merge: bool = True) -> list[dict]:
        """Tasks per unit and role; ``merge``: a place's own name counted under its collective."""
        from queries.workload import workload

        return self._answer(("workload", merge), lambda G: workload(G, merge))

    def unit_tasks(self, unit: str) -> list[dict]:
        from queries.workload import unit_tasks

        return self._answer(("unit_tasks", unit), lambda G: unit_tasks(G, unit))

    def deadline_calendar(self) -> list[dict]:
        from queries.calendar import deadline_calendar

        return self._answer(("deadline_calendar",), deadline_calendar)

    def drift(self, lower: str, upper: str) -> dict:
        from queries.drift import drift

        return self._answer(("drift", lower, upper), lambda G: drift(G, lower, upper))

    def cypher(self, query: str, params: dict | None = None, limit: int | None = None):
        """A read-only Cypher query (a write is refused): ``(columns, rows)``, on the embedded store, or on
        the Bolt server ``CASCADE_BOLT_URI`` names when it is set."""
        from queries.backend import BOLT_ENV
        from queries.cypher import run_cypher

        if not os.environ.get(BOLT_ENV):
            return run_cypher(self.store, query, params or {}, limit=limit)
        import itertools

        with self._backend() as backend:
            columns, rows = backend.stream(query, params or {})
            try:
                return columns, list(itertools.islice(rows, limit))
            finally:
                rows.close()

    # --- out ----------------------------------------------------------------------------------------------

    def export(self, fmt: str = "json", out: str | os.PathLike | None = None):
        """The graph in an exchange format (json, graphml, ttl, csv, cypher …): the text, or written
        atomically to ``out``."""
        from graph.export import export

        return export(self.graph, fmt, out)

    def report(self, out: str | os.PathLike, fmt: str | None = None, lang: str | None = None,
               marks: dict | None = None, region: str | None = None, levels=(), years=()) -> int:
        """The coverage report a 政务公开办 hands upward: HTML, the XLSX 台账 or PDF (from ``out``'s
        suffix when ``fmt`` is None; an unknown suffix is refused, never written as HTML). ``region``
        (with what lies below it), ``levels`` and ``years`` narrow it to those documents: a province's
        report from a nation-year's graph; above the size the graph loads at, only those documents and the
        plans above them are read from the store (:func:`queries.documents_store.documents_graph`).
        Returns how many documents it reports on."""
        from cascade.i18n import t, term
        from cascade.report import REPORT_FORMATS, format_of, write_report
        from cascade.report_rows import scope_of

        fmt = fmt or format_of(out) or Path(out).suffix.lower().lstrip(".")
        if fmt not in REPORT_FORMATS:
            raise CascadeError(f"{out}: unknown report format '{fmt}' (html, xlsx or pdf)", key="report_format",
                               out=str(out), fmt=fmt)
        scope, label = None, None
        large = (region or levels or years) and self.queries_store()
        if large:   # only those documents, read from the store (queries/documents_store.py)
            docs = self.store_document_table((), (), (), False)
        else:
            G = docs = self.graph
        if region or levels or years:
            scope = scope_of(docs, region, set(levels), set(years))
            said = [region or "", "、".join(term("level", v, lang) for v in levels), "、".join(map(str, years))]
            label = " · ".join(x for x in said if x)
            if not scope:
                raise CascadeError(f"no document of {label} in the graph", key="report_scope_empty", scope=label)
            label = t("report.scope_docs", lang, scope=label, n=len(scope))
        if large:
            from queries.documents_store import documents_graph

            with self._backend() as backend:
                G = documents_graph(backend, scope)
        write_report(G, out, fmt, lang=lang, marks=marks, scope=scope, scope_label=label)
        return len(scope) if scope is not None else sum(1 for _, d in G.nodes(data=True) if d.get("label") == "Document")

    def push(self, uri: str, user: str | None = "neo4j", password: str | None = None, resume: bool = False,
             **options) -> str:
        """Write the graph into a Neo4j, FalkorDB (``falkor://``, :mod:`graph.push_send`) or other Bolt
        server, idempotently, with its version and the
        answers kept for it (:mod:`cascade.answers`; computed first when the store is large and has
        none), so readers of the server find them there; returns the summary line. ``resume``: go on where
        an interrupted push of this same store version stopped."""
        from cascade import answers
        from graph.push import push
        from graph.push_rows import stored_graph
        from queries.backend import graph_tasks_limit

        version = self.version()
        kept = answers.kept_answers(self.store)
        if not kept and self.store_task_count(env={}) > graph_tasks_limit():
            answers.warm(self.store)
            kept = answers.kept_answers(self.store)
        # read record by record: the graph of a nation-year in memory takes more than the machine may have
        source = stored_graph(self.store)
        if source is None:   # a store with incremental layers: the graph loaded, its pair rows from the database
            from graph.store import read_kept_rows

            source, options = self.graph, {**read_kept_rows(self.store), **options}
        return push(source, uri, user, password, version=version, resume=resume, answers=kept, **options)


def _requirement_key(task: str) -> tuple:
    """What :meth:`Cascade.store_requirement_coverage` keeps ``task``'s answer under (warming keeps it too)."""
    return ("requirement_coverage", task)
