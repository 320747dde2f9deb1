"""The coverage report as a PDF an office can print or forward: the summary per document pair, the gaps
with who must act, the items that cannot be judged, and the 台账 per level.

reportlab draws it with Adobe's CID font ``STSong-Light`` (宋体), which every PDF reader has for
Chinese: nothing is embedded, so the file stays small and no font file needs to be installed.
"""
from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import escape

import networkx as nx

from cascade.i18n import default_lang, reason_text, t, term
from cascade.report_rows import (doc_label, doc_names, ledger_rows, lower_label, marked_rows, rate_text, report_data, shorten, waits_for_text,
                                 who_must_act)

__all__ = ["pdf_report"]

_FONT = "STSong-Light"


def _p(text, style):
    """A table cell that wraps Chinese text anywhere; document text is data, not reportlab markup."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


def pdf_report(G: nx.MultiDiGraph, lang: str | None = None, marks: dict | None = None, scope=None,
               scope_label: str | None = None) -> bytes:
    """The report as PDF bytes (A4 landscape). ``marks`` (worklist marks, see graph/marks.py) adds the
    analyst's verdicts as a section of their own and to the 台账."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    lang = lang or default_lang()
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("body", fontName=_FONT, fontSize=8, leading=10.5, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=8.5, leading=11)
    h1 = ParagraphStyle("h1", fontName=_FONT, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=_FONT, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    note = ParagraphStyle("note", parent=body, fontSize=9, leading=12)

    data = report_data(G, scope)
    rows = data["rows"]
    selection = marked_rows(rows, marks)
    width = landscape(A4)[0] - 24 * mm

    def table(headers: list[str], cells: list[list], shares: list[float]):
        if not cells:
            return Paragraph(escape(t("report.none", lang)), note)
        grid = [[_p(h, head) for h in headers]] + [[_p(c, body) for c in r] for r in cells]
        tb = Table(grid, colWidths=[width * s / sum(shares) for s in shares], repeatRows=1)
        tb.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
                                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return tb

    col = lambda *keys: [t(f"report.col.{k}", lang) for k in keys]  # noqa: E731
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    docs = len(data["documents"])
    names = doc_names(G)    # a document as a person names it, where the analysis says its id
    story = [Paragraph(escape(t("report.title", lang)), h1),
             Paragraph(escape(t("report.generated", lang, when=now, n=docs)
                              + (" " + t("report.scope", lang, scope=scope_label) if scope_label else "")), note),
             Spacer(1, 4 * mm)]

    pairs = [p for p in data["summary"] if p["upper_doc"]]
    statuses = ["covered", "gap", "not_applicable", "not_assessable"]
    story += [Paragraph(escape(t("report.per_pair", lang)), h2),
              table(col("upper_doc", "lower_doc") + [term("status", s, lang) for s in statuses] + [t("report.rate", lang)],
                    [[doc_label(G, p["upper_doc"]), doc_label(G, p["lower_doc"]), *(p.get(s, 0) for s in statuses),
                      rate_text(p, lang)] for p in pairs],
                    [4, 4, 1, 1, 1, 1, 1])]

    def upper_text(r):
        u = G.nodes.get(r.get("upper")) or {}
        return f"{u.get('number') or ''} {shorten(u.get('text_norm'), 90)}"

    gaps = [r for r in rows if r["status"] == "gap"]
    story += [Paragraph(escape(t("report.gaps", lang, n=len(gaps))), h2),
              table(col("upper_doc", "upper", "lower_doc", "who", "reason"),
                    [[doc_label(G, r["upper_doc"]), upper_text(r), lower_label(G, r), who_must_act(r, lang),
                      reason_text(r["reason"], lang, names)] for r in gaps], [3, 5, 3.5, 3, 5])]
    unknown = [r for r in rows if r["status"] == "not_assessable"]
    story += [Paragraph(escape(t("report.not_assessable", lang, n=len(unknown))), h2),
              table(col("upper", "lower_doc", "who", "waits_for", "reason"),
                    [[upper_text(r), lower_label(G, r), who_must_act(r, lang),
                      reason_text(waits_for_text(r.get("waits_for")), lang, names), reason_text(r["reason"], lang, names)]
                     for r in unknown], [5, 3.5, 3, 3, 5])]
    if selection:
        story += [Paragraph(escape(t("report.marked", lang, n=len(selection))), h2),
                  table(col("upper", "lower_doc", "who", "verdict", "note"),
                        [[upper_text(m), lower_label(G, m), who_must_act(m, lang), term("verdict", m.get("verdict"), lang),
                          m.get("note") or ""] for m in selection], [5, 3.5, 3, 2, 5])]
    for level, level_rows in ledger_rows(G, rows, lang, marks).items():
        name = term("level", level, lang) or t("report.no_level", lang)
        story += [PageBreak(), Paragraph(escape(t("report.ledger_level", lang, level=name, n=len(level_rows))), h2),
                  table(col("no", "upper", "task", "lead", "cooperate", "deadline", "status", "basis", "who"),
                        [[r["no"], r["upper"], r["task"], r["lead"], r["cooperate"], r["deadline"], r["status"],
                          r["basis"], r["who"]] for r in level_rows], [0.6, 4, 4, 1.6, 1.6, 1.2, 1.2, 4, 1.8])]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(_FONT, 8)
        canvas.drawCentredString(landscape(A4)[0] / 2, 8 * mm, f"{t('report.title', lang)} · {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=14 * mm, title=t("report.title", lang)).build(story, onFirstPage=footer,
                                                                                  onLaterPages=footer)
    return buf.getvalue()
