"""``cascade gaps`` as a user types it (the real console script on the session's store of data/)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from graph.store import load_graph
from queries.gaps import coverage

CASCADE = [sys.executable, "-m", "cascade.cli"]


def run(*args, cwd):
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_gaps_json_is_what_coverage_returns(built, tmp_path):
    store = built[1]
    r = run("gaps", "--format", "json", "--store", str(store), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == coverage(load_graph(store))


def test_gaps_markdown_lists_each_gap_with_its_reason(cut_built, tmp_path):
    store = cut_built[1]
    r = run("gaps", "--store", str(store), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    gaps = [g for g in coverage(load_graph(store)) if g["status"] == "gap"]
    assert gaps, "黄埔 without its rows 2 and 3 leaves the city's tasks 2 and 3 untaken"
    assert f"## Gaps ({len(gaps)})" in r.stdout
    for g in gaps:
        line = next(l for l in r.stdout.splitlines() if l.startswith(f"| {g['upper']} ") and g["lower_doc"] in l)
        assert g["reason"] in line


def test_gaps_csv_to_a_file(cut_built, tmp_path):
    out = tmp_path / "gaps.csv"
    r = run("gaps", "--format", "csv", "--out", str(out), "--store", str(cut_built[1]), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))   # with Excel's BOM
    assert {r["status"] for r in rows} >= {"covered", "gap", "not_assessable", "not_applicable", "local"}
    assert all(r["evidence"] for r in rows if r["status"] != "local")
    assert all(r["waits_for"] for r in rows if r["status"] == "not_assessable")


def test_gaps_without_a_store_is_one_line(tmp_path):
    r = run("gaps", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["Error: no store at .cascade: run 'cascade build PATH' first"]


def test_gaps_has_help_with_an_example(tmp_path):
    r = run("gaps", "--help", cwd=tmp_path)
    assert r.returncode == 0 and "Example: cascade gaps" in r.stdout


def test_gaps_pages_what_cannot_be_judged_from_the_store(built, tmp_path):
    """``--status not_assessable`` pages the 无法判断 rows from the store: those coverage gives, with why."""
    import shutil

    store = tmp_path / ".cascade"   # a page asked is kept in the store (cascade/answers.py): a copy of it
    shutil.copytree(built[1], store)
    expected = sorted((r["upper"], r["lower_doc"]) for r in coverage(load_graph(store)) if r["status"] == "not_assessable")
    got = []
    for offset in (0, 30):
        r = run("gaps", "--store", str(store), "--limit", "30", "--offset", str(offset), "--status", "not_assessable",
                "--format", "json", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        page = json.loads(r.stdout)
        assert page["total"] == len(expected) == 46   # (47 before the 广州 interpretation's 财政 sentence took up (三).1: graph.link restated rule)
        assert {row["status"] for row in page["rows"]} == {"not_assessable"}
        assert {row["why"] for row in page["rows"]} <= {"interpretation", "parent_missing"}
        got += [(row["upper"], row["lower_doc"]) for row in page["rows"]]
    assert sorted(got) == expected


def test_a_page_of_gaps_in_markdown_is_in_the_persons_words(built, tmp_path):
    """`cascade gaps --limit` (the way a nation-year's store is read) wrote its Markdown with machine keys
    whatever the language: `not_assessable: rows 1–2 of 46`, columns upper_doc, lower_level, why, and cells
    not_assessable, city, parent_missing. Markdown is for people; CSV and JSON keep the machine keys."""
    import os

    from queries.gaps import coverage

    store = str(built[1])
    env = dict(os.environ, CASCADE_LANG="zh")
    waiting = sum(1 for r in coverage(load_graph(built[1])) if r["status"] == "not_assessable")
    r = subprocess.run([*CASCADE, "gaps", "--limit", "2", "--status", "not_assessable", "--store", store],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"无法判断（缺上级或本级文件）：第 1–2 条，共 {waiting} 条"
    assert lines[2].startswith("| 落实情况 | 上级要求 | 上级文件 | 下级文件 | 序号 | 内容 | 上级层级 | 下级层级 |")
    assert lines[4].startswith("| 无法判断（缺上级或本级文件） |")
    for machine in ("not_assessable", "parent_missing", "| city |", "| national |", "upper_doc", "rows"):
        assert machine not in r.stdout
    r = subprocess.run([*CASCADE, "gaps", "--limit", "2", "--status", "local", "--offset", "1000", "--store", store],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.stdout.startswith("本级新增：第 1001 条起无，共 ")
    r = subprocess.run([*CASCADE, "gaps", "--limit", "2", "--status", "not_assessable", "--format", "csv",
                        "--store", store], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.stdout.lstrip("\ufeff").startswith("status,upper,upper_doc,") and "\nnot_assessable," in r.stdout
