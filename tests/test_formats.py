"""One document in every format gives the same tasks and units: seed 001 (台山市文广旅体局, a table
with merged cells) rebuilt here as DOCX (a real table, merged cells), XLSX (merged cells), an HTML page
with its site chrome and a PDF with a CJK font; and read in every encoding an office produces.
Formats are told by content, not by the file's extension.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from loaders import load_file
from loaders.read import detect_format
from renditions import paragraph_docx

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
SEED = SEEDS / "001_04c5faad0ae32447.txt"
META = {"level": "department", "region": "江门市台山市", "issuer": "台山市文化广电旅游体育局", "year": 2021}
HEADER = ("工作任务", "具体要求", "责任部门")
_GROUP = re.compile(r"^[一二三四五六七八九十]+、")
_TASK = re.compile(r"^\d+\.")


def _rows() -> list[list[str | None]]:
    """The seed's table as rows of (group, task, units), None where a merged cell continues."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines()[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
        group = next((c for c in cells if _GROUP.match(c)), None)
        task = next(c for c in cells if _TASK.match(c))
        after = cells[cells.index(task) + 1:]
        rows.append([group, task, after[0] if after else None])
    return rows


def _spans(rows, col):
    """(first, last) row index of each merged cell of a column."""
    starts = [i for i, r in enumerate(rows) if r[col] is not None]
    return [(s, (starts[k + 1] - 1) if k + 1 < len(starts) else len(rows) - 1) for k, s in enumerate(starts)]


def _signature(rec):
    return [(t.number, re.sub(r"\s+", "", t.text_norm), sorted((a.canonical, a.role) for a in t.assignments))
            for t in rec.tasks]


@pytest.fixture(scope="module")
def text_version():
    return load_file(SEED, META)


def _docx_bytes() -> bytes:
    import docx

    rows = _rows()
    d = docx.Document()
    d.add_paragraph("台山市文化广电旅游体育局2021年政务公开工作任务分工")
    table = d.add_table(rows=len(rows) + 1, cols=3)
    for c, h in enumerate(HEADER):
        table.cell(0, c).text = h
    for col in (0, 2):
        for first, last in _spans(rows, col):
            cell = table.cell(first + 1, col)
            if last > first:
                cell = cell.merge(table.cell(last + 1, col))
            cell.text = rows[first][col]
    for i, r in enumerate(rows):
        table.cell(i + 1, 1).text = r[1]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx_bytes() -> bytes:
    import openpyxl

    rows = _rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(list(HEADER))
    for r in rows:
        ws.append([r[0], r[1], r[2]])
    for col in (0, 2):
        for first, last in _spans(rows, col):
            if last > first:
                ws.merge_cells(start_row=first + 2, end_row=last + 2, start_column=col + 1, end_column=col + 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html_bytes() -> bytes:
    from html import escape

    rows = _rows()
    spans = {col: dict(_spans(rows, col)) for col in (0, 2)}
    trs = ["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"]
    for i, r in enumerate(rows):
        tds = []
        for col in range(3):
            if r[col] is None:
                continue
            span = spans[col][i] - i + 1 if col in spans else 1
            attr = f' rowspan="{span}"' if span > 1 else ""
            tds.append(f"<td{attr}>{escape(r[col])}</td>")
        trs.append("<tr>" + "".join(tds) + "</tr>")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>台山市人民政府门户网站</title>
<script>var _hmt = _hmt || [];</script><style>.nav{{color:red}}</style></head><body>
<header><div class="logo">台山市人民政府门户网站</div></header>
<nav><ul><li>首页</li><li>政务公开</li><li>政务服务</li></ul></nav>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 工作动态</div>
<div class="share">分享到：<button>微信</button><button>微博</button></div>
<div class="info">发布日期：2021-06-01　浏览次数：1024　【打印】【关闭】</div>
<h1>台山市文化广电旅游体育局2021年政务公开工作任务分工</h1>
<table border="1">{''.join(trs)}</table>
<div class="tools">【打印本页】【关闭窗口】</div>
<footer>主办单位：台山市人民政府办公室　网站标识码：4407810001</footer>
</body></html>"""
    return page.encode("utf-8")


def _pdf_bytes() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = ["台山市文化广电旅游体育局2021年政务公开工作任务分工"]
    for group, task, units in _rows():
        # The table flattened to paragraphs, as a word processor prints it: heading, task, units.
        if group:
            lines.append(group)
        lines += [task[i:i + 50] for i in range(0, len(task), 50)]
        if units:
            lines.append(units)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for line in lines:
        if y < 50:
            c.showPage()
            y = 800
        c.setFont("STSong-Light", 10)
        c.drawString(40, y, line)
        y -= 14
    c.save()
    return buf.getvalue()


def _pdf_table_bytes() -> bytes:
    """The seed as a ruled PDF table over several pages, merged cells drawn as spans."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    rows = _rows()
    data = [[Paragraph(h, style) for h in HEADER]]
    data += [[Paragraph(c, style) if c else "" for c in r] for r in rows]
    spans = [("SPAN", (col, first + 1), (col, last + 1)) for col in (0, 2) for first, last in _spans(rows, col)
             if last > first]
    table = Table(data, colWidths=[110, 290, 110], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph("台山市文化广电旅游体育局2021年政务公开工作任务分工", style), table])
    return buf.getvalue()


def _mhtml_bytes() -> bytes:
    from renditions import mhtml

    return mhtml(_html_bytes(), "utf-8")


MAKERS = {"docx": _docx_bytes, "xlsx": _xlsx_bytes, "html": _html_bytes, "pdf": _pdf_bytes, "mhtml": _mhtml_bytes}


def test_pdf_ruled_table_with_spans_gives_the_text_versions_tasks_and_units(text_version, tmp_path):
    path = tmp_path / "001_table.pdf"
    path.write_bytes(_pdf_table_bytes())
    rec = load_file(path, META)
    assert rec.document.format == "pdf"
    assert _signature(rec) == _signature(text_version)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_every_format_gives_the_text_versions_tasks_and_units(fmt, text_version, tmp_path):
    path = tmp_path / f"001.{fmt}"
    path.write_bytes(MAKERS[fmt]())
    rec = load_file(path, META)
    assert rec.document.format == fmt
    assert len(rec.tasks) == 33
    assert _signature(rec) == _signature(text_version)


def test_docx_merged_cells_are_inherited_like_the_flattened_table(tmp_path):
    path = tmp_path / "001.docx"
    path.write_bytes(_docx_bytes())
    by = {t.number: t for t in load_file(path, META).tasks}
    assert by["2"].inherited_units and not by["1"].inherited_units
    assert [a.short_name for a in by["33"].assignments] == ["办公室"]


def test_html_site_chrome_stays_out_of_tasks_and_sections(tmp_path):
    path = tmp_path / "001.html"
    path.write_bytes(_html_bytes())
    rec = load_file(path, META)
    words = ("浏览次数", "分享到", "打印", "首页", "网站标识码")
    for t in rec.tasks:
        assert not any(w in t.text_norm for w in words)
    assert len([s for s in rec.sections if s.scope == "plan"]) == 15


def _layout_html_bytes() -> bytes:
    """An older site's page: the plan's table inside a layout table, beside a related-links column,
    with a share bar and hidden spam marked only by class and style."""
    page = _html_bytes().decode("utf-8")
    page = page.replace("<h1>", '<table class="layout"><tr><td><div class="bdshare">分享到：微信 1.微博</div><h1>')
    page = page.replace('</table>\n<div class="tools">', '</table></td><td><ul class="related"><li>1.相关文章'
                                                            '</li></ul></td></tr></table>\n<div class="tools">')
    page = page.replace("<footer>", '<div style="display: none">1.隐藏的链接文字</div><footer>')
    return page.encode("utf-8")


def test_html_layout_table_and_class_marked_chrome_leave_the_plan_as_it_is(text_version, tmp_path):
    path = tmp_path / "layout.html"
    path.write_bytes(_layout_html_bytes())
    rec = load_file(path, META)
    assert _signature(rec) == _signature(text_version)


def _docx_numbered_bytes() -> bytes:
    """The seed as paragraphs whose numbers Word draws itself (numbering.xml): headings 一、 二、 …,
    tasks 1. 2. … counting on across headings; the typed text holds no number."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    for aid, fmt, text in (("90", "chineseCounting", "%1、"), ("91", "decimal", "%1.")):
        numbering.insert(0, parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="{aid}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {w} w:numId="{aid}"><w:abstractNumId w:val="{aid}"/></w:num>'))

    def numbered(text, num_id):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))

    d.add_paragraph("台山市文化广电旅游体育局2021年政务公开工作任务分工")
    for group, task, units in _rows():
        if group:
            numbered(_GROUP.sub("", group), "90")
        numbered(_TASK.sub("", task), "91")
        if units:
            d.add_paragraph(units)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_automatic_numbering_is_read_as_printed(text_version, tmp_path):
    path = tmp_path / "numbered.docx"
    path.write_bytes(_docx_numbered_bytes())
    rec = load_file(path, META)
    assert [s.number for s in rec.sections if s.depth == 1][-1] == "十五"
    assert _signature(rec) == _signature(text_version)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_format_is_told_by_content_not_by_extension(fmt, tmp_path):
    data = MAKERS[fmt]()
    assert detect_format(data, "plan.txt") == fmt
    path = tmp_path / "misnamed.txt"
    path.write_bytes(data)
    assert load_file(path, META).document.format == fmt


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
def test_seed_reads_the_same_in_every_chinese_encoding(encoding, text_version, tmp_path):
    path = tmp_path / "001.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    assert _signature(load_file(path, META)) == _signature(text_version)


def test_traditional_seed_reads_the_same_in_big5(tmp_path):
    """Seed 002 is in traditional script; Big5 holds its plan (a character Big5 lacks is dropped from
    both versions alike)."""
    src = SEEDS / "002_cf2d3c68f4e2a2f4.txt"
    text = src.read_text(encoding="utf-8")
    text = "".join(ch for ch in text if _big5_ok(ch))
    meta = {"level": "county", "region": "广州市黄埔区", "year": 2022}
    utf8 = tmp_path / "u.txt"
    utf8.write_bytes(text.encode("utf-8"))
    big5 = tmp_path / "b.txt"
    big5.write_bytes(text.encode("big5"))
    a, b = load_file(utf8, meta), load_file(big5, meta)
    assert len([t for t in b.tasks if t.number.isdigit()]) == 64
    assert _signature(a) == _signature(b)
    assert b.document.script == "zh-Hant"


def _big5_ok(ch: str) -> bool:
    try:
        ch.encode("big5")
        return True
    except UnicodeEncodeError:
        return False


def test_xlsx_ledger_date_cells_and_line_breaks(tmp_path):
    """A 台账 sheet as offices keep it: a real date in 完成时限, units on two lines of one cell."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "责任单位", "完成时限"])
    ws.append([1, "主动公开基层政务公开标准目录。", "区政务公开办牵头\n区司法局配合", dt.datetime(2021, 11, 20)])
    ws.append([2, "做好政策解读工作。", "区发展改革局\n区财政局", "长期"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    rec = load_file(path, {"region": "广州市黄埔区", "year": 2021})
    by = {t.number: t for t in rec.tasks}
    assert by["1"].deadlines == ["2021-11-20"]
    assert [(a.short_name, a.role) for a in by["1"].assignments] == [("区政务公开办", "lead"), ("区司法局", "cooperate")]
    assert [a.canonical for a in by["2"].assignments] == ["广州市黄埔区发展改革局", "广州市黄埔区财政局"]
    assert by["2"].deadlines == ["长期"]


def test_pdf_unruled_table_lines_with_bare_numbers(tmp_path):
    """A PDF of a table without rules: each row one line of columns separated by spaces."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    source = Path(__file__).resolve().parent / "fixtures" / "loaders" / "deqing_bare_number_table.txt"
    meta = {"region": "湖州市德清县", "year": 2022}
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 8)
    for i, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
        c.drawString(30, 800 - 14 * i, line)
    c.save()
    path = tmp_path / "deqing.pdf"
    path.write_bytes(buf.getvalue())
    rec = load_file(path, meta)
    assert [t.number for t in rec.tasks] == ["1", "2", "3"]
    assert _signature(rec) == _signature(load_file(source, meta))
    assert [t.deadlines for t in rec.tasks] == [["2022-06-30"], ["长期"], ["每半年"]]


def _paragraph_html(lines: list[str]) -> bytes:
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (f'<!DOCTYPE html><html><head><meta charset="gbk"><title>政府信息公开</title></head><body>'
            f'<nav>首页 政务公开</nav><div class="share">分享到</div><div id="content">{body}</div>'
            f"<footer>网站标识码</footer></body></html>").encode("gb18030")


@pytest.mark.parametrize("seed, meta", [
    ("002_cf2d3c68f4e2a2f4.txt", {"level": "county", "region": "广州市黄埔区", "year": 2022}),
    ("003_faeede1183fd7fea.txt", {"level": "national", "year": 2021}),
    ("004_ff0872cb27d26d6e.txt", {"level": "county", "region": "咸宁市赤壁市", "year": 2020}),
])
@pytest.mark.parametrize("fmt", ["docx", "html", "mht", "mht-base64"])
def test_paragraph_documents_read_the_same_in_docx_and_gbk_html(seed, meta, fmt, tmp_path):
    """Seeds that are paragraphs (a table flattened to paragraphs, a narrative, prose with a
    one-cell-per-line annex) as a word processor or a GBK web page holds them, the page saved as it is
    or as one file (.mht: quoted-printable as Chrome writes it, base64 beside a frame as IE does)."""
    from renditions import mhtml

    source = SEEDS / seed
    lines = [l.strip() for l in source.read_text(encoding="utf-8").splitlines() if l.strip()]
    path = tmp_path / f"{seed}.{fmt.split('-')[0]}"
    if fmt == "docx":
        path.write_bytes(paragraph_docx(lines))
    elif fmt == "html":
        path.write_bytes(_paragraph_html(lines))
    else:
        path.write_bytes(mhtml(_paragraph_html(lines), "gbk", "base64" if fmt.endswith("base64") else
                               "quoted-printable", frames=fmt.endswith("base64")))
    rec = load_file(path, meta)
    assert _signature(rec) == _signature(load_file(source, meta))
    assert [s.path for s in rec.sections] == [s.path for s in load_file(source, meta).sections]


@pytest.mark.parametrize("fixture, fmt", [
    (f, fmt) for f in ("city_labelled_unit_lines.txt", "city_unit_line_after_each_paragraph.txt")
    for fmt in ("docx", "html", "pdf")] + [(f, fmt) for f in (
        "bureau_unnumbered_task_table.txt", "district_measures_under_merged_task.txt", "bureau_cell_per_line_table.txt",
        "department_ledger_with_status.txt", "city_table_with_part_and_section_cells.txt",
        "town_unnumbered_cell_per_line_table.txt") for fmt in ("html", "pdf")] + [
    (f, fmt) for f in ("city_section_unit_lines.txt", "bureau_inline_labels_of_sections.txt",
                       "city_notes_with_deadlines.txt", "county_bracket_numbers_and_unit_sentences.txt")
    for fmt in ("docx", "html", "pdf")])
def test_plans_of_forms_the_seeds_lack_read_the_same_in_docx_html_and_pdf(fixture, fmt, tmp_path):
    """Labelled unit lines (a 牵头单位: line right under a line that reaches the PDF's margin stays its
    own line), a unit line after each paragraph, a table whose rows carry no number."""
    from renditions import paragraph_pdf, pipe_table_pdf

    source = Path(__file__).resolve().parent / "fixtures" / "loaders" / fixture
    lines = [l.strip() for l in source.read_text(encoding="utf-8").splitlines() if l.strip()]
    path = tmp_path / f"plan.{fmt}"
    if fmt == "pdf":
        path.write_bytes(pipe_table_pdf(lines) if any("|" in l and l.strip("| ") for l in lines) else paragraph_pdf(lines))
    elif fmt == "docx":
        path.write_bytes(paragraph_docx(lines))
    else:
        path.write_bytes(_paragraph_html(lines))
    text = load_file(source, None)
    rec = load_file(path, None)
    assert _signature(rec) == _signature(text) and text.tasks
    assert [t.deadlines for t in rec.tasks] == [t.deadlines for t in text.tasks]


def test_docx_text_boxes_are_read_once_and_tracked_changes_as_accepted(tmp_path):
    """Word writes a text box twice (mc:Choice, and mc:Fallback for older readers) and keeps tracked changes
    in the file: the box's words are read once; a tracked insertion is read, a deletion and the place a
    move took text from are not (the document as it reads with the changes accepted)."""
    import zipfile

    data = paragraph_docx(["某县2022年政务公开工作要点", "一、总体要求", "1.做好信息公开。(县财政局牵头)"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>县政府办公室文件</w:t></mc:Choice>'
           '<mc:Fallback><w:t>县政府办公室文件</w:t></mc:Fallback></mc:AlternateContent></w:r>')
    if "xmlns:mc=" not in doc:
        doc = doc.replace("<w:document ", '<w:document xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ', 1)
    doc = doc.replace("<w:body>", f"<w:body><w:p>{box}</w:p>", 1).replace(
        "<w:t>1.做好信息公开。", "<w:t>1.做好</w:t></w:r><w:moveFrom><w:r><w:t>政务</w:t></w:r></w:moveFrom><w:del><w:r>"
        "<w:delText>旧</w:delText></w:r></w:del><w:ins><w:r><w:t>信息</w:t></w:r></w:ins><w:r><w:t>公开。", 1)
    parts["word/document.xml"] = doc.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, body in parts.items():
            z.writestr(n, body)
    path = tmp_path / "plan.docx"
    path.write_bytes(out.getvalue())
    from loaders.read import read_blocks

    assert [b.cells[0] for b in read_blocks(path)[1]][:1] == ["县政府办公室文件"]
    rec = load_file(path)
    assert [t.text for t in rec.tasks] == ["做好信息公开。(县财政局牵头)"]
    assert [(a.canonical, a.role) for a in rec.tasks[0].assignments] == [("县财政局", "lead")]


def test_a_ledgers_hidden_sheet_of_drop_down_lists_is_no_part_of_the_plan(text_version, tmp_path):
    """A 台账 template keeps the lists its drop-downs offer (units, 已完成/推进中) on a hidden sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_xlsx_bytes()))
    lists = wb.create_sheet("字典", 0)
    for value in ("台山市文化广电旅游体育局", "已完成", "推进中", "1.做好政策解读"):
        lists.append([value])
    lists.sheet_state = "hidden"
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    assert _signature(load_file(path, META)) == _signature(text_version)
