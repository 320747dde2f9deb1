"""A build killed at any moment leaves the previous store whole; the same inputs give byte-identical
exports; data/reviews.yaml is never half-written nor loses a saved review.

The kills are real: ``cascade build`` runs as a subprocess and gets SIGKILL after delays drawn from a
fixed seed, and once more at the moment its new store version appears on disk (the write itself).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASCADE = [sys.executable, "-m", "cascade.cli"]
OLD_FILES = ["2021_taishan_culture_bureau_sections.txt", "2020_chibi_standardization_plan.txt"]
QUERY = "MATCH (d:Document) RETURN d.id ORDER BY d.id"


def _answer(store: Path):
    """What a user sees of a store: the graph (JSON export) and a Cypher answer from the engine."""
    from graph.export import export
    from graph.store import load_graph
    from queries.cypher import run_cypher

    G = load_graph(store)
    rows = run_cypher(store, QUERY)[1]
    return export(G, "json"), [r[0] for r in rows]


def _spawn_build(store: Path, cwd: Path) -> subprocess.Popen:
    # Own session, so the kill reaches the build and any loader workers it started, and nothing else.
    return subprocess.Popen([*CASCADE, "build", str(DATA), "--store", str(store)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill(proc: subprocess.Popen) -> int:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return proc.wait(timeout=60)


@pytest.fixture(scope="module")
def old_store(tmp_path_factory):
    """A store of two documents (the 'previous' build) and what it answers; plus the full build's answer."""
    base = tmp_path_factory.mktemp("durable")
    store = base / ".cascade"
    r = subprocess.run([*CASCADE, "build", *[str(DATA / f) for f in OLD_FILES], "--store", str(store)],
                       cwd=base, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    full = base / "full"
    r = subprocess.run([*CASCADE, "build", str(DATA), "--store", str(full)], cwd=base, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return base, store, _answer(store), _answer(full)


def _check_store_after_kill(store: Path, old, new) -> str:
    """The store answers exactly as before the build, or exactly as the finished build: never a mix."""
    got = _answer(store)
    if got == old:
        return "old"
    assert got == new, "the store answers neither as before nor as after the build"
    return "new"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_build_killed_after_a_random_delay_leaves_the_previous_store_usable(old_store, tmp_path, seed):
    base, store, old, new = old_store
    mine = tmp_path / ".cascade"
    import shutil

    shutil.copytree(store, mine)
    delay = random.Random(seed).uniform(0.1, 6.0)
    proc = _spawn_build(mine, tmp_path)
    time.sleep(delay)
    _kill(proc)
    # A kill after the CURRENT swap but before the process exits rightly leaves the new answer; what
    # must never happen is a mix of the two, which _check_store_after_kill asserts.
    _check_store_after_kill(mine, old, new)


def test_build_killed_while_writing_the_new_version_leaves_the_previous_store_usable(old_store, tmp_path):
    base, store, old, new = old_store
    import shutil

    caught = 0
    for attempt in range(3):
        mine = tmp_path / f"s{attempt}"
        shutil.copytree(store, mine)
        proc = _spawn_build(mine, tmp_path)
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            partial = [p for p in mine.iterdir() if p.name.endswith(".partial")]
            if partial and any(partial[0].iterdir()):   # the new version is being written
                break
            time.sleep(0.002)
        running = proc.poll() is None
        code = _kill(proc)
        state = _check_store_after_kill(mine, old, new)
        # The build may still have renamed its version into place between our look and the kill;
        # only a kill that left the half-written version aside counts as caught mid-write.
        still_partial = any(p.name.endswith(".partial") for p in mine.iterdir())
        if running and code == -signal.SIGKILL and still_partial:
            caught += 1
            assert state == "old"
            # the half-written version is left aside, never current; the next build clears it
            assert any(p.name.endswith(".partial") for p in mine.iterdir())
            r = subprocess.run([*CASCADE, "build", str(DATA), "--store", str(mine)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=600)
            assert r.returncode == 0, r.stderr
            assert _answer(mine) == new
            assert not any(p.name.endswith(".partial") for p in mine.iterdir())
            break
    assert caught, "the build never was caught while writing its store"


def test_rebuild_of_the_same_inputs_gives_a_byte_identical_json_export(old_store, tmp_path):
    base, _, _, new = old_store
    store = tmp_path / ".cascade"
    r = subprocess.run([*CASCADE, "build", str(DATA), "--store", str(store)], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    a = subprocess.run([*CASCADE, "export", "--format", "json", "--store", str(store)], cwd=tmp_path,
                       capture_output=True, timeout=300).stdout
    b = subprocess.run([*CASCADE, "export", "--format", "json", "--store", str(base / "full")], cwd=tmp_path,
                       capture_output=True, timeout=300).stdout
    assert a == b and len(a) > 10_000
    assert json.loads(a)["nodes"]


# --- reviews.yaml -----------------------------------------------------------------------------------------

_WORKER = """
import sys, time
from graph.reviews import save_review
path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    save_review(path, f"{tag}/lower/{i}", f"upper/{i}", "confirmed" if i % 2 else "rejected", note=f"{tag} 第{i}条")
    print(i, flush=True)
"""


def test_reviews_file_survives_concurrent_writers_and_a_killed_one(tmp_path):
    reviews = pytest.importorskip("graph.reviews")
    path = tmp_path / "data" / "reviews.yaml"
    n = 40
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {tag: subprocess.Popen([sys.executable, "-c", _WORKER, str(path), tag, str(n)], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, text=True, start_new_session=True)
             for tag in ("app", "cli", "victim")}
    # Kill one writer part-way: whatever it had saved must still be there, and the file whole.
    victim = procs["victim"]
    saved_by_victim = -1
    while saved_by_victim < n // 3:
        line = victim.stdout.readline()
        if not line:
            break
        saved_by_victim = int(line)
    _kill(victim)
    saved_by_victim = max([saved_by_victim, *[int(l) for l in victim.stdout.read().split()]])
    for tag in ("app", "cli"):
        out, _ = procs[tag].communicate(timeout=300)
        assert procs[tag].returncode == 0
        assert out.split()[-1] == str(n - 1)
    got = reviews.read_reviews(path)   # parses: never half-written
    for tag in ("app", "cli"):
        for i in range(n):
            assert got[(f"{tag}/lower/{i}", f"upper/{i}")]["status"] == ("confirmed" if i % 2 else "rejected")
    for i in range(saved_by_victim + 1):
        assert (f"victim/lower/{i}", f"upper/{i}") in got
    assert got[("app/lower/3", "upper/3")]["note"] == "app 第3条"


def test_ctrl_c_during_a_parallel_load_is_one_line_and_leaves_no_worker_behind(old_store, tmp_path):
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it, while the loader's worker
    processes run (over 64 files): one line, exit 130, the previous store as it was, no worker left."""
    import shutil
    import threading

    base, store, old, new = old_store
    mine = tmp_path / ".cascade"
    shutil.copytree(store, mine)
    docs = tmp_path / "many"
    docs.mkdir()
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    for i in range(250):   # enough to load for seconds: repeated files load fast (the loaders remember)
        for s in seeds:
            (docs / f"{i:03d}_{s.name}").write_bytes(s.read_bytes())
    proc = subprocess.Popen([*CASCADE, "build", str(docs), "--store", str(mine)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: list[str] = []
    loading = threading.Event()

    def read():
        for line in proc.stderr:
            lines.append(line)
            if "Loading" in line or lines:
                loading.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    loading.wait(timeout=300)   # the progress bar: loading is under way
    os.killpg(proc.pid, signal.SIGINT)
    code = proc.wait(timeout=600)
    reader.join(timeout=10)
    assert code == 130, "".join(lines)
    err = "".join(lines)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "Interrupted: the previous store is unchanged." in err
    assert _answer(mine) == old
    for _ in range(100):   # the workers were stopped with their parent
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("loader workers outlived the interrupted build")
