"""OCR of scanned pages (image PDFs, image OFDs, PNG/JPEG/TIFF), on the CPU, with the Chinese PP-OCR
models that the ``rapidocr-onnxruntime`` wheel carries (nothing is downloaded at run time). The readers
of those formats (:mod:`loaders.formats`) hand this module their page images.

A page image (a PDF page rasterised by pypdfium2, an OFD's scan, an image file's frame) is deskewed
(the median slope of the text boxes, when it is small), its table rulings found (OpenCV: long thin
strokes, horizontal and vertical), and its text boxes turned into lines and table rows by
:mod:`loaders.layout`: a table scan gives the rows, cells and merged cells of its DOCX. Every block
keeps the lowest confidence of its text. The OCR of a file is cached by the hash of its bytes
(:mod:`loaders.cache`), so a rebuild does not OCR it again.
"""
from __future__ import annotations

import json
import math
import sys
import time
from statistics import median

from core.errors import LoadError

from . import cache
from .layout import Item, LayoutBlock, Segment, join_pages, margins, page_blocks
from .ocr_words import glossed, mended

__all__ = ["ocr_pages", "blocks_of_pages", "page_lists", "rgb", "is_page_image", "pasted_pages", "INSTALL_HINT",
           "MAX_SIDE"]

OCR_VERSION = "1"            # bump when what is cached for a page changes
MAX_SIDE = 2000              # px: an A4 page at 170 dpi (10-point characters ~24 px high). A 300-dpi scan is
                             # shrunk to it: no worse read, detection 2x faster; 144 dpi lost whole lines
MAX_PAGES = 200
INSTALL_HINT = "pip install rapidocr-onnxruntime"
_ENGINE = None


def _engine(name: str):
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as err:
            raise LoadError(name, f"scanned pages need OCR, which is not installed: {INSTALL_HINT}") from err
        _ENGINE = RapidOCR()
    return _ENGINE


def _model_tag() -> str:
    try:
        from importlib.metadata import version

        return "rapidocr-" + version("rapidocr-onnxruntime")
    except Exception:  # no metadata (a vendored copy): the cache key still holds the code version
        return "rapidocr"


def _skew(quads) -> float:
    """The page's rotation in degrees, from the top edges of the long text boxes."""
    angles = []
    for quad in quads:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        if x1 - x0 > 4 * math.dist(quad[0], quad[3]):
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    return median(angles) if len(angles) >= 3 else 0.0


def _rulings(gray) -> list[list[float]]:
    """Table rulings: long thin dark strokes, horizontal and vertical, as segments."""
    import cv2

    bw = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    h, w = bw.shape
    out = []
    for kernel, horizontal in (((max(40, w // 30), 1), True), ((1, max(25, h // 60)), False)):
        mask = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        for x, y, ww, hh, _area in stats[1:n].tolist():
            if horizontal and ww > 8 * hh:
                out.append([x, y + hh / 2, x + ww, y + hh / 2, hh])
            elif not horizontal and hh > 8 * ww:
                out.append([x + ww / 2, y, x + ww / 2, y + hh, ww])
    return out


def _ocr_image(img, name: str) -> dict:
    """One page image (RGB array) → its text boxes, rulings and skew, as cached."""
    import cv2
    import numpy as np

    h, w = img.shape[:2]
    if max(h, w) > MAX_SIDE:
        f = MAX_SIDE / max(h, w)
        img = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]
    boxes, _ = _engine(name)(img, use_cls=False)   # scans are upright: no 180-degree classifier
    boxes = boxes or []
    quads = [np.array(b[0], dtype=float) for b in boxes]
    angle = _skew(quads)
    if abs(angle) >= 0.2:
        # Straighten the page and its boxes alike: the rulings are then found as straight lines, and the
        # boxes of one line share a height again.
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        quads = [q @ m[:, :2].T + m[:, 2] for q in quads]
    rulings = _rulings(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY))
    items = [[float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()),
              str(b[1]), round(float(b[2]), 4)] for q, b in zip(quads, boxes)]
    return {"w": w, "h": h, "angle": round(angle, 3), "items": items, "rulings": [r[:4] for r in rulings]}


def ocr_pages(data: bytes, images, count: int, name: str, kind: str) -> list[dict]:
    """OCR every page image that ``images()`` yields (RGB arrays), with a progress line per page for a
    scan of several pages; the result cached by the hash of the file's bytes."""
    key = cache.key(data, kind, OCR_VERSION, _model_tag())
    hit = cache.read("ocr", key + ".json")
    if hit is not None:
        try:
            return json.loads(hit)
        except ValueError:
            pass
    if count > MAX_PAGES:
        raise LoadError(name, f"scan of {count} pages (more than {MAX_PAGES}): not a work plan?")
    pages = []
    start = time.perf_counter()
    for i, img in enumerate(images(), 1):
        pages.append(_ocr_image(img, name))
        if count > 1:
            print(f"OCR {name}: page {i}/{count} ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
    cache.write("ocr", key + ".json", json.dumps(pages, ensure_ascii=False).encode())
    return pages


def page_lists(pages: list[dict]) -> list[list[LayoutBlock]]:
    """The OCR'd pages (:func:`ocr_pages`) as blocks, page by page, each marked as OCR'd."""
    # (each box's text with 门 back where OCR read 内 in a unit or label word: 各部内, 责任部內)
    items = [[Item(*it[:4], mended(it[4], g), *it[5:]) for it in page["items"]]
             for page in pages for g in [glossed([it[4] for it in page["items"]])]]
    edges = margins(items, max((page.get("w") or 0 for page in pages), default=None))
    per_page: list[list[LayoutBlock]] = []
    for page, its in zip(pages, items):
        heights = sorted(i.y1 - i.y0 for i in its)
        tol = max(3.0, (heights[len(heights) // 2] if heights else 20) * 0.3)
        blocks = page_blocks(its, [Segment(*s) for s in page["rulings"]], tol=tol, edges=edges)
        for b in blocks:
            b.ocr = True
        per_page.append(blocks)
    return per_page


def lost_row_numbers(blocks: list) -> list:
    """``blocks`` with the 序号 OCR missed put back: a lone small digit in a cell of its own is under the
    detector's size, so a table row reads with its number cell empty. A row of cells whose number cell is
    empty is row 1 when the next row is 2 and none numbered comes before it, and row n+1 between rows n
    and n+2 (a row merged with the one above continues it: the next row then is n+1, and it stays as read).

    >>> from .blocks import Block
    >>> rows = [Block(("序号", "事项", "主体"), 1, row=True), Block(("", "政府文件", "镇人民政府"), 2, row=True),
    ...         Block(("2", "概况信息", "镇人民政府"), 3, row=True), Block(("", "工作报告", "镇人民政府"), 4, row=True),
    ...         Block(("4", "预算", "镇人民政府"), 5, row=True), Block(("", "", "镇财政所"), 6, row=True)]
    >>> [b.cells[0] for b in lost_row_numbers(rows)]
    ['序号', '1', '2', '3', '4', '']
    """
    def number(b):
        return int(b.cells[0]) if b.row and b.cells and b.cells[0].strip().isdigit() else None

    seen = None
    for i, b in enumerate(blocks):
        if number(b) is not None:
            seen = number(b)
            continue
        if not (b.row and len(b.cells) >= 3 and not b.cells[0].strip()
                and sum(1 for c in b.cells[1:] if c.strip()) >= 2 and i + 1 < len(blocks)):
            if not b.row:
                seen = None
            continue
        after = number(blocks[i + 1])
        if after is not None and after == (seen or 0) + 2 and len(blocks[i + 1].cells) == len(b.cells):
            b.cells = (str(after - 1),) + tuple(b.cells[1:])
            seen = after - 1
    return blocks


def blocks_of_pages(pages: list[dict], name: str) -> list[LayoutBlock]:
    """The OCR'd pages as blocks, each marked as OCR'd (with its confidence)."""
    blocks = lost_row_numbers(join_pages(page_lists(pages)))
    if not blocks:
        raise LoadError(name, f"scan of {len(pages)} page(s) where OCR found no text")
    for n, b in enumerate(blocks, 1):
        b.line = n
    return blocks


def rgb(pil):
    """A PIL image as the RGB array OCR takes."""
    import numpy as np

    if pil.mode != "RGB":
        pil = pil.convert("RGB")
    return np.asarray(pil)


# A picture of at least this size (pixels) in a document or a page may be a scanned page (the signed plan, a
# 分工表 scanned into a Word file or posted as pictures): read by OCR where it stands. Smaller ones are
# logos, icons and seals.
_PAGE_SIDE, _PAGE_OTHER_SIDE = 1000, 500
# ... and it is one when it looks like paper with ink on it (see _paper_with_ink); a photograph (a meeting,
# its banner) does not, and its OCR would be noise among the plan's lines.
_PAPER, _MID_MAX, _INK_MIN, _LIGHT = 0.75, 0.2, 0.005, 128


def is_page_image(blob: bytes) -> bool:
    """Whether an image file's bytes are a scanned page's picture: page-sized (see above) and paper with
    ink on it (:func:`_paper_with_ink`)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        im = Image.open(io.BytesIO(blob))
        w, h = im.size
        if max(w, h) < _PAGE_SIDE or min(w, h) < _PAGE_OTHER_SIDE:
            return False
        im.draft("L", (1000, 1000))   # a large JPEG decoded smaller: the test looks at 1000 px at most
        return _paper_with_ink(im)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return False


def _paper_with_ink(im) -> bool:
    """A page of text is paper and ink: against the paper around it (the brightest level within ~50 px,
    so a page photographed under uneven light is judged part by part), nearly every pixel is paper
    (>= 80% of it) or ink (<= 45%), few are between, and the paper is light. A photograph is mostly
    tones between: skin, cloth, shadows, a banner's cloth. Measured (tests/test_formats_pictures.py, and
    20 real photographs: a circuit board, an astronaut, a cat, coffee, coins, a rocket, gravel…):
    rendered, scanned (JPEG, grey or yellowed paper, sensor noise) and phone-photographed pages have
    paper >= 0.85 and tones between <= 0.10; the photographs paper <= 0.60 with tones between >= 0.23, or,
    where flat (a wall, the moon), no ink or a dark paper (which OCR would find empty anyway)."""
    import numpy as np
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:   # on white, as a reader sees it
        im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
    g = im.convert("L")
    g.thumbnail((1000, 1000))
    a = np.asarray(g, dtype=np.float32)
    block = 16
    hb, wb = a.shape[0] // block, a.shape[1] // block
    if hb < 3 or wb < 3:
        return False
    a = a[:hb * block, :wb * block]
    tops = a.reshape(hb, block, wb, block).max(axis=(1, 3))
    pad = np.pad(tops, 1, mode="edge")   # a block inside a large character takes its neighbours' paper
    paper = np.max([pad[i:i + hb, j:j + wb] for i in range(3) for j in range(3)], axis=0)
    level = a / np.maximum(np.repeat(np.repeat(paper, block, 0), block, 1), 1)
    on_paper, ink = float((level >= 0.8).mean()), float((level <= 0.45).mean())
    between = 1 - on_paper - ink
    return (on_paper >= _PAPER and between <= _MID_MAX and ink >= _INK_MIN
            and float(np.median(paper)) >= _LIGHT)


def pasted_pages(images: list[bytes], name: str, kind: str) -> list[LayoutBlock]:
    """Scanned pages placed one after the other in a document or a page, read as a scan of that many pages
    is (a paragraph going on over the next); none for pictures where OCR finds no text (photographs)."""
    import io

    from PIL import Image

    def frames():
        for blob in images:
            yield rgb(Image.open(io.BytesIO(blob)))
    try:
        return blocks_of_pages(ocr_pages(b"".join(images), frames, len(images), name, kind), name)
    except LoadError as err:
        if "OCR found no text" in err.problem:
            return []
        raise
