"""The 27 text files of the dev corpus (../shared/corpus): each loads, each task MANIFEST.md says is visible
and complete is found, what a [GAP] cut mid-row is dropped, and every retrieved fragment is marked
truncated.

The expectations are MANIFEST.md's "tasks visible" and "completeness" columns, written out per file.
"""
from __future__ import annotations

import pytest

from loaders import load_file

from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

# file → (numbered tasks MANIFEST.md counts as visible and complete, tasks it says a [GAP] cut)
NUMBERED = {
    "2021_dongguan_city.txt": (["1", "2"], ["3"]),
    "2021_fujian_nanping_city_ledger.txt": (["1", "2", "3", "4", "5", "6", "7"], ["8"]),
    "2021_guangdong_health_commission_ledger.txt": (["1", "2", "3", "4", "5", "6", "7", "8"], []),
    "2021_guangzhou_water_bureau.txt": (["1", "2", "3", "4", "5", "6"], ["7"]),
    "2021_zhongshan_city.txt": ([], ["1"]),
    "2022_anhui_xuancheng_city_task_table.txt": (["1", "2", "3", "4", "5"], ["6"]),   # unnumbered rows
    "2022_guangzhou_city.txt": (["1", "2", "3", "4", "5"], ["6"]),
    "2022_hubei_jingzhou_city.txt": (["1", "2"], ["3"]),
    "2022_hubei_province.txt": (["1", "2", "3", "4"], ["5"]),
    "undated_anhui_chizhou_petition_bureau_task_list.txt": (["1", "2", "3", "4", "5", "6", "7", "8"], []),
    # Whole documents on one line, as a crawler's text extraction gives them (issue 14).
    "2018_fujian_province_plan.txt": ([str(n) for n in range(1, 43)], []),
    "2022_fujian_pingtan_county_plan.txt": ([str(n) for n in range(1, 19)], []),
}
# Narrative plans: the sections whose every obligation sentence is visible hold tasks.
NARRATIVE = {
    "2019_zhuhai_city.txt": [("一", "(一)")],
    "2020_sichuan_province_grassroots_standardization.txt": [("一",), ("二",), ("三",)],
    "2021_yunnan_province.txt": [("一", "(一)")],
    "2022_jiangxi_province.txt": [("一", "(一)")],
    "2022_national_state_council.txt": [("一", "(一)")],
}
# Only a cover notice, or a plan cut before its first complete task: no task of the plan (a sentence of
# prose the text ends in is kept: 2021_shandong_province's first task, below).
NO_PLAN_TASK = [
    "2021_national_state_council.txt", "2022_guangdong_province.txt", "2021_guangzhou_baiyun_district.txt",
    "2021_guangzhou_agriculture_bureau.txt", "2022_guangzhou_huangpu_district.txt",
    "2022_guangzhou_nansha_district.txt", "2021_jiangmen_transport_bureau.txt", "2021_zhongshan_city.txt",
]
ALL = sorted(p.name for p in CORPUS.glob("*.txt"))


def _load(name):
    return load_file(CORPUS / name)


def _plan_tasks(rec):
    return [t for t in rec.tasks if not t.section or t.section[0] != "通知"]


def test_the_corpus_has_its_27_text_files():
    assert len(ALL) == 27


@pytest.mark.parametrize("name", ALL)
def test_corpus_file_loads_and_says_whether_it_was_cut(name):
    rec = _load(name)
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert rec.document.truncated == ("[GAP]" in text)
    for t in rec.tasks:
        assert t.text.strip() and t.text_norm.strip()
        assert "[GAP]" not in t.text_norm


@pytest.mark.parametrize("name", sorted(NUMBERED))
def test_corpus_visible_complete_tasks_are_found_and_cut_ones_dropped(name):
    complete, cut = NUMBERED[name]
    rec = _load(name)
    found = [t.number for t in _plan_tasks(rec)]
    assert found == complete
    for number in cut:
        assert any(f"task {number} cut" in w for w in rec.document.warnings)


@pytest.mark.parametrize("name", sorted(k for k, (complete, _) in NUMBERED.items() if complete and "province" not in k))
def test_corpus_table_tasks_each_have_a_responsible_unit(name):
    rec = _load(name)
    for t in _plan_tasks(rec):
        assert [a for a in t.assignments if a.column == "own"], (t.number, t.text_norm)


@pytest.mark.parametrize("name", sorted(NARRATIVE))
def test_corpus_narrative_sections_visible_in_full_hold_tasks(name):
    rec = _load(name)
    sections = {t.section for t in _plan_tasks(rec)}
    for path in NARRATIVE[name]:
        assert path in sections


def test_corpus_plan_cut_inside_its_first_sentence_keeps_that_sentence():
    """山东 2021 ends inside (一)'s first sentence (…主动公开本地“十四 [GAP]): what it shows of the task is
    kept, an analyst counts that task; the document says it is truncated."""
    rec = _load("2021_shandong_province.txt")
    assert rec.document.truncated
    assert [(t.number, t.text_norm[:8]) for t in _plan_tasks(rec)] == [("(一).1", "县级以上政府要主")]


@pytest.mark.parametrize("name", NO_PLAN_TASK)
def test_corpus_notice_only_or_cut_before_first_task_has_no_plan_task(name):
    rec = _load(name)
    assert _plan_tasks(rec) == []


def test_water_bureau_own_column_is_its_assignment_and_city_column_is_upper():
    rec = _load("2021_guangzhou_water_bureau.txt")
    t3 = next(t for t in rec.tasks if t.number == "3")
    own = {(a.short_name, a.role) for a in t3.assignments if a.column == "own"}
    upper = {(a.short_name, a.role) for a in t3.assignments if a.column == "upper"}
    assert own == {("财审处", "lead"), ("局属各单位", "implement")}
    assert ("市财政局", "lead") in upper


def test_water_bureau_cover_notice_points_are_no_plan_sections():
    rec = _load("2021_guangzhou_water_bureau.txt")
    notice = [s for s in rec.sections if s.scope == "notice"]
    assert [s.number for s in notice if s.depth == 2] == ["一", "二"]
    plan_parts = [s for s in rec.sections if s.scope == "plan" and s.depth == 1]
    assert [s.title for s in plan_parts] == ["紧扣“十四五”开好局起好步深化政务公开", "紧扣宏观政策落地见效深化政务公开"]


def test_yunnan_inline_note_assigns_its_paragraph():
    rec = _load("2021_yunnan_province.txt")
    tasks = [t for t in rec.tasks if t.section == ("一", "(一)")]
    for t in tasks:
        roles = {a.short_name: a.role for a in t.assignments}
        assert roles["省发展改革委"] == "lead" and roles["省直有关部门"] == "implement"
        assert "省自然资源厅" not in t.text_norm   # the note is no part of the sentence


def test_nanping_lead_column_gives_lead_and_spaces_separate_units():
    rec = _load("2021_fujian_nanping_city_ledger.txt")
    t1 = next(t for t in rec.tasks if t.number == "1")
    assert {(a.short_name, a.role) for a in t1.assignments} >= {("市发改委", "lead"), ("市自然资源局", "lead")}
    assert any(a.short_name == "各县(市、区)政府" and a.collective for a in t1.assignments)


def test_health_ledger_deadline_column_and_role_pair():
    rec = _load("2021_guangdong_health_commission_ledger.txt")
    by = {t.number: t for t in rec.tasks}
    assert by["1"].deadlines == ["长期"]
    assert by["3"].deadlines == ["2021-08-31"]
    assert {(a.short_name, a.role) for a in by["3"].assignments} == {("宣传处", "lead"), ("办公室", "cooperate")}
    assert by["4"].assignments[0].alias == "爱卫办"


def test_chizhou_cell_per_line_table_keeps_merged_heading_rows_apart():
    rec = _load("undated_anhui_chizhou_petition_bureau_task_list.txt")
    assert not rec.document.truncated
    by = {t.number: t for t in rec.tasks}
    assert by["4"].text_norm.startswith("规范做好政府信息公开工作年度报告")
    assert [a.short_name for a in by["4"].assignments] == ["办公室"]
    assert by["1"].deadlines == ["年底"]   # undated plan: the phrase is kept


@pytest.mark.parametrize("name, issuer, doc_no, cites", [
    ("2021_guangzhou_baiyun_district.txt", "广州市白云区人民政府办公室", "云府办〔2021〕150号",
     ["国办发〔2021〕12号", "穗府办函〔2021〕47号"]),
    ("2019_zhuhai_city.txt", "珠海市人民政府办公室", "珠府办函〔2019〕116号", ["粤府办〔2019〕9号"]),
    ("2022_national_state_council.txt", "国务院办公厅", "国办发〔2022〕8号", []),
    ("2021_national_state_council.txt", "国务院办公厅", "国办发〔2021〕12号", []),
    ("2021_zhongshan_city.txt", "中山市人民政府办公室", "中府办函〔2021〕91号", ["粤府办〔2021〕17号"]),
    ("2022_hunan_province.txt", "湖南省人民政府办公厅", "湘政办发〔2022〕16号", ["国发〔2022〕5号"]),
])
def test_corpus_metadata_issuer_number_and_citations(name, issuer, doc_no, cites):
    doc = _load(name).document
    assert doc.issuer == issuer
    assert doc.doc_no == doc_no
    assert all(c in doc.cites for c in cites)
    assert doc_no not in doc.cites


@pytest.mark.parametrize("name, level", [
    ("2022_national_state_council.txt", "national"), ("2022_guangdong_province.txt", "province"),
    ("2021_zhongshan_city.txt", "city"), ("2021_guangzhou_baiyun_district.txt", "county"),
    ("2021_guangzhou_agriculture_bureau.txt", "department"),
    # no issuer printed: the addressees (各市、州、县人民政府,省政府各部门 / 局各科室) or the title's region
    ("2022_hubei_province.txt", "province"), ("2022_hubei_jingzhou_city.txt", "city"),
    ("2021_jiangmen_transport_bureau.txt", "department"), ("2022_guangzhou_nansha_district.txt", "county"),
])
def test_corpus_level_follows_the_issuer(name, level):
    assert _load(name).document.level == level


def test_corpus_titles_lose_breadcrumbs_and_join_split_lines():
    assert _load("2021_shandong_province.txt").document.title == "山东省人民政府办公厅关于印发2021年山东省政务公开工作要点的通知"
    assert _load("2022_guangdong_province.txt").document.title == (
        "广东省人民政府办公厅关于印发广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案的通知")


def test_corpus_web_debris_is_dropped_from_the_matching_text():
    rec = _load("2021_shandong_liaocheng_city.txt")
    assert rec.tasks
    for name in ALL:
        for t in _load(name).tasks:
            assert "ldquo" not in t.text_norm and "/div>" not in t.text_norm
