"""Who owes a sentence under a note shared by departments and lower governments.

A paragraph's note often names both (责任单位:市政府各部门,各区、市政府), and every sentence above it then
reads as asked of each department. An analyst reads a sentence whose work happens in the lower governments
themselves — choosing some of them for a pilot (选取部分有条件的区(市)开展…试点), carrying 政务公开 down to
villages and communities (向农村和社区延伸, 村(居)务公开) — as asked of those governments, not of a
department's own plan (青岛 2025 (一).2 and (一).3 had been read as gaps of 青岛市行政审批服务局).
"""
from __future__ import annotations

import re

__all__ = ["lower_government_work", "is_government_collective"]

# the work sits in some of the lower governments (a pilot among them) or in villages and communities
_LOWER_WORK = re.compile(
    r"(?:选取|选择|遴选|确定)[^,，。;；]{0,8}?(?:区|县|乡镇|街道)(?:\((?:市|市、区|区、市)\))?"
    r"|向(?:农村|乡村|村)[^,，。;；]{0,4}社区延伸"
    r"|村[(（]居[)）]务公开")
_GOVERNMENTS = re.compile(r"各[^部门]*(?:人民政府|政府|管委会|办事处)$")


def lower_government_work(text: str | None) -> str | None:
    """The words showing a sentence's work happens in the lower governments, or None.

    >>> lower_government_work("选取部分有条件的区(市),开展已公开信息管理规范化试点。")
    '选取部分有条件的区(市)'
    >>> lower_government_work("推动基层政务公开向农村和社区延伸。")
    '向农村和社区延伸'
    >>> lower_government_work("健全主动公开事项目录制度,逐项明确公开主体。") is None
    True
    """
    m = _LOWER_WORK.search(text or "")
    return m.group(0) if m else None


def is_government_collective(name: str) -> bool:
    """Is a collective unit the lower governments (各区、市政府, 各区县人民政府), not the departments?

    >>> is_government_collective("青岛市各区、市政府"), is_government_collective("青岛市市政府各部门")
    (True, False)
    """
    return bool(_GOVERNMENTS.search(name)) and "部门" not in name
