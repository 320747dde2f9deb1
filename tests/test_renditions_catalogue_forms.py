"""Session 31's real documents (a 公开事项 catalogue with a two-row header and a 公开主体 column, a bureau's
notice signed without a date, a municipality's 要点 with bare unit lists) in the forms offices send: a web
page, an XLSX sheet, a text PDF, a scan. Each must give the records its lined text gives. Before, a page's
footer after an undated signature hid the issuer; a PDF whose narrow header cell wrapped a pinyin gloss
(鎮(z|hèn)級) read the sub-header as task 1 with a unit 公开主体; a sheet's channel cell of ■ lines gave
its boxes (■政务服务中心 …) as units; a scan whose OCR missed the lone 1 of the first row lost that row;
OCR's 瓣字 / 黄任單位 / a municipality's 辦公廳 read 辦公 lost the number, the issuer and the units; a
page's date after the title, (2024年04月08日), was part of the title.
"""
from __future__ import annotations

import io
from html import escape

import openpyxl

from loaders import load_file
from plans import form_signature, lined_signature
from renditions import scan_read_as


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


def _scanned_table(rows: list[list[str]], folder, monkeypatch, title: str):
    """The records of a scanned ruled table whose OCR read ``rows`` (an empty cell: nothing read there),
    loaded as a PNG is (the engine itself is not run)."""
    from PIL import Image

    import loaders.formats.image as image

    xs = [60, 110, 260, 520, 700, 860, 1000]
    ys = [140 + 60 * i for i in range(len(rows) + 1)]
    items = [[60, 60, 60 + 28 * len(title), 90, title, 0.95]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                items.append([xs[c] + 6, ys[r] + 15, xs[c] + 6 + min(24 * len(text), xs[c + 1] - xs[c] - 12),
                              ys[r] + 45, text, 0.95])
    rulings = [[xs[0], y, xs[-1], y] for y in ys] + [[x, ys[0], x, ys[-1]] for x in xs]
    page = {"w": 1100, "h": 1400, "angle": 0, "rulings": rulings, "items": items}
    monkeypatch.setattr(image, "ocr_pages", lambda *a, **k: [page])
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buf, format="PNG")
    (folder / "scan.png").write_bytes(buf.getvalue())
    return load_file(folder / "scan.png")


def test_a_scanned_catalogue_whose_ocr_missed_the_first_rows_lone_number(tmp_path, monkeypatch):
    rows = [["序号", "公开事项", "公开内容", "公开时限", "公开主体", "公开渠道"],
            ["1", "政策文件", "上级及本镇涉农资金文件。", "20个工作日内", "镇级人民政府", "■政府网站"],
            ["2", "资金明细", "涉农相关资金明细。", "20个工作日内", "镇级人民政府", "■公开查阅点"],
            ["3", "项目信息", "项目名称、实施单位。", "20个工作日内", "镇级人民政府", "■政府网站"]]
    title = "涉农资金领域基层政务公开标准目录"
    want = lined_signature(tmp_path, [title] + [" | ".join(r) + " |" for r in rows])
    assert [n for n, _, _ in want[0]] == ["1", "2", "3"]
    lost = [r[:] for r in rows]
    lost[1][0] = ""   # (a lone small digit is under the detector's size)
    got = form_signature(_scanned_table(lost, tmp_path, monkeypatch, title))
    assert [(n, u) for n, _, u in got[0]] == [(n, u) for n, _, u in want[0]]


MUNICIPAL = ["天津市人民政府辦公廳關于印發《2025年天津市政務公開工作要點》的通知",
             "津政辦字〔2025〕3號",
             "各區人民政府,市政府各委、局:",
             "《2025年天津市政務公開工作要點》已經市政府同意,現印發給你們,請認真執行。",
             "天津市人民政府辦公廳",
             "2025年3月20日",
             "2025年天津市政務公開工作要點",
             "一、依法履行政府信息公開職責",
             "1.啟動法定主動公開事項目錄編制工作。(責任單位:市政府辦公廳、各區政府)",
             "2.加強政府信息公開制度協同。(責任單位:市司法局、各區政府)"]


def test_a_scanned_municipal_notice_read_with_ocrs_slips_of_ban_and_ze(tmp_path, monkeypatch):
    want = lined_signature(tmp_path, MUNICIPAL)
    assert want[2] == "天津市人民政府办公厅" and want[3] == "津政办字〔2025〕3号"
    read = [MUNICIPAL[0].replace("辦公廳", "瓣公"), MUNICIPAL[1].replace("辦", "瓣")] + MUNICIPAL[2:8] + [
        MUNICIPAL[8].replace("(責任", "(黄任"), MUNICIPAL[9].replace("(責任", "(任")]
    assert form_signature(scan_read_as(read, tmp_path, monkeypatch)) == want


def test_a_pages_date_after_the_title_is_no_part_of_it(tmp_path, monkeypatch):
    lines = ["某区政府办公室关于印发政务公开要点的通知 ( 2024年4月8日 )",
             "《某区2024年政务公开工作要点》已经区政府同意,现印发给你们,请结合实际认真贯彻执行。",
             "某区2024年政务公开工作要点", "一、深化政策公开", "1.做好政策解读工作。(责任单位:区政府办公室)"]
    want = lined_signature(tmp_path, lines)
    assert want[1] == "某区政府办公室关于印发政务公开要点的通知"
    read = [lines[0].replace(" ( ", "(").replace(" )", ")")] + lines[1:]   # (OCR reads no space there)
    assert form_signature(scan_read_as(read, tmp_path, monkeypatch)) == want
