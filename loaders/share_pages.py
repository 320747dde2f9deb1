"""A document-sharing site's page (《…docx》由会员分享,可在线阅读…): the site cuts the document into page
chunks and numbers them 1、 2、 3、, each chunk cut wherever the page ended, mid-word (…工作要求,做 / 2、好重点
领域…). Those numbers are no list of the document's: the chunks join into one text again.
"""
from __future__ import annotations

import re

from .blocks import Block
from .units import looks_like_units

__all__ = ["join_share_chunks", "drop_site_lines"]

# What the site prints above the text: the file's name and its sharing line.
_SHARE_PAGE = re.compile(r"由会员分享|可在线阅读|珍藏版|请在.{1,8}文库.{0,4}搜索|文档编号[:：]")
_TERMINAL = "。;；!！?？:：”)）"
_MIN_CHUNK = 60   # a chunk is a page of text: a 2、 closer to the 1、 before it is the document's own


def join_share_chunks(blocks: list[Block]) -> list[Block]:
    """The blocks of a sharing page with its chunk numbers taken out and the chunks a number cut
    mid-sentence joined again; any other document's blocks as they are.

    >>> bs = [Block(("某镇要点.docx由会员分享,可在线阅读",), 1), Block(("1、某镇2024年政务公开工作要点。一、要求(一)做" + "好" * 60,), 2),
    ...       Block(("2、好重点领域信息公开。",), 3)]
    >>> got = join_share_chunks(bs)
    >>> len(got), got[1].cells[0].startswith("某镇2024年"), got[1].cells[0].endswith("好好重点领域信息公开。")
    (2, True, True)
    """
    if not any(len(b.cells) == 1 and _SHARE_PAGE.search(b.cells[0]) for b in blocks[:6]) and not _unsigned_chunks(blocks):
        return blocks
    out: list[Block] = []
    expect, since = 1, 0   # the next chunk number, characters since the last one
    for b in blocks:
        if b.row or len(b.cells) != 1:
            out.append(b)
            continue
        s, pieces, at = b.cells[0], [], 0
        while True:
            i = _find_marker(s, expect, at, since)
            if i < 0:
                break
            pieces.append(s[at:i])
            since, at, expect = 0, i + len(f"{expect}、"), expect + 1
        pieces.append(s[at:])
        since += len(s) - at
        joined = "".join(pieces)
        if pieces[0] == "" and len(pieces) > 1 and expect > 2 and out and not out[-1].row \
                and len(out[-1].cells) == 1 and out[-1].cells[0].rstrip()[-1:] not in _TERMINAL:
            # the line opens a chunk that goes on with the sentence the chunk before cut
            out[-1] = Block((out[-1].cells[0].rstrip() + joined.lstrip(),), out[-1].line)
        elif joined.strip():
            out.append(Block((joined,), b.line))
    return out


def _find_marker(s: str, k: int, at: int, since: int) -> int:
    """Where chunk ``k``'s number stands in ``s`` from ``at`` (not a digit's tail, a page's length
    after the chunk before), else -1."""
    mark = f"{k}、"
    i = s.find(mark, at)
    while i >= 0:
        before = since + (i - at)
        if (i == 0 or not s[i - 1].isdigit()) and (k == 1 or before >= _MIN_CHUNK):
            return i
        i = s.find(mark, i + 1)
    return -1


def _unsigned_chunks(blocks: list[Block]) -> bool:
    """Whether the text is a sharing page's chunks whose site line was not kept: it opens with ``1、``,
    its numbers 2、 3、 … follow in order each a page's length after the one before, and one of them
    cuts a sentence (…决策部署贯 / 3、彻落实…: no stop before it). A document's own list of 1、 2、
    items, each closed by its stop, is none."""
    texts = [b.cells[0] for b in blocks if not b.row and len(b.cells) == 1 and b.cells[0].strip()]
    if not texts or not texts[0].lstrip().startswith("1、"):
        return False
    s = "\n".join(texts)
    at, k, cut = s.index("1、") + 2, 2, False
    while (i := s.find(f"{k}、", at)) >= 0:
        if i - at < _PAGE or s[i - 1].isdigit():
            return False
        before = s[:i].rstrip()[-1:]
        # (a row's unit cell, …做好公开。县财政局 / 2、…, ends no sentence and cuts none)
        tail = re.split(r"[。;；!！?？,，\s]", s[max(at, i - 40):i].rstrip())[-1]
        cut = cut or (before not in _TERMINAL and "\u4e00" <= before <= "\u9fff" and not looks_like_units(tail))
        at, k = i + len(f"{k}、"), k + 1
    return k > 2 and cut


_PAGE = 200   # the characters of a sharing site's page chunk, at the least (this site's: about 300)


# What a sharing site prints about itself above the text: its terms (文档一经付费…, 本站不退款…, VIP文档…,
# numbered 1、 2、 as a plan numbers its tasks), its viewer's page captions (…实施方案_第1页) and counters
# (已阅读5页,还剩6页未读), its buttons (下载本文档, 上传文档, 文档简介, 查看更多): the site's words, none of the document's.
_SITE_LINE = re.compile(r"本站|VIP|文档一经付费|下载本文档|上传文档|版权申诉|版权说明[:：]|举报电话|已阅读\d+页|继续免费阅读|"
                        r"文档贡献者|_第\d+页$|^\s*(?:文档简介|查看更多)\s*$")
_SITE_HEAD = 20   # the page's head: where the site prints them, before the document starts
_SITE_LEN = 160   # a site's line at the most (its longest term, about 90 characters)


def drop_site_lines(blocks: list[Block]) -> list[Block]:
    """The blocks without the lines a sharing site prints about itself in the page's head (two at
    least: one such word alone may be the document's); the same list when there are none.

    >>> bs = [Block(("1、本站文档一经付费不退款。",), 1), Block(("2、该文档为VIP文档。",), 2), Block(("1.做好公开。",), 3)]
    >>> [b.cells[0] for b in drop_site_lines(bs)]
    ['1.做好公开。']
    """
    site = {i for i, b in enumerate(blocks[:_SITE_HEAD])   # (a long block is the document's text the site line ran into)
            if not b.row and len(b.cells) == 1 and len(b.cells[0]) <= _SITE_LEN and _SITE_LINE.search(b.cells[0])}
    return [b for i, b in enumerate(blocks) if i not in site] if len(site) >= 2 else blocks
