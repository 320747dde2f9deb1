"""cascade.api.Cascade: the one object the CLI and the app call, over a real store of data/."""
from __future__ import annotations

import json
import shutil

import pytest

from cascade.api import Cascade
from core.errors import CascadeError
from queries.gaps import coverage
from queries.trace import trace_rows


def test_answers_are_the_analyses_of_the_store(built):
    result, store = built
    c = Cascade(store)
    G = c.graph
    assert G.number_of_nodes() == result.graph.number_of_nodes()
    assert c.coverage() == coverage(G)
    assert c.gaps() == [r for r in coverage(G) if r["status"] == "gap"]
    assert c.counts()["Document"] == sum(1 for _, d in G.nodes(data=True) if d["label"] == "Document")
    assert c.coverage() is c.coverage(), "an answer is computed once per store version"


def test_trace_by_words_finds_the_upper_requirement(built):
    c = Cascade(built[1])
    G = c.graph
    task = next(n for n, d in G.nodes(data=True)
                if d.get("label") == "Task" and d.get("doc_id") == "2022-guangzhou" and trace_rows(G, n)[1:])
    words = G.nodes[task]["text_norm"][:12]
    found = c.trace(words)
    assert found["down"] == trace_rows(G, found["task"])
    assert found["tree"]["task"] == found["task"]
    with pytest.raises(CascadeError):
        c.trace("这段文字在任何文件里都不存在的要求甲乙丙")


def test_a_rebuild_is_seen_without_reopening(built, tmp_path, data_dir):
    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    c = Cascade(store)
    before = c.counts()["Document"]
    c.build([data_dir / "2022_guangzhou_city_plan.txt"])
    assert c.counts()["Document"] == 1 < before


def test_report_refuses_a_suffix_it_cannot_write(built, tmp_path):
    with pytest.raises(CascadeError):
        Cascade(built[1]).report(tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()


def test_export_is_the_cli_export(built, tmp_path):
    from click.testing import CliRunner

    from cascade.cli import cli

    out = tmp_path / "g.json"
    res = CliRunner().invoke(cli, ["export", "--format", "json", "--out", str(out), "--store", str(built[1])])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(Cascade(built[1]).export("json"))
