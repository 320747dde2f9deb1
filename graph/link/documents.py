"""Document parents (``IMPLEMENTS``): which upper documents a plan implements, by the citations and
document numbers it names, by the manifest, else by its region chain and year (:func:`link_documents`).
"""
from __future__ import annotations

import re
from collections import Counter

import networkx as nx

from core.records import LEVEL_RANK as _RANK, LEVELS

__all__ = ["link_documents", "title_core"]


# The words a sentence citing a number by itself sets before it, which a citation may be read with
# (根据闽政办〔2021〕20号和榕政办〔2021〕31号: 根据闽政办…, 和榕政办…); a number read so is tried without them
# when it names no held document as it is (和政县's own 和政… numbers kept).
CITING_WORDS = re.compile(r"^(?:根据|按照|依据|依照|参照|对照|贯彻|落实|和|及|与|、)+")


def docno_key(no: str | None) -> str | None:
    """A document number reduced to what survives bracket and digit variants.

    >>> docno_key("穗府办函[2022]48号") == docno_key("穗府辦函〔2022〕48號")
    True
    >>> docno_key("国办发〔2022〕8号") == docno_key("国办发(2022)08号")
    True
    """
    if not no:
        return None
    from loaders.normalize import normalize

    s = re.sub(r"\s+", "", normalize(no))
    m = re.search(r"(.*?)[〔\[(【((]?(\d{4})[〕\])】))]?(\d*)号", s)
    if not m:
        return s
    return f"{m.group(1)}|{m.group(2)}|{int(m.group(3)) if m.group(3) else ''}"


def region_chain(region: str | None) -> list[str]:
    """The places a region lies in, from the widest: its province first when the region, written as
    manifests write it, leaves the province out (the divisions' table knows it).

    >>> region_chain("广州市黄埔区")
    ['广东省', '广州市', '广州市黄埔区']
    >>> region_chain("北京市丰靖市")   # a name the table does not know: as written
    ['北京市', '北京市丰靖市']
    """
    from loaders.places import place_chain
    from loaders.units import split_region

    parts = split_region(region)
    chain = ["".join(parts[: i + 1]) for i in range(len(parts))]
    above = place_chain(parts[0]) if parts else None
    if above and above[0] != parts[0]:
        chain.insert(0, above[0])   # 广州市 lies in 广东省: a plan there implements the province's
    return chain


def document_rank(d: dict) -> int:
    return _RANK.get(d.get("level") or "", len(LEVELS))


def can_parent_by_place(d: dict) -> bool:
    """Whether a plan can be the inferred parent of a plan of its place: not a township's. A township's
    plan carries its county's region (the divisions' table stops at the county) and is the last of its
    chain: no county bureau's plan answers to it, nor another town's."""
    return d.get("level") != "township"


def is_national(d: dict) -> bool:
    return d.get("level") == "national" or (d.get("region") or "") in ("全国", "中国")


def link_documents(G: nx.MultiDiGraph) -> None:
    """Add ``IMPLEMENTS`` edges: by citation, by the manifest, else by region chain and year.

    Several parents are normal (a district cites the national, provincial and city plans). The inferred
    parent is the nearest loaded document above in the same region chain and year; levels that are not
    loaded are skipped. A township's plan, whose region is its county's, finds its county's plan so.
    """
    docs: dict[str, dict] = {}
    n_tasks: Counter = Counter()
    for n, d in G.nodes(data=True):     # one pass: a national graph has millions of nodes
        label = d.get("label")
        if label == "Task":
            n_tasks[d.get("doc_id")] += 1
        elif label == "Document":
            docs[n] = d
    by_docno: dict[str, list[str]] = {}
    by_place: dict[tuple, list[str]] = {}     # (year, region or "全国") → documents
    for n, d in docs.items():
        key = docno_key(d.get("doc_no"))
        if key:
            by_docno.setdefault(key, []).append(n)
        place = "全国" if is_national(d) else (d.get("region") or "")
        by_place.setdefault((d.get("year"), place), []).append(n)
    by_source = {d.get("source"): n for n, d in docs.items()}
    by_title: dict[str, list[str]] = {}
    for n, d in docs.items():
        core = title_core(d.get("title"))
        if core:
            by_title.setdefault(core, []).append(n)
    for n, d in sorted(docs.items()):
        parents: dict[str, str] = {}
        for ref in d.get("parents") or []:
            target = ref if ref in docs else by_source.get(ref) or next(iter(by_docno.get(docno_key(ref) or "", [])), None)
            if target and target != n:
                parents.setdefault(target, "manifest")
        for cited in d.get("cites") or []:
            key = docno_key(cited) or ""
            if key not in by_docno and CITING_WORDS.match(cited):
                cited = CITING_WORDS.sub("", cited)   # (根据闽政办〔2021〕20号和榕政办…: read with the words before it)
                key = docno_key(cited) or ""
            targets = [t for t in by_docno.get(key, []) if t != n and document_rank(docs[t]) < document_rank(d)]
            if not targets:
                targets = _cited_without_number(cited, d, docs, by_place)
            for target in targets:
                parents.setdefault(target, "citation")
        for cited in [*(d.get("parent_cited") or []), *carried_out(d.get("title"))]:
            # a parent cited by its title only (《广州市2022年政务公开工作要点分工方案》), or named by the
            # title of the notice that carries it out (关于贯彻落实某省政务公开五年行动计划的通知)
            for target in by_title.get(title_core(cited) or "", []):
                if target != n and document_rank(docs[target]) < document_rank(d):
                    parents.setdefault(target, "citation")
        if not parents:
            target = _nearest_above(n, d, docs, by_place, n_tasks)
            if target:
                parents[target] = "inferred"
        for target, via in sorted(parents.items()):
            G.add_edge(n, target, key="IMPLEMENTS", type="IMPLEMENTS", via=via)


# 关于贯彻落实某省政务公开五年行动计划(2021—2025年)的通知, 某市贯彻《…》实施方案: the plan it carries out
_CARRIES_OUT = re.compile(r"贯彻(?:落实)?《?([^《》]{6,60}?)》?(?:的(?:通知|实施意见)|实施方案|工作方案)$")


def carried_out(title: str | None) -> list[str]:
    """The plan a document's own title says it carries out (its parent), as a citation of it would
    name it; none when the title says not.

    >>> carried_out("某市人民政府办公室关于贯彻落实某省政务公开五年行动计划(2021—2025年)的通知")
    ['某省政务公开五年行动计划(2021—2025年)']
    >>> carried_out("某市贯彻《某省政务公开五年行动计划(2021—2025年)》实施方案")
    ['某省政务公开五年行动计划(2021—2025年)']
    >>> carried_out("2022年某市政务公开工作要点")
    []
    """
    m = _CARRIES_OUT.search(title or "")
    return [m.group(1)] if m else []


_WRAPPER = re.compile(r"^.*?关于(?:印发|转发)?|的通知$|[《》“”\s]")


def title_core(title: str | None) -> str | None:
    """What a notice issues, as its title and a citation of it both name it: the issuer, 关于印发 and
    的通知 dropped (广州市人民政府办公厅关于印发广州市2022年政务公开工作要点分工方案的通知 →
    广州市2022年政务公开工作要点分工方案). None when too short to tell one plan from another.

    >>> title_core("广州市人民政府办公厅关于印发广州市2022年政务公开工作要点分工方案的通知")
    '广州市2022年政务公开工作要点分工方案'
    >>> title_core("分工方案") is None
    True
    """
    from loaders.normalize import normalize

    core = _WRAPPER.sub("", normalize(title or ""))
    return core if len(core) >= 10 and re.search(r"\d{4}", core) else None


# The one-character names in document numbers (粤府办, 穗府办函): which region each stands for.
_ISSUER_ABBREV = {
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆", "冀": "河北", "晋": "山西", "蒙": "内蒙古",
    "辽": "辽宁", "吉": "吉林", "黑": "黑龙江", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建",
    "赣": "江西", "鲁": "山东", "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东", "桂": "广西",
    "琼": "海南", "川": "四川", "黔": "贵州", "滇": "云南", "藏": "西藏", "陕": "陕西", "甘": "甘肃",
    "青": "青海", "宁": "宁夏", "新": "新疆", "穗": "广州", "深": "深圳", "珠": "珠海", "佛": "佛山",
    "江": "江门", "莞": "东莞", "中": "中山", "汕": "汕头", "肇": "肇庆", "惠": "惠州",
}


# A government's or its general office's number: the place's abbreviation, then the office's word
# (遂|府办函, 川|办发, 洪|府办发, 昆|政办, 鲁|政发).
GOV_NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,2}?)(府办|政办|府厅|办|府|政)(?:发|函|字|明电|规)?$")


def government_abbreviation(prefix: str) -> str | None:
    """The place's abbreviation a government's number opens with (its prefix, :func:`docno_key`'s first
    part), None for another body's number.

    >>> [government_abbreviation(p) for p in ("洪府办发", "川办发", "昆政办", "遂安府办函", "粤府办", "浙政务公开办")]
    ['洪', '川', '昆', '遂安', '粤', None]
    """
    m = GOV_NUMBER.match(prefix or "")
    return m.group(1) if m else None


def names_place_between(abbr: str, province: str | None, own: str | None) -> bool:
    """Whether a government number's one-character abbreviation, cited by a county's plan (or a city
    bureau's), names its prefecture by elimination: it is not the State Council's (国), none of the
    province's one-character names (川, 赣: fixed), and does not open the lower place's own name. A city's
    customary abbreviation is often no character of its name (洪府办发 南昌, 榕政办 福州, 穗府办 广州, 甬政办发
    宁波, 筑府办 贵阳, 邕府办 南宁): among the governments a county's plan answers to, the one left is its
    city's. (Two characters are a county's own: 遂安 遂宁's 安居区, 菏定 菏泽's 定陶区.)

    >>> names_place_between("洪", "江西省", "红谷滩区"), names_place_between("赣", "江西省", "红谷滩区")
    (True, False)
    >>> names_place_between("新", "江西省", "新建区"), names_place_between("国", "江西省", "新建区")
    (False, False)
    >>> names_place_between("菏定", "山东省", "定陶区")
    False
    """
    from loaders.number_issuer import province_abbreviations

    if not abbr or len(abbr) != 1 or abbr == "国" or abbr[0] in province_abbreviations(province):
        return False
    return not (own and own.startswith(abbr))


def place_between(d: dict, chain: list[str] | None = None) -> str | None:
    """The prefecture between a document and its province whose plan it answers to: a county
    government's city, a city bureau's own city (its government's plan); None for the others (a
    province's city, a county bureau or a town, whose own county's abbreviation may be any).

    >>> place_between({"region": "南昌市红谷滩区", "tier": "county/government"}, ["江西省", "南昌市", "南昌市红谷滩区"])
    '南昌市'
    >>> place_between({"region": "南昌市", "tier": "city/department"}, ["江西省", "南昌市"])
    '南昌市'
    >>> place_between({"region": "南昌市", "tier": "city/government"}, ["江西省", "南昌市"]) is None
    True
    """
    chain = region_chain(d.get("region")) if chain is None else chain
    if not chain or not re.search(r"(?:省|自治区)$", chain[0]):
        return None
    tier = d.get("tier") or ""
    if (len(chain) == 3 and tier == "county/government") or (len(chain) == 2 and tier == "city/department"):
        return chain[1]
    return None


def _own_place(chain: list[str]) -> str | None:
    from loaders.units import split_region

    return split_region(chain[-1])[-1] if len(chain) == 3 else None


def _cited_without_number(cited: str, d: dict, docs: dict, by_place: dict) -> list[str]:
    """A cited plan loaded without its number (a page that lost its header): the one document of the
    cited year above the citing one, in its region chain, whose region the number's abbreviation names
    (``穗府办函〔2022〕48号`` → the 广州 plan of 2022; ``国办发`` → the national one).

    >>> docs = {"gz": {"level": "city", "region": "广州市", "year": 2022, "doc_no": None},
    ...         "hp": {"level": "county", "region": "广州市黄埔区", "year": 2022}}
    >>> _cited_without_number("穗府办函〔2022〕48号", docs["hp"], docs, {(2022, "广州市"): ["gz"]})
    ['gz']
    """
    key = docno_key(cited) or ""
    prefix, _, rest = key.partition("|")
    year = rest.partition("|")[0]
    if not prefix or not year.isdigit():
        return []
    if prefix.startswith("国"):
        places = ["全国"]
    else:
        name = _ISSUER_ABBREV.get(prefix[0])
        chain = region_chain(d.get("region"))
        places = [p for p in chain if name and name in p]
        between = place_between(d, chain)
        abbr = government_abbreviation(prefix)
        if not places and between and abbr and names_place_between(abbr, chain[0], _own_place(chain)):
            places = [between]   # (洪府办发 cited by a district of 南昌: 南昌's)
    found = [m for p in places for m in by_place.get((int(year), p), [])
             if not docs[m].get("doc_no") and document_rank(docs[m]) < document_rank(d) and docs[m].get("kind") != "notice"
             and can_parent_by_place(docs[m])]
    return found if len(found) == 1 else []


def _nearest_above(n: str, d: dict, docs: dict, by_place: dict, n_tasks: Counter | None = None) -> str | None:
    """The nearest loaded document above in the same region chain and year. At the same place a plan
    wins over a notice, and of two copies of a plan (a full repost and an opening page) the one holding
    more tasks."""
    n_tasks = n_tasks or Counter()
    chain = region_chain(d.get("region"))
    places = [*reversed(chain), "全国"] if not is_national(d) else []
    for place in places:
        cands = [m for m in by_place.get((d.get("year"), place), [])
                 if m != n and document_rank(docs[m]) < document_rank(d) and not _issued_after(docs[m], d)
                 and can_parent_by_place(docs[m])]
        if cands:
            return min(cands, key=lambda m: (docs[m].get("kind") == "notice", -document_rank(docs[m]), -n_tasks[m], m))
    return None


def _issued_after(upper: dict, lower: dict) -> bool:
    """Whether ``upper`` was issued after ``lower`` (both dates known): a plan cannot implement a plan
    that did not exist yet (大理州's 要点 of 2022-04-29 takes up the national one, not 云南省's of
    2022-06-02), so the plan above it is looked for further up.

    >>> _issued_after({"issued_on": "2022-06-02"}, {"issued_on": "2022-04-29"}), _issued_after({}, {"issued_on": "2022-04-29"})
    (True, False)
    """
    up, low = upper.get("issued_on"), lower.get("issued_on")
    return bool(up and low and str(up) > str(low))


def pairs_of(G, rel: str) -> list[tuple[str, str]]:
    """The (from, to) pairs of the ``rel`` edges of the whole graph, sorted."""
    return sorted({(u, v) for u, v, d in G.edges(data=True) if d.get("type") == rel})


def implements_pairs(G, docs) -> list[tuple[str, str]]:
    """The IMPLEMENTS pairs among ``docs``, from their own out-edges (not a scan of every edge)."""
    return sorted({(u, v) for doc in docs if doc in G
                   for u, v, d in G.out_edges(doc, data=True) if d.get("type") == "IMPLEMENTS"})
