"""Misreadings of real documents: a sub-heading numbered like a task, a sentence broken across a blank line,
a PDF's stray spaces inside words, OCR's 门 read as 内 in unit words, a 督察表 whose columns ran together. Each
test states the rule on a short text of our own."""
from loaders import load_file
from renditions import scan_read_as


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


_SUB_HEADING = [
    "某县文旅局2024年政务公开工作计划",
    "为做好本年度政务公开工作,结合本局实际,制定计划如下:",
    "一、健全工作机制,筑牢公开基础。",
    "1.压实组织领导责任",
    "2.调整政务公开工作专班,明确分管领导具体负责、各股室分工落实,每半年通报一次。",
    "3.加强人员培训,每季度开展一次业务学习。",
    "二、做好重点信息公开。",
    "1.做好政策解读",
    "2.推进平台建设",
    "3.规范依申请公开办理。",
]


def test_a_short_numbered_line_without_a_stop_over_whole_sentences_is_a_sub_heading(tmp_path):
    for name, text in (("lined.txt", "\n".join(_SUB_HEADING)), ("flat.txt", "".join(_SUB_HEADING))):
        rec = _load(tmp_path, text, name)
        first = [t for t in rec.tasks if t.section[:1] == ("一",)]
        assert [t.number for t in first] == ["2", "3"], name
        assert any(s.title == "压实组织领导责任" for s in rec.sections), name
        # a list of short items, none with a stop, stays a list of tasks
        second = [t.text_norm for t in rec.tasks if t.section[:1] == ("二",)]
        assert second[:2] == ["做好政策解读", "推进平台建设"], name


_BROKEN = [
    "某乡人民政府2022年政务公开工作实施方案",
    "(一)推进营商环境信息公开。",
    "   梳理公开本级政务服务事项清单,按季度动态调整。做好减证便民、优化审批、规范监",
    "",
    "   管流程等方面的信息公开。",
    "(二)推进基层政务公开标准化。",
    "   各村要按目录公开村务财务信息。",
]


def test_a_sentence_a_blank_line_cut_mid_word_keeps_its_second_half(tmp_path):
    rec = _load(tmp_path, "\n".join(_BROKEN))
    texts = [t.text_norm.replace(" ", "") for t in rec.tasks]
    assert len(texts) == 3
    assert texts[1] == "做好减证便民、优化审批、规范监管流程等方面的信息公开。"


_PDF_SPACES = [
    "某市人民政府办公室关于印发2022年某市政务公开工作要点的通知",
    "一、加强重点领域信息公开",
    "(一) 做好重点工作公开.按照《某市人 民政府关于分解重点工作责任单位 的通知》要求,按季度公开进展情况.(责任 单位: 各县人民政府、市直各部门)",
    "(二) 推进财政预决算公开.细化公开内容,及时回应关切.(责任单位: 市财政局 市审计局)",
]


def test_a_pdf_space_inside_a_word_is_not_in_the_text_an_analyst_reads(tmp_path):
    for name, text in (("lined.txt", "\n".join(_PDF_SPACES)), ("flat.txt", "".join(_PDF_SPACES))):
        rec = _load(tmp_path, text, name)
        first = rec.tasks[0]
        assert "《某市人民政府关于分解重点工作责任单位的通知》" in first.text, name
        assert "责任 单位" not in first.text, name
        assert [(a.name, a.role) for a in first.assignments] == [("各县人民政府", "implement"), ("市直各部门", "implement")]
    # a space between two names, no word's inside, stays where the line kept it
    lined = _load(tmp_path, "\n".join(_PDF_SPACES), "lined.txt")
    assert "市财政局 市审计局" in lined.tasks[-1].text


def test_ocr_reads_men_back_in_unit_and_label_words_only_in_a_scan(tmp_path, monkeypatch):
    lines = ["某县2021年政务公开工作要点",
             "(一)做好规划信息公开。要依托政府内户网站公开规划全部内容。",
             "(责任部內:县政府各部内)",
             "(二)做好预决算公开。按要求公开部门预决算。",
             "(责任部內:县财政局)"]
    rec = scan_read_as(lines, tmp_path, monkeypatch)
    assert [[(a.name, a.role) for a in t.assignments] for t in rec.tasks] == [
        [("县政府各部门", "implement")], [("县财政局", "implement")]]
    assert "门户网站" in rec.tasks[0].text and "全部内容" in rec.tasks[0].text
    # the same words in a text the file itself holds are left as printed
    rec = _load(tmp_path, "\n".join(lines))
    assert "内户网站" in rec.tasks[0].text


def test_an_inspection_tables_columns_run_together_give_its_material_units(tmp_path):
    # 督察表: 完成情况 / 存在问题 / 整改措施 are the inspection's, 整改责任主体 who fixes what it finds; who
    # supplies the material (材料提供部门) did the task. Its header words a PDF spaced (整改责任 主体).
    text = ("某市政务公开工作督察表\n"
            "序号 工作任务 完成情况 存在问题 整改措施 整改责任 主体 材料提供部 门 "
            "1 按照规定及时公开重大决策预公开事项,广泛听取公众意见。 市司法局 市政府办公室 "
            "2 做好审计发现问题整改情况的公开,促进抓落实。 市审计局 市政府办公室 "
            "3 定期公布重点工作进展情况,确保政策落地。 市发展改革委、市统计局 "
            "4 推进规划信息公开。 市发展改革委")
    rec = _load(tmp_path, text)
    assert [(t.number, [a.name for a in t.assignments]) for t in rec.tasks] == [
        ("1", ["市司法局", "市政府办公室"]), ("2", ["市审计局", "市政府办公室"]),
        ("3", ["市发展改革委", "市统计局"]), ("4", ["市发展改革委"])]
