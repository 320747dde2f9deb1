"""The Streamlit app: explore the cascade built by `cascade build`.

Navigation is ``st.navigation`` over the scripts in ``pages/`` (so the order, titles and icons are
ours, not the file names'). Every page reads the store through ``pages/_common.py`` and calls
``queries/`` for what it shows; none computes anything itself.

Run it with ``./scripts/app`` or ``streamlit run app.py``; ``CASCADE_STORE`` and ``CASCADE_DATA``
choose the store and the documents folder.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:   # pages/_common.py is imported as a module by every page
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Policy cascade", page_icon="🏛", layout="wide")

PAGES = [
    st.Page(ROOT / "pages" / "overview.py", title="Overview", icon="📊", default=True),
    st.Page(ROOT / "pages" / "cascade.py", title="Cascade", icon="🕸"),
    st.Page(ROOT / "pages" / "trace.py", title="Trace", icon="🧭"),
    st.Page(ROOT / "pages" / "compare.py", title="Compare", icon="⚖"),
    st.Page(ROOT / "pages" / "review.py", title="Review", icon="✅"),
    st.Page(ROOT / "pages" / "units.py", title="Units", icon="🏢"),
    st.Page(ROOT / "pages" / "cypher.py", title="Cypher", icon="⌨"),
    st.Page(ROOT / "pages" / "documents.py", title="Documents", icon="📄"),
]

st.navigation(PAGES).run()
