"""A 公开事项 catalogue (标准目录) printed as a plan's table, in the forms it reaches us in: cells a line with
their bars under a header of two rows (公开事项 split into 一级事项 | 二级事项, 公开对象 into 全社会 | 特定群众 …,
ticked boxes √ and empty cells | under them), its rows numbered by a bare 序号 whose cells hold lists of
their own (1、…;2、…), its 公开主体 between the 公开时限 and the channel cells (■政府网站); and the same text
with its line breaks lost as a crawler loses them (a table's cells joined with nothing). A bureau's table
whose 公开事项 is split into 一级目录 | 二级目录 | 三级目录 under a 责任科室、责任人 column, a number's merged
cells left out of the rows under it. Short texts of our own after real pages (微山, 鳳屯鎮, 德安, 赛罕, 六安)."""
from __future__ import annotations


import pytest

from loaders import load_file
from loaders.units import looks_like_units, parse_units
from tests.plans import flattened


def _read(tmp_path, text: str, flat: bool):
    p = tmp_path / ("flat.txt" if flat else "lined.txt")
    p.write_text(flattened(text) if flat else text, encoding="utf-8")
    return load_file(p)


def _units(rec):
    return [(t.number, sorted(a.canonical for a in t.assignments)) for t in rec.tasks]


# A township's catalogue a cell a line: its second header row names the parts of 公开事项, 公开对象, 公开方式
_TOWN = "\n".join(["某镇财政信息领域基层政务公开标准目录", *[w + " |" for w in (
    "序号", "公开事项", "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式",
    "一级事项", "二级事项", "全社会", "特定群众", "主动", "依申请公开")],
    "1 |", "预算信息 |", "部门预算 |", "镇本级部门预算及说明。 |", "《政府信息公开条例》 |", "批复后20个工作日内 |",
    "镇人民政府 |", "■政府网站 ■公示栏 |", "√ |", "|", "√ |", "|",
    "2 |", "决算信息 |", "部门决算 |", "镇本级部门决算及说明。 |", "《政府信息公开条例》 |", "批复后20个工作日内 |",
    "镇财政所 |", "■政府网站 |", "√ |", "|", "√ |", "|"]) + "\n"


@pytest.mark.parametrize("flat", [False, True])
def test_a_catalogue_with_a_header_of_two_rows(tmp_path, flat):
    # both rows, each with its 公开主体; no task of the header's second row (全社会 was read as a unit), and
    # the last row's ticked boxes end it whole (it was dropped as cut mid-row)
    rec = _read(tmp_path, _TOWN, flat)
    assert _units(rec) == [("1", ["镇人民政府"]), ("2", ["镇财政所"])]
    assert not rec.document.truncated
    assert "镇本级部门决算" in rec.tasks[1].text


# A bureau's catalogue one row a line: 内容规范 lists its points 1、2、, 公开形式 stands before the 公开主体
_BUREAU = ("序号 | 公开事项 | 内容规范 | 公开时限 | 公开形式 | 公开主体 |\n"
           "1 | 机构信息 | 1、公开机构职责;2、公开办公地址和时间。 | 15个工作日 | 政府网站 | 政工室 |\n"
           "2 | 政策文件 | 1、公开规范性文件;2、提供文本下载;3、与解读关联。 | 15个工作日内公开 | 政府网站 | 法制大队 |\n"
           "规范性文件清理 | 公开清理结果 |\n"
           "3 | 执法信息 | 1、公开执法依据;2、公开执法结果。 | 20个工作日内 | 政府网站 | 指挥中心 |\n")


def test_a_catalogue_joined_with_nothing_reads_as_its_lined_form(tmp_path):
    # joined with nothing, 1、2、 inside the cells were the rows (10 tasks, no unit); 政府网站 opened the unit's name
    lined, flat = _read(tmp_path, _BUREAU, False), _read(tmp_path, _BUREAU, True)
    want = [("1", ["政工室"]), ("2", ["法制大队"]), ("3", ["指挥中心"])]
    assert _units(lined) == want
    assert _units(flat) == want


_OFFICE = "\n".join([
    "湛江市国防动员办公室2025年政务公开工作安排及责任分解",
    "序号 |", "公开事项 |", "内容要求 |", "工作要求 |", "责任科室、责任人 |", "完成时限 |", "||",
    "一级目录 |", "二级目录 |", "三级目录 |", "|||||",
    "1 |", "政策文件 |", "部门文件 |", "规范性文件 |", "公开现行有效的规范性文件全文。 |", "起草科室提供文本。 |",
    "各科室、单位 |", "长期 |",
    "其他文件 |", "公开本单位印发的其他文件。 |", "综合科 |", "长期 |", "||||",
    "废止文件 |", "废止文件 |", "及时更新。 |", "综合科、王明 |", "长期 |", "|||",
    "2 |", "重大决策 |", "|", "|", "公开决策草案。 |", "征求意见后公开采纳情况。 |", "法规科、李红 |", "长期 |"]) + "\n"


def test_a_catalogue_split_into_levels_under_a_unit_and_person_column(tmp_path):
    # 一级目录 | 二级目录 | 三级目录 are the parts of 公开事项: the rows under task 1's merged cells are its
    # measures, their units its own; the person after a unit (综合科、王明) is no unit
    rec = _read(tmp_path, _OFFICE, False)
    got = _units(rec)
    assert got[0] == ("1", ["湛江市国防动员办公室各单位", "湛江市国防动员办公室各科室", "湛江市国防动员办公室综合科"])
    assert got[1] == ("2", ["湛江市国防动员办公室法规科"])
    assert "公开本单位印发的其他文件" in rec.tasks[0].text
    assert not any("王明" in a.canonical or "李红" in a.canonical for t in rec.tasks for a in t.assignments)


def test_a_person_after_a_unit_is_no_unit():
    assert looks_like_units("综合科、王明")
    assert [a.canonical for a in parse_units("综合科、王明", "湛江市", "湛江市农业农村局", True)] == ["湛江市农业农村局综合科"]
    assert not looks_like_units("王明")


_UNDATED = ("为加强政务公开工作的组织协调,现就有关事宜通知如下:\n"
            "一、工作分工\n"
            "局办公室负责协调督促,局法规处负责合法性审查。\n"
            "二、有关要求\n"
            "(一)加强领导。各处室要把政务公开工作摆上重要议事日程。\n"
            "(二)抓好落实。要切实做好监督检查,确保各项工作落实到位。\n"
            "湛江市住房和城乡建设局\n")


@pytest.mark.parametrize("flat", [False, True])
def test_an_undated_signature_names_the_issuer(tmp_path, flat):
    # the organ's name alone after the closing sentence signs the notice (its date cut from the excerpt): its
    # issuer, so 局办公室 is that bureau's office (before: no issuer, no level, no region, 局办公室 nobody's)
    p = tmp_path / "n.txt"
    p.write_text(" ".join(_UNDATED.split("\n")) if flat else _UNDATED, encoding="utf-8")
    rec = load_file(p)
    d = rec.document
    assert (d.issuer, d.level, d.region) == ("湛江市住房和城乡建设局", "department", "湛江市")
    units = {a.canonical for t in rec.tasks for a in t.assignments}
    assert "湛江市住房和城乡建设局办公室" in units
    assert not any(a.canonical == "湛江市住房和城乡建设局" for t in rec.tasks for a in t.assignments)
