"""A bureau's, a township's or a street's plan names itself less formally than a government's notice:
its title in a cover sentence (现将《…分工方案》印发你们), in its first sentence (特制定中都街道…实施方案),
under a page's label (名称: …) that lost its line, or over two lines whose first is long. These rules
complete what :func:`loaders.metadata.read_metadata` read from the opening (normalized lines in).
"""
from __future__ import annotations

import re

from .bare_numbers import cited_bare_numbers
from .metadata import _FIELD, _clean_issuer, find_doc_numbers, level_of_addressees
from .poster import posted_not_issued
from .places import leading_place

__all__ = ["amend_metadata"]

_PLAN_END = r"(?:工作要点|分工方案|实施方案|工作方案|工作计划|任务分解表?|(?:任务|工作)清单(?:及分工)?|责任清单|台账)"
# 现将《某局…分工方案》印发你们 / 现将《…》印发给你们: the notice's plan, named in full
# (…方案》(以下简称《方案》)印发给你们: the short name it is called by, between the title and 印发)
# (printed or scanned with spaces around the book marks, the short name's 称 lost: 现将 《…》 (以下简《方案》)印发)
_ISSUED = re.compile(r"现将\s*《([^《》]{6,80}?" + _PLAN_END + r")》\s*(?:[(（]以下[^()（）]{1,20}[)）])?(?:予以)?(?:印发|转发|下发)")
# 结合街道工作实际,特制定中都街道政务公开工作实施方案。 a plan that names itself in its first sentence
_DRAWN_UP = re.compile(r"(?:特|现)制定(?:了|如下)?(?:《)?([\u4e00-\u9fff\d]{6,40}?" + _PLAN_END + r")(?:》)?[。,，]")
# a page's fields read as one run (索引号:发布机构:…名称:某委2021年…台账分类:…): the 名称 field's value
_LABELLED = re.compile(r"(?:名\s*称|标\s*题)\s*[::]\s*(.+?)(?=(?:分\s*类|发文日期|成文日期|发布日期|文\s*号|"
                       r"索\s*引\s*号|发布机构|有\s*效\s*性|主题分类)\s*[::]|$)")
# a site's column heading glued before a title the page prints again (政府信息公开三合乡人民政府…方案)
_COLUMN = re.compile(r"^(?:政府信息公开|信息公开|政务公开|通知公告|政策文件|文件通知)(?=.{6})")
# an office, a township or a street that opens its own plan's title before its year or its subject
# (六安市国防动员办公室2025年…: an 办公室 of its own, not a government's general office, too)
_OWNER = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:人民政府|街道办事处|办事处|管委会|管理委员会|(?<![各全区市县])街道|局|厅|委员会|委|联合会|"
                    r"(?<!政府)办公室))"
                    r"(?=(?:19|20)\d\d年|政务公开|政府信息公开|贯彻落实)")
# a plan's title that opens a text which lost its breaks, its first sentence glued on (…工作计划为深入贯彻…)
_OPENING_TITLE = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:19|20)\d\d年[\u4e00-\u9fff]{2,30}?" + _PLAN_END
                            + r")(?=为|根据|按照|一、)")
# 553165075/2020-00502 / • 郑州市… / • 郑人社办〔2020〕199号: a page's bulleted fields, its number one of them
# (its brackets in any shape a page or a scan's OCR gives them: 郑人社办[2020]199号)
_BULLETED_NO = re.compile(r"^\s*[•·▪●]\s*([\u4e00-\u9fff]{1,8}[〔\[(（]\d{4}[〕\])）]\d+号)\s*$")
_PERIOD = re.compile(r"((?:19|20)\d\d)\s*[—–\-－~～至到]+\s*(?:19|20)\d\d年")
_PURPOSE = re.compile(r"^(?:为了?|根据|按照|依据)(?:进一步|深入|认真|全面)?(?:贯彻|落实|推进|做好)")
_NUMBER_AFTER = r"\s*([\u4e00-\u9fff]{1,8}[〔\[]\d{4}[〕\]]\d+号)"   # (〔2021] as a scan's OCR reads it)


def amend_metadata(meta: dict, lines: list[str]) -> dict:
    """Complete ``meta`` (from :func:`read_metadata`) with what a reader of ``lines`` takes as given.

    >>> amend_metadata({"title": "政府信息公开某乡人民政府2021年度政务公开工作实施方案"},
    ...                ["政府信息公开某乡人民政府2021年度政务公开工作实施方案", "某乡人民政府2021年度政务公开工作实施方案"])["issuer"]
    '某乡人民政府'
    """
    head = lines[:60]
    text = "\n".join(head)
    title = meta.get("title")
    if title and _PURPOSE.match(title):
        # 为深入贯彻落实《国务院办公厅关于…的通知》及…: a flattened first sentence cites a notice, it is no title
        if meta.get("issuer") and title.startswith(meta["issuer"]):
            del meta["issuer"]
        title = None
    if title:
        title = _from_label(title)
        # [政务公开任务分工]某局2024年…分工: the site's column, in brackets before the title, is no part of it
        title = re.sub(r"^[\[【][\u4e00-\u9fff]{2,10}[\]】]\s*(?=\S{6})", "", title)
        # 【字体: 】 县卫健委…: a page's control whose bracket closes before the title; no title opens with one
        title = re.sub(r"^[\]】)）》]\s*(?=\S{6})", "", title)
        # 附件下载: 某局2021年…分解表.doc: the site's download line names the plan, without its mark
        title = re.sub(r"^附件(?:下载)?\d*\s*[::]\s*", "", title)
        # 关怀版和平区2022年…: a site's reading switches (关怀版, 长者模式, 无障碍) glued before it are the page's
        title = re.sub(r"^(?:[丨|\s]*(?:网站)?(?:无障碍(?:浏览|阅读)?|关怀版|长者模式|适老版|繁體版|繁体版|简体版))+[丨|\s]*(?=\S{6})", "", title)
        # …的通知详情: a breadcrumb's last step (详情, 正文) whose » a print's font lost (or a scan's OCR
        # read as 》), no word of the title
        title = re.sub(r"(?<=[知案点划表账单见])》?(?:详情|正文|内容详情|详细内容)$", "", title)
        # …的通知政策咨询机关: / …方案发布日期: a page's next field, its line lost, glued after the title's
        # closing word: a label (a word and its colon) is no part of a title
        title = re.sub(r"(?<=[知告案点划表账单见])[\u4e00-\u9fff]{2,8}\s*[::].*$", "", title)
        column = _COLUMN.match(title)
        if column and any(title[column.end():] in ln and column.group() + title[column.end():] not in ln
                          for ln in head):
            title = title[column.end():]
        title = _over_two_lines(title, head, meta.get("issuer"))
    else:
        # no title line: the plan the cover sentence issues, else the one the first sentence draws up
        m = _OPENING_TITLE.match(text) or _ISSUED.search(text) or _DRAWN_UP.search(text[:600])
        if m and not re.search(r"《|关于", m.group(1)):
            title = m.group(1)
    meta["title"] = title
    if title and not re.search(r"《|贯彻|落实", title) and (span := _PERIOD.search(title)):
        # 政务公开五年行动计划(2021—2025年): a plan for a period is of its first year, whatever year a
        # sentence of its opening names (主动公开目录(2019年版)); not a plan carrying out another's period
        meta["year"] = int(span.group(1))
    if title and (issuer := meta.get("issuer")):
        # 发布机构: 某区卫生健康局区卫生健康局2021年…, the field's value run into the title printed after it
        k = next((k for k in range(2, len(issuer) - 3) if title.startswith(issuer[k:])
                  and re.search(r"(?:局|委|办公室|办公厅|人民政府|中心)$", issuer[:k])), None)
        if k:
            meta["issuer"] = issuer[:k]
    if title:
        # (2019清流县农业农村局政务公开实施方案: the year printed before the owner's name is the plan's year)
        # (关于印发《某省发展和改革委员会2021年…要点》的通知: the plan the notice issues names its owner)
        issued = re.match(r"^关于印发《([^《》]{6,80})》的通知$", title)
        owned = re.sub(r"^(?:19|20)\d\d年?度?(?=[\u4e00-\u9fff])", "", issued.group(1) if issued else title)
        owner = _OWNER.match(owned)
        # (the page's 来源 field may keep an office's old name, 某县农业局: the title's owner is the issuer)
        sourced = meta.get("issuer") and meta["issuer"] not in title and re.search(
            r"来源\s*[::]\s*" + re.escape(meta["issuer"]), text)
        # (a bureau's name, 某局, counts only with its place: 区教育局 alone says not whose)
        if owner and (not meta.get("issuer") or sourced) and (
                not owner.group(1).endswith(("局", "厅", "委", "委员会", "联合会", "办公室")) or leading_place(owned)):
            meta["issuer"] = owner.group(1)
        if not meta.get("doc_no"):
            # …的通知桐府办函〔2021〕116号: the number printed right after the title on its line is its own
            glued = next((m.group(1) for ln in head if (m := re.search(re.escape(title) + _NUMBER_AFTER, ln))), None)
            if glued:
                glued = (find_doc_numbers(glued, normalized=True) or [glued])[0]
                meta["doc_no"] = glued
                meta["cites"] = [n for n in meta.get("cites", []) if n != glued]
    if not meta.get("doc_no") and (bullet := next((m for ln in head if (m := _BULLETED_NO.match(ln))), None)):
        number = (find_doc_numbers(bullet.group(1), normalized=True) or [bullet.group(1)])[0]
        meta["doc_no"] = number
        meta["cites"] = [n for n in meta.get("cites", []) if n != number]
    for no in cited_bare_numbers(text):   # (川办发202310): a citation that lost its brackets and its 号
        if no != meta.get("doc_no") and no not in meta.setdefault("cites", []):
            meta["cites"].append(no)
    if not meta.get("year") and (no := meta.get("doc_no")) and (y := re.search(r"〔((?:19|20)\d\d)〕", no)):
        meta["year"] = int(y.group(1))   # 郑人社办〔2020〕199号: a notice is of its number's year
    if not meta.get("issuer") and (signer := _signer_over_two_lines(lines)):
        meta["issuer"] = signer
    field = _FIELD["issuer"].search(text) or _FIELD["source"].search(text)
    if addressees := posted_not_issued(meta, head, field and _clean_issuer(field.group(1))):
        meta["posted_by"] = meta.pop("issuer")   # the bureau that posted the city's notice: its issuer is not printed
        meta["addressed_level"] = meta.get("addressed_level") or level_of_addressees(addressees)
    return meta


def _from_label(title: str) -> str:
    """The 名称/标题 field's value when a page's fields ran into one line with the title.

    >>> _from_label("索引号:发布机构: 某委员会名称: 某委2021年政务公开工作重点任务台账分类: 其他文号:")
    '某委2021年政务公开工作重点任务台账'
    """
    m = _LABELLED.search(title)
    if m and m.start() > 0 and len(m.group(1).strip()) >= 6:
        return m.group(1).strip()
    return title


def _over_two_lines(title: str, head: list[str], issuer: str | None) -> str:
    """A title that opens with its year (2022年政务公开工作要点分工方案) continues the line above it when
    that line opens with the issuer's name and has no punctuation (某局贯彻落实…市政府办公室): a long first
    line of a title printed over two."""
    if not issuer or not re.match(r"(?:19|20)\d\d年", title):
        return title
    for i, ln in enumerate(head):
        if ln.strip() == title and i > 0:
            above = head[i - 1].strip()
            if (above.startswith(issuer) and len(above) > len(issuer) and len(above) <= 48
                    and not re.search(r"[。,，:：;；、\d]", above)):
                return above + title
            break
    return title


_SIGN_OWNER = re.compile(r"^[\u4e00-\u9fff]{4,30}(?:厅|局|委员会|委|人民政府)$")
_SIGN_DATE = re.compile(r"^(?:19|20)\d\d年\d{1,2}月\d{1,2}日$")


def _signer_over_two_lines(lines: list[str]) -> str | None:
    """A signature printed over two lines above its date (山东省人力资源和社会保障厅 / 办公室 / 2021年7月13日):
    the office of the body named on the line above, one signer.

    >>> _signer_over_two_lines(["某省某某厅", "", "办公室", "2021年7月13日"])
    '某省某某厅办公室'
    """
    rows = [ln.strip() for ln in lines[:80] if ln.strip()]
    for i in range(len(rows) - 2):
        if rows[i + 1] in ("办公室", "办公厅") and _SIGN_OWNER.match(rows[i]) and _SIGN_DATE.match(rows[i + 2]):
            return rows[i] + rows[i + 1]
    return None
