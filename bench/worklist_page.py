"""What a page of the Worklist costs in store mode, a store only read (answers are not kept).

    python bench/worklist_page.py STORE [--pages 1,100,last] [--region 河北省] [--json out.json]

For each page asked of the saved ``gaps`` and ``not_assessable`` queries (50 rows, as the app shows them):
the page's read (``table_s``: rows and total; the app keeps the first page's), how many pairs of plans and
upper plans its rows span, and the read of those pairs' coverage (``coverage_s``:
:func:`queries.coverage_store.pairs_coverage`, what the who-must-act and waits-for columns need when the
page is not kept), each on a fresh connection. With ``CASCADE_BOLT_URI`` set, on that server. Numbers are
printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from queries.backend import open_backend  # noqa: E402
from queries.coverage_store import pairs_coverage  # noqa: E402

PAGE = 50


def page_cost(store, name: str, page: int | str, equal: dict | None = None) -> dict:
    with open_backend(store) as b:
        start = time.perf_counter()
        total = b.total(name, equal)
        if page == "last":
            page = max(1, -(-total // PAGE))
        _, rows = b.table(name, (int(page) - 1) * PAGE, PAGE, equal)
        table_s = time.perf_counter() - start
    pairs = list(dict.fromkeys((r["upper_doc"], r["lower_doc"]) for r in rows))
    with open_backend(store) as b:
        start = time.perf_counter()
        found = pairs_coverage(b, pairs)
        coverage_s = time.perf_counter() - start
    full = {(x["upper"], x["lower_doc"]) for page_rows in found for x in page_rows}
    return {"query": name, "page": page, "filter": equal, "total": total, "rows": len(rows), "pairs": len(pairs),
            "uppers": len({p[0] for p in pairs}), "rows_with_who": sum((r["upper"], r["lower_doc"]) in full for r in rows),
            "table_s": round(table_s, 3), "coverage_s": round(coverage_s, 3)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store")
    ap.add_argument("--pages", default="1,2,last", help="page numbers, or last (default 1,2,last)")
    ap.add_argument("--region", help="also the first page of this lower region")
    ap.add_argument("--json", help="write the rows here too")
    args = ap.parse_args(argv)
    out = []
    for name in ("gaps", "not_assessable"):
        asks = [(p, None) for p in args.pages.split(",")] + ([(1, {"lower_region": args.region})] if args.region else [])
        for page, equal in asks:
            row = page_cost(args.store, name, page, equal)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            out.append(row)
            if not row["total"]:
                break
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
