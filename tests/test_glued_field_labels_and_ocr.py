"""Misreadings of real documents: a page's next field label glued to a title, a notice called 公告, a
requirement cell without its stop glued to its unit cell, OCR's other misreadings of unit words. Each test
states the rule on a short text of our own, lined and flattened."""
from loaders import load_file
from renditions import scan_read_as


def _load(tmp_path, text, name="plan.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_file(p)


def _forms(lines):
    """The text as printed, a line each, and as a crawler flattened it (every line break lost)."""
    return (("lined.txt", "\n".join(lines)), ("flat.txt", "".join(lines)))


_FIELDS = [
    "索引号: 001234567/202405-00012 信息分类: 工作推进",
    "发布机构: 某市政府办公室 成文日期: 2024-05-20 发布日期: 2024-05-20 10:06",
    "文  号: 某政务办〔2024〕3号 有效性: 有效 废止时间: 暂无",
    "名  称: 某市政务公开办公室关于印发2024年某市政务公开重点工作任务分工方案的通知",
    "政策咨询机关: 暂无 政策咨询电话: 暂无",
    "某市政务公开办公室关于印发2024年某市政务公开重点工作任务分工方案的通知",
    "来源:某市政府办公室 浏览量: 发表时间:2024-05-20 10:06",
    "各县、区人民政府办公室,市政府各部门:",
    "现将《2024年某市政务公开重点工作任务分工方案》印发给你们,请认真贯彻落实。",
    "某市政务公开办公室",
    "2024年5月20日",
    "为做好本年度政务公开工作,结合我市实际,制定本方案。",
    "一、围绕中心工作抓好主动公开",
    "1.聚焦经济发展,及时公开扩大有效投资等方面政策举措和进展成效。",
]


def test_a_pages_next_field_label_glued_after_the_title_is_no_part_of_it(tmp_path):
    # a page's field label (a word and its colon) glued after the title's closing word, its line lost
    for name, text in _forms(_FIELDS):
        rec = _load(tmp_path, text, name)
        assert rec.document.title == "某市政务公开办公室关于印发2024年某市政务公开重点工作任务分工方案的通知", name


_ANNOUNCED = [
    "某省人民政府办公厅关于印发某省2024年政务公开工作要素的公告",
    "各市州人民政府,省政府各厅委、各直属机构:",
    "《某省2024年政务公开工作要素》已经省人民政府赞同,现印发给你们,请认真贯彻落实。",
    "某省人民政府办公厅",
    "2024年5月17日",
    "一、围绕法治政府建设推进公开",
    "(一)做好决策公开。重大决策事项要及时公开,广泛听取公众意见。",
]


def test_a_line_that_issues_a_plan_by_an_announcement_is_the_title(tmp_path):
    # 关于印发…的公告: a notice by another name (a reworded copy's 公告 for 通知, 要素 for 要点)
    for name, text in _forms(_ANNOUNCED):
        rec = _load(tmp_path, text, name)
        assert rec.document.title == "某省人民政府办公厅关于印发某省2024年政务公开工作要素的公告", name
        assert rec.document.level == "province", name


_CELLS = [
    "某市卫健委2024年政务公开重点工作任务分工",
    "工作任务", "", "具体要求", "", "责任科室", "", "完成时限", "",
    "一、围绕中心工作抓好主动公开", "",
    "(一)聚焦民生关切", "",
    "1", "",
    "做好医疗服务信息公开,及时回应群众关切。", "",
    "医政科、各相关科室", "",
    "持续推进", "",
    "(二)聚焦公众参与", "",
    "2", "",
    "定期组织开展开放日活动,加大宣传力度,提高活动效果,防止走过场", "",
    "办公室、医政科、各相关科室", "",
    "持续推进", "",
    "(三)聚焦监督管理", "",
    "3", "",
    "加强权责清单公开,持续做好动态更新。", "",
    "人事科", "",
    "持续推进", "",
]


def test_a_requirement_cell_without_its_stop_keeps_its_last_clause_out_of_the_units(tmp_path):
    # no unit's name holds a verb such as 防止 (prevent): the clause is the requirement's, the unit starts after it
    for name, text in _forms(_CELLS):
        rec = _load(tmp_path, text, name)
        units = {t.number: [(a.name, a.role) for a in t.assignments] for t in rec.tasks}
        assert units["2"] == [("办公室", "implement"), ("医政科", "implement"), ("各相关科室", "implement")], name
        second = next(t for t in rec.tasks if t.number == "2")
        assert second.text.endswith("防止走过场"), name


def test_ocr_reads_other_misread_unit_words_back_only_where_the_word_is_a_plans(tmp_path, monkeypatch):
    lines = ["某县自然资源局2024年政务公开工作要点",
             "(一)做好清单公开。要及时更新市场准人负面清单,人人可查。",
             "(责任科室:瓣公室)",
             "(二)做好办事指南公开。要按要求及时更新指南内容。",
             "(责任科室:瓣公室、规划科)"]
    rec = scan_read_as(lines, tmp_path, monkeypatch)
    assert [[(a.name, a.role) for a in t.assignments] for t in rec.tasks] == [
        [("办公室", "implement")], [("办公室", "implement"), ("规划科", "implement")]]
    assert "市场准入" in rec.tasks[0].text and "人人可查" in rec.tasks[0].text
    # the same words in a text the file itself holds are left as printed
    rec = _load(tmp_path, "\n".join(lines))
    assert "市场准人" in rec.tasks[0].text


_CHUNKS = [
    "1、某县2022年政务公开工作要点 一、加强重点领域信息公开 (一)做好决策公开。重大决策事项要在作出后按规定及时公开议定"
    "事项和相关文件,广泛听取公众意见,以适当方式公布意见收集和采纳情况,增强决策透明度。(责任单位:县司法局、县政府办公室)"
    " (二)做好规划信息公开。要及时公开国民经济和社会发展规划、国土空间规划等各类规划,定期公布规划实施进展情况和"
    "主要指标完成情况,接受社会监督。(责任单位:县发展改革局)",
    "2、(三)做好财政信息公开。要按规定公开财政预算、决算和部门预决算,细化公开到功能分类项级科目和经济分类款级科目,"
    "按要求公开政府债务限额、余额、使用安排及还本付息等信息,推进财政资金直达基层、直接惠企利民情况公开,"
    "做好惠民惠农财政补贴资金信息公开,逐项公开补贴政策、发放对象和发放标准,"
    "同步公开绩效目标和评价结果,加大对重大政策和重点项目资金使用情况的公开力度,及时回应社会关切,确保资金使用公开透明,"
    "并加大对上级重大决策部署贯",
    "3、彻落实情况的公开力度。(责任单位:县财政局) (四)做好审计结果公开。要及时公开审计发现问题及整改落实情况,对"
    "审计查出问题的整改措施、整改进度和整改结果逐项说明,对整改不到位的事项持续跟踪并向社会公开后续处理情况,对"
    "不作为、慢作为、乱作为问责情况适时向社会公开,促进抓落实,以公开倒逼责任落实到位,推动各项工作取得实效并形成长效"
    "机制,切实提升政府公信力和执行力。(责任单位:县审计局)",
]


def test_a_sharing_sites_page_numbers_cut_a_sentence_are_no_list(tmp_path):
    # lines 1、 2、 3、 each a page long, one cutting a word (…部署贯 / 3、彻落实…): a sharing site's page chunks,
    # though the site's own line (由会员分享…) was not kept; the chunks join into one text again
    for name, text in (("lined.txt", "\n".join(_CHUNKS)), ("flat.txt", "".join(_CHUNKS))):
        rec = _load(tmp_path, text, name)
        units = [[a.name for a in t.assignments] for t in rec.tasks]
        assert units == [["县司法局", "县政府办公室"], ["县发展改革局"], ["县财政局"], ["县审计局"]], name
        assert "部署贯彻落实情况" in rec.tasks[2].text, name
    # a document's own long items 1、 2、 3、, each closed by its unit cell (…公开。县财政局), cut no sentence
    from loaders.blocks import Block
    from loaders.share_pages import join_share_chunks
    item = "做好政务信息公开工作,按规定及时公开" * 12
    own = [Block((f"{k}、{item}。县{unit}",), k) for k, unit in ((1, "财政局"), (2, "审计局"), (3, "司法局"))]
    assert join_share_chunks(own) == own
