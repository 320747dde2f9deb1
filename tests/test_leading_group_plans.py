"""Plans issued by a region's 政务公开领导小组, and the plan a truncated county plan answers to, after real cascades
(national 2021 → 辽宁 2021 → 沈阳 2021; 吉林省 2021 → 吉林市 2021; national 2021 → 山东 2021 → 聊城 2021 → 冠县 2021): a
plan issued by a region's 政务公开领导小组 (辽宁省政务公开领导小组, 吉林市人民政府政务公开(政府信息公开)领导小组) was read as a department's plan,
so a national requirement asked of 省级政府 or 地方政府 was "not applicable" to the province's plan, and a city's
plan owed its own city's plan (the province's requirements then waited for an "intermediate plan"); and a
truncated county plan citing its province beside its city was told it might owe the province's requirement
directly, when its city's plan, loaded, is the one it answers to. Short texts of our own."""
from __future__ import annotations

from conftest import graph_of_texts
from graph.gap_rows import gap_definition
from graph.not_assessable_rows import not_assessable_definition
from loaders.clauses import tier_of
from queries.gaps import coverage

_NATIONAL = """国务院办公厅关于印发2023年政务公开工作要点的通知
国办发〔2023〕9号
各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
《2023年政务公开工作要点》已经国务院同意,现印发给你们,请认真贯彻落实。
国务院办公厅
2023年3月20日
2023年政务公开工作要点
一、加强政策发布
(一)做好规划公开。县级以上人民政府要主动公开本地区国民经济和社会发展规划及专项规划。
(二)推进数据互通。省级政府要推动本级门户网站政府信息公开栏目与中国政府网互联互通。
"""

_PROVINCE_GROUP = """黑龙江省政务公开领导小组关于印发黑龙江省2023年政务公开工作要点的通知
黑政公组〔2023〕1号
各市人民政府,省政府各部门:
为贯彻落实《国务院办公厅关于印发2023年政务公开工作要点的通知》(国办发〔2023〕9号),现将《黑龙江省2023年政务公开工作要点》印发给你们,请认真贯彻落实。
黑龙江省政务公开领导小组
2023年5月8日
黑龙江省2023年政务公开工作要点
一、加强政策发布
1.做好规划公开。县级以上各级人民政府要主动公开本地区国民经济和社会发展规划及专项规划。(牵头单位:省发展改革委;责任单位:各市政府)
2.做好财政信息公开。推动部门所属单位预算、决算及相关报表公开。(牵头单位:省财政厅;责任单位:各市政府)
"""

_CITY_GROUP = """哈尔滨市人民政府政务公开(政府信息公开)领导小组关于印发哈尔滨市2023年政务公开工作要点的通知
各区、县(市)人民政府,市政府各部门:
按照《黑龙江省政务公开领导小组关于印发黑龙江省2023年政务公开工作要点的通知》(黑政公组〔2023〕1号)要求,现将《哈尔滨市2023年政务公开工作要点》印发给你们,请认真贯彻执行。
哈尔滨市人民政府政务公开(政府信息公开)领导小组
2023年6月2日
哈尔滨市2023年政务公开工作要点
一、加强政策发布
1.做好规划公开。市、区县(市)人民政府要主动公开本地区国民经济和社会发展规划及专项规划。(牵头单位:市发展改革委;责任单位:各区、县(市)政府)
"""


def test_a_lead_group_issues_its_governments_plan():
    assert tier_of("province", "辽宁省", "辽宁省政务公开领导小组") == ("province/government", "national")
    assert tier_of("city", "吉林市", "吉林市人民政府政务公开(政府信息公开)领导小组") == ("city/government", "province")
    assert tier_of("county", "沈阳市和平区", "沈阳市和平区政务公开工作领导小组办公室")[0] == "county/government"
    # a bureau's own leading group issues the bureau's plan
    assert tier_of("city", "某市", "某市人力资源和社会保障局政务公开领导小组") == ("city/department", "city")


def test_plans_of_lead_groups_owe_their_parents_and_show_their_gaps(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"nat.txt": _NATIONAL, "hlj.txt": _PROVINCE_GROUP, "hrb.txt": _CITY_GROUP},
                       store=store)
    assert (G.nodes["hlj"]["tier"], G.nodes["hrb"]["tier"]) == ("province/government", "city/government")
    assert G.has_edge("hlj", "nat") and G.has_edge("hrb", "hlj")
    rows = {(r["upper"], r["lower_doc"]): r for r in coverage(G) if r["status"] != "local"}
    # asked of 省级政府: the province's plan owed it and left it out (a department's plan would not owe it)
    assert rows[("nat/一/(二)/(二).1", "hlj")]["status"] == "gap"
    assert rows[("nat/一/(一)/(一).1", "hlj")]["status"] == "covered"
    # the city's plan owes its province's, directly: the one it took up is covered, the one it left out a gap
    # (not "intermediate plan not held", as a bureau's plan owing its city's would be)
    assert rows[("hlj/一/1", "hrb")]["status"] == "covered"
    assert rows[("hlj/一/2", "hrb")]["status"] == "gap"
    from queries.cypher import run_cypher

    stored = sorted((r[1], r[3]) for r in run_cypher(store, gap_definition())[1])
    assert stored == [("hlj/一/2", "hrb"), ("nat/一/(二)/(二).1", "hlj")]


# the province's cover notice and its plan's first heading, shared by both province texts below
_PROVINCE_HEAD = """山西省人民政府办公厅关于印发2023年山西省政务公开工作要点的通知
晋政办发〔2023〕12号
各市、县人民政府,省人民政府各委、厅,各直属机构:
《2023年山西省政务公开工作要点》已经省人民政府同意,现印发给你们,请认真贯彻落实。
山西省人民政府办公厅
2023年4月20日
2023年山西省政务公开工作要点
一、深化重点领域公开
"""

_PROVINCE = _PROVINCE_HEAD + """(一)推进重大项目信息公开。县级以上政府要做好重大建设项目批准和实施领域信息公开。
(二)推进惠民政策公开。县级以上政府要做好惠民惠农补贴资金发放信息公开,向村、社区延伸。
"""

_CITY = """太原市人民政府办公室关于印发2023年太原市政务公开工作要点的通知
并政办发〔2023〕8号
各县(市、区)人民政府,市人民政府各委、局、办:
根据《2023年山西省政务公开工作要点》(晋政办发〔2023〕12号),现将《2023年太原市政务公开工作要点》印发给你们,请认真贯彻落实。
太原市人民政府办公室
2023年5月16日
2023年太原市政务公开工作要点
一、深化重点领域公开
(一)推进重大项目信息公开。做好重大建设项目批准和实施领域信息公开。(责任单位:各县(市、区)人民政府)
(二)推进惠民政策公开。做好惠民惠农补贴资金发放信息公开。(责任单位:各县(市、区)人民政府)
"""

# a county plan citing its province's and its city's plans, held only to the middle of its first task
_COUNTY_CUT = """太原市小店区人民政府办公室关于印发2023年小店区政务公开工作要点的通知
小政办发〔2023〕4号
各街道办事处,区直各部门:
为落实《2023年山西省政务公开工作要点》(晋政办发〔2023〕12号)和《2023年太原市政务公开工作要点》(并政办发〔2023〕8号)要求,现将《2023年小店区政务公开工作要点》印发给你们,请认真贯彻落实。
太原市小店区人民政府办公室
2023年6月5日
2023年小店区政务公开工作要点
一、深化重点领域公开
(一)推进重大项目信息公开。做好重大建设项目批准和实施领域信息公开。区直有关部门要及时公开项目审批、核准和备案结果以及
"""


def test_a_truncated_county_plan_answers_to_its_citys_plan_not_its_provinces(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"sx.txt": _PROVINCE, "ty.txt": _CITY, "xd.txt": _COUNTY_CUT}, store=store)
    assert G.nodes["xd"]["truncated"] and G.has_edge("xd", "sx") and G.has_edge("xd", "ty")
    rows = {(r["upper"], r["lower_doc"]): r for r in coverage(G) if r["status"] != "local"}
    # the city's row waits for the county's whole text; the province's is judged on the city's rows
    assert rows[("ty/一/(二)/(二).1", "xd")]["status"] == "not_assessable"
    prov = rows[("sx/一/(二)/(二).1", "xd")]
    assert prov["status"] == "not_applicable" and "owes what its own parent plan ty" in prov["reason"]
    from queries.cypher import run_cypher

    # the store's not-assessable rows (the Cypher definition) leave the skip-level pair out too
    na = run_cypher(store, not_assessable_definition())[1]
    assert {(r[3], r[2]) for r in na} == {("xd", "ty")}
    assert sorted(r[1] for r in na) == sorted(u for (u, lo), r in rows.items()
                                             if lo == "xd" and r["status"] == "not_assessable")


# the province's notes name the governments below it; the county's city plan is not loaded
_PROVINCE_NOTES = _PROVINCE_HEAD + """(一)推进重大项目信息公开。做好重大建设项目批准和实施领域信息公开。(责任单位:各市、县人民政府)
(二)推进惠民政策公开。做好惠民惠农补贴资金发放信息公开,向村、社区延伸。(责任单位:各市〔州〕、县〔市、区〕政府)
(三)推进权责清单公开。及时更新调整权责清单并在门户网站公开。(各级政府各部门按照职能分别落实)
(四)推进审计结果公开。做好省级预算执行审计结果公开。(责任单位:省审计厅)
"""

_COUNTY_WHOLE = """太原市小店区人民政府办公室关于印发2023年小店区政务公开工作要点的通知
小政办发〔2023〕4号
各街道办事处,区直各部门:
为落实《2023年山西省政务公开工作要点》(晋政办发〔2023〕12号)要求,现将《2023年小店区政务公开工作要点》印发给你们,请认真贯彻落实。
太原市小店区人民政府办公室
2023年6月5日
2023年小店区政务公开工作要点
一、深化重点领域公开
(一)推进重大项目信息公开。做好重大建设项目批准和实施领域信息公开。(责任单位:区发展改革局)
(二)推进教育信息公开。做好学校招生入学信息公开。(责任单位:区教育局)
"""


def test_what_a_province_gives_the_governments_below_waits_for_the_missing_city_plan(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"sx.txt": _PROVINCE_NOTES, "xd.txt": _COUNTY_WHOLE}, store=store)
    assert not G.nodes["xd"]["truncated"] and G.has_edge("xd", "sx")
    rows = {r["upper"]: r for r in coverage(G) if r["lower_doc"] == "xd" and r["status"] != "local"}
    # 各市、县人民政府 / 各市(州)、县(市、区)政府 / 各级…: the district is one of the governments they name
    # (tests/test_who_owes_across_levels.py: they name the county level too), so with 太原's plan not loaded it owes them directly: taken
    # up (covered), else a gap of the district's whole plan; never "not applicable" to the district
    assert rows["sx/一/(一)/(一).1"]["status"] == "covered" and rows["sx/一/(一)/(一).1"].get("owed") is not False
    for n in ("sx/一/(二)/(二).1", "sx/一/(三)/(三).1"):
        assert rows[n]["status"] == "gap" and "owed directly" in rows[n]["reason"], rows[n]
    # the province's own audit office's work is asked of no district
    assert rows["sx/一/(四)/(四).1"]["status"] == "not_applicable"
    from queries.cypher import run_cypher

    assert run_cypher(store, not_assessable_definition())[1] == []
    assert sorted(r[1] for r in run_cypher(store, gap_definition())[1]) == ["sx/一/(三)/(三).1", "sx/一/(二)/(二).1"]
