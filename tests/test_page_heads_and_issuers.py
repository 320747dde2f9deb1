"""Heads and issuers that real pages print in ways easily misread, each in a short text of our own, read as
saved and with its line breaks lost (a page copied as one line): a breadcrumb is no title, a number before
the title is the document's own, a district newer than the divisions table, a town's 党政综合办公室, a county's
addressees, a cover notice that never says 印发给你们, a 工作目标 heading glued to its prose, and a sentence whose
subject lists several offices."""
from __future__ import annotations

import pytest

from loaders import load_file


def _load(tmp_path, text: str, flat: bool = False, name: str = "page.txt"):
    p = tmp_path / name
    p.write_text("".join(l.strip() for l in text.splitlines()) if flat else text, encoding="utf-8")
    return load_file(p)


def _units(t):
    return [(a.short_name, a.role) for a in t.assignments]


FORMS = pytest.mark.parametrize("flat", [False, True], ids=["lined", "one_line"])

CRUMBS = """当前位置: 首页 > 政务公开 > 政务公开工作要点 > 制度建设 > 政策法规
中共某阳市委办公室某阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知(某办发〔2017〕2号)
来源:某阳市政府门户网 日期:2017-01-12 字号:【
各县市区委、人民政府,市直各单位:
《关于全面推进政务公开工作的实施意见》已经市委、市人民政府同意,现印发给你们,请认真贯彻执行。
中共某阳市委办公室
某阳市人民政府办公室
2017年1月10日
关于全面推进政务公开工作的实施意见
一、总体要求
坚持以公开为常态、不公开为例外,推进决策、执行、管理、服务、结果公开,打造法治政府和服务型政府。
"""


@FORMS
def test_a_breadcrumbs_last_column_is_no_title_and_the_number_after_the_title_is_its_own(tmp_path, flat):
    # 首页 > … > 政策法规 names the site's columns; the page's own title line is below it, its number in
    # brackets after it; the two offices that issue it sign one under the other (the government's is the issuer)
    d = _load(tmp_path, CRUMBS, flat).document
    assert d.title == "中共某阳市委办公室某阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知"
    assert d.doc_no == "某办发〔2017〕2号" and "某办发〔2017〕2号" not in d.cites
    assert d.issuer == "某阳市人民政府办公室"


NUMBER_FIRST = """建政办发〔2022〕18号
建平县人民政府办公室关于印发建平县2022年政务公开工作要点的通知
各乡镇人民政府、街道办事处,县政府各部门:
经县政府同意,现将《建平县2022年政务公开工作要点》印发给你们,请认真贯彻落实。
建平县人民政府办公室
2022年7月14日
建平县2022年政务公开工作要点
为贯彻落实《国务院办公厅关于印发2022年政务公开工作要点的通知》(国办发〔2022〕8号),结合本县实际,制定本要点。
一、做好重点领域信息公开
1.加强产业发展信息公开。及时发布产业政策和工作动态。
2.加强助企纾困信息公开。及时公开帮扶政策和办理情况。
"""


@FORMS
def test_a_number_that_opens_the_text_is_the_documents_own(tmp_path, flat):
    # 建政办发〔2022〕18号建平县人民政府办公室关于…: the title's chrome rule cut no line inside the number
    d = _load(tmp_path, NUMBER_FIRST, flat).document
    assert d.doc_no == "建政办发〔2022〕18号"
    assert d.cites == ["国办发〔2022〕8号"]


DISTRICT = """济南市莱芜区人民政府办公室关于印发2021年莱芜区政务公开工作要点的通知
莱芜政办发〔2021〕3号
各镇(街道)人民政府(办事处),区政府各部门:
《2021年莱芜区政务公开工作要点》已经区政府同意,现印发给你们,请认真贯彻执行。
济南市莱芜区人民政府办公室
2021年6月17日
2021年莱芜区政务公开工作要点
一、深化重点领域公开
(一)聚焦重点工作推进公开。充分利用网站等平台公开全区重点任务落实情况。
"""


@FORMS
def test_a_district_newer_than_the_divisions_table_is_a_region_under_its_city(tmp_path, flat):
    d = _load(tmp_path, DISTRICT, flat).document
    assert (d.level, d.region) == ("county", "济南市莱芜区")


TOWN = """您当前的位置: > >决策公开
关于印发某栏镇2022年政务公开工作要点分工方案的通知
信息来源:中山市某栏镇人民政府 发布日期:2022-07-29
各部门,各有关单位
我办制定了《某栏镇2022年政务公开工作要点分工方案》,现印发给你们,请认真贯彻执行。
中山市某栏党政综合办公室
2022728
某栏镇2022年政务公开工作要点分工方案
一、优化政务公开工作基础
1.各村(社区)要完善规范性文件的分类展示,明确标注文件的名称、文号、发布机构、索引号、成文日期等要素。
"""


@FORMS
def test_a_towns_party_and_government_office_signs_and_a_list_of_field_words_is_no_issuer(tmp_path, flat):
    # 名称、文号、发布机构、索引号 in a task lists a page's fields: no 发布机构 label, no issuer '、'
    d = _load(tmp_path, TOWN, flat).document
    assert d.issuer == "中山市某栏党政综合办公室"
    assert (d.level, d.region) == ("township", "中山市某栏镇")


COUNTY_NOTICE = """关于印发贯彻落实某省2022年政务公开工作要点任务分工的通知
中方县人民政府 www.zhongfang.gov.cn 发布时间: 2022-07-24 16:50
各乡镇人民政府、县单位:
经领导小组同意,现将《任务分工》印发给你们,并提出如下工作要求,请认真抓好贯彻落实。
一、提高认识。各乡镇、县直单位要充分认识政务公开工作的重大意义,认真开展好各项工作。
二、强化督查。各乡镇、县直单位要压实工作责任,确保各项工作任务圆满完成。
"""


@FORMS
def test_a_notice_to_townships_and_county_units_is_a_countys(tmp_path, flat):
    # 各乡镇人民政府、县单位 are whom a county writes to; the county's site posted it: its region
    d = _load(tmp_path, COUNTY_NOTICE, flat).document
    assert (d.level, d.region) == ("county", "怀化市中方县")
    assert d.issuer is None   # a portal posts every office's documents: it signs none of them


COVER_ONLY = """登录 | 注册
某城市政府信息公开专栏 >> 白城市人民政府办公室 >> 政府信息公开制度
关于印发2019年全市政务公开重点工作任务分工的通知
各县(市、区)人民政府,市政府各委办局,驻白中省直单位:
为高效推动全市政务公开工作,结合我市实际,进一步细化分解各项工作任务,并提出以下要求,请认真抓好落实。
一、工作安排
各地、各相关部门要按照任务分工要求,统筹安排,明确分工,落实责任。
二、保障措施
各地各部门要结合实际加快组织推进,将具体措施于6月10日前公开发布,接受社会监督。
""" + "市政务公开办将适时对各地、各部门工作开展情况进行督查,督查结果在全市范围内通报。" * 8 + "\n"


@FORMS
def test_a_cover_notice_that_never_says_it_issues_keeps_its_points_as_the_notices(tmp_path, flat):
    # titled 关于印发…的通知 with its addressees: its points are the notice's, the plan was not retrieved;
    # 驻白中省直单位 are the provincial units seated in the city; the breadcrumb's office posts it
    recs = _load(tmp_path, COVER_ONLY, flat)
    d = recs.document
    assert (d.level, d.region, d.issuer) == ("city", "白城市", "白城市人民政府办公室")
    assert recs.tasks and all(t.section[:1] == ("通知",) for t in recs.tasks)


GOALS_GLUED = ("某棱县2018年政务公开工作要点实施方案为深入贯彻落实上级要求,结合本县实际,制定本方案。"
               "一、工作目标紧紧围绕县委县政府改革发展重点任务和社会公众关切,进一步加大全县政务公开力度,提升政务服务水平。"
               "二、工作任务(一)围绕建设法治政府推进公开。1.坚持以公开为常态、不公开为例外,政府及其部门制定的政策应及时公开。"
               "2.制定出台涉及公共利益的重大政策,要通过多种方式广泛听取公众意见。\n")


def test_a_goals_heading_glued_to_its_prose_is_framing(tmp_path):
    recs = _load(tmp_path, GOALS_GLUED)
    goals = [t for t in recs.tasks if t.section[:1] == ("一",)]
    assert goals and all(t.clause == "framing" for t in goals)
    assert goals[0].text.startswith("紧紧围绕")
    assert any(s.title == "工作目标" for s in recs.sections)
    assert all(t.clause != "framing" for t in recs.tasks if t.section[:1] == ("二",))


OFFICES = """某泉县人民政府办公室关于印发《某泉县2021年政务公开工作任务分解一览表》的通知
各镇人民政府,县政府各工作部门:
现将《任务分解一览表》印发给你们,请认真贯彻落实。
一、强化考核。县政府办、考核办要将政务公开工作纳入年度目标责任考核,定期跟踪督办和通报工作进度。
二、强化监督。市财政局、市审计局要牵头做好预算执行情况公开的监督。各镇、县直单位要严格执行公开制度,及时公开本单位信息。
"""


def test_a_subject_that_lists_offices_gives_each_of_them_its_role(tmp_path):
    recs = _load(tmp_path, OFFICES)
    by_text = {t.text_norm[:6]: _units(t) for t in recs.tasks}
    assert by_text["县政府办、考"] == [("县政府办", "implement"), ("县考核办", "implement")]
    assert by_text["市财政局、市"] == [("市财政局", "lead"), ("市审计局", "lead")]
    assert by_text["各镇、县直单"] == []   # a class of bodies: whom it addresses, no unit
