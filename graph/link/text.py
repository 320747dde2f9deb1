"""Text features of one task: the cleaned text, its character n-grams, its named objects; each also for
a whole document's texts at once (:func:`_gram_table`, :func:`_objects_table`), which is what scoring
reads.
"""
from __future__ import annotations

import bisect
import re

import numpy as np

__all__ = ["named_objects"]

_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


def _clean(text: str | None) -> str:
    return _KEEP.sub("", text or "")


_SEP = "\x00"       # between joined texts (a cleaned text holds none)


def _clean_all(texts: list[str | None]) -> list[str]:
    """:func:`_clean` of every text, the characters :data:`_KEEP` keeps picked by their code points for
    all the texts at once (a document's texts cleaned one expression call each cost more than the
    n-grams made of them).

    >>> _clean_all(["做好、信息公开。", None, "A-1 b"])
    ['做好信息公开', '', 'Ab']
    """
    joined = _SEP.join(t or "" for t in texts)
    if not texts or joined.count(_SEP) != len(texts) - 1:      # a text holding the separator itself
        return [_clean(t) for t in texts]
    c = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = ((c >= 0x4E00) & (c <= 0x9FFF)) | ((c >= 65) & (c <= 90)) | ((c >= 97) & (c <= 122)) | (c == 0)
    return c[keep].tobytes().decode("utf-32-le").split(_SEP)


def _grams(clean: str, sizes=(2, 3)) -> np.ndarray:
    """Character n-grams of a cleaned text as int64 codes (code points are < 2**21, so a trigram fits)."""
    c = np.frombuffer(clean.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    out = []
    if 1 in sizes:
        out.append(c)
    if 2 in sizes and len(c) >= 2:
        out.append((c[:-1] << 21) | c[1:])
    if 3 in sizes and len(c) >= 3:
        out.append((c[:-2] << 42) | (c[1:-1] << 21) | c[2:])
    if not out:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(out)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
# \d\d* (not \d+) and the leading \d of _DATES: a pattern opening on a character class is searched by
# skipping to the next digit, not tried at every position (5x faster over a document's joined texts)
_OBJ_NUMBER = re.compile(r"(\d\d*(?:\.\d+)?)\s*(个|项|类|次|版|条|家|批|%|万|亿)?")
_OBJ_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)(版|条|批|类)")
_OBJ_TITLE = re.compile(r"《([^《》]{2,40})》")
_OBJ_QUOTED = re.compile(r"[“\"]([^“”\"]{2,12})[”\"]")


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGITS.get(a, 1) if a else 1) * 10 + (_CN_DIGITS.get(b, 0) if b else 0)
    return _CN_DIGITS.get(s, 0)


def named_objects(text: str | None) -> set[str]:
    """Numbers with their unit, ordinals, titles and quoted terms: what two tasks rarely share by chance.

    Dates and years are left out (every plan of a year shares them).

    >>> sorted(named_objects("统一在“12345”热线发布,26个试点领域,支持互联网协议第六版"))
    ['12345', '26个', '6版']
    """
    text = text or ""
    out: list[str] = []
    for m in _OBJ_ORDINAL.finditer(text):
        out.append(f"{_cn_number(m.group(1))}{m.group(2)}")
    stripped = re.sub(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日", " ", text)
    for m in _OBJ_NUMBER.finditer(stripped):
        num, unit = m.group(1), m.group(2) or ""
        if unit or len(num) >= 3:
            out.append(num + unit)
    out.extend(m.group(1) for m in _OBJ_TITLE.finditer(text))
    out.extend(m.group(1) for m in _OBJ_QUOTED.finditer(text))
    return set(out)


def _gram_table(texts: list[str | None], cleaned: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bigrams and trigrams (as :func:`_grams` codes) of every text, distinct within each text, for a
    whole document in a few numpy operations (not a ``np.unique`` per task). ``cleaned``: the texts are
    :func:`_clean`'s already.

    Returns ``(vocab, rows, ids)``: the sorted distinct codes, and per entry the row of its text and the
    index of its code in ``vocab``, sorted by row then code."""
    # cleaned texts hold no NUL: it separates them
    joined = _SEP.join(texts if cleaned else _clean_all(texts))
    c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(c) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    sep = c == 0
    row = np.cumsum(sep)
    ok = ~sep
    bi = ok[:-1] & ok[1:]
    tri = bi[:-1] & ok[2:]
    codes = np.concatenate([((c[:-1] << 21) | c[1:])[bi], ((c[:-2] << 42) | (c[1:-1] << 21) | c[2:])[tri]])
    rows = np.concatenate([row[:-1][bi], row[:-2][tri]])
    vocab, inv = np.unique(codes, return_inverse=True)
    key = rows * len(vocab) + inv.reshape(-1)
    key.sort()          # (numpy's hashing np.unique is several times slower on these keys)
    key = key[np.concatenate([[True], key[1:] != key[:-1]])]      # one entry per (row, n-gram)
    return vocab, key // len(vocab), key % len(vocab)


_OBJ_SEP = "\x00"
_OBJ_SEP_RE = re.compile(_OBJ_SEP)
_OBJ_HINT = re.compile(r"[\d《“\"第]")
_OBJ_TITLE_J = re.compile(r"《([^《》\x00]{2,40})》")
_OBJ_QUOTED_J = re.compile(r"[“\"]([^“”\"\x00]{2,12})[”\"]")
_DATES = re.compile(r"\d(?:\d{3}\s*年|\d?\s*[月日])")     # \d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日


def _objects_table(texts: list[str | None]) -> list[set[str]]:
    """:func:`named_objects` of every text, with each regular expression run once over the joined
    texts (a NUL between two texts, which no pattern crosses)."""
    joined = _OBJ_SEP.join((t or "").replace(_OBJ_SEP, " ") for t in texts)
    out: list[set[str]] = [set() for _ in texts]

    def rows_of(text: str):
        starts = [m.start() for m in _OBJ_SEP_RE.finditer(text)]
        return lambda pos: bisect.bisect_right(starts, pos)

    if not _OBJ_HINT.search(joined):
        return out
    row = rows_of(joined)
    for m in _OBJ_ORDINAL.finditer(joined):
        out[row(m.start())].add(f"{_cn_number(m.group(1))}{m.group(2)}")
    for m in _OBJ_TITLE_J.finditer(joined):
        out[row(m.start())].add(m.group(1))
    for m in _OBJ_QUOTED_J.finditer(joined):
        out[row(m.start())].add(m.group(1))
    stripped = _DATES.sub(" ", joined)
    row = rows_of(stripped)
    for m in _OBJ_NUMBER.finditer(stripped):
        num, unit = m.group(1), m.group(2) or ""
        if unit or len(num) >= 3:
            out[row(m.start())].add(num + unit)
    return out
