"""``cascade gaps``'s Markdown: the coverage rows as text a terminal, a mail or a wiki shows."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from cascade.i18n import default_lang, reason_text, t, term
from cascade.report_rows import doc_names, lower_label, pair_statuses, rate_text, shorten, task_text, who_must_act

__all__ = ["gaps_markdown"]


def gaps_markdown(rows: list[dict], G: nx.MultiDiGraph | None = None, lang: str | None = None) -> str:
    """``cascade gaps``'s Markdown in ``lang``: counts per status, the summary per document pair, then one
    table per status (every status the analysis gives, a new one under its own key)."""
    from queries.gaps import STATUSES, summary

    lang = lang or default_lang()
    cell = lambda v: str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")  # noqa: E731
    quote = lambda task: shorten(task_text(G, task), 24) if G is not None and task in G else ""  # noqa: E731
    names = doc_names(G) if G is not None else {}   # a document as a person names it, not its id
    name = lambda doc: names.get(doc, doc)  # noqa: E731
    statuses = ["gap", "not_assessable", "not_applicable", "covered", "local"]
    statuses = [s for s in statuses if s != "not_assessable" or any(r["status"] == s for r in rows)] + \
        sorted({r["status"] for r in rows} - set(statuses))
    counts = Counter(r["status"] for r in rows)
    # The per-pair counts are the analysis's own; a status it does not count yet is listed below, not there.
    pairs = [a for a in summary([r for r in rows if r["status"] in STATUSES]) if a["upper_doc"]]
    per_pair = pair_statuses(pairs)
    out = [f"# {t('report.title', lang)}", "",
           t("report.md_counts", lang, counts="，".join(f"{term('status', s, lang)} {counts[s]}" for s in statuses)), "",
           "| " + " | ".join([t("report.col.upper_doc", lang), t("report.col.lower_doc", lang)]
                              + [term("status", s, lang) for s in per_pair] + [t("report.rate", lang)]) + " |",
           "|---" * (3 + len(per_pair)) + "|"]
    for a in pairs:
        rate = rate_text(a, lang)
        out.append(f"| {cell(name(a['upper_doc']))} | {cell(name(a['lower_doc']))} | "
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
            out += [f"| {cell(name(r['lower_doc']))} | {cell(' '.join(r['lower']))} | {cell(quote(r['lower'][0]))} | "
                    f"{cell(reason_text(r['reason'], lang, names))} |" for r in group]
        else:
            out += [col("upper_task", "lower_doc", "upper", "task", "who", "reason"), "|---|---|---|---|---|---|"]
            out += [f"| {cell(r.get('upper'))} | {cell(lower_label(G, r) if G is not None else r['lower_doc'])} | "
                    f"{cell(quote(r.get('upper')))} | {cell(' '.join(r.get('lower') or []))} | "
                    f"{cell(who_must_act(r, lang))} | {cell(reason_text(r.get('reason'), lang, names))} |" for r in group]
        out.append("")
    return "\n".join(out)
