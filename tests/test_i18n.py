"""The interface speaks Chinese unless English is asked for: both catalogues hold the same keys, every
key the code looks up exists, and under Streamlit's AppTest on the seed cascade at least 90% of every
page's interface strings (titles, headers, captions, labels, metrics, buttons, tabs, messages) hold
Chinese by default, and hold none once the English switch is on."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from cascade import i18n
from cascade.i18n import en, zh

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["overview", "cascade", "trace", "compare", "review", "units", "cypher", "documents"]
CJK = re.compile(r"[\u3400-\u9fff]")
# Interface elements and the field that holds what a person reads there.
_LABELLED = {"multiselect", "selectbox", "text_input", "number_input", "toggle", "radio", "checkbox", "text_area",
             "button", "download_button", "tab", "expander", "page_link", "button_group", "file_uploader", "metric",
             "date_input", "slider", "color_picker", "time_input"}
_VALUED = {"title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error",
           "exception", "toast", "alert"}


def holds_chinese(text: str) -> bool:
    return bool(CJK.search(text or ""))


def open_app(page: str, lang: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def interface_strings(at) -> list[str]:
    """What a person reads on the page, outside tables, charts and the documents' own text."""
    out: list[str] = []

    def walk(node):
        kind = getattr(node, "type", None)
        if kind in _LABELLED:
            label = getattr(node, "label", None)
            if label and label != "语言 · Language":   # the switch names both languages on purpose
                out.append(str(label))
            help_text = getattr(getattr(node, "proto", None), "help", "")
            if help_text:
                out.append(help_text)
        elif kind in _VALUED:
            value = getattr(node, "value", None)
            if isinstance(value, str) and value.strip():
                out.append(value)
        kids = getattr(node, "children", None)
        if isinstance(kids, dict):
            for k in kids.values():
                walk(k)

    walk(at._tree)
    return out


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_catalogues_hold_the_same_keys_with_the_same_parameters():
    assert set(zh.STRINGS) == set(en.STRINGS), set(zh.STRINGS) ^ set(en.STRINGS)
    for key in zh.STRINGS:
        assert zh.STRINGS[key].strip() and en.STRINGS[key].strip(), key
        assert _placeholders(zh.STRINGS[key]) == _placeholders(en.STRINGS[key]), key


def test_chinese_catalogue_is_chinese_and_english_is_english():
    # A Chinese entry made only of a parameter ("{message}") has nothing to translate.
    untranslated = [k for k, v in zh.STRINGS.items() if not holds_chinese(v)
                    and re.sub(r"[\W\d_]", "", re.sub(r"\{\w+\}", "", v))]
    assert untranslated == []
    # English entries quote Chinese only as examples of what to type, or as the analysis writes it.
    assert [k for k, v in en.STRINGS.items() if holds_chinese(v)] == ["search.placeholder", "cascade.search",
                                                                     "cascade.search_placeholder",
                                                                     "cli.opt.report.region",   # a region to type
                                                                     "cli.help.trace",   # a task id to type
                                                                     "reason.interpretation_of"]


def test_every_key_the_code_looks_up_is_in_the_catalogue():
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "cascade").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\btr?\(\s*["']([a-z_]+(?:\.[\w-]+)+)["']""", text))
    assert len(used) > 150
    assert sorted(used - set(zh.STRINGS)) == []


def test_every_machine_key_has_the_office_word():
    from core.records import KINDS, LEVELS, ROLES

    assert [i18n.term("level", lv, "zh") for lv in LEVELS] == ["国务院", "省", "市", "区县", "乡镇", "股室"]
    assert [i18n.term("role_unit", r, "zh") for r in ("lead", "cooperate", "implement")] == \
        ["牵头单位", "配合单位", "责任单位"]
    assert all(i18n.has(f"role.{r}", "zh") and i18n.has(f"role_unit.{r}", "en") for r in ROLES)
    assert all(i18n.has(f"kind.{k}", "zh") for k in KINDS)
    assert i18n.term("kind", "plan", "zh") == "工作要点" and i18n.term("kind", "ledger", "zh") == "台账"
    statuses = {"covered": "已落实", "gap": "未落实（缺口）", "not_applicable": "不适用", "local": "本级新增",
                "not_assessable": "无法判断（缺上级或本级文件）"}
    assert {s: i18n.term("status", s, "zh") for s in statuses} == statuses
    assert [i18n.t(f"field.{f}", "zh") for f in ("doc_no", "issuer", "issued_on", "deadline")] == \
        ["文号", "发文机关", "成文日期", "完成时限"]
    # A status another part of the project adds later is shown under its key, not an error.
    assert i18n.term("status", "under_review", "zh") == "under_review"


def test_language_comes_from_cascade_lang(monkeypatch):
    monkeypatch.delenv("CASCADE_LANG", raising=False)
    assert i18n.default_lang() == "zh"
    for value, lang in (("en", "en"), ("en_US.UTF-8", "en"), ("zh-CN", "zh"), ("fr", "zh")):
        monkeypatch.setenv("CASCADE_LANG", value)
        assert i18n.default_lang() == lang


def test_a_project_error_is_said_in_the_chosen_language(tmp_path):
    from graph.store import load_graph
    from core.errors import CascadeError, LoadError

    with pytest.raises(CascadeError) as err:
        load_graph(tmp_path / "nothing")
    assert i18n.error_text(err.value, "zh").startswith(f"{tmp_path / 'nothing'} 处没有数据库")
    assert i18n.error_text(err.value, "en") == str(err.value)
    assert i18n.error_text(LoadError(tmp_path / "a.txt", "empty file"), "zh") == f"{tmp_path / 'a.txt'}：空文件"
    # A problem the catalogue does not know yet keeps the loader's words and the file name.
    load = LoadError(tmp_path / "a.docx", "not a Word file")
    assert i18n.error_text(load, "zh") == f"{tmp_path / 'a.docx'}: not a Word file"


@pytest.fixture
def app_store(monkeypatch, built, tmp_path):
    import shutil

    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("reviews.yaml", "uploads"))
    monkeypatch.setenv("CASCADE_STORE", str(store))
    monkeypatch.setenv("CASCADE_DATA", str(data))
    monkeypatch.delenv("CASCADE_LANG", raising=False)
    return store


@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_chinese_by_default_and_english_under_the_switch(app_store, page):
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    shown = interface_strings(at)
    assert len(shown) >= 4
    chinese = [s for s in shown if holds_chinese(s)]
    assert len(chinese) / len(shown) >= 0.9, [s for s in shown if not holds_chinese(s)]

    at = open_app(page, "en")
    assert not at.exception, [e.value for e in at.exception]
    shown = interface_strings(at)
    # English strings may quote a document (its id or a unit's name); the interface's own words are English.
    english = [s for s in shown if not holds_chinese(re.sub(r"`[^`]*`|“[^”]*”|\([^)]*\)|（[^）]*）", "", s))]
    assert len(english) / len(shown) >= 0.9, [s for s in shown if s not in english]


def test_the_sidebar_switch_turns_the_app_to_english_and_back(app_store):
    at = open_app("overview")
    assert at.title[0].value == "政策逐级落实追踪"
    switch = at.sidebar.button_group[0] if hasattr(at.sidebar, "button_group") else at.sidebar.radio[0]
    switch.set_value("en").run()
    assert at.title[0].value == "Policy cascade"
    assert {m.label for m in at.metric} >= {"Documents", "Tasks", "Task links"}
    at.switch_page("app_pages/units.py").run()
    assert at.title[0].value == "Units"     # the choice holds across pages


def test_charts_name_statuses_and_levels_in_chinese(app_store):
    import json

    at = open_app("overview")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    text = json.dumps(spec, ensure_ascii=False)
    assert "已落实" in text and "未落实（缺口）" in text and "区县" in text
    assert '"covered"' not in text


# --- the CLI and the reports -------------------------------------------------------------------------

def _cli(*args, cwd, lang=None):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CASCADE_LANG"}
    if lang:
        env["CASCADE_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "cascade.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_cli_speaks_chinese_by_default_and_english_by_option_or_setting(built, tmp_path):
    store = str(built[1])
    r = _cli("report", "--out", "r.xlsx", "--store", store, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "已写入 r.xlsx"
    r = _cli("--lang", "en", "report", "--out", "r.html", "--store", store, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "Wrote r.html"
    # One-line errors, in the language asked for.
    r = _cli("report", "--out", "x.html", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [
        "错误：.cascade 处没有数据库：请先运行 `cascade build 文件目录`。"]
    for args, lang in ((("--lang", "en"), None), ((), "en_US.UTF-8")):
        r = _cli(*args, "report", "--out", "x.html", cwd=tmp_path, lang=lang)
        assert r.stderr.strip().splitlines() == ["Error: no store at .cascade: run 'cascade build PATH' first"]
    r = _cli("cypher", "MATCH (d:Document) DELETE d", "--store", store, cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.strip() == "错误：已拒绝：DELETE 是写入语句，图查询只读。"
    # Help: the commands and their options in Chinese.
    r = _cli("--help", cwd=tmp_path)
    assert "追踪政务公开工作要点" in r.stdout and "向上级报送的落实情况报告" in r.stdout
    assert r.stdout.startswith("用法：cascade") and "选项:" in r.stdout and "显示本帮助并退出" in r.stdout
    r = _cli("report", "--help", cwd=tmp_path)
    assert "默认按文件扩展名判断" in r.stdout
    # The Markdown of `cascade gaps` is for people (Chinese); its CSV and JSON keep the machine keys.
    r = _cli("gaps", "--store", store, cwd=tmp_path)
    assert r.stdout.startswith("# 政务公开工作要点落实情况报告") and "## 未落实（缺口）（" in r.stdout
    r = _cli("gaps", "--format", "csv", "--store", store, cwd=tmp_path)
    assert r.stdout.splitlines()[0].startswith("\ufeffstatus,upper_doc,upper,lower_doc,lower,reason")   # BOM: Excel
    assert "\ncovered," in r.stdout


def test_cli_build_says_what_it_built_in_chinese(tmp_path):
    r = _cli("build", str(ROOT / "data"), "--store", str(tmp_path / ".cascade"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert re.match(r"已生成：8 个文件，\d+ 个部分，\d+ 项任务，\d+ 个单位，\d+ 条承接关系 → ", r.stdout)
    assert "提示：" in r.stderr     # the truncated seed document's warning


def _share_chinese(texts) -> float:
    texts = [x for x in texts if x and str(x).strip()]
    return sum(holds_chinese(str(x)) for x in texts) / len(texts)


def test_reports_interface_is_chinese_by_default_and_english_under_the_switch(seed_graph):
    from html.parser import HTMLParser

    from cascade.report import html_report

    class Interface(HTMLParser):
        """Headings, table headers, captions and chart legends: the report's own words."""

        def __init__(self):
            super().__init__()
            self.stack, self.words = [], []

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop() != tag:
                pass

        def handle_data(self, data):
            if self.stack and self.stack[-1] in ("h1", "h2", "th", "figcaption") and data.strip():
                self.words.append(data.strip())

    for lang, want in (("zh", lambda share: share >= 0.9), ("en", lambda share: share <= 0.1)):
        p = Interface()
        p.feed(html_report(seed_graph, lang))
        assert len(p.words) > 40
        assert want(_share_chinese(p.words)), (lang, [w for w in p.words if holds_chinese(w) != (lang == "zh")])
    page = html_report(seed_graph, "zh")
    assert "@page{size:A4 landscape" in page and "thead{display:table-header-group}" in page
    assert "Noto Sans CJK SC" in page.split("<svg", 1)[1].split(">", 1)[0]   # the charts name a Chinese font


def test_xlsx_headers_and_sheet_names_are_chinese_by_default(seed_graph, monkeypatch):
    import io

    monkeypatch.delenv("CASCADE_LANG")
    from openpyxl import load_workbook

    from cascade.report import xlsx_report

    wb = load_workbook(io.BytesIO(xlsx_report(seed_graph)))
    headers = [c.value for ws in wb.worksheets for c in ws[1]]
    assert _share_chinese(wb.sheetnames + headers) >= 0.9
    assert all(ws.oddHeader.center.text and holds_chinese(ws.oddHeader.center.text) for ws in wb.worksheets)


def test_ontology_labels_are_the_catalogues_words_in_both_languages():
    from rdflib import Namespace
    from rdflib.namespace import SKOS

    from graph.export.rdf import ontology

    onto = ontology()
    base = "https://policy-cascade.example/"
    groups = {"level": "level", "role": "role_unit", "status": "status", "kind": "kind"}
    checked = 0
    for prefix, group in groups.items():
        ns = Namespace(base + prefix + "/")
        for concept in set(onto.subjects(SKOS.notation, None)):
            if not str(concept).startswith(str(ns)):
                continue
            key = str(onto.value(concept, SKOS.notation))
            labels = {(lit.language or "").lower(): str(lit) for lit in onto.objects(concept, SKOS.prefLabel)}
            assert labels.get("en") == i18n.term(group, key, "en"), (prefix, key, labels)
            assert labels.get("zh-hans") == i18n.term(group, key, "zh"), (prefix, key, labels)
            checked += 1
    assert checked >= 5 + 4 + 5 + 5
    # A SPARQL user asking for Chinese labels (langMatches "zh") gets them.
    rows = list(onto.query('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { '
                           '<https://policy-cascade.example/level/county> skos:prefLabel ?l '
                           'FILTER(langMatches(lang(?l), "zh")) }'))
    assert {str(r[0]) for r in rows} >= {"区县"}


def test_exports_keep_their_machine_keys(seed_graph):
    import json

    from graph.export import export

    data = json.loads(export(seed_graph, "json", None))
    text = json.dumps(data, ensure_ascii=False)
    assert '"level": "county"' in text and '"role": "lead"' in text and '"level": "区县"' not in text


def test_search_finds_units_by_pinyin_initials_and_traditional_script(seed_graph):
    from queries.search import find, jump_target, search_index
    from queries.view import upper_documents

    index = search_index(seed_graph)
    names = lambda q: [h["text"] for h in find(seed_graph, q, index=index)]  # noqa: E731
    assert "广州市财政局" in names("szj")                        # s…z…j: the initials of 市财政局, in order
    assert names("sczj")[0] == "广州市财政局" and names("caizheng")[0] == "广州市财政局"
    assert names("財政局")[0] == "广州市财政局"                   # traditional script
    assert names("市财政局")[0] == "广州市财政局"                 # as written in the documents
    assert names("zzzzq") == []
    # A lower task opens the trace of the requirement it derives from; a unit opens the cascade.
    uppers = upper_documents(seed_graph)
    lower = next(n for n, d in seed_graph.nodes(data=True) if d.get("label") == "Task"
                 and d.get("doc_id") == "2022-huangpu" and any(e.get("type") == "DERIVED_FROM"
                                                                for _, _, e in seed_graph.out_edges(n, data=True)))
    kind, target = jump_target(seed_graph, lower, uppers)
    assert kind == "trace" and seed_graph.nodes[target]["doc_id"] in uppers and target != lower
    assert jump_target(seed_graph, "unit:广州市财政局", uppers) == ("cascade", "unit:广州市财政局")


def test_the_search_box_jumps_to_the_trace_and_to_the_cascade(app_store, seed_graph):
    at = open_app("units")
    at.sidebar.text_input(key="qs_text").input("財政局").run()
    hits = [b for b in at.sidebar.button if b.key and b.key.startswith("qs_hit_")]
    assert hits and "广州市财政局" in hits[0].label and "分解图" in hits[0].label
    hits[0].click().run()
    assert at.title[0].value == "逐级分解图" and at.text_input(key="search").value == "unit:广州市财政局"
    # A task of the city plan: its trace opens on that requirement.
    at.sidebar.text_input(key="qs_text").input("做好财政信息公开").run()
    task_hit = next(b for b in at.sidebar.button if b.key and b.key.startswith("qs_hit_") and "任务" in b.label)
    assert "追踪" in task_hit.label
    task_hit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "落实追踪"
    chosen = at.selectbox(key="t_task").value
    assert "财政" in (seed_graph.nodes[chosen].get("text_norm") or "") or \
        any("财政" in (seed_graph.nodes[v].get("text_norm") or "") for v, _, e in seed_graph.in_edges(chosen, data=True)
            if e.get("type") == "DERIVED_FROM")


def test_every_explanation_the_analyses_give_on_the_seed_is_said_in_chinese(seed_graph):
    """The analyses explain a status in English clauses; each one they write on the seed cascade has a
    pattern and a Chinese sentence (a new wording shows here first)."""
    from queries.checks import check
    from queries.gaps import coverage, dropped_chains, leadless_tasks

    assert all(i18n.has(f"reason.{k}", lang) for k, _ in i18n.REASONS for lang in i18n.LANGS)
    assert all(i18n.has(f"problem.{k}", lang) for k, _ in i18n.PROBLEMS for lang in i18n.LANGS)
    rows = coverage(seed_graph)
    texts = [r["reason"] for r in rows] + [r["reason"] for r in dropped_chains(seed_graph, rows)] + \
        [r["reason"] for r in leadless_tasks(seed_graph)] + [i.message for i in check(seed_graph, rows)]
    assert len(texts) > 150
    untranslated = {c for x in texts for c in i18n.reason_text(x, "zh").split("；") if not holds_chinese(c)}
    assert untranslated == set()
    assert i18n.reason_text(texts[0], "en") == texts[0]


def test_no_english_word_is_left_in_a_chinese_explanation(seed_graph):
    """A clause that holds Chinese may still hold English: the tiers a requirement's text addresses were
    shown as machine keys (…（national/department, province/government）办理，不涉及…（city/government）), and a
    local addition's "X is not Y's own parent plan, …, which is not loaded" had no pattern at all. Once the
    document and task ids are taken out, a Chinese explanation holds no English word."""
    from queries.gaps import coverage, local_additions

    rows = coverage(seed_graph) + local_additions(seed_graph)
    ids = sorted((str(n) for n in seed_graph.nodes), key=len, reverse=True)
    left = set()
    for r in rows:
        for clause in i18n.reason_text(r["reason"], "zh").split("；"):
            bare = clause
            for node in ids:
                bare = bare.replace(node, "")
            if re.search(r"[a-z]{3,}", bare):
                left.add(clause)
    assert left == set()
    said = i18n.reason_text("addressed to 基层政府 (county/government, town/government) by its text, not to "
                            "某市人民政府办公室 (city/government)", "zh")
    assert said == "文中只要求基层政府（县级政府、乡镇政府）办理，不涉及某市人民政府办公室（市级政府）"


def test_how_a_link_was_found_is_said_in_words():
    """The Review page's head and the Cascade page's link tables showed ``lexical+structure+order`` in Chinese."""
    assert i18n.method_text("lexical+structure+order+objects+section", "zh") == \
        "文字相似 + 结构位置 + 条目顺序 + 事项对象 + 承接到部分"
    assert i18n.method_text("lexical+fields", "en") == "text + table fields"
    assert i18n.method_text("manual", "zh") == "manual"   # a method the catalogue does not know: as it is


def test_the_review_page_names_the_method_in_chinese(app_store):
    at = open_app("review")
    head = at.markdown[0].value
    assert "方法 " in head and not re.search(r"lexical|structure|objects", head), head


def test_a_file_the_loaders_refuse_is_named_with_its_problem_in_chinese(tmp_path):
    data = tmp_path / "docs"
    data.mkdir()
    shutil_copy = __import__("shutil").copy
    shutil_copy(ROOT / "data" / "2022_guangzhou_city_plan.txt", data)
    (data / "empty.txt").write_text("", encoding="utf-8")
    (data / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    r = _cli("build", str(data), "--store", str(tmp_path / ".cascade"), cwd=tmp_path)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2
    assert f"已跳过：{data / 'empty.txt'}：空文件" in lines
    assert any(line.startswith(f"已跳过：{data / 'old.doc'}：") and holds_chinese(line[8 + len(str(data)):])
               for line in lines), lines
    assert "跳过 2 个文件" in lines


def test_a_status_the_analysis_adds_later_is_shown_by_its_word_or_its_key(seed_graph):
    """queries.gaps may give not_assessable (being added) or a status not known yet: the ledger and the
    Markdown show the catalogue's word, or the key itself, and nothing fails."""
    from cascade.report_markdown import gaps_markdown
    from cascade.report_rows import ledger_rows
    from queries.gaps import coverage

    rows = [dict(r) for r in coverage(seed_graph)]
    rows = [r for r in rows if r["status"] != "not_assessable"]
    judged = [r for r in rows if r["status"] in ("covered", "not_applicable")]
    judged[0]["status"], judged[1]["status"] = "not_assessable", "brand_new"
    shown = [r["status"] for level in ledger_rows(seed_graph, rows, "zh").values() for r in level]
    assert "无法判断（缺上级或本级文件）" in shown and "brand_new" in shown
    md = gaps_markdown(rows, seed_graph, "zh")
    assert "## 无法判断（缺上级或本级文件）（1）" in md and "## brand_new（1）" in md


def test_a_reason_names_its_documents_as_given_and_keeps_task_ids():
    names = {"gz-interp": "《〈广州市分工方案〉的解读》", "nat": "国务院办公厅《2021年政务公开工作要点》"}
    said = i18n.reason_text("intermediate plan not held (广东省方案): gz-interp owes what its own province-level plan "
                       "gives it, and nat is not that plan", "zh", names)
    assert said == "缺少中间层方案（广东省方案）：《〈广州市分工方案〉的解读》 应落实其省级方案的分工，而 国务院办公厅《2021年政务公开工作要点》 不是该方案"
    assert i18n.reason_text("nat/一/1 not taken up by gz-interp: names no unit: addresses every lower government", "zh",
                       names).startswith("nat/一/1 ")    # a task's id is the task's, not its document's
    assert i18n.reason_text("no task of nat derives from it", "en", names) == "no task of 国务院办公厅《2021年政务公开工作要点》 derives from it"
