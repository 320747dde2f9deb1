"""Who posted a page is not always who issued what it holds.

A page's 发布机构 (or 来源) field names the office whose site column carries the page. A bureau reposts
its city's notices so: 宣城市文化和旅游局 posts the city's 任务提示单, addressed to 各县市区人民政府,
市政府各部门. A bureau does not address the governments below nor the city's departments it is one of:
that document is its government's (or its office's), and the field's bureau no issuer of it. The issuer
is then not known (the level is the addressees', as a reader takes it).
"""
from __future__ import annotations

import re

__all__ = ["posted_not_issued"]

# 各县市区人民政府,市政府各部门: the governments below and the government's own departments
_GOVERNMENTS_BELOW = re.compile(r"各[\u4e00-\u9fff、()（）]{1,12}(?:人民)?政府")
_OWN_DEPARTMENTS = re.compile(r"[省市县区州旗]政府各(?:部门|委办局|有关部门|工作部门)|[省市县区州旗]直各(?:有关)?(?:部门|单位)")
_ADDRESSEES = re.compile(r"(各[^。;；:：|]{2,100}[:：])")   # (glued after the title when the breaks were lost)
# a bureau, a commission, a center: no government and no government's office
_BUREAU = re.compile(r"(?:局|委员会|委|中心|厅)(?:[(（][^()（）]{2,20}[)）])?$")


def posted_not_issued(meta: dict, lines: list[str], field_issuer: str | None) -> str | None:
    """The addressees (各县市区人民政府,市政府各部门:) when the issuer read from a page's field is only the
    bureau that posted a document they show is its government's; else None.

    >>> posted_not_issued({"issuer": "某市文化和旅游局"}, ["各县市区人民政府,市政府各部门、各直属机构:"], "某市文化和旅游局")
    '各县市区人民政府,市政府各部门、各直属机构:'
    >>> posted_not_issued({"issuer": "某市文化和旅游局"}, ["各县市区文化和旅游局,局机关各科室:"], "某市文化和旅游局")
    >>> posted_not_issued({"issuer": "某市文化和旅游局"}, ["发布日期: | 2022-11-01 |各县市区人民政府,市政府各部门:根据…"], "某市文化和旅游局")
    '各县市区人民政府,市政府各部门:'
    >>> posted_not_issued({"issuer": "某市人民政府办公室"}, ["各县市区人民政府,市政府各部门:"], "某市人民政府办公室")
    """
    issuer = meta.get("issuer")
    if not issuer or issuer != field_issuer or not _BUREAU.search(issuer) or "办公" in issuer:
        return None
    title = meta.get("title") or ""
    if title.startswith(issuer):
        return None   # 某局关于…: its title names it the issuer
    # (the addressees' line, or its run after the page's fields when the text lost its breaks)
    addressees = next((m.group(1) for ln in lines[:60] if (m := _ADDRESSEES.search(ln))), "")
    return addressees if _GOVERNMENTS_BELOW.search(addressees) and _OWN_DEPARTMENTS.search(addressees) else None
