"""Document text is data: it never runs as code in the graph view, the report or the CLI's output; the
Cypher console only reads; uploads stay inside data/; ``cascade push`` never shows the password.

The hostile document is a real plan (it parses into sections, tasks and units) whose text carries
``<script>``, ``<img onerror>``, ``<svg onload>``, ``javascript:`` and quote-breaking payloads. Each
payload, if it ever ran, would set ``<html id="pwned-…">``, which the browser test looks for.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import CascadeError, QueryError, ReadOnlyError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASCADE = [sys.executable, "-m", "cascade.cli"]


def _mark(tag: str) -> str:
    # No "." in a payload: the structure parser ends a heading's title at the first full stop.
    return f"document['documentElement']['id']='pwned-{tag}'"


PAYLOADS = {
    "script": f"<script>{_mark('script')}</script>",
    "img": f'<img src=x onerror="{_mark("img")}">',
    "svg": f"<svg onload={_mark('svg')}>",
    "breakout": f"</script><script>{_mark('breakout')}</script>",
    "attr": f'"><img src=x onerror={_mark("attr")}>',
    "quote": f"'><img src=x onerror={_mark('quote')}>",
    "js_link": "<a href=\"javascript:alert('pwned-js')\">点此</a>",
    "style": "<style>body{background:url(javascript:alert(1))}</style>",
}
# What must never appear verbatim in a page: the payloads' active fragments.
ACTIVE = [re.compile(p, re.I) for p in (r"<script>document", r"<img src=x onerror", r"<svg onload",
                                        r"href=\"javascript:", r"<style>body\{background")]

HOSTILE_TEXT = f"""关于印发黄埔区2022年政务公开工作要点的通知
一、{PAYLOADS['img']}总体要求
（一）{PAYLOADS['svg']}加强政策公开。
1.做好{PAYLOADS['script']}政策解读工作，区政务公开办牵头。
2.推进{PAYLOADS['js_link']}平台建设，区政务服务数据管理局负责，各街镇配合。
3.=HYPERLINK("http://evil.example","点击")做好预算公开，区财政局负责。
4.做好{PAYLOADS['breakout']}公开工作\x1b[31m\x1b]0;pwned\x07，区{PAYLOADS['attr']}局负责。
（二）{PAYLOADS['quote']}推进公开{PAYLOADS['style']}。
5.@SUM(1+1)*cmd|' /C calc'!A0 做好公开，区司法局{PAYLOADS['img']}负责。
"""
HOSTILE_MANIFEST = f"""documents:
  - file: hostile.txt
    id: hostile-plan
    level: county
    region: 广州市黄埔区
    year: 2022
    issuer: "黄埔区{PAYLOADS['img'].replace('"', '')}政府"
    title: "2022年{PAYLOADS['script']}要点"
  - file: lower.txt
    id: hostile-lower
    level: department
    region: 广州市黄埔区
    year: 2022
    issuer: 广州市黄埔区财政局
    parents: [hostile-plan]
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store built from the hostile plan beside a real document: (graph, store, folder)."""
    from cascade.pipeline import build

    base = tmp_path_factory.mktemp("hostile")
    docs = base / "docs"
    docs.mkdir()
    (docs / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (docs / "manifest.yaml").write_text(HOSTILE_MANIFEST, encoding="utf-8")
    # a lower level restating the hostile plan: links whose evidence is hostile text, and a plan to trace
    (docs / "lower.txt").write_text(HOSTILE_TEXT.replace("黄埔区", "黄埔区财政局"), encoding="utf-8")
    shutil.copy(DATA / "2022_guangzhou_city_plan.txt", docs)
    store = base / ".cascade"
    result = build([docs], store=store)
    return result.graph, store, base


def test_hostile_plan_really_carries_its_payloads_into_the_graph(hostile):
    """Without this the escaping tests below could pass on an empty graph."""
    G = hostile[0]
    texts = " ".join(str(d.get("text") or d.get("title") or "") for _, d in G.nodes(data=True))
    for name in ("script", "img", "breakout", "js_link"):
        assert PAYLOADS[name] in texts, name
    tasks = [n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == "hostile-plan"]
    assert len(tasks) >= 5


def _assert_inert(page: str):
    for pattern in ACTIVE:
        assert not pattern.search(page), pattern.pattern
    # escaped for HTML, then (in the view's data) for JSON
    assert "&lt;script&gt;" in page or "\\u0026lt;script\\u0026gt;" in page


def test_graph_view_escapes_labels_and_tooltips(hostile):
    from cascade.graphview import render_html

    page, _ = render_html(hostile[0])
    # vis.js itself is inlined in a <script>: only the data part must be free of payloads
    data = page[page.find("new vis.DataSet"):]
    _assert_inert(data)
    assert "pwned" in data  # the text is there, as text


def test_report_html_escapes_document_text(hostile, tmp_path):
    report = pytest.importorskip("cascade.report")
    out = tmp_path / "report.html"
    report.write_report(hostile[0], out, "html")
    page = out.read_text(encoding="utf-8")
    _assert_inert(page)
    assert "<script" not in page.lower().replace("&lt;script", "")


def test_report_xlsx_turns_no_document_text_into_a_formula(hostile, tmp_path):
    report = pytest.importorskip("cascade.report")
    import openpyxl

    out = tmp_path / "report.xlsx"
    report.write_report(hostile[0], out, "xlsx")
    wb = openpyxl.load_workbook(out)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any("HYPERLINK" in t for t in texts)  # kept, as text


@pytest.mark.skipif(not shutil.which("chromium"), reason="no chromium on this machine")
def test_no_payload_runs_in_a_real_browser(hostile, tmp_path):
    """The pages are loaded by headless Chromium; a payload that ran would mark <html id="pwned-…">."""
    from cascade.graphview import render_html

    pages = {"view.html": render_html(hostile[0])[0]}
    try:
        from cascade.report import html_report

        pages["report.html"] = html_report(hostile[0])
    except ImportError:
        pass
    for name, page in pages.items():
        path = tmp_path / name
        path.write_text(page, encoding="utf-8")
        dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=4000",
                              "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120).stdout
        assert "</html>" in dom, name  # the page loaded
        html_tag = re.search(r"<html[^>]*>", dom).group(0)
        assert "pwned" not in html_tag, (name, html_tag)


def test_cli_table_output_carries_no_terminal_control_codes(hostile):
    _, store, base = hostile
    r = subprocess.run([*CASCADE, "cypher", "MATCH (t:Task) WHERE t.doc_id = 'hostile-plan' RETURN t.text",
                        "--store", str(store)], capture_output=True, text=True, timeout=120, cwd=base)
    assert r.returncode == 0, r.stderr
    assert "做好" in r.stdout and "(5 rows)" in r.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.stdout), repr(r.stdout)


# --- the Cypher console only reads -------------------------------------------------------------------

REFUSED = [
    "MATCH (t:Task) DETACH DELETE t",
    "match (t:Task) delete t",
    "MATCH (u:Unit) SET u.name = 'x'",
    "MATCH (u:Unit) REMOVE u.name",
    "CREATE (u:Unit {id: 'x'})",
    "MERGE (u:Unit {id: 'x'})",
    "UNWIND [1] AS x MERGE (u:Unit {id: 'y'})",
    "MATCH (n) RETURN n LIMIT 1 UNION MATCH (m:Unit) SET m.name = 'x' RETURN m",
    "MATCH (t:Task) RETURN t.id LIMIT 1; MATCH (t:Task) DETACH DELETE t",
    "MATCH (t:Task) RETURN t.id LIMIT 1 ;\nCREATE (u:Unit {id: 'z'})",
    "MATCH (t:Task) WHERE t.id = '//' DETACH DELETE t",
    "MATCH (t:Task) WHERE t.id = \"/*\" DELETE t // */",
    "RETURN 1 // a comment\nCREATE (u:Unit {id: 'y'})",
    "/* CREATE */ MATCH (u:Unit) /* x */ DELETE u",
    "MATCH (t:Task) WHERE t.id = 'it''s' DELETE t",
    "MATCH (t:Task) DE/**/LETE t",
    "ｃｒｅａｔｅ (u:Unit {id: 'x'})",
    "CRE\u200bATE (u:Unit {id: 'x'})",
    "MATCH (u:Unit)\u00a0DETACH\u00a0DELETE u",
    "DROP TABLE Unit",
    "ALTER TABLE Unit ADD extra INT64",
    "COPY Unit TO '{tmp}/units.csv'",
    "COPY Unit FROM '{tmp}/units.csv'",
    "EXPORT DATABASE '{tmp}/dump'",
    "IMPORT DATABASE '{tmp}/dump'",
    "LOAD FROM '{tmp}/secret.csv' RETURN *",
    "LOAD WITH HEADERS (a STRING) FROM '{tmp}/secret.csv' RETURN *",
    "INSTALL json",
    "LOAD EXTENSION json",
    "LOAD json",
    "ATTACH '{tmp}/other' AS o (dbtype lbug)",
    "BEGIN TRANSACTION",
    "CHECKPOINT",
    "CREATE MACRO pwn(x) AS x + 1",
    "CALL threads=1",
    "CALL `threads`=1",
    "CALL/**/threads=1",
    "call Threads = 1",
    "CALL clear_warnings()",
    "CALL create_fts_index('Task', 'idx', ['text'])",
    "CALL project_graph('g', ['Task'], ['CONTAINS'])",
    "CALL read_csv('{tmp}/secret.csv') RETURN *",
    "RETURN 1; CALL threads=2",
    "CALL(threads)",
]
ALLOWED = [
    ("MATCH (t:Task) WHERE t.text CONTAINS 'DELETE' OR t.text CONTAINS 'CREATE' RETURN count(t)", 1),
    ("MATCH (t:Task) RETURN t.text AS `CREATE`, t.id AS `CALL` LIMIT 3", 3),
    ("MATCH (t:Task) WHERE t.id <> 'CALL threads=1' RETURN count(*)", 1),
    ("CALL show_tables() RETURN *", 5),
    ("CALL `table_info`('Task') RETURN *", 5),
    ("RETURN 4/2 AS half // the slash is division", 1),
    # the engine reads \' as a quote inside the string, as the check does: DELETE is text here
    ("MATCH (t:Task) WHERE t.id = 'x\\' DELETE t //' RETURN t", 0),
]


def _counts(store) -> dict:
    from graph.store import load_graph
    from queries.cypher import run_cypher

    G = load_graph(store)
    rows = run_cypher(store, "MATCH (n) RETURN count(n)")[1]
    return {"graph": (G.number_of_nodes(), G.number_of_edges()), "db": rows[0][0],
            "names": sorted(d.get("name") or "" for _, d in G.nodes(data=True) if d.get("label") == "Unit")}


@pytest.fixture
def cypher_store(store_copy, tmp_path):
    (tmp_path / "secret.csv").write_text("a\nsecret-line\n", encoding="utf-8")
    return store_copy, _counts(store_copy)


@pytest.mark.parametrize("query", REFUSED)
def test_cypher_console_refuses_writes_and_state_changing_calls(cypher_store, tmp_path, query):
    from queries.cypher import run_cypher

    store, before = cypher_store
    q = query.replace("{tmp}", str(tmp_path))
    with pytest.raises(QueryError):
        run_cypher(store, q)
    assert _counts(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cascade", "secret.csv"]  # no file written


@pytest.mark.parametrize("query,min_rows", ALLOWED)
def test_cypher_console_still_answers_read_queries(built, query, min_rows):
    from queries.cypher import run_cypher

    columns, rows = run_cypher(built[1], query)
    assert len(rows) >= min_rows and columns


def test_engine_is_read_only_even_past_the_lexical_check(store_copy):
    """The second guard: the database is opened read-only, so a write the check missed still fails."""
    from graph.store import open_database

    db, conn = open_database(store_copy)
    try:
        with pytest.raises(RuntimeError, match="read-only"):
            conn.execute("MATCH (t:Task) WHERE t.id = '//' DETACH DELETE t")
    finally:
        conn.close()
        db.close()


def test_cli_cypher_refusal_is_one_line(store_copy, tmp_path):
    r = subprocess.run([*CASCADE, "cypher", "CALL `threads`=1", "--store", str(store_copy)],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["Error: refused: CALL threads is not a read-only procedure"]


# --- uploads stay inside data/ ------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../../etc/passwd.txt", "..\\..\\windows\\evil.docx", "/etc/cron.d/job.txt", "C:\\Users\\x\\plan.pdf",
    "..／..／fullwidth.txt", "a/../../b.html", "..", ".", ".hidden.txt", "plan.txt\x00.sh", "%2e%2e%2fenc.txt",
    "plan\u202egnp.txt", "  ../ spaced .txt", "~/.bashrc.txt", "x" * 500 + ".txt", "manifest.yaml",
    "reviews.yaml", "run.sh", "con.txt", "\u2024\u2024/dotleader.txt",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_upload_names_never_land_outside_data(tmp_path, name):
    uploads = pytest.importorskip("cascade.uploads")
    data = tmp_path / "data"
    data.mkdir()
    try:
        target = uploads.save_upload(name, "一、总体要求\n1.做好公开。\n".encode(), data)
    except CascadeError as err:
        assert "\n" not in str(err)
        target = None
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    if target is None:
        assert written == []
    else:
        assert written == [target]
        assert target.resolve().parent == (data / uploads.UPLOAD_DIR).resolve()
        assert not target.name.startswith(".") and "/" not in target.name and "\\" not in target.name
        assert len(target.name) <= 130


def test_upload_through_a_planted_symlink_is_refused(tmp_path):
    uploads = pytest.importorskip("cascade.uploads")
    data, outside = tmp_path / "data", tmp_path / "outside"
    (data / uploads.UPLOAD_DIR).mkdir(parents=True)
    outside.mkdir()
    (data / uploads.UPLOAD_DIR / "plan.txt").symlink_to(outside / "plan.txt")
    with pytest.raises(CascadeError):
        uploads.save_upload("plan.txt", b"1.x", data, overwrite=True)
    assert list(outside.iterdir()) == []
    shutil.rmtree(data / uploads.UPLOAD_DIR)
    (data / uploads.UPLOAD_DIR).symlink_to(outside, target_is_directory=True)
    with pytest.raises(CascadeError):
        uploads.save_upload("plan2.txt", b"1.x", data)
    assert list(outside.iterdir()) == []


def test_upload_over_the_size_limit_is_refused_before_writing(tmp_path):
    uploads = pytest.importorskip("cascade.uploads")
    with pytest.raises(CascadeError, match="limit"):
        uploads.save_upload("big.txt", b"x" * (2 * 1024 * 1024), tmp_path, max_mb=1)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --- cascade push never shows the password -------------------------------------------------------------

SECRET = "S3cr3t-Pa55-7c1f"


def test_push_error_and_logs_never_contain_the_password(seed_graph, caplog, capsys):
    push_module = pytest.importorskip("graph.push")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CascadeError) as info:
        push_module.push(seed_graph, "bolt://127.0.0.1:9", "neo4j", SECRET)
    out = capsys.readouterr()
    assert SECRET not in str(info.value)
    assert SECRET not in caplog.text and SECRET not in out.out + out.err
    assert caplog.records or str(info.value)  # something was said, just not the secret


@pytest.mark.parametrize("debug", [False, True])
def test_cli_push_never_prints_the_password(built, tmp_path, debug):
    pytest.importorskip("graph.push")
    args = [*CASCADE, *(["--debug"] if debug else []), "push", "--uri", "bolt://127.0.0.1:9", "--user", "neo4j",
            "--password", SECRET, "--store", str(built[1])]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 1
    assert SECRET not in r.stdout + r.stderr
    r = subprocess.run([*args[:-4], "--store", str(built[1])], capture_output=True, text=True, timeout=120,
                       cwd=tmp_path, env={**__import__("os").environ, "CASCADE_NEO4J_PASSWORD": SECRET})
    assert r.returncode == 1 and SECRET not in r.stdout + r.stderr


# --- app pages ----------------------------------------------------------------------------------------------

def _page_markup(at) -> list[tuple[str, str, bool]]:
    """(element type, markup, rendered as HTML?) of what a page shows that could carry document text."""
    out = []
    for kind in ("html", "markdown", "caption", "iframe", "text", "code", "error", "warning", "info"):
        try:
            elements = at.get(kind)
        except Exception:  # noqa: BLE001 - a kind this Streamlit's AppTest does not know
            continue
        for e in elements:
            p = e.proto
            body = getattr(p, "body", None) or getattr(p, "srcdoc", None) or ""
            if isinstance(body, str) and body:
                as_html = kind in ("html", "iframe") or bool(getattr(p, "allow_html", False))
                out.append((kind, body, as_html))
    return out


@pytest.mark.parametrize("page,query", [("overview", {}), ("cascade", {"q": "做好"}), ("trace", {"task": "hostile-plan/一/(一)/1"}),
                                        ("trace", {"task": "hostile-plan/一/(一)/4"}), ("documents", {}), ("units", {}),
                                        ("compare", {}), ("review", {})])
def test_app_pages_show_hostile_text_only_as_text(hostile, monkeypatch, page, query):
    pytest.importorskip("streamlit.testing.v1")
    from streamlit.testing.v1 import AppTest

    _, store, base = hostile
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(base / "docs"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = _page_markup(at)
    for kind, body, as_html in shown:
        if as_html:
            for pattern in ACTIVE:
                assert not pattern.search(body), (kind, pattern.pattern)
    if query:  # the page is on the hostile task: its text is there, as text
        assert any("pwned" in body for _, body, _ in shown), [k for k, _, _ in shown]


@pytest.mark.parametrize("query", ["MATCH (t:Task) DETACH DELETE t", "CALL `threads`=1",
                                   "MATCH (t:Task) WHERE t.id = '//' DETACH DELETE t"])
def test_app_cypher_console_refuses_writes(store_copy, monkeypatch, query):
    pytest.importorskip("streamlit.testing.v1")
    from streamlit.testing.v1 import AppTest

    before = _counts(store_copy)
    monkeypatch.setenv("CASCADE_STORE", str(store_copy))
    monkeypatch.setenv("CASCADE_DATA", str(DATA))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/cypher.py").run()
    at.text_area(key="q_text").set_value(query).run()
    at.button(key="q_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error if "refused" in e.value], [e.value for e in at.error]
    assert _counts(store_copy) == before
