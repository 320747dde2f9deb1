"""The same plan in the forms it reaches us in gives the same records (short texts of our own, from the
patterns of real pages whose forms read differently from their lined text):

- a traditional text a mirror glossed with pinyin (經(jīng)濟), printed to PDF or OFD: a line the page wrapped
  between a character and its gloss is no new paragraph (a sentence had become a second task);
- the same text scanned: OCR reads the glosses without their tone marks (關(guan), 開(k ai)), still glosses;
- a page of a longer plan that opens at its 38. and lost its line breaks: its count starts there;
- a cut text saved as a web page: the page's footer after the [GAP] ends the text as the text's end does;
- a notice whose line breaks were lost with nothing between its lines: the doc number and the title in
  book marks at its head are lines of their own (the title had been a heading of the plan).
"""
from __future__ import annotations


import pytest

from loaders import load_file
from plans import form_signature as _signature, lined_signature as _lined
from renditions import paragraph_pdf, scan_read_as, text_ofd

GLOSSED = ["某縣人民政府辦公室關(guān)於印發(fā)《某縣2021年政務(wù)公開(kāi)工作要點(diǎn)》的通知",
           "各鄉(xiāng)鎮(zhèn),縣直各單(dān)位:",
           "一、深化重點(diǎn)領(lǐng)域信息公開(kāi)",
           "(一)做好戰(zhàn)略實(shí)施信息公開(kāi)。著力公開(kāi)打造國(guó)家重要先進(jìn)製造業(yè)高地、打造具有核心競(jìng)爭(zhēng)力的科技創(chuàng)"
           "新高地相關(guān)政策舉措,以公開(kāi)促進(jìn)戰(zhàn)略順利實(shí)施,重點(diǎn)公開(kāi)市場(chǎng)主體培優(yōu)、產(chǎn)業(yè)鏈提升等工程進(jìn)展情況。"
           "(縣發(fā)改局牽頭)",
           "(二)做好財(cái)政預(yù)算信息公開(kāi)。及時(shí)公開(kāi)本級(jí)預(yù)算決算報(bào)告和報(bào)表。(縣財(cái)政局牽頭)"]


@pytest.mark.parametrize("size", [10, 14, 15])   # sizes at which a line wraps before a gloss (培優|(yōu), 市場|(chǎng))
def test_a_line_wrapped_before_its_gloss_goes_on_the_line_before_in_pdf_and_ofd(tmp_path, size):
    want = _lined(tmp_path, GLOSSED)
    assert [(n, units) for n, _, units in want[0]] == [("(一).1", [("县发改局", "lead")]), ("(二).1", [("县财政局", "lead")])]
    pdf = paragraph_pdf(GLOSSED, size)
    (tmp_path / "plan.pdf").write_bytes(pdf)
    (tmp_path / "plan.ofd").write_bytes(text_ofd(pdf))
    assert _signature(load_file(tmp_path / "plan.pdf")) == want
    assert _signature(load_file(tmp_path / "plan.ofd")) == want


def test_a_scan_of_a_glossed_text_reads_its_glosses_as_glosses(tmp_path, monkeypatch):
    want = _lined(tmp_path, GLOSSED)
    # OCR's reading: tones lost or misread, letters spaced, a full-width bracket
    read = [GLOSSED[0].replace("(guān)", "(guan)").replace("(fā)", "(fa）").replace("(kāi)", "(k ai)")
            .replace("(diǎn)", "(diän)").replace("(wù)", "(wu)")] + GLOSSED[1:]
    assert _signature(scan_read_as(read, tmp_path, monkeypatch))[1] == want[1]
    # one gloss on the title's line, toneless; the page's others on other lines: the page is glossed
    read = [GLOSSED[0].replace("關(guān)", "關").replace("(fā)", "(fa）").replace("(wù)", "").replace("(kāi)", "")
            .replace("(diǎn)", ""), GLOSSED[1].replace("(xiāng)", "(xia ng)").replace("(zhèn)", "(zh én)")] + GLOSSED[2:]
    assert _signature(scan_read_as(read, tmp_path, monkeypatch))[1] == want[1]


def test_a_scanned_doc_number_field_with_square_brackets_is_the_same_number(tmp_path, monkeypatch):
    lines = ["索引号:00000000-9/2019-00001", "文号:某府办函〔2019〕168号", "某市人民政府办公室关于印发2019年政务公开工作要点的通知",
             "各区人民政府,市政府直属各单位:", "一、推进决策公开。各单位要严格落实重大行政决策事项目录制度。"]
    want = _lined(tmp_path, lines)
    assert want[3] == "某府办函〔2019〕168号"
    read = [lines[0], "文号:某府办函[2019]168号主题词:"] + lines[2:]
    assert _signature(scan_read_as(read, tmp_path, monkeypatch))[3] == want[3]


PAGE2 = ["38.按季度公布中心城区地表水水质情况,按月公开集中式饮用水水源地水质监测信息。(牵头单位:市环境保护局)",
         "39.集中发布重点排污单位环境信息,依法公开突发环境事件调查结论。(牵头单位:市环境保护局)",
         "(四)推进教育领域信息公开。",
         "40.加大教育督导报告、义务教育均衡发展督导评估结果公开力度。(牵头单位:市教育局)",
         "41.推进义务教育招生入学政策公开,做好政策解读工作。(牵头单位:市教育局)"]


def test_a_page_opening_at_its_38th_task_reads_alike_without_its_line_breaks(tmp_path):
    want = _lined(tmp_path, PAGE2)
    assert [n for n, _, _ in want[0]] == ["38", "39", "40", "41"]
    (tmp_path / "flat.txt").write_text("".join(PAGE2), encoding="utf-8")
    assert _signature(load_file(tmp_path / "flat.txt")) == want


CUT = ["某省人民政府办公厅关于印发2021年某省政务公开工作要点的通知", "各市人民政府,省政府各部门:",
       "现将《2021年某省政务公开工作要点》印发给你们,请认真贯彻落实。", "某省人民政府办公厅", "2021年4月19日",
       "2021年某省政务公开工作要点", "一、深化重点领域政府信息公开",
       "(一)立足实施重大战略推进政务公开。县级以上政府要主动公开本地规划纲要,及时公开", "[GAP]"]


def test_a_cut_text_saved_as_a_page_ends_at_its_gap_before_the_footer(tmp_path):
    want = _lined(tmp_path, CUT)
    assert [n for n, _, _ in want[0]] == ["(一).1"]
    body = "".join(f"<p>{x}</p>" for x in CUT)
    page = (f'<html><head><meta charset="utf-8"><title>政府网</title></head><body><div class="article">{body}</div>'
            '<div class="tools">【打印本页】【关闭窗口】</div></body></html>')
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    assert _signature(load_file(tmp_path / "plan.html")) == want
    assert _lined(tmp_path, CUT + ["【打印本页】【关闭窗口】"], "footer.txt") == want


HEADED = ["某政办发〔2016〕26号《某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知》",
          "《某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知》", "某政办发〔2016〕26号",
          "各区人民政府,市政府各委、办、局:", "《某市2016年政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。",
          "某市人民政府办公厅", "2016年5月28日",
          "今年政务公开工作的总体要求是:以完善政务公开内容和方式为核心,以面向基层、面向群众为重点,助力深化改革。",
          "一、围绕深化改革推进公开",
          "(一)进一步推进权力清单公开", "对权力清单进行动态调整,公布2016年版市政府部门权力清单。(市编办负责)"]


def test_a_doc_number_and_title_glued_at_the_head_of_a_flattened_notice_are_lines(tmp_path):
    want = _lined(tmp_path, HEADED)
    assert want[1:4] == ("某市人民政府办公厅关于印发〈某市2016年政务公开工作要点〉的通知", "某市人民政府办公厅", "某政办发〔2016〕26号")
    (tmp_path / "flat.txt").write_text("".join(HEADED), encoding="utf-8")
    assert _signature(load_file(tmp_path / "flat.txt")) == want
