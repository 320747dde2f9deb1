"""The command line, as a user types it (subprocess: the real console script)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASCADE = [sys.executable, "-m", "cascade.cli"]


def run(*args, cwd):
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_build_then_export_then_cypher(tmp_path):
    r = run("build", str(ROOT / "data"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Built 8 documents" in r.stdout
    r = run("export", "--format", "json", cwd=tmp_path)
    data = json.loads(r.stdout)
    docs = [n for n in data["nodes"] if n["label"] == "Document"]
    assert {d["properties"]["level"] for d in docs} == {"national", "city", "county", "department"}
    r = run("cypher", 'MATCH (t:Task)-[:ASSIGNED_TO {role:"lead"}]->(u:Unit) RETURN u.name, count(t) AS n '
                      "ORDER BY n DESC LIMIT 5", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 5


def test_errors_are_one_line_without_traceback(tmp_path):
    r = run("cypher", "MATCH (n) RETURN n", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["Error: no store at .cascade: run 'cascade build PATH' first"]
    r = run("build", "no/such/folder", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == "Error: no/such/folder: no such file or folder"


def test_write_query_is_refused_with_a_clear_message(tmp_path):
    assert run("build", str(ROOT / "data"), cwd=tmp_path).returncode == 0
    r = run("cypher", "MATCH (t:Task) DELETE t", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == "Error: refused: DELETE is a write clause; the Cypher console is read-only"


def test_bad_file_is_skipped_and_named_while_the_others_load(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_bytes((ROOT / "data" / "2021_taishan_culture_bureau_sections.txt").read_bytes())
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (docs / "empty.txt").write_bytes(b"")
    r = run("build", str(docs), cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"skipped: {docs / 'broken.docx'}: damaged Office file (bad zip archive)" in r.stderr
    assert f"skipped: {docs / 'empty.txt'}: empty file" in r.stderr
    assert "Built 1 documents" in r.stdout


def test_every_command_has_help_and_is_in_the_readme():
    from cascade.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        assert cmd.help and "Example:" in cmd.help, name
        assert f"cascade {name}" in readme, name
