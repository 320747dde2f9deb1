"""What a page, a PDF's text layer or a mirror broke in a document's head, as a reader mends it.

- A title printed over lines where the page broke it: ``…工作要点的`` / ``通  知`` (a red header spaces
  its 通知), ``…工作要点`` / ``及重点任务分工``, ``对《…政务公开`` / ``工作要点》的解读`` (a 《 left open): the
  line under it completes the title.
- A signature's date a mirror garbled (``2017??3?``: its 年月日 turned to question marks): still the date
  line under the issuer's name.
- A province's name without its 省 (``湖南人民政府办公厅``): the province.
"""
from __future__ import annotations

import re

from .places import leading_place, place_level

__all__ = ["title_continued", "title_ends_on_next_line", "garbled_date", "province_spelled_out"]

_TONGZHI = re.compile(r"^通\s*知$")
# (…要点 / 及重点任务分工, …方案 / 暨…台账: a second part of the plan's name, joined by 及 or 暨)
# (关于印发…要点 / 任务分解表的通知: a short line with no sentence's marks that ends a 关于 title)
_NOTICE_END = re.compile(r"^[\u4e00-\u9fff《》“”]{0,20}的通知$")
_SECOND_PART = re.compile(r"^(?:及|暨)[\u4e00-\u9fff]{2,14}(?:分工|清单|台账|方案|安排|分解表?)$")
# (the rest of a plan's name, its 》, and what the title says of it: 工作要点》的解读, 实施方案》)
_CLOSES_TITLE = re.compile(r"^[\u4e00-\u9fff\d()（）—-]{1,24}》(?:的)?(?:解读|政策解读|实施方案|分工方案|通知)?$")


def title_ends_on_next_line(line: str, nxt: str) -> str | None:
    """``line`` joined with ``nxt`` when ``nxt`` only ends the title ``line`` begins (…的 / 通知).

    >>> title_ends_on_next_line("关于明确2017年政务公开工作责任分工的", "通  知")
    '关于明确2017年政务公开工作责任分工的通知'
    >>> title_ends_on_next_line("关于印发某方案的通知", "各区人民政府:") is None
    True
    >>> title_ends_on_next_line("文字解读:对《某新区2025年政务公开", "工作要点》的解读")
    '文字解读:对《某新区2025年政务公开工作要点》的解读'
    """
    if "关于" in line and line.rstrip().endswith("的") and _TONGZHI.match(nxt.strip()):
        return line.strip() + "通知"
    # (对《某区2025年政务公开 / 工作要点》的解读: a 《 the line opens is closed on the next, which ends the title)
    head, end = line.strip(), nxt.strip()
    if (len(head) <= 40 and head.count("《") == 1 and "》" not in head and not re.search(r"[。;；,，]", head)
            and _CLOSES_TITLE.match(end)):
        return head + end
    return None


def title_continued(title: str, nxt: str) -> str:
    """A plan's title with the second part of its name the page printed on the next line.

    >>> title_continued("某省2020年政务公开工作要点", "及重点任务分工")
    '某省2020年政务公开工作要点及重点任务分工'
    >>> title_continued("某省2020年政务公开工作要点", "深入贯彻党中央国务院决策部署,全面落实条例")
    '某省2020年政务公开工作要点'
    >>> title_continued("某县办公室关于印发2023年全县政务公开工作要点", "任务分解表的通知")
    '某县办公室关于印发2023年全县政务公开工作要点任务分解表的通知'
    """
    part = nxt.strip()
    if "关于" in title and not title.endswith("通知") and _NOTICE_END.match(part):
        return title + part   # 关于印发《某县2021年…要点》 / 的通知: the notice's title, its last words below
    return title + part if _SECOND_PART.match(part) and not title.endswith("的通知") else title


_GARBLED_DATE = re.compile(r"^\s*(?:19|20)\d\d(?:[?？�]+\d{0,2}){1,3}[?？�]*\s*$")


def garbled_date(line: str) -> bool:
    """A date whose 年月日 a mirror turned to question marks (``2017??3?``).

    >>> garbled_date("2017??3?"), garbled_date("2017年3月"), garbled_date("2017")
    (True, False, False)
    """
    return bool(_GARBLED_DATE.match(line))


_PROVINCE_STEM = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?=人民政府)")


def province_spelled_out(issuer: str) -> str:
    """An issuer that names its province without 省 (湖南人民政府办公厅), with it.

    >>> province_spelled_out("湖南人民政府办公厅"), province_spelled_out("某某县人民政府办公室")
    ('湖南省人民政府办公厅', '某某县人民政府办公室')
    """
    m = _PROVINCE_STEM.match(issuer)
    if m and not leading_place(issuer) and place_level(m.group(1) + "省") == "province":
        return m.group(1) + "省" + issuer[m.end():]
    return issuer
