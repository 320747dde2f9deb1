"""Images (PNG, JPEG, TIFF, WebP, BMP; a multi-page TIFF is a scan of several pages): every page read by OCR
(:mod:`loaders.ocr`)."""
from __future__ import annotations

import io

from core.errors import LoadError

from ..layout import LayoutBlock
from ..ocr import blocks_of_pages, ocr_pages, rgb

__all__ = ["read_image"]


def read_image(data: bytes, name: str) -> list[LayoutBlock]:
    """An image file's blocks, every page OCR'd (cached by the file's hash)."""
    frames, count = image_frames(data, name)
    return blocks_of_pages(ocr_pages(data, frames, count, name, "image"), name)


def image_frames(data: bytes, name: str):
    """The pages of an image file (a multi-page TIFF has several) and their count."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        im = Image.open(io.BytesIO(data))
        count = getattr(im, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
        raise LoadError(name, f"damaged or unsupported image ({type(err).__name__})") from err

    def frames():
        try:
            for frame in ImageSequence.Iterator(im):
                yield rgb(frame)
        except (OSError, Image.DecompressionBombError) as err:
            raise LoadError(name, f"damaged image ({type(err).__name__}: {err})") from err
    return frames, count
