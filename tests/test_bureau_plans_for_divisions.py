"""Patterns of the bottom of the ladder (a county's 政府工作报告 分解 by its 卫健委, a district bureau's
要点 for its 科室, a county bureau's 实施方案 for its 股室, a province department's 要点 for its 处室),
each on a short text of our own: lined, and flattened the way a crawler joins paragraphs (a space)."""
from __future__ import annotations

import pytest

from plans import load_text as _load
from loaders.clauses import framing_heading
from loaders.metadata import find_doc_numbers
from loaders.units import parse_units


def _triples(rec):
    return {(t.number, a.short_name, a.role) for t in rec.tasks for a in t.assignments}


def test_a_collectives_head_is_understood_for_a_bare_kind_after_it():
    # 各科室、单位 is 各科室 and 各单位; 各有关处室、单位 is 各有关处室 and 各有关单位 (a bare 单位 names none)
    assert [(a.short_name, a.role) for a in parse_units("责任单位:各科室、单位")] == [
        ("各科室", "implement"), ("各单位", "implement")]
    got = [(a.short_name, a.role) for a in parse_units("牵头单位:办公室、规划科,责任单位:各有关处室、单位")]
    assert ("各有关处室", "implement") in got and ("各有关单位", "implement") in got
    # a one-character kind stays with its collective as before (各股室、所、队: one collective)
    assert [a.short_name for a in parse_units("各股室、所、队")] == ["各股室、所、队"]
    # a named unit before a bare kind gives it no head: nothing is invented
    assert "各单位" not in [a.short_name for a in parse_units("区财政局、单位")]


_SPLIT = ("某县卫生健康委员会2021年政府工作报告任务分解\n"
          "1.加快发展健康、养老、育幼等服务业,加强公益性服务业供给。\n"
          "牵头责任单位:县卫健委、县民政局\n"
          "主要协作单位:各乡镇人民政府,县政府有关部门\n"
          "2.加强重大公共卫生风险源头防控,切实保障群众生命安全\n"
          "牵头责任单位:县卫健委\n"
          "主要协作单位:各乡镇人民政府\n"
          "3.毫不放松抓好疫情常态化防控工作,完善疾病预防控制体系和平战结合的救治体系。\n"
          "牵头责任单位:县卫健委\n"
          "主要协作单位:各乡镇人民政府,县政府有关部门、有关直属单位\n"
          "4.树立全周期健康管理理念,推广家庭医生签约服务,补齐公共医疗卫生基础设施短板,加快建设县妇幼保健院等项目。\n"
          "牵头责任单位:县卫健委\n"
          "主要协作单位:各乡镇人民政府,县政府有关部门、有关直属单位\n")


@pytest.mark.parametrize("flat", [False, True])
def test_lead_and_help_labels_of_a_county_task_split(tmp_path, flat):
    # 牵头责任单位 leads, 主要协作单位 helps; flattened, a label after a line without its full stop
    # (…生命安全 牵头责任单位:…) still opens a field, no words of the task
    rec = _load(tmp_path, _SPLIT, flat)
    got = _triples(rec)
    assert {("1", "县卫健委", "lead"), ("1", "县民政局", "lead"), ("1", "各乡镇人民政府", "cooperate"),
            ("1", "县政府有关部门", "cooperate"), ("2", "县卫健委", "lead"), ("2", "各乡镇人民政府", "cooperate")} <= got
    assert all("牵头" not in t.text and "单位" not in t.text for t in rec.tasks)


_GUSHI = ("某县财政局政务公开实施方案\n"
          "一、政务公开的基本原则\n"
          "(一)依法公开原则。政务公开要在法律法规规定的范围内进行。\n"
          "二、政务公开的内容\n"
          "(一)财政工作概况;内设机构职能、办公电话;领导分工。\n"
          "责任股室:办公室、人事股\n"
          "(二)财税法规和规范性文件;行政审批事项的依据、条件和程序。\n"
          "责任股室:预算股\n")


@pytest.mark.parametrize("flat", [False, True])
def test_an_item_whose_only_line_is_its_units_label_is_a_task(tmp_path, flat):
    # (一)财政工作概况;…。/ 责任股室:办公室、人事股: the item is what is to be done, the label says by whom
    rec = _load(tmp_path, _GUSHI, flat)
    first = [t for t in rec.tasks if t.section == ("二", "(一)")]
    assert len(first) == 1 and first[0].text.startswith("财政工作概况")
    assert {a.short_name for a in first[0].assignments} == {"办公室", "人事股"}
    # the principles frame the plan, they are no task a 股室 answers for
    assert all(t.clause == "framing" for t in rec.tasks if t.section[:1] == ("一",))


def test_whose_principles_said_before_the_word_still_frame():
    assert framing_heading("政务公开的基本原则") and framing_heading("本方案的指导思想")
    assert not framing_heading("加强政务公开的工作目标责任制")


def test_a_mirrors_pinyin_glosses_leave_the_lined_text_too(tmp_path):
    text = ("局各科室:\n根據(jù)上級通知要求,現(xiàn)提出以下要求。\n"
            "一、高度重視。局機(jī)關(guān)各科室要把政務公開作為重點工作,落實專人負責。\n"
            "二、明確職責。各科室要主動擔當,研究解決工作中遇到的問題。\n特此通知。\n")
    rec = _load(tmp_path, text)
    assert rec.tasks and all("(" not in t.text for t in rec.tasks)
    assert rec.tasks[0].text.startswith("局機關各科室")


def test_a_citation_after_and_is_not_spelled_with_it():
    assert find_doc_numbers("(豫办〔2016〕60号)及豫政办明电〔2017〕69号") == ["豫办〔2016〕60号", "豫政办明电〔2017〕69号"]


def test_a_signature_over_two_lines_is_one_signer(tmp_path):
    text = ("关于印发某省某某厅2021年政务公开工作要点的通知\n各处室、直属单位:\n现将《要点》印发你们,请认真贯彻执行。\n"
            "某省某某厅\n办公室\n2021年7月13日\n某省某某厅2021年政务公开工作要点\n一、聚焦重点领域\n"
            "(一)加强信息公开。及时发布重大决策部署进展。(牵头单位:办公室,责任单位:各有关处室、单位)\n")
    rec = _load(tmp_path, text)
    assert rec.document.issuer == "某省某某厅办公室"
    assert ("(一).1", "各有关单位", "implement") in _triples(rec)


def test_a_page_controls_closing_bracket_opens_no_title(tmp_path):
    # 浏览量: 【字体: 】 某县…任务分解: the page's font control, flattened before the title, is no part of it
    rec = _load(tmp_path, "浏览量: 【字体: 】\n" + _SPLIT.replace("某县卫生健康委员会", "某县卫健委"), flat=True)
    assert rec.document.title == "某县卫健委2021年政府工作报告任务分解"


def test_a_cover_sentence_that_gives_the_plan_a_short_name_still_names_it(tmp_path):
    # 现将《某市某局贯彻落实…分工方案》(以下简称《方案》)印发给你们: a notice with no title line of its own
    # is known by the plan it issues, whose owner issues it
    text = ("局各科室:\n根据市政府办公室的通知要求,现将《江门市交通运输局贯彻落实江门市2021年政务公开工作要点分工方案》"
            "(以下简称《方案》)印发给你们,请一并抓好贯彻执行。\n一、高度重视。各科室要把《方案》落实作为重点工作。\n"
            "二、明确职责。各科室要主动担当作为。\n特此通知。\n")
    doc = _load(tmp_path, text).document
    assert doc.title == "江门市交通运输局贯彻落实江门市2021年政务公开工作要点分工方案"
    assert doc.issuer == "江门市交通运输局" and doc.region == "江门市"
