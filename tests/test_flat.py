"""Whole documents as the web gives them (issue 14): one line, a table's cells joined with nothing.

The same document must give the same graph whatever its form: the two complete one-line Fujian plans
against their gold (../shared/gold/fujian.yaml), the 平潭 plan's text against its saved web page, and
every seed and corpus document against itself flattened the way a crawler flattens a page.
"""
from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from cascade.evaluate import evaluate
from loaders import load_file
from loaders.blocks import Block
from loaders.columns import is_header_cell
from loaders.reflow import is_flat, reflow

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold" / "fujian.yaml"
RECORDED = Path(__file__).resolve().parent / "fixtures" / "lined_triples.json"


def _flatten():
    spec = importlib.util.spec_from_file_location("flatten_check", SHARED / "tools" / "flatten_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.flatten


def _triples(rec):
    return {(t.number, a.canonical, a.role) for t in rec.tasks for a in t.assignments}


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD)


def test_fujian_gold_counts_are_exact(report):
    assert report.counts and all(c["ok"] for c in report.counts), [c for c in report.counts if not c["ok"]]


def test_fujian_gold_units_with_roles(report):
    for doc, score in report.units.items():
        assert score.recall >= 0.95 and score.precision >= 0.95, (doc, score.as_dict())


def test_fujian_gold_links_and_local_items(report):
    assert report.links.recall >= 0.9 and report.links.precision >= 0.9, report.links.as_dict()


def test_page_and_text_of_one_plan_give_the_same_tasks_units_and_roles():
    text = load_file(CORPUS / "2022_fujian_pingtan_county_plan.txt")
    page = load_file(CORPUS / "2022_fujian_pingtan_county_plan_page.html")
    assert [t.number for t in text.tasks] == [t.number for t in page.tasks] == [str(n) for n in range(1, 19)]
    assert [t.section for t in text.tasks] == [t.section for t in page.tasks]
    assert _triples(text) == _triples(page)
    # 配合/责任单位: cooperating beside a 牵头单位 (row 3), carrying the task alone without one (row 1)
    roles = {(t.number, a.short_name): a.role for t in text.tasks for a in t.assignments}
    assert roles[("3", "区经济发展局")] == "lead" and roles[("3", "区直各有关单位")] == "cooperate"
    assert roles[("1", "区直各有关单位")] == "implement"


def test_a_list_of_bureaus_inside_the_requirement_is_not_the_unit_cell():
    rec = load_file(CORPUS / "2018_fujian_province_plan.txt")
    row41 = next(t for t in rec.tasks if t.number == "41")
    names = {a.short_name for a in row41.assignments}
    assert names == {"省直各有关部门", "各设区市政府", "平潭综合实验区管委会"}
    assert "省教育厅、环保厅" in row41.text     # the requirement keeps its own subject
    row5 = next(t for t in rec.tasks if t.number == "5")
    assert {(a.short_name, a.role) for a in row5.assignments if a.role == "lead"} == {("省工商局", "lead"), ("省审改办", "lead")}
    assert row5.text.startswith("推动全面实施“双随机、一公开”监管")


def test_numbers_that_are_no_markers_do_not_split_rows():
    rec = load_file(CORPUS / "2018_fujian_province_plan.txt")
    # 《福建省12345便民服务平台…》, 闽政办〔2016〕179号, 2018年10月底前, 实施10周年 inside rows 34, 38, 40
    by_number = {t.number: t for t in rec.tasks}
    assert "12345" in by_number["34"].text and "10周年" in by_number["38"].text
    assert "2018年10月底前" in by_number["40"].text
    assert [t.number for t in rec.tasks] == [str(n) for n in range(1, 43)]


def test_a_skipped_number_is_kept_as_printed_and_reported(tmp_path):
    text = (CORPUS / "2022_fujian_pingtan_county_plan.txt").read_text(encoding="utf-8")
    start, end = text.index("7.密切关注"), text.index("8.聚焦")
    (tmp_path / "p.txt").write_text(text[:start] + text[end:], encoding="utf-8")
    rec = load_file(tmp_path / "p.txt")
    assert [t.number for t in rec.tasks] == [str(n) for n in range(1, 19) if n != 7]
    assert any("skips task 7" in w for w in rec.document.warnings)
    assert rec.document.parse == {"rows": 17, "highest": 18, "missing": ["7"], "without_units": 0, "unsplit": 0}


def test_a_heading_printed_twice_is_one_section():
    rec = load_file(CORPUS / "2022_fujian_pingtan_county_plan.txt")
    fifth = [s for s in rec.sections if s.path == ("五",)]
    assert len(fifth) == 1
    assert [t.number for t in rec.tasks if t.section == ("五",)] == ["12", "13", "14"]


def test_a_document_with_its_lines_is_left_as_it_is():
    for path in sorted((SHARED / "seeds").glob("*.txt")) + sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if len([line for line in text.splitlines() if line.strip()]) < 3:
            continue
        blocks = [Block((line,), i) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        assert not is_flat(blocks), path.name
        out = reflow(blocks)
        # but a table printed a cell a line (its header's words each a line of its own) is read as the
        # same table flattened; its tasks are those of the lined reading (tests/fixtures/lined_triples.json)
        lines = [b.cells[0].strip() for b in blocks]
        cell_a_line = any(all(is_header_cell(x) for x in lines[i:i + 3]) for i in range(len(lines) - 2))
        assert out is blocks or cell_a_line, path.name
        assert all(b.line for b in out)


# Every seed and corpus document with its lines (one-line documents are their own flattened form).
SAME_COUNT = [
    "000_ea30aa00de932cc4.txt", "001_04c5faad0ae32447.txt", "002_cf2d3c68f4e2a2f4.txt", "003_faeede1183fd7fea.txt",
    "004_ff0872cb27d26d6e.txt", "2019_zhuhai_city.txt", "2020_sichuan_province_grassroots_standardization.txt",
    "2021_dongguan_city.txt", "2021_fujian_nanping_city_ledger.txt", "2021_guangdong_health_commission_ledger.txt",
    "2021_guangzhou_baiyun_district.txt", "2021_guangzhou_water_bureau.txt", "2021_shandong_liaocheng_city.txt",
    "2021_yunnan_province.txt", "2022_anhui_xuancheng_city_task_table.txt", "2022_guangzhou_city.txt",
    "2022_hubei_jingzhou_city.txt", "2022_hubei_province.txt", "2022_hunan_province.txt", "2022_jiangxi_province.txt",
    "2022_national_state_council.txt", "undated_anhui_chizhou_petition_bureau_task_list.txt",
]

# Their texts end where the web page was cut ([GAP]); the flattener drops that line, so only the text's
# end shows the cut: mid-sentence, mid-cell, or a row that ends before its unit cell.
CUT_AT_THE_END = ["2019_zhuhai_city.txt", "2021_guangzhou_water_bureau.txt",
                  "2022_anhui_xuancheng_city_task_table.txt", "2022_hubei_jingzhou_city.txt"]


@pytest.mark.parametrize("name", SAME_COUNT)
def test_flattened_document_keeps_its_tasks(name, tmp_path):
    src = SHARED / "seeds" / name if (SHARED / "seeds" / name).exists() else CORPUS / name
    flat = tmp_path / name
    flat.write_text(_flatten()(src.read_text(encoding="utf-8")), encoding="utf-8")
    lined, flattened = load_file(src), load_file(flat)
    assert [t.number for t in flattened.tasks] == [t.number for t in lined.tasks]


@pytest.mark.parametrize("name", CUT_AT_THE_END)
def test_a_text_cut_at_its_end_reads_as_cut_with_its_lines_or_without(name, tmp_path):
    """The row the cut went through is dropped in both forms (a sentence of prose is kept in both), and
    both say the document is truncated, so its coverage is not judged on text it lacks (no gap is
    claimed past the cut)."""
    src = CORPUS / name
    flat = tmp_path / name
    flat.write_text(_flatten()(src.read_text(encoding="utf-8")), encoding="utf-8")
    lined, flattened = load_file(src), load_file(flat)
    assert lined.document.truncated and flattened.document.truncated
    assert [(t.number, t.text_norm) for t in flattened.tasks] == [(t.number, t.text_norm) for t in lined.tasks]
    assert any(w.startswith("truncated: the text ends") for w in flattened.document.warnings)


def test_a_plan_that_ends_with_a_row_sharing_the_unit_cell_above_is_whole():
    """Seed 002 ends with task 64, which has no unit line of its own, as task 62 above it: the merged
    cell of the table it was printed from. It is kept, and the plan is not marked truncated."""
    rec = load_file(SHARED / "seeds" / "002_cf2d3c68f4e2a2f4.txt")
    assert not rec.document.truncated
    assert rec.tasks[-1].number == "64" and rec.tasks[-1].assignments


def test_flattened_tables_keep_their_units_and_roles(tmp_path):
    total = 0
    differ = {}
    for name in SAME_COUNT:
        src = SHARED / "seeds" / name if (SHARED / "seeds" / name).exists() else CORPUS / name
        a, b = _triples(load_file(src)), _triples(_load_flat(src, tmp_path))
        total += len(a)
        if a != b:
            differ[name] = {"lined only": sorted(a - b), "flattened only": sorted(b - a)}
    assert total > 400 and not differ, differ


# …生态环境领域咸宁市生态环境局赤壁市分局: 咸宁 is named nowhere else in the text, so nothing tells it
# from the catalog row's text before it.
# (004's row (十三) had read 市生态环境局赤壁市分局, 咸宁 glued to the heading before it: a place's name
# from the divisions' table now opens the unit.)
NOTHING_STILL_DIFFER: dict = {}


@pytest.mark.parametrize("name", SAME_COUNT)
def test_a_document_joined_with_nothing_keeps_its_tasks(name, tmp_path):
    """No space between the paragraphs: the numbering, a sentence's end before a label, a unit line or
    a short heading's prose, and a table row's unit and deadline cells tell where each one ends."""
    src = SHARED / "seeds" / name if (SHARED / "seeds" / name).exists() else CORPUS / name
    lined, flattened = load_file(src), _load_flat(src, tmp_path, joined="nothing")
    # (the page's footer glued to the last sentence, 地区:广州市标签:… or a forum's 全文下载:…, ends the text)
    assert [t.number for t in flattened.tasks] == [t.number for t in lined.tasks]


def test_tables_joined_with_nothing_keep_their_units_and_roles(tmp_path):
    total = 0
    differ = {}
    for name in SAME_COUNT:
        src = SHARED / "seeds" / name if (SHARED / "seeds" / name).exists() else CORPUS / name
        a, b = _triples(load_file(src)), _triples(_load_flat(src, tmp_path, joined="nothing"))
        total += len(a)
        if a != b:
            differ[name] = {"lined only": sorted(a - b), "flattened only": sorted(b - a)}
    assert total > 400 and differ == NOTHING_STILL_DIFFER, differ


def _load_flat(src: Path, tmp_path: Path, joined: str = "space"):
    flat = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    flat.write_text(_flatten()(text) if joined == "space" else _joined_with_nothing(text), encoding="utf-8")
    return load_file(flat)


def _units_by_task(rec):
    return {t.number: sorted((a.short_name, a.role) for a in t.assignments) for t in rec.tasks}


def test_the_next_rows_title_ends_the_unit_cell_and_a_qualified_collective_is_one_unit(tmp_path):
    """东莞 (工作任务 | 具体要求 | 落实单位): a title cell before each numbered requirement, so flattened,
    the next row's title is glued to this row's units (…具有行政职能的市直各单位建立健全政务公开工作制度 2.…).
    The units end where the title's verb phrase begins, and 具有行政职能的市直各单位 is one unit, named
    whole, in both forms."""
    src = CORPUS / "2021_dongguan_city.txt"
    units = [("具有行政职能的市直各单位", "implement"), ("各镇街(园区)", "implement")]
    for rec in (load_file(src), _load_flat(src, tmp_path)):
        assert _units_by_task(rec) == {"1": units, "2": units}
        assert rec.tasks[0].text.endswith("法定工作职责。")
        assert rec.tasks[1].text.endswith("等工作制度。")   # the title 做好各类规划主动公开 stays out


@pytest.mark.parametrize("collective", ["承担政务公开职能的各部门", "有关的各区政府"])
def test_a_collective_qualified_with_de_is_one_unit_in_a_flattened_row(collective, tmp_path):
    text = (CORPUS / "2021_dongguan_city.txt").read_text(encoding="utf-8").replace("具有行政职能的市直各单位", collective)
    src = tmp_path / "lined" / "2021_dongguan_city.txt"
    src.parent.mkdir()
    src.write_text(text, encoding="utf-8")
    for rec in (load_file(src), _load_flat(src, tmp_path)):
        assert [(a.short_name, a.role) for a in rec.tasks[0].assignments] == [("各镇街(园区)", "implement"),
                                                                              (collective, "implement")]


def test_a_units_list_whose_first_name_is_glued_to_the_text_keeps_it(tmp_path):
    """广东卫健委台账 row 1, flattened: …发布权威信息应急处、监督处、… — 应急处 is the list's first unit."""
    src = CORPUS / "2021_guangdong_health_commission_ledger.txt"
    lined, flat = load_file(src), _load_flat(src, tmp_path)
    assert _units_by_task(lined) == _units_by_task(flat)
    assert [a.short_name for a in flat.tasks[0].assignments] == ["应急处", "监督处", "医政医管处", "疾控处", "基层处"]
    assert flat.tasks[0].text.endswith("发布权威信息")


def test_a_signature_is_no_unit_of_the_tasks_above_it(tmp_path):
    """赤壁 (seed 004) ends its notice with 附件1:《…》, 附件2:《…》, the office that signed it and the
    date: the signer is the author, not the unit of the sentences above (the lined form read its line
    as their unit cell; the flattened one glued it to the attachment line). Both forms agree."""
    src = SHARED / "seeds" / "004_ff0872cb27d26d6e.txt"
    signer = "赤壁市政务公开领导小组办公室"
    for rec in (load_file(src), _load_flat(src, tmp_path)):
        last = [t for t in rec.tasks if t.section == ("四", "(三)")]
        assert last and not any(t.assignments for t in last)
        assert not any(signer in t.text for t in rec.tasks)
        assert rec.document.issued_on == "2020-09-17"   # the date it was signed, not the page's 发布日期


def test_bare_number_table_rows(tmp_path):
    """序号 工作任务 … with rows numbered 1 2 3 and no dot, cells glued or set apart by wide spaces."""
    for name, n in (("2021_guangdong_health_commission_ledger.txt", 8),
                    ("undated_anhui_chizhou_petition_bureau_task_list.txt", 8)):
        flat = tmp_path / name
        flat.write_text(_flatten()((CORPUS / name).read_text(encoding="utf-8")), encoding="utf-8")
        rec = load_file(flat)
        assert [t.number for t in rec.tasks] == [str(i) for i in range(1, n + 1)], name
        assert rec.tasks[0].assignments, name


def test_one_plan_dropped_in_two_forms_is_one_document(tmp_path):
    """issue 21: the page and the text of one plan in one folder: one document is kept, the build says
    which, and an incremental build that adds the second form gives what a full build gives."""
    from cascade.pipeline import build

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("2022_fujian_pingtan_county_plan.txt", "2022_national_state_council.txt"):
        (docs / name).write_bytes((CORPUS / name).read_bytes())
    build([docs], store=tmp_path / "store", incremental=True)
    (docs / "2022_fujian_pingtan_county_plan_page.html").write_bytes(
        (CORPUS / "2022_fujian_pingtan_county_plan_page.html").read_bytes())
    inc = build([docs], store=tmp_path / "store", incremental=True)
    full = build([docs])
    for res in (inc, full):
        sources = sorted(d["source"] for _, d in res.graph.nodes(data=True) if d.get("label") == "Document")
        assert len(sources) == 2, sources
        said = [str(p) for p in res.problems if "same document as" in p.message]
        assert len(said) == 1 and "kept" in said[0]
    assert sorted(inc.graph.nodes) == sorted(full.graph.nodes)


def test_a_sentence_a_line_break_cut_is_one_sentence():
    """2021 白云: …建立政务公开工作台账, / 详细登记… is one sentence (cut by a [GAP] after it), not a
    requirement of its own."""
    rec = load_file(CORPUS / "2021_guangzhou_baiyun_district.txt")
    assert not any(t.text.rstrip().endswith("台账,") for t in rec.tasks)


def test_a_lead_beside_those_responsible():
    """（X牵头，Y负责）: Y carries the task out; 负责 alone leads."""
    from loaders.units import parse_units

    got = parse_units("省编办、省效能办牵头,省直有关部门、各设区市人民政府负责", region="福建省")
    assert [(a.short_name, a.role) for a in got] == [("省编办", "lead"), ("省效能办", "lead"),
                                                     ("省直有关部门", "implement"), ("各设区市人民政府", "implement")]
    assert [a.role for a in parse_units("市政务服务数据管理局负责", region="广州市")] == ["lead"]


def _joined_with_nothing(text: str) -> str:
    """The crawler's other form: paragraphs joined with nothing at all (``"".join(p.text for p in …)``)."""
    return _flatten()(text).replace(" ", "")


@pytest.mark.parametrize("joined", ["space", "nothing"])
@pytest.mark.parametrize("name", ["city_labelled_unit_lines.txt", "city_unit_line_after_each_paragraph.txt",
                                  "bureau_unnumbered_task_table.txt", "bureau_cell_per_line_table.txt",
                                  "city_section_unit_lines.txt", "city_notes_with_deadlines.txt",
                                  "county_bracket_numbers_and_unit_sentences.txt"])
def test_a_short_plan_on_one_line_gives_what_its_lines_give(name, joined, tmp_path):
    # A plan of a few hundred characters that lost its breaks (一、… 1.… 牵头单位:… 2.… 二、…) was read
    # as no plan at all: only long lines were taken as flattened. Joined with nothing, the labels
    # (…做好解读。牵头单位:市发改委配合单位:…), the unit lines (…政策意图。市发改委牵头落实加强…) and the
    # rows of a table with no number column (…形式。各業務科室2021年12月底前回應關切…) end the paragraphs.
    # A table a page printed one cell a line under a header with no 序号 (工作任务 | 具体要求 | 责任科室 |
    # 时限要求, its rows numbered by a bare column) is as short; with a space between its cells, each
    # cell ends at the space, as it would at a line break.
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / name
    flat = tmp_path / name
    text = src.read_text(encoding="utf-8")
    flat.write_text(_flatten()(text) if joined == "space" else _joined_with_nothing(text), encoding="utf-8")
    lined, one_line = load_file(src, None), load_file(flat, None)
    assert len(flat.read_text(encoding="utf-8").splitlines()) == 1
    assert [(t.number, t.deadlines) for t in one_line.tasks] == [(t.number, t.deadlines) for t in lined.tasks]
    assert _triples(one_line) == _triples(lined) and _triples(lined)


def _lined_parses() -> dict[str, dict]:
    """Every seed and corpus text as read with its lines: its task numbers and (task, unit, role) triples."""
    out = {}
    for path in sorted((SHARED / "seeds").glob("*.txt")) + sorted(CORPUS.glob("*.txt")):
        rec = load_file(path)
        out[path.name] = {"tasks": " ".join(t.number for t in rec.tasks),
                          "units": sorted(" | ".join(x) for x in _triples(rec))}
    return out


def test_lined_documents_give_the_recorded_tasks_and_units():
    """A change for flattened text must not cost the lined text a task or a unit. When a parse changes
    on purpose, rerun this file (``PYTHONPATH=. python tests/test_flat.py --write``) and say in the
    commit which triples changed and why."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    now = _lined_parses()
    assert now.keys() == recorded.keys()
    changed = {name: {"lost": sorted(set(recorded[name]["units"]) - set(now[name]["units"])),
                      "gained": sorted(set(now[name]["units"]) - set(recorded[name]["units"])),
                      "tasks": (recorded[name]["tasks"], now[name]["tasks"])}
               for name in now if now[name] != recorded[name]}
    assert not changed, changed


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    RECORDED.write_text(json.dumps(_lined_parses(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RECORDED}")


# Metadata the flattened form still reads otherwise (each a page's chrome the lined form keeps apart):
# 珠海's page date beside its signed one, the 池州 list's missing title, 003's forum page around the plan.
_METADATA_AS_YET = {("003_faeede1183fd7fea.txt", "title"), ("003_faeede1183fd7fea.txt", "issuer"),
                    ("003_faeede1183fd7fea.txt", "issued_on")}


def test_a_flattened_opening_gives_the_title_number_issuer_and_date_its_lines_give(tmp_path):
    # Title, 文号, addressees and signature run together on one line: cut back into lines for the
    # metadata. Before, 10 documents lost a title, number, issuer, date or level (广东省: all of them).
    flatten = _flatten()
    differ = set()
    for src in sorted(SHARED.glob("seeds/*.txt")) + sorted(CORPUS.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        if len([l for l in text.splitlines() if l.strip()]) < 3:
            continue
        flat = tmp_path / src.name
        flat.write_text(flatten(text), encoding="utf-8")
        a, b = load_file(src, None).document, load_file(flat, None).document
        differ |= {(src.name, k) for k in ("title", "issuer", "doc_no", "issued_on", "level", "year", "region")
                   if getattr(a, k) != getattr(b, k)}
    assert differ == _METADATA_AS_YET


@pytest.mark.parametrize("joined", [" ", ""])
def test_a_table_without_number_or_deadline_columns_keeps_its_rows_flattened(joined, tmp_path):
    # 重點任務 | 工作內容 | 負責科室 with noun titles (回應關切, 財政資金): after a row's unit cell the next
    # row's title is glued with nothing to tell it but that the units end a sentence's row.
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "bureau_unnumbered_task_table.txt"
    three = "\n".join(" | ".join(l.strip(" |").split(" | ")[:3]) + " |" if "|" in l else l
                      for l in src.read_text(encoding="utf-8").splitlines()) + "\n"
    lined, flat = tmp_path / "lined.txt", tmp_path / "flat.txt"
    lined.write_text(three, encoding="utf-8")
    flat.write_text(_flatten()(three).replace(" ", joined), encoding="utf-8")
    a, b = load_file(lined, None), load_file(flat, None)
    assert [t.number for t in b.tasks] == [t.number for t in a.tasks] == ["1", "2", "3", "1", "2", "3", "4"]
    assert _triples(b) == _triples(a) and len(_triples(a)) == 5


def _cell_per_line_html(path: Path) -> bytes:
    """The page a table printed one cell a line comes from: a real table, a merged title cell heading
    the rows it spans (rowspan), as the portals print a 股室's task list."""
    from html import escape

    title, *lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    cells = [l for l in lines if l != "|"]
    header, rest = cells[:4], cells[4:]
    rows, titles = [], []
    while rest:
        head = [] if rest[0].isdigit() else [rest.pop(0)]
        rows.append(head + rest[:4])
        rest = rest[4:]
    out = ["<html><body><h3>", escape(title), "</h3><table><tr>"]
    out += [f"<th{' colspan=2' if k == 0 else ''}>{escape(c)}</th>" for k, c in enumerate(header)] + ["</tr>"]
    for k, row in enumerate(rows):
        out.append("<tr>")
        if len(row) == 5:
            span = 1
            while k + span < len(rows) and len(rows[k + span]) == 4:
                span += 1
            out.append(f"<td rowspan={span}>{escape(row[0])}</td>")
        out += [f"<td>{escape(c)}</td>" for c in row[-4:]] + ["</tr>"]
    return "".join(out + ["</table></body></html>"]).encode("utf-8")


@pytest.mark.parametrize("joined", ["cells", "space", "nothing", "html"])
def test_a_table_printed_one_cell_a_line_reads_the_same_in_every_form(joined, tmp_path):
    """Its lines, its cells joined by one space (a crawler's get_text(" ")), the whole page flattened
    with or without spaces, and the HTML table itself give the same rows, units and deadlines."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "bureau_cell_per_line_table.txt"
    lined = load_file(src, None)
    text = src.read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    cells = [l.strip() for l in body.splitlines() if l.strip() not in ("", "|")]
    form = {"cells": lambda: title + "\n" + " ".join(cells) + "\n",
            "space": lambda: _flatten()(text), "nothing": lambda: _joined_with_nothing(text)}
    other = tmp_path / ("plan.html" if joined == "html" else "plan.txt")
    if joined == "html":
        other.write_bytes(_cell_per_line_html(src))
    else:
        other.write_text(form[joined](), encoding="utf-8")
    rec = load_file(other, None)
    assert [(t.number, t.deadlines) for t in rec.tasks] == [(t.number, t.deadlines) for t in lined.tasks]
    assert _triples(rec) == _triples(lined)
    assert len(lined.tasks) == 6 and ("4", "办公室", "implement") in _triples(lined)


def _measures_html_and_xlsx(path: Path) -> tuple[bytes, bytes]:
    """The same task list as a page's table and a spreadsheet: a task's number and title cells merged
    over the rows of its measures (rowspan; merged cells)."""
    from html import escape

    import openpyxl

    title, header, *rows = [[c.strip() for c in l.split("|")] if "|" in l else [l.strip()]
                            for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    spans = {}
    for k, row in enumerate(rows):
        if row[0]:
            n = 1
            while k + n < len(rows) and not rows[k + n][0]:
                n += 1
            spans[k] = n
    html = ["<html><body><p>", escape(title[0]), "</p><table><tr>", *[f"<th>{escape(c)}</th>" for c in header], "</tr>"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(title)
    ws.append(header)
    for k, row in enumerate(rows):
        html.append("<tr>")
        for i, cell in enumerate(row):
            if i < 2 and not row[0]:
                continue
            span = f" rowspan={spans[k]}" if i < 2 and spans[k] > 1 else ""
            html.append(f"<td{span}>{escape(cell)}</td>")
        html.append("</tr>")
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])
        if row[0] and spans[k] > 1:
            for col in "AB":
                ws.merge_cells(f"{col}{k + 3}:{col}{k + 2 + spans[k]}")
    buf = io.BytesIO()
    wb.save(buf)
    return "".join(html + ["</table></body></html>"]).encode("utf-8"), buf.getvalue()


@pytest.mark.parametrize("form", ["space", "nothing", "html", "xlsx"])
def test_a_tasks_measures_under_its_merged_number_are_that_tasks_in_every_form(form, tmp_path):
    """序号 | 重点任务 | 具体措施 | 责任单位 | 完成时限, a task's number and title merged over the rows of its
    measures: each measure's text, units and deadline are that task's (the second measure's units had
    replaced the first's; the page's table made a new task of each, numbered by position, 1 1 2 3 2)."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "district_measures_under_merged_task.txt"
    lined = load_file(src, None)
    assert [t.number for t in lined.tasks] == ["1", "2", "3"]
    assert {("1", "区政府办公室"), ("1", "区直各部门"), ("3", "区政务服务数据管理局"), ("3", "区委网信办")} <= \
        {(n, u) for n, u, _ in _triples(lined)}
    assert "各部门主要负责人" in lined.tasks[0].text and "2022-12-31" in lined.tasks[0].deadlines
    other = tmp_path / f"plan.{'txt' if form in ('space', 'nothing') else form}"
    if form in ("html", "xlsx"):
        other.write_bytes(_measures_html_and_xlsx(src)[form == "xlsx"])
    else:
        text = src.read_text(encoding="utf-8")
        other.write_text(_flatten()(text) if form == "space" else _joined_with_nothing(text), encoding="utf-8")
    rec = load_file(other, None)
    assert [(t.number, sorted(t.deadlines)) for t in rec.tasks] == [(t.number, sorted(t.deadlines)) for t in lined.tasks]
    assert _triples(rec) == _triples(lined)


@pytest.mark.parametrize("joined", ["space", "nothing"])
def test_a_ledgers_status_cell_after_the_deadline_ends_the_rows_cells(joined, tmp_path):
    """序号 | 工作任务 | 责任科室 | 完成时限 | 落实情况: flattened, the status cell's sentences (已落实。全年发布…)
    followed the unit and deadline cells, so no unit was found in the row; 本年度 in it is no 每年."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "department_ledger_with_status.txt"
    lined = load_file(src, None)
    flat = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    flat.write_text(_flatten()(text) if joined == "space" else _joined_with_nothing(text), encoding="utf-8")
    rec = load_file(flat, None)
    assert _triples(rec) == _triples(lined) == {("1", "疾控科", "implement"), ("2", "医政科", "implement"),
                                                ("2", "监督所", "implement"), ("3", "办公室", "implement")}
    assert [t.deadlines for t in lined.tasks] == [["长期"], ["2022-12-31"], ["长期"]]
    assert [t.deadlines for t in rec.tasks] == [t.deadlines for t in lined.tasks]


@pytest.mark.parametrize("joined", ["space", "nothing"])
def test_a_towns_table_without_numbers_printed_one_cell_a_line_reads_the_same_flattened(joined, tmp_path):
    """工作任务 | 具体内容 | 责任部门, no number column, a task's title merged over its rows, a township's
    offices (财政所、国土所等, 党政办): flattened, it was no plan at all (no marker inside a short line),
    then read 健全本镇 as a unit glued to 党政办, and found no 财政所 (no township office was a known name)."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "town_unnumbered_cell_per_line_table.txt"
    lined = load_file(src, None)
    assert [t.number for t in lined.tasks] == ["1", "2", "3", "4", "5", "6"]
    # (its title names the town, 某镇, which names its offices: 某镇财政所)
    assert {("1", "某镇财政所"), ("1", "某镇国土所"), ("3", "某镇卫生院"), ("5", "某镇党政办")} <= {
        (n, u) for n, u, _ in _triples(lined)}
    flat = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    flat.write_text(_flatten()(text) if joined == "space" else _joined_with_nothing(text), encoding="utf-8")
    rec = load_file(flat, None)
    assert [t.number for t in rec.tasks] == [t.number for t in lined.tasks]
    assert _triples(rec) == _triples(lined)


@pytest.mark.parametrize("joined", ["space", "nothing"])
def test_a_bureau_named_before_the_collective_it_stands_for_is_a_unit_too(joined, tmp_path):
    """市发展改革委牵头,市住建局等市政府各有关部门负责落实: the bureau named and the collective are two units
    (one name, before), in every form; flattened, 等 had ended the unit cell (the lead was lost)."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "city_table_with_part_and_section_cells.txt"
    lined = load_file(src, None)
    assert {(u, r) for n, u, r in _triples(lined) if n == "3"} == {
        ("市发展改革委", "lead"), ("市住建局", "implement"), ("市政府各有关部门", "implement")}
    assert [t.number for t in lined.tasks] == ["1", "2", "3", "4", "5"]
    flat = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    flat.write_text(_flatten()(text) if joined == "space" else _joined_with_nothing(text), encoding="utf-8")
    assert _triples(load_file(flat, None)) == _triples(lined)


@pytest.mark.parametrize("form", ["space", "nothing", "html"])
def test_a_row_with_an_empty_cooperate_cell_names_its_lead_in_every_form(form, tmp_path):
    """序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 with no 配合单位 in some rows (区财政局 |  | 年底前): printed
    without its empty cell, the row's one unit had been read as the last unit column's (配合)."""
    src = Path(__file__).resolve().parent / "fixtures" / "loaders" / "district_lead_and_cooperate_columns.txt"
    lined = load_file(src, None)
    assert {(n, u, r) for n, u, r in _triples(lined) if n in ("2", "4")} == {
        ("2", "区财政局", "lead"), ("4", "区政府办公室", "lead")}
    other = tmp_path / f"plan.{'html' if form == 'html' else 'txt'}"
    text = src.read_text(encoding="utf-8")
    if form == "html":
        lines = [l for l in text.splitlines() if l.strip()]
        rows = "".join("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in l.split("|")) + "</tr>" for l in lines[1:])
        other.write_text(f"<html><body><p>{lines[0]}</p><table>{rows}</table></body></html>", encoding="utf-8")
    else:
        other.write_text(_flatten()(text) if form == "space" else _joined_with_nothing(text), encoding="utf-8")
    assert _triples(load_file(other, None)) == _triples(lined)


def test_a_heading_joined_to_its_prose_by_a_space_ends_at_the_space(tmp_path):
    # 一、总体要求 2020年全市…: joined by a crawler's space, the heading took the paragraph as its title
    # and the section's sentences were no tasks, as they are with the lines kept.
    lined = ("某市2020年政务公开工作实施方案\n一、总体要求\n2020年全市政务公开工作要以条例为准绳,做好主动公开。"
             "要持续推进政策解读,提高公开质量。\n二、主要任务\n(一)加强用权公开。\n"
             "1.更新权责清单并予以公开。(牵头单位:市委编办;责任单位:市直相关单位)\n"
             "2.推进机构职能目录公开。(牵头单位:市政府办公室;责任单位:各县市区人民政府)\n")
    a, b = tmp_path / "lined.txt", tmp_path / "flat.txt"
    a.write_text(lined, encoding="utf-8")
    b.write_text(" ".join(lined.split("\n")), encoding="utf-8")
    ra, rb = load_file(a, None), load_file(b, None)
    assert [s.title for s in rb.sections] == [s.title for s in ra.sections]
    assert _triples(rb) == _triples(ra) and [t.number for t in rb.tasks] == [t.number for t in ra.tasks]


@pytest.mark.parametrize("joined", ["tabs", "nothing"])
def test_a_table_on_one_line_with_tabs_between_cells_and_a_cut_last_row_reads_as_its_lines(joined, tmp_path):
    """A page copied as one line, a tab between its cells (header words too), whose text stops inside a
    row that started no task: the header is found (a tab parts header words as a space does), and the cut
    row is dropped, not the whole row before it."""
    cells = ["工作任务", "具体内容", "责任部门", "推进政策公开", "常态化公开就业、教育、养老、惠农资金发放等领域的信息。",
             "财政所、民政办等", "围绕乡村振兴建设等重点项目,持续发布相关政策文件及工作成果。", "便民服务中心",
             "提升解读水平", "按照三同步要求,增强解读权威性,推动政策实施和预期引导协同发力。", "党政办公室",
             "拓展线下解读渠道,主动走进企业和社区,提供面对面的政策解读。", "党政办公室", "畅通政策咨询渠道,建立问题收集"]
    lined = tmp_path / "lined.txt"
    lined.write_text("|\n" + "".join(f"{c}\n|\n" for c in cells[:-1]) + cells[-1] + "\n", encoding="utf-8")
    one = tmp_path / "one.txt"
    one.write_text(("\t" if joined == "tabs" else "").join(cells) + "\n", encoding="utf-8")
    want = [["财政所", "民政办"], ["便民服务中心"], ["党政办公室"], ["党政办公室"]]
    assert [[a.name for a in t.assignments] for t in load_file(lined, None).tasks] == want
    assert [[a.name for a in t.assignments] for t in load_file(one, None).tasks] == want


def _forms(text: str) -> dict[str, str]:
    """One document as it travels: its lines; joined as a crawler does (a space between paragraphs,
    nothing between a row's cells); every line and cell joined by one space; by a tab."""
    cells = [c.strip() for line in text.splitlines() for c in line.split("|")]
    cells = [c for c in cells if c]
    return {"lined": text, "flat": _flatten()(text), "spaced": " ".join(cells) + "\n", "tabbed": "\t".join(cells) + "\n"}


def _load_forms(text: str, tmp_path: Path) -> dict:
    out = {}
    for name, body in _forms(text).items():
        p = tmp_path / f"{name}.txt"
        p.write_text(body, encoding="utf-8")
        out[name] = load_file(p)
    return out


def _tasks(rec):
    return [(t.section, t.number, sorted((a.name, a.role) for a in t.assignments)) for t in rec.tasks]


def test_a_notices_numbered_paragraphs_are_its_points_with_their_lines_or_without(tmp_path):
    """A cover notice's 一、 paragraph that opens with whom it charges (各地各有关单位要…) has no title:
    each of its sentences is a point of the notice, with its lines or without (lined, the first long
    sentence was the title and the paragraph gave nothing; flattened, 一、各地 was cut off as a title)."""
    text = ("潮州市人民政府办公室印发潮州市2019年政务公开工作要点分工方案的通知\n"
            "各县(区)人民政府,市直有关单位:\n"
            "经市人民政府同意,现将《潮州市2019年政务公开工作要点分工方案》印发给你们,请认真组织实施。\n"
            "一、各地各有关单位要以问题为导向,全面推进决策、执行、管理、服务、结果公开,着力加强政策解读和回应关切,"
            "不断提升政务公开的质量和实效。以政务公开推动政府职能转变,助力建设人民满意的服务型政府。\n"
            "二、各地、各有关单位要认真对照《方案》,细化职责分工。要结合实际制定具体工作安排,并在本地政府网站公开。\n"
            "潮州市2019年政务公开工作要点分工方案\n"
            "工作任务 | 具体要求 | 责任单位 |\n"
            "(一)推进决策公开 | 1.重大决策事项要在决策前向社会公开征求意见。 | 市政府办公室牵头,各县(区)人民政府负责 |\n"
            "2.及时公开政府常务会议讨论决定的事项。 | 市政府办公室负责 |\n")
    got = _load_forms(text, tmp_path)
    lined = got["lined"]
    notice = [(t.section, t.number) for t in lined.tasks if t.section[:1] == ("通知",)]
    assert notice == [(("通知", "一"), "一.1"), (("通知", "一"), "一.2"), (("通知", "二"), "二.1"), (("通知", "二"), "二.2")]
    assert [t.number for t in lined.tasks if t.section[:1] != ("通知",)] == ["1", "2"]
    assert {s.scope for s in lined.sections if s.path[:1] == ("通知",)} == {"notice"}
    for name, rec in got.items():
        assert _tasks(rec) == _tasks(lined), name
        assert rec.document.issuer == "潮州市人民政府办公室", name   # (印发…的通知 without 关于)


def test_a_pdfs_one_long_line_under_short_lines_reads_as_flattened(tmp_path):
    """A PDF's text: a few short lines of a download page, then the whole notice on one line, a space
    where each printed line wrapped (…亲自过 问、…). It lost its line breaks as the flattened form did
    (before: not reflowed, no point of the notice; flattened, a wrap split a sentence in two tasks), and
    the office printed above the 关于… title is its issuer."""
    text = ("文档下载 共3页\n\n某市政办字〔2020〕5号:关于印发某市2020年政务公开工作要点的通知.pdf\n\n"
            "某市政办字〔2020〕5 号 某市人民政府办公室 关于印发某市 2020 年政务公开工作 要点的通知 "
            "各县(区)人民政府,市直有关部门: 为做好全市政务公开工作,经市政府同 意,现将《某市 2020 年政务公开工作要点》"
            "印发给你 们,请认真贯彻落实。 一、加强组织领导。各级各部门要高度重视政务公开工作, 强化组织领导,主要负责人要亲自过 "
            "问、定期听取汇报,确保各项任务落到实处。 二、强化督促检查。市政务公开办要加强督查, 对工作不力的单位及时通报,"
            "推动工作落 实。\n")
    got = _load_forms(text, tmp_path)
    lined = got["lined"]
    assert [(t.section, t.number) for t in lined.tasks] == [(("通知", "一"), "一.1"), (("通知", "二"), "二.1")]
    assert "听取汇报" in lined.tasks[0].text_norm
    for name, rec in got.items():
        assert _tasks(rec) == _tasks(lined), name
        assert rec.document.issuer == "某市人民政府办公室", name


def test_a_text_cut_inside_its_last_unit_cell_is_truncated_and_keeps_the_whole_names(tmp_path):
    """Cut inside the last unit cell (…市金融办、人民银): the names before the cut stay the row's units,
    the fragment is none, and the document says it is truncated, with its lines or without."""
    text = ("某市2017年政务公开工作要点实施方案\n工作内容\n责任单位\n一、以政务公开助力稳增长\n(一)加强预期引导\n"
            "围绕全市经济政策执行落实情况,通过新闻发布会等形式及时宣传解读。\n市发改委牵头落实\n"
            "加强市内外舆情收集研判,及时通过有效公开渠道发布权威消息,澄清事实。\n市发改委、市财政局、市金融办、人民银")
    got = _load_forms(text, tmp_path)
    for name, rec in got.items():
        assert [[a.name for a in t.assignments] for t in rec.tasks] == [["市发改委"], ["市发改委", "市财政局", "市金融办"]], name
        assert rec.document.truncated and any("mid-cell" in w for w in rec.document.warnings), name
    rows = tmp_path / "rows.txt"
    rows.write_text("某局政务公开任务分解表\n序号 | 工作任务 | 责任科室 |\n1 | 及时公开本局预算、决算。 | 财务科 |\n"
                    "2 | 做好政策解读和回应关切。 | 办公室、法规科、执法大", encoding="utf-8")
    rec = load_file(rows)
    assert [a.name for a in rec.tasks[-1].assignments] == ["办公室", "法规科"] and rec.document.truncated


def test_a_row_cut_after_its_number_by_the_end_says_the_text_is_truncated(tmp_path):
    """A table a cell a line, each closed by a `|` line, cut inside the last row's text (6 | 严格落实…):
    the lined text says it is truncated, as the flattened one does (before: lined, nothing said)."""
    cells = ["序号", "具体要求", "责任单位", "完成时限", "1", "推进权责清单公开,动态更新各部门权责清单。",
             "区直各部门、各镇(办)", "持续推进", "2", "严格落实行政执法公示制度,加大轻微违法行为不予处罚"]
    lined = tmp_path / "lined.txt"
    lined.write_text("某区2025年政务公开任务清单\n" + "".join(f"{c} |\n|\n" for c in cells[:-1]) + cells[-1] + "\n",
                     encoding="utf-8")
    flat = tmp_path / "flat.txt"
    flat.write_text(_flatten()(lined.read_text(encoding="utf-8")), encoding="utf-8")
    for p in (lined, flat):
        rec = load_file(p)
        assert [t.number for t in rec.tasks] == ["1"] and rec.document.truncated, p.name
