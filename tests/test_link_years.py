"""Year over year: CONTINUES and last year's reviewed links, on real plans given a second year."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from graph.build import build_graph
from graph.link import link
from loaders import load_file

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
HUANGPU = SHARED / "seeds" / "002_cf2d3c68f4e2a2f4.txt"
GUANGZHOU = SHARED / "corpus" / "2022_guangzhou_city.txt"
HP = {"level": "county", "region": "广州市黄埔区", "issuer": "广州市黄埔区人民政府办公室"}
GZ = {"level": "city", "region": "广州市", "issuer": "广州市人民政府办公厅"}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """黄埔 and 广州 2022, and the same texts again as their 2023 plans (the plan carried over as is)."""
    tmp = tmp_path_factory.mktemp("years")
    recs = []
    for year in (2022, 2023):
        hp, gz = tmp / f"hp{year}.txt", tmp / f"gz{year}.txt"
        shutil.copy(HUANGPU, hp)
        shutil.copy(GUANGZHOU, gz)
        recs.append(load_file(gz, {**GZ, "year": year, "id": f"gz{year}"}))
        recs.append(load_file(hp, {**HP, "year": year, "id": f"hp{year}", "parents": [f"gz{year}"]}))
    return build_graph(recs)


def test_plans_of_the_same_issuer_continue_from_one_year_to_the_next(two_years):
    G = link(copy.deepcopy(two_years))
    for doc in ("hp", "gz"):
        e = G.edges[f"{doc}2023", f"{doc}2022", "CONTINUES"]
        assert e["kind"] == "year" and e["new"] == 0 and e["dropped"] == 0 and e["carried_over"] > 0
    assert not G.has_edge("hp2022", "hp2023", key="CONTINUES")
    tasks = [(u, v) for u, v, d in G.edges(data=True) if d["type"] == "CONTINUES" and d["kind"] == "carried_over"]
    assert all(u.split("/", 1)[1] == v.split("/", 1)[1] for u, v in tasks)


def test_last_years_confirmed_link_is_proposed_again_for_the_continued_tasks(two_years):
    odd = ("hp2022/五/(十八)/64", "gz2022/一/(一)/3")     # not something the linker proposes
    G = link(copy.deepcopy(two_years), reviews={odd: {"status": "confirmed"}})
    assert G.edges[(*odd, "DERIVED_FROM")]["status"] == "confirmed"
    e = G.edges["hp2023/五/(十八)/64", "gz2023/一/(一)/3", "DERIVED_FROM"]
    assert e["method"] == "continues" and e["status"] == "proposed"


def test_linking_twice_gives_the_same_links(two_years):
    G = link(copy.deepcopy(two_years))
    once = sorted((u, v, d["type"], d.get("score")) for u, v, d in G.edges(data=True) if d["type"] != "CONTAINS")
    link(G)
    twice = sorted((u, v, d["type"], d.get("score")) for u, v, d in G.edges(data=True) if d["type"] != "CONTAINS")
    assert once == twice


def test_structure_and_order_raise_link_f1_over_lexical_alone():
    from cascade.evaluate import compare_link_methods

    rows = {r["method"]: r for r in compare_link_methods(SHARED / "gold" / "seeds.yaml",
                                                         presets=["bigram", "lexical", "structure", "order"],
                                                         thresholds=(0.10,))}
    assert rows["bigram"]["f1"] <= rows["lexical"]["f1"] <= rows["structure"]["f1"] <= rows["order"]["f1"]
    assert rows["order"]["f1"] >= 0.95 and rows["order"]["locals_unlinked"] == "2/2"


def test_threshold_in_use_lies_in_the_gap_between_right_links_and_tasks_that_cannot_derive():
    from cascade.evaluate import calibrate_links

    cal = calibrate_links(SHARED / "gold" / "seeds.yaml")
    assert cal["unlinkable"] >= 40 and cal["wrong_best"] == 0
    assert cal["highest_unlinkable"] < cal["in_use"] < cal["lowest_right"]
    assert abs(cal["in_use"] - cal["threshold"]) < (cal["lowest_right"] - cal["highest_unlinkable"]) / 4
