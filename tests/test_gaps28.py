"""Real cascades of session 28 (浙江's five-year plan → 绍兴 2021 and 舟山 2022; 济南 2025 → the
interpretations of 槐荫区's and 起步区's plans): a lower document whose issuer is not known (an interpretation
or a repost without its issuer line) was told it owed nothing a requirement assigned to the districts
("not applicable"), where its issuer may well be one of them; a plan naming a span of years
(2021—2025年) was no parent of a plan of 2022; a notice titled 关于贯彻落实X的通知 did not implement X.
Short texts of our own."""
from __future__ import annotations

from pathlib import Path

from graph.not_assessable_rows import NOT_ASSESSABLE_COLUMNS, not_assessable_definition, not_assessable_row
from queries.gaps import coverage

_CITY = """淄博市人民政府办公室关于印发2025年淄博市政务公开工作要点的通知
淄政办发〔2025〕3号
各区县人民政府,市政府各部门:
《2025年淄博市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。
淄博市人民政府办公室
2025年5月20日
2025年淄博市政务公开工作要点
一、推进重点领域信息公开
(一)围绕扩大内需做好公开。做好消费券发放、以旧换新补贴等促消费政策的发布和解读。(责任单位:各区县政府)
(二)围绕民生保障做好公开。持续做好公办养老机构床位、收费标准等信息公开。(责任单位:各区县政府)
"""

# an interpretation of a district plan that is not held, with no issuer line
_INTERP = """关于《2025年张店区政务公开工作要点》的解读
一、起草背景
为落实《2025年淄博市政务公开工作要点》(淄政办发〔2025〕3号)要求,结合我区实际,制定了《2025年张店区政务公开工作要点》。
二、主要内容
《要点》围绕促消费政策发布和解读,做好消费券发放、以旧换新补贴等信息公开。
"""

# a whole district plan reposted without its issuer line (its title names the district)
_DISTRICT = """2025年淄博市周村区政务公开工作要点
根据《2025年淄博市政务公开工作要点》(淄政办发〔2025〕3号),制定本要点。
一、推进重点领域信息公开
(一)围绕扩大内需做好公开。做好消费券发放、以旧换新补贴等促消费政策的发布和解读。
(二)围绕国企改革做好公开。做好区属国有企业改革进展信息公开。
"""


def _build(tmp_path: Path, files: dict[str, str], store: Path | None = None):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    from cascade.pipeline import build

    return build([src], store=store).graph


def _rows(G, lower):
    return {G.nodes[r["upper"]]["number"][:3]: r for r in coverage(G) if r["lower_doc"] == lower and r["status"] != "local"}


def test_an_interpretation_without_its_issuer_is_not_told_it_owed_nothing(tmp_path):
    G = _build(tmp_path, {"city.txt": _CITY, "interp.txt": _INTERP})
    assert G.nodes["interp"].get("kind") == "interpretation" and not G.nodes["interp"].get("issuer")
    rows = _rows(G, "interp")
    # both requirements are the districts': whether this district's is among them cannot be told from a
    # document with no issuer, and what the interpretation leaves out says nothing of its plan either way
    assert {n: r["status"] for n, r in rows.items()} == {"(一)": rows["(一)"]["status"], "(二)": "not_assessable"}
    assert rows["(一)"]["status"] in ("covered", "not_assessable")
    assert "not known to include" in rows["(二)"]["reason"]
    assert rows["(二)"]["waits_for"] == "《2025年张店区政务公开工作要点》"


def test_a_whole_plan_without_its_issuer_waits_for_it_and_agrees_with_the_store(tmp_path):
    store = tmp_path / ".cascade"
    G = _build(tmp_path, {"city.txt": _CITY, "district.txt": _DISTRICT}, store=store)
    d = G.nodes["district"]
    assert d.get("level") == "county" and not d.get("issuer") and not d.get("truncated")
    assert G.has_edge("district", "city")
    rows = _rows(G, "district")
    # the one it takes up is covered; the one it leaves out is no gap (its issuer is not known) and no
    # "not applicable" (the districts are asked): the analyst waits for the issuer
    assert rows["(一)"]["status"] == "covered"
    assert rows["(二)"]["status"] == "not_assessable"
    assert rows["(二)"]["waits_for"] == "the issuer of district (manifest)"
    # the store's rows (the Cypher definitions) say the same
    from graph.store import load_graph
    from queries.cypher import run_cypher
    from graph.gap_rows import gap_definition

    H = load_graph(store)
    cols = ", ".join(f"n.`{c}`" for c, _ in NOT_ASSESSABLE_COLUMNS)
    stored = sorted(run_cypher(store, f"MATCH (n:NotAssessable) RETURN {cols}")[1])
    expected = sorted([not_assessable_row(H, r["upper"], r["upper_doc"], r["lower_doc"])[c] for c, _ in NOT_ASSESSABLE_COLUMNS]
                      for r in coverage(H) if r["status"] == "not_assessable")
    assert stored == expected and sorted(run_cypher(store, not_assessable_definition())[1]) == stored
    assert [r[-1] for r in stored] == ["issuer_unknown"]
    assert run_cypher(store, gap_definition())[1] == []
