"""The analyst's marked selection on its own, as XLSX or PDF, from rows the store gave
(:func:`queries.worklist_store.marked_rows`): what the worklist hands upward when the store is too large to
load, and so the whole report (:mod:`cascade.report`), which reads the graph, cannot be made in the app.

The columns are those of the report's verdict sheet: 序号 / 上级文件 / 上级任务 / 上级要求 / 下级文件 /
需落实单位 / 核定 / 依据或理由, 需落实单位 as the whole report gives it (the issuer, then the unit the upper
text names or the nearest assignment's) when the rows carry ``who``. Document text stays text: no cell
becomes a formula.
"""
from __future__ import annotations

from cascade.i18n import default_lang, t, term
from cascade.report_rows import who_must_act

__all__ = ["marked_report", "MARKED_FORMATS"]

_KEYS = ("no", "upper_doc", "upper_task", "upper", "lower_doc", "who", "verdict", "note")
_WIDTHS = (6, 26, 10, 60, 36, 24, 14, 48)


def _cells(rows: list[dict], lang: str) -> list[list]:
    out = []
    for i, r in enumerate(rows, start=1):
        lower = f"《{r['lower_title']}》" if r.get("lower_title") else str(r["lower_doc"])
        out.append([i, r.get("upper_title") or r.get("upper_doc") or "", r.get("number") or "",
                    r.get("text") or r["upper"], lower, who_must_act(r, lang) or r.get("lower_issuer") or "",
                    term("verdict", r.get("verdict"), lang), r.get("note") or ""])
    return out


def _xlsx(rows: list[dict], lang: str) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from graph.textsafe import spreadsheet_cell

    wb = Workbook()
    ws = wb.active
    ws.title = t("report.sheet_marked", lang)[:31]
    ws.append([t(f"report.col.{k}", lang) for k in _KEYS])
    for c, width in zip(ws[1], _WIDTHS):
        c.font = Font(bold=True)
        ws.column_dimensions[c.column_letter].width = width
    for row in _cells(rows, lang):
        ws.append([spreadsheet_cell(v) if isinstance(v, str) else v for v in row])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if c.data_type == "f":       # text that starts with "=" is data, not a formula
                c.data_type = "s"
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(rows: list[dict], lang: str) -> bytes:
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "STSong-Light"          # a CID font every PDF reader has for Chinese (cascade/report_pdf.py)
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10.5, wordWrap="CJK")
    h1 = ParagraphStyle("h1", fontName=font, fontSize=14, leading=20, spaceAfter=6)

    def cell(v):
        return Paragraph(escape(str(v if v is not None else "")), body)

    width = landscape(A4)[0] - 24 * mm
    shares = (0.6, 2.6, 1, 5, 3.4, 2.2, 1.4, 4)
    grid = [[cell(t(f"report.col.{k}", lang)) for k in _KEYS]] + [[cell(v) for v in r] for r in _cells(rows, lang)]
    table = Table(grid, colWidths=[width * s / sum(shares) for s in shares], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9"))]))
    buf = io.BytesIO()
    story = [Paragraph(escape(f"{t('report.title', lang)} · {t('report.marked', lang, n=len(rows))}"), h1), table]
    SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm, title=t("report.title", lang)).build(story)
    return buf.getvalue()


_WRITERS = {"xlsx": _xlsx, "pdf": _pdf}
MARKED_FORMATS = tuple(_WRITERS)


def marked_report(rows: list[dict], fmt: str = "xlsx", lang: str | None = None) -> bytes:
    """The marked rows as ``xlsx`` or ``pdf`` bytes, in ``lang`` (default: CASCADE_LANG, else zh).

    >>> rows = [{"upper": "a/1", "upper_doc": "a", "number": "1", "text": "=做好公开", "lower_doc": "b",
    ...          "lower_title": "计划", "lower_issuer": "区政府办", "verdict": "confirmed_gap", "note": None}]
    >>> marked_report(rows, "pdf", "en")[:5], marked_report(rows, "xlsx")[:2]
    (b'%PDF-', b'PK')
    """
    return _WRITERS[fmt](rows, lang or default_lang())
