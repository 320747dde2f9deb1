"""Which pictures in a DOCX or a saved page are scanned pages, read by OCR where they stand
(loaders.ocr.is_page_image): page-sized, and paper with ink on it. A photograph of the meeting the plan
was decided at (people, a banner over the stage) is page-sized too, but is no page: its banner's words
would be glued to the plan's text.

The pictures are made here: a page rendered as a scanner or a phone camera gives it, and a
photograph-like scene (light and shade falling off as 1/f, as in natural images, with people and a
red banner whose characters OCR does read). Measured beside (not committed): 20 real photographs (a
circuit board, an astronaut, a cat, coffee, coins, a rocket, gravel, the moon…) are all refused, and two
photographs of printed text are taken."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

import renditions as R
from loaders import load_file
from loaders.ocr import is_page_image

PLAN = ["关于印发2022年某县政务公开工作要点的通知", "一、总体要求", "1.做好政策文件解读工作，县政务公开办牵头。",
        "2.推进政务公开平台建设，县政务服务数据管理局负责。"]
LAST = "3.加强政务公开培训，县政务公开办牵头，各乡镇配合。"


def meeting_photo(w: int = 1600, h: int = 1067, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    amp = 1 / np.maximum(np.hypot(np.fft.fftfreq(h)[:, None], np.fft.fftfreq(w)[None, :]), 1 / max(w, h))

    def field():   # amplitude falling as 1/f, random phase: the texture of a natural scene
        f = np.real(np.fft.ifft2(amp * np.exp(2j * np.pi * rng.random((h, w)))))
        return (f - f.mean()) / f.std()
    img = field()[..., None] * 40 + np.stack([field(), field(), field()], -1) * 12 + np.array([135, 120, 105])
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    for i in range(7):   # the people at the table: dark suits, faces
        x = 120 + i * 200
        d.ellipse([x, 600, x + 150, h], fill=(30 + 5 * i, 32, 40))
        d.ellipse([x + 40, 480, x + 110, 570], fill=(205, 160, 135))
    d.rectangle([100, 80, 1500, 260], fill=(190, 25, 30))   # the banner: white characters on red cloth
    words = R.page_images(R.paragraph_pdf(["政务公开工作推进会"], size=24), scale=2)[0].convert("L")
    words = words.crop(Image.eval(words, lambda v: 255 - v).getbbox())
    words = words.resize((1200, int(1200 * words.size[1] / words.size[0])))
    im.paste((250, 245, 235), (200, 170 - words.size[1] // 2), Image.eval(words, lambda v: 255 - v))
    return im.filter(ImageFilter.GaussianBlur(0.8))


def _page() -> Image.Image:
    lines = PLAN + [f"（{n}）做好政策文件解读工作，县政务公开办牵头，各乡镇人民政府配合，按季度报送落实情况。" * 2
                    for n in "一二三四五六七八"]
    return R.page_images(R.paragraph_pdf(lines))[0]


def _phone_photo(page: Image.Image) -> Image.Image:
    """The page photographed by a phone: light falling off across it, a warm tint, sensor noise."""
    a = np.asarray(page.convert("RGB"), dtype=np.float64)
    h, w = a.shape[:2]
    light = np.linspace(1.0, 0.55, w)[None, :, None] * np.linspace(1.0, 0.8, h)[:, None, None]
    noisy = a * light * np.array([1.0, 0.95, 0.85]) + np.random.default_rng(0).normal(0, 6, a.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1))


def _jpeg(im: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _sealed(page: Image.Image) -> Image.Image:
    """A 红头文件: a red masthead and rule, a red seal over the signature."""
    im = page.convert("RGB")
    d = ImageDraw.Draw(im)
    w, h = im.size
    d.rectangle([w * 0.1, h * 0.05, w * 0.9, h * 0.12], fill=(200, 20, 20))
    d.line([w * 0.1, h * 0.15, w * 0.9, h * 0.15], fill=(200, 20, 20), width=8)
    d.ellipse([w * 0.6, h * 0.7, w * 0.85, h * 0.7 + w * 0.25], outline=(220, 30, 30), width=14)
    return im


@pytest.mark.parametrize("form", ["rendered", "phone photo", "red masthead and seal", "grey JPEG scan"])
def test_a_page_of_text_is_a_page_in_any_of_the_forms_it_is_pictured_in(form):
    page = _page()
    if form == "phone photo":
        page = _phone_photo(page)
    elif form == "red masthead and seal":
        page = _sealed(page)
    elif form == "grey JPEG scan":
        a = np.asarray(page.convert("L"), dtype=np.float64) * 150 / 255
        page = Image.fromarray(np.clip(a + np.random.default_rng(1).normal(0, 12, a.shape), 0, 255).astype(np.uint8))
    assert is_page_image(_jpeg(page, 60 if form == "grey JPEG scan" else 85))


def test_a_page_drawn_on_a_transparent_background_is_a_page():
    ink = Image.eval(_page().convert("L"), lambda v: 255 - v)   # the text's ink as alpha, no paper behind
    page = Image.new("RGBA", ink.size, (0, 0, 0, 0))
    page.putalpha(ink)
    buf = io.BytesIO()
    page.save(buf, "PNG")
    assert is_page_image(buf.getvalue())


def test_a_photograph_is_no_page_however_large():
    assert not is_page_image(_jpeg(meeting_photo()))
    assert not is_page_image(_jpeg(Image.new("RGB", (1600, 1200), (128, 128, 128))))   # no ink: nothing to read
    assert not is_page_image(_jpeg(Image.new("RGB", (900, 400), "white")))   # (a banner's size: too small)


def test_a_meeting_photo_in_the_plans_docx_adds_no_text(tmp_path):
    """Before: its banner was OCR'd and glued to task 2 (…负责。政务公开工作推进会), with an OCR warning."""
    import docx

    def plan(picture: bool):
        d = docx.Document()
        for line in PLAN:
            d.add_paragraph(line)
        if picture:
            d.add_picture(io.BytesIO(_jpeg(meeting_photo(), 88)))
        d.add_paragraph(LAST)
        path = tmp_path / f"plan{int(picture)}.docx"
        d.save(path)
        return load_file(path)
    with_photo, without = plan(True), plan(False)
    assert [t.text for t in with_photo.tasks] == [t.text for t in without.tasks]
    assert with_photo.document.ocr_confidence is None and not with_photo.document.warnings
