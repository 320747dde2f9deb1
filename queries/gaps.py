"""Coverage: which upper requirements reached the level below, which did not, and which were never
asked of it (SCHEMA.md, "Coverage words").

For each upper task and each lower document that ``IMPLEMENTS`` the upper task's document:

* *expected* when the lower document's issuer, or a collective covering it (``MEMBER_OF``), is among
  the upper document's own units of the task (``column == "own"``), or when the task names no unit and
  so addresses every lower government (the State Council's narrative 要点);
* then *covered* when a task of the lower document derives from it (or from its section, when the
  link could go no finer), else a *gap*;
* *not applicable* when the task is assigned only to other named units, or its text addresses only
  the national level (``国务院有关主管部门将于…``).

Tasks of a cover notice (``scope == "notice"``) are not requirements of the plan and are left out;
``DERIVED_FROM`` links a reviewer rejected do not count.

>>> G = _example()
>>> [(r["upper"], r["status"]) for r in coverage(G) if r["status"] != "local"]
[('up/1', 'covered'), ('up/2', 'gap'), ('up/3', 'not_applicable')]
>>> [r["lower"] for r in coverage(G) if r["status"] == "local"]
[['low/9']]
"""
from __future__ import annotations

import csv
import io
import json

import networkx as nx

from graph.build import issuer_of, own_units
from graph.textsafe import spreadsheet_rows
from loaders.clauses import NATIONAL_ONLY, national_subject

from loaders.lower_work import lower_government_work
from loaders.two_plans import issued_plans

__all__ = ["coverage", "render", "local_additions", "dropped_chains", "leadless_tasks", "summary",
           "plan_tasks", "lower_documents", "derived_targets", "sections_above", "own_units", "issuer_of", "who_text", "NATIONAL_ONLY", "STATUSES"]

STATUSES = ("covered", "gap", "not_applicable", "not_assessable", "local")



# --- small graph helpers shared by the other analyses -------------------------------------------------

def plan_tasks(G: nx.MultiDiGraph, doc_id: str) -> list[str]:
    """Ids of a document's tasks that are part of its plan (not a cover notice's points), in order."""
    out = [(d.get("position") or 0, n) for n, d in G.nodes(data=True)
           if d.get("label") == "Task" and d.get("doc_id") == doc_id and d.get("scope", "plan") != "notice"]
    return [n for _, n in sorted(out)]


def _plan_task_index(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """:func:`plan_tasks` of every document in one scan (one scan per document took seconds at scale)."""
    acc: dict[str, list] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == "Task" and d.get("scope", "plan") != "notice":
            acc.setdefault(d.get("doc_id"), []).append((d.get("position") or 0, n))
    return {doc: [n for _, n in sorted(v)] for doc, v in acc.items()}


def lower_documents(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """(lower document, upper document) pairs of every ``IMPLEMENTS`` edge, sorted."""
    return sorted({(u, v) for u, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"})


def derived_targets(G: nx.MultiDiGraph, task: str) -> list[str]:
    """What a task derives from (tasks or sections), rejected links left out."""
    return sorted({v for _, v, d in G.out_edges(task, data=True)
                   if d.get("type") == "DERIVED_FROM" and d.get("status") != "rejected"})


def _covering(G, unit: str) -> list[str]:
    from graph.membership import covering

    return covering(G, unit)


def _name(G, n: str) -> str:
    d = G.nodes[n]
    return d.get("short_name") or d.get("name") or n


def _label(G, task: str) -> str:
    d = G.nodes[task]
    return f"{d.get('doc_id')} #{d.get('number')}"


# --- coverage ------------------------------------------------------------------------------------------



def clause_of(G: nx.MultiDiGraph, task: str) -> str:
    """``obligation`` or the kind of context clause a task is (loaders/clauses.py)."""
    return G.nodes[task].get("clause") or "obligation"


def _sentence(G, n: str) -> dict:
    d = G.nodes[n]
    return {"node": n, "doc": d.get("doc_id") or n, "text": d.get("text_norm") or d.get("title") or n}


def _context_index(G, tasks_of: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each context clause (purpose, manner, penalty …) under the requirement it belongs to: the previous
    requirement of its section, else the next one."""
    out: dict[str, list[str]] = {}
    for doc, tasks in tasks_of.items():
        for i, t in enumerate(tasks):
            if clause_of(G, t) == "obligation":
                continue
            sec = G.nodes[t].get("section_id")
            same = [x for x in tasks if G.nodes[x].get("section_id") == sec and clause_of(G, x) == "obligation"]
            before = [x for x in same if tasks.index(x) < i]
            owner = before[-1] if before else (same[0] if same else None)
            if owner is not None:
                out.setdefault(owner, []).append(t)
    return out


def _sole_requirement(G, section: str, tasks_of_doc: list[str]) -> str | None:
    """The one requirement of a section not asked of the national level only, else None."""
    inside = [t for t in tasks_of_doc if clause_of(G, t) == "obligation" and section in sections_above(G, t)
              and not national_subject(G.nodes[t].get("text_norm"))]
    return inside[0] if len(inside) == 1 else None


def reaches_below(unit: str) -> bool:
    """Whether a unit (by its id) is a collective of the governments below the plan naming it (各市政府,
    各市(州)、县(市、区)政府, 各级…): work it is given reaches the levels below through the plans between.
    Read from the id alone (its canonical name), as the not-assessable Cypher reads it.

    >>> reaches_below("unit:山西省各市、县人民政府"), reaches_below("unit:吉林省各级政府各部门")
    (True, True)
    >>> reaches_below("unit:辽宁省省政府有关部门"), reaches_below("unit:太原市人民政府")
    (False, False)
    """
    return "各" in unit and ("各级" in unit or (unit.endswith("政府") and "部门" not in unit))


def _reaches(implements: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        if n == goal:
            return True
        if n not in seen:
            seen.add(n)
            todo.extend(implements.get(n, ()))
    return False


def _missing_parent(G, lower: str, upper: str) -> str:
    """What the lower document's own parent plan is, when it is not loaded (:mod:`queries.parent_plan`):
    the plan its text cites for the place one up, by title and number, else its region, year and level."""
    from queries.parent_plan import missing_parent

    return missing_parent(G, lower)


def _chain(G, lower: str, upper: str, implements: dict[str, set[str]]) -> tuple[str, str | None]:
    """``direct`` when the upper document is the lower one's own parent level; else ``held`` with the plan
    between that is loaded, ``unlinked`` with its own parent plan when that is loaded but reaches nothing
    up to the upper one, or ``missing`` with the name of the parent plan that is not."""
    pl, ul = G.nodes[lower].get("parent_level"), G.nodes[upper].get("level")
    if pl and ul and (pl == ul or ul == "department"):
        return "direct", None
    for m in sorted(implements.get(lower, ())):
        if m != upper and _reaches(implements, m, upper):
            return "held", m
    if not pl or not ul:
        return "unknown", f"the level, region and issuer of {lower if not pl else upper} (manifest)"
    for m in sorted(implements.get(lower, ())):
        if m != upper and G.nodes[m].get("level") == pl:
            return "unlinked", m   # its own parent plan is held, but implements nothing reaching the upper one
    return "missing", _missing_parent(G, lower, upper)


def _lower_shows(G, lower: str) -> tuple[str, str | None, str] | None:
    """Why a lower document cannot show what it leaves out: (reason, waits for, evidence sentence), or
    None for a whole plan."""
    d = G.nodes[lower]
    title = d.get("title") or d.get("source") or lower
    if d.get("kind") == "interpretation":
        plan = d.get("explains")
        waits = f"《{plan}》" if plan else f"the plan {lower} explains"
        return (f"{lower} is an interpretation (解读) of {waits}, which is not loaded: what it does not mention "
                f"says nothing about the plan", waits, title)
    if d.get("kind") == "notice":
        # a notice issuing a 政务服务 要点 beside its 政务公开 one (loaders/two_plans.py): the latter is waited for
        ours = [p for p in issued_plans(d.get("title")) if "政务公开" in p]
        return (f"only the cover notice of {lower} is held, not its plan",
                f"《{ours[0]}》" if ours else f"the plan issued by {title}", title)
    if d.get("truncated"):
        return (f"{lower} is truncated (opening only): it may be in the missing text",
                f"the full text of {title}", title)
    return None


def coverage(G: nx.MultiDiGraph, lowers=None) -> list[dict]:
    """One row per upper requirement and implementing lower document, then one per local addition;
    with ``lowers`` (a set of document ids), only the rows whose lower document is one of them.

    Rows have SCHEMA.md's ``gaps --format json`` shape: ``{"upper", "upper_doc", "lower_doc", "status",
    "reason", "lower"}`` plus ``evidence`` (the sentences the status rests on: ``{"node", "doc", "text"}``),
    ``waits_for`` (the document a ``not_assessable`` row waits for, else null), ``context`` (the
    purpose, manner or penalty clauses of the requirement), ``lower_title`` and ``lower_issuer`` (the
    lower document by name) and ``who`` (who must act on a gap or not_assessable row: the lower issuer,
    then the unit the upper text or the nearest assignment names; on a row waiting for the plan between,
    that plan's issuer, or none when it cannot be told; empty for the other statuses) with ``who_via``
    (``upper``, ``nearest`` or null: where the names after the issuer come from; ``between`` or
    ``between_unknown`` on a row waiting for the plan between), and ``owed``
    (false on a ``covered`` row the lower plan took up without owing it; absent otherwise); and ``{"status": "local", "lower_doc",
    "lower", "reason"}``. Context clauses are not requirements: they have no row of their own.
    """
    rows: list[dict] = []
    tasks_of = _plan_task_index(G)
    context = _context_index(G, tasks_of)
    implements: dict[str, set[str]] = {}
    for lo, up in lower_documents(G):
        implements.setdefault(lo, set()).add(up)
    offices = _Offices(G)
    for lower_doc, upper_doc in lower_documents(G):
        if lowers is not None and lower_doc not in lowers:
            continue
        lower_tasks = tasks_of.get(lower_doc, [])
        derived: dict[str, list[str]] = {}
        for t in lower_tasks:
            for target in derived_targets(G, t):
                derived.setdefault(target, []).append(t)
        issuer = issuer_of(G, lower_doc)
        actors = {issuer: None} if issuer else {}
        for c in (_covering(G, issuer) if issuer else []):
            actors[c] = issuer
        lower_d = G.nodes[lower_doc]
        lower_name = lower_d.get("issuer") or lower_doc
        tier = lower_d.get("tier")
        shows = _lower_shows(G, lower_doc)
        chain = _chain(G, lower_doc, upper_doc, implements)
        upper_tasks = tasks_of.get(upper_doc, [])
        sole_cache: dict[str, str | None] = {}
        start = len(rows)
        hits_of: dict[str, str | None] = {}
        between: set[str] = set()   # the requirements whose row waits for the plan between
        for u in upper_tasks:
            if clause_of(G, u) != "obligation":
                continue
            ud = G.nodes[u]
            ctx = [G.nodes[c].get("text_norm") or "" for c in context.get(u, ())]
            said = [_sentence(G, u)]
            own = own_units(G, u)
            unknown_issuer, below, named = False, [], False
            if own and issuer is None:
                # Who issued the lower document is not known (an interpretation or a repost without its
                # issuer line): whether the named units or a collective of them include it cannot be told,
                # so the requirement is neither "not owed" nor a gap until its issuer is given.
                names = "、".join(dict.fromkeys(_name(G, v) for v, _ in own))
                why = f"assigned to {names}, whose members are not known to include {lower_doc} (its issuer is not known)"
                unknown_issuer = True
            elif own:
                hits = [v for v, _ in own if v in actors]
                below = [v for v, _ in own if reaches_below(v)] if chain[0] != "direct" and not hits else []
                if below:
                    # compared with a plan two levels up: its 各市政府 pass the work down through the plan
                    # between, which is judged (held) or waited for (missing), never "not applicable" here
                    why = (f"assigned to {_name(G, below[0])}, the governments below {upper_doc}: it reaches "
                           f"{lower_doc} through the plan between")
                elif not hits:
                    names = "、".join(dict.fromkeys(_name(G, v) for v, _ in own))
                    rows.append(_not_owed(G, u, upper_doc, lower_doc, derived, said, ctx,
                                          f"assigned only to {names}, not to {lower_name} nor a collective covering it",
                                          upper_tasks, sole_cache))
                    continue
                lower_work = ud.get("lower_work_governments") or ()   # (graph/build.py)
                govs = [w for w in lower_work if w not in actors]
                if govs and hits and all(actors[h] is not None and h not in lower_work for h in hits):
                    place = lower_government_work(ud.get("text_norm"))
                    # a note shared by departments and lower governments: work in the governments is theirs
                    rows.append(_not_owed(G, u, upper_doc, lower_doc, derived, said, ctx,
                                          f"its work is in the lower governments ({place}): asked of "
                                          f"{_name(G, govs[0])}, not of {lower_name}, though the note also "
                                          f"names {_name(G, hits[0])}", upper_tasks, sole_cache))
                    continue
                if not below:
                    v = hits[0]
                    why = (f"assigned to {_name(G, v)}" if actors[v] is None
                           else f"assigned to {_name(G, v)}, which covers {lower_name}")
                    # named (itself, or in a collective naming its level): it owes the requirement
                    # directly, whatever plan between is not held
                    named = chain[0] in ("missing", "unlinked")
                    if named:
                        why += "; its addressee by name: owed directly, no plan between being held"
            elif national_subject(ud.get("text_norm")):
                subject = national_subject(ud["text_norm"])
                rows.append(_not_owed(G, u, upper_doc, lower_doc, derived, said, ctx,
                                      f"addressed to {subject} (national level) only, by its text", upper_tasks, sole_cache))
                continue
            elif ud.get("addressed_to") and tier and tier not in ud["addressed_to"]:
                who = "、".join(ud.get("addressees") or [])
                rows.append(_not_owed(G, u, upper_doc, lower_doc, derived, said, ctx,
                                      f"addressed to {who} ({', '.join(ud['addressed_to'])}) by its text, "
                                      f"not to {lower_name} ({tier})", upper_tasks, sole_cache))
                continue
            elif ud.get("addressees"):
                why = f"addressed to {'、'.join(ud['addressees'])}, which includes {lower_name}"
            else:
                why = "names no unit: addresses every lower government"
            hits_of[u] = v if own and not unknown_issuer and not below else None
            by_task = list(derived.get(u, []))
            by_section, sec, coarse = _by_section(G, u, derived, upper_tasks, sole_cache, by_task)
            if by_task or by_section:
                found = by_task + by_section
                how = ("derives from it" if by_task else
                       f"derives from its section {G.nodes[sec].get('number', sec)}, whose only requirement "
                       f"asked below the national level it is")
                nums = ", ".join(f"#{G.nodes[t].get('number')}" for t in found)
                rows.append(_row(u, upper_doc, lower_doc, "covered", f"{why}; {lower_doc} {nums} {how}", found,
                                 [_sentence(G, t) for t in found], None, ctx))
                continue
            note = ""
            if coarse:
                note = (f"; {', '.join('#' + str(G.nodes[t].get('number')) for t in coarse)} of {lower_doc} derives "
                        f"from its section only, which holds other requirements: no evidence for this one")
            # A skip-level pair whose plan between is held is judged on that plan's rows, whatever the lower
            # text can show: a truncated county plan owes its city's plan, not the province's directly.
            if chain[0] == "held":
                m = chain[1]
                rows.append(_row(u, upper_doc, lower_doc, "not_applicable",
                                 f"{lower_doc} owes what its own parent plan {m} gives it: judged on {m}'s rows "
                                 f"(no task of {lower_doc} derives from it directly){note}", [],
                                 said + [{"node": m, "doc": m, "text": G.nodes[m].get("title") or m}], None, ctx))
            elif chain[0] in ("missing", "unlinked") and not named:
                # the plan between decides, whatever the lower text shows: held, the pair is judged on
                # its rows; a partial lower text (opening, notice, 解读) is waited for on that pair
                lvl = G.nodes[lower_doc].get("parent_level")
                if chain[0] == "missing":
                    reason, waits = (f"intermediate plan not held ({chain[1]}): {lower_doc} owes what its own "
                                     f"{lvl}-level plan gives it, and {upper_doc} is not that plan"), chain[1]
                    between.add(u)
                else:   # (held, but linked to another copy of the upper plan, or issued after it)
                    reason, waits = (f"its own parent plan {chain[1]} is held but implements nothing that reaches "
                                     f"{upper_doc}"), f"the link of {chain[1]} up to {upper_doc} (manifest parents)"
                rows.append(_row(u, upper_doc, lower_doc, "not_assessable", f"{why}; {reason}{note}", [],
                                 said + [{"node": lower_doc, "doc": lower_doc,
                                          "text": lower_d.get("title") or lower_doc}], waits, ctx))
            elif shows is not None:
                reason, waits, title = shows
                rows.append(_row(u, upper_doc, lower_doc, "not_assessable", f"{why}; {reason}{note}", [],
                                 said + [{"node": lower_doc, "doc": lower_doc, "text": title}], waits, ctx))
            elif chain[0] == "unknown":
                rows.append(_row(u, upper_doc, lower_doc, "not_assessable",
                                 f"{why}; the level of {lower_doc if not lower_d.get('parent_level') else upper_doc} "
                                 f"is not known, so whether {upper_doc} is {lower_doc}'s own parent plan cannot be "
                                 f"told{note}", [],
                                 said + [{"node": lower_doc, "doc": lower_doc,
                                          "text": lower_d.get("title") or lower_d.get("source") or lower_doc}],
                                 chain[1], ctx))
            elif unknown_issuer:
                rows.append(_row(u, upper_doc, lower_doc, "not_assessable",
                                 f"{why}; the issuer of {lower_doc} is not known, so whether it owes this cannot "
                                 f"be told{note}", [],
                                 said + [{"node": lower_doc, "doc": lower_doc,
                                          "text": lower_d.get("title") or lower_d.get("source") or lower_doc}],
                                 f"the issuer of {lower_doc} (manifest)", ctx))
            else:
                rows.append(_row(u, upper_doc, lower_doc, "gap",
                                 f"{why}; no task of {lower_doc} derives from it{note}", [],
                                 said + [{"node": lower_doc, "doc": lower_doc,
                                          "text": lower_d.get("title") or lower_doc}], None, ctx))
        lower_title = lower_d.get("title") or lower_d.get("source") or lower_doc
        issuer_name = _name(G, issuer) if issuer else (lower_d.get("issuer") or "")
        for r in rows[start:]:
            r["lower_title"], r["lower_issuer"] = lower_title, issuer_name
            if r["status"] == "not_assessable" and r["upper"] in between:
                r["who"], r["who_via"] = _who_between(G, lower_doc, offices)
                continue
            r["who"], r["who_via"] = (_who(G, r["upper"], issuer, issuer_name, hits_of.get(r["upper"]), derived)
                                      if r["status"] in ("gap", "not_assessable") else ([], None))
    rows.extend(local_additions(G, lowers))
    return rows


class _Offices:
    """The issuers of the held documents, read once and only when a row waits for a plan between."""

    def __init__(self, G):
        self.G, self.names, self.between = G, None, {}

    def __contains__(self, name: str) -> bool:
        if self.names is None:
            self.names = {d.get("issuer") for _, d in self.G.nodes(data=True) if d.get("label") == "Document"}
        return name in self.names


def _who_between(G, lower_doc: str, offices: _Offices) -> tuple[list[str], str]:
    """Who must act on a row waiting for the plan between: that plan's issuer (:mod:`queries.parent_plan`),
    ``between``; or nobody named, ``between_unknown``, when the place one up is not known."""
    if lower_doc not in offices.between:
        from queries.parent_plan import missing_parent_issuer

        offices.between[lower_doc] = missing_parent_issuer(G, lower_doc, offices)
    name = offices.between[lower_doc]
    return ([name], "between") if name else ([], "between_unknown")


def _who(G, upper: str, issuer: str | None, issuer_name: str, hit: str | None,
         derived: dict[str, list[str]]) -> tuple[list[str], str | None]:
    """Who must act on a requirement the lower document does not take up: its issuer (the office that
    owes the plan), then the unit the upper text names for it when that is a unit of its own (not the
    issuer, not a collective), else the units the lower document gives the nearest work it did take up
    (its tasks derived from the requirement's section or a requirement beside it), lead first. The
    second value says where the names after the issuer come from: ``upper`` (named by the upper text),
    ``nearest`` (a suggestion from the nearest assignment) or None."""
    out = [issuer_name] if issuer_name else []
    if hit and hit != issuer and not G.nodes[hit].get("collective"):
        return out + [_name(G, hit)], "upper"
    near: list[str] = []
    for s in sections_above(G, upper):
        near += [t for t in derived.get(s, ()) if t not in near]
        sec = G.nodes[upper].get("section_id") or s
        for sib in _section_tasks(G, sec):
            near += [t for t in derived.get(sib, ()) if t not in near]
        if near:
            break
    units = sorted({(r != "lead", v) for t in near for v, r in own_units(G, t)})
    for _, v in units:
        name = _name(G, v)
        if v != issuer and not G.nodes[v].get("collective") and name not in out:
            out.append(name)
        if len(out) >= 3:
            break
    return out, ("nearest" if len(out) > (1 if issuer_name else 0) else None)


def _section_tasks(G, section: str) -> list[str]:
    """The tasks a section holds directly."""
    if section not in G:
        return []
    return [v for _, v, d in G.out_edges(section, data=True)
            if d.get("type") == "CONTAINS" and G.nodes[v].get("label") == "Task"]


def _by_section(G, u, derived, upper_tasks, sole_cache, by_task) -> tuple[list[str], str | None, list[str]]:
    """The lower tasks linked to a section above ``u``: (those whose section holds ``u`` as its one
    requirement, that section, those whose section holds others too).

    A link to a section shows its heading was taken up, not which of its requirements: it is evidence
    only for a section holding one requirement (the others asked of the national level)."""
    by_section, sec, coarse = [], None, []
    for s in sections_above(G, u):
        extra = [t for t in derived.get(s, []) if t not in by_task and t not in by_section]
        if not extra:
            continue
        if s not in sole_cache:
            sole_cache[s] = _sole_requirement(G, s, upper_tasks)
        if sole_cache[s] == u:
            sec = sec or s
            by_section += extra
        else:
            coarse += [t for t in extra if t not in coarse]
    return by_section, sec, coarse


def _not_owed(G, u, upper_doc, lower_doc, derived, said, ctx, reason, upper_tasks=(), sole_cache=None) -> dict:
    """A requirement the lower plan did not owe: not applicable, unless a task of the plan derives from it
    all the same, which an analyst reads as taken up (covered, with ``owed`` false: a plan that takes up
    more than it owed is not judged on it, so it counts in no rate). A link to the section whose one
    requirement it is shows it taken up as a link to it does (遂宁's 指导基层…调整完善基层政务公开标准目录,
    linked to 四川's section 调整完善政务公开事项标准目录, asked of 基层政府 only)."""
    taken, how = derived.get(u, []), "derives from it"
    if not taken and upper_tasks:
        taken, sec, _ = _by_section(G, u, derived, list(upper_tasks), {} if sole_cache is None else sole_cache, [])
        how = f"derives from its section {G.nodes[sec].get('number', sec)}, whose only requirement it is" if sec else how
    if not taken:
        return _row(u, upper_doc, lower_doc, "not_applicable", reason, [], said, None, ctx)
    nums = ", ".join(f"#{G.nodes[t].get('number')}" for t in taken)
    row = _row(u, upper_doc, lower_doc, "covered", f"{reason}; {lower_doc} {nums} {how}", taken,
               [_sentence(G, t) for t in taken], None, ctx)
    row["owed"] = False
    return row


def _row(upper, upper_doc, lower_doc, status, reason, lower, evidence=(), waits_for=None, context=()):
    return {"upper": upper, "upper_doc": upper_doc, "lower_doc": lower_doc, "status": status,
            "reason": reason, "lower": list(lower), "evidence": list(evidence), "waits_for": waits_for,
            "context": list(context)}


def sections_above(G: nx.MultiDiGraph, task: str) -> list[str]:
    """The sections that contain a task, innermost first (a link to any of them is a coarse link to it)."""
    out = []
    node = task
    while True:
        parents = [u for u, _, d in G.in_edges(node, data=True)
                   if d.get("type") == "CONTAINS" and G.nodes[u].get("label") == "Section"]
        if not parents or parents[0] in out:
            return out
        node = parents[0]
        out.append(node)


def local_additions(G: nx.MultiDiGraph, lowers=None) -> list[dict]:
    """Plan tasks of documents that implement another (of ``lowers``, when given) and derive from nothing
    above, but the sentences of its framing sections (``clause`` ``framing``).

    >>> [r["lower"] for r in local_additions(_example())]
    [['low/9']]
    """
    rows = []
    uppers: dict[str, list[str]] = {}
    for lo, up in lower_documents(G):
        uppers.setdefault(lo, []).append(up)
    tasks_of = _plan_task_index(G)   # plan_tasks per document scanned every node each time: minutes at 100k
    cut = {lo: [up for up in ups if G.nodes[up].get("truncated")] for lo, ups in uppers.items()}
    implements = {lo: set(ups) for lo, ups in uppers.items()}
    # compared with a plan further up than its own parent, which is not loaded (a city with the national
    # 要点 and no province plan): what it adds may be what that parent plan asks
    skipped = {lo: [(up, got[1]) for up in ups if (got := _chain(G, lo, up, implements))[0] == "missing"]
               for lo, ups in uppers.items()}
    for lo in sorted(uppers):
        if lowers is not None and lo not in lowers:
            continue
        for t in tasks_of.get(lo, ()):
            # a framing sentence (总体要求, 指导思想, 工作目标) is the plan's aim, not a task it adds; a task
            # of another plan its notice issues (a 政务服务 要点, loaders/two_plans.py) is no 政务公开 work
            if clause_of(G, t) not in ("framing", "other_plan") and not derived_targets(G, t):
                reason = f"derives from nothing in {', '.join(uppers[lo])}"
                if cut.get(lo):
                    # an upper text held in part: "new at this level" is said of what is held only
                    reason += f"; {', '.join(cut[lo])} is truncated: it may derive from the missing text"
                for up, plan in skipped.get(lo, ()):
                    reason += (f"; {up} is not {lo}'s own parent plan, {plan}, which is not loaded: it may "
                               f"derive from that plan")
                rows.append({"status": "local", "lower_doc": lo, "lower": [t], "reason": reason})
    return rows


def dropped_chains(G: nx.MultiDiGraph, rows: list[dict] | None = None) -> list[dict]:
    """Upper requirements covered at one level and lost at the level below it.

    A chain is dropped at ``lower_doc`` when ``middle_doc`` covers ``upper`` with its task(s)
    ``middle``, ``lower_doc`` implements ``middle_doc`` and was expected to take up one of them, and no
    task of ``lower_doc`` derives from those tasks nor from ``upper`` itself.

    >>> dropped_chains(_example())
    []
    """
    rows = coverage(G) if rows is None else rows
    status = {(r["upper"], r["lower_doc"]): r for r in rows if r["status"] != "local"}
    # Once, not per row: scanning every edge for each covered row took minutes at 10,000 tasks.
    implementers: dict[str, list[str]] = {}
    for lo, up in lower_documents(G):
        implementers.setdefault(up, []).append(lo)
    out = []
    for r in rows:
        if r["status"] != "covered":
            continue
        middle_doc = r["lower_doc"]
        for lo in implementers.get(middle_doc, ()):
            below = [status.get((m, lo)) for m in r["lower"]]
            below = [b for b in below if b is not None]
            if not below or any(b["status"] == "covered" for b in below):
                continue
            if not any(b["status"] == "gap" for b in below):
                continue
            direct = status.get((r["upper"], lo))
            if direct is not None and direct["status"] == "covered":
                continue
            out.append({"upper": r["upper"], "upper_doc": r["upper_doc"], "middle_doc": middle_doc,
                        "middle": list(r["lower"]), "lower_doc": lo,
                        "reason": f"{middle_doc} {', '.join('#' + str(G.nodes[m].get('number')) for m in r['lower'])} "
                                  f"takes it up, but no task of {lo} derives from that"})
    return out


def leadless_tasks(G: nx.MultiDiGraph) -> list[dict]:
    """Plan tasks with two or more own units and none of them named as lead.

    >>> [r["task"] for r in leadless_tasks(_example())]
    ['up/1']
    """
    out = []
    for n, d in sorted(G.nodes(data=True)):
        if d.get("label") != "Task" or d.get("scope", "plan") == "notice":
            continue
        own = own_units(G, n)
        units = sorted({v for v, _ in own})
        if len(units) >= 2 and not any(r == "lead" for _, r in own):
            out.append({"task": n, "doc_id": d.get("doc_id"), "number": d.get("number"),
                        "units": [G.nodes[v].get("name") for v in units],
                        "reason": f"{len(units)} units share it and none is named as lead"})
    return out


def summary(rows: list[dict]) -> list[dict]:
    """Counts per (upper document, lower document): covered, gap, not_applicable, not_assessable, and
    the rate of covered among the requirements that could be judged and were owed (covered + gap; ``beyond``
    counts the covered rows the lower plan took up without owing them, which the rate leaves out)."""
    acc: dict[tuple, dict] = {}
    for r in rows:
        if r["status"] == "local":
            key = ("", r["lower_doc"])
        else:
            key = (r["upper_doc"], r["lower_doc"])
        a = acc.setdefault(key, {"upper_doc": key[0], "lower_doc": key[1], **{s: 0 for s in STATUSES}, "beyond": 0})
        a[r["status"]] += 1
        a["beyond"] += r.get("owed") is False
    out = []
    for key in sorted(acc):
        a = acc[key]
        expected = a["covered"] - a["beyond"] + a["gap"]
        a["rate"] = round((a["covered"] - a["beyond"]) / expected, 3) if expected else None
        out.append(a)
    return out


# --- rendering ----------------------------------------------------------------------------------------

_COLUMNS = ("status", "upper_doc", "upper", "lower_doc", "lower", "reason", "waits_for", "evidence",
            "lower_title", "lower_issuer", "who")


def render(rows: list[dict], fmt: str = "md", G: nx.MultiDiGraph | None = None) -> str:
    """Rows of :func:`coverage` as ``md`` (gaps first, then not applicable, covered, local), ``csv``
    or ``json`` (SCHEMA.md's shape). Given the graph, the Markdown quotes each requirement's opening words.

    >>> print(render(coverage(_example()), "csv").splitlines()[0])
    status,upper_doc,upper,lower_doc,lower,reason,waits_for,evidence,lower_title,lower_issuer,who
    """
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(_COLUMNS)
        for r in rows:
            # A cell Excel would run as a formula (document text "=HYPERLINK(…)") is written as text.
            spreadsheet_rows(buf, [(r.get("status"), r.get("upper_doc", ""), r.get("upper", ""), r.get("lower_doc"),
                                    " ".join(r.get("lower") or []), r.get("reason"), r.get("waits_for") or "",
                                    " | ".join(e.get("text") or "" for e in r.get("evidence") or []),
                                    r.get("lower_title") or "", r.get("lower_issuer") or "",
                                    who_text(r))])
        return buf.getvalue()
    if fmt != "md":
        from core.errors import CascadeError

        raise CascadeError(f"unknown gaps format '{fmt}' (md, csv or json)")
    return _markdown(rows, G)


def who_text(r: dict) -> str:
    """A row's ``who`` as one line: the issuer, then the named unit, or the nearest assignment's units
    marked as a suggestion (they are where the lower document put the work beside it, not an order)."""
    who = list(r.get("who") or [])
    if len(who) > 1 and r.get("who_via") == "nearest":
        return f"{who[0]} (nearest: {'、'.join(who[1:])})"
    if r.get("who_via") == "between_unknown":
        return "cannot be told (the issuer of the plan between)"
    if who and r.get("who_via") == "between":
        return f"{who[0]} (issuer of the plan between)"
    return "、".join(who)


def _cell(s) -> str:
    return str(s or "").replace("|", "\\|").replace("\n", " ")


def _quote(G, task: str, n: int = 24) -> str:
    if G is None or task not in G:
        return ""
    text = G.nodes[task].get("text_norm") or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _markdown(rows: list[dict], G: nx.MultiDiGraph | None = None) -> str:
    titles = {"gap": ("Gaps", "缺口"), "not_assessable": ("Not assessable", "无法判断（缺上级或本级文件）"),
              "not_applicable": ("Not applicable", "不适用"), "covered": ("Covered", "已落实"),
              "local": ("Local additions", "本级新增")}
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    out = ["# Coverage", "",
           f"{counts['gap']} gaps, {counts['not_assessable']} not assessable, {counts['not_applicable']} not "
           f"applicable, {counts['covered']} covered, {counts['local']} local additions.", "",
           "| upper document | lower document | covered | gap | not assessable | not applicable | covered / expected |",
           "|---|---|---|---|---|---|---|"]
    for a in summary(rows):
        if a["upper_doc"]:
            rate = "—" if a["rate"] is None else f"{a['rate']:.0%}"
            # the rate counts only what could be judged: beside it, what could not
            rate += f" ({a['not_assessable']} more not assessable)" if a["not_assessable"] else ""
            out.append(f"| {_cell(a['upper_doc'])} | {_cell(a['lower_doc'])} | {a['covered']} | {a['gap']} | "
                       f"{a['not_assessable']} | {a['not_applicable']} | {rate} |")
    out.append("")
    for s in ("gap", "not_assessable", "not_applicable", "covered", "local"):
        group = [r for r in rows if r["status"] == s]
        out += [f"## {titles[s][0]} ({len(group)}) · {titles[s][1]}", ""]
        if not group:
            out += ["None.", ""]
            continue
        if s == "local":
            out += ["| lower document | task | text | reason |", "|---|---|---|---|"]
            out += [f"| {_cell(r['lower_doc'])} | {_cell(' '.join(r['lower']))} | {_cell(_quote(G, r['lower'][0]))} | "
                    f"{_cell(r['reason'])} |" for r in group]
        else:
            out += ["| upper task | lower document | issuer | requirement | lower tasks | who must act | reason | waits for |",
                    "|---|---|---|---|---|---|---|---|"]
            out += [f"| {_cell(r['upper'])} | {_cell(r['lower_doc'])} | {_cell(r.get('lower_issuer'))} | "
                    f"{_cell(_quote(G, r['upper']))} | {_cell(' '.join(r['lower']))} | {_cell(who_text(r))} | "
                    f"{_cell(r['reason'])} | {_cell(r.get('waits_for'))} |"
                    for r in group]
        out.append("")
    return "\n".join(out)


def _example() -> nx.MultiDiGraph:
    """A three-task cascade for the doctests: up/1 taken up, up/2 not, up/3 asked of another unit."""
    G = nx.MultiDiGraph()
    G.add_node("up", label="Document", level="city", issuer="市政府办")
    G.add_node("low", label="Document", level="county", issuer="区政府办", tier="county/government",
               parent_level="city")
    G.add_edge("low", "up", key="IMPLEMENTS", type="IMPLEMENTS", via="manifest")
    G.add_node("u:gov", label="Unit", name="区政府办", short_name="区政府办", collective=False)
    G.add_node("u:all", label="Unit", name="各区政府", short_name="各区政府", collective=True)
    G.add_node("u:tax", label="Unit", name="市税务局", short_name="市税务局", collective=False)
    G.add_edge("low", "u:gov", key="ISSUED_BY", type="ISSUED_BY")
    G.add_edge("u:gov", "u:all", key="MEMBER_OF", type="MEMBER_OF", via="example")
    for i, units in ((1, ["u:all", "u:tax"]), (2, ["u:all"]), (3, ["u:tax"])):
        G.add_node(f"up/{i}", label="Task", doc_id="up", number=str(i), position=i, text_norm="做好公开")
        for v in units:
            G.add_edge(f"up/{i}", v, key="ASSIGNED_TO", type="ASSIGNED_TO", role="implement", column="own")
    for i in (1, 9):
        G.add_node(f"low/{i}", label="Task", doc_id="low", number=str(i), position=i, text_norm="做好公开")
    G.add_edge("low/1", "up/1", key="DERIVED_FROM", type="DERIVED_FROM", status="proposed")
    return G
