"""Interpretations and cover notices, after the real pages of test_district_region_and_department_plans.py
(interpretations told as questions and answers, flattened tables and openings, cover notices against plans
with a preamble, towns whose name a site blanked). Each test states its rule on a short text of our own."""
from loaders import load_file


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


_QA = ("问:某某市2022年政务公开工作要点的制定背景和目标\n答:今年是关键之年,全市要坚持以人民为中心,深化公开。\n"
       "问:工作要点的制定依据\n答:1、《国务院办公厅关于印发2022年政务公开工作要点的通知》、国办发〔2022〕8号。\n"
       "2、《中华人民共和国政府信息公开条例》。\n"
       "问:工作要点的主要内容\n答:1、围绕稳经济深化政务公开。包括做好财政信息公开等3方面工作。\n"
       "2、加强平台建设,推进政府网站集约化。\n")


def test_a_question_and_answer_interpretation_reads_its_answers_as_prose(tmp_path):
    # A 解读 told as 问/答: each question heads its answer; the background and the basis ask nothing,
    # the other answers' sentences describe the plan (their 1、2、 number the answer's points, no task)
    for text, name in ((_QA, "lined.txt"), (_QA.replace("\n", ""), "flat.txt"), (_QA.replace("\n", " "), "spaced.txt")):
        rec = _load(tmp_path, text, name)
        d = rec.document
        assert d.kind == "interpretation" and d.title is None and d.doc_no is None, name
        assert d.cites == ["国办发〔2022〕8号"], name
        assert [s.title for s in rec.sections] == ["某某市2022年政务公开工作要点的制定背景和目标", "工作要点的制定依据",
                                                   "工作要点的主要内容"], name
        assert [t.text for t in rec.tasks] == ["围绕稳经济深化政务公开。", "包括做好财政信息公开等3方面工作。",
                                               "加强平台建设,推进政府网站集约化。"], name
        assert all(t.number.startswith("问3.") for t in rec.tasks), name
        assert not any("numbering skips" in w for w in d.warnings), name


def test_a_sentence_counting_the_plan_s_parts_is_no_task(tmp_path):
    # 《工作要点》共五部分16项任务: the 要 of a title in 《》 asks nothing; the plan's basis asks nothing
    rec = _load(tmp_path, "近日,省政府办公厅印发《2022年政务公开工作要点》,现将有关内容解读如下。\n一、制定依据\n"
                          "根据《国务院办公厅关于印发2022年政务公开工作要点的通知》,研究起草了《工作要点》。\n"
                          "二、主要内容\n《工作要点》共四部分12项任务。\n(一)深化主动公开。共3项任务,一是依法公开各类规划,要求年底前"
                          "集中公开;二是集中统一公开行政法规规章。\n")
    assert rec.document.kind == "interpretation"
    assert [t.text_norm for t in rec.tasks] == ["共3项任务,一是依法公开各类规划,要求年底前集中公开;",
                                                  "二是集中统一公开行政法规规章。"]


def test_a_long_unit_cell_keeps_its_units_once_the_line_breaks_are_lost(tmp_path):
    # A 厅's table: a unit cell of many 处室 (教科院 is one name, not 教科 + 院), what 等 sums up with its
    # note (等有关处室(单位)), and the schools it charges (各高校) are units in both forms
    text = ("某省教育厅2024年政务公开重点工作任务分解\n工作任务 | 具体要求 | 责任单位 | 时限要求 |\n"
            "一、抓好主动公开。 | 1.做好学生资助和招生考试信息公开。 | 学生处、教科院、电教馆、评估中心等有关处室(单位);"
            "各市教育局;各高校 | 持续推进 |\n"
            "2.持续加大民生实事信息公开力度。 | 办公室、基教处;各高校 | 持续推进 | |\n"
            "3.完善入学一件事,提升办事标准化水平。 | 基教处;各市教育局 | 6月底前 | |\n")
    want = [["学生处", "教科院", "电教馆", "评估中心", "各市教育局", "各高校"], ["办公室", "基教处", "各高校"],
            ["基教处", "各市教育局"]]
    for body, name in ((text, "lined.txt"), (text.replace("\n", ""), "flat.txt")):
        rec = _load(tmp_path, body, name)
        assert [[a.name for a in t.assignments] for t in rec.tasks] == want, name


def test_a_notice_opening_glued_on_one_line_above_a_table_is_read(tmp_path):
    # The page's fields with bars, the title (its issuer with a bracketed part), the number and the
    # addressees on one line; the table below kept its lines
    text = ("索引号: | 000/2024-01 | 发布机构: | 某省教育厅 | 组配分类: | 制度建设 |有效性: | 成文日期: | 2024-01-18 |"
            "某省教育厅(中共某省委教育工委)办公室关于印发2023年政务公开工作要点任务分工的通知某教厅办字〔2023〕5号"
            "各市教育局,各高等学校:现将任务分工印发给你们,请认真贯彻执行。\n"
            "工作要点 | 具体要求 | 任务分工 |\n教育民生 | 做好就业创业补贴政策信息公开。 | 学生处,各高等学校 |\n")
    d = _load(tmp_path, text).document
    assert d.title == "某省教育厅(中共某省委教育工委)办公室关于印发2023年政务公开工作要点任务分工的通知"
    assert d.issuer == "某省教育厅(中共某省委教育工委)办公室" and d.doc_no == "某教厅办字〔2023〕5号"


def test_a_number_printed_with_a_space_in_its_brackets_is_the_notice_s_own(tmp_path):
    # 某政办字〔2021 〕49号 under the title: the notice's own number, lined or flattened
    text = ("某某市人民政府办公室\n关于印发《某某市2021年政务公开工作要点》的通知\n某政办字〔2021 〕49号\n"
            "市政务公开领导小组各成员单位:\n经市人民政府同意,现将《某某市2021年政务公开工作要点》印发给你们,请认真贯彻落实。\n"
            "某某市人民政府办公室\n2021年6月18日\n")
    for body, name in ((text, "lined.txt"), (text.replace("\n", ""), "flat.txt")):
        d = _load(tmp_path, body, name).document
        assert d.doc_no == "某政办字〔2021〕49号" and d.cites == [], name
        # the issuer printed on the line above 关于 is part of the title, as every notice's title names it
        assert d.title == "某某市人民政府办公室关于印发《某某市2021年政务公开工作要点》的通知", name
        assert d.issuer == "某某市人民政府办公室", name


def test_an_interpretation_s_heading_glued_to_its_text(tmp_path):
    # 一、制定依据为全面落实…: the heading is 制定依据 (it asks nothing), 主要内容's text describes the plan
    text = ("《某市人民政府办公室关于印发2021年全市政务公开重点工作安排的通知》政策解读\n一、制定依据\n"
            "为全面落实《某省人民政府办公厅关于印发2021年全省政务公开重点工作安排的通知》要求,制定《通知》。\n"
            "二、主要内容\n《通知》围绕持续深化重大决策信息公开等5项重点工作提出了明确要求。\n三、涉及范围\n市级有关部门、各区县。\n")
    for body, name in ((text, "lined.txt"), (text.replace("\n", ""), "flat.txt"), (text.replace("\n", " "), "spaced.txt")):
        rec = _load(tmp_path, body, name)
        assert [s.title for s in rec.sections] == ["制定依据", "主要内容", "涉及范围"], name
        assert [t.text for t in rec.tasks] == ["《通知》围绕持续深化重大决策信息公开等5项重点工作提出了明确要求。"], name


_COVER = ("某县人民政府办公室关于印发《某县2021年政务公开工作任务分解表》的通知\n各镇人民政府,县政府各工作部门:\n"
          "现将《某县2021年政务公开工作任务分解表》印发给你们,请认真抓好落实,并就有关事项通知如下:\n"
          "一、细化任务。各责任单位要对照《任务分解表》,进一步细化分解任务。\n"
          "二、跟踪督导。县政府办要定期跟踪督办和通报工作进度。\n某县人民政府办公室\n2021年4月23日\n")


def test_a_cover_notice_with_points_of_its_own_and_no_plan_is_a_notice(tmp_path):
    # 印发…的通知 + addressees + its own points, the plan attached but not retrieved (its title and the
    # table's header at most): the points are the notice's asks, the document is the cover notice
    for body, name in ((_COVER + "某县2021年政务公开工作任务分解表\n序号\n一级指标\n二级指标\n", "lined.txt"),
                       (_COVER.replace("\n", ""), "flat.txt")):
        rec = _load(tmp_path, body, name)
        assert rec.document.kind == "notice", name
        assert [t.section[0] for t in rec.tasks] == ["通知", "通知"], name


def test_a_plan_whose_opening_follows_its_cover_notice_is_the_plan_cut_short(tmp_path):
    # The notice (addressees, 现予以印发,请认真贯彻落实, date), then the plan's own title and its first
    # sentences: the plan, retrieved in part, not a cover notice alone
    text = ("各区人民政府,市属各委、局、办:\n《某某市2020年政务公开工作要点》已经市人民政府同意,现予以印发,请认真贯彻落实。\n"
            "2020年10月17日\n某某市2020年政务公开工作要点\n2020年是全面建成小康社会的决胜之年,也是统筹推进疫情防控和经济社会发展的"
            "大考之年。今年政务公开工作的总体要求是:以习近平新时代中国特色社会主义思想为指导,全面贯彻党的会议精神,坚持以人民为中心的发展思想,"
            "围绕市委、市人民政府中心工作,以")
    for body, name in ((text, "lined.txt"), (text.replace("\n", ""), "flat.txt")):
        d = _load(tmp_path, body, name).document
        assert d.kind == "plan" and d.truncated, name
        assert d.title == "某某市2020年政务公开工作要点", name
    notice = _load(tmp_path, text.split("2020年10月17日")[0], "notice.txt").document
    assert notice.kind == "notice"


def test_a_town_plan_whose_name_was_blanked_is_a_township_s(tmp_path):
    # 镇2024年政务公开工作要点: the site blanked the town's name; 镇 and the year still say whose plan it is
    rec = _load(tmp_path, "镇2024年政务公开工作要点\n一、重点任务\n(一)加强政策解读。做好镇党委政府重要政策的解读工作。\n")
    assert rec.document.level == "township"
    assert _load(tmp_path, "城镇2024年建设工作方案\n一、任务\n(一)加强建设。做好城镇道路的建设工作。\n",
                 "c.txt").document.level is None
