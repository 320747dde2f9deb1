"""The issuer a document number names, for a document whose issuer line names no place.

A province's document number opens with the province's one-character abbreviation and the issuing office
(辽政办〔2016〕23号: 辽 辽宁, 政办 the provincial government's general office; 粤府办, 赣府厅发, 川办发 likewise;
鲁政发: the government itself). When the issuer the text gives says nothing of where it is (a mirror page that
replaced it by an advertisement, a bare 办公厅), the number still identifies the issuer, its level and
region. A few abbreviations are also a city's (青政办发 青岛, 宁政办发 南京, 内府办发 内江), so the number is
believed only when the text's opening speaks at the same level: 省政府 / 省人民政府 for a province, 自治区
for an autonomous region, 市政府 with 各区 for a municipality.
"""
from __future__ import annotations

import re

__all__ = ["issuer_of_number", "province_abbreviations"]

_PROVINCES = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
    "内": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省",
    "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省",
    "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "川": "四川省", "黔": "贵州省",
    "云": "云南省", "滇": "云南省", "藏": "西藏自治区", "陕": "陕西省", "甘": "甘肃省", "青": "青海省",
    "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}


def province_abbreviations(province: str | None) -> set[str]:
    """The one-character names a province's numbers open with (四川省: 川; 云南省: 云, 滇).

    >>> sorted(province_abbreviations("云南省")), province_abbreviations("某省")
    (['云', '滇'], set())
    """
    return {k for k, v in _PROVINCES.items() if v == province}


# the abbreviation, then the office: the general office (政办, 府办, 办, 府厅) or the government (政, 府)
_NUMBER = re.compile(r"^(内蒙古|内蒙|[" + "".join(_PROVINCES) + r"])(政办|府办|府厅|办|政|府)"
                     r"(?:发|函|字|明电|规)?〔\d{4}〕")
# the words a province-level text's opening says of itself and of those it addresses
_SAYS = {"省": re.compile(r"省(?:人民)?政府|各(?:地级以上)?市(?:、州)?(?:人民)?政府,省"),
         "自治区": re.compile(r"自治区(?:人民)?政府"),
         "直辖市": re.compile(r"市(?:人民)?政府各|各区(?:、县)?人民政府")}


def issuer_of_number(doc_no: str | None, opening: str) -> tuple[str, str, str] | None:
    """``(issuer, level, region)`` a province-level document number names, when the opening (the text's
    first lines) speaks at that level; else None.

    >>> issuer_of_number("辽政办〔2016〕23号", "各市人民政府,省政府各厅委、各直属机构:")
    ('辽宁省人民政府办公厅', 'province', '辽宁省')
    >>> issuer_of_number("宁政办发〔2023〕5号", "各区人民政府,市政府各部门:") is None   # 南京's number
    True
    >>> issuer_of_number("桂政发〔2022〕1号", "各市人民政府,自治区人民政府各组成部门:")
    ('广西壮族自治区人民政府', 'province', '广西壮族自治区')
    >>> issuer_of_number("穗府办函〔2022〕48号", "各区人民政府") is None
    True
    """
    m = _NUMBER.match(doc_no or "")
    if not m:
        return None
    region = _PROVINCES.get(m.group(1)[0]) if not m.group(1).startswith("内蒙") else "内蒙古自治区"
    kind = ("自治区" if region.endswith("自治区") else
            "直辖市" if region in ("北京市", "天津市", "上海市", "重庆市") else "省")
    if not _SAYS[kind].search(opening):
        return None
    office = "人民政府" if m.group(2) in ("政", "府") else "人民政府办公厅"
    return f"{region}{office}", "province", region
