"""Patterns of regions, years and forms earlier sessions had not seen (a region's 2017 任务分工 printed
one cell a line under a merged 序号, a province's 实施意见 whose cover lost its title, a county's draft
活动方案, a progress table's stray bars, a cover notice's two-phrase headings flattened), each on a short
text of our own: lined, and flattened the way a crawler joins paragraphs (a space) or a table's cells
(nothing)."""
from __future__ import annotations

import re

import pytest

from loaders import load_file
from plans import load_text as _load


def _triples(rec):
    return {(t.number, a.short_name, a.role) for t in rec.tasks for a in t.assignments}


# A table printed one cell a line whose 序号 and 任务 cells span two requirements, each with its own
# 责任单位 cell; the page's excerpt ends inside the next requirement (no second numbered row).
_CUT_TABLE = ("某自治区人民政府办公厅关于印发2017年政务公开重点工作任务分工的通知\n\n"
              "各地(市)人民政府,自治区各部门:\n\n现将任务分工印发给你们,请认真贯彻执行。\n\n"
              "各地(市)、各部门要按照任务分工的要求,结合本地本部门的实际,制定具体的工作措施或者实施方案,并及时公开。\n\n"
              "各级政府办公厅(室)要切实承担起政务公开工作的组织协调、指导推进和监督检查的责任,强化组织领导,"
              "加快推进实施,确保按要求完成各项目标任务。自治区人民政府办公厅将适时检查各地各部门的落实情况。\n\n"
              "某自治区人民政府办公厅\n\n2017年4月1日\n\n"
              "2017年某自治区政务公开重点工作任务分工\n\n目标\n\n序号\n\n任 务\n\n有 关 要 求\n\n责任单位\n\n"
              "1\n\n稳定市场预期\n\n加强财政、就业等政策的解读,讲清政策的背景和依据,及时传递政策意图。\n\n"
              "发展改革委、财政厅、人力资源社会保障厅\n\n"
              "按季度召开经济运行情况发布会,发布社会关注的主要指标数据。\n\n"
              "发展改革委、统计局\n\n"
              "做好重大政策落实情况的跟踪审计和结果公开")


@pytest.mark.parametrize("flat", [False, True])
def test_a_header_printed_a_cell_a_line_opens_its_table_with_one_row_left(tmp_path, flat):
    # 序号 / 任务 / 有关要求 / 责任单位, a line each: a table, though the excerpt kept its row 1 only; each
    # requirement's unit cell is the task's (the rows share the merged 序号), none is left in its text
    rec = _load(tmp_path, _CUT_TABLE, flat)
    assert [t.number for t in rec.tasks] == ["1"]
    assert {a.short_name for a in rec.tasks[0].assignments} == {"发展改革委", "财政厅", "人力资源社会保障厅", "统计局"}
    assert {a.role for a in rec.tasks[0].assignments} == {"implement"}
    assert "统计局" not in rec.tasks[0].text and "财政厅、" not in rec.tasks[0].text


_MERGED = ("某省2018年政务公开重点工作任务分工\n"
           "| 序号 | 任务 | 有关要求 | 责任单位 |\n"
           "| 1 | 稳定市场预期 | 加强财政政策的解读,及时传递政策意图。 | 发展改革委、财政厅 |\n"
           "| | | 按季度发布社会关注的主要指标数据。 | 统计局、新闻办 |\n"
           "| 2 | 推进决策公开 | 做好重大决策事项的预公开,广泛听取公众意见。 | 司法厅 |\n"
           "| 3 | 推进执行公开 | 公开重点督查事项的落实情况。 | 督查室 |\n")


def test_each_requirement_keeps_its_unit_cell_when_the_table_is_flattened(tmp_path):
    # the pipe table's cells joined with nothing (…传递政策意图。发展改革委、财政厅按季度发布…): a list of
    # units after a sentence's end, before the next requirement, is that requirement's unit cell
    p = tmp_path / "plan.txt"
    p.write_text("某省2018年政务公开重点工作任务分工 序号任务有关要求责任单位" + "".join(
        re.sub(r"\s*\|\s*", "", ln) for ln in _MERGED.splitlines()[2:]) + "\n", encoding="utf-8")
    flat = load_file(p)
    lined = _load(tmp_path, _MERGED, name="lined.txt")
    for rec in (lined, flat):
        got = _triples(rec)
        assert {("1", "发展改革委", "implement"), ("1", "财政厅", "implement"), ("1", "统计局", "implement"),
                ("1", "新闻办", "implement"), ("2", "司法厅", "implement"), ("3", "督查室", "implement")} <= got
    assert "财政厅" not in flat.tasks[0].text


def test_units_that_open_a_requirement_as_its_subject_are_no_unit_cell():
    # …传递政策意图。市财政局要按季度发布… / 市财政局、市统计局按照…: the units are the sentence's subject,
    # the row goes on; a list of names the next measure's own words follow is a unit cell
    from loaders.columns import column_meaning
    from loaders.measures import measures
    table = [column_meaning(w) for w in ("序号", "任务", "有关要求", "责任单位")]
    for text in ("加强政策的解读,及时传递政策意图。市财政局要按季度发布主要指标数据。",
                 "加强政策的解读,及时传递政策意图。市财政局、市统计局按照要求发布主要指标数据。"):
        assert measures(text, table, lambda s: s) == []
    got = measures("加强政策的解读,及时传递政策意图。市财政局、市统计局按季度发布主要指标数据。", table, lambda s: s)
    assert [m[1] for m in got] == ["市财政局、市统计局", ""]


_BARS = ("类型 |\n事项 |\n目标清单 |\n一、基础工作 |\n"
         "1.做好行政规范性文件的意见征集工作。 |\n规范文件都在意见征集库征集意见。 |\n"
         "2.严格履行重大行政决策的法定程序。 |\n公开年度重大行政决策事项目录。 |\n|\n二、重点工作\n|\n"
         "3.做好政策文件库的建设。 |\n建设从起草到发布的文件库。 |\n")


def test_a_bar_alone_on_its_line_is_no_words_of_the_task_above(tmp_path):
    rec = _load(tmp_path, _BARS)
    assert [t.number for t in rec.tasks][:2] == ["1", "2"]
    assert all("|" not in t.text for t in rec.tasks)


_OPINION = ("各市(地)委和人民政府,省直各单位:\n"
            "《关于全面推进政务公开工作的实施意见》已经省委、省政府领导同志同意,现印发给你们,请认真贯彻执行。\n"
            "中共某省委办公厅\n某省人民政府办公厅\n2017年3月1日\n"
            "关于全面推进政务公开工作的实施意见\n"
            "为贯彻落实中央关于全面推进政务公开工作的意见,结合我省实际,制定本实施意见。\n"
            "一、全面推进“五公开”\n"
            "(一)推进决策公开。各地各部门要于年底前建立健全重大决策预公开制度,广泛听取公众意见。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_plans_own_title_may_be_its_implementing_opinions(tmp_path, flat):
    # a mirror kept the cover's text but not its title line: the plan's own 关于…的实施意见 after the
    # signature names it
    rec = _load(tmp_path, _OPINION, flat)
    assert rec.document.title == "关于全面推进政务公开工作的实施意见"


_DRAFT = ("某县2018年政务公开工作“整体提升年”活动方案 (征求意见稿)\n"
          "各乡镇人民政府,县政府各部门:\n"
          "县政府办公室制定了活动方案(征求意见稿),请于6月8日前提出修改意见。\n"
          "某县人民政府办公室\n2018年6月1日\n"
          "某县2018年政务公开工作“整体提升年”活动方案\n"
          "为全面推进决策、执行、管理、服务、结果公开,进一步提高政务公开的能力和水平,更好发挥政务公开的"
          "引领和倒逼作用,经县人民政府研究,决定对照试点县的相应标准,在全县开展政务公开工作“整体提升年”活动。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_drafts_title_is_its_activity_plan_without_the_drafts_mark(tmp_path, flat):
    rec = _load(tmp_path, _DRAFT, flat)
    assert rec.document.title == "某县2018年政务公开工作“整体提升年”活动方案"


_COVER = ("某省人民政府办公厅关于印发某省2017年政务公开工作安排的通知\n"
          "某府办〔2017〕6号\n各市、县人民政府,省政府直属各单位:\n"
          "现将《某省2017年政务公开工作安排》印发给你们,并就抓好落实提出如下要求:\n"
          "一、提高认识,加强组织领导\n"
          "2017年,做好政务公开工作意义十分重大。各市县政府、各部门要将其列入重要议事日程,定期研究部署。\n"
          "二、细化任务,明确工作责任\n"
          "各市县政府、各部门要对照工作任务,进一步细化分工、落实责任,制定具体工作方案并在网站公开。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_two_phrase_heading_ends_at_the_space_its_line_break_left(tmp_path, flat):
    # flattened, 一、提高认识,加强组织领导 2017年,…: the heading's second phrase is longer than its first,
    # yet the space before the prose ends it
    rec = _load(tmp_path, _COVER, flat)
    assert rec.tasks and all(not t.text.startswith(("提高认识", "细化任务")) for t in rec.tasks)
    assert rec.tasks[0].text.startswith("2017年")
