"""Responsible-unit cells and sentences: lists, prefixes, aliases, collectives and roles, as the real
documents write them (seeds 001/002, the corpus) — each case a bug that was found, or a rule of the issue.
"""
from __future__ import annotations

import pytest

from loaders.units import canonical_name, inline_notes, looks_like_units, parse_units, units_in_prose

HUANGPU = "广州市黄埔区"


def _pairs(cell, region=HUANGPU, **kw):
    return [(a.short_name, a.role) for a in parse_units(cell, region=region, **kw)]


def test_units_prefix_is_distributed_over_the_list():
    got = parse_units("区发展改革局、工业和信息化局、商务局等部门", region=HUANGPU)
    assert [a.canonical for a in got] == ["广州市黄埔区发展改革局", "广州市黄埔区工业和信息化局", "广州市黄埔区商务局"]


def test_units_district_civil_affairs_bureau_keeps_no_prefix_in_its_name():
    # 区民政局 was left as written: the prefix rule refused every 民 after 区 (for 市民服务中心).
    got = parse_units("區民政局、農業農村局、財政局牽頭,各街鎮落實。", region=HUANGPU)
    assert [(a.canonical, a.role) for a in got] == [
        ("广州市黄埔区民政局", "lead"), ("广州市黄埔区农业农村局", "lead"), ("广州市黄埔区财政局", "lead"),
        ("广州市黄埔区各街镇", "implement")]
    assert canonical_name("市民服务中心", "广州市")[0] == "广州市市民服务中心"   # 市民 is no 市 prefix


def test_units_glued_bureaus_are_separated():
    got = parse_units("區人力資源社會保障局、退役軍人事務局、區農業農村局教育局等部門", region=HUANGPU)
    assert [a.short_name for a in got] == ["区人力资源社会保障局", "区退役军人事务局", "区农业农村局", "区教育局"]


def test_units_alias_in_parentheses_is_kept_apart():
    (a,) = parse_units("广电旅游和公共服务股(行政审批服务股)", region="江门市台山市",
                       issuer="台山市文化广电旅游体育局", internal=True)
    assert a.short_name == "广电旅游和公共服务股" and a.alias == "行政审批服务股"
    assert a.canonical == "江门市台山市文化广电旅游体育局广电旅游和公共服务股"


def test_units_parentheses_of_a_collective_are_part_of_its_name():
    assert _pairs("市直有关部门,各县 (市、 区 ) 政府", region="南平市") == [
        ("市直有关部门", "implement"), ("各县(市、区)政府", "implement")]


@pytest.mark.parametrize("name", ["各街镇", "市直各单位", "各有关部门", "其他股室", "属下单位", "局属各单位"])
def test_units_collectives_are_marked(name):
    (a,) = parse_units(name, region=HUANGPU)
    assert a.collective


def test_units_roles_lead_implement_cooperate_support():
    assert _pairs("區市場監管局牽頭,各有關部門、各街鎮和園區管理機構配合。") == [
        ("区市场监管局", "lead"), ("各有关部门", "cooperate"), ("各街镇", "cooperate"), ("园区管理机构", "cooperate")]
    assert _pairs("区政务服务数据管理局技术支持") == [("区政务服务数据管理局", "support")]
    assert _pairs("区司法局参照落实") == [("区司法局", "implement")]


def test_units_a_coordinates_b_who_implements():
    assert _pairs("區政務公開辦協調區稅務局、區財政局按職能分工落實,各有關部門、街鎮和園區管理機構配合。") == [
        ("区政务公开办", "lead"), ("区税务局", "implement"), ("区财政局", "implement"),
        ("各有关部门", "cooperate"), ("街镇", "cooperate"), ("园区管理机构", "cooperate")]
    assert _pairs("區衛生健康局牽頭各街鎮落實") == [("区卫生健康局", "lead"), ("各街镇", "implement")]


def test_units_the_one_met_with_cooperates():
    assert _pairs("宣传处会办公室", region="广东省") == [("宣传处", "lead"), ("办公室", "cooperate")]
    # 会 inside 社会保障局 is no connector
    assert _pairs("区人力资源社会保障局牵头") == [("区人力资源社会保障局", "lead")]


def test_units_clause_without_role_takes_the_next_clauses_role():
    got = _pairs("省政府办公厅、省发展改革委牵头;省直有关部门,各州、市人民政府按照职责分工负责", region="云南省")
    assert got == [("省政府办公厅", "lead"), ("省发展改革委", "lead"), ("省直有关部门", "implement"),
                   ("各州、市人民政府", "implement")]


def test_units_white_space_separates_units_of_a_pdf_cell():
    assert _pairs("市发改委 市市场监管局 市商务局", region="南平市") == [
        ("市发改委", "implement"), ("市市场监管局", "implement"), ("市商务局", "implement")]


def test_units_labels_give_the_role():
    assert _pairs("牵头单位:市政府办;责任单位:各区县政府", region="湖州市") == [
        ("市政府办", "lead"), ("各区县政府", "implement")]


def test_units_task_text_is_not_a_units_cell():
    assert not looks_like_units("做好各类规划主动公开")          # 各 inside a sentence is no collective
    assert not looks_like_units("推进部门所属单位预算、决算及相关报表公开。")
    assert looks_like_units("广电旅游和公共服务股(行政审批服务股)牵头,办公室配合")


def test_units_named_in_prose_of_an_interpretation():
    got = units_in_prose("做好常态化疫情防控信息公开。明确由市委宣传部(市新闻办)牵头,提高新冠肺炎疫情防控信息发布"
                         "规范化水平。明确由市卫生健康委牵头,做好新冠疫苗接种信息公开", "广州市")
    assert [(a.canonical, a.role, a.alias) for a in got] == [
        ("广州市委宣传部", "lead", "市新闻办"), ("广州市卫生健康委", "lead", None)]
    assert units_in_prose("各区政府自行组织本区域各单位落实。", "广州市") == []


def test_units_inline_note_is_found_and_a_book_title_is_not():
    assert inline_notes("全面公开规划。(牵头单位:县发改局)") == [("(牵头单位:县发改局)", "牵头单位:县发改局")]
    assert inline_notes("按照《政策解读工作细则(试行)》要求") == []


def test_units_bare_name_belongs_to_the_issuing_region_and_other_levels_stay():
    assert canonical_name("园区管理机构", HUANGPU) == ("广州市黄埔区园区管理机构", HUANGPU)
    assert canonical_name("省政务服务数据管理局", HUANGPU)[0] == "省政务服务数据管理局"
    assert canonical_name("国家税务总局广州市税务局", HUANGPU)[0] == "国家税务总局广州市税务局"


def test_units_a_leads_b_without_a_role_word():
    assert _pairs("區政務服務數據管理局牽頭各相關主管部門,各街鎮和園區管理機構。") == [
        ("区政务服务数据管理局", "lead"), ("各相关主管部门", "implement"), ("各街镇", "implement"),
        ("园区管理机构", "implement")]


def test_units_labels_parted_by_a_comma_are_each_read():
    # (牵头单位:…,责任单位:…,完成时限:…) in one note: split on ;; only, the part still held two labels and
    # the reader called itself on it until Python's recursion limit (the whole document failed to load).
    got = _pairs("牵头单位:区司法局、区政府办公室,责任单位:区政府各部门、各乡镇街道,完成时限:长期坚持")
    assert got == [("区司法局", "lead"), ("区政府办公室", "lead"),
                   ("区政府各部门", "implement"), ("各乡镇街道", "implement")]


def test_units_a_name_that_names_its_own_place_takes_no_carried_prefix():
    # 市金融办、人民银行潍坊市中心支行、潍坊银监分局: the 市 of the first was put before the others.
    got = _pairs("市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实", region="潍坊市")
    assert got == [("市金融办", "lead"), ("人民银行潍坊市中心支行", "lead"), ("潍坊银监分局", "lead")]
    assert _pairs("市财政局、公安局负责", region="潍坊市") == [("市财政局", "lead"), ("市公安局", "lead")]


def test_units_a_body_its_note_names_keeps_the_notes_role():
    # The note makes the office lead; the sentence that names it as its subject added it again as implement.
    got = units_in_prose("完善动态更新机制。区政府办公室要加强与区司法局协同,及时更新。"
                         "(牵头单位:区司法局、区政府办公室,责任单位:区政府各部门)", "某市某区")
    assert [(a.short_name, a.role) for a in got] == [
        ("区司法局", "lead"), ("区政府办公室", "lead"), ("区政府各部门", "implement")]


def test_units_a_list_before_the_clause_with_the_role_word_shares_its_role():
    # 市政府办公室、市有关单位,各县(市、区)人民政府负责: the three are charged alike; the first had kept
    # the default role while the two after it led.
    assert _pairs("市政府办公室、市有关单位,各县(市、区)人民政府负责", region="某某市") == [
        ("市政府办公室", "lead"), ("市有关单位", "lead"), ("各县(市、区)人民政府", "lead")]
    assert _pairs("市编办牵头,市电子政务办、市有关单位,各县人民政府负责", region="某某市") == [
        ("市编办", "lead"), ("市电子政务办", "implement"), ("市有关单位", "implement"), ("各县人民政府", "implement")]


def test_units_a_note_that_says_where_the_list_is_is_no_part_of_the_name():
    assert _pairs("市政府办公室、市有关单位(见附件1,下同),各县人民政府负责", region="某某市") == [
        ("市政府办公室", "lead"), ("市有关单位", "lead"), ("各县人民政府", "lead")]


def test_units_a_name_holding_its_own_place_takes_no_prefix_from_the_list():
    # 市金融办、人民银行潍坊市中心支行、潍坊银监分局: the bank's branch and the regulator are not 市 bureaus
    # (市人民银行潍坊市中心支行 was read); 市发改委、财政局 still gives 市财政局, and 公安局 stays a 市 one.
    assert [a.short_name for a in parse_units("市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实",
                                              region="潍坊市")] == ["市金融办", "人民银行潍坊市中心支行", "潍坊银监分局"]
    assert [a.short_name for a in parse_units("市发改委、财政局、公安局", region="潍坊市")] == [
        "市发改委", "市财政局", "市公安局"]
