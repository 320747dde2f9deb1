"""MHTML (``.mht``/``.mhtml``): a web page saved as one file by a browser ("网页，单个文件"), or a Word
document saved as a single-file web page. A MIME message (RFC 2557) whose parts are the page's HTML, in
quoted-printable or base64, and its images and styles.

This module only takes the page's HTML out of the message; the dispatcher (:mod:`loaders.read`) hands it to
the HTML reader, so a page gives the same blocks saved as ``.html`` or as ``.mht``.

>>> page = "<html><body><p>一、总体要求</p></body></html>".encode("gb18030")
>>> mht = (b'MIME-Version: 1.0\\nContent-Type: multipart/related; boundary="b"\\n\\n--b\\n'
...        b'Content-Type: text/html; charset="gb2312"\\nContent-Transfer-Encoding: base64\\n\\n'
...        + __import__("base64").encodebytes(page) + b'\\n--b--\\n')
>>> is_mhtml(mht), html_of_mhtml(mht, "a.mht").decode("utf-8-sig")
(True, '<html><body><p>一、总体要求</p></body></html>')
"""
from __future__ import annotations

import re

from core.errors import LoadError

__all__ = ["is_mhtml", "html_of_mhtml", "parts_of_mhtml"]

_HEADER = re.compile(rb"^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?mime-version:", re.I)
_TAG = re.compile(r"<[^>]*>")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_mhtml(head: bytes) -> bool:
    """Whether a file's first bytes are a MIME message holding related parts (a saved web page): headers
    from the first line, one of them ``MIME-Version``, and ``multipart/related`` among them."""
    head = head.replace(b"\r\n", b"\n")
    return bool(_HEADER.match(head)) and b"multipart/related" in head.lower()


def html_of_mhtml(data: bytes, name: str) -> bytes:
    """The page's HTML as UTF-8 (with its byte-order mark, so that the declared charset, not a guess, reads
    it). A page with frames holds several HTML parts: the one with the most Chinese text is the article."""
    return parts_of_mhtml(data, name)[0]


def parts_of_mhtml(data: bytes, name: str) -> tuple[bytes, dict[str, bytes]]:
    """The page's HTML (as :func:`html_of_mhtml`) and the pictures saved with it, by the address the page
    names them with (``Content-Location``, or ``cid:`` and the part's ``Content-ID``)."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    best, best_score = None, -1
    pictures: dict[str, bytes] = {}
    for part in message.walk():
        if part.get_content_maintype() == "image":
            body = part.get_payload(decode=True) or b""
            if part.get("Content-Location"):
                pictures[part["Content-Location"].strip()] = body
            if part.get("Content-ID"):
                pictures["cid:" + part["Content-ID"].strip().strip("<>")] = body
            continue
        if part.get_content_type() != "text/html":
            continue
        raw = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        if charset in ("gb2312", "gbk", "x-gbk", "cp936"):   # what pages declare; GB18030 reads all of them
            charset = "gb18030"
        try:
            html = raw.decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            from ..charset import decode

            html = decode(raw, name)
        score = len(_CJK.findall(_TAG.sub("", html)))
        if score > best_score:
            best, best_score = html, score
    if best is None:
        raise LoadError(name, "saved web page (MHTML) with no HTML part")
    return b"\xef\xbb\xbf" + best.encode("utf-8"), pictures
