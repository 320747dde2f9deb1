"""A lower task that lists the fields it covers takes up the upper requirements those fields name, though it
shares little wording with them (济阳区 2025 (一).6 重点推进教育、养老服务、医疗卫生等领域信息公开 takes up 济南's
三 sentences on 学前教育…, 养老服务… and 医疗集团…; it had been linked to the 养老 one only, the other two read
as the district's gaps). A field names a requirement when it occurs in that one requirement of the upper
section and in no other (graph/link/domains.py). Short texts of our own."""
from __future__ import annotations

from pathlib import Path

from graph.link.domains import fields
from queries.gaps import coverage

_CITY = """某市人民政府办公厅关于印发2025年某市政务公开工作要点的通知
某市办发〔2025〕5号
各区县人民政府,市政府各部门:
《2025年某市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。
某市人民政府办公厅
2025年5月6日
2025年某市政务公开工作要点
一、推进重点领域信息公开
(一)以公开促进民生改善。以“项目攻坚年”为总牵引,重点做好先进制造业集群、全面推进乡村振兴和美丽城市建设等方面信息公开。围绕高校毕业生、农民工等重点群体,做好就业帮扶、职业技能培训等政策的解读。重点推进学前教育、义务教育、职业教育等方面的信息公开。做好养老服务补贴政策和养老机构监管信息公开工作。稳步推进城市医疗集团和县域医共体建设信息公开。(责任单位:各区县政府、市政府各部门)
"""

_DISTRICT = """某市某区人民政府办公室关于印发某区2025年政务公开工作要点的通知
各街道办事处,区政府各部门:
《某区2025年政务公开工作要点》已经区政府同意,现印发给你们,请认真贯彻落实。
某市某区人民政府办公室
2025年6月20日
某区2025年政务公开工作要点
根据《某市人民政府办公厅关于印发2025年某市政务公开工作要点的通知》(某市办发〔2025〕5号)要求,制定本要点。
一、以政务公开助力重点工作
(一)推进重点任务信息公开。{first}围绕高校毕业生、农民工等重点群体,做好就业帮扶、职业技能培训等政策的解读。{fields}
"""

_FIRST = "围绕区委“十个加速度”部署,聚焦项目建设、企业服务、乡村振兴、民生保障等重点领域,及时发布进展成效。"
_FIELDS = "重点推进教育、养老服务、医疗卫生等领域信息公开。"


def _build(tmp_path: Path, district: str):
    (tmp_path / "c.txt").write_text(_CITY, encoding="utf-8")
    (tmp_path / "d.txt").write_text(district, encoding="utf-8")
    from cascade.pipeline import build

    return build([tmp_path]).graph


def _ups(G, text_head: str) -> dict[str, dict]:
    low = [n for n, d in G.nodes(data=True)
           if d.get("label") == "Task" and d["doc_id"] == "d" and d["text"].startswith(text_head)]
    assert len(low) == 1, low
    # the links to requirements (a link to the heading, the scores' own call, is no requirement taken up)
    return {G.nodes[v]["text"][:6]: e for _, v, e in G.out_edges(low[0], data=True)
            if e.get("type") == "DERIVED_FROM" and G.nodes[v].get("label") == "Task"}


def test_a_list_of_fields_takes_up_each_requirement_a_field_names(tmp_path):
    G = _build(tmp_path, _DISTRICT.format(first=_FIRST, fields=_FIELDS))
    ups = _ups(G, "重点推进教育")
    # 教育 → 学前教育…, 养老 → 养老服务…, 医疗 → 医疗集团…: not 就业 (another task of the district takes it up)
    assert set(ups) == {"重点推进学前", "做好养老服务", "稳步推进城市"}, ups
    assert {e["kind"] for e in ups.values()} == {"merged"}
    rows = [r for r in coverage(G) if r["lower_doc"] == "d" and r["status"] == "gap"]
    assert not any(G.nodes[r["upper"]]["text"].startswith(("重点推进学前", "稳步推进城市")) for r in rows), rows


def test_a_requirement_another_task_takes_up_is_left_to_it(tmp_path):
    # the district restates the 医疗集团 sentence on its own: the list's 医疗 is no second claim on it
    own = "稳步推进城市医疗集团和县域医共体建设信息公开。"
    G = _build(tmp_path, _DISTRICT.format(first=_FIRST, fields=own + _FIELDS))
    assert set(_ups(G, "重点推进教育")) == {"重点推进学前", "做好养老服务"}
    assert set(_ups(G, "稳步推进城市")) == {"稳步推进城市"}


def test_an_unlinked_list_whose_two_fields_name_one_requirement_takes_it_up(tmp_path):
    # 项目 and 乡村振兴 both occur in the first requirement and nowhere else in its paragraph: the
    # district's opening sentence adapts it, though the scores found too little shared text
    G = _build(tmp_path, _DISTRICT.format(first=_FIRST, fields=_FIELDS))
    ups = _ups(G, "围绕区委")
    assert set(ups) == {"以“项目攻坚"}, ups


def test_one_field_naming_one_requirement_is_not_enough(tmp_path):
    # only 乡村振兴 names a requirement (企业服务, 文化体育 name none): no link from a single word
    first = "围绕区委“十个加速度”部署,聚焦文化体育、企业服务、乡村振兴等重点领域,及时发布进展成效。"
    G = _build(tmp_path, _DISTRICT.format(first=first, fields=_FIELDS))
    assert _ups(G, "围绕区委") == {}


def test_fields_naming_nothing_upper_leave_a_local_task_unlinked(tmp_path):
    # a district's own list (文化、体育、旅游) names no requirement of the city paragraph
    G = _build(tmp_path, _DISTRICT.format(first=_FIRST, fields="加大文化、体育、旅游等方面惠民活动宣传力度。"))
    assert _ups(G, "加大文化") == {}


def test_fields_are_specific_words_of_an_enumeration():
    assert fields("重点推进教育、养老服务、医疗卫生等领域信息公开。") == [
        ("推进教育", "教育"), ("养老服务", "养老"), ("医疗卫生", "医疗", "卫生")]
    # words every plan uses (政务服务, 信息发布) name no field; a list without 等领域/等方面 is no list of fields
    assert fields("做好政务服务、信息发布等方面工作。") == []
    assert fields("做好教育、养老服务信息公开。") == []


# --- who owes a sentence under a note naming both the city's departments and its districts -------------

_CITY_NOTE = """烟台市人民政府办公室关于印发2025年烟台市政务公开工作要点的通知
烟政办发〔2025〕8号
各区、市人民政府,市政府各部门:
《2025年烟台市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻执行。
烟台市人民政府办公室
2025年5月16日
2025年烟台市政务公开工作要点
一、完善公开机制
(一)完善主动公开机制。健全主动公开事项目录制度,逐项明确公开主体、内容、时限、方式等要素,建立动态更新机制。选取部分有条件的区(市),开展政策文件库建设试点,探索统一的文件管理规范。推动基层政务公开向农村和社区延伸,实现与村(居)务公开衔接协同。(责任单位:市政府各部门,各区、市政府)
"""

_BUREAU = """烟台市交通运输局关于印发2025年政务公开工作要点的通知
局机关各处室,局属各单位:
现将《烟台市交通运输局2025年政务公开工作要点》印发给你们,请认真贯彻落实。
烟台市交通运输局
2025年6月26日
烟台市交通运输局2025年政务公开工作要点
根据《烟台市人民政府办公室关于印发2025年烟台市政务公开工作要点的通知》(烟政办发〔2025〕8号)要求,制定本要点。
一、完善公开机制
(一)完善主动公开机制。健全主动公开事项目录制度,逐项明确公开主体、内容、时限、方式等要素,建立动态更新机制。(责任处室:办公室)
"""


def _rows_for(tmp_path: Path, files: dict[str, str], lower: str) -> dict[str, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from cascade.pipeline import build

    G = build([tmp_path]).graph
    return {G.nodes[r["upper"]]["text"][:6]: r["status"] for r in coverage(G)
            if r["lower_doc"] == lower and r["status"] != "local"}


def test_a_pilot_among_districts_is_not_owed_by_a_bureau_under_a_shared_note(tmp_path):
    rows = _rows_for(tmp_path, {"c.txt": _CITY_NOTE, "b.txt": _BUREAU}, "b")
    assert rows["健全主动公开"] == "covered"
    # choosing some 区(市) for a pilot and carrying 政务公开 to villages are the districts' work
    assert rows["选取部分有条"] == "not_applicable", rows
    assert rows["推动基层政务"] == "not_applicable", rows


def test_the_same_sentences_stay_owed_by_a_department_the_note_alone_names(tmp_path):
    # without the districts in the note the department is the only one asked: its gap stays
    city = _CITY_NOTE.replace("(责任单位:市政府各部门,各区、市政府)", "(责任单位:市政府各部门)")
    rows = _rows_for(tmp_path, {"c.txt": city, "b.txt": _BUREAU}, "b")
    assert rows["选取部分有条"] == "gap", rows
