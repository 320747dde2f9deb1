"""Drift along real links: what a lower level added to the requirement and what it left out."""
from __future__ import annotations

import pytest

from core.errors import CascadeError
from queries.drift import drift, drift_texts
from test_gaps import section_at, task_no, with_verified_links


@pytest.fixture(scope="module")
def G(seed_graph):
    return with_verified_links(seed_graph)


def test_district_adds_interpretation_and_publicity_to_the_city_task(G):
    # GZ line 4 "幫扶政策的公開力度" → HP line 71 "幫扶政策的公開、解讀和宣傳力度".
    d = drift(G, task_no(G, "2022-huangpu", "1"), task_no(G, "2022-guangzhou", "1"))
    assert d["linked"] is True
    assert any("解读和宣传" in a for a in d["added"])
    assert d["similarity"] > 0.8


def test_district_drops_the_quotation_marks_and_adds_its_own_scope(G):
    # GZ line 5 "及時回應和解決“堵點”問題" → HP line 75 "根據職能職責…(協辦)…及時回應和解決堵點問題".
    d = drift(G, task_no(G, "2022-huangpu", "2"), task_no(G, "2022-guangzhou", "2"))
    assert any("根据职能职责" in a for a in d["added"])
    assert d["numbers_added"] == []


def test_bureau_adds_a_dated_deadline_the_national_section_lacks(G):
    # TS line 25: "需于2021年11月20日前主动公开基层政务公开标准目录"; N21 §三(三) (line 63) sets no such date.
    d = drift(G, task_no(G, "2021-taishan-culture", "24"), section_at(G, "2021-national", ("三", "(三)")))
    assert "2021年11月20日前" in d["deadlines_added"]
    assert d["deadlines"] == ["2021-11-20"]
    assert d["linked"] is True


def test_pair_without_a_link_is_still_compared_but_said_unlinked(G):
    d = drift(G, task_no(G, "2022-huangpu", "3"), task_no(G, "2022-guangzhou", "1"))
    assert d["linked"] is False
    assert d["similarity"] < 0.5


def test_identical_texts_have_no_drift():
    d = drift_texts("做好财政信息公开。", "做好财政信息公开。")
    assert (d["added"], d["removed"], d["spans"], d["similarity"]) == ([], [], [], 1.0)


def test_unknown_node_is_an_error(G):
    with pytest.raises(CascadeError, match="no node"):
        drift(G, "nope", task_no(G, "2022-guangzhou", "1"))
