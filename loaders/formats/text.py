"""Plain text (``.txt``, ``.md``, a retrieved page saved as text): one block per line, a line that
prints its own ``|`` between cells a table row."""
from __future__ import annotations

import re

from core.errors import LoadError

from ..blocks import Block, text_blocks
from ..charset import decode
from ..normalize import strip_mirror_debris

__all__ = ["read_text"]

_LOW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")   # below a space, but for \t \n \f \r


def read_text(data: bytes, name: str) -> list[Block]:
    """A text file's blocks.

    >>> [b.cells for b in read_text("一、总体要求\\n（一）加强领导".encode("gb18030"), "a.txt")]
    [('一、总体要求',), ('（一）加强领导',)]
    """
    text = decode(data, name)
    # (a stray NUL pasted into a plan is not binary: its controls become spaces in loaders.read)
    if text.count("\x00", 0, 4000) > 8 or len(_LOW_CONTROL.findall(text, 0, 4000)) > 40:
        raise LoadError(name, "binary file, not a document")
    # A mirror's copy keeps pieces of the page's HTML (…执行、/p>, ?ldquo;): no part of the text itself.
    return text_blocks(strip_mirror_debris(text))
