"""A full build run apart (cascade/apart.py: the graph in a forked child, the database loaded by the
parent from the files the child wrote), forced on data/ with ``CASCADE_BUILD_APART_FILES=1``: the same
store as the build in one process, the same summary, and nothing changed when the child fails."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from test_exports_unchanged import DIGESTS, _digests

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the build runs apart only where it can fork")


@pytest.fixture
def apart(monkeypatch):
    from cascade import apart

    monkeypatch.setenv(apart.APART_FILES_ENV, "1")
    assert apart.wanted(1)


def _database_rows(store: Path) -> list[str]:
    from graph.store import open_database

    db, conn = open_database(store)
    try:
        out = []
        for query in ("MATCH (n) RETURN n", "MATCH (a)-[r]->(b) RETURN a.id, b.id, r"):
            res = conn.execute(query)
            while res.has_next():
                row = res.get_next()
                # the engine's own ids and offsets depend on how its threads shared out the rows
                out.append(json.dumps([{k: v for k, v in x.items() if k not in ("_ID", "_SRC", "_DST")}
                                       if isinstance(x, dict) else x for x in row],
                                      ensure_ascii=False, sort_keys=True, default=str))
        return sorted(out)
    finally:
        conn.close()
        db.close()


def test_apart_build_stores_what_one_process_stores(apart, built, tmp_path, monkeypatch):
    import graph.store.bulk
    from cascade.api import Cascade
    from graph.export import to_json_dict
    from graph.store import current_version, load_graph

    monkeypatch.setattr(graph.store.bulk, "FILE_ROWS", 40)   # tables written in several pieces each
    store = tmp_path / ".cascade"
    result = Cascade(store).build([DATA])
    assert result.store == current_version(store)
    assert not list(store.glob("*.partial")) and not (result.store / "tables").exists()
    assert to_json_dict(load_graph(store)) == to_json_dict(load_graph(built[1]))
    assert _digests(store) == json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert _database_rows(store) == _database_rows(built[1])
    G = built[0].graph
    labels = {}
    for d in G._node.values():
        labels[d["label"]] = labels.get(d["label"], 0) + 1
    assert result.counts == labels
    assert result.links == sum(1 for *_, d in G.edges(data=True) if d["type"] == "DERIVED_FROM")
    assert [str(p) for p in result.problems] == [str(p) for p in built[0].problems]
    assert result.records == []
    assert result.graph.number_of_nodes() == G.number_of_nodes()   # read from the store when asked


def test_cli_says_the_same(apart, built, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cascade.cli import cli
    from cascade.i18n import t as tr

    monkeypatch.setenv("CASCADE_LANG", "en")
    lines = []
    for store, forced in ((tmp_path / "a", "1"), (tmp_path / "b", "100000")):
        monkeypatch.setenv("CASCADE_BUILD_APART_FILES", forced)
        out = CliRunner().invoke(cli, ["build", str(DATA), "--store", str(store)])
        assert out.exit_code == 0, out.output
        # the progress bar shows once a build has run a second, which a loaded machine decides
        lines.append([line for line in out.output.replace(str(store), "STORE").splitlines()
                      if tr("cli.loading", "en") not in line])
    assert lines[0] == lines[1]
    assert "223" in lines[0][-1]


def test_incremental_after_an_apart_build(apart, tmp_path):
    """The apart build leaves the incremental state: the next build over the same files is the fast one."""
    from cascade.pipeline import build

    store = tmp_path / ".cascade"
    first = build([DATA], store=store, incremental=True)
    assert first.incremental["mode"] == "full"
    again = build([DATA], store=store, incremental=True)
    assert again.incremental["mode"] == "incremental", again.incremental
    assert again.counts == first.counts and again.links == first.links


@pytest.mark.parametrize("how", ["raises", "killed"])
def test_failed_child_leaves_the_store(apart, built, tmp_path, monkeypatch, how):
    import shutil

    import graph.membership
    from cascade.pipeline import build
    from core.errors import CascadeError
    from graph.store import content_version

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    before = content_version(store)

    def fail(G):
        if how == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise ValueError("membership broke")

    monkeypatch.setattr(graph.membership, "add_membership", fail)
    with pytest.raises(CascadeError if how == "killed" else ValueError) as err:
        build([DATA], store=store)
    if how == "killed":
        assert err.value.key == "build_died" and "signal 9" in str(err.value)
    else:
        assert "membership broke" in str(err.value)
    assert content_version(store) == before
    assert not list(store.glob("*.partial"))


@pytest.mark.parametrize("run_apart", [True, False], ids=["apart", "one process"])
def test_a_build_times_its_stages_where_they_run(run_apart, tmp_path, monkeypatch):
    """CASCADE_BUILD_TIMINGS: each stage's wall and CPU seconds, the child's stages and the parent's COPY
    alike (bench/run.py reads them; nothing outside the two processes can time them)."""
    from cascade import apart
    from cascade.api import Cascade
    from core.stages import TIMINGS_ENV

    monkeypatch.setenv(apart.APART_FILES_ENV, "1" if run_apart else "1000000")
    monkeypatch.setenv(TIMINGS_ENV, str(tmp_path / "timings.json"))
    Cascade(tmp_path / ".cascade").build([DATA])
    rows = json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))
    names = [r["stage"] for r in rows]
    saving = ["tables", "copy"] if run_apart else ["store"]
    assert names == ["load", "graph", "link", "membership", *saving]
    assert all(r["wall_s"] > 0 and r["cpu_s"] >= 0 for r in rows)
    # the loaders' CPU is counted, also where it ran in the child's worker processes
    assert rows[0]["cpu_s"] > 0
