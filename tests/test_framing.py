"""A plan's framing sections (一、总体要求: (一)指导思想, (二)基本原则, (三)工作目标) are context, not
requirements: an upper plan's 坚持以…为指导 or 到2023年底…基本建成 is asked of no lower plan (no gap), a lower
plan's own aim adds no task (no local addition), and a goal is no numbered row an analyst counts, unless
the sentence names a unit for itself. The closing 保障措施 keeps the rules of any other section.

Two plans of our own words, a city 实施方案 and a district plan that restates two of its three 主要任务:
on real plans (黄冈 2020, 舟山 2022) the framing sentences were reported as the district's gaps.
"""
from __future__ import annotations

import pytest

from loaders import load_file
from loaders.clauses import framing_heading

CITY = """江门市人民政府办公室关于印发江门市2023年政务公开工作实施方案的通知
各区人民政府，市政府各部门：
现将《江门市2023年政务公开工作实施方案》印发给你们，请认真贯彻落实。
江门市人民政府办公室
2023年3月1日
江门市2023年政务公开工作实施方案
一、总体要求
（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导，着力推进政务公开标准化规范化，以公开促落实、促规范、促服务。
（二）基本原则。坚持公开为常态、不公开为例外，坚持问题导向，确保各项要求落到实处。
（三）工作目标。到2023年底，全市基层政务公开标准目录体系基本建成，政策解读回应机制更加完善。
二、主要任务
（一）加强政策文件公开。全面梳理现行有效的行政规范性文件，在政府网站集中公开。（各区政府负责）
（二）做好重大决策预公开。涉及群众切身利益的重大决策，要向社会公开征求意见。（各区政府负责）
（三）推进政务服务信息公开。及时更新办事指南，公开办理流程和时限。（各区政府负责）
三、保障措施
（一）加强组织领导。各区要建立健全政务公开工作领导机制，明确分管领导和工作机构。
（二）强化督促检查。市政府办公室要加强对各区政务公开工作的督促检查，将落实情况纳入年度考核。
"""

DISTRICT = """江门市蓬江区人民政府办公室关于印发蓬江区2023年政务公开工作实施方案的通知
各街道办事处，区政府各部门：
现将《蓬江区2023年政务公开工作实施方案》印发给你们，请认真贯彻落实。
江门市蓬江区人民政府办公室
2023年3月20日
蓬江区2023年政务公开工作实施方案
一、总体要求
到年底，全区各镇街政务公开专栏全面规范运行，群众获取信息更加便捷。
二、主要任务
（一）加强政策文件公开。全面梳理现行有效的行政规范性文件，在区政府网站集中公开。（区司法局负责）
（二）做好重大决策预公开。涉及群众切身利益的重大决策，要向社会公开征求意见。（区政府办公室负责）
"""

MANIFEST = """documents:
  - {file: city.txt, id: city, level: city, region: 江门市, year: 2023, issuer: 江门市人民政府办公室}
  - {file: district.txt, id: district, level: county, region: 江门市蓬江区, year: 2023,
     issuer: 江门市蓬江区人民政府办公室, parents: [city]}
"""


def _write(folder, city=CITY):
    folder.mkdir()
    (folder / "city.txt").write_text(city, encoding="utf-8")
    (folder / "district.txt").write_text(DISTRICT, encoding="utf-8")
    (folder / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cascade_built(tmp_path_factory):
    from cascade.pipeline import build

    folder = _write(tmp_path_factory.mktemp("framing") / "data")
    store = folder.parent / ".cascade"
    return build([folder], store=store), store


def _by_status(rows):
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["status"], []).append(r["upper"] if r["status"] != "local" else r["lower"][0])
    return {k: sorted(v) for k, v in out.items()}


def test_framing_headings_are_known_by_their_words():
    assert all(map(framing_heading, ["总体要求", "指导思想", "基本原则", "工作目标", "目标要求", "指导思想和工作目标",
                                      "工作目标。到2023年底,目录体系基本建成。"]))
    # 目标任务 alone may hold a plan's tasks; 保障措施 and 工作要求 close a plan with work for units
    assert not any(map(framing_heading, ["目标任务", "主要任务", "保障措施", "工作要求", "工作目标责任制考核"]))


@pytest.mark.parametrize("joined", ["lines", "space", "nothing"])
def test_framing_sentences_are_context_however_the_lines_were_kept(joined, tmp_path):
    text = CITY if joined == "lines" else (" " if joined == "space" else "").join(
        line.strip() for line in CITY.splitlines() if line.strip())
    path = tmp_path / "city.txt"
    path.write_text(text, encoding="utf-8")
    rec = load_file(path, None)
    clauses = [(t.section, t.clause) for t in rec.tasks]
    assert clauses == [(("一", "(一)"), "framing"), (("一", "(二)"), "framing"), (("一", "(三)"), "framing"),
                       (("二", "(一)"), "obligation"), (("二", "(二)"), "obligation"), (("二", "(三)"), "obligation"),
                       (("三", "(一)"), "obligation"), (("三", "(二)"), "obligation")]


def test_a_goal_that_names_its_unit_is_a_task_and_goals_are_no_counted_rows(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("江门市2023年政务公开工作要点\n一、工作目标\n1.到2023年底，全市基层政务公开标准目录体系基本建成。\n"
                    "2.到2024年底，政策解读回应机制更加完善。（市政府办公室牵头）\n二、重点任务\n"
                    "1.加强政策文件公开。全面梳理现行有效的行政规范性文件，在政府网站集中公开。（各区政府负责）\n"
                    "2.做好重大决策预公开。涉及群众切身利益的重大决策，要向社会公开征求意见。（市司法局负责）\n",
                    encoding="utf-8")
    rec = load_file(path, None)
    assert [(t.section, t.number, t.clause) for t in rec.tasks] == [
        (("一",), "1", "framing"), (("一",), "2", "obligation"), (("二",), "1", "obligation"), (("二",), "2", "obligation")]
    assert (rec.document.parse["rows"], rec.document.parse["without_units"]) == (3, 0)


def test_the_upper_plans_framing_gives_no_gap_and_the_requirement_not_restated_does(cascade_built):
    from queries.gaps import coverage

    rows = coverage(cascade_built[0].graph)
    got = _by_status(rows)
    # 二/(三) is asked of 各区政府 and not restated; 三/(一) (各区要建立健全…领导机制) is a closing measure
    # asked of every district: both are gaps. 指导思想, 基本原则, 工作目标 have no row at all.
    assert got["gap"] == ["city/三/(一)/(一).1", "city/二/(三)/(三).1"]
    assert got["covered"] == ["city/二/(一)/(一).1", "city/二/(二)/(二).1"]
    assert not [r for r in rows if r["status"] != "local" and r["upper"].startswith("city/一/")]
    # the district's own aim (一、总体要求) is no task it adds
    assert "local" not in got


def test_the_stores_gap_rows_and_saved_queries_agree(cascade_built):
    from graph.export.rdf import saved_sparql, sparql, to_rdf
    from queries.cypher import run_cypher, saved_queries

    G, store = cascade_built[0].graph, cascade_built[1]
    gaps = sorted(r[0] for r in run_cypher(store, saved_queries()["gaps"]["query"], {})[1])
    assert gaps == ["city/三/(一)/(一).1", "city/二/(三)/(三).1"]
    assert list(run_cypher(store, saved_queries()["local_additions"]["query"], {})[1]) == []
    assert list(sparql(to_rdf(G), saved_sparql()["local_additions"])) == []
    assert sorted(str(r["upper"]) for r in sparql(to_rdf(G), saved_sparql()["gaps"]) if str(r["status"]) == "gap") == gaps


def test_the_overview_counts_a_plans_tasks_without_its_framing_sentences(cascade_built):
    """An analyst counting the city plan's tasks counts 主要任务 and 保障措施 (5), not the 指导思想, 基本原则
    and 工作目标 of its 总体要求; the store's tables count as the graph's. The Task nodes stay 8 (a node count)."""
    from queries.backend import open_backend
    from queries.cascade_store import documents
    from queries.overview import documents_table, label_counts
    from queries.overview_store import overview

    G, store = cascade_built[0].graph, cascade_built[1]
    tasks = {r["id"]: r["tasks"] for r in documents_table(G)}
    assert tasks == {"city": 5, "district": 2}
    assert label_counts(G)["Task"] == 8 + 3   # (the district's aim is a framing node too)
    with open_backend(store, env={}) as b:
        assert {r["id"]: r["tasks"] for r in overview(b)["documents"]} == tasks
        assert {r["id"]: r["tasks"] for r in documents(b)} == tasks
