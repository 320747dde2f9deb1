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


def test_report_of_one_region_holds_its_documents_only(cut_built, tmp_path):
    """A district's report from the graph of the whole cascade (data/ with two 黄埔 rows cut): its own rows
    against the plans above it, with its two real gaps; its units' workload, not the city's."""
    from openpyxl import load_workbook

    from cascade.report_rows import report_data, scope_of
    from queries.gaps import coverage

    G, store = cut_built[0].graph, cut_built[1]
    scope = scope_of(G, "广州市黄埔区")
    assert scope == {n for n, d in G.nodes(data=True) if d.get("label") == "Document"
                     and (d.get("region") or "").startswith("广州市黄埔区")} and scope
    data = report_data(G, scope)
    whole = [r for r in coverage(G) if r["lower_doc"] in scope]
    assert data["rows"] == whole and sum(r["status"] == "gap" for r in whole) == 2
    assert {r["id"] for r in data["documents"]} == scope
    named = {v for n, d in G.nodes(data=True) if d.get("doc_id") in scope
             for _, v, e in G.out_edges(n, data=True) if e.get("type") == "ASSIGNED_TO"}
    assert {r["unit"] for r in data["workload"]} <= named | {v for u in named for _, v, e in G.out_edges(u, data=True)
                                                              if e.get("type") == "MEMBER_OF"}
    out = tmp_path / "huangpu.xlsx"
    r = run("--lang", "zh", "report", "--out", str(out), "--region", "广州市黄埔区", "--store", str(store), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert "广州市黄埔区（1 个文件）" in wb.worksheets[0].oddHeader.center.text
    assert [ws.title for ws in wb.worksheets] == ["汇总", "缺口", "区县"]     # no sheet of another level
    assert wb["区县"].max_row - 1 == len(whole) and wb["缺口"].max_row - 1 == 2
    # a region the graph does not hold: one line, nothing written
    r = run("--lang", "en", "report", "--out", str(tmp_path / "x.html"), "--region", "北京市", "--store", str(store),
            cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.strip().splitlines() == ["Error: no document of 北京市 in the graph"]
    assert not (tmp_path / "x.html").exists()


def test_report_of_one_region_from_a_large_store_reads_only_its_documents(cut_built, tmp_path, monkeypatch):
    """Above the size the graph loads at, a region's report reads its documents and the plans above them
    from the store (the whole graph is never loaded) and says what the loaded graph says."""
    from openpyxl import load_workbook

    from cascade.api import Cascade
    from test_app import _never_load

    store = cut_built[1]
    Cascade(store).report(tmp_path / "graph.xlsx", lang="zh", region="广州市黄埔区")
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")
    _never_load(monkeypatch)
    c = Cascade(store)
    assert c.queries_store()
    assert c.report(tmp_path / "store.xlsx", lang="zh", region="广州市黄埔区") == 1
    a, b = load_workbook(tmp_path / "graph.xlsx"), load_workbook(tmp_path / "store.xlsx")
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in row] for row in a[name].iter_rows()] == \
               [[c.value for c in row] for row in b[name].iter_rows()], name
