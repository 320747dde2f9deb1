"""China's administrative divisions down to the county (``places.tsv``: GB/T 2260 codes and names, from
the cpca package's table, MIT; ``scripts/make_places.py`` writes it): what level a place's name is, and
the places above it. A name alone cannot tell a county-level city (赤壁市, 义乌市) from a prefecture
(咸宁市): the code can (``421281`` is a county of ``4212``, in province ``42``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["is_place", "place_level", "place_chain", "leading_place", "trailing_place", "region_of", "names_a_place",
           "title_region", "bare_place", "title_place", "unlisted_region"]

# Placeholders of the table, no place's name (the districts of a municipality, its counties, the
# counties a province governs directly).
_NO_PLACE = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(name → its codes, code → name)."""
    by_name: dict[str, list[str]] = {}
    by_code: dict[str, str] = {}
    for line in (Path(__file__).with_name("places.tsv")).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        by_code[code] = name
        if name not in _NO_PLACE:
            by_name.setdefault(name, []).append(code)
    # A county-level city made a district of its prefecture after the table was written (长乐市 →
    # 福州市长乐区, 2017) keeps its name's stem: X区 is X市's place when the table knows no X区.
    for name, codes in list(by_name.items()):
        if name.endswith("市") and len(name) >= 3 and name[:-1] + "区" not in by_name \
                and all(_level(c) == "county" for c in codes):
            by_name[name[:-1] + "区"] = codes
    return {k: tuple(v) for k, v in by_name.items()}, by_code


def is_place(name: str) -> bool:
    """Whether ``name`` is the name of a place of the table (a county, a prefecture, a province)."""
    return name in _table()[0]


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"      # 北京市 too: a municipality is of the provinces' level
    return "city" if code.endswith("00") else "county"


def place_level(name: str) -> str | None:
    """The level of the place ``name`` names, when every place of that name is of one level.

    >>> [place_level(n) for n in ("湖北省", "咸宁市", "赤壁市", "黄埔区", "北京市", "恩施土家族苗族自治州", "某县")]
    ['province', 'city', 'county', 'county', 'province', 'city', None]
    """
    codes = _table()[0].get(name, ())
    levels = {_level(c) for c in codes}
    return levels.pop() if len(levels) == 1 else None


def place_chain(name: str) -> list[str] | None:
    """The places from the province down to ``name`` (a county, a prefecture or a province), when only
    one place has that name; a placeholder level (a municipality's 市辖区) is left out.

    >>> place_chain("赤壁市")
    ['湖北省', '咸宁市', '赤壁市']
    >>> place_chain("东城区")
    ['北京市', '东城区']
    >>> place_chain("鼓楼区") is None   # four cities have one
    True
    """
    by_name = _table()[0]
    codes = by_name.get(name, ())
    if len(codes) != 1:
        return None
    return _chain(codes[0])


def _chain(code: str) -> list[str]:
    by_code = _table()[1]
    above = [code[:2] + "0000", code[:4] + "00", code]
    return [by_code[c] for c in dict.fromkeys(above) if c in by_code and by_code[c] not in _NO_PLACE]


_SUFFIX = re.compile(r"省|自治区|市|自治州|州|盟|地区|县|自治县|旗|区")


def leading_place(text: str) -> str | None:
    """The place a name opens with, when the table knows it (the shortest known prefix).

    >>> leading_place("赤壁市人民政府办公室")
    '赤壁市'
    >>> leading_place("广州市黄埔区人民政府办公室")
    '广州市'
    >>> leading_place("市政府办公室") is None
    True
    """
    by_name = _table()[0]
    for m in _SUFFIX.finditer(text[:16]):
        head = text[:m.end()]
        if head in by_name:
            return head
    return None


def trailing_place(text: str) -> str | None:
    """The longest place name the table knows that ends ``text``.

    >>> trailing_place("关于印发赤壁市")
    '赤壁市'
    """
    by_name = _table()[0]
    return next((text[k:] for k in range(max(0, len(text) - 12), len(text) - 1) if text[k:] in by_name), None)


def region_of(name: str | None) -> str | None:
    """The region an issuer's name places it in, written as manifests write regions: the prefecture then
    the county, without the province (a province's or a municipality's own name heads its chain); None
    when its name opens with no place the table knows, or with one several places share.

    >>> [region_of(n) for n in ("台山市文化广电旅游体育局", "广州市黄埔区人民政府办公室", "赤壁市人民政府办公室",
    ...                          "广州市水务局", "湖北省人民政府办公厅", "北京市东城区人民政府", "国务院办公厅")]
    ['江门市台山市', '广州市黄埔区', '咸宁市赤壁市', '广州市', '湖北省', '北京市东城区', None]
    """
    by_name = _table()[0]
    first = leading_place(name or "")
    if first is None or len(by_name[first]) != 1:
        return None
    code = by_name[first][0]
    below = leading_place(name[len(first):]) if _level(code) != "county" else None
    if below is not None:   # 广州市|黄埔区, 北京市|东城区: the place of that name inside the first
        inside = [c for c in by_name[below] if c != code and c.startswith(code[:2] if code.endswith("0000") else code[:4])]
        code = inside[0] if len(inside) == 1 else code
    chain = _chain(code)
    if _level(code) == "county" and chain[-1] != (below or first) and (below or first)[:-1] == chain[-1][:-1]:
        chain[-1] = below or first   # written as the district it is now (长乐区), not the city it was
    return "".join(chain[1:] if len(chain) > 1 and not chain[0].endswith("市") else chain)


@lru_cache(maxsize=4096)
def names_a_place(name: str) -> bool:
    """Whether a unit's name holds a place's name of its own: a city's or a county's with its 市/县
    (人民银行潍坊市中心支行), or a prefecture's without it at the name's start (潍坊银监分局). (Not a
    county's bare stem: 公安局 and 自然资源局 name no county.)

    >>> [names_a_place(n) for n in ("人民银行潍坊市中心支行", "潍坊银监分局", "财政局", "公安局", "自然资源局")]
    [True, True, False, False, False]
    >>> names_a_place("人民银行天津分行"), names_a_place("统计局")
    (True, False)
    """
    by_name = _table()[0]
    for k in range(1, min(len(name) - 1, 12)):
        for n in (3, 4):
            whole = name[k:k + n]
            if len(whole) == n and whole[-1] in "市县" and whole in by_name \
                    and _level(by_name[whole][0]) in ("city", "county"):
                return True
    if any(name[:n] + "市" in by_name and _level(by_name[name[:n] + "市"][0]) == "city" for n in (2, 3)):
        return True
    # 人民银行天津分行, 国家税务总局河北省税务局: a province's name inside (a central body's branch there)
    return any(name[k:k + 2] + suffix in by_name and _level(by_name[name[k:k + 2] + suffix][0]) == "province"
               for k in range(1, len(name) - 2) for suffix in ("市", "省"))


# A development zone is named after the prefecture it lies in, without the prefecture's 市
# (宜春经济技术开发区, 潍坊高新区): the zone's plans are that prefecture's.
_ZONE = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?:国家级)?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|经开区|"
                   r"开发区|新区|综合保税区|保税区|工业园区|产业园区)")


# A place's name without its suffix (潍坊 for 潍坊市, 大理 for 大理白族自治州, 广西 for 广西壮族自治区): the
# nationalities an autonomous place names go with the suffix.
_NATIONS = r"(?:朝鲜|土家|苗|藏|羌|彝|布依|侗|哈尼|壮|傣|白|景颇|傈僳|回|蒙古|柯尔克孜|哈萨克|维吾尔)族?"
_UPPER_STEM = re.compile(r"^(.{2,}?)(?:" + _NATIONS + r")*(?:自治州|自治区|特别行政区|省|市|地区|盟)$")
_COUNTY_STEM = re.compile(r"^(.{2,}?)(?:" + _NATIONS + r")*(?:自治县|自治旗|林区|特区|县|区|市|旗)$")


@lru_cache(maxsize=1)
def _stems() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(bare name → codes of the provinces and prefectures that have it, bare name → codes of the counties)."""
    upper: dict[str, list[str]] = {}
    county: dict[str, list[str]] = {}
    for code, name in _table()[1].items():
        if name in _NO_PLACE:
            continue
        m = (_UPPER_STEM if _level(code) != "county" else _COUNTY_STEM).match(name)
        if m:
            (upper if _level(code) != "county" else county).setdefault(m.group(1), []).append(code)
    return {k: tuple(v) for k, v in upper.items()}, {k: tuple(v) for k, v in county.items()}


def bare_place(stem: str) -> str | None:
    """The province or prefecture ``stem`` names without its suffix, when it is the one such place of
    that name and no county elsewhere has it (its own seat may: 大理市 lies in 大理州); two-character
    names that are common words (朝阳, 大同, 吉林) are mostly shared, and give none.

    >>> [bare_place(s) for s in ("潍坊", "宜春", "大理", "恩施", "广西", "朝阳", "大同", "吉林", "政务")]
    ['潍坊市', '宜春市', '大理白族自治州', '恩施土家族苗族自治州', '广西壮族自治区', None, None, None, None]
    """
    upper, county = _stems()
    codes = upper.get(stem, ())
    if len(codes) != 1:
        return None
    code = codes[0]
    inside = code[:2] if _level(code) == "province" else code[:4]
    if any(not c.startswith(inside) for c in county.get(stem, ())):
        return None
    return _table()[1][code]


def title_place(title: str | None) -> str | None:
    """The province or prefecture a plan's title names by its bare name where the plan's place stands:
    right before its year or its 政务公开 (潍坊2021年政务公开工作要点, 2022年大理州政务公开工作要点 with a
    州's short form), once the notice's words and a leading year are set aside.

    >>> [title_place(t) for t in ("潍坊2021年政务公开工作要点", "关于印发2022年大理州政务公开工作要点的通知",
    ...                             "潍坊政务公开工作要点实施方案", "关于印发安全生产2021年工作要点的通知")]
    ['潍坊市', '大理白族自治州', '潍坊市', None]
    """
    core = re.sub(r"^.*?(?:关于)?印发《?|》?的通知$", "", title or "")
    core = re.sub(r"^(?:19|20)\d\d年度?", "", core)
    m = re.match(r"^([\u4e00-\u9fff]{2,5}?)(州)?(?=(?:19|20)\d\d年|政务公开|政府信息公开)", core)
    if not m:
        return None
    name = bare_place(m.group(1))
    return name if name and (not m.group(2) or name.endswith("自治州")) else None


def title_region(title: str | None) -> str | None:
    """The region a plan's title places it in once the notice's words and the plan's year are set aside
    (关于印发2022年庐山市政务公开工作要点的通知 → 庐山市 → 九江市庐山市), or, for a development zone named
    after its prefecture (2022年宜春经济技术开发区…), that prefecture.

    >>> [title_region(t) for t in ("关于印发2022年庐山市政务公开工作要点的通知", "关于印发2022年宜春经济技术开发区政务公开工作要点的通知",
    ...                              "2022年政务公开工作要点")]
    ['九江市庐山市', '宜春市', None]
    >>> title_region("关于印发《江永县2021年政务公开工作要点》的通知")   # (the plan's name in its 《》)
    '永州市江永县'
    """
    core = re.sub(r"^.*?(?:关于)?印发《?|》?的通知$", "", title or "")
    core = re.sub(r"^(?:19|20)\d\d年度?", "", core)
    found = region_of(core)
    if found:
        return found
    m = _ZONE.match(core)
    if m and place_level(m.group(1) + "市") == "city":
        return region_of(m.group(1) + "市")
    bare = title_place(title)   # 潍坊2021年政务公开工作要点: 潍坊市
    return region_of(bare) if bare else None


# A county-level place's name as a title or an issuer gives it: right before the plan's year or its
# 政务公开, or before 人民政府 (红谷滩区2022年…, 2022年红谷滩区政务公开…, 红谷滩区人民政府办公室).
_COUNTY_NAMED = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:区|县|市|旗))(?=(?:19|20)\d\d年|政务公开|政府信息公开|人民政府|政府办公室"
                           # or a bureau's name after it (红谷滩区市场监督管理局): the bureau is the district's
                           # (a bureau's name holds no 区/县/旗 nor 政府: 济南市|莱芜区人民政府办公室 is 济南市莱芜区's office;
                           # a zone's 管委会 is its government, not a bureau: title_region's)
                           r"|(?:(?!区|县|旗|政府|管委会|管理委员会)[\u4e00-\u9fff]){2,12}(?:局|委员会|委|办公室|中心)$)")
# no place's name: a zone or a word (高新区, 新区, 城区, 全区)
_NOT_COUNTY = re.compile(r"(?:开发|高新|经开|园|保税|示范|试验|功能|管理|度假|景|社|片|辖|城|新)区$|^(?:全|本|我|各|该)")


def unlisted_region(names: list[str | None], text: str = "") -> str | None:
    """The region of a county-level place the divisions table lacks (a district created after it,
    红谷滩区 of 南昌 in 2019) or shares among several (鼓楼区), named by a title or an issuer: the prefecture
    the text writes before it (南昌市红谷滩区), else, for a county renamed (某县 → 某区, 某县 → 某市), the
    prefecture of the county whose name it keeps, else the name alone. A 市 the table lacks whose bare
    name is a prefecture's (那曲市 for 那曲地区) is that prefecture.

    >>> unlisted_region(["2022年红谷滩区政务公开工作要点"]), unlisted_region([None, "红谷滩区人民政府办公室"], "南昌市红谷滩区人民政府")
    ('红谷滩区', '南昌市红谷滩区')
    >>> unlisted_region(["2023年那曲市政务公开工作要点"]), unlisted_region(["2022年全区政务公开工作要点", "某某高新区政务公开要点"])
    ('那曲地区', None)
    """
    for raw in names:
        core = re.sub(r"^.*?(?:关于)?印发《?|》?的通知$", "", raw or "")
        m = _COUNTY_NAMED.match(re.sub(r"^(?:19|20)\d\d年度?", "", core))
        if not m or _NOT_COUNTY.search(m.group(1)) or m.group(1)[-1] == m.group(1)[-2]:
            continue   # (某市市场监督管理局: 某市's bureau, no place 某市市)
        name = m.group(1)
        listed = is_place(name)
        if listed and len(_table()[0][name]) == 1:
            continue   # (the table places it: not this rule's)
        upper = _prefecture_before(name, text)
        if upper:
            whole = region_of(upper + name) or ""
            return whole if whole.endswith(name) else region_of(upper) + name
        if listed:
            return name
        stem = name[:-1]
        renamed = bare_place(stem) if name.endswith("市") else None
        if renamed and _level(_table()[0][renamed][0]) == "city":
            return region_of(renamed)
        kept = _stems()[1].get(stem, ())
        if len(kept) == 1:   # 某县 → 某区: the county it was
            chain = _chain(kept[0])[:-1]
            return "".join(chain[1:] if len(chain) > 1 and not chain[0].endswith("市") else chain) + name
        return name
    return None


def _prefecture_before(name: str, text: str) -> str | None:
    """The prefecture (or municipality) the text writes right before ``name`` (南昌市红谷滩区 → 南昌市)."""
    at = text.find(name)
    while at >= 0:
        before = trailing_place(text[max(0, at - 12):at])
        if before and _level(_table()[0][before][0]) != "county" and len(_table()[0][before]) == 1:
            return before
        at = text.find(name, at + 1)
    return None


def county_named_in(text: str) -> str | None:
    """The region of the county (区, 县, 旗, or a county-level 市) a town's text names as the government
    whose plan it follows (…按照凉州区人民政府办公室关于印发凉州区2024年政务公开工作要点的通知要求…),
    when its title and issuer name none: the first such county the divisions table knows, once.

    >>> county_named_in("全镇政务公开工作按照凉州区人民政府办公室关于印发…的通知要求,着力提升质量。")
    '武威市凉州区'
    >>> county_named_in("按照省政府办公厅要求,全镇…") is None
    True
    """
    for m in re.finditer(r"([\u4e00-\u9fff]{2,6}?(?:区|县|旗|市))(?=人民政府|政府办公室|委办公室|(?:19|20)\d\d年)", text):
        name = trailing_place(m.group(1)) or m.group(1)
        if is_place(name) and place_level(name) == "county" and len(_table()[0][name]) == 1:
            return region_of(name)
    return None
