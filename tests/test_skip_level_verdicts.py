"""Skip-level gap verdicts (a lower plan compared with a plan two levels up) and two-plan notices, on real
cascades, short texts of our own:

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
from graph.local_addition_rows import local_addition_definition
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


def test_a_held_parent_plan_linked_to_nothing_above_is_named_as_the_link_waited_for(tmp_path):
    # 徐州's plan held, but issued before the province's and citing none: it implements nothing above
    city = _CITY.replace("根据《2024年江苏省政务公开工作要点》(苏政办发〔2024〕20号),", "").replace("2024年4月8日", "2024年3月1日")
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"js.txt": _PROVINCE, "xz.txt": city, "gl.txt": _DISTRICT_CUT}, store=store)
    assert G.has_edge("gl", "xz") and G.has_edge("gl", "js") and not G.has_edge("xz", "js")
    r = _rows(G, "gl", "js")["(一)"]
    assert r["status"] == "not_assessable" and r["waits_for"] == "the link of xz up to js (manifest parents)"
    from cascade.i18n import reason_text

    assert "已载入" in reason_text(r["reason"], "zh") and "承接关系" in reason_text(r["waits_for"], "zh")
    assert _stored(store, G)[("js/一/(一)/(一).1", "gl")] == "parent_missing"


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


def _doc_graph(**attrs):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("c", label="Document", **attrs)
    return G


def test_the_plan_between_is_named_by_the_place_one_up_or_the_level_of_a_cited_title():
    from queries.parent_plan import missing_parent

    # a county-level zone written with its city's region: its parent is that city's plan
    G = _doc_graph(level="county", tier="county/government", parent_level="city", region="宜春市", year=2022,
                   title="关于印发2022年宜春经济技术开发区政务公开工作要点的通知",
                   parent_cited=["2022年宜春经济技术开发区政务公开工作要点"], cites=[])
    assert missing_parent(G, "c") == "宜春市2022年政务公开工作要点（市级分工方案）"
    # a district the divisions table does not know: the cited title of a city's plan names its parent
    G = _doc_graph(level="county", tier="county/government", parent_level="city", region="红谷滩区", year=2022,
                   parent_cited=["江西省人民政府办公厅关于印发2022年江西省政务公开工作要点的通知",
                                 "南昌市人民政府办公室关于印发2022年南昌市政务公开工作要点的通知"],
                   cites=["赣府厅字〔2022〕45号", "洪府办发〔2022〕66号"])
    # (洪府办发: 南昌's customary abbreviation, none of its name's characters, is its by elimination: tests/test_who_must_act.py)
    assert missing_parent(G, "c") == "《2022年南昌市政务公开工作要点》（洪府办发〔2022〕66号）"
    G.nodes["c"]["parent_cited"] = []
    assert missing_parent(G, "c") == "红谷滩区的上级2022年政务公开工作要点（市级分工方案）"
    # a bureau's parent is its own government's plan, not the bureau's own plan it names
    G = _doc_graph(level="department", tier="county/department", parent_level="county", region="江门市台山市",
                   year=2021, parent_cited=["台山市文化广电旅游体育局2021年政务公开工作任务分工", "台山市2021年政务公开工作要点"],
                   cites=["台府办〔2021〕5号"])
    assert missing_parent(G, "c") == "《台山市2021年政务公开工作要点》（台府办〔2021〕5号）"


# --- a notice issuing two plans -----------------------------------------------------------------------

_TWO_PLANS = """某省人民政府办公厅关于印发《某省2022年政务服务工作要点》和《某省2022年政务公开工作要点》的通知
湘政办发〔2022〕9号
各市州、县市区人民政府,省政府各厅委、各直属机构:
《某省2022年政务服务工作要点》和《某省2022年政务公开工作要点》已经省人民政府同意,现印发给你们,请认真贯彻落实。
湖南省人民政府办公厅
2022年4月12日
某省2022年政务服务工作要点
一、深化一件事一次办
(一)推进全流程网上办理。推进政务服务大厅标准化建设,实现线上线下一体化办理。(省政务局牵头,各市州、县市区人民政府负责)
(二)优化窗口服务。推行好差评制度,及时整改差评事项并公开整改情况。(各市州、县市区人民政府负责)
某省2022年政务公开工作要点
一、围绕稳经济做好公开
(一)做好助企纾困政策公开。及时公开减税降费政策,做好解读。(省财政厅牵头,各市州、县市区人民政府负责)
(二)做好重大项目信息公开。及时公开重大建设项目批准和实施信息。(省发展改革委牵头,各市州、县市区人民政府负责)
"""

_CITY_PLAN = """长沙市人民政府办公厅关于印发长沙市2022年政务公开工作要点的通知
各区县(市)人民政府,市直机关各单位:
现将《长沙市2022年政务公开工作要点》印发给你们,请认真贯彻落实。
长沙市人民政府办公厅
2022年5月6日
长沙市2022年政务公开工作要点
一、围绕稳经济做好公开
(一)做好助企纾困政策公开。及时公开减税降费政策,做好政策解读。(市财政局牵头)
(二)做好窗口服务公开。推行好差评制度,及时整改差评事项并公开整改情况。(市政务服务局牵头)
"""


def test_the_other_plan_of_a_two_plan_notice_is_read_apart_and_marked(tmp_path):
    from loaders import load_file
    from cascade.i18n import problem_text

    path = tmp_path / "hn.txt"
    path.write_text(_TWO_PLANS, encoding="utf-8")
    rec = load_file(path)
    ours = [(t.section, t.clause, t.text[:8]) for t in rec.tasks if t.clause != "other_plan"]
    # the 政务公开 plan keeps its own numbering (its 一、(一) are not the other plan's)
    assert ours == [(("一", "(一)"), "obligation", "及时公开减税降费"), (("一", "(二)"), "obligation", "及时公开重大建设")]
    other = [t for t in rec.tasks if t.clause == "other_plan"]
    assert [t.section[0] for t in other] == ["其他方案", "其他方案"] and other[0].text.startswith("推进政务服务大厅")
    assert any(s.path == ("其他方案",) and s.title == "某省2022年政务服务工作要点" for s in rec.sections)
    warn = next(w for w in rec.document.warnings if "issued beside" in w)
    # with only the other plan held, the document is the 政务公开 plan's cover notice, and waits for that plan
    path.write_text(_TWO_PLANS.split("某省2022年政务公开工作要点\n一、")[0] + "[GAP]\n", encoding="utf-8")
    cut = load_file(path)
    assert cut.document.kind == "notice" and {t.clause for t in cut.tasks} == {"other_plan"}
    assert "不作为政务公开要求" in problem_text(f"hn.txt: {warn}", "zh")


def test_the_other_plans_tasks_are_owed_by_no_lower_plan_and_no_link_reaches_them(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"hn.txt": _TWO_PLANS, "cs.txt": _CITY_PLAN}, store=store)
    assert G.has_edge("cs", "hn")
    rows = [r for r in coverage(G) if r["lower_doc"] == "cs" and r["status"] != "local"]
    # rows for the 政务公开 plan's two requirements only (before: the 政务服务 要点's two as well)
    assert sorted(G.nodes[r["upper"]]["text_norm"][:6] for r in rows) == ["及时公开减税", "及时公开重大"]
    # 长沙's (二) restates the 政务服务 task word for word: it derives from no task of another plan, and is
    # the city's own addition
    linked = {v for u, v, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM"}
    assert not any(G.nodes[v].get("clause") == "other_plan" for v in linked)
    local = [r["lower"][0] for r in coverage(G) if r["status"] == "local"]
    assert any("好差评" in G.nodes[t]["text_norm"] for t in local)
    from graph.gap_rows import gap_definition

    assert {r[1] for r in run_cypher(store, gap_definition())[1]} <= {r["upper"] for r in rows}
    _stored(store, G)
    # the notice alone, compared with the plan above it, waits for the 政务公开 plan it issues
    from queries.gaps import _lower_shows

    G.nodes["hn"]["kind"] = "notice"
    assert _lower_shows(G, "hn")[1] == "《某省2022年政务公开工作要点》"


def test_a_lower_two_plan_notice_adds_no_local_task_of_its_other_plan(tmp_path):
    county = (_TWO_PLANS.replace("某省人民政府办公厅关于印发《某省", "长沙县人民政府办公室关于印发《长沙县")
              .replace("和《某省", "和《长沙县").replace("《某省", "《长沙县").replace("\n某省2022", "\n长沙县2022")
              .replace("湘政办发〔2022〕9号", "长县政办发〔2022〕2号").replace("湖南省人民政府办公厅", "长沙县人民政府办公室")
              .replace("各市州、县市区人民政府", "各镇人民政府").replace("省政务局", "县政务局")
              .replace("省财政厅", "县财政局").replace("省发展改革委", "县发展改革局")
              .replace("省政府各厅委、各直属机构", "县直各单位").replace("省人民政府同意", "县人民政府同意")
              .replace("2022年4月12日", "2022年5月20日"))   # (after its city's plan: no parent issued after its plan)
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"cs.txt": _CITY_PLAN, "csx.txt": county}, store=store)
    assert G.has_edge("csx", "cs")
    other = {n for n, d in G.nodes(data=True) if d.get("doc_id") == "csx" and d.get("clause") == "other_plan"}
    assert len(other) == 2
    local = {r["lower"][0] for r in coverage(G) if r["status"] == "local"}
    assert not local & other
    stored = {r[0] for r in run_cypher(store, local_addition_definition())[1]}
    assert stored == local
