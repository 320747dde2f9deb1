"""Who signs a document and when, as its metadata reads them (normalized lines in): the date of the
signature (落款), the office names the document signs with, and an issuer's name completed from them.
(:mod:`loaders.signature` marks the same lines so that the structure reads them as no unit.)"""
from __future__ import annotations

import re

from .broken_heads import garbled_date
from .normalize import PAGE_END
from .places import leading_place, trailing_place
from .units import is_unit_name

__all__ = ["SIGN_DATE", "SIGNER", "sign_date", "signers", "signed_end", "placed", "issuer_line", "undated_signer"]

SIGN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$"
                       # 2019年7月9日 whose 年月日 the page lost (20197 9): the digits and the space left
                       r"|^\s*(20\d\d)(1[0-2]|[1-9])\s+(3[01]|[12]\d|[1-9])\s*$")
_GLUED_DATE = re.compile(r"^\s*(20\d\d)(\d{2,4})\s*$")


def sign_date(line: str) -> tuple[int, ...] | None:
    """The date a signature line gives: 2022年4月29日, or its digits once the page lost the 年月日
    (20197 9, or 2022429 with no space left): glued digits count only when a single month/day split
    of them is a date (2022429 is 4-29; 2022111 could be 1-11 or 11-1 and is no date).

    >>> sign_date("2022年4月29日"), sign_date("2022429"), sign_date("2022111"), sign_date("20221231")
    ((2022, 4, 29), (2022, 4, 29), None, (2022, 12, 31))
    """
    sm = SIGN_DATE.match(line)
    if sm:
        return tuple(int(x) for x in sm.groups() if x is not None)
    gm = _GLUED_DATE.match(line)
    if not gm:
        return None
    digits = gm.group(2)
    valid = {(int(digits[:k]), int(digits[k:])) for k in range(1, len(digits))
             if len(digits[:k]) <= 2 and len(digits[k:]) <= 2
             and 1 <= int(digits[:k]) <= 12 and 1 <= int(digits[k:]) <= 31}
    valid = sorted(valid)
    return (int(gm.group(1)), *valid[0]) if len(valid) == 1 else None


SIGNER = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:办公室|办公厅|人民政府|管委会|局|委员会|委)$")


def signed_end(name: str, lines: list[str]) -> str:
    """The longest end of ``name`` that the document signs with (a line of its own that is an office's
    name), else ``name``: 首页…制度平潭综合实验区管委会办公室 → 平潭综合实验区管委会办公室."""
    names = signers(lines)
    for k in range(len(name) - 1):
        if name[k:] in names:   # (…网站平江|县人民政府办公室: an end that cuts its place's name keeps all of it)
            return name[k:] if not (tp := trailing_place(name[:k + 1])) else name[k + 1 - len(tp):]
    return name


def placed(name: str, lines: list[str]) -> str:
    """An issuer the title names by its level alone (市人民政府办公室关于印发…) is the office that signs with
    its place before that name (中卫市人民政府办公室), where one does."""
    if _BARE_LEVEL.match(name):
        fuller = {s for s in signers(lines) if s.endswith(name) and len(s) > len(name)}
        if len(fuller) == 1:
            return fuller.pop()
    return name


_BARE_LEVEL = re.compile(r"^(?:市|县|区|州|旗|盟|自治州|自治县)(?:人民)?政府")


def signers(lines: list[str]) -> set[str]:
    """The lines of the document that are an office's name (its signature, its red header)."""
    return {l.strip() for l in lines[:400] if len(l) <= 32 and SIGNER.match(l.strip())}


def issuer_line(lines: list[str]) -> str | None:
    """"X关于…", or the signature: an office's name on the line above the date it signed, or alone on
    the text's last line after its closing sentence, the date lost (:func:`undated_signer`)."""
    for i, line in enumerate(lines[:60]):
        # (not a sentence's cited office: 为深入贯彻落实某省人民政府办公厅关于…的通知 cites it)
        m = re.match(r"^(?!为|根据|按照|依据|贯彻|落实|认真|深入|和|及|与|以及)"
                     r"([\u4e00-\u9fff]{2,30}?(?:[(（][\u4e00-\u9fff]{2,12}[)）])?(?:人民政府办公厅|人民政府办公室|办公厅|办公室|局|委员会|厅|领导小组))(关于|$)", line)
        # (or a line of its own above the 关于… title, as a red-header notice prints its issuer)
        nxt = (re.sub(r"^[(（]此件[^()（）]{2,8}[)）]\s*", "", lines[i + 1].strip()) or "".join(lines[i + 2:i + 3]).strip()) if i + 1 < len(lines) else ""   # (a publication note before the date: (此件公开发布) 2021年6月25日)
        if m and (m.group(2) or sign_date(nxt) or garbled_date(nxt) or nxt.startswith("关于")):   # (2022728, 2017??3?)
            return m.group(1)
    last = undated_signer(lines)
    return lines[last].strip() if last is not None else None


# One organ's full name: a place, then the body (长春市住房保障和房地产管理局, 某县人民政府办公室)
_ORGAN = re.compile(r"(?:局|委员会|委|办公室|办公厅|人民政府|管委会|管理委员会|办事处|中心)$")
_NAME_ALONE = re.compile(r"^[\u4e00-\u9fff()]{4,30}$")
_PAGE_END = re.compile(r"^\s*(?:" + PAGE_END + ")")


def undated_signer(lines: list[str], rows: list[bool] | None = None) -> int | None:
    """Where a text's signature lost its date (a page's excerpt, a mirror that dropped it): the index of
    its last line when that is one organ's full name alone after a closing sentence, and no line before
    names a unit alone (a table printed a cell a line would: its last line is a unit cell); else None.
    ``rows``: which lines are table rows (none of them signs). A web page's own footer after the text
    (【打印本页】【关闭窗口】) is none of the text: the signature is the last line above it.

    >>> undated_signer(["(二)抓好落实。要做好监督检查工作。", "长春市住房保障和房地产管理局"])
    1
    >>> undated_signer(["(二)抓好落实。要做好监督检查工作。", "长春市住房保障和房地产管理局", "【打印本页】【关闭窗口】"])
    1
    >>> undated_signer(["1.做好预算公开。", "某市财政局", "2.做好规划公开。", "某市自然资源局"]) is None
    True
    """
    rows = rows or [False] * len(lines)
    last = max((i for i, s in enumerate(lines) if s.strip() and not _PAGE_END.match(s)), default=None)
    if last is None or last == 0:
        return None
    name, before = lines[last].strip(), lines[last - 1].strip()
    if (not rows[last] and _NAME_ALONE.match(name) and _ORGAN.search(name) and leading_place(name)
            and before[-1:] in ("。", "!", "!") and not rows[last - 1]
            and not any(_NAME_ALONE.match(s.strip()) and is_unit_name(s.strip()) for s in lines[:last])):
        return last
    return None
