"""The plan between that a skip-level pair waits for (无法判断 rows, ``waits_for``).

A lower plan C compared with a plan A further up than its own parent owes what its own parent plan B
gives it: while B is not held, the row waits for B, whatever C's own text is (a truncated opening, a
cover notice, an interpretation): B held, the pair is judged on B's rows. C usually names B: by its
title (根据《遂宁市2020年政务公开工作任务分工方案》) and its number (遂府办函〔2020〕19号). A cited plan is
B when its title names B's place and goes straight on to its year or its subject (遂宁市2020年…, 2022年云南省
政务公开…), not to a place below it (遂宁市安居区…: C's own plan); a cited number is B's when it opens with
the place's one-character name and a government's word (遂府办函, 川办发, 昆政办: not 遂安府办函, a
district's). Else B is named by its place, year and level.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("c", label="Document", title="遂宁市船山区人民政府办公室关于印发《船山区2020年政务公开工作任务分工方案》的通知",
...            level="county", tier="county/government", parent_level="city", region="遂宁市船山区", year=2020,
...            parent_cited=["船山区2020年政务公开工作任务分工方案", "关于印发遂宁市2020年政务公开工作任务分工方案的通知"],
...            cites=["遂安府办函〔2020〕3号", "遂府办函〔2020〕19号"])
>>> missing_parent(G, "c")
'《遂宁市2020年政务公开工作任务分工方案》（遂府办函〔2020〕19号）'
>>> G.nodes["c"]["parent_cited"] = []
>>> missing_parent(G, "c")
'遂宁市2020年政务公开工作要点（市级分工方案，遂府办函〔2020〕19号）'
"""
from __future__ import annotations

import re

import networkx as nx

from graph.link.documents import CITING_WORDS

__all__ = ["missing_parent", "missing_parent_issuer", "parent_region", "LEVEL_ZH"]

LEVEL_ZH = {"national": "国务院", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇",
            "department": "部门"}

_PLACE_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|区|县|州|盟|旗)$")
_WRAPPER = re.compile(r"^.*?关于(?:印发|转发)?|的通知$|[《》“”\s]")
_LEAD = CITING_WORDS   # (根据徐政办发〔2024〕15号: a citation read with the word before it)


def parent_region(d: dict) -> str | None:
    """The region of a document's own parent plan: one place up for a government (福州市长乐区 → 福州市,
    杭州市 → 浙江省), its own place when that is already at its parent level (宜春经济技术开发区, a county-level
    zone written with its city's region 宜春市), its own county for a township (its region is its
    county's), its own government's for a department; None when the place is not known (红谷滩区, newer
    than the divisions table)."""
    from loaders.places import place_level
    from loaders.units import split_region

    region = d.get("region") or ""
    if not region or not (d.get("tier") or "").endswith("/government"):
        return region or None
    parts = split_region(region)
    if d.get("tier") == "town/government":
        return "".join(parts) or region   # a town's parent is its own county (某某区某某镇 → 某某区)
    if d.get("parent_level") and parts and place_level(parts[-1]) == d["parent_level"]:
        return region
    from graph.link.documents import region_chain

    # the place one up: 福州市长乐区 → 福州市, and 杭州市 → 浙江省 (a city's region leaves its province
    # out, as manifests write it)
    chain = region_chain(region)
    return chain[-2] if len(chain) > 1 else None


def _names(region: str | None) -> list[str]:
    """The ways a number names a region's own place: 遂宁市 → 遂宁市, 遂宁."""
    from loaders.units import split_region

    if not region:
        return []
    parts = split_region(region)
    place = parts[-1] if parts else region
    short = _PLACE_SUFFIX.sub("", place)
    return [p for p in dict.fromkeys((place, short)) if len(p) >= 2]


# the place a plan's title opens with, going straight on to its year or subject (遂宁市2020年…, 2022年云南省
# 政务公开…), not to a place below it (遂宁市安居区… is 安居区's) nor a unit (台山市文化广电旅游体育局…)
_LEADING_PLACE = re.compile(r"(.{2,12}?(?:维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|区|县|州|盟|旗))"
                            r"(?=\d|年|政务|全)")


def _place_of(title: str) -> str | None:
    from loaders.units import split_region

    core = re.sub(r"^\d{4}年度?", "", _WRAPPER.sub("", title))
    m = _LEADING_PLACE.match(core)
    if not m:
        return None
    parts = split_region(m.group(1))
    return parts[-1] if parts else m.group(1)


def _is_parent_title(title: str, names: list[str], level: str | None) -> bool:
    """Whether a cited plan's title is the parent plan's: it opens with the parent's place (known), else
    with a place of the parent's level (the lower place not known)."""
    from loaders.places import place_level

    place = _place_of(title)
    if not place:
        return False
    if names:
        return place in names or _PLACE_SUFFIX.sub("", place) in names
    return bool(level) and place_level(place) == level


def _abbreviations(names: list[str]) -> set[str]:
    from graph.link.documents import _ISSUER_ABBREV   # 川 四川, 穗 广州: names a number uses

    out = {n[0] for n in names}
    return out | {k for k, v in _ISSUER_ABBREV.items() if v in names}


def _ladder(G: nx.MultiDiGraph, lower: str) -> set[str]:
    seen, todo = set(), [lower]
    while todo:
        n = todo.pop()
        for _, v, e in G.out_edges(n, data=True):
            if e.get("type") == "IMPLEMENTS" and v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def _cited_title(G: nx.MultiDiGraph, d: dict, names: list[str], whole: bool = False) -> str | None:
    titles = [G.nodes[n].get("title") for n, x in G.nodes(data=True) if x.get("label") == "Document"]
    for t in d.get("parent_cited") or []:
        held = any(x and (t == x or t in x or x in t) for x in titles)
        if not held and _is_parent_title(t, names, d.get("parent_level")):
            return t if whole else _WRAPPER.sub("", t)
    return None


def _between(d: dict, region: str | None, cited_place: str | None) -> tuple[str, str] | None:
    """(province, the lower place's own name) when the lower plan is a county government's (or a city
    bureau's) whose place between is its city: the one the ladder gives, or, the lower place not known
    (红谷滩区, newer than the divisions table), the city a cited title names."""
    from graph.link.documents import place_between, region_chain
    from loaders.places import place_chain, place_level
    from loaders.units import split_region

    chain = region_chain(d.get("region"))
    if region and place_between(d, chain) == region:
        return chain[0], (split_region(chain[-1])[-1] if len(chain) == 3 else "")
    if region is None and cited_place and place_level(cited_place) == "city" and d.get("tier") == "county/government":
        above = place_chain(cited_place) or []
        return (above[0], split_region(d.get("region") or "")[-1] if d.get("region") else "") if above else None
    return None


def _cited_number(G: nx.MultiDiGraph, lower: str, d: dict, names: list[str],
                  between: tuple[str, str] | None = None) -> str | None:
    from graph.link.documents import docno_key, government_abbreviation, names_place_between

    held = {docno_key(G.nodes[n].get("doc_no")) for n in _ladder(G, lower)} - {None}
    abbr = _abbreviations(names)
    by_elimination = []
    for c in d.get("cites") or []:
        c = _LEAD.sub("", c)   # (根据徐政办发〔2024〕15号: a citation read with the word before it)
        key = docno_key(c) or ""
        prefix, _, rest = key.partition("|")
        year = rest.partition("|")[0]
        if key in held or (d.get("year") and year != str(d["year"])):
            continue
        if len(prefix) > 1 and prefix[0] in abbr and prefix[1] in "府政办":
            return c
        # a city's abbreviation that is no character of its name (洪府办发 南昌): its by elimination,
        # for a county's plan (or a city bureau's) whose place between is that city
        short = government_abbreviation(prefix)
        if between and short and names_place_between(short, *between):
            by_elimination.append(c)
    return by_elimination[0] if len(by_elimination) == 1 else None


def missing_parent(G: nx.MultiDiGraph, lower: str) -> str:
    """What a lower document's own parent plan is, when it is not held: the plan its text cites for the
    place one up, by title and number (either alone when only it is cited), else by that place, year and
    level, with the number when only that is cited."""
    d = G.nodes[lower]
    region = parent_region(d)
    names = _names(region)
    title = _cited_title(G, d, names)
    cited_place = _place_of(title) if title else None
    if not names and cited_place:   # (the lower place not known: the place the cited title names)
        names = _names(cited_place)
    number = _cited_number(G, lower, d, names, _between(d, region, cited_place)) if names else None
    if title:
        return f"《{title}》" + (f"（{number}）" if number else "")
    level = d.get("parent_level")
    year = f"{d['year']}年" if d.get("year") else ""
    extra = f"，{number}" if number else ""
    # its place not known (a district newer than the divisions table): the plan above the lower one
    place = region if region is not None else f"{d.get('region') or d.get('title') or lower}的上级"
    return f"{place}{year}政务公开工作要点（{LEVEL_ZH.get(level, level or '')}分工方案{extra}）".strip()


# the issuer a cited notice's title opens with (南昌市人民政府办公室关于印发…的通知)
_TITLE_ISSUER = re.compile(r"^([\u4e00-\u9fff()（）]{4,40}?(?:办公厅|办公室|人民政府|政府|领导小组|委员会))关于(?:印发|转发)")


def missing_parent_issuer(G: nx.MultiDiGraph, lower: str, offices: set[str] | None = None) -> str | None:
    """Who issues the plan between that a skip-level row waits for (the one who must act: until it is
    held, the pair cannot be judged): the issuer its cited title opens with (南昌市人民政府办公室关于印发…),
    else the place one up's government or its office, as the cited number's words say (遂府办函, 川办发: the
    general office; 鲁政发: the government) or, without a number, its office, which customarily issues a
    政务公开 plan: 办公厅 for a province, else 办公室, unless a held document shows that place's 办公厅
    (``offices``: the issuers of the held documents). None when the place one up is not known.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", label="Document", level="county", tier="county/government", parent_level="city",
    ...            region="遂宁市船山区", year=2020, cites=["遂府办函〔2020〕19号"], parent_cited=[])
    >>> missing_parent_issuer(G, "c")
    '遂宁市人民政府办公室'
    >>> G.nodes["c"].update(parent_cited=["遂宁市人民政府关于印发遂宁市2020年政务公开工作要点的通知"])
    >>> missing_parent_issuer(G, "c")
    '遂宁市人民政府'
    >>> G.nodes["c"].update(region="某某区", parent_cited=[], cites=[])
    >>> missing_parent_issuer(G, "c") is None
    True
    """
    from loaders.normalize import normalize
    from loaders.places import place_level

    d = G.nodes[lower]
    region = parent_region(d)
    names = _names(region)
    whole = _cited_title(G, d, names, whole=True)
    title = _WRAPPER.sub("", whole) if whole else None
    cited_place = _place_of(title) if title else None
    m = _TITLE_ISSUER.match(normalize(whole or ""))
    if m and (not names or any(n in m.group(1) for n in names) or (cited_place and cited_place in m.group(1))):
        return m.group(1)
    if region is None:
        if not cited_place:
            return None
        region = cited_place
        names = _names(cited_place)
    parts = _region_parts(region)
    place = "".join(parts[-2:]) if len(parts) > 1 and parts[-1].endswith("区") else parts[-1]
    number = _cited_number(G, lower, d, names, _between(d, parent_region(d), cited_place)) if names else None
    from graph.link.documents import GOV_NUMBER, docno_key

    # a government's number: its office's words (府办, 政办, 办, 府厅: the general office; 府, 政: the government)
    office = GOV_NUMBER.match((docno_key(number) or "").partition("|")[0]) if number else None
    if office and office.group(2) in ("府", "政"):
        return f"{place}人民政府"
    hall = place_level(parts[-1]) == "province" or f"{place}人民政府办公厅" in (offices or ())
    return f"{place}人民政府{'办公厅' if hall else '办公室'}"


def _region_parts(region: str) -> list[str]:
    from loaders.units import split_region

    return split_region(region) or [region]
