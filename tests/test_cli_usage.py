"""A mistyped command line, as an analyst makes it: one line in the language asked for, never click's
English (``Usage: … Try 'cascade --help' for help. Error: No such command 'workload'.``, which came with
a Chinese ``用法：`` in English mode and an English ``Error:`` in Chinese mode)."""
from __future__ import annotations

import subprocess
import sys

CASCADE = [sys.executable, "-m", "cascade.cli"]


def run(*args, cwd, lang="zh"):
    import os

    env = dict(os.environ, CASCADE_LANG=lang)
    return subprocess.run([*CASCADE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_an_unknown_command_is_one_line_naming_the_commands(tmp_path):
    r = run("workload", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("错误：没有“workload”这个命令（可用命令：build、check、")
    assert lines[0].endswith("（帮助：cascade --help）") and "Usage" not in r.stderr and "Error" not in r.stderr
    r = run("--lang", "en", "workload", cwd=tmp_path)
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert r.stderr.startswith("Error: no such command 'workload' (commands: build, check, ")
    assert "用法" not in r.stderr


def test_a_bad_value_a_missing_argument_and_an_unknown_option_are_said_in_chinese(tmp_path):
    r = run("gaps", "--format", "xyz", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == "错误：'--format' 的值无效：'xyz' 不是可选值（'md'、'csv'、'json'）之一（帮助：cascade gaps --help）"
    r = run("gaps", "--limit", "-1", cwd=tmp_path)
    assert r.stderr.strip() == "错误：'--limit' 的值无效：-1 不在允许范围（x>=0）内（帮助：cascade gaps --help）"
    r = run("build", cwd=tmp_path)
    assert r.stderr.strip() == "错误：缺少参数 'PATHS...'（帮助：cascade build --help）"
    r = run("gaps", "--limt", "3", cwd=tmp_path)
    assert r.stderr.strip() == "错误：没有 --limt 这个选项，是否要用 --limit（帮助：cascade gaps --help）"
    r = run("--lang", "xx", "gaps", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == "错误：'--lang' 的值无效：'xx' 不是可选值（'zh'、'en'）之一（帮助：cascade --help）"
    r = run("trace", "a", "b", cwd=tmp_path, lang="en")
    assert r.stderr.strip() == "Error: unexpected extra argument(s): b (help: cascade trace --help)"


def test_export_says_what_it_wrote_and_names_an_unknown_format_in_chinese(built, tmp_path):
    store = str(built[1])
    r = run("export", "--format", "ttl", "--out", "g.ttl", "--store", store, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "" and r.stderr.strip() == "已写入 g.ttl"
    assert (tmp_path / "g.ttl").stat().st_size > 0
    r = run("export", "--format", "xyz", "--store", store, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == "错误：未知的导出格式“xyz”（可用：csv, cypher, graphml, json, ttl）"


def test_a_saved_query_runs_by_its_name(built, tmp_path):
    """`cascade cypher workload` was a Cypher parser error (mismatched input 'workload'); the saved queries
    the app's console offers now run by their name from the command line too."""
    from queries.cypher import run_cypher, saved_queries

    store = str(built[1])
    r = run("cypher", "workload", "--format", "json", "--store", store, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json

    rows = json.loads(r.stdout)
    columns, want = run_cypher(built[1], saved_queries()["workload"]["query"])
    assert rows and [[row[c] for c in columns] for row in rows] == [list(w) for w in want]
    assert "cascade cypher workload" in " ".join(run("cypher", "--help", cwd=tmp_path).stdout.split())
