"""A plan that names its parent by title only (《广州市…2022年政务公开工作要点分工方案》, no 文号) implements
that parent by citation, not by inference (issues 22, 23): built from the real 黄埔 2022 plan with the
document numbers taken out of its citation sentence."""
from __future__ import annotations

import re
from pathlib import Path

from cascade.pipeline import build

DATA = Path(__file__).resolve().parent.parent / "data"

MANIFEST = """documents:
  - file: city.txt
    id: 2022-guangzhou
    level: city
    region: 广州市
    year: 2022
    issuer: 广州市人民政府办公厅
    title: 广州市人民政府办公厅关于印发广州市2022年政务公开工作要点分工方案的通知
  - file: huangpu.txt
    id: 2022-huangpu
    level: county
    region: 广州市黄埔区
    year: 2022
    issuer: 广州市黄埔区人民政府办公室
"""


def test_a_parent_cited_by_title_is_implemented_by_citation(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "city.txt").write_bytes((DATA / "2022_guangzhou_city_plan.txt").read_bytes())
    text = (DATA / "2022_guangzhou_huangpu_district_plan.txt").read_text(encoding="utf-8")
    text = re.sub(r"[(（][^()（）]*〔2022〕[^()（）]*[)）]", "", text)   # every (…〔2022〕…号) citation gone
    assert "〔2022〕48" not in text and "48號" not in text
    (docs / "huangpu.txt").write_text(text, encoding="utf-8")
    (docs / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    G = build([docs]).graph
    via = {(u, v): d.get("via") for u, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"}
    assert via.get(("2022-huangpu", "2022-guangzhou")) == "citation", via
