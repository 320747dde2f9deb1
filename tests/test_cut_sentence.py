"""A narrative plan whose retrieved text stops mid-sentence (a web page's opening, a download cut short).

Short texts of our own: the last sentence shows the opening of a task; an analyst counts it, so it is kept
as a task, and the document says it is truncated (so no gap is claimed on what the cut took). It is kept
whether the text simply ends or ends with a [GAP] line, and whether the line breaks survive or not.
"""
from __future__ import annotations

import re

import pytest

from loaders import load_file

PLAN = """某某区2024年政务公开工作要点
为进一步做好全区政务公开工作,结合本区实际,制定本要点。
一、聚焦重点领域,深化主动公开
(一)做好经济运行信息公开。围绕全区重点项目建设,及时公开项目审批和实施进展情况。各部门要围绕优化营商环境,加强政务"""


def _load(tmp_path, text):
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    return load_file(p)


@pytest.mark.parametrize("form", ["ends", "gap", "flattened"])
def test_the_sentence_the_text_ends_in_is_kept_as_a_task(form, tmp_path):
    text = {"ends": PLAN + "\n", "gap": PLAN + "\n[GAP]\n", "flattened": re.sub(r"\n", " ", PLAN) + "\n"}[form]
    rec = _load(tmp_path, text)
    assert rec.document.truncated
    texts = [t.text_norm for t in rec.tasks]
    assert len(texts) == 2, texts
    assert texts[-1].startswith("各部门要围绕优化营商环境") and texts[-1].endswith("加强政务")


def test_a_sentence_cut_by_a_gap_inside_the_text_is_still_dropped(tmp_path):
    """A [GAP] inside the text: what follows is another part of the page, and the cut sentence is dropped
    as before (only the end of the retrieved text keeps its last sentence)."""
    text = PLAN + "\n[GAP]\n(二)做好财政预决算信息公开。按规定公开部门预算决算。\n"
    rec = _load(tmp_path, text)
    assert [t.text_norm[:6] for t in rec.tasks if t.section[-1:] == ("(一)",)] == ["围绕全区重点"]
