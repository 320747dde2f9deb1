"""Unit membership: which collective (``各区政府``, ``市直各单位``, ``各股室`` …) covers which unit.

A collective in a responsibility cell stands for the units it covers; coverage analysis needs to know,
for example, that ``广州市各区政府`` covers the 黄埔区 government that issued the district plan, and that
``江门市台山市文化广电旅游体育局其他股室`` covers the bureau's 计划财务股. Membership is stored as
``MEMBER_OF`` edges (unit → collective) with a ``via`` saying why, so Cypher sees it too.

Membership is decided from names and regions only, never from a guess about the whole corpus:

* a government collective (``各区政府``, ``各县(市、区)人民政府``) covers the issuer of every plan of a
  region directly below the collective's region (the government office issues on the government's behalf);
* every level's organs (``各级行政机关``, ``各级各部门``) are both: the governments below and the departments;
* a department collective (``市直各单位``, ``区府属各单位``, ``各有关部门``, ``各部门``) covers the
  bureaus of its own region, never a government nor a town;
* a town collective (``各街镇``, ``各镇(街)``, ``各乡镇(街道)``) covers the towns and streets of its region,
  among them the issuer of a township's plan (``level: township``, its region the county's and the town's);
* a section collective (``各股室``, ``其他股室``, ``各处室``) covers the 股室 of the same bureau; ``其他…``
  ("the others") never covers a unit named as lead beside it.
"""
from __future__ import annotations

import re
from functools import lru_cache

import networkx as nx

from .build import reachable
from .gcutil import gc_frozen as _gc_frozen

__all__ = ["add_membership", "collective_kinds", "levels_below", "collective_slots", "member_slot", "slot_covers", "issuer_role",
           "is_others", "members_of", "covering", "GOV_NAME"]

# The levels a government collective lists, alone or several (各州、市人民政府, 各市、县(区)人民政府,
# 各省、自治区、直辖市人民政府, 各地级以上市人民政府): it names the governments one level below the
# collective's region, and every deeper level its list names (a province's 各市、县人民政府 names its
# counties too: :func:`levels_below`).
_GOV_LEVEL = r"(?:省|自治区|直辖市|地级以上市|设区的?市|市|自治州|州|盟|地区|地|自治县|县|区|旗|乡镇|乡|镇|级)"
_GOV = re.compile(r"(各|所有)(?:" + _GOV_LEVEL + r"(?:[、,，/]|[(（]|[)）])*)*(人民)?政府|"
                  r"^各(区|县|地区|地|县区|区县|盟市|州市|市州)$")
_TOWN = re.compile(r"(各|有关)?(镇\(街\)|镇街|街镇|镇、街|街道、镇|镇\(街道\)|乡镇|镇|街道)$|各(镇|街|乡)")
_DEPT = re.compile(r"(部门|单位|机构)")
_SECTION = re.compile(r"(股室|处室|科室|各股|各科|各处)")
_OTHERS = re.compile(r"(其他|其它)")
# Every level's organs (各级行政机关, 各级各部门, 各级有关单位, 行政机关): the governments below and the
# departments alike, as 各级政府及其部门 says in full
_EVERY_ORGAN = re.compile(r"各级(?:各|有关|相关)*(?:部门|单位|机关|行政机关)|行政机关")
_GOV_NAME = re.compile(r"(人民政府|政府|政府办公室|政府办公厅)$")
GOV_NAME = _GOV_NAME.pattern   # what a government's own name ends with (for a store's query)
# a town's government, or its party committee or office issuing for it (某镇党委政府, 某镇党政办公室)
_TOWN_NAME = re.compile(r"(镇|街道|乡)(党委|党工委)?(人民政府|政府|办事处)?(党政综合办公室|党政办公室|党政办)?$"
                        r"|(镇|街道|乡)(人民政府|政府|办事处)办公室$")
_SECTION_NAME = re.compile(r"(股|室|科|处|办|中心)$")
_GOV_LEVELS = ("province", "city", "county")


# The depth (全国 0) of the governments each level word of a collective's list stands for; words in
# brackets after one (县(市、区), 市〔州〕) are other names of its level, and 级 (各级政府) is every level.
_LEVEL_DEPTH = {"省": 1, "自治区": 1, "直辖市": 1, "地级以上市": 2, "设区的市": 2, "设区市": 2, "市": 2,
                "自治州": 2, "州": 2, "盟": 2, "地区": 2, "地": 2, "自治县": 3, "县": 3, "区": 3, "旗": 3,
                "乡镇": 4, "乡": 4, "镇": 4}
_LEVEL_WORD = re.compile(_GOV_LEVEL + r"|[(（〔\[]|[)）〕\]]")
_GOV_LIST = re.compile(r"(?:各|所有)((?:" + _GOV_LEVEL + r"(?:[、,，/]|[(（〔\[]|[)）〕\]])*)+)(?:人民)?政府")


def levels_below(name: str, region: str | None) -> set[int]:
    """How many levels below its own region the governments a collective names lie: always the level
    just below; and every deeper level its list names, counted from the region's own depth.

    >>> sorted(levels_below("山西省各市、县人民政府", "山西省")), sorted(levels_below("各市(州)、县(市、区)政府", "山西省"))
    ([1, 2], [1, 2])
    >>> sorted(levels_below("太原市各县(市、区)人民政府", "太原市")), sorted(levels_below("各级政府各部门", "山西省"))
    ([1], [1, 2])
    >>> sorted(levels_below("各省、自治区、直辖市人民政府", "全国")), sorted(levels_below("广州市各区政府", "广州市"))
    ([1], [1])
    """
    depth, r = 0, region
    while r and r != "全国" and depth < 5:
        r, depth = _parent_region(r), depth + 1
    if not region or r != "全国":
        return {1}   # a region whose depth is not known: the level just below only
    depths: set[int] = set()
    if re.search(r"各级|所有各级", name):
        depths = {2, 3}
    for m in _GOV_LIST.finditer(name):
        inside = 0
        for w in _LEVEL_WORD.findall(m.group(1)):
            if w in "(（〔[":
                inside += 1
            elif w in ")）〕]":
                inside = max(0, inside - 1)
            elif not inside:   # a bracketed word is another name of the level before it
                depths.add(_LEVEL_DEPTH.get(w, 0))
    # governments stop at the county: a town is a collective's own kind (各乡镇), never a government's
    return {1} | {d - depth for d in depths if depth < d <= 3}


def collective_kinds(name: str) -> set[str]:
    """What kinds of units a collective's name covers: ``government``, ``department``, ``town``, ``section``.

    >>> sorted(collective_kinds("广州市各区政府"))
    ['government']
    >>> sorted(collective_kinds("广州市黄埔区各部门各街镇"))
    ['department', 'town']
    >>> sorted(collective_kinds("江门市台山市文化广电旅游体育局其他股室"))
    ['section']
    >>> sorted(collective_kinds("广州市市直各单位"))
    ['department']
    >>> sorted(collective_kinds("浙江省各级行政机关")), sorted(collective_kinds("各级各部门"))
    (['department', 'government'], ['department', 'government'])
    """
    kinds = set()
    if _GOV.search(name) or _EVERY_ORGAN.search(name):
        kinds.add("government")
    if _EVERY_ORGAN.search(name):
        kinds.add("department")
    if _SECTION.search(name):
        kinds.add("section")
    elif _DEPT.search(name):
        kinds.add("department")
    if _TOWN.search(name) and "government" not in kinds:
        kinds.add("town")
    return kinds


def issuer_role(level: str | None, region: str | None) -> str | None:
    """What issuing a plan makes its issuer: ``"government"`` of the plan's region (a government's office
    issues on the government's behalf), a ``"bureau"`` (whose 股室 are named under its name), or ``None``.

    >>> issuer_role("county", "广州市黄埔区"), issuer_role("department", "广州市"), issuer_role("township", "x")
    ('government', 'bureau', None)

    (A township's issuer needs no role: its name says it is a town's (:data:`_TOWN_NAME`) and its unit
    carries the town's region, graph/build.py, which a county's 各乡镇(街道) covers.)
    """
    if level in _GOV_LEVELS and region:
        return "government"
    return "bureau" if level == "department" else None


def is_others(name: str | None) -> bool:
    """An "other …" collective (``其他股室``): it never covers a unit named as lead beside it."""
    return bool(_OTHERS.search(name or ""))


def member_slot(name: str, region: str | None, gov_region: str | None = None,
                owner: str | None = None) -> tuple[str, str | None, str | None] | None:
    """Where a unit that is no collective can be counted: ``(kind, key, region)``, or ``None``.

    ``kind`` is the collective kind that can cover it and ``key`` what such a collective must match
    (see :func:`slot_covers`): the bureau of a 股室, the region above a government's, a town's or a
    department's region; ``region`` is the unit's (its government's, for a government). ``gov_region``:
    the region of the government-level plans the unit issued; ``owner``: the bureau (a department-level
    issuer) whose name is a proper prefix of the unit's.

    >>> member_slot("广州市黄埔区人民政府办公室", "广州市", gov_region="广州市黄埔区")
    ('government', '广州市', '广州市黄埔区')
    >>> member_slot("广州市市场监管局", "广州市")
    ('department', '广州市', '广州市')
    >>> member_slot("江门市台山市文化广电旅游体育局计划财务股", "江门市台山市", owner="江门市台山市文化广电旅游体育局")
    ('section', '江门市台山市文化广电旅游体育局', '江门市台山市')
    """
    if owner:
        return ("section", owner, region) if _SECTION_NAME.search(name) else None
    if gov_region:
        return "government", _parent_region(gov_region), gov_region
    if _TOWN_NAME.search(name):
        return "town", region or "", region
    if _GOV_NAME.search(name):
        return "government", _parent_region(region), region
    if region:
        return "department", region, region
    return None


def collective_slots(name: str, region: str | None, owner: str | None = None) -> list[tuple[str, str | None]]:
    """The ``(kind, key)`` slots whose units a collective covers, in the order their reasons are given
    (a later one's reason wins). ``owner``: the bureau whose name is a proper prefix of the collective's.

    >>> collective_slots("广州市黄埔区各部门各街镇", "广州市黄埔区")
    [('town', '广州市黄埔区'), ('department', '广州市黄埔区')]
    >>> collective_slots("江门市台山市文化广电旅游体育局属下单位", "江门市台山市", owner="江门市台山市文化广电旅游体育局")
    []
    >>> collective_slots("山西省各市、县人民政府", "山西省")
    [('government', '山西省'), ('government', ('山西省', 2))]
    """
    kinds = collective_kinds(name)
    if owner and "section" not in kinds:
        return []   # a bureau's 属下单位: its subordinate units are never named one by one
    if "section" in kinds:
        return [("section", owner)] if owner else []
    slots: list = []
    if "government" in kinds:
        slots.append(("government", region))
        # a deeper level the list names: (region, how many levels below it)
        slots += [("government", (region, k)) for k in sorted(levels_below(name, region)) if k > 1]
    if "town" in kinds and region:
        slots.append(("town", region))
    if "department" in kinds and region:
        slots.append(("department", region))
    return slots


def slot_covers(slot: tuple[str, str | None], member: tuple) -> bool:
    """Whether a collective's slot covers a unit's (:func:`member_slot`): the same kind and key, or for
    towns, a region that contains the town's.

    >>> slot_covers(("town", "广州市"), ("town", "广州市黄埔区", "广州市黄埔区"))
    True
    >>> slot_covers(("government", ("山西省", 2)), ("government", "太原市", "太原市小店区"))
    True
    """
    kind, key = slot
    if kind != member[0]:
        return False
    if isinstance(key, tuple):   # a government (region, k) levels below: the member's key is its parent
        return _ancestor(member[1], key[1] - 1) == key[0]
    return member[1].startswith(key) if kind == "town" else member[1] == key


def _ancestor(region: str | None, n: int) -> str | None:
    """The region ``n`` levels above ``region`` (0: itself)."""
    for _ in range(n):
        region = _parent_region(region) if region and region != "全国" else None
    return region


@lru_cache(maxsize=1 << 16)
def _parent_region(region: str | None) -> str | None:
    from loaders.units import split_region

    parts = split_region(region)
    if len(parts) == 1:
        # A prefecture written without its province (大理白族自治州, as an issuer's name gives it) is
        # still one level below that province: 云南省's 各州、市人民政府 covers it.
        from loaders.places import place_chain

        chain = place_chain(parts[0]) or []
        if len(chain) > 1:
            return chain[-2]
    return "".join(parts[:-1]) if len(parts) > 1 else ("全国" if parts else None)


def add_membership(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add ``MEMBER_OF`` edges (unit → collective, with ``via``). Idempotent; mutates and returns ``G``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("d", label="Document", level="county", region="广州市黄埔区")
    >>> for n, name, region, coll in [("i", "广州市黄埔区人民政府办公室", "广州市", False),
    ...                               ("c", "广州市各区政府", "广州市", True),
    ...                               ("b", "广州市市场监管局", "广州市", False),
    ...                               ("a", "广州市市直各单位", "广州市", True)]:
    ...     G.add_node(n, label="Unit", name=name, region=region, collective=coll)
    >>> _ = G.add_edge("d", "i", key="ISSUED_BY", type="ISSUED_BY")
    >>> sorted((u, v) for u, v, d in add_membership(G).edges(data=True) if d["type"] == "MEMBER_OF")
    [('b', 'a'), ('i', 'c')]
    """
    with _gc_frozen():
        return _add_membership(G)


def _add_membership(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    # One pass over the nodes; every edge this needs hangs off a unit, a document or an "other …"
    # collective, so no pass over every edge of the graph (millions at national scale).
    # the graph's own dicts, read only: networkx's views make a wrapper object per lookup
    nodes, succ, pred = G._node, G._succ, G._pred
    units: dict[str, dict] = {}
    documents: list[tuple[str, dict]] = []
    for n, d in nodes.items():
        label = d.get("label")
        if label == "Unit":
            units[n] = d
        elif label == "Document":
            documents.append((n, d))
    for u, v, k in [(u, v, k) for u in units if succ[u] for v, kd in succ[u].items() for k, d in kd.items()
                    if d.get("type") == "MEMBER_OF"]:
        G.remove_edge(u, v, k)
    collectives = {n: d for n, d in units.items() if d.get("collective")}
    if not collectives:
        return G

    # Issuers of plans of a government level stand for their region's government.
    gov_region: dict[str, str] = {}
    owners: set[str] = set()       # bureaus that assign to their own 股室 (department-level issuers)
    for n, d in documents:
        for uid, keyed in succ[n].items():
            for e in keyed.values():
                if e.get("type") != "ISSUED_BY" or uid not in units:
                    continue
                role = issuer_role(d.get("level"), d.get("region"))
                if role == "government":
                    gov_region.setdefault(uid, d["region"])
                elif role == "bureau":
                    owners.add(units[uid]["name"])

    def owner_of(name: str) -> str | None:
        # The longest issuer name that is a proper prefix: one set lookup per prefix length.
        for i in range(len(name) - 1, 0, -1):
            if name[:i] in owners:
                return name[:i]
        return None

    # Leads named beside an "other …" collective are not among those others: the tasks assigning to
    # such a collective, and the leads each names.
    leads_beside: dict[str, set[str]] = {}
    for c, cd in collectives.items():
        if not is_others(cd.get("name")):
            continue
        for t, kd in pred[c].items():
            if nodes[t].get("label") != "Task" or not any(e.get("type") == "ASSIGNED_TO" for e in kd.values()):
                continue
            leads_beside.setdefault(c, set()).update(
                x for x, kx in succ[t].items() for f in kx.values()
                if f.get("type") == "ASSIGNED_TO" and f.get("role") == "lead")

    # Each unit falls in one slot, indexed by the region (or bureau) a collective must match, so a
    # collective only looks at its candidates: linear in units + collectives, not their product.
    by_owner: dict[str, list[str]] = {}        # 股室 of a bureau (section names only)
    gov_by_parent: dict = {}   # parent region, or (region k levels up, k), → governments
    towns_by_prefix: dict[str, list[str]] = {}
    dept_by_region: dict[str, list[str]] = {}
    for m, md in units.items():
        if md.get("collective"):
            continue
        name = md.get("name") or ""
        slot = member_slot(name, md.get("region"), gov_region.get(m), owner_of(name))
        if slot is None:
            continue
        kind, key, region = slot
        if kind == "section":
            by_owner.setdefault(key, []).append(m)
        elif kind == "government":
            gov_by_parent.setdefault(key, []).append((m, region))
            for k in (2, 3):   # the regions further up, for a collective naming deeper levels
                up = _ancestor(key, k - 1)
                if up:
                    gov_by_parent.setdefault((up, k), []).append((m, region))
        elif kind == "town":
            for i in range(len(key) + 1):
                towns_by_prefix.setdefault(key[:i], []).append(m)
        else:
            dept_by_region.setdefault(key, []).append(m)

    for c, cd in sorted(collectives.items()):
        cname = cd.get("name") or ""
        found: dict[str, str] = {}
        for kind, key in collective_slots(cname, cd.get("region"), owner_of(cname)):
            if kind == "section":
                for m in by_owner.get(key, ()):
                    if m != c and m not in leads_beside.get(c, ()):
                        found[m] = f"股室 of {key}"
            elif kind == "government":
                for m, region in gov_by_parent.get(key, ()):
                    found[m] = (f"government of {region}, a region of {key}" if not isinstance(key, tuple) else
                                f"government of {region}, {key[1]} levels below {key[0]}, a level the collective names")
            elif kind == "town":
                for m in towns_by_prefix.get(key, ()):
                    found[m] = f"town of {key}"
            else:
                for m in dept_by_region.get(key, ()):
                    found[m] = f"department of {key}"
        for m in sorted(found):
            if m != c:
                G.add_edge(m, c, key="MEMBER_OF", type="MEMBER_OF", via=found[m])
    return G


def members_of(G: nx.MultiDiGraph, collective: str) -> list[str]:
    """Ids of the units a collective covers (directly), sorted."""
    return sorted(u for u, _, d in G.in_edges(collective, data=True) if d.get("type") == "MEMBER_OF")


def covering(G: nx.MultiDiGraph, unit: str) -> list[str]:
    """Ids of the collectives that cover a unit, following ``MEMBER_OF`` transitively, sorted."""
    return sorted(reachable(G, unit, "MEMBER_OF"))
