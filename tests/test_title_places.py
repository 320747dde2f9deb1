"""The place a plan is for, from its title or issuer, when the divisions table does not spell it that way.

Short titles and openings of our own, in the shape of real ones:
- a title that names its prefecture without its suffix (潍坊 for 潍坊市, 大理州 for 大理白族自治州);
- a district or county-level city newer than the table (a district carved out in 2019), named in the title
  or by its issuer: its own name is a county-level region, under the prefecture the text puts before it.
"""
from __future__ import annotations

import pytest

from loaders import load_file
from loaders.metadata import level_of_title
from loaders.places import title_region

BODY = """为做好本年度政务公开工作,结合实际,制定本要点。
一、深化重点领域信息公开
(一)做好经济运行信息公开。及时公开重点项目审批和实施进展情况。
"""


def _load(tmp_path, text):
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    return load_file(p).document


@pytest.mark.parametrize("title, level, region", [
    ("潍坊2021年政务公开工作要点", "city", "潍坊市"),
    ("2021年宜春政务公开工作要点", "city", "宜春市"),
    ("关于印发2022年大理州政务公开工作要点的通知", "city", "大理白族自治州"),
    ("潍坊政务公开工作要点实施方案", "city", "潍坊市"),
])
def test_a_prefecture_named_without_its_suffix_gives_level_and_region(title, level, region, tmp_path):
    assert (level_of_title(title), title_region(title)) == (level, region)
    d = _load(tmp_path, title + "\n" + BODY)
    assert (d.level, d.region) == (level, region)


@pytest.mark.parametrize("title", [
    "朝阳2022年政务公开工作要点",      # 朝阳市 (辽宁), and 朝阳区 in two cities
    "大同2022年政务公开工作要点",      # 大同市, and 大同区 of 大庆
    "关于印发安全生产2021年工作要点的通知",
    "2022年全区政务公开工作要点",
])
def test_a_bare_name_that_several_places_share_or_a_word_gives_no_region(title):
    assert title_region(title) is None


@pytest.mark.parametrize("opening, level, region", [
    # a district created after the table: its name alone, where nothing names its prefecture
    ("2022年红谷滩区政务公开工作要点\n", "county", "红谷滩区"),
    # its issuer signs with the prefecture before it
    ("红谷滩区人民政府办公室关于印发2022年红谷滩区政务公开工作要点的通知\n各街道办事处,区直各单位:\n"
     "现印发给你们,请认真贯彻落实。\n南昌市红谷滩区人民政府办公室\n2022年5月6日\n", "county", "南昌市红谷滩区"),
    # a county-level city the table lacks is no prefecture, whatever its 市
    ("2023年某某河市政务公开工作要点\n", "county", "某某河市"),
])
def test_a_county_the_table_lacks_is_still_a_county_level_region(opening, level, region, tmp_path):
    d = _load(tmp_path, opening + BODY)
    assert (d.level, d.region) == (level, region)
