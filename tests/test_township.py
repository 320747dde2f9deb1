"""The township level (乡镇/街道): a county's plan assigns to 各乡镇(街道), the township's plan takes it up.

Short texts of our own, in the shape of real ones: a county's 分工方案 whose table gives one requirement to
各乡镇(街道) and one to county bureaus, and a town's 工作要点 (issued by 某某镇人民政府) that restates the
first. The town's plan is a ``township`` plan of the county's region and the town, it implements the
county's plan, the first requirement is covered for it, and the second is not owed by it.
"""
from __future__ import annotations

import re

import pytest

from graph.build import build_graph
from graph.link import link
from graph.membership import add_membership
from loaders import load_file
from queries.gaps import coverage

COUNTY = """巴州区人民政府办公室关于印发巴州区2023年政务公开工作要点分工方案的通知
各乡镇人民政府、街道办事处,区直各部门:
现将分工方案印发给你们,请认真贯彻落实。
巴州区人民政府办公室
2023年3月10日
序号 | 工作任务 | 责任单位
1 | 常态化公开惠农惠民资金发放、乡村振兴项目等领域信息,及时更新村务公开栏。 | 各乡镇(街道)
2 | 全面公开区级部门预算决算和“三公”经费,按规定细化到功能分类项级科目。 | 区财政局、区审计局
"""

TOWN = """巴州区某某镇人民政府关于印发某某镇2023年政务公开工作要点的通知
各村(社区)、镇直各单位:
现将工作要点印发给你们,请结合实际认真抓好落实。
巴州区某某镇人民政府
2023年3月20日
序号 | 工作任务 | 责任单位
1 | 常态化公开惠农惠民资金发放、乡村振兴项目等领域信息,及时更新各村村务公开栏。 | 镇财政所、便民服务中心
2 | 动态更新本镇权责事项清单和公共服务事项清单。 | 党政办公室
"""


def _flatten(text: str) -> str:
    """The same page as a web mirror gives it: every line break lost, a row's cells run together."""
    return re.sub(r"\s*\n\s*", " ", text.replace(" | ", " "))


def _load(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p, None)


def test_a_town_governments_plan_is_a_township_plan_of_its_county_and_town(tmp_path):
    d = _load(tmp_path, "town.txt", TOWN).document
    assert (d.level, d.region, d.tier, d.parent_level) == ("township", "巴中市巴州区某某镇", "town/government", "county")
    county = _load(tmp_path, "county.txt", COUNTY).document
    assert (county.level, county.region) == ("county", "巴中市巴州区")


@pytest.mark.parametrize("form", ["lined", "flattened"])
def test_a_township_plan_has_its_level_in_every_form(form, tmp_path):
    text = TOWN if form == "lined" else _flatten(TOWN)
    rec = _load(tmp_path, "town.txt", text)
    assert (rec.document.level, rec.document.region) == ("township", "巴中市巴州区某某镇")
    # its offices are the town's own (镇财政所 too), apart from every other town's 党政办公室
    assert {a.canonical for t in rec.tasks for a in t.assignments} == {
        "巴中市巴州区某某镇财政所", "巴中市巴州区某某镇便民服务中心", "巴中市巴州区某某镇党政办公室"}


@pytest.mark.parametrize("issuer,title", [
    ("某某街道办事处", "某某街道2023年政务公开工作要点"),
    ("某某镇党委政府", "某某镇2023年政务公开工作要点"),
    ("某某乡人民政府办公室", "某某乡2023年政务公开工作任务分解"),
])
def test_a_town_or_street_issuer_or_title_says_township(issuer, title, tmp_path):
    text = f"{title}\n一、推进政策公开\n1.及时公开惠农补贴发放信息。(党政办公室)\n{issuer}\n2023年3月1日\n"
    assert _load(tmp_path, "t.txt", text).document.level == "township"
    assert _load(tmp_path, "t.txt", f"{title}\n一、推进政策公开\n1.及时公开惠农补贴发放信息。(党政办公室)\n"
                 ).document.level == "township"


def test_a_county_bureaus_plan_is_still_a_department_and_never_answers_to_a_town(tmp_path):
    bureau = _load(tmp_path, "bureau.txt", "巴州区财政局2023年政务公开工作任务分解\n序号 | 工作任务 | 责任股室\n"
                   "1 | 全面公开部门预算决算和“三公”经费。 | 预算股\n")
    assert bureau.document.level == "department"
    recs = [_load(tmp_path, "county.txt", COUNTY), _load(tmp_path, "town.txt", TOWN), bureau]
    for r, i in zip(recs, ("2023-county", "2023-town", "2023-bureau")):
        r.document.id = i
    G = build_graph(recs)
    link(G)
    implements = {(u, v) for u, v, k in G.edges(keys=True) if k == "IMPLEMENTS"}
    assert ("2023-bureau", "2023-county") in implements and ("2023-bureau", "2023-town") not in implements


@pytest.fixture()
def cascade_graph(tmp_path):
    county, town = _load(tmp_path, "county.txt", COUNTY), _load(tmp_path, "town.txt", TOWN)
    county.document.id, town.document.id = "2023-bazhou", "2023-mouzhen"
    G = build_graph([county, town])
    link(G)
    add_membership(G)
    return G


def test_the_township_plan_implements_its_countys_plan(cascade_graph):
    G = cascade_graph
    assert {(u, v) for u, v, k in G.edges(keys=True) if k == "IMPLEMENTS"} == {("2023-mouzhen", "2023-bazhou")}
    # its issuer is one of the towns the county's 各乡镇(街道) stands for
    assert [v for _, v, k in G.out_edges("unit:巴中市巴州区某某镇人民政府", keys=True) if k == "MEMBER_OF"] == [
        "unit:巴中市巴州区各乡镇(街道)"]


def test_a_requirement_for_the_towns_is_covered_and_one_for_county_bureaus_is_not_owed(cascade_graph):
    rows = {r["upper"].rsplit("/", 1)[-1]: r for r in coverage(cascade_graph) if r["status"] != "local"}
    assert rows["1"]["status"] == "covered" and rows["1"]["lower_doc"] == "2023-mouzhen"
    assert rows["2"]["status"] == "not_applicable" and "区财政局" in rows["2"]["reason"]
    assert not any(r["status"] in ("gap", "not_assessable") for r in rows.values())


def test_a_county_sentence_addressed_to_its_towns_asks_the_township_plans_only():
    from loaders.clauses import addressees

    assert addressees("各乡镇(街道)要及时公开惠农补贴发放信息。")[1] == ["town/government"]
    assert addressees("各乡镇、各部门要做好政务公开工作。")[1] == []   # everyone


@pytest.mark.parametrize("form", ["lined", "flattened"])
def test_a_towns_table_alone_takes_the_level_from_its_offices(form, tmp_path):
    # An excerpt with no title nor issuer (a page's table only): 财政所, 卫生院, 党政办公室, 各村(社区) are a
    # town's offices; a bureau's table (科/股 beside a 所) is not read as a town's.
    rows = [("及时公开惠农惠民资金发放信息。", "财政所、便民综合服务中心"), ("开展线下政策宣讲活动。", "民政办公室、卫生院"),
            ("畅通政策咨询渠道,做好答复工作。", "党政办公室、各村(社区)")]
    text = "序号 | 工作任务 | 责任部门\n" + "".join(f"{i} | {b} | {c}\n" for i, (b, c) in enumerate(rows, 1))
    rec = _load(tmp_path, "table.txt", text if form == "lined" else _flatten(text))
    assert len(rec.tasks) == 3 and rec.document.level == "township"
    bureau = "".join(f"{i} | 及时公开第{i}类信息。 | {u}\n" for i, u in enumerate(("疾控科", "监督所", "办公室"), 1))
    assert _load(tmp_path, "b.txt", "序号 | 工作任务 | 责任科室\n" + bureau).document.level != "township"


def test_the_stores_gap_rows_agree_a_township_that_drops_the_towns_requirement_has_one_gap(tmp_path):
    # The store's rows come from graph/gap_rows.cypher: the same answer as coverage(), the town's issuer a
    # member of 各乡镇(街道) there too; with the restated row cut, the county's first requirement is its gap.
    from cascade.pipeline import build
    from graph.store import load_graph
    from queries.cypher import run_cypher

    src = tmp_path / "src"
    src.mkdir()
    (src / "county.txt").write_text(COUNTY, encoding="utf-8")
    dropped = TOWN.split("\n1 | ")[0] + "\n1 | 及时公开本镇重大建设项目批准和实施信息。 | 党政办公室\n"
    (src / "town.txt").write_text(dropped, encoding="utf-8")
    store = tmp_path / ".cascade"
    build([src], store=store)
    rows = run_cypher(store, "MATCH (g:Gap) RETURN g.upper, g.lower_level")[1]
    G = load_graph(store)
    gaps = sorted([r["upper"], "township"] for r in coverage(G) if r["status"] == "gap")
    assert sorted(map(list, rows)) == gaps and len(gaps) == 1 and gaps[0][0].endswith("/1")


COUNTY_NARRATIVE = """巴州区人民政府办公室关于印发巴州区2023年政务公开工作要点的通知
各乡镇人民政府、街道办事处,区直各部门:
现将《巴州区2023年政务公开工作要点》印发给你们,请认真贯彻落实。
巴州区人民政府办公室
2023年3月10日
巴州区2023年政务公开工作要点
一、推进基层政务公开
1.各乡镇(街道)要常态化公开惠农惠民资金发放信息,及时更新村务公开栏。
2.区财政局要全面公开区级部门预算决算和“三公”经费。
3.区直各部门要及时更新本部门权责清单。
"""

TOWN_CITING = """某某镇人民政府关于印发某某镇2023年政务公开工作要点的通知
各村(社区)、镇直各单位:
为贯彻落实《巴州区2023年政务公开工作要点》,现将本镇工作要点印发给你们。
某某镇人民政府
2023年3月20日
一、推进基层政务公开
1.常态化公开惠农惠民资金发放信息,及时更新各村村务公开栏。(财政所负责)
"""


def test_a_narrative_countys_sentences_ask_the_towns_or_its_bureaus_by_their_subject(tmp_path):
    # 各乡镇(街道)要… asks the towns; 区财政局要… names its unit; 区直各部门要… asks the county's bureaus (no
    # longer everyone, as 各部门 alone does). The town's title and signature name no county; the plan it
    # follows does (为贯彻落实《巴州区2023年…》): its region is under that county (loaders.places.county_named_in),
    # and it finds its county's plan by the title it cites.
    county, town = _load(tmp_path, "county.txt", COUNTY_NARRATIVE), _load(tmp_path, "town.txt", TOWN_CITING)
    assert [t.addressed_to for t in county.tasks] == [["town/government"], [], ["county/department"]]
    assert (town.document.level, town.document.region) == ("township", "巴中市巴州区某某镇")
    assert {a.canonical for t in town.tasks for a in t.assignments} == {"巴中市巴州区某某镇财政所"}
    county.document.id, town.document.id = "2023-bazhou", "2023-mouzhen"
    G = build_graph([county, town])
    link(G)
    add_membership(G)
    rows = {r["upper"].rsplit("/", 1)[-1]: r["status"] for r in coverage(G) if r["status"] != "local"}
    assert rows == {"1": "covered", "2": "not_applicable", "3": "not_applicable"}


def test_a_town_directly_under_a_city_without_counties_owes_its_citys_plan(tmp_path):
    # 东莞 and 中山 govern their towns directly: such a town's plan owes the city's plan, not a county's.
    text = TOWN.replace("巴州区某某镇人民政府", "东莞市某某镇人民政府")
    d = _load(tmp_path, "dg.txt", text).document
    assert (d.level, d.region, d.tier, d.parent_level) == ("township", "东莞市某某镇", "town/government", "city")


@pytest.mark.parametrize("signed, region", [
    ("某某镇人民政府", "某某镇"),                  # nothing names its county: the town's own name
    ("巴州区某某镇人民政府", "巴中市巴州区某某镇"),   # its signature writes the county before the town
])
def test_a_town_plan_whose_title_names_no_county_is_a_region_of_the_towns_name(signed, region, tmp_path):
    text = (f"关于印发某某镇2023年政务公开工作要点的通知\n各村(社区)、镇直各单位:\n现将工作要点印发给你们,请认真落实。\n"
            f"{signed}\n2023年3月20日\n一、推进基层政务公开\n1.及时公开惠农惠民资金发放信息。(财政所负责)\n")
    d = _load(tmp_path, "t.txt", text).document
    assert (d.level, d.region) == ("township", region)
