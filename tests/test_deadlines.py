"""Deadlines as the documents write them: absolute, relative to the plan's year, ranges, recurring,
standing, and the garbled dates of mirrors."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import load_file
from loaders.deadlines import parse_deadlines

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.mark.parametrize("text, year, expected", [
    ("市直有关部门需于2021年11月20日前主动公开", 2021, ["2021-11-20"]),
    ("(2020年9月24日—9月30日)", 2020, ["2020-09-30"]),
    ("2020年10月9日-10月16日", 2020, ["2020-10-16"]),
    ("各单位实施方案于7月20日前在本单位网站公开", 2021, ["2021-07-20"]),
    ("各单位于在今年10月10日前、2022年1月10日前报送", 2021, ["2021-10-10", "2022-01-10"]),
    ("20.2021年底前,在市政府门户网站专栏集中公开", 2021, ["2021-12-31"]),
    ("年底前", 2022, ["2022-12-31"]),
    ("2021年8月前", 2021, ["2021-08-31"]),
    ("各單位分別於2022930日、1230日前,向區政務公開辦報送", 2022, ["2022-09-30", "2022-12-30"]),
    ("每年至少听取1次政务公开工作汇报", 2021, ["每年"]),
    ("按季度梳理工作台账", 2021, []),
    ("每季度报送推进情况", 2021, ["每季度"]),
    ("长期推进", 2021, ["长期"]),
    ("纳入政府信息公开工作年度报告予以公开", 2021, []),   # 年度报告 is no recurrence
])
def test_deadlines_as_written(text, year, expected):
    assert parse_deadlines(text, year) == expected


def test_deadlines_relative_phrase_kept_when_the_plan_has_no_year():
    assert parse_deadlines("年底前", None) == ["年底"]
    assert parse_deadlines("7月20日前", None) == []


def test_deadlines_of_a_heading_reach_the_tasks_under_it():
    rec = load_file(SHARED / "seeds" / "004_ff0872cb27d26d6e.txt", {"year": 2020, "region": "咸宁市赤壁市"})
    ends = {t.section: t.deadlines[0] for t in rec.tasks if t.section[:1] == ("三",) and t.deadlines}
    assert ends[("三", "(一)")] == "2020-09-30"
    assert ends[("三", "(四)")] == "2020-11-06"


def test_deadlines_in_a_time_limit_column():
    rec = load_file(SHARED / "corpus" / "2022_anhui_xuancheng_city_task_table.txt")
    assert [t.deadlines for t in rec.tasks] == [["长期"], ["长期"], ["长期"], ["年底"], ["长期"]]
