"""The coverage report as an XLSX 台账: a summary sheet, a gap sheet, the analyst's marked rows, and one
ledger sheet per level of the reporting documents, each with a frozen, filtered header repeated on
every printed A4 landscape page. Document text stays text: no cell becomes a formula.
"""
from __future__ import annotations

import re

import networkx as nx

from cascade.i18n import default_lang, reason_text, t, term
from cascade.report_rows import (LEDGER_KEYS, doc_label, doc_names, ledger_rows, lower_label, marked_rows, pair_statuses,
                                 rate_text, report_data, who_must_act)
from graph.textsafe import spreadsheet_cell

__all__ = ["xlsx_report"]

_FILL = {"covered": "E8F5E9", "gap": "FFEBEE", "not_assessable": "FFF3E0", "local": "E3F2FD"}


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    title, i = base, 2
    while title in used:
        suffix = f"~{i}"
        title, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(title)
    return title


def xlsx_report(G: nx.MultiDiGraph, lang: str | None = None, marks: dict | None = None, scope=None,
                scope_label: str | None = None) -> bytes:
    """The report as XLSX bytes: a summary sheet, a gap sheet, and one 台账 sheet per level of the
    reporting documents (:data:`cascade.report_rows.LEDGER_COLUMNS`), each with a frozen, filtered header repeated on every
    printed page (A4 landscape, fitted to the page width)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    lang = lang or default_lang()
    data = report_data(G, scope)
    rows = data["rows"]
    names = doc_names(G)    # a document as a person names it, where the analysis says its id

    wb = Workbook()
    body_font = "宋体" if lang == "zh" else "Calibri"
    bold, plain = Font(name="黑体" if lang == "zh" else "Calibri", bold=True), Font(name=body_font)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    # One named style a kind of cell: setting font, border and alignment cell by cell hashes each new
    # style combination, 70 s of a province's 40,000-row 台账
    wb.add_named_style(NamedStyle("cascade-body", font=plain, alignment=wrap, border=box))
    wb.add_named_style(NamedStyle("cascade-number", font=plain, alignment=centre, border=box))
    used: set[str] = set()

    def header(ws, cols, widths, title: str):
        ws.append(list(cols))
        for i, c in enumerate(ws[1], start=1):
            c.font, c.fill, c.alignment, c.border = bold, head_fill, centre, box
            ws.column_dimensions[c.column_letter].width = widths[i - 1]
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"            # the header on every printed page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.oddHeader.center.text = title
        ws.oddFooter.center.text = t("report.page", lang)

    def finish(ws, centred_first: bool = False):
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.style = "cascade-body"
            if centred_first:
                row[0].style = "cascade-number"

    title = t("report.title", lang) + (" · " + scope_label if scope_label else "")
    ws = wb.active
    ws.title = _sheet_title(t("report.sheet_summary", lang), used)
    pairs = [p for p in data["summary"] if p["upper_doc"]]
    per_pair = pair_statuses(pairs)
    header(ws, [t(k, lang) for k in ("col.upper_doc", "col.lower_doc")]
           + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)],
           [28, 32] + [12] * len(per_pair) + [10], title)
    for p in pairs:
        ws.append([names.get(p["upper_doc"], p["upper_doc"]), names.get(p["lower_doc"], p["lower_doc"]),
                   *(p.get(s, 0) for s in per_pair),
                   p["rate"] if p.get("rate") is not None else ""])
    finish(ws)
    for r, p in enumerate(pairs, start=2):
        # a number still (to sort and sum), shown with what it cannot count beside it: 100%（另有 32 项无法判断）
        note = rate_text({"rate": 1, "not_assessable": p.get("not_assessable")}, lang)[len("100%"):]
        ws.cell(r, 3 + len(per_pair)).number_format = "0%" + (f'"{note}"' if note else "")

    ws = wb.create_sheet(_sheet_title(t("report.sheet_gaps", lang), used))
    header(ws, [t(f"report.col.{k}", lang) for k in ("no", "upper_doc", "upper_task", "upper", "lower_doc", "reason",
                                                      "lower_title", "lower_issuer", "who")],
           [6, 22, 12, 60, 26, 60, 36, 20, 24], title)
    for i, r in enumerate((r for r in rows if r["status"] == "gap"), start=1):
        u = G.nodes[r["upper"]]
        ws.append([i, r["upper_doc"], u.get("number"), u.get("text_norm"), r["lower_doc"], reason_text(r["reason"], lang, names),
                   doc_label(G, r["lower_doc"]), r.get("lower_issuer") or "", who_must_act(r, lang)])
    finish(ws)

    selection = marked_rows(rows, marks)
    if selection:
        ws = wb.create_sheet(_sheet_title(t("report.sheet_marked", lang), used))
        header(ws, [t(f"report.col.{k}", lang) for k in ("no", "upper_doc", "upper_task", "upper", "lower_doc", "who",
                                                          "verdict", "note")],
               [6, 22, 12, 60, 36, 24, 14, 48], title)
        for i, m in enumerate(selection, start=1):
            u = G.nodes[m["upper"]]
            ws.append([i, m["upper_doc"], u.get("number"), u.get("text_norm"), lower_label(G, m), who_must_act(m, lang),
                       term("verdict", m["verdict"], lang), m.get("note") or ""])
        finish(ws)

    widths = [6, 48, 48, 18, 22, 14, 14, 52, 28, 20]
    fills: dict[str, PatternFill] = {}
    for level, level_rows in ledger_rows(G, rows, lang, marks).items():
        name = term("level", level, lang) or t("report.no_level", lang)
        ws = wb.create_sheet(_sheet_title(name, used))
        header(ws, [t(f"report.col.{k}", lang) for k in LEDGER_KEYS], widths,
               f"{title} · {t('report.ledger_level', lang, level=name, n=len(level_rows))}")
        for r in level_rows:
            ws.append([r[k] for k in LEDGER_KEYS])
        finish(ws, centred_first=True)
        status_col = LEDGER_KEYS.index("status") + 1
        for i, r in enumerate(level_rows, start=2):    # (ws.max_row is a pass over every cell: not per row)
            fill = _FILL.get(r["status_key"])
            if fill:
                ws.cell(i, status_col).fill = fills.setdefault(fill, PatternFill("solid", fgColor=fill))
    # Document text is data: a cell openpyxl took for a formula (text starting with "=") stays text.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
                if isinstance(c.value, str) and c.row > 1:   # and shown with a ' as in the CSVs (OWASP)
                    c.value = spreadsheet_cell(c.value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
