"""Parse misreadings of real documents: a table whose units stand in the middle column read from a sheet or
joined with nothing, and more. Each test states the rule on a short text of our own."""
import io

import openpyxl

from loaders import load_file


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _pairs(rec):
    # (the text with its spaces left out: a grid row joins its title and requirement as normalize does)
    return [(t.number, t.text_norm.replace(" ", ""), [(a.name, a.role) for a in t.assignments]) for t in rec.tasks]


_OPENING = ["某县统计局办公室关于分解2023年政务公开工作任务的通知", "各股室:",
            "现将我局2023年政务公开工作任务分解如下,请抓好落实。", "某县统计局2023年政务公开工作任务分解表"]
_ROWS = [["工作任务", "", "牵头股室", "责任股室", "工作要求"],
         ["(一)推进统计数据公开", "全面公开季度主要统计数据目录", "综合股", "各股室", "按时更新数据目录。"],
         ["", "做好统计公报发布工作", "办公室", "各股室", "统计公报全文在网站发布。"],
         ["(二)加强统计政策解读工作", "全面解读统计制度方法变化情况", "法规股", "各股室", "解读材料与政策同步发布。"]]
_EXPECTED = [("1", "全面公开季度主要统计数据目录 按时更新数据目录。", [("综合股", "lead"), ("各股室", "implement")]),
             ("2", "做好统计公报发布工作 统计公报全文在网站发布。", [("办公室", "lead"), ("各股室", "implement")]),
             ("3", "全面解读统计制度方法变化情况 解读材料与政策同步发布。", [("法规股", "lead"), ("各股室", "implement")])]


def test_a_sheet_whose_header_cell_spans_the_group_and_task_columns_reads_its_rows(tmp_path):
    # 工作任务 spans the group column ((一)…) and the task column; read without its merge the header is
    # one cell shorter than the rows: the heading is the group's cell, the units stay in their columns
    wb = openpyxl.Workbook()
    for line in _OPENING:
        wb.active.append([line])
    for r in _ROWS:
        wb.active.append([c or None for c in r])
    buf = io.BytesIO()
    wb.save(buf)
    p = tmp_path / "plan.xlsx"
    p.write_bytes(buf.getvalue())
    got = _pairs(load_file(p))
    lined = _pairs(_load(tmp_path, "\n".join(_OPENING + [c for r in _ROWS for c in r if c]) + "\n"))
    assert got == lined
    assert [(n, [u for u in us]) for n, _, us in got] == [(n, us) for n, _, us in _EXPECTED]


def test_a_middle_units_table_joined_with_nothing_reads_as_lined(tmp_path):
    # 工作任务牵头股室责任股室工作要求(一)…目录综合股各股室按时…。做好…: the lead glued to the title's last
    # word, each row's requirement ending where the next row's title and units follow
    cells = "".join(c for r in _ROWS for c in r if c)
    rec = _load(tmp_path, "".join(_OPENING) + cells + "\n")
    lined = _load(tmp_path, "\n".join(_OPENING + [c for r in _ROWS for c in r if c]) + "\n", "lined.txt")
    assert _pairs(rec) == _pairs(lined)
    assert [(n, us) for n, _, us in _pairs(rec)] == [(n, us) for n, _, us in _EXPECTED]


_PIPE_PLAN = ["某镇2023年政务公开重点工作任务清单",
              "1 | 做好预算决算信息公开。 | 财政所 | 年底前 |",
              "2 | 做好规划和建设项目信息公开。 | 党政办公室 | 全年 |",
              "3 | 做好社会救助信息公开。 | 社会事务办 | 6月底前 |"]


def test_a_pipe_table_on_one_line_without_a_header_reads_its_rows(tmp_path):
    # the excerpt starts under the header (or its words are none the project knows: 项目 | 内容 | 承办):
    # numbered rows of one width are still the table's rows, on one line as lined
    for head in ([], ["项目 | 内容 | 承办 | 时间 |"]):
        lines = _PIPE_PLAN[:1] + head + _PIPE_PLAN[1:]
        lined = _pairs(_load(tmp_path, "\n".join(lines) + "\n", "lined.txt"))
        assert [(n, us) for n, _, us in lined] == [("1", [("财政所", "implement")]), ("2", [("党政办公室", "implement")]),
                                                   ("3", [("社会事务办", "implement")])]
        for sep in (" ", ""):
            assert _pairs(_load(tmp_path, sep.join(lines) + "\n")) == lined



def test_a_number_that_lost_its_brackets_and_its_hao_beside_the_title_is_the_documents(tmp_path):
    # 某县政务公开202305 / 某政办2023 5 / 某政办〔2023〕5 on the line by the title: the document's own number;
    # its line breaks lost, the number glued before the repeated title (…202305关于印发…) still is
    title = "关于印发某县2023年政务公开工作要点的通知"
    for printed, expected in (("某县政务公开202305", "某县政务公开〔2023〕5号"), ("某政办2023 5", "某政办〔2023〕5号"),
                              ("某政办〔2023〕5", "某政办〔2023〕5号")):
        lines = [title, "来源:某县人民政府 发布时间:2023-05-06", printed, title, "各乡镇人民政府,县直各单位:",
                 "现将《某县2023年政务公开工作要点》印发给你们,请认真贯彻落实。", "某县人民政府办公室", "2023年5月6日"]
        assert _load(tmp_path, "\n".join(lines) + "\n").document.doc_no == expected
        assert _load(tmp_path, "".join(lines) + "\n", "flat.txt").document.doc_no == expected


def test_a_signers_glued_date_is_no_number(tmp_path):
    # 某县统计局办公室2023506: a signature whose date lost its 年月日, no number
    rec = _load(tmp_path, "某县统计局关于印发政务公开任务的通知\n各股室:\n现将任务印发给你们。\n某县统计局办公室2023506\n")
    assert rec.document.doc_no is None


def test_a_bureau_of_a_district_the_divisions_table_lacks_is_that_districts(tmp_path):
    # 某某新设区 is in no divisions table: its bureau's plan is still that district's (under the city the
    # issuer writes before it, when it does); a city's own bureau (某市市场监督管理局) names no place of its own
    body = "\n各科室:\n现将任务分解如下,请抓好落实。\n一、重点任务\n1.做好行政许可信息公开。(责任科室:登记注册科)\n"
    for issuer, region in (("云溪湾区市场监督管理局", "云溪湾区"), ("南昌市云溪湾区市场监督管理局", "南昌市云溪湾区")):
        rec = _load(tmp_path, f"{issuer}关于印发2023年政务公开工作任务分解的通知" + body)
        assert (rec.document.level, rec.document.region) == ("department", region)
    rec = _load(tmp_path, "南昌市城市管理局关于印发2023年政务公开工作任务分解的通知" + body)
    assert rec.document.region == "南昌市"


def test_a_town_plan_whose_county_only_a_sentence_names_is_that_countys(tmp_path):
    # 镇2024年…要点 (its name blanked by a sharing site), …按照某县人民政府办公室关于印发…的通知要求…: the
    # county whose plan the town follows is its region
    text = ("镇2024年政务公开工作要点\n2024年全镇政务公开工作按照凉州区人民政府办公室关于印发凉州区2024年政务公开工作要点的"
            "通知要求,着力提升政务公开质量。\n一、加强政策解读\n1.全面公开、精准解读各项政策。\n")
    rec = _load(tmp_path, text)
    assert (rec.document.level, rec.document.region) == ("township", "武威市凉州区")


def test_an_answers_short_point_title_is_kept_as_its_longer_siblings_are(tmp_path):
    # 问/答 interpretation: 2、强化组织保障。包括…: a point's title too short to pass for a sentence is still
    # the point's own, read as the longer titles of the other points are (lined and on one line)
    lines = ["问:某县2022年政务公开工作要点的制定背景", "答:2022年是推进政务公开的关键一年,全县坚持以人民为中心。",
             "问:某县2022年政务公开工作要点的主要内容", "答:1、深化重点领域信息公开。包括做好财政、规划等4方面的公开工作。",
             "2、强化组织保障。包括加强培训、强化考核等3点内容。", "3、加强政策解读。各单位要同步发布解读材料。"]
    expected = ["深化重点领域信息公开。", "包括做好财政、规划等4方面的公开工作。", "强化组织保障。", "包括加强培训、强化考核等3点内容。",
                "加强政策解读。", "各单位要同步发布解读材料。"]
    for sep in ("\n", ""):
        rec = _load(tmp_path, sep.join(lines) + "\n")
        assert rec.document.kind == "interpretation"
        assert [t.text_norm for t in rec.tasks] == expected
