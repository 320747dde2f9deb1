"""What a sentence of a plan asks, of whom, and what a document can show (issue 22).

Pure text rules, no graph: the loader stores their answers on the records (``Task.clause``,
``Task.addressees``, ``Task.addressed_to``, ``Document.tier``, ``Document.parent_level``,
``Document.explains``, ``Document.parent_cited``) so that the coverage analysis in Python, Cypher and
SPARQL reads the same facts.

* A *requirement* asks someone to act. A narrative 要点 also holds purpose clauses
  (增强政策制定实施的透明度和可预期性…), manner clauses (要有效预警风险，科学准确…), penalties
  (未按要求完成的，将…通报批评) and closing formulas; they are the context of the requirement beside them,
  not requirements (:func:`clause_kind`).
* A plan's framing sections (一、总体要求, (一)指导思想, (二)基本原则, (三)工作目标 …) say why and to what end;
  their sentences are context too, unless the sentence names a unit for itself (:func:`framing_heading`).
* A requirement whose subject is a level or kind of body (省级政府, 设区的市, 县级以上人民政府, 国务院各部门 …)
  is asked of those only (:func:`addressees`); ``tier`` says what a document's issuer is
  (``county/government``, ``county/department`` …).
* A lower document owes what its own parent plan gives it: ``parent_level`` is the level of that plan.

>>> clause_kind("未按要求完成的,将按照有关规定督促整改、通报批评。")
'penalty'
>>> clause_kind("增强政策制定实施的透明度和可预期性,提振市场主体信心,持续打造市场化法治化国际化营商环境。")
'purpose'
>>> clause_kind("要有效预警风险,科学准确,避免不当影响正常生产生活秩序。")
'manner'
>>> clause_kind("全面推进法规集中统一公开。")
'obligation'
>>> framing_heading("指导思想"), framing_heading("主要任务")
(True, False)
>>> addressees("推动省级政府、国务院部门门户网站政府信息公开栏目与中国政府网政府信息公开栏目数据互联互通。")[1]
['national/department', 'national/government', 'province/government']
>>> tier_of("department", "江门市台山市", "台山市文化广电旅游体育局")
('county/department', 'county')
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["CLAUSE_KINDS", "clause_kind", "framing_heading", "addressees", "national_subject", "NATIONAL_ONLY", "tier_of",
           "explained_plan", "cited_plans", "annotate"]

CLAUSE_KINDS = ("obligation", "purpose", "manner", "penalty", "closing", "background", "framing",
                "other_plan")   # (other_plan: a task of a plan issued beside the 政务公开 one, loaders/two_plans.py)

# A narrative sentence whose subject is a national body asks nothing of the levels below. The SPARQL
# query queries/sparql/gaps.rq restates it (SPARQL has no stored property to read for a file's triples).
NATIONAL_ONLY = r"^(?:为[^,,。]{0,20}[,,])?(国务院有关主管部门|国务院有关部门|国务院各部门|国务院部门|国务院行政复议机构|中国政府网|尚未发布[^,,。]{0,30}的国务院部门|已发布[^,,。]{0,30}的国务院部门).*"
_NATIONAL_ONLY = re.compile(NATIONAL_ONLY, re.S)

_GOV_LEVELS = ("province", "city", "county")
_ABOVE = {"province": "national", "city": "province", "county": "city"}

# --- clause kinds ---------------------------------------------------------------------------------

_PENALTY = re.compile(r"^[^,，。;；]{0,12}(未按|未能按|逾期未|不按|未如期)[^。]{0,40}(通报|问责|约谈|追究|扣分|督促整改)")
_CLOSING = re.compile(r"特此通知|请认真(贯彻)?(落实|执行)|负责解释|自印发之日起(施行|执行)|"
                      r"^(各地区、?各部门|各单位|各有关单位)?要?结合(本地区本部门)?实际,?认真(抓好|贯彻)")
_BACKGROUND = re.compile(r"^(\d{4}年是|今年是|当前,|近年来|党中央、国务院高度重视)")
# A sentence that asks for an act names one. 制定 is left out: 政策制定 is a noun in purpose clauses.
_ACT = re.compile(r"公开|发布|公布|解读|回应|答复|咨询|报送|更新|编制|建立|健全|完善|开展|组织(开展|实施|编制|召开|培训|形成|策划)|做好|加强|落实|"
                  r"推进|推动|加大|印发|出台|纳入|培训|核查|核实|对待|改进|减轻|收集|整理|不得|严禁|禁止|研究|"
                  r"听取|考核|评估|监督|审核|公示|办理|推送|集中|整合|清理|建设|管理|关注|响应|应对|传达|解答|衔接|"
                  r"延伸|监管|执行|贯彻|总结|推广|报告|接受|提供|利用|传播|制定[^,，。]{0,8}"
                  r"(方案|办法|规定|指引|标准|细则|制度|清单|目录)")
_COUNTED = re.compile(r"[一二三四五六七八九十]是(?=[\u4e00-\u9fff])")
_PURPOSE_START = re.compile(r"^(为|以|增强|提升|提高|提振|促进|助力|确保|营造|打造|保障|更好|进一步|努力)")


def clause_kind(text: str) -> str:
    """``obligation``, or what else a sentence of a narrative plan is (:data:`CLAUSE_KINDS`)."""
    t = (text or "").strip()
    if not t:
        return "obligation"
    if _PENALTY.search(t):
        return "penalty"
    if _CLOSING.search(t):
        return "closing"
    if _BACKGROUND.search(t) and "要" not in t:
        return "background"
    if not _ACT.search(t) and not addressees(t)[0] and not _COUNTED.match(t):   # (四是妥善处置…: a counted measure)
        return "purpose" if _PURPOSE_START.match(t) else "manner"
    return "obligation"


# A framing section's heading: what the plan opens with before its tasks (总体要求 and its parts 指导思想,
# 基本原则, 工作目标), alone or several joined (指导思想和工作目标), then the end of the title or its prose
# (工作目标。到2023年底…, when the heading kept the paragraph). 目标任务 alone is left out: a plan may list
# its tasks under it; as a part of 总体要求 it is framing by the section above it. 工作要求, 保障措施 close a
# plan with work for units (加强组织领导…): not framing.
_FRAME_WORD = r"(?:总体要求|总体思路|工作思路|指导思想|基本原则|工作原则|公开原则|总体目标|主要目标|工作目标|目标要求|发展目标)"
# (政务公开的基本原则, 本方案的指导思想: whose principles they are, said before the word, frames no less)
_FRAMING = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,8}}的)?{_FRAME_WORD}(?:[和与及、]{_FRAME_WORD})*(?:$|[。.:：,，;；\s])")
# The framing words a heading glued to its prose opens with (一、工作目标紧紧围绕…, a text that lost its
# line breaks), unless the next words go on with a name (工作目标责任制, 总体要求和主要任务)
FRAMING_GLUED = re.compile(rf"{_FRAME_WORD}(?:[和与及、]{_FRAME_WORD})*(?=[\u4e00-\u9fff])(?![和与及、的之]|任务|责任|考核|完成|落实|情况)")


def framing_heading(title: str | None) -> bool:
    """Whether a section's title is one of a plan's framing headings (总体要求, 指导思想, 工作目标 …).

    >>> framing_heading("指导思想和工作目标"), framing_heading("工作目标。到2023年底,目录体系基本建成。")
    (True, True)
    >>> framing_heading("目标任务"), framing_heading("保障措施"), framing_heading("工作目标责任制考核")
    (False, False, False)
    """
    return bool(_FRAMING.match((title or "").strip()))


def framing_paths(sections) -> set[tuple]:
    """Paths of the sections under a framing heading (the heading's own section and all below it)."""
    heads = [s.path for s in sections if framing_heading(s.title)]
    return {s.path for s in sections if any(s.path[:len(h)] == h for h in heads)}


# --- addressees -----------------------------------------------------------------------------------

_LOCAL = [f"{lv}/{k}" for lv in _GOV_LEVELS for k in ("government", "department")]
# (pattern, tiers it asks). Checked in the sentence's first clause, where its subject is: the
# 县级政府…部门 of a later clause (加大惠民惠农…力度,县级政府信息公开部门、财政部门要推动…) narrows that clause only.
_ADDRESSEES: list[tuple[str, list[str]]] = [
    (r"国务院(各|有关)?(主管)?部门|国务院行政复议机构|国务院有法规制定权的部门", ["national/department"]),
    (r"中国政府网", ["national/government"]),
    (r"省级(人民)?政府|各省级政府|省级政府网站", ["province/government"]),
    # (不设区的市 is a county-level city: 基层政府(包括县、不设区的市、市辖区…) asks no 设区的市)
    (r"(?<!不)设区的?市|自治州", ["city/government"]),
    (r"县级以上(地方)?(各级)?人民政府|县级以上(地方)?政府", _LOCAL),
    (r"县级政府[^,，。]{0,10}部门", ["county/government", "county/department"]),
    (r"基层政府|乡镇(人民)?政府|街道办事处", ["county/government", "county/department", "town/government"]),
    # a county's sentence whose subject is its towns (各乡镇(街道)要…): asked of the township plans only
    (r"(?:^|(?<=[、和及与]))各(?:乡镇|镇|乡|街道|镇街|街镇)(?:\((?:街道|街|办)\)|、街道|和街道)?(?=要|应|[、,，]|$)", ["town/government"]),
    # its bureaus (区直各部门要…): a county's, or a 市's (a county-level city calls its bureaus 市直 too); no
    # town owes them
    (r"(?:^|(?<=[、和及与]))(?:各|全)?(?:区直|县直|区县直|区政府|县政府)(?:各|有关|相关)*(?:部门|单位)", ["county/department"]),
    (r"(?:^|(?<=[、和及与]))(?:各|全)?(?:市直|市政府)(?:各|有关|相关)*(?:部门|单位)", ["city/department", "county/department"]),
    (r"各政府信息公开主管部门|政府信息公开主管部门|各级政务公开(工作)?主管部门",
     ["national/government", "province/government", "city/government", "county/government"]),
    (r"地方(各级)?(人民)?政府(?!债务)", _LOCAL + ["town/government"]),
]
_EVERYONE = re.compile(r"各地区、?各部门|各级行政机关|行政机关|各地区|(?<!国务院)(?<![区县市]直)(?<![区县市]政府)各部门"
                       r"|(?<![区县市]直)(?<![区县市]政府)各单位")
_ADDRESSEE_RES = [(re.compile(p), tiers) for p, tiers in _ADDRESSEES]
_LEGISLATIVE = re.compile(r"有(地方性)?法规(、规章)?制定权|有立法权")
_REFERENCE = re.compile(r"^(对照|按照|根据|依据|参照|依照)")   # 对照国务院部门…制定的指引: a source, not a subject
_FIRST_CLAUSE = re.compile(r"^(为[^,，。]{0,30}[,，]|在[^,，。]{0,20}中[,，])?([^,，。;；]*)")


def addressees(text: str) -> tuple[list[str], list[str]]:
    """(phrases naming whom the sentence asks, the tiers they stand for); no tiers: asked of everyone.

    >>> addressees("县级以上人民政府要主动公开国民经济和社会发展第十四个五年规划纲要。")[0]
    ['县级以上人民政府']
    >>> addressees("加大惠民惠农政策和资金支付信息公开力度,县级政府信息公开部门、财政部门要推动补贴信息公开。")
    ([], [])
    >>> addressees("各地区、各部门要把这些要点的落实情况纳入年度政府信息公开报告。")
    (['各地区、各部门'], [])
    """
    m = _FIRST_CLAUSE.match(text or "")
    head = m.group(2) if m else ""
    if _REFERENCE.match(head):
        return [], []
    phrases: list[str] = []
    tiers: set[str] = set()
    for rx, ts in _ADDRESSEE_RES:
        for hit in rx.finditer(head):
            phrases.append(hit.group(0))
            tiers.update(ts)
    if _LEGISLATIVE.search(head) and "地方" in head:
        # 地方政府和国务院有法规制定权的部门: only the local governments that make 法规 (省, 设区的市)
        tiers.difference_update(_LOCAL + ["town/government"])
        tiers.update(["province/government", "city/government"])
    everyone = _EVERYONE.search(head)
    if everyone and not phrases:
        return [everyone.group(0)], []
    if everyone:
        return phrases + [everyone.group(0)], []
    return phrases, sorted(tiers)


# --- what a document is ---------------------------------------------------------------------------

_PROVINCE = re.compile(r"^[^市县区]{2,8}?(省|自治区)")
_MUNICIPALITY = ("北京市", "上海市", "天津市", "重庆市")
# (a region's 政务公开领导小组, 吉林省政务公开(政府信息公开)领导小组, issues its government's plan to 各市人民政府 and
# the departments: the government's tier, as its office's; a bureau's own 领导小组 (某局政务公开领导小组) is not)
# (湖南's 湘潭市政务公开政务服务领导小组办公室: one group for 政务公开 and 政务服务, the same office)
_LEAD_GROUP = re.compile(r"(?:人民政府)?(?:政务公开|政府信息公开)(?:[(（](?:政府信息公开|政务公开)[)）])?(?:[和与及、]?政务服务)?"
                         r"(?:工作)?领导小组(?:办公室)?")
_GOVERNMENT_ISSUER = re.compile(r"(人民政府|政府)(办公厅|办公室)?$|政务公开(工作)?(领导小组)?办公室$|管委会(办公室)?$|"
                                r"(?:开发区|新区|园区|实验区|试验区|高新区|经开区|保税区)管理委员会(办公室)?$")


def _gov_level_of_region(region: str | None) -> str | None:
    if not region:
        return None
    if region in ("全国", "中国", "中华人民共和国"):
        return "national"
    rest = _PROVINCE.sub("", region, count=1)
    if not rest:
        return "province"
    if rest in _MUNICIPALITY:
        return "province"
    from .units import split_region

    parts = split_region(rest)
    return {0: "province", 1: "city"}.get(len(parts), "county")


_REGION_HEAD = re.compile(r".{2,6}?(?:自治区|自治州|特别行政区|省|市|盟|地区|区|县|旗)")


def _issuer_region(issuer: str | None) -> str | None:
    """The regions an issuer's name starts with (广东省卫生健康委员会 -> 广东省), when no region is given."""
    parts, rest = [], issuer or ""
    while (m := _REGION_HEAD.match(rest)) is not None:
        parts.append(m.group(0))
        rest = rest[m.end():]
    return "".join(parts) or None


def tier_of(level: str | None, region: str | None, issuer: str | None) -> tuple[str | None, str | None]:
    """(``<government level>/<government|department>`` of the issuer, level of the plan it owes to).

    >>> tier_of("county", "广州市黄埔区", "广州市黄埔区人民政府办公室")
    ('county/government', 'city')
    >>> tier_of("city", "广州市", "广州市人民政府办公厅")
    ('city/government', 'province')
    >>> tier_of("department", None, "广东省卫生健康委员会")
    ('province/department', 'province')
    >>> tier_of("national", "全国", "国务院办公厅")
    ('national/government', None)
    >>> tier_of("township", "巴中市巴州区某某镇", "巴中市巴州区某某镇人民政府"), tier_of("township", "东莞市某某镇", "东莞市某某镇人民政府")
    (('town/government', 'county'), ('town/government', 'city'))
    >>> tier_of("city", "吉林市", "吉林市人民政府政务公开(政府信息公开)领导小组"), tier_of("city", "某市", "某市教育局政务公开领导小组")
    (('city/government', 'province'), ('city/department', 'city'))
    """
    if level == "national":
        return "national/government", None
    if level in _GOV_LEVELS:
        name = (issuer or "").strip()
        if not name or _GOVERNMENT_ISSUER.search(name) or _LEAD_GROUP.fullmatch(name[len(_issuer_region(name) or ''):]):
            return f"{level}/government", _ABOVE[level]
        # a bureau issuing a plan of its region's level (市教育局's own plan) owes its government's plan
        return f"{level}/department", level
    if level == "township":
        # a township's government (镇/乡/街道办事处) owes its county's plan: the tier 乡镇政府 and 街道办事处
        # are asked as (its region is its county's and the town: the divisions' table stops at the county);
        # a town directly under a prefecture with no counties (东莞市某某镇, 中山市) owes its city's
        return "town/government", "city" if _gov_level_of_region(region) == "city" else "county"
    if level == "department":
        # without a region, the issuer's name says it (a county-level 市 then reads as a city: a guess
        # that only shifts which plan it is said to wait for)
        gov = _gov_level_of_region(region or _issuer_region(issuer))
        if gov in _GOV_LEVELS:
            return f"{gov}/department", gov
        return None, None
    return None, None


_QUOTED = re.compile(r"《([^《》]{4,80})》")
_PLAN_WORDS = re.compile(r"要点|分工方案|实施方案|任务分解|工作任务|台账|工作方案")


def explained_plan(title: str | None, lines: list[str]) -> str | None:
    """The title of the plan an interpretation explains: the 《…》 of its title, else the first 《…》
    plan its opening names (广州市人民政府关于《2021年广州市政务公开工作要点分工方案》的解读)."""
    for text in lines[:12]:   # 问:某市2021年政务公开工作要点的制定背景: a Q&A's question names its plan
        m = _ASKED_PLAN.match(text or "")
        if m and not title:
            return m.group(1)
    for text in [title or "", *lines[:12]]:
        for m in _QUOTED.finditer(text or ""):
            if _PLAN_WORDS.search(m.group(1)):
                return m.group(1)
    return None


_ASKED_PLAN = re.compile(r"^问[:：]\s*([^,，。、《》]{0,30}?\d{4}年[^,，。、《》]{0,30}?(?:工作要点|分工方案|实施方案|工作方案|任务分解表?))")


# 政务公开五年行动计划(2021—2025年): a plan for a period, of each year in it
_SPAN = re.compile(r"(20\d\d)\s*[—–\-－~～至到]+\s*(20\d\d)年")


def plan_years(name: str) -> set[str]:
    """The years a plan's name says it is for: each year it names, and each year of a period it names.

    >>> sorted(plan_years("浙江省政务公开五年行动计划(2021—2025年)"))
    ['2021', '2022', '2023', '2024', '2025']
    >>> sorted(plan_years("2022年某市政务公开工作要点"))
    ['2022']
    """
    years = set(re.findall(r"(20\d\d)年", name))
    for a, b in _SPAN.findall(name):
        if 0 < int(b) - int(a) <= 10:
            years |= {str(y) for y in range(int(a), int(b) + 1)}
    return years


def cited_plans(lines: list[str], year: int | None) -> list[str]:
    """Plans a document names by title (《…要点/方案》), in order: candidates for the parent it owes to.
    A plan of another year is not its parent."""
    out: list[str] = []
    for text in lines:
        for m in _QUOTED.finditer(text or ""):
            name = m.group(1)
            years = plan_years(name)
            if _PLAN_WORDS.search(name) and name not in out and (not year or not years or str(year) in years):
                out.append(name)
    return out


def national_subject(text: str | None) -> str | None:
    """The national body a sentence is addressed to when it asks that body only, else None.

    >>> national_subject("国务院有关部门要加强对本系统政务公开工作的指导。")
    '国务院有关部门'
    >>> national_subject("各地区各部门要加强政务公开工作。") is None
    True
    """
    m = _NATIONAL_ONLY.match(text or "")
    return m.group(1) if m else None


# An interpretation's account of why and from what its plan was made (一、出台背景, 二、政策依据 1.《国务院办公厅
# 关于印发…的通知》(国办发〔2022〕8号), 起草过程): the plans it cites are its sources, not work it adds.
_INTERPRETATION_BACKGROUND = re.compile(r"背景|起草过程|起草情况|制定过程|编制过程|依据$|依据[和及与、]|制定依据|政策依据|出台依据")


def annotate(doc, tasks, norm_lines: list[str], sections=()) -> None:
    """Fill the clause and addressee fields of a loaded document's records (in place)."""
    framing = framing_paths(sections)
    if doc.kind == "interpretation":
        heads = [s.path for s in sections if _INTERPRETATION_BACKGROUND.search(s.title or "")]
        framing |= {s.path for s in sections if any(s.path[:len(h)] == h for h in heads)}
    doc.tier, doc.parent_level = tier_of(doc.level, doc.region, doc.issuer)
    if doc.kind == "interpretation":
        doc.explains = explained_plan(doc.title, norm_lines)
    doc.parent_cited = [p for p in cited_plans(norm_lines, doc.year) if p != doc.explains and p != doc.title]
    for t in tasks:
        own = [a for a in t.assignments if a.column == "own"]
        kind, phrases, tiers, national = _clauses(t.text_norm)
        # A penalty (未按要求完成的,将…通报批评) stays a penalty in a row that names units: they are who
        # enforces it, and no lower plan owes it.
        t.clause = kind if kind == "penalty" else "obligation" if own else kind
        if not own and t.section in framing and kind != "penalty":
            # 坚持以…为指导, 到2023年底…基本建成: the plan's aim, asked of no one; a unit named for the
            # sentence itself ((市政府办公室牵头), a 责任单位 cell) makes it a task like any other.
            t.clause = "framing"
        t.addressees, t.addressed_to = (list(phrases), list(tiers)) if not own else ([], [])
        t.national_only = national
        if not own and not phrases and doc.tier and (m := _OWN_AREA_BUILD.match(t.text_norm or "")):
            # 建设全省主动公开事项目录管理系统: the province builds it; a city plan that does not restate it
            # leaves nothing out (it was not asked to build the province's system)
            level = doc.tier.split("/")[0]
            t.addressees = [f"{_LEVEL_NAME[level]}({m.group(0)})"]
            t.addressed_to = [f"{level}/government", f"{level}/department"]


# A system, platform or database built for the whole of the issuer's area (全省, 全市, 全区 …), in the
# sentence's first clause: the issuing level's own work, asked of no plan below it.
_LEVEL_NAME = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级", "town": "乡镇级"}
_OWN_AREA_BUILD = re.compile(r"^[^,，。;；]{0,8}?(?:建设|建成|搭建|开发|上线)"
                             r"((?:全国|全省|全市|全区|全县|全州|全盟)(?:统一)?的?[^,，。;；]{0,30}?(?:系统|平台|数据库|库|网站))")


@lru_cache(maxsize=1 << 14)   # a task's text comes back in the plans below it, word for word
def _clauses(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...], bool]:
    """A task text's clause kind, addressees (phrases, tiers) and whether it asks a national body only."""
    phrases, tiers = addressees(text)
    return clause_kind(text), tuple(phrases), tuple(tiers), national_subject(text) is not None
