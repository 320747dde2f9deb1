"""Lower documents whose issuer is not known, plans for a period of years and 贯彻落实 notices, after real
cascades (浙江's five-year plan → 绍兴 2021 and 舟山 2022; 济南 2025 → the interpretations of 槐荫区's and 起步区's
plans): a lower document whose issuer is not known (an interpretation or a repost without its issuer line)
was told it owed nothing a requirement assigned to the districts ("not applicable"), where its issuer may
well be one of them; a plan naming a span of years (2021—2025年) was no parent of a plan of 2022; a notice
titled 关于贯彻落实X的通知 did not implement X. Short texts of our own."""
from __future__ import annotations


from graph.not_assessable_rows import NOT_ASSESSABLE_COLUMNS, not_assessable_definition, not_assessable_row
from conftest import graph_of_texts
from queries.gaps import coverage

_CITY = """淄博市人民政府办公室关于印发2025年淄博市政务公开工作要点的通知
淄政办发〔2025〕3号
各区县人民政府,市政府各部门:
《2025年淄博市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。
淄博市人民政府办公室
2025年5月20日
2025年淄博市政务公开工作要点
一、推进重点领域信息公开
(一)围绕扩大内需做好公开。做好消费券发放、以旧换新补贴等促消费政策的发布和解读。(责任单位:各区县政府)
(二)围绕民生保障做好公开。持续做好公办养老机构床位、收费标准等信息公开。(责任单位:各区县政府)
"""

# an interpretation of a district plan that is not held, with no issuer line
_INTERP = """关于《2025年张店区政务公开工作要点》的解读
一、起草背景
为落实《2025年淄博市政务公开工作要点》(淄政办发〔2025〕3号)要求,结合我区实际,制定了《2025年张店区政务公开工作要点》。
二、主要内容
《要点》围绕促消费政策发布和解读,做好消费券发放、以旧换新补贴等信息公开。
"""

# a whole district plan reposted without its issuer line (its title names the district)
_DISTRICT = """2025年淄博市周村区政务公开工作要点
根据《2025年淄博市政务公开工作要点》(淄政办发〔2025〕3号),制定本要点。
一、推进重点领域信息公开
(一)围绕扩大内需做好公开。做好消费券发放、以旧换新补贴等促消费政策的发布和解读。
(二)围绕国企改革做好公开。做好区属国有企业改革进展信息公开。
"""


def _rows(G, lower):
    return {G.nodes[r["upper"]]["number"][:3]: r for r in coverage(G) if r["lower_doc"] == lower and r["status"] != "local"}


def test_an_interpretation_without_its_issuer_is_not_told_it_owed_nothing(tmp_path):
    G = graph_of_texts(tmp_path, {"city.txt": _CITY, "interp.txt": _INTERP})
    assert G.nodes["interp"].get("kind") == "interpretation" and not G.nodes["interp"].get("issuer")
    rows = _rows(G, "interp")
    # both requirements are the districts': whether this district's is among them cannot be told from a
    # document with no issuer, and what the interpretation leaves out says nothing of its plan either way
    assert {n: r["status"] for n, r in rows.items()} == {"(一)": rows["(一)"]["status"], "(二)": "not_assessable"}
    assert rows["(一)"]["status"] in ("covered", "not_assessable")
    assert "not known to include" in rows["(二)"]["reason"]
    assert rows["(二)"]["waits_for"] == "《2025年张店区政务公开工作要点》"


def test_a_whole_plan_without_its_issuer_waits_for_it_and_agrees_with_the_store(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"city.txt": _CITY, "district.txt": _DISTRICT}, store=store)
    d = G.nodes["district"]
    assert d.get("level") == "county" and not d.get("issuer") and not d.get("truncated")
    assert G.has_edge("district", "city")
    rows = _rows(G, "district")
    # the one it takes up is covered; the one it leaves out is no gap (its issuer is not known) and no
    # "not applicable" (the districts are asked): the analyst waits for the issuer
    assert rows["(一)"]["status"] == "covered"
    assert rows["(二)"]["status"] == "not_assessable"
    assert rows["(二)"]["waits_for"] == "the issuer of district (manifest)"
    # the store's rows (the Cypher definitions) say the same
    from graph.store import load_graph
    from queries.cypher import run_cypher
    from graph.gap_rows import gap_definition

    H = load_graph(store)
    cols = ", ".join(f"n.`{c}`" for c, _ in NOT_ASSESSABLE_COLUMNS)
    stored = sorted(run_cypher(store, f"MATCH (n:NotAssessable) RETURN {cols}")[1])
    expected = sorted([not_assessable_row(H, r["upper"], r["upper_doc"], r["lower_doc"])[c] for c, _ in NOT_ASSESSABLE_COLUMNS]
                      for r in coverage(H) if r["status"] == "not_assessable")
    assert stored == expected and sorted(run_cypher(store, not_assessable_definition())[1]) == stored
    assert [r[-1] for r in stored] == ["issuer_unknown"]
    assert run_cypher(store, gap_definition())[1] == []


_FIVE_YEAR = """福建省人民政府办公厅关于印发福建省政务公开三年行动计划(2021—2023年)的通知
各市、县(区)人民政府,省人民政府各部门:
《福建省政务公开三年行动计划(2021—2023年)》已经省人民政府同意,现印发给你们,请认真组织实施。
福建省人民政府办公厅
2020年12月20日
福建省政务公开三年行动计划(2021—2023年)
一、主要任务
(一)健全公开事项标准。修订省市县乡四级政务公开事项标准目录(2019年版),建立动态调整机制。(各级政府办公室牵头负责)
(二)提升解读质量。政策文件与解读材料同步起草、同步审签、同步发布。(各级行政机关负责)
"""

_NOTICE_2021 = """厦门市人民政府办公厅关于贯彻落实福建省政务公开三年行动计划(2021—2023年)的通知
厦府办〔2021〕7号
一、工作任务
(一)健全公开事项标准。建立市区镇三级政务公开事项标准目录及动态调整机制。(各区政府办公室负责)
"""

_SCHEME_2022 = """泉州市贯彻《福建省政务公开三年行动计划(2021—2023年)》实施方案
泉州市人民政府办公室
2022年6月1日
一、主要任务
(一)提升解读质量。做到政策文件与解读材料同步起草、同步审签、同步发布。(市政府各部门负责)
"""


def test_a_plan_for_a_period_is_the_parent_of_the_plans_that_carry_it_out(tmp_path):
    G = graph_of_texts(tmp_path, {"fj.txt": _FIVE_YEAR, "xm.txt": _NOTICE_2021, "qz.txt": _SCHEME_2022})
    # the province plan is of its period's first year, not of the 2019 a sentence names
    assert G.nodes["fj"]["year"] == 2021
    parents = {(u, v): e.get("via") for u, v, e in G.edges(data=True) if e.get("type") == "IMPLEMENTS"}
    # the 2021 notice names the plan in its title without 《》; the 2022 scheme cites it in 《》, a plan
    # of 2021—2023 and so of 2022 too
    assert parents == {("xm", "fj"): "citation", ("qz", "fj"): "citation"}
