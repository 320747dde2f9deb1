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
    untranslated = [k for k, v in zh.STRINGS.items() if not holds_chinese(v) and re.sub(r"\{\w+\}", "", v).strip()
                    and not k.startswith("err.class.")]
    assert untranslated == []
    # English entries quote Chinese only as examples of what to type.
    assert [k for k, v in en.STRINGS.items() if holds_chinese(v)] == ["search.placeholder", "cascade.search",
                                                                     "cascade.search_placeholder"]


def test_every_key_the_code_looks_up_is_in_the_catalogue():
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "cascade").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\btr?\(\s*["']([a-z_]+(?:\.[\w-]+)+)["']""", text))
    assert len(used) > 150
    assert sorted(used - set(zh.STRINGS)) == []


def test_every_machine_key_has_the_office_word():
    from loaders.records import KINDS, LEVELS, ROLES

    assert [i18n.term("level", lv, "zh") for lv in LEVELS] == ["国务院", "省", "市", "区县", "股室"]
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
    from cascade.errors import CascadeError, LoadError

    with pytest.raises(CascadeError) as err:
        load_graph(tmp_path / "nothing")
    assert i18n.error_text(err.value, "zh").startswith(f"{tmp_path / 'nothing'} 处没有数据库")
    assert i18n.error_text(err.value, "en") == str(err.value)
    load = LoadError(tmp_path / "a.docx", "not a Word file")
    assert i18n.error_text(load, "zh") == f"文件无法读取：{tmp_path / 'a.docx'}: not a Word file"


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
