"""Whatever an office feeds the build: each bad file is one line naming it and the reason, the other
documents load, the exit status says something was skipped, and no traceback unless ``--debug``.

The bad files are made here, in a temporary folder (nothing large is committed).
"""
from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from renditions import paragraph_docx

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASCADE = [sys.executable, "-m", "cascade.cli"]
GOOD = ["2021_taishan_culture_bureau_sections.txt", "2020_chibi_standardization_plan.txt"]

# file name → what its one line must say
SKIPPED = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "random.bin": r"not a text file|binary file",
    "nul.txt": "binary file",
    "no_page.mht": r"saved web page \(MHTML\) with no HTML part",
    "renamed.pdf": r"named \.pdf but neither PDF nor text inside \(damaged, or renamed\?\)",
    "truncated.docx": r"damaged Office file \(bad zip archive\)",
    "truncated.xlsx": r"damaged Office file \(bad zip archive\)",
    "broken_xml.docx": "damaged DOCX file",
    "broken_xml.xlsx": "damaged XLSX file",
    "bad_crc.docx": "damaged DOCX file",
    "legacy.doc": r"damaged legacy Office file",
    "photos.zip.docx": r"zip archive of 1 document file\(s\) under another name: name it \.zip",
    "tools.zip": r"tools\.zip/setup\.exe: no plan structure found",   # a bundle's members are read as any file
    "encrypted.pdf": "encrypted PDF",
    "scanned.pdf": "OCR found no text",
    "truncated.pdf": "damaged PDF",
    "one_line_5mb.txt": "not a work plan",
    "nested.html": "nested too deeply",
    "news.html": "not a work plan",
    "annual_report.txt": r"a report \(年度报告\), not a work plan",
    "dup.txt": "same document id 'dup' as dup.docx",
    "line\nbreak.txt": "empty file",
}
# odd but readable: these must load, not be skipped
LOADED = {"sheet_renamed.txt": "xlsx", "mixed_encodings.txt": "text", "utf16.txt": "text", "dup.docx": "docx",
          "big5.txt": "text"}


def _xlsx(rows: list[list]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    draw(c)
    c.save()
    return buf.getvalue()


def _rezip(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            z.writestr(info, change(body) if info.filename == member else body)
    return out.getvalue()


PLAN_DOCX = ["一、总体要求", "1.做好政策文件解读工作，区政务公开办牵头。"]
PLAN_ROWS = [["一、加强政策解读", None], ["1.做好政策文件解读工作", "区政务公开办牵头"],
             ["2.推进政务公开平台建设", "区政务服务数据管理局负责"]]


def make_bad_files(folder: Path) -> None:
    """Write every kind of bad (and odd but good) input into ``folder``."""
    import pypdf

    rnd = random.Random(9)
    w = lambda name, data: (folder / name).write_bytes(data)  # noqa: E731
    w("empty.txt", b"")
    w("line\nbreak.txt", b"")
    w("blank.txt", b" \n\n\t \r\n")
    w("random.bin", bytes(rnd.randrange(256) for _ in range(8000)))
    w("nul.txt", b"\x00" * 300)
    w("no_page.mht", b'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
                     b"Content-Type: image/png\n\n\x89PNG\n--b--\n")
    w("renamed.pdf", bytes(rnd.randrange(1, 256) for _ in range(8000)))   # no %PDF header, no text
    docx_bytes, xlsx_bytes = paragraph_docx(PLAN_DOCX), _xlsx(PLAN_ROWS)
    w("truncated.docx", docx_bytes[: len(docx_bytes) // 2])
    w("truncated.xlsx", xlsx_bytes[: len(xlsx_bytes) // 2])
    w("broken_xml.docx", _rezip(docx_bytes, "word/document.xml", lambda b: b[: len(b) // 2]))
    w("broken_xml.xlsx", _rezip(xlsx_bytes, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2]))
    crc = bytearray(docx_bytes)
    crc[crc.find(b"word/document.xml") + 40] ^= 0xFF   # inside the compressed body of the member
    w("bad_crc.docx", bytes(crc))
    w("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rnd.randrange(256) for _ in range(2000)))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("photo1.jpg", b"\xff\xd8\xff" + b"0" * 100)
    w("photos.zip.docx", zbuf.getvalue())
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("setup.exe", b"MZ" + b"0" * 100)
    w("tools.zip", zbuf.getvalue())
    text_pdf = _pdf(lambda c: c.drawString(72, 720, "1. Publish the budget"))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf)))
    writer.encrypt("secret")
    enc = io.BytesIO()
    writer.write(enc)
    w("encrypted.pdf", enc.getvalue())
    w("scanned.pdf", _pdf(lambda c: c.rect(100, 100, 300, 400, fill=1)))
    w("truncated.pdf", text_pdf[: len(text_pdf) // 3])
    w("one_line_5mb.txt", ("政务公开工作会议召开" * 200_000).encode("utf-8")[: 5 * 1024 * 1024])
    w("nested.html", ("<html><body>" + "<div>" * 20_000 + "一、总体要求" + "</div>" * 20_000 + "</body></html>").encode())
    w("news.html", "<html><head><script>alert(1)</script></head><body><h1>今日新闻</h1><p>市里召开运动会，天气晴朗。</p>"
                   "<p>记者报道了比赛的结果。</p></body></html>".encode("utf-8"))
    # A department's annual report on disclosure: numbered like a plan, but it says what was done;
    # its paragraphs read as tasks would be local tasks nobody assigned.
    w("annual_report.txt", ("标 题 | 某县教育局2022年政府信息公开工作年度报告 | ||\n发布机构 | 某县教育局 |\n"
                            "一、总体情况\n(一)主动公开情况。全年主动公开信息16项。\n(二)平台建设情况。开通视频号。\n"
                            "二、存在的主要问题及改进情况\n下一步,我局将加强业务培训,提升公开质量。\n").encode("utf-8"))
    w("dup.docx", paragraph_docx(PLAN_DOCX))
    w("dup.txt", "关于印发2022年某区政务公开工作要点的通知\n一、总体要求\n1.做好政策文件解读工作，区政务公开办牵头。\n"
      .encode("utf-8"))
    w("copy of chibi.txt", (DATA / GOOD[1]).read_bytes())   # the same document again: kept once, said so
    w("sheet_renamed.txt", xlsx_bytes)
    w("mixed_encodings.txt", "一、总体要求\n".encode("utf-8") + "1.做好政策文件解读工作，区政务公开办牵头。\n".encode("gb18030")
      + "2.推进政务公开平台建设，区政务服务数据管理局负责。\n".encode("utf-8"))
    w("utf16.txt", "一、总体要求\n1.做好政策文件解读工作，区政务公开办牵头。\n".encode("utf-16"))
    w("big5.txt", "一、總體要求\n1.做好政策文件解讀工作，區政務公開辦牽頭。\n".encode("big5"))
    for name in GOOD:
        w(name, (DATA / name).read_bytes())


def run(*args, cwd):
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    """One CLI build over the good documents and every bad file: (folder, result, exported JSON)."""
    base = tmp_path_factory.mktemp("bad")
    folder = base / "docs"
    folder.mkdir()
    make_bad_files(folder)
    r = run("build", str(folder), cwd=base)
    exported = run("export", "--format", "json", cwd=base)
    return folder, r, json.loads(exported.stdout) if exported.returncode == 0 else None


def test_bad_build_exits_2_without_a_traceback(bad_build):
    _, r, _ = bad_build
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert re.search(rf"^{len(SKIPPED)} file\(s\) skipped$", r.stderr, re.M), r.stderr


def test_a_copy_of_a_document_is_kept_once_and_named(bad_build):
    _, r, exported = bad_build
    lines = [l for l in r.stderr.splitlines() if "copy of chibi.txt" in l]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "same document as" in lines[0], lines
    sources = [n["properties"].get("source") for n in exported["nodes"] if n["label"] == "Document"]
    assert "copy of chibi.txt" not in sources and GOOD[1] in sources


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_each_bad_file_gets_one_line_naming_it_and_the_reason(bad_build, name):
    folder, r, _ = bad_build
    lines = [l for l in r.stderr.splitlines() if name.replace("\n", "\\n") in l]
    assert len(lines) == 1, (name, lines)
    assert lines[0].startswith("skipped: ") and re.search(SKIPPED[name], lines[0]), lines[0]


def test_every_stderr_line_is_a_skip_a_warning_or_the_summary(bad_build):
    _, r, _ = bad_build
    for line in r.stderr.splitlines():
        line = line.replace("Loading", "").strip()  # the progress bar's label, when the build is slow
        assert not line or re.match(r"^(skipped|warning): \S|^\d+ file\(s\) skipped$", line), line


def test_good_and_odd_documents_still_load_beside_the_bad_ones(bad_build):
    _, r, data = bad_build
    assert f"Built {len(GOOD) + len(LOADED)} documents" in r.stdout
    docs = {n["properties"]["source"]: n["properties"] for n in data["nodes"] if n["label"] == "Document"}
    assert set(docs) == set(GOOD) | set(LOADED)
    for name, fmt in LOADED.items():
        assert docs[name]["format"] == fmt, name


def test_good_documents_lose_no_task_beside_bad_files(bad_build, tmp_path):
    """Documents lost: 0. Each good file gives the same tasks as when it is built alone."""
    from cascade.pipeline import build

    _, _, data = bad_build
    alone = build([DATA / name for name in GOOD]).graph
    want = sorted(n for n, d in alone.nodes(data=True) if d.get("label") == "Task")
    got = sorted(n["id"] for n in data["nodes"] if n["label"] == "Task"
                 and n["properties"]["doc_id"] in {d for d in (n2["id"] for n2 in data["nodes"]
                                                                if n2["label"] == "Document"
                                                                and n2["properties"]["source"] in GOOD)})
    assert got == want and len(want) > 50


def test_mixed_encoding_lines_are_each_read_in_their_own_encoding(bad_build):
    _, _, data = bad_build
    texts = [n["properties"]["text"] for n in data["nodes"]
             if n["label"] == "Task" and n["properties"]["doc_id"] == "mixed_encodings"]
    assert texts == ["做好政策文件解读工作，区政务公开办牵头。", "推进政务公开平台建设，区政务服务数据管理局负责。"]


def test_debug_shows_the_traceback_of_a_skipped_file(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_bad_files(folder)
    r = run("--debug", "build", str(folder / "encrypted.pdf"), str(folder / GOOD[0]), cwd=tmp_path)
    assert r.returncode == 2
    assert "skipped: " in r.stderr and "Traceback (most recent call last)" in r.stderr
    assert "PDFPasswordIncorrect" in r.stderr
    r = run("build", str(folder / "encrypted.pdf"), str(folder / GOOD[0]), cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_build_where_nothing_loads_fails_and_keeps_the_previous_store(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"\x00" * 10)
    assert run("build", str(DATA / GOOD[0]), cwd=tmp_path).returncode == 0
    r = run("build", str(folder), cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Error: no document could be loaded" in r.stderr and "empty.txt: empty file" in r.stderr
    from graph.store import load_graph

    G = load_graph(tmp_path / ".cascade")
    assert [d["source"] for _, d in G.nodes(data=True) if d.get("label") == "Document"] == [GOOD[0]]


def test_file_over_the_size_limit_is_skipped_and_named(tmp_path, monkeypatch):
    """MAX_BYTES is 200 MB; the limit is checked by lowering it, not by writing 200 MB."""
    import loaders.read
    from cascade.pipeline import build

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / GOOD[0]).write_bytes((DATA / GOOD[0]).read_bytes())
    (folder / "huge.txt").write_bytes((DATA / GOOD[1]).read_bytes() + b"\n" * 100_000)
    monkeypatch.setattr(loaders.read, "MAX_BYTES", 64 * 1024)
    result = build([folder])
    assert [Path(p.path).name for p in result.skipped] == ["huge.txt"]
    assert "file too large" in result.skipped[0].message
    assert [r.document.source for r in result.records] == [GOOD[0]]


def test_internal_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    assert run("build", str(DATA / GOOD[0]), cwd=tmp_path).returncode == 0
    (tmp_path / "a_file").write_text("x")
    r = run("export", "--format", "json", "--out", "a_file/g.json", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["Error: a_file: File exists"]
    r = run("--debug", "export", "--format", "json", "--out", "a_file/g.json", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback (most recent call last)" in r.stderr


def test_a_page_saved_complete_is_read_without_its_resources_folder(tmp_path):
    """"Save as complete web page" writes page.html and page_files/ (logos, banners, scripts): the page is
    the document, its folder no file to read or to name as skipped; a folder of that name beside no page
    is read as any folder is."""
    folder = tmp_path / "docs"
    (folder / "公开要点_files").mkdir(parents=True)
    text = (DATA / GOOD[0]).read_text(encoding="utf-8")
    (folder / "公开要点.html").write_text("<html><body>" + "".join(f"<p>{l}</p>" for l in text.splitlines())
                                       + "</body></html>", encoding="utf-8")
    for name in ("logo.png", "jquery.js", "style.css"):
        (folder / "公开要点_files" / name).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64) if name.endswith("png") else b"x")
    (folder / "other_files").mkdir()
    (folder / "other_files" / "empty.txt").write_bytes(b"")
    r = run("build", str(folder), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    skipped = [l for l in r.stderr.splitlines() if l.startswith("skipped: ")]
    assert skipped == [f"skipped: {folder / 'other_files' / 'empty.txt'}: empty file"], r.stderr
