"""Patterns of county plans, a county bureau's list for its 股室 and a leading group's plan, each on a short
text of our own: what a reader takes from the head (title over lines, issuer, number, region, citations)
and from the tasks (roles, notes, headings), lined and, where the pattern survives it, flattened."""
from __future__ import annotations

import pytest

from loaders import load_file


def _load(tmp_path, text: str, flat: bool = False, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text.replace("\n", "") if flat else text, encoding="utf-8")
    return load_file(p)


def _triples(rec):
    return {(t.number, a.short_name, a.role) for t in rec.tasks for a in t.assignments}


# A plan's later part, long enough that a text without its line breaks reads as one page.
_MORE = ("\n三、强化监督保障\n各单位要把政务公开工作纳入年度工作计划,明确分管负责同志和具体工作人员,定期研究解决工作中的困难和问题。"
         "要加强业务培训,提升工作人员的政策水平和业务能力,确保各项任务按时保质完成。要严格执行信息发布审核制度,"
         "做好公开前的保密审查,防止泄露国家秘密和工作秘密。要建立健全工作台账,逐项对账销号,确保工作落到实处。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_bureaus_work_list_named_as_such_is_the_title_over_its_table(tmp_path, flat):
    # 某县某局2025年度…重点工作清单及分工: a 清单 is as much a plan's name as a 任务清单; its bureau, placed, issues it
    text = ("长丰县医疗保障局2025年度政务公开重点工作清单及分工\n具 体 要 求 | 责任科室 | ||\n"
            "一、抓好主动公开。 | 1 | 做好本单位重点领域信息的更新和维护,及时回应群众关切。 | 办公室牵头,局各股室、局属各中心配合 |\n"
            "二、抓好政策解读 | 2 | 政策文件发布后3天内公开解读信息。 | 办公室牵头,局各股室配合 |\n")
    rec = _load(tmp_path, text, flat)
    doc = rec.document
    assert doc.title == "长丰县医疗保障局2025年度政务公开重点工作清单及分工"
    assert doc.issuer == "长丰县医疗保障局" and doc.level == "department" and doc.region == "合肥市长丰县"
    assert ("1", "办公室", "lead") in _triples(rec) and ("1", "局各股室", "cooperate") in _triples(rec)


def test_a_notice_title_whose_last_words_went_to_the_next_line(tmp_path):
    # 关于印发《某县2021年…要点》 / 的通知, and 某办公室 / 关于印发…要点 / 任务分解表的通知: the short line completes it;
    # the county the plan's name gives, inside its 《》, is the region
    text = ("关于印发《江永县2021年政务公开工作要点》\n的通知\n各乡镇,县直各单位:\n《江永县2021年政务公开工作要点》已经同意,现予印发。\n"
            "江永县2021年政务公开工作要点\n一、深化政务公开\n(一)做好规划信息公开。及时公开各类规划。\n")
    doc = _load(tmp_path, text).document
    assert doc.title == "关于印发《江永县2021年政务公开工作要点》的通知"
    assert doc.region == "永州市江永县"
    text = ("乐至县人民政府办公室\n关于印发2023年全县政务公开工作要点\n任务分解表的通知\n各乡镇人民政府,县级有关部门:\n"
            "现将《2023年全县政务公开工作要点任务分解表》印发给你们,请认真抓好贯彻落实。\n一、提高政治站位\n各单位要高度重视。\n")
    assert _load(tmp_path, text).document.title == "乐至县人民政府办公室关于印发2023年全县政务公开工作要点任务分解表的通知"


@pytest.mark.parametrize("flat", [False, True])
def test_a_leading_group_that_signs_over_the_date_issues_the_plan(tmp_path, flat):
    # the group's name on a line of its own, the publication note and the date under it; its note set in
    # a number's brackets for the round ones it holds (〔各县(市)区…按照职能分别落实〕)
    text = ("关于印发《2021年吉林市政务公开工作要点及重点任务分工》的通知\n各县(市)区人民政府,市政府各委办局:\n"
            "《2021年吉林市政务公开工作要点及重点任务分工》已经市政府同意,现印发给你们,请认真遵照执行。\n"
            "吉林市人民政府政务公开(政府信息公开)领导小组\n(此件公开发布)\n2021年6月25日\n"
            "2021年吉林市政务公开工作要点及重点任务分工\n一、强化基础性信息公开工作\n"
            "(一)强化法定公开内容的日常维护。各地各部门要主动公开各类规划,对本地历史规划进行归集整理并主动公开。"
            "〔各县(市)区人民政府,开发区管委会,市政府各部门(单位)按照职能分别落实〕\n" + _MORE)
    rec = _load(tmp_path, text, flat)
    assert rec.document.issuer == "吉林市人民政府政务公开(政府信息公开)领导小组"
    assert rec.document.region == "吉林市" and rec.document.level == "city"
    units = {(a.short_name, a.role) for t in rec.tasks if t.number.startswith("(一)") for a in t.assignments}
    assert {("各县(市)区人民政府", "implement"), ("开发区管委会", "implement")} <= units


def test_a_number_in_brackets_is_no_units_note():
    from loaders.units import inline_notes
    assert inline_notes("按照《某办法》(某政发〔2021〕12号)要求,由市财政局负责公开。") == []


@pytest.mark.parametrize("flat", [False, True])
def test_zhuban_leads_as_xieban_helps(tmp_path, flat):
    # 局防控办主办、各工作组协办: a bureau's table says 牵头/配合 so; 局主办科室 is the 科室 in charge, a unit
    text = ("某市卫生健康局2021年政务公开工作要点分工方案\n工作任务 | 具体要求 | 责任科室 |\n"
            "一、做好疫情防控信息公开 | 1.设立专栏,发布权威信息。 | 局防控办主办、各工作组协办 |\n"
            "二、加强政策解读 | 2.对重大政策开展深入解读。 | 局主办科室 |\n")
    got = _triples(_load(tmp_path, text, flat))
    assert {("1", "局防控办", "lead"), ("1", "各工作组", "cooperate"), ("2", "局主办科室", "implement")} <= got


def test_angle_brackets_in_a_unit_name_are_its_parentheses():
    from loaders.units import parse_units
    got = [(a.short_name, a.role) for a in parse_units("牵头单位:市政府办公室,责任单位:各乡镇<街道>", "黔西南布依族苗族自治州兴义市")]
    assert got == [("市政府办公室", "lead"), ("各乡镇(街道)", "implement")]


def test_a_fields_label_is_no_part_of_the_number_glued_to_the_title(tmp_path):
    # 名称 息府办函〔2020〕52号息烽县…的通知: the 名称 field holds the number, then the title; the number is its own
    text = ("索引号 000014349/2020-1699522 信息分类 县府办文件\n文号 成文日期 2020-06-10\n"
            "名称 息府办函〔2020〕52号息烽县人民政府办公室关于印发息烽县2020年政务公开工作要点的通知\n"
            "各乡镇人民政府,县政府各工作部门:\n《息烽县2020年政务公开工作要点》已经县人民政府同意,现印发给你们。\n"
            "息烽县2020年政务公开工作要点\n一、聚焦中心工作\n(一)围绕高质量发展推进公开。及时公开产业政策。\n")
    doc = _load(tmp_path, text).document
    assert doc.doc_no == "息府办函〔2020〕52号" and doc.cites == []


@pytest.mark.parametrize("flat", [False, True])
def test_a_paragraph_whose_first_sentence_is_too_long_for_a_title_is_a_task(tmp_path, flat):
    # (一)高水平推进…,…,…。巩固…。(某局牵头,…负责): no title runs past sixty characters with its clauses; and
    # 高水平 before its verb says how, it ends no heading
    text = ("衡南县2021年政务服务工作要点\n一、擦亮一件事一次办工作名片\n"
            "(一)高水平推进一件事一次办,最小颗粒化梳理业务办理情形,丰富应用场景,优化升级智能导办和线上线下融合服务,擦亮企业欢迎、群众满意的工作名片。"
            "巩固深化跨层、跨域办理成果。(县行政审批服务局牵头,县直相关单位和各乡镇(街道)按职责分工负责)\n"
            "(二)推进综合窗设置。按照相对集中办理的原则设置综合窗。\n" + _MORE)
    rec = _load(tmp_path, text, flat)
    first = [t for t in rec.tasks if t.number.startswith("(一)")]
    assert first and first[0].text.startswith("高水平推进一件事一次办")
    assert ("(一).1", "县行政审批服务局", "lead") in _triples(rec)


def test_a_notice_points_heading_glued_to_its_prose():
    # 一、统一思想认识,提高政治站位2023年,全县…: a two-part heading before a sentence that opens with its year;
    # 二、统筹好政务公开与安全保密全面梳理…: a heading that ends on 保密, its sentence opening with its verb
    from loaders.glued_breaks import heading_end
    v = "一、统一思想认识,提高政治站位2023年,全县政务公开工作坚持以人民为中心,更好发挥政务公开促落实、促规范的功能,助力提振发展信心。"
    assert v[2:heading_end(v, 2)] == "统一思想认识,提高政治站位"
    v = "二、统筹好政务公开与安全保密全面梳理法律法规对本单位提出的公开要求,认真对照执行。"
    assert v[2:heading_end(v, 2)] == "统筹好政务公开与安全保密"


def test_citations_that_lost_their_brackets_after_a_quoted_title(tmp_path):
    text = ("乐至县人民政府办公室关于印发2023年全县政务公开工作要点任务分解表的通知\n各乡镇人民政府:\n"
            "为落实《四川省人民政府办公厅关于印发2023年全省政务公开工作要点的通知》(川办发202310)和"
            "《资阳市人民政府办公室关于印发2023年全市政务公开工作要点任务分解表的通知》(资市府办发20236)精神,现印发给你们。\n"
            "一、提高政治站位\n各单位要高度重视。\n")
    assert _load(tmp_path, text).document.cites == ["川办发〔2023〕10号", "资市府办发〔2023〕6号"]


@pytest.mark.parametrize("flat", [False, True])
def test_a_bureau_named_after_the_year_in_its_title_issues_it(tmp_path, flat):
    # 2019清流县农业农村局政务公开实施方案 / 来源:清流县农业局 时间:…: the title's owner, not the page's old name
    text = ("2019清流县农业农村局政务公开实施方案\n来源:清流县农业局 时间:2019-09-25 17:06\n"
            "为切实做好我局政务公开工作,结合我局工作实际,特制定本方案。\n一、总体要求\n紧紧围绕县委、县政府的重大决策部署,提升政务公开质量。\n"
            "二、主要内容\n(一)完善权力清单公开。多渠道公开我局权力清单和责任清单,及时更新动态。\n" + _MORE)
    doc = _load(tmp_path, text, flat).document
    assert doc.issuer == "清流县农业农村局" and doc.level == "department" and doc.region == "三明市清流县"


def test_a_source_field_ends_where_the_next_label_begins(tmp_path):
    text = ("来源:平阳县农业局时间:2019-09-25\n平阳县农业局政务公开实施方案\n一、总体要求\n提升政务公开质量。\n")
    assert _load(tmp_path, text).document.issuer == "平阳县农业局"


def test_a_flattened_page_keeps_the_place_of_the_office_glued_after_its_chrome(tmp_path):
    # …公开方式: 政府网站平江县人民政府办公室关于印发…: the signer 县人民政府办公室 the page prints elsewhere cuts no
    # place's name in two
    text = ("当前位置: 首页 > 政务公开 > 法规文件 > 规范性文件索 引 号: 43060000/2020-1717120 发布机构: 县人民政府办公室 信息状态:"
            "文  号: 平政办发〔2020〕5号 统一登记号: PJDR-2020-01004 公开范围: 全部公开生效日期: 2020-06-03 失效日期: 2025-06-03 公开方式: 政府网站"
            "平江县人民政府办公室关于印发《平江县2020年政务公开工作要点》的通知(平政办发〔2020〕5号)"
            "来源:县人民政府办公室 日期:2020-06-08 15:49 字号:【视力保护色:浏览量:各乡镇人民政府,县直各单位:"
            "《平江县2020年政务公开工作要点》已经县人民政府同意,现印发给你们,请认真贯彻落实。平江县人民政府办公室2020年6月3日"
            "平江县2020年政务公开工作要点一、服务复工复产(一)促进惠企政策落地见效。围绕复工复产需求抓紧推动政务数据共享,及时梳理相关惠企政策措施。")
    doc = _load(tmp_path, text).document
    assert doc.title.startswith("平江县人民政府办公室关于印发") and doc.region == "岳阳市平江县"


def test_an_issuer_field_run_into_the_title_after_it(tmp_path):
    # 发布机构: 周村区卫生健康局区卫生健康局2021年…: the field's value ends where the title it runs into begins
    text = ("周村区卫生健康局\n标题: 区卫生健康局2021年政务公开工作实施方案、任务分工及工作安排\n索引号: 11370306/2021-None 文号:\n"
            "发文日期: 2021-06-24 发布机构: 周村区卫生健康局\n\n区卫生健康局2021年政务公开工作实施方案、任务分工及工作安排\n\n"
            "发布日期:2021-06-24\n  • 字号:\n  • |\n  • 打印\n\n区卫生健康局2021年度政务公开重点工作任务分解及分工\n\n"
            "一级指标\n\n二级指标\n\n责任科室、单位\n\n主动公开\n\n重点领域信息\n\n是否及时公开本地区老年人补贴相关政策\n\n中医科\n\n"
            "是否公开本地区卫生健康领域基层政务公开事项标准目录\n\n办公室\n")
    doc = _load(tmp_path, text, flat=True).document
    assert doc.issuer == "周村区卫生健康局"
