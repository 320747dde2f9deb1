"""First-page latency of the saved queries (queries/backend.py), embedded store vs Bolt server.

What an analyst waits for: the first page (50 rows) of each saved query and its total, ``cold`` on a
fresh connection (as a new app session or `cascade gaps --limit 50`), ``warm`` the best of a few on
one open connection (a long-lived app instance). The Bolt side is timed when a server address is given
(``--bolt``; login from ``CASCADE_BOLT_USER`` / ``CASCADE_BOLT_PASSWORD``): the graph is pushed there first (``push_s``), as `cascade push`
would. A query the server refuses is reported with its reason, not fatal. Numbers are printed, never asserted.
"""
from __future__ import annotations

import os
import time

PAGE = 50
REPEATS = 3


def _one(open_backend, name: str, params: dict) -> dict:
    if name == "trace":
        return _trace(open_backend, params["task"])
    t = time.perf_counter()
    b = open_backend()
    try:
        opened = time.perf_counter() - t
        t = time.perf_counter()
        rows = list(b.page(name, 0, PAGE, **params)[1])
        cold = time.perf_counter() - t
        t = time.perf_counter()
        total = b.total(name, **params)
        total_s = time.perf_counter() - t
        warm = []
        for _ in range(REPEATS if cold < 5 else 1):
            t = time.perf_counter()
            list(b.page(name, 0, PAGE, **params)[1])
            warm.append(time.perf_counter() - t)
        # a page deep in the result: SKIP still walks the rows before it
        deep_skip = max(0, total - PAGE)
        t = time.perf_counter()
        list(b.page(name, deep_skip, PAGE, **params)[1])
        deep = time.perf_counter() - t
    finally:
        b.close()
    return {"connect_s": round(opened, 4), "first_page_cold_s": round(cold, 4), "first_page_warm_s": round(min(warm), 4),
            "last_page_s": round(deep, 4), "total_s": round(total_s, 4), "total": total, "rows": len(rows)}


def _trace(open_backend, task: str) -> dict:
    """The trace as the app and `cascade trace` ask it (``Backend.trace``: on the embedded store its own
    walk, on a server the saved query), first page and total in one call."""
    t = time.perf_counter()
    b = open_backend()
    try:
        opened = time.perf_counter() - t
        t = time.perf_counter()
        total, rows = b.trace(task, 0, PAGE)
        cold = time.perf_counter() - t
        warm = []
        for _ in range(REPEATS if cold < 5 else 1):
            t = time.perf_counter()
            b.trace(task, 0, PAGE)
            warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        b.trace(task, max(0, total - PAGE), PAGE)
        deep = time.perf_counter() - t
    finally:
        b.close()
    return {"connect_s": round(opened, 4), "first_page_cold_s": round(cold, 4), "first_page_warm_s": round(min(warm), 4),
            "last_page_s": round(deep, 4), "total_s": 0.0, "total": total, "rows": len(rows)}


def time_pages(store, G, task: str, bolt_uri: str | None = None) -> dict:
    from core.errors import CascadeError
    from queries.backend import open_backend
    from queries.cypher import saved_queries

    names = sorted(saved_queries())
    params = {"trace": {"task": task}}
    out: dict = {"page": PAGE, "rows": []}
    for name in names:
        try:
            r = _one(lambda: open_backend(store, env={}), name, params.get(name, {}))
        except CascadeError as err:
            r = {"error": str(err)[:120]}
        out["rows"].append({"query": name, "backend": "embedded", **r})
    # Only a server named on the command line: the push wipes what an earlier push left there.
    if not bolt_uri:
        return out
    from graph.push import push
    from graph.store import read_kept_rows

    env = {"CASCADE_BOLT_URI": bolt_uri, "CASCADE_BOLT_USER": os.environ.get("CASCADE_BOLT_USER", "neo4j"),
           "CASCADE_BOLT_PASSWORD": os.environ.get("CASCADE_BOLT_PASSWORD", ""),
           "CASCADE_BOLT_DATABASE": os.environ.get("CASCADE_BOLT_DATABASE", "")}
    t = time.perf_counter()
    try:
        push(G, bolt_uri, env["CASCADE_BOLT_USER"], env["CASCADE_BOLT_PASSWORD"] or None,
             database=env["CASCADE_BOLT_DATABASE"] or None, wipe=True, **read_kept_rows(store))
    except CascadeError as err:
        out["bolt_error"] = str(err)[:160]
        return out
    out["push_s"] = round(time.perf_counter() - t, 2)
    for name in names:
        try:
            r = _one(lambda: open_backend(store, env=env), name, params.get(name, {}))
        except CascadeError as err:
            r = {"error": str(err)[:120]}
        out["rows"].append({"query": name, "backend": "bolt", **r})
    return out


def print_pages(p: dict) -> None:
    if "push_s" in p:
        print(f"push to the Bolt server: {p['push_s']} s")
    if "bolt_error" in p:
        print(f"Bolt server: {p['bolt_error']}")
    for r in p["rows"]:
        head = f"page {r['query']:<16}{r['backend']:<9}"
        if "error" in r:
            print(f"{head} error: {r['error']}")
            continue
        print(f"{head} first {PAGE} cold {r['first_page_cold_s'] * 1000:8.1f} ms  warm {r['first_page_warm_s'] * 1000:8.1f} ms"
              f"  last page {r['last_page_s'] * 1000:8.1f} ms  total {r['total']} in {r['total_s'] * 1000:.1f} ms"
              f"  (connect {r['connect_s'] * 1000:.1f} ms)")
