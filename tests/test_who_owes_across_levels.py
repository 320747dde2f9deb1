"""Who owes a requirement across levels: a province's note naming 各市、县人民政府 (or 各市(州)、县(市、区)政府, 各级政府) names
the counties as well as the cities, so a county plan implementing the province's plan with no city plan
held owes it directly (covered, else a gap of its whole plan), where 各市人民政府 alone reaches the county only
through its city's plan; and a mirror page that replaced its issuer line by an advertisement still says
who issued it by its number (辽政办〔2016〕23号: 辽宁省人民政府办公厅). Short texts of our own."""
from __future__ import annotations

import shutil

from conftest import graph_of_texts
from graph.gap_rows import gap_definition
from graph.membership import levels_below
from graph.not_assessable_rows import not_assessable_definition
from queries.cypher import run_cypher
from queries.gaps import coverage

_PROVINCE = """河北省人民政府办公厅关于印发2024年河北省政务公开工作要点的通知
冀政办字〔2024〕30号
各市(含定州、辛集市)、县(市、区)人民政府,省政府各部门:
《2024年河北省政务公开工作要点》已经省政府同意,现印发给你们,请认真组织实施。
河北省人民政府办公厅
2024年4月10日
2024年河北省政务公开工作要点
一、助力经济发展
(一)公开重点项目信息。做好重大建设项目批准和实施信息公开。(责任单位:各市、县人民政府)
(二)公开惠农补贴信息。做好惠民惠农财政补贴资金发放信息公开。(责任单位:各市(州)、县(市、区)政府)
(三)公开市级统计数据。做好本市统计数据发布和解读。(责任单位:各市人民政府)
(四)公开审计结果。做好省级预算执行审计结果公开。(责任单位:省审计厅)
"""

_CITY = """石家庄市人民政府办公室关于印发2024年石家庄市政务公开工作要点的通知
石政办字〔2024〕12号
各县(市、区)人民政府,市政府各部门:
根据《2024年河北省政务公开工作要点》(冀政办字〔2024〕30号),现将《2024年石家庄市政务公开工作要点》印发给你们,请认真贯彻落实。
石家庄市人民政府办公室
2024年5月6日
2024年石家庄市政务公开工作要点
一、助力经济发展
(一)公开重点项目信息。做好重大建设项目批准和实施信息公开。(责任单位:各县(市、区)人民政府)
(二)公开惠农补贴信息。做好惠民惠农财政补贴资金发放信息公开。(责任单位:各县(市、区)人民政府)
"""

# a district's whole plan citing its province's plan only: its city's plan is not held in the first builds
_COUNTY = """石家庄市长安区人民政府办公室关于印发2024年长安区政务公开工作要点的通知
长政办字〔2024〕5号
各街道办事处,区政府各部门:
为贯彻落实《2024年河北省政务公开工作要点》(冀政办字〔2024〕30号),现将《2024年长安区政务公开工作要点》印发给你们,请认真贯彻落实。
石家庄市长安区人民政府办公室
2024年6月3日
2024年长安区政务公开工作要点
一、助力经济发展
(一)公开重点项目信息。做好重大建设项目批准和实施信息公开。(责任单位:区发展改革局)
(二)公开义务教育招生信息。做好中小学招生入学信息公开。(责任单位:区教育局)
"""


# the same plan citing its city's plan beside its province's (冠县's way)
_COUNTY_BOTH = _COUNTY.replace("(冀政办字〔2024〕30号),", "(冀政办字〔2024〕30号)和《2024年石家庄市政务公开工作要点》(石政办字〔2024〕12号),")


def test_a_collective_names_every_level_its_words_list():
    assert levels_below("河北省各市、县人民政府", "河北省") == {1, 2}
    assert levels_below("河北省各市(州)、县(市、区)政府", "河北省") == {1, 2}
    assert levels_below("河北省各级政府", "河北省") == {1, 2}
    # the level just below only: a city's 各县(市、区), a province's 各市, the State Council's 各省…
    assert levels_below("石家庄市各县(市、区)人民政府", "石家庄市") == {1}
    assert levels_below("河北省各市人民政府", "河北省") == {1}
    assert levels_below("各省、自治区、直辖市人民政府", "全国") == {1}


def test_a_county_named_by_its_province_owes_it_directly_when_no_city_plan_is_held(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"hb.txt": _PROVINCE, "ca.txt": _COUNTY}, store=store)
    assert G.has_edge("ca", "hb") and not G.nodes["ca"]["truncated"]
    member = [(v, d["via"]) for _, v, d in G.out_edges("unit:石家庄市长安区人民政府办公室", data=True)
              if d.get("type") == "MEMBER_OF"]
    assert {v for v, _ in member} == {"unit:河北省各市、县人民政府", "unit:河北省各市(州)、县(市、区)政府"}
    rows = {r["upper"]: r for r in coverage(G) if r["lower_doc"] == "ca" and r["status"] != "local"}
    assert rows["hb/一/(一)/(一).1"]["status"] == "covered"
    # named at its level, taken up nowhere in its whole plan: a gap the district signs
    gap = rows["hb/一/(二)/(二).1"]
    assert gap["status"] == "gap" and "owed directly" in gap["reason"]
    from cascade.i18n import reason_text   # said in the office's words, as every other clause
    assert "点名的承办对象" in reason_text(gap["reason"], "zh") and "owed directly" not in reason_text(gap["reason"], "zh")
    # 各市人民政府 names the cities only: it reaches the district through its city's plan, not held
    assert rows["hb/一/(三)/(三).1"]["status"] == "not_assessable"
    assert "石家庄市" in rows["hb/一/(三)/(三).1"]["waits_for"]
    assert rows["hb/一/(四)/(四).1"]["status"] == "not_applicable"
    # the store's definitions give the same rows
    assert [(r[1], r[3]) for r in run_cypher(store, gap_definition())[1]] == [("hb/一/(二)/(二).1", "ca")]
    assert [(r[1], r[3], r[-1]) for r in run_cypher(store, not_assessable_definition())[1]] == [
        ("hb/一/(三)/(三).1", "ca", "parent_missing")]


def test_with_the_city_plan_held_between_the_county_is_judged_on_it(tmp_path):
    store = tmp_path / ".cascade"
    G = graph_of_texts(tmp_path, {"hb.txt": _PROVINCE, "sjz.txt": _CITY, "ca.txt": _COUNTY_BOTH}, store=store)
    assert G.has_edge("ca", "sjz") and G.has_edge("ca", "hb")
    rows = {r["upper"]: r for r in coverage(G) if r["lower_doc"] == "ca" and r.get("upper_doc") == "hb"}
    assert rows["hb/一/(一)/(一).1"]["status"] == "covered"
    # the city's rows judge it (the city's own (二) is the district's gap there)
    assert rows["hb/一/(二)/(二).1"]["status"] == "not_applicable"
    stored = sorted((r[1], r[3]) for r in run_cypher(store, gap_definition())[1])
    # (the city's plan leaves out what 各市人民政府 owe: its own gap)
    assert stored == [("hb/一/(三)/(三).1", "sjz"), ("sjz/一/(二)/(二).1", "ca")]


def test_a_truncated_county_plan_still_waits_for_its_text(tmp_path):
    cut = _COUNTY.split("(二)公开义务教育")[0].replace("(责任单位:区发展改革局)", "区直有关部门要及时公开项目审批、核准和")
    G = graph_of_texts(tmp_path, {"hb.txt": _PROVINCE, "ca.txt": cut})
    assert G.nodes["ca"]["truncated"]
    rows = {r["upper"]: r for r in coverage(G) if r["lower_doc"] == "ca" and r["status"] != "local"}
    assert rows["hb/一/(二)/(二).1"]["status"] == "not_assessable"
    assert "truncated" in rows["hb/一/(二)/(二).1"]["reason"]


def test_an_incremental_build_drops_the_gap_when_the_city_plan_arrives(tmp_path):
    from cascade.pipeline import build

    src = tmp_path / "src"
    src.mkdir()
    (src / "hb.txt").write_text(_PROVINCE, encoding="utf-8")
    (src / "ca.txt").write_text(_COUNTY_BOTH, encoding="utf-8")
    store = tmp_path / ".cascade"
    build([src], store=store, incremental=True)
    gaps = lambda: sorted((r[1], r[3]) for r in run_cypher(store, gap_definition())[1])  # noqa: E731
    assert gaps() == [("hb/一/(二)/(二).1", "ca")]
    (src / "sjz.txt").write_text(_CITY, encoding="utf-8")
    result = build([src], store=store, incremental=True)
    assert result.incremental["mode"] == "incremental"
    full = sorted((r["upper"], r["lower_doc"]) for r in coverage(build([src], store=None).graph) if r["status"] == "gap")
    assert gaps() == full and ("hb/一/(二)/(二).1", "ca") not in full
    (src / "sjz.txt").unlink()
    build([src], store=store, incremental=True)
    assert gaps() == [("hb/一/(二)/(二).1", "ca")]


_SPAM_ISSUER = """辽政办〔2016〕23号
某某娱乐在线办公厅关于
贯彻落实国务院办公厅2016年政务公开工作要点的实施方案
各市人民政府,省政府各厅委、各直属机构:
为贯彻落实《国务院办公厅关于印发2016年政务公开工作要点的通知》(国办发〔2016〕19号)精神,经省政府同意,现提出如下实施方案。
一、推进权力运行公开
(一)推进行政决策公开。重要改革方案、重大政策措施在决策前向社会公开草案。(各市政府、省政府各部门负责落实)
(二)推进执行公开。公开重点工作的执行措施和进展情况。(各市政府、省政府相关部门负责落实)
"""


def _load(tmp_path, name, text):
    from loaders.load import load_file

    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p).document


def test_the_number_names_the_issuer_a_mirror_replaced(tmp_path):
    d = _load(tmp_path, "ln.txt", _SPAM_ISSUER)
    assert (d.issuer, d.level, d.region, d.tier) == ("辽宁省人民政府办公厅", "province", "辽宁省", "province/government")
    assert any("names no place" in w for w in d.warnings)


def test_a_named_issuer_is_never_replaced_nor_a_citys_number_read_as_a_provinces(tmp_path):
    named = _SPAM_ISSUER.replace("某某娱乐在线办公厅", "沈阳市人民政府办公室")
    assert _load(tmp_path, "sy.txt", named).region == "沈阳市"
    # 青政办发: 青岛's number too; its opening speaks as a city (市政府各部门), never as 青海省
    qd = _SPAM_ISSUER.replace("辽政办〔2016〕23号", "青政办发〔2016〕9号").replace(
        "各市人民政府,省政府各厅委、各直属机构:", "各区、市人民政府,市政府各部门:").replace("经省政府同意", "经市政府同意")
    assert _load(tmp_path, "qd.txt", qd).region != "青海省"
