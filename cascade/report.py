"""The coverage report a 政务公开办 hands upward: HTML with charts, or an XLSX 台账.

Both are in the office's shape: per level of the lower documents, one row per upper requirement (or
local addition) with 序号 / 上级要求 / 本级任务 / 牵头单位 / 配合单位 / 完成时限 / 落实情况 / 依据（原文摘录）
(and 本级文件, so a level with several documents can be filtered). Chinese unless ``lang="en"``; the
words come from cascade/i18n. The XLSX has a sheet per level with a frozen, filtered header that is
repeated on every printed A4 landscape page; the HTML prints the same way (``@page``, repeated
``thead``).

The HTML is one self-contained file (inline SVG charts, inline CSS, no script, no CDN) so it opens
from a mail attachment or a USB stick. Every piece of document text is HTML-escaped: the documents
come from the web and are data, never markup.
"""
from __future__ import annotations

import html
import os
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

import networkx as nx

from core.errors import CascadeError
from cascade.i18n import default_lang, reason_text, t, term
from graph.textsafe import spreadsheet_cell

__all__ = ["write_report", "html_report", "xlsx_report", "ledger_rows", "marked_rows", "REPORT_FORMATS", "gaps_markdown", "LEDGER_COLUMNS", "LEDGER_KEYS",
           "STATUS_ZH"]

# The 台账 columns: stable keys, the office's headers (report.col.<key> in the catalogue).
LEDGER_KEYS = ("no", "upper", "task", "lead", "cooperate", "deadline", "status", "basis", "document", "who")
LEDGER_COLUMNS = ("序号", "上级要求", "本级任务", "牵头单位", "配合单位", "完成时限", "落实情况", "依据（原文摘录）",
                  "本级文件", "需落实单位")
STATUS_ZH = {s: term("status", s, "zh") for s in ("covered", "gap", "not_applicable", "local", "not_assessable")}
_COLORS = {"covered": "#2e7d32", "gap": "#c62828", "not_applicable": "#9e9e9e", "not_assessable": "#ef6c00",
           "local": "#1565c0", "lead": "#1565c0", "implement": "#42a5f5", "cooperate": "#ffb300",
           "support": "#8d6e63"}
_FILL = {"covered": "E8F5E9", "gap": "FFEBEE", "not_assessable": "FFF3E0", "local": "E3F2FD"}
# Fonts an office PC or a Linux server has for Chinese: charts and pages name them first.
CJK_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif"
_EXCERPT = 60


REPORT_FORMATS = ("html", "xlsx", "pdf")


def write_report(G: nx.MultiDiGraph, out: str | os.PathLike, fmt: str = "html", lang: str | None = None,
                 marks: dict | None = None) -> None:
    """Write the report to ``out`` (atomically): ``html``, ``xlsx`` or ``pdf``, in ``lang`` (default:
    CASCADE_LANG, else zh). ``marks`` (graph/marks.py) puts the analyst's verdicts into the 台账 and a
    section of their own."""
    from core.files import write_atomic

    if fmt == "html":
        write_atomic(out, html_report(G, lang, marks))
    elif fmt == "xlsx":
        write_atomic(out, xlsx_report(G, lang, marks))
    elif fmt == "pdf":
        from cascade.report_pdf import pdf_report

        write_atomic(out, pdf_report(G, lang, marks))
    else:
        raise CascadeError(f"{out}: unknown report format '{fmt}' (html, xlsx or pdf)", key="report_format",
                           out=str(out), fmt=fmt)


def marked_rows(rows: list[dict], marks: dict | None) -> list[dict]:
    """The worklist rows an analyst marked, with their verdict and note."""
    if not marks:
        return []
    from graph.marks import apply_marks

    return [r for r in apply_marks(rows, marks) if r.get("verdict")]


# --- data shared by both formats ------------------------------------------------------------------------

def _gather(G: nx.MultiDiGraph) -> dict:
    from queries.calendar import deadline_calendar
    from queries.checks import check
    from queries.gaps import coverage, dropped_chains, leadless_tasks, summary
    from queries.overview import documents_table
    from queries.workload import workload

    rows = coverage(G)
    return {"rows": rows, "summary": summary(rows), "dropped": dropped_chains(G, rows),
            "leadless": leadless_tasks(G), "workload": workload(G, merge=True), "documents": documents_table(G),
            "calendar": deadline_calendar(G), "issues": check(G, rows)}


def _units_by_role(G, task: str) -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = defaultdict(list)
    for _, v, d in G.out_edges(task, data=True):
        if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own":
            name = G.nodes[v].get("short_name") or G.nodes[v].get("name")
            role = d.get("role") or "implement"
            if name and name not in by_role[role]:
                by_role[role].append(name)
    return by_role


def _units_text(G, task: str, lang: str) -> str:
    order = ("lead", "implement", "cooperate", "support")
    by_role = _units_by_role(G, task)
    return "；".join("、".join(sorted(names)) + f"（{term('role_unit', role, lang)}）"
                    for role, names in sorted(by_role.items(), key=lambda x: order.index(x[0]) if x[0] in order else 9))


def _lead_and_cooperate(G, tasks: list[str]) -> tuple[str, str]:
    """牵头单位 and 配合单位 of the office's own tasks: the named leads (else the units responsible,
    落实), and those that cooperate or support (and the units responsible, when a lead is named)."""
    lead, coop = [], []
    for task in tasks:
        by_role = _units_by_role(G, task)
        first = by_role.get("lead") or by_role.get("implement") or []
        rest = by_role.get("cooperate", []) + by_role.get("support", []) + \
            (by_role.get("implement", []) if by_role.get("lead") else [])
        lead += [u for u in first if u not in lead]
        coop += [u for u in rest if u not in coop and u not in lead]
    return "、".join(lead), "、".join(coop)


def _section_title(G, task: str) -> str:
    from queries.gaps import sections_above

    secs = sections_above(G, task)
    return " / ".join(f"{G.nodes[s].get('number') or ''}{G.nodes[s].get('title') or ''}" for s in reversed(secs))


def _section_path(G, task: str) -> str:
    from queries.gaps import sections_above

    return "/".join(G.nodes[s].get("number") or "" for s in reversed(sections_above(G, task)))


def _short(text: str | None, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _anchor(node_id: str) -> str:
    return "src-" + re.sub(r"[^\w\u4e00-\u9fff-]", "_", node_id)


def _doc_label(G, doc: str | None) -> str:
    """《title》（文号）, or the id when the document has no title."""
    d = G.nodes.get(doc) or {}
    name = f"《{d['title']}》" if d.get("title") else str(doc)
    return name + (f"（{d['doc_no']}）" if d.get("doc_no") else "")


def _lower_label(G, r: dict) -> str:
    """The lower document of a coverage row as an office names it: 《title》（文号）, then its issuer."""
    label = _doc_label(G, r.get("lower_doc"))
    issuer = r.get("lower_issuer") or (G.nodes.get(r.get("lower_doc")) or {}).get("issuer")
    return f"{label} {issuer}" if issuer and issuer not in label else label


def _who(r: dict, lang: str) -> str:
    """Who must act, in ``lang``: the issuer, then the unit the upper text names, or the units of the
    nearest assignment marked as a suggestion."""
    who = list(r.get("who") or [])
    if len(who) > 1 and r.get("who_via") == "nearest":
        return t("report.who_nearest", lang, issuer=who[0], units="、".join(who[1:]))
    return "、".join(who)


def _task_text(G, task: str) -> str:
    d = G.nodes[task]
    return " ".join((d.get("text_norm") or d.get("text") or d.get("title") or "").split())


def _numbered(G, tasks: list[str], lang: str) -> str:
    return "\n".join(t("report.item", lang, number=G.nodes[x].get("number") or "", text=_task_text(G, x))
                     for x in tasks)


def _waits_for(value) -> str:
    """What a not_assessable row waits for (a document, a level, or a list of them), as one line."""
    if isinstance(value, dict):
        return "、".join(str(v) for v in value.values() if v)
    if isinstance(value, (list, tuple)):
        return "、".join(_waits_for(v) for v in value)
    return "" if value is None else str(value)


def _where(G, task: str, lang: str) -> str:
    """Where a task stands: 《document》（文号）第N项（第L行）."""
    d = G.nodes[task]
    where = t("report.where", lang, doc=_doc_label(G, d.get("doc_id")), number=d.get("number") or "")
    return where + (t("report.line", lang, line=d["line"]) if d.get("line") else "")


def _excerpt(G, task: str, lang: str) -> str:
    """依据: where the text stands and the text as printed, shortened."""
    d = G.nodes[task]
    from loaders.normalize import strip_pinyin   # a mirror's pinyin glosses are not the text

    return f"{_where(G, task, lang)}：{_short(strip_pinyin(d.get('text') or d.get('text_norm') or ''), _EXCERPT)}"


def ledger_rows(G: nx.MultiDiGraph, rows: list[dict] | None = None, lang: str | None = None,
                marks: dict | None = None) -> dict[str, list[dict]]:
    """The 台账 rows per level of the lower (reporting) document, top level first: one row per upper
    requirement a lower document was measured against, and one per local addition. Keys are
    :data:`LEDGER_KEYS` (plus ``status_key``, the machine key, and ``level``)."""
    from core.records import LEVELS
    from queries.gaps import coverage

    lang = lang or default_lang()
    rows = coverage(G) if rows is None else rows
    level_of = {n: d.get("level") for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    position = {n: d.get("position") or 0 for n, d in G.nodes(data=True) if d.get("label") == "Task"}
    out: dict[str, list[dict]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r["lower_doc"] or "", r["status"] == "local", r.get("upper_doc") or "",
                                         position.get(r.get("upper") or (r.get("lower") or [""])[0], 0))):
        lower = [x for x in (r.get("lower") or []) if x in G]
        upper = r.get("upper") if r.get("upper") in G else None
        lead, coop = _lead_and_cooperate(G, lower)
        deadlines = [dl for x in lower for dl in (G.nodes[x].get("deadlines") or [])] or \
            ([dl for dl in G.nodes[upper].get("deadlines") or []] if upper else [])
        # The upper text as printed, where it stands; then where the office's own tasks stand (their
        # text is in 本级任务), or a local addition's own text; then why, for what is not covered.
        basis = [_excerpt(G, upper, lang)] if upper else []
        basis += [_where(G, x, lang) if upper else _excerpt(G, x, lang) for x in lower]
        if r["status"] != "covered" and r.get("reason"):
            basis.append(t("report.reason", lang, reason=reason_text(r["reason"], lang)))
        if r.get("waits_for"):
            basis.append(t("report.waits_for", lang, what=reason_text(_waits_for(r["waits_for"]), lang)))
        mark = (marks or {}).get((r.get("upper"), r.get("lower_doc"))) if r["status"] in ("gap", "not_assessable") else None
        status = term("status", r["status"], lang)
        if mark:
            status = t("report.status_marked", lang, status=status, verdict=term("verdict", mark["verdict"], lang))
            basis.append(t("report.verdict_line", lang, verdict=term("verdict", mark["verdict"], lang),
                           note=mark.get("note") or "—"))
        out[level_of.get(r["lower_doc"]) or ""].append({
            "upper": (t("report.item", lang, number=G.nodes[upper].get("number") or "", text=_task_text(G, upper))
                      if upper else "—"),
            "task": _numbered(G, lower, lang), "lead": lead, "cooperate": coop,
            "deadline": "、".join(dict.fromkeys(str(x) for x in deadlines)),
            "status": status, "status_key": r["status"], "verdict": (mark or {}).get("verdict"),
            "basis": "\n".join(basis), "document": _lower_label(G, r),
            "who": _who(r, lang), "level": level_of.get(r["lower_doc"]),
            "upper_id": upper, "lower_ids": lower})
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = {lvl: out[lvl] for lvl in sorted(out, key=lambda x: rank.get(x, len(LEVELS)))}
    for level_rows in ordered.values():
        for i, row in enumerate(level_rows, start=1):
            row["no"] = i
    return ordered


def _pair_statuses(pairs: list[dict]) -> list[str]:
    """The statuses counted per document pair: the three of the contract, and not_assessable once the
    analysis gives it."""
    return ["covered", "gap", "not_applicable"] + [s for s in ("not_assessable",) if any(s in p for p in pairs)]


# --- Markdown (cascade gaps) ----------------------------------------------------------------------------

def gaps_markdown(rows: list[dict], G: nx.MultiDiGraph | None = None, lang: str | None = None) -> str:
    """``cascade gaps``'s Markdown in ``lang``: counts per status, the summary per document pair, then one
    table per status (every status the analysis gives, a new one under its own key)."""
    from queries.gaps import STATUSES, summary

    lang = lang or default_lang()
    cell = lambda v: str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")  # noqa: E731
    quote = lambda task: _short(_task_text(G, task), 24) if G is not None and task in G else ""  # noqa: E731
    statuses = ["gap", "not_assessable", "not_applicable", "covered", "local"]
    statuses = [s for s in statuses if s != "not_assessable" or any(r["status"] == s for r in rows)] + \
        sorted({r["status"] for r in rows} - set(statuses))
    counts = Counter(r["status"] for r in rows)
    # The per-pair counts are the analysis's own; a status it does not count yet is listed below, not there.
    pairs = [a for a in summary([r for r in rows if r["status"] in STATUSES]) if a["upper_doc"]]
    per_pair = _pair_statuses(pairs)
    out = [f"# {t('report.title', lang)}", "",
           t("report.md_counts", lang, counts="，".join(f"{term('status', s, lang)} {counts[s]}" for s in statuses)), "",
           "| " + " | ".join([t("report.col.upper_doc", lang), t("report.col.lower_doc", lang)]
                              + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)]) + " |",
           "|---" * (3 + len(per_pair)) + "|"]
    for a in pairs:
        rate = "—" if a.get("rate") is None else f"{a['rate']:.0%}"
        out.append(f"| {cell(a['upper_doc'])} | {cell(a['lower_doc'])} | "
                   + " | ".join(str(a.get(s, 0)) for s in per_pair) + f" | {rate} |")
    out.append("")
    col = lambda *keys: "| " + " | ".join(t(f"report.col.{k}", lang) for k in keys) + " |"  # noqa: E731
    for s in statuses:
        group = [r for r in rows if r["status"] == s]
        out += [f"## {term('status', s, lang)}（{len(group)}）", ""]
        if not group:
            out += [t("report.none", lang), ""]
            continue
        if s == "local":
            out += [col("lower_doc", "lower_task", "text", "reason"), "|---|---|---|---|"]
            out += [f"| {cell(r['lower_doc'])} | {cell(' '.join(r['lower']))} | {cell(quote(r['lower'][0]))} | "
                    f"{cell(reason_text(r['reason'], lang))} |" for r in group]
        else:
            out += [col("upper_task", "lower_doc", "upper", "task", "who", "reason"), "|---|---|---|---|---|---|"]
            out += [f"| {cell(r.get('upper'))} | {cell(_lower_label(G, r) if G is not None else r['lower_doc'])} | "
                    f"{cell(quote(r.get('upper')))} | {cell(' '.join(r.get('lower') or []))} | "
                    f"{cell(_who(r, lang))} | {cell(reason_text(r.get('reason'), lang))} |" for r in group]
        out.append("")
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------------------

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
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(_short(label, 24))}'
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


def _task_link(G, task: str) -> str:
    d = G.nodes[task]
    return f'<a href="#{_e(_anchor(task))}">{_e(d.get("doc_id"))} #{_e(d.get("number"))}</a>'


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


def html_report(G: nx.MultiDiGraph, lang: str | None = None, marks: dict | None = None) -> str:
    """The whole report as one HTML document, in ``lang`` (default: CASCADE_LANG, else Chinese)."""
    from core.records import LEVELS

    lang = lang or default_lang()
    data = _gather(G)
    rows = data["rows"]
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    level_of = {n: d.get("level") for n, d in docs.items()}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           f"<title>{_e(t('report.title', lang))}</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>{_e(t('report.title', lang))}</h1>",
           f"<p>{_e(t('report.generated', lang, when=now, n=len(docs)))}</p>"]

    # The ledger, per level of the reporting documents: what an office sends upward.
    ledger = ledger_rows(G, rows, lang, marks)
    selection = marked_rows(rows, marks)
    if selection:
        out.append(f"<h2>{_e(t('report.marked', lang, n=len(selection)))}</h2>")
        out.append(_table([t(f"report.col.{k}", lang) for k in ("upper_task", "lower_doc", "who", "verdict", "note")],
                          [[_task_link(G, m["upper"]), _e(_lower_label(G, m)), _e(_who(m, lang)),
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
    per_pair = _pair_statuses(pairs)
    out.append(_table([t(k, lang) for k in ("col.upper_doc", "col.lower_doc")]
                      + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)],
                      [[p["upper_doc"], p["lower_doc"], *(p.get(s, 0) for s in per_pair),
                        "—" if p.get("rate") is None else f"{p['rate']:.0%}"] for p in pairs]))

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
            by_section[f"{r['upper_doc']} {_section_path(G, r['upper'])}"][r["status"]] += 1
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
                      [[_task_link(G, r["upper"]), _e(_short(G.nodes[r["upper"]].get("text_norm"), 60)),
                        _e(_lower_label(G, r)), _e(_who(r, lang)),
                        f'<span class="gap">{_e(reason_text(r["reason"], lang))}</span>'] for r in gaps],
                      raw_cols=(0, 1, 2, 3, 4)))
    unknown = [r for r in rows if r["status"] == "not_assessable"]
    out.append(f"<h2>{_e(t('report.not_assessable', lang, n=len(unknown)))}</h2>")
    out.append(_table(col("upper_task", "lower_doc", "who", "waits_for", "reason"),
                      [[_task_link(G, r["upper"]), _e(_lower_label(G, r)), _e(_who(r, lang)),
                        _e(reason_text(_waits_for(r.get("waits_for")), lang)),
                        _e(reason_text(r["reason"], lang))] for r in unknown], raw_cols=(0, 1, 2, 3, 4)))
    na = [r for r in rows if r["status"] == "not_applicable"]
    out.append(f"<h2>{_e(t('report.not_applicable', lang, n=len(na)))}</h2>")
    out.append(_table(col("upper_task", "lower_doc", "reason"),
                      [[_task_link(G, r["upper"]), _e(r["lower_doc"]), _e(reason_text(r["reason"], lang))] for r in na],
                      raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.dropped', lang, n=len(data['dropped'])))}</h2>")
    out.append(_table(col("upper_task", "taken_up_by", "lost_at", "reason"),
                      [[_task_link(G, r["upper"]), " ".join(_task_link(G, m) for m in r["middle"]),
                        _e(r["lower_doc"]), _e(reason_text(r["reason"], lang))] for r in data["dropped"]], raw_cols=(0, 1, 2, 3)))
    local = [r for r in rows if r["status"] == "local"]
    out.append(f"<h2>{_e(t('report.local', lang, n=len(local)))}</h2>")
    out.append(_table(col("lower_task", "text", "reason"),
                      [[_task_link(G, r["lower"][0]), _e(_short(G.nodes[r["lower"][0]].get("text_norm"), 70)),
                        _e(reason_text(r["reason"], lang))] for r in local], raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.leadless', lang, n=len(data['leadless'])))}</h2>")
    out.append(_table(col("lower_task", "units", "reason"),
                      [[_task_link(G, r["task"]), _e("、".join(r["units"])), _e(reason_text(r["reason"], lang))]
                       for r in data["leadless"]], raw_cols=(0, 1, 2)))
    out.append(f"<h2>{_e(t('report.calendar', lang, n=len(data['calendar'])))}</h2>")
    out.append(_table(col("deadline", "lower_task", "units", "upper"),
                      [[_e(c["date"]), _task_link(G, c["task"]), _e("、".join(c["units"])),
                        _e(_short(c["text"], 60))] for c in data["calendar"]], raw_cols=(0, 1, 2, 3)))
    counts = Counter((i.severity, i.code) for i in data["issues"])
    out.append(f"<h2>{_e(t('report.checks', lang))}</h2>")
    out.append(_table(col("severity", "check", "count"),
                      [[term("severity", s, lang), term("check", c, lang), n] for (s, c), n in sorted(counts.items())]))
    out.append(_table(col("severity", "check", "message"),
                      [[term("severity", i.severity, lang), term("check", i.code, lang), reason_text(i.message, lang)]
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
        out.append(f'<h3 id="{_e(_anchor(task))}">{_e(d.get("doc_id"))} #{_e(d.get("number"))} '
                   f'<small>({_e(where)})</small></h3>')
        sec = _section_title(G, task)
        if sec:
            out.append(f"<p>{_e(sec)}</p>")
        out.append(f"<blockquote>{_e(d.get('text'))}</blockquote>")
        units = _units_text(G, task, lang)
        if units:
            out.append(f"<p>{_e(t('report.units', lang))}{_e(units)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- XLSX (台账) ------------------------------------------------------------------------------------------

def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    title, i = base, 2
    while title in used:
        suffix = f"~{i}"
        title, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(title)
    return title


def xlsx_report(G: nx.MultiDiGraph, lang: str | None = None, marks: dict | None = None) -> bytes:
    """The report as XLSX bytes: a summary sheet, a gap sheet, and one 台账 sheet per level of the
    reporting documents (:data:`LEDGER_COLUMNS`), each with a frozen, filtered header repeated on every
    printed page (A4 landscape, fitted to the page width)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    lang = lang or default_lang()
    data = _gather(G)
    rows = data["rows"]

    wb = Workbook()
    body_font = "宋体" if lang == "zh" else "Calibri"
    bold, plain = Font(name="黑体" if lang == "zh" else "Calibri", bold=True), Font(name=body_font)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
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

    def finish(ws):
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment, c.border, c.font = wrap, box, plain

    title = t("report.title", lang)
    ws = wb.active
    ws.title = _sheet_title(t("report.sheet_summary", lang), used)
    pairs = [p for p in data["summary"] if p["upper_doc"]]
    per_pair = _pair_statuses(pairs)
    header(ws, [t(k, lang) for k in ("col.upper_doc", "col.lower_doc")]
           + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)],
           [28, 32] + [12] * len(per_pair) + [10], title)
    for p in pairs:
        ws.append([p["upper_doc"], p["lower_doc"], *(p.get(s, 0) for s in per_pair),
                   p["rate"] if p.get("rate") is not None else ""])
    finish(ws)
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 3 + len(per_pair)).number_format = "0%"

    ws = wb.create_sheet(_sheet_title(t("report.sheet_gaps", lang), used))
    header(ws, [t(f"report.col.{k}", lang) for k in ("no", "upper_doc", "upper_task", "upper", "lower_doc", "reason",
                                                      "lower_title", "lower_issuer", "who")],
           [6, 22, 12, 60, 26, 60, 36, 20, 24], title)
    for i, r in enumerate((r for r in rows if r["status"] == "gap"), start=1):
        u = G.nodes[r["upper"]]
        ws.append([i, r["upper_doc"], u.get("number"), u.get("text_norm"), r["lower_doc"], reason_text(r["reason"], lang),
                   _doc_label(G, r["lower_doc"]), r.get("lower_issuer") or "", _who(r, lang)])
    finish(ws)

    selection = marked_rows(rows, marks)
    if selection:
        ws = wb.create_sheet(_sheet_title(t("report.sheet_marked", lang), used))
        header(ws, [t(f"report.col.{k}", lang) for k in ("no", "upper_doc", "upper_task", "upper", "lower_doc", "who",
                                                          "verdict", "note")],
               [6, 22, 12, 60, 36, 24, 14, 48], title)
        for i, m in enumerate(selection, start=1):
            u = G.nodes[m["upper"]]
            ws.append([i, m["upper_doc"], u.get("number"), u.get("text_norm"), _lower_label(G, m), _who(m, lang),
                       term("verdict", m["verdict"], lang), m.get("note") or ""])
        finish(ws)

    widths = [6, 48, 48, 18, 22, 14, 14, 52, 28, 20]
    for level, level_rows in ledger_rows(G, rows, lang, marks).items():
        name = term("level", level, lang) or t("report.no_level", lang)
        ws = wb.create_sheet(_sheet_title(name, used))
        header(ws, [t(f"report.col.{k}", lang) for k in LEDGER_KEYS], widths,
               f"{title} · {t('report.ledger_level', lang, level=name, n=len(level_rows))}")
        for r in level_rows:
            ws.append([r[k] for k in LEDGER_KEYS])
            fill = _FILL.get(r["status_key"])
            if fill:
                ws.cell(ws.max_row, LEDGER_KEYS.index("status") + 1).fill = PatternFill("solid", fgColor=fill)
        finish(ws)
        for row in ws.iter_rows(min_row=2, max_col=1):
            row[0].alignment = centre
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
