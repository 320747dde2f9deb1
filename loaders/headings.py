"""A numbered heading line's title and the prose after it.

``一、加强组织领导。各单位要…``: the first short sentence is the heading's title, the rest its prose. A
numbered paragraph that opens with whom it charges (``一、各地各有关单位要以…为指导,…``, as a cover
notice numbers its own points) has no title: the whole paragraph is its prose, whatever its length, and
however its line breaks came (a heading is no sentence with a subject).
"""
from __future__ import annotations

import re

__all__ = ["counted_title", "opens_with_addressees", "split_heading", "title_of_prose", "title_ends_at", "row_title_opens", "explainer_title_end"]

_TITLE_END = re.compile(r"^(.{1,60}?[。.!！])(.*)$")
# Whom a requirement charges, at the paragraph's start: 各地, 各级各部门, 各有关单位, 市直各部门, 全市各级…
# (各项/各类/各方面 open a noun phrase, not a subject).
_ADDRESSEES = re.compile(r"^(?:全[省市区县]|[省市区县]直|[省市区县]政府)?各(?![项类种个方面])[\u4e00-\u9fff、()]{0,24}?"
                         r"(?:要|应|须|必须|务必|应当|需)")
_CLAUSE_END = re.compile(r"[,，;；。:：!！]")


def opens_with_addressees(text: str) -> bool:
    """Whether a paragraph (normalized, its number taken off) opens with its subject and its modal verb.

    >>> opens_with_addressees("各地各有关单位要以习近平新时代中国特色社会主义思想为指导,全面贯彻…")
    True
    >>> opens_with_addressees("各项工作要落实。"), opens_with_addressees("加强组织领导。各单位要…")
    (False, False)
    """
    return bool(_ADDRESSEES.match(text))


def counted_title(rest: str) -> str | None:
    """The title of a heading glued to the measures it counts, the stop before the first lost
    (加强重点领域信息公开一是加强…二是…), and its 一 with it (…信息公开是加强…;二是…): the title ends where
    the measures begin. None for any other heading."""
    c = _COUNTED_GLUED.match(rest)
    if c and "二是" in rest and (c.group(2) == "一是" or "一是" not in rest):
        return c.group(1)
    return None


def title_of_prose(text: str) -> str:
    """A short title for a paragraph that has none: its first clause."""
    m = _CLAUSE_END.search(text)
    return (text[:m.start()] if m else text)[:30]


def split_heading(rest: str, notice: bool = False) -> tuple[str, str]:
    """A heading line (its number taken off) as its title and the prose after it. A cover notice's
    point (``notice``) whose first sentence is longer than any title is prose from its start too.

    >>> split_heading("加强组织领导。各单位要高度重视。")
    ('加强组织领导', '各单位要高度重视。')
    >>> split_heading("各地、各单位要认真对照《方案》,细化分工。要结合实际制定方案。")
    ('各地、各单位要认真对照《方案》', '各地、各单位要认真对照《方案》,细化分工。要结合实际制定方案。')
    >>> split_heading("强化政务公开一是加强决策公开二是优化服务。"), split_heading("加强信息公开是加强项目公开;二是…")
    (('强化政务公开', '一是加强决策公开二是优化服务。'), ('加强信息公开', '加强项目公开;二是…'))
    >>> split_heading("推进某平台一件事一次办系统和小程序应用业务工作,推动小程序与政务服务系统互联互通,推行单点登录、全省漫游、"
    ...               "无感切换、精准到达、全程网办。(县行政审批服务局牵头)")[1][:6]
    '推进某平台一'
    >>> split_heading("本方案中明确牵头单位的项目,牵头单位要认真履行牵头职责,制定工作方案,明确任务分工,抓好协调督办和跟踪问效;"
    ...               "会办单位要按分工认真开展工作。", notice=True)[0]
    '本方案中明确牵头单位的项目'
    """
    counted = counted_title(rest)
    if counted:
        # (a 是 left alone by its lost 一 is no word of the measure)
        return counted, rest[len(counted):].strip().removeprefix("是") if rest[len(counted)] == "是" else rest[len(counted):]
    g = _EXPLAINER_GLUED.match(rest)
    if g:   # 一、制定依据为全面落实…: an interpretation's heading word, its text glued on
        return g.group(1), rest[g.end(1):].strip()
    m = _TITLE_END.match(rest)
    if (opens_with_addressees(rest) or notice and not m) and re.search(r"[。;；!！]", rest):
        return title_of_prose(rest), rest.strip()
    if not m and re.search(r"[。;；!！]", rest.strip().rstrip("。.!！")):
        # (一)高水平推进…,最小…梳理…,擦亮…名片。巩固…。(某局牵头): a first sentence longer than any title,
        # sentences after it: a task's paragraph with no title, its whole text the task
        return title_of_prose(rest), rest.strip()
    if m and m.group(2).strip():
        return m.group(1).rstrip("。.!！"), m.group(2).strip()
    return rest.rstrip("。.!！ "), ""


# A title glued to the measures it counts (…工作一是…, …公开是加强… when the 一 went with the stop)
_COUNTED_GLUED = re.compile(r"^([^。.!！,，;；:：、“”《》()（）\s]{4,24}?)(一是|是)(?=[\u4e00-\u9fff])")

# The words a section's title ends with (…责任清单公开, …机制建设), and how a sentence glued to it opens:
# with its verb or with 对 (…公开|对权力清单进行动态调整,…), its subject left out as plans leave it.
_HOW = {"高水平", "高质量", "高标准"}
_TITLE_LAST = re.compile(r"(?:公开|工作|建设|管理|机制|制度|服务|力度|水平|质量|实效|平台|渠道|规范化|标准化|保密|站位)$")
_SENTENCE_OPENS = re.compile(r"对(?!照|外|象|于)|通过|依托|结合|坚持|进一步|全面|及时|认真|严格|加快|加大|加强|做好|"
                             r"推进|推动|完善|健全|建立|规范|深化|强化|持续")

# The headings an interpretation (解读) is written under (制定背景, 制定依据, 主要内容, 涉及范围, 解读机关 …):
# a line that lost its break after one holds the heading's title up to that word, its text after it.
_EXPLAINER_WORD = (r"(?:制定|起草|出台|编制)(?:的)?(?:背景|依据|目的|过程)|政策依据|起草过程|主要内容|涉及范围|适用范围"
                   r"|解读机关|解读单位|解读人|名词解释|关键词|执行标准|主要亮点|创新亮点")
# (the words joined by 和/及/与 are taken whole: 制定背景和起草过程 on a line of its own is one title, never
# 制定背景 glued to a text 和起草过程)
_EXPLAINER_GLUED = re.compile(rf"((?:{_EXPLAINER_WORD})(?:[和及与、](?:背景|依据|目的|意义|过程|{_EXPLAINER_WORD}))*+)"
                              r"(?![和及与、])(?=\s*[\u4e00-\u9fff《“(（])(?!\s*(?:包括|如下))")


def explainer_title_end(v: str, at: int) -> int | None:
    """Where an interpretation's heading word glued to its text ends (制定依据|为全面落实…), else None.

    >>> explainer_title_end("一、制定依据为全面落实《通知》要求。", 2), explainer_title_end("一、制定方案", 2)
    (6, None)
    >>> explainer_title_end("一、制定背景和起草过程", 2), explainer_title_end("一、制定背景和起草过程为落实…", 2)
    (None, 11)
    """
    m = _EXPLAINER_GLUED.match(v, at)
    return m.end(1) if m else None


# How a task's title opens in a table's row, its subject left out: its verb, or how and when it is done
# (聚焦…, 按季度…, 定期…, 在网站…, 每月…). (建设, 公开, 服务: nouns as often as verbs, no sign of a row's start.)
_ROW_OPENS = re.compile(_SENTENCE_OPENS.pattern + r"|围绕|聚焦|按(?!照)|按照|依照|依法|每(?:月|季|年|半年|周)|定期|在(?=[\u4e00-\u9fff]{2})"
                        r"|主动|积极|督促|组织|开展|落实|提升|提高|优化|用好|抓好|编制|梳理|制定|更新|发布|公布|回应|"
                        r"开设|设立|建立|实行|执行|检查|收集|整理|汇总|报送|利用|运用|指导|配合|协助|做实|落细")


def row_title_opens(v: str, at: int, k: int) -> bool:
    """Whether a heading that starts at ``at`` in a table's row (its group cell), glued to its first row's
    title, may end at ``k``: a title's verb (or how and when it is done) opens there, four characters at
    least into the heading, and the heading's last character links to no word after it (的, 和, 对 …).
    The caller asks the row after it to read as a row (title, units, requirement).

    >>> v = "回应社会关切聚焦热点问题及时发布权威信息"
    >>> [k for k in range(0, 16) if row_title_opens(v, 0, k)]
    [6, 12, 14]
    """
    return k - at >= 4 and v[k - 1] not in "的和及与对在向把将被从是" and bool(_ROW_OPENS.match(v, k))


def title_ends_at(v: str, at: int, k: int) -> bool:
    """Whether a heading's title that starts at ``at``, glued to the sentence after it (the line break
    lost), ends at ``k``: it ends with a word a title ends with and a sentence opens there with its verb
    or 对. (A framing title, 工作目标|紧紧围绕…, is the reflow's FRAMING_GLUED.)

    >>> v = "进一步推进权力清单和责任清单公开对权力清单进行动态调整,公布权力清单。"
    >>> [k for k in range(2, 20) if title_ends_at(v, 0, k)]
    [16]
    >>> [k for k in range(2, 8) if title_ends_at("高水平推进一件事一次办,丰富应用场景。", 0, k)]
    []
    """
    # (高水平推进…, 高质量完成…: 高水平 before a verb says how it is done, an adverb, no title's last word)
    return bool(_TITLE_LAST.search(v, at, k)) and bool(_SENTENCE_OPENS.match(v, k)) and v[max(at, k - 3):k] not in _HOW
