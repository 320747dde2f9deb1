"""Unit notes and unit columns as real plans print them, each in a short text of our own: a bureau's notes
labelled with its own column word, a note on a line of its own, a mirror's lost non-breaking spaces before
a heading, and a bureau's table whose requirement column follows its units."""
from __future__ import annotations

from loaders import load_file


def _load(tmp_path, text: str, name: str = "plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _units(t):
    return [(a.short_name, a.role) for a in t.assignments]


BUREAU_NOTES = """某市某某管理局2020年政务公开工作实施方案
一、总体要求
坚持以公开为常态、不公开为例外,持续提升政务公开质量。
? ?二、重点任务
(一)推进政策执行公开。结合机构改革做好信息公开工作,推动依法全面履职。(责任科室:各科室、所属事业单位)
(二)推进改革进展公开。及时公布公务用车制度改革等工作进展情况,并公布监督电话。(责任科室:车辆管理科、后勤服务科)
"""


def test_a_note_labelled_with_any_unit_column_word_names_the_units(tmp_path):
    recs = _load(tmp_path, BUREAU_NOTES)
    tasks = {t.number: t for t in recs.tasks}
    assert _units(tasks["(一).1"]) == [("各科室", "implement"), ("所属事业单位", "implement")]
    assert _units(tasks["(二).1"]) == [("车辆管理科", "implement"), ("后勤服务科", "implement")]
    # behind the lost spaces (`? ?`) 二、 is still a heading: its tasks are no framing of 一、总体要求
    assert [s.number for s in recs.sections if s.depth == 1] == ["一", "二"]
    assert all(t.clause == "obligation" for t in recs.tasks if t.section[:1] == ("二",))


NOTE_OWN_LINE = """某县2022年政务公开工作要点
一、深化主动公开
(一)做好规划公开。及时公开本县规划文本及执行情况。(牵头单位:县发改局)按季度做好民生实事项目预算公开。
(牵头单位:县财政局)
(二)做好执法公开。及时公开行政执法结果信息。(牵头单位:县司法局)推进知识产权执法信息公开。
"""


def test_a_note_names_only_the_sentences_before_it_and_a_note_on_its_own_line_the_rest(tmp_path):
    recs = _load(tmp_path, NOTE_OWN_LINE)
    by_text = {t.text_norm[:8]: _units(t) for t in recs.tasks}
    assert by_text["及时公开本县规划"] == [("县发改局", "lead")]
    assert by_text["按季度做好民生实"] == [("县财政局", "lead")]
    assert by_text["及时公开行政执法"] == [("县司法局", "lead")]
    assert by_text["推进知识产权执法"] == []   # its note is not printed: no unit is guessed


TABLE = [("公开本局权力清单和责任清单", "法规科", "各科室", "按时更新两张清单。"),
         ("公开行政审批事项目录", "审批科", "办公室", "及时调整事项目录。"),
         ("公开部门预算和决算", "财务科", "各科室", "按规定时限公开预决算。")]
HEADER = ("工作任务", "牵头科室", "责任科室", "工作要求")


def _expected(recs):
    return [(t.number, t.text_norm, _units(t)) for t in recs.tasks]


def test_a_requirement_column_after_the_units_in_an_unnumbered_table(tmp_path):
    want = [(str(i), f"{row[0]} {row[3]}", [(row[1], "lead"), (row[2], "implement")])
            for i, row in enumerate(TABLE, 1)]
    pipes = "某市某局政务公开工作任务分解表\n" + "\n".join(
        " | ".join(r) + " |" for r in [HEADER, ("(一)推进清单公开", "", "", ""), *TABLE])
    assert _expected(_load(tmp_path, pipes, "pipes.txt")) == want
    # the same table as a page gives it, one cell a paragraph: the header's width groups the lines
    cells = "某市某局政务公开工作任务分解表\n\n" + "\n\n".join([*HEADER, "(一)推进清单公开", *(c for r in TABLE for c in r)])
    assert _expected(_load(tmp_path, cells, "cells.txt")) == want
    # cut inside the next row: the rows before it stay whole
    cut = cells + "\n\n公开重大行政决策目录\n\n法规"
    recs = _load(tmp_path, cut, "cut.txt")
    assert _expected(recs) == want and recs.document.truncated


DATED_TABLE = """主要工作任务 | 任务内容 | 完成时限 | 责任单位 |
一、提升重点领域公开质量 | (一)加大营商环境公开力度 | 1.健全市场主体反映审批问题的办理和反馈机制,推动优化投资环境。 | 三季度前 | 区发改局、区住建局 |
2.加强反垄断、反不正当竞争等领域执法信息公开。 | 全年 | 区市场监管局,各街道办事处 |
3.开展项目预算公开试点,推动项目预算信息向社会公开。 | 12月底前 | 区财政局 |
"""


def test_a_deadline_column_before_the_units_is_no_part_of_the_text(tmp_path):
    recs = _load(tmp_path, DATED_TABLE)
    got = [(t.number, t.text_norm[-6:], t.deadlines, _units(t)) for t in recs.tasks]
    assert got == [("1", "化投资环境。", ["三季度前"], [("区发改局", "implement"), ("区住建局", "implement")]),
                   ("2", "法信息公开。", ["全年"], [("区市场监管局", "implement"), ("各街道办事处", "implement")]),
                   ("3", "向社会公开。", ["年底"], [("区财政局", "implement")])]


def test_a_copied_opening_that_lost_its_brackets_and_cites_an_office(tmp_path):
    text = ("某县2018年政务公开工作要点实施方案为深入贯彻落实某省人民政府办公厅关于印发全省要点的通知(黑政办发201835号)"
            "和某市人民政府办公室关于印发实施方案的通知(绥政办发201823号),结合本县实际,制定本方案。一、工作目标进一步加大"
            "公开力度。二、工作任务(一)围绕法治政府推进公开。1.坚持以公开为常态,及时公开政府及其部门制定的政策。")
    doc = _load(tmp_path, text).document
    assert doc.cites == ["黑政办发〔2018〕35号", "绥政办发〔2018〕23号"] and doc.doc_no is None
    assert doc.issuer is None and doc.level == "county"   # the offices its first sentence cites issued other plans
