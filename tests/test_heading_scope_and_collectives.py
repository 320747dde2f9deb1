"""A heading's reach over the items and rows under it, each level's government offices as one collective, a
title's book mark closed on the next line, a bureau that posted a city's notice: parse weaknesses found on
real pages, each a rule a reader of government documents states, on a short text of our own, lined and
with its line breaks lost."""
import pytest

from loaders import load_file
from loaders.units import parse_units


def _load(tmp_path, text, flat=False, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text.replace("\n", "") if flat else text, encoding="utf-8")
    return load_file(p)


def _units(task):
    return sorted((a.short_name, a.role) for a in task.assignments)


# Two excerpts of one page joined by [GAP]: the items after it belong to a heading the gap took.
_GAPPED = """某某省政务公开三年行动计划(2021—2023年)
一、总体要求
(一)指导思想。坚持以人民为中心,推动政务公开工作提质增效。
(二)基本原则。
———坚持依法公开。严格执行条例,强化制度保障,正确处理公开与保
[GAP]
(2)做好政策解读。解读材料与政策文件同步起草、同步审签、同步发布,提高解读质量。(各级行政机关负责)
(3)回应公众关切。健全舆情回应机制,提高回应的精准度和时效性。(各级政府办公厅、网信办牵头负责)
4.推进公开标准化建设。
(1)完善事项标准。修订省市县三级政务公开事项标准目录,建立动态调整机制。(各级政府办公室牵头负责)
(2)推动基层公开标准
[GAP]
"""


@pytest.mark.parametrize("flat", [False, True])
def test_items_after_a_gap_stand_under_the_heading_it_took(tmp_path, flat):
    r = _load(tmp_path, _GAPPED, flat)
    titles = {s.path: s.title for s in r.sections}
    by_number = {t.number: t for t in r.tasks}
    # (2) after the gap is no part of 基本原则 (framing): a task of the plan, with its note's unit
    two = by_number["(2)"]
    assert titles.get(two.section) != "基本原则" and two.clause != "framing"
    assert ("各级行政机关", "lead") in _units(two)
    # 4. keeps its whole point (1); the point the final gap cut is dropped, not the task
    four = by_number["4"]
    assert four.section == two.section
    assert "完善事项标准" in four.text and "推动基层" not in four.text
    assert _units(four) == [("各级政府办公室", "lead")]
    if not flat:   # (flattened, the points (2), (3) stay one paragraph: one task)
        assert _units(by_number["(3)"]) == [("各级政府办公厅", "lead"), ("网信办", "lead")]


def test_item_that_continues_the_numbering_stays_under_its_heading(tmp_path):
    text = """某某市2021年政务公开工作要点
一、主要任务
(一)做好解读。
1.做好政策解读。解读材料与政策文件同步发布。(市政府各部门负责)
[GAP]
3.回应公众关切。健全舆情回应机制,提高回应时效。(市政府办公室负责)
"""
    r = _load(tmp_path, text)
    assert [t.section for t in r.tasks] == [("一", "(一)"), ("一", "(一)")]
    # (3) after a task's points (1), (2): its next point, under the same heading
    points = text.replace("1.做好政策解读。解读材料与政策文件同步发布。(市政府各部门负责)",
                          "1.做好政策解读。\n(1)同步发布解读材料。(市政府各部门负责)\n(2)丰富解读形式。(市政府各部门负责)")
    points = points.replace("3.回应公众关切。", "(3)回应公众关切。")
    r = _load(tmp_path, points, name="points.txt")
    assert {t.section for t in r.tasks} == {("一", "(一)")}


@pytest.mark.parametrize("flat", [False, True])
def test_each_level_government_office_is_one_collective(tmp_path, flat):
    # 各区、县(市)政府办公室: 县(市)政府办公室 alone names no office, 各区 is its head
    names = [a.short_name for a in parse_units("市政府各部门,各区、县〔市〕政府办公室负责", region="浙江省绍兴市")]
    assert names == ["市政府各部门", "各区、县(市)政府办公室"]
    text = """某某市2021年政务公开工作要点
一、深化主动公开
(一)夯实公开基础。扩大公开范围,优化公开方法。(市政府各部门,各区、县〔市〕政府办公室负责)
(二)深化决策公开。完善重大行政决策目录管理。(市政府各部门,各区、县〔市〕政府办公室负责)
"""
    r = _load(tmp_path, text, flat)
    assert [a.short_name for a in r.tasks[0].assignments] == ["市政府各部门", "各区、县(市)政府办公室"]


@pytest.mark.parametrize("flat", [False, True])
def test_title_whose_book_title_mark_closes_on_the_next_line(tmp_path, flat):
    text = """文字解读:对《某某新区2025年政务公开
工作要点》的解读
为贯彻落实上级部署,某某新区管委会办公室印发了《某某新区2025年政务公开工作要点》,现解读如下:
一、制定背景
2025年是规划收官之年,政务公开面临新的要求。
二、主要内容
《要点》部署了五个方面的任务。
"""
    r = _load(tmp_path, text, flat)
    assert r.document.title == "对《某某新区2025年政务公开工作要点》的解读"
    assert r.document.kind == "interpretation"


_DETAIL_TABLE = """某某市人民政府办公厅关于印发某某市2017年政务公开工作要点任务明细表的通知
各区、县(市)人民政府,市政府各部门:
现将《某某市2017年政务公开工作要点任务明细表》印发给你们,请认真贯彻执行。
某某市人民政府办公厅
2017年6月1日
某某市2017年政务公开工作要点任务明细表
一、各区、县(市)政府、市政府各部门负责落实的工作任务
序号
任务事项
工作要求
完成时限
1
公开预期引导信息
通过新闻发布会、接受访谈等方式解读财政、就业等政策,及时回应不实信息。
长期推进
2
公开随机抽查事项清单
1.推进安全生产等方面的监管执法信息公开;2.抽查事项清单应说明抽查依据、主体、内容;3.门户网站设立专栏发布。
长期推进
二、市政府办公厅负责落实的工作任务
序号
任务事项
工作要求
完成时限
3
公开政府常务会议信息
会议审议的政策文件在会后及时公开。
长期推进
"""


def test_heading_names_who_implements_the_rows_under_it(tmp_path):
    r = _load(tmp_path, _DETAIL_TABLE)
    assert [t.number for t in r.tasks] == ["1", "2", "3"]
    assert "监管执法信息公开" in r.tasks[1].text   # the requirement 1.…;2.… is the row's, no row of its own
    assert _units(r.tasks[0]) == [("各区、县(市)政府", "implement"), ("市政府各部门", "implement")]
    assert _units(r.tasks[2]) == [("市政府办公厅", "implement")]


@pytest.mark.parametrize("flat", [False, True])
def test_heading_units_in_prose(tmp_path, flat):
    text = """某某市2017年政务公开工作要点任务明细
一、市政府办公厅负责落实的工作任务
1.公开政府常务会议信息。会议审议的政策文件在会后及时公开。
2.做好政府公报工作。按时编印政府公报并在网站公开。
二、各区政府负责落实的工作任务
3.公开基层办事指南。编制并公开基层政务服务事项办事指南。(各区政务服务中心负责)
"""
    r = _load(tmp_path, text, flat)
    assert [_units(t) for t in r.tasks] == [[("市政府办公厅", "implement")], [("市政府办公厅", "implement")],
                                            [("各区政务服务中心", "lead")]]


_FIELDS_AS_PIPES = """索引号: | 0000/202211-00001 | 组配分类: | 工作推进 |
发布机构: | 某某市文化和旅游局 | 主题分类: | 旅游 |
名称: | 2022年11—12月政务公开重点工作任务提示单 | 文号: | 无 |
"""
_FIELDS = """索引号:0000/202211-00001
发布机构:某某市文化和旅游局
名称:2022年11—12月政务公开重点工作任务提示单
"""


@pytest.mark.parametrize("fields, flat", [(_FIELDS_AS_PIPES, False), (_FIELDS, False), (_FIELDS, True)])
def test_bureau_that_posted_a_city_notice_is_not_its_issuer(tmp_path, fields, flat):
    text = fields + """各县市区人民政府,市政府各部门、各直属机构:
根据省里的部署,市政务公开办梳理形成了重点工作任务清单,请对照落实。
2022年10月31日
2022年11—12月政务公开重点工作任务清单
一、年底前专项工作
1.行政规范性文件集中公开。开展文件清理,形成现行有效的文件目录。(市政府各部门,各县市区政府负责)
2.基层政务公开提升。按照基层公开标准指引,全面公开各领域政府信息。(各县市区政府负责)
二、常态化工作
3.政策解读。重要政策文件与解读材料同步发布。(市政府各部门负责)
"""
    r = _load(tmp_path, text, flat)
    assert r.document.issuer != "某某市文化和旅游局"
    assert r.document.level == "city"
    # a bureau's own notice to its county bureaus is still the bureau's
    own = text.replace("各县市区人民政府,市政府各部门、各直属机构:", "各县市区文化和旅游局,局机关各科室:")
    assert _load(tmp_path, own, flat, name="own.txt").document.issuer == "某某市文化和旅游局"
