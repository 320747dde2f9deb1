"""Framing sentences and every level's organs, after real cascades (浙江's five-year plan → 舟山 2022 and 绍兴
2021): a city task that assigns work (建立市县乡三级事项标准体系) was linked to a framing sentence of the province's
工作原则 (严格执行《条例》…), which shared the law's name with it, instead of the province's 事项标准 task; and a
requirement "各级行政机关负责" was "not applicable" to the city governments, though every level's administrative
organs include them. Short texts of our own."""
from __future__ import annotations


from graph.membership import collective_kinds
from conftest import graph_of_texts
from queries.gaps import coverage

_PROVINCE = """江西省人民政府办公厅关于印发江西省政务公开三年行动计划(2021—2023年)的通知
各市、县(区)人民政府,省政府直属各单位:
《江西省政务公开三年行动计划(2021—2023年)》已经省政府同意,现印发给你们,请认真贯彻执行。
江西省人民政府办公厅
2020年12月15日
江西省政务公开三年行动计划(2021—2023年)
一、总体要求
(一)指导思想。以习近平新时代中国特色社会主义思想为指导,牢牢把握“数字江西”目标定位,坚持标准化、规范化、数字化方向,全面提升政务公开质量。
(二)工作原则。坚持依法公开,严格执行《中华人民共和国政府信息公开条例》等法律法规,强化制度保障。
二、主要任务
(一)优化省市县乡四级政务公开事项标准。各基层政府按照事项标准目录,编制本级政务公开事项清单,建立动态调整工作机制。(各级政府办公室负责)
(二)提升政策解读质量。做到政策文件与解读材料同步起草、同步审签、同步发布。(各级行政机关负责)
"""

_CITY = """江西省九江市人民政府办公室关于印发九江市贯彻《江西省政务公开三年行动计划(2021—2023年)》实施方案的通知
九府办发〔2021〕9号
各县(区)人民政府,市政府各部门:
现将《九江市贯彻〈江西省政务公开三年行动计划(2021—2023年)〉实施方案》印发给你们,请认真组织实施。
九江市人民政府办公室
2021年3月2日
九江市贯彻《江西省政务公开三年行动计划(2021—2023年)》实施方案
一、总体要求
以习近平新时代中国特色社会主义思想为指导,牢牢把握“数字江西”目标定位,坚持标准化、规范化、数字化方向,推动我市政务公开工作走在前列。
二、主要任务
(一)完善事项标准体系。严格执行《中华人民共和国政府信息公开条例》第二十条等规定,建立市县乡三级政务公开事项标准体系,完善动态调整工作机制。(市政府办公室负责)
(二)加强政务新媒体管理。定期开展检查。(市政府办公室负责)
"""


def _links(G, task):
    return [v for _, v, e in G.out_edges(task, data=True) if e.get("type") == "DERIVED_FROM"]


def _task(G, doc, start):
    return next(n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc
                and (d.get("text_norm") or "").startswith(start))


def test_work_does_not_derive_from_framing_but_framing_restating_framing_does(tmp_path):
    G = graph_of_texts(tmp_path, {"prov.txt": _PROVINCE, "city.txt": _CITY})
    assert G.has_edge("city", "prov")
    principle = _task(G, "prov", "坚持依法公开")
    guide = _task(G, "prov", "以习近平")
    standard = _task(G, "prov", "各基层政府")
    assert G.nodes[principle]["clause"] == G.nodes[guide]["clause"] == "framing"
    work = _task(G, "city", "严格执行《中华人民共和国")
    assert G.nodes[work]["clause"] == "obligation"
    # the city's work answers the province's 事项标准 task, never its 工作原则's sentence on the law
    assert principle not in _links(G, work)
    assert _links(G, work) == [standard]
    # the city's 总体要求 restating the province's 指导思想 stays linked
    aim = _task(G, "city", "以习近平")
    assert _links(G, aim) == [guide]


def test_every_level_s_organs_cover_the_lower_governments(tmp_path):
    assert {"government", "department"} <= collective_kinds("江西省各级行政机关")
    assert {"government", "department"} <= collective_kinds("各级各部门")
    assert collective_kinds("各级政府办公室") == {"government"}     # offices only: no department
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"prov.txt": _PROVINCE, "city.txt": _CITY}, store=store)
    rows = {G.nodes[r["upper"]]["text_norm"][:6]: r for r in coverage(G)
            if r["lower_doc"] == "city" and r["status"] != "local"}
    # 解读 (各级行政机关负责) is owed by the city government too: not taken up, a gap, not "not applicable"
    assert rows["做到政策文件"]["status"] == "gap", rows["做到政策文件"]["reason"]
    assert "各级行政机关" in rows["做到政策文件"]["reason"]
    assert rows["各基层政府按"]["status"] == "covered"
    # the store's gap rows (the Cypher definition) say the same
    from graph.gap_rows import gap_definition
    from queries.cypher import run_cypher

    gaps = run_cypher(store, gap_definition())[1]
    assert len(gaps) == sum(r["status"] == "gap" for r in coverage(G)) == 1
