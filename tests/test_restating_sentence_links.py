"""Real cascades of 2024 and 2025 (山东 → 青岛 → 平度市 / 青岛市行政审批服务局, 山东 → 济南 → 济阳区 / 章丘区,
山东 → 天桥区): a city often strings a whole paragraph of its province into one long sentence (青岛 2024
(一).1 restates 山东 (一).1-(一).5, clause by clause). Linked to its two best candidates only, the other
three requirements it visibly takes up read as the city's gaps. A lower task that restates most of an upper
requirement word for word derives from it, however many others it restates too. Short texts of our own."""
from __future__ import annotations

from pathlib import Path

from queries.gaps import coverage

_PROVINCE = """某省人民政府办公厅关于印发2024年某省政务公开工作要点的通知
某政办发〔2024〕9号
各市人民政府,省政府各部门:
《2024年某省政务公开工作要点》已经省政府同意,现印发给你们,请认真贯彻落实。
某省人民政府办公厅
2024年4月20日
2024年某省政务公开工作要点
一、以公开助推稳就业
(一)以公开稳定就业预期。围绕“稳就业、保民生”做好信息发布,重点发布就业补贴、创业担保贷款、社保补贴等扶持政策。加大职业技能培训政策宣传力度,引导企业参与以工代训。做好“稳岗扩岗”系列政策清单发布推送。组织开展“春风行动”等招聘活动信息集中发布。围绕高校毕业生、退役军人、农民工等群体就业政策,做好解读和舆论引导。
"""

_CITY = """某市人民政府办公厅关于印发2024年某市政务公开工作要点的通知
某市各区、市人民政府,市政府各部门:
《2024年某市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻执行。
某市人民政府办公厅
2024年5月10日
2024年某市政务公开工作要点
根据《某省人民政府办公厅关于印发2024年某省政务公开工作要点的通知》(某政办发〔2024〕9号)要求,制定本要点。
一、聚焦稳就业,提升政务公开质量
(一)围绕稳定就业预期做好信息发布工作。重点发布就业补贴、创业担保贷款、社保补贴等扶持政策,做好“稳岗扩岗”系列政策清单的发布和解读,加大职业技能培训政策宣传力度,做好高校毕业生、退役军人、农民工等群体就业政策的解读和舆论引导工作。(责任单位:市政府各部门,各区、市政府)
"""


def _build(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from cascade.pipeline import build

    return build([tmp_path]).graph


def test_one_sentence_restating_a_whole_paragraph_derives_from_each_requirement_it_restates(tmp_path):
    G = _build(tmp_path, {"p.txt": _PROVINCE, "c.txt": _CITY})
    city = [n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d["doc_id"] == "c"]
    assert len(city) == 1
    ups = {v: e for _, v, e in G.out_edges(city[0], data=True) if e.get("type") == "DERIVED_FROM"}
    texts = {G.nodes[v]["text"][:6] for v in ups}
    # the four sentences the city restates, each on a stretch of its own; not the job fairs it left out
    assert texts == {"围绕“稳就业", "加大职业技能", "做好“稳岗扩", "围绕高校毕业"}, texts
    assert {e["kind"] for e in ups.values()} == {"merged"}
    rows = [r for r in coverage(G) if r["lower_doc"] == "c" and r["status"] != "local"]
    gaps = [r for r in rows if r["status"] == "gap"]
    # the one requirement the city does not take up is its only gap; the four it restates are covered
    assert [G.nodes[r["upper"]]["text"][:6] for r in gaps] == ["组织开展“春"], gaps
    assert sum(r["status"] == "covered" for r in rows) == 4


def test_a_sentence_sharing_a_few_words_with_a_requirement_is_not_linked_to_it(tmp_path):
    # the same city sentence without its last clause: the 群体就业 requirement shares 就业政策 and 解读 with
    # it, not most of its text, so it is no merged target and stays the city's gap
    city = _CITY.replace(",做好高校毕业生、退役军人、农民工等群体就业政策的解读和舆论引导工作", "")
    G = _build(tmp_path, {"p.txt": _PROVINCE, "c.txt": city})
    gaps = {G.nodes[r["upper"]]["text"][:6] for r in coverage(G) if r["lower_doc"] == "c" and r["status"] == "gap"}
    assert gaps == {"组织开展“春", "围绕高校毕业"}, gaps


_PROVINCE_SYSTEM = """某省人民政府办公厅关于印发2025年某省政务公开工作要点的通知
某政办发〔2025〕3号
各市人民政府,省政府各部门:
《2025年某省政务公开工作要点》已经省政府同意,现印发给你们,请认真贯彻执行。
某省人民政府办公厅
2025年4月20日
2025年某省政务公开工作要点
一、夯实公开基础
(一)规范政策文件管理。加快建设全省统一的行政规范性文件数据库,实现文件的集中发布和动态管理。全面梳理本级现行有效的行政规范性文件,按时完成清理并向社会公布。
"""

_CITY_SYSTEM = """某市人民政府办公厅关于印发2025年某市政务公开工作要点的通知
各区县人民政府,市政府各部门:
《2025年某市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻执行。
某市人民政府办公厅
2025年5月20日
2025年某市政务公开工作要点
根据《某省人民政府办公厅关于印发2025年某省政务公开工作要点的通知》(某政办发〔2025〕3号)要求,制定本要点。
一、夯实公开基础
(一)做好文件公开。围绕民生实事做好政策发布和解读工作。
"""


def test_building_the_provinces_own_system_is_not_asked_of_a_city(tmp_path):
    # 建设全省统一的…数据库: the province's own work (not_applicable to the city, with the reason); the
    # sentence after it, which every government must do, stays the city's gap
    G = _build(tmp_path, {"p.txt": _PROVINCE_SYSTEM, "c.txt": _CITY_SYSTEM})
    rows = {G.nodes[r["upper"]]["text"][:6]: r for r in coverage(G) if r["lower_doc"] == "c" and r["status"] != "local"}
    assert rows["加快建设全省"]["status"] == "not_applicable", rows
    assert "省级(加快建设全省统一的行政规范性文件数据库)" in rows["加快建设全省"]["reason"]
    assert rows["全面梳理本级"]["status"] == "gap"
