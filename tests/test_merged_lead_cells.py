"""Merged and empty 牵头 cells, forwarding notices with and without their table, a list's category cells and
OCR slips, each as a rule on a short text of our own after the pattern of a real plan (福建 2015's and 南平
2021's merged 牵头 cells, 平潭 2022's empty ones), in the forms the plan reaches us in."""
from __future__ import annotations

import io

from loaders import load_file


def _load(tmp_path, text: str, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _units(task):
    return sorted((a.short_name, a.role) for a in task.assignments)


# A 分解表 whose 牵头单位 cell is merged over three rows: a page's text prints it on its first row only,
# and the rows below print their 责任单位 cell alone (a row of fewer cells, padded with bars at its end).
MERGED_LEAD = """某省2016年政务公开工作任务分解表
工作任务 | 牵头单位 | 责任单位 |
一、推进财政信息公开 | ||
1.做好预算决算公开 | 省财政厅 | 省直各部门,各设区市、某某综合实验区 |
2.做好政府采购信息公开 | 各设区市、某某综合实验区 | |
3.做好债券发行信息公开 | 各设区市、某某综合实验区 | |
二、推进审批信息公开 | ||
4.做好审批结果公开 | 各设区市、某某综合实验区 | |
"""


_CITIES = [("各设区市", "implement"), ("某某综合实验区", "implement")]


def test_a_row_that_leaves_out_its_merged_lead_cell_is_led_by_the_row_above(tmp_path):
    tasks = _load(tmp_path, MERGED_LEAD).tasks
    assert [t.number for t in tasks] == ["1", "2", "3", "4"]
    assert _units(tasks[1]) == _units(tasks[2]) == _CITIES + [("省财政厅", "lead")]
    # a heading row closes a merged cell: the row under a new heading has no lead of the one above
    assert _units(tasks[3]) == _CITIES


def test_a_lead_cell_printed_empty_is_no_merged_one(tmp_path):
    text = MERGED_LEAD.replace("2.做好政府采购信息公开 | 各设区市、某某综合实验区 | |", "2.做好政府采购信息公开 | | 各设区市、某某综合实验区 |")
    tasks = _load(tmp_path, text).tasks
    assert _units(tasks[1]) == _CITIES


def _flat(text: str) -> str:
    """As a crawler gives the page: paragraphs joined by a space, a table's cells and rows by nothing."""
    out, prev = "", None
    for line in text.splitlines():
        kind = "cell" if "|" in line else "para"
        s = "".join(c.strip() for c in line.split("|")) if kind == "cell" else line.strip()
        out += ("" if prev is None or (kind == prev == "cell") else " ") + s
        prev = kind
    return out + "\n"


def test_flattened_the_merged_lead_still_leads_where_the_table_never_leaves_one_empty(tmp_path):
    tasks = _load(tmp_path, _flat(MERGED_LEAD)).tasks
    assert [t.number for t in tasks] == ["1", "2", "3", "4"]
    assert _units(tasks[1]) == _units(tasks[2]) == _CITIES + [("省财政厅", "lead")]


# 平潭 2022's pattern: the table's first rows have no lead (their cells printed empty), so flattened, an
# empty 牵头 cell further down is empty too, not merged with the row above.
EMPTY_LEADS = """某区2022年政务公开工作主要任务分解表
工作任务 | 工作要求 | 牵头单位 | 配合/责任单位 |
一、助力经济平稳健康发展 | |||
1.做好政策公开 | 及时公开涉及市场主体的政策文件。 | | 区直各有关单位,各乡镇人民政府 |
2.做好投资信息公开 | 及时回应和解决堵点问题。 | 区发展改革局 | 区直各有关单位,各乡镇人民政府 |
3.做好执法信息公开 | 推进反垄断执法信息公开。 | | 区直各有关单位,各乡镇人民政府 |
"""


def test_flattened_a_table_that_leaves_lead_cells_empty_leaves_them_empty(tmp_path):
    for text in (EMPTY_LEADS, _flat(EMPTY_LEADS)):
        tasks = _load(tmp_path, text).tasks
        assert [t.number for t in tasks] == ["1", "2", "3"]
        assert not any(a.role == "lead" for a in tasks[2].assignments), _units(tasks[2])
        assert ("区发展改革局", "lead") in _units(tasks[1])


def test_a_sheets_merged_lead_cell_leads_every_row_it_spans(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [["某省2016年政务公开工作任务分解表"], ["工作任务", "牵头单位", "责任单位"], ["一、推进财政信息公开"],
              ["1.做好预算决算公开", "省财政厅", "省直各部门,各设区市"], ["2.做好政府采购信息公开", None, "各设区市、某某综合实验区"],
              ["3.做好债券发行信息公开", None, "各设区市、某某综合实验区"]]:
        ws.append(r)
    ws.merge_cells("B4:B6")
    buf = io.BytesIO()
    wb.save(buf)
    p = tmp_path / "plan.xlsx"
    p.write_bytes(buf.getvalue())
    tasks = load_file(p).tasks
    assert [t.number for t in tasks] == ["1", "2", "3"]
    assert _units(tasks[1]) == _units(tasks[2]) == _CITIES + [("省财政厅", "lead")]


# A county's notice that sends its readers to the attached 分解表 for the tasks (延津, 内乡 2017): its own
# points (组织领导, 工作责任) are the notice's, not the plan's tasks; the tasks are the attached table's.
FORWARDING = """某县人民政府办公室关于明确2017年政务公开工作责任分工的通知
各乡镇人民政府,县政府各部门:
为贯彻落实上级文件精神,现就明确工作责任分工通知如下。
一、加强组织领导
各乡镇、各部门要把政务公开列入重要议事日程,确定一位负责同志分管政务公开工作。
二、明确工作责任
各乡镇、各部门要对照工作任务分解表(见附件),逐项抓好落实。各牵头单位要切实担负牵头责任。
"""
ATTACHED = """某县人民政府办公室
2017年9月25日
附件
某县2017年政务公开工作任务分解表
序号 | 工作任务 | 牵头单位 | 配合单位 |
1 | 推进权力清单公开。 | 县编办 | 县直各部门 |
2 | 推进财政预决算公开。 | 县财政局 | 县直各部门 |
"""


def test_a_notice_that_forwards_its_table_gives_no_plan_task_of_its_own(tmp_path):
    for text in (FORWARDING, _flat(FORWARDING)):
        rec = _load(tmp_path, text)
        assert rec.document.kind == "notice"
        assert rec.tasks and all(t.section[0] == "通知" for t in rec.tasks)


def test_with_its_table_the_forwarding_notice_gives_the_tables_tasks(tmp_path):
    rec = _load(tmp_path, FORWARDING + ATTACHED)
    assert rec.document.kind == "plan"
    plan = [t for t in rec.tasks if t.section[:1] != ("通知",)]
    assert [t.number for t in plan] == ["1", "2"]
    assert ("县财政局", "lead") in _units(plan[1])
    assert all(t.section[0] == "通知" for t in rec.tasks if t not in plan)


def test_a_notice_with_tasks_of_its_own_and_no_table_sent_for_is_still_a_plan(tmp_path):
    text = FORWARDING.replace("对照工作任务分解表(见附件),逐项抓好落实", "主动公开规划和预决算信息")
    rec = _load(tmp_path, text)
    assert rec.document.kind == "plan" and not any(t.section[0] == "通知" for t in rec.tasks)


# A 常态化 list printed one cell a line (张店 2023): the header's 工作任务 spans the category columns (its bars
# pad it to the table's width), a full row prints no bars of its own, a row whose cells are merged with
# the row above ends with bars; a cell's bar may stand on the line after it.
CATEGORY_LIST = """某区人民政府办公室关于印发《某区2023年政务公开常态化工作任务清单》的通知
各镇政府、街道办事处,区政府各部门:
现将《某区2023年政务公开常态化工作任务清单》印发给你们,请据此做好政务公开日常工作。
某区人民政府办公室
2023年8月18日
工作任务 |
具体要求 |
责任单位 |
||
主动公开 |
基础信息公开
|
规范性文件 |
做好行政规范性文件的集中公开工作,确保公开数量与省文件库一致。 |
区司法局、区各部门 |
公开页面列明标题、正文、文号、成文日期等要素。 |
||||
及时公开规范性文件的备案目录。 |
区各部门 |
|||
"""


def test_a_lists_category_cells_are_no_task_and_no_part_of_one(tmp_path):
    tasks = _load(tmp_path, CATEGORY_LIST).tasks
    assert [t.text for t in tasks] == ["做好行政规范性文件的集中公开工作,确保公开数量与省文件库一致。",
                                       "公开页面列明标题、正文、文号、成文日期等要素。", "及时公开规范性文件的备案目录。"]
    both = [("区司法局", "implement"), ("区各部门", "implement")]
    assert _units(tasks[0]) == _units(tasks[1]) == both      # the unit cell merged over the row below
    assert _units(tasks[2]) == [("区各部门", "implement")]


def test_ocr_misreadings_of_a_title_and_an_office_and_a_gloss():
    from loaders.ocr_words import mended
    # 〈〉 read as ASCII halves, or closed by half a 《》; each half read in a box of its own
    assert mended("关于印发<某市2016年政务公开工作要点>的通知") == "关于印发〈某市2016年政务公开工作要点〉的通知"
    assert mended("关于印发<某市2016年政务公开工作要点》的通知") == "关于印发〈某市2016年政务公开工作要点〉的通知"
    assert mended("关于印发<某市") == "关于印发〈某市" and mended("要点>的通知") == "要点〉的通知"
    # the 厅 of an office that is always a 厅, dropped; a 办公室 and a city's office untouched
    assert mended("國務院辦公") == "國務院辦公廳" and mended("某省人民政府办公") == "某省人民政府办公厅"
    assert mended("某市人民政府办公室") == "某市人民政府办公室" and mended("某市人民政府办公") == "某市人民政府办公"
    # a gloss whose o was read O or 0, on a line of glosses
    assert mended("政務公開工作(zuO)要點,工作(zu0)任務") == "政務公開工作要點,工作任務"
    assert mended("按(2020)版执行") == "按(2020)版执行"
