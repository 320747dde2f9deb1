"""A built store on a Bolt server: its push, then its saved queries' first pages and the app's pages there.

    python bench/bolt_store.py STORE --bolt bolt://… push            # cascade push (resumable), timed
    python bench/bolt_store.py STORE --bolt bolt://… pages app       # first pages and app pages, embedded and Bolt
    python bench/bolt_store.py STORE --bolt bolt://… --server-pid PID --json out.json push pages app
    python bench/bolt_store.py STORE --bolt bolt://… --push-to falkor://… push pages app   # FalkorDB's protocol

``bench/run.py --bolt`` builds a synthetic store and pushes it in the same run; this takes a store that is
already built (the 1M one takes minutes to build and is only read here). ``push`` is `Cascade.push` with
``resume`` (the store's graph read record by record, :func:`graph.push.stored_graph`): its wall time
(``push_s``), the process's CPU seconds and peak memory and, with ``--server-pid``, the server's CPU
seconds, progress printed every 30 s; run again after an interruption it
goes on; ``--push-to`` writes elsewhere than the readers read (FalkorDB: its own protocol's
``falkor://`` address, read back through ``--bolt``). ``pages`` times each saved query's first page of 50
rows and total on a fresh connection, embedded and on the server (bench/pages.py); ``app`` the first render of each app page in a fresh process
(bench/app_render.py), embedded and reading the server. Numbers are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _cpu_of(pid: int | None) -> float | None:
    if not pid:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def time_push(store: str, uri: str, server_pid: int | None) -> dict:
    from cascade.api import Cascade

    from graph.push_rows import stored_graph

    c = Cascade(store)
    source = stored_graph(store)   # what Cascade.push reads: record by record, when the store allows
    started, last = time.perf_counter(), [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter() - started
        if now - last[0] >= 30:
            last[0] = now
            print(f"  pushed {done:,} of {total:,} rows in {now:.0f} s", flush=True)

    cpu, server = time.process_time(), _cpu_of(server_pid)
    t = time.perf_counter()
    summary = c.push(uri, os.environ.get("CASCADE_BOLT_USER", "neo4j"), os.environ.get("CASCADE_BOLT_PASSWORD") or None,
                     resume=True, progress=progress)
    out = {"nodes": source.nodes if source else None, "relationships": source.relationships if source else None,
           "streamed": source is not None, "push_s": round(time.perf_counter() - t, 1), "push_cpu_s": round(time.process_time() - cpu, 1),
           "peak_rss_mb": _peak_rss_mb(), "summary": summary}
    if server is not None:
        out["server_cpu_s"] = round(_cpu_of(server_pid) - server, 1)
    return out


def time_pages(store: str, uri: str) -> list[dict]:
    from pages import _one

    from core.errors import CascadeError
    from queries.backend import open_backend
    from queries.cypher import saved_queries

    with open_backend(store, env={}) as b:   # a national requirement, as bench/run.py traces
        task = b.rows("MATCH (t:Task) WHERE t.doc_id ENDS WITH '-national' RETURN t.id AS id ORDER BY id LIMIT 1")[1][0][0]
    env = {"CASCADE_BOLT_URI": uri, "CASCADE_BOLT_USER": os.environ.get("CASCADE_BOLT_USER", "neo4j"),
           "CASCADE_BOLT_PASSWORD": os.environ.get("CASCADE_BOLT_PASSWORD", "")}
    rows = []
    for backend, e in (("embedded", {}), ("bolt", env)):
        for name in sorted(saved_queries()):
            try:
                r = _one(lambda: open_backend(store, env=e), name, {"task": task} if name == "trace" else {})
            except CascadeError as err:
                r = {"error": str(err)[:160]}
            rows.append({"query": name, "backend": backend, **r})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store")
    ap.add_argument("stages", nargs="+", choices=("push", "pages", "app"))
    ap.add_argument("--bolt", required=True, help="the server (a push writes this tool's nodes there)")
    ap.add_argument("--push-to", help="where the push writes, when not --bolt (e.g. falkor://host:port)")
    ap.add_argument("--server-pid", type=int, help="the server's process, to count its CPU seconds")
    ap.add_argument("--pages", default=None, help="app pages, comma-separated (default: all)")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)
    out: dict = {"store": args.store, "at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
    if "push" in args.stages:
        out["push"] = time_push(args.store, args.push_to or args.bolt, args.server_pid)
        print(json.dumps(out["push"], ensure_ascii=False), flush=True)
    if "pages" in args.stages:
        out["pages"] = time_pages(args.store, args.bolt)
    if "app" in args.stages:
        import app_render

        pages = [p for p in (args.pages or ",".join(app_render.PAGES)).split(",") if p]
        out["app"] = app_render.time_pages(args.store, pages) + app_render.time_pages(args.store, pages, args.bolt)
        app_render.print_rows(out["app"])
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
