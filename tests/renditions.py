"""Render a document into the forms offices send, with real tools: LibreOffice for ``.doc``/``.wps``/
``.xls``/``.et``, an OFD writer that places each character as OFD text (from a PDF's text layer, as
an OFD printer driver does), and a rasteriser (pdfium) for scans: image PDFs, image OFDs, PNGs.
Helpers of the format tests and the OCR benchmark; nothing here is committed as a file.
"""
from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from loaders.formats.legacy import soffice

PT = 25.4 / 72   # OFD's unit is the millimetre


def _soffice(src: Path, filt: str, out: Path, profile: Path) -> Path:
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", filt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{filt.split(':')[0]}"


def legacy(data: bytes, src_ext: str, target: str) -> bytes:
    """DOCX → Word 97 (``doc``), XLSX → Excel 97 (``xls``), by LibreOffice. Through its own format
    first, as a document edited and saved again is: LibreOffice 7.4 drops python-docx's tables when it
    writes a DOCX straight to Word 97."""
    filt = {"doc": "doc:MS Word 97", "xls": "xls:MS Excel 97"}[target]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in.{src_ext}"
        src.write_bytes(data)
        profile = Path(tmp) / "p"
        mid = _soffice(src, "odt" if target == "doc" else "ods", Path(tmp) / "mid", profile)
        return _soffice(mid, filt, Path(tmp) / "out", profile).read_bytes()


def _ofd_package(pages: list[str], res: dict[str, bytes], size: tuple[float, float]) -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
                              '<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
                              '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        page_refs = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        z.writestr("Doc_0/Document.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>9999'
                   f'</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {size[0]:.2f} {size[1]:.2f}</ofd:PhysicalBox>'
                   '</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml'
                   f'</ofd:DocumentRes></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/PublicRes.xml", f'<ofd:Res {ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" '
                                          'FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        media = "".join(f'<ofd:MultiMedia ID="{rid}" Type="Image" Format="PNG"><ofd:MediaFile>{rid}.png'
                        '</ofd:MediaFile></ofd:MultiMedia>' for rid in res)
        z.writestr("Doc_0/DocumentRes.xml", f'<ofd:Res {ns} BaseLoc="Res"><ofd:MultiMedias>{media}'
                                            '</ofd:MultiMedias></ofd:Res>')
        for rid, png in res.items():
            z.writestr(f"Doc_0/Res/{rid}.png", png)
        for i, body in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>'
                       f'<ofd:Layer ID="{10 + i}">{body}</ofd:Layer></ofd:Content></ofd:Page>')
    return buf.getvalue()


def _deltas(xs: list[float], unit: float = PT) -> str:
    """DeltaX with OFD's ``g N v`` run-length form for repeated steps, as writers emit it."""
    steps = [round((b - a) * unit, 3) for a, b in zip(xs, xs[1:])]
    out, i = [], 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        out.append(f"g {j - i} {steps[i]}" if j - i > 2 else " ".join([str(steps[i])] * (j - i)))
        i = j
    return " ".join(out)


def text_ofd(pdf: bytes, ctm: bool = False) -> bytes:
    """A PDF with a text layer → an OFD with the same text at the same places (one TextObject per run
    of characters on a line) and its rulings as PathObjects. ``ctm``: the text in points, scaled to
    millimetres by each TextObject's CTM, as some converters write it."""
    import pdfplumber

    pages, size = [], (210.0, 297.0)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            size = (float(page.width) * PT, float(page.height) * PT)
            objs, oid = [], 1000 * (len(pages) + 1)
            runs: list[list[dict]] = []
            for ch in sorted(page.chars, key=lambda c: (round(c["top"], 1), c["x0"])):
                last = runs[-1][-1] if runs else None
                if last and abs(last["top"] - ch["top"]) < 0.5 and 0 <= ch["x0"] - last["x1"] < 1.0:
                    runs[-1].append(ch)
                else:
                    runs.append([ch])
            for run in runs:
                oid += 1
                x0, top = run[0]["x0"] * PT, run[0]["top"] * PT
                fs = run[0]["size"] * PT
                x1 = run[-1]["x1"] * PT
                text = escape("".join(c["text"] for c in run))
                u = 1.0 if ctm else PT   # the unit inside the object: points under a CTM, else mm
                fsize = run[0]["size"] * u
                objs.append(f'<ofd:TextObject ID="{oid}" Boundary="{x0:.3f} {top:.3f} {x1 - x0 + fs:.3f} {fs * 1.2:.3f}" '
                            + (f'CTM="{PT:.5f} 0 0 {PT:.5f} 0 0" ' if ctm else "")
                            + f'Font="2" Size="{fsize:.3f}"><ofd:TextCode X="0" Y="{fsize:.3f}" '
                            f'DeltaX="{_deltas([c["x0"] for c in run], u)}">{text}</ofd:TextCode></ofd:TextObject>')
            for e in page.edges:
                oid += 1
                x0, y0, x1, y1 = e["x0"] * PT, e["top"] * PT, e["x1"] * PT, e["bottom"] * PT
                objs.append(f'<ofd:PathObject ID="{oid}" Boundary="{x0:.3f} {y0:.3f} {x1 - x0 + 0.2:.3f} '
                            f'{y1 - y0 + 0.2:.3f}" LineWidth="0.18"><ofd:AbbreviatedData>M 0 0 L {x1 - x0:.3f} '
                            f'{y1 - y0:.3f}</ofd:AbbreviatedData></ofd:PathObject>')
            pages.append("".join(objs))
    return _ofd_package(pages, {}, size)


def page_images(pdf: bytes, scale: float = 300 / 72, rotate: float = 0.0):
    """Each page as a scanner gives it: greyscale at 300 dpi, slightly rotated when asked."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    out = []
    for i in range(len(doc)):
        img = doc[i].render(scale=scale).to_pil().convert("L")
        if rotate:
            img = img.rotate(rotate, fillcolor=255, expand=False)
        out.append(img)
    doc.close()
    return out


def png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def image_ofd(pdf: bytes, rotate: float = 0.0) -> bytes:
    """A scan saved as OFD: each page one image (the form a 扫描件 takes in OFD)."""
    imgs = page_images(pdf, rotate=rotate)
    res = {str(500 + i): png(im) for i, im in enumerate(imgs)}
    pages = [f'<ofd:ImageObject ID="{600 + i}" ResourceID="{500 + i}" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>'
             for i in range(len(imgs))]
    return _ofd_package(pages, res, (210.0, 297.0))


def scanned_pdf(pdf: bytes, rotate: float = 0.0) -> bytes:
    """An image-only PDF of the pages (no text layer), as a scanner's PDF is."""
    imgs = page_images(pdf, rotate=rotate)
    buf = io.BytesIO()
    imgs[0].save(buf, format="PDF", save_all=True, append_images=imgs[1:], resolution=300)
    return buf.getvalue()


def office_save_as(data: bytes, src_ext: str, target: str) -> bytes:
    """A document saved by LibreOffice in another format (``rtf``, ``odt``, ``ods``), as an office that
    edits in WPS or LibreOffice sends it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in.{src_ext}"
        src.write_bytes(data)
        return _soffice(src, target, Path(tmp) / "out", Path(tmp) / "p").read_bytes()


def mhtml(html: bytes, charset: str, transfer: str = "quoted-printable", frames: bool = False,
          pictures: dict[str, tuple[str, bytes]] | None = None) -> bytes:
    """A page saved as one file (.mht/.mhtml), as a browser writes it: a MIME message whose first part is
    the page in ``transfer`` encoding (quoted-printable, as Chrome; base64, as IE and Word), an image
    beside it, and with ``frames`` a navigation frame of its own before the article."""
    import base64
    import quopri

    def part(body: bytes, kind: str, where: str) -> bytes:
        how = transfer if kind.startswith("text/") else "base64"   # (a browser writes pictures in base64)
        coded = quopri.encodestring(body) if how == "quoted-printable" else base64.encodebytes(body)
        return (f"------MultipartBoundary--x----\r\nContent-Type: {kind}\r\nContent-Transfer-Encoding: {how}"
                f"\r\nContent-Location: {where}\r\n\r\n").encode() + coded + b"\r\n"

    nav = "<html><body><a href='/'>首页</a> <a href='/zwgk'>政务公开</a></body></html>".encode(charset)
    return (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/zwgk/t1.html\r\n"
            b"Subject: =?utf-8?Q?page?=\r\nDate: Mon, 7 Dec 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--x----"\r\n\r\n'
            + (part(nav, f"text/html; charset={charset}", "http://www.example.gov.cn/nav.html") if frames else b"")
            + part(html, f"text/html; charset={charset}", "http://www.example.gov.cn/zwgk/t1.html")
            + b"".join(part(body, kind, where) for where, (kind, body) in (pictures or {
                "http://www.example.gov.cn/logo.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(200))}).items())
            + b"------MultipartBoundary--x------\r\n")


def paragraph_docx(lines: list[str]) -> bytes:
    """One Word paragraph per line, as an office types a plan."""
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def paragraph_pdf(lines: list[str], size: float = 12) -> bytes:
    """Paragraphs as a word processor prints them: a CJK font, lines wrapped at the margin, first-line
    indent, over as many A4 pages as it takes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("p", fontName="STSong-Light", fontSize=size, leading=size * 1.6, wordWrap="CJK",
                           firstLineIndent=2 * size)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(line), style) for line in lines])
    return buf.getvalue()


def pipe_table_pdf(lines: list[str], size: float = 9) -> bytes:
    """A pipe table (``a | b | c |`` lines, as the seeds and corpus keep them) printed as a ruled
    table: each row's cells in its columns (a heading row of one cell spans the table), the other
    lines as paragraphs above it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("c", fontName="STSong-Light", fontSize=size, leading=size * 1.3, wordWrap="CJK")
    rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in lines if "|" in l]
    rows = [[c for c in r if c] for r in rows]
    width = max(len(r) for r in rows)
    data, spans = [], []
    for i, r in enumerate(rows):
        data.append([Paragraph(escape(c), style) for c in r] + [""] * (width - len(r)))
        if len(r) == 1:
            spans.append(("SPAN", (0, i), (-1, i)))
    head = [Paragraph(escape(l.strip()), style) for l in lines if "|" not in l and l.strip() and "[GAP]" not in l]
    table = Table(data, colWidths=[(A4[0] - 144) / width] * width, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([*head, table])
    return buf.getvalue()


def scan_read_as(lines: list[str], folder: Path, monkeypatch):
    """The records of a scanned page whose OCR read ``lines``, one box a line (the engine itself is not
    run: its reading is given), loaded as a PNG is."""
    from PIL import Image

    import loaders.formats.image as image
    from loaders import load_file

    page = {"w": 1000, "h": 1400, "angle": 0, "rulings": [],
            "items": [[100, 100 + 40 * i, 100 + 28 * len(t), 130 + 40 * i, t, 0.95] for i, t in enumerate(lines)]}
    monkeypatch.setattr(image, "ocr_pages", lambda *a, **k: [page])
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buf, format="PNG")
    (folder / "scan.png").write_bytes(buf.getvalue())
    return load_file(folder / "scan.png")
