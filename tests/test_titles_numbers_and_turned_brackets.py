"""Titles, doc numbers and notes as real 政务公开 pages print them, brackets turned or lost (2017-2025: 黑龙江, 吉林,
四川, 重庆, 河南, 贵州, 湖南 plans, a district's forwarding of its province's plan, a mirror that garbled its
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


def test_counted_measures_whose_stops_were_lost_are_tasks_of_their_own(tmp_path):
    # (二)强化互动。一是…二是…三是…: each counted measure is one, the stop before 二是 lost; 三是打造…平台
    # is a measure (no 电视台-like unit name), 三是妥善处置… an obligation whatever its verb
    rec = _load(tmp_path, "某县2023年政务公开工作要点\n一、强化解读\n"
                          "(一)强化政策解读。一是把握政策解读的重点二是提高政策解读的质效三是打造一站式政策服务平台。\n"
                          "(二)强化互动。一是加强行政决策的公开二是主动回应社会关切三是妥善处置政务舆情。\n")
    assert [t.text.rstrip("。") for t in rec.tasks] == [
        "一是把握政策解读的重点", "二是提高政策解读的质效", "三是打造一站式政策服务平台",
        "一是加强行政决策的公开", "二是主动回应社会关切", "三是妥善处置政务舆情"]
    assert {t.clause for t in rec.tasks} == {"obligation"}


def test_a_labelled_note_the_end_of_the_text_cut(tmp_path):
    # …进展情况。(责任单位:A、B、省直管县〔 — the text stops in the note: A and B are its units, the cut name none
    rec = _load(tmp_path, "某省2021年政务公开工作要点\n一、加强重点领域公开\n"
                          "(一)做好报告落实公开。要定期公开重点工作进展情况。(责任 单位: 各省辖市政府、某示范区管委会、省直管县〔")
    assert [(a.short_name, a.role) for a in rec.tasks[-1].assignments] == [
        ("各省辖市政府", "implement"), ("某示范区管委会", "implement")]


def test_a_note_split_over_two_lines_keeps_its_last_unit(tmp_path):
    # …环境。(牵头单位:A;责任单位:各县(市、区)政府)(三), flattened: the reflow puts the note's ( at the end of
    # the prose and its ) at the end of the unit line; that bracket is the note's, no part of the last name
    rec = _load(tmp_path, "某某市人民政府办公室2021年7月8日黑河市2021年政务公开工作实施方案为贯彻落实国家和省的部署,结合我市实际,"
                          "制定本方案。一、聚焦开局深化政务公开(一)做好各类规划主动公开。要在政府门户网站主动公开各类规划,做好历史"
                          "规划的归集整理。(牵头单位:市政府办公室、市发改委;责任单位:市政府工作部门,各县(市、区)政府)(二)做好市场"
                          "规则信息公开。要主动公开市场准入负面清单并及时更新发布。(牵头单位:市商务局、市市场监管局;责任单位:各县"
                          "(市、区)政府)(三)")
    assert [(a.short_name, a.role) for a in rec.tasks[-1].assignments] == [
        ("市商务局", "lead"), ("市市场监管局", "lead"), ("各县(市、区)政府", "implement")]


def test_a_flattened_red_header_keeps_its_spaced_tongzhi(tmp_path):
    # 某省人民政府办公厅关于明确…分工的通  知某省人民政府门户网站 时间:…: the spaces inside 通知 cut nothing
    rec = _load(tmp_path, "海南省人民政府办公厅关于明确2017年政务公开工作分工的通  知海南省人民政府门户网站 时间:2017-09-21 "
                          "来源:省政府办公厅琼府办明电〔2017〕9号各市县人民政府,省政府各部门:现就有关事项通知如下。"
                          "一、加强领导各地要把政务公开列入议事日程。")
    assert rec.document.title == "海南省人民政府办公厅关于明确2017年政务公开工作分工的通知"
    assert rec.document.doc_no == "琼府办明电〔2017〕9号"   # (the 来源 office glued before it is no part of it)


def test_a_page_button_before_the_number_and_a_breadcrumb_before_the_title(tmp_path):
    # 首页 » 某市人民政府办公室 / 关于印发…的通知 … [字号:打印某府办发〔2023〕15号: the office the breadcrumb
    # ends with issues it, 打印 is a button
    rec = _load(tmp_path, "您当前的位置:首页 » 广元市人民政府办公室 关于印发《广元市2023年政务公开重点工作任务安排》的通知 » 详情"
                          "发布时间: 2023-05-25 浏览量:[字号:打印广府办发〔2023〕15号广元市人民政府办公室关于印发《广元市2023年"
                          "政务公开重点工作任务安排》的通知各县(区)人民政府:《广元市2023年政务公开重点工作任务安排》已经市政府同意,"
                          "现印发给你们,请认真抓好贯彻落实。广元市人民政府办公室2023年5月17日广元市2023年政务公开重点工作任务安排"
                          "为持续深化全市政务公开工作,制定本安排。一、总体要求全市政务公开工作要坚持以人民为中心。")
    d = rec.document
    assert (d.title, d.doc_no, d.kind) == (
        "广元市人民政府办公室关于印发《广元市2023年政务公开重点工作任务安排》的通知", "广府办发〔2023〕15号", "plan")


def test_a_flattened_title_before_its_first_sentence_or_a_sites_date(tmp_path):
    # …要点及重点任务分工深入贯彻…: the title ends before the sentence; …实施方案更新于2024年…: before the site's date
    rec = _load(tmp_path, "吉林省2020年政务公开工作要点及重点任务分工深入贯彻党中央国务院和省委省政府关于政务公开工作的决策部署,"
                          "全面落实政府信息公开条例,着力推进决策、执行、管理、服务、结果全过程公开,以公开促落实、促规范、促服务。"
                          "(一)加强权力配置信息公开。各地各部门要全面梳理本机关的行政权力,及时更新权责清单并按要求公开。"
                          "(各市〔州〕、县〔市、区〕政府,各级政府各部门按照职能分别落实)(二)推进基层政务公开。各地要编制标准目录。")
    assert rec.document.title == "吉林省2020年政务公开工作要点及重点任务分工"
    town = _load(tmp_path, "某某镇人民政府2023年政务公开工作实施方案更新于2024年1月12日为加大公开力度,制定本方案。"
                           "一、主要任务(一)主动公开政府信息。镇党政办要及时公开财政信息。", "town.txt")
    assert town.document.title == "某某镇人民政府2023年政务公开工作实施方案"


def test_a_title_followed_by_its_sites_publication_time(tmp_path):
    rec = _load(tmp_path, "转发:《某县2023年政务公开工作要点》政策解读发布时间:2023-05-20一、起草背景市里印发了要点。"
                          "二、主要内容(一)强化互动。一是加强决策公开二是主动回应社会关切。", "qa.txt")
    assert rec.document.title.endswith("政策解读")


def test_a_reposts_mark_is_no_part_of_the_title(tmp_path):
    # 转发:《某县…要点》政策解读: the site's repost mark
    rec = _load(tmp_path, "转发:《某县2023年政务公开工作要点》政策解读\n发布时间:2023-05-20\n一、起草背景\n市里印发了要点。\n"
                          "二、主要内容\n(一)强化互动。一是加强行政决策的公开二是主动回应社会关切。\n", "qa.txt")
    assert rec.document.title == "《某县2023年政务公开工作要点》政策解读"


def test_a_flattened_publication_note_with_a_turned_bracket_ends_before_the_title(tmp_path):
    # …(此件公开发布(某省2017年政务公开工作要点2017年,全省…: the note, then the plan's own title
    rec = _load(tmp_path, "各市人民政府,省政府各部门:经省人民政府同意,现将《贵州省2017年政务公开工作要点》印发给你们,请认真贯彻落实。"
                          "(此件公开发布(贵州省2017年政务公开工作要点2017年,全省政务公开工作要全面推进决策、执行、管理、服务、结果公开,"
                          "加强解读回应,扩大公众参与,增强公开实效。一、助力稳增长(一)加强预期引导1.做好财政信息公开,按月公开全省"
                          "财政收支情况。(省财政厅牵头)2.做好统计信息公开,按季度召开统计数据发布会。(省统计局牵头)")
    assert rec.document.title == "贵州省2017年政务公开工作要点"
