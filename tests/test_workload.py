"""Workload per unit and level, on the real documents (hand-counted from the source lines in data/).

TS = 2021_taishan_culture_bureau_sections.txt, GZ = 2022_guangzhou_city_plan.txt,
HP = 2022_guangzhou_huangpu_district_plan.txt.
"""
from __future__ import annotations

import pytest

from queries.workload import unit_tasks, workload

OFFICE = "unit:江门市台山市文化广电旅游体育局办公室"
ENFORCEMENT = "unit:江门市台山市文化广电旅游体育局市场执法股"
DISTRICTS = "unit:广州市各区政府"
HP_ISSUER = "unit:广州市黄埔区人民政府办公室"


@pytest.fixture(scope="module")
def rows(seed_graph):
    return workload(seed_graph)


def _row(rows, unit, level):
    found = [r for r in rows if r["unit"] == unit and r["level"] == level]
    assert len(found) == 1, (unit, level, found)
    return found[0]


def _number(G, task):
    return G.nodes[task]["number"]


def test_bureau_office_leads_the_tasks_its_cells_name_it_lead_of(seed_graph, rows):
    # TS lines 2-3 (tasks 1, 2), 27 (26), 28 (27), 30-31 (29, 30), 32-33 (31, 32): 办公室牵头.
    leads = {_number(seed_graph, r["task"]) for r in unit_tasks(seed_graph, OFFICE) if r["role"] == "lead" and not r["via"]}
    assert {"1", "2", "26", "27", "29", "30", "31", "32"} <= leads
    office = _row(rows, OFFICE, "department")
    assert office["lead"] == len(leads)
    assert office["total"] >= office["lead"] + 1   # line 8 (task 7): 办公室、各股室、属下单位, no lead


def test_every_district_government_implements_the_city_tasks(seed_graph, rows):
    # GZ lines 4-8: tasks 1-5 each end with 各區政府, never as lead.
    r = _row(rows, DISTRICTS, "city")
    assert r["implement"] >= 5 and r["lead"] == 0
    gz = [t for t in unit_tasks(seed_graph, DISTRICTS) if t["doc_id"] == "2022-guangzhou"]
    assert {"1", "2", "3", "4", "5"} <= {t["number"] for t in gz}
    assert {t["role"] for t in gz} == {"implement"}


def test_district_government_carries_city_tasks_through_its_collective(seed_graph, rows):
    r = _row(rows, HP_ISSUER, "city")
    assert r["total"] == 0
    assert r["via_collective"] == _row(rows, DISTRICTS, "city")["total"]
    via = [t for t in unit_tasks(seed_graph, HP_ISSUER) if t["via"]]
    assert {t["via"] for t in via} == {"广州市各区政府"}


def test_other_sections_pass_their_tasks_to_a_section_never_named(seed_graph):
    # TS line 5: 市场执法股 is named only on task 4; line 2 gives 其他股室 task 1 (办公室 leads it).
    tasks = unit_tasks(seed_graph, ENFORCEMENT)
    direct = {_number(seed_graph, t["task"]) for t in tasks if t["via"] is None}
    via_others = {_number(seed_graph, t["task"]) for t in tasks if t["via"] == "江门市台山市文化广电旅游体育局其他股室"}
    assert direct == {"4"}
    assert "1" in via_others


def test_total_counts_a_task_once_per_unit_and_level(seed_graph, rows):
    for r in rows:
        roles = r["lead"] + r["implement"] + r["cooperate"] + r["support"]
        assert r["total"] <= roles or (r["total"] == 0 and r["via_collective"] > 0)
    assert all(a["total"] >= b["total"] for a, b in zip(rows, rows[1:]))


def test_unknown_unit_has_no_tasks(seed_graph):
    assert unit_tasks(seed_graph, "unit:不存在的单位") == []


def test_collectives_are_apart_and_a_name_without_its_ge_is_the_collective(seed_graph):
    merged = {r["name"]: r for r in workload(seed_graph, merge=True)}
    plain = {r["name"]: r for r in workload(seed_graph)}
    # 黄埔's rows name 街镇 and 各街镇: one collective, counted once per task
    both = "广州市黄埔区各街镇"
    assert "广州市黄埔区街镇" in plain and "广州市黄埔区街镇" not in merged
    assert merged[both]["merged"] == ["广州市黄埔区街镇"] and merged[both]["collective"]
    assert plain[both]["total"] < merged[both]["total"] <= plain[both]["total"] + plain["广州市黄埔区街镇"]["total"]
    # collectives by the vocabulary and by name; bureaus and offices are accountable units
    for name in ("广州市黄埔区各部门", "广州市黄埔区园区管理机构", "江门市台山市文化广电旅游体育局属下单位"):
        assert merged[name]["collective"], name
    for name in ("广州市黄埔区政务公开办", "广州市黄埔区财政局", "江门市台山市文化广电旅游体育局办公室"):
        assert not merged[name]["collective"], name


def test_units_page_shows_accountable_units_by_name_and_collectives_apart(monkeypatch, built, tmp_path):
    import shutil

    from test_app import assert_clean, open_page

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_LANG", "en")
    at = open_page("units")
    assert_clean(at)
    first, second = at.dataframe[0].value, at.dataframe[1].value
    assert list(first.columns)[0] == "name" and not first["name"].str.startswith("unit:").any()
    assert "广州市黄埔区各部门" not in set(first["name"]) and "广州市黄埔区各部门" in set(second["name"])
    assert "广州市黄埔区街镇" not in set(first["name"]) | set(second["name"])
