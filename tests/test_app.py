"""The Streamlit app, run headless by Streamlit's AppTest on the seed cascade of ``data/``: every page
runs, and filtering, searching, reviewing and uploading change what is shown and what is saved.
Also the pieces it is built from: the pyvis view (escaping, offline, cap) and the upload checks."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from core.errors import CascadeError
from cascade.graphview import MARK_STYLES, cap_nodes, render_html
from cascade.uploads import UPLOAD_DIR, save_upload, save_uploads
from queries.view import align, document_pairs, links, neighbourhood, select

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["overview", "cascade", "worklist", "trace", "compare", "review", "units", "cypher", "documents"]


@pytest.fixture
def app_env(monkeypatch, built, tmp_path):
    """The app pointed at a private copy of the seed store and of data/ (so saving is safe)."""
    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("reviews.yaml", UPLOAD_DIR))
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(data))
    # These tests read the interface's labels in English, the language the switch gives; the Chinese
    # default is checked page by page in test_i18n.py.
    monkeypatch.setenv("CASCADE_LANG", "en")
    for k in ("CASCADE_BOLT_URI", "CASCADE_BOLT_USER", "CASCADE_BOLT_PASSWORD", "CASCADE_BOLT_DATABASE"):
        monkeypatch.delenv(k, raising=False)     # the local store, even where the bolt tests run
    return store, data


def open_page(page: str, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def drawn(at, index: int = 0) -> list[dict]:
    """The vis.js nodes of the page's ``index``-th graph view, read from the HTML the page embeds."""
    html = at.get("iframe")[index].proto.srcdoc
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", html, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception_on_the_seed_graph(app_env, page):
    at = open_page(page)
    assert_clean(at)
    assert at.title and at.title[0].value


def test_overview_counts_are_those_of_the_store(app_env, seed_graph):
    from queries.overview import label_counts

    at = open_page("overview")
    shown = {m.label: int(m.value) for m in at.metric}
    counts = label_counts(seed_graph)
    assert shown["Documents"] == counts["Document"]
    assert shown["Tasks"] == counts["Task"]
    assert shown["Task links"] == counts.get("DERIVED_FROM", 0)


def test_cascade_opens_on_the_cascade_of_documents(app_env, seed_graph):
    at = open_page("cascade")
    assert_clean(at)
    nodes = drawn(at)
    docs = {n for n, d in seed_graph.nodes(data=True) if d.get("label") == "Document"}
    assert {n["id"] for n in nodes} == docs
    # labelled with region, year and title, readable: one box per document
    gz = next(n for n in nodes if n["id"] == "2022-guangzhou")
    assert gz["label"].startswith("广州市2022\n") and "政务公开工作要点" in gz["label"] and gz["font"]["size"] >= 16



def test_cascade_of_documents_is_coloured_by_coverage_and_ships_each_documents_children(app_env, seed_graph):
    from cascade.graphview import EXPAND_MAX, coverage_colour
    from queries.gaps import coverage
    from queries.view import coverage_per_document

    at = open_page("cascade")
    shares = coverage_per_document(coverage(seed_graph))
    nodes = {n["id"]: n for n in drawn(at)}
    for doc, node in nodes.items():
        assert node["color"]["background"] == coverage_colour(shares.get(doc))
    assert "took up 100%" in nodes["2022-guangzhou"]["label"]
    # the share leaves out what cannot be judged: a box at 100% says how many requirements wait (the
    # worklist's count), so the cascade and the worklist never seem to disagree
    waiting = sum(1 for r in coverage(seed_graph) if r["status"] == "not_assessable"
                  and r["lower_doc"] == "2021-guangzhou-interpretation")
    assert waiting > 0 and nodes["2021-guangzhou-interpretation"]["label"].endswith(
        f"took up 100%\n{waiting} more not assessable")
    assert "not assessable" not in nodes["2022-guangzhou"]["label"]
    html = at.get("iframe")[0].proto.srcdoc
    kids = json.loads(re.search(r"var kids = (\{.*?\}), open", html, re.S).group(1))
    assert set(kids) == set(nodes)
    tasks = {n for n, d in seed_graph.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == "2022-guangzhou"}
    assert tasks <= {n["id"] for n in kids["2022-guangzhou"]["nodes"]}
    for doc, k in kids.items():   # capped, and the cap says how many it left out
        real = [n for n in k["nodes"] if not n["id"].startswith("more:")]
        assert len(real) <= EXPAND_MAX and (k["more"] == 0) == (len(real) == len(k["nodes"]))
    assert any(k["more"] for k in kids.values())
    assert "Share taken up" in at.get("html")[0].proto.body


def test_cascade_document_filter_draws_only_that_document(app_env, seed_graph):
    at = open_page("cascade")
    at.radio(key="f_scope").set_value("all").run()
    everything = {n["id"] for n in drawn(at)}
    doc = "2022-huangpu"
    at.multiselect(key="f_doc").set_value([doc]).run()
    assert_clean(at)
    ids = {n["id"] for n in drawn(at)}
    assert ids == set(select(seed_graph, documents=[doc]))
    assert ids < everything
    assert all(i == doc or seed_graph.nodes[i].get("doc_id") == doc for i in ids)


def test_cascade_unit_filter_keeps_only_tasks_of_that_unit(app_env, seed_graph):
    at = open_page("cascade")
    unit = next(v for _, v, d in seed_graph.edges(data=True) if d.get("type") == "ASSIGNED_TO")
    at.multiselect(key="f_unit").set_value([unit]).run()
    ids = {n["id"] for n in drawn(at)}
    tasks = {i for i in ids if seed_graph.nodes[i].get("label") == "Task"}
    assert tasks
    assert all(any(v == unit or seed_graph.has_edge(v, unit) for _, v, d in seed_graph.out_edges(t, data=True)
                   if d.get("type") == "ASSIGNED_TO") for t in tasks)
    assert unit in ids   # "Show units" follows the unit filter


def test_cascade_search_centres_the_view_on_a_task_and_shows_its_text(app_env, seed_graph):
    link = links(seed_graph)[0]
    at = open_page("cascade")
    at.text_input(key="search").input(link["upper"]).run()
    assert_clean(at)
    ids = [n["id"] for n in drawn(at)]
    assert set(ids) == set(neighbourhood(seed_graph, link["upper"]))
    assert link["lower"] in ids
    assert at.selectbox(key="detail").value == link["upper"]
    assert seed_graph.nodes[link["upper"]]["text"] in [t.value for t in at.text]


def test_cascade_search_in_traditional_script_finds_simplified_units(app_env, seed_graph):
    at = open_page("cascade")
    at.text_input(key="search").input("黃埔區").run()
    options = at.selectbox(key="focus").options
    assert options and all("黄埔区" in o for o in options[:3])


def test_cascade_marks_gaps_on_the_upper_tasks(app_env, cut_built, monkeypatch, tmp_path):
    # data/ has no real gap (issue 22); with two rows of the 黄埔 plan removed the city's tasks 2 and 3 are.
    gaps = pytest.importorskip("queries.gaps")
    store = tmp_path / "cut-store"
    shutil.copytree(cut_built[1], store)
    monkeypatch.setenv("CASCADE_STORE", str(store))
    gap_tasks = {r["upper"] for r in gaps.coverage(cut_built[0].graph) if r["status"] == "gap"}
    assert len(gap_tasks) == 2
    at = open_page("cascade")
    # the cascade of documents marks the plan that left them out
    marked = {n["id"] for n in drawn(at) if n["label"].startswith(MARK_STYLES["gap"]["prefix"])}
    assert marked == {"2022-huangpu"}
    at.radio(key="f_scope").set_value("all").run()
    marked = {n["id"] for n in drawn(at) if n["label"].startswith(MARK_STYLES["gap"]["prefix"])}
    assert marked and marked == gap_tasks & {n["id"] for n in drawn(at)}


def test_cascade_cap_draws_at_most_the_limit_and_says_what_was_left_out(app_env, seed_graph):
    at = open_page("cascade")
    at.radio(key="f_scope").set_value("all").run()
    at.number_input(key="f_limit").set_value(50).run()
    assert len(drawn(at)) == 50
    assert any("left out" in w.value for w in at.warning)


def test_review_accept_saves_the_decision_and_a_rebuild_confirms_the_link(app_env, seed_graph):
    from graph.reviews import read_reviews
    from graph.store import load_graph

    store, data = app_env
    at = open_page("review")
    before = int(re.search(r"of (\d+)", at.markdown[0].value).group(1))
    first = at.markdown[0].value
    at.button(key="r_accept").click().run()
    assert_clean(at)
    saved = read_reviews(data / "reviews.yaml")
    assert len(saved) == 1
    (lower, upper), review = next(iter(saved.items()))
    assert review["status"] == "confirmed"
    assert int(re.search(r"of (\d+)", at.markdown[0].value).group(1)) == before - 1   # it left the queue
    assert at.markdown[0].value != first

    at.switch_page("app_pages/documents.py").run()
    at.button(key="d_rebuild").click().run()
    assert_clean(at)
    G = load_graph(store)
    statuses = {d.get("status") for d in (G.get_edge_data(lower, upper) or {}).values() if d.get("type") == "DERIVED_FROM"}
    assert statuses == {"confirmed"}


def test_review_reject_then_undo_leaves_no_decision(app_env):
    from graph.reviews import read_reviews

    _, data = app_env
    at = open_page("review")
    at.button(key="r_reject").click().run()
    assert [r["status"] for r in read_reviews(data / "reviews.yaml").values()] == ["rejected"]
    at.button(key="r_undo").click().run()
    assert_clean(at)
    assert read_reviews(data / "reviews.yaml") == {}


def test_documents_upload_is_saved_under_data_and_rebuilt_into_the_store(app_env):
    from graph.store import load_graph

    store, data = app_env
    source = ROOT / "data" / "2021_taishan_culture_bureau_sections.txt"
    renamed = source.read_text(encoding="utf-8").replace("台山市", "开平市")
    at = open_page("documents")
    at.file_uploader(key="d_files").upload("../../2021 开平 plan.txt", renamed.encode("utf-8"), "text/plain").run()
    at.button(key="d_save").click().run()
    assert_clean(at)
    # said in the words `cascade build` uses, not the graph's nodes and relationships
    rebuilt = next(s.value for s in at.success if s.value.startswith("Rebuilt"))
    assert re.fullmatch(r"Rebuilt: 9 documents, \d+ sections, \d+ tasks, \d+ units, \d+ links\.", rebuilt), rebuilt
    saved = data / UPLOAD_DIR / "2021_开平_plan.txt"
    assert saved.read_text(encoding="utf-8") == renamed
    docs = {d.get("source") for _, d in load_graph(store).nodes(data=True) if d.get("label") == "Document"}
    assert saved.name in docs


def test_a_second_upload_keeps_the_form_of_the_first_whose_details_were_not_saved(app_env):
    """Uploading 白云's plan, then a zip of two bureaus' plans, dropped 白云's form before its details were
    saved: each file keeps its form until its details are saved."""
    store, data = app_env
    text = (ROOT / "data" / "2021_taishan_culture_bureau_sections.txt").read_text(encoding="utf-8")
    at = open_page("documents")
    at.file_uploader(key="d_files").upload("first.txt", text.replace("台山市", "开平市").encode("utf-8"),
                                           "text/plain").run()
    at.button(key="d_save").click().run()
    at.file_uploader(key="d_files").upload("second.txt", text.replace("台山市", "恩平市").encode("utf-8"),
                                           "text/plain").run()
    at.button(key="d_save").click().run()
    assert_clean(at)
    forms = [m.value for m in at.markdown if m.value.startswith("**") and ".txt**" in m.value]
    assert [f.split("**")[1] for f in forms] == ["first.txt", "second.txt"], forms


def _zip(members: dict[str, bytes], utf8_names: bool = True) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, body) in enumerate(members.items()):
            # Windows' own tool writes GBK names with no UTF-8 flag: a placeholder of the same length, then
            # its bytes swapped in (a name is in no checksum)
            z.writestr(name if utf8_names else f"{i:0{len(name.encode('gbk'))}d}", body)
    data = buf.getvalue()
    for i, name in enumerate(members if not utf8_names else ()):
        data = data.replace(f"{i:0{len(name.encode('gbk'))}d}".encode(), name.encode("gbk"))
    return data


def test_documents_upload_of_a_zip_saves_each_document_and_names_what_it_refuses(app_env):
    """An office's 附件.zip: each document in it saved and built; a member of another type is named in
    the page's language, the others still saved."""
    from graph.store import load_graph

    store, data = app_env
    source = ROOT / "data" / "2021_taishan_culture_bureau_sections.txt"
    renamed = source.read_text(encoding="utf-8").replace("台山市", "恩平市")
    bundle = _zip({"附件/2021 恩平 plan.txt": renamed.encode("utf-8"), "附件/说明.exe": b"MZ\x90\x00",
                   "__MACOSX/附件/._2021 恩平 plan.txt": b"\x00\x05"})
    at = open_page("documents")
    at.file_uploader(key="d_files").upload("附件.zip", bundle, "application/zip").run()
    at.button(key="d_save").click().run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning if "说明.exe" in w.value and "not a document type" in w.value]   # (English here)
    saved = data / UPLOAD_DIR / "2021_恩平_plan.txt"
    assert saved.read_text(encoding="utf-8") == renamed
    assert sorted(p.name for p in (data / UPLOAD_DIR).iterdir()) == [saved.name]
    docs = {d.get("source") for _, d in load_graph(store).nodes(data=True) if d.get("label") == "Document"}
    assert saved.name in docs


def test_zip_upload_keeps_gbk_names_and_refuses_oversize_and_encrypted_members(tmp_path):
    saved, refused = save_uploads("bundle.zip", _zip({"黄埔区 分工方案.txt": "一、总体要求".encode()}, utf8_names=False),
                                  tmp_path)
    assert [p.name for p in saved] == ["黄埔区_分工方案.txt"] and not refused
    big = _zip({"big.txt": b"x" * (2 * 1024 * 1024), "ok.txt": "一、任务".encode()})   # deflates to a few KB
    saved, refused = save_uploads("big.zip", big, tmp_path, max_mb=1)
    assert [p.name for p in saved] == ["ok.txt"] and not (tmp_path / UPLOAD_DIR / "big.txt").exists()
    assert [e.problem for e in refused] == ["unpacks to more than 1 MB"] and refused[0].path == "big.zip/big.txt"
    encrypted = bytearray(_zip({"secret.txt": b"x"}))
    encrypted[6] |= 1   # the local header's and the directory's "encrypted" flag, as a password tool sets it
    at = encrypted.rfind(b"PK\x01\x02")
    encrypted[at + 8] |= 1
    assert [e.problem for e in save_uploads("s.zip", bytes(encrypted), tmp_path)[1]] == ["password-protected zip member"]
    with pytest.raises(CascadeError, match="damaged zip archive"):
        save_uploads("broken.zip", b"PK\x03\x04 not really", tmp_path)


def test_cypher_page_runs_a_saved_query_and_offers_csv(app_env):
    from queries.cypher import run_cypher, saved_queries

    store, _ = app_env
    name = next(iter(saved_queries()))
    at = open_page("cypher")
    at.selectbox(key="q_saved").set_value(name).run()
    at.button(key="q_run").click().run()
    assert_clean(at)
    _, rows = run_cypher(store, saved_queries()[name]["query"], None, limit=5000)
    assert len(at.dataframe[0].value) == len(rows)
    assert at.get("download_button")


def test_cypher_page_refuses_a_write_in_one_line(app_env):
    at = open_page("cypher")
    at.text_area(key="q_text").input("MATCH (t:Task) DETACH DELETE t").run()
    at.button(key="q_run").click().run()
    assert at.error and "read-only" in at.error[0].value


def test_trace_page_opens_on_the_requirement_in_the_link(app_env, seed_graph):
    trace = pytest.importorskip("queries.trace")
    upper = links(seed_graph)[0]["upper"]
    at = open_page("trace", task=upper)
    assert_clean(at)
    assert at.selectbox(key="t_task").value == upper
    assert len(at.dataframe[0].value) == len(trace.trace_rows(seed_graph, upper))



def test_trace_graph_puts_the_requirement_on_top_and_each_lower_level_below(app_env, seed_graph):
    from core.records import LEVEL_RANK

    upper = links(seed_graph)[0]["upper"]
    at = open_page("trace", task=upper)
    nodes = drawn(at)
    rows = {n["id"]: n["level"] for n in nodes}
    assert rows[upper] == 0 and sorted(rows.values()).count(0) == 1     # nothing above the requirement
    level_of = lambda n: LEVEL_RANK[seed_graph.nodes[n if seed_graph.nodes[n]["label"] == "Document"  # noqa: E731
                                                     else seed_graph.nodes[n]["doc_id"]]["level"]]
    for a in nodes:
        for b in nodes:
            if level_of(a["id"]) < level_of(b["id"]):
                assert a["level"] < b["level"], (a["id"], b["id"])
    lower = next(n for n in nodes if n["id"] != upper and seed_graph.nodes[n["id"]]["label"] == "Task")
    assert lower["font"]["size"] >= 14 and len(lower["label"]) > 10       # a few words, not a number and a dot


# --- the pieces -------------------------------------------------------------------------------------

def _hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("d", label="Document", title="<b>doc</b>", level="county", year=2022)
    G.add_node("d/1", label="Task", doc_id="d", number="1", text='<script>alert(1)</script><img src=x onerror="x()">',
               text_norm='<script>alert(1)</script><img src=x onerror="x()">')
    G.add_edge("d", "d/1", key="CONTAINS", type="CONTAINS")
    return G


def test_graph_view_escapes_document_text_in_labels_and_tooltips():
    page, _ = render_html(_hostile_graph())
    data = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.S).group(1)
    assert "<script>alert" not in data and "<img" not in data        # nothing can close the script block
    task = next(n for n in json.loads(data) if n["id"] == "d/1")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in task["title"]
    assert "<script" not in task["title"] and "<img" not in task["title"]
    assert "<" not in task["label"]



def test_graph_view_escapes_document_text_in_the_children_a_click_opens():
    G = _hostile_graph()
    G.add_node("d/2", label="Task", doc_id="d", number="2", text="</script><script>alert(2)</script>")
    G.add_edge("d", "d/2", key="CONTAINS", type="CONTAINS")
    page, _ = render_html(G, ["d"], documents_only=True, expand=10)
    kids = re.search(r"var kids = (\{.*?\}), open", page, re.S).group(1)
    assert "<" not in kids and ">" not in kids and "&" not in kids   # JSON escapes: the script block stays shut
    task = next(n for n in json.loads(kids)["d"]["nodes"] if n["id"] == "d/1")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in task["title"] and "<" not in task["label"]



def test_many_documents_open_into_fewer_children_each(seed_graph, monkeypatch):
    import cascade.graphview as gv

    docs = [n for n, d in seed_graph.nodes(data=True) if d.get("label") == "Document"]
    monkeypatch.setattr(gv, "EXPAND_BUDGET", 12 * len(docs))
    page, _ = render_html(seed_graph, docs, documents_only=True, expand=60)
    kids = json.loads(re.search(r"var kids = (\{.*?\}), open", page, re.S).group(1))
    assert max(len([n for n in k["nodes"] if not n["id"].startswith("more:")]) for k in kids.values()) == 12


def test_graph_view_requests_nothing_from_the_network(seed_graph):
    page, _ = render_html(seed_graph, select(seed_graph, years=[2022]))
    live = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    assert not re.findall(r"""<(?:script|link|img)[^>]+(?:src|href)=["']?https?:""", live)
    assert "vis.Network" in live


def test_cap_keeps_documents_and_sections_before_tasks(seed_graph):
    nodes = select(seed_graph)
    kept, left = cap_nodes(seed_graph, nodes, limit=120)
    labels = {seed_graph.nodes[n]["label"] for n in kept}
    assert len(kept) == 120 and "Document" in labels
    assert all(seed_graph.nodes[n]["label"] != "Task" for n in nodes if n not in kept
               and seed_graph.nodes[n]["label"] in ("Document", "Section"))
    assert sum(left.values()) == len(nodes) - 120


def test_upload_name_cannot_leave_the_uploads_folder(tmp_path):
    path = save_upload("../../../etc/cron.d/evil.txt", "一、总体要求".encode(), tmp_path)
    assert path.parent == (tmp_path / UPLOAD_DIR).resolve() and path.name == "evil.txt"


def test_upload_refuses_oversize_wrong_type_and_planted_symlink(tmp_path):
    with pytest.raises(CascadeError, match="over the 1 MB"):
        save_upload("big.txt", b"x" * (1024 * 1024 + 1), tmp_path, max_mb=1)
    with pytest.raises(CascadeError, match="not a document type"):
        save_upload("run.sh", b"echo", tmp_path)
    (tmp_path / UPLOAD_DIR).mkdir(exist_ok=True)
    outside = tmp_path.parent / "outside.txt"
    (tmp_path / UPLOAD_DIR / "plan.txt").symlink_to(outside)
    with pytest.raises(CascadeError, match="outside"):
        save_upload("plan.txt", b"data", tmp_path, overwrite=True)
    assert not outside.exists()


def test_upload_does_not_overwrite_unless_asked(tmp_path):
    save_upload("plan.txt", b"one", tmp_path)
    with pytest.raises(CascadeError, match="already"):
        save_upload("plan.txt", b"two", tmp_path)
    assert save_upload("plan.txt", b"two", tmp_path, overwrite=True).read_bytes() == b"two"


def test_chain_rows_give_the_dropped_chains_of_all_rows(tmp_path):
    """The app follows dropped chains only from the tasks it draws (queries.view.chain_rows); on a
    synthetic cascade with dropped chains, that must find exactly what all the rows find."""
    gaps = pytest.importorskip("queries.gaps")
    from bench.synth import generate
    from cascade.pipeline import build
    from queries.view import chain_rows

    generate(800, 3, tmp_path)
    G = build([tmp_path / "docs"], manifest_path=tmp_path / "manifest.yaml").graph
    rows = gaps.coverage(G)
    full = gaps.dropped_chains(G, rows)
    assert full, "the synthetic cascade should drop some chains"
    key = lambda r: (r["upper"], r["middle_doc"], r["lower_doc"])  # noqa: E731
    for upper in sorted({r["upper"] for r in full}):
        mine = gaps.dropped_chains(G, chain_rows(rows, [upper]))
        assert sorted(mine, key=key) == sorted((r for r in full if r["upper"] == upper), key=key)


def test_compare_page_aligns_the_linked_tasks_of_a_pair(app_env, seed_graph):
    from queries.view import document_pairs

    pair = document_pairs(seed_graph)[0]
    pair_links = links(seed_graph, lower_doc=pair["lower"], upper_doc=pair["upper"])
    at = open_page("compare")
    assert_clean(at)
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    rows = table.split("<tr>")[2:]
    assert len(rows) == len(pair_links)
    for link in pair_links:
        assert any(link["upper"] in r and link["lower"] in r for r in rows)


def test_documents_page_hands_over_the_html_report(app_env, seed_graph):
    import html

    pytest.importorskip("cascade.report")
    at = open_page("documents")
    at.button(key="d_report").click().run()
    assert_clean(at)
    assert "report.html" in at.get("download_button")[0].proto.label
    kind, data = at.session_state["d_report_file"]
    page = data.decode("utf-8")
    assert kind == "html" and page.lstrip().lower().startswith(("<!doctype html", "<html"))
    titles = [d["title"] for _, d in seed_graph.nodes(data=True) if d.get("label") == "Document" and d.get("title")]
    assert any(html.escape(t) in page or t in page for t in titles)



def test_documents_page_hands_over_the_pdf_report(app_env):
    at = open_page("documents")
    assert at.radio(key="d_fmt").options == ["HTML (coverage report)", "XLSX (ledger layout)", "PDF (to print or send)"]
    at.radio(key="d_fmt").set_value("pdf").run()
    at.button(key="d_report").click().run()
    assert_clean(at)
    kind, data = at.session_state["d_report_file"]
    assert kind == "pdf" and data.startswith(b"%PDF-")
    assert "report.pdf" in at.get("download_button")[0].proto.label


def test_cascade_link_status_filter_keeps_only_unlinked_tasks(app_env, seed_graph):
    at = open_page("cascade")
    at.multiselect(key="f_status").set_value(["unlinked"]).run()
    tasks = [n["id"] for n in drawn(at) if seed_graph.nodes[n["id"]].get("label") == "Task"]
    assert tasks
    for t in tasks:
        assert not any(d.get("type") == "DERIVED_FROM" for _, _, d in seed_graph.out_edges(t, data=True))
        assert not any(d.get("type") == "DERIVED_FROM" for _, _, d in seed_graph.in_edges(t, data=True))


def test_app_without_a_store_says_how_to_build_one_and_the_documents_page_builds_it(monkeypatch, tmp_path):
    from graph.store import load_graph

    store = tmp_path / "none" / ".cascade"
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("reviews.yaml", UPLOAD_DIR))
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(data))
    at = open_page("overview")
    assert not at.exception
    assert at.error and "no store" in at.error[0].value
    at.switch_page("app_pages/documents.py").run()
    at.button(key="d_rebuild").click().run()
    assert not at.exception and not at.error
    assert sum(1 for _, d in load_graph(store).nodes(data=True) if d.get("label") == "Document") == \
        len([p for p in data.iterdir() if p.suffix == ".txt"])


def test_review_flags_a_confirmed_link_whose_text_changed_after_a_rebuild(app_env, seed_graph):
    from cascade.uploads import rebuild
    from graph.reviews import save_review

    store, data = app_env
    for link in links(seed_graph):
        lower = seed_graph.nodes[link["lower"]]
        source = data / seed_graph.nodes[lower["doc_id"]]["source"]
        text = source.read_text(encoding="utf-8")
        if text.count(lower["text"]) == 1 and len(lower["text"]) > 12:
            break
    else:
        pytest.skip("no linked task whose text appears once, verbatim, in its file")
    save_review(data / "reviews.yaml", link["lower"], link["upper"], "confirmed", seed_graph)
    changed = lower["text"][:6] + "切实" + lower["text"][6:]
    source.write_text(text.replace(lower["text"], changed), encoding="utf-8")
    rebuild(data, store)

    at = open_page("review")
    at.toggle(key="r_suspect").set_value(True).run()
    assert_clean(at)
    header = at.markdown[0].value
    assert "Link 1 of 1*" in header and "changed since it was reviewed" in header
    assert link["lower"] in at.get("html")[0].proto.body


def test_graph_view_puts_each_level_of_the_ladder_below_the_one_above(seed_graph):
    from core.records import LEVELS

    page, _ = render_html(seed_graph, select(seed_graph, include_units=True))
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.S).group(1))
    rows: dict[str, list[int]] = {}
    for n in nodes:
        d = seed_graph.nodes[n["id"]]
        if d["label"] != "Unit":
            doc = n["id"] if d["label"] == "Document" else d["doc_id"]
            rows.setdefault(seed_graph.nodes[doc]["level"], []).append(n["level"])
    present = [lvl for lvl in LEVELS if lvl in rows]
    assert len(present) >= 3
    for upper, lower in zip(present, present[1:]):
        assert max(rows[upper]) < min(rows[lower]), (upper, lower)
    levels = {m["id"]: m["level"] for m in nodes}
    for n in nodes:   # a unit sits just below the highest level whose tasks name it
        if seed_graph.nodes[n["id"]]["label"] == "Unit":
            tasks = [levels[t] for t, _, d in seed_graph.in_edges(n["id"], data=True)
                     if d.get("type") == "ASSIGNED_TO" and t in levels]
            assert min(tasks) < n["level"]


def test_graph_view_node_links_carry_the_id_url_encoded_and_escaped():
    G = _hostile_graph()
    page, _ = render_html(G, node_links=((("Task",), "trace it", "trace?task={id}"),))
    task = next(n for n in json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.S).group(1))
                if n["id"] == "d/1")
    assert '<a href="trace?task=d%2F1" target="_blank" rel="noopener">trace it</a>' in task["title"]
    doc = next(n for n in json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.S).group(1))
               if n["id"] == "d")
    assert "<a " not in doc["title"]


def test_overview_of_a_large_store_answers_from_the_store_and_loads_the_graph_on_request(app_env, seed_graph,
                                                                                      monkeypatch):
    from queries.overview import documents_table, label_counts

    # Any store over the threshold is "large": the seed store stands in for a nation-year.
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    at = open_page("overview")
    assert_clean(at)
    shown = {m.label: int(m.value) for m in at.metric}
    counts = label_counts(seed_graph)
    assert (shown["Documents"], shown["Tasks"], shown["Units"]) == (counts["Document"], counts["Task"], counts["Unit"])
    assert list(at.dataframe[-1].value["id"]) == [r["id"] for r in documents_table(seed_graph)]
    assert any("tasks: the counts and tables above come from the store" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
    at.button(key="ov_load_graph").click().run()
    assert_clean(at)
    assert at.get("vega_lite_chart")


def _never_load(monkeypatch):
    import graph.store

    def refuse(*a, **k):
        raise AssertionError("a page above the threshold loaded the whole graph")
    monkeypatch.setattr(graph.store, "load_graph", refuse)


def test_a_table_of_links_heads_their_review_status_as_such_not_as_coverage(app_env):
    """The Compare page's drift table and the Review page's list of links headed the link's status
    (proposed: 待审核) 落实情况, the coverage status's header, as if 待审核 were how a requirement was taken up."""
    for page in ("compare", "review"):
        at = open_page(page)
        assert_clean(at)
        frames = [d.value for d in at.dataframe if "score" in d.value.columns]   # the tables of links
        assert frames, page
        for frame in frames:
            assert "link status" in frame.columns and "status" not in frame.columns, (page, list(frame.columns))
            assert set(frame["link status"]) <= {"proposed", "confirmed", "rejected"}


def test_units_page_says_whether_a_task_came_through_a_collective_or_to_the_unit_itself(app_env):
    """The one unit's task tables showed None in their via column for every task named to the unit itself."""
    at = open_page("units")
    assert_clean(at)
    tables = [d.value for d in at.dataframe if "via" in d.value.columns]
    assert tables
    for frame in tables:
        assert frame["via"].notna().all() and "itself (named directly)" in set(frame["via"])


def test_units_page_of_a_large_store_pages_the_merged_workload_with_filters(app_env, seed_graph, monkeypatch):
    from queries.workload import workload

    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    _never_load(monkeypatch)
    rows = workload(seed_graph, merge=True)
    # units that get tasks only through a collective are the graph page's last rows; the store's leaves them out
    accountable = [r for r in rows if not r["collective"] and r["total"]]
    collectives = [r for r in rows if r["collective"]]
    at = open_page("units")
    assert_clean(at)
    first = at.dataframe[0].value
    assert list(first["name"]) == [r["name"] for r in accountable[:50]]
    assert list(first["via collective"]) == [r["via_collective"] for r in accountable[:50]]
    assert any(f"of {len(accountable)}" in c.value for c in at.caption)
    shown = at.dataframe[1].value
    assert list(zip(shown["name"], shown["total"])) == [(r["name"], r["total"]) for r in collectives]
    assert any(r["merged"] for r in collectives)       # 街镇 counted under 各街镇, as on the graph
    assert ["、".join(r["merged"]) for r in collectives] == list(shown["names merged"])
    at.selectbox(key="u_level_one").select("city").run()
    at.text_input(key="u_name").input("局").run()
    assert_clean(at)
    city = [r for r in accountable if r["level"] == "city" and "局" in (r["name"] or "")]
    assert list(at.dataframe[0].value["name"]) == [r["name"] for r in city[:50]] and city
    assert at.tabs        # the first unit's tasks, a tab per role


def test_trace_page_of_a_large_store_finds_by_words_and_traces_from_the_store(app_env, seed_graph, monkeypatch):
    from queries.trace import trace_rows

    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    _never_load(monkeypatch)
    upper = links(seed_graph)[0]["upper"]
    below = {r["task"] for r in trace_rows(seed_graph, upper)[1:] if r["task"]}
    at = open_page("trace", task=upper)
    assert_clean(at)
    assert at.selectbox(key="t_task_one").value == upper
    assert set(at.dataframe[-1].value["task"]) == below
    at.text_input(key="t_words").input(seed_graph.nodes[upper]["text_norm"][:10]).run()
    assert_clean(at)
    assert upper in at.selectbox(key="t_task_one").options[0] or at.selectbox(key="t_task_one").value == upper


def test_cascade_page_of_a_large_store_opens_from_groups_to_a_document(app_env, seed_graph, monkeypatch):
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    _never_load(monkeypatch)
    G = seed_graph
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    tasks_of = lambda doc: {n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc}  # noqa: E731
    at = open_page("cascade")
    assert_clean(at)
    # first: one box per (level, region), with the graph's counts of documents and tasks
    boxes = {n["id"]: n["label"] for n in drawn(at)}
    want = {}
    for n, d in docs.items():
        key = f"{d['level']}|{d['region']}"
        count = want.setdefault(key, [0, 0])
        count[0] += 1
        # (the tasks an analyst counts: not a plan's framing sentences, queries.overview.counted)
        count[1] += sum(1 for t in tasks_of(n) if G.nodes[t].get("clause") != "framing")
    assert set(boxes) == set(want)
    for key, (n_docs, n_tasks) in want.items():
        assert f"{n_docs} document(s) · {n_tasks} task(s)" in boxes[key]
    # a region: its documents and the plans they implement, coloured as the graph mode colours them (the
    # share each took up), opening on a click
    from queries.gaps import coverage
    from queries.view import coverage_per_document

    at.selectbox(key="c_region").select("广州市黄埔区").run()
    assert_clean(at)
    doc = "2022-huangpu"
    parents = {v for _, v, e in G.out_edges(doc, data=True) if e.get("type") == "IMPLEMENTS"}
    nodes = {n["id"]: n for n in drawn(at)}
    assert set(nodes) == {doc} | parents
    shares = coverage_per_document(coverage(G))
    for n in {doc} | parents:
        assert (f"took up {shares[n]:.0%}" in nodes[n]["label"]) if shares.get(n) is not None \
            else "took up" not in nodes[n]["label"]
    assert shares[doc] is not None
    html = at.get("iframe")[0].proto.srcdoc
    kids = json.loads(re.search(r"var kids = (\{.*?\}), open", html, re.S).group(1))
    assert tasks_of(doc) <= {n["id"] for n in kids[doc]["nodes"]} or kids[doc]["more"]
    # a document: its sections, tasks and units, and the upper requirements its tasks derive from
    at.selectbox(key="c_doc").select(doc).run()
    assert_clean(at)
    ids = {n["id"] for n in drawn(at)}
    assert tasks_of(doc) <= ids and parents <= ids
    uppers = {v for u, v, e in G.edges(data=True) if e.get("type") == "DERIVED_FROM" and u in tasks_of(doc)}
    assert uppers and uppers <= ids
    table = at.dataframe[0].value
    assert set(table["task"]) == tasks_of(doc)
    assert any(f"`{doc}` as the store holds it" in c.value for c in at.caption)


def test_cascade_page_of_a_large_store_opens_a_document_named_by_another_page(app_env, seed_graph, monkeypatch):
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    _never_load(monkeypatch)
    task = links(seed_graph)[0]["lower"]
    at = open_page("cascade", q=task)
    assert_clean(at)
    assert at.selectbox(key="c_doc").value == seed_graph.nodes[task]["doc_id"]
    assert task in {n["id"] for n in drawn(at)}


def test_documents_page_of_a_large_store_pages_the_store_and_reports_on_one_region(app_env, seed_graph, monkeypatch):
    from openpyxl import load_workbook

    from queries.overview import documents_table

    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    _never_load(monkeypatch)
    at = open_page("documents")
    assert_clean(at)
    table = at.dataframe[0].value
    whole = documents_table(seed_graph)
    assert list(table["id"]) == [r["id"] for r in whole]
    assert list(table["tasks"]) == [r["tasks"] for r in whole]
    assert "d_report" not in [b.key for b in at.button]       # the whole report needs the whole graph
    assert any("choose one region" in i.value for i in at.info)
    at.multiselect(key="d_level").set_value(["county"]).run()
    assert_clean(at)
    assert list(at.dataframe[0].value["id"]) == [r["id"] for r in whole if r["level"] == "county"]
    # one region: its report, read from the store
    at.multiselect(key="d_level").set_value([]).run()
    at.multiselect(key="d_region").set_value(["广州市黄埔区"]).run()
    at.radio(key="d_fmt").set_value("xlsx").run()
    at.button(key="d_report").click().run()
    assert_clean(at)
    kind, data = at.session_state["d_report_file"]
    wb = load_workbook(io.BytesIO(data))
    assert kind == "xlsx" and "广州市黄埔区" in wb.worksheets[0].oddHeader.center.text
    assert [ws.title for ws in wb.worksheets][-1] == "county"     # the district's ledger only


@pytest.mark.bolt
@pytest.mark.skipif(not __import__("os").environ.get("CASCADE_BOLT_URI"), reason="no Bolt server: CASCADE_BOLT_URI is unset")
def test_overview_reads_a_bolt_server_without_any_local_store(monkeypatch, tmp_path, seed_graph):
    import os

    from graph.push import push
    from queries.overview import label_counts

    uri, user = os.environ["CASCADE_BOLT_URI"], os.environ.get("CASCADE_BOLT_USER", "neo4j")
    password = os.environ.get("CASCADE_BOLT_PASSWORD") or None
    push(seed_graph, uri, user, password, database=os.environ.get("CASCADE_BOLT_DATABASE") or None, wipe=True)
    monkeypatch.setenv("CASCADE_STORE", str(tmp_path / "no-store" / ".cascade"))
    monkeypatch.setenv("CASCADE_DATA", str(tmp_path))
    monkeypatch.setenv("CASCADE_LANG", "en")
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "10")
    at = open_page("overview")
    assert_clean(at)
    shown = {m.label: int(m.value) for m in at.metric}
    counts = label_counts(seed_graph)
    assert (shown["Documents"], shown["Tasks"], shown["Task links"]) == \
        (counts["Document"], counts["Task"], counts["DERIVED_FROM"])


def test_compare_page_of_a_large_store_reads_the_pair_of_the_link_from_the_store(app_env, seed_graph, monkeypatch):
    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")
    _never_load(monkeypatch)
    p = max(document_pairs(seed_graph), key=lambda p: len(links(seed_graph, lower_doc=p["lower"], upper_doc=p["upper"])))
    rows = align(seed_graph, p["lower"], p["upper"])
    at = open_page("compare", upper=p["upper"], lower=p["lower"])
    assert_clean(at)
    assert (at.selectbox(key="c_lower").value, at.selectbox(key="c_upper").value) == (p["lower"], p["upper"])
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown["Linked pairs"] == sum(1 for r in rows if r["upper"] and r["lower"]) > 0
    assert shown["Upper tasks not taken up"] == sum(1 for r in rows if r["upper"] and not r["lower"])
    at.radio(key="c_only").set_value("linked pairs").run()
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert all(r["lower"] in table and r["upper"] in table for r in rows if r["upper"] and r["lower"])
    assert at.dataframe      # the drift of each link


def test_review_page_of_a_large_store_pages_the_links_lowest_score_first_and_saves_as_the_graph_does(
        app_env, seed_graph, monkeypatch):
    from graph.link.evidence import node_text, review_hash
    from graph.reviews import read_reviews

    monkeypatch.setenv("CASCADE_GRAPH_TASKS", "1")
    _never_load(monkeypatch)
    _, data = app_env
    proposed = sorted((r["score"] or 0 for r in links(seed_graph, status=["proposed"])))
    at = open_page("review")
    assert_clean(at)
    assert any(f"of {len(proposed)}" in c.value for c in at.caption)
    page = at.dataframe[0].value
    assert list(page["score"]) == proposed[:len(page)] and len(page) == min(50, len(proposed))
    first = at.markdown[0].value
    assert f"score {proposed[0]}" in first
    at.button(key="r_accept").click().run()
    assert_clean(at)
    (lower, upper), review = next(iter(read_reviews(data / "reviews.yaml").items()))
    assert review["status"] == "confirmed"
    assert review["hash"] == review_hash(node_text(seed_graph, lower), node_text(seed_graph, upper))
    assert at.markdown[0].value != first          # decided: it left the queue
    at.button(key="r_undo").click().run()
    assert_clean(at)
    assert read_reviews(data / "reviews.yaml") == {}


def test_the_overviews_checks_name_a_document_by_its_title(app_env, seed_graph):
    # "2021-taishan-culture #5: …" is the machine's: the page says 《台山市文化广电旅游体育局…》 #5.
    from cascade.report_rows import doc_name

    at = open_page("overview")
    assert_clean(at)
    said = [m for f in at.dataframe for m in f.value.astype(str).to_numpy().ravel() if "units share it" in m]
    assert said and not any(m.startswith("2021-taishan-culture") for m in said)
    assert any(m.startswith(doc_name(seed_graph, "2021-taishan-culture") + " #") for m in said)
