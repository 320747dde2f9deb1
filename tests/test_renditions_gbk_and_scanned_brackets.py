"""The same plan in the forms a page or a print of it takes (short texts of our own, from the patterns
of real pages whose HTML or PDF read differently from their text): a GBK page whose short line `通  知`
is valid UTF-8 by chance, and a breadcrumb whose » a print's font lost, `…的通知详情`.
"""
from __future__ import annotations

from html import escape

from loaders import load_file
from plans import form_signature as _signature
from loaders.charset import decode

LINES = ["湖北省人民政府办公厅",
         "关于明确2019年政务公开工作责任分工的",
         "通  知",
         "鄂政办明电〔2019〕12号",
         "各市人民政府,省人民政府各部门:",
         "一、推进决策公开。各地各部门要严格落实重大行政决策事项目录制度,及时公开决策草案。",
         "二、加强政策解读。省政府办公厅牵头,各部门要按照谁起草谁解读的原则做好解读。"]


def _gbk_page(lines: list[str]) -> bytes:
    """The common older page: GBK, one <div> of lines parted by <br>, each indented with &nbsp;."""
    body = "".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{escape(line)}<br/>\n" for line in lines)
    return ("<html><head><meta charset='gbk'><title>政府门户网站</title></head><body>\n"
            "<div class='crumb'>当前位置:首页 &gt; 政务公开</div>\n"
            f"<div id='zoom'>\n{body}</div>\n<footer>主办单位:人民政府办公室</footer></body></html>").encode("gb18030")


def test_a_gbk_line_that_reads_as_utf8_by_chance_is_gbk():
    # 通 (CD A8) and 知 (D6 AA) are UTF-8's two-byte sequences: a combining mark and a Hebrew accent
    data = "关于某事的\n通  知\n".encode("gb18030")
    assert decode(data) == "关于某事的\n通  知\n"
    # a UTF-8 file with one GBK paragraph pasted in still reads each line in its own encoding
    mixed = "一、总体要求".encode("utf-8") + b"\n" + "二、工作任务".encode("gb18030") + b"\n" + "长×宽".encode("utf-8")
    assert decode(mixed) == "一、总体要求\n二、工作任务\n长×宽"


def test_a_gbk_page_reads_as_its_text(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    page = tmp_path / "plan.html"
    page.write_bytes(_gbk_page(LINES))
    want = _signature(load_file(text))
    assert want[1] == "湖北省人民政府办公厅关于明确2019年政务公开工作责任分工的通知"
    assert _signature(load_file(page)) == want


def test_a_breadcrumb_without_its_separators_gives_no_step_to_the_title(tmp_path):
    title = "广安市人民政府办公室关于印发《广安市2023年政务公开重点工作任务安排》的通知"
    lines = ["广安市某区人民政府", f"您当前的位置:首页 » {title} » 详情", title, "广府办发〔2023〕9号"] + LINES[4:]
    printed = [lines[0], lines[1].replace(" » ", "")] + lines[2:]   # a print whose font has no »
    scanned = [lines[0], lines[1].replace(" » ", "》")] + lines[2:]   # a scan's OCR reads » as 》
    got = []
    for name, ls in (("page.txt", lines), ("print.txt", printed), ("scan.txt", scanned)):
        (tmp_path / name).write_text("\n".join(ls) + "\n", encoding="utf-8")
        got.append(_signature(load_file(tmp_path / name)))
    assert got[0][1] == title
    assert got[1] == got[0] and got[2] == got[0]


def test_a_note_whose_brackets_a_scan_read_as_other_shapes_names_the_same_units(tmp_path):
    note = "(各市〔州〕、县〔市、区〕政府,各级政府各部门按照职能分别落实)"
    ocr = "(各市〔州]、县[市、区]政府,各级政府各部门按照职能分别落实)"   # 〕 read as ], 〔 as [
    got = []
    for name, n in (("text.txt", note), ("scan.txt", ocr)):
        lines = ["吉林省2020年政务公开工作要点", "(一)加强权力配置信息公开。各地各部门全面梳理本机关的权责清单并按照要求公开。" + n,
                 "(二)加强政策解读。各地各部门要做好政策解读,回应社会关切。"]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        got.append(_signature(load_file(tmp_path / name)))
    assert ("吉林省各市(州)、县(市、区)政府", "implement") in got[0][0][0][2]
    assert got[1] == got[0]


def test_a_bulleted_number_field_read_with_square_brackets_is_the_same_number(tmp_path):
    fields = ["• 123456789/2020-00017", "• 某市人力资源和社会保障局", "• 通知", "• 某人社办〔2020〕88号",
              "某市人力资源和社会保障局关于进一步做好政务公开工作的通知", "局机关各科室:",
              "一、做好公开。各科室要按照标准目录做好本领域信息公开。"]
    got = []
    for name, ls in (("page.txt", fields), ("scan.txt", [l.replace("〔", "[").replace("〕", "]").replace("•", "·") for l in fields])):
        (tmp_path / name).write_text("\n".join(ls) + "\n", encoding="utf-8")
        got.append(_signature(load_file(tmp_path / name)))
    assert got[0][3:] == ("某人社办〔2020〕88号", 2020)
    assert got[1] == got[0]
