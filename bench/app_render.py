"""First render of each app page on a store, each in a fresh process, as an analyst opening the app.

    python bench/app_render.py STORE                       # every page, embedded store
    python bench/app_render.py STORE --bolt bolt://…       # the same pages reading a Bolt server
    python bench/app_render.py STORE --pages worklist,units --json out.json

A page runs under Streamlit's AppTest (the script runner the app's tests use, without a browser) in a
process of its own, with what the server does once at its start done first (:func:`_server_started`): the
app's first run (the Overview, where every session starts) is ``app_s``; then the
page is opened and rendered once (``page_s``: what the analyst waits for after a click). ``rss_mb`` is the
process's peak resident memory, ``mode`` says whether the page asked the store (``store``: a Bolt server
is set, or the store holds more than ``CASCADE_GRAPH_TASKS`` tasks) or loaded the graph (``graph``).
A page that raised or showed an error is reported with it. Numbers are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "cascade", "documents", "worklist", "compare", "review", "units", "trace", "cypher")
TIMEOUT = 900


def _child(store: str, page: str) -> dict:
    """Runs in the fresh process: the app's first run, then ``page``'s."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    _server_started(at)
    t = time.perf_counter()
    at.run()
    app_s = time.perf_counter() - t
    page_s = app_s
    if page != "overview":
        t = time.perf_counter()
        at.switch_page(f"app_pages/{page}.py").run()
        page_s = time.perf_counter() - t
    from app_pages.common import asks_store

    problems = [str(e.value)[:160] for e in at.exception] + [str(e.value)[:160] for e in at.error]
    return {"page": page, "app_s": round(app_s, 3), "page_s": round(page_s, 3),
            "rss_mb": _peak_rss_mb(),
            "mode": "store" if _asks_store(asks_store) else "graph", "problems": problems}


def _server_started(at) -> None:
    """What a Streamlit server does once when it starts, before any analyst opens a page: scan every
    installed package for components (streamlit/runtime/runtime.py; 0.5-1 s on this machine's 420
    packages). AppTest does it on its first run; done here, the first run's time is the page's."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:   # a Streamlit without it: the first run scans, as it did
        return
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    at._bidi_component_manager = manager


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the process
    that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _asks_store(asks_store) -> bool:
    try:
        return bool(asks_store())
    except Exception:   # outside a script run some versions refuse the cache; the env then decides
        return bool(os.environ.get("CASCADE_BOLT_URI"))


def time_pages(store, pages=PAGES, bolt_uri: str | None = None) -> list[dict]:
    """One fresh process per page; returns a row per page."""
    out = []
    with tempfile.TemporaryDirectory() as data:   # uploads, marks and reviews of the run go nowhere real
        env = {**os.environ, "CASCADE_STORE": str(store), "CASCADE_DATA": data, "CASCADE_LANG": "zh",
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        # (and as an installed copy runs: its modules compiled once, where this machine's
        # PYTHONDONTWRITEBYTECODE made every fresh process compile them again)
        for k in ("CASCADE_BOLT_URI", "PYTHONDONTWRITEBYTECODE"):
            env.pop(k, None)
        if bolt_uri:
            env["CASCADE_BOLT_URI"] = bolt_uri
        for page in pages:
            t = time.perf_counter()
            r = subprocess.run([sys.executable, __file__, "--child", str(store), page], capture_output=True,
                               text=True, env=env, timeout=TIMEOUT * 2, cwd=ROOT)
            wall = time.perf_counter() - t
            try:
                row = json.loads(r.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                row = {"page": page, "problems": [(r.stderr.strip().splitlines() or ["no output"])[-1][:160]]}
            row["process_s"] = round(wall, 2)
            row["backend"] = "bolt" if bolt_uri else "embedded"
            out.append(row)
    return out


def print_rows(rows: list[dict]) -> None:
    for r in rows:
        if "page_s" not in r:
            print(f"app page {r['page']:<10} failed: {r['problems']}")
            continue
        print(f"app page {r['page']:<10} {r['backend']:<9} {r['mode']:<6} first render {r['page_s']:7.2f} s"
              f"  (app's first run {r['app_s']:.2f} s, process {r['process_s']:.1f} s)  peak RSS {r['rss_mb']:7.1f} MB"
              + (f"  problems: {r['problems']}" if r["problems"] else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store")
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--bolt", help="read this Bolt server (the graph pushed there already)")
    ap.add_argument("--json", help="also write the rows here")
    ap.add_argument("--child", nargs=2, metavar=("STORE", "PAGE"), help=argparse.SUPPRESS)
    if argv is None and "--child" in sys.argv:
        i = sys.argv.index("--child")
        print(json.dumps(_child(sys.argv[i + 1], sys.argv[i + 2])))
        return 0
    args = ap.parse_args(argv)
    rows = time_pages(args.store, [p for p in args.pages.split(",") if p], args.bolt)
    print_rows(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
