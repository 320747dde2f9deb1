"""Metadata read from the text (the manifest overrides it): document numbers in their bracket variants,
issuer → level, citations, declared sizes, normalization of script, punctuation and pinyin debris."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import load_file
from loaders.metadata import declared_sizes, find_doc_numbers, level_of_issuer
from loaders.normalize import is_traditional, normalize

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.mark.parametrize("written", ["穗府办函〔2022〕48号", "穗府辦函[2022]48號", "穗府办函【2022】48号",
                                     "穗府办函(2022)48号", "穗府办函（2022）48号", "穗府办函［2022］48号",
                                     "穗府办函〔 2022 〕48 号"])
def test_metadata_doc_number_bracket_variants_are_one_number(written):
    assert find_doc_numbers(f"根据《通知》({written})要求") == ["穗府办函〔2022〕48号"]


@pytest.mark.parametrize("issuer, level", [
    ("国务院办公厅", "national"), ("國務院辦公廳", "national"), ("广东省人民政府办公厅", "province"),
    ("北京市人民政府办公厅", "province"), ("广州市人民政府办公厅", "city"), ("广州市黄埔区人民政府办公室", "county"),
    ("台山市文化广电旅游体育局", "department"), ("广东省卫生健康委员会", "department"),
])
def test_metadata_level_from_issuer(issuer, level):
    assert level_of_issuer(issuer) == level


def test_metadata_declared_sizes_of_the_full_plan():
    assert declared_sizes("包括5部分15方面共52项具体任务") == {"parts": 5, "aspects": 15, "tasks": 52}


def test_metadata_seed_002_cites_its_three_parents_in_traditional_script():
    doc = load_file(SHARED / "seeds" / "002_cf2d3c68f4e2a2f4.txt").document
    assert doc.cites == ["国办发〔2022〕8号", "粤府办〔2022〕17号", "穗府办函〔2022〕48号"]
    assert doc.script == "zh-Hant" and doc.year == 2022


def test_metadata_manifest_overrides_what_the_text_says():
    rec = load_file(SHARED / "corpus" / "2022_guangzhou_nansha_district.txt",
                    {"level": "county", "region": "广州市南沙区", "issuer": "廣州南沙政務公開工作領導小組辦公室"})
    assert rec.document.level == "county"
    assert rec.document.issuer == "广州南沙政务公开工作领导小组办公室"


def test_metadata_interpretation_keeps_its_declared_sizes_and_kind():
    doc = load_file(SHARED / "seeds" / "000_ea30aa00de932cc4.txt").document
    assert doc.kind == "interpretation"
    assert doc.declared == {"parts": 5, "aspects": 15, "tasks": 52}
    assert doc.issued_on == "2021-08-17" and doc.issuer == "广州市人民政府"


def test_normalize_pinyin_debris_and_traditional_script():
    text = (SHARED / "corpus" / "2021_jiangmen_transport_bureau.txt").read_text(encoding="utf-8")
    assert is_traditional(text)
    norm = normalize(text)
    assert "(jīng)" not in norm and "(zé)" not in norm
    assert "江门市人民政府办公室关于印发江门市2021年政务公开工作要点分工方案的通知" in norm


def test_normalize_full_width_punctuation_is_half_width():
    assert normalize("（一）加強政策解讀；做好回應：") == "(一)加强政策解读;做好回应:"


def test_metadata_title_loses_a_mirrors_spam_prefix():
    doc = load_file(SHARED / "corpus" / "2022_hubei_jingzhou_city.txt").document
    assert doc.title == "2022年政务公开任务分解责任清单"
    assert doc.cites == ["国办发〔2022〕8号"] and doc.issued_on == "2022-07-25"


def test_metadata_publication_note_above_a_short_title_is_no_part_of_it():
    # A page that lost its blank lines: (此件公开发布) right above the plan's short title.
    from loaders.metadata import read_metadata

    lines = ["国办发〔2016〕19号", "国务院办公厅", "2016年4月2日", "(此件公开发布)", "2016年政务公开工作要点",
             "2016年是全面建成小康社会决胜阶段的开局之年。"]
    assert read_metadata(lines)["title"] == "2016年政务公开工作要点"


@pytest.mark.parametrize("joined", ["lines", "space", "nothing"])
def test_metadata_from_an_information_box_printed_as_a_table_with_bracketed_labels(joined, tmp_path):
    # A portal's box (索引号, 发文字号, 发布机构, 标题, 成文日期) copied as a table: each label in brackets
    # in its own cell ([ 发文字号 ] | …). The label and the row's empty cells are no part of the title,
    # and the 发布机构 cell is no part of the issuer.
    box = ("[ 索引号 ] | 115000000000000000/2021-00099 | [ 发文字号 ] | 某府办发〔2021〕12号 | ||||\n"
           "[ 发布机构 ] | 某区政府办公室 | ||||||\n"
           "[标题] | 重庆市某区人民政府办公室关于印发2021年政务公开工作任务分工的通知 | ||||||\n"
           "[ 成文日期 ] | 2021-06-02 | [ 发布日期 ] | 2021-06-03 |\n")
    plan = ("某区2021年政务公开任务清单\n序号 | 工作任务 | 责任单位 | 完成时限\n"
            "1 | 及时公开区政府常务会议议定事项。 | 区政府办公室 | 长期坚持\n"
            "2 | 做好财政预决算信息公开。 | 区财政局 | 2021年12月底前\n"
            "3 | 规范办理依申请公开。 | 区政府各部门 | 长期坚持\n")
    text = box + plan
    if joined != "lines":
        flat = " ".join(l.replace(" | ", "").replace("|", "") for l in text.splitlines())
        text = flat if joined == "space" else flat.replace(" ", "")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_file(path, None).document
    assert doc.title == "重庆市某区人民政府办公室关于印发2021年政务公开工作任务分工的通知"
    assert doc.issuer == "重庆市某区人民政府办公室"
    assert (doc.doc_no, doc.issued_on, doc.level) == ("某府办发〔2021〕12号", "2021-06-02", "county")


def test_a_mirrors_html_debris_at_each_line_end_is_no_part_of_the_title_or_the_tasks(tmp_path):
    # A mirror that lost each paragraph's "<" keeps "/p>" after it (…的通知/p>) and entities without
    # their "&" (?ldquo;): the title was read empty and the last task was lost.
    lines = ["某市人民政府办公室关于印发某市2022年政务公开工作要点分工方案的通知",
             "各县(区)人民政府,市政府各部门:", "某市2022年政务公开工作要点分工方案", "一、助力经济平稳健康发展",
             "(一)做好规划公开。", "1.及时公开国土空间规划。(市自然资源局牵头,市发展改革委配合)",
             "2.做好“十四五”重大项目信息公开。(市发展改革委牵头)", "(二)做好财政信息公开。",
             "3.推进预决算公开。(市财政局牵头,市直各部门落实)"]
    clean, debris = tmp_path / "clean.txt", tmp_path / "mirror.txt"
    clean.write_text("\n".join(lines) + "\n", encoding="utf-8")
    debris.write_text("".join(l.replace("“", "?ldquo;").replace("”", "?rdquo;") + "/p>\n" for l in lines),
                      encoding="utf-8")
    a, b = load_file(clean, None), load_file(debris, None)
    assert b.document.title == a.document.title == lines[0]
    assert [(t.number, t.text) for t in b.tasks] == [(t.number, t.text) for t in a.tasks]
    assert [t.number for t in a.tasks] == ["1", "2", "3"]
    assert {(t.number, x.canonical, x.role) for t in b.tasks for x in t.assignments} == \
        {(t.number, x.canonical, x.role) for t in a.tasks for x in t.assignments}


@pytest.mark.parametrize("name", ["corpus/2021_zhongshan_city.txt", "corpus/2022_fujian_pingtan_county_plan.txt",
                                  "corpus/2021_shandong_liaocheng_city.txt", "corpus/2021_national_state_council.txt",
                                  "seeds/000_ea30aa00de932cc4.txt", "seeds/004_ff0872cb27d26d6e.txt",
                                  "corpus/2022_guangzhou_nansha_district.txt"])
def test_metadata_joined_with_nothing_is_the_lined_metadata_without_the_pages_chrome(name, tmp_path):
    # Joined with nothing, the breadcrumbs run into the title (首页政务公开…制度平潭…办公室关于…) and
    # the page's box into the issuer (…办公室有效聊城市人民政府办公室): the office the document signs
    # with is the issuer, and what stands before it is the page; 南沙's page prints its heading twice
    # before the title (信息公开制度与保障信息公开制度与保障广州南沙…办公室关于…), and signs with no office.
    src = SHARED / name
    lines = [l.strip() for l in src.read_text(encoding="utf-8").splitlines() if l.strip()]
    flat = tmp_path / src.name
    flat.write_text("".join(lines).replace(" ", ""), encoding="utf-8")
    a, b = load_file(src, None).document, load_file(flat, None).document
    assert (b.title, b.issuer, b.level) == (a.title, a.issuer, a.level) and " " not in a.title


def test_metadata_a_title_followed_by_its_own_number_keeps_its_end():
    # 珠海市人民政府办公室关于印发…分工方案的通知珠府办函〔2019〕116号: the number was cut with 8
    # characters before it, the title's own end (…分工方).
    doc = load_file(SHARED / "corpus" / "2019_zhuhai_city.txt", None).document
    assert doc.title == "珠海市人民政府办公室关于印发2019年政务公开工作要点分工方案的通知"
    assert doc.doc_no == "珠府办函〔2019〕116号"


@pytest.mark.parametrize("place,level", [("赤壁市", "county"), ("义乌市", "county"), ("咸宁市", "city"),
                                         ("恩施土家族苗族自治州", "city"), ("北京市", "province")])
def test_metadata_a_county_level_citys_plan_is_a_countys(place, level, tmp_path):
    # 赤壁市 and 咸宁市 are both 市: only the divisions' table (loaders/places.tsv) tells the county-level
    # city from the prefecture, and with no manifest the level came from the name (a city's, wrongly).
    doc = tmp_path / "plan.txt"
    doc.write_text(f"{place}人民政府办公室关于印发{place}2023年政务公开工作要点的通知\n"
                   "各有关单位:\n现将要点印发给你们,请认真贯彻落实。\n"
                   f"{place}人民政府办公室\n2023年4月10日\n"
                   "一、加强政策公开\n1.做好预算公开。(财政局负责)\n2.做好政策解读。(各部门负责)\n", encoding="utf-8")
    rec = load_file(doc, None)
    assert rec.document.issuer == f"{place}人民政府办公室"
    assert rec.document.level == level


def test_metadata_a_plan_without_a_manifest_is_placed_by_its_issuer_and_finds_its_city_parent(tmp_path):
    # No manifest and no citation: the region came from nowhere, so units were named without their region
    # (市财政局 of every city the same unit) and a district plan found no city parent. The issuer's name
    # places it (广州市白云区人民政府办公室: 广州市白云区; 台山市…局: 江门市台山市, the county-level city's
    # prefecture from the divisions' table).
    from cascade.pipeline import build

    (tmp_path / "city.txt").write_text(
        "广州市人民政府办公厅关于印发广州市2023年政务公开工作要点的通知\n广州市人民政府办公厅\n2023年4月1日\n"
        "一、加强政策公开\n1.做好财政预决算公开。(市财政局负责)\n2.做好重大项目信息公开。(市发展改革委负责)\n",
        encoding="utf-8")
    (tmp_path / "district.txt").write_text(
        "广州市白云区人民政府办公室关于印发白云区2023年政务公开工作要点的通知\n广州市白云区人民政府办公室\n"
        "2023年5月1日\n一、加强政策公开\n1.做好财政预决算公开。(区财政局负责)\n2.做好重大项目信息公开。(区发展改革局负责)\n",
        encoding="utf-8")
    (tmp_path / "bureau.txt").write_text(
        "台山市文化广电旅游体育局2023年政务公开工作要点\n一、加强政策公开\n1.做好预算公开。(办公室负责)\n"
        "2.做好文化惠民政策解读。(文化股负责)\n", encoding="utf-8")
    G = build([tmp_path]).graph
    docs = {d["source"]: (n, d) for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    assert {s: d.get("region") for s, (_, d) in docs.items()} == {
        "city.txt": "广州市", "district.txt": "广州市白云区", "bureau.txt": "江门市台山市"}
    parents = {docs[s][1]["source"]: [G.nodes[v]["source"] for _, v, k in G.out_edges(n, keys=True)
                                      if G.edges[n, v, k].get("type") == "IMPLEMENTS"] for s, (n, _) in docs.items()}
    assert parents["district.txt"] == ["city.txt"]
    units = {d["name"] for _, d in G.nodes(data=True) if d.get("label") == "Unit"}
    assert {"广州市财政局", "广州市白云区财政局"} <= units


def test_a_city_plan_without_a_manifest_implements_its_provinces(tmp_path):
    # Regions are written without the province (广州市, as manifests write them): the divisions' table
    # puts 广州市 in 广东省, so the city plan finds the province's, not only the national one.
    from cascade.pipeline import build

    (tmp_path / "province.txt").write_text(
        "广东省人民政府办公厅关于印发广东省2023年政务公开工作要点的通知\n广东省人民政府办公厅\n2023年3月1日\n"
        "一、加强政策公开\n1.做好财政预决算公开。(省财政厅负责)\n", encoding="utf-8")
    (tmp_path / "city.txt").write_text(
        "广州市人民政府办公厅关于印发广州市2023年政务公开工作要点的通知\n广州市人民政府办公厅\n2023年4月1日\n"
        "一、加强政策公开\n1.做好财政预决算公开。(市财政局负责)\n", encoding="utf-8")
    G = build([tmp_path]).graph
    by_source = {d["source"]: n for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    city = by_source["city.txt"]
    assert [v for _, v, d in G.out_edges(city, data=True) if d.get("type") == "IMPLEMENTS"] == [by_source["province.txt"]]


def test_metadata_a_target_year_or_a_periods_end_is_no_plans_year(tmp_path):
    # 到2023年…政务公开 and (2021—2025年)…政务公开 were read as the plan's year; it signed in 2020.
    doc = tmp_path / "plan.txt"
    doc.write_text("某市人民政府办公室关于印发某市基层政务公开标准化工作实施方案的通知\n某政办〔2020〕9号\n"
                   "各区人民政府:\n现将方案印发给你们,请认真贯彻落实。\n某市人民政府办公室\n2020年6月2日\n"
                   "一、目标要求\n到2023年,基本建成基层政务公开标准体系。为落实《某省政务公开行动计划(2021—2025年)》"
                   "深入推进政务公开,制定本方案。\n", encoding="utf-8")
    assert load_file(doc, None).document.year == 2020


def test_metadata_title_lines_split_inside_a_book_title_or_before_its_notice_end(tmp_path):
    a = tmp_path / "a.txt"   # 《 opened on the first line, closed on the second
    a.write_text("某市人民政府办公室\n2022年7月8日\n某市贯彻《某省政务公开\n五年行动计划(2021—2025年)》实施方案\n"
                 "为贯彻落实行动计划,制定本方案。\n", encoding="utf-8")
    assert load_file(a, None).document.title == "某市贯彻《某省政务公开五年行动计划(2021—2025年)》实施方案"
    b = tmp_path / "b.txt"   # a mirror put junk where the issuer was; 关于… / …的通知 on two lines
    b.write_text("某某娱乐官网办公室\n关于印发2017年某区政务公开\n工作要点的通知\n某政办发〔2017〕26号\n"
                 "各镇人民政府:\n现印发给你们。\n某市某区人民政府办公室\n2017年8月28日\n", encoding="utf-8")
    assert load_file(b, None).document.title == "关于印发2017年某区政务公开工作要点的通知"


def test_metadata_a_shared_files_name_is_its_number_and_title_without_the_extension(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text("文档下载\n某政办字〔2019〕33号:关于印发某市2019年政务公开工作任务分解表的通知.pdf\n"
                   "16 页 下载文档\n各镇人民政府:现将任务分解表印发给你们。\n", encoding="utf-8")
    d = load_file(doc, None).document
    assert (d.title, d.doc_no) == ("关于印发某市2019年政务公开工作任务分解表的通知", "某政办字〔2019〕33号")
    assert "某政办字〔2019〕33号" not in d.cites


def test_metadata_a_county_level_city_that_addresses_its_own_bureaus_is_a_county(tmp_path):
    # 寿光市 sends its plan to 各镇人民政府、街道办事处…市直有关部门 as a prefecture would, and prints no
    # issuer above the notice: the divisions' table says the place its title names is a county's.
    doc = tmp_path / "plan.txt"
    doc.write_text("关于印发寿光市2019年政务公开重点工作任务分工的通知\n"
                   "各镇人民政府、街道办事处,市直有关部门、单位:\n现将任务分工印发给你们,请认真抓好贯彻落实。\n"
                   "一、加强政策公开\n1.做好预算公开。(市财政局负责)\n", encoding="utf-8")
    assert load_file(doc, None).document.level == "county"


@pytest.mark.parametrize("units,level", [
    (("区财政局", "区数据资源局、区发改委等相关区直部门,各镇(办)", "区直各部门、各镇(办)、经开区"), "county"),
    (("财务科", "办公室牵头,各科室配合", "各业务科室"), "department"),
    (("市财政局", "区财政局", "各区人民政府"), None),
    (("党政办公室", "财政所、便民服务中心等", "卫生院"), "township")])   # a township's offices
def test_metadata_a_table_without_title_or_issuer_takes_its_level_from_its_units(units, level, tmp_path):
    # The task table alone on a page (an attachment's page, an excerpt): 区直各部门 and 各镇(办) say a
    # county's plan, 财务科 and 各科室 a department's, 财政所 and 卫生院 a township's; a plan naming a
    # city's units is left for the manifest.
    doc = tmp_path / "table.txt"
    doc.write_text("工作任务 | 具体要求 | 责任单位 |\n" + "".join(
        f"{i}. | 及时公开第{i}类政务信息,接受社会监督。 | {u} |\n" for i, u in enumerate(units, 1)), encoding="utf-8")
    rec = load_file(doc, None)
    assert len(rec.tasks) == 3 and rec.document.level == level


def test_metadata_a_download_pages_file_name_gives_the_title_without_its_extension(tmp_path):
    doc = tmp_path / "page.txt"
    doc.write_text("某市政务公开工作要点实施方案.docx\n- 格式:DOCX\n某市2017年政务公开工作要点实施方案\n"
                   "一、加强政策公开\n1.做好预算公开。(市财政局牵头落实)\n", encoding="utf-8")
    assert load_file(doc, None).document.title == "某市政务公开工作要点实施方案"


def test_metadata_a_signature_whose_date_lost_its_year_month_day_characters_still_signs(tmp_path):
    # 寿光市人民政府办公室 / 20197 9: the page dropped 年, 月 and 日 (drawn as images); the office on the
    # line above is the issuer, the date 2019-07-09.
    doc = tmp_path / "plan.txt"
    doc.write_text("关于印发某县2019年政务公开重点工作任务分工的通知\n各镇人民政府:\n现将任务分工印发给你们。\n"
                   "某县人民政府办公室\n20197 9\n一、加强政策公开\n1.做好预算公开。(县财政局负责)\n", encoding="utf-8")
    d = load_file(doc, None).document
    assert (d.issuer, d.issued_on) == ("某县人民政府办公室", "2019-07-09")


def test_the_signing_office_is_the_issuer_in_every_form(tmp_path):
    """The office that signs above its date is the issuer, not the page's 来源 (the site that posted
    it), and a date whose 年月日 the page lost (20197 9) still closes the signature when the lines are
    lost: lined and flattened give the same issuer (before: 某市人民政府 flattened; none flattened)."""
    cases = {"来源: 某市人民政府 更新时间:2018-09-10\n各区人民政府,市政府各委、办、局:\n《某市2018年政务公开工作要点》已经市政府同意,"
             "现印发给你们,请认真贯彻落实。\n某市人民政府办公厅\n2018年5月11日\n某市2018年政务公开工作要点\n"
             "一、加强政策公开\n(一)做好预算公开。各单位要及时公开预算。\n二、加强解读回应\n(一)做好政策解读。各单位要解读政策。\n":
             "某市人民政府办公厅",
             "关于印发某市2019年政务公开重点工作任务分工的通知\n各镇人民政府,市直有关部门:\n现将任务分工印发给你们,请认真抓好落实。\n"
             "某市人民政府办公室\n20197 9\n(此件公开发布)\n某市2019年政务公开重点工作任务分工\n一、做好政策公开\n"
             "(一)做好预算公开。各单位要及时公开预算。\n二、加强解读回应\n(一)做好政策解读。各单位要解读政策。\n":
             "某市人民政府办公室"}
    for text, issuer in cases.items():
        for name, body in (("lined", text), ("flat", " ".join(text.splitlines()) + "\n")):
            p = tmp_path / f"{name}.txt"
            p.write_text(body, encoding="utf-8")
            assert load_file(p).document.issuer == issuer, (name, issuer)
