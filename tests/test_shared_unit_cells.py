"""Unit cells shared by several requirements of a group (after the numbered items, merged above), a grid's
spanning header and an assessment index table: each rule on a short text of our own, after the pattern of
a real plan (中山市医保局 2021, 怀远县医保局 2025, 兴义 2021, 周村区卫健局 2021), with its lines and without them where the
plan reaches us so."""
from __future__ import annotations

import pytest

from loaders import load_file

# A bureau's table printed one cell a paragraph (工作任务 | 具体要求 | 落实科室): a group's 具体要求 cell holds
# several numbered requirements, its unit cell printed once after them; the last cell cut inside its role words.
SHARED = """某市某局2021年政务公开工作要点分工方案
工作任务
具体要求
落实科室
做好规划公开
1.主动公开本局各类规划原文和解读。
各科室按职责分工落实
2.在门户网站集中发布规划原文。
办公室
做好监管执法信息公开
3.主动公开市场准入负面清单并及时更新。
4.定期公布签订协议的定点机构名单。
5.定期公布监督检查结果,曝光违法案件。
法规科、医药科、服务中心按职责分工落实
做好财政信息公开
6.积极推进部门预算、决算公开。
7.定期公开基金收入、支出、结余等情况。
办公室、法规科、服务中心按职责分工落
"""


def _load(tmp_path, text: str, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _units(rec):
    return [(t.number, [a.name for a in t.assignments]) for t in rec.tasks]


@pytest.mark.parametrize("form", ["lined", "one line"])
def test_a_unit_cell_after_several_numbered_requirements_of_a_group_is_each_ones(form, tmp_path):
    """The unit cell printed after 3., 4. and 5. is the cell of all three (before: 3 and 4 took 办公室, the
    cell above, from another group); 6 shares the last cell, whose names stay whole though the cut went
    through its role words (before: 医保中心按职责分工落 was dropped as a cut name)."""
    text = SHARED if form == "lined" else SHARED.replace("\n", "") + "\n"
    rec = _load(tmp_path, text)
    shared, last = ["法规科", "医药科", "服务中心"], ["办公室", "法规科", "服务中心"]
    assert _units(rec) == [("1", ["各科室"]), ("2", ["办公室"]), ("3", shared), ("4", shared), ("5", shared),
                           ("6", last), ("7", last)]
    assert rec.document.truncated   # (the cut is still said)


def test_rows_after_a_unit_cell_in_the_same_group_still_share_the_merged_cell_above(tmp_path):
    """No group cell between them: a requirement with no unit cell after a row that had one is under the
    merged cell above, as before (the first row of a merge prints its cell)."""
    text = ("某局2021年政务公开工作任务分工\n工作任务\n具体要求\n落实科室\n做好规划公开\n"
            "1.主动公开本局各类规划原文和解读。\n办公室\n2.在门户网站集中发布规划原文。\n"
            "3.及时更新规划实施进展情况。\n4.做好规划解读和回应关切工作。\n法规科\n")
    rec = _load(tmp_path, text)
    assert _units(rec) == [("1", ["办公室"]), ("2", ["办公室"]), ("3", ["办公室"]), ("4", ["法规科"])]


# A bureau's 重点工作清单 whose header's first cell spans the part, 序号 and requirement columns (具 体 要 求 |
# 责任科室), each part heading merged down the rows under it: as pipe text it reads right; as a page, a Word
# file, a PDF or an OFD (a grid, one cell a column) its rows gave no task.
LIST_TITLE = "某县医疗保障局2025年度政务公开重点工作清单及分工"
LIST_GRID = [["具 体 要 求", "<", "<", "责任科室"],
             ["一、围绕中心工作抓好主动公开", "1", "深化民生领域信息公开,及时回应群众关切的热点问题。", "办公室牵头,局各股室配合"],
             ["二、围绕提质增效抓好政策解读", "2", "政策文件发布后3天内公开解读信息,做到同步起草、同步发布。", "办公室牵头,局各股室配合"],
             [None, "3", "对涉及群众切身利益的重大政策文件,做到应解读尽解读。", "办公室牵头,局属各中心配合"]]


def _list_text() -> str:
    rows = [" | ".join(c for c in r if c not in (None, "<")) + " |" for r in LIST_GRID]
    return "\n".join([LIST_TITLE] + rows) + "\n"


def _list_html() -> bytes:
    trs = ['<tr><td colspan="3">具 体 要 求</td><td>责任科室</td></tr>',
           '<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'.format(*LIST_GRID[1]),
           '<tr><td rowspan="2">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'.format(*LIST_GRID[2]),
           '<tr><td>{}</td><td>{}</td><td>{}</td></tr>'.format(*LIST_GRID[3][1:])]
    return (f'<html><head><meta charset="utf-8"></head><body><p>{LIST_TITLE}</p>'
            f'<table border="1">{"".join(trs)}</table></body></html>').encode("utf-8")


def _list_docx() -> bytes:
    import io

    import docx

    d = docx.Document()
    d.add_paragraph(LIST_TITLE)
    t = d.add_table(rows=len(LIST_GRID), cols=4)
    t.cell(0, 0).merge(t.cell(0, 2))
    t.cell(2, 0).merge(t.cell(3, 0))
    for r, row in enumerate(LIST_GRID):
        for c, x in enumerate(row):
            if x not in (None, "<"):
                t.cell(r, c).text = x
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _list_pdf() -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    ps = ParagraphStyle("p", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK")
    cs = ParagraphStyle("c", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    width = A4[0] - 144
    table = Table([[Paragraph(x, cs) if x not in (None, "<") else "" for x in r] for r in LIST_GRID],
                  colWidths=[width * 0.22, width * 0.08, width * 0.45, width * 0.25])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("SPAN", (0, 0), (2, 0)), ("SPAN", (0, 2), (0, 3))]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(LIST_TITLE, ps), table])
    return buf.getvalue()


def _signature(rec):
    return [(t.number, "".join(t.text_norm.split()), sorted((a.name, a.role) for a in t.assignments)) for t in rec.tasks]


@pytest.mark.parametrize("form", ["html", "docx", "pdf", "ofd"])
def test_a_grid_whose_header_cell_spans_the_heading_number_and_text_columns_reads_as_its_text(form, tmp_path):
    """A grid header cell spanning the columns after it names each of them: the part heading, the 序号 and
    the requirement under 具 体 要 求 are read as the text reads them (before: no task in any of these forms)."""
    from renditions import text_ofd

    want = _signature(_load(tmp_path, _list_text()))
    assert [(n, sorted(r for _, r in units)) for n, _, units in want] == [
        ("1", ["cooperate", "lead"]), ("2", ["cooperate", "lead"]), ("3", ["cooperate", "lead"])]
    data = {"html": _list_html, "docx": _list_docx, "pdf": _list_pdf, "ofd": lambda: text_ofd(_list_pdf())}[form]()
    p = tmp_path / f"plan.{form}"
    p.write_bytes(data)
    rec = load_file(p)
    assert _signature(rec) == want
    assert [s.number for s in rec.sections] == ["一", "二"]


# A district bureau's division of work printed as the assessment index it is scored on, one cell a paragraph:
# index levels and their scores, then each criterion as a 是否… question closed by its points, then its units.
INDEX = """某区卫生健康局2021年度政务公开重点工作任务分解及分工
一级指标
二级指标
三级指标
四级指标
责任科室、单位
主动公开
重点领域信息
养老服务(2
补贴发放
1.5
是否及时公开本地区养老服务补贴相关政策(0.5
老龄科
是否按季度公开本区域补贴申领数量、审核通过名单
以及补贴发放总金额(0.5
老龄科
医疗卫生
医疗服务
1
是否公开本年度公共场所卫生监督检查计划和检查结果等0.5
医政科
区卫生监督执法大队
"""


@pytest.mark.parametrize("form", ["lined", "one line"])
def test_each_criterion_of_an_assessment_index_table_is_a_task_with_the_unit_cells_after_it(form, tmp_path):
    """一级…四级指标 | 责任科室、单位 printed a cell a paragraph: each 是否… criterion is a task (its score left
    out, a criterion broken over two paragraphs one task), its units the unit cells after it; the index
    levels and scores above it are no task (before: no task at all)."""
    rec = _load(tmp_path, INDEX if form == "lined" else INDEX.replace("\n", "") + "\n")
    texts = [t.text_norm for t in rec.tasks]
    assert len(texts) == 3 and all(x.startswith("是否") for x in texts), texts
    assert texts[0].endswith("养老服务补贴相关政策") and "审核通过名单以及补贴发放总金额" in texts[1]
    assert texts[1].endswith("总金额") and texts[2].endswith("检查结果等")   # (the scores are no part of the text)
    assert [[a.name for a in t.assignments] for t in rec.tasks] == [["老龄科"], ["老龄科"], ["医政科", "区卫生监督执法大队"]]
