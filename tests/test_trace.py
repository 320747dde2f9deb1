"""Tracing one requirement down every level, on the real cascade N22 → GZ → HP with hand-verified links
(``VERIFIED`` in test_gaps.py, which cites the source lines)."""
from __future__ import annotations

import pytest

from core.errors import CascadeError
from queries.trace import trace, trace_rows
from test_gaps import task_no, task_with, with_verified_links


@pytest.fixture(scope="module")
def G(seed_graph):
    return with_verified_links(seed_graph)


def test_national_requirement_reaches_the_district_directly_and_through_the_city(G):
    # N22 line 35 "加大受疫情影響重的…" → GZ 1 (line 4) → HP 1 (line 71); HP also cites N22 itself (line 30).
    root = task_with(G, "2022-national", "加大受疫情影响重的餐饮")
    gz1, hp1 = task_no(G, "2022-guangzhou", "1"), task_no(G, "2022-huangpu", "1")
    t = trace(G, root)
    branches = {b["lower_doc"]: b for b in t["below"]}
    assert set(branches) == {"2022-guangzhou", "2022-huangpu"}
    assert branches["2022-guangzhou"]["status"] == "covered"
    assert [c["task"] for c in branches["2022-guangzhou"]["tasks"]] == [gz1]
    city = branches["2022-guangzhou"]["tasks"][0]
    assert [(b["lower_doc"], [c["task"] for c in b["tasks"]]) for b in city["below"]] == [("2022-huangpu", [hp1])]
    assert [c["task"] for c in branches["2022-huangpu"]["tasks"]] == [hp1]
    assert city["above"] == [root]


def test_trace_rows_go_depth_first_with_levels(G):
    root = task_with(G, "2022-national", "加大受疫情影响重的餐饮")
    rows = trace_rows(G, root)
    assert [(r["depth"], r["level"], r["doc_id"]) for r in rows] == [
        (0, "national", "2022-national"), (1, "city", "2022-guangzhou"), (2, "county", "2022-huangpu"),
        (1, "county", "2022-huangpu")]
    assert all(r["status"] == "covered" for r in rows[1:])


def test_requirement_nobody_took_up_shows_where_it_stopped(cut_built):
    # N22 line 35's 建立市场主体反映投资… reaches GZ 2 (line 5); 黄埔 without its rows 2 and 3 stops it.
    H = cut_built[0].graph
    rows = trace_rows(H, task_with(H, "2022-national", "建立市场主体反映投资和工程建设项目"))
    stops = [(r["doc_id"], r["status"]) for r in rows if r["task"] is None]
    assert stops == [("2022-huangpu", "gap")]
    assert all(r["reason"] for r in rows[1:])


def test_section_link_brings_every_task_that_took_the_section_up(G):
    # TS 1 and 2 (lines 2-3) go to N21 §一(一) (line 38) as a whole.
    rows = trace_rows(G, task_with(G, "2021-national", "县级以上人民政府要主动公开"))
    below = {r["task"] for r in rows if r["depth"] == 1 and r["doc_id"] == "2021-taishan-culture"}
    assert below == {task_no(G, "2021-taishan-culture", "1"), task_no(G, "2021-taishan-culture", "2")}


def test_trace_of_an_unknown_task_is_an_error(G):
    with pytest.raises(CascadeError, match="no task"):
        trace(G, "2022-national/九/(九)/99")
