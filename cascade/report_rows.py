"""The rows of the coverage report, gathered from the graph once and read by every writer (HTML, XLSX
and PDF in :mod:`cascade.report`, the Markdown of ``cascade gaps``): the 台账 (ledger) rows per level,
the analyst's marked rows, and the labels an office reads (《title》（文号）, who must act, where a task
stands). Text here is plain: each writer escapes it for its own format.
"""
from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

from cascade.i18n import default_lang, reason_text, t, term

__all__ = ["report_data", "scoped", "scope_of", "ledger_rows", "marked_rows", "pair_statuses", "doc_label", "lower_label", "who_must_act",
           "task_text", "units_text", "rate_text", "doc_name", "doc_names", "names_of", "section_title", "section_path", "shorten", "waits_for_text", "LEDGER_KEYS",
           "LEDGER_COLUMNS", "STATUS_ZH"]

# The 台账 columns: stable keys, the office's headers (report.col.<key> in the catalogue).
LEDGER_KEYS = ("no", "upper", "task", "lead", "cooperate", "deadline", "status", "basis", "document", "who")
LEDGER_COLUMNS = ("序号", "上级要求", "本级任务", "牵头单位", "配合单位", "完成时限", "落实情况", "依据（原文摘录）",
                  "本级文件", "需落实单位")
STATUS_ZH = {s: term("status", s, "zh") for s in ("covered", "gap", "not_applicable", "local", "not_assessable")}
_EXCERPT = 60


def report_data(G: nx.MultiDiGraph, scope=None) -> dict:
    """What every writer reads of the graph. ``scope`` (a set of document ids): the report of those
    documents only — their rows against the plans above them, their local additions, their tasks'
    workload, deadlines and checks — as a province's or a county's office hands upward from a nation-year's
    graph; ``documents`` counts the documents reported on."""
    from queries.calendar import deadline_calendar
    from queries.checks import check
    from queries.gaps import coverage, dropped_chains, leadless_tasks, summary
    from queries.overview import documents_table
    from queries.workload import workload

    rows = coverage(G, scope)
    inner = G if scope is None else scoped(G, scope)
    documents = documents_table(G) if scope is None else [r for r in documents_table(G) if r["id"] in scope]
    return {"rows": rows, "summary": summary(rows), "dropped": dropped_chains(G, rows),
            "leadless": leadless_tasks(inner), "workload": workload(inner, merge=True), "documents": documents,
            "calendar": deadline_calendar(inner), "issues": check(inner, rows)}


def scoped(G: nx.MultiDiGraph, scope) -> nx.MultiDiGraph:
    """The part of ``G`` that is ``scope``'s documents (their sections and tasks), the units they name and
    the collectives covering those (a copy: the analyses walk it many times, and a view filters every
    step), so the workload, deadlines and checks count only what those documents assign."""
    from graph.build import reachable

    inside = {n for n, d in G.nodes(data=True) if n in scope or d.get("doc_id") in scope}
    units = {v for n in inside for _, v, e in G.out_edges(n, data=True) if e.get("type") in ("ASSIGNED_TO", "ISSUED_BY")}
    units |= {c for u in list(units) for c in reachable(G, u, "MEMBER_OF")}
    keep = inside | units
    return G.subgraph(keep).copy()


def scope_of(documents, region: str | None = None, levels=(), years=()) -> set[str]:
    """The ids of the ``documents`` (a graph, or rows ``{id, level, region, year}``) of ``region`` and below
    (a region is named by its prefix: 广东省 holds 广东省广州市, and 广州市, which lies in it), of ``levels``
    and ``years`` (none: any)."""
    if isinstance(documents, nx.Graph):
        documents = [{"id": n, **d} for n, d in documents.nodes(data=True) if d.get("label") == "Document"]
    from graph.link import region_chain

    def within(r: str | None) -> bool:   # 广东省 holds 广州市 too, the province its chain starts at
        return (r or "").startswith(region) or region in region_chain(r)

    return {d["id"] for d in documents
            if (not region or within(d.get("region")))
            and (not levels or d.get("level") in levels) and (not years or d.get("year") in years)}


def _units_by_role(G, task: str) -> dict[str, list[str]]:
    """The names of a task's own units per role, in the order the plan prints them (``Task.own_units``; the
    order of edges is the builder's in memory, another after a reload, and none in the database)."""
    printed = {u: i for i, u in enumerate(G.nodes[task].get("own_units") or [])}
    edges = sorted(G.out_edges(task, data=True), key=lambda e: printed.get(e[1], len(printed)))
    by_role: dict[str, list[str]] = defaultdict(list)
    for _, v, d in edges:
        if d.get("type") == "ASSIGNED_TO" and d.get("column", "own") == "own":
            name = G.nodes[v].get("short_name") or G.nodes[v].get("name")
            role = d.get("role") or "implement"
            if name and name not in by_role[role]:
                by_role[role].append(name)
    return by_role


def units_text(G, task: str, lang: str) -> str:
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


def section_title(G, task: str) -> str:
    from queries.gaps import sections_above

    secs = sections_above(G, task)
    return " / ".join(f"{G.nodes[s].get('number') or ''}{G.nodes[s].get('title') or ''}" for s in reversed(secs))


def section_path(G, task: str) -> str:
    from queries.gaps import sections_above

    return "/".join(G.nodes[s].get("number") or "" for s in reversed(sections_above(G, task)))


def shorten(text: str | None, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def rate_text(pair: dict, lang: str) -> str:
    """落实率 of a document pair, and beside it how many of its requirements cannot be judged: the rate
    counts only what could be judged, so a 100% over rows no one could judge must say so where it is read.

    >>> rate_text({"rate": 1.0, "not_assessable": 32}, "zh")
    '100%（另有 32 项无法判断）'
    """
    rate = "—" if pair.get("rate") is None else f"{pair['rate']:.0%}"
    n = pair.get("not_assessable") or 0
    return t("report.rate_unjudged", lang, rate=rate, unjudged=t("view.unjudged", lang, n=n)) if n else rate


_ISSUING = re.compile(r"^.*?关于(?:印发|转发)(.+?)的通知$")    # a notice is known by the plan it issues
_ABOUT = re.compile(r"^.{2,40}?关于(.+)$")                     # an interpretation, by what it is about
_PLACE = re.compile(r"[省市区县州旗盟镇乡]|国务院")


def doc_name(G, doc: str | None, n: int = 30) -> str:
    """A document as a person names it in a sentence or a table cell: 《the plan's own name》 (an issuing
    notice by the plan it issues, the issuer before 关于 left out, shortened to ``n`` characters), else its
    issuer and year, else its id.

    >>> import networkx as nx; G = nx.MultiDiGraph()
    >>> G.add_node("d", title="广州市黄埔区人民政府办公室关于印发广州市黄埔区2022年政务公开工作要点分工方案的通知")
    >>> G.add_node("i", title="广州市人民政府关于《2021年广州市政务公开工作要点分工方案》的解读")
    >>> G.add_node("x", issuer="某县人民政府办公室", year=2021)
    >>> G.add_node("n", title="国务院办公厅关于印发2022年政务公开工作要点的通知", issuer="国务院办公厅")
    >>> doc_name(G, "d"), doc_name(G, "i"), doc_name(G, "x"), doc_name(G, "y")
    ('《广州市黄埔区2022年政务公开工作要点分工方案》', '《〈2021年广州市政务公开工作要点分工方案〉的解读》', '某县人民政府办公室 2021年', 'y')
    >>> doc_name(G, "n")
    '国务院办公厅《2022年政务公开工作要点》'
    """
    return _name(doc, G.nodes.get(doc) or {} if doc is not None else {}, n)


def _name(doc, d: dict, n: int = 30) -> str:
    title = "".join((d.get("title") or "").split())
    if title:
        m = _ISSUING.match(title) or _ABOUT.match(title)
        name = m.group(1) if m else title
        if name.startswith("《") and name.endswith("》") and name.count("《") == 1:
            name = name[1:-1]
        name = f"《{shorten(name.replace('《', '〈').replace('》', '〉'), n)}》"
        # a plan's name that holds no place (2022年政务公开工作要点) is told apart by its issuer
        return name if _PLACE.search(name) or not d.get("issuer") else f"{d['issuer']}{name}"
    if d.get("issuer"):
        return f"{d['issuer']} {d['year']}年" if d.get("year") else d["issuer"]
    return str(doc)


def doc_names(G) -> dict[str, str]:
    """Every document's :func:`doc_name`, by id (for :func:`cascade.i18n.reason_text`)."""
    return {n: doc_name(G, n) for n, d in G.nodes(data=True) if d.get("label") == "Document"}


def names_of(documents: dict[str, dict]) -> dict[str, str]:
    """:func:`doc_names` of documents read from the store (``{id: {title, issuer, year …}}``), no graph."""
    return {k: _name(k, v or {}) for k, v in documents.items()}


def doc_label(G, doc: str | None) -> str:
    """《title》（文号）, or the id when the document has no title."""
    d = G.nodes.get(doc) or {}
    name = f"《{d['title']}》" if d.get("title") else str(doc)
    return name + (f"（{d['doc_no']}）" if d.get("doc_no") else "")


def lower_label(G, r: dict) -> str:
    """The lower document of a coverage row as an office names it: 《title》（文号）, then its issuer."""
    label = doc_label(G, r.get("lower_doc"))
    issuer = r.get("lower_issuer") or (G.nodes.get(r.get("lower_doc")) or {}).get("issuer")
    return f"{label} {issuer}" if issuer and issuer not in label else label


def who_must_act(r: dict, lang: str) -> str:
    """Who must act, in ``lang``: the issuer, then the unit the upper text names, or the units of the
    nearest assignment marked as a suggestion; on a row waiting for the plan between, that plan's issuer,
    or that it cannot be told."""
    who = list(r.get("who") or [])
    if len(who) > 1 and r.get("who_via") == "nearest":
        return t("report.who_nearest", lang, issuer=who[0], units="、".join(who[1:]))
    if r.get("who_via") == "between_unknown":   # (a row waiting for a plan between whose issuer cannot be told)
        return t("report.who_between_unknown", lang)
    if who and r.get("who_via") == "between":
        return t("report.who_between", lang, issuer=who[0])
    return "、".join(who)


def task_text(G, task: str) -> str:
    d = G.nodes[task]
    return " ".join((d.get("text_norm") or d.get("text") or d.get("title") or "").split())


def _numbered(G, tasks: list[str], lang: str) -> str:
    return "\n".join(t("report.item", lang, number=G.nodes[x].get("number") or "", text=task_text(G, x))
                     for x in tasks)


def waits_for_text(value) -> str:
    """What a not_assessable row waits for (a document, a level, or a list of them), as one line."""
    if isinstance(value, dict):
        return "、".join(str(v) for v in value.values() if v)
    if isinstance(value, (list, tuple)):
        return "、".join(waits_for_text(v) for v in value)
    return "" if value is None else str(value)


def _where(G, task: str, lang: str) -> str:
    """Where a task stands: 《document》（文号）第N项（第L行）."""
    d = G.nodes[task]
    where = t("report.where", lang, doc=doc_label(G, d.get("doc_id")), number=d.get("number") or "")
    return where + (t("report.line", lang, line=d["line"]) if d.get("line") else "")


def _excerpt(G, task: str, lang: str) -> str:
    """依据: where the text stands and the text as printed, shortened."""
    d = G.nodes[task]
    from loaders.normalize import strip_pinyin   # a mirror's pinyin glosses are not the text

    return f"{_where(G, task, lang)}：{shorten(strip_pinyin(d.get('text') or d.get('text_norm') or ''), _EXCERPT)}"


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
    names = doc_names(G)    # the reasons name documents as a person does, not by id
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
            basis.append(t("report.reason", lang, reason=reason_text(r["reason"], lang, names)))
        if r.get("waits_for"):
            basis.append(t("report.waits_for", lang, what=reason_text(waits_for_text(r["waits_for"]), lang, names)))
        mark = (marks or {}).get((r.get("upper"), r.get("lower_doc"))) if r["status"] in ("gap", "not_assessable") else None
        status = term("status", r["status"], lang)
        if mark:
            status = t("report.status_marked", lang, status=status, verdict=term("verdict", mark["verdict"], lang))
            basis.append(t("report.verdict_line", lang, verdict=term("verdict", mark["verdict"], lang),
                           note=mark.get("note") or "—"))
        out[level_of.get(r["lower_doc"]) or ""].append({
            "upper": (t("report.item", lang, number=G.nodes[upper].get("number") or "", text=task_text(G, upper))
                      if upper else "—"),
            "task": _numbered(G, lower, lang), "lead": lead, "cooperate": coop,
            "deadline": "、".join(dict.fromkeys(str(x) for x in deadlines)),
            "status": status, "status_key": r["status"], "verdict": (mark or {}).get("verdict"),
            "basis": "\n".join(basis), "document": lower_label(G, r),
            "who": who_must_act(r, lang), "level": level_of.get(r["lower_doc"]),
            "upper_id": upper, "lower_ids": lower})
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = {lvl: out[lvl] for lvl in sorted(out, key=lambda x: rank.get(x, len(LEVELS)))}
    for level_rows in ordered.values():
        for i, row in enumerate(level_rows, start=1):
            row["no"] = i
    return ordered


def pair_statuses(pairs: list[dict]) -> list[str]:
    """The statuses counted per document pair: the three of the contract, and not_assessable once the
    analysis gives it."""
    return ["covered", "gap", "not_applicable"] + [s for s in ("not_assessable",) if any(s in p for p in pairs)]


def marked_rows(rows: list[dict], marks: dict | None) -> list[dict]:
    """The worklist rows an analyst marked, with their verdict and note."""
    if not marks:
        return []
    from graph.marks import apply_marks

    return [r for r in apply_marks(rows, marks) if r.get("verdict")]
