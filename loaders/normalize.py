"""The one normalizer every loader and matcher uses.

The original text is always kept; matching happens on :func:`normalize`'s output: simplified
script (OpenCC ``t2s``), NFKC (full-width letters, digits and punctuation become half-width),
pinyin debris removed (``經(jīng)濟`` → ``經濟``), runs of white space folded.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "to_simplified", "strip_pinyin", "strip_web_debris", "is_traditional", "squash", "PAGE_END",
           "strip_mirror_debris", "inside_brackets"]

# A pinyin gloss glued to a CJK character by a mirror site: 經(jīng) or 發(fā).
# One or more glosses in a row: 經(jīng)(jīng) must not leave the second for a later pass. The
# pattern opens with its "(" and looks behind it for the character: the same matches as a look-behind
# first, but the regex engine then skips from "(" to "(" instead of trying every position.
# (one space inside: a narrow table cell wrapped the gloss, 鎮(z hèn)級, and its text joined the lines with a space)
_GLOSS_BODY = (r"(?=[^)]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])(?=[^)]{1,8}\))"
               r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})?\)")
_PINYIN = re.compile(rf"\((?<=[\u4e00-\u9fff]\(){_GLOSS_BODY}(?:\({_GLOSS_BODY})*")
_SPACES = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u200b\ufeff]+")
_BRACKETS = str.maketrans({"〔": "〔", "［": "[", "［": "[", "【": "[", "】": "]", "〖": "[", "〗": "]"})


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported lazily: the converter loads its dictionaries once

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified script.

    >>> to_simplified("廣州市黃埔區")
    '广州市黄埔区'
    """
    return _converter().convert(text) if text else text


def strip_pinyin(text: str) -> str:
    """Remove pinyin glosses a mirror site glued to characters.

    >>> strip_pinyin("經(jīng)濟平穩(wěn)"), strip_pinyin("鎮(z hèn)級")
    ('經濟平穩', '鎮級')
    """
    return _PINYIN.sub("", text) if "(" in text else text


def squash(text: str) -> str:
    """Fold every run of white space (including ideographic space) to nothing between CJK
    characters and to one space elsewhere.

    >>> squash("区 政务  公开办 ok  go")
    '区政务公开办 ok go'
    """
    text = _SPACES.sub(" ", text).strip()
    return _CJK_SPACE.sub("", text) if " " in text else text


# A space between CJK characters (opening with the space itself, so that the engine skips to spaces).
_CJK_SPACE = re.compile(r" (?:(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef] )(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff] )(?=[\u3000-\u303f]))")


# What a mirror left of the page's HTML: closing tags and entities that lost their ampersand.
_HTML_DEBRIS = re.compile(r"</?(?:div|a|span|td|th|tr|p|br|font|b|strong)\b[^>\n]{0,200}>|(?<![a-z])/(?:div|a|span|td|th|tr|p)>")
_ENTITIES = {"ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "nbsp": " ", "quot": '"', "amp": "&",
             "hellip": "…", "mdash": "—"}
_ENTITY = re.compile(r"[?&]?(" + "|".join(_ENTITIES) + r");")
_ENTITY_ENDS = tuple(name + ";" for name in _ENTITIES)
# Question marks a page put where its full-width spaces were (a paragraph's indent, a signature set right:
# ??上海市人民政府办公厅, 2023年7月7日???): white space, at a line's start or after white space, or three and more
# at its end. Inside a word, or two at a line's end, they stand for lost characters (2017??3?, 鲁政办发?021??).
_LOST_SPACES = re.compile(r"(?:^|(?<=\s))\?{2,}\s*|\?{3,}$", re.M)


# What opens a web page's footer after the document's own text (a pattern's body, unanchored).
PAGE_END = (r"声明[::]|标签[::]|地区[::]|相关(?:文章|阅读|链接|新闻|文件|解读[::])|全文下载|您需要登录|推荐(?:阅读|法规)|"
            r"点击排行|责任编辑|上一篇|下一篇|\[\s*(?:政策法规搜索|关闭窗口|打印)|【\s*(?:打印|关闭)|扫一扫在手机|打印本页|附件下载|"
            r"关闭窗口|分享到[::]?$")


def inside_brackets(text: str, at: int) -> bool:
    """Whether ``at`` is inside a bracketed note (【牵头单位:…;配合单位:…】, (附件1)): one note, no place to
    cut a line or read a marker. The 150 characters before it are enough for any note."""
    depth = 0
    for c in text[max(0, at - 150):at]:
        # (a note's closing bracket whose opening one lies before the window closes nothing in it)
        depth = depth + 1 if c in "(（[【" else max(0, depth - 1) if c in ")）]】" else depth
    return depth > 0


def strip_web_debris(text: str) -> str:
    """Drop HTML fragments a mirror left in the text and resolve entities that lost their ``&``.

    >>> strip_web_debris("本地?ldquo;十四五?rdquo;规划、/div>")
    '本地“十四五”规划、'
    >>> strip_web_debris("??1.做好公开。 ???某区人民政府办公室 2017??3?")   # (a lost 年/月 inside a date stays)
    ' 1.做好公开。  某区人民政府办公室 2017??3?'
    >>> strip_web_debris("2023年7月7日???")
    '2023年7月7日 '
    """
    # Both patterns need a character most lines lack: test for it before running the regex.
    if ">" in text:
        text = _HTML_DEBRIS.sub("", text)
    if "??" in text:
        text = _LOST_SPACES.sub(" ", text)
    # Every entity ends in ';', which a Chinese text writes full-width (；) before the NFKC step.
    return _ENTITY.sub(_entity, text) if ";" in text and any(e in text for e in _ENTITY_ENDS) else text


_LOST_LT = re.compile(r"(?<![<a-z])/(?:div|a|span|td|th|tr|p)>")


def strip_mirror_debris(text: str) -> str:
    """What a mirror left when it lost the page's ``<`` and ``&`` (…执行、/p>, ?ldquo;): no part of any
    text. Whole tags stay: a text file may quote markup, and whatever shows it escapes it.

    >>> strip_mirror_debris("各部门9/p>《方案》?ldquo;十四五?rdquo;<b>x</b>")
    '各部门9《方案》“十四五”<b>x</b>'
    >>> strip_mirror_debris("近日@@,省政府办@@公厅@@印发@@《要点@@》")   # a mirror's marker after each word
    '近日,省政府办公厅印发《要点》'
    >>> strip_mirror_debris("局機(jī)關(guān)各科室")   # its pinyin glosses: the task's own text has none
    '局機關各科室'
    """
    text = strip_pinyin(text)
    if ">" in text:
        text = _LOST_LT.sub("", text)
    if "@@" in text:   # (an e-mail address holds one @, never two together)
        text = text.replace("@@", "").replace("@@", "")
    return _ENTITY.sub(_entity, text) if any(e in text for e in _ENTITY_ENDS) else text


def _entity(m: re.Match) -> str:
    return _ENTITIES[m.group(1)]


_NOT_CIRCLED = re.compile(r"[^\u2460-\u2473]+")


def normalize(text: str) -> str:
    """The matching form of a text.

    >>> normalize("（一）加強涉及市場主體的信息公開。")
    '(一)加强涉及市场主体的信息公开。'
    >>> normalize("經(jīng)濟平穩(wěn)健康發(fā)展")
    '经济平稳健康发展'
    >>> normalize("①推進")
    '①推进'
    """
    if not text:
        return ""
    if len(text) <= _MEMO_LEN:
        return _normalize_memo(text)
    return _normalize(text)


# Loaders normalize the same short strings over and over (a line, then its cell, a unit cell in
# every row, a deadline cell): remember the short ones. Long texts (a whole head) are rarely seen twice.
_MEMO_LEN = 400


def _normalize(text: str) -> str:
    # NFKC everywhere but on ① … ⑳, which number a plan's points (NFKC would make ① a bare 1).
    text = strip_web_debris(text)
    # (A text NFKC leaves as it is has no ① either: NFKC would make it a 1.)
    if unicodedata.is_normalized("NFKC", text):
        pass
    elif _CIRCLED.search(text) is None:
        text = unicodedata.normalize("NFKC", text)
    else:
        text = _NOT_CIRCLED.sub(_nfkc, text)
    # After NFKC, so that a gloss in full-width brackets 經（jīng） goes too (else a second pass would differ).
    text = strip_pinyin(text)
    # str.translate looks every character up in a dict; these brackets are rare (NFKC already made
    # ［ a [), so replacing only those present is several times faster and gives the same text.
    for src, dst in _BRACKET_PAIRS:
        if src in text:
            text = text.replace(src, dst)
    text = to_simplified(text)
    return squash(text)


_normalize_memo = lru_cache(maxsize=1 << 16)(_normalize)
_CIRCLED = re.compile(r"[\u2460-\u2473]")
_BRACKET_PAIRS = tuple((chr(k), v) for k, v in _BRACKETS.items() if chr(k) != v)


def _nfkc(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group())


_TRAD_ONLY = set("這個們會來時國學說為對與發經過開關區縣長門問實現動點當業進還應報務體頭將條設總給記專從産產華傳檢")


def is_traditional(text: str, sample: int = 4000) -> bool:
    """Whether a text is written in traditional script (by the share of traditional-only characters).

    >>> is_traditional("廣州市黃埔區人民政府辦公室關於印發")
    True
    >>> is_traditional("广州市黄埔区人民政府办公室关于印发")
    False
    """
    head = text[:sample]
    # Counted by regex: a Python loop over 4,000 characters cost more than reading the file. A text
    # with no traditional-only character (most) needs no count of its CJK ones.
    trad = len(_TRAD_RE.findall(head))
    if not trad:
        return False
    return trad / len(_CJK.findall(head)) > 0.02


_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD_ONLY)) + "]")
