"""The same plan in the forms a table of it takes (a short text of our own, from the pattern of a real
分工 table whose sheet, PDF and OFD read differently from its text): a task table whose rows open with
the plan's headings (一、… | (一)… | measure | deadline | lead unit | lead office), the part heading merged
down the rows under it and 工作任务 spanning both heading columns. As pipe text the headings are headings
and the row a task; so in a sheet (cells as printed), and in a PDF or OFD whose header row ended a page;
a grid row under a header as wide as it keeps its columns.
"""
from __future__ import annotations

import io
import re

from loaders import load_file
from plans import form_signature as _signature
from renditions import legacy, text_ofd

HEAD = ["某市民政局办公室关于印发2022年政务公开工作任务分工的通知", "局机关各处室,局属各单位:",
        "现将《2022年政务公开工作任务分工》印发给你们,请认真贯彻落实。", "某市民政局办公室", "2022年4月8日"]
HEADER = ["工作任务", "具体举措", "完成时限", "市级牵头单位", "责任单位"]
ROWS = [["一、深化重点领域信息公开", "(一)做好预算信息公开。", "按照市财政局统一要求,及时公开本部门预算决算信息。", "每年度",
         "市财政局", "牵头处室:规划财务处"],
        [None, "(二)做好社会救助信息公开。", "及时公开社会救助政策和办理结果,做好政策解读。", "长期坚持", "市民政局",
         "牵头处室:社会救助处"]]
GRID = [[HEADER[0], "<"] + HEADER[1:]] + ROWS   # "<": spanned from the left; None: merged from above


def _text() -> str:
    return "\n".join(HEAD + [" | ".join(HEADER) + " |"] + [" | ".join(c for c in r if c) + " |" for r in ROWS]) + "\n"


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i, line in enumerate(HEAD, 1):
        ws.cell(i, 1, line)
        ws.merge_cells(start_row=i, end_row=i, start_column=1, end_column=6)
    top = len(HEAD) + 1
    for i, row in enumerate(GRID):
        for c, x in enumerate(row):
            if x not in (None, "<"):
                ws.cell(top + i, c + 1, x)
    ws.merge_cells(start_row=top, end_row=top, start_column=1, end_column=2)
    ws.merge_cells(start_row=top + 1, end_row=top + 2, start_column=1, end_column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(gap: float) -> bytes:
    """The text, ``gap`` points of space, then the table (ruled, its spans drawn)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    ps = ParagraphStyle("p", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK")
    cs = ParagraphStyle("c", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    table = Table([[Paragraph(x, cs) if x not in (None, "<") else "" for x in r] for r in GRID],
                  colWidths=[(A4[0] - 144) / 6] * 6)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 1), (0, 2))]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(x, ps) for x in HEAD] + [Spacer(1, gap), table])
    return buf.getvalue()


def test_a_row_opening_with_headings_reads_alike_in_a_sheet(tmp_path):
    (tmp_path / "plan.txt").write_text(_text(), encoding="utf-8")
    want = _signature(load_file(tmp_path / "plan.txt"))
    assert [(n, [role for _, role in units]) for n, _, units in want[0]] == [("1", ["lead", "lead"]), ("2", ["lead", "lead"])]
    xlsx = _xlsx()
    (tmp_path / "plan.xlsx").write_bytes(xlsx)
    (tmp_path / "plan.xls").write_bytes(legacy(xlsx, "xlsx", "xls"))
    assert _signature(load_file(tmp_path / "plan.xlsx")) == want
    assert _signature(load_file(tmp_path / "plan.xls")) == want


def test_a_row_opening_with_headings_reads_alike_in_a_pdf_or_ofd_whose_header_ended_the_page_before(tmp_path):
    (tmp_path / "plan.txt").write_text(_text(), encoding="utf-8")
    want = _signature(load_file(tmp_path / "plan.txt"))
    pdf = _pdf(520)   # the header the last row of page 1, the rows overleaf (their part cell merged down)
    (tmp_path / "plan.pdf").write_bytes(pdf)
    (tmp_path / "plan.ofd").write_bytes(text_ofd(pdf))
    assert _signature(load_file(tmp_path / "plan.pdf")) == want
    assert _signature(load_file(tmp_path / "plan.ofd")) == want   # (a grid row under a header not as wide)


def test_a_word_grid_row_under_its_own_header_keeps_its_columns(tmp_path):
    # one page, the spans drawn: one cell a column under 工作任务's two, the deadline its own column
    (tmp_path / "plan.pdf").write_bytes(_pdf(0))
    tasks = load_file(tmp_path / "plan.pdf").tasks
    assert [re.sub(r"\s+", "", t.text_norm) for t in tasks] == [ROWS[0][2], ROWS[1][2]]
    assert [[(a.name, a.role) for a in t.assignments] for t in tasks] == [
        [("市财政局", "lead"), ("规划财务处", "lead")], [("市民政局", "lead"), ("社会救助处", "lead")]]


def test_a_scanned_number_after_the_title_with_misread_brackets_and_office_is_the_same_number(tmp_path):
    from loaders.ocr_words import mended

    title = "某县人民政府办公室关于印发《某县2020年政务公开工作要点》的通知"
    body = ["各乡镇人民政府,县直各单位:", "一、推进决策公开。各单位要严格落实重大行政决策事项目录制度,及时公开决策草案。"]
    printed = [f"{title}(某政办发〔2020〕5号)"] + body
    scanned = [mended(f"{title}(某政瓣发[2020)5号)")] + body   # OCR: 辦 read 瓣, 〔 read [, 〕 read )
    got = []
    for name, lines in (("page.txt", printed), ("scan.txt", scanned)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        got.append(_signature(load_file(tmp_path / name)))
    assert got[0][1:4] == (title, "某县人民政府办公室", "某政办发〔2020〕5号")
    assert got[1] == got[0]
