"""The coverage report a 政务公开办 hands upward: HTML with charts, or an XLSX in the 台账 layout.

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

from cascade.errors import CascadeError
from graph.textsafe import spreadsheet_cell

__all__ = ["write_report", "html_report", "xlsx_report", "LEDGER_COLUMNS", "STATUS_ZH"]

LEDGER_COLUMNS = ("序号", "工作任务", "具体要求", "责任单位", "完成时限", "上级依据", "覆盖情况")
STATUS_ZH = {"covered": "已落实", "gap": "缺口", "not_applicable": "不适用",
             "not_assessable": "无法判断（缺上级或本级文件）", "local": "本级新增"}
ROLE_ZH = {"lead": "牵头", "implement": "落实", "cooperate": "配合", "support": "支持"}
_COLORS = {"covered": "#2e7d32", "gap": "#c62828", "not_applicable": "#9e9e9e", "not_assessable": "#f9a825",
           "lead": "#1565c0", "implement": "#42a5f5", "cooperate": "#ffb300", "support": "#8d6e63"}


def write_report(G: nx.MultiDiGraph, out: str | os.PathLike, fmt: str = "html") -> None:
    """Write the report to ``out`` (atomically): ``html`` or ``xlsx``."""
    from graph.export import write_atomic

    if fmt == "html":
        write_atomic(out, html_report(G))
    elif fmt == "xlsx":
        write_atomic(out, xlsx_report(G))
    else:
        raise CascadeError(f"{out}: unknown report format '{fmt}' (html or xlsx)")


# --- data shared by both formats ------------------------------------------------------------------------

def _gather(G: nx.MultiDiGraph) -> dict:
    from queries.calendar import deadline_calendar
    from queries.checks import check
    from queries.gaps import coverage, dropped_chains, leadless_tasks, summary
    from queries.overview import documents_table
    from queries.workload import workload

    rows = coverage(G)
    return {"rows": rows, "summary": summary(rows), "dropped": dropped_chains(G, rows),
            "leadless": leadless_tasks(G), "workload": workload(G), "documents": documents_table(G),
            "calendar": deadline_calendar(G), "issues": check(G, rows)}


def _units_text(G, task: str) -> str:
    by_role: dict[str, list[str]] = defaultdict(list)
    for _, v, d in G.out_edges(task, data=True):
        if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own":
            name = G.nodes[v].get("short_name") or G.nodes[v].get("name")
            if name not in by_role[d.get("role") or "implement"]:
                by_role[d.get("role") or "implement"].append(name)
    return ";".join("、".join(sorted(names)) + ROLE_ZH.get(role, "")
                    for role, names in sorted(by_role.items(), key=lambda x: list(ROLE_ZH).index(x[0])
                                              if x[0] in ROLE_ZH else 9))


def _section_title(G, task: str) -> str:
    from queries.gaps import sections_above

    secs = sections_above(G, task)
    return " / ".join(f"{G.nodes[s].get('number') or ''}{G.nodes[s].get('title') or ''}" for s in reversed(secs))


def _section_path(G, task: str) -> str:
    from queries.gaps import sections_above

    return "/".join(G.nodes[s].get("number") or "" for s in reversed(sections_above(G, task)))


def _short(text: str | None, n: int = 40) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _anchor(node_id: str) -> str:
    return "src-" + re.sub(r"[^\w\u4e00-\u9fff-]", "_", node_id)


# --- HTML -----------------------------------------------------------------------------------------------

def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _bar_chart(title: str, bars: list[tuple[str, list[tuple[str, float]]]], series: list[str],
               width: int = 900) -> str:
    """A horizontal stacked bar chart as inline SVG; ``bars`` are (label, [(series, value)])."""
    if not bars:
        return f"<figure><figcaption>{_e(title)}</figcaption><p>No data.</p></figure>"
    label_w, bar_h, gap, top = 330, 18, 8, 28
    total_max = max(sum(v for _, v in vals) for _, vals in bars) or 1
    plot_w = width - label_w - 60
    height = top + len(bars) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{_e(title)}" font-family="sans-serif" font-size="12">']
    x = label_w
    for s in series:  # legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{_COLORS.get(s, "#607d8b")}"/>'
                     f'<text x="{x + 16}" y="16">{_e(STATUS_ZH.get(s) or ROLE_ZH.get(s) or s)} ({_e(s)})</text>')
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
                         f'fill="{_COLORS.get(s, "#607d8b")}"><title>{_e(label)}: {_e(s)} {v:g}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(v for _, v in vals):g}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</figure>"


def _table(headers: list[str], rows: list[list[str]], raw_cols: tuple[int, ...] = ()) -> str:
    """An HTML table; cells are escaped unless their column is in ``raw_cols`` (already-built HTML)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = "".join(f"<td>{c if i in raw_cols else _e(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _task_link(G, task: str) -> str:
    d = G.nodes[task]
    return f'<a href="#{_e(_anchor(task))}">{_e(d.get("doc_id"))} #{_e(d.get("number"))}</a>'


def html_report(G: nx.MultiDiGraph) -> str:
    """The whole report as one HTML document."""
    from loaders.records import LEVELS

    data = _gather(G)
    rows = data["rows"]
    docs = {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}
    level_of = {n: d.get("level") for n, d in docs.items()}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           "<title>政务公开工作要点落实情况报告 · coverage report</title>",
           "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
           "margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}"
           "th{background:#f3f3f3}.gap{color:#c62828;font-weight:bold}.covered{color:#2e7d32}"
           ".not_applicable{color:#757575}figure{margin:1em 0}figcaption{font-weight:bold}"
           "blockquote{margin:.3em 0 1em 1em;border-left:3px solid #ddd;padding-left:.6em;white-space:pre-wrap}"
           "</style></head><body>",
           "<h1>政务公开工作要点落实情况报告</h1>",
           f"<p>Coverage report generated {_e(now)} from {len(docs)} documents.</p>"]

    # Summary per document and level.
    out.append("<h2>Documents</h2>")
    out.append(_table(["document", "level", "region", "year", "tasks", "linked up", "truncated", "title"],
                      [[d["id"], d["level"], d["region"], d["year"], d["tasks"], d["linked_tasks"],
                        "yes" if d["truncated"] else "", d["title"]] for d in data["documents"]]))
    out.append("<h2>Coverage per upper and lower document</h2>")
    pairs = [s for s in data["summary"] if s["upper_doc"]]
    out.append(_table(["upper document", "lower document", "covered", "gap", "not applicable", "covered / expected"],
                      [[s["upper_doc"], s["lower_doc"], s["covered"], s["gap"], s["not_applicable"],
                        "—" if s["rate"] is None else f"{s['rate']:.0%}"] for s in pairs]))

    # Charts.
    by_level: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["status"] != "local":
            by_level[f"{level_of.get(r['upper_doc'])} → {level_of.get(r['lower_doc'])}"][r["status"]] += 1
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    order = sorted(by_level, key=lambda k: [rank.get(x.strip(), 9) for x in k.split("→")])
    status_series = ["covered", "gap", "not_assessable", "not_applicable"]
    out.append("<h2>Charts</h2>")
    out.append(_bar_chart("Coverage per level (upper → lower)",
                          [(k, [(s, by_level[k][s]) for s in status_series]) for k in order], status_series))
    by_section: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["status"] in ("covered", "gap"):
            by_section[f"{r['upper_doc']} {_section_path(G, r['upper'])}"][r["status"]] += 1
    out.append(_bar_chart("Coverage per upper section (expected requirements, all lower documents)",
                          [(k, [(s, by_section[k][s]) for s in ("covered", "gap")])
                           for k in sorted(by_section, key=lambda k: k.split(" ")[0])],  # stable: plan order
                          ["covered", "gap"]))
    top = [w for w in data["workload"] if w["total"]][:20]
    roles = ["lead", "implement", "cooperate", "support"]
    out.append(_bar_chart("Workload per unit (own assignments; top 20)",
                          [(f"{w['name']} ({w['level']})", [(r, w[r]) for r in roles]) for w in top], roles))

    # Gaps with reasons and links to the source text.
    gaps = [r for r in rows if r["status"] == "gap"]
    out.append(f"<h2>Gaps ({len(gaps)})</h2>")
    out.append(_table(["upper task", "requirement", "lower document", "reason"],
                      [[_task_link(G, r["upper"]), _e(_short(G.nodes[r["upper"]].get("text_norm"), 60)),
                        _e(r["lower_doc"]), f'<span class="gap">{_e(r["reason"])}</span>'] for r in gaps],
                      raw_cols=(0, 1, 2, 3)))
    unknown = [r for r in rows if r["status"] == "not_assessable"]
    out.append(f"<h2>Not assessable ({len(unknown)}) · {STATUS_ZH['not_assessable']}</h2>")
    out.append(_table(["upper task", "lower document", "waits for", "reason"],
                      [[_task_link(G, r["upper"]), _e(r["lower_doc"]), _e(r.get("waits_for") or ""), _e(r["reason"])]
                       for r in unknown], raw_cols=(0, 1, 2, 3)))
    na = [r for r in rows if r["status"] == "not_applicable"]
    out.append(f"<h2>Not applicable ({len(na)})</h2>")
    out.append(_table(["upper task", "lower document", "reason"],
                      [[_task_link(G, r["upper"]), _e(r["lower_doc"]), _e(r["reason"])] for r in na],
                      raw_cols=(0, 1, 2)))
    out.append(f"<h2>Dropped chains ({len(data['dropped'])})</h2>")
    out.append(_table(["upper task", "taken up by", "lost at", "reason"],
                      [[_task_link(G, r["upper"]), " ".join(_task_link(G, m) for m in r["middle"]),
                        _e(r["lower_doc"]), _e(r["reason"])] for r in data["dropped"]], raw_cols=(0, 1, 2, 3)))
    local = [r for r in rows if r["status"] == "local"]
    out.append(f"<h2>Local additions ({len(local)})</h2>")
    out.append(_table(["lower task", "text", "reason"],
                      [[_task_link(G, r["lower"][0]), _e(_short(G.nodes[r["lower"][0]].get("text_norm"), 70)),
                        _e(r["reason"])] for r in local], raw_cols=(0, 1, 2)))
    out.append(f"<h2>Lead-less tasks ({len(data['leadless'])})</h2>")
    out.append(_table(["task", "units", "reason"],
                      [[_task_link(G, r["task"]), _e("、".join(r["units"])), _e(r["reason"])]
                       for r in data["leadless"]], raw_cols=(0, 1, 2)))
    out.append(f"<h2>Deadline calendar ({len(data['calendar'])})</h2>")
    out.append(_table(["deadline", "task", "units", "requirement"],
                      [[_e(c["date"]), _task_link(G, c["task"]), _e("、".join(c["units"])),
                        _e(_short(c["text"], 60))] for c in data["calendar"]], raw_cols=(0, 1, 2, 3)))
    counts = Counter((i.severity, i.code) for i in data["issues"])
    out.append("<h2>Checks</h2>")
    out.append(_table(["severity", "check", "count"], [[s, c, n] for (s, c), n in sorted(counts.items())]))
    out.append(_table(["severity", "check", "message"],
                      [[i.severity, i.code, i.message] for i in data["issues"] if i.code != "gap"]))

    # The source text every link above points to.
    cited = {r["upper"] for r in gaps + na + unknown} | {r["lower"][0] for r in local} | \
            {r["upper"] for r in data["dropped"]} | {m for r in data["dropped"] for m in r["middle"]} | \
            {r["task"] for r in data["leadless"]} | {c["task"] for c in data["calendar"]}
    out.append("<h2>Source text</h2>")
    for t in sorted(cited):
        d = G.nodes[t]
        doc = docs.get(d.get("doc_id"), {})
        where = f"{doc.get('source') or d.get('doc_id')}" + (f", line {d['line']}" if d.get("line") else "")
        out.append(f'<h3 id="{_e(_anchor(t))}">{_e(d.get("doc_id"))} #{_e(d.get("number"))} '
                   f'<small>({_e(where)})</small></h3>')
        sec = _section_title(G, t)
        if sec:
            out.append(f"<p>{_e(sec)}</p>")
        out.append(f"<blockquote>{_e(d.get('text'))}</blockquote>")
        units = _units_text(G, t)
        if units:
            out.append(f"<p>责任单位: {_e(units)}</p>")
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


def xlsx_report(G: nx.MultiDiGraph) -> bytes:
    """The report as XLSX bytes: a summary sheet, a gap sheet, and one 台账 sheet per document with tasks
    (序号 | 工作任务 | 具体要求 | 责任单位 | 完成时限 | 上级依据 | 覆盖情况)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from queries.gaps import derived_targets, plan_tasks

    data = _gather(G)
    rows = data["rows"]
    by_upper: dict[str, list[dict]] = defaultdict(list)
    local = set()
    for r in rows:
        if r["status"] == "local":
            local.add(r["lower"][0])
        else:
            by_upper[r["upper"]].append(r)

    wb = Workbook()
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    used: set[str] = set()

    def header(ws, cols, widths):
        ws.append(list(cols))
        for i, c in enumerate(ws[1], start=1):
            c.font, c.fill, c.alignment = bold, head_fill, wrap
            ws.column_dimensions[c.column_letter].width = widths[i - 1]
        ws.freeze_panes = "A2"

    ws = wb.active
    ws.title = _sheet_title("汇总", used)
    header(ws, ["上级文件", "下级文件", "已落实", "缺口", "不适用", "落实率"], [28, 32, 10, 10, 10, 10])
    for s in data["summary"]:
        if s["upper_doc"]:
            ws.append([s["upper_doc"], s["lower_doc"], s["covered"], s["gap"], s["not_applicable"],
                       s["rate"] if s["rate"] is not None else ""])
            ws.cell(ws.max_row, 6).number_format = "0%"

    ws = wb.create_sheet(_sheet_title("缺口", used))
    header(ws, ["序号", "上级文件", "上级任务", "具体要求", "下级文件", "原因"], [6, 22, 12, 60, 26, 60])
    for i, r in enumerate((r for r in rows if r["status"] == "gap"), start=1):
        u = G.nodes[r["upper"]]
        ws.append([i, r["upper_doc"], u.get("number"), u.get("text_norm"), r["lower_doc"], r["reason"]])
        for c in ws[ws.max_row]:
            c.alignment = wrap

    for doc, _ in sorted(((n, d) for n, d in G.nodes(data=True) if d.get("label") == "Document"),
                         key=lambda x: x[0]):
        tasks = plan_tasks(G, doc)
        if not tasks:
            continue
        ws = wb.create_sheet(_sheet_title(doc, used))
        header(ws, LEDGER_COLUMNS, [6, 28, 60, 34, 16, 40, 40])
        for i, t in enumerate(tasks, start=1):
            d = G.nodes[t]
            basis = []
            for target in derived_targets(G, t):
                td = G.nodes[target]
                text = td.get("text_norm") if td.get("label") == "Task" else td.get("title")
                basis.append(f"{td.get('doc_id')} {td.get('number')}:{_short(text, 30)}")
            status = [f"{r['lower_doc']}:{STATUS_ZH[r['status']]}"
                      + (f"({'、'.join(str(G.nodes[x].get('number')) for x in r['lower'])})" if r["lower"] else "")
                      for r in by_upper.get(t, [])]
            if t in local:
                status.insert(0, STATUS_ZH["local"])
            ws.append([i, _section_title(G, t), d.get("text_norm"), _units_text(G, t),
                       "、".join(d.get("deadlines") or []), "\n".join(basis), "\n".join(status)])
            for c in ws[ws.max_row]:
                c.alignment = wrap
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
