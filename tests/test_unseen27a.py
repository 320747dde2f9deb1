"""Rules from a fourth round of real 政务公开 pages the project had never seen (2017-2025: 黑龙江, 吉林, 四川,
重庆, 河南, 贵州, 湖南 plans, a district's forwarding of its province's plan, a mirror that garbled its
brackets and dates). Each test states the rule on a short text of our own."""
from loaders import load_file
from loaders.units import parse_units


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _pairs(cell, region):
    return [(a.short_name, a.role) for a in parse_units(cell, region=region)]


def test_a_note_whose_closing_bracket_was_turned_keeps_no_bracket_in_its_unit():
    # (某厅牵头( : a mirror turned the note's closing bracket into an opening one; the unit is 某厅
    assert _pairs("(省统计局牵头(", "某省") == [("省统计局", "lead")]


def test_a_central_bank_branch_takes_no_province_prefix():
    # 省财政厅、人行某城中心支行牵头: the 省 of the first names no part of the bank's branch
    got = parse_units("省财政厅、人行某城中心支行牵头", region="贵州省")
    assert [(a.short_name, a.canonical) for a in got] == [("省财政厅", "贵州省财政厅"),
                                                          ("人行某城中心支行", "人行某城中心支行")]


def test_each_and_government_spread_over_a_list_with_bracketed_alternatives():
    # 各市〔州〕、县〔市、区〕政府: one collective (each city's and each county's government), not a
    # bare 各市(州) and a 县(市、区)政府 without its 各
    got = _pairs("各市〔州〕、县〔市、区〕政府,省直各部门按照职能分别落实", "某省")
    assert got == [("各市(州)、县(市、区)政府", "implement"), ("省直各部门", "implement")]


def test_a_red_header_title_whose_tongzhi_is_spaced_on_its_own_line(tmp_path):
    # …责任分工的 / 通  知: a red header prints 通知 spaced on a line of its own; it ends the title
    rec = _load(tmp_path, "海南省人民政府办公厅\n关于明确2017年政务公开工作分工的\n通  知\n某政办明电〔2017〕9号\n"
                          "各市人民政府,省政府各部门:\n现就有关事项通知如下。\n一、加强领导\n各地要把政务公开列入议事日程。\n")
    assert rec.document.title == "海南省人民政府办公厅关于明确2017年政务公开工作分工的通知"
    assert rec.document.doc_no == "某政办明电〔2017〕9号"


def test_a_plan_title_whose_second_part_is_on_the_next_line(tmp_path):
    # 某省2020年政务公开工作要点 / 及重点任务分工: the second part of the plan's name
    rec = _load(tmp_path, "吉林省2020年政务公开工作要点\n及重点任务分工\n深入贯彻政务公开决策部署。\n"
                          "(一)做好清单公开。各地要更新权责清单。(各市〔州〕、县〔市、区〕政府按照职能分别落实)\n")
    assert rec.document.title == "吉林省2020年政务公开工作要点及重点任务分工"


def test_a_number_that_lost_its_closing_bracket_and_hao(tmp_path):
    # 某政公组〔20213 on its own line under the title: year 2021, number 3
    rec = _load(tmp_path, "吉林省政务公开领导小组关于印发《2021年吉林省政务公开工作要点》的通知\n\n吉政公组〔20213\n"
                          "各市(州)人民政府:\n现印发给你们,请认真执行。\n一、做好条例实施\n(一)做好法定公开。各地要持续公开规划。\n")
    assert rec.document.doc_no == "吉政公组〔2021〕3号"


def test_a_publication_note_with_a_turned_bracket_is_no_part_of_the_title(tmp_path):
    # (此件公开发布( above the plan's title, and the signature's date turned to ?: the issuer still signs
    rec = _load(tmp_path, "各市人民政府,省政府各部门:\n经省人民政府同意,现将《贵州省2017年政务公开工作要点》印发给你们。\n"
                          "贵州省人民政府办公厅\n2017??3?\n(此件公开发布(\n贵州省2017年政务公开工作要点\n"
                          "一、助力稳增长\n(一)加强预期引导\n1.做好财政信息公开。(省财政厅牵头)\n")
    assert rec.document.title == "贵州省2017年政务公开工作要点"
    assert rec.document.issuer == "贵州省人民政府办公厅"


def test_a_province_named_without_its_sheng(tmp_path):
    # 湖南人民政府办公厅: the province's government office, not a department
    rec = _load(tmp_path, "湖南人民政府办公厅关于印发2024年政务公开工作要点的通知\n各市州人民政府:\n现印发给你们。\n"
                          "一、做好解读\n(一)做好会议公开。各级政府要及时公开常务会议。\n")
    assert rec.document.issuer == "湖南省人民政府办公厅"
    assert (rec.document.level, rec.document.region) == ("province", "湖南省")


def test_a_plan_named_a_task_arrangement_is_the_plan_after_its_notice(tmp_path):
    # …重点工作任务安排: the plan's own title after the notice, its parts the plan's (not the notice's)
    rec = _load(tmp_path, "某市人民政府办公室关于印发《某市2023年政务公开重点工作任务安排》的通知\n各县区人民政府:\n"
                          "《某市2023年政务公开重点工作任务安排》已经市政府同意,现印发给你们。\n某市人民政府办公室\n2023年5月17日\n"
                          "某市2023年政务公开重点工作任务安排\n一、总体要求\n全市政务公开工作要坚持以人民为中心。\n"
                          "二、重点任务\n(一)做好规划公开。市发改委要公开规划。\n")
    assert rec.document.kind == "plan"
    assert not any("cover notice" in w for w in rec.document.warnings)
