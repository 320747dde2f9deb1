"""The deadline calendar on the real documents of data/."""
from __future__ import annotations

from queries.calendar import deadline_calendar
from test_gaps import task_no


def test_bureau_deadline_is_on_the_calendar_with_its_unit(seed_graph):
    # TS line 25 (task 24): "需于2021年11月20日前主动公开基层政务公开标准目录", cell 办公室.
    rows = [r for r in deadline_calendar(seed_graph) if r["task"] == task_no(seed_graph, "2021-taishan-culture", "24")]
    assert [r["date"] for r in rows] == ["2021-11-20"]
    assert rows[0]["units"] == ["办公室"] and rows[0]["level"] == "department"


def test_dates_come_in_order_before_recurring_phrases(seed_graph):
    rows = deadline_calendar(seed_graph)
    dated = [r["date"] for r in rows if not r["recurring"]]
    assert dated and dated == sorted(dated)
    first_recurring = next(i for i, r in enumerate(rows) if r["recurring"])
    assert all(r["recurring"] for r in rows[first_recurring:])
    # TS line 34 (task 33) is yearly: "纳入政府信息公开工作年度报告".
    assert any(r["date"] == "每年" and r["doc_id"] == "2021-taishan-culture" for r in rows)
