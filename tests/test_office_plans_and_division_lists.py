"""Patterns of bureaus' and offices' own 政务公开 plans earlier sessions had not seen (a 分工方案 whose cells
were glued with nothing between them, its deadline on its units; a bureau calling itself 市局; an office's
plan titled with its own name; a notice whose signature lost its date; a 工作分工 list written `unit  duties`),
each on a short text of our own: lined, and flattened the way a crawler joins paragraphs (a space) or a
table's cells (nothing)."""
from __future__ import annotations

import pytest

from plans import load_text as _load
from loaders.units import parse_units


def _units(rec):
    return {t.number: sorted(a.canonical for a in t.assignments) for t in rec.tasks}


# A city bureau's 分工方案 whose table lost its separators: each row's requirement, its 责任科室 and its
# 完成时限 glued (…更新。办公室、法规科,市局各有关科室常态化开展), under a header glued so too.
_GLUED = ("湛江市市场监督管理局关于印发政务公开要点分工方案(2024年版)的通知\n"
          "湛江市市场监督管理局政务公开工作要点分工方案(2024年版)\n"
          "工作要求具体任务具体要求责任科室完成时限其他\n"
          "一、夯实公开基础(一)集中公开规章和文件。1. 完善本部门规章库,及时做好规章的动态更新。"
          "办公室、法规科,市局各有关科室常态化开展\n"
          "2. 建成本部门行政规范性文件库,标注文件的有效性。法规科,办公室常态化开展\n"
          "3. 按照权责清单动态调整主动公开目录,将目录列明的事项公开到位。市局各有关科室长期\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_deadline_glued_on_the_units_is_no_part_of_their_names(tmp_path, flat):
    # the row's last words (常态化开展, 长期) are its 完成时限 cell; 市局各有关科室 is the bureau's own sections
    rec = _load(tmp_path, _GLUED, flat)
    got = _units(rec)
    own = "湛江市市场监督管理局"
    assert got["1"] == sorted([own + "办公室", own + "法规科", own + "各有关科室"])
    assert got["2"] == sorted([own + "法规科", own + "办公室"])
    assert got["3"] == [own + "各有关科室"]
    assert not any(k.endswith(("开展", "长期")) for names in got.values() for k in names)


def test_a_city_bureau_calls_itself_by_its_level():
    # 市局各有关科室 in a city bureau's plan: the bureau's sections; in a county bureau's, 市局 is another body
    got = parse_units("市局各有关科室", "湛江市", "湛江市农业农村局", True)
    assert [a.canonical for a in got] == ["湛江市农业农村局各有关科室"]
    other = parse_units("市局各有关科室", "湛江市遂溪县", "遂溪县农业农村局", True)
    assert [a.canonical for a in other] != ["湛江市遂溪县农业农村局各有关科室"]


_OFFICE = ("湛江市国防动员办公室2025年政务公开工作安排及责任分解\n"
           "序号 | 公开事项 | 内容要求 | 责任科室 | 完成时限 |\n"
           "1 | 规范性文件 | 公开现行有效的规范性文件全文,与解读相互关联。 | 综合科 | 长期 |\n"
           "2 | 重大决策预公开 | 公布决策草案及意见采纳情况。 | 各科室 | 长期 |\n")


def test_an_office_that_opens_its_plans_title_issues_it(tmp_path):
    # 湛江市国防动员办公室2025年…: not a government's general office, its own body; its 综合科 is its own
    rec = _load(tmp_path, _OFFICE)
    assert rec.document.issuer == "湛江市国防动员办公室"
    assert _units(rec)["1"] == ["湛江市国防动员办公室综合科"]


_UNDATED = ("一、工作分工\n"
            "局办公室负责协调督促,局法规处负责合法性审查。\n"
            "二、有关要求\n"
            "(一)加强领导。各部门要把政务公开工作摆上重要议事日程。\n"
            "(二)抓好落实。要切实做好政务公开监督检查工作,确保各项工作落实到位。\n"
            "湛江市住房和城乡建设局\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_signature_that_lost_its_date_is_no_unit_of_the_last_task(tmp_path, flat):
    # the organ's name alone after the closing sentence signs the notice (its date cut from the excerpt)
    rec = _load(tmp_path, _UNDATED, flat)
    last = [t for t in rec.tasks if t.section[-1:] == ("(二)",)]
    assert last and all(not t.assignments for t in last)


def test_unit_lines_after_each_task_stay_their_units(tmp_path):
    # a plan printing each task's units on a line of its own: its last line is the last task's units
    text = ("遂溪县2024年政务公开工作要点\n一、重点任务\n1.做好预算公开工作。\n遂溪县财政局\n"
            "2.做好规划公开工作。\n遂溪县自然资源局\n")
    rec = _load(tmp_path, text)
    assert [sorted(a.short_name for a in t.assignments) for t in rec.tasks] == [["遂溪县财政局"], ["遂溪县自然资源局"]]


_DIVISION = ("湛江市财政局政务公开工作规定\n"
             "一、组织保障\n"
             "设立政务公开工作领导小组,办公室为牵头部门,其他处室负责具体工作任务。\n"
             "二、工作分工\n"
             "办公室  组织管理市局主动公开政府信息的事宜;负责统一受理政府信息公开申请;组织编制政府信息公开年度报告。\n"
             "法规处  负责规范性文件的法律审核;负责参与政府信息公开的保密审核工作。\n"
             "人教处  负责将政务公开工作列入绩效考核内容。\n"
             "三、监督考核\n"
             "政务公开要纳入工作目标绩效考评体系。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_division_entry_opens_with_its_unit(tmp_path, flat):
    # `办公室  组织…;统一受理…`: the unit heads every duty of its entry, never the entry before it
    rec = _load(tmp_path, _DIVISION, flat)
    want = {"组织管理": "办公室", "负责统一": "办公室", "组织编制": "办公室", "负责规范": "法规处",
            "负责参与": "法规处", "负责将政": "人教处"}
    got = {t.text_norm[:4]: [a.short_name for a in t.assignments] for t in rec.tasks if t.section[:1] == ("二",)}
    assert got == {k: [v] for k, v in want.items()}


def test_a_division_entry_with_a_colon(tmp_path):
    text = _DIVISION.replace("办公室  ", "办公室:").replace("法规处  ", "法规处:").replace("人教处  ", "人教处:")
    rec = _load(tmp_path, text)
    assert sorted({a.short_name for t in rec.tasks for a in t.assignments}) == ["人教处", "办公室", "法规处"]


def test_other_units_in_prose_open_no_table(tmp_path):
    # …牵头单位要主动担当,其他责任单位要全力配合…: 其他 before a unit column's word is prose, no header; only a
    # glued header's last word (…完成时限其他) is a column of remarks
    text = ("某局关于印发2021年政务公开工作主要任务分解表的通知 局机关各处室、各直属单位:现印发给你们,"
            "并就有关要求通知如下:一、各单位要认真对照工作任务,细化推进方案和工作举措,确保任务落到实处。"
            "局机关各处室要强化协同配合,牵头单位要主动担当尽责,其他责任单位要全力配合实施,合力推动工作开展。"
            "二、各单位要强化责任担当,主要负责人要切实负起第一责任,确保各项任务落到实处。"
            "三、每年要对上一年度政务公开工作要点落实情况开展回头看,纳入年度报告予以公开。")
    rec = _load(tmp_path, text)
    assert [t.number for t in rec.tasks][:3] == ["一.1", "一.2", "二.1"]
