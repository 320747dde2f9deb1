"""Links and gaps on real cascades the project had not seen (a province's 要点 and the plans below it),
each failure reproduced with a short text of our own: whom a collective of listed levels covers, a plan
issued before the one above it, a development zone named after its city, a sentence that asks to
explain policies, a unit note "A牵头B负责"."""
from __future__ import annotations

from pathlib import Path

from graph.link.documents import _issued_after
from graph.membership import collective_kinds, member_slot
from loaders import load_file
from loaders.signed import sign_date as _sign_date
from loaders.places import title_region
from loaders.units import parse_units
from queries.gaps import coverage

_PROVINCE = """云南省人民政府办公厅关于印发2022年云南省政务公开工作要点的通知
云政办发〔2022〕47号
各州、市人民政府,省直各委、办、厅、局:
《2022年云南省政务公开工作要点》已经省人民政府同意,现印发给你们。
云南省人民政府办公厅
2022年6月2日
2022年云南省政务公开工作要点
一、以公开助力经济发展
(一)加强涉企信息公开。及时公开受疫情影响较重行业的帮扶措施,稳定市场预期。定期发布惠企政策清单和兑现情况。(省直有关部门,各州、市人民政府按照职责分工负责)
"""

_PREFECTURE = """大理白族自治州人民政府办公室关于印发2022年大理州政务公开工作要点的通知
各县、市人民政府,州级有关部门:
《2022年大理州政务公开工作要点》已经州人民政府同意,现印发给你们。
大理白族自治州人民政府办公室
{date}
2022年大理州政务公开工作要点
一、聚焦重点工作
(一)深化涉企信息公开。及时公开受疫情影响较重行业的帮扶措施,稳定市场预期。(州级有关部门,各县、市人民政府按照职责分工负责)
"""

_NATIONAL = """国务院办公厅关于印发2022年政务公开工作要点的通知
国办发〔2022〕8号
各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
国务院办公厅
2022年4月11日
2022年政务公开工作要点
一、以公开助力经济发展
(一)加强涉企信息公开。及时公开受疫情影响较重行业的帮扶措施,稳定市场预期。定期发布惠企政策清单和兑现情况。
"""


def _build(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from cascade.pipeline import build

    return build([tmp_path]).graph


def test_a_collective_that_lists_levels_covers_a_government_of_each():
    # 各州、市人民政府 is the governments of the province's prefectures, 自治州 included
    for name in ("各州、市人民政府", "各市、州、县人民政府", "各地级以上市人民政府", "各设区市人民政府",
                 "各县、市人民政府", "各省、自治区、直辖市人民政府"):
        assert collective_kinds(name) == {"government"}, name
    assert collective_kinds("各有关部门") == {"department"}
    # a prefecture written without its province is one level below that province
    assert member_slot("大理白族自治州人民政府办公室", "大理白族自治州", gov_region="大理白族自治州")[1] == "云南省"


def test_a_requirement_addressed_to_the_prefectures_is_owed_by_one(tmp_path):
    G = _build(tmp_path, {"p.txt": _PROVINCE, "d.txt": _PREFECTURE.format(date="2022年6月20日")})
    rows = [r for r in coverage(G) if r["status"] != "local" and r["lower_doc"] == "d"]
    assert rows and all("各州、市人民政府, which covers" in r["reason"] for r in rows), rows
    # the requirement the whole prefecture plan leaves out is a gap it owes, not "not applicable"
    assert {r["status"] for r in rows} == {"covered", "gap"}


def test_a_plan_does_not_implement_one_issued_after_it(tmp_path):
    # 2022429: a signature whose 年月日 the page lost; the prefecture's plan predates the province's
    assert _sign_date("2022429") == (2022, 4, 29) and _sign_date("2022111") is None
    assert _issued_after({"issued_on": "2022-06-02"}, {"issued_on": "2022-04-29"})
    G = _build(tmp_path, {"n.txt": _NATIONAL, "p.txt": _PROVINCE, "d.txt": _PREFECTURE.format(date="2022429")})
    parents = {(u, v) for u, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"}
    assert ("d", "n") in parents and ("d", "p") not in parents
    (tmp_path / "later").mkdir()
    later = _build(tmp_path / "later", {"n.txt": _NATIONAL, "p.txt": _PROVINCE, "d.txt": _PREFECTURE.format(date="2022年6月20日")})
    assert ("d", "p") in {(u, v) for u, v, d in later.edges(data=True) if d.get("type") == "IMPLEMENTS"}


def test_a_development_zone_lies_in_the_city_it_is_named_after():
    assert title_region("关于印发2022年宜春经济技术开发区政务公开工作要点的通知") == "宜春市"
    assert title_region("关于印发2022年庐山市政务公开工作要点的通知") == "九江市庐山市"


def test_the_year_first_title_of_a_district_plan_gives_its_level(tmp_path):
    (tmp_path / "q.txt").write_text("2022年某某区政务公开工作要点\n一、重点任务\n(一)做好信息公开。加强政策解读,及时回应关切。\n",
                                    encoding="utf-8")
    assert load_file(tmp_path / "q.txt").document.level == "county"


def test_a_sentence_asking_to_explain_policies_is_a_task(tmp_path):
    (tmp_path / "x.txt").write_text(
        "2022年某省政务公开工作要点\n一、聚焦重点工作\n(一)加强数字经济信息公开。集中公开数字经济政策举措;"
        "深入解读数字政府建设的各项政策措施;主动公开行业数字化转型进展情况。\n", encoding="utf-8")
    texts = [t.text for t in load_file(tmp_path / "x.txt").tasks]
    assert any(t.startswith("深入解读数字政府建设") for t in texts), texts


def test_a_note_a_leads_b_answers_names_two_units_and_is_no_task(tmp_path):
    assert [(a.name, a.role) for a in parse_units("县司法局牵头各行政机关负责", region=None, issuer=None)] == [
        ("县司法局", "lead"), ("各行政机关", "implement")]
    # 牵头部门 is a noun: the departments that lead, not "A leads B"
    assert [a.name for a in parse_units("各政策牵头部门负责", region=None, issuer=None)] == ["各政策牵头部门"]
    (tmp_path / "c.txt").write_text(
        "2021年某县政务公开工作要点\n一、聚焦重点领域\n(一)加强政策文件公开。推进行政规范性文件统一公开。"
        "(县司法局牵头各行政机关负责)\n", encoding="utf-8")
    tasks = load_file(tmp_path / "c.txt").tasks
    assert [t.text for t in tasks] == ["推进行政规范性文件统一公开。"]
    assert {a.name for a in tasks[0].assignments} == {"县司法局", "各行政机关"}


def test_a_title_quoted_after_its_number_keeps_no_closing_quote(tmp_path):
    (tmp_path / "s.txt").write_text(
        "某政办发〔2022〕35号《某省人民政府办公厅关于印发某省2022年政务公开工作要点的通知》\n"
        "某省人民政府办公厅\n2022年5月17日\n某省2022年政务公开工作要点\n一、重点工作\n1﹒及时做好重大政策发布工作。\n",
        encoding="utf-8")
    assert load_file(tmp_path / "s.txt").document.title == "某省人民政府办公厅关于印发某省2022年政务公开工作要点的通知"


def test_a_new_task_against_a_cut_upper_text_says_the_upper_is_cut(tmp_path):
    G = _build(tmp_path, {"n.txt": _NATIONAL + "[GAP]\n", "p.txt": _PROVINCE.replace(
        "定期发布惠企政策清单和兑现情况。", "定期发布惠企政策清单和兑现情况。建立政务公开专家咨询制度,每年组织两次评议。")})
    local = [r for r in coverage(G) if r["status"] == "local"]
    assert local and all("n is truncated: it may derive from the missing text" in r["reason"] for r in local)
