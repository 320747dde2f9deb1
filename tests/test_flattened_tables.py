"""The same table in the forms it travels in when its lines are lost (after real bureau and county plans),
each in a short text of our own: a pipe table whose breaks were lost but whose ``|`` stayed, a table laid
out 任务内容 | 完成时限 | 责任单位 flattened, a page menu's bars in a document on one line. Each must give the lined
form's tasks, texts, deadlines and (unit, role)."""
from __future__ import annotations

import pytest

from loaders import load_file


def _load(tmp_path, text: str, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _read(recs):
    return [(t.number, t.text_norm, t.deadlines, [(a.short_name, a.role) for a in t.assignments]) for t in recs.tasks]


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


def _pipes_kept(text: str, sep: str) -> str:
    return sep.join(_lines(text)) + "\n"


def _cells_joined(text: str, sep: str) -> str:
    """As a crawler flattens it: paragraphs parted by a space, a table's cells joined with ``sep``."""
    out = ""
    for line in _lines(text):
        cell = "|" in line
        line = sep.join(c.strip() for c in line.strip("|").split("|") if c.strip()) if cell else line
        out += ((sep if cell and out and out[-1] != " " else " ") if out else "") + line
    return out + "\n"


NUMBERED = """某县某局2023年政务公开工作任务分解表
序号 | 工作任务 | 责任单位 | 完成时限
1 | 及时公开本局年度预算和决算信息。 | 财务股 | 2023年6月底前
2 | 做好规划信息公开,1.公开规划文本;2.公开执行情况。 | 规划股、办公室 | 长期坚持
3 | 规范办理依申请公开,按期答复。 | 各股室 |
4 | 公开行政执法结果信息。 | 执法大队 | 2023年12月底前
"""

HEADED = """某区2022年政务公开工作要点任务分工
主要工作任务 | 任务内容 | 完成时限 | 责任单位 |
一、提升重点领域公开质量 | (一)加大稳经济政策公开力度 | 1.集中发布稳经济政策,做好政策解读。 | 全年 | 区发改局、区级其他有关部门,各街道办事处 |
2.做好项目预算公开试点,推动预算信息向社会公开。 | 12月底前 | 区财政局,各街道办事处 |
(二)加大营商环境公开力度 | 3.健全市场主体反映审批问题的办理和反馈机制。 | 三季度前 | 区发改局、区住建局 |
4.加强执法信息公开,营造良好市场环境。 | 全年 | 区市场监管局,各街道办事处 |
"""


@pytest.mark.parametrize("sep", ["", " "])
@pytest.mark.parametrize("table", ["numbered", "headed"])
def test_a_pipe_table_whose_line_breaks_were_lost_gives_its_rows(table, sep, tmp_path):
    # Its | kept, one line: read as one row, it gave no task. A cell that opens with the numbering (or a
    # bare number continuing the count) opens a row; 一、… | (一)… | 1.… is one row; a 1. inside a
    # requirement cell under a 序号 column is no row.
    text = {"numbered": NUMBERED, "headed": HEADED}[table]
    lined = _read(_load(tmp_path, text, "lined.txt"))
    assert len(lined) == 4 and all(units for *_, units in lined)
    assert _read(_load(tmp_path, _pipes_kept(text, sep), "flat.txt")) == lined
    # rows printed without their closing |: a row's last cell glued to the next row's number
    no_closing = "\n".join(x.rstrip(" |") for x in text.splitlines())
    assert _read(_load(tmp_path, _pipes_kept(no_closing, sep), "open.txt")) == lined


def test_an_unnumbered_pipe_table_on_one_line_ends_a_row_at_the_headers_width(tmp_path):
    text = ("某市某局政务公开工作任务分解表\n工作任务 | 牵头科室 | 责任科室 | 工作要求 |\n(一)推进清单公开 |  |  |  |\n"
            "公开本局权力清单和责任清单 | 法规科 | 各科室 | 按时更新两张清单。 |\n"
            "公开行政审批事项目录 | 审批科 | 办公室 | 及时调整事项目录。 |\n")
    lined = _read(_load(tmp_path, text, "lined.txt"))
    assert [u for *_, u in lined] == [[("法规科", "lead"), ("各科室", "implement")], [("审批科", "lead"), ("办公室", "implement")]]
    assert _read(_load(tmp_path, _pipes_kept(text, ""), "flat.txt")) == lined


MENU_PAGE = """登录 | 注册
某市2019年政务公开工作要点
各县(市、区)人民政府,市政府各部门:
现将《某市2019年政务公开工作要点》印发给你们,请结合实际认真贯彻落实。
一、推进决策公开
(一)做好决策预公开。重大决策出台前向社会公开征求意见,及时反馈意见采纳情况,扩大公众参与范围。
(二)做好会议公开。推进政府常务会议开放,邀请利益相关方、公众代表和专家列席会议,会后及时发布会议信息。
二、推进执行公开
(一)做好督查公开。及时公开重大政策措施落实情况和督查发现的问题,持续跟踪整改,公开整改结果。
(二)做好审计公开。依法公开审计结果,推动审计发现问题的整改情况公开,接受社会监督。
三、推进结果公开
(一)做好评估公开。对重大政策措施开展第三方评估,公开评估报告,回应社会关切。
"""


@pytest.mark.parametrize("sep", ["", " "])
def test_a_page_menus_bars_in_a_document_on_one_line_make_no_row(sep, tmp_path):
    # The page's 登录 | 注册 kept its bar: the whole document read as one row of two cells, no task.
    lined = _read(_load(tmp_path, MENU_PAGE, "lined.txt"))
    assert len(lined) == 5
    assert _read(_load(tmp_path, _pipes_kept(MENU_PAGE, sep), "flat.txt")) == lined


@pytest.mark.parametrize("sep", ["", " ", "\t"])
def test_a_deadline_column_before_the_units_is_its_own_cell_flattened(sep, tmp_path):
    # 任务内容 | 完成时限 | 责任单位 joined: the deadline was glued to the text (…解读。全年) or to the
    # first unit (三季度前区发改局); 各街道办事处 was cut into 各街道办 and 事处. On one line with tabs
    # between cells, the 时限 cell read as a line of its own was glued to the text before it.
    lined = _read(_load(tmp_path, HEADED, "lined.txt"))
    one_line = "\t".join(c.strip() for x in _lines(HEADED) for c in x.split("|") if c.strip()) if sep == "\t" \
        else _cells_joined(HEADED, sep)
    flat = _read(_load(tmp_path, one_line, "flat.txt"))
    assert flat == lined
    assert lined[2][2] == ["三季度前"] and ("各街道办事处", "implement") in lined[3][3]


BUREAU_CELLS = ["某市某局2016年政务公开工作任务分解表", "工作任务", "牵头科室", "责任科室", "工作要求",
                "(一)推进权力清单和责任清单公开", "公开本局权力清单和责任清单", "法规科", "各科室", "按时更新两张清单。",
                "公开行政审批事项目录", "审批科", "办公室", "及时调整事项目录。", "公开部门预算和决算", "财务"]


@pytest.mark.parametrize("sep", [" ", "\t"])
def test_a_table_with_units_in_the_middle_printed_a_cell_a_paragraph_reads_the_same_flattened(sep, tmp_path):
    # 工作任务 | 牵头科室 | 责任科室 | 工作要求, rows unnumbered, a page's cell a paragraph, the text cut
    # inside the next row: joined with a space (or a tab) between its cells it gave the units of every
    # row to every task, or none at all when the cut row took its whole line with it.
    lined = _read(_load(tmp_path, "\n\n".join(BUREAU_CELLS), "lined.txt"))
    assert [u for *_, u in lined] == [[("法规科", "lead"), ("各科室", "implement")], [("审批科", "lead"), ("办公室", "implement")]]
    assert _read(_load(tmp_path, sep.join(BUREAU_CELLS), "flat.txt")) == lined


TOWN = """某镇2022年政务公开工作要点分工方案
工作要求
一级要点
二级要点
责任单位
一、夯实政务公开工作基础
(一)深化规范性文件集中公开。
1.依托信息公开平台发布现行有效的规范性文件,及时做好动态更新。
司法所
2.统一使用国家行政法规库的文本,确保引用的法规为最新版本。
各有关单位
3.各村(社区)要参照市级文件库完善分类展示,提高公开质量。司法所要做好合法性审查工作。
司法所牵头,党政综合办配合,各有关单位按职能分工落实
(二)推进基层政务公开标准化。
"""


def test_a_towns_unit_cell_glued_between_a_tasks_last_sentence_and_the_next_task_is_its_unit(tmp_path):
    # Joined with nothing, 司法所 and 各有关单位 stayed in the text of tasks 1 and 2 (…动态更新。司法所2.统一…).
    lined = _read(_load(tmp_path, TOWN, "lined.txt"))
    assert [u for *_, u in lined][:2] == [[("司法所", "implement")], [("各有关单位", "implement")]]
    assert _read(_load(tmp_path, "".join(_lines(TOWN)), "flat.txt")) == lined


HEADINGS = """某市2016年政务公开工作要点
一、总体要求
(一)指导思想
坚持以公开为常态、不公开为例外,推进政务公开工作全面深化。
(二)工作目标
紧紧围绕全市中心工作,扎实推进决策、执行、管理、服务、结果公开。
二、围绕深化改革推进公开
(一)推进权力清单和责任清单公开
对两张清单进行动态调整,公布新版权力清单。根据通用责任清单要求,细化公开各部门的责任事项。
(二)推进行政审批公开
全面公开行政审批事项目录,及时更新办事指南。
三、工作安排
各区、各部门要按照任务分工抓好落实,明确专人负责。
"""


@pytest.mark.parametrize("sep", ["", " "])
def test_a_heading_glued_to_its_first_sentence_keeps_that_sentence(sep, tmp_path):
    # One line: (一)推进…清单公开对两张清单进行动态调整,… took the first sentence into the heading's
    # title (a task lost); so did a framing title (指导思想坚持以…, 工作目标紧紧围绕…) and one before whom a
    # sentence charges (工作安排各区、各部门要…).
    recs = _load(tmp_path, HEADINGS, "lined.txt")
    lined = _read(recs)
    assert len(lined) == 6
    flat = _load(tmp_path, sep.join(_lines(HEADINGS)), "flat.txt")
    assert _read(flat) == lined
    assert [s.title for s in flat.sections] == [s.title for s in recs.sections]
