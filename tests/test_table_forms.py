"""A task table in the forms a table travels in besides its lines of ``|`` cells: copied from a page or
a sheet into a text file (cells parted by tabs), saved as CSV by Excel on a Chinese desktop (GBK, the
title row padded with empty cells) or as TSV, an XLSX sheet with its empty cells, a Word document that
prints a row a paragraph (cells parted by | or by tabs), a page's text that prints each cell as a
paragraph with nothing between them (or a page whose table is drawn with <div>s, or whose cells are
<span>s glued in their row), a page's real table, the text as a crawler flattens it (a space between
paragraphs, nothing between cells; or nothing at all), or the whole text on one line with a wide space
between a row's cells. Each must give the graph the lined table gives: every shared document and loader fixture whose
table prints its rows, in every form.
Before, the tab-parted lines gave 47 of 266 (task, unit, role) triples, the CSV 1, the XLSX 215 (a row
with an empty 配合单位 cell read its lead as the cooperator), a cell a paragraph nothing at all, the
wide-spaced line 190 (a row's second unit cell replaced its first); in Word, 5 of 16 tables kept their
triples (a paragraph was never a row, and a run's tab was dropped, gluing the cells); a page's
<span> cells 5 of 16.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import re
from html import escape
from pathlib import Path

import openpyxl
import pytest

from loaders import load_file
from renditions import paragraph_docx, paragraph_pdf

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
_PIPE_ROW = re.compile(r"\S[ \t]*\|[ \t]*\S")


def _documents() -> list[Path]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    files += sorted((HERE / "fixtures" / "loaders").glob("*.txt"))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    # rows of cells on a line, or a cell a line closed by a bare | line
    return [f for f, t in texts.items()
            if sum(1 for line in t.splitlines() if _PIPE_ROW.search(line)) >= 3 or t.count("\n|\n") >= 5]


def _rows(text: str) -> list[list[str]]:
    """The document's lines, a pipe row as its cells (empty ones kept), any other line one cell; a bare
    ``|`` line (a cell a line's separator) is no row."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s == "|":
            continue
        out.append([c.strip() for c in s.strip("|").split("|")] if "|" in s else [s])
    return out


def _csv(rows: list[list[str]], delimiter: str) -> str:
    width = max(len(r) for r in rows)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        writer.writerow(r + [""] * (width - len(r)))   # as a sheet saves its title row: padded
    return buf.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append([int(c) if c.isdigit() else (c or None) for c in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _whole_rows(src: Path) -> bool:
    """Whether every row prints a cell per column (no merged cell left out), so that its cells as printed
    make a page's table faithfully: where a row leaves its merged cell out, the page has a rowspan."""
    widths = {len(r) for r in _rows(src.read_text(encoding="utf-8")) if len(r) > 1}
    return len(widths) == 1


def _table_page(rows: list[list[str]]) -> bytes:
    """A page's real table: a paragraph a one-cell line, consecutive rows one <table>, cells as printed."""
    out, inside = [], False
    for r in rows:
        if (len(r) > 1) != inside:
            out.append("<table>" if not inside else "</table>")
            inside = not inside
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" if inside else f"<p>{escape(r[0])}</p>")
    return ("<html><body>" + "".join(out) + ("</table>" if inside else "") + "</body></html>").encode("utf-8")


def _crawler(rows: list[list[str]]) -> str:
    """The rows as ../shared/tools/flatten_check.py flattens a document (a crawler's text extraction)."""
    spec = importlib.util.spec_from_file_location("flatten_check", SHARED / "tools" / "flatten_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.flatten("\n".join(" | ".join(r) + " |" if len(r) > 1 else r[0] for r in rows))


def _page(rows: list[list[str]], cell_tag: str) -> bytes:
    body = "".join(f"<p>{escape(r[0])}</p>" if len(r) == 1 else
                   '<div class="tr">' + "".join(f'<{cell_tag} class="td">{escape(c)}</{cell_tag}>' for c in r) + "</div>"
                   for r in rows)
    return f"<html><body>{body}</body></html>".encode("utf-8")


FORMS = {
    "tab-lines": ("txt", lambda rows: "\n".join("\t".join(r) for r in rows).encode("utf-8")),
    "csv-gbk": ("csv", lambda rows: _csv(rows, ",").encode("gb18030")),
    "tsv": ("tsv", lambda rows: _csv(rows, "\t").encode("utf-8-sig")),
    "xlsx": ("xlsx", _xlsx),
    "cell-a-paragraph": ("txt", lambda rows: "\n".join(c for r in rows for c in r if c).encode("utf-8")),
    # typed or pasted into Word, a paragraph a row: its cells parted by | or by tabs (tab-aligned columns)
    "docx-pipes": ("docx", lambda rows: paragraph_docx([" | ".join(r) for r in rows])),
    "docx-tabs": ("docx", lambda rows: paragraph_docx(["\t".join(r) for r in rows])),
    # printed to PDF as lines of | cells, long rows wrapped at the margin
    "pdf-pipe-lines": ("pdf", lambda rows: paragraph_pdf([" | ".join(r) for r in rows])),
    # a page's real table, a row's cells as printed (an empty one kept)
    "html-table": ("html", _table_page),
    # a page whose table is drawn with blocks: a cell a <div> (a line each), or a <span> (glued in its row)
    "html-div-cells": ("html", lambda rows: _page(rows, "div")),
    "html-span-cells": ("html", lambda rows: _page(rows, "span")),
    # a crawler's text: paragraphs joined by a space, a table's cells and rows by nothing; or all by nothing
    "crawler-space": ("txt", lambda rows: _crawler(rows).encode("utf-8")),
    "crawler-nothing": ("txt", lambda rows: _crawler(rows).replace(" ", "").encode("utf-8")),
    # its line breaks lost, a row's cells parted by a wide space (a PDF's text as a layout extractor gives it)
    "flat-wide-spaces": ("txt", lambda rows: " ".join("  ".join(c for c in r if c) for r in rows).encode("utf-8")),
}


def _graph(rec) -> tuple[list, set]:
    return ([t.number for t in rec.tasks],
            {(t.number, a.canonical, a.role) for t in rec.tasks for a in t.assignments})


def test_the_shared_tables_are_found():
    names = {f.name for f in _documents()}
    assert len(names) >= 15 and "001_04c5faad0ae32447.txt" in names and "2021_guangzhou_water_bureau.txt" in names


# Its line breaks lost, a row printed without its empty 配合单位 cell (区财政局  年底前) cannot be told from
# one whose only unit is the cooperator's: the wide space a layout extractor leaves varies with the
# columns' widths, so it is no sign of an empty cell. (Joined by one space or by nothing, the rule that
# a lone named body is the lead reads it: tests/test_flat.py.)
_AMBIGUOUS = {("flat-wide-spaces", "district_lead_and_cooperate_columns"),
              # a mirror's pinyin gloss, 执(zhí), opens a wrapped line: read as a new paragraph, the row's
              # last unit names are lost
              ("pdf-pipe-lines", "2022_guangzhou_city")}


@pytest.mark.parametrize("form,src", [
    pytest.param(form, src, id=f"{form}-{src.stem}", marks=[pytest.mark.xfail(strict=True, reason="see _AMBIGUOUS")]
                 if (form, src.stem) in _AMBIGUOUS else [])
    for form in sorted(FORMS) for src in _documents() if form != "html-table" or _whole_rows(src)])
def test_a_table_gives_the_same_graph_in_every_form_it_travels_in(form, src, tmp_path):
    ext, render = FORMS[form]
    lined = _graph(load_file(src, None))
    assert lined[0], src.name
    other = tmp_path / f"{src.stem}.{ext}"
    other.write_bytes(render(_rows(src.read_text(encoding="utf-8"))))
    assert _graph(load_file(other, None)) == lined


def test_a_table_a_cell_a_paragraph_keeps_each_tasks_source_line(tmp_path):
    """Joined to be read as the table flattened, each row still names the line its words are on."""
    src = HERE / "fixtures" / "loaders" / "bureau_unnumbered_task_table.txt"
    other = tmp_path / "plan.txt"
    other.write_bytes(FORMS["cell-a-paragraph"][1](_rows(src.read_text(encoding="utf-8"))))
    lines = other.read_text(encoding="utf-8").splitlines()
    tasks = load_file(other, None).tasks
    assert len(tasks) == 7
    assert all(lines[t.line - 1] and t.text.strip()[:4] in lines[t.line - 1] for t in tasks)
    assert [t.line for t in tasks if t.section == ("二",)] == [11, 15, 19, 23]


def test_a_csv_reads_its_title_row_and_quoted_cells(tmp_path):
    """A comma inside a cell (quoted by the writer) stays in its cell; the padded title row is the title."""
    src = HERE / "fixtures" / "loaders" / "district_lead_and_cooperate_columns.txt"
    other = tmp_path / "plan.csv"
    other.write_bytes(FORMS["csv-gbk"][1](_rows(src.read_text(encoding="utf-8"))))
    assert b'"' in other.read_bytes()
    rec = load_file(other, None)
    assert rec.document.format == "csv"
    assert rec.document.title == load_file(src, None).document.title
    assert ("2", "区财政局", "lead") in _graph(rec)[1]
    assert any("," in t.text or "，" in t.text for t in rec.tasks)


def test_a_broken_csv_is_one_problem_naming_the_file(tmp_path):
    from core.errors import LoadError

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'a,b\n"' + b"x" * 200_000 + b'"\n')
    with pytest.raises(LoadError) as err:
        load_file(bad, None)
    assert "bad.csv" in str(err.value) and "CSV" in str(err.value)


def test_a_heading_whose_number_a_tab_parts_from_its_words_is_a_heading(tmp_path):
    """一、<tab>总体要求: a Word list copied as text; the tab is no cell border."""
    doc = tmp_path / "plan.txt"
    doc.write_text("某县2022年政务公开工作要点\n一、\t加强政策公开\n1.\t做好预算公开。(县财政局负责)\n", encoding="utf-8")
    rec = load_file(doc, None)
    assert [s.path for s in rec.sections][:1] == [("一",)]
    assert [(t.number, [a.canonical for a in t.assignments]) for t in rec.tasks] == [("1", ["县财政局"])]


def test_rows_whose_cells_wide_spaces_part_read_as_the_pipe_rows_do(tmp_path):
    """A page that prints a table a row a line with wide spaces between the cells (a row that lost its
    merged first cell has one cell fewer): the same tasks and units as its `|` form."""
    rows = [("工作任务", "具体要求", "责任科室"),
            ("一、做好预算公开。", "1.及时公开本局预算、决算。", "财务科"),
            ("2.及时更新网站栏目。", "办公室牵头,各科室配合"),
            ("二、做好政策解读。", "3.对本局政策开展解读。", "各科室")]
    head = "某局2023年政务公开工作任务分解\n"
    piped, wide = tmp_path / "piped.txt", tmp_path / "wide.txt"
    piped.write_text(head + "".join(" | ".join(r) + " |\n" for r in rows), encoding="utf-8")
    wide.write_text(head + "".join("\u3000\u3000".join(r) + "\n" for r in rows), encoding="utf-8")

    def got(path):
        return [(t.number, [(a.name, a.role) for a in t.assignments]) for t in load_file(path, None).tasks]
    assert got(wide) == got(piped) == [
        ("1", [("财务科", "implement")]), ("2", [("办公室", "lead"), ("各科室", "cooperate")]),
        ("3", [("各科室", "implement")])]


def test_a_unit_cells_lines_that_end_with_their_own_role_word_are_clauses_of_their_own(tmp_path):
    """A 责任单位 cell of two paragraphs, each with its role (…按职责分工分别落实 / 各镇(街区)分别落实),
    printed one cell a paragraph: no role word is read as part of a name."""
    doc = tmp_path / "plan.txt"
    doc.write_text("某市2019年政务公开重点工作任务分工\n\n工作任务\n\n具体要求\n\n责任单位\n\n时限要求\n\n"
                   "一、做好重点领域信息公开\n\n1.推进重大项目信息公开\n\n动态公开重大项目推进落实情况。\n\n"
                   "市发改局牵头落实;市财政局、市投资促进中心按职责分工分别落实\n\n各镇(街区)分别落实\n\n"
                   "2.推进乡村振兴信息公开\n\n加强乡村振兴政策、资金信息公开。\n\n市农业农村局牵头落实\n\n",
                   encoding="utf-8")
    tasks = load_file(doc, None).tasks
    assert [(a.name, a.role) for a in tasks[0].assignments] == [
        ("市发改局", "lead"), ("市财政局", "implement"), ("市投资促进中心", "implement"), ("各镇(街区)", "implement")]


def test_a_table_one_cell_a_line_without_bars_whose_numbers_are_lines_of_their_own(tmp_path):
    """序号 | 具体要求 | 责任单位 | 完成时限 printed one cell a line, with and without a `|` line after each
    cell: the same numbered tasks and units (without the bars a row's text was cut at its ';' and a
    row lost, its number lines ignored)."""
    rows = [("1", "聚焦重点工作,及时规范发布政策信息及执行效果。", "各区直部门、各镇(办)", "持续推进"),
            ("2", "集中发布政务服务事项目录;动态更新涉企收费清单,助力优化营商环境。", "区数据资源局、区发改委等相关区直部门", "持续推进"),
            ("3", "常态化公开就业、住房、教育等领域信息。", "区人社局等相关区直部门,各镇(办)、经开区", "年底前")]
    head = ["某区2024年政务公开工作任务清单", "序号", "具体要求", "责任单位", "完成时限", "一、深入推进政策公开"]
    cells = [c for r in rows for c in r]
    bare, barred = tmp_path / "bare.txt", tmp_path / "barred.txt"
    bare.write_text("\n".join(head + cells) + "\n", encoding="utf-8")
    barred.write_text(head[0] + "\n" + "".join(f"{c}\n|\n" for c in head[1:5]) + head[5] + "\n|\n"
                      + "".join(f"{c}\n|\n" for c in cells), encoding="utf-8")

    def got(path):
        return [(t.number, [a.name for a in t.assignments]) for t in load_file(path, None).tasks]
    assert got(bare) == got(barred) == [
        ("1", ["各区直部门", "各镇(办)"]), ("2", ["区数据资源局", "区发改委", "相关区直部门"]),
        ("3", ["区人社局", "相关区直部门", "各镇(办)", "经开区"])]


def test_a_row_whose_requirement_has_no_full_stop_keeps_its_unit_cell_in_every_form(tmp_path):
    """A table with no 序号 column (重点任务 | 工作内容 | 负责科室) whose one row's requirement has no full
    stop before its unit cell: joined with nothing (…信息发布综合科财政资金…), its units were glued to the
    text and the rows after it merged into it; one cell a line or a tab apart, the row made no task and
    gave its unit cell to the row above. The table's other rows print the same cell where it ends them."""
    rows = [("政策解读", "对本局起草的政策文件进行全面解读,创新解读形式,便于群众理解。", "各责任科室"),
            ("回应关切", "对群众普遍关注的热点问题及时、主动回应。", "各业务科室"),
            ("政务服务", "注重政务服务办理流程、办理结果等信息发布", "综合科"),
            ("财政资金", "及时发布财政预决算、部门项目信息,自觉接受群众监督。", "综合科"),
            ("制度建设", "局综合科要建立完善的政府信息公开制度,保障政务公开工作有序推进。", "综合科")]
    head = "某县某局2020年政务公开工作要点\n重点任务 | 工作内容 | 负责科室 |\n"
    piped = head + "".join(" | ".join(r) + " |\n" for r in rows)
    cells = [c for line in piped.splitlines() for c in (x.strip() for x in line.split("|")) if c]
    forms = {"piped": piped, "tabs": piped.replace(" | ", "\t").replace(" |", ""),
             "nothing": cells[0] + " " + "".join(cells[1:]) + "\n",
             "one line of tabs": "\t".join(cells) + "\n", "a cell a line": "\n".join(cells) + "\n"}
    want = [(str(i + 1), [r[2]]) for i, r in enumerate(rows)]
    for name, text in forms.items():
        p = tmp_path / f"{len(text)}.txt"
        p.write_text(text, encoding="utf-8")
        got = [(t.number, [a.name for a in t.assignments]) for t in load_file(p, None).tasks]
        assert got == want, name
