"""Which level a requirement addresses and what an interpretation rests on, after real cascades (四川 2021 → 遂宁
2021 and 雅安's forwarding notice; 湖南 2022 → 湘潭 2022 and 中方县; national 2022 → 云南 2022 → 官渡区's
interpretation; national 2020 → 船山区/安居区 2020; national 2022 → 达州/广元/自贡 2022): a requirement asked of
基层政府(包括县、不设区的市、市辖区…) was read as asked of every 设区的市 too, so a city's plan was told it owed what its text
asks of the counties; a plan issued by a region's 政务公开政务服务领导小组办公室 was read as a department's; a city plan
that takes up such a requirement through the section holding it was "not applicable" rather than covered
beyond what it owed; and the list of plans an interpretation names under 二、政策依据 was reported as three
local additions. Short texts of our own."""
from __future__ import annotations

from conftest import graph_of_texts
from loaders.clauses import addressees, tier_of
from queries.gaps import coverage

_PROVINCE = """贵州省人民政府办公厅关于印发2024年全省政务公开重点工作安排的通知
各市(州)、县(市、区)人民政府,省政府各部门:
《2024年全省政务公开重点工作安排》已经省政府同意,现印发给你们,请认真贯彻落实。
贵州省人民政府办公厅
2024年3月28日
2024年全省政务公开重点工作安排
一、深化基层政务公开
(一)动态调整公开事项目录。基层政府(包括县、不设区的市、市辖区人民政府和乡镇人民政府、街道办事处)要对照本级权责清单,动态调整本级政务公开事项标准目录并及时公开。
二、加强平台建设
(一)办好政府网站。设区的市人民政府要加强本级政府网站集约化平台建设管理。
"""

_CITY = """遵义市人民政府办公室关于印发2024年全市政务公开重点任务分工方案的通知
遵府办函〔2024〕12号
各县(市、区)人民政府,市直各部门:
现将《2024年全市政务公开重点任务分工方案》印发给你们,请认真抓好落实。
遵义市人民政府办公室
2024年5月6日
2024年全市政务公开重点任务分工方案
一、深化基层政务公开
(一)调整公开目录。指导各县(市、区)结合本级权责清单梳理政务公开事项,动态调整基层政务公开事项标准目录,并通过政府网站向社会公开。(责任单位:市政务服务局,各县(市、区)政府)
二、加强平台建设
(一)办好政府网站。推进市政府网站集约化平台建设,规范栏目设置。(责任单位:市政务服务局)
"""


def test_not_a_city_with_districts_is_no_city_with_districts():
    # 不设区的市 is a county-level city: the sentence asks the county-level and township governments only
    assert addressees("基层政府(包括县、不设区的市、市辖区人民政府和乡镇人民政府、街道办事处)要调整公开目录。")[1] == [
        "county/department", "county/government", "town/government"]
    assert addressees("设区的市人民政府要加强网站集约化建设。")[1] == ["city/government"]


def test_a_lead_group_for_both_openness_and_services_issues_its_governments_plan():
    assert tier_of("city", "某某市", "某某市政务公开政务服务领导小组办公室") == ("city/government", "province")
    assert tier_of("county", "某某市某某县", "某某县政务公开和政务服务工作领导小组")[0] == "county/government"
    assert tier_of("city", "某某市", "某某市教育局政务公开领导小组") == ("city/department", "city")


def test_a_city_takes_up_what_was_asked_of_the_counties_beyond_what_it_owed(tmp_path):
    G = graph_of_texts(tmp_path, {"prov.txt": _PROVINCE, "city.txt": _CITY})
    assert G.has_edge("city", "prov")
    rows = {(r["upper"], r["lower_doc"]): r for r in coverage(G) if r["status"] != "local"}
    catalogue = rows[("prov/一/(一)/(一).1", "city")]
    # asked of 基层政府 only: the city plan did not owe it; it passes it down all the same (指导各县…)
    assert catalogue["status"] == "covered" and catalogue.get("owed") is False
    assert rows[("prov/二/(一)/(一).1", "city")]["status"] == "covered"
    assert "owed" not in rows[("prov/二/(一)/(一).1", "city")]


_NATIONAL = """国务院办公厅关于印发2024年政务公开工作要点的通知
国办发〔2024〕5号
各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
《2024年政务公开工作要点》已经国务院同意,现印发给你们,请认真贯彻落实。
国务院办公厅
2024年3月1日
2024年政务公开工作要点
一、助力经济发展
(一)加强涉企政策公开。加大惠企政策公开力度,推动政策直达快享。
"""

_INTERPRETATION = """关于《遵义市汇川区2024年政务公开工作要点分工方案》的政策解读
一、出台背景
为做好全区2024年政务公开工作,区政府办公室起草了分工方案,经征求意见后印发。
二、政策依据
1.《国务院办公厅关于印发2024年政务公开工作要点的通知》(国办发〔2024〕5号);
2.《遵义市人民政府办公室关于印发遵义市2024年政务公开工作要点分工方案的通知》(遵府办发〔2024〕3号)。
三、主要内容
一是助力经济发展,加大惠企政策公开力度,推动政策直达快享。
"""


def test_the_plans_an_interpretation_rests_on_are_no_local_additions(tmp_path):
    G = graph_of_texts(tmp_path, {"nat.txt": _NATIONAL, "interp.txt": _INTERPRETATION})
    assert G.nodes["interp"].get("kind") == "interpretation"
    cited = [t for t, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == "interp"
             and "《" in (d.get("text_norm") or "")]
    assert cited and all(G.nodes[t]["clause"] == "framing" for t in cited)
    local = [r["lower"][0] for r in coverage(G) if r["status"] == "local"]
    assert not any(t in cited for t in local)


def test_a_link_to_the_section_holding_it_shows_it_taken_up_too(tmp_path):
    # the province's text cut inside its one requirement (an opening): the city's task links to the
    # section, whose only requirement it is; taken up beyond what was owed, not "not applicable"
    cut = _PROVINCE.split("要对照本级权责清单")[0] + "要结合《\n[GAP]\n"
    G = graph_of_texts(tmp_path, {"prov.txt": cut, "city.txt": _CITY.split("二、加强平台建设")[0]})
    links = [v for _, v, d in G.out_edges("city/一/(一)/(一).1", data=True) if d.get("type") == "DERIVED_FROM"]
    assert links == ["prov/一/(一)"]
    row = next(r for r in coverage(G) if r["upper"] == "prov/一/(一)/(一).1" and r["lower_doc"] == "city")
    assert row["status"] == "covered" and row["owed"] is False and row["lower"] == ["city/一/(一)/(一).1"]
    assert "its section" in row["reason"]


_STANDING = """株洲市政务公开政务服务领导小组办公室关于印发《株洲市2024年政务公开工作要点》的通知
各县市区人民政府,市直机关各单位:
《株洲市2024年政务公开工作要点》已经市政务公开政务服务领导小组同意,现印发给你们,请认真贯彻落实。
株洲市政务公开政务服务领导小组办公室
2024年4月20日
株洲市2024年政务公开工作要点
一、深化重点领域信息公开
(一)加强产业政策公开。集中公开支持先进制造业发展的政策措施。(市直相关单位按职责分工负责。各县市区人民政府、园区管委会均为责任单位,以下不再列出)
(二)加强营商环境信息公开。及时发布市场准入负面清单执行情况。(市发展改革委负责)
"""


def test_units_said_once_for_every_task_below_reach_them_and_name_no_unit(tmp_path):
    G = graph_of_texts(tmp_path, {"zz.txt": _STANDING})
    assert G.nodes["zz"]["tier"] == "city/government"

    def units(t):
        return sorted(G.nodes[v]["name"] for _, v, d in G.out_edges(t, data=True)
                      if d.get("type") == "ASSIGNED_TO" and d.get("column") == "own")
    first, second = units("zz/一/(一)/(一).1"), units("zz/一/(二)/(二).1")
    # 均为责任单位,以下不再列出: the counties and parks answer for this task and every one after it; the
    # words themselves are no unit
    assert not any("责任单位" in u or "以下" in u for u in first + second)
    assert any(u.endswith("各县市区人民政府") for u in first) and any(u.endswith("各县市区人民政府") for u in second)
    assert any(u.endswith("发展改革委") for u in second)
