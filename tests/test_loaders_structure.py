"""Structure of the real documents: numbering, repeated headings, the cover notice, tables however they
are flattened, narrative plans, and the fixtures in tests/fixtures/loaders for forms the seeds lack."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import load_file
from loaders.numbering import classify

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loaders"
SEED_002 = SHARED / "seeds" / "002_cf2d3c68f4e2a2f4.txt"
SEED_001 = SHARED / "seeds" / "001_04c5faad0ae32447.txt"
TAISHAN = {"level": "department", "region": "江门市台山市", "issuer": "台山市文化广电旅游体育局", "year": 2021}


def _units(task):
    return [(a.short_name, a.role) for a in task.assignments]


def test_structure_task_number_glued_to_a_year_is_still_a_task():
    # 20.2021年底前… was read as no task (a decimal number): seed 001 lost its task 20.
    assert classify("20.2021年底前,在市政府门户网站专栏集中公开")[:2] == ("task", "20")
    assert classify("1.5亿元资金")[0] == "text"
    rec = load_file(SEED_001, TAISHAN)
    assert [t.number for t in rec.tasks] == [str(i) for i in range(1, 34)]
    t20 = next(t for t in rec.tasks if t.number == "20")
    assert t20.inherited_units and t20.deadlines == ["2021-12-31"]


def test_structure_units_cell_inherits_from_merged_row_above():
    by = {t.number: t for t in load_file(SEED_001, TAISHAN).tasks}
    assert _units(by["9"]) == [("广电旅游和公共服务股", "lead"), ("办公室", "cooperate")]
    assert by["8"].inherited_units and _units(by["8"]) == _units(by["7"])
    assert not by["3"].inherited_units and by["3"].assignments[0].alias == "行政审批服务股"


def test_structure_headings_printed_twice_are_one_section():
    rec = load_file(SEED_002, {"level": "county", "region": "广州市黄埔区", "year": 2022})
    plan = [s for s in rec.sections if s.scope == "plan"]
    assert len([s for s in plan if s.depth == 2]) == 18
    paths = [s.path for s in plan]
    assert len(paths) == len(set(paths))


def test_structure_cover_notice_points_are_kept_as_the_notices_requirements():
    rec = load_file(SEED_002, {"level": "county", "region": "广州市黄埔区", "year": 2022})
    notice = [t for t in rec.tasks if t.section[:1] == ("通知",)]
    assert notice and all(not t.number.isdigit() for t in notice)
    assert any("2022-09-30" in t.deadlines and "2022-12-30" in t.deadlines for t in notice)


def test_structure_single_line_table_with_bare_numbers():
    rec = load_file(FIXTURES / "deqing_bare_number_table.txt", {"region": "湖州市德清县", "year": 2022})
    assert [t.number for t in rec.tasks] == ["1", "2", "3"]
    by = {t.number: t for t in rec.tasks}
    assert by["1"].text_norm == "对照法律法规,梳理本单位政务公开事项标准目录并动态调整。"
    assert by["1"].deadlines == ["2022-06-30"]
    assert _units(by["2"]) == [("县政务公开办", "lead"), ("县直各单位", "implement")]
    assert by["3"].deadlines == ["每半年"]


def test_structure_standing_rule_adds_its_units_to_every_task_after_it():
    rec = load_file(FIXTURES / "deqing_standing_rule.txt", {"region": "湖州市德清县", "year": 2022})
    assert len(rec.tasks) == 3
    for t in rec.tasks:
        assert ("各乡镇(街道)", "implement") in _units(t)
    by = {t.number: t for t in rec.tasks}
    assert _units(by["1"])[:2] == [("县发改局", "lead"), ("县市场监管局", "cooperate")]
    assert _units(by["3"])[:2] == [("县政务公开办", "lead"), ("县大数据局", "implement")]


def test_structure_inline_notes_assign_narrative_sentences_and_numerals_past_ten():
    rec = load_file(FIXTURES / "huzhou_inline_notes.txt", {"region": "湖州市", "year": 2022})
    by = {t.section: t for t in rec.tasks}
    assert _units(by[("一", "(一)")]) == [("市发改委", "lead")]
    assert _units(by[("一", "(二)")]) == [("市政府办", "lead"), ("各区县政府", "implement")]
    assert "牵头单位" not in by[("一", "(二)")].text_norm
    assert by[("二", "(十二)")].deadlines == ["每年"]


def test_structure_interpretation_prose_names_lead_units():
    rec = load_file(SHARED / "seeds" / "000_ea30aa00de932cc4.txt", {"level": "city", "region": "广州市", "year": 2021})
    by = {t.number: t for t in rec.tasks}
    assert [a.canonical for a in by["2"].assignments if a.role == "lead"] == ["广州市发展改革委", "广州市市场监管局"]


def test_structure_page_footer_after_the_text_holds_no_task():
    rec = load_file(SHARED / "seeds" / "000_ea30aa00de932cc4.txt", {"level": "city", "region": "广州市", "year": 2021})
    assert not any("食品伙伴网" in t.text_norm or "标签" in t.text_norm for t in rec.tasks)


def test_structure_narrative_plan_one_task_per_obligation_sentence():
    rec = load_file(SHARED / "seeds" / "003_faeede1183fd7fea.txt", {"level": "national", "year": 2021})
    sections = [s for s in rec.sections if s.depth == 2 and s.scope == "plan"]
    assert len(sections) == 16
    with_tasks = {t.section for t in rec.tasks}
    assert all(s.path in with_tasks for s in sections)
    assert all(t.number.startswith(t.section[-1] + ".") for t in rec.tasks)


def test_structure_every_task_knows_its_source_line():
    for name in ("000_ea30aa00de932cc4.txt", "001_04c5faad0ae32447.txt", "002_cf2d3c68f4e2a2f4.txt",
                 "003_faeede1183fd7fea.txt", "004_ff0872cb27d26d6e.txt"):
        path = SHARED / "seeds" / name
        lines = path.read_text(encoding="utf-8").splitlines()
        for t in load_file(path).tasks:
            assert t.line, (name, t.number)
            # the line holds the task's first words (numbering stripped, script unchanged)
            assert t.text.strip()[:6] in lines[t.line - 1] or t.number.startswith("(") and t.section[0] == "附件1", \
                (name, t.number, t.text[:20], lines[t.line - 1][:40])


def test_structure_interpretation_background_holds_no_task():
    rec = load_file(SHARED / "seeds" / "000_ea30aa00de932cc4.txt", {"level": "city", "region": "广州市", "year": 2021})
    assert not [t for t in rec.tasks if t.section == ("一",)]   # 一、制定背景和起草过程
    assert {t.section for t in rec.tasks} >= {("二", "(一)"), ("二", "(二)"), ("二", "(三)")}


def test_structure_table_cut_mid_row_at_the_end_of_the_file_keeps_what_is_complete(tmp_path):
    text = SEED_001.read_text(encoding="utf-8")
    cut = text[: text.index("33.将本要点落实情况") + len("33.将本要点落实情况纳入政府")]
    path = tmp_path / "cut.txt"
    path.write_text(cut, encoding="utf-8")
    rec = load_file(path, TAISHAN)
    assert rec.document.truncated
    assert [t.number for t in rec.tasks][-1] == "32"
    assert any("task 33 cut" in w for w in rec.document.warnings)
    whole = load_file(SEED_001, TAISHAN)
    assert not whole.document.truncated and len(whole.tasks) == 33


def test_structure_number_cell_with_its_stop_starts_a_task(tmp_path):
    path = tmp_path / "ledger.txt"
    path.write_text("序号 | 工作任务 | 责任单位 |\n1. | 做好政策解读工作。 | 区司法局 |\n2、 | 做好回应关切工作。 | 区政务公开办 |\n",
                    encoding="utf-8")
    rec = load_file(path, {"region": "广州市黄埔区", "year": 2022})
    assert [(t.number, t.text_norm, t.assignments[0].canonical) for t in rec.tasks] == [
        ("1", "做好政策解读工作。", "广州市黄埔区司法局"), ("2", "做好回应关切工作。", "广州市黄埔区政务公开办")]


def test_structure_bracketed_and_circled_items_under_a_heading_are_tasks_under_a_task_points():
    rec = load_file(FIXTURES / "county_bracket_numbered_items.txt", {"region": "湖州市德清县", "year": 2022})
    assert [(t.number, t.section) for t in rec.tasks] == [
        ("(1)", ("一", "(一)")), ("(2)", ("一", "(一)")), ("①", ("一", "(二)")), ("1", ("二",))]
    by = {t.number: t for t in rec.tasks}
    assert _units(by["(1)"]) == [("县发改局", "lead"), ("县直有关部门", "cooperate")]
    assert _units(by["①"]) == [("县财政局", "implement")]
    assert by["1"].text_norm.endswith("(1)公开渠道;(2)申请方式。")


def test_structure_pipe_table_without_numbers_gives_a_task_a_row_as_its_html_form_does(tmp_path):
    # A bureau's table whose rows carry no 序号 (重點任務 | 工作內容 | 負責科室 | 完成時限): each row is a
    # task numbered by position, with its units and deadline, as the same table read from HTML.
    src = FIXTURES / "bureau_unnumbered_task_table.txt"
    rec = load_file(src, None)
    table = [t for t in rec.tasks if t.section == ("二",)]
    assert [t.number for t in table] == ["1", "2", "3", "4"]
    assert [_units(t) for t in table] == [[("各业务科室", "implement")], [("办公室", "implement")],
                                         [("财务科", "implement")], [("办公室", "implement"), ("法规科", "implement")]]
    assert table[0].deadlines == ["2021-12-31"]
    lines = src.read_text(encoding="utf-8").splitlines()
    rows = [l.strip(" |").split(" | ") for l in lines if "|" in l]
    html = ("<html><body>" + "".join(f"<p>{l}</p>" for l in lines if "|" not in l) + "<table>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table></body></html>")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    from_html = [t for t in load_file(page, None).tasks if t.section == ("二",)]
    assert [(t.number, _units(t), t.deadlines) for t in from_html] == [(t.number, _units(t), t.deadlines) for t in table]


def test_structure_unit_line_after_each_paragraph_names_that_paragraphs_units():
    # A table printed one cell a line (要求 / 市发改委牵头落实 / 要求 / …): each unit line names the units
    # of the prose since the one before it, and 牵头落实 / 分别牵头落实 is the lead.
    rec = load_file(FIXTURES / "city_unit_line_after_each_paragraph.txt", None)
    assert [_units(t) for t in rec.tasks] == [
        [("市发改委", "lead")], [("市人社局", "lead")],
        [("市金融办", "lead"), ("人民银行某市中心支行", "lead")],   # a central-bank branch: no 市 bureau
        [("市财政局", "lead"), ("市统计局", "cooperate")]]


def test_structure_numbered_task_with_its_units_in_a_closing_note(tmp_path):
    # 1.…。(区统计局牵头,区财政局配合) after a numbered task: the note's units and roles, and no bracket
    # in a name; 有关部门负责同志 (officials) names no unit.
    src = tmp_path / "plan.txt"
    src.write_text("某区2017年政务公开工作要点\n一、围绕稳增长推进政务公开\n(一)加强预期引导。\n"
                   "1.加强经济政策信息公开。区政府有关部门负责同志通过新闻发布会等形式及时宣传解读。\n"
                   "2.加强统计信息公开。按时公开全区主要经济指标,做好统计数据解读。(区统计局牵头,区财政局配合)\n"
                   "3.做好预算信息公开。按规定公开部门预决算。(牵头单位:区财政局;配合单位:区直各部门)\n",
                   encoding="utf-8")
    by = {t.number: t for t in load_file(src, None).tasks}
    assert _units(by["1"]) == []
    assert _units(by["2"]) == [("区统计局", "lead"), ("区财政局", "cooperate")]
    assert _units(by["3"]) == [("区财政局", "lead"), ("区直各部门", "cooperate")]


def test_structure_labelled_lines_after_a_task_add_their_units_and_deadline():
    # 牵头单位:… then 配合单位:… then 完成时限:… on lines of their own under each task.
    by = {t.number: t for t in load_file(FIXTURES / "city_labelled_unit_lines.txt", None).tasks}
    assert _units(by["1"]) == [("市发改委", "lead"), ("市自然资源局", "cooperate"), ("市统计局", "cooperate")]
    assert by["1"].deadlines == ["2021-12-31"]
    assert _units(by["2"]) == [("市财政局", "implement"), ("各区县政府", "implement")]
    assert _units(by["3"]) == [("市政府各部门", "implement")]


def test_structure_a_notices_list_of_attachments_asks_nothing():
    # Seed 004 ends its notice with 附件1:《…分工表》 / 附件2:《分管负责人及联络人名单》: the second was read
    # as a task of section (三) (负责人 holds 负责, an obligation word).
    rec = load_file(SHARED / "seeds" / "004_ff0872cb27d26d6e.txt", None)
    assert not [t.number for t in rec.tasks if "附件" in t.text_norm[:4]]
    assert [t.number for t in rec.tasks if t.section == ("四", "(三)")] == ["(三).1", "(三).2"]


def test_structure_a_penalty_row_with_units_is_no_requirement(tmp_path):
    # 未按要求完成的,将…通报批评 | 市政府办: the units enforce it; no lower plan owes it (no gap row).
    src = tmp_path / "plan.txt"
    src.write_text("某市2022年政务公开工作要点分工方案\n序号 | 工作任务 | 责任单位\n"
                   "1 | 做好政府信息公开年度报告编制发布工作。 | 市政府办公室\n"
                   "2 | 未按要求完成的,将按照有关规定督促整改、通报批评。 | 市政府办公室\n", encoding="utf-8")
    by = {t.number: t for t in load_file(src, None).tasks}
    assert by["1"].clause == "obligation" and by["2"].clause == "penalty"
    assert _units(by["2"]) == [("市政府办公室", "implement")]


def test_structure_unit_lines_one_after_another_name_the_units_of_the_same_prose():
    # A section's prose, then 牵头单位:… and 责任单位:… on lines of their own: the second line's units
    # had replaced the first's (the lead stayed, those responsible were lost).
    rec = load_file(FIXTURES / "city_section_unit_lines.txt", None)
    assert {t.number: _units(t) for t in rec.tasks} == {
        "(一).1": [("市发展改革委", "implement"), ("市财政局", "implement"), ("各区政府", "implement")],
        "(二).1": [("市人力资源社会保障局", "implement"), ("各区政府", "implement")],
        "(三).1": [("市政府办公室", "lead"), ("市直各部门", "implement")]}


@pytest.mark.parametrize("joined", ["lines", "space", "nothing"])
def test_structure_a_fields_label_after_the_tasks_sentence_names_its_units(joined, tmp_path):
    # A bureau's plan that writes each task's units after its sentence on the same line
    # (…信息。责任股室:登记注册股): the lined text had no units (the flattened one had them), the label
    # stayed in the name (责任股室:食品安全协调股), and a task naming its own units in prose
    # (由办公室负责,各股室…配合) took the units of the labelled task above.
    src = FIXTURES / "bureau_inline_labels_of_sections.txt"
    text = src.read_text(encoding="utf-8")
    if joined != "lines":
        text = " ".join(l.strip() for l in text.splitlines() if l.strip())
        text = text if joined == "space" else text.replace(" ", "")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    rec = load_file(path, None)
    assert (rec.document.title, rec.document.level) == ("某县市场监督管理局2023年政务公开工作任务分解", "department")
    units = {t.number: _units(t) for t in rec.tasks}
    assert units["1"] == [("登记注册股", "implement")]
    assert units["3"] == [("食品安全协调股", "lead"), ("各市场监管所", "cooperate")]
    assert units["4"] == [("法规股", "implement"), ("办公室", "implement")]
    assert units["5"] == [("办公室", "lead"), ("各股室、所、队", "cooperate")]   # 所 alone names no unit


def test_structure_a_sentence_of_a_plans_prose_names_the_one_body_it_charges():
    # (二)加强财政信息公开。县财政局要按时公开预决算信息。: no note, no unit line, but the sentence names
    # who does it; a class of bodies (县直有关部门要…) or 本单位 (whoever reads it) is no unit.
    rec = load_file(SHARED / "seeds" / "004_ff0872cb27d26d6e.txt", None)
    by = {(t.section, t.number): t for t in rec.tasks}
    assert _units(by[(("四", "(二)"), "(二).1")]) == [("市政务公开领导小组办公室", "lead")]
    assert not any("本单位" in a.name for t in rec.tasks for a in t.assignments)


def test_structure_a_notes_deadline_is_no_unit_and_a_square_bracketed_note_names_units():
    # (市发展改革委牵头,…配合;2022年12月底前完成), (责任单位:…;完成时限:持续推进), (…落实,长期坚持):
    # the deadline had been read as a unit; 【牵头单位:…;配合单位:…】 was no note, and the task ending
    # with 】 was dropped as cut mid-row.
    rec = load_file(FIXTURES / "city_notes_with_deadlines.txt", None)
    units = {t.number: _units(t) for t in rec.tasks}
    assert units == {"1": [("市发展改革委", "lead"), ("市财政局", "cooperate"), ("市商务局", "cooperate")],
                     "2": [("市人力资源社会保障局", "implement")],
                     "3": [("市财政局", "lead"), ("市直各部门", "implement")],
                     "4": [("市政府办公室", "lead"), ("市直各部门", "cooperate")]}
    assert [t.deadlines for t in rec.tasks][:3] == [["2022-12-31"], ["长期"], ["长期"]]


def test_structure_tasks_numbered_1_bracket_and_a_sentence_that_names_who_does_the_one_before():
    # 1)做好…。县发改局负责。 (1) was no task marker: its sentences were read as prose); 第一,加强…。
    # 县政务服务中心负责。 (the sentence naming the unit was dropped as no task, its unit with it).
    rec = load_file(FIXTURES / "county_bracket_numbers_and_unit_sentences.txt", None)
    assert [(t.section, t.number) for t in rec.tasks][:2] == [(("一",), "1"), (("一",), "2")]
    assert not rec.tasks[0].text.startswith("1")
    assert [_units(t) for t in rec.tasks] == [[("县发改局", "lead")], [("县财政局", "lead")], [("县政府办", "lead")],
                                              [("县直各部门", "lead")], [("县政务服务中心", "lead")], [("县委网信办", "lead")]]


def test_structure_each_note_of_a_paragraph_names_the_sentences_before_it(tmp_path):
    # A paragraph of several sentences, each followed by its own note: every sentence had every note's
    # units (all six bureaus on each task); each note names the sentences since the note before it.
    doc = tmp_path / "plan.txt"
    doc.write_text("某市2019年政务公开工作要点\n一、加强重点工作公开\n"
                   "(一)做好重点项目信息公开。发布重点片区规划信息。(市规划委负责落实)及时公开重大项目建设进展情况。"
                   "(市发改委、市住建委分别负责落实)做好体育场馆建设信息公开。(市体育局负责落实)"
                   "及时公开专项债券发行情况。\n", encoding="utf-8")
    rec = load_file(doc, {"region": "某市", "level": "city", "year": 2019})
    assert [(t.number, _units(t)) for t in rec.tasks] == [
        ("(一).1", [("市规划委", "implement")]),
        ("(一).2", [("市发改委", "implement"), ("市住建委", "implement")]),
        ("(一).3", [("市体育局", "implement")]),
        ("(一).4", []),
    ]
