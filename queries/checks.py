"""Cascade checks as issue objects with a severity; the CLI, the report and the app render them.

Checks: how sure each document's load is (rows found against the numbers printed, rows without a
unit cell), a truncated document (what is missing cannot be covered nor checked), an unresolved unit (a
name that did not resolve to a region-qualified unit, or still holds role words), a lead-less task, and
every coverage gap.

>>> from queries.gaps import _example
>>> [(i.severity, i.code, i.node) for i in check(_example())]
[('error', 'gap', 'up/2'), ('warning', 'leadless-task', 'up/1')]
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import networkx as nx

__all__ = ["Issue", "check", "SEVERITIES"]

SEVERITIES = ("error", "warning", "info")
_ROLE_LEFTOVER = re.compile(r"牵头各|牵头.+[局办委]|(按职能分工|按职责分工|配合|落实|会办|协助)$")


@dataclass(frozen=True)
class Issue:
    severity: str          # error, warning, info
    code: str              # truncated-document, unresolved-unit, leadless-task, gap
    message: str
    node: str | None = None      # the node it is about
    doc_id: str | None = None

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


def check(G: nx.MultiDiGraph, rows: list[dict] | None = None) -> list[Issue]:
    """Every issue of the graph, errors first, then by code, then in the order its document prints the node (第5项 before 第12项)."""
    from queries.gaps import coverage, leadless_tasks

    issues: list[Issue] = []
    for n, d in G.nodes(data=True):
        label = d.get("label")
        if label == "Document" and d.get("parse"):
            p = d["parse"] if isinstance(d["parse"], dict) else {}
            said = []
            if p.get("missing"):
                said.append(f"{p.get('rows')} of {p.get('highest')} numbered rows found (missing "
                            + ", ".join(p["missing"][:10]) + ")")
            if p.get("without_units"):
                said.append(f"{p['without_units']} rows without a unit cell")
            if p.get("unsplit"):
                said.append(f"{p['unsplit']} rows whose unit cells could not be split from the text")
            for one in said:   # one issue a finding: each is said (and translated) as a whole
                issues.append(Issue("info", "parse-confidence", f"{n} ({d.get('source')}): {one}", n, n))
        if label == "Document" and d.get("truncated"):
            issues.append(Issue("warning", "truncated-document",
                                f"{n} ({d.get('source')}) is truncated: requirements in the missing text are neither "
                                f"listed nor checked", n, n))
        elif label == "Unit":
            name, region = d.get("name") or "", d.get("region") or ""
            problem = None
            if _ROLE_LEFTOVER.search(name):
                problem = "still holds role words"
            elif region and region not in ("全国",) and not name.startswith(region[:2]) and not d.get("collective"):
                problem = f"is not qualified by its region {region}"
            if problem:
                issues.append(Issue("warning", "unresolved-unit", f"unit '{name}' {problem}", n, None))
    for r in leadless_tasks(G):
        issues.append(Issue("warning", "leadless-task", f"{r['doc_id']} #{r['number']}: {r['reason']}",
                            r["task"], r["doc_id"]))
    rows = coverage(G) if rows is None else rows
    truncated = {n for n, d in G.nodes(data=True) if d.get("label") == "Document" and d.get("truncated")}
    for r in rows:
        if r["status"] != "gap":
            continue
        sev = "warning" if r["lower_doc"] in truncated else "error"
        issues.append(Issue(sev, "gap", f"{r['upper']} not taken up by {r['lower_doc']}: {r['reason']}",
                            r["upper"], r["lower_doc"]))
    rank = {s: i for i, s in enumerate(SEVERITIES)}

    def printed(i: Issue) -> tuple:
        # A task's place in its document, not its id: 第5项 before 第12项, as the document prints them.
        d = G.nodes.get(i.node) or {} if i.node is not None else {}
        return (d.get("doc_id") or i.node or "", d.get("position") if d.get("position") is not None else -1)

    issues.sort(key=lambda i: (rank.get(i.severity, 9), i.code, *printed(i), i.node or "", i.doc_id or ""))
    return issues
