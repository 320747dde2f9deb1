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
import re

from cascade.i18n import en, zh

__all__ = ["LANGS", "CATALOGUES", "normalize_lang", "default_lang", "t", "term", "has", "error_text", "reason_text", "problem_text", "method_text"]

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


def method_text(method: str | None, lang: str | None = None) -> str:
    """How a link was found (``lexical+structure+order+objects+section``, graph/link), part by part.

    >>> method_text("lexical+structure+section", "zh")
    '文字相似 + 结构位置 + 承接到部分'
    """
    if not method:
        return ""
    return " + ".join(term("method", part, lang) for part in str(method).split("+"))


def error_text(err: BaseException, lang: str | None = None) -> str:
    """One line for a project error in ``lang``. An error raised with a stable ``key`` (and its
    parameters) gets the catalogue's sentence ``err.<key>``; any other gets the word for its kind
    (``err.class.StoreError`` …) before the text the lower layer wrote (which names the file)."""
    key, params = getattr(err, "key", None), getattr(err, "params", None) or {}
    # A list parameter holds loaders' lines (<file>: <problem>): each said in the user's language.
    params = {k: ("；" if (lang or default_lang()) == "zh" else "; ").join(problem_text(x, lang) for x in v)
              if isinstance(v, list) else v for k, v in params.items()}
    if key and has(f"err.{key}", lang):
        try:
            return t(f"err.{key}", lang, **params)
        except (KeyError, IndexError):
            pass
    message = problem_text(str(err), lang)
    for cls in type(err).__mro__:
        if has(f"err.class.{cls.__name__}", lang):
            return t(f"err.class.{cls.__name__}", lang, message=message)
    return message


# The analyses (queries/gaps.py, queries/checks.py) explain a status in English clauses joined by "; ".
# Until they give keys and parameters, each clause they write is matched here and said in the
# catalogue's words (``reason.<name>``, the named groups as parameters); a clause no pattern knows is
# shown as written, so a new wording is never lost, only left untranslated.
_DOC = r"(?P<doc>[^\s;]+)"
REASONS: tuple[tuple[str, re.Pattern], ...] = tuple((key, re.compile(rf"^{pattern}$")) for key, pattern in (
    ("national_only", r"addressed to (?P<subject>.+) \(national level\) only, by its text"),
    ("addressed_tier", r"addressed to (?P<who>.*) \((?P<tiers>[^)]*)\) by its text, not to (?P<lower>.+) \((?P<tier>[^)]+)\)"),
    ("addressees", r"addressed to (?P<who>.+), which includes (?P<lower>.+)"),
    ("assigned_unknown", r"assigned to (?P<units>.+), whose members are not known to include (?P<lower>\S+) "
                         r"\(its issuer is not known\)"),
    ("issuer_unknown", rf"the issuer of {_DOC} is not known, so whether it owes this cannot be told"),
    ("waits_issuer", rf"the issuer of {_DOC} \(manifest\)"),
    ("assigned_below", rf"assigned to (?P<unit>.+), the governments below (?P<upper>\S+): it reaches {_DOC} "
                       r"through the plan between"),
    ("owed_directly", r"its addressee by name: owed directly, no plan between being held"),
    ("assigned_covers", r"assigned to (?P<unit>.+), which covers (?P<lower>.+)"),
    ("assigned_only", r"assigned only to (?P<units>.+), not to (?P<lower>.+) nor a collective covering it"),
    ("assigned", r"assigned to (?P<unit>.+)"),
    ("no_unit", r"names no unit: addresses every lower government"),
    ("derives_sole_section", rf"{_DOC} (?P<nums>#.+?) derives from its section (?P<section>.+), whose only "
                             r"requirement asked below the national level it is"),
    ("derives_section", rf"{_DOC} (?P<nums>#.+?) derives from its section (?P<section>.+)"),
    ("coarse", rf"(?P<nums>#.+?) of {_DOC} derives from its section only, which holds other requirements: "
               r"no evidence for this one"),
    ("interpretation_of", rf"{_DOC} is an interpretation \(解读\) of (?P<plan>.+), which is not loaded: what it does "
                          r"not mention says nothing about the plan"),
    ("notice_only", rf"only the cover notice of {_DOC} is held, not its plan"),
    ("truncated_opening", rf"{_DOC} is truncated \(opening only\): it may be in the missing text"),
    ("parent_plan", rf"{_DOC} owes what its own parent plan (?P<parent>\S+) gives it: judged on (?P=parent)'s rows "
                    r"\(no task of (?P=doc) derives from it directly\)"),
    ("not_own_parent", r"(?P<upper>\S+) is not (?P<lower>\S+)'s own parent plan, (?P<plan>.+), which is not loaded: "
                       r"it may derive from that plan"),
    ("level_unknown", r"the level of (?P<which>\S+) is not known, so whether (?P<upper>\S+) is (?P<lower>\S+)'s own "
                      r"parent plan cannot be told"),
    ("intermediate_missing", rf"intermediate plan not held \((?P<missing>.+?)\): {_DOC} owes what its own "
                             r"(?P<level>\w+)-level plan gives it, and (?P<upper>\S+) is not that plan"),
    ("parent_unlinked", r"its own parent plan (?P<parent>\S+) is held but implements nothing that reaches (?P<upper>\S+)"),
    ("waits_link", r"the link of (?P<parent>\S+) up to (?P<upper>\S+) \(manifest parents\)"),
    ("waits_explains", rf"the plan {_DOC} explains"),
    ("waits_issued", r"the plan issued by (?P<title>.+)"),
    ("waits_full_text", r"the full text of (?P<title>.+)"),
    ("derives", rf"{_DOC} (?P<nums>#.+?) derives from it"),
    ("no_task", rf"no task of {_DOC} derives from it"),
    ("truncated", rf"{_DOC} is truncated: it may be in the missing text"),
    ("interpretation", rf"{_DOC} is an interpretation: its plan may take it up"),
    ("derives_nothing", r"derives from nothing in (?P<docs>.+)"),
    ("upper_truncated", r"(?P<docs>.+) is truncated: it may derive from the missing text"),
    ("leadless", r"(?P<n>\d+) units share it and none is named as lead"),
    ("dropped", rf"(?P<middle>[^\s;]+) (?P<nums>#.+?) takes it up, but no task of {_DOC} derives from that"),
    ("not_taken_up", r"(?P<upper>\S+) not taken up by (?P<lower>[^\s:]+): (?P<reason>.+)"),
    ("truncated_doc", r"(?P<doc>\S+) \((?P<source>.*)\) is truncated: requirements in the missing text are "
                      r"neither listed nor checked"),
    ("role_words", r"unit '(?P<unit>.+)' still holds role words"),
    ("unqualified", r"unit '(?P<unit>.+)' is not qualified by its region (?P<region>.+)"),
    ("parse_rows", r"(?P<doc>\S+) \((?P<source>.*)\): (?P<rows>\d+) of (?P<highest>\d+) numbered rows found "
                   r"\(missing (?P<missing>.+)\)"),
    ("parse_no_units", r"(?P<doc>\S+) \((?P<source>.*)\): (?P<n>\d+) rows without a unit cell"),
    ("parse_unsplit", r"(?P<doc>\S+) \((?P<source>.*)\): (?P<n>\d+) rows whose unit cells could not be split "
                      r"from the text"),
    ("task_reason", r"(?P<doc>\S+) #(?P<number>\S+): (?P<reason>.+)"),
))
# What the loaders say of one file (after "<file>: "): matched the same way by :func:`problem_text`.
PROBLEMS: tuple[tuple[str, re.Pattern], ...] = tuple((key, re.compile(rf"^{pattern}$")) for key, pattern in (
    ("gaps", r"truncated: the retrieved text has gaps \(\[GAP\]\)"),
    ("mid_row", r"truncated: the text ends mid-row"),
    ("cut_tasks", r"truncated: task (?P<tasks>.+) cut mid-row by a \[GAP\], dropped"),
    ("cut_at_end", r"truncated: task (?P<task>.+) cut mid-row by the end of the text, dropped"),
    ("cut_last_point", r"truncated: task (?P<task>.+)'s last point cut by a \[GAP\], dropped"),
    ("mid_cell", r"truncated: the text ends mid-cell \((?P<fragment>.*)… dropped\)"),
    ("opening_only", r"truncated: only the plan's opening was retrieved \(no numbered part\)"),
    ("link_nowhere", r"link that leads nowhere \(to (?P<target>.+)\)"),
    ("link_broken", r"link that cannot be followed \((?P<detail>.+)\)"),
    ("link_loop", r"link to a folder above it \(a loop\): not followed"),
    ("link_folder", r"link to a folder: not followed"),
    ("special_file", r"(?P<what>.+?), not a document file: not read"),
    ("cannot_look", r"cannot be looked at \((?P<detail>.+)\)"),
    ("over_limit", r"(?P<what>.+?) \(limit (?P<limit>MAX_[A-Z_]+)(?: = [^)]+)?\)(?:: a zip bomb\?)?"),
    ("doctype", r"(?P<part>.+) declares a DOCTYPE or entities \(refused: external entities could read local files\)"),
    ("ocr_missing", r"scanned pages need OCR, which is not installed: (?P<hint>.+)"),
    ("issuer_place", r"issuer (?P<issuer>.+) names no place: (?P<place>.+), as its number (?P<no>.+) says"),
    ("ofd_images_missing", r"OFD pages hold images whose files are missing"),
    ("ofd_image_bad", r"OFD page image (?P<image>.+) cannot be read \((?P<detail>.+)\)"),
    ("nested", r"structure nested too deeply to read"),
    ("memory", r"too large to read in memory"),
    ("crashed", r"could not be read \((?P<detail>.+)\); run with --debug and report the file"),
    ("no_structure", r"no plan structure found \(no numbered headings or tasks\): not a work plan\?"),
    ("report", r"a report \((?P<what>.+)\), not a work plan: skipped"),
    ("only_notice", r"no plan structure found: only the cover notice or an opening was retrieved"),
    ("notice_points", r"only the cover notice was retrieved \(its points read, not its plan\)"),
    ("not_text", r"not a text file \(no encoding reads it\)"),
    ("renamed", r"named \.(?P<ext>\w+) but neither (?P<fmt>\w+) nor text inside \(damaged, or renamed\?\)"),
    ("html_deep", r"HTML nested too deeply \((?P<depth>\d+) levels > (?P<max>\d+)\): not a document page"),
    ("pdf_encrypted", r"encrypted PDF: cannot read without the password"),
    ("pdf_damaged", r"damaged PDF \((?P<detail>.+)\)"),
    ("pdf_no_text", r"PDF has no text layer \(scanned image\?\): run OCR first"),
    ("cannot_read", r"cannot read: (?P<detail>.+)"),
    ("too_large", r"file too large \((?P<size>\d+) MB > (?P<max>\d+) MB\)"),
    ("empty", r"empty file"),
    ("binary", r"binary file, not a document"),
    ("bad_zip", r"damaged Office file \(bad zip archive\)"),
    ("legacy", r"legacy \.doc/\.xls format: save it as \.docx/\.xlsx"),
    ("office_missing", r"legacy (?P<what>.+?) file: reading it needs LibreOffice, which is not installed \((?P<hint>.+)\)"),
    ("office_slow", r"LibreOffice took more than (?P<s>\d+) s to convert it \(damaged or password-protected\?\)"),
    ("office_start", r"LibreOffice could not be started \((?P<detail>.+?)\): (?P<hint>.+)"),
    ("office_failed_said", r"LibreOffice could not convert this (?P<what>.+?) file \(damaged or password-protected\?\)"
                           r": (?P<said>.+)"),
    ("office_failed", r"LibreOffice could not convert this (?P<what>.+?) file \(damaged or password-protected\?\)"),
    ("zip_bundle", r"zip archive of (?P<n>\d+) document file\(s\) under another name: name it \.zip, outside any "
                   r"archive, and its documents are read"),
    ("other_zip", r"zip archive that is neither DOCX, XLSX, ODT/ODS nor OFD"),
    ("not_word_excel", r"Office file that is neither Word nor Excel \(a presentation\?\)"),
    ("damaged", r"damaged (?P<fmt>[\w ]+?) file \((?P<detail>.+)\)"),
    ("damaged_image", r"damaged (?:or unsupported )?image \((?P<detail>.+)\)"),
    ("ocr_no_text", r"scan of (?P<n>\d+) page\(s\) where OCR found no text"),
    ("scan_too_long", r"scan of (?P<n>\d+) pages \(more than (?P<max>\d+)\): not a work plan\?"),
    ("ofd_no_pages", r"OFD file with no pages"),
    ("mhtml_no_html", r"saved web page \(MHTML\) with no HTML part"),
    ("upload_type", r"not a document type the loaders read \((?P<kinds>.+)\)"),
    ("upload_size", r"(?P<size>[\d.]+) MB is over the (?P<max>[\d.]+) MB upload limit"),
    ("upload_taken", r"(?P<name>.+) is already in (?P<folder>.+); tick 'replace' to overwrite it"),
    ("upload_outside", r"would be written outside (?P<folder>.+)"),
    ("upload_empty", r"the file is empty"),
    ("upload_no_name", r"no usable file name"),
    ("upload_reserved", r"reserved name"),
    ("zip_damaged", r"damaged (?P<kind>\w+) archive"),
    ("archive_damaged_said", r"damaged (?P<kind>\w+) archive \((?P<detail>.+)\)"),
    ("zip_many", r"(?P<kind>\w+) archive of (?P<n>\d+) files \(more than (?P<max>\d+)\)"),
    ("archive_large", r"(?P<kind>\w+) archive unpacks to (?P<size>\d+) MB \(more than (?P<max>\d+) MB\)"),
    ("zip_password", r"password-protected (?P<kind>\w+) member"),
    ("archive_password", r"password-protected (?P<kind>\w+) archive"),
    ("zip_member_damaged", r"damaged (?P<kind>\w+) member \((?P<detail>.+)\)"),
    ("no_member", r"no such member in the (?P<kind>\w+) archive"),
    ("archive_reader", r"(?P<kind>\w+) archive: reading it needs libarchive \((?P<hint>.+)\)"),
    ("zip_member_large", r"unpacks to more than (?P<max>[\d.]+) MB"),
    ("missing", r"no such file or folder"),
    ("mid_sentence", r"truncated: the text ends mid-sentence"),
    ("other_plan_cut", r"(?P<n>\d+) task\(s\) of (?P<plan>.+), issued beside the openness plan: read apart, "
                       r"none of its requirements, its text cut short"),
    ("other_plan", r"(?P<n>\d+) task\(s\) of (?P<plan>.+), issued beside the openness plan: read apart, none "
                   r"of its requirements"),
    ("skips", r"numbering skips task (?P<nums>.+) \(as printed in the source\)"),
    ("unsplit", r"(?P<n>\d+) rows whose unit cells were not found in the flattened text \(merged with the row "
                r"above, or glued to the text\)"),
    ("same_id", r"same document id '(?P<id>.+)' as (?P<other>.+): rename one or give it an id in the manifest"),
    ("same_document", r"same document as (?P<kept>.+?) \(same document number, or title and issuer\): kept (?P=kept)"),
))


def reason_text(text: str | None, lang: str | None = None, names: dict | None = None) -> str:
    """An analysis's English explanation said in ``lang``, clause by clause (see :data:`REASONS`). ``names``
    (document id → the name a person reads, as :func:`cascade.report_rows.doc_names` gives) names the
    documents a clause gives by id: ids are for machines, an office knows its documents by title.

    >>> reason_text("names no unit: addresses every lower government; no task of 2022-huangpu derives from it", "zh")
    '未点名单位，面向所有下级政府；2022-huangpu 没有任务承接该要求'
    >>> reason_text("something new; derives from nothing in a, b", "zh")
    'something new；不源自 a, b 中的任何要求'
    >>> reason_text("no task of 2022-huangpu derives from it", "en", {"2022-huangpu": "《黄埔区2022年要点》"})
    'no task of 《黄埔区2022年要点》 derives from it'
    """
    lang = lang or default_lang()
    if not text or (lang == "en" and not names):
        return text or ""
    return ("; " if lang == "en" else "；").join(_clause(c, lang, names) for c in str(text).split("; "))


def problem_text(text: str | None, lang: str | None = None) -> str:
    """``<file>: <problem>`` (a loader's one line) with the problem said in ``lang``; the file name is kept.

    >>> problem_text("data/a.pdf: PDF has no text layer (scanned image?): run OCR first", "zh")
    'data/a.pdf：PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）'
    >>> problem_text("data/b.txt: something else", "zh")
    'data/b.txt: something else'
    """
    lang = lang or default_lang()
    text = "" if text is None else str(text)
    if lang == "en":
        return text
    start = 0
    while True:
        i = text.find(": ", start)
        if i < 0:
            return reason_text(text, lang)
        rest = text[i + 2:]
        for key, pattern in PROBLEMS:
            m = pattern.match(rest)
            if m and has(f"problem.{key}", lang):
                return f"{text[:i]}：{t(f'problem.{key}', lang, **m.groupdict())}"
        start = i + 2


_DOC_PARAMS = ("doc", "upper", "lower", "parent", "which", "middle", "docs")   # (upper/lower: a task or a unit elsewhere)


def _clause(clause: str, lang: str, names: dict | None = None) -> str:
    for key, pattern in REASONS:
        m = pattern.match(clause)
        if m and has(f"reason.{key}", lang):
            params = m.groupdict()
            for name in _DOC_PARAMS if names else ():
                if params.get(name):
                    params[name] = ", ".join(names.get(x, x) for x in params[name].split(", "))
            if params.get("nums"):      # "#1, #4" → "1、4": the item numbers alone
                params["nums"] = "、".join(x.strip().lstrip("#") for x in params["nums"].split(","))
            if params.get("level"):     # a machine key: the office's word for it
                params["level"] = term("level", params["level"], lang)
            for name in ("tiers", "tier"):   # "city/government, county/department": 市级政府、县级部门
                if params.get(name):
                    params[name] = "、".join(term("tier", x.strip(), lang) for x in params[name].split(","))
            for name in ("reason",):     # a clause that quotes another explanation
                if params.get(name):
                    params[name] = reason_text(params[name], lang, names)
            return t(f"reason.{key}", lang, **params)
    return clause
