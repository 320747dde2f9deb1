"""The loaders against the hand-made gold (../shared/gold/seeds.yaml), as ``cascade eval`` scores them:
every structure count met exactly, unit F1 with roles at least 0.95 in each document, every deadline
the gold names found."""
from __future__ import annotations

from pathlib import Path

import pytest

from cascade.evaluate import evaluate

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "seeds.yaml"


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD)


def test_gold_structure_counts_are_met(report):
    missed = [c for c in report.counts if not c["ok"]]
    assert not missed
    assert {c["key"] for c in report.counts} >= {"parts", "sections", "tasks", "aspects", "catalog_items", "cites"}


def test_gold_unit_f1_with_roles_per_document(report):
    assert len(report.units) == 6
    for doc, score in report.units.items():
        assert score.f1 >= 0.95, (doc, score.as_dict())


def test_gold_deadlines_are_found(report):
    assert report.deadlines and all(d["ok"] for d in report.deadlines)
