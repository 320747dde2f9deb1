"""The formats offices still send give the tasks, units and roles of the text version: Word 97 ``.doc``
and WPS ``.wps`` (LibreOffice), Excel 97 ``.xls`` and WPS ``.et`` (xlrd), OFD with a text layer, and
scans (an image PDF, an image OFD, a PNG) read by OCR. Every form is rendered here from real seeds with
real tools (:mod:`renditions`): a table with merged cells (seed 001) and narrative plans over several
pages (seeds 002-004).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import renditions as R
from loaders import cache, load_file
from loaders.formats.legacy import soffice
from loaders.read import detect_format
from test_formats import META, SEED, SEEDS, _docx_bytes, _pdf_table_bytes, _signature, _xlsx_bytes

needs_office = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (scripts/test installs it)")
NARRATIVES = {
    "002_cf2d3c68f4e2a2f4.txt": {"level": "county", "region": "广州市黄埔区", "year": 2022},
    "003_faeede1183fd7fea.txt": {"level": "national", "year": 2021},
    "004_ff0872cb27d26d6e.txt": {"level": "county", "region": "咸宁市赤壁市", "year": 2020},
}


def _lines(seed: str) -> list[str]:
    return [l.strip() for l in (SEEDS / seed).read_text(encoding="utf-8").splitlines() if l.strip()]


def _units(rec) -> set[tuple[str, str, str]]:
    return {(t.number, a.canonical, a.role) for t in rec.tasks for a in t.assignments}


def _recall(rec, text_version) -> float:
    want = _units(text_version)
    return len(want & _units(rec)) / len(want) if want else 1.0


@pytest.fixture(scope="module")
def text_version():
    return load_file(SEED, META)


@pytest.fixture(scope="module")
def legacy_files():
    """Seed 001 as Word 97 and Excel 97 files, made once by LibreOffice."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    return {"doc": R.legacy(_docx_bytes(), "docx", "doc"), "xls": R.legacy(_xlsx_bytes(), "xlsx", "xls")}


@needs_office
@pytest.mark.parametrize("ext, fmt", [("doc", "doc"), ("wps", "doc"), ("xls", "xls"), ("et", "xls")])
def test_legacy_office_files_give_the_text_versions_tasks_and_units(ext, fmt, legacy_files, text_version, tmp_path):
    path = tmp_path / f"001.{ext}"
    path.write_bytes(legacy_files[fmt])
    rec = load_file(path, META)
    assert rec.document.format == fmt
    assert _signature(rec) == _signature(text_version)
    assert rec.document.ocr_confidence is None and not any("scan" in w for w in rec.document.warnings)


@needs_office
def test_a_pdf_whose_fonts_have_no_unicode_map_is_read_by_ocr(tmp_path):
    """A text layer of glyph numbers (subset fonts saved without ToUnicode, as some converters write them)
    gives nothing a person can read: its pages are read as a scan's, not lost as "not a work plan"."""
    source = Path(__file__).resolve().parent / "fixtures" / "loaders" / "city_unit_line_after_each_paragraph.txt"
    lines = [l.strip() for l in source.read_text(encoding="utf-8").splitlines() if l.strip()]
    pdf = R.office_save_as(R.paragraph_docx(lines), "docx", "pdf")
    assert b"/ToUnicode" in pdf
    (tmp_path / "mapped.pdf").write_bytes(pdf)
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf.replace(b"/ToUnicode", b"/XoUnicode"))   # same length: the file stays valid
    # The same tasks as the PDF read from its text layer, and most of their units: OCR's lines do not get
    # back the unit line the PDF glued to its paragraph (tests/test_glued_unit_lines.py), which the text layer does.
    _check_scan(load_file(path), load_file(tmp_path / "mapped.pdf"), min_recall=0.6)


@needs_office
@pytest.mark.parametrize("src, target, fmt", [("docx", "rtf", "rtf"), ("docx", "odt", "odt"), ("xlsx", "ods", "ods")])
def test_rtf_and_opendocument_files_give_the_text_versions_tasks_and_units(src, target, fmt, text_version, tmp_path):
    """Saved by WPS or LibreOffice as RTF, ODT or ODS, and named .doc as a mail client may rename it."""
    data = R.office_save_as(_docx_bytes() if src == "docx" else _xlsx_bytes(), src, target)
    for name in (f"001.{target}", "001_renamed.doc"):
        path = tmp_path / name
        path.write_bytes(data)
        rec = load_file(path, META)
        assert rec.document.format == fmt
        assert _signature(rec) == _signature(text_version)


@needs_office
@pytest.mark.parametrize("seed", ["002_cf2d3c68f4e2a2f4.txt", "004_ff0872cb27d26d6e.txt"])
def test_narrative_doc_reads_like_its_text(seed, tmp_path):
    path = tmp_path / f"{seed}.doc"
    path.write_bytes(R.legacy(R.paragraph_docx(_lines(seed)), "docx", "doc"))
    rec, text = load_file(path, NARRATIVES[seed]), load_file(SEEDS / seed, NARRATIVES[seed])
    assert _signature(rec) == _signature(text)


@pytest.mark.parametrize("ctm", [False, True])
def test_text_ofd_of_a_ruled_table_keeps_rows_and_merged_cells(ctm, text_version, tmp_path):
    path = tmp_path / "001.ofd"
    path.write_bytes(R.text_ofd(_pdf_table_bytes(), ctm=ctm))
    rec = load_file(path, META)
    assert rec.document.format == "ofd"
    assert _signature(rec) == _signature(text_version)
    by = {t.number: t for t in rec.tasks}
    assert by["2"].inherited_units and not by["1"].inherited_units


@pytest.mark.parametrize("seed", sorted(NARRATIVES))
def test_text_ofd_of_a_narrative_over_pages_reads_like_its_text(seed, tmp_path):
    """Lines wrapped at the margin and paragraphs cut by a page break are joined again."""
    pdf = R.paragraph_pdf(_lines(seed))
    path = tmp_path / f"{seed}.ofd"
    path.write_bytes(R.text_ofd(pdf))
    rec, text = load_file(path, NARRATIVES[seed]), load_file(SEEDS / seed, NARRATIVES[seed])
    assert _signature(rec) == _signature(text)
    assert [s.path for s in rec.sections] == [s.path for s in text.sections]


def _check_scan(rec, text, min_recall=0.9):
    assert [t.number for t in rec.tasks] == [t.number for t in text.tasks]
    assert _recall(rec, text) >= min_recall
    assert 0.8 < rec.document.ocr_confidence <= 1.0
    assert any(w.startswith(f"from a scan (OCR), confidence {rec.document.ocr_confidence:.2f}")
               for w in rec.document.warnings)
    assert all(t.ocr_confidence is not None and 0 < t.ocr_confidence <= 1 for t in rec.tasks)


def test_scanned_table_pdf_slightly_rotated_gives_the_rows_units_and_roles(text_version, tmp_path):
    """Two 300-dpi pages turned by 0.8 degrees: deskewed, the rulings give the cells, merged ones too."""
    from loaders.read import read_blocks

    path = tmp_path / "001_scan.pdf"
    path.write_bytes(R.scanned_pdf(_pdf_table_bytes(), rotate=0.8))
    assert detect_format(path.read_bytes(), "x.docx") == "pdf"
    with cache.using(tmp_path / "cache"):
        rec = load_file(path, META)
        _, blocks, _ = read_blocks(path)
    _check_scan(rec, text_version, 0.98)
    import json

    pages = json.loads(next((tmp_path / "cache" / "ocr").glob("*.json")).read_bytes())
    assert all(abs(p["angle"] + 0.8) < 0.25 for p in pages), pages   # PIL turned it 0.8 degrees anticlockwise
    # Row by row, the grid of the DOCX of the table (a merged cell's continuations marked); the header
    # the PDF repeats on its second page aside.
    docx = tmp_path / "001.docx"
    docx.write_bytes(_docx_bytes())
    shape = lambda bs: [(len(b.cells), b.merged) for b in bs if b.row and "具体要求" not in b.cells]  # noqa: E731
    assert shape(blocks) == shape(read_blocks(docx)[1])
    by = {t.number: t for t in rec.tasks}
    assert by["2"].inherited_units and [(a.short_name, a.role) for a in by["9"].assignments][:2] == [
        ("广电旅游和公共服务股", "lead"), ("办公室", "cooperate")]


def test_a_scanned_page_pasted_into_a_docx_is_read_where_it_stands(text_version, tmp_path):
    """A Word file holding its 分工表 as a scanned page (a picture) under a typed title, with a seal-sized
    picture beside it: the page is read by OCR in its place, the seal is no text."""
    import io

    import docx
    from PIL import Image

    page = R.page_images(_pdf_table_bytes())[0]
    d = docx.Document()
    d.add_paragraph("台山市文化广电旅游体育局2021年政务公开工作任务分工")
    for img in (Image.new("RGB", (300, 300), "red"), page):
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        d.add_picture(io.BytesIO(buf.getvalue()))
    path = tmp_path / "分工.docx"
    d.save(path)
    rec = load_file(path, META)
    assert rec.document.format == "docx" and rec.document.ocr_confidence is not None
    text = {t.number: t for t in text_version.tasks}
    numbers = [t.number for t in rec.tasks]
    assert len(numbers) >= 15 and numbers == list(text)[:len(numbers)]
    want = {u for u in _units(text_version) if u[0] in numbers}
    assert len(want & _units(rec)) / len(want) >= 0.95


@pytest.mark.parametrize("saved", ["complete", "mhtml"])
def test_a_plan_posted_as_a_picture_of_its_page_is_read_from_the_saved_page(saved, text_version, tmp_path):
    """A site posts the 分工表 as a scanned picture in the article: the page saved complete (page.html and
    page_files/) or as one file (.mht) gives the picture's rows where it stands; the site's logo is no text,
    and a picture the page names outside its own folder is never read."""
    import io

    page = R.page_images(_pdf_table_bytes())[0]
    scan, logo = io.BytesIO(), io.BytesIO()
    page.save(scan, format="JPEG", quality=90)
    __import__("PIL.Image").Image.new("RGB", (120, 40), "blue").save(logo, format="PNG")
    html = ("<html><head><meta charset='utf-8'></head><body><div class='logo'><img src='{logo}'></div>"
            "<div id='content'><p>台山市文化广电旅游体育局2021年政务公开工作任务分工</p><p><img src='{scan}'></p>"
            "<p><img src='../secret.png'></p></div></body></html>")
    (tmp_path / "secret.png").write_bytes(scan.getvalue())   # outside the page's folder: never read
    folder = tmp_path / "site"
    if saved == "complete":
        (folder / "分工_files").mkdir(parents=True)
        (folder / "分工_files" / "scan1.jpg").write_bytes(scan.getvalue())
        (folder / "分工_files" / "logo.png").write_bytes(logo.getvalue())
        path = folder / "分工.html"
        path.write_text(html.format(logo="分工_files/logo.png", scan="分工_files/scan1.jpg"), encoding="utf-8")
    else:
        folder.mkdir()
        path = folder / "分工.mht"
        page_html = html.format(logo="http://www.example.gov.cn/logo.png", scan="http://www.example.gov.cn/scan1.jpg")
        path.write_bytes(R.mhtml(page_html.encode("utf-8"), "utf-8", pictures={
            "http://www.example.gov.cn/scan1.jpg": ("image/jpeg", scan.getvalue()),
            "http://www.example.gov.cn/logo.png": ("image/png", logo.getvalue())}))
    rec = load_file(path, META)
    assert rec.document.ocr_confidence is not None
    text = {t.number: t for t in text_version.tasks}
    numbers = [t.number for t in rec.tasks]
    assert len(numbers) >= 15 and numbers == list(text)[:len(numbers)]
    want = {u for u in _units(text_version) if u[0] in numbers}
    assert len(want & _units(rec)) / len(want) >= 0.95
    assert len(numbers) < 30   # the one page, not the same page again from outside the folder


def test_webp_and_bmp_are_told_as_images_by_content():
    import io

    from PIL import Image

    from loaders.read import detect_format

    for kind in ("WEBP", "BMP"):
        buf = io.BytesIO()
        Image.new("RGB", (40, 20), "white").save(buf, format=kind)
        assert detect_format(buf.getvalue(), "scan.txt") == "image", kind
    assert detect_format("BM一、总体要求".encode(), "a.txt") == "text"   # two letters are no BMP


def test_image_ofd_goes_to_ocr(text_version, tmp_path):
    path = tmp_path / "001_scan.ofd"
    path.write_bytes(R.image_ofd(_pdf_table_bytes(), rotate=-0.5))
    rec = load_file(path, META)
    assert rec.document.format == "ofd"
    _check_scan(rec, text_version, 0.98)


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_of_a_table_page_mislabelled_txt(kind, text_version, tmp_path):
    """One page photographed as PNG, or saved from a page or a chat as WebP (and named .txt): its tasks are
    the text version's first ones."""
    import io

    path = tmp_path / "page1.txt"
    image = R.page_images(_pdf_table_bytes())[0]
    if kind == "PNG":
        path.write_bytes(R.png(image))
    else:
        buf = io.BytesIO()
        image.save(buf, format=kind, lossless=True)
        path.write_bytes(buf.getvalue())
    rec = load_file(path, META)
    assert rec.document.format == "image"
    text = {t.number: t for t in text_version.tasks}
    numbers = [t.number for t in rec.tasks]
    assert len(numbers) >= 15 and numbers == list(text)[:len(numbers)]
    want = {u for u in _units(text_version) if u[0] in numbers}
    assert len(want & _units(rec)) / len(want) >= 0.95


def test_scanned_narrative_of_five_pages_with_progress_and_cache(tmp_path, capfd):
    """Seed 004 (prose and a one-cell-per-line annex) scanned: same tasks and units; the second read
    comes from the OCR cache in the store's cache folder."""
    seed = "004_ff0872cb27d26d6e.txt"
    path = tmp_path / "004_scan.pdf"
    path.write_bytes(R.scanned_pdf(R.paragraph_pdf(_lines(seed)), rotate=-0.6))
    text = load_file(SEEDS / seed, NARRATIVES[seed])
    with cache.using(tmp_path / "store" / "cache"):
        rec = load_file(path, NARRATIVES[seed])
        progress = capfd.readouterr().err
        start = time.perf_counter()
        again = load_file(path, NARRATIVES[seed])
        cached_s = time.perf_counter() - start
    _check_scan(rec, text)
    assert re.search(r"^OCR .*004_scan\.pdf: page 5/5 \(\d+\.\d s\)$", progress, re.M), progress
    assert list((tmp_path / "store" / "cache" / "ocr").glob("*.json"))
    assert _signature(again) == _signature(rec) and cached_s < 2.0
    assert "OCR" not in capfd.readouterr().err


@needs_office
def test_build_without_libreoffice_names_the_doc_and_the_package_and_loads_the_rest(legacy_files, tmp_path):
    """Converter missing at run time: one line for the .doc, the other documents load."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "plan.doc").write_bytes(legacy_files["doc"])
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "CASCADE_SOFFICE"}
    env["PATH"] = str(Path(sys.executable).parent)   # the venv's tools only: no soffice
    r = subprocess.run([sys.executable, "-m", "cascade.cli", "build", str(folder)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    lines = [l for l in r.stderr.splitlines() if "plan.doc" in l]
    assert len(lines) == 1, r.stderr
    assert "LibreOffice" in lines[0] and "apt-get install libreoffice-writer-nogui" in lines[0], lines[0]
    assert "Built 1 documents" in r.stdout and "Traceback" not in r.stderr


@needs_office
def test_mislabelled_office_and_ofd_files_are_told_by_content(legacy_files, text_version, tmp_path):
    files = {"plan.xlsx": (legacy_files["doc"], "doc"), "plan.doc": (legacy_files["xls"], "xls"),
             "plan.pdf": (R.text_ofd(_pdf_table_bytes()), "ofd")}
    for name, (data, fmt) in files.items():
        assert detect_format(data, name) == fmt
        path = tmp_path / name
        path.write_bytes(data)
        rec = load_file(path, META)
        assert rec.document.format == fmt and _signature(rec) == _signature(text_version), name


@needs_office
def test_a_build_with_a_store_caches_the_conversion_in_the_stores_cache_folder(legacy_files, tmp_path):
    from cascade.pipeline import build

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "001.doc").write_bytes(legacy_files["doc"])
    (folder / "manifest.yaml").write_text("documents:\n  - file: 001.doc\n" + "".join(
        f"    {k}: {v}\n" for k, v in META.items()), encoding="utf-8")
    first = build([folder], store=tmp_path / "store")
    converted = list((tmp_path / "store" / "cache" / "convert").glob("*.docx"))
    assert len(converted) == 1 and len(first.records[0].tasks) == 33
    # No LibreOffice for the second build: the conversion comes from the cache.
    os.environ["CASCADE_SOFFICE"] = str(tmp_path / "no-such-soffice")
    try:
        second = build([folder], store=tmp_path / "store")
    finally:
        del os.environ["CASCADE_SOFFICE"]
    assert not second.skipped and _signature(second.records[0]) == _signature(first.records[0])


def _rezip(data: bytes, change) -> bytes:
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                z.writestr(info.filename, body)
    return out.getvalue()


@pytest.mark.parametrize("damage, message", [
    (lambda n, b: None if n.endswith("Document.xml") else b, "part Doc_0/Document.xml is missing"),
    (lambda n, b: b[: len(b) // 3] if n.endswith("Content.xml") else b, "damaged OFD"),
    (lambda n, b: b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>' if n == "OFD.xml" else b, "names no document"),
    (lambda n, b: b"\x00garbage" if n.endswith("Document.xml") else b, "damaged OFD"),
    (lambda n, b: b.replace(b"BaseLoc=", b"Base=") if n.endswith("Document.xml") else b, "no pages"),
])
def test_damaged_ofd_is_one_line_naming_the_problem(damage, message, tmp_path):
    from core.errors import LoadError

    path = tmp_path / "bad.ofd"
    path.write_bytes(_rezip(R.text_ofd(_pdf_table_bytes()), damage))
    with pytest.raises(LoadError) as err:
        load_file(path, META)
    assert re.search(message, str(err.value)) and "\n" not in str(err.value)


def test_pdf_with_a_scanned_page_among_text_pages(text_version, tmp_path):
    """Page 1 with its text layer, page 2 scanned into the file: both read, only page 2 by OCR."""
    import io

    import pypdf

    text_pdf = _pdf_table_bytes()
    scan = pypdf.PdfReader(io.BytesIO(R.scanned_pdf(text_pdf)))
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(io.BytesIO(text_pdf)).pages[0])
    writer.add_page(scan.pages[1])
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(buf.getvalue())
    rec = load_file(path, META)
    assert [t.number for t in rec.tasks] == [t.number for t in text_version.tasks]
    assert _recall(rec, text_version) >= 0.98
    assert re.search(r"^from a scan \(OCR\), confidence 0\.\d\d \(\d+ of \d+ lines\)", rec.document.warnings[-1])
    on_scan = [t for t in rec.tasks if t.ocr_confidence is not None]
    assert 0 < len(on_scan) < len(rec.tasks) and rec.tasks[0].ocr_confidence is None


@pytest.mark.parametrize("seed", sorted(NARRATIVES))
def test_text_pdf_of_a_narrative_over_pages_reads_like_its_text(seed, tmp_path):
    """A plan printed to PDF: lines wrapped at the margin and paragraphs cut by a page break are joined
    again, as for OFD (before, seed 002 as a PDF gave 79 tasks against its text's 71)."""
    path = tmp_path / f"{seed}.pdf"
    path.write_bytes(R.paragraph_pdf(_lines(seed)))
    rec, text = load_file(path, NARRATIVES[seed]), load_file(SEEDS / seed, NARRATIVES[seed])
    assert rec.document.format == "pdf"
    assert _signature(rec) == _signature(text)
    assert [s.path for s in rec.sections] == [s.path for s in text.sections]
