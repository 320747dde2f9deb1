"""The coverage report as one self-contained HTML file: inline SVG charts, inline CSS, no script, no
CDN, so it opens from a mail attachment or a USB stick, and prints on A4 landscape (``@page``, a
repeated ``thead``). Every piece of document text is HTML-escaped: the documents come from the web and
are data, never markup.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

import networkx as nx

from cascade.i18n import default_lang, reason_text, t, term
from cascade.report_rows import (LEDGER_KEYS, ledger_rows, lower_label, marked_rows, pair_statuses, rate_text, report_data, doc_name, doc_names,
                                 section_path, section_title, shorten, units_text, waits_for_text, who_must_act)

__all__ = ["html_report", "CJK_FONTS"]

_COLORS = {"covered": "#2e7d32", "gap": "#c62828", "not_applicable": "#9e9e9e", "not_assessable": "#ef6c00",
           "local": "#1565c0", "lead": "#1565c0", "implement": "#42a5f5", "cooperate": "#ffb300",
           "support": "#8d6e63"}
# Fonts an office PC or a Linux server has for Chinese: charts and pages name them first.
CJK_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif"


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _bar_chart(title: str, bars: list[tuple[str, list[tuple[str, float]]]], series: list[str], lang: str,
               group: str = "status", width: int = 900) -> str:
    """A horizontal stacked bar chart as inline SVG; ``bars`` are (label, [(series, value)])."""
    if not bars:
        return f"<figure><figcaption>{_e(title)}</figcaption><p>{_e(t('report.no_data', lang))}</p></figure>"
    label_w, bar_h, gap, top = 330, 18, 8, 28
    total_max = max(sum(v for _, v in vals) for _, vals in bars) or 1
    plot_w = width - label_w - 60
    height = top + len(bars) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{_e(title)}" font-family="{_e(CJK_FONTS)}" font-size="12">']
    x = label_w
    for s in series:  # legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{_COLORS.get(s, "#607d8b")}"/>'
                     f'<text x="{x + 16}" y="16">{_e(term(group, s, lang))}</text>')
        x += 140
    for i, (label, vals) in enumerate(bars):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(shorten(label, 24))}'
                     f'<title>{_e(label)}</title></text>')
        x = float(label_w)
        for s, v in vals:
            if v <= 0:
                continue
            w = v / total_max * plot_w
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                         f'fill="{_COLORS.get(s, "#607d8b")}"><title>{_e(label)}: {_e(term(group, s, lang))} '
                         f'{v:g}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(v for _, v in vals):g}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</figure>"


def _table(headers: list[str], rows: list[list[str]], raw_cols: tuple[int, ...] = (), cls: str = "") -> str:
    """An HTML table; cells are escaped unless their column is in ``raw_cols`` (already-built HTML)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = "".join(f"<td>{c if i in raw_cols else _e(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _anchor(node_id: str) -> str:
    return "src-" + re.sub(r"[^\w\u4e00-\u9fff-]", "_", node_id)


def _task_link(G, task: str, lang: str | None = None) -> str:
    """A task as a person names it (《its document》第N项), linked to its text at the end of the report."""
    d = G.nodes[task]
    return f'<a href="#{_e(_anchor(task))}">{_e(_task_name(G, d, lang))}</a>'


def _task_name(G, d: dict, lang: str | None) -> str:
    return t("report.where", lang, doc=doc_name(G, d.get("doc_id")), number=d.get("number") or "")


_CSS = ("body{font-family:%s;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0;font-size:13px;"
        "width:100%%}td,th{border:1px solid #999;padding:4px 6px;vertical-align:top;white-space:pre-wrap}"
        "th{background:#eee}thead{display:table-header-group}tr{page-break-inside:avoid}"
        ".gap{color:#c62828;font-weight:bold}.covered{color:#2e7d32}.not_applicable{color:#757575}"
        ".not_assessable{color:#ef6c00}.local{color:#1565c0}figure{margin:1em 0}figcaption{font-weight:bold}"
        "blockquote{margin:.3em 0 1em 1em;border-left:3px solid #ddd;padding-left:.6em;white-space:pre-wrap}"
        "table.ledger td:nth-child(1){text-align:center;width:2.5em}"
        "table.ledger th:nth-child(5),table.ledger th:nth-child(6){min-width:5em}"
        "table.ledger th:nth-child(7){min-width:4.5em}table.ledger td:nth-child(7) span{white-space:nowrap}"
        "table.ledger td:nth-child(2),table.ledger td:nth-child(3){min-width:14em}table.ledger td:nth-child(8){min-width:16em}"
        "@page{size:A4 landscape;margin:12mm}@media print{body{margin:0;max-width:none}h2{page-break-before:auto}"
        "figure,table.ledger{page-break-inside:auto}}") % CJK_FONTS


def html_report(G: nx.MultiDiGraph, lang: str | None = None, marks: dict | None = None, scope=None,
                scope_label: str | None = None) -> str:
    """The whole report as one HTML document, in ``lang`` (default: CASCADE_LANG, else Chinese); with
    ``scope``, of those documents only (:func:`cascade.report_rows.report_data`), ``scope_label`` naming it."""
    from core.records import LEVELS

    lang = lang or default_lang()
    data = report_data(G, scope)
    rows = data["rows"]
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    names = doc_names(G)    # a document as a person names it, where the analysis says its id
    level_of = {n: d.get("level") for n, d in docs.items()}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           f"<title>{_e(t('report.title', lang))}</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>{_e(t('report.title', lang))}</h1>",
           f"<p>{_e(t('report.generated', lang, when=now, n=len(data['documents'])))}"
           + (f" {_e(t('report.scope', lang, scope=scope_label))}" if scope_label else "") + "</p>"]

    # The ledger, per level of the reporting documents: what an office sends upward.
    ledger = ledger_rows(G, rows, lang, marks)
    selection = marked_rows(rows, marks)
    if selection:
        out.append(f"<h2>{_e(t('report.marked', lang, n=len(selection)))}</h2>")
        out.append(_table([t(f"report.col.{k}", lang) for k in ("upper_task", "lower_doc", "who", "verdict", "note")],
                          [[_task_link(G, m["upper"], lang), _e(lower_label(G, m)), _e(who_must_act(m, lang)),
                            _e(term("verdict", m["verdict"], lang)), _e(m.get("note"))] for m in selection],
                          raw_cols=(0, 1, 2, 3, 4)))
    out.append(f"<h2>{_e(t('report.ledger', lang))}</h2>")
    headers = [t(f"report.col.{k}", lang) for k in LEDGER_KEYS]
    for level, level_rows in ledger.items():
        out.append(f"<h3>{_e(t('report.ledger_level', lang, level=term('level', level, lang) or '—', n=len(level_rows)))}</h3>")
        out.append(_table(headers, [[_e(r[k]) if k != "status" else
                                     f"<span class='{_e(r['status_key'])}'>{_e(r['status'])}</span>"
                                     for k in LEDGER_KEYS] for r in level_rows],
                          raw_cols=tuple(range(len(LEDGER_KEYS))), cls="ledger"))

    # Summary per document and level.
    out.append(f"<h2>{_e(t('report.documents', lang))}</h2>")
    out.append(_table([t(k, lang) for k in ("col.id", "col.level", "col.region", "col.year", "col.tasks",
                                            "col.linked_tasks", "col.truncated", "col.title")],
                      [[d["id"], term("level", d["level"], lang), d["region"], d["year"], d["tasks"], d["linked_tasks"],
                        t("report.yes", lang) if d["truncated"] else "", d["title"]] for d in data["documents"]]))
    out.append(f"<h2>{_e(t('report.per_pair', lang))}</h2>")
    pairs = [s for s in data["summary"] if s["upper_doc"]]
    per_pair = pair_statuses(pairs)
    out.append(_table([t(k, lang) for k in ("col.upper_doc", "col.lower_doc")]
                      + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)],
                      [[names.get(p["upper_doc"], p["upper_doc"]), names.get(p["lower_doc"], p["lower_doc"]),
                        *(p.get(s, 0) for s in per_pair),
                        rate_text(p, lang)] for p in pairs]))

    # Charts.
    by_level: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["status"] != "local":
            by_level[f"{term('level', level_of.get(r['upper_doc']), lang)} → "
                     f"{term('level', level_of.get(r['lower_doc']), lang)}"][r["status"]] += 1
    rank = {term("level", lvl, lang): i for i, lvl in enumerate(LEVELS)}
    order = sorted(by_level, key=lambda k: [rank.get(x.strip(), 9) for x in k.split("→")])
    known = ("covered", "gap", "not_assessable", "not_applicable")
    present = {s for c in by_level.values() for s in c}
    status_series = [s for s in known if s in present or s != "not_assessable"] + sorted(present - set(known))
    out.append(f"<h2>{_e(t('report.charts', lang))}</h2>")
    out.append(_bar_chart(t("report.chart_levels", lang),
                          [(k, [(s, by_level[k][s]) for s in status_series]) for k in order], status_series, lang))
    by_section: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["status"] in ("covered", "gap"):
            by_section[f"{names.get(r['upper_doc'], r['upper_doc'])} {section_path(G, r['upper'])}"][r["status"]] += 1
    out.append(_bar_chart(t("report.chart_sections", lang),
                          [(k, [(s, by_section[k][s]) for s in ("covered", "gap")])
                           for k in sorted(by_section, key=lambda k: k.split(" ")[0])],  # stable: plan order
                          ["covered", "gap"], lang))
    top = [w for w in data["workload"] if w["total"] and not w.get("collective")][:20]   # accountable units
    roles = ["lead", "implement", "cooperate", "support"]
    out.append(_bar_chart(t("report.chart_workload", lang),
                          [(f"{w['name']}（{term('level', w['level'], lang)}）", [(r, w[r]) for r in roles]) for w in top],
                          roles, lang, group="role_unit"))

    # Gaps with reasons and links to the source text.
    gaps = [r for r in rows if r["status"] == "gap"]
    col = lambda *keys: [t(f"report.col.{k}", lang) for k in keys]  # noqa: E731
    out.append(f"<h2>{_e(t('report.gaps', lang, n=len(gaps)))}</h2>")
    out.append(_table(col("upper_task", "upper", "lower_doc", "who", "reason"),
                      [[_task_link(G, r["upper"], lang), _e(shorten(G.nodes[r["upper"]].get("text_norm"), 60)),
                        _e(lower_label(G, r)), _e(who_must_act(r, lang)),
                        f'<span class="gap">{_e(reason_text(r["reason"], lang, names))}</span>'] for r in gaps],
                      raw_cols=(0, 1, 2, 3, 4)))
    unknown = [r for r in rows if r["status"] == "not_assessable"]
    out.append(f"<h2>{_e(t('report.not_assessable', lang, n=len(unknown)))}</h2>")
    out.append(_table(col("upper_task", "lower_doc", "who", "waits_for", "reason"),
                      [[_task_link(G, r["upper"], lang), _e(lower_label(G, r)), _e(who_must_act(r, lang)),
                        _e(reason_text(waits_for_text(r.get("waits_for")), lang, names)),
                        _e(reason_text(r["reason"], lang, names))] for r in unknown], raw_cols=(0, 1, 2, 3, 4)))
    na = [r for r in rows if r["status"] == "not_applicable"]
    out.append(f"<h2>{_e(t('report.not_applicable', lang, n=len(na)))}</h2>")
    out.append(_table(col("upper_task", "lower_doc", "reason"),
                      [[_task_link(G, r["upper"], lang), _e(names.get(r["lower_doc"], r["lower_doc"])), _e(reason_text(r["reason"], lang, names))] for r in na],
                      raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.dropped', lang, n=len(data['dropped'])))}</h2>")
    out.append(_table(col("upper_task", "taken_up_by", "lost_at", "reason"),
                      [[_task_link(G, r["upper"], lang), " ".join(_task_link(G, m, lang) for m in r["middle"]),
                        _e(names.get(r["lower_doc"], r["lower_doc"])), _e(reason_text(r["reason"], lang, names))]
                       for r in data["dropped"]], raw_cols=(0, 1, 2, 3)))
    local = [r for r in rows if r["status"] == "local"]
    out.append(f"<h2>{_e(t('report.local', lang, n=len(local)))}</h2>")
    out.append(_table(col("lower_task", "text", "reason"),
                      [[_task_link(G, r["lower"][0], lang), _e(shorten(G.nodes[r["lower"][0]].get("text_norm"), 70)),
                        _e(reason_text(r["reason"], lang, names))] for r in local], raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.leadless', lang, n=len(data['leadless'])))}</h2>")
    out.append(_table(col("lower_task", "units", "reason"),
                      [[_task_link(G, r["task"], lang), _e("、".join(r["units"])), _e(reason_text(r["reason"], lang, names))]
                       for r in data["leadless"]], raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.calendar', lang, n=len(data['calendar'])))}</h2>")
    out.append(_table(col("deadline", "lower_task", "units", "upper"),
                      [[_e(c["date"]), _task_link(G, c["task"], lang), _e("、".join(c["units"])),
                        _e(shorten(c["text"], 60))] for c in data["calendar"]], raw_cols=(0, 1, 2, 3)))
    counts = Counter((i.severity, i.code) for i in data["issues"])
    out.append(f"<h2>{_e(t('report.checks', lang))}</h2>")
    out.append(_table(col("severity", "check", "count"),
                      [[term("severity", s, lang), term("check", c, lang), n] for (s, c), n in sorted(counts.items())]))
    out.append(_table(col("severity", "check", "message"),
                      [[term("severity", i.severity, lang), term("check", i.code, lang), reason_text(i.message, lang, names)]
                       for i in data["issues"] if i.code != "gap"]))

    # The source text every link above points to.
    cited = {r["upper"] for r in gaps + na + unknown + selection} | {r["lower"][0] for r in local} | \
            {r["upper"] for r in data["dropped"]} | {m for r in data["dropped"] for m in r["middle"]} | \
            {r["task"] for r in data["leadless"]} | {c["task"] for c in data["calendar"]}
    out.append(f"<h2>{_e(t('report.source_text', lang))}</h2>")
    for task in sorted(cited):
        d = G.nodes[task]
        doc = docs.get(d.get("doc_id"), {})
        where = f"{doc.get('source') or d.get('doc_id')}" + (t("report.line", lang, line=d["line"]) if d.get("line") else "")
        out.append(f'<h3 id="{_e(_anchor(task))}">{_e(_task_name(G, d, lang))} '
                   f'<small>({_e(where)})</small></h3>')
        sec = section_title(G, task)
        if sec:
            out.append(f"<p>{_e(sec)}</p>")
        out.append(f"<blockquote>{_e(d.get('text'))}</blockquote>")
        units = units_text(G, task, lang)
        if units:
            out.append(f"<p>{_e(t('report.units', lang))}{_e(units)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
