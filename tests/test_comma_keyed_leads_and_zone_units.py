"""Lead units keyed by a comma in a plan's first note, zones as units, cell-a-line tables and a bureau's
notice, as real plans print them: each on a short text of our own, lined and with its line breaks lost
(joined as /work/shared/tools/flatten_check.py joins them: paragraphs by a space, a table's cells and rows
with nothing)."""

from loaders import load_file
from loaders.units import is_unit_name, looks_like_units
from tests.plans import flattened


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _units(task):
    return sorted((a.short_name, a.role) for a in task.assignments)


# 四川's way: the first note says once that the units before its comma lead (逗号前为牵头单位), 下同 for the
# notes after it; the key's words are no unit.
_COMMA_KEY = """某某市人民政府办公室关于印发某某市2022年政务公开重点工作任务分工方案的通知
各区县人民政府,市政府各部门:
现印发给你们,请认真贯彻执行。
某某市人民政府办公室
2022年5月6日
某某市2022年政务公开重点工作任务分工方案
一、加强重点领域信息公开
(一)公开稳增长信息。及时发布重大项目实施情况和配套政策。(责任单位:市发展改革委、市商务局,各区县政府。逗号前为牵头单位,多个牵头单位的按职责分别牵头,下同)
(二)公开财政信息。按时公开预算决算和专项资金分配结果。(责任单位:市财政局,市政府各部门、各区县政府)
(三)公开规划信息。集中公开国土空间规划和专项规划。(责任单位:市自然资源局)
"""


def test_comma_key_in_first_note_makes_units_before_comma_lead(tmp_path):
    for text in (_COMMA_KEY, flattened(_COMMA_KEY)):
        tasks = _load(tmp_path, text).tasks
        by = {t.number.split(".")[0]: _units(t) for t in tasks}
        assert by["(一)"] == [("各区县政府", "implement"), ("市发展改革委", "lead"), ("市商务局", "lead")]
        # 下同: the notes after it are read by the same key; a note with no comma names leads only
        assert ("市财政局", "lead") in by["(二)"] and ("市政府各部门", "implement") in by["(二)"]
        assert by["(三)"] == [("市自然资源局", "lead")]
        names = {a.short_name for t in tasks for a in t.assignments}
        assert not any("逗号" in n or "下同" in n or "多个牵头" in n for n in names)


def test_without_the_key_a_comma_says_no_role(tmp_path):
    text = _COMMA_KEY.replace("。逗号前为牵头单位,多个牵头单位的按职责分别牵头,下同", "")
    tasks = _load(tmp_path, text).tasks
    assert all(a.role == "implement" for t in tasks for a in t.assignments)


def test_comma_key_reaches_a_note_the_text_cut(tmp_path):
    # the page ends inside a note: the units listed so far stand before any comma, so they lead
    text = _COMMA_KEY.rsplit("(三)", 1)[0] + "(三)公开规划信息。集中公开国土空间规划和专项规划。(责任单位:市自然资源局、市住建局、市交通运输局\n"
    for t in (text, flattened(text)):
        last = _load(tmp_path, t).tasks[-1]
        assert ("市自然资源局", "lead") in _units(last) and all(r == "lead" for _, r in _units(last))


# 福建's 分解表 as a page prints it: one cell a line with its bar; a row with all its cells ends with its last
# cell (no extra bars), a row whose cells are merged with the row above or left empty ends with bars (| ||).
_BAR_CELLS = """某某省人民政府办公厅
2016年5月9日
2016年政府信息公开工作主要任务分解表
工 作 任 务 |
牵头单位 |
责 任 单 位 |
一、推进重点领域信息公开 | ||
(一)推进权力清单公开 | ||
1.部门权力清单信息公开 |
省编办 |
省直各部门,各设区市、某某综合实验区 |
2.行政审批事项信息公开 | ||
(二)推进财政资金信息公开 |||
3.财政预算决算公开 |
省财政厅 |
省直各部门,各设区市 |
4.政府采购信息公开 |
各设区市、某某综合实验区 | |
"""


def test_cell_a_line_table_rows_end_at_header_width(tmp_path):
    for text in (_BAR_CELLS, flattened(_BAR_CELLS)):
        tasks = _load(tmp_path, text).tasks
        assert [t.number for t in tasks] == ["1", "2", "3", "4"]
        assert _units(tasks[0]) == [("各设区市", "implement"), ("某某综合实验区", "implement"),
                                    ("省直各部门", "implement"), ("省编办", "lead")]
        assert _units(tasks[1]) == _units(tasks[0])          # its unit cells merged with the row above
        assert tasks[1].text == "行政审批事项信息公开"
        assert tasks[3].text == "政府采购信息公开"           # its unit cell no part of its text
        assert ("某某综合实验区", "implement") in _units(tasks[3])


def test_zone_in_a_units_list_is_a_unit():
    # a zone (综合实验区, 高新技术产业开发区) named beside the cities stands for its governing body
    assert is_unit_name("平潭综合实验区") and is_unit_name("某某高新技术产业开发区")
    assert looks_like_units("各设区市、平潭综合实验区")
    assert not looks_like_units("推进自由贸易试验区建设信息公开")


def test_zones_listed_before_one_body_are_each_that_body():
    from loaders.units import parse_units
    got = [(a.short_name, a.role) for a in parse_units("市政府各部门,高新区、化工园区、综合保税区管委会", region="某某市")]
    assert got == [("市政府各部门", "implement"), ("高新区管委会", "implement"), ("化工园区管委会", "implement"),
                   ("综合保税区管委会", "implement")]
    # a bureau before the zone's body is no zone: it keeps its own name
    assert [a.short_name for a in parse_units("市商务局、高新区管委会", region="某某市")] == ["市商务局", "高新区管委会"]


_BUREAU_NOTICE = """关于印发《湖南省交通运输厅2021年政务公开工作要点》的通知
厅机关各处室、所属各单位:
现印发你们,请结合各自任务分工按季度报送工作推进情况。
湖南省交通运输厅
2021516
湖南省交通运输厅2021年政务公开工作要点
一、主要任务
(一)做好规划公开。各处室要按要求发布本行业发展规划和年度计划执行情况。
(二)做好预算公开。各处室要按时公开部门预算和决算。
二、保障措施
(一)加强领导。各处室要明确专人负责。
"""


def test_bureau_owns_the_plan_its_notice_issues(tmp_path):
    # the signer's date lost its 年月日 (a mirror's): the plan the title issues names its owner still
    for text in (_BUREAU_NOTICE, flattened(_BUREAU_NOTICE)):
        assert _load(tmp_path, text).document.issuer == "湖南省交通运输厅"


def test_note_label_after_a_long_note_is_inside_its_bracket(tmp_path):
    # the note two tasks before ends just inside the 150 characters looked back on: its closing bracket
    # alone closes nothing there, and the label after the next task's text stays inside its own note
    # (no field line of its own, the bracket no longer left at the end of the task's text)
    b = "按季度公开项目审批结果和资金使用情况,及时回应群众关切,方便社会监督,切实提升政策透明度和公信力,推动" + "。"
    c = "有序公开学校办学条件改善、教育扶贫、基础教育工程项目建设、学生营养改善计划等重点工作进展情况,接受社会监督和评议。"
    text = ("10.做好河湖管理保护信息公开,及时公布河长名单和河湖水质监测情况。(牵头单位:市水务局)\n"
            "(四)推进教育卫生领域信息公开。\n"
            f"11.{b}(牵头单位:市教育局)\n12.{c}(牵头单位:市教育局)\n13.推进医疗机构院务公开。(牵头单位:市卫生健康委)\n")
    for t in (text, flattened(text)):
        tasks = _load(tmp_path, t).tasks
        assert [x.number for x in tasks] == ["10", "11", "12", "13"]
        assert not any(x.text.endswith("(") for x in tasks)
        assert _units(tasks[2]) == [("市教育局", "lead")]
