"""The signature (落款) at a document's end: who signed it and when. A name there is no responsible
unit of the text above it (:func:`loaders.structure.parse_structure` reads it as neither task nor unit)."""
from __future__ import annotations

import re

from .blocks import Block
from .signed import undated_signer
from .units import is_unit_name

__all__ = ["signature_lines"]

_SIGN_DATE = re.compile(r"^[\d〇零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月"
                        r"\s*[\d一二三四五六七八九十]{1,3}\s*日$")
_SIGNER = re.compile(r"^[\u4e00-\u9fff()]{4,30}$")


def signature_lines(blocks: list[Block], firsts: list[str]) -> set[int]:
    """Indices of the lines of a signature: the issuers' names, a line each, above the date they
    signed, both lines of their own; or, its date lost (a page's excerpt, a mirror that dropped it),
    one organ's full name alone on the text's last line after a closing sentence, where no line
    before names a unit alone (a table printed a cell a line would: its last line is a unit cell).

    >>> sorted(signature_lines([Block((s,), n) for n, s in enumerate(["1.做好公开。", "市政务公开办", "2020年9月17日"])],
    ...                        ["1.做好公开。", "市政务公开办", "2020年9月17日"]))
    [1, 2]
    >>> lines = ["(二)抓好落实。要做好监督检查工作。", "长春市住房保障和房地产管理局"]
    >>> sorted(signature_lines([Block((s,), n) for n, s in enumerate(lines)], lines))
    [1]
    >>> lines = ["1.做好预算公开。", "某市财政局", "2.做好规划公开。", "某市自然资源局"]
    >>> sorted(signature_lines([Block((s,), n) for n, s in enumerate(lines)], lines))
    []
    """
    out: set[int] = set()
    for i, s in enumerate(firsts):
        if blocks[i].row or not _SIGN_DATE.match(s):
            continue
        signers = []
        k = i - 1
        while k >= 0 and i - k <= 3 and not blocks[k].row and _SIGNER.match(firsts[k]) and is_unit_name(firsts[k]):
            signers.append(k)
            k -= 1
        if signers:
            out.update(signers)
            out.add(i)
    if not out and (last := undated_signer(firsts, [b.row for b in blocks])) is not None:
        out.add(last)
    return out
