"""Bytes → str for the formats that are text (plain text, HTML): which encoding a Chinese office's
file is in is guessed, never declared."""
from __future__ import annotations

from core.errors import LoadError

__all__ = ["decode"]


def decode(data: bytes, name: str = "") -> str:
    """Bytes → str: BOMs first, then UTF-8, then what charset-normalizer finds among the Chinese
    encodings (GB18030 covers GBK and GB2312; Big5 for Taiwan/HK files)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) > 1 and data[1:2] == b"\x00" and data[0:1] != b"\x00":
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        # Only the position is kept: the error itself, held in a local, would make a cycle with its
        # traceback's frame that keeps the whole loading call stack (blocks, records) alive until the
        # garbage collector's next full pass.
        bad_at = err.start
    # A file cut mid-character (a truncated download) is still UTF-8.
    if bad_at >= len(data) - 3:
        return data[:bad_at].decode("utf-8")
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed
    best, best_bad = None, None
    for enc in ("gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        # GB18030 reads almost any byte pair, Big5 text included, but as private-use and rare
        # characters: count those as misreadings too.
        bad = text.count("\ufffd") + sum(1 for c in text if "\ue000" <= c <= "\uf8ff")
        if best_bad is None or bad < best_bad:
            best, best_bad = text, bad
    if best is not None and best_bad is not None and best_bad <= max(3, len(best) // 200):
        return best
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise LoadError(name, "not a text file (no encoding reads it)")
    return str(match)


def _decode_lines(data: bytes) -> str | None:
    """A UTF-8 file with paragraphs pasted in from a GB18030 one: each line in the encoding that
    reads it. None unless some non-ASCII line is UTF-8 and every line reads strictly in one of them
    (a whole GBK file is left to the detectors: GB18030 would also read most UTF-8 lines)."""
    out, utf8_lines = [], 0
    for line in data.split(b"\n"):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not _gbk_lookalike(text):
            out.append(text)
            utf8_lines += not line.isascii()
            continue
        for enc in ("gb18030", "big5"):
            try:
                out.append(line.decode(enc))
                break
            except UnicodeDecodeError:
                continue
        else:
            if text is None:
                return None
            out.append(text)   # no Chinese encoding reads it: UTF-8 after all
            utf8_lines += 1
    return "\n".join(out) if utf8_lines else None


def _gbk_lookalike(text: str) -> bool:
    """A GBK line that is valid UTF-8 by chance: GBK's byte pairs with a lead byte C2–DF and a second
    byte 80–BF (通 CD A8, 知 D6 AA) are UTF-8's two-byte sequences, which read as combining marks,
    Greek, Cyrillic, Hebrew or Arabic (`通  知` → `ͨ  ֪`). A Chinese line in UTF-8 has characters
    from U+0800 on (its hanzi, its full-width punctuation); one with only Latin-1 signs (×, ·, °) is
    kept as UTF-8."""
    if any(c >= "\u0800" for c in text):
        return False
    return any("\u0300" <= c < "\u0800" for c in text)
