"""The interface's words: one catalogue per language (``zh.py``, ``en.py``), looked up by stable keys.

Chinese is the default; English is chosen with ``CASCADE_LANG=en`` (the CLI also takes ``--lang en``,
the app a switch in its sidebar). Machine keys (``covered``, ``lead``, ``county``, ``plan`` …) stay as
they are in the graph and every export; :func:`term` gives the word a person reads for one of them,
and an unknown key (a status another part of the project adds later) is shown as it is, never an error.

Lower layers (loaders, graph, queries) never import this: they return machine keys and parameters,
and the CLI, the app and the report translate them here.

>>> t("cli.wrote", "zh", out="r.html")
'已写入 r.html'
>>> term("status", "gap", "zh"), term("status", "gap", "en"), term("status", "brand_new", "zh")
('未落实（缺口）', 'gap', 'brand_new')
"""
from __future__ import annotations

import os

from cascade.i18n import en, zh

__all__ = ["LANGS", "CATALOGUES", "normalize_lang", "default_lang", "t", "term", "has", "error_text"]

LANGS = ("zh", "en")
CATALOGUES: dict[str, dict[str, str]] = {"zh": zh.STRINGS, "en": en.STRINGS}
LANG_NAMES = {"zh": "中文", "en": "English"}


def normalize_lang(value: str | None) -> str | None:
    """``zh``/``en`` for what a user may type (``en_US.UTF-8``, ``zh-CN``, ``EN``); None if neither."""
    v = (value or "").strip().lower().replace("_", "-")
    for lang in LANGS:
        if v == lang or v.startswith(lang + "-") or v.startswith(lang + "."):
            return lang
    return None


def default_lang() -> str:
    """``CASCADE_LANG`` when it names a language we have, else Chinese."""
    return normalize_lang(os.environ.get("CASCADE_LANG")) or "zh"


def has(key: str, lang: str | None = None) -> bool:
    return key in CATALOGUES[lang or default_lang()]


def t(key: str, lang: str | None = None, **params) -> str:
    """The text of ``key`` in ``lang`` (default: :func:`default_lang`), ``{name}`` filled from ``params``.
    A key missing from the catalogue shows as the key itself (the catalogue test finds it first)."""
    text = CATALOGUES.get(lang or default_lang(), CATALOGUES["zh"]).get(key)
    if text is None:
        return key
    return text.format(**params) if params else text


def term(group: str, value, lang: str | None = None) -> str:
    """The word for the machine key ``value`` of ``group`` (``status``, ``role``, ``role_unit``, ``level``,
    ``kind``, ``label``, ``link``); ``value`` itself when the catalogue has no word for it."""
    if value is None or value == "":
        return ""
    text = CATALOGUES.get(lang or default_lang(), CATALOGUES["zh"]).get(f"{group}.{value}")
    return str(value) if text is None else text


def error_text(err: BaseException, lang: str | None = None) -> str:
    """One line for a project error in ``lang``. An error raised with a stable ``key`` (and its
    parameters) gets the catalogue's sentence ``err.<key>``; any other gets the word for its kind
    (``err.class.StoreError`` …) before the text the lower layer wrote (which names the file)."""
    key, params = getattr(err, "key", None), getattr(err, "params", None) or {}
    if key and has(f"err.{key}", lang):
        try:
            return t(f"err.{key}", lang, **params)
        except (KeyError, IndexError):
            pass
    for cls in type(err).__mro__:
        if has(f"err.class.{cls.__name__}", lang):
            return t(f"err.class.{cls.__name__}", lang, message=str(err))
    return str(err)
