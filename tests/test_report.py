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

from cascade.report import html_report, write_report, xlsx_report
from cascade.report_rows import LEDGER_COLUMNS
from queries.gaps import coverage
from test_gaps import task_no, with_verified_links


@pytest.fixture(scope="module")
def G(seed_graph):
    return with_verified_links(seed_graph)


@pytest.fixture(scope="module")
def page(G):
    return html_report(G, "zh")


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
    assert f"未落实（缺口）（{len(gaps)} 条）" in page
    assert f"Gaps ({len(gaps)})" in html_report(G, "en")   # the English switch
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
    write_report(G, out, "html", lang="zh")
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", out.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert r.stdout.count("<svg") >= 3 and "政务公开工作要点落实情况报告" in r.stdout


def _workbook(G):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(xlsx_report(G, "zh")))


def test_xlsx_has_a_ledger_sheet_per_level_in_the_office_shape(G):
    wb = _workbook(G)
    # National documents report to nobody: the ledgers are those of the levels that take a plan up.
    assert wb.sheetnames == ["汇总", "缺口", "市", "区县", "股室"]
    assert LEDGER_COLUMNS[:8] == ("序号", "上级要求", "本级任务", "牵头单位", "配合单位", "完成时限", "落实情况",
                                  "依据（原文摘录）")
    for name in ("市", "区县", "股室"):
        ws = wb[name]
        assert tuple(c.value for c in ws[1]) == LEDGER_COLUMNS
        assert ws.max_row > 10 and [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == \
            list(range(1, ws.max_row))
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
        assert ws.print_title_rows == "$1:$1"           # the header repeats on every printed page
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert {r[6] for r in ws.iter_rows(min_row=2, values_only=True)} <= \
            {"已落实", "未落实（缺口）", "不适用", "本级新增", "无法判断（缺上级或本级文件）"}


def _ledger(wb, sheet):
    return [dict(zip(LEDGER_COLUMNS, r)) for r in wb[sheet].iter_rows(min_row=2, values_only=True)]


def test_xlsx_ledger_row_shows_requirement_task_units_and_basis(G):
    wb = _workbook(G)
    hp1 = G.nodes[task_no(G, "2022-huangpu", "1")]
    gz1 = G.nodes[task_no(G, "2022-guangzhou", "1")]
    # HP 1 (line 71) takes up GZ 1 (line 4): one county row with both texts, its units, and where each stands.
    # (The State Council's (一).2 reads the same: HP 1 takes it up too, in a row of its own.)
    rows = [r for r in _ledger(wb, "区县") if r["本级任务"] and hp1["text_norm"] in r["本级任务"]
            and gz1["text_norm"] in r["上级要求"]]
    assert len(rows) == 2
    row = [r for r in rows if "穗府办函〔2022〕48号" in r["依据（原文摘录）"]][0]
    assert row["落实情况"] == "已落实" and "区商务局" in row["牵头单位"]
    assert "第4行" in row["依据（原文摘录）"] and "国办发〔2022〕8号" in rows[1 - rows.index(row)]["依据（原文摘录）"]
    assert "第71行" in row["依据（原文摘录）"] and "(yè)" not in row["依据（原文摘录）"]
    # Every row's 牵头单位 / 配合单位 are the units its own tasks name in those roles (a responsible unit
    # leads when no lead is named), as the documents print them.
    from cascade.report_rows import ledger_rows

    checked = 0
    for level_rows in ledger_rows(G, lang="zh").values():
        for r in level_rows:
            roles = {}
            for x in r["lower_ids"]:
                for _, v, d in G.out_edges(x, data=True):
                    if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own":
                        roles.setdefault(d.get("role"), set()).add(G.nodes[v].get("short_name") or G.nodes[v]["name"])
            leads = roles.get("lead") or roles.get("implement") or set()
            assert set(filter(None, r["lead"].split("、"))) == leads, r
            assert set(filter(None, r["cooperate"].split("、"))) <= \
                roles.get("cooperate", set()) | roles.get("support", set()) | roles.get("implement", set())
            checked += bool(leads)
    assert checked > 20
    # A requirement not taken up (a gap, not assessable, not applicable) is named, with no task of its own,
    # and its basis says why; one that cannot be judged says what it waits for.
    open_rows = [r for r in _ledger(wb, "股室") + _ledger(wb, "区县") + _ledger(wb, "市")
                 if r["落实情况"] not in ("已落实", "本级新增")]
    assert open_rows and all(r["上级要求"] and not r["本级任务"] and "说明：" in r["依据（原文摘录）"] for r in open_rows)
    waiting = [r for r in open_rows if r["落实情况"] == "无法判断（缺上级或本级文件）"]
    assert waiting and all("待补：" in r["依据（原文摘录）"] for r in waiting)


def test_xlsx_in_english_under_the_switch(G):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_report(G, "en")))
    assert wb.sheetnames == ["Summary", "Gaps", "city", "county", "department"]
    assert [c.value for c in wb["county"][1]][:3] == ["No.", "Upper requirement", "Own task"]


def test_xlsx_gap_sheet_has_one_row_per_gap(G):
    gaps = [r for r in coverage(G) if r["status"] == "gap"]
    ws = _workbook(G)["缺口"]
    assert ws.max_row - 1 == len(gaps)


def test_who_must_act_is_in_the_gap_sheet_the_html_and_the_ledger(cut_built):
    G = cut_built[0].graph      # data/ with two 黄埔 rows removed: two real gaps
    page = html_report(G, "zh")
    gaps = [r for r in coverage(G) if r["status"] == "gap"]
    assert len(gaps) == 2
    ws = _workbook(G)["缺口"]
    head = [c.value for c in ws[1]]
    assert {"需落实单位", "下级文件名称", "下级发文单位"} <= set(head)
    for r, cells in zip(gaps, ws.iter_rows(min_row=2, values_only=True)):
        row = dict(zip(head, cells))
        issuer = r["lower_issuer"]
        assert issuer and row["下级发文单位"] == issuer and row["需落实单位"].startswith(issuer)
        assert G.nodes[r["lower_doc"]]["title"] in row["下级文件名称"]
    assert "<th>需落实单位</th>" in page and gaps[0]["lower_issuer"] in page
    assert "需落实单位" in LEDGER_COLUMNS


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
    from core.errors import CascadeError

    with pytest.raises(CascadeError, match="report.doc: unknown report format 'doc'"):
        write_report(G, tmp_path / "report.doc", "doc")


def test_pdf_puts_the_analysts_verdicts_in_a_section_and_the_ledger(cut_built, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    G = cut_built[0].graph
    gap = next(r for r in coverage(G) if r["status"] == "gap")
    marks = {(gap["upper"], gap["lower_doc"]): {"verdict": "confirmed_gap", "note": "no such office here"}}
    out = tmp_path / "report.pdf"
    write_report(G, out, "pdf", "en", marks)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "Analyst's verdicts (1)" in text
    assert text.count("confirmed gap") >= 2 and "no such office here" in text   # the section, and the ledger


def test_the_ledger_lists_a_tasks_units_in_the_order_the_plan_prints_them(built):
    """牵头单位 as printed, whether the graph was just built, reloaded from graph.json (whose edges come
    in another order) or read from the database (which keeps none)."""
    from cascade.pipeline import build
    from cascade.report_rows import _units_by_role
    from graph.store import load_graph

    from conftest import DATA

    fresh, loaded = build([DATA]).graph, load_graph(built[1])
    moved = 0
    for n, d in fresh.nodes(data=True):
        if d.get("label") == "Task" and len(d["own_units"]) > 1:
            printed = [a for _, a, e in fresh.out_edges(n, data=True) if e["type"] == "ASSIGNED_TO" and e["column"] == "own"]
            assert d["own_units"] == list(dict.fromkeys(printed)), n
            assert _units_by_role(loaded, n) == _units_by_role(fresh, n), n
            moved += [a for _, a, e in loaded.out_edges(n, data=True) if e["type"] == "ASSIGNED_TO"
                      and e["column"] == "own"] != printed
    assert moved     # the reload does reorder edges: the test would catch a ledger that follows them


def test_a_provinces_report_holds_its_cities_written_without_the_province():
    # Manifests (and regions found from an issuer's name) write a city's region without its province
    # (广州市): the province's report (--region 广东省) holds it, as it holds 广东省广州市.
    from cascade.report_rows import scope_of

    docs = [{"id": "gz", "region": "广州市"}, {"id": "hp", "region": "广州市黄埔区"}, {"id": "gd", "region": "广东省"},
            {"id": "gdgz", "region": "广东省广州市"}, {"id": "hb", "region": "湖北省"}, {"id": "cb", "region": "咸宁市赤壁市"}]
    assert scope_of(docs, "广东省") == {"gz", "hp", "gd", "gdgz"}
    assert scope_of(docs, "湖北省") == {"hb", "cb"}
    assert scope_of(docs, "广州市") == {"gz", "hp"}


def test_a_rate_says_beside_it_how_many_requirements_cannot_be_judged(G, page, tmp_path):
    # The rate counts covered ÷ (covered + gap) only: a 100% over rows no one could judge must say so
    # wherever it is read, or an office signs "100%" over them.
    from cascade.report_markdown import gaps_markdown
    from queries.gaps import render, summary

    rows = coverage(G)
    pair = next(p for p in summary(rows) if p["upper_doc"] and p["not_assessable"] and p["rate"] is not None)
    n = pair["not_assessable"]
    said = f"{pair['rate']:.0%}（另有 {n} 项无法判断）"
    assert said in page
    assert said in gaps_markdown(rows, G, "zh")
    assert f"{pair['rate']:.0%} ({n} more not assessable)" in render(rows, "md", G)
    ws = _workbook(G)["汇总"]
    from cascade.report_rows import doc_name

    cell = next(r[-1] for r in ws.iter_rows(min_row=2) if r[1].value == doc_name(G, pair["lower_doc"]))
    assert cell.value == pair["rate"] and cell.number_format == f'0%"（另有 {n} 项无法判断）"'   # a number still
    pypdf = pytest.importorskip("pypdf")
    write_report(G, tmp_path / "r.pdf", "pdf", "zh")
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "".join(said.split()) in text


def test_what_a_person_reads_names_documents_by_title_not_id(G, page):
    # "2021-guangzhou-interpretation 应落实…" is a machine's word: the reasons, the per-pair table and the
    # 台账's 依据 name a document as the office does (its plan's name, shortened), and the CSV keeps the id.
    from cascade.report_markdown import gaps_markdown
    from cascade.report_rows import doc_name, ledger_rows
    from queries.gaps import render

    rows = coverage(G)
    ids = [n for n, d in G.nodes(data=True) if d.get("label") == "Document"]
    bare = re.compile("|".join(rf"(?<![\w/-]){re.escape(i)}(?![\w/-])" for i in ids))   # an id, not a task's id
    basis = [r["basis"] for level in ledger_rows(G, rows, "zh").values() for r in level]
    assert any("《〈2021年广州市政务公开工作要点分工方案〉的解读》 应落实" in b for b in basis)
    assert not any(bare.search(b) for b in basis)
    md = gaps_markdown(rows, G, "zh")
    assert not bare.search(md.split("\n## ")[0])     # the counts and the per-pair table
    assert "《广州市2022年政务公开工作要点分工方案》 | 《广州市黄埔区广州开发区2022年政务公开工作要点分工方案》" in md
    assert doc_name(G, "2021-guangzhou-interpretation") in page and "2021-guangzhou-interpretation 应落实" not in page
    assert "2021-guangzhou-interpretation #" not in page    # a task link: 《…的解读》第5项, not the id and #5
    assert f'{doc_name(G, "2021-guangzhou-interpretation")}第5项</a>' in page
    assert "2021-guangzhou-interpretation owes" in render(rows, "csv")    # a machine export keeps the ids
