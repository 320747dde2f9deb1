"""Patterns of real 2023–2026 plans never seen before (unseen31a), each in a short text of our own:

- a municipality's 要点 closing each sentence with its units in brackets and no role word
  (…数据共享。(市政府办公厅、市发展改革委、各区政府)), lined or flattened alike;
- a page that lost its full-width spaces to question marks (??市人民政府办公厅, the signature set right);
- a document-sharing site's numbered terms (1、本站…付费… 2、该文档为VIP文档…) above the plan;
- a plan named for 政务信息公开 (2026年政务信息公开目录更新实施方案): its year.
"""
from __future__ import annotations

import pytest

from tests.plans import form_signature, load_text

MUNICIPAL = """某市人民政府办公厅关于印发《2024年某市政务公开工作要点》的通知
某府办字〔2024〕3号
各区人民政府,市政府各委、办、局:
《2024年某市政务公开工作要点》已经市政府同意,现印发给你们,请认真按照执行。
某市人民政府办公厅
2024年3月20日
2024年某市政务公开工作要点
一、优化政策公开
(一)深化政策集成发布。加强主题库的维护更新。推动政策信息数据共享。(市政府办公厅、市发展改革委、各区政府)推出第二批政策主题,做好集中展示。(市政府办公厅、市政府外办)鼓励结合职能创新开展政策集成。(各有关单位、各区政府)
(二)做好规划公开。及时公开国土空间规划和各类专项规划。(含各街道)
"""


@pytest.mark.parametrize("flat", [False, True])
def test_units_in_brackets_with_no_role_word_name_the_sentences_before_them(tmp_path, flat):
    rec = load_text(tmp_path, MUNICIPAL, flat=flat)
    got = [(t.number, sorted(a.short_name for a in t.assignments), {a.role for a in t.assignments}) for t in rec.tasks]
    assert got[:4] == [
        ("(一).1", ["各区政府", "市发展改革委", "市政府办公厅"], {"implement"}),
        ("(一).2", ["各区政府", "市发展改革委", "市政府办公厅"], {"implement"}),
        ("(一).3", ["市政府办公厅", "市政府外办"], {"implement"}),
        ("(一).4", ["各区政府", "各有关单位"], {"implement"}),
    ]
    # (含各街道) says what a name takes in; it names no one
    assert [t.assignments for t in rec.tasks if t.number == "(二).1"] == [[]]


def test_the_two_forms_give_the_same_records(tmp_path):
    assert form_signature(load_text(tmp_path, MUNICIPAL)) == form_signature(load_text(tmp_path, MUNICIPAL, flat=True, name="flat.txt"))


def test_question_marks_where_full_width_spaces_were_are_space(tmp_path):
    text = """某区2023年政务公开工作要点的通知
各乡镇人民政府、街道办事处、区政府各部门:
《某区2023年政务公开工作要点》已经区人民政府同意,现予以印发,请认真贯彻落实。
??????????????? 某市某区人民政府办公室
2023年7月7日???????
??一、推进权力运行公开
??1.及时公开重大决策信息。(责任单位:区政府办公室)
"""
    rec = load_text(tmp_path, text)
    assert rec.document.issuer == "某市某区人民政府办公室"
    assert [(t.number, [a.short_name for a in t.assignments]) for t in rec.tasks] == [("1", ["区政府办公室"])]


def test_a_sharing_sites_numbered_terms_are_no_tasks(tmp_path):
    text = """2025年政务公开工作实施方案.docxVIP
1、本站文档一经付费(服务费),不意味着购买了该文档的版权。
2、本站所有内容均由网友上传,本站不对文档的完整性做任何保证。
3、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。
查看更多
2025年政务公开工作实施方案
一、主要任务
1.及时公开财政预决算信息。
"""
    for flat in (False, True):
        rec = load_text(tmp_path, text, flat=flat, name=f"share{flat}.txt")
        assert [t.text_norm for t in rec.tasks] == ["及时公开财政预决算信息。"]


def test_a_plan_for_government_information_disclosure_names_its_year(tmp_path):
    text = "2026年政务信息公开目录更新实施方案\n一、总体要求\n1.依法依规更新目录。\n"
    assert load_text(tmp_path, text).document.year == 2026
