"""Bulleted fields, site tags, status cells and issuers as real 政务公开 pages print them (2020-2024: 安徽 宿州/淮南
plans and bureau tables, a 新疆 prefecture city's notice with bulleted fields, a 山东 district's list). Each
test states the rule on a short text of our own, lined and with every line break removed."""
import pytest

from loaders import load_file


def _load(tmp_path, text, flat=False, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text.replace("\n", "") if flat else text, encoding="utf-8")
    return load_file(p)


def _units(rec):
    return [[(a.short_name, a.role) for a in t.assignments] for t in rec.tasks]


_STATUS_TABLE = ("【任务分工】某区2023年政务公开重点工作任务分工\n\n工作任务\n\n具体要求\n\n责任单位\n\n落实情况\n\n"
                 "一、优化营商环境\n\n1\n\n及时发布涉企政策和办理规程。\n\n区有关部门,各街道负责落实\n\n序时推进。\n\n"
                 "2\n\n加大涉企政策意见征集力度。\n\n区有关部门,各街道负责落实\n\n2023年一季度已公开部分意见征集。\n\n"
                 "3\n\n公开行政执法结果信息。\n\n区税务局、区有关部门负责落实\n\n已发布执法结果。\n\n二、扩大内需\n\n"
                 "4\n\n公开重大项目全过程信息。\n\n区发改委负责落实\n\n序时推进。\n")


@pytest.mark.parametrize("flat", [False, True])
def test_a_status_cell_after_the_units_role_word_is_no_part_of_the_units(tmp_path, flat):
    # 责任单位 | 落实情况 with no deadline column: the status (序时推进。, 已发布…, 2023年一季度已公开…)
    # opens right after the unit cell's role word 负责落实
    rec = _load(tmp_path, _STATUS_TABLE, flat)
    assert _units(rec) == [[("区有关部门", "implement"), ("各街道", "implement")],
                           [("区有关部门", "implement"), ("各街道", "implement")],
                           [("区税务局", "implement"), ("区有关部门", "implement")],
                           [("区发改委", "implement")]]


@pytest.mark.parametrize("flat", [False, True])
def test_a_site_column_tag_before_the_title_is_no_part_of_it(tmp_path, flat):
    # 【政务公开任务分工】某市某联合会2024年…: the site's column in brackets; the title names its issuer, a
    # people's organisation (联合会) of the city, a department-level body
    rec = _load(tmp_path, "【政务公开任务分工】淮南市某某联合会2024年政务公开重点工作任务分工\n工作任务 |\n具体要求 |\n"
                          "责任科室 |\n时限要求 |\n1 |\n做好本会预算决算公开。 |\n办公室 |\n年底前 |\n", flat)
    d = rec.document
    assert (d.issuer, d.level, d.region) == ("淮南市某某联合会", "department", "淮南市")
    if not flat:   # (flattened, the title runs into the header row: a weakness of every one-line pipe table)
        assert d.title == "淮南市某某联合会2024年政务公开重点工作任务分工"


@pytest.mark.parametrize("flat", [False, True])
def test_a_bulleted_field_is_no_menu_and_a_city_government_office_without_renmin_is_the_city(tmp_path, flat):
    # • 发文字号:某政办〔2020〕7号 is the page's field, not a site menu's item; 某市政府办公室 (政府 for 人民政府)
    # issues the city's plan
    rec = _load(tmp_path, "某某市人民政府\n\n  • 发布机构:吐鲁番市政府办公室\n  • 发文字号:吐政办〔2020〕7号\n\n"
                          "关于印发2020年吐鲁番市政务公开工作要点的通知\n\n各区县人民政府,市政府各部门:\n\n"
                          "《2020年吐鲁番市政务公开工作要点》已经市政府同意,现印发你们,请认真贯彻落实。\n\n"
                          "吐鲁番市政府办公室\n\n2020年8月31日\n\n2020年吐鲁番市政务公开工作要点\n\n一、加强用权公开\n\n"
                          "(一)加强权力配置信息公开。各单位要公开权责清单。\n", flat)
    d = rec.document
    assert (d.doc_no, d.level, d.region) == ("吐政办〔2020〕7号", "city", "吐鲁番市")


def test_a_places_open_government_office_issues_at_the_places_level(tmp_path):
    # 某市政务公开办公室 coordinates the whole city's 政务公开: its plan, addressed to the counties and the
    # city's bureaus, is the city's (as a 领导小组's is its government's), no bureau's
    rec = _load(tmp_path, "宿州市政务公开办公室关于印发2024年宿州市政务公开重点工作任务分工方案的通知\n"
                          "各县、区人民政府办公室,市政府各部门:\n现将《2024年宿州市政务公开重点工作任务分工方案》印发给你们。\n"
                          "宿州市政务公开办公室\n2024年5月21日\n2024年宿州市政务公开重点工作任务分工方案\n"
                          "一、抓好主动公开\n1.及时公开产业政策举措。\n")
    assert (rec.document.level, rec.document.region) == ("city", "宿州市")
