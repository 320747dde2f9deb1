"""The 缺口 worklist page, run by Streamlit's AppTest on data/ with two 黄埔 rows removed (two real gaps):
filters, who must act, marks saved beside the data and kept across a rebuild, counts that change at
once, and the marked selection in the report. Also graph/marks.py on its own."""
from __future__ import annotations

import html
import io
import shutil

import pytest

from cascade.i18n import has, reason_text, t, term
from cascade.report_rows import doc_names, waits_for_text, who_must_act
from graph.marks import apply_marks, read_marks, save_mark
from test_app import ROOT, assert_clean, open_page


@pytest.fixture
def cut_env(monkeypatch, cut_built, tmp_path):
    """The app pointed at a private copy of the cut store and of its data/ folder."""
    store = tmp_path / ".cascade"
    shutil.copytree(cut_built[1], store)
    data = tmp_path / "data"
    shutil.copytree(cut_built[1].parent / "data", data, ignore=shutil.ignore_patterns("reviews.yaml", "marks.yaml"))
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(data))
    monkeypatch.setenv("CASCADE_LANG", "en")
    return store, data


def metric(at, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label))


def test_worklist_lists_the_gaps_with_who_must_act_and_filters_them(cut_env, cut_built):
    at = open_page("worklist")
    assert_clean(at)
    from queries.gaps import coverage

    rows = [r for r in coverage(cut_built[0].graph) if r["status"] in ("gap", "not_assessable")]
    assert metric(at, "gap") == 2
    assert metric(at, "not marked") == len(rows)
    at.multiselect(key="w_status").set_value(["gap"]).run()
    assert "Showing 2 of" in " ".join(m.value for m in at.markdown)
    frame = at.dataframe[0].value
    assert len(frame) == 2 and all(w.startswith("广州市黄埔区人民政府办公室") for w in frame["who must act"])
    # the unit filter works on the names of who must act
    at.multiselect(key="w_status").set_value([]).run()
    # (a unit the 黄埔 gaps suggest: the rows waiting for a plan between name only that plan's issuer)
    at.multiselect(key="w_unit").set_value(["区住房城乡建设局"]).run()
    frame = at.dataframe[0].value
    assert len(frame) and all("区住房城乡建设局" in w for w in frame["who must act"])
    # the row shown carries the links to its trace and to the cascade
    links = [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    upper = at.selectbox(key="w_row").value.split("\t")[0]
    from urllib.parse import parse_qs

    assert any(page == "trace" and parse_qs(q)["task"] == [upper] for page, q in links), links
    assert any(page == "cascade" and parse_qs(q)["q"] == [upper] for page, q in links), links



def test_a_gap_row_opens_the_compare_view_on_its_two_documents(cut_env, cut_built):
    from urllib.parse import parse_qs

    at = open_page("worklist")
    at.multiselect(key="w_status").set_value(["gap"]).run()
    upper, lower = at.selectbox(key="w_row").value.split("\t")
    query = next(parse_qs(p.proto.query_string) for p in at.get("page_link") if p.proto.page == "compare")
    upper_doc = cut_built[0].graph.nodes[upper]["doc_id"]
    assert query == {"upper": [upper_doc], "lower": [lower]}
    at = open_page("compare", upper=upper_doc, lower=lower)
    assert_clean(at)
    chosen = at.selectbox(key="c_pair")
    assert lower in chosen.format_func(chosen.value) and upper_doc in chosen.format_func(chosen.value)
    assert at.radio(key="c_only").value == "not taken up"
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert upper in table       # the requirement the lower document left out, on the upper side


def test_marks_are_saved_counted_at_once_kept_across_a_rebuild_and_reported(cut_env, cut_built):
    from cascade.pipeline import build

    store, data = cut_env
    at = open_page("worklist")
    at.multiselect(key="w_status").set_value(["gap"]).run()
    before = metric(at, "not marked")
    first = at.selectbox(key="w_row").value
    upper, lower = first.split("\t")
    at.button(key="w_confirm").click().run()
    assert_clean(at)
    assert metric(at, "not marked") == before - 1 and metric(at, "confirmed gap") == 1
    assert read_marks(data / "marks.yaml")[(upper, lower)]["verdict"] == "confirmed_gap"
    # implemented needs its evidence: without it, one line and nothing saved
    at.selectbox(key="w_row").set_value([k for k in at.selectbox(key="w_row").options if k != first][0]).run()
    second = at.selectbox(key="w_row").value
    at.button(key="w_done").click().run()
    assert at.error and "needs the evidence" in at.error[0].value
    at.text_input(key="w_note").input("区发展改革局2022年5月已公开办理机制").run()
    at.button(key="w_done").click().run()
    assert_clean(at)
    marks = read_marks(data / "marks.yaml")
    assert marks[tuple(second.split("\t"))] == {**marks[tuple(second.split("\t"))], "verdict": "implemented",
                                               "note": "区发展改革局2022年5月已公开办理机制"}
    # a rebuild makes a new store; the marks name rows by ids it keeps
    build([data], store=store)
    at = open_page("worklist")
    assert metric(at, "confirmed gap") == 1 and metric(at, "settled (implemented or not applicable)") == 1
    # the selection goes into the 台账 handed upward
    at.button(key="w_report").click().run()
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(at.session_state["w_report_file"]))
    assert "Verdicts" in wb.sheetnames
    cells = [c for row in wb["Verdicts"].iter_rows(min_row=2, values_only=True) for c in row]
    assert "confirmed gap" in cells and "区发展改革局2022年5月已公开办理机制" in cells
    # … or as a PDF
    at.radio(key="w_fmt").set_value("pdf").run()
    at.button(key="w_report").click().run()
    assert at.session_state["w_report_file"].startswith(b"%PDF-")
    assert at.get("download_button")[0].proto.label == "Download report.pdf"


def test_marks_file_round_trip_and_bad_files(tmp_path):
    from core.errors import ReviewError

    path = tmp_path / "marks.yaml"
    save_mark(path, "up/2", "low", "not_applicable", "本区无此项职能")
    assert read_marks(path) == {("up/2", "low"): read_marks(path)[("up/2", "low")]}
    assert read_marks(path)[("up/2", "low")]["note"] == "本区无此项职能"
    with pytest.raises(ReviewError, match="needs a note"):
        save_mark(path, "up/3", "low", "implemented", "  ")
    save_mark(path, "up/2", "low", None)
    assert read_marks(path) == {}
    path.write_text("marks:\n  - upper: a\n    lower_doc: b\n    verdict: maybe\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"marks.yaml: mark 1 has verdict 'maybe'"):
        read_marks(path)
    rows = [{"status": "gap", "upper": "a", "lower_doc": "b"}, {"status": "covered", "upper": "c", "lower_doc": "b"}]
    assert [r["verdict"] for r in apply_marks(rows, {})] == [None]


def test_worklist_in_chinese_by_default(cut_env, monkeypatch):
    monkeypatch.setenv("CASCADE_LANG", "zh")
    at = open_page("worklist")
    assert_clean(at)
    assert at.title[0].value == "缺口清单"
    assert {"未核定", "核实为缺口"} <= {m.label for m in at.metric}
    assert (ROOT / "app_pages" / "worklist.py").exists()


def test_upload_form_is_prefilled_from_the_text_and_its_parent_is_kept_in_the_manifest(monkeypatch, built, tmp_path):
    """A district plan citing its city's plan by title and 文号: the form proposes level, region, year and
    that parent; saved, the manifest names it and the rebuild links the plan to it (not to the 要点)."""
    from graph.store import load_graph
    from loaders.manifest import read_manifest

    store, data = tmp_path / ".cascade", tmp_path / "data"
    shutil.copytree(built[1], store)
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("reviews.yaml", "uploads"))
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(data))
    monkeypatch.setenv("CASCADE_LANG", "en")
    text = (ROOT / "data" / "2022_guangzhou_huangpu_district_plan.txt").read_text(encoding="utf-8")
    text = text.replace("黃埔", "番禺").replace("黄埔", "番禺").replace("穗埔府辦函", "番府辦函")
    at = open_page("documents")
    at.file_uploader(key="d_files").upload("panyu 2022.txt", text.encode("utf-8"), "text/plain").run()
    at.button(key="d_save").click().run()
    assert_clean(at)
    assert at.selectbox(key="d_level_0").value == "county"
    assert at.text_input(key="d_region_0").value == "广州市番禺区"
    assert at.number_input(key="d_year_0").value == 2022
    assert at.selectbox(key="d_parent_0").value == "2022-guangzhou"
    at.button(key="FormSubmitter:d_meta_0-Save and rebuild").click().run()
    assert_clean(at)
    rows = [r for r in read_manifest(data / "manifest.yaml").values() if "uploads/" in r["file"]]
    assert len(rows) == 1 and rows[0]["parents"] == ["2022-guangzhou"] and rows[0]["region"] == "广州市番禺区"
    assert "# What the documents' text lacks" in (data / "manifest.yaml").read_text(encoding="utf-8")  # comments kept
    G = load_graph(store)
    new = next(n for n, d in G.nodes(data=True) if d.get("label") == "Document" and "panyu" in (d.get("source") or ""))
    ups = {v: d.get("via") for _, v, d in G.out_edges(new, data=True) if d.get("type") == "IMPLEMENTS"}
    assert ups.get("2022-guangzhou") == "manifest", ups     # the parent the user confirmed, by the manifest
    huangpu = {v: d.get("via") for _, v, d in G.out_edges("2022-huangpu", data=True) if d.get("type") == "IMPLEMENTS"}
    assert set(ups) == set(huangpu)      # the same documents above as its sister district


def test_upload_form_proposes_no_parent_further_up_than_the_plans_own(seed_graph, tmp_path):
    """A district plan citing the State Council's 要点 (held) and its city's plan (not held) owes the
    city's: the form proposed the national 要点, which, saved, would have overridden inference at every
    rebuild and linked the district straight to the State Council. It now leaves the parent to inference."""
    from cascade.uploads import guess_metadata

    plan = tmp_path / "district.txt"
    plan.write_text(
        "广州市花都区人民政府办公室关于印发广州市花都区2021年政务公开工作要点分工方案的通知\n"
        "各镇人民政府、街道办事处，区政府各部门：\n"
        "根据《国务院办公厅关于印发2021年政务公开工作要点的通知》（国办发〔2021〕12号）和《广州市人民政府办公厅"
        "关于印发广州市2021年政务公开工作要点分工方案的通知》要求，现将本区分工方案印发给你们。\n"
        "广州市花都区人民政府办公室\n2021年6月1日\n广州市花都区2021年政务公开工作要点分工方案\n"
        "一、加强政务公开\n1. 做好规划信息公开。（责任单位：区发展改革局）\n"
        "2. 加大惠民惠农资金信息公开力度。（责任单位：区财政局）\n", encoding="utf-8")
    guess = guess_metadata(plan, seed_graph)
    assert (guess["level"], guess["region"], guess["year"]) == ("county", "广州市花都区", 2021)
    assert "国办发〔2021〕12号" in guess["cited"]
    assert guess["parent"] is None


def test_trace_page_offers_only_the_requirements_with_gaps(cut_env, cut_built):
    from queries.gaps import coverage

    at = open_page("trace")
    at.selectbox(key="t_doc").set_value("2022-guangzhou").run()
    at.toggle(key="t_only").set_value(False).run()
    at.toggle(key="t_gaps").set_value(True).run()
    assert_clean(at)
    gaps = {r["upper"] for r in coverage(cut_built[0].graph)
            if r["status"] in ("gap", "not_assessable") and r["upper_doc"] == "2022-guangzhou"}
    assert {o.split(" · ")[0] for o in at.selectbox(key="t_task").options} == gaps and len(gaps) == 2


def test_worklist_of_a_large_store_pages_the_gaps_from_the_store_marks_and_hands_them_over(cut_env, cut_built,
                                                                                          monkeypatch):
    from urllib.parse import parse_qs

    from openpyxl import load_workbook

    from queries.gaps import coverage
    from test_app import _never_load

    G = cut_built[0].graph
    gaps = [r for r in coverage(G) if r["status"] == "gap"]
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")       # any store is "large": the page asks the store
    _never_load(monkeypatch)
    store, data = cut_env
    at = open_page("worklist")
    assert_clean(at)
    assert metric(at, "gap") == len(gaps) == 2 and metric(at, "marked") == 0
    frame = at.dataframe[0].value
    # who must act, as the whole graph says: the issuer, then the units the upper text names
    assert sorted(zip(frame["upper task id"], frame["who must act"])) == \
        sorted((r["upper"], who_must_act(r, "en")) for r in gaps)
    assert all(w.startswith("广州市黄埔区人民政府办公室") for w in frame["who must act"])
    # the filters are the store's: the lower document's level, its region, words of the requirement
    level = G.nodes[gaps[0]["lower_doc"]]["level"]
    at.selectbox(key="w_level_one").select(level).run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == 2
    words = G.nodes[gaps[0]["upper"]]["text_norm"][:12]
    at.text_input(key="w_words").input(words).run()
    assert list(at.dataframe[0].value["upper task id"]) == [r["upper"] for r in gaps if words in G.nodes[r["upper"]]["text_norm"]]
    at.text_input(key="w_words").input("没有这样的要求文字").run()
    assert_clean(at)
    assert not at.dataframe and at.info
    at.text_input(key="w_words").input("").run()
    # a row links to its trace and to the compare view of its two documents
    upper, lower = at.selectbox(key="w_row").value.split("\t")
    links = {p.proto.page: parse_qs(p.proto.query_string) for p in at.get("page_link")}
    assert links["trace"] == {"task": [upper]}
    assert links["compare"] == {"upper": [G.nodes[upper]["doc_id"]], "lower": [lower]}
    # the open row says why it was owed and who must act, as the whole graph does
    gap = next(r for r in gaps if (r["upper"], r["lower_doc"]) == (upper, lower))
    shown = " ".join(h.proto.body for h in at.get("html"))
    # (its documents named by title, as a person names them, not by id)
    assert reason_text(gap["reason"], "en", doc_names(G)) in html.unescape(shown) and gap["lower_doc"] not in shown
    assert who_must_act(gap, "en") in html.unescape(shown) and gap["who"][0] in html.unescape(shown)
    # a mark is saved beside the data and counted at once
    at.button(key="w_confirm").click().run()
    assert_clean(at)
    assert read_marks(data / "marks.yaml")[(upper, lower)]["verdict"] == "confirmed_gap"
    assert metric(at, "marked") == 1 and metric(at, "confirmed gap") == 1
    assert "confirmed gap" in list(at.dataframe[0].value["verdict"])
    # the marked selection, as the store gives it, handed upward
    at.button(key="w_report").click().run()
    assert_clean(at)
    wb = load_workbook(io.BytesIO(at.session_state["w_report_file"]))
    cells = [c for row in wb.active.iter_rows(min_row=2, values_only=True) for c in row]
    assert "confirmed gap" in cells and G.nodes[upper]["text_norm"] in cells and who_must_act(gap, "en") in cells
    at.radio(key="w_fmt").set_value("pdf").run()
    at.button(key="w_report").click().run()
    assert at.session_state["w_report_file"].startswith(b"%PDF-")


def test_worklist_of_a_large_store_lists_what_cannot_be_judged_and_why(cut_env, cut_built, monkeypatch):
    """无法判断 in store mode: the rows the whole graph calls not_assessable, each with why (an
    interpretation whose plan is not loaded, a missing plan in between), who must act, and its reason."""
    from queries.gaps import coverage
    from test_app import _never_load

    G = cut_built[0].graph
    unjudged = [r for r in coverage(G) if r["status"] == "not_assessable"]
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")
    _never_load(monkeypatch)
    at = open_page("worklist")
    assert_clean(at)
    assert metric(at, term("status", "not_assessable", "en")) == len(unjudged) == 46
    at.radio(key="w_status").set_value("not_assessable").run()
    assert_clean(at)
    frame = at.dataframe[0].value
    assert sorted(zip(frame["upper task id"], frame["who must act"])) == \
        sorted((r["upper"], who_must_act(r, "en")) for r in unjudged)
    whys = set(frame["why it cannot be judged"])
    # 广州's 解读 and 台山's bureau, compared with the national plan, wait for the plan between (test_skip_level_verdicts.py)
    assert whys == {term("unjudged", "parent_missing", "en")}
    # what each row waits for (the plan it needs), as the whole graph says
    assert sorted(zip(frame["upper task id"], frame["waits for"])) == \
        sorted((r["upper"], waits_for_text(r["waits_for"])) for r in unjudged) and all(frame["waits for"])
    upper, lower = at.selectbox(key="w_row").value.split("\t")
    row = next(r for r in unjudged if (r["upper"], r["lower_doc"]) == (upper, lower))
    shown = html.unescape(" ".join(h.proto.body for h in at.get("html")))
    assert reason_text(row["reason"], "en", doc_names(G)) in shown and str(row["waits_for"]) in shown
    # its filters are the store's too
    at.selectbox(key="w_level_one").select(G.nodes[lower]["level"]).run()
    assert_clean(at)
    assert set(at.dataframe[0].value["upper task id"]) == \
        {r["upper"] for r in unjudged if G.nodes[r["lower_doc"]]["level"] == G.nodes[lower]["level"]}


def test_worklist_of_a_large_store_says_who_must_act_on_every_row_of_a_page_of_many_pairs(synthetic_store, tmp_path,
                                                                                         monkeypatch):
    """A page of gaps spanning many pairs of plans (a generated cascade): the who-must-act column of every
    row is the whole graph's, read with the page's pairs, never the lower issuer in its stead."""
    from graph.store import load_graph
    from queries.backend import open_backend
    from queries.gaps import coverage
    from test_app import _never_load

    whole = {(r["upper"], r["lower_doc"]): r for r in coverage(load_graph(synthetic_store)) if r["status"] == "gap"}
    with open_backend(synthetic_store, env={}) as b:
        page = b.table("gaps", 0, 50)[1]
    assert len({(r["upper_doc"], r["lower_doc"]) for r in page}) >= 10
    store = tmp_path / ".cascade"
    shutil.copytree(synthetic_store, store, ignore=shutil.ignore_patterns("answers"))
    for k, v in (("CASCADE_STORE", store), ("CASCADE_DATA", tmp_path), ("CASCADE_LANG", "en"),
                 ("CASCADE_GRAPH_TASKS", 1)):
        monkeypatch.setenv(k, str(v))
    _never_load(monkeypatch)
    at = open_page("worklist")
    assert_clean(at)
    assert metric(at, "gap") == len(whole)
    frame = at.dataframe[0].value
    assert list(zip(frame["upper task id"], frame["who must act"])) == \
        [(r["upper"], who_must_act(whole[(r["upper"], r["lower_doc"])], "en")) for r in page]
    assert t("worklist.who_issuer", "en") not in [c.value for c in at.caption]


@pytest.mark.bolt
@pytest.mark.skipif(not __import__("os").environ.get("CASCADE_BOLT_URI"), reason="no Bolt server: CASCADE_BOLT_URI is unset")
def test_worklist_on_a_bolt_server_lists_gaps_and_what_cannot_be_judged_as_the_whole_graph(cut_env, cut_built,
                                                                                          monkeypatch):
    """The Worklist on a Bolt server holding the cut graph: the gaps and the not-assessable rows, each
    with who must act and what it waits for, as the whole graph gives them; nothing loaded."""
    import os

    from graph.push import push
    from graph.store import read_kept_rows
    from queries.gaps import coverage
    from test_app import _never_load

    G = cut_built[0].graph
    push(G, os.environ["CASCADE_BOLT_URI"], os.environ.get("CASCADE_BOLT_USER", "neo4j"),
         os.environ.get("CASCADE_BOLT_PASSWORD") or None, database=os.environ.get("CASCADE_BOLT_DATABASE") or None,
         wipe=True, **read_kept_rows(cut_built[1]))
    rows = coverage(G)
    _never_load(monkeypatch)
    at = open_page("worklist")
    assert_clean(at)
    for status, n in (("gap", 2), ("not_assessable", 46)):
        want = [r for r in rows if r["status"] == status]
        assert metric(at, term("status", status, "en")) == len(want) == n
        at.radio(key="w_status").set_value(status).run()
        assert_clean(at)
        frame = at.dataframe[0].value
        assert sorted(zip(frame["upper task id"], frame["who must act"])) == \
            sorted((r["upper"], who_must_act(r, "en")) for r in want)
        if status == "not_assessable":
            assert sorted(frame["waits for"]) == sorted(waits_for_text(r["waits_for"]) for r in want)


def test_trace_of_a_large_store_says_which_plan_below_left_the_requirement_out_and_why(cut_env, cut_built, monkeypatch):
    from queries.gaps import coverage
    from test_app import _never_load

    G = cut_built[0].graph
    gap = next(r for r in coverage(G) if r["status"] == "gap")
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")
    _never_load(monkeypatch)
    at = open_page("trace", task=gap["upper"])
    assert_clean(at)
    assert at.selectbox(key="t_task_one").value == gap["upper"]
    col = lambda k: t(f"col.{k}", "en") if has(f"col.{k}", "en") else k  # noqa: E731
    below = at.dataframe[0].value
    row = below[below[col("issuer")] == gap["lower_issuer"]].iloc[0]
    assert row[col("status")] == term("status", "gap", "en") and row[col("reason")] == reason_text(gap["reason"], "en", doc_names(G))
    assert row[col("who")] == who_must_act(gap, "en")
    assert metric(at, t("trace.gaps", "en")) == sum(r["status"] == "gap" for r in coverage(G) if r.get("upper") == gap["upper"])
