"""Parse weaknesses docs/UNSEEN.md still listed (session 29): each rule on a short text of our own, after
the pattern of a real plan (中山市医保局 2021, 怀远县医保局 2025, 兴义 2021, 周村区卫健局 2021), with its lines
and without them where the plan reaches us so.
"""
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
