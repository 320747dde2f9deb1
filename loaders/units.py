"""Responsible-unit cells: split the list, read the roles, give each unit a canonical name.

>>> [(a.short_name, a.role) for a in parse_units("區市場監管局牽頭,各有關部門、各街鎮和園區管理機構配合。", region="广州市黄埔区")]
[('区市场监管局', 'lead'), ('各有关部门', 'cooperate'), ('各街镇', 'cooperate'), ('园区管理机构', 'cooperate')]
>>> [a.canonical for a in parse_units("区发展改革局、工业和信息化局等部门", region="广州市黄埔区")]
['广州市黄埔区发展改革局', '广州市黄埔区工业和信息化局']
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from core.roles import ROLE_WORDS, UNIT_LABELS, role_words_pattern

from .normalize import normalize, to_simplified
from .places import names_a_place
from core.records import Assignment

__all__ = ["PERSON", "parse_units", "looks_like_units", "is_unit_name", "split_region", "canonical_name", "units_in_prose", "inline_notes", "UNIT_SUFFIX"]

_ROLE_RE = re.compile("(" + role_words_pattern() + ")$")
UNIT_SUFFIX = _UNIT_SUFFIX = re.compile(
    r"(局|委|办|厅|部|部门|机构|单位|政府|街镇|镇|街道|街|乡|中心|室|股|处|科|馆|院|会|队|所|站|司|公司|集团|"
    r"银行|支行|分行|法院|检察院|管委会|办公室|小组|组|社|团|联|协会|分局|支队|大队|园区|网|台|报社|各区|人大|政协|纪委|监委|宣传部)$"
)
_COLLECTIVE = re.compile(r"^各|有关|其他|其它|属下|所属|直属|各(?=[^各]*$)|全体|相关")
# 市民服务中心 is not a 市 bureau, but 区民政局 is a 区 one.
_PREFIX = re.compile(r"^(省|市|区|县|镇|街道|乡)(?!场|直属|民(?!政|族|宗)|区|政府$)")
_REGION_PART = re.compile(r".{2,}?(?:自治区|自治州|特别行政区|省|市|盟|地区|区|县|旗)")
_ETC = re.compile(r"(等(有关|相关)?(市直)?(部门|单位|机构))$|按(照)?(职能|职责)(分工)?$|等$")
# …区房管局等公共企事业单位行业主管部门, …就业指导中心等有关处室(单位): what 等 sums up is no unit of its own
# (a collective after 等 is: 市住建局等市政府各有关部门, …等相关区直部门, split off first in _split_names)
_ETC_SUMMARY = re.compile(r"等(?:(?!各)[\u4e00-\u9fff]){0,14}?(?:部门|单位|机构|处室|科室|股室)(?:[(（](?:单位|部门)[)）])?$")
_ALIAS = re.compile(r"[(（]([^()（）]+)[)）]$")
_REFERENCE_NOTE = re.compile(r"[(（](?:详见|见|下同)[^()（）]*[)）]$")


def split_region(region: str | None) -> list[str]:
    """The components of a region path.

    >>> split_region("广州市黄埔区")
    ['广州市', '黄埔区']
    >>> split_region("咸宁市赤壁市")
    ['咸宁市', '赤壁市']
    """
    return list(_region_parts(region))


@lru_cache(maxsize=4096)
def _region_parts(region: str | None) -> tuple[str, ...]:
    return tuple(_REGION_PART.findall(region or ""))


def _resolve_prefix(prefix: str, region: str | None) -> str | None:
    """The region a prefix such as 区 or 市 names, seen from a document of ``region``."""
    parts = _region_parts(region)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].endswith(prefix):
            return "".join(parts[: i + 1])
    if prefix in ("镇", "乡", "街道") and region and region.endswith(prefix):
        return region   # a township's plan (region 某县某镇): its 镇财政所 is the town's own
    return None


@lru_cache(maxsize=1 << 16)   # a document names the same few units in row after row
def canonical_name(short: str, region: str | None, issuer: str | None = None, internal: bool = False) -> tuple[str, str | None]:
    """Canonical, region-qualified name of a unit as written, and the region it belongs to.

    >>> canonical_name("区市场监管局", "广州市黄埔区")
    ('广州市黄埔区市场监管局', '广州市黄埔区')
    >>> canonical_name("市税务局", "广州市黄埔区")
    ('广州市税务局', '广州市')
    >>> canonical_name("赤壁市发改局", "咸宁市赤壁市")
    ('咸宁市赤壁市发改局', '咸宁市赤壁市')
    >>> canonical_name("办公室", "江门市台山市", issuer="台山市文化广电旅游体育局", internal=True)
    ('江门市台山市文化广电旅游体育局办公室', '江门市台山市')
    """
    parts = _region_parts(region)
    # Written with a full region name: 赤壁市发改局, 咸宁市生态环境局赤壁市分局.
    for i in range(len(parts) - 1, -1, -1):
        if short.startswith(parts[i]) and len(short) > len(parts[i]) + 1:
            reg = "".join(parts[: i + 1])
            return reg + short[len(parts[i]):], reg
    if internal and issuer:
        owner = normalize(issuer)
        # 局办公室, 本局办公室: the issuing bureau's own section, named after the bureau's last character.
        m_own = re.match(r"^本?([局委办厅])(?=.{2,})", short)
        # 市局各有关科室 in a city bureau's plan (县局… in a county's): the bureau calls itself by its level
        m_lvl = _LEVEL_SELF.match(short)
        if m_own and owner.endswith(m_own.group(1)):
            short = short[m_own.end():]
        elif m_lvl and owner.endswith("局") and parts and parts[-1].endswith(short[0]):
            short = short[m_lvl.end():]
        reg = region
        for p in parts:
            if owner.startswith(p):
                owner = owner[len(p):]
        return (region or "") + owner + short, reg
    m = _PREFIX.match(short)
    if m:
        reg = _resolve_prefix(m.group(1), region)
        if reg:
            rest = short[len(m.group(1)):]
            if _COLLECTIVE.search(rest) or rest.startswith("直") or rest.startswith("府") or rest.startswith("属"):
                rest = short  # 市直各单位, 区府属各单位: the prefix is part of the collective's name
            return reg + rest, reg
    if region and (_COLLECTIVE.search(short)):
        return region + short, region
    # A bare name (园区管理机构, 街镇) is the issuing region's; a name of another level (省…, 国家…)
    # or one already carrying a region stays as written.
    # (a town whose plan names no county is a region of its own: 某某镇 → 某某镇财政所)
    if (parts or (region or "").endswith(("镇", "乡", "街道")) and not short.startswith(region)) and not m and not _OTHER_LEVEL.match(short) \
            and not _REGION_PART.match(short) and len(short) >= 2:
        return region + short, region
    return short, region


_OTHER_LEVEL = re.compile(r"^(国家|国务院|中共|中央|中国|全国|省|自治区|人民银行|人行)")


@lru_cache(maxsize=1 << 16)   # asked of every cell of every row, and again of the same cell
def looks_like_units(text: str) -> bool:
    """Whether a cell reads as a list of responsible units rather than task text.

    >>> looks_like_units("區政務公開辦、區信息辦。")
    True
    >>> looks_like_units("办公室牵头,其他股室及属下单位配合")
    True
    >>> looks_like_units("广电旅游和公共服务股(行政审批服务股)")
    True
    >>> looks_like_units("加强政策咨询服务,政策制定机关要积极解答。")
    False
    """
    s = _unit_text(text).rstrip("。.;;,, ")
    if s.endswith(")") and s.count(")") > s.count("("):
        s = s[:-1]   # 责任单位:各县(市、区)政府) on the line after …环境。(: the note's bracket closes there
    if not s or len(s) > 220 or _NUMBERED.match(s):
        return False
    items = _split_items(s)
    if len(items) >= 2 and _PERSON.fullmatch(items[-1][0]) and is_unit_name(items[-2][0]):
        items = items[:-1]   # 综合科、张鸿: a 责任科室、责任人 cell, the unit then the person who answers for it
    if not items:
        return False
    good = sum(1 for name, _ in items if is_unit_name(name))
    return good / len(items) >= 0.6 and all(len(name) <= 30 for name, _ in items)


# A person's name: a common surname and one or two characters (no unit's name is so short and so opened)
PERSON = _PERSON = re.compile(r"[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][\u4e00-\u9fff]{1,2}")
_NUMBERED = re.compile(r"^\d{1,3}[.、]|^[一二三四五六七八九十]是")   # (三是打造…服务平台: a measure, no 电视台)
_BARE_COLLECTIVE = re.compile(r"各[\u4e00-\u9fff、]{1,5}")


@lru_cache(maxsize=1 << 16)
def is_unit_name(name: str) -> bool:
    """A unit's name ends like one (局, 股室 …); a bare collective is short (各县, 各州、市). A box before a
    name (■政务服务中心, □公共资源交易平台) ticks an option of a form's channel list: no unit.

    >>> is_unit_name("政务服务中心"), is_unit_name("■政务服务中心")
    (True, False)
    """
    bare = _ALIAS.sub("", name)
    if _VERBS.search(bare) or _CHANNEL.search(bare) or bare.lstrip()[:1] in _BOXES:
        return False
    # (平潭综合实验区, 高新技术产业开发区: a zone named in a list of units stands for its governing body)
    return bool(_UNIT_SUFFIX.search(bare) or _BARE_COLLECTIVE.fullmatch(bare) or _ZONE_NAME.search(bare))


_ZONE_NAME = re.compile(r"(?:实验区|试验区|示范区|开发区|新区|高新区|经开区|合作区|保税区)$")




@lru_cache(maxsize=1 << 16)
def _unit_text(cell: str) -> str:
    """The normalized text of a units cell. White space between two unit names separates them
    (``市发改委 市自然资源局``), which the normalizer would otherwise fold away."""
    raw = to_simplified(unicodedata.normalize("NFKC", cell or ""))
    raw = _SPACE_BETWEEN_UNITS.sub("、", raw)
    raw = _GLUED_UNITS.sub("、", raw)
    # 各市、县〔市、区〕政府: the hexagonal brackets of a doc number, set around a place list, are its
    # parentheses (a number's 〔2020〕 holds digits, a unit's none); so are square ones, and a pair whose
    # sides a scan's OCR read as different shapes (各市〔州]、县[市、区]政府); angle ones a typist set so,
    # 各乡镇<街道> (no unit's name holds a < or a >)
    raw = re.sub(r"[〔\[<]([^〔〕\[\]<>\d]{1,12})[〕\]>]", r"(\1)", raw)
    # 各区县政府(含南太湖新区管委会,下同): a drafting note on what the name covers, no part of it
    raw = re.sub(r"[(（]含[^()（）]{1,30}?[,，、]\s*下同[)）]", "", raw)
    # 市局各有关科室常态化开展, 办公室长期: a deadline glued on a name's end is the next cell's (完成时限)
    raw = _GLUED_DEADLINE.sub("", raw)
    return _SPACE_AT_PAREN.sub(r"\1", normalize(raw))


# A deadline cell's words right after a unit's last character, nothing between: the row's next cell, the
# separator lost when a page's cells were joined (…政策法规科,办公室常态化开展), no part of the name.
_GLUED_DEADLINE = re.compile(r"(?<=[科室局处股所委办心门位府队])(?:(?:长期|持续|常态化|全年|按季度|每季度|按年度|序时)"
                             r"(?:推进|坚持|开展)?|(?:20\d\d年)?(?:年底|年内|\d{1,2}月(?:底|中旬|上旬|下旬)?)前?(?:完成)?)"
                             r"(?=$|[、,，;；。\s])")


_SPACE_BETWEEN_UNITS = re.compile(r"(?<=[局委办室股处科府心部])[ \t\u3000\xa0]+(?=[省市区县各])")
# Two names of one level glued, the space between them lost where a page wrapped the cell or a crawler
# joined its lines (市市场监管局市商务局): a 局/委/办 followed by a name of the same level ending so (not
# a 分局 of it: 市公安局市区分局 is one).
_GLUED_UNITS = re.compile(r"(?<=[^市区县省][局委办])(?=([省市区县])[^、,，;；\s()（）等和及与]{1,8}?(?<!分)[局委办](?:$|[、,，;；\s]|(?=[省市区县])))")
_SPACE_AT_PAREN = re.compile(r"\s*([()])\s*")


_VERBS = re.compile(r"自行|组织|做好|推进|加强|开展|按要求|梳理|建立")
# Where a thing is published (市政府门户网站, 政务公开栏, 微信公众号): a channel, never who carries it out.
_CHANNEL = re.compile(r"(?:网站|门户网|公开栏|公示栏|宣传栏|公众号|客户端|专栏|媒体)$")
_BOXES = ("■", "□", "☑", "☐")   # (a form's check boxes, ticked or not)
_PARENS = re.compile(r"[(（][^()（）]*[)）]")


def _mask(s: str) -> str:
    """Hide separators inside parentheses (``各县(市、区)政府``, ``各镇(街)``) from the splitters."""
    return _PARENS.sub(lambda m: m.group(0).replace("、", "\ue000").replace(",", "\ue001").replace(" ", ""), s)


def _unmask(s: str) -> str:
    return s.replace("\ue000", "、").replace("\ue001", ",")


def _split_items(s: str) -> list[tuple[str, str | None]]:
    """(name, role word) pairs of a cell, in order; the role applies to the clause it ends."""
    return [(n, r) for n, r, _ in _split_clauses(s)]


# 会 of 社会, 委员会, 管委会 … is no connector.
# 牵头部门, 牵头单位 are nouns (各政策牵头部门: the departments that lead a policy), no connector.
# (A主办、B协办: a bureau's table words 牵头/配合 so; 主办科室 is a noun, the 科室 in charge)
_CONNECT = re.compile(r"(?:牵头|负责)?(协调|会同|(?<![社委员协管学商工总联])会(?!议)|(?:牵头|主办)(?!部门|单位|处室|科室|股室))")
_PAIR_END = re.compile(r"^(.+?)(?:按(?:照)?(?:职能|职责)(?:分工)?)?(落实|办理|配合|会办|协办|实施|承办|执行|负责)?$")


def _pair(clause: str) -> tuple[list[str], str, list[str], str] | None:
    """``A协调B落实`` (A leads, B implements), ``A牵头B落实``, ``A会同B办理`` / ``A会B`` (B cooperates)."""
    for m in _CONNECT.finditer(clause):
        lead, rest = clause[: m.start()], clause[m.end():]
        if not lead or not is_unit_name(lead.split("、")[-1]):
            continue
        em = _PAIR_END.match(rest)
        if not em:
            continue
        second = _split_names(em.group(1))
        if not second or not all(is_unit_name(n) and len(n) >= 2 for n in second):
            continue
        if m.group(1) in ("会", "会同"):
            role = "配合"
        elif em.group(2):
            role = em.group(2)
        else:
            role = "落实"   # 区政务服务数据管理局牵头各相关主管部门: those led carry it out
        return _split_names(lead), "牵头", second, role
    return None


_SEGMENT_SPLIT = re.compile(r"[;;。\n]")
_CLAUSE_SPLIT = re.compile(r"[,,]|(?<=[^\s])\s+(?=[^\s])")


@lru_cache(maxsize=1 << 16)
def _split_clauses(s: str) -> tuple[tuple[str, str | None, int], ...]:
    """(name, role word, clause number) triples of a cell (remembered: table after table repeats its cells).

    A clause without a role word takes the role of the clause after it in the same sentence
    (``省直有关部门,各州、市人民政府按照职责分工负责``).
    """
    out: list[tuple[str, str | None, int]] = []
    ci = 0
    for segment in _SEGMENT_SPLIT.split(_mask(s)):
        seg_out: list[list] = []
        for clause in _CLAUSE_SPLIT.split(segment):
            clause = clause.strip(" 。.、")
            if not clause:
                continue
            ci += 1
            pair = _pair(clause)
            if pair:
                seg_out += [[n, pair[1], ci] for n in pair[0]]
                seg_out += [[n, pair[3], ci] for n in pair[2]]
                continue
            role = None
            rm = _ROLE_RE.search(clause)
            if rm:
                role = rm.group(1)
                clause = clause[: rm.start()]
            seg_out += [[name, role, ci] for name in _split_names(clause)]
        # (from the name after it, in its own clause or, as that one got it, from the next: 市政府办公室、
        # 市有关单位,各县人民政府负责 charges all three alike)
        for i in range(len(seg_out) - 2, -1, -1):
            if seg_out[i][1] is None and seg_out[i + 1][1] is not None:
                seg_out[i][1] = seg_out[i + 1][1]
        out += [(_unmask(n), r, c) for n, r, c in seg_out]
    return tuple(out)


_NAME_SPLIT = re.compile(r"[、/]")
_ETC_COLLECTIVE = re.compile(r"^(.{2,20}?[局委办厅室]|.{2,20}?中心)等(.{4,})$")
_AND_SPLIT = re.compile(r"(?<=[局委办部门构位府镇街道心室股处科馆院会队所站])(?:和|及|以及|与)")
_SHORT_HEAD = re.compile(r"各[\u4e00-\u9fff]{1,2}")
# (各市(州)、县(市、区)政府: a head with its alternative in parentheses, before a bare level's government)
_SHORT_HEAD_ALT = re.compile(r"各[\u4e00-\u9fff]{1,2}\([^()]{1,6}\)")
# (各区、县(市)政府办公室: each level's government office is as bare: 县(市)政府办公室 alone names none)
_BARE_LEVEL_GOV = re.compile(r"^[县市区州旗乡镇](?:[(（][^()（）]{1,6}[)）])?(?:人民)?政府(?:办公室|办公厅|办)?$")
_GLUED_COLLECTIVES = re.compile(r"^(各[\u4e00-\u9fff]{0,6}?(?:部门|单位|机构|处室|科室|股室))(各[\u4e00-\u9fff]{1,8})$")
_GLUED = re.compile(r"^(.{2,}?局)(?!属)([^省市区县]{2,8}局)$")


def _split_names(clause: str) -> list[str]:
    names: list[str] = []
    parts = []
    for part in _NAME_SPLIT.split(clause):
        m = _ETC_COLLECTIVE.match(part.strip())
        # 市住建局等市政府各有关部门: the bureau named, and the collective it stands for.
        split = (m and _COLLECTIVE.search(m.group(2)) and re.search(r"(?:部门|单位|机构|政府|委员会)$", m.group(2))
                 and not _ETC.fullmatch("等" + m.group(2)))
        parts += [m.group(1), m.group(2)] if split else [part]
    for part in parts:
        part = part.strip()
        for _ in range(2):
            part = _ETC.sub("", part).strip()
        part = _ETC_SUMMARY.sub("", part).strip()
        if not part:
            continue
        # 和/及 separate two units only when the left side is itself a unit: 各街镇和园区管理机构,
        # not 工业和信息化局.
        pieces = _AND_SPLIT.split(part)
        for p in (p.strip() for p in pieces):
            if not p:
                continue
            m = _GLUED.match(p)
            g = _GLUED_COLLECTIVES.match(p)
            if m and not m.group(2).endswith("分局"):
                names += [m.group(1), m.group(2)]   # 区农业农村局教育局: two bureaus glued
            elif g:
                names += [g.group(1), g.group(2)]   # 各部门各街镇: two collectives glued
            else:
                names.append(p)
    # 各州、市人民政府: the short head belongs to the name after it.
    merged: list[str] = []
    for n in names:
        # (各区、县(市)政府 too: 县(市)政府 alone names no government, so 各区 is its head, not a unit)
        if merged and (_SHORT_HEAD.fullmatch(merged[-1]) and (
                not _UNIT_SUFFIX.search(merged[-1]) or _BARE_LEVEL_GOV.match(n))
                or _SHORT_HEAD_ALT.fullmatch(merged[-1]) and _BARE_LEVEL_GOV.match(n)):
            merged[-1] = merged[-1] + "、" + n
        else:
            merged.append(n)
    # 高新区、循环化工园区、综合保税区管委会: zones listed before one body's name are each that body
    body = _ZONE_BODY_TAIL.search(merged[-1]) if merged else None
    for k in range(len(merged) - 2, -1, -1):
        if not body or not _ZONE_NAME.search(merged[k]) and not merged[k].endswith("园区"):
            break
        merged[k] += body.group(1)
    return merged


_ZONE_BODY_TAIL = re.compile(r"(?:实验区|试验区|示范区|开发区|新区|高新区|经开区|合作区|保税区|园区)(管委会|管理委员会)$")


def parse_units(cell: str, region: str | None = None, issuer: str | None = None,
                internal: bool = False, default_role: str = "implement",
                column: str = "own") -> list[Assignment]:
    """Read one responsible-units cell into assignments.

    ``internal`` says the document assigns to its own sections (a bureau's 处室/股室): names without
    a region prefix then belong to ``issuer``.
    """
    return list(_parse_units(cell, region, issuer, internal, default_role, column))


@lru_cache(maxsize=1 << 15)   # a merged or repeated units cell comes back row after row
def _parse_units(cell: str, region: str | None, issuer: str | None, internal: bool, default_role: str,
                 column: str) -> tuple[Assignment, ...]:
    s = _unit_text(cell).rstrip("。.").strip("—–―─－")   # (改革发展局—— : a dash is an empty cell, no name)
    if s.endswith(")") and s.count(")") > s.count("("):
        s = s[:-1]   # 责任单位:…分行) under a line ending 解疑释惑。(: it closes the bracket the line above opened
    if s.startswith("(") and s.count("(") > s.count(")"):
        # (省财政厅牵头( : a note whose closing bracket a crawler turned into an opening one (or the text
        # was cut after it): its brackets are the note's, no part of a unit's name
        s = s[1:].rstrip("(")
    if len(_LABEL.findall(s)) > 1:
        # 牵头单位:市政府办;责任单位:各区县政府 (or parted by a comma): each labelled part on its own,
        # cut where the next label begins, so that no part holds two labels.
        out = []
        starts = [m.start() for m in _LABEL.finditer(s)]   # whole labels: 具体负责单位 is one
        for part in (s[a:b].rstrip(";；,，、 ") for a, b in zip([0] + starts, starts + [len(s)])):
            out += [a for a in _parse_units(part, region, issuer, internal, default_role, column)
                    if (a.canonical, a.role) not in {(b.canonical, b.role) for b in out}]
        return tuple(out)
    out: list[Assignment] = []
    seen: set[tuple[str, str]] = set()
    last_prefix = None
    last_clause = -1
    parts = _region_parts(region)
    for r in _readings(s, default_role):
        if out and not r.unit_suffix and _PERSON.fullmatch(r.name) and r.clause == last_clause:
            continue   # 综合科、张鸿: the person who answers for the unit before, no unit
        if len(r.name) == 1 and out and out[-1].collective and r.clause == last_clause:
            # 各股室、所、队: one collective, 各 understood for the others (所 alone names no unit).
            p = out.pop()
            seen.discard((p.canonical, p.role))
            out.append(_assignment(f"{p.name}、{r.name}", p.role, f"{p.canonical}、{r.name}", f"{p.short_name}、{r.name}",
                                   p.region, True, p.alias, column))
            seen.add((out[-1].canonical, out[-1].role))
            continue
        if r.clause != last_clause:
            last_prefix, last_clause = None, r.clause
        name = r.name
        head = _KIND_AFTER_COLLECTIVE.match(name) and out and out[-1].collective and r.clause == last_clause \
            and _COLLECTIVE_HEAD.match(out[-1].name)
        if head:
            # 各科室、单位; 各有关处室、单位: a bare kind names no unit, the collective's 各(有关) is understood
            name = head.group(0) + name
            r = r._replace(collective=True)
        if r.collective:
            last_prefix = None
        elif r.prefix:
            last_prefix = r.prefix
        elif last_prefix and not internal and r.unit_suffix:
            # 区发展改革局、工业和信息化局: the prefix of the first is understood for the rest, not for a name
            # that holds a place's name of its own (市金融办、人民银行潍坊市中心支行、潍坊银监分局).
            # Nor for a zone's body (示范区管委会, 高新区管委会): the zone is its own place, not a bureau.
            if not name.startswith(parts) and not names_a_place(name) and not _ZONE_BODY.search(name) \
                    and not _CENTRAL_BRANCH.match(name):
                name = last_prefix + name
        # (市局各有关科室 in a city bureau's own plan: the bureau itself, its level for its name)
        own = bool(r.prefix and issuer and _LEVEL_SELF.match(name) and normalize(issuer).endswith("局")
                   and parts and parts[-1].endswith(name[0]))
        is_internal = internal and (not r.prefix or own) and not name.startswith(parts)
        canonical, reg = canonical_name(name, region, issuer, is_internal)
        key = (canonical, r.role)
        if key in seen:
            continue
        seen.add(key)
        # (a region prefix never makes a name collective: the flag read before it holds)
        out.append(_assignment(name, r.role, canonical, name, reg, r.collective, r.alias, column))
    return tuple(out)


_LEVEL_SELF = re.compile(r"^[市县区旗]局(?=.{2,})")
_KIND_AFTER_COLLECTIVE = re.compile(r"(?:单位|部门|机构|处室|科室|股室|中心|站所)$")   # (属下单位 is a collective of its own)
_COLLECTIVE_HEAD = re.compile(r"^.*?各(?:有关|相关)?")
# 人行贵阳中心支行, 人民银行某某支行: the central bank's branch is named by its own place, never the
# province's or the city's bureau (省发展改革委、…、人行贵阳中心支行牵头)
_CENTRAL_BRANCH = re.compile(r"^(?:中国)?(?:人民银行|人行)")
_ZONE_BODY = re.compile(r"(?:示范区|开发区|新区|园区|高新区|经开区|保税区|试验区|实验区|合作区)(?:管委会|管理委员会|管理局)")


class _Reading(NamedTuple):
    """One unit of a cell as read without the document's region: what the region then resolves."""
    name: str
    alias: str | None
    prefix: str | None      # 省, 市, 区 … the name opens with
    collective: bool
    unit_suffix: bool
    role: str
    clause: int


@lru_cache(maxsize=1 << 15)   # the same cell in plan after plan, each of its own region
def _readings(s: str, default_role: str) -> tuple[_Reading, ...]:
    label = _LABEL.match(s)
    if label:
        s = s[label.end():]
        default_role = UNIT_LABELS[label.group(1)] or default_role
    out = []
    clauses = _split_clauses(s)
    # Beside a 牵头 clause, 负责 names those who carry the task out (X牵头，Y负责): implement, not lead.
    led = any(r == "牵头" for _, r, _ in clauses)
    for name, role_word, clause in clauses:
        if _WHEN.match(name):
            continue   # (…配合;2022年12月底前完成), (…;完成时限:持续推进): when, not who
        if led and role_word == "负责":
            role_word = "负责落实"
        alias = None
        name = _REFERENCE_NOTE.sub("", name)   # 市有关单位(见附件1,下同): where the list is, not a name
        am = _ALIAS.search(name)
        # 行政审批服务股 in 广电旅游和公共服务股(行政审批服务股) is another name; (街道) in
        # 各乡镇(街道) and (管委会) in 各区政府(管委会) are part of a collective's name.
        if am and len(name) > len(am.group(0)) + 1 and not _COLLECTIVE.search(name[: am.start()]):
            alias = am.group(1)
            name = name[: am.start()]
        m = _PREFIX.match(name)
        role = ROLE_WORDS.get(role_word, default_role) if role_word else default_role
        out.append(_Reading(name, alias, m.group(1) if m else None, bool(_COLLECTIVE.search(name)),
                            bool(_UNIT_SUFFIX.search(name)), role, clause))
    return tuple(out)


@lru_cache(maxsize=1 << 17)
def _assignment(name: str, role: str, canonical: str, short_name: str, region: str | None, collective: bool,
                alias: str | None, column: str) -> Assignment:
    """One instance per distinct unit reading, shared by every task that names it (records are not
    changed once loaded): a plan names its few units in row after row, and a shared instance is held
    and pickled once."""
    return Assignment(name=name, role=role, canonical=canonical, short_name=short_name, region=region,
                      collective=collective, alias=alias, column=column)


_LABEL = re.compile("(" + "|".join(UNIT_LABELS) + ")[:：]")
_PROSE_LEAD = re.compile(r"^(?:明确)?(?:(?:市|区|县|省)级)?(?:由)?")
_PROSE_HEAD = re.compile(r"^(.{2,40}?)(牵头|负责)(?!同志|人|领导|的)")   # 有关部门负责同志: officials, no role
_PROSE_SUBJECT = re.compile(r"^([\u4e00-\u9fff](?:[\u4e00-\u9fff]|、(?=[\u4e00-\u9fff])){1,30}?)(?:要|应当|应)(?![求该])")
# The one body a sentence charges: an office's own section (综合科, 办公室), or a named body of a place
# (县政府办, 市政务公开办). Not a class of bodies a national text addresses by tier (县级以上人民政府,
# 基层政府, 政策制定机构) nor a thing (区政府门户网站): those say who, not which one.
_ROLE_AFTER_MODAL = re.compile(r"(?:认真|积极|主动)?(牵头|配合|协助)")
_SECTION_BODY = re.compile(r"(?:科|股|处室|科室|股室|办公室)$")
_PLACE_BODY = re.compile(r"^[省市区县镇乡][\u4e00-\u9fff]*(?:局|委|办|厅|中心|办公室)$")
_CLASS_WORDS = re.compile(r"级|以上|以下|各|有关|相关|基层|其他|其它|所属|属下|直属")


def _one_body(name: str) -> bool:
    return bool((_SECTION_BODY.search(name) or _PLACE_BODY.match(name)) and not _CLASS_WORDS.search(name))


def _named_bodies(subject: str) -> bool:
    """Whether a sentence's subject is one named body or a list of them (县政府办、考核办: the place of
    the first is the others' too), each a unit's name; a class of bodies (各乡镇、县直单位) is none.

    >>> _named_bodies("县政府办、考核办"), _named_bodies("市财政局、市审计局"), _named_bodies("各乡镇、县直单位")
    (True, True, False)
    """
    names = subject.split("、")
    place = _PREFIX.match(names[0])
    return all(n and _one_body(n if _PREFIX.match(n) or not place else place.group(1) + n) and is_unit_name(n)
               for n in names)
# (…牵头,…配合), or in square brackets (【牵头单位:…;配合单位:…】, normalized to [ ]). Any unit column's
# label opens a note as 牵头单位: does (a bureau's own plan: (责任科室:公车管理科、机关服务科)).
# A note may hold a place list in parentheses of its own, (各县(市、区)政府负责), or be set in square
# brackets for that reason, [责任单位:…,各区、县(市)政府]: one level of short parentheses inside, in
# any shape a scan's OCR gives each side (各市〔州]、县[市、区]政府). Tortoise-shell brackets serve as square
# ones do: 〔各县(市)区人民政府,开发区管委会,市政府各部门(单位)按照职能分别落实〕.
_IN_NOTE = r"(?:[^()（）\[\]〔〕]|[(（〔\[][^()（）\[\]〔〕]{1,16}[)）〕\]])"
_NOTE = re.compile(r"[(（\[〔](" + _IN_NOTE + r"{0,120}?(?:牵头|负责|落实|配合|会办|协办|办理|责任单位|(?:"
                   + "|".join(UNIT_LABELS) + r")[:：])" + _IN_NOTE + r"*)[)）\]〕]")


def units_in_prose(text: str, region: str | None = None, issuer: str | None = None,
                   internal: bool = False) -> list[Assignment]:
    """Units named in a sentence rather than a cell: ``明确由市发展改革委牵头``,
    ``市政务服务数据管理局负责市政府门户网站…``, ``市有关单位落实``.

    >>> [(a.short_name, a.role) for a in units_in_prose("明确市级由市政务公开办牵头,市有关单位落实。", "广州市")]
    [('市政务公开办', 'lead'), ('市有关单位', 'implement')]
    >>> [(a.short_name, a.role) for a in units_in_prose("加强政策咨询服务,政策制定机关要积极解答。", "广州市")]
    []
    >>> [(a.short_name, a.role) for a in units_in_prose("强化制度建设。局综合科要建立信息公开审核制度。", internal=True)]
    [('局综合科', 'implement')]
    >>> [(a.short_name, a.role) for a in units_in_prose("县政府办、考核办要将政务公开纳入考核。市财政局、市审计局要牵头做好公开。", "某市某县")]
    [('县政府办', 'implement'), ('县考核办', 'implement'), ('市财政局', 'lead'), ('市审计局', 'lead')]
    >>> [(a.short_name, a.role) for a in units_in_prose("各地区各部门要加强政策解读,公开内容要准确。")]
    []
    >>> [a.short_name for a in units_in_prose("县级以上人民政府要公开规划。基层政府要做好解读。区政府门户网站要开设专栏。")]
    []
    >>> [(a.short_name, a.role) for a in units_in_prose("做好统计信息公开。(区统计局牵头,区财政局配合)")]
    [('区统计局', 'lead'), ('区财政局', 'cooperate')]
    >>> [(a.short_name, a.role) for a in units_in_prose("区政府有关部门负责同志通过发布会宣传解读。")]
    []
    >>> [(a.short_name, a.role) for a in units_in_prose("认真梳理,汇编成本单位负责领域的目录。")]
    []
    """
    out: list[Assignment] = []
    seen = set()
    text = normalize(text)
    notes = []
    for note, cell in inline_notes(text):   # 1.做好统计信息公开。(区统计局牵头,区财政局配合)
        text = text.replace(note, "。")
        notes += parse_units(cell, region, issuer, internal)
    for a in notes:
        if (a.canonical, a.role) not in seen:
            seen.add((a.canonical, a.role))
            out.append(a)
    for clause in re.split(r"[,,;;。]", text):
        clause = _PROSE_LEAD.sub("", clause.strip())
        got: list[Assignment] = []
        if clause and looks_like_units(clause) and _ROLE_RE.search(clause) or _pair(clause):
            got = parse_units(clause, region, issuer, internal)
        else:
            m = _PROSE_HEAD.match(clause)
            if m and looks_like_units(m.group(1)) and all(is_unit_name(n) for n, _ in _split_items(m.group(1))):
                got = parse_units(m.group(0), region, issuer, internal)
            elif (m := _PROSE_SUBJECT.match(clause)) and _named_bodies(m.group(1)):
                # 局综合科要建立…, 秘书科要全面做好…: the one body the sentence charges carries it out;
                # each of the named bodies it lists (县政府办、考核办要…, 市财政局、市审计局要…) too.
                said = _ROLE_AFTER_MODAL.match(clause, m.end())   # (…要牵头做好…: the role it says)
                got = parse_units(m.group(1) + (said.group(1) if said else "落实"), region, issuer, internal)
        for a in got:
            if _SELF.search(a.short_name):
                continue   # …汇编成本单位负责领域的目录: 本单位 is whoever reads it, no unit's name
            if any(a.canonical == b.canonical for b in notes):
                continue   # the note gave it its role (牵头单位:区政府办公室); the sentence names it again
            if (a.canonical, a.role) not in seen:
                seen.add((a.canonical, a.role))
                out.append(a)
    return out


# What a units note says of time, not of a unit: its deadline, labelled or not.
_WHEN = re.compile(r"(?:完成)?(?:时限|时间|期限)(?:要求)?[:：]|(?:\d{4}年)?\d{1,2}月|(?:\d{4}年)(?:底|内|年底)|"
                   r"(?:长期|持续|年底|年内|上半年|下半年|每年|每季度|每月|常态化|全年)(?:坚持|推进|开展|完成|前)?$")
_SELF = re.compile(r"本(?:单位|部门|机关|级|局|委|办)")

_NOTE_DEADLINE = re.compile(r"[,，;；]\s*(?:完成时限|完成时间|时限要求|时限|时间节点)[:：].*$")
# Names alone in brackets right after a sentence's end (…数据共享。(市政府办公厅、市发展改革委、各区政府)):
# the units that carry the sentence out, named with no role word (上海's 要点 write every task so); a
# bracket that says what a name includes or stands for (含各街道, 以下简称…) names no one.
_BARE_NOTE = re.compile(r"(?<=[。;；])\s*([(（](" + _IN_NOTE + r"{2,160}?)[)）])")
_NOT_NAMES = re.compile(r"^(?:含|包括|不含|除|以下|详见|见|下同|简称)")


def inline_notes(text: str) -> list[tuple[str, str]]:
    """Parenthesized unit notes after a sentence, ``(牵头单位:县发改局)`` or
    ``(省政府办公厅牵头;省直有关部门按照职责分工负责)``: (the note, its cell text).

    >>> inline_notes("做好规划公开。(牵头单位:县发改局)")
    [('(牵头单位:县发改局)', '牵头单位:县发改局')]
    >>> inline_notes("编制《工作细则(试行)》")
    []
    >>> inline_notes("及时公开。〔各县(市)区政府,市政府各部门按照职能分别落实〕")[0][1]
    '各县(市)区政府,市政府各部门按照职能分别落实'
    >>> inline_notes("按照《某办法》(某政发〔2021〕12号)要求公开,市财政局负责。")
    []
    >>> inline_notes("推动数据共享。(市政府办公厅、各区政府)推出主题。(含各街道)")
    [('(市政府办公厅、各区政府)', '市政府办公厅、各区政府')]
    """
    out = []
    text = normalize(text)
    for m in _NOTE.finditer(text):
        # (区发改委负责落实,完成时限:2023年10月): the deadline after the units is no unit
        inner = _NOTE_DEADLINE.sub("", m.group(1))
        cell = _LABEL.sub("", inner, count=1) if _LABEL.match(inner) else inner
        if looks_like_units(cell) or _LABEL.match(inner):
            out.append((m.start(), m.group(0), inner))
    taken = [range(at, at + len(note)) for at, note, _ in out]
    for m in _BARE_NOTE.finditer(text):
        inner = m.group(2).strip()
        names = [n for n in re.split(r"[、,，]", inner) if n.strip()]
        if (names and not _NOT_NAMES.match(inner) and all(is_unit_name(n.strip()) for n in names)
                and not any(m.start(1) in r for r in taken)):
            out.append((m.start(1), m.group(1), inner))
    return [(note, inner) for _, note, inner in sorted(out)]
