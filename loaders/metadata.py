"""Document metadata read from the text: title, issuer, number, date, level, citations, sizes.

>>> find_doc_numbers("根据《通知》(穗府辦函[2022]48號)和(国办发〔2022〕8号)要求")
['穗府办函〔2022〕48号', '国办发〔2022〕8号']
>>> find_doc_numbers("《关于印发分工方案的通知》(国办发〔202112号)、分工方案的通知珠府办函〔2019〕116号")
['珠府办函〔2019〕116号', '国办发〔2021〕12号']
>>> find_doc_numbers("(黑政办发201835号)和(中府办函2022127号)、(明政办函〔201634 号)")
['黑政办发〔2018〕35号', '中府办函〔2022〕127号', '明政办函〔2016〕34号']
>>> read_metadata(["某县2018年政务公开工作要点实施方案为深入贯彻落实某省人民政府办公厅关于印发要点的通知,制定本方案。"]).get("issuer")
>>> level_of_issuer("广东省人民政府办公厅")
'province'
>>> declared_sizes("包括5部分15方面共52项具体任务")
{'parts': 5, 'aspects': 15, 'tasks': 52}
"""
from __future__ import annotations

import re

from .bare_numbers import number_after_title, number_beside_title
from .normalize import normalize
from .broken_heads import province_spelled_out, title_continued, title_ends_on_next_line
from .signed import SIGN_DATE, SIGNER, issuer_line, placed, sign_date, signed_end, signers
from .places import county_named_in, leading_place, place_level, region_of, title_place, trailing_place

__all__ = ["find_doc_numbers", "canonical_doc_no", "level_of_issuer", "level_of_addressees", "level_of_title", "declared_sizes", "read_metadata",
           "head_lines", "town_region"]

_DOCNO = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:发|办|函|字|文|令|电|通|规|办函|办发|府办|府办函|政办发|政发|厅字|办字)?)"
    r"\s*[〔\[【(（［]\s*(\d{4})\s*[〕\]】)）］]\s*(\d{0,4})\s*号"
)


_DOCNO_OPEN = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,6}?(?:发|办|函|字))〔?(20[0-3]\d)(\d{1,3})\s*号")


# Every character a number can be made of (both patterns above): a number never spans another, so
# the patterns need only run over the runs of these characters that hold a 号. Scanning every
# position of a long text with the lazy prefix of _DOCNO cost more than the rest of the metadata.
_DOCNO_CHARS = re.compile(r"[\u4e00-\u9fff\s\d〔\[【(（［〕\]】)）］]+")


def _docno_spans(s: str) -> list[str]:
    """The runs of :data:`_DOCNO_CHARS` in ``s`` that hold a 号, in order. Outside a run stands a
    character neither pattern takes (nor a CJK one, so _DOCNO_OPEN's look-behind holds at a run's start).

    >>> _docno_spans("见(国办发〔2022〕8号)、穗府办函〔2022〕48号文,口号")
    ['见(国办发〔2022〕8号)', '穗府办函〔2022〕48号文', '口号']
    """
    # Each run is found from one of its 号 (a few a text), its start in the reversed text: walking
    # every run of a whole document cost more than the rest of the metadata.
    at = s.find("号")
    if at < 0:
        return []
    backwards = s[::-1]
    out: list[str] = []
    end = -1
    while at >= 0:
        if at >= end:   # (a run with two 号 is given once)
            start = len(s) - _DOCNO_CHARS.match(backwards, len(s) - 1 - at).end()
            end = _DOCNO_CHARS.match(s, at).end()
            out.append(s[start:end])
        at = s.find("号", at + 1)
    return out


def canonical_doc_no(prefix: str, year: str, number: str) -> str:
    return f"{prefix}〔{year}〕{number}号"


def find_doc_numbers(text: str, normalized: bool = False) -> list[str]:
    """Document numbers in a text, canonical brackets (〔〕), simplified script, in order, no repeats.
    ``normalized``: the text is :func:`loaders.normalize.normalize`'s output (lines of it joined), which
    normalizing again would leave as it is: the whole text of a document is not normalized twice."""
    s = text if normalized else normalize(text)
    out: list[str] = []
    spans = _docno_spans(s)
    for m in (m for span in spans for m in _DOCNO.finditer(span)):
        prefix = re.sub(r"^.*(?:的通知|通知|意见|要点|方案)", "", m.group(1))
        prefix = re.sub(r"^(文号|发文字号|字号|名称|标题)[::]?", "", prefix)   # (a field's label: 名称 息府办函〔…
        # a page's buttons (打印广府办发…), its 来源 office (省政府办公厅豫政办明电…) or 及 glued before it: a
        # number's prefix abbreviates, it never spells an office out
        prefix = re.sub(r"^(?:打印|关闭|分享|收藏|纠错)+|^.*(?:办公厅|办公室|人民政府)(?=.{2,})|^及(?=.{3,})", "", prefix)
        prefix = re.sub(r"(.{2,6})\1$", r"\1", prefix)   # 国办发国办发〔2021〕12号: a prefix typed twice
        if not prefix or len(prefix) < 2:
            continue
        no = canonical_doc_no(prefix, m.group(2), m.group(3))
        if no not in out:
            out.append(no)
    # A mirror that dropped the closing bracket: (国办发〔202112号) is 国办发〔2021〕12号; a copy that
    # dropped both (黑政办发201835号, 中府办函2022127号): the year is the four digits after the prefix.
    for m in (m for span in spans for m in _DOCNO_OPEN.finditer(span)):
        no = canonical_doc_no(m.group(1), m.group(2), m.group(3))
        if no not in out:
            out.append(no)
    return out


# A township's government (某镇人民政府, 某街道办事处, 某镇党委政府, 某镇党政办公室 issuing for it): a 镇/乡/
# 街道 of its own, not the 城镇/城乡 of a bureau's name (城乡建设局). Checked before the department rule,
# which would read 某镇人民政府办公室 as a bureau's office.
# A town's 党政综合办公室 (中山市横栏党政综合办公室, its 镇 left out) is a township's office: a county's
# and a bureau's offices have other names.
_TOWNSHIP_ISSUER = (r"(?<![城各乡街])(?:镇|乡|街道)(?:党委|党工委)?(?:人民政府|政府|办事处)?(?:党政综合办公室|党政办公室|党政办|办公室)?$"
                    r"|(?<![局委厅院校])党政综合办公室$"
                    r"|^中共[\u4e00-\u9fff]{1,12}(?<![城各乡街])(?:镇|乡|街道)(?:工作)?委员会$")
_LEVEL_RULES = [
    (r"^国务院", "national"),
    (_TOWNSHIP_ISSUER, "township"),
    (r"(省|自治区)(?:人民)?政府(办公厅)?$|^(北京|天津|上海|重庆)市(?:人民)?政府(办公厅)?$", "province"),
    (r"^[^省]*?(市|州|盟)(?:人民)?政府(办公厅|办公室)?$", "city"),
    # a development zone's 管理委员会 governs the zone as a county does (南昌经济技术开发区管理委员会办公室),
    # unlike a city's 城市管理委员会, a bureau
    (r"(区|县|旗)(?:人民)?政府(办公室)?$|(县级市)|管委会办公室$|(?:开发区|新区|园区|实验区|试验区|高新区|经开区|保税区)"
     r"管理委员会(办公室)?$", "county"),
    (r"(局|委员会|委|厅|办公室|中心|联合会)$", "department"),
]


def level_of_issuer(issuer: str | None) -> str | None:
    """The level of a document from its issuer.

    >>> level_of_issuer("国务院办公厅")
    'national'
    >>> level_of_issuer("广州市黄埔区人民政府办公室")
    'county'
    >>> level_of_issuer("台山市文化广电旅游体育局")
    'department'
    >>> [level_of_issuer(f"{x}人民政府办公室") for x in ("咸宁市", "赤壁市", "义乌市")]
    ['city', 'county', 'county']
    >>> [level_of_issuer(x) for x in ("巴中市巴州区某某镇人民政府", "某某街道办事处", "某某镇党委政府", "某某乡人民政府办公室",
    ...                               "某县住房和城乡建设局", "某市城乡规划办公室")]
    ['township', 'township', 'township', 'township', 'department', 'department']
    >>> level_of_issuer("中山市某某党政综合办公室")
    'township'
    """
    if not issuer:
        return None
    s = normalize(issuer)
    if re.search(r"领导小组(办公室)?$|政务公开(?:工作)?办公室$", s):   # (its 政务公开办 too)
        return None   # a government's steering group: its level is the government's, not in its name
    for pattern, level in _LEVEL_RULES:
        if re.search(pattern, s):
            if level == "city":
                # a county-level city's government (赤壁市人民政府办公室), or a municipality's (北京市…)
                return place_level(leading_place(s) or "") or level
            return level
    return None


_TOWN_NAME = r"([\u4e00-\u9fff]{1,8}?(?<![城各乡街])(?:镇|乡|街道))(?=党|人民政府|政府|办事处|办公|\d{4}年|贯彻|政务公开|$)"


def town_region(region: str | None, *names: str | None, text: str = "") -> str | None:
    """A township plan's region: its county's region and the town the issuer (else the title) names after
    the county, or opens with (巴中市巴州区 + 巴中市巴州区某某镇人民政府 → 巴中市巴州区某某镇), so that each
    town's offices (党政办公室, 财政所) are units of their own town; the county's region alone when no
    name says the town.

    >>> town_region("巴中市巴州区", "巴州区某某镇人民政府"), town_region("巴中市巴州区", None, "某某街道办事处2023年政务公开工作要点")
    ('巴中市巴州区某某镇', '巴中市巴州区某某街道')
    >>> town_region("巴中市巴州区", None, "关于印发2023年某某乡政务公开工作要点的通知")
    '巴中市巴州区某某乡'

    A town whose plan names no county is a region of its own name (its county is found from the plan it
    cites): 某某镇人民政府 → 某某镇.

    >>> town_region(None, "某某镇人民政府", "关于印发某某镇2023年政务公开工作要点的通知"), town_region(None, None, None)
    ('某某镇', None)

    Unless the text writes its county before it (a signature, an addressee: 巴州区某某镇人民政府):

    >>> town_region(None, "某某镇人民政府", text="各村(社区): 巴州区某某镇人民政府 2023年3月1日")
    '巴中市巴州区某某镇'
    """
    from .units import split_region

    parts = split_region(region) if region else []
    for name in names:
        s = normalize(name or "")
        s = re.sub(r"^(?:19|20)\d\d年度?", "", re.sub(r"^.*?关于(?:印发|转发)?", "", s))
        for head in ([region, parts[-1]] if parts else [region] if region else []):
            at = s.find(head)
            if at >= 0:
                s = s[at + len(head):]
                break
        m = re.match(_TOWN_NAME, s)
        if m and not (region or "").endswith(m.group(1)):
            return (region or _county_before(m.group(1), text) or county_named_in(text) or "") + m.group(1)
    # (a county named only in a sentence of its text, the plan it follows: 按照凉州区人民政府办公室关于印发…)
    return region or county_named_in(text)


def _county_before(town: str, text: str) -> str:
    """The region of the place (a county, or a city that governs its towns) the text writes right before
    the town's name, else ''."""
    at = text.find(town)
    while at >= 0:
        place = trailing_place(text[max(0, at - 12):at])
        found = region_of(place) if place else None
        if found:
            return found
        at = text.find(town, at + 1)
    return ""


_ADDRESSEES = [   # whom a notice is sent to says who sends it (the first rule that matches wins)
    (r"国务院各部委", "national"),
    # (驻白中省直单位: the central and provincial units seated in a city are a city's addressees)
    (r"省政府各|(?<![中驻])省直|省人民政府各|省政府有关", "province"),
    (r"市政府各|市直|市各有关|市属|市人民政府各", "city"),
    # a county sends its plan to its townships and its own bureaus (各乡镇人民政府、县单位, 县级有关部门);
    # a city that governs towns with no county names its own bureaus (市直) and is read above
    (r"区政府各|区府属|区直|县直|县政府各|区各有关|县各有关|县(?:级|属)?(?:各|有关|相关)*(?:单位|部门)|各乡镇", "county"),
    # a township sends its plan to its villages and its own offices (各村(社区), 镇直各单位, 各站所)
    (r"镇直|镇属|乡直|乡属|街道各|各村|各社区|村\(居\)|站所|各站、所", "township"),
    (r"处室|科室|股室|局属|局各", "department"),
]


def level_of_title(title: str | None) -> str | None:
    """The level of a plan from the region its title names: 南沙区2022年… is a district's.

    >>> level_of_title("广州南沙政务公开工作领导小组办公室关于印发南沙区2022年政务公开工作要点分工方案的通知")
    'county'
    >>> level_of_title("某县市场监督管理局2023年政务公开工作任务分解"), level_of_title("安徽省教育厅2024年政务公开重点工作任务分解")
    ('department', 'department')
    >>> level_of_title("2022年红谷滩区政务公开工作要点")
    'county'
    >>> level_of_title("关于印发某某县某某镇2023年政务公开工作要点的通知"), level_of_title("某某街道办事处2023年政务公开工作要点")
    ('township', 'township')
    >>> level_of_title("关于印发邹城市2019年政务公开工作任务分解表的通知"), level_of_title("某县统筹城乡2023年工作方案")
    ('county', None)
    >>> level_of_title("2023年某某镇政务公开工作要点"), level_of_title("镇2024年政务公开工作要点")
    ('township', 'township')
    >>> level_of_title("潍坊2021年政务公开工作要点"), level_of_title("关于印发2022年大理州政务公开工作要点的通知")
    ('city', 'city')
    """
    title = normalize(title or "")
    # A bureau's own plan (某县市场监督管理局2023年…任务分解): the issuer its title opens with.
    own = re.match(r"^([\u4e00-\u9fff]{2,30}?(?:局|委员会|办公室|中心|厅|委))(?:\d{4}年|贯彻落实)", title)   # (安徽省教育厅2024年…)
    if own and level_of_issuer(own.group(1)):
        return level_of_issuer(own.group(1))
    # (a township's: 某镇2023年…, 某街道办事处2023年…; not the 城乡 of a theme)
    m = re.search(r"([\u4e00-\u9fff]{1,6}?)(省|自治区|市|区|县|(?<![城各])镇|(?<![城各])乡|街道)(?:人民政府|办事处)?(?:\d{4}年|贯彻落实)", title)
    # the year first (2022年红谷滩区政务公开工作要点): the place the plan is for stands before its 政务公开
    m = m or re.search(r"^(?:.*?印发)?\d{4}年度?([\u4e00-\u9fff]{1,6}?)(省|自治区|市|区|县|(?<![城各])镇|(?<![城各])乡|街道)"
                       r"(?:政务公开|政府信息公开)", title)
    # (镇2024年…: a town's plan whose name the site blanked is a township's still)
    m = m or re.search(r"(?:^|(?<=[^\u4e00-\u9fff]))()(镇|乡|街道)(?:人民政府|办事处)?\d{4}年", title)
    if not m:
        # (a province or a prefecture named without its suffix: 潍坊2021年…, 2022年大理州…)
        return place_level(title_place(title) or "")
    if m.group(2) == "市" and place_level(trailing_place(m.group(1) + "市") or "") == "county":
        return "county"   # 赤壁市2022年…: a county-level city's
    return {"省": "province", "自治区": "province", "市": "city", "区": "county", "县": "county"}.get(m.group(2), "township")


# A unit named as a county names its own (区财政局, 县直各部门, 各镇(办)); an office's own sections
# (办公室, 财务科, 各业务科室) are a department's.
_COUNTY_UNIT = re.compile(r"^(?:区|县)(?!级|域)|^(?:各|相关|有关)?(?:区直|县直)|^各(?:乡镇|镇|街道|镇街|街镇|乡)")
_UPPER_UNIT = re.compile(r"^(?:省|市)(?!场|民(?!政|族|宗))|^各(?:县|区|市)(?!直)")
_SECTION_UNIT = re.compile(r"(?:科|股|室)$|^各?[局委][属屬]各?(?:事业)?[单單]位$")   # (局属各单位: the bureau's own, as its 科)
# A township's own offices: its 所/站 (财政所, 文化站), 卫生院, 党政办 and the like, its villages (各村(社区)),
# or a name under 镇/乡/街道 (镇财政所). A bureau's 科/股 is no township's.
_TOWNSHIP_UNIT = re.compile(r"(?:所|站|卫生院)$|^(?:镇|乡|街道)(?!级|域)|^(?:各|有关|相关)?(?:村|社区|行政村|村\(社区\)|村\(居\))"
                            r"|^(?:党政|党建|经发|综治|社会事务|社事|民政|应急|规划建设|村镇建设|农业农村|农业|财经|扶贫)"
                            r"(?:综合)?办(?:公室)?$")
_BUREAU_SECTION = re.compile(r"(?:科|股)$")


def level_of_units(names: list[str]) -> str | None:
    """The level of a plan that prints neither title nor issuer (a table on a page of its own), from the
    units it assigns: a county's when most are named as a county's and none as a city's or a province's;
    a department's when every one is an office's section.

    >>> level_of_units(["区数据资源局", "区发改委", "各区直部门", "各镇(办)", "经开区"])
    'county'
    >>> level_of_units(["办公室", "财务科", "各科室", "局综合科"])
    'department'
    >>> level_of_units(["市发改委", "区财政局", "各区政府"]) is None
    True

    A township's when most are its own offices (所/站, 卫生院, 党政办, 各村(社区)) and none is named as a
    county's or above, nor is a bureau's 科/股:

    >>> level_of_units(["党政办公室", "财政所", "便民服务中心", "卫生院"])
    'township'
    >>> level_of_units(["疾控科", "医政科", "监督所", "办公室"]) is None
    True
    """
    names = [n for n in names if n]
    if len(names) < 2:
        return None
    if all(_SECTION_UNIT.search(n) and not re.match(r"[省市区县]", n) for n in names):
        return "department"
    county = sum(1 for n in names if _COUNTY_UNIT.match(n))
    if county * 2 >= len(names) and not any(_UPPER_UNIT.match(n) for n in names):
        return "county"
    township = sum(1 for n in names if _TOWNSHIP_UNIT.search(n))
    if township * 2 >= len(names) and not county and not any(
            _UPPER_UNIT.match(n) or _BUREAU_SECTION.search(n) for n in names):
        return "township"
    return None


def level_of_addressees(line: str) -> str | None:
    """The level of a notice from its addressees, for a document whose issuer is not printed.

    >>> level_of_addressees("各市、州、县人民政府,省政府各部门:")
    'province'
    >>> level_of_addressees("各镇人民政府(街道办事处),市各有关单位:")
    'city'
    >>> level_of_addressees("机关各处室、局属各单位:")
    'department'
    >>> level_of_addressees("各村(社区)、镇直各单位:")
    'township'
    >>> level_of_addressees("各乡镇人民政府、县单位:"), level_of_addressees("各县(市、区)人民政府,市政府各委办局,驻某中省直单位:")
    ('county', 'city')
    """
    for pattern, level in _ADDRESSEES:
        if re.search(pattern, line):
            return level
    return None


def declared_sizes(text: str, normalized: bool = False) -> dict:
    """What a text says the full plan holds ("5部分15方面共52项具体任务"); ``normalized`` as in
    :func:`find_doc_numbers`."""
    s = text if normalized else normalize(text)
    out = {}
    for key, near, pattern in _SIZES:
        # Each pattern needs its word right after a number (or a space, or 个): found first by a pattern
        # that opens with the word, which the regex engine skips to, the number's pattern runs in the
        # few texts that have it; run alone it tried every digit of a whole text.
        m = pattern.search(s) if near.search(s) else None
        if m:
            out[key] = int(m.group(1))
    return out


# (The numbers' patterns open with \d\d*, not \d+ (the same numbers), so that the engine skips to a
# digit; 共 before the number, once optional in the third, changes no number found.)
_SIZES = (("parts", re.compile(r"(?:部分|大类)(?<=[\d\s个]..)"), re.compile(r"(\d\d*)\s*(?:个)?(?:部分|大类)")),
          ("aspects", re.compile(r"方面(?<=[\d\s个]..)"), re.compile(r"(\d\d*)\s*(?:个)?方面")),
          ("tasks", re.compile(r"[项条](?<=[\d\s].)(?:具体|重点|工作)?任务"),
           re.compile(r"(\d\d*)\s*(?:项|条)(?:具体|重点|工作)?任务")))


_TITLE = re.compile(r"(关于.{2,60}?的(?:通知|公告)|.{2,40}?(?:工作要点|分工方案|实施方案|实施意见|活动方案|任务分工|任务分解表?|工作方案|台账|(?:任务|工作)清单(?:及分工)?|"
                    # 2017年天津市政务公开重点工作安排: how some name the year's plan; 关于印发…的公告: a notice by another name
                    r"责任清单|政务公开(?:重点)?工作安排)(?:的解读)?)")
# What parts a page's field label from its value: 发文字号:…, 发文字号 …, or a table's cell, the label in
# brackets ([ 发文字号 ] | …, 【标题】…).
_SEP = r"\s*[\]】]?\s*(?:[::]\s*\|?|\|)?\s*"   # (发布机构: | 某局 |: a field table's row as pipe text)
_FIELD = {
    # (名称、文号、发布机构、索引号 in a sentence lists a page's fields: no label, no value)
    "issuer": re.compile(r"(?<!、)(?:发布机构|发文机关|发文单位|发布单位|发布者)(?!、)" + _SEP + r"([\u4e00-\u9fff][\u4e00-\u9fff、]{3,39})"),
    "source": re.compile(r"来源\s*[::]\s*([\u4e00-\u9fff、]{4,40}?)(?=时间|日期|发布|作者|浏览|点击|字号|[^\u4e00-\u9fff、]|$)"),
    "doc_no": re.compile(r"(?:文号|发文字号)" + _SEP + r"(\S+?〔\d{4}〕\d*号)"),
    "date": re.compile(r"(?:成文日期|发布日期|发文日期|生成日期|印发日期)" + _SEP + r"(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})"),
}
_TITLE_LABEL = re.compile(r"^[\[【]?\s*(?:名\s*称|标\s*题)\s*[\]】]?\s*[::|]\s*|^[\[【]\s*(?:名\s*称|标\s*题)\s*[\]】]\s*"
                          # a metadata table's row read as one line (标题 某区…的通知 有效性 有效), its
                          # spaces folded by the normalizer: no title opens with the word 标题
                          r"|^标\s*题\s*(?=[\u4e00-\u9fff])")
_NOT_TITLE = re.compile(r"印发给你们|现印发|已经.{0,12}同意|^\d{1,3}[.、]|^[一二三四五六七八九十]+、|现转发|请认真"
                        # 问:…工作要点的制定背景 / 答:…: a question-and-answer 解读's lines, no title
                        r"|^[问答][:：]|[问答][:：]$"
                        # a task's sentence (制定并公开本部门…任务清单,明确…): a title names, it does not ask
                        r"|^(?:制定|做好|加强|推进|推动|明确|积极|认真|严格|及时|持续|全面|抓好|落实)(?!.*关于).*[,，]")
_ORG = re.compile(r"(办公厅|办公室|政府|局|委员会|委|厅|中心|小组|管委会)$")
_FIELD_WORDS = re.compile(r"(成文日期|发布日期|发文日期|生成日期|信息来源|索引号|文号|(?:主题|组配|体裁)分类|公开形式|名称|名$|标题|有效性).*$")


def _clean_issuer(name: str) -> str:
    """An issuer field without the next field's label glued to it (the normalizer folds spaces)."""
    name = _FIELD_WORDS.sub("", name)
    return re.sub(r"^本网", "", name)


_NOTE_LINE = re.compile(r"^[(（][^()（）]*[)）]$|^[(（]此件")   # ((此件公开发布( whose bracket a mirror turned)   # (此件公开发布), (此件主动公开): a note, no part of a title
# A page's buttons and fields above a title ([打印][关闭], 字号:[大 中 小], 浏览次数:1024, what is left of
# them once cut: 小]): no part of it either.
_CHROME_LINE = re.compile(r"[【\[][\u4e00-\u9fff\s]{1,8}[】\]]|发布(?:时间|日期)|浏览|字号|点击|^[^\u4e00-\u9fff]*(?:[\u4e00-\u9fff][^\u4e00-\u9fff]*)?$")
# Where a flattened opening is cut back into the lines its page had: after a notice's title (…的通知),
# around its own number, after the addressees' colon, after a sentence, around a date, around a note
# such as (此件公开发布). Inside 《》 or brackets nothing is cut: a quoted title is a citation.
_NOT_DEADLINE = r"(?![前后起止至以内底—\-~到]|发表|发布)"   # nor a post's date (于2022年4月22日发表)   # 2022年1月10日前 is a deadline in a sentence, no signature
_HEAD_CUT = re.compile(
    r"(?<=的通知)(?!》)|(?<=的公告)(?!》)|(?<=的解读)(?!》)|(?<=[:：])(?<![问答][:：])(?=\S)|(?<=。)|(?<![于在])(?=(?:19|20)\d\d年\d{1,2}月\d{1,2}日" + _NOT_DEADLINE + ")"
    r"|(?:(?<=(?:19|20)\d\d年\d月\d日)|(?<=(?:19|20)\d\d年\d\d月\d日)|(?<=(?:19|20)\d\d年\d月\d\d日)"
    r"|(?<=(?:19|20)\d\d年\d\d月\d\d日))" + _NOT_DEADLINE + r"|(?=[(（]此件)"
    r"|(?<=此件主动公开[)）(（])|(?<=此件公开发布[)）(（])"   # (a mirror turns its closing bracket: (此件公开发布()
    # a signing date whose 年月日 the page lost (寿光市人民政府办公室 20197 9): a line of its own
    r"|(?<=\s)(?=(?:19|20)\d\d(?:1[0-2]|[1-9])\s(?:3[01]|[12]\d|[1-9])(?:\s|$))"
    # a page's chrome before the title (客服热线:0755-8882 8155 珠海市…关于…): the title starts its own line
    # (an issuer with a bracketed part, 山东省教育厅(中共山东省委教育工委)办公室关于…, is one name: no cut at its ")")
    r"|(?<=[^\u4e00-\u9fff《(（“)）])(?!的)(?=[\u4e00-\u9fff]{2,30}?(?:[(（][\u4e00-\u9fff]{2,20}[)）][\u4e00-\u9fff]{0,20}?)?关于)"
    r"|(?<=[^\u4e00-\u9fff《(（“])(?=[\u4e00-\u9fff]{2,30}?(?:办公室|办公厅|政府|局|委)(?:印发|转发)[^给]{4})"
    # a plan's own title before its first sentence (…工作要点 2022年,要坚持… / …工作要点为深入贯彻…)
    # (…任务分工深入贯彻…, …实施方案更新于2024年…, …实施方案各市人民政府…: a sentence's first words, the site's date, its addressees)
    r"|(?<=工作要点|分工方案|实施方案|实施意见|活动方案|任务清单|工作方案|工作安排|任务分工|任务安排)(?=\s|(?:19|20)\d\d年|为|深入贯彻|根据|按照|更新于|发布于|各[^。]{1,60}?[:：])")


_GLUED_SIGN_DATE = re.compile(r"(?<=[室厅府会局])((?:19|20)\d{5,6})(?=[\u4e00-\u9fff]|$)")


def head_lines(lines: list[str], limit: int = 12) -> list[str]:
    """The normalized opening of a document that lost its line breaks, cut back into lines for :func:`read_metadata`
    (its first ``limit`` lines, where the opening sits; the rest as they are).

    >>> head_lines(["广东省人民政府办公厅关于印发某方案的通知粤府办〔2022〕17号各地级以上市人民政府,省政府各部门:《某方案》已经省人民政府同意,现印发给你们。广东省人民政府办公厅2022年5月20日一、总体要求"])[:6]
    ['广东省人民政府办公厅关于印发某方案的通知', '粤府办〔2022〕17号', '各地级以上市人民政府,省政府各部门:', '《某方案》已经省人民政府同意,现印发给你们。', '广东省人民政府办公厅', '2022年5月20日']
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        if i >= limit:
            out.append(line)
            continue
        pieces, depth, start = [], 0, 0
        cuts = {m.start() for m in _HEAD_CUT.finditer(line)}
        for no in find_doc_numbers(line, normalized=True):   # the document's own number, on a line of its own
            # (as printed: 呼政办字〔2021 〕49号, a space inside, is the number 呼政办字〔2021〕49号)
            pm = re.search(r"\s*".join(map(re.escape, no)), line)
            if pm:
                at, z = pm.span()
                # (nothing cuts inside it: 建政办发〔2022〕18号建平县…关于… is no chrome before a title at 号)
                cuts = {k for k in cuts if not at < k < z} | {at, z}
        for m in _GLUED_SIGN_DATE.finditer(line):   # 某党政综合办公室2022728横栏镇…: a date lost its 年月日
            if sign_date(m.group(1)):
                cuts |= {m.start(1), m.end(1)}
        closed = _closed_openers(line)
        for k, ch in enumerate(line):
            if k in cuts and depth == 0 and k > start:
                pieces.append(line[start:k])
                start = k
            if k in closed:
                depth += 1
            elif ch in "》)）]】" and depth:
                depth -= 1
        pieces.append(line[start:])
        out += [p.strip() for p in pieces if p.strip()]
    return out


def _closed_openers(line: str) -> set[int]:
    """Positions of the brackets in ``line`` that a bracket later closes: one a page's chrome left open
    (字号:【 whose 大 中 小】 was lost) holds nothing, and the opening after it is still cut into lines.

    >>> sorted(_closed_openers("字号:【浏览量:《要点》(一)"))
    [8, 12]
    """
    stack: list[int] = []
    closed: set[int] = set()
    for k, ch in enumerate(line):
        if ch in "《(（[【":
            stack.append(k)
        elif ch in "》)）]】" and stack:
            closed.add(stack.pop())
    return closed


def _without_chrome(title: str, lines: list[str]) -> str:
    """A notice's title without the page's chrome glued before it when the text lost its breaks
    (首页政务公开…制度平潭…办公室关于…; 返回首页政府信息公开关于…): before 关于 stands its issuer, the
    longest end of that run that the document signs with, else none where the run is no office.

    >>> _without_chrome("信息公开制度与保障信息公开制度与保障广州南沙政务公开工作领导小组办公室关于印发…的通知", [])
    '广州南沙政务公开工作领导小组办公室关于印发…的通知'
    """
    # (the 关于 of a title it issues is none: 某办公室印发《关于…的实施意见》的通知)
    at = title.find("关于")
    if at > 0 and re.search(r"(?:印发|转发)《[^《》]*$", title[:at]):
        at = -1
    if at < 0:   # (…办公室印发…的通知: its issuer stands before 印发)
        m = re.search(r"(?:(?<=办公室)|(?<=办公厅)|(?<=人民政府))(?:印发|转发)", title)
        at = m.start() if m else -1
    if at <= 0:
        return title
    before = title[:at]
    doubled = _DOUBLED.match(before)
    if doubled and _ORG.search(before[doubled.end():] or doubled.group(1)):   # (来源:某办公厅|某办公厅关于…: the
        before = before[doubled.end():] or doubled.group(1)   # issuer twice) the page's heading twice (menu, breadcrumb)
    signed = signed_end(before, lines)
    if signed != before and before[:len(before) - len(signed)] in ("《", "“") and re.search(r"[》”].", title[at:]):
        # 《某市人民政府办公室关于…的通知》政策解读: the quote is the title's own (a quote that ends the line
        # is only the title quoted after its number, 某政办发〔2022〕35号《…的通知》)
        return before + title[at:]
    if signed != before:
        # offices that issue it together (中共某市委办公室某市人民政府办公室印发…) sign one under the other
        rest = before[:len(before) - len(signed)]
        joint = signed_end(rest, lines)
        if joint in signers(lines):
            signed = joint + signed
        return signed + title[at:]
    if _ORG.search(before) and not leading_place(before):
        # 注册政府信息公开吉林省…领导小组: a site's words before the issuer, which opens with its place
        at_place = next((k for k in range(1, len(before) - 3) if leading_place(before[k:])), None)
        if at_place is not None:
            before = before[at_place:]
    return before + title[at:] if _ORG.search(before) else title[at:]


_DOUBLED = re.compile(r"^([\u4e00-\u9fff]{3,20}?)\1")


def _unclosed(text: str, mark: str, other: str) -> bool:
    """Whether ``text`` holds more ``mark`` than ``other`` (a 《 opened and not closed on its line)."""
    return text.count(mark) > text.count(other)


_SITE = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:人民政府|政府))\s*(?:www\.|https?://|发布时间)")


def _breadcrumb_title(step: str) -> bool:
    """Whether a breadcrumb's last step is the document's title, not a column of the site: a title
    (关于…的通知, …工作要点) that names its year, its place or what it is about (关于); a column's name
    (政务公开工作要点, 政策法规) names none.

    >>> _breadcrumb_title("政策法规"), _breadcrumb_title("政务公开工作要点"), _breadcrumb_title("某县2022年政务公开工作要点")
    (False, False, True)
    """
    return bool(_TITLE.search(step) and (re.search(r"关于|(?:19|20)\d\d年", step) or leading_place(step)))

_FIRST_BODY = re.compile(r"^([\u4e00-\u9fff]{2,24}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室))"
                         r"(?!办公|办事)")
_MENU_ITEM = re.compile(r"^\s*[•·▪●◆■]\s*(?![^:：]{2,6}[:：])\S{1,20}\s*$")   # (• 发文字号:… is a field)
_MENU_WORD = re.compile(r"^[\u4e00-\u9fff]{2,12}$")   # 托克托县, 发展和改革委员会, 政务动态: no punctuation, no digit


def _menus(lines: list[str]) -> set[int]:
    """Lines of a site's menus: a bulleted item, or one of eight or more short bare words in a row (its
    menus printed or copied without their bullets) that name no plan. A word on the line above a title
    (呼和浩特市人民政府办公室 / 关于印发…的通知) is its issuer, printed as a red header prints it: no menu."""
    out = {i for i, ln in enumerate(lines) if _MENU_ITEM.match(ln)}
    run: list[int] = []
    heads = lambda i: i + 1 < len(lines) and (lines[i + 1].lstrip().startswith("关于") or _TITLE.search(lines[i + 1]))  # noqa: E731
    for i, ln in enumerate([*lines, ""]):
        if i < len(lines) and (i in out or (_MENU_WORD.match(ln.strip()) and not _TITLE.search(ln) and not heads(i))):
            run.append(i)
            continue
        if len(run) >= 8:
            out.update(run)
        run = []
    return out


def read_metadata(lines: list[str]) -> dict:
    """Metadata found in the first lines of a document (normalized lines in, plain dict out)."""
    # A site's menus (• 土默特左旗 / • 发展和改革委员会 …, fifty lines of them before the title) are no
    # part of the document's opening.
    menus = _menus(lines)
    lines = [ln for i, ln in enumerate(lines) if i not in menus]
    head = "\n".join(lines[:80])
    meta: dict = {}
    title_at = None
    for i, line in enumerate(lines[:40]):
        if ("关于" in line and not _TITLE.search(line) and i + 1 < len(lines) and len(lines[i + 1]) <= 30
                and lines[i + 1].strip().endswith("的通知") and not re.search(r"[。,,::;]", line + lines[i + 1])):
            line = line.strip() + lines[i + 1].strip()   # 关于印发2017年某区政务公开 / 工作要点的通知
        if i + 1 < len(lines) and (joined := title_ends_on_next_line(line, lines[i + 1])):
            line = joined   # …工作要点的 / 通  知
        m = _TITLE.search(line)
        # A page's 标题 field names the title whatever it is (a report's too), not only a plan's.
        labelled = (lm := _TITLE_LABEL.match(line)) and re.search(r"[\u4e00-\u9fff]{4}", line[lm.end():])
        if not (m or labelled) or len(line) > 120 or _NOT_TITLE.search(line) or line.rstrip().endswith("。"):
            continue   # a sentence (…要结合实际制定具体实施方案。) names a plan, it is no title
        t = _TITLE_LABEL.sub("", line).strip()
        if labelled and "|" in t:   # the label's row of cells: its value is the first
            t = next((c.strip() for c in t.split("|") if c.strip()), t)
        if labelled:   # …的通知 有效性 有效: the next field's label ends the value
            t = _FIELD_WORDS.sub("", t).strip() or t
        steps = re.split(r"[»>]|\?\s", t)
        t = steps[-1].strip()        # a breadcrumb's last step
        if len(steps) > 2 and not _breadcrumb_title(t):
            continue   # 首页 > 政务公开 > 政务公开工作要点 > 政策法规: the site's columns, the title is below
        t = re.sub(r"\s*(发布日期|发布时间|更新时间|来源|浏览次数).*$|\s*[(（]\s*\d{4}年\d{1,2}月\d{1,2}日\s*[)）]$", "", t)  # (…的通知 (2024年04月08日): the page's date)
        t = re.sub(r"\s*[((](?:[^))]*|征求意见稿[))])$", "", t)   # an unclosed (鲁政办发?021??; a draft's mark
        bracketed = re.search(r"(?<=的通知)[((]([\u4e00-\u9fff]{1,8}[〔\[]\d{4}[〕\])）]\d*号)[))]$", t)
        if bracketed:   # …的通知(岳办发〔2017〕2号): the page prints its own number after its title (OCR: [2020))
            meta["title_no"] = (find_doc_numbers(bracketed.group(1)) or [bracketed.group(1)])[0]
            t = t[:bracketed.start()]
        own_no = re.search(r"[\u4e00-\u9fff]{1,8}[〔\[]\d{4}[〕\]]\d*号$", t)   # its own number glued on (OCR: 〔2021])
        if own_no:
            # …的通知珠府办函〔2019〕116号: the number's prefix begins where the title ends
            ends = t.rfind("的通知", 0, own_no.end())
            t = t[:max(own_no.start(), ends + 3 if ends >= 0 else 0)]
        t = re.sub(r"^(?:附件\d*|转发|转载|文字解读|图文解读)[::]", "", t)   # (转发:《…》政策解读: the site's mark)
        # A file's name (…实施方案.docx - 文档编号:…): no title holds an extension; what follows is the site's
        t = re.sub(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|txt)\b.*$", "", t, flags=re.I)
        # 邹政办字〔2019〕33号:关于印发…的通知: a file named by its number, then its title; a list of a site's
        # files prints it so too, its status first ((失效)西政办发〔2017〕14号 北京市…的通知)
        lead_no = re.match(r"(?:[(（【\[][\u4e00-\u9fff]{1,4}[)）】\]]\s*)?([\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号)"
                           r"\s*[::]?\s*(?=\S)", t)
        if lead_no:
            meta["title_no"] = lead_no.group(1)
            t = t[lead_no.end():]
        if "_" in t and re.search(r"20\d\d年", t):
            t = t[re.search(r"20\d\d年", t).start():]   # a mirror's spam (xx_yy_zz网址) before the year
        if "关于" not in t:
            # A title printed over several short lines: 广东省人民政府办公厅关于印发广东省 / … / 的通知
            j = i
            while j > 0 and i - j < 3 and len(lines[j - 1]) <= 30 and not re.search(r"[。,,::;]", lines[j - 1]) \
                    and lines[j - 1].strip():
                j -= 1
                if "关于" in lines[j]:
                    t = "".join(x.strip() for x in lines[j:i]) + t
                    break
            else:
                # (or a line that closes the 《 its line above opened: 舟山市贯彻《浙江省政务公开 / 五年…》实施方案)
                if ((len(t) <= 15 or _unclosed(t, "》", "《") and _unclosed(lines[i - 1], "《", "》"))
                        and i > 0 and len(lines[i - 1]) <= 30 and not re.search(r"[。,,::;]", lines[i - 1])
                        and not _NOTE_LINE.match(lines[i - 1].strip()) and not _CHROME_LINE.search(lines[i - 1])):
                    t = lines[i - 1].strip() + t   # 东莞市贯彻落实国家、省2021年政务公开 / 工作要点分工方案
        # A title has no space inside (关于印发 2021年…, 2021 年…: a typesetter's or a crawler's)
        t = re.sub(r"(?<=[\u4e00-\u9fff\d》”)])\s+(?=[\u4e00-\u9fff《“(])|(?<=[\u4e00-\u9fff])\s+(?=\d)", "", t)
        t = _without_chrome(t, lines)[:120]
        if t.startswith("关于") and i > 0:
            # 呼和浩特市人民政府办公室 / 关于印发…的通知: a red-header notice prints its issuer on the line above
            # its 关于; the title names the issuer as every other notice's does (a site's 【市本级】 tag is no part of it)
            above = re.sub(r"^\s*[【\[][^】\]]{1,8}[】\]]\s*", "", lines[i - 1]).strip()
            above = re.split(r"[»>]", above)[-1].strip()   # (首页 » 某市人民政府办公室: a breadcrumb's last step)
            # (a real office: a known place's, or one the page names again, as it signs; no mirror's junk)
            if (4 <= len(above) <= 30 and _ORG.search(above) and not re.search(r"[。,,::;；、\s]", above)
                    and (leading_place(above) or sum(above in x for x in lines) >= 2)):
                t = above + t
        if t.endswith("》") and t.count("》") > t.count("《"):
            t = t[:-1]   # 苏政办发〔2022〕35号《…的通知》: the page quoted the title after its number
        meta["title"] = title_continued(t, lines[i + 1]) if i + 1 < len(lines) else t
        title_at = i
        break
    # The title names the issuer best (X关于印发…); a mirror's 发布机构 field may name the mirror.
    if meta.get("title"):
        # (…办公室印发…的通知 without 关于: the office before 印发/转发 is as much the issuer)
        tm = re.match(r"^(.{4,40}?)(?:关于|印发|转发)", meta["title"])
        if tm and _ORG.search(tm.group(1)):
            meta["issuer"] = tm.group(1)
    m = _FIELD["issuer"].search(head)
    if m and not meta.get("issuer"):
        meta["issuer"] = _clean_issuer(m.group(1))
    m = _FIELD["doc_no"].search(head)
    title_no = meta.pop("title_no", None)
    if m:
        nos = find_doc_numbers(m.group(1))
        meta["doc_no"] = nos[0] if nos else m.group(1)
    elif title_no:
        meta["doc_no"] = (find_doc_numbers(title_no, normalized=True) or [title_no])[0]
    else:
        # A number printed alone on a line under the title; in brackets it is the one a sentence cites
        # (…要点的通知(黑政办发201835号)和…, its line cut from a flattened opening).
        for i, line in enumerate(lines[:40]):
            nos = find_doc_numbers(line, normalized=True)
            # (one a sentence lists, a 、 or a comma beside it, is cited: …的通知、国办发〔2021〕12号,《…》)
            inside = (i and lines[i - 1].rstrip().endswith(("、", ",", "，"))
                      or i + 1 < len(lines) and lines[i + 1].lstrip().startswith(("、", ",", "，")))
            if nos and len(line) <= len(nos[0]) + 4 and not line.lstrip().startswith(("(", "（")) and not inside:
                meta["doc_no"] = nos[0]
                break
            # (but a number in brackets that opens the line right under the title is the title's own:
            # …的通知 / (岳办发〔2017〕2号)来源:…, as a page prints it after its title)
            if nos and i == (title_at if title_at is not None else -2) + 1 and re.match(r"[((]\s*" + re.escape(nos[0]), line):
                meta["doc_no"] = nos[0]
                break
        else:
            if bare := (title_at is not None and number_beside_title(lines, title_at)) or number_after_title(lines, meta.get("title")):
                meta["doc_no"] = bare   # 中县政务公开202210 beside the title (brackets, 号 lost); 《own title》(豫政办〔2021〕26号)
    m = _FIELD["date"].search(head)
    dates = []
    if m:
        dates.append(tuple(int(x) for x in m.groups()))
    for i, line in enumerate(lines):
        sd = sign_date(line)
        # A date under a label (发布日期: / 2020年09月24日, the label's line lost with the line breaks)
        # is that field's value; the signature's date is under the signer.
        if sd and not (i and lines[i - 1].rstrip().endswith((":", "："))):
            if not (dates and not SIGN_DATE.match(line)):   # glued digits (202288) yield to a labelled date
                dates.insert(0, sd)
            break
    if dates:
        y, mo, d = dates[0]
        if 1 <= mo <= 12 and 1 <= d <= 31:
            meta["issued_on"] = f"{y:04d}-{mo:02d}-{d:02d}"
    # The year a plan is for stands before its 政务公开; a target (到2023年) or a period's end
    # (2021—2025年) is no plan's year.
    years = re.findall(r"(?<![到至—\-~–－])(20\d\d)年(?:度)?(?:政务公开|政务信息公开|政府信息公开|广州市|.{0,12}政务公开)",
                       meta.get("title", "") + "\n" + head)
    if years:
        meta["year"] = int(years[0])
    elif dates:
        meta["year"] = dates[0][0]
    all_nos = find_doc_numbers("\n".join(lines), normalized=True)
    own = meta.get("doc_no")
    meta["cites"] = [n for n in all_nos if n != own]
    meta["declared"] = declared_sizes(head, normalized=True)
    addressees = next((l for l in lines[:60] if "各" in l and len(l) <= 100 and re.search(r"[::]$", l.strip())), None)
    if addressees:
        meta["addressed_level"] = level_of_addressees(addressees)
    if "issuer" not in meta and (named := issuer_line(lines)):
        meta["issuer"] = named
    if not meta.get("issuer"):
        # A page's 来源 (the site that posted it) only when the document signs with no office: the
        # signature names its issuer better (北京市人民政府办公厅 signs what 北京市人民政府's site posts).
        m = _FIELD["source"].search(head)
        if m and _ORG.search(_clean_issuer(m.group(1))):
            meta["issuer"] = _clean_issuer(m.group(1))
        if m and (first := _FIRST_BODY.match(m.group(1))) and first.group(1) != m.group(1):
            # 来源:乌鲁木齐市人民政府扫一扫在手机打开当前页…, its line's end lost: the body's name is the field
            meta["issuer"] = first.group(1)
    if not meta.get("issuer"):
        # A breadcrumb step that is an office's name (… >> 白城市人民政府办公室 >> 政府信息公开制度): the
        # office's own column posts it, as its 来源 would say
        crumbs = next((l for l in lines[:10] if len(re.findall(r"[»>]+", l)) >= 2), "")
        office = [c.strip() for c in re.split(r"[»>]+", crumbs) if SIGNER.match(c.strip()) and "专栏" not in c]
        if office:
            meta["issuer"] = office[-1]
    # The government whose site posts it (中方县人民政府 www.… 发布时间:…): its region is the document's
    # when nothing else names one (a portal posts every office's documents: no issuer)
    site = next((m.group(1) for l in lines[:10] if (m := _SITE.match(l.strip()))), None)
    if site:
        meta["site"] = site
    if meta.get("issuer"):
        meta["issuer"] = province_spelled_out(placed(signed_end(meta["issuer"], lines), lines))
        # offices that issue it together (中共某市委办公室某市人民政府办公室): the government's office is
        # its issuer, as the title names it when the two sign on lines of their own
        joint = re.match(r"^中共[\u4e00-\u9fff]{2,20}?(?:委员会)?办公[室厅]([\u4e00-\u9fff]{2,20}?人民政府办公[室厅])$", meta["issuer"])
        if joint:
            meta["issuer"] = joint.group(1)
    return meta
