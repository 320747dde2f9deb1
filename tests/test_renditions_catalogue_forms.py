"""Session 31's real documents (a 公开事项 catalogue with a two-row header and a 公开主体 column, a bureau's
notice signed without a date, a municipality's 要点 with bare unit lists) in the forms offices send: a web
page, an XLSX sheet, a text PDF, a scan. Each must give the records its lined text gives. Before, a page's
footer after an undated signature hid the issuer; a PDF whose narrow header cell wrapped a pinyin gloss
(鎮(z|hèn)級) read the sub-header as task 1 with a unit 公开主体; a sheet's channel cell of ■ lines gave
its boxes (■政务服务中心 …) as units.
"""
from __future__ import annotations

import io
from html import escape

import openpyxl

from loaders import load_file
from plans import form_signature, lined_signature


def _page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>门户网站</title></head><body>'
            f'<div class="crumb">当前位置：首页 &gt; 政务公开</div><div class="info">发布时间：2020-06-01　浏览次数：88</div>'
            f'<div id="zoom">{body}</div><div class="tools">【打印本页】【关闭窗口】</div>'
            f'<footer>主办单位：某市人民政府办公室　版权所有</footer></body></html>').encode("utf-8")


NOTICE = ["根据工作需要,现就调整本局政务公开工作分工有关事项通知如下:",
          "一、工作分工",
          "局机关各处室按职责提供公开信息,局办公室负责协调督促,局法规处负责合法性审查。",
          "二、有关要求",
          "(一)加强领导。各处室要把政务公开摆上重要日程,确保公开及时、准确。",
          "四平市住房和城乡建设局"]


def test_an_undated_signature_above_the_pages_footer_names_the_issuer(tmp_path):
    (tmp_path / "notice.html").write_bytes(_page(NOTICE))
    got = form_signature(load_file(tmp_path / "notice.html"))
    want = lined_signature(tmp_path, NOTICE)
    assert want[2] == "四平市住房和城乡建设局"
    assert got == want


# a catalogue: 公开事项 and 公开对象 / 公开方式 / 公开层级 each over two sub-columns
HEAD = [["序號", "公開事項", None, "公開內容", "公開時限", "公開主體", "公開渠道和載體", "公開對象", None, "公開層級", None],
        ["", "一級事項", "二級事項", "", "", "", "", "全社會", "特定群眾", "鎮(zhèn)級", "村級"]]
BODY = [["1", "政府文件", "政府文件", "鎮政府印發的文件。", "信息形成之日起20個工作日內", "鎮人民政府", "■政府網站", "√", "", "√", ""],
        ["2", "概況信息", "鎮情簡介", "行政區劃、人口、地理位置等信息。", "信息形成之日起20個工作日內", "鎮人民政府", "■政府網站 ■公示欄", "√", "", "√", ""]]
TITLE = "(一)某鎮政府信息領域基層政務公開標準目錄"


def _lined(head, body, title):
    return [title] + [" | ".join(c or "" for c in r) + " |" for r in head + body]


def _table_pdf(head, body, title, widths) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    cs = ParagraphStyle("c", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    data = [[Paragraph(escape(c), cs) if c else "" for c in r] for r in head + body]
    spans = [("SPAN", (1, 0), (2, 0)), ("SPAN", (7, 0), (8, 0)), ("SPAN", (9, 0), (10, 0))]
    spans += [("SPAN", (c, 0), (c, 1)) for c in (0, 3, 4, 5, 6)]
    t = Table(data, colWidths=widths)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")] + spans))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4)).build([Paragraph(escape(title), cs), t])
    return buf.getvalue()


def test_a_pdf_catalogue_whose_narrow_header_cell_wraps_a_pinyin_gloss(tmp_path):
    # (the 鎮(zhèn)級 column is narrow: its gloss wraps, and the cell's lines are joined with a space)
    widths = [30, 50, 50, 120, 90, 70, 80, 36, 36, 36, 30]
    (tmp_path / "catalogue.pdf").write_bytes(_table_pdf(HEAD, BODY, TITLE, widths))
    got = form_signature(load_file(tmp_path / "catalogue.pdf"))
    want = lined_signature(tmp_path, _lined(HEAD, BODY, TITLE))
    assert [(n, u) for n, _, u in want[0]] == [("1", [("镇人民政府", "implement")]), ("2", [("镇人民政府", "implement")])]
    # (the tasks and their units; the lined text keeps the 公开时限 cell in a task's text, the PDF not)
    assert [(n, u) for n, _, u in got[0]] == [(n, u) for n, _, u in want[0]] and got[1:] == want[1:]


def test_a_sheets_channel_cell_of_ticked_boxes_names_no_unit(tmp_path):
    head = [["序号", "公开事项", "公开内容", "公开时限", "公开主体", "公开渠道和载体"]]
    body = [["1", "审批服务信息", "办事指南、申报材料清单。", "实时公开", "相关审批部门", "■政府网站 ■政务服务中心"],
            ["2", "招标投标信息", "招标公告、中标结果公示。", "及时公开", "招标人或相关行政监督部门",
             "■政府网站 ■两微一端\n■政务服务中心\n■公共资源交易平台\n■投资项目在线审批监管平台"]]
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(head + body, 1):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    wb.save(tmp_path / "catalogue.xlsx")
    got = form_signature(load_file(tmp_path / "catalogue.xlsx"))
    lined = [" | ".join(c.replace("\n", " ") for c in r) + " |" for r in head + body]
    want = lined_signature(tmp_path, ["重大建设项目领域政务公开标准目录"] + lined)
    assert [u for _, _, u in got[0]] == [[("相关审批部门", "implement")], [("招标人或相关行政监督部门", "implement")]]
    assert got[0] == want[0]
