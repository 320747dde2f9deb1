"""Patterns of the bottom of the ladder (a bureau's plan for its 科室, a township's, a street's, a 台账),
each on a short text of our own: the title, issuer, number and level a reader takes from it, the tasks
and units, the same once the text lost its line breaks."""
from __future__ import annotations

import pytest

from loaders import load_file


def _load(tmp_path, text: str, flat: bool = False, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text.replace("\n", "") if flat else text, encoding="utf-8")
    return load_file(p)


# A last part long enough that a text without its line breaks reads as one (a page, not a line).
_MORE = ("\n三、加强监督保障\n各单位要把政务公开工作纳入年度工作计划,明确分管负责同志和具体工作人员,定期研究解决工作中的困难和问题。"
         "要加强业务培训,提升工作人员的政策水平和业务能力,确保各项任务按时保质完成。要严格执行信息发布审核制度,"
         "做好公开前的保密审查,防止泄露国家秘密和工作秘密。要建立健全工作台账,逐项对账销号,确保工作落到实处。\n"
         "四、强化考核评估\n要把政务公开工作纳入绩效考核,对工作推进不力、群众反映强烈的单位进行通报,督促限期整改到位。"
         "要引入第三方评估,广泛听取企业和群众的意见建议,不断改进工作方式方法,提升政务公开的质量和实效。\n")


def _triples(rec):
    return {(t.number, a.short_name, a.role) for t in rec.tasks for a in t.assignments}


@pytest.mark.parametrize("flat", [False, True])
def test_the_cover_sentence_names_the_plan_a_page_prints_no_title_for(tmp_path, flat):
    text = ("局机关各科室、局属各单位:\n经局领导同意,现将《江门市医疗保障局2023年政务公开工作要点分工方案》印发你们,请认真执行。\n"
            "江门市医疗保障局\n2023年5月6日\n工作任务 | 具体要求 | 责任科室 |\n一、做好公开 | 1.及时发布本局政策信息。 | 办公室牵头,各科室配合 |\n")
    doc = _load(tmp_path, text, flat).document
    assert doc.title == "江门市医疗保障局2023年政务公开工作要点分工方案"
    assert doc.issuer == "江门市医疗保障局" and doc.level == "department"


@pytest.mark.parametrize("flat", [False, True])
def test_a_street_plan_named_in_its_first_sentence(tmp_path, flat):
    text = ("为做好今年的政务公开工作,结合街道实际,特制定城关街道政务公开工作实施方案。\n一、加强组织保障,完善工作机制\n"
            "街道明确专人负责政务公开日常工作。建立每月调度机制,研究解决难点问题。\n" + _MORE)
    rec = _load(tmp_path, text, flat)
    assert rec.document.title == "城关街道政务公开工作实施方案"
    assert rec.document.issuer == "城关街道" and rec.document.level == "township"
    assert [t.number for t in rec.tasks][:2] == ["一.1", "一.2"]


def test_a_purpose_sentence_that_cites_a_notice_is_no_title(tmp_path):
    text = ("为深入贯彻落实《国务院办公厅关于印发政务公开工作要点的通知》及上级要求,特制定城关街道政务公开工作实施方案。"
            "一、加强组织保障街道明确专人负责政务公开日常工作。")
    doc = _load(tmp_path, text).document
    assert doc.title == "城关街道政务公开工作实施方案" and doc.issuer == "城关街道"


def test_label_fields_run_into_one_line_give_the_name_field(tmp_path):
    text = ("索引号:发布机构: 某某省卫生健康委员会名称: 某某省卫生健康委2021年政务公开工作重点任务台账分类: 其他文号: |\n"
            "序号 | 工作任务 | 责任处室 | 完成时限 |\n1 | 做好疫情防控信息发布 | 应急处 | 长期推进 |\n"
            "2 | 做好疫苗接种信息公开 | 疾控处 | 长期推进 |\n")
    doc = _load(tmp_path, text).document
    assert doc.title == "某某省卫生健康委2021年政务公开工作重点任务台账"


def test_a_site_column_glued_before_a_township_title_the_page_prints_again(tmp_path):
    text = ("政府信息公开某某乡人民政府2022年度政务公开工作实施方案\n某某乡人民政府2022年度政务公开工作实施方案\n"
            "为做好本乡政务公开工作,特制订本方案。\n一、深化重点领域信息公开\n(一)做好规划公开。\n主动公开本乡各类规划。\n")
    doc = _load(tmp_path, text).document
    assert doc.title == "某某乡人民政府2022年度政务公开工作实施方案"
    assert doc.issuer == "某某乡人民政府" and doc.level == "township"


def test_a_number_glued_after_the_title_is_its_own(tmp_path):
    text = ("桐梓县人民政府办公室关于印发《桐梓县2022年政务公开工作要点》的通知桐府办函〔2022〕9号\n"
            "各乡(镇)人民政府,县政府各部门:\n现印发给你们,请认真抓好落实。\n一、做好规划公开\n"
            "1.主动公开各类规划。(责任单位:县政府各部门)\n")
    doc = _load(tmp_path, text).document
    assert doc.doc_no == "桐府办函〔2022〕9号" and "桐府办函〔2022〕9号" not in doc.cites


def test_a_bulleted_number_field_is_the_documents_and_gives_its_year(tmp_path):
    text = ("  • 553165075/2021-00100\n  • 郑州市人力资源和社会保障局\n  • 郑人社办〔2021〕12号\n"
            "郑州市人力资源和社会保障局关于进一步做好政务公开工作的通知\n局机关各处(室):\n现将有关要求明确如下:\n"
            "一、做好标准目录公开\n按照要求更新就业领域公开目录。(牵头单位:办公室,责任单位:就业办)\n")
    doc = _load(tmp_path, text).document
    assert doc.doc_no == "郑人社办〔2021〕12号" and doc.year == 2021


def test_a_unit_cell_cut_after_the_first_character_of_a_name(tmp_path):
    text = ("序号\n|\n工作任务\n|\n责任单位\n|\n1\n|\n及时公开自然资源要素保障政策。\n|\n办公室牵头,各科室、局属各单位具体落实\n|\n"
            "2\n|\n深化土地征收信息公开。\n|\n办公室牵头,各科室、局")
    rec = _load(tmp_path, text)
    assert ("2", "各科室", "implement") in _triples(rec) and not any("、局" in a.short_name for t in rec.tasks for a in t.assignments)
    assert rec.document.level == "department" and rec.document.truncated


@pytest.mark.parametrize("flat", [False, True])
def test_a_download_line_and_a_signature_after_a_notices_points_are_no_tasks(tmp_path, flat):
    text = ("局机关各处室:\n现将《2021年政务公开工作主要任务分解表》印发给你们,并就有关要求通知如下:\n"
            "一、各单位要对照任务细化举措,确保落到实处。\n二、各单位要将任务落实情况纳入年度报告予以公开。\n"
            "某某省市场监督管理局办公室\n2021年9月10日\n(此件主动公开)\n附件下载: 2021年政务公开工作主要任务分解表.doc\n")
    rec = _load(tmp_path, text, flat)
    assert [t.text for t in rec.tasks] == ["各单位要对照任务细化举措,确保落到实处。", "各单位要将任务落实情况纳入年度报告予以公开。"]


def test_a_two_part_heading_glued_to_its_prose_once_flattened(tmp_path):
    text = ("某街道政务公开工作实施方案\n一、强化组织领导,完善工作机制\n街道明确专人承担政务公开日常工作,确保责任到人。"
            "建立定期调度机制,研究解决重点问题。\n二、规范依申请公开,强化服务保障\n畅通线上线下受理渠道,严格落实办理时限要求。\n" + _MORE)
    lined, flat = _load(tmp_path, text, name="a.txt"), _load(tmp_path, text, True, name="b.txt")
    first = lambda rec: [t.text for t in rec.tasks if t.section in (("一",), ("二",))]  # noqa: E731
    assert len(first(lined)) == 3 and first(flat) == first(lined)


def test_an_office_after_peihe_is_the_headings_object_not_the_prose_subject(tmp_path):
    text = ("某局关于做好政务公开工作的通知\n一、配合市政府落实标准指引\n按照部门编制的标准指引出台本市标准目录,"
            "督促各县区抓好落实。(牵头单位:办公室,责任单位:就业办)\n" + _MORE)
    flat = _load(tmp_path, text, True)
    assert flat.tasks[0].text.startswith("按照部门编制的标准指引")


@pytest.mark.parametrize("flat", [False, True])
def test_a_leading_groups_roster_asks_nothing(tmp_path, flat):
    text = ("某市某局2020年政务公开工作实施方案\n一、总体要求\n坚持以公开为常态、不公开为例外。\n二、组织领导\n为开展好政务公开工作,成立局政务公开工作领导小组。\n"
            "组 长:张某\n副组长:李某\n成 员:各处室主要负责人\n" + _MORE)
    rec = _load(tmp_path, text, flat)
    assert [t.text for t in rec.tasks if t.section == ("二",)] == ["为开展好政务公开工作,成立局政务公开工作领导小组。"]


def test_a_title_over_two_lines_whose_first_opens_with_the_issuer(tmp_path):
    text = ("局机关各科室:\n现将分工方案印发你们,请认真贯彻执行。\n中山市医疗保障局\n2022年8月10日\n"
            "中山市医疗保障局贯彻落实国务院办公厅省政府办公厅市政府办公室\n2022年政务公开工作要点分工方案\n"
            "工作要求 | 要点 | 责任科室 |\n一、优化工作基础 | 1.规范行政法规使用。 | 法规科牵头,办公室配合 |\n")
    doc = _load(tmp_path, text).document
    assert doc.title == "中山市医疗保障局贯彻落实国务院办公厅省政府办公厅市政府办公室2022年政务公开工作要点分工方案"


@pytest.mark.parametrize("flat", [False, True])
def test_a_plans_principles_of_openness_are_framing(tmp_path, flat):
    text = ("某市某局2020年政务公开工作实施方案\n一、指导思想和公开原则\n(一)指导思想\n坚持以人民为中心,依法做好公开工作。\n"
            "(二)公开原则\n行政机关公开政府信息,应当坚持以公开为常态、不公开为例外。\n二、组织领导\n"
            "为开展好政务公开工作,成立局政务公开工作领导小组。\n" + _MORE)
    rec = _load(tmp_path, text, flat)
    principle = [t for t in rec.tasks if t.section == ("一", "(二)")]
    assert [t.clause for t in principle] == ["framing"]
