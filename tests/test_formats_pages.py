"""A document reads the same in the forms a page or a print of it takes (short texts of our own, made
from the patterns of real pages that read differently as HTML, DOCX or PDF than as text):
a page cut short before its footer, a mirror's @@ markers, a line printed up to an opening bracket,
a print of lines none of which reaches the margin, a site's menus printed without their bullets, a
title over two lines above a ruled table, a page's buttons above a short title.
"""
from __future__ import annotations

import io
import re
from html import escape

from loaders import load_file
from loaders.read import read_blocks
from renditions import paragraph_docx, paragraph_pdf, pipe_table_pdf


def _signature(rec):
    return [(t.number, re.sub(r"\s+", "", t.text_norm), sorted((a.canonical, a.role) for a in t.assignments))
            for t in rec.tasks]


def _page(lines: list[str]) -> bytes:
    """A government page: menus, breadcrumb, fields and buttons around the text's paragraphs."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府门户网站</title></head><body>"
            "<nav><ul><li>首页</li><li>政务公开</li><li>互动交流</li></ul></nav>"
            "<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>"
            "<div class='info'>发布时间：2024-03-01　浏览次数：1024　字号：【大 中 小】</div>"
            f"<div class='share'>分享到：微信 微博</div><div id='zoom'>{body}</div>"
            "<div class='tools'>【打印本页】【关闭窗口】</div>"
            "<footer>主办单位：人民政府办公室　网站标识码：0000000001</footer></body></html>").encode("utf-8")


def _both(tmp_path, lines: list[str], data: bytes, ext: str):
    text = tmp_path / "plan.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = tmp_path / f"plan.{ext}"
    other.write_bytes(data)
    return load_file(text), load_file(other)


CUT = ["某县人民政府办公室关于印发某县2022年政务公开工作要点的通知",
       "一、推进重点领域信息公开",
       "1.做好预算决算公开。按时在政府网站公开部门预算、决算和三公经费情况。",
       "2.加强重大项目公开。及时公开重点项目的批准、实施和验收信息,回应群众关切。",
       "3.做好惠企政策公开。集中发布减税降费、稳岗就业等政策,为企业办事提供"]


def test_a_page_cut_short_before_its_footer_is_truncated_as_its_text_is(tmp_path):
    """The text's end is the line above the page's footer: a task that line cuts mid-way is dropped
    there as where the text itself stops."""
    text, page = _both(tmp_path, CUT, _page(CUT), "html")
    assert text.document.truncated and page.document.truncated
    assert _signature(page) == _signature(text) and [t.number for t in text.tasks] == ["1", "2"]


MIRROR = ["某市2021年政务公开工作要点@@",
          "一@@、深化决策公开@@",
          "1.推进@@重大行政决策@@事项目录@@公开@@。(责任单位@@:市司法局@@)",
          "2.做好@@政策解读@@,政策文件@@与解读材料@@同步发布@@。(责任单位@@:市政府办公室@@)"]


def test_a_mirrors_markers_are_no_text_in_html_or_docx(tmp_path):
    for ext, data in (("html", _page(MIRROR)), ("docx", paragraph_docx(MIRROR))):
        text, other = _both(tmp_path, MIRROR, data, ext)
        assert _signature(other) == _signature(text) and len(text.tasks) == 2
        assert other.document.title == text.document.title == "某市2021年政务公开工作要点"


def test_a_line_printed_up_to_an_opening_bracket_goes_on_below(tmp_path):
    """…(  at the margin, 責任單位:…) on the next line: one paragraph, its last unit without the bracket."""
    lines = ["一、以政務公開助力穩增長",
             "1.召開新聞發布會,深入解讀政策背景、目標任務和適用範圍及及及及及及及。(責任單位:市發展改革委、市人力社保局、"
             "市財政局、人民銀行天津分行)",
             "2.按月公開全市財政收支情況。(責任單位:市財政局)"]
    pdf = paragraph_pdf(lines)
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:   # the print breaks the line right after the bracket
        printed_lines = doc.pages[0].extract_text().splitlines()
    assert any(ln.rstrip().endswith("(") for ln in printed_lines)
    text, printed = _both(tmp_path, lines, pdf, "pdf")
    assert _signature(printed) == _signature(text)
    assert "人民银行天津分行" in [a.name for a in printed.tasks[0].assignments]
    # the print's lines kept as a text file: the unit line's ) closes the bracket of the line above
    kept = tmp_path / "kept.txt"
    kept.write_text("\n".join(printed_lines) + "\n", encoding="utf-8")
    units = [[(a.canonical, a.role) for a in t.assignments] for t in load_file(kept).tasks]
    assert units == [[(a.canonical, a.role) for a in t.assignments] for t in text.tasks]


def test_a_print_of_short_lines_joins_none_of_them(tmp_path):
    """No line reaches the right margin (it mirrors the left): none wrapped, each stays a line."""
    lines = ["县发展和改革局", "县教育局", "县科学技术局", "县工业和信息化局", "县民政局", "县司法局"]
    path = tmp_path / "list.pdf"
    path.write_bytes(paragraph_pdf(lines))
    assert [b.text for b in read_blocks(path)[1]] == lines


def test_menus_printed_without_bullets_are_no_part_of_the_opening(tmp_path):
    menus = ["首页", "走进本县", "政务动态", "政务公开", "政务服务", "互动交流", "发展和改革局", "教育局", "公安局",
             "民政局", "司法局", "财政局", "自然资源局", "生态环境局", "交通运输局", "水务局", "商务局",
             "卫生健康局", "应急管理局", "审计局", "统计局", "医疗保障局", "信访局", "城市管理局"] * 2
    opening = ["某县人民政府办公室关于印发2021年政务公开工作要点的通知", "平政办字〔2021〕9号",
               "各乡镇人民政府,县政府各部门:", "现将《某县2021年政务公开工作要点》印发给你们,请认真贯彻执行。"]
    text, printed = _both(tmp_path, ["• " + m for m in menus] + opening, paragraph_pdf(menus + opening), "pdf")
    for rec in (text, printed):
        assert rec.document.title == "某县人民政府办公室关于印发2021年政务公开工作要点的通知"
        assert rec.document.doc_no == "平政办字〔2021〕9号"


def test_a_title_over_two_lines_above_a_ruled_table_is_one_title(tmp_path):
    title = "某省教育厅(中共某省委教育工委)办公室关于印发2023年政务公开工作要点任务分工的通知"
    lines = [title, "工作要点 | 具体要求 | 任务分工 |",
             "教育民生 | 做好高校毕业生就业创业政策信息公开。 | 学生处 |",
             "政策解读 | 落实政策解读与政策文件同步起草、同步发布。 | 办公室 |"]
    text, printed = _both(tmp_path, lines, pipe_table_pdf(lines, size=12), "pdf")
    assert text.document.title == printed.document.title == title
    assert _signature(printed) == _signature(text) and len(text.tasks) == 2


def test_a_pages_buttons_are_no_part_of_a_short_title_below_them(tmp_path):
    lines = ["某镇2024年政务公开工作要点", "一、加强政策解读", "1.做好政策文件解读,同步发布解读材料。"]
    for head in ("字号：【大 中 小】", "【打印】【关闭】"):
        text, page = _both(tmp_path, [head, *lines], _page(lines), "html")
        assert text.document.title == page.document.title == "某镇2024年政务公开工作要点"


def _ruled_pdf(title: str, rows: list[list[str | None]], spans: list[tuple]) -> bytes:
    """A title, then a ruled table whose ``spans`` ((col, row), (col, row)) merge cells, as Word prints it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("c", fontName="STSong-Light", fontSize=10, leading=13, wordWrap="CJK")
    data = [[Paragraph(escape(c), style) if c else "" for c in r] for r in rows]
    table = Table(data, colWidths=[(A4[0] - 144) / len(rows[0])] * len(rows[0]))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               *[("SPAN", a, b) for a, b in spans]]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(title), style), table])
    return buf.getvalue()


def _docx_table(title: str, rows: list[list[str | None]], spans: list[tuple]) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for (c0, r0), (c1, r1) in spans:
        t.cell(r0, c0).merge(t.cell(r1, c1))
    for r, row in enumerate(rows):
        for c, x in enumerate(row):
            if x is not None:
                t.cell(r, c).text = x
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_ruled_table_whose_header_spans_two_columns_reads_as_its_word_table(tmp_path):
    """工作任务 over the group column and the task column, the group merged down two rows: the PDF's
    rows keep a cell per column, as the DOCX's do, so the lead and responsible columns stay theirs and
    the row a cut text leaves half-written is dropped in both."""
    title = "清流县司法局2016年政务公开工作主要任务分解表"
    rows = [["工作任务", None, "牵头科室", "责任科室", "工作要求"],
            ["(一)进一步推进两个清单公开", "全面公开县级政府工作部门权力清单和责任清单", "法制科", "各股室", "及时更新两个清单。"],
            [None, "做好取消、下放、保留行政审批等事项的公开", "法制", "", ""]]   # cut by the end of the page
    spans = [((0, 0), (1, 0)), ((0, 1), (0, 2))]
    word, printed = tmp_path / "plan.docx", tmp_path / "plan.pdf"
    word.write_bytes(_docx_table(title, rows, spans))
    printed.write_bytes(_ruled_pdf(title, rows, spans))
    triples = [{(t.number, a.name, a.role) for t in load_file(p).tasks for a in t.assignments} for p in (word, printed)]
    assert triples[0] == triples[1] == {("1", "法制科", "lead"), ("1", "各股室", "implement")}
