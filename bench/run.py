"""Benchmark the build at several scales on synthetic cascades (bench/synth.py).

    python bench/run.py                      # 1,000 and 10,000 tasks (a few minutes on 2 cores)
    python bench/run.py --big                # adds 100,000
    python bench/run.py --huge               # adds 1,000,000 (run with nice -n 10)
    python bench/run.py --scales 2000 --json out.json

Each scale first times ``cascade build`` from the command line as a user runs it (wall, CPU of all its
processes, peak PSS summed over them: bench/peak.py; and each stage as the build times itself,
``CASCADE_BUILD_TIMINGS``; from 2,000 files in a forked child, the database loaded by the parent). Up to
500,000 tasks (or with ``--in-process``) it then runs the stages again one by one in its own process;
above (or with ``--command-only``) the rest reads the command's store. Each scale runs in a fresh child
process (so its peak memory is its own) and reports, per stage
(load, graph, link, membership, store, queries, pages, app): seconds, tasks per second and the peak resident memory so far
(``ru_maxrss`` of the process and of its children: the loader's worker processes). Then: link precision,
recall and F1 against the generator's gold, query latencies on the embedded store (gap query, trace of
one national requirement to all its descendants, workload aggregation), an incremental rebuild after
adding one document, the first-page latency of each saved query on the embedded store and, given a
server, on Bolt (bench/pages.py), the first render of each app page in a fresh process and its peak
memory (bench/app_render.py), and on the smallest scale the naive all-pairs baseline (every lower task scored
against every task of every document above it) beside the pipeline's linker. Numbers are printed,
never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERY_REPEATS = 3


def _rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_mb": round(own, 1), "children_rss_mb": round(kids, 1)}


class Stages:
    def __init__(self):
        self.rows: list[dict] = []

    def run(self, name: str, tasks: int, fn, *args, **kw):
        t = time.perf_counter()
        out = fn(*args, **kw)
        dt = time.perf_counter() - t
        self.rows.append({"stage": name, "seconds": round(dt, 3),
                          "tasks_per_s": round(tasks / dt) if dt > 0 and tasks else None, **_rss_mb()})
        return out


# --------------------------------------------------------------------------------------------------
# Gold scoring

def read_gold(path: Path) -> dict:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def score_links(G, gold: dict, manifest_ids: dict[str, str]) -> dict:
    """Precision / recall / F1 of DERIVED_FROM against the gold links (a link to any alternative counts;
    any link from a gold-local task is a false positive)."""
    from cascade.evaluate import Score

    node = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == "Task":
            node.setdefault((d.get("doc_id"), d.get("number")), n)

    def ref(r: str):
        file, _, number = r.partition("#")
        return node.get((manifest_ids.get(file), number))

    proposed: dict[str, set] = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") == "DERIVED_FROM" and d.get("status") != "rejected":
            proposed.setdefault(u, set()).add(v)
    s = Score()
    expected: dict[str, set] = {}
    for link in gold.get("links") or []:
        lower = ref(link["lower"])
        ups = {ref(r) for r in [link["upper"], *(link.get("alternatives") or [])]} - {None}
        if lower is None:
            s.fn += 1
            continue
        expected.setdefault(lower, set()).update(ups)
        hit = proposed.get(lower, set()) & ups
        s.tp += bool(hit)
        s.fn += not hit
    for lower, ups in proposed.items():
        if lower in expected:
            s.fp += len(ups - expected[lower])
    for r in gold.get("local") or []:
        lower = ref(r)
        if lower is not None:
            s.fp += len(proposed.get(lower, ()))
    return s.as_dict()


def naive_links(G, similarity, threshold: float) -> tuple[float, list[tuple[str, str]]]:
    """The all-pairs baseline: each lower task against every task of every document of a higher level."""
    from core.records import LEVELS

    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    tasks = [(n, d) for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("scope", "plan") == "plan"]
    level = {n: d.get("level") for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    by_rank: dict[int, list[tuple[str, str]]] = {}
    for n, d in tasks:
        by_rank.setdefault(rank.get(level.get(d["doc_id"]), 9), []).append((n, d.get("text_norm") or ""))
    t0 = time.perf_counter()
    out = []
    for r, lowers in sorted(by_rank.items()):
        uppers = [x for rr, xs in by_rank.items() if rr < r for x in xs]
        for n, text in lowers:
            best, best_u = -1.0, None
            for u, ut in uppers:
                sc = similarity(text, ut)
                if sc > best:
                    best, best_u = sc, u
            if best_u is not None and best >= threshold:
                out.append((n, best_u))
    return time.perf_counter() - t0, out


# --------------------------------------------------------------------------------------------------
# Queries on the embedded store

# The gap count: the store's gap rows (graph/gap_rows.py), which the definition of a gap
# (graph/gap_rows.cypher) gave when the store was written; what the saved gaps query's total counts.
GAP_QUERY = """
MATCH (g:Gap)
RETURN count(*) AS gaps
"""
TRACE_QUERY = """
MATCH (x:Task)-[:DERIVED_FROM*1..4]->(t:Task {id: $id})
RETURN count(DISTINCT x) AS descendants
"""
WORKLOAD_QUERY = """
MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit)
RETURN u.name AS unit, a.role AS role, count(*) AS n ORDER BY n DESC LIMIT 20
"""


def _saved(name_part: str) -> tuple[str, str] | None:
    try:
        from queries.cypher import saved_queries
    except ImportError:
        return None
    for name, q in sorted(saved_queries().items()):
        if name_part in name and "$" not in q["query"]:
            return name, q["query"]
    return None


def time_queries(store: Path, national_task: str) -> list[dict]:
    """Latency of each query: ``cold`` through queries.cypher.run_cypher (opens the store read-only, as
    ``cascade cypher`` does), ``warm`` the best of a few runs on one open connection (as a long-lived app)."""
    from graph.store import open_database
    from queries.cypher import run_cypher

    queries = [("gap count", GAP_QUERY, {}), ("trace national requirement", TRACE_QUERY, {"id": national_task}),
               ("workload (own)", WORKLOAD_QUERY, {})]
    for part in ("gap", "workload"):
        saved = _saved(part)
        if saved:
            queries.append((f"{saved[0]} (saved)", saved[1], {}))
    out = []
    db, conn = open_database(store)
    try:
        for name, q, params in queries:
            t = time.perf_counter()
            try:
                cols, rows = run_cypher(store, q, params)
            except Exception as err:  # a saved query that this engine refuses is reported, not fatal
                out.append({"query": name, "error": str(err).splitlines()[0][:120]})
                continue
            cold = time.perf_counter() - t
            warm = []
            for _ in range(QUERY_REPEATS if cold < 5 else 1):
                t = time.perf_counter()
                res = conn.execute(q, params)
                while res.has_next():
                    res.get_next()
                warm.append(time.perf_counter() - t)
            first = rows[0] if rows else None
            out.append({"query": name, "cold_s": round(cold, 4), "warm_s": round(min(warm), 4),
                        "rows": len(rows), "first_row": [str(c)[:40] for c in first] if first else None})
    finally:
        conn.close()
        db.close()
    return out


KEPT_TRACE_RUNS = 5
_KEPT_TRACE = """
import json, sys, time
from cascade.api import TRACE_PAGE, Cascade
t = time.perf_counter()
found = Cascade(sys.argv[1]).trace(sys.argv[2], 0, TRACE_PAGE)
print(json.dumps({"s": time.perf_counter() - t, "total": found["total"], "rows": len(found["down"])}))
"""


def time_kept_trace(store: Path, task: str, key: str = "trace_kept") -> dict:
    """The trace's first page as the product asks it after a build's warming, cold: each run a fresh
    process (nothing in memory), timed inside it around ``Cascade(store).trace(task, 0, TRACE_PAGE)``
    (the library's own import is the process's start, not the answer's); and ``cascade trace TASK`` as a
    command end to end (Python's start and imports included), for information."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("CASCADE_BOLT_URI", None)
    # as an installed copy runs: its modules compiled once (this machine sets PYTHONDONTWRITEBYTECODE,
    # and every fresh process compiled them again, ~8 ms); the first run writes them
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs, out = [], {}
    for _ in range(KEPT_TRACE_RUNS):
        if key != "trace_kept":   # each run as the first asking: the answers the last run kept forgotten
            _forget_trace(store, task)
        proc = subprocess.run([sys.executable, "-c", _KEPT_TRACE, str(store), task], capture_output=True,
                              text=True, cwd=ROOT, env=env)
        if proc.returncode != 0:
            return {f"{key}_error": proc.stderr.strip().splitlines()[-1:]}
        out = json.loads(proc.stdout)
        runs.append(out["s"])
    command = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cascade", "trace", task, "--store", str(store)], capture_output=True,
                       cwd=ROOT, env=env, check=True)
        command.append(time.perf_counter() - t)
    return {f"{key}_s": round(statistics.median(runs), 4), f"{key}_min_s": round(min(runs), 4),
            f"{key}_total": out["total"], f"{key}_rows": out["rows"],
            f"{key}_command_s" if key != "trace_kept" else "trace_command_s": round(statistics.median(command), 3)}


def _forget_trace(store: Path, task: str) -> None:
    """Drop the answers a trace of ``task`` keeps (its search and its first page)."""
    from cascade.answers import answer_name, answers_dir
    from cascade.api import TRACE_PAGE

    folder = answers_dir(store)
    for key in (("search", task, 1), ("trace", task, 0, TRACE_PAGE)):
        (folder / f"{answer_name(key)}.json").unlink(missing_ok=True)


def most_taken_up(G, level: str) -> str:
    """The requirement of a plan of ``level`` with the most links to it: a trace no warming kept."""
    tasks = (n for n, d in G.nodes(data=True) if d.get("label") == "Task"
             and G.nodes[d.get("doc_id")].get("level") == level) if G is not None else ()
    return max(tasks, key=lambda n: (sum(1 for *_, e in G.in_edges(n, data=True) if e.get("type") == "DERIVED_FROM"), n),
               default=None)


# --------------------------------------------------------------------------------------------------
# One scale (in a child process)

def in_process_stages(st: Stages, out: Path, store: Path, result: dict, info: dict, skip_membership: bool):
    """The build's stages called one by one in this process (the stage table): ``(G, records, tasks)``."""
    from cascade.loading import collect_files, load_all
    from graph.build import build_graph
    from graph.link import link
    from graph.store import save
    from loaders.manifest import read_manifest

    def load(folder: Path):   # the manifest counts: at 1M its 25k entries once took 16 s
        files, _ = collect_files([folder / "docs"])
        return load_all(files, read_manifest(folder / "manifest.yaml"))

    records, problems = st.run("load", 0, load, out)
    n = sum(len(r.tasks) for r in records)
    st.rows[-1]["tasks_per_s"] = round(n / st.rows[-1]["seconds"]) if st.rows[-1]["seconds"] else None
    result.update(documents=len(records), tasks=n, problems=len(problems), generated=info)

    G = st.run("graph", n, build_graph, records)
    from core.threads import limited_blas

    with limited_blas(1):   # as cascade.pipeline.build links
        st.run("link", n, link, G)
    from graph.membership import add_membership

    if not skip_membership:
        st.run("membership", n, add_membership, G)
    else:
        import graph.membership

        graph.membership.add_membership = lambda G: G   # also for the incremental build below
    shutil.rmtree(store, ignore_errors=True)
    st.run("store", n, save, G, store, {"sources": sorted(r.document.source for r in records)})
    return G, records, n


# Above this the bench times the build as the command runs it only (see run_scale).
IN_PROCESS_MAX_TASKS = 500_000


def time_command_build(cascade: Path, store: Path) -> dict:
    """``cascade build`` of the generated cascade from the command line, as a user runs it: wall and CPU
    seconds and peak PSS of all its processes (bench/peak.py), and each stage's wall and CPU seconds as
    the build times them (``CASCADE_BUILD_TIMINGS``; above 2,000 files the stages run in a child
    process and the database load in the parent, see cascade/apart.py)."""
    from peak import measure   # bench/ is on sys.path

    from core.stages import TIMINGS_ENV

    shutil.rmtree(store, ignore_errors=True)
    timings = store.with_name(store.name + "-timings.json")
    os.environ[TIMINGS_ENV] = str(timings)
    try:
        out = measure([sys.executable, "-m", "cascade", "build", str(cascade / "docs"), "--manifest",
                       str(cascade / "manifest.yaml"), "--store", str(store)])
    finally:
        del os.environ[TIMINGS_ENV]
    out["stages"] = json.loads(timings.read_text(encoding="utf-8")) if timings.is_file() else []
    return out

def run_scale(n_tasks: int, seed: int, work: Path, baseline: bool, incremental: bool,
              skip_membership: bool = False, skip_pages: bool = False, bolt_uri: str | None = None,
              skip_app: bool = False, in_process: bool | None = None) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    result: dict = {"tasks_requested": n_tasks, "seed": seed}
    out = work / f"synth-{n_tasks}-{seed}"
    t = time.perf_counter()
    if not (out / "gold.yaml").is_file():
        info = synth.generate(n_tasks, seed, out)
    else:
        info = {"documents": None, "tasks": None}
    result["generate_s"] = round(time.perf_counter() - t, 2)
    result["command_build"] = time_command_build(out, work / f"command-store-{n_tasks}-{seed}")
    st = Stages()
    store = work / f"store-{n_tasks}-{seed}"
    records: list = []
    result["in_process"] = n_tasks <= IN_PROCESS_MAX_TASKS if in_process is None else in_process
    if not result["in_process"]:
        # The stages in this process would hold the graph and the records at once (7 GB, 11 GB with the
        # queries at 1M), which no user's build does: the rest reads the command's store.
        from graph.store import load_graph

        store = work / f"command-store-{n_tasks}-{seed}"
        G = st.run("load_graph", 0, load_graph, store)
        n = sum(1 for _, d in G.nodes(data=True) if d.get("label") == "Task")
        result.update(documents=sum(1 for _, d in G.nodes(data=True) if d.get("label") == "Document"), tasks=n,
                      problems=None, generated=info)
    else:
        G, records, n = in_process_stages(st, out, store, result, info, skip_membership)
    gold = read_gold(out / "gold.yaml")
    ids = {e["file"]: e.get("id") for e in _manifest_entries(out / "manifest.yaml")}
    result["links"] = score_links(G, gold, ids)
    result["derived_from"] = sum(1 for _, _, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM")
    national = next(n for n, d in sorted(G.nodes(data=True))
                    if d.get("label") == "Task" and d.get("doc_id", "").endswith("-national"))
    result["queries"] = st.run("queries", 0, time_queries, store, national)
    if not skip_pages:
        from pages import time_pages   # bench/ is on sys.path (synth above)

        result["pages"] = st.run("pages", 0, time_pages, store, G, national, bolt_uri)
    if not skip_app:
        from app_render import time_pages as time_app   # each page's first render, a fresh process each
        from queries.backend import graph_tasks_limit

        if n > graph_tasks_limit():   # what `cascade build` leaves a detached process to do (cascade/answers.py)
            from cascade.api import Cascade

            st.run("answers", 0, Cascade(store).warm_answers)
            t = time.perf_counter()   # what the Worklist and `cascade gaps --limit 50` then wait for
            Cascade(store).store_table("gaps", 0, 50, None, None)
            result["kept_gap_page_s"] = round(time.perf_counter() - t, 4)
            result.update(time_kept_trace(store, national))
            from queries.trace_index import FILE as TRACE_INDEX

            index = next(store.glob(f"answers/*/{TRACE_INDEX}"), None)
            province = most_taken_up(G, "province")
            if index is not None and province is not None:   # any other requirement: the trace index
                result["trace_index_mb"] = round(index.stat().st_size / 1e6, 1)
                result.update(time_kept_trace(store, province, "trace_index"))

        result["app"] = st.run("app", 0, time_app, store)
        if bolt_uri and not skip_pages:   # the pages stage above pushed the graph there
            result["app"] += time_app(store, bolt_uri=bolt_uri)
    result["stages"] = st.rows
    result["end_to_end_s"] = round(sum(r["seconds"] for r in st.rows if r["stage"] in ("load", "graph", "link", "membership", "store")), 2) \
        if result["in_process"] else result["command_build"]["wall_s"]
    result["peak_rss_mb"] = max(r["rss_mb"] for r in st.rows)
    result["peak_children_rss_mb"] = max(r["children_rss_mb"] for r in st.rows)
    if baseline:
        from graph.link import DEFAULT_THRESHOLD, similarity

        secs, pairs = naive_links(G, similarity, DEFAULT_THRESHOLD)
        H = G.copy()
        H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("type") == "DERIVED_FROM"])
        for u, v in pairs:
            H.add_edge(u, v, key="DERIVED_FROM", type="DERIVED_FROM", status="proposed")
        link_s = sum(r["seconds"] for r in st.rows if r["stage"] in ("graph", "link"))
        result["baseline"] = {"all_pairs_s": round(secs, 2), "pipeline_graph+link_s": link_s,
                              "ratio": round(secs / link_s, 1) if link_s else None,
                              "links": score_links(H, gold, ids)}
        del H
    if incremental:
        # as a user's machine would: without this process's graph and records (GBs at 1M) beside the builds
        del G, records
        _release_memory()
        result["incremental"] = time_incremental(out, store, synth, seed)
    return result


def _release_memory() -> None:
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)   # give freed heap pages back to the system
    except (OSError, AttributeError):
        pass


def _manifest_entries(path: Path) -> list[dict]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)["documents"]


def time_incremental(out: Path, store: Path, synth, seed: int, rounds: int = 3) -> dict:
    """Add one bureau plan (a copy of an existing one, with a line of its own, under a new id), rebuild with
    ``cascade build --incremental`` from the command line as a user does (Python's start and imports
    included), remove it, rebuild; ``rounds`` times, each with a plan never seen before. Back to back: a
    background compaction the previous build started may still be running (see graph.store.compact)."""
    try:
        from cascade.pipeline import build
        import inspect

        if "incremental" not in inspect.signature(build).parameters:
            return {"skipped": "cascade.pipeline.build has no incremental mode"}
    except ImportError:
        return {"skipped": "no pipeline"}
    # --lang en: the bench reads the CLI's "Incremental:" line, and the CLI speaks Chinese by default
    cli = [sys.executable, "-m", "cascade", "--lang", "en", "build", str(out / "docs"), "--manifest",
           str(out / "manifest.yaml"), "--store", str(store), "--incremental"]
    t = time.perf_counter()
    subprocess.run(cli, capture_output=True, text=True, cwd=ROOT, check=True)   # leaves the state and record cache
    prime_s = time.perf_counter() - t
    entries = _manifest_entries(out / "manifest.yaml")
    src = next(e for e in reversed(entries) if e["level"] == "department")
    src_path = out / src["file"]
    new_file = str(Path(src["file"]).with_name("added-" + Path(src["file"]).name))
    extra = dict(src, file=new_file, id="added-" + src["id"])
    manifest = out / "manifest.yaml"
    original = manifest.read_text(encoding="utf-8")
    entry = "\n".join(f"{'  - ' if i == 0 else '    '}{k}: {json.dumps(v, ensure_ascii=False)}"
                      for i, (k, v) in enumerate(extra.items()))

    def run() -> tuple[float, str]:
        t = time.perf_counter()
        proc = subprocess.run(cli, capture_output=True, text=True, cwd=ROOT)
        secs = time.perf_counter() - t
        if proc.returncode != 0:
            raise RuntimeError(f"cascade build --incremental failed: {proc.stderr.strip()[-500:]}")
        said = [line for line in proc.stdout.splitlines() if line.startswith("Incremental:")]
        return secs, said[-1] if said else ""

    adds, removes, said = [], [], ""
    try:
        for i in range(rounds):
            text = src_path.read_text(encoding="utf-8")
            (out / new_file).write_text(text + f"\n（第{i + 1}版，{seed}）\n", encoding="utf-8")
            manifest.write_text(original.rstrip("\n") + "\n" + entry + "\n", encoding="utf-8")
            secs, line = run()
            adds.append(round(secs, 2))
            said = said or line
            manifest.write_text(original, encoding="utf-8")
            (out / new_file).unlink()
            t_last = time.perf_counter()
            removes.append(round(run()[0], 2))
    finally:
        manifest.write_text(original, encoding="utf-8")
        (out / new_file).unlink(missing_ok=True)
    index_s = _index_after_last(store, t_last)
    return {"mode": "incremental" if said and "linked in full" not in said else "full",
            "trace_index_ready_after_last_s": index_s,
            "add_s": adds, "remove_s": removes, "add_median_s": statistics.median(adds), "add_max_s": max(adds),
            "remove_median_s": statistics.median(removes), "first_incremental_build_s": round(prime_s, 2),
            "cli_said": said.removeprefix("Incremental: ")}


def _index_after_last(store: Path, started: float, limit: float = 600.0) -> float | None:
    """Seconds from the start of the last incremental build until its version's trace index exists (the
    build's detached warming writes it last, from the previous version's index: queries.trace_index.
    update_index); None when the store is small enough to load (no warming) or it took over ``limit``."""
    from cascade.answers import answers_dir
    from queries.backend import graph_tasks_limit
    from queries.trace_index import FILE

    from cascade.api import Cascade

    if Cascade(store).store_task_count(env={}) <= graph_tasks_limit():
        return None
    folder = answers_dir(store)
    while folder is not None and not (folder / FILE).is_file():
        if time.perf_counter() - started > limit:
            return None
        time.sleep(0.2)
    return round(time.perf_counter() - started, 2) if folder is not None else None


# --------------------------------------------------------------------------------------------------
# Printing

def print_scale(r: dict) -> None:
    print(f"\n== {r['tasks']:,} tasks in {r['documents']:,} documents (asked {r['tasks_requested']:,}, seed {r['seed']}; "
          f"generated in {r['generate_s']} s; {r['problems']} load problems)")
    c = r["command_build"]
    print(f"cascade build (the command, as a user runs it): exit {c['exit']}, {c['wall_s']} s wall, {c['cpu_s']} CPU s, "
          f"peak {c['peak_pss_mb']:,} MB PSS over {c['processes_at_peak']} processes")
    print("  " + "  ".join(f"{s['stage']} {s['wall_s']:.1f}/{s['cpu_s']:.1f}" for s in c["stages"]) + "  (wall/CPU s)")
    print(f"{'stage':<12}{'seconds':>10}{'tasks/s':>10}{'peak RSS MB':>13}{'workers MB':>12}")
    for s in r["stages"]:
        tps = f"{s['tasks_per_s']:,}" if s["tasks_per_s"] else "-"
        print(f"{s['stage']:<12}{s['seconds']:>10.2f}{tps:>10}{s['rss_mb']:>13,.0f}{s['children_rss_mb']:>12,.0f}")
    if r.get("membership_skipped"):
        print("membership (MEMBER_OF): skipped (--skip-membership)")
    print(f"end to end ({'load+link+store' if r['in_process'] else 'cascade build'}): {r['end_to_end_s']} s; peak RSS {r['peak_rss_mb']:,.0f} MB "
          f"(+ loader workers {r['peak_children_rss_mb']:,.0f} MB each at most)")
    L = r["links"]
    print(f"links: P {L['precision']:.3f}  R {L['recall']:.3f}  F1 {L['f1']:.3f}  (tp {L['tp']}, fp {L['fp']}, fn {L['fn']}; "
          f"{r['derived_from']:,} DERIVED_FROM)")
    for q in r["queries"]:
        if "error" in q:
            print(f"query {q['query']:<30} error: {q['error']}")
            continue
        print(f"query {q['query']:<30} cold {q['cold_s'] * 1000:8.1f} ms  warm {q['warm_s'] * 1000:8.1f} ms  "
              f"rows {q['rows']}  {str(q['first_row'])[:70]}")
    if "pages" in r:
        sys.path.insert(0, str(ROOT / "bench"))
        from pages import print_pages

        print_pages(r["pages"])
    if "kept_gap_page_s" in r:
        print(f"gap list's first page and total, kept answer (cascade/answers.py): {r['kept_gap_page_s'] * 1000:.1f} ms")
    if "trace_kept_s" in r:
        print(f"trace of a national requirement, first page ({r['trace_kept_rows']} of {r['trace_kept_total']:,} lower "
              f"tasks), kept answer, a fresh process: {r['trace_kept_s'] * 1000:.1f} ms median of {KEPT_TRACE_RUNS} "
              f"(min {r['trace_kept_min_s'] * 1000:.1f}); `cascade trace` as a command {r['trace_command_s']:.2f} s")
    if "trace_index_s" in r:
        print(f"trace of a province requirement ({r['trace_index_rows']} of {r['trace_index_total']:,} lower tasks), "
              f"not kept, from the trace index ({r['trace_index_mb']} MB), a fresh process: {r['trace_index_s'] * 1000:.1f} ms "
              f"median (min {r['trace_index_min_s'] * 1000:.1f}); as a command {r['trace_index_command_s']:.2f} s")
    for key in ("trace_kept", "trace_index"):
        if f"{key}_error" in r:
            print(f"{key.replace('_', ' ')}: failed: {r[f'{key}_error']}")
    if "app" in r:
        sys.path.insert(0, str(ROOT / "bench"))
        from app_render import print_rows

        print_rows(r["app"])
    if "incremental" in r:
        print(f"incremental rebuild after adding one document: {r['incremental']}")
    if "baseline" in r:
        b = r["baseline"]
        print(f"all-pairs baseline: {b['all_pairs_s']} s vs pipeline graph+link {b['pipeline_graph+link_s']} s "
              f"(×{b['ratio']}); baseline F1 {b['links']['f1']:.3f} (P {b['links']['precision']:.3f}, R {b['links']['recall']:.3f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1000,10000", help="comma-separated task counts")
    ap.add_argument("--big", action="store_true", help="add 100,000 tasks")
    ap.add_argument("--huge", action="store_true", help="add 1,000,000 tasks")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", help="folder for generated cascades and stores (default: a temporary one)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--skip-membership", action="store_true",
                    help="leave out graph.membership (MEMBER_OF), reported as skipped")
    ap.add_argument("--no-pages", action="store_true", help="leave out the saved queries' first-page latencies")
    ap.add_argument("--no-app", action="store_true", help="leave out the app pages' first renders")
    ap.add_argument("--bolt", help="also time the saved queries' pages on this Bolt server (the graph is pushed "
                                   "there, wiping an earlier push; login from CASCADE_BOLT_USER / CASCADE_BOLT_PASSWORD)")
    ap.add_argument("--in-process", action="store_true",
                    help=f"also above {IN_PROCESS_MAX_TASKS:,} tasks, time the stages in the bench's own process")
    ap.add_argument("--command-only", action="store_true",
                    help="at every scale, time the build as the command only; the rest reads its store")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)   # internal: run one scale, print JSON
    args = ap.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="cascade-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.one:
        r = run_scale(args.one, args.seed, work, baseline=not args.no_baseline,
                      incremental=not args.no_incremental, skip_membership=args.skip_membership,
                      skip_pages=args.no_pages, bolt_uri=args.bolt, skip_app=args.no_app,
                      in_process=True if args.in_process else False if args.command_only else None)
        r["membership_skipped"] = args.skip_membership
        print("RESULT " + json.dumps(r, ensure_ascii=False))
        return 0
    scales = [int(x) for x in args.scales.split(",") if x]
    scales += [100_000] if args.big else []
    scales += [1_000_000] if args.huge else []
    print(f"machine: {os.cpu_count()} cores, {_mem_gb()} GB RAM, Python {sys.version.split()[0]}; work folder {work}")
    results = []
    for i, n in enumerate(scales):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--seed", str(args.seed), "--work", str(work)]
        if i > 0 or args.no_baseline:
            cmd.append("--no-baseline")
        if args.no_incremental:
            cmd.append("--no-incremental")
        if args.skip_membership:
            cmd.append("--skip-membership")
        if args.no_pages:
            cmd.append("--no-pages")
        if args.no_app:
            cmd.append("--no-app")
        if args.in_process:
            cmd.append("--in-process")
        if args.command_only:
            cmd.append("--command-only")
        if args.bolt:
            cmd += ["--bolt", args.bolt]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULT ")), None)
        if proc.returncode != 0 or line is None:
            print(f"\n== {n:,} tasks: failed (exit {proc.returncode})\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(line[len("RESULT "):])
        results.append(r)
        print_scale(r)
    for a, b in zip(results, results[1:]):
        ca, cb = a["command_build"], b["command_build"]
        ratio = cb["wall_s"] / ca["wall_s"] if ca["wall_s"] else float("nan")
        print(f"\ngrowth {a['tasks']:,} → {b['tasks']:,} tasks (×{b['tasks'] / a['tasks']:.1f}), cascade build: "
              f"time ×{ratio:.1f}, peak PSS ×{cb['peak_pss_mb'] / max(ca['peak_pss_mb'], 1):.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if len(results) == len(scales) else 1


def _mem_gb() -> int:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    except (ValueError, OSError):
        return 0


if __name__ == "__main__":
    sys.exit(main())
