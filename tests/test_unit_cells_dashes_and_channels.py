"""Unit cells and notes (tortoise-shell brackets, two unit columns, a dash, channels that are no units) and
heads (an autonomous region, a signature, a district name two cities share) as real plans print them: each
on a short text of our own, lined and with its line breaks lost where the rule concerns both."""
from loaders import load_file
from loaders.columns import column_meaning
from loaders.metadata import level_of_title
from loaders.units import is_unit_name, parse_units


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _units(task):
    return sorted((a.short_name, a.role) for a in task.assignments)


def test_autonomous_region_title_is_a_province():
    # 自治区 is a province-level region, not a district (区)
    assert level_of_title("某某自治区2019年政务公开工作要点") == "province"
    assert level_of_title("2020年某某壮族自治区政务公开工作要点") == "province"
    assert level_of_title("某某自治县2021年政务公开工作要点") == "county"


_TORTOISE_NOTE = """关于印发《2021年某某市政务公开工作要点》的通知
各县(市)区人民政府,市政府各部门:
现印发给你们,请认真执行。
某某市人民政府政务公开(政府信息公开)领导小组
(此件公开发布) 2021年6月1日
2021年某某市政务公开工作要点
一、强化基础公开
(一)维护法定公开内容。各部门要主动公开本地区国土空间规划和各类专项规划。要加强对信息公开专栏的日常检查和维护更新。〔各县(市)区人民政府,市政府各部门(单位)按照职能分别落实〕
(二)提升依申请公开质量。要优化依申请公开办理流程,提高答复的规范性和针对性。(市政府办公室牵头)
二、加强政策解读
(一)做好解读工作。各部门要同步做好重要政策文件的解读,提高解读质量。(市政府各部门负责落实)
"""


def test_note_in_tortoise_shell_brackets_names_units(tmp_path):
    # a note set in 〔〕 because it holds parentheses of its own is a units note as (…) is
    for text in (_TORTOISE_NOTE, _TORTOISE_NOTE.replace("\n", "")):
        r = _load(tmp_path, text)
        assert len(r.tasks) >= 2
        for t in r.tasks[:2]:
            assert ("各县(市)区人民政府", "implement") in _units(t)


def test_signature_with_bracketed_part_and_publication_note_before_date(tmp_path):
    # the office that signs above "(此件公开发布) date" is the issuer, its bracketed part included
    for text in (_TORTOISE_NOTE, _TORTOISE_NOTE.replace("\n", "")):
        d = _load(tmp_path, text).document
        assert d.issuer == "某某市人民政府政务公开(政府信息公开)领导小组"


_CELL_LINES = """某区政务公开任务分解表

工作任务

牵头单位

责任单位

一、深化政务公开

(一)做好规划公开。

1.公开本区发展规划纲要。

发展局

——

2.公开本区专项规划。

发展局、规划局

建设局、生态环境局
"""


def test_one_cell_a_line_two_unit_columns_and_a_dash(tmp_path):
    # each unit line is its own column's cell; a dash is an empty cell, no unit
    r = _load(tmp_path, _CELL_LINES)
    assert [_units(t) for t in r.tasks] == [
        [("发展局", "lead")],
        [("发展局", "lead"), ("建设局", "implement"), ("生态环境局", "implement"), ("规划局", "lead")]]


def test_dash_glued_to_a_unit_is_no_part_of_it():
    assert [a.short_name for a in parse_units("改革发展局——", default_role="lead")] == ["改革发展局"]
    assert parse_units("——") == []


def test_header_word_with_gloss_and_level_prefixed_unit_column():
    assert column_meaning("贯彻举措(市上统一要求)").kind == "requirement"
    assert column_meaning("市级牵头单位") == column_meaning("牵头单位")
    assert column_meaning("任务事项").kind == "task"
    assert column_meaning("公开载体").kind == "remarks"


_BAR_LINES = """某委办公室关于印发2021年政务公开任务分工的通知
机关各处室:
现印发给你们。
某委办公室
2021年5月1日
工作任务 |
贯彻举措(上级统一要求) |
时限要求 |
市级牵头单位 |
责任单位 | ||
一、深化重点领域公开 |
(三)做好财政信息公开。 |
按照财政部门统一要求,及时公开本部门预决算信息。 |
每年度 |
市财政局 |
牵头处室:财务处 | |
"""


def test_pipe_table_one_cell_a_line(tmp_path):
    # header lines are one header; bars after a cell end the row; a row whose task cell is a heading
    # goes on with its text and units
    r = _load(tmp_path, _BAR_LINES)
    assert len(r.tasks) == 1
    assert _units(r.tasks[0]) == [("市财政局", "lead"), ("财务处", "lead")]


def test_field_table_row_as_pipe_text(tmp_path):
    text = ("发布机构: | 某某市文化和旅游局 | 主题分类: | 旅游 |\n名称: | 2022年政务公开重点工作任务提示单 | 文号: | 无 |\n"
            "各县市区文化和旅游局,局机关各科室:\n请对照清单抓好落实。\n一、年底前专项工作\n"
            "1.开展本地本部门行政规范性文件清理,形成现行有效的规范性文件目录。(局机关各科室负责落实)\n")
    # (addressed to its own county bureaus: the bureau's; addressed to 各县市区人民政府,市政府各部门 it would
    # be the city's notice the bureau posted: tests/test_heading_scope_and_collectives.py)
    assert _load(tmp_path, text).document.issuer == "某某市文化和旅游局"


_LOST_BRACKET = """丨 网站无障碍 丨 关怀版

某区 2022 年政务公开工作要点

发布日期:2022-06-30    发布者:某区人民政府办公室

一、聚焦经济领域

(一加强涉及优化营商环境的信息公开。公开市场规则标准及监管执法信息,持续打造市场化法治化营商环境。做好受疫情影响较大的行业帮扶政策公开工作,促进稳就业和消费恢复。(区发展改革委、区市场监管局等负责落实)

(二)加强减税降费信息公开。系统推送减税降费政策,确保政策应享尽享、直达快享。(区财政局负责落实)

二、聚焦社会领域

(一)加强就业信息公开。及时公开就业政策和招聘信息,做好稳岗政策宣传。(区人力资源社会保障局负责落实)
"""


def test_section_whose_closing_bracket_was_lost(tmp_path):
    # (一加强…。: item (一) whose ")" the page lost; a site's 关怀版 switch is no part of the title
    for text in (_LOST_BRACKET, _LOST_BRACKET.replace("\n", "")):
        r = _load(tmp_path, text)
        assert [t.number for t in r.tasks][:2] == ["(一).1", "(一).2"]
        assert ("区发展改革委", "implement") in _units(r.tasks[0])
        assert r.document.title == "某区2022年政务公开工作要点"
        assert r.document.issuer == "某区人民政府办公室"


def test_channels_are_no_units():
    # where a thing is published is no one who carries it out
    assert not is_unit_name("市政府门户网站")
    assert not is_unit_name("新闻媒体")
    assert is_unit_name("市融媒体中心")


def test_district_name_two_cities_share_takes_the_city_the_text_names(tmp_path):
    # 和平区 is a district of 天津 and of 沈阳: the plan that follows 天津市's 要点 is 天津's
    text = _LOST_BRACKET.replace("某区", "和平区").replace(
        "一、聚焦经济领域", "按照《天津市2022年政务公开工作要点》的部署要求,制定本要点。\n\n一、聚焦经济领域")
    assert _load(tmp_path, text).document.region == "天津市和平区"
