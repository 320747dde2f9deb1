"""OFD (GB/T 33190, the national format of official electronic documents): a zip of XML parts.

``OFD.xml`` names each document's ``Document.xml``, which lists the pages; a page's ``Content.xml``
draws text (``TextObject``: a ``Boundary`` box, then ``TextCode`` runs placed at ``X``/``Y`` inside it,
each following character ``DeltaX`` further on), paths (table rulings) and images. Text pages are read
from these positions (:mod:`loaders.layout` rebuilds lines and table cells); a page that only holds an
image (a scan saved as OFD) goes to OCR (:mod:`loaders.ocr`).
"""
from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile

from core.errors import LoadError

from ..layout import Item, LayoutBlock, Segment, join_pages, margins, page_blocks
from ..ocr import blocks_of_pages, ocr_pages, rgb

__all__ = ["is_ofd", "read_ofd"]

MAX_PART = 64 * 1024 * 1024      # one XML part or image: more is a zip bomb, not a page
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def is_ofd(names: set[str]) -> bool:
    return any(n.lower() == "ofd.xml" for n in names)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Package:
    def __init__(self, data: bytes, name: str):
        self.name = name
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = {n.lstrip("/"): n for n in self.zip.namelist()}
        self.lower = {n.lower(): n for n in self.names}

    def read(self, path: str) -> bytes:
        path = posixpath.normpath(path.replace("\\", "/").lstrip("/"))
        real = self.names.get(path) or self.names.get(self.lower.get(path.lower(), ""))
        if real is None:
            raise LoadError(self.name, f"damaged OFD file (part {path} is missing)")
        info = self.zip.getinfo(real)
        if info.file_size > MAX_PART:
            raise LoadError(self.name, f"damaged OFD file (part {path} is {info.file_size // 2**20} MB)")
        return self.zip.read(real)

    def xml(self, path: str):
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(self.read(path), parser)
        if root is None:
            raise LoadError(self.name, f"damaged OFD file (part {path} is not XML)")
        return root


def _resolve(base_dir: str, loc: str) -> str:
    loc = (loc or "").strip().replace("\\", "/")
    return loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)


def _find(root, name: str):
    return [e for e in root.iter() if _local(e.tag) == name]


def _nums(text: str | None) -> list[float]:
    return [float(x) for x in _NUM.findall(text or "")]


def _deltas(spec: str | None) -> list[float]:
    """``DeltaX``/``DeltaY``: numbers, where ``g N v`` stands for N times v."""
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _ctm(el) -> tuple[float, ...]:
    v = _nums(el.get("CTM"))
    return tuple(v) if len(v) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _text_items(obj, ox: float, oy: float) -> list[Item]:
    """One TextObject's characters, each as an item (cells are cut between characters). Positions are
    the object's own (``X``/``Y`` the baseline, ``DeltaX``/``DeltaY`` the steps), mapped by its ``CTM``
    (converters write points scaled to millimetres that way) and placed at its ``Boundary``."""
    box = _nums(obj.get("Boundary"))
    if len(box) < 4:
        return []
    bx, by = box[0] + ox, box[1] + oy
    a, b, c, d, e, f = _ctm(obj)
    size = (_nums(obj.get("Size")) or [3.5])[0]
    scale = math.hypot(c, d) or 1.0      # how tall a glyph of ``size`` comes out
    items: list[Item] = []
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        if code.get("X") is not None:
            x = (_nums(code.get("X")) or [x])[0]
        if code.get("Y") is not None:
            y = (_nums(code.get("Y")) or [y])[0]
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for k, ch in enumerate(text):
            if k:
                x += dx[k - 1] if k - 1 < len(dx) else (dx[-1] if dx else size)
                y += dy[k - 1] if k - 1 < len(dy) else 0.0
            if ch.isspace():
                continue
            step = min(dx[k] if k < len(dx) else size, size)
            px, py = bx + a * x + c * y + e, by + b * x + d * y + f
            width = step * (math.hypot(a, b) or 1.0)
            items.append(Item(px, py - 0.85 * size * scale, px + width, py + 0.15 * size * scale, ch))
        if text:
            x += dx[len(text) - 1] if len(text) <= len(dx) else (dx[-1] if dx else size)
    return items


def _path_segments(obj, ox: float, oy: float) -> list[Segment]:
    """A PathObject's straight strokes (``M``/``L`` and closed boxes), in page coordinates."""
    box = _nums(obj.get("Boundary"))
    if len(box) < 4:
        return []
    bx, by = box[0] + ox, box[1] + oy
    data = next((e.text for e in obj if _local(e.tag) == "AbbreviatedData"), "") or ""
    tokens = re.findall(r"[A-Za-z]|" + _NUM.pattern, data)
    segs: list[Segment] = []
    cur = start = None
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("M", "L"):
            try:
                p = (float(tokens[i + 1]), float(tokens[i + 2]))
            except (ValueError, IndexError):
                break
            if t == "L" and cur is not None:
                segs.append(Segment(bx + cur[0], by + cur[1], bx + p[0], by + p[1]))
            else:
                start = p
            cur = p
            i += 3
        elif t in ("C", "B"):
            cur, i = None, i + 7
        elif t == "Q":
            cur, i = None, i + 5
        elif t == "A":
            cur, i = None, i + 8
        elif t in ("Z", "S"):
            if t == "Z" and cur is not None and start is not None and cur != start:
                segs.append(Segment(bx + cur[0], by + cur[1], bx + start[0], by + start[1]))
            cur = start
            i += 1
        else:
            i += 1
    # A filled thin box is a ruling too: keep only axis-aligned strokes (curves are seals and logos).
    return [s for s in segs if abs(s.x1 - s.x0) < 0.3 or abs(s.y1 - s.y0) < 0.3]


def _images(pkg: _Package, doc_dir: str, doc) -> dict[str, str]:
    """Resource ID → path of each image, from the document's and the public resources."""
    found: dict[str, str] = {}
    for tag in ("DocumentRes", "PublicRes"):
        for el in _find(doc, tag):
            path = _resolve(doc_dir, el.text)
            try:
                res = pkg.xml(path)
            except LoadError:
                continue
            base = _resolve(posixpath.dirname(path), res.get("BaseLoc") or "")
            for mm in _find(res, "MultiMedia"):
                media = next((e.text for e in mm if _local(e.tag) == "MediaFile"), None)
                if media:
                    found[mm.get("ID")] = _resolve(base, media)
    return found


def _walk(el, ox, oy, items, segs, images):
    for child in el:
        kind = _local(child.tag)
        if kind == "TextObject":
            items += _text_items(child, ox, oy)
        elif kind == "PathObject":
            segs += _path_segments(child, ox, oy)
        elif kind == "ImageObject":
            images.append(child.get("ResourceID"))
        elif kind == "CompositeObject":
            continue
        elif kind in ("Content", "Layer", "PageBlock"):
            _walk(child, ox, oy, items, segs, images)


def _page_width(doc, pages) -> float | None:
    """The widest page's PhysicalBox width (a page's own Area, else the document's PageArea), in mm."""
    widths = []
    for el in [doc, *pages]:
        for box in _find(el, "PhysicalBox"):
            try:
                widths.append(float((box.text or "").split()[2]))
            except (IndexError, ValueError):
                continue
    return max(widths, default=None)


def read_ofd(data: bytes, name: str) -> list[LayoutBlock]:
    """The blocks of an OFD: its drawn text, or OCR's reading of its pages when they hold only images."""
    try:
        pkg = _Package(data, name)
    except zipfile.BadZipFile as err:
        raise LoadError(name, "damaged OFD file (bad zip archive)") from err
    root = pkg.xml(pkg.lower.get("ofd.xml", "OFD.xml"))
    doc_root = next((e.text for e in _find(root, "DocRoot") if e.text), None)
    if not doc_root:
        raise LoadError(name, "damaged OFD file (OFD.xml names no document)")
    doc_path = _resolve("", doc_root)
    doc_dir = posixpath.dirname(doc_path)
    doc = pkg.xml(doc_path)
    pages = [p.get("BaseLoc") for p in _find(doc, "Page") if p.get("BaseLoc")]
    if not pages:
        raise LoadError(name, "OFD file with no pages")
    text_pages, image_pages, page_xml = [], [], []
    for loc in pages:
        page = pkg.xml(_resolve(doc_dir, loc))
        page_xml.append(page)
        items: list[Item] = []
        segs: list[Segment] = []
        images: list[str] = []
        _walk(page, 0.0, 0.0, items, segs, images)
        text_pages.append((items, segs))
        image_pages.append(images)
    if sum(len(i) for i, _ in text_pages) >= 10 * len(pages) or not any(image_pages):
        # mm: rulings a millimetre apart meet
        edges = margins([items for items, _ in text_pages], _page_width(doc, page_xml))
        blocks = join_pages([page_blocks(items, segs, tol=1.0, edges=edges) for items, segs in text_pages])
        for n, b in enumerate(blocks, 1):
            b.line = n
        return blocks
    # A scan saved as OFD: each page's largest image, OCR'd.
    media = _images(pkg, doc_dir, doc)

    def size(p: str) -> int:
        real = pkg.names.get(posixpath.normpath(p.lstrip("/")))
        return pkg.zip.getinfo(real).file_size if real else -1

    # Each page's largest image is its scan (a smaller one is a stamp or a logo).
    paths = [max(known, key=size) for known in ([media[i] for i in ids if i in media] for ids in image_pages) if known]
    if not paths:
        raise LoadError(name, "OFD pages hold images whose files are missing")

    def frames():
        from PIL import Image, UnidentifiedImageError

        for p in paths:
            try:
                yield rgb(Image.open(io.BytesIO(pkg.read(p))))
            except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
                raise LoadError(name, f"OFD page image {p} cannot be read ({type(err).__name__})") from err
    return blocks_of_pages(ocr_pages(data, frames, len(paths), name, "ofd"), name)
