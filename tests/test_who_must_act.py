"""Who must act on a row waiting for the plan between, cities' customary abbreviations, and flattened
two-plan notices, on real cascades, short texts of our own:

1. A row waiting for the plan between (a county's plan compared with its province's, its city's plan not
   held) names as who must act that plan's issuer: the one its cited title opens with, else the city's
   government or office as the cited number says (府办/政办: the office; 府/政: the government), else the
   city's office by the ladder; or says it cannot be told (the place one up not known). Before: the
   county's own office.
2. A city's customary abbreviation that is no character of its name (洪府办发 南昌, 榕政办 福州, 甬政办发
   宁波) is its by elimination in a county's citations: neither the State Council's, nor the province's
   fixed one-character names, nor the county's own. Before: not recognised (the number left out of what
   the row waits for, a held city plan without its number not linked).
3. A notice issuing two plans (政务服务 + 政务公开) whose line breaks were lost is split as its lined form is.
"""
from __future__ import annotations

import re

from conftest import graph_of_texts
from queries.gaps import coverage, who_text

_PROVINCE = """福建省人民政府办公厅关于印发2021年福建省政务公开工作要点的通知
闽政办〔2021〕20号
各市、县(区)人民政府,省人民政府各部门:
《2021年福建省政务公开工作要点》已经省人民政府同意,现印发给你们,请认真贯彻落实。
福建省人民政府办公厅
2021年4月20日
2021年福建省政务公开工作要点
一、围绕稳经济做好公开
(一)公开助企政策。做好惠企政策的集中发布和解读。(责任单位:各设区市人民政府)
(二)公开统计数据。做好统计数据发布和解读。(责任单位:省统计局)
"""

# a district of 福州 citing its city's plan by number only (榕政办: 榕 is no character of 福州)
_DISTRICT = """福州市长乐区人民政府办公室关于印发2021年长乐区政务公开工作要点的通知
长政办〔2021〕9号
各镇(街道),区直各单位:
根据闽政办〔2021〕20号和榕政办〔2021〕31号文件要求,现将《2021年长乐区政务公开工作要点》印发给你们,请认真贯彻落实。
福州市长乐区人民政府办公室
2021年5月28日
2021年长乐区政务公开工作要点
一、围绕稳经济做好公开
(一)公开惠民资金。做好惠民惠农财政补贴资金发放信息公开。(责任单位:区财政局)
"""


def _waiting(G, lower="cl", upper="fj"):
    return [r for r in coverage(G) if r["lower_doc"] == lower and r.get("upper_doc") == upper
            and r["status"] == "not_assessable"]


def test_a_row_waiting_for_the_city_plan_names_the_city_office_its_number_gives(tmp_path):
    G = graph_of_texts(tmp_path, {"fj.txt": _PROVINCE, "cl.txt": _DISTRICT})
    assert G.has_edge("cl", "fj")
    rows = _waiting(G)
    assert len(rows) == 1 and "intermediate plan not held" in rows[0]["reason"]
    # the number 榕政办 is 福州's by elimination (闽 is the province's, 长 the district's own)
    assert rows[0]["waits_for"] == "福州市2021年政务公开工作要点（市级分工方案，榕政办〔2021〕31号）"
    # who must act: 福州's office, whose plan is awaited (before: 福州市长乐区人民政府办公室)
    assert rows[0]["who"] == ["福州市人民政府办公室"] and rows[0]["who_via"] == "between"
    assert who_text(rows[0]) == "福州市人民政府办公室 (issuer of the plan between)"
    from cascade.report_rows import who_must_act

    assert who_must_act(rows[0], "zh") == "福州市人民政府办公室（中间层方案的发文机关：待补该方案）"
    # the lower issuer is still the row's lower_issuer
    assert rows[0]["lower_issuer"] == "福州市长乐区人民政府办公室"


def test_the_issuer_a_cited_title_opens_with_and_a_government_number(tmp_path):
    titled = _DISTRICT.replace("根据闽政办〔2021〕20号和榕政办〔2021〕31号文件要求",
                               "根据《福州市人民政府关于印发2021年福州市政务公开工作要点的通知》文件要求")
    G = graph_of_texts(tmp_path, {"fj.txt": _PROVINCE, "cl.txt": titled})
    assert [r["who"] for r in _waiting(G)] == [["福州市人民政府"]]
    from queries.parent_plan import missing_parent_issuer

    # a number of the government itself (榕政〔2021〕31号): the government, not its office
    G.nodes["cl"].update(parent_cited=[], cites=["榕政〔2021〕31号"])
    assert missing_parent_issuer(G, "cl") == "福州市人民政府"
    # no number, no title: the ladder's place, and its office (a held 办公厅 of that place says which)
    G.nodes["cl"].update(cites=[])
    assert missing_parent_issuer(G, "cl") == "福州市人民政府办公室"
    assert missing_parent_issuer(G, "cl", {"福州市人民政府办公厅"}) == "福州市人民政府办公厅"


def test_who_cannot_be_told_when_the_place_one_up_is_not_known(tmp_path):
    # a district the divisions table does not know, citing nothing of its city
    unknown = (_DISTRICT.replace("福州市长乐区", "某某新区").replace("长乐区", "某某新区")
               .replace("和榕政办〔2021〕31号", ""))
    G = graph_of_texts(tmp_path, {"fj.txt": _PROVINCE, "cl.txt": unknown})
    rows = _waiting(G)
    # it waits for the plan between, whose issuer cannot be told (before: the district's own office)
    assert len(rows) == 1 and rows[0]["who"] == [] and rows[0]["who_via"] == "between_unknown"
    from cascade.report_rows import who_must_act

    assert who_must_act(rows[0], "zh") == "无法判断（中间层方案的发文机关不详）"
    assert who_text(rows[0]) == "cannot be told (the issuer of the plan between)"


def test_the_elimination_reads_no_province_no_own_and_no_two_character_abbreviation():
    import networkx as nx

    from queries.parent_plan import missing_parent

    G = nx.MultiDiGraph()
    G.add_node("c", label="Document", level="county", tier="county/government", parent_level="city",
               region="宁波市海曙区", year=2022, parent_cited=[],
               cites=["浙政办发〔2022〕8号", "海政办〔2022〕2号", "甬政办发〔2022〕15号"])
    assert missing_parent(G, "c") == "宁波市2022年政务公开工作要点（市级分工方案，甬政办发〔2022〕15号）"
    # a two-character abbreviation is a county's own (遂安: 遂宁's 安居区), never the city's
    G.nodes["c"]["cites"] = ["浙政办发〔2022〕8号", "海曙政办〔2022〕2号"]
    assert missing_parent(G, "c") == "宁波市2022年政务公开工作要点（市级分工方案）"
    # two candidates: which is the city's cannot be told
    G.nodes["c"]["cites"] = ["甬政办发〔2022〕15号", "杭政办〔2022〕3号"]
    assert "〔2022〕" not in missing_parent(G, "c")


def test_a_held_city_plan_without_its_number_is_linked_by_its_customary_abbreviation(tmp_path):
    city = """福州市2021年政务公开工作要点
一、围绕稳经济做好公开
(一)公开惠企政策。做好惠企政策的集中发布和解读。(责任单位:各县(市)区人民政府)
"""
    G = graph_of_texts(tmp_path, {"fj.txt": _PROVINCE, "fz.txt": city, "cl.txt": _DISTRICT})
    assert G.nodes["fz"].get("doc_no") is None and G.nodes["fz"].get("region") == "福州市"
    # 榕政办〔2021〕31号 names the 福州 plan of 2021 held without its number, and 闽政办〔2021〕20号 the
    # province's, though the text cites them as 根据闽政办…和榕政办… (before: neither, the city plan inferred)
    via = {v: e.get("via") for _, v, e in G.out_edges("cl", data=True) if e.get("type") == "IMPLEMENTS"}
    assert via == {"fz": "citation", "fj": "citation"}


# --- a notice issuing two plans, its line breaks lost ------------------------------------------------

_TWO_PLANS = """某县人民政府办公室关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知
各乡镇人民政府,县直各单位:
《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》已经县人民政府同意,现印发给你们。
某县人民政府办公室
2021年6月2日
某县2021年政务服务工作要点
坚持以人民为中心,深化放管服改革。
一、深化一件事一次办
(一)推进全流程网上办理。推进政务服务大厅标准化建设。(县行政审批服务局牵头)
(二)优化窗口服务。推行好差评制度,及时整改差评事项。(县行政审批服务局牵头)
某县2021年政务公开工作要点
一、围绕稳经济做好公开
(一)做好助企纾困政策公开。及时公开减税降费政策。(县财政局牵头)
(二)做好重大项目信息公开。及时公开重大建设项目批准信息。(县发展改革局牵头)
"""


def test_a_flattened_two_plan_notice_is_split_as_its_lined_form(tmp_path):
    from loaders import load_file

    def read(text):
        path = tmp_path / "two.txt"
        path.write_text(text, encoding="utf-8")
        rec = load_file(path)
        return rec.document.kind, [(t.section, t.clause, t.text[:10], [(a.name, a.role) for a in t.assignments])
                                   for t in rec.tasks]

    lined = read(_TWO_PLANS)
    assert [t[1] for t in lined[1]] == ["obligation", "obligation", "other_plan", "other_plan"]
    # its line breaks lost (the other plan's title after the date, the 政务公开 plan's after a note): the same
    # records (before: the four tasks read as one plan, the 政务公开 title glued to a 政务服务 task)
    assert read(re.sub(r"\n", "", _TWO_PLANS)) == lined
    assert read(re.sub(r"\n", " ", _TWO_PLANS)) == lined
