"""Misreadings of real documents: PDF text whose stray spaces fall inside words, counted measures that lost
the stop before them, and more. Each test states the rule on a short text of our own."""
from loaders import load_file


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _tasks(rec):
    return [(t.text_norm.replace(" ", ""), [(a.name, a.role) for a in t.assignments]) for t in rec.tasks]


# A PDF's text: each printed line ends with a space, wherever the line broke (inside 某省人民政府 too).
_PDF_LINES = [
    "某省人民政府办公厅关于印发2022年某省政务公开工作要点的", "通 知",
    "各市人民政府、各省直管县(市) 人民 政府,省政府各部门:",
    "现将《2022年某省政务公开工作要点》印发给你们,请认真贯彻落实。",
    "2022年某省政务公开工作要点",
    "一、加强重点领域信息公开",
    "(一) 做好政府工作报告落实情况公开。按照《某省人 民政府关于分解政府工作报告重点工作责任单位 的通知》(某政〔2022〕 3号) 要求,按季度公开重点工作进展。(责任 单位: 各市政府、省直各部门)",
    "(二) 推进财政预决算公开。细化公开内容,及时回应关切。(责任单位: 省财政厅)",
]


def test_a_pdf_space_inside_a_name_or_a_cited_title_is_no_break_once_flattened(tmp_path):
    # 某省人 民政府, 责任单位 的通知 inside 《》, (…号) 要求: the line wraps of a PDF; flattened, the text
    # gives the tasks and units its lines give, no junk unit (民政府关于…责任单位) and no extra task
    lined = _tasks(_load(tmp_path, "\n".join(_PDF_LINES), "lined.txt"))
    flat = _tasks(_load(tmp_path, "".join(_PDF_LINES), "flat.txt"))
    assert len(lined) == 2
    assert [u for _, u in flat] == [u for _, u in lined]
    assert [u for _, u in flat][0] == [("各市政府", "implement"), ("省直各部门", "implement")]
    assert [t for t, _ in flat] == [t for t, _ in lined]


_COUNTED = [
    "某县2024年政务公开工作要点解读",
    "一、主要内容",
    "(一)深化重点领域公开一是推进规划信息公开;二是推进财政信息公开;三是推进项目信息公开。",
    "(二)优化公开平台是加强政府网站日常管理;二是规范政务新媒体运维;三是办好政府公报栏目。",
]


def test_counted_measures_glued_to_their_heading_are_each_a_task(tmp_path):
    # the stop before 一是 lost (…公开一是…), or the stop and the 一 (…平台是加强…): the heading's title
    # ends where the measures begin, and each measure is a task
    rec = _load(tmp_path, "\n".join(_COUNTED))
    texts = [t for t, _ in _tasks(rec)]
    assert texts == ["一是推进规划信息公开;", "二是推进财政信息公开;", "三是推进项目信息公开。",
                     "加强政府网站日常管理;", "二是规范政务新媒体运维;", "三是办好政府公报栏目。"]
    titles = {s.title for s in rec.sections}
    assert {"深化重点领域公开", "优化公开平台"} <= titles


_DIGIT_PARTS = [
    "某省2024年政务公开工作要点",
    "1、围绕政策落实做好公开",
    "(一)推进决策公开。各级政府要及时公开重大决策的制定过程和结果。",
    "(二)推进执行公开。各部门要按季度公开重点工作的推进情况。",
    "2、加强公开平台建设",
    "(一)办好政府网站。各级政府网站要及时更新栏目内容,确保信息准确。",
]


def test_a_copy_numbering_its_parts_1_over_their_sections_reads_them_as_parts(tmp_path):
    # a reworded copy numbers its parts 1、2、 (the original's 一、二、) over (一)(二) items: 1、 is the part
    # that holds them, no task; the sections hang from it
    rec = _load(tmp_path, "\n".join(_DIGIT_PARTS))
    assert len(rec.tasks) == 3
    assert all(len(t.section) == 2 for t in rec.tasks)
    assert {s.title for s in rec.sections if len(s.path) == 1} == {"围绕政策落实做好公开", "加强公开平台建设"}


_FORWARDED = [
    "现将《某省人民政府办公厅关于印发2022年某省政务公开工作要点的通知》(某政办〔2022〕8号)转发给你们,请认真贯彻落实。",
    "某省人民政府办公厅关于印发2022年某省政务公开工作要点的通知",
    "各市人民政府,省政府各部门:",
    "《2022年某省政务公开工作要点》已经省政府同意,现印发给你们,请认真贯彻落实。",
    "2022年某省政务公开工作要点",
    "一、加强重点领域信息公开",
    "(一)做好预决算公开。按照《某省财政厅关于预算公开的通知》(某财预〔2021〕5号)要求,及时公开预决算。",
]


def test_a_forwarded_plans_number_in_the_forwarding_sentence_is_its_own(tmp_path):
    # the plan read is the one forwarded: the number printed after its own title in 《》 is its doc_no,
    # no citation; another title's number stays cited
    doc = _load(tmp_path, "\n".join(_FORWARDED)).document
    assert doc.doc_no == "某政办〔2022〕8号"
    assert doc.cites == ["某财预〔2021〕5号"]
    # the forwarding notice read as itself (its own title and number): the forwarded plan is what it cites
    own = ["某县人民政府办公室关于转发某省2022年政务公开工作要点的通知", "某县政办〔2022〕3号", "各乡镇人民政府:"] + _FORWARDED
    doc = _load(tmp_path, "\n".join(own), "county.txt").document
    assert doc.doc_no == "某县政办〔2022〕3号"
    assert "某政办〔2022〕8号" in doc.cites


def test_a_middle_units_tables_heading_ends_where_its_first_rows_verb_opens(tmp_path):
    # 工作任务 | 牵头股室 | 责任股室 | 工作要求 joined with nothing: a heading whose last word is no title word
    # (…社会关切, …网站建设) ends where its first row's title opens with its verb or its when (聚焦…, 定期…)
    opening = ["某县统计局关于分解2023年政务公开工作任务的通知", "各股室:", "现将任务分解如下,请抓好落实。",
               "某县统计局2023年政务公开工作任务分解表"]
    for h1, t1, h2, t2 in (("(一)强化政策解读", "围绕重大政策同步开展解读", "(二)回应社会关切", "聚焦热点问题及时发布权威信息"),
                           ("(一)规范依申请公开", "严格执行依申请公开办理流程", "(二)政府网站建设", "定期检查网站栏目更新情况")):
        rows = [["工作任务", "牵头股室", "责任股室", "工作要求"], [h1], [t1, "综合股", "各股室", "按时更新数据目录。"],
                ["做好统计公报发布工作", "办公室", "各股室", "统计公报全文在网站发布。"], [h2],
                [t2, "法规股", "各股室", "解读材料与政策同步发布。"]]
        cells = [c for r in rows for c in r]
        lined = _load(tmp_path, "\n".join(opening + cells) + "\n", "lined.txt")
        flat = _load(tmp_path, "".join(opening + cells) + "\n", "flat.txt")
        assert _tasks(flat) == _tasks(lined)
        assert [u for _, u in _tasks(flat)][-1] == [("法规股", "lead"), ("各股室", "implement")]
        assert {s.title for s in flat.sections} >= {h1[3:], h2[3:]}
