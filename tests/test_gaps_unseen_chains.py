"""Real cascades the project had not seen (江西 2024 → 南昌 → 新建区 / 南昌经开区, the national 2020 要点 →
浙江 2020 and 长乐区, the national 2021 / 2022 要点 → 杭州 / 湖州), each failure reproduced with a short text of
our own: a sentence that asks to publish with how (重点公开…), a plan title line before run-in parts, a
development zone's 管理委员会, a page's metadata row (标题 … 有效性 有效), a county-level city made a
district, a standing rule inside a note, notes with parentheses of their own, the plan a skipped level
waits for."""
from __future__ import annotations

from pathlib import Path

from loaders import load_file
from loaders.places import region_of
from loaders.units import inline_notes, parse_units
from queries.gaps import coverage


def _load(tmp_path: Path, text: str, name: str = "x.txt"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_file(tmp_path / name)


def _build(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from cascade.pipeline import build

    return build([tmp_path]).graph


def test_a_sentence_that_publishes_with_how_is_a_task(tmp_path):
    # 重点公开 X: the adverb says how, the verb 公开 is the ask
    rec = _load(tmp_path, "2024年某市政务公开工作要点\n一、深化重点领域信息公开\n(一)聚焦中心工作。加强产业体系建设等方面的"
                          "信息公开。重点公开“一枢纽”建设、“8810”行动等政策举措和进展成效。(市发改委、市工信局按职责分工负责)\n")
    assert [t.text for t in rec.tasks] == ["加强产业体系建设等方面的信息公开。",
                                           "重点公开“一枢纽”建设、“8810”行动等政策举措和进展成效。"]


_PROVINCE = """各市、县(区)人民政府,省直有关部门:
《2024年江西省政务公开工作要点》已经省政府同意,现印发给你们,请结合实际认真贯彻落实。
2024年3月28日
2024年江西省政务公开工作要点
2024年全省政务公开工作的总体要求是:以习近平新时代中国特色社会主义思想为指导,以高质量公开助推高质量发展。
一、聚焦高质量发展推进信息公开。及时公开产业链“1269”行动计划等政策举措和进展成效。加强民营经济发展壮大政策措施的信息公开。
二、围绕民生深化信息公开。深入推进重点群体就业政策的信息公开。
"""

_CITY = """南昌市人民政府办公室关于印发2024年南昌市政务公开工作要点的通知
各县(区)人民政府、开发区管委会,市政府各部门:
《2024年南昌市政务公开工作要点》已经市政府同意,现印发给你们。
2024年6月3日
2024年南昌市政务公开工作要点
一、深化重点领域信息公开
(一)聚焦中心工作。加强民营经济发展等方面的信息公开。重点公开“8810”行动计划、“1269”行动计划等政策举措和进展成效。(市发改委、市工信局按职责分工负责)
"""

_ZONE = """关于印发《2024年经开区政务公开工作要点》的通知
洪经管办发〔2024〕1号
各镇人民政府、街道办事处,区机关各部门:
《2024年经开区政务公开工作要点》经研究同意,现印发给你们。
南昌经济技术开发区管理委员会办公室
2024年6月24日
2024年经开区政务公开工作要点
一、聚焦重点工作
(一)深化重大战略部署信息公开
紧紧围绕南昌市“8810”行动计划等重大部署,及时依法公开相关政策措施和进展成效信息。
"""


def test_parts_after_the_plan_title_line_are_the_plans_not_the_notices(tmp_path):
    # a page that starts at the addressees: the cover notice has no points of its own, the plan's title
    # line comes before 一、, so 一、 and 二、 are the plan's requirements
    rec = _load(tmp_path, _PROVINCE)
    assert {s.scope for s in rec.sections} == {"plan"} and len(rec.tasks) == 3
    (tmp_path / "chain").mkdir()
    G = _build(tmp_path / "chain", {"p.txt": _PROVINCE, "c.txt": _CITY})
    rows = [r for r in coverage(G) if r["status"] != "local" and r["lower_doc"] == "c"]
    assert {r["upper"] for r in rows} == {t for t, d in G.nodes(data=True) if d.get("label") == "Task" and d["doc_id"] == "p"}
    assert sum(r["status"] == "covered" for r in rows) == 2, rows


def test_a_development_zones_committee_is_a_county_level_government_of_its_city(tmp_path):
    doc = _load(tmp_path, _ZONE).document
    assert (doc.level, doc.region, doc.tier) == ("county", "南昌市", "county/government")
    # unlike a city's 城市管理委员会, which is a bureau
    from loaders.metadata import level_of_issuer
    assert level_of_issuer("某市城市管理委员会办公室") == "department"
    (tmp_path / "chain").mkdir()
    G = _build(tmp_path / "chain", {"c.txt": _CITY, "z.txt": _ZONE})
    assert ("z", "c") in {(u, v) for u, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"}
    assert any(d.get("type") == "DERIVED_FROM" and u.startswith("z/") for u, v, d in G.edges(data=True))


def test_a_pages_metadata_row_gives_the_title_without_its_labels(tmp_path):
    doc = _load(tmp_path, "索 引 号 文号\n标题 某某区人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知 有效性 有效\n"
                          "各乡镇人民政府、街道办事处:\n现就贯彻落实提出以下任务:\n1.加强权力配置信息公开。要全面梳理本机关的"
                          "行政权力,按要求公开权责清单。\n").document
    assert doc.title == "某某区人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知"
    assert doc.issuer == "某某区人民政府办公室"


def test_a_county_level_city_made_a_district_keeps_its_place():
    # 长乐市 (the table's name) became 福州市长乐区 in 2017
    assert region_of("长乐区人民政府办公室") == "福州市长乐区"
    assert region_of("赤壁市人民政府办公室") == "咸宁市赤壁市"


def test_a_standing_rule_inside_a_note_reaches_every_later_task(tmp_path):
    rec = _load(tmp_path, "2020年某省政务公开工作要点\n一、拓展主动公开\n(一)加强决策公开。建立重大行政决策事项目录公开机制。"
                          "(责任单位:省政府办公厅,其他省级有关单位。本要点各项工作均需各市、县〔市、区〕政府作为责任单位,"
                          "以下不再列出)\n(二)公开权责清单。动态调整、及时公开各级行政机关权责清单。\n")
    names = [[a.name for a in t.assignments] for t in rec.tasks]
    assert names == [["省政府办公厅", "其他省级有关单位", "各市、县(市、区)政府"], ["各市、县(市、区)政府"]]
    # the same rule said as 以下责任单位均包含…, in a task's own note: the task is kept, not read as the rule
    rec = _load(tmp_path, "2022年某市政务公开工作要点\n一、围绕中心\n(一)聚焦共同富裕。做好共同富裕信息公开工作。(牵头单位:市发改委,"
                          "各区县政府〔含某新区管委会,下同〕,以下责任单位均包含各区县政府)\n(二)深化解读。做好重大政策解读工作。"
                          "(牵头单位:市政府办)\n", "y.txt")
    assert [(t.text, [a.name for a in t.assignments]) for t in rec.tasks] == [
        ("做好共同富裕信息公开工作。", ["市发改委", "各区县政府"]), ("做好重大政策解读工作。", ["市政府办", "各区县政府"])]


def test_a_note_with_parentheses_of_its_own_names_its_units(tmp_path):
    assert inline_notes("做好规划公开。(各县(市、区)政府负责)") == [("(各县(市、区)政府负责)", "各县(市、区)政府负责")]
    assert [a.name for _, c in inline_notes("做好规划公开。[责任单位:市政府办公厅,其他市级有关部门,各区、县(市)政府]")
            for a in parse_units(c)] == ["市政府办公厅", "其他市级有关部门", "各区、县(市)政府"]
    assert inline_notes("编制《工作细则(试行)》") == []
    # a plan in traditional script keeps its own script once the note is taken out
    rec = _load(tmp_path, "2021年某市政務公開工作要點\n一、強化重點領域公開\n(一)抓好政策文件公開。做好規範性文件數據庫更新維護工作。"
                          "[責任單位:市政府辦公廳,各區、縣(市)政府]\n")
    assert [t.text for t in rec.tasks] == ["做好規範性文件數據庫更新維護工作。"]
    assert [a.name for a in rec.tasks[0].assignments] == ["市政府办公厅", "各区、县(市)政府"]


def test_a_city_compared_with_the_national_plan_waits_for_its_provinces(tmp_path):
    national = ("国务院办公厅关于印发2021年政务公开工作要点的通知\n国办发〔2021〕12号\n2021年4月9日\n2021年政务公开工作要点\n"
                "一、深化政务公开\n(一)主动公开各类规划。县级以上人民政府要主动公开“十四五”规划纲要和专项规划。\n"
                "(二)做好政策解读。各地区各部门要围绕重大政策做好解读工作。\n")
    city = ("杭州市人民政府办公厅关于印发2021年杭州市政务公开工作要点的通知\n2021年6月17日\n2021年杭州市政务公开工作要点\n"
            "一、强化重点领域公开\n(一)抓好规划公开。要主动公开本级“十四五”发展规划和专项规划。(责任单位:市发改委)\n"
            "(二)抓好决策公开。严格落实重大行政决策程序,及时发布决策草案征求意见。(责任单位:市司法局)\n")
    G = _build(tmp_path, {"n.txt": national, "c.txt": city})
    rows = coverage(G)
    waits = {r["waits_for"] for r in rows if r["status"] == "not_assessable"}
    assert waits == {"浙江省2021年政务公开工作要点（省级分工方案）"}, waits
    # a task the national text does not hold is no sure local addition: the province's plan may ask it
    local = [r for r in rows if r["status"] == "local"]
    assert len(local) == 1 and "浙江省2021年政务公开工作要点（省级分工方案）, which is not loaded: it may derive" in local[0]["reason"]
