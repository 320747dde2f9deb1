"""A unit line a lined document lost into the paragraph above it: a PDF (or a page) joins a line that
fills the width to the next one, so a plan that prints each paragraph's units on a line of their own
(…传递政策意图。 / 市金融办牵头落实) arrives with one of them glued after the paragraph's full stop. That
paragraph keeps its own units, as on its own line (not the next unit line's), in every form: lined text
with that one break lost, a table printed one cell a line, numbered items, and a real PDF. A unit line
that reaches the margin itself is so glued before the next paragraph: it is that line again too."""
from __future__ import annotations

import pytest

import renditions as R
from loaders import load_file
from loaders.blocks import Block
from loaders.formats.legacy import soffice
from loaders.read import read_blocks
from loaders.unit_tails import unit_lines_unglued

needs_office = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (scripts/test installs it)")


def _load(tmp_path, text: str, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _records(rec):
    return [(t.number, t.text, sorted((a.canonical, a.role) for a in t.assignments)) for t in rec.tasks]


# Prose under section headings, each paragraph's units on the line after it.
_PROSE = """某县2019年政务公开工作要点
一、推进决策公开
(一)做好决策预公开
对涉及群众切身利益的重大决策事项,要在决策前通过县政府网站向社会公开征求意见。
县司法局牵头落实
做好重大行政决策事项目录的编制和公开,及时公布目录中各事项的办理进展情况。
县发改局、县财政局分别牵头落实
围绕县委县政府重点工作,通过新闻发布会、在线访谈等多种形式做好政策解读工作。
县政府办牵头落实,各乡镇配合
"""

# The same as a table printed one cell a line (its header's words a line each).
_CELLS = """某区2018年政务公开重点工作安排
任务
主要内容
责任单位
一、推进政策解读
(一)解读经济政策
围绕全区经济运行情况,通过新闻发布会等形式及时开展宣传解读。
区发改局牵头落实
加强金融政策信息公开,通过政策通报会、银企对接会等多种方式,准确传递政策意图。
区金融办、人民银行某区支行分别牵头落实
加强财政信息公开,按月公开全区财政收支情况,主动说明社会关注的问题。
区财政局牵头落实,区统计局配合
"""

# Numbered items, each with its unit line.
_ITEMS = """某市2017年政务公开工作要点
一、以政务公开助力稳增长
1.加强就业创业政策信息公开,深入解读政策背景、目标任务和落实情况。
市人社局牵头落实
2.加强金融政策信息公开,通过政策通报会、银企对接会等方式,准确传递政策意图。
市金融办、人民银行某市中心支行分别牵头落实
3.加强财政信息公开,按月公开全市财政收支情况。
市财政局牵头落实,市统计局配合
二、推进政务服务公开
4.加强政务服务事项公开,及时更新办事指南。
"""


@pytest.mark.parametrize("text, end", [(_PROSE, "进展情况。"), (_CELLS, "政策意图。"), (_ITEMS, "政策意图。"),
                                       (_ITEMS, "财政收支情况。")])
def test_a_unit_line_glued_after_a_paragraphs_full_stop_names_that_paragraphs_units(tmp_path, text, end):
    lined = _load(tmp_path, text)
    glued = _load(tmp_path, text.replace(end + "\n", end), name="glued.txt")
    assert lined.tasks and _records(glued) == _records(lined)
    assert not glued.document.truncated   # (the last item's unit line glued: no row cut at the text's end)


def test_the_last_unit_line_glued_keeps_the_last_item(tmp_path):
    text = _ITEMS.split("二、")[0]
    lined = _load(tmp_path, text)
    glued = _load(tmp_path, text.replace("收支情况。\n", "收支情况。"), name="glued.txt")
    assert [t.number for t in glued.tasks] == ["1", "2", "3"] and not glued.document.truncated
    assert _records(glued) == _records(lined)


@pytest.mark.parametrize("tail", ["市财政局要按季度发布主要指标数据。", "市统计局召开新闻发布会,市财政局配合",
                                  "市财政局牵头,做好政策解读"])
def test_a_sentence_whose_subject_is_a_unit_and_says_more_stays_the_paragraphs(tmp_path, tail):
    # (…局要…, 统计局召开…, 牵头,做好…: the units are the subject of a sentence of the paragraph, no unit line)
    lines = ["1.加强就业政策公开。", "市人社局牵头落实", "2.及时准确传递政策意图。" + tail, "市发改委牵头落实"]
    out = unit_lines_unglued([Block((x,), i) for i, x in enumerate(lines, 1)], str)
    assert [b.cells[0] for b in out] == lines
    rec = _load(tmp_path, "某市2017年政务公开工作要点\n一、稳增长\n" + "\n".join(lines) + "\n")
    assert tail.rstrip("。") in rec.tasks[1].text


def test_a_document_that_writes_its_notes_inside_its_paragraphs_is_left_as_written():
    # No unit line of its own anywhere: …建设。县政务服务中心负责。 is how the plan writes it, no lost break
    lines = ["1.加强政府网站建设。县政务服务中心负责。", "2.做好政策解读。县政府办负责。"]
    blocks = [Block((x,), i) for i, x in enumerate(lines, 1)]
    assert unit_lines_unglued(blocks, str) is blocks


# A unit line a printed line long, before the next paragraph.
_LONG_UNITS = """某市2017年政务公开工作要点
一、以政务公开助力稳增长
(一)加强预期引导
加强就业创业政策信息公开,深入解读政策背景、目标任务和落实情况。
市人社局、市发改委、市财政局、市商务局、市市场监管局、市统计局按照职责分工负责
加强金融政策信息公开,及时准确传递政策意图。
市金融办牵头落实
(二)推进财政公开
做好财政预决算公开,细化公开内容。
市财政局牵头落实
"""


# The same in a table printed one cell a line, the paragraph after the long unit line reaching the
# margin too (a PDF glues all three: units, the paragraph, its own unit line).
_LONG_CELLS = """某区2018年政务公开重点工作安排
任务
主要内容
责任单位
一、推进政策解读
(一)解读经济政策
围绕全区经济运行情况,通过新闻发布会等形式及时开展宣传解读。
区人社局、区发改局、区财政局、区商务局、区市场监管局、区统计局按照职责分工负责
加强金融政策信息公开,通过政策通报会、银企对接会等多种方式,准确传递政策意图。
区金融办、人民银行某区支行分别牵头落实
加强财政信息公开,按月公开全区财政收支情况,主动说明社会关注的问题。
区财政局牵头落实,区统计局配合
"""


@pytest.mark.parametrize("text", [_LONG_UNITS, _LONG_CELLS])
def test_a_long_unit_line_glued_before_the_next_paragraph_is_its_own_line(tmp_path, text):
    lined = _load(tmp_path, text)
    glued = _load(tmp_path, text.replace("分工负责\n", "分工负责").replace("政策意图。\n", "政策意图。"), name="glued.txt")
    assert len(lined.tasks) == 3 and _records(glued) == _records(lined)


@pytest.mark.parametrize("line", [
    "县财政局负责做好预决算公开工作,按时公开部门预算。",   # a short subject: the paragraph's sentence
    "市人社局、市发改委、市财政局、市商务局、市市场监管局、市统计局负责做好就业政策的解读工作。",   # 负责 takes its object
    "市人社局牵头落实就业创业政策的解读,做好政策的宣传工作。"])   # short: no printed line's worth of names
def test_a_paragraph_whose_subject_is_its_units_is_not_cut(line):
    lines = ["1.加强就业政策公开。", "市人社局牵头落实", line]
    out = unit_lines_unglued([Block((x,), i) for i, x in enumerate(lines, 1)], str)
    assert [b.cells[0] for b in out] == lines


def test_a_unit_line_of_two_clauses_stays_one_line():
    # (市发改局牵头落实;市工信局、市财政局按职责分工分别落实: the lead, then the others, one note)
    lines = ["1.加强就业政策公开。", "市人社局牵头落实", "2.做好项目公开。", "市发改局牵头落实;市工信局、市财政局按职责分工分别落实"]
    blocks = [Block((x,), i) for i, x in enumerate(lines, 1)]
    assert unit_lines_unglued(blocks, str) is blocks


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


@needs_office
@pytest.mark.parametrize("text, joined", [(_CELLS, ("政策意图。", "牵头落实")), (_ITEMS, ("政策意图。", "牵头落实")),
                                         (_LONG_UNITS, ("分工负责", "政策意图。")),
                                         (_LONG_CELLS, ("分工负责", "政策意图。", "牵头落实"))])
def test_a_pdf_that_joins_a_full_line_to_its_unit_line_reads_as_the_text(tmp_path, text, joined):
    # Word paragraphs saved as PDF by LibreOffice: the line …准确传递政策意图。 reaches the margin, and
    # the PDF's reader joins it to the unit line under it (as it joins any line that fills the width)
    pdf = R.office_save_as(R.paragraph_docx(_lines(text)), "docx", "pdf")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    read = [b.cells[0] for b in read_blocks(path)[1]]
    assert any(all(w in b for w in joined) for b in read)   # the break is lost in this form
    assert _records(load_file(path)) == _records(_load(tmp_path, text))
