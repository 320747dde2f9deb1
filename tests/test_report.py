"""The coverage report: a self-contained HTML with charts and escaped text, and an XLSX 台账 that
LibreOffice opens. Run on data/ with the hand-verified links of test_gaps.py."""
from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from cascade.report import LEDGER_COLUMNS, html_report, write_report, xlsx_report
from queries.gaps import coverage
from test_gaps import task_no, with_verified_links


@pytest.fixture(scope="module")
def G(seed_graph):
    return with_verified_links(seed_graph)


@pytest.fixture(scope="module")
def page(G):
    return html_report(G)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.hrefs, self.srcs = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])


def test_html_has_three_inline_charts_and_loads_nothing_from_outside(page):
    p = _Collect()
    p.feed(page)
    assert p.tags.count("svg") >= 3
    assert "script" not in p.tags
    assert not p.srcs
    assert all(h.startswith("#") for h in p.hrefs)


def test_every_gap_is_in_the_table_and_links_to_its_source_text(G, page):
    p = _Collect()
    p.feed(page)
    gaps = [r for r in coverage(G) if r["status"] == "gap"]
    assert f"Gaps ({len(gaps)})" in page
    assert {h[1:] for h in p.hrefs} <= p.ids, "every link lands on an anchor of the source-text appendix"
    # N21 line 72's 行政复议 sentence is a gap for 台山 (see test_gaps.py) and its text is quoted.
    assert "充分发挥行政复议制度优势" in page


def test_document_text_is_escaped(G):
    H = copy.deepcopy(G)
    t = task_no(H, "2022-guangzhou", "3")
    H.nodes[t]["text"] = H.nodes[t]["text_norm"] = '<script>alert("x")</script>反垄断 & <b>'
    H.nodes["2022-guangzhou"]["title"] = "<img src=x onerror=alert(1)>"
    page = html_report(H)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;反垄断 &amp; &lt;b&gt;" in page


@pytest.mark.browser
def test_html_report_opens_in_a_headless_browser(G, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("no chromium on PATH: the browser check needs a headless Chromium")
    out = tmp_path / "report.html"
    write_report(G, out, "html")
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", out.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert r.stdout.count("<svg") >= 3 and "政务公开工作要点落实情况报告" in r.stdout


def _workbook(G):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(xlsx_report(G)))


def test_xlsx_has_the_ledger_layout_for_every_plan(G):
    wb = _workbook(G)
    assert wb.sheetnames[:2] == ["汇总", "缺口"]
    for doc in ("2022-guangzhou", "2022-huangpu", "2021-taishan-culture", "2021-national"):
        ws = wb[doc]
        assert tuple(c.value for c in ws[1]) == LEDGER_COLUMNS
        assert ws.max_row > 1


def test_xlsx_ledger_row_shows_basis_and_coverage(G):
    wb = _workbook(G)
    # HP 1 (line 71) rests on GZ 1 (line 4); GZ 1 is taken up by HP 1.
    hp = {r[2]: r for r in wb["2022-huangpu"].iter_rows(min_row=2, values_only=True)}
    hp1 = hp[G.nodes[task_no(G, "2022-huangpu", "1")]["text_norm"]]
    assert "2022-guangzhou 1:" in hp1[5]
    gz = {r[2]: r for r in wb["2022-guangzhou"].iter_rows(min_row=2, values_only=True)}
    gz1 = gz[G.nodes[task_no(G, "2022-guangzhou", "1")]["text_norm"]]
    assert "2022-huangpu:已落实(1)" in gz1[6]
    assert "各区政府" in gz1[3]
    # TS 26 (line 27): 办公室、计划财务股牵头,其他股室及属下单位配合.
    ts = {r[2]: r for r in wb["2021-taishan-culture"].iter_rows(min_row=2, values_only=True)}
    ts26 = ts[G.nodes[task_no(G, "2021-taishan-culture", "26")]["text_norm"]]
    assert re.search(r"办公室.*牵头", ts26[3]) and "配合" in ts26[3]


def test_xlsx_gap_sheet_has_one_row_per_gap(G):
    gaps = [r for r in coverage(G) if r["status"] == "gap"]
    ws = _workbook(G)["缺口"]
    assert ws.max_row - 1 == len(gaps)


@pytest.mark.slow
def test_xlsx_converts_with_libreoffice(G, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        pytest.skip("libreoffice not on PATH (too heavy for CI): install libreoffice-calc to run this check")
    out = tmp_path / "report.xlsx"
    write_report(G, out, "xlsx")
    r = subprocess.run([office, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                       capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "report.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr[-500:]
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_unknown_format_names_the_file(G, tmp_path):
    from cascade.errors import CascadeError

    with pytest.raises(CascadeError, match="report.pdf: unknown report format 'pdf'"):
        write_report(G, tmp_path / "report.pdf", "pdf")
