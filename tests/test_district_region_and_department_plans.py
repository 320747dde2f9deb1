"""Rules from real 政务公开 pages the project had never seen (2024-2025 district plans of 直辖市, 自治区/自治州
plans, a 厅's split among its 处室, interpretations told as questions and answers). Each test states
the rule on a short text of our own."""
from loaders import load_file
from loaders.metadata import find_doc_numbers
from loaders.places import names_a_place
from loaders.units import parse_units, units_in_prose


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def test_a_page_information_box_as_a_numbered_list_holds_no_task(tmp_path):
    # 1. [索引号]… 7. [发文字号]…: the page's fields, numbered by the site, are no tasks of the plan
    rec = _load(tmp_path, "1. [索引号]000/2024-01\n2. [发文机构] 某区政务公开办\n3. [发文字号] 某政公办发〔2024〕1号\n"
                          "4. [有效性] 有效\n某区2024年政务公开工作要点\n一、重点任务\n"
                          "1.做好预算信息公开。(区财政局负责)\n2.做好规划信息公开。(区发改委负责)\n")
    assert [t.number for t in rec.tasks] == ["1", "2"]
    assert rec.document.doc_no == "某政公办发〔2024〕1号"


def test_a_deadline_inside_a_unit_note_is_no_unit():
    # (区发改委负责落实,完成时限:2023年10月): the note names 区发改委, the time is when
    got = units_in_prose("做好营商环境信息公开。(区发改委负责落实,完成时限:2023年10月)")
    assert [a.short_name for a in got] == ["区发改委"]


def test_a_department_split_of_its_points_among_its_divisions(tmp_path):
    # 工作要点 | 具体要求 | 任务分工: the last column names the 处室 (a row under a merged first cell too)
    rec = _load(tmp_path, "河北省教育厅2023年政务公开工作要点任务分工\n工作要点 | 具体要求 | 任务分工 |\n"
                          "教育民生 | 做好助学政策信息公开。 | 资助处,各高校 |\n"
                          "做好招生政策解读。 | 基教处 | |\n")
    assert rec.document.level == "department"
    assert [[a.name for a in t.assignments] for t in rec.tasks] == [["资助处", "各高校"], ["基教处"]]
    title = _load(tmp_path, "某县信访局2023年政务公开重点任务分工工作任务具体要求责任科室时限要求集中公开文件1全面清理本局"
                            "规范性文件,公布现行有效目录。办公室年底前做好解读2认真开展政策解读。各科室持续推进", "flat.txt")
    assert title.document.title == "某县信访局2023年政务公开重点任务分工"   # a title ends with 任务分工


def test_sentences_that_clear_publicize_or_forbid_are_tasks(tmp_path):
    rec = _load(tmp_path, "某州2016年政务公开工作实施方案\n一、推进公开\n(一)推进清单公开。"
                          "做好取消事项的衔接工作。清理行政审批中介服务事项。各类资质审批一律取消。"
                          "大力宣传惠民政策,营造良好氛围。\n")
    assert [t.text for t in rec.tasks] == ["做好取消事项的衔接工作。", "清理行政审批中介服务事项。",
                                           "各类资质审批一律取消。", "大力宣传惠民政策,营造良好氛围。"]


def test_an_interpretation_told_as_questions_and_answers(tmp_path):
    rec = _load(tmp_path, "问:某某市2021年政务公开工作要点的制定背景\n答:今年是开局之年,要深化公开。\n"
                          "问:制定依据\n答:依据《国务院办公厅关于印发2021年政务公开工作要点的通知》。\n"
                          "问:主要内容\n答:做好规划公开等4方面工作。\n")
    d = rec.document
    assert d.kind == "interpretation" and d.title is None
    assert d.explains == "某某市2021年政务公开工作要点"


def test_a_doc_number_prefix_typed_twice_is_one_number():
    assert find_doc_numbers("《关于印发2021年政务公开工作要点的通知》(国办发国办发〔2021〕12号)") == ["国办发〔2021〕12号"]


def test_a_level_prefix_is_understood_for_bureaus_only():
    # 区科委、示范区管委会: the zone's committee is no 区 bureau; 人民银行天津分行 is a branch in 天津
    got = parse_units("区科委、区文促中心、示范区管委会", region="北京市怀柔区")
    assert [a.name for a in got] == ["区科委", "区文促中心", "示范区管委会"]
    assert names_a_place("人民银行天津分行") and not names_a_place("统计局")
    got = parse_units("市财政局、人民银行天津分行", region="天津市")
    assert [a.name for a in got] == ["市财政局", "人民银行天津分行"]


def test_what_etc_sums_up_is_no_unit():
    got = parse_units("区教育局、区房管局等公共企事业单位行业主管部门", region="上海市某区")
    assert [a.name for a in got] == ["区教育局", "区房管局"]
    got = parse_units("人事处、就业指导中心等有关处室(单位);各高校")
    assert [a.name for a in got] == ["人事处", "就业指导中心", "各高校"]
    got = parse_units("区数据局、区发改委等相关区直部门")   # a collective after 等 stays one
    assert [a.name for a in got][-1] == "相关区直部门"


def test_an_issuer_named_by_its_level_alone_takes_its_place_from_the_signature(tmp_path):
    rec = _load(tmp_path, "市人民政府办公室关于印发2017年政务公开工作要点的通知\n卫某办发〔2017〕9号\n"
                          "各县(区)人民政府,市政府各部门:\n现将要点印发给你们,请认真贯彻落实。\n"
                          "中卫市人民政府办公室\n2017年5月25日\n")
    assert rec.document.issuer == "中卫市人民政府办公室"
    assert rec.document.title.startswith("市人民政府办公室")   # the title as printed


def test_a_number_before_the_title_on_its_line_is_the_documents_own(tmp_path):
    # a site's list prints the status, the number, then the title: (失效)某政办发〔2017〕14号 某区…的通知
    rec = _load(tmp_path, "(失效)某政办发〔2017〕14号 北京市西城区人民政府办公室关于印发某区2017年政务公开工作要点的通知\n"
                          "区政府各委、办、局:\n现将要点印发给你们,请认真贯彻落实。\n")
    assert rec.document.doc_no == "某政办发〔2017〕14号" and rec.document.cites == []


def test_a_plan_named_a_work_arrangement(tmp_path):
    rec = _load(tmp_path, "2017年天津市政务公开重点工作安排\n一、助力稳增长\n(一)加强预期引导。\n"
                          "1.按月公开财政收支情况。(责任单位:市财政局)\n")
    assert rec.document.title == "2017年天津市政务公开重点工作安排"


def test_a_department_signs_with_its_own_name(tmp_path):
    rec = _load(tmp_path, "各市教育局,厅机关各处室:\n现将《任务分解》印发给你们,请认真贯彻落实。\n安徽省教育厅\n2024年6月7日\n"
                          "安徽省教育厅2024年政务公开重点工作任务分解\n工作任务 | 具体要求 | 责任单位 | 时限要求 |\n"
                          "一、主动公开 | 1.做好招生信息公开。 | 基教处 | 持续推进 |\n")
    assert rec.document.issuer == "安徽省教育厅" and rec.document.level == "department"


def test_a_sites_menus_before_the_title_are_no_opening(tmp_path):
    menu = "".join(f"• 某某部门{i}\n" for i in range(60))
    rec = _load(tmp_path, menu + "呼和浩特市人民政府办公室\n关于印发《呼和浩特市2021年政务公开工作要点》的通知\n"
                                 "呼政办字〔2021〕49号\n市政务公开领导小组各成员单位:\n经市人民政府同意,现印发给你们。\n")
    d = rec.document
    assert d.doc_no == "呼政办字〔2021〕49号" and d.issuer == "呼和浩特市人民政府办公室" and d.level == "city"


def test_a_sharing_sites_page_chunks_join_again(tmp_path):
    text = ("某镇要点.docx\n《某镇要点.docx》由会员分享,可在线阅读。\n"
            "1、某镇2024年政务公开工作要点一、加强解读(一)解读重要政策。1 .全面公开。紧扣各项部署要求,做"
            + "好" * 80 + "\n2、好重点领域信息公开。2 .加强同步解读。做到同步部署,对关注" + "度" * 80 + "\n3、度高的内容持续解读。\n")
    for name, t in (("lined.txt", text), ("flat.txt", text.replace("\n", ""))):
        rec = _load(tmp_path, t, name)
        assert [t.text[:6] for t in rec.tasks] == ["全面公开。紧", "加强同步解读"], name


def test_a_mirrors_marker_after_each_word_and_an_untitled_interpretation(tmp_path):
    rec = _load(tmp_path, "近日@@,省政府办@@公厅@@印发@@《2021年政务公开@@工作@@要点@@》,现将有关内容解读@@如下@@。\n"
                          "一@@、起草背景@@\n为贯彻落实部署@@,研究起草了要点@@。\n二、主要内容\n(一)深化主动公开。共6项任务。\n")
    d = rec.document
    assert d.kind == "interpretation" and d.explains == "2021年政务公开工作要点"
    assert not any("@" in t.text for t in rec.tasks)


def test_a_one_cell_a_line_table_with_bar_lines_that_lost_its_breaks(tmp_path):
    rows = [("公开规范性文件", "1", "全面清理本局规范性文件,公布现行有效目录。", "办公室", "年底前"),
            ("做好政策解读", "2", "认真开展政策解读,丰富解读形式。", "各科室", "持续推进"),
            ("规范依申请公开", "3", "依法办理政府信息公开申请。", "各科室", "持续推进")]
    cells = ["工作任务", "具体要求", "责任科室", "时限要求"] + [c for r in rows for c in r]
    lined = _load(tmp_path, "".join(f"{c}\n|\n" for c in cells), "lined.txt")
    flat = _load(tmp_path, "".join(f"{c}|" for c in cells), "flat.txt")
    got = [(t.number, [a.name for a in t.assignments]) for t in lined.tasks]
    assert got == [("1", ["办公室"]), ("2", ["各科室"]), ("3", ["各科室"])]
    assert [(t.number, [a.name for a in t.assignments]) for t in flat.tasks] == got
