"""The Streamlit app: explore the cascade built by `cascade build`.

Navigation is ``st.navigation`` over the scripts in ``app_pages/`` (so the order, titles and icons
are ours, not the file names'). The folder is deliberately not called ``pages/``: a ``pages/`` folder
beside the main script switches Streamlit to its older file-name navigation, which would list every
script there (helpers included) and ignore ``st.navigation``. Every page reads the store through
``app_pages/common.py`` and calls ``queries/`` for what it shows; none computes anything itself.

The interface is Chinese unless ``CASCADE_LANG=en``, ``?lang=en`` or the sidebar switch says English;
the words come from ``cascade/i18n`` (one catalogue per language).

Run it with ``./scripts/app`` or ``streamlit run app.py``; ``CASCADE_STORE`` and ``CASCADE_DATA``
choose the store and the documents folder.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:   # app_pages/common.py is imported by every page
    sys.path.insert(0, str(ROOT))

from app_pages.common import language_switch, quick_search, tr  # noqa: E402  (needs ROOT on sys.path)

st.set_page_config(page_title=tr("app.title"), page_icon=":material/account_tree:", layout="wide")
language_switch()

# Fixed URL paths: the titles change with the language, the links (trace?task=…) must not.
PAGES = [
    st.Page(ROOT / "app_pages" / "overview.py", title=tr("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page(ROOT / "app_pages" / "cascade.py", title=tr("nav.cascade"), icon=":material/account_tree:",
            url_path="cascade"),
    st.Page(ROOT / "app_pages" / "worklist.py", title=tr("nav.worklist"), icon=":material/checklist:",
            url_path="worklist"),
    st.Page(ROOT / "app_pages" / "trace.py", title=tr("nav.trace"), icon=":material/timeline:", url_path="trace"),
    st.Page(ROOT / "app_pages" / "compare.py", title=tr("nav.compare"), icon=":material/compare:",
            url_path="compare"),
    st.Page(ROOT / "app_pages" / "review.py", title=tr("nav.review"), icon=":material/fact_check:",
            url_path="review"),
    st.Page(ROOT / "app_pages" / "units.py", title=tr("nav.units"), icon=":material/apartment:", url_path="units"),
    st.Page(ROOT / "app_pages" / "cypher.py", title=tr("nav.cypher"), icon=":material/terminal:", url_path="cypher"),
    st.Page(ROOT / "app_pages" / "documents.py", title=tr("nav.documents"), icon=":material/description:",
            url_path="documents"),
]

page = st.navigation(PAGES)
quick_search()
page.run()
