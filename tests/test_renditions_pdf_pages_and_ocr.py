"""The same plan in the forms it reaches us in gives the same records (short texts of our own, from the
patterns of real pages whose renderings read differently from their lined text):

- a PDF whose last page holds a few characters (a paragraph's tail, 此件公开发布) is a text PDF: its pages are
  read from the text layer with their wrapped lines joined, not sent to OCR page by page;
- a units note whose bracket is still open at the margin (…(牵头单位:区经发局, / 责任单位:…)) goes on on the
  next printed line: the 责任单位 label there opens no line of its own;
- a web text that lost its line breaks: a part heading glued to prose that opens 为了确保… and ends at a colon;
  a page's 文章来源: field and its 扫一扫在手机打开当前页 footer glued to the text; a title after its 来源:
  field naming the same office; a plan's title glued to its addressees (…实施方案各市人民政府,…:); an opening
  kept on one line above a table that kept its rows (its signer glued to its date);
- a page of a table printed a cell a paragraph: the page's footer after it is no cell of its last row;
- a scan: a pinyin gloss that opens a line or whose o was read O or 0, an office's 于印发 that lost its 关,
  a doc number's 瓣 and 办[2020】, a title quoted in a title read with < > or 》, and a cover sentence read with
  spaces around its book marks and its 简称 short of a character.
"""
from __future__ import annotations

import io
from html import escape

from loaders import load_file
from plans import form_signature as _signature, lined_signature as _lined
from loaders.layout import Item, page_blocks
from renditions import scan_read_as


def _flat(tmp_path, lines, name="flat.txt"):
    (tmp_path / name).write_text("".join(lines), encoding="utf-8")
    return _signature(load_file(tmp_path / name))


TAIL_PAGE = ["2022年某区政务公开工作要点", "一、总体要求",
             "做好2022年全区政务公开工作的总体要求是:以公开促发展、以公开保民生,持续抓好政务公开各项工作,深入推动政府建设"
             "走深走实,以实际行动迎接党的二十大胜利召开。",
             "(一)强化重点领域信息公开",
             "1、数字经济发展领域。在区政府网站开设数字经济专题,集中公开数字经济发展领域的政策规划、亮点举措、工作动态等方面"
             "信息,第一时间做好相关政策的权威发布和精准解读,深入解读相关政策措施。(责任单位:区政府办公室、区发改委、区商务局)"]


def _pdf_with_short_last_page(lines, tail, size):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("p", fontName="STSong-Light", fontSize=size, leading=size * 1.6, wordWrap="CJK",
                           firstLineIndent=2 * size)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(x), style) for x in lines]
                                              + [PageBreak(), Paragraph(escape(tail), style)])
    return buf.getvalue()


def test_a_pdf_whose_last_page_holds_a_few_characters_is_read_as_a_text_pdf(tmp_path, monkeypatch):
    import loaders.formats.pdf as pdf

    def no_ocr(*a, **k):
        raise AssertionError("a page of text sent to OCR")

    monkeypatch.setattr(pdf, "ocr_pages", no_ocr)
    want = _lined(tmp_path, TAIL_PAGE + ["(此件公开发布)"])
    assert want[0][-1][2] == [("区发改委", "implement"), ("区商务局", "implement"), ("区政府办公室", "implement")]
    (tmp_path / "plan.pdf").write_bytes(_pdf_with_short_last_page(TAIL_PAGE, "(此件公开发布)", 16))
    assert _signature(load_file(tmp_path / "plan.pdf")) == want


def _line(y, text, x0=72.0, size=16.0):
    return [Item(x0 + size * i, y, x0 + size * (i + 1), y + size, ch) for i, ch in enumerate(text)]


def test_a_units_note_open_at_the_margin_goes_on_below_its_label():
    first = "数字经济特色优势和未来产业指导目录。(牵头单位:区经发局,"
    items = (_line(100, "(一)加强数字经济信息公开。集中公开数字经济相关政策举措和工作进展,权威发布有关", 104)
             + _line(126, first) + _line(152, "责任单位:区招商服务局、区财政局)"))
    blocks = page_blocks(items, None, edges=(72.0, 72.0 + 16 * len(first)))
    assert [b.cells[0] for b in blocks] == ["(一)加强数字经济信息公开。集中公开数字经济相关政策举措和工作进展,权威发布有关"
                                            + first + "责任单位:区招商服务局、区财政局)"]
    # a label under a line whose brackets are closed is still a line of its own
    items = _line(100, "(一)加强数字经济信息公开。集中公开数字经济相关政策举措(附件1)和工作进展,") + _line(126, "牵头单位:区经发局")
    assert len(page_blocks(items, None, edges=(72.0, 72.0 + 16 * 38))) == 2


PRINCIPLES = ["为进一步推动我局政务公开工作,根据有关规定,结合工作实际,制定本实施意见。",
              "一、政务公开的基本原则",
              "为了确保政务工作的制度化、规范化,真正达到内容、形式、效果相统一,必须坚持以下原则:",
              "(一)依法公开原则。凡公开的内容必须在法律、法规和国家有关政策规定的范围内;",
              "(二)真实准确原则。公开事项必须实事求是、真实可靠、准确无误;",
              "二、政务公开的内容",
              "(一)财政工作概况;内设机构职能及职责、办公电话。", "责任股室:办公室"]


def test_a_heading_glued_to_prose_that_opens_with_weile_and_ends_at_a_colon(tmp_path):
    want = _lined(tmp_path, PRINCIPLES)
    assert [n for n, _, _ in want[0]][:2] == ["一.1", "(一).1"]
    assert _flat(tmp_path, PRINCIPLES) == want


FOOTED = ["县卫健委2021年重点工作任务分解", "文章来源:某县卫生健康委员会 浏览量: 发表时间:2021-05-07 10:49 责任编辑:某县卫健委",
          "1.推广家庭医生签约服务,补齐公共医疗卫生基础设施短板。", "牵头责任单位:县卫健委",
          "主要协作单位:各乡镇人民政府、县政府有关部门", "2.创建国家卫生县城。", "牵头责任单位:县卫健委",
          "主要协作单位:各乡镇人民政府、县政府有关部门", "3.完善疾病预防控制体系和平战结合的疫情防控救治体系。",
          "牵头责任单位:县卫健委", "主要协作单位:各乡镇人民政府、县政府有关部门", "监督方式:0557-0000000", "扫一扫在手机打开当前页"]


def test_a_pages_source_field_and_footer_glued_to_the_text_are_lines_of_their_own(tmp_path):
    want = _lined(tmp_path, FOOTED)
    assert want[1] == "县卫健委2021年重点工作任务分解" and len(want[0][1][2]) == 3
    assert _flat(tmp_path, FOOTED) == want


SOURCED = ["您的位置:", "省政府办公厅文件", "来源:某省人民政府办公厅", "某省人民政府办公厅关于印发",
           "2022年某省政务公开工作要点的通知", "某政办发〔2022〕20号", "各州、市人民政府,省直各委、办、厅、局:",
           "现将《2022年某省政务公开工作要点》印发给你们,请认真贯彻执行。", "某省人民政府办公厅", "2022年5月10日",
           "一、以公开助力经济平稳健康发展", "(一)加强涉及市场主体的信息公开。增强政策制定实施的透明度和可预期性。"]


def test_a_title_after_a_source_field_naming_its_issuer_is_the_title_once(tmp_path):
    want = _lined(tmp_path, SOURCED)
    assert want[1] == "某省人民政府办公厅关于印发2022年某省政务公开工作要点的通知"
    assert _flat(tmp_path, SOURCED)[1:] == want[1:]


ADDRESSED = ["某政办〔2016〕23号", "某省人民政府办公厅关于", "贯彻落实国务院办公厅2016年政务公开", "工作要点的实施方案",
             "各市人民政府,省政府各厅委、各直属机构:",
             "为贯彻落实《国务院办公厅关于印发2016年政务公开工作要点的通知》精神,经省政府同意,现提出如下实施方案。",
             "一、推进权力运行全流程公开", "(一)推进权力清单公开。全面公开省市县三级政府部门权力清单。"]


def test_a_plans_title_glued_to_its_addressees_ends_before_them(tmp_path):
    want = _lined(tmp_path, ADDRESSED)
    assert want[1] == "某省人民政府办公厅关于贯彻落实国务院办公厅2016年政务公开工作要点的实施方案"
    assert _flat(tmp_path, ADDRESSED)[1:] == want[1:]


OPENING = ["各市、县(区)人民政府,省人民政府各部门:",
           "现将《2015年政府信息公开工作主要任务分解表》印发给你们,请认真组织实施。",
           "请各设区市、省直各部门将落实情况于12月10日前报送省政府办公厅。", "某省人民政府办公厅", "2015年5月7日",
           "2015年政府信息公开工作主要任务分解表"]
TABLE = ["工作任务 | 牵头单位 | 责任单位 |", "一、推进重点领域信息公开 | | |",
         "1.政府工作部门权力清单信息公开 | 省编办 | 省直各部门,各设区市 |",
         "2.财政预算、决算信息公开 | 省财政厅 | 省直各部门,各设区市 |"]


def test_an_opening_kept_on_one_line_above_a_table_that_kept_its_rows(tmp_path):
    want = _lined(tmp_path, OPENING + TABLE)
    assert want[2] == "某省人民政府办公厅"
    (tmp_path / "one.txt").write_text("".join(OPENING) + "\n" + "\n".join(TABLE) + "\n", encoding="utf-8")
    assert _signature(load_file(tmp_path / "one.txt")) == want


CELLS = ["某区2023年政务公开重点工作任务分工", "工作任务", "具体要求", "责任单位", "落实情况", "一、助力优化营商环境",
         "1", "全面及时发布涉企政策举措,加大支持民营经济相关政策公开。", "政府有关部门,各乡镇街道负责落实", "序时推进。",
         "2", "及时发布税费优惠政策和申领办理规程,精准直达相关利益方。", "税务局、各乡镇街道负责落实", "序时推进。",
         "二、助推扩大内需", "3", "聚焦重大工程,加大重大建设项目全生命周期公开力度,激发投资活力。",
         "发改委、交通运输局等政府有关部门负责落实", "序时推进。", "4", "强化"]


def test_a_cell_a_paragraph_table_ends_before_the_pages_footer(tmp_path):
    want = _lined(tmp_path, CELLS)
    body = "".join(f"<p>{escape(x)}</p>" for x in CELLS)
    page = (f'<html><head><meta charset="utf-8"><title>政府网</title></head><body><div class="article">{body}</div>'
            '<div class="tools">【打印本页】【关闭窗口】</div></body></html>')
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    assert _signature(load_file(tmp_path / "plan.html")) == want


GLOSSED = ["局各科室:",
           "根據《某市人民政府辦公室關於印發某市2021年政務公開工作要點分工方案的通知》有關工作要求,現將《某市交通運輸局"
           "貫徹落實某市2021年政務公開工作要點分工方案》(以下簡稱《方案》)印發給你們,請結合以下要求抓好貫徹執行。",
           "一、高度重視。局機關各科室要把抓好《方案》貫徹落實作為深化政務公開的重點內容,推動法治政府建設。"]


def test_a_scan_of_a_glossed_page_reads_its_split_and_misread_glosses_as_glosses(tmp_path, monkeypatch):
    want = _lined(tmp_path, GLOSSED)
    assert want[1] == "某市交通运输局贯彻落实某市2021年政务公开工作要点分工方案"
    read = ["局各科室：",
            "根據(jù)《某市人民政府辦公室關(gua n)於印發(fā)某市2021年政務(wu)公開(kai)工作要點(diän)分工方案的通知》有",
            "(gua n)工作要求,現(xia n)將 《某市交通運(yun)輸局貫徹落實(sh i)某市2021年政務(wu)公開(kai)工作要",
            "點(dia n)分工方案》 (以下簡(jiä n)《方案》)印發(fa)給你們,請(q i ng)結合以下要求抓好貫徹執(zh i)行。",
            "一、高度重視。局機(ji)(guan)各科室要把抓好《方案》貫徹落實(sh i)作為深化政務(wu)公開(kai)的重點(dian)",
            "內容,推動(d 0 ng)(d a n)法治政府建設(shé)。"]
    got = _signature(scan_read_as(read, tmp_path, monkeypatch))
    assert got[1] == want[1]
    assert "(" not in got[0][0][1].replace("(一)", "")


SIGNED = ["号:003187229/202405-00047", "文號:某政務瓣[2024]1號",
          "某市政務公開辦公室于印發2024年某市政務公開重點工作任務分工方案的通知", "各縣、區人民政府辦公室:",
          "現將《2024年某市政務公開重點工作任務分工方案》印發給你們,請認真貫徹落實。"]


def test_a_scans_doc_number_and_title_read_with_ocrs_slips_are_the_printed_ones(tmp_path, monkeypatch):
    got = _signature(scan_read_as(SIGNED, tmp_path, monkeypatch))
    assert got[1] == "某市政务公开办公室关于印发2024年某市政务公开重点工作任务分工方案的通知"
    assert got[3] == "某政务办〔2024〕1号"
    got = _signature(scan_read_as(["·发文字号：某政办[2020】17号", "关于印发2020年某市政务公开工作要点的通知",
                                   "各区县人民政府:", "《2020年某市政务公开工作要点》已经市政府同意,现印发你们。"], tmp_path, monkeypatch))
    assert got[3] == "某政办〔2020〕17号"


QUOTED = ["某政办发〔2016〕26号《某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知》",
          "《某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知》", "某政办发〔2016〕26号",
          "各区人民政府,市政府各委、办、局:", "《某市2016年政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。",
          "某市人民政府办公厅", "2016年5月28日",
          "一、推进权力清单公开。对权力清单和责任清单进行动态调整,及时公布2016年版市政府部门权力清单和责任清单。"]


def test_a_title_quoted_in_a_title_read_with_angle_brackets_by_ocr(tmp_path, monkeypatch):
    want = _lined(tmp_path, QUOTED)
    assert want[1] == "某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知"
    read = ["某政办发[2016]26号《某市人民政府办公厅关于印发<某市2016年政务公开工作", "要点>的通知》",
            "《某市人民政府办公厅关于印发<某市2016年政务公开工作要点》的通知》"] + QUOTED[2:]
    assert _signature(scan_read_as(read, tmp_path, monkeypatch))[1:3] == want[1:3]
