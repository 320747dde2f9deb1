"""Cascade checks as Issue objects, on data/ with the hand-verified links of test_gaps.py."""
from __future__ import annotations

import pytest

from queries.checks import SEVERITIES, Issue, check
from queries.gaps import coverage
from test_gaps import G, task_no, task_with, with_verified_links  # noqa: F401  (G: the seed graph with its hand-checked links)


@pytest.fixture(scope="module")
def issues(G):  # noqa: F811
    return check(G)


def test_truncated_documents_are_warned_about(issues):
    # GZ (lines 1 and 10) and N22 (line 38) end in [GAP].
    flagged = {i.node for i in issues if i.code == "truncated-document"}
    assert {"2022-guangzhou", "2022-national"} <= flagged
    assert "2021-taishan-culture" not in flagged
    assert all(i.severity == "warning" for i in issues if i.code == "truncated-document")


def test_every_gap_is_an_issue(G, issues, cut_built):
    gaps = [(r["upper"], r["lower_doc"]) for r in coverage(G) if r["status"] == "gap"]
    found = {(i.node, i.doc_id): i for i in issues if i.code == "gap"}
    assert sorted(found) == sorted(gaps)
    # 黄埔 without its rows 2 and 3 (a complete plan) leaves GZ tasks 2 and 3 untaken: errors.
    H = cut_built[0].graph
    cut = {(i.node, i.doc_id): i for i in check(H) if i.code == "gap"}
    assert sorted(cut) == [(task_no(H, "2022-guangzhou", n), "2022-huangpu") for n in ("2", "3")]
    assert {i.severity for i in cut.values()} == {"error"}


def test_leadless_task_is_an_issue(G, issues):
    # TS line 13 (task 12): 办公室、各股室、属下单位, none 牵头.
    assert task_no(G, "2021-taishan-culture", "12") in {i.node for i in issues if i.code == "leadless-task"}


def test_issues_come_errors_first_and_render_as_one_line(issues):
    ranks = [SEVERITIES.index(i.severity) for i in issues]
    assert ranks == sorted(ranks)
    assert all(isinstance(i, Issue) and "\n" not in str(i) and str(i).startswith(i.severity) for i in issues)


def test_a_documents_items_come_in_the_order_it_prints_them(G, issues):
    # 第5项 before 第12项 (the ids sort "…/12" before "…/5"): an office reads a list in its document's order.
    for doc in {i.doc_id for i in issues if i.code == "leadless-task"}:
        places = [G.nodes[i.node]["position"] for i in issues if i.code == "leadless-task" and i.doc_id == doc]
        assert places == sorted(places), doc
