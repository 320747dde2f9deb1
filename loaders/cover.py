"""A cover notice told from a plan that opens with one.

A cover notice (印发…的通知: its addressees, 现将《…》印发给你们,请认真贯彻落实, sometimes points of its own)
attaches the plan. When the text retrieved ends before the plan's own text begins, only the notice is
held: its points are its own requirements, and what the plan asks cannot be seen (kind ``notice``).
Once the plan's own title follows the notice and its text starts under it (a preamble sentence, even
cut short), the document is the plan, retrieved in part (kind ``plan``, truncated).
"""
from __future__ import annotations

import re

__all__ = ["issuing_notice", "notice_only", "plan_opening", "titled_after_signature"]

# The sentence that issues the plan (现将《…》印发给你们, 已经市人民政府同意,现予以印发)
_ISSUES = re.compile(r"印发给你们|现印发|印发你们|现将.{0,60}印发|现予(?:以)?印发|现转发|转发给你们")
_PLAN_TITLE = re.compile(r"(?:工作要点|分工方案|实施方案|任务分工|任务分解(?:一览)?表?|分工表|任务清单|工作台账|台账|"
                         r"(?:重点)?(?:工作|任务)安排|工作方案)$")


def notice_only(sections, tasks) -> bool:
    """Whether every task is a point of the cover notice and no part of the plan was read (石泉's
    notice with its three points, then the plan's title and its table's header only)."""
    return bool(tasks) and all(t.section[:1] == ("通知",) for t in tasks) and not any(
        s.scope == "plan" for s in sections)


def plan_opening(norm_lines: list[str]) -> bool:
    """Whether a text with no numbered part holds the plan's opening after its cover notice: the
    issuing sentence, then the plan's own title on a line of its own, then a sentence of its text
    (乌鲁木齐市2020年政务公开工作要点 / 2020年是…,今年政务公开工作的总体要求是:…).

    >>> plan_opening(["各区人民政府:", "《某市2020年政务公开工作要点》已经市人民政府同意,现予以印发,请认真贯彻落实。",
    ...               "2020年10月17日", "某市2020年政务公开工作要点", "2020年是决胜之年,今年政务公开工作的总体要求是:以"])
    True
    >>> plan_opening(["各区人民政府:", "现将《某市2020年政务公开工作要点》印发给你们,请认真贯彻落实。", "某市人民政府办公室"])
    False
    """
    issued = next((i for i, s in enumerate(norm_lines) if _ISSUES.search(s)), None)
    if issued is None:
        return False
    for i in range(issued + 1, len(norm_lines)):
        line = norm_lines[i].strip()
        if len(line) <= 40 and "关于" not in line and not line.startswith("附件") and _PLAN_TITLE.search(line):
            after = "".join(norm_lines[i + 1:i + 4])
            return len(after) >= 20 and bool(re.search(r"[\u4e00-\u9fff]{8}", after))
    return False


# …印发给你们。某市人民政府办公室2023年5月17日某市2023年政务公开重点工作任务安排为贯彻落实…: the signature's
# date, then (a publication note and) the plan's own title, on a line that lost its breaks
_SIGNED_THEN_TITLE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日(?:[(（]此件[^()（）]{2,8}[)）])?"
                                r"[^。,，;；:：]{4,40}?" + _PLAN_TITLE.pattern.rstrip("$"))


def titled_after_signature(line: str) -> bool:
    """Whether a notice's line that lost its breaks holds the plan's own title after the signature.

    >>> titled_after_signature("现印发给你们。某市人民政府办公室2023年5月17日某市2023年政务公开重点工作任务安排为贯彻落实…")
    True
    >>> titled_after_signature("现印发给你们,请认真贯彻落实。某市人民政府办公室2023年5月17日")
    False
    """
    return bool(_SIGNED_THEN_TITLE.search(line))


_ISSUING_TITLE = re.compile(r"印发.{2,80}的通知$")
_NOTICE_TITLE = re.compile(r"关于.{4,80}的通知$")
# the notice's own text sends its readers to the attached table for the tasks: 对照工作任务分解表(见附件),
# 对照《某县2017年政务公开工作要点任务分解表》明确的工作分工, 具体任务见附件
_TASKS_ATTACHED = re.compile(r"(?:分解表|分工表|任务清单|责任清单|任务表)[》>]?[^。;；]{0,4}[(（]见附件|"
                             r"对照[^。;；]{0,40}(?:分解表|分工表|任务清单|责任清单)|具体(?:工作)?任务见附件")


def issuing_notice(title: str | None, lines: list[str]) -> bool:
    """Whether the text is a notice that issues a plan attached to it: titled 关于印发…的通知, or a 关于…的通知
    whose text sends its readers to the attached table for the tasks (对照工作任务分解表(见附件),逐项抓好落实).
    Its own points (加强组织领导, 明确工作责任, 强化督促检查) are the notice's, as after 印发给你们; the tasks are
    the attachment's, held only where its table follows.

    >>> issuing_notice("某县人民政府办公室关于明确2017年政务公开工作责任分工的通知", ["二、明确工作责任",
    ...                "各乡镇、各部门要对照工作任务分解表(见附件),逐项抓好落实。"])
    True
    >>> issuing_notice("某市人民政府办公室关于印发某市2022年政务公开工作要点的通知", [])
    True
    >>> issuing_notice("某县人民政府办公室关于做好2017年政务公开工作的通知", ["一、做好规划公开", "主动公开规划。"])
    False
    """
    if not title:
        return False
    if _ISSUING_TITLE.search(title):
        return True
    return bool(_NOTICE_TITLE.search(title)) and any(_TASKS_ATTACHED.search(s) for s in lines)
