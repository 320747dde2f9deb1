"""Run a command as a user would (``cascade build …``) and measure it whole: wall time, CPU time of it and
its worker processes, and its peak memory as the proportional set size (PSS) summed over the process
and every descendant, sampled every half second (a page shared by the parent and its forked workers
counts once, split among them; summed RSS would count it once per process).

    nice -n 5 python bench/peak.py -- cascade build /tmp/synth-1m/docs --manifest /tmp/synth-1m/manifest.yaml --store /tmp/store-1m

Prints one JSON line: ``wall_s``, ``cpu_s``, ``peak_pss_mb``, ``rss_sum_at_peak_mb`` (the same moment's RSS
summed), ``processes_at_peak`` and the command's exit status. ``--trace FILE`` also writes every sample
(seconds, PSS MB, processes). Linux only (``/proc``).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:   # gone meanwhile
        pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process, in kB; zeros for a process that is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def measure(cmd: list[str], interval: float = 0.5, trace: str | None = None) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = {"pss": 0, "rss": 0, "procs": 0}
    samples = []
    while proc.poll() is None:
        pids = _tree(proc.pid)
        mem = [_memory_kb(p) for p in pids]
        pss, rss = sum(m[0] for m in mem), sum(m[1] for m in mem)
        samples.append((round(time.perf_counter() - start, 1), pss // 1024, len(pids)))
        if pss > peak["pss"]:
            peak = {"pss": pss, "rss": rss, "procs": len(pids)}
        time.sleep(interval)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if trace:
        with open(trace, "w", encoding="utf-8") as fh:
            fh.writelines(f"{t}\t{mb}\t{n}\n" for t, mb, n in samples)
    return {"exit": proc.returncode, "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_pss_mb": peak["pss"] // 1024, "rss_sum_at_peak_mb": peak["rss"] // 1024,
            "processes_at_peak": peak["procs"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trace", help="write every sample here (seconds, PSS MB, processes)")
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="the command, after --")
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    print(json.dumps(measure(cmd, args.interval, args.trace)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
