"""Where a paragraph ends in text whose line breaks were lost and whose words nothing parts: before a
form's label (牵头单位:, 完成时限:, a page's 索引号:…), around a line of units after a sentence, at a
signature before its date, at the page's footer, and where a short heading gives way to its prose
(一、提高思想认识|各单位要高度重视…). :mod:`loaders.reflow` cuts its paragraphs there.
"""
from __future__ import annotations

import re

from .cells import unit_line_end, unit_name_end
from .clauses import FRAMING_GLUED
from .columns import HEADER_WORDS
from .headings import explainer_title_end, opens_with_addressees, title_ends_at
from .normalize import PAGE_END, inside_brackets

__all__ = ["glued_breaks", "heading_end", "label_at", "SPACED_LABEL", "HEADING_MAX", "CN", "PART_MARK", "SECTION_MARK"]

CN = "一二三四五六七八九十"
# A part's and a section's marker on the reflow's simplified, half-width view: 一、 and (一)
PART_MARK = re.compile(rf"([{CN}]{{1,3}})、")
# ((一加强…。: the closing bracket a page lost, none before the heading's sentence ends; not (一带一路), (一是…)
SECTION_MARK = re.compile(rf"\(([{CN}]{{1,3}})(?:\)|(?![是个次年带把批些级般起直定体项场份系公网件站码卡{CN}])"
                          r"(?=[\u4e00-\u9fff][^()（）。,，]{3,}[。,，]))")

# 组 长:, 成 员:, 名 称:: a two-character label spaced out as a form prints it, one word, no paragraph break
SPACED_LABEL = re.compile(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff][:：]")
_LABEL = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(
    (w for w, (kind, _) in HEADER_WORDS.items() if kind in ("units", "deadline")), key=len, reverse=True)) + "):")
# The fields of a page's information box (索引号:…发布机构:…名称:…), a line each on the page.
_FIELD = re.compile(r"(?:索引号|发布机构|发文机关|主题分类|名称|分类|发文日期|发布日期|成文日期|文号|发文字号|有效性|主题词|"
                    r"浏览次数|文章来源|信息来源|监督(?:方式|电话)|副?组\s?长|成\s?员):")   # (and a leading group's roster: 组 长:某某副组长:某某)
# A page's own buttons and links, which no plan's sentence says: where the footer begins, whatever is glued before it
# (…有关直属单位扫一扫在手机打开当前页)
_CHROME = re.compile(r"扫一扫在手机|打印本页|关闭窗口|【\s*(?:打印|关闭)")
# What begins a part's prose, not its heading: 一、工作目标|按照…, 二、主要内容|为确保… (为了确保…), 一、制定背景和起草过程|2021年是…
_BODY_OPENER = re.compile(r"\d{4}年|为了?(?=确保|贯彻|进一步|深入|推动|加快|全面|做好|切实|落实|开展|加强|规范)|按照|根据|依据|围绕|对照|"
                          r"编制《|本(?:方案|通知|单位|部门)|第[一二三四五六七八九十]{1,2}[,，、]|[一二三四五六七八九十]是")
_NOT_BEFORE_SUBJECT = set("由的和及与对在向把将被从")
HEADING_MAX = 16


def label_at(v: str, k: int) -> bool:
    """Whether a units or deadline label (牵头单位:, 完成时限:) opens at ``k``: a field, never the
    rest of a sentence the line before left without its full stop (…生命安全 牵头责任单位:县卫健委)."""
    return bool(_LABEL.match(v, k))


def glued_breaks(v: str) -> list[int]:
    """Where a paragraph ends in text joined with nothing: before a label (牵头单位:, 完成时限:), around a
    line of units with their role word after a sentence (…政策意图。|市发改委牵头落实|加强…), and where a
    short heading gives way to its prose (一、提高思想认识|各单位要高度重视…)."""
    out = [m.start() for rx in (_LABEL, _FIELD) for m in rx.finditer(v)
           if m.start() > 0 and v[m.start() - 1] != " " and not inside_brackets(v, m.start())]
    for i in range(1, len(v)):
        if v[i - 1] in "。;" and v[i] != " ":
            z = unit_line_end(v, i, len(v))
            if z is not None:
                out += [i, z]
    for m in _SIGNED.finditer(v):
        k = _signer_start(v, m.start())
        if k is not None:
            out += [k, m.start()] + ([m.end()] if v[m.end():].strip() else [])   # (此件主动公开) a line of its own
    # A doc number standing bare, not in a sentence's brackets (京政办发〔2016〕26号《…的通知》…各区人民政府,…):
    # a line of its own, before a title and after it, as the page heads its notice.
    for m in _DOC_NO.finditer(v):
        if not inside_brackets(v, m.start()) and (m.start() == 0 or v[m.start() - 1] in "》号 "):
            out += [k for k in (m.start(), m.end()) if 0 < k < len(v)]
    # …号《…的通知》《…的通知》: the notice's title in book marks after its doc number (or itself) is a line of its
    # own (《…的通知》政策解读, a title of its own, opens no break)
    out += [k for m in _HEAD_TITLE.finditer(v) if m.start() > 0 and v[m.start() - 1] in "》号"
            for k in (m.start(), m.end()) if 0 < k < len(v)]
    # The page's footer glued to the last sentence (…的通知。地区:广州市标签:…): it opens a line.
    out += [m.start() for m in _PAGE_END.finditer(v) if m.start() > 0 and v[m.start() - 1] in "。!?”)"]
    out += [m.start() for m in _CHROME.finditer(v) if m.start() > 0]
    head = PART_MARK.match(v) or SECTION_MARK.match(v)
    if head:
        k = heading_end(v, head.end())
        if k is not None:
            out.append(k)
    return sorted(set(out))


_SIGNED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日(?=\s*(?:[(（]此件[^)）]{0,8}[)）])?\s*(?:$|" + PAGE_END + "))")   # (its 此件 note, a footer)
_PAGE_END = re.compile(PAGE_END)
_HEAD_TITLE = re.compile(r"《[^《》。]{4,80}的通知》")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,6}[发函字]〔\d{4}〕\d{1,4}号")


def _signer_start(v: str, date: int) -> int | None:
    """Where the signer glued before a signing date at the text's end starts (…名单》|赤壁市政务公开领导小组
    办公室|2020年9月17日): a unit's name right after a sentence or a title ends."""
    for k in range(date - 3, max(0, date - 30), -1):
        if v[k - 1] in "。;》" and unit_name_end(v, k, date, loose=True) == date:
            return k
    return None


def heading_end(v: str, at: int) -> int | None:
    """Where a heading glued to its prose ends: a short title (no punctuation) and then prose that
    opens as prose does, with a subject (各单位, 区政务公开办) or a word that starts a sentence."""
    if opens_with_addressees(v[at:]):
        return None   # 一、各地各有关单位要…: a paragraph that opens with its subject has no heading
    framing = FRAMING_GLUED.match(v, at)
    if framing and re.search(r"[。;]", v[framing.end():]) and len(v) - framing.end() >= 20:
        return framing.end()   # 一、工作目标|紧紧围绕…: a framing heading is its words, its prose follows
    explainer = explainer_title_end(v, at)
    if explainer and re.search(r"[。;]", v[explainer:]):
        return explainer   # 一、制定依据|为全面落实…: so is an interpretation's (制定依据, 主要内容 …)
    parallel = _parallel_heading_end(v, at)
    if parallel is not None:
        return parallel
    own = re.search(r"[。;,]", v[at:at + 40])
    own = own is not None and own.group(0) != ","   # a heading that ends with its own full stop
    stop = min(len(v), at + HEADING_MAX + 1)
    for k in range(at + 2, stop):
        if v[k - 1] == " " and k - 1 > at + 1:
            # joined with a space (一、总体要求 2020年全市…): the heading ends at the space if prose opens there
            ok = _BODY_OPENER.match(v, k) and re.search(r"[。;]", v[k:]) and len(v) - k >= 20
            return k if ok else None
        if not v[k - 1].isalnum() and v[k - 1] not in "“”":
            return None
        if v[k - 1] in _NOT_BEFORE_SUBJECT or _TAKES_OBJECT.search(v, at, k):
            continue   # (一、配合市政府落实…: the office after 配合 is its object, no subject of prose)
        # (prose that opens as prose does may end at a colon, its list following: 为了确保…,必须坚持以下原则:)
        if (_BODY_OPENER.match(v, k) and re.search(r"[。;:]", v[k:])
                or not own and (unit_name_end(v, k, len(v)) or title_ends_at(v, at, k) or opens_with_addressees(v[k:k + 40]))
                and re.search(r"[。;]", v[k:])) and len(v) - k >= 20:
            return k
    return None


_TAKES_OBJECT = re.compile(r"(?:配合|协助|会同|督促|指导|支持|帮助)$")


def _parallel_heading_end(v: str, at: int) -> int | None:
    """Where a two-part heading ends (一、强化组织领导,完善工作机制|街道明确…): its parts are as long as
    each other (a heading's parallel phrases, the second as long as the first, or one shorter or longer),
    and the prose after opens as prose does, with its subject or its verb."""
    m = re.match(r"([\u4e00-\u9fff]{4,8}),(?=[\u4e00-\u9fff]{3,9})", v[at:])
    if not m or not re.search(r"[。;]", v[at:at + 200]):   # (a sentence of 150 characters and more is no rare one)
        return None
    comma = at + m.end()
    n = len(m.group(1))
    spaced = re.match(r"[\u4e00-\u9fff]{3,9} (?=\S)", v[comma:])
    if spaced and (_PROSE_OPENS.match(v, comma + spaced.end()) or _BODY_OPENER.match(v, comma + spaced.end())) \
            and len(v) - comma - spaced.end() >= 20:
        return comma + spaced.end()   # (…,加强组织领导 2017年…: the space a line break left ends the heading, whatever its length)
    for k in (comma + n, comma + n - 1, comma + n + 1):
        rest = v[k:]
        # (the prose opens with its subject or its verb: 街道明确…, 畅通线上…, not 通线上…)
        if re.fullmatch(r"[\u4e00-\u9fff]+", v[comma:k]) and len(rest) >= 20 and _PROSE_OPENS.match(rest) \
                and re.search(r"[。;]", rest[:200]):
            return k
    return None


_PROSE_OPENS = re.compile(r"(?:19|20)\d\d年|各|街道|乡镇|本(?:单位|部门|局)|我(?:局|县|区|市|镇|乡)|严格|畅通|落实|建立|健全|完善|加强|推进|推动|"
                          r"坚持|依托|聚焦|围绕|明确|进一步|认真|全面|持续|深化|扎实|做好|积极|及时|切实|优化|提升|提高|"
                          r"加快|定期|主动|按照|根据|结合|充分|着力|大力|要")
