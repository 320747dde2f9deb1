"""Gap verdicts on real cascades (session 30b), short texts of our own:

1. A lower plan compared with a plan two levels up, its own parent plan not held (四川's 船山区 against the
   national 要点 while 遂宁's plan is missing): the row waits for that plan between, named as the lower
   text cites it (《title》, number) or by its place, year and level, whatever the lower text is (an
   opening, a cover notice, an interpretation); held, it judges the pair. A requirement naming the lower
   issuer is owed directly: it waits for the lower text. The analysis, the store's rows (the Cypher
   definition, its ``why``) and the store's coverage reads say the same.
2. A cover notice issuing a 政务服务 要点 beside its 政务公开 要点 (湖南 2022, 衡南 2021): the other plan's
   tasks, read apart, are owed by no lower 政务公开 plan, are no local addition, and link to no 政务公开 task.
"""
from __future__ import annotations

from conftest import graph_of_texts
from graph.not_assessable_rows import NOT_ASSESSABLE_COLUMNS, not_assessable_definition, not_assessable_row
from graph.store import load_graph
from queries.cypher import run_cypher
from queries.gaps import coverage

_PROVINCE = """江苏省人民政府办公厅关于印发2024年江苏省政务公开工作要点的通知
苏政办发〔2024〕20号
各设区市人民政府,省各委办厅局:
《2024年江苏省政务公开工作要点》已经省人民政府同意,现印发给你们,请认真贯彻落实。
江苏省人民政府办公厅
2024年3月20日
2024年江苏省政务公开工作要点
一、围绕稳经济做好公开
(一)公开助企政策。做好惠企政策的集中发布和解读。(责任单位:各设区市人民政府)
(二)公开重大项目。做好重大建设项目批准和实施信息公开。(责任单位:各市、县(市、区)人民政府)
(三)公开统计数据。做好统计数据发布和解读。(责任单位:省统计局)
"""

_CITY = """徐州市人民政府办公室关于印发2024年徐州市政务公开工作要点的通知
徐政办发〔2024〕15号
各县(市)、区人民政府,市各委办局:
根据《2024年江苏省政务公开工作要点》(苏政办发〔2024〕20号),现将《2024年徐州市政务公开工作要点》印发给你们,请认真贯彻落实。
徐州市人民政府办公室
2024年4月8日
2024年徐州市政务公开工作要点
一、围绕稳经济做好公开
(一)公开助企政策。做好惠企政策的集中发布和解读。(责任单位:各县(市)、区人民政府)
"""

# a district's plan citing its city's plan by title and number: only its opening held ([GAP])
_DISTRICT_CUT = """徐州市鼓楼区人民政府办公室关于印发2024年鼓楼区政务公开工作要点的通知
鼓政办发〔2024〕3号
各街道办事处,区各部门:
为贯彻落实《2024年江苏省政务公开工作要点》和《2024年徐州市政务公开工作要点》(徐政办发〔2024〕15号),现将《2024年鼓楼区政务公开工作要点》印发给你们,请认真贯彻落实。
徐州市鼓楼区人民政府办公室
2024年4月25日
2024年鼓楼区政务公开工作要点
一、围绕稳经济做好公开
(一)公开惠民资金。做好惠民惠农财政补贴资金发放信息公开。(责任单位:区财政局)
[GAP]
"""

# the same district's cover notice only, citing its city's plan by number only
_DISTRICT_NOTICE = """徐州市鼓楼区人民政府办公室关于印发2024年鼓楼区政务公开工作要点的通知
鼓政办发〔2024〕3号
各街道办事处,区各部门:
根据徐政办发〔2024〕15号文件要求,现将《2024年鼓楼区政务公开工作要点》印发给你们,请认真贯彻落实。
徐州市鼓楼区人民政府办公室
2024年4月25日
"""


def _rows(G, lower, upper):
    return {G.nodes[r["upper"]]["number"][:3]: r for r in coverage(G)
            if r["lower_doc"] == lower and r.get("upper_doc") == upper and r["status"] != "local"}


def _stored(store, G):
    """The store's not-assessable rows, checked equal to the analysis's and the definition's."""
    cols = ", ".join(f"n.`{c}`" for c, _ in NOT_ASSESSABLE_COLUMNS)
    stored = sorted(run_cypher(store, f"MATCH (n:NotAssessable) RETURN {cols}")[1])
    H = load_graph(store)
    expected = sorted([not_assessable_row(H, r["upper"], r["upper_doc"], r["lower_doc"])[c] for c, _ in NOT_ASSESSABLE_COLUMNS]
                      for r in coverage(H) if r["status"] == "not_assessable")
    assert stored == expected and sorted(run_cypher(store, not_assessable_definition())[1]) == stored
    assert sorted((r["upper"], r["lower_doc"]) for r in coverage(G) if r["status"] == "not_assessable") == \
        sorted((r[1], r[3]) for r in stored)
    return {(r[1], r[3]): r[-1] for r in stored}


def _store_coverage(store, upper, lower):
    """The rows the store's coverage reads give (the Worklist's and the report's full rows)."""
    from queries.backend import open_backend
    from queries.coverage_store import pair_coverage

    with open_backend(store, env={}) as b:
        return {r["upper"]: r for r in pair_coverage(b, upper, lower)}


def test_an_opening_compared_with_its_province_waits_for_the_city_plan_it_cites(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"js.txt": _PROVINCE, "gl.txt": _DISTRICT_CUT}, store=store)
    assert G.nodes["gl"]["truncated"] and G.has_edge("gl", "js")
    rows = _rows(G, "gl", "js")
    # 各设区市人民政府 reaches the district through 徐州's plan: it waits for that plan, by the title and
    # number the district cites (before: for the district's own full text)
    waits = "《2024年徐州市政务公开工作要点》（徐政办发〔2024〕15号）"
    assert rows["(一)"]["status"] == "not_assessable" and rows["(一)"]["waits_for"] == waits
    assert "intermediate plan not held" in rows["(一)"]["reason"]
    # 各市、县(市、区)人民政府 names the district itself: owed directly, so its own text decides
    assert rows["(二)"]["status"] == "not_assessable" and rows["(二)"]["waits_for"].startswith("the full text of")
    assert rows["(三)"]["status"] == "not_applicable"
    from cascade.i18n import reason_text

    zh = reason_text(rows["(一)"]["reason"], "zh")
    assert "intermediate plan" not in zh and "徐州市" in zh
    why = _stored(store, G)
    assert why == {("js/一/(一)/(一).1", "gl"): "parent_missing", ("js/一/(二)/(二).1", "gl"): "truncated"}
    # the store's coverage reads give the same rows, waits for and who
    got = _store_coverage(store, "js", "gl")
    for n, r in rows.items():
        assert {k: got[r["upper"]][k] for k in ("status", "reason", "waits_for", "who")} == \
            {k: r[k] for k in ("status", "reason", "waits_for", "who")}


def test_a_cover_notice_citing_only_a_number_waits_for_the_plan_of_that_number(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"js.txt": _PROVINCE, "gl.txt": _DISTRICT_NOTICE}, store=store)
    assert G.nodes["gl"]["kind"] == "notice" and G.has_edge("gl", "js")
    rows = _rows(G, "gl", "js")
    assert rows["(一)"]["waits_for"] == "徐州市2024年政务公开工作要点（市级分工方案，徐政办发〔2024〕15号）"
    assert rows["(二)"]["waits_for"].startswith("the plan issued by")   # named: the notice's plan decides
    assert _stored(store, G) == {("js/一/(一)/(一).1", "gl"): "parent_missing", ("js/一/(二)/(二).1", "gl"): "notice"}


def test_with_the_city_plan_held_the_province_pair_is_judged_on_it_and_the_opening_waits_for_its_text(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"js.txt": _PROVINCE, "xz.txt": _CITY, "gl.txt": _DISTRICT_CUT}, store=store)
    assert G.has_edge("gl", "xz")
    if G.has_edge("gl", "js"):   # (a citation of the province too: judged on 徐州's plan)
        assert {r["status"] for r in _rows(G, "gl", "js").values()} <= {"not_applicable", "covered"}
    rows = _rows(G, "gl", "xz")
    assert rows["(一)"]["status"] == "not_assessable" and rows["(一)"]["waits_for"].startswith("the full text of")
    assert set(_stored(store, G).values()) == {"truncated"}


_COUNTY_INTERP = """关于《2024年铜山区政务公开工作要点》的解读
一、主要内容
《要点》围绕惠企政策做好集中发布和解读。
"""


def test_an_interpretation_compared_with_its_own_parent_waits_for_the_plan_it_explains(tmp_path):
    store = tmp_path / ".cascade"
    city = _CITY + "(二)公开重大项目。做好重大建设项目批准和实施信息公开。(责任单位:各县(市)、区人民政府)\n"
    G = graph_of_texts(tmp_path, {"xz.txt": city, "ts.txt": _COUNTY_INTERP.replace("一、主要内容\n", "徐州市铜山区人民政府办公室\n一、主要内容\n")},
                       store=store)
    assert G.has_edge("ts", "xz") and G.nodes["ts"]["kind"] == "interpretation"
    assert G.nodes["ts"]["parent_level"] == "city"
    waits = [r["waits_for"] for r in coverage(G) if r["status"] == "not_assessable"]
    assert waits and set(waits) == {"《2024年铜山区政务公开工作要点》"}
    assert set(_stored(store, G).values()) <= {"interpretation", "issuer_unknown"}
