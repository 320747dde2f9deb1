"""Time of linking per document pair, and how it grows.

Synthetic cascades made of real task sentences (the seeds' and the dev corpus'), reworded a little at
random: an upper plan of ``m`` tasks under headings of five, a lower plan of ``n`` tasks of which four
in five restate an upper task (in order) and the rest are local. Prints

1. the time of one pair (score matrix + choosing links + evidence) for growing n × m, and
2. the time per pair when a graph holds more and more pairs of the same size: constant, because
   candidates come only from a document's parents (never the corpus squared). From
   ``graph.link.PARALLEL_MIN_TASKS`` tasks on, pairs are scored in worker processes: compare wall times.

Run: ``nice -n 10 .venv/bin/python bench/link_pairs.py [--quick]``
"""
from __future__ import annotations

import os

# BLAS threads only fight each other on the small matrices of one pair (and the other processes of a
# shared machine): one thread is faster here.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import networkx as nx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.link import LINK_WORKERS, PARALLEL_MIN_TASKS, fixed_idf, link  # noqa: E402
from loaders import load_file  # noqa: E402


def sentence_pool() -> list[str]:
    shared = ROOT.parent / "shared"
    out = []
    for folder in ("seeds", "corpus"):
        for f in sorted((shared / folder).glob("*.txt")):
            try:
                rec = load_file(f, {"level": "city", "year": 2021, "region": "广州市"})
            except Exception:  # a bench needs sentences, not every file
                continue
            out.extend(t.text_norm for t in rec.tasks if len(t.text_norm) > 15)
    return out


def reword(text: str, rng: random.Random, rate: float = 0.15) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[i]
        else:
            chars.insert(i, rng.choice("加强做好推进落实完善公开信息工作"))
        if not chars:
            break
    return "".join(chars)


def add_plan(G, doc, level, region, texts, parents=()):
    G.add_node(doc, label="Document", id=doc, level=level, region=region, year=2021, issuer=None,
               doc_no=None, cites=[], parents=list(parents), kind="plan", source=f"{doc}.txt")
    for i, text in enumerate(texts):
        sec = f"{doc}/{i // 5 + 1}"
        if sec not in G:
            G.add_node(sec, label="Section", id=sec, doc_id=doc, number=str(i // 5 + 1),
                       title=texts[i - i % 5][:12], depth=1, scope="plan", position=i)
            G.add_edge(doc, sec, key="CONTAINS", type="CONTAINS", order=i)
        tid = f"{sec}/{i + 1}"
        G.add_node(tid, label="Task", id=tid, doc_id=doc, number=str(i + 1), text=text, text_norm=text,
                   section_id=sec, position=i, scope="plan", deadlines=[])
        G.add_edge(sec, tid, key="CONTAINS", type="CONTAINS", order=i)


def add_pair(G, k, n, m, pool, rng):
    upper = [reword(rng.choice(pool), rng, 0.05) for _ in range(m)]
    lower = []
    for i in range(n):
        if rng.random() < 0.8:
            lower.append(reword(upper[min(m - 1, i * m // n)], rng))
        else:
            lower.append(reword(rng.choice(pool), rng))
    add_plan(G, f"u{k}", "province", f"省{k}", upper)
    add_plan(G, f"l{k}", "city", f"省{k}市", lower, parents=[f"u{k}"])


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the linker's workers)."""
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def time_link(G) -> tuple[float, float]:
    """(wall seconds, CPU seconds with the workers'): on a shared machine the CPU time is the steadier figure."""
    t, c = time.perf_counter(), _cpu()
    link(G)
    return time.perf_counter() - t, _cpu() - c


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    args = ap.parse_args(argv)
    rng = random.Random(4)
    pool = sentence_pool()
    fixed_idf()     # read the IDF table once, outside the timings
    print(f"sentence pool: {len(pool)} real task texts")
    sizes = [(10, 10), (50, 50), (100, 100), (300, 300)] + ([] if args.quick else [(1000, 1000), (3000, 3000)])
    print("\n1. one document pair")
    print(f"{'lower × upper':>15} | {'wall s':>8} | {'CPU s':>8} | {'CPU µs per task pair':>20} | links")
    for n, m in sizes:
        G = nx.MultiDiGraph()
        add_pair(G, 0, n, m, pool, rng)
        wall, cpu = time_link(G)
        links = sum(1 for *_, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM")
        print(f"{f'{n} × {m}':>15} | {wall:8.3f} | {cpu:8.3f} | {cpu / (n * m) * 1e6:20.2f} | {links}")
    counts = [10, 100] + ([] if args.quick else [1000])
    print(f"\n2. many pairs of 50 × 50 tasks in one graph ({LINK_WORKERS} worker processes from "
          f"{PARALLEL_MIN_TASKS:,} tasks on; CPU counts theirs)")
    print(f"{'pairs':>6} | {'tasks':>7} | {'wall s':>8} | {'CPU s':>8} | {'CPU ms per pair':>15}")
    for k in counts:
        G = nx.MultiDiGraph()
        for i in range(k):
            add_pair(G, i, 50, 50, pool, rng)
        wall, cpu = time_link(G)
        print(f"{k:>6} | {100 * k:>7} | {wall:8.2f} | {cpu:8.2f} | {cpu / k * 1e3:15.2f}")


if __name__ == "__main__":
    main()
