"""The Streamlit app: explore the cascade built by `cascade build`.

Navigation is ``st.navigation`` over the scripts in ``app_pages/`` (so the order, titles and icons
are ours, not the file names'). The folder is deliberately not called ``pages/``: a ``pages/`` folder
beside the main script switches Streamlit to its older file-name navigation, which would list every
script there (helpers included) and ignore ``st.navigation``. Every page reads the store through
``app_pages/common.py`` and calls ``queries/`` for what it shows; none computes anything itself.

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

st.set_page_config(page_title="Policy cascade", page_icon=":material/account_tree:", layout="wide")

PAGES = [
    st.Page(ROOT / "app_pages" / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(ROOT / "app_pages" / "cascade.py", title="Cascade", icon=":material/account_tree:"),
    st.Page(ROOT / "app_pages" / "trace.py", title="Trace", icon=":material/timeline:"),
    st.Page(ROOT / "app_pages" / "compare.py", title="Compare", icon=":material/compare:"),
    st.Page(ROOT / "app_pages" / "review.py", title="Review", icon=":material/fact_check:"),
    st.Page(ROOT / "app_pages" / "units.py", title="Units", icon=":material/apartment:"),
    st.Page(ROOT / "app_pages" / "cypher.py", title="Cypher", icon=":material/terminal:"),
    st.Page(ROOT / "app_pages" / "documents.py", title="Documents", icon=":material/description:"),
]

st.navigation(PAGES).run()
