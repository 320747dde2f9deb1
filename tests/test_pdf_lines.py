"""Text whose line breaks became spaces or tabs, as a PDF's or a page's extraction gives it.

Short texts of our own:
- a PDF's printed lines joined by spaces, a line wrapped before its sentence's first comma (…重大建设项目
  批 准和实施…): every line but a paragraph's last runs the page's full width, so a full line goes on in the
  next, and the task stays one task;
- a document on one line, a tab where each line ended: a heading's short title is a line of its own, so the
  heading's prose is its tasks (not part of its title).
"""
from __future__ import annotations

import pytest

from loaders import load_file

# A PDF page's lines: 30 characters each, a paragraph's first indented by two; a short line ends a paragraph.
PARAGRAPHS = [
    "某某市人民政府办公室关于印发某某市2021年政务公开工作要点的通知",
    "各县(市、区)人民政府,市政府各部门:",
    "现将《某某市2021年政务公开工作要点》印发给你们,请认真贯彻落实。",
    "一、推进重点领域信息公开",
    "(一)做好重大项目信息公开。全市各级各部门要做好重大建设项目批准和实施领域的信息公开工作,"
    "按月更新项目进展和资金使用情况及其他相关信息,切实保障人民群众的知情权和监督权。",
    "(二)加强财政信息公开。全市各级财政部门要及时公开本级预算执行情况和政府债务限额余额情况,"
    "同时细化部门预算决算公开的内容,进一步增强财政资金使用的透明度。",
]


def _pdf_lines(paragraphs: list[str], full: int = 30) -> list[str]:
    out = []
    for p in paragraphs:
        first, p = p[:full - 2], p[full - 2:]
        out.append(first)
        while p:
            out.append(p[:full])
            p = p[full:]
    return out


PDF_LINES = _pdf_lines(PARAGRAPHS)


def _load(tmp_path, text):
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def test_a_pdf_line_wrapped_before_the_first_comma_stays_in_its_task(tmp_path):
    rec = _load(tmp_path, " ".join(PDF_LINES) + "\n")
    texts = [t.text_norm.replace(" ", "") for t in rec.tasks if t.section[:1] == ("一",)]
    assert len(texts) == 2, texts
    assert texts[0].startswith("全市各级各部门要做好重大建设项目批准和实施领域") and texts[0].endswith("监督权。")
    assert texts[1].endswith("透明度。")


@pytest.mark.parametrize("joined", ["\n", "\t"])
def test_a_document_on_one_line_parted_by_tabs_reads_as_its_lines(joined, tmp_path):
    lines = ["某某市2020年政务公开工作实施方案",
             "为贯彻落实上级政务公开工作部署,结合我市实际,制定本实施方案。",
             "一、总体要求",
             "2020年全市政务公开工作要坚持以公开促落实,全面推进决策、执行、管理、服务、结果公开。",
             "二、主要任务",
             "(一)围绕重点工作加强公开。",
             "1.更新完善权责清单并予以公开。全面梳理本机关权责事项,按要求公开。(牵头单位:市委编办;责任单位:市直各单位)",
             "2.推进机构职能目录公开。组织编写本级政府机构职能目录并向社会公开。(牵头单位:市政府办公室;责任单位:市直各单位)"]
    rec = _load(tmp_path, joined.join(lines) + "\n")
    assert [s.title for s in rec.sections if s.path == ("一",)] == ["总体要求"]
    assert [t.number for t in rec.tasks] == ["一.1", "1", "2"]
