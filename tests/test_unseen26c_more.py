"""More rules from the real pages of unseen26c (interpretations told as questions and answers, flattened
tables and openings, cover notices against plans with a preamble, towns whose name a site blanked).
Each test states its rule on a short text of our own."""
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
    for text, name in ((_QA, "lined.txt"), (_QA.replace("\n", ""), "flat.txt")):
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
    for body, name in ((text, "lined.txt"), (text.replace("\n", ""), "flat.txt")):
        rec = _load(tmp_path, body, name)
        assert [s.title for s in rec.sections] == ["制定依据", "主要内容", "涉及范围"], name
        assert [t.text for t in rec.tasks] == ["《通知》围绕持续深化重大决策信息公开等5项重点工作提出了明确要求。"], name
