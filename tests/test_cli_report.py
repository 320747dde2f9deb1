"""``cascade report`` as a user types it: HTML by default, XLSX by file name or ``--format``."""
from __future__ import annotations

import subprocess
import sys
import zipfile

CASCADE = [sys.executable, "-m", "cascade.cli"]


def run(*args, cwd):
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_report_html_by_default(built, tmp_path):
    out = tmp_path / "report.html"
    r = run("report", "--out", str(out), "--store", str(built[1]), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"Wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") >= 3


def test_report_xlsx_from_the_file_name_and_from_the_option(built, tmp_path):
    for name, extra in (("report.xlsx", []), ("ledger.bin", ["--format", "xlsx"])):
        out = tmp_path / name
        r = run("report", "--out", str(out), *extra, "--store", str(built[1]), cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        with zipfile.ZipFile(out) as z:
            assert "xl/workbook.xml" in z.namelist()


def test_report_without_a_store_is_one_line(tmp_path):
    r = run("report", "--out", "r.html", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["Error: no store at .cascade: run 'cascade build PATH' first"]
    assert not (tmp_path / "r.html").exists()
