"""A 公开事项 catalogue's row joined with nothing (a 标准目录 copied from a page): its 公开主体 cell stands
between the 公开时限 cell and the channel cells (公开形式 / 公开渠道和载体: ■政府网站 …), so the units are
what lies between the deadline's last words (…工作日内, 实时公开) and the channel's first, whatever the
names end with (法制大队, 镇人民政府): the cells on both sides close the unit cell, not the name's ending."""
from __future__ import annotations

import re

from .units import UNIT_SUFFIX, is_unit_name

__all__ = ["catalogue_units"]

# The last words of a catalogue's 公开时限 cell (自信息形成之日起20个工作日内, 15个工作日内公开, 实时公开, 同上)
_TIME_END = re.compile(r"工作日内?(?:及时|予以)?(?:公开)?|(?:日|个月)内(?:及时|予以)?(?:公开)?|(?:实时|及时|随时|定期|长期)公开|同上")
# A channel cell (公开形式, 公开渠道和载体): where and how it is published, its boxes ticked or not
_CHANNEL = re.compile(r"[■□口√]|政府网站|政务新媒体|两微一端|公示栏|公开查阅点|便民服务站")
_NOT_UNIT = re.compile(r"[。;；:：《》\d]")


def catalogue_units(v: str, start: int, end: int, kinds: list[str]) -> tuple[int, int] | None:
    """(start, end) of the 公开主体 cell in the row ``v[start:end]``, or None where the header (its column
    ``kinds``) is no catalogue's, with its deadline and a channel around the units.

    >>> v = "1组织机构公开职责。15个工作日政府网站法制大队"
    >>> k = ["number", "task", "requirement", "deadline", "remarks", "units"]
    >>> a, z = catalogue_units(v, 0, len(v), k); v[a:z]
    '法制大队'
    >>> v = "2概况信息乡镇简介。信息形成之日起20个工作日内镇人民政府■政府网站√√"
    >>> a, z = catalogue_units(v, 0, len(v), ["number", "task", "requirement", "deadline", "units", "remarks"]); v[a:z]
    '镇人民政府'
    """
    if "units" not in kinds:
        return None
    at = kinds.index("units")
    before, after = kinds[at - 1:at], kinds[at + 1:at + 2]
    # (deadline | units, or deadline | channel | units: the cell before the units closes them)
    if not (before == ["deadline"] or before == ["remarks"] and "deadline" in kinds[:at]):
        return None
    if after not in ([], ["remarks"]) or "task" in kinds[at + 1:] or "requirement" in kinds[at + 1:]:
        return None
    times = list(_TIME_END.finditer(v, start, end))
    if not times:
        return None
    a = times[-1].end()
    if before == ["remarks"]:   # (…工作日 政府网站 | 政工室: the channel cell before the units)
        while (c := _CHANNEL.match(v, a, end)) is not None:
            a = c.end()
    ch = _CHANNEL.search(v, a, end) if after else None
    z = ch.start() if ch else end
    while z > a and v[z - 1] in " ,，、":
        z -= 1
    if not after and not _unit_cell(v[a:z]) and (z := _name_end(v, a, end)) is None:
        # (…法制大队规范性文件征集…: the unit cell ends the row, or a row under the same number follows,
        # its first cells merged above)
        return None
    if not _unit_cell(v[a:z]):
        return None
    return a + (len(v[a:z]) - len(v[a:z].lstrip())), z


def _unit_cell(text: str) -> bool:
    cell = text.strip()
    return 2 <= len(cell) <= 40 and not _NOT_UNIT.search(cell) and bool(UNIT_SUFFIX.search(cell))


def _name_end(v: str, a: int, end: int) -> int | None:
    """The end of the one unit name at ``a`` that text follows: the longest unit-like name."""
    for z in range(min(end, a + 20), a + 1, -1):
        if is_unit_name(v[a:z]) and UNIT_SUFFIX.search(v[a:z]) and not _NOT_UNIT.search(v[a:z]):
            return z
    return None


# ■政府网站    ■两微一端    □广播电视: a channel cell's boxes, which a page spaces as widely as its cells
_BOX_GAP = re.compile(r"([■□☑☐][^■□☑☐\s]{1,30})([ \t\u3000\xa0]{2,})(?=[■□☑☐])")


def box_gaps_closed(text: str) -> str:
    """``text`` with the wide spaces between a channel cell's boxes made no gap (as many zero-width
    spaces), so that no reader of spaced cells takes them for the gap between two cells; its length is kept.

    >>> box_gaps_closed("实时公开  相关审批部门  ■政府网站    ■两微一端  ■纸质媒体") == (
    ...     "实时公开  相关审批部门  ■政府网站\u200b\u200b\u200b\u200b■两微一端\u200b\u200b■纸质媒体")
    True
    """
    if "■" not in text and "□" not in text:
        return text
    return _BOX_GAP.sub(lambda m: m.group(1) + "\u200b" * len(m.group(2)), text)
