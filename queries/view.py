"""What the app shows: which part of the cascade to draw, what a search finds, what a node says.

These are the selections behind the app's Cascade, Review and Compare pages. Like every analysis
they take the graph first and return plain data; the app only renders it.

Examples
--------
>>> G = _example()
>>> select(G, years=[2022])
['up', 'up/一', 'up/一/1', 'low', 'low/一', 'low/一/1', 'low/一/2']
>>> select(G, link_status=["unlinked"], documents=["low"])
['low', 'low/一', 'low/一/2']
>>> [h["id"] for h in search(G, "市场")]
['unit:区市场监管局', 'up/一/1', 'low/一/1']
>>> neighbourhood(G, "low/一/1")
['up', 'up/一', 'up/一/1', 'low', 'low/一', 'low/一/1', 'unit:区市场监管局']
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from core.records import LEVEL_RANK as _RANK, LEVELS
from graph.build import reachable

__all__ = ["LINK_STATUSES", "filter_options", "select", "search", "neighbourhood", "node_details",
           "links", "document_pairs", "align", "coverage_per_level", "coverage_per_document", "documents_by_level_year", "in_context", "upper_documents", "tasks_of", "diff_segments", "chain_rows", "ordered"]

LINK_STATUSES = ("proposed", "confirmed", "rejected", "unlinked")
_LABEL_ORDER = {"Document": 0, "Section": 1, "Task": 2, "Unit": 3}


def _example() -> nx.MultiDiGraph:
    """A two-level cascade small enough for the doctests."""
    G = nx.MultiDiGraph()
    for did, level, year in (("up", "national", 2022), ("low", "county", 2022), ("old", "county", 2021)):
        G.add_node(did, label="Document", title=f"{did} plan", level=level, year=year, region="R")
        G.add_node(f"{did}/一", label="Section", doc_id=did, number="一", title="总体", depth=1, position=0)
        G.add_edge(did, f"{did}/一", key="CONTAINS", type="CONTAINS")
    for i, (did, text) in enumerate((("up", "加强市场主体信息公开"), ("low", "推进市场主体信息公开"),
                                     ("low", "本地新增事项"), ("old", "旧任务"))):
        n = f"{did}/一/{1 + (did == 'low' and i == 2)}"
        G.add_node(n, label="Task", doc_id=did, number=n[-1], text=text, text_norm=text,
                   section_id=f"{did}/一", position=i)
        G.add_edge(f"{did}/一", n, key="CONTAINS", type="CONTAINS")
    G.add_node("unit:区市场监管局", label="Unit", name="区市场监管局", short_name="区市场监管局")
    G.add_edge("low/一/1", "unit:区市场监管局", key="ASSIGNED_TO:lead", type="ASSIGNED_TO", role="lead")
    G.add_edge("low/一/1", "up/一/1", key="DERIVED_FROM", type="DERIVED_FROM", score=0.7, status="proposed")
    G.add_edge("low", "up", key="IMPLEMENTS", type="IMPLEMENTS", via="manifest")
    return G


def _docs(G) -> dict[str, dict]:
    return {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}


def _doc_of(G, n: str) -> str | None:
    d = G.nodes[n]
    return n if d.get("label") == "Document" else d.get("doc_id")


def _level_of(G, n: str) -> str | None:
    doc = _doc_of(G, n)
    return G.nodes[doc].get("level") if doc in G else None


def ordered(G: nx.MultiDiGraph, nodes) -> list[str]:
    """``nodes`` in reading order: by level (national first), year, document, then label and position.

    >>> ordered(_example(), ["unit:区市场监管局", "low/一/1", "up"])
    ['up', 'low/一/1', 'unit:区市场监管局']
    """
    docs = _docs(G)

    def key(n):
        d = G.nodes[n]
        label = d.get("label")
        if label == "Unit":
            return (len(LEVELS) + 1, 0, "", 3, 0, str(d.get("name") or n))
        doc = _doc_of(G, n)
        dd = docs.get(doc, {})
        return (_RANK.get(dd.get("level"), len(LEVELS)), -(dd.get("year") or 0), doc or "",
                _LABEL_ORDER.get(label, 4), d.get("position") or 0, n)

    return sorted(set(nodes), key=key)


def filter_options(G: nx.MultiDiGraph) -> dict:
    """The values each filter of the Cascade page can take.

    >>> opts = filter_options(_example())
    >>> opts["years"], opts["regions"], [d["id"] for d in opts["documents"]]
    ([2022, 2021], ['R'], ['up', 'low', 'old'])
    >>> opts["sections"]["low"]
    [{'id': 'low/一', 'name': '一 总体'}]
    """
    docs = _docs(G)
    documents = [{"id": n, "title": docs[n].get("title") or n, "level": docs[n].get("level"),
                  "year": docs[n].get("year"), "region": docs[n].get("region")} for n in ordered(G, docs)]
    sections: dict[str, list[dict]] = defaultdict(list)
    for n in ordered(G, [n for n, d in G.nodes(data=True) if d.get("label") == "Section"]):
        d = G.nodes[n]
        sections[d.get("doc_id")].append({"id": n, "name": f"{d.get('number', '')} {d.get('title') or ''}".strip()})
    units = sorted(((n, d.get("name") or n) for n, d in G.nodes(data=True) if d.get("label") == "Unit"),
                   key=lambda x: x[1])
    return {"years": sorted({d["year"] for d in documents if d["year"]}, reverse=True),
            "regions": sorted({d["region"] for d in documents if d["region"]}),
            "levels": [lvl for lvl in LEVELS if any(d["level"] == lvl for d in documents)],
            "documents": documents, "sections": dict(sections),
            "units": [{"id": n, "name": name} for n, name in units], "link_statuses": list(LINK_STATUSES)}


def _ancestors(G, n: str) -> list[str]:
    """The containment chain above ``n`` (document, sections), nearest last."""
    chain, seen = [], {n}
    cur = n
    while True:
        parents = [u for u, _, d in G.in_edges(cur, data=True) if d.get("type") == "CONTAINS" and u not in seen]
        if not parents:
            return chain[::-1]
        cur = parents[0]
        seen.add(cur)
        chain.append(cur)


def _descendants(G, n: str) -> set[str]:
    return reachable(G, n, "CONTAINS")


def _link_statuses(G, task: str) -> set[str]:
    found = {d.get("status") or "proposed" for _, _, d in G.out_edges(task, data=True) if d.get("type") == "DERIVED_FROM"}
    found |= {d.get("status") or "proposed" for _, _, d in G.in_edges(task, data=True) if d.get("type") == "DERIVED_FROM"}
    return found or {"unlinked"}


def select(G: nx.MultiDiGraph, *, years=None, regions=None, levels=None, documents=None, sections=None,
           units=None, link_status=None, include_units: bool = False) -> list[str]:
    """The nodes of the view the filters describe, in reading order.

    Every filter is a collection of allowed values (``None`` or empty: no restriction). ``sections``
    keeps those sections and what they contain; ``units`` keeps tasks assigned to those units (or to
    units that are members of them); ``link_status`` keeps tasks with a link of that status in either
    direction (``unlinked``: tasks with none). Documents and sections above a kept task are always
    kept, so every task is drawn where it belongs.

    >>> select(_example(), units=["unit:区市场监管局"], include_units=True)
    ['low', 'low/一', 'low/一/1', 'unit:区市场监管局']
    """
    docs = {n for n, d in _docs(G).items()
            if (not years or d.get("year") in set(years)) and (not regions or d.get("region") in set(regions))
            and (not levels or d.get("level") in set(levels)) and (not documents or n in set(documents))}
    allowed_sections = None
    if sections:
        allowed_sections = set()
        for s in sections:
            if s in G:
                allowed_sections |= {s} | _descendants(G, s)
    unit_set = None
    if units:
        unit_set = set(units)
        for u in list(unit_set):
            unit_set |= {m for m, _, d in G.in_edges(u, data=True) if d.get("type") == "MEMBER_OF"}
    statuses = set(link_status) if link_status else None
    task_filtered = unit_set is not None or statuses is not None

    keep: set[str] = set()
    chosen_units: set[str] = set()
    for n, d in G.nodes(data=True):
        label = d.get("label")
        if label not in ("Section", "Task") or d.get("doc_id") not in docs:
            continue
        if allowed_sections is not None and n not in allowed_sections:
            continue
        if label == "Section":
            if not task_filtered:
                keep.add(n)
            continue
        assigned = {v for _, v, e in G.out_edges(n, data=True) if e.get("type") == "ASSIGNED_TO"}
        if unit_set is not None and not assigned & unit_set:
            continue
        if statuses is not None and not _link_statuses(G, n) & statuses:
            continue
        keep.add(n)
        keep.update(a for a in _ancestors(G, n) if G.nodes[a].get("label") == "Section")
        if include_units:
            chosen_units |= assigned if unit_set is None else assigned & unit_set
    keep |= {doc for doc in docs if not (task_filtered or allowed_sections is not None)
             or any(G.nodes[n].get("doc_id") == doc for n in keep)}
    return ordered(G, keep | chosen_units)


def search(G: nx.MultiDiGraph, text: str, limit: int = 30) -> list[dict]:
    """Tasks, units, sections and documents whose id, name or text contains ``text``.

    Traditional characters in the query match simplified text (both are normalized). Exact id matches
    come first, then units, documents, sections and tasks.

    >>> [h["id"] for h in search(_example(), "區市場監管局")]
    ['unit:区市场监管局']
    """
    from loaders.normalize import normalize

    q = (text or "").strip()
    if not q:
        return []
    needles = {q.lower(), normalize(q).lower()}
    hits = []
    for n, d in G.nodes(data=True):
        label = d.get("label")
        fields = [n, d.get("name"), d.get("short_name"), d.get("title"), d.get("text_norm"), d.get("text"),
                  d.get("doc_no"), *(d.get("aliases") or [])]
        hay = " ".join(str(f) for f in fields if f).lower()
        if not any(s in hay for s in needles):
            continue
        exact = n.lower() in needles
        shown = d.get("name") or d.get("text_norm") or d.get("title") or n
        hits.append({"id": n, "label": label, "doc_id": d.get("doc_id"), "level": _level_of(G, n) if label != "Unit" else None,
                     "text": shown, "_key": (not exact, _LABEL_ORDER.get(label, 4) if label != "Unit" else -1)})
    order = {n: i for i, n in enumerate(ordered(G, [h["id"] for h in hits]))}
    hits.sort(key=lambda h: (h.pop("_key"), order[h["id"]]))
    return hits[:limit]


_WALK = {"DERIVED_FROM", "ASSIGNED_TO", "IMPLEMENTS", "ISSUED_BY", "MEMBER_OF", "CONTINUES"}
_UNIT_LINKS = {"ASSIGNED_TO", "ISSUED_BY", "MEMBER_OF"}


def neighbourhood(G: nx.MultiDiGraph, node: str, depth: int = 1, limit: int = 400) -> list[str]:
    """``node``, what it contains, what is within ``depth`` links of it, and where all of them sit.

    Links are followed both ways (a task's sources and derivations; a unit's tasks); units are taken
    only one step from ``node``. The containment chain (document, sections) of every node found is
    added so it is drawn in place. At most ``limit`` nodes are gathered before the chains are added.

    >>> neighbourhood(_example(), "up/一/1", depth=2)
    ['up', 'up/一', 'up/一/1', 'low', 'low/一', 'low/一/1']
    """
    if node not in G:
        return []
    found = {node} | _descendants(G, node)
    frontier = set(found)
    for step in range(depth):
        # Units only one step from where the walk starts: a unit leads dozens of tasks, and each of
        # those tasks names several units, so following them further floods the view.
        walk = _WALK if step == 0 else _WALK - _UNIT_LINKS
        nxt = set()
        for cur in frontier:
            for _, v, d in G.out_edges(cur, data=True):
                if d.get("type") in walk:
                    nxt.add(v)
            for u, _, d in G.in_edges(cur, data=True):
                if d.get("type") in walk:
                    nxt.add(u)
        nxt -= found
        nxt = set(ordered(G, nxt)[: max(0, limit - len(found))])
        found |= nxt
        frontier = nxt
    for n in list(found):
        if G.nodes[n].get("label") != "Unit":
            found.update(_ancestors(G, n))
    return ordered(G, found)


def _link_row(G, u: str, v: str, d: dict) -> dict:
    lu, lv = G.nodes[u], G.nodes[v]
    return {"lower": u, "lower_doc": lu.get("doc_id"), "lower_text": lu.get("text_norm") or lu.get("title"),
            "upper": v, "upper_doc": lv.get("doc_id"), "upper_text": lv.get("text_norm") or lv.get("title"),
            "score": d.get("score"), "method": d.get("method"), "status": d.get("status") or "proposed",
            "kind": d.get("kind"), "suspect": bool(d.get("suspect")), "evidence": d.get("evidence")}


def node_details(G: nx.MultiDiGraph, node: str) -> dict:
    """What the app shows for one node: its text, where it sits, its units and its links up and down.

    >>> d = node_details(_example(), "low/一/1")
    >>> d["text"], d["document"], d["units"], [(l["upper"], l["status"]) for l in d["upper"]]
    ('推进市场主体信息公开', 'low', [{'unit': 'unit:区市场监管局', 'name': '区市场监管局', 'role': 'lead'}], [('up/一/1', 'proposed')])
    """
    d = dict(G.nodes[node])
    label = d.get("label")
    out = {"id": node, "label": label, "document": _doc_of(G, node), "level": _level_of(G, node),
           "path": [a for a in _ancestors(G, node)],
           "text": d.get("text") or d.get("name") or d.get("title") or node, "properties": d,
           "units": [], "upper": [], "lower": [], "tasks": []}
    for _, v, e in G.out_edges(node, data=True):
        if e.get("type") == "ASSIGNED_TO":
            out["units"].append({"unit": v, "name": G.nodes[v].get("name"), "role": e.get("role")})
        elif e.get("type") == "DERIVED_FROM":
            out["upper"].append(_link_row(G, node, v, e))
    for u, _, e in G.in_edges(node, data=True):
        if e.get("type") == "DERIVED_FROM":
            out["lower"].append(_link_row(G, u, node, e))
        elif e.get("type") == "ASSIGNED_TO":
            out["tasks"].append({"task": u, "document": G.nodes[u].get("doc_id"), "role": e.get("role"),
                                 "text": G.nodes[u].get("text_norm")})
    for key in ("upper", "lower"):
        out[key].sort(key=lambda r: (-(r["score"] or 0), r["upper"], r["lower"]))
    out["tasks"] = sorted(out["tasks"], key=lambda r: (ordered(G, [r["task"]]), r["role"] or ""))
    return out


def links(G: nx.MultiDiGraph, status=None, lower_doc: str | None = None, upper_doc: str | None = None) -> list[dict]:
    """The ``DERIVED_FROM`` links, one row each, in the lower document's reading order.

    >>> [(r["lower"], r["upper"], r["score"]) for r in links(_example(), status=["proposed"])]
    [('low/一/1', 'up/一/1', 0.7)]
    >>> links(_example(), status=["confirmed"])
    []
    """
    statuses = set(status) if status else None
    rows = []
    for u, v, d in G.edges(data=True):
        if d.get("type") != "DERIVED_FROM":
            continue
        row = _link_row(G, u, v, d)
        if statuses and row["status"] not in statuses:
            continue
        if (lower_doc and row["lower_doc"] != lower_doc) or (upper_doc and row["upper_doc"] != upper_doc):
            continue
        rows.append(row)
    order = {n: i for i, n in enumerate(ordered(G, {r["lower"] for r in rows} | {r["upper"] for r in rows}))}
    rows.sort(key=lambda r: (order[r["lower"]], order[r["upper"]]))
    return rows


def document_pairs(G: nx.MultiDiGraph) -> list[dict]:
    """Each lower document with the upper document it implements (``IMPLEMENTS``), top of the ladder first.

    >>> document_pairs(_example())
    [{'lower': 'low', 'upper': 'up', 'via': 'manifest'}]
    """
    pairs = [{"lower": u, "upper": v, "via": d.get("via")} for u, v, d in G.edges(data=True)
             if d.get("type") == "IMPLEMENTS"]
    order = {n: i for i, n in enumerate(ordered(G, _docs(G)))}
    return sorted(pairs, key=lambda p: (order.get(p["upper"], 0), order.get(p["lower"], 0)))


def align(G: nx.MultiDiGraph, lower_doc: str, upper_doc: str) -> list[dict]:
    """The tasks of an upper and a lower document side by side, aligned by their links.

    One row per link (upper task → a lower task deriving from it), one per upper task nothing derives
    from (``lower`` is None), and one per lower task with no link into ``upper_doc`` (``upper`` is None),
    in the upper document's order with unmatched lower tasks at the end.

    >>> [(r["upper"], r["lower"]) for r in align(_example(), "low", "up")]
    [('up/一/1', 'low/一/1'), (None, 'low/一/2')]
    """
    def tasks(doc):
        return ordered(G, [n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc])

    derived: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    linked_lower = set()
    for u, v, d in G.edges(data=True):
        if d.get("type") == "DERIVED_FROM" and G.nodes[u].get("doc_id") == lower_doc:
            target = v if G.nodes[v].get("label") == "Task" else None
            if G.nodes[v].get("doc_id") == upper_doc:
                derived[target or v].append((u, d))
                linked_lower.add(u)
    rows = []

    def text(n):
        return G.nodes[n].get("text_norm") or G.nodes[n].get("title") if n else None

    uppers = tasks(upper_doc)
    uppers += [s for s in derived if s not in uppers]
    for up in uppers:
        matches = sorted(derived.get(up, []), key=lambda x: -(x[1].get("score") or 0))
        for low, d in matches or [(None, {})]:
            rows.append({"upper": up, "upper_text": text(up), "lower": low, "lower_text": text(low),
                         "score": d.get("score"), "status": d.get("status") if low else None})
    for low in tasks(lower_doc):
        if low not in linked_lower:
            rows.append({"upper": None, "upper_text": None, "lower": low, "lower_text": text(low),
                         "score": None, "status": None})
    return rows


def coverage_per_level(G: nx.MultiDiGraph, rows: list[dict]) -> list[dict]:
    """Coverage rows (``gaps --format json``) counted per level of the lower document.

    >>> coverage_per_level(_example(), [{"status": "gap", "lower_doc": "low"}, {"status": "covered", "lower_doc": "low"}])
    [{'level': 'county', 'covered': 1, 'gap': 1, 'not_applicable': 0, 'local': 0, 'not_assessable': 0}]
    """
    counts: dict[str, dict] = {}
    for r in rows:
        level = G.nodes[r["lower_doc"]].get("level") if r.get("lower_doc") in G else None
        c = counts.setdefault(level or "unknown", {"covered": 0, "gap": 0, "not_applicable": 0, "local": 0,
                                                   "not_assessable": 0})
        c[r.get("status")] = c.get(r.get("status"), 0) + 1
    keys = [lvl for lvl in (*LEVELS, "unknown") if lvl in counts]
    return [{"level": k, **counts[k]} for k in keys]


def coverage_per_document(rows: list[dict]) -> dict[str, float | None]:
    """Each lower document's share of the upper requirements it took up: covered among covered and
    gaps (what cannot be judged or does not apply counts neither way); None when nothing could be judged.

    >>> coverage_per_document([{"status": "gap", "lower_doc": "low"}, {"status": "covered", "lower_doc": "low"},
    ...                        {"status": "not_assessable", "lower_doc": "mid"}, {"status": "local", "lower_doc": "low"}])
    {'low': 0.5, 'mid': None}
    """
    counts: dict[str, list[int]] = {}
    for r in rows:
        if r.get("status") == "local":
            continue
        c = counts.setdefault(r["lower_doc"], [0, 0])
        c[0] += r.get("status") == "covered"
        c[1] += r.get("status") in ("covered", "gap")
    return {doc: (round(covered / judged, 3) if judged else None) for doc, (covered, judged) in counts.items()}


def unjudged_per_document(rows: list[dict]) -> dict[str, int]:
    """Each lower document's count of upper requirements that cannot be judged (``not_assessable``): the
    share of :func:`coverage_per_document` leaves them out, so a box saying 100% says how many wait.

    >>> unjudged_per_document([{"status": "not_assessable", "lower_doc": "mid"}, {"status": "covered", "lower_doc": "low"},
    ...                        {"status": "not_assessable", "lower_doc": "mid"}])
    {'mid': 2}
    """
    counts: dict[str, int] = {}
    for r in rows:
        if r.get("status") == "not_assessable":
            counts[r["lower_doc"]] = counts.get(r["lower_doc"], 0) + 1
    return counts


def documents_by_level_year(G: nx.MultiDiGraph) -> list[dict]:
    """Documents counted per level (ladder order) and year (latest first).

    >>> documents_by_level_year(_example())
    [{'level': 'national', 'year': 2022, 'documents': 1}, {'level': 'county', 'year': 2022, 'documents': 1}, {'level': 'county', 'year': 2021, 'documents': 1}]
    """
    from collections import Counter

    c = Counter((d.get("level"), d.get("year")) for d in _docs(G).values())
    return [{"level": lvl, "year": yr, "documents": n}
            for (lvl, yr), n in sorted(c.items(), key=lambda x: (_RANK.get(x[0][0], len(LEVELS)), -(x[0][1] or 0)))]


def in_context(G: nx.MultiDiGraph, nodes) -> list[str]:
    """``nodes`` with the documents and sections that contain them, in reading order.

    >>> in_context(_example(), ["low/一/1"])
    ['low', 'low/一', 'low/一/1']
    """
    found = {n for n in nodes if n in G}
    for n in list(found):
        found.update(_ancestors(G, n))
    return ordered(G, found)


def upper_documents(G: nx.MultiDiGraph) -> list[str]:
    """Documents that some lower document implements, top of the ladder first.

    >>> upper_documents(_example())
    ['up']
    """
    return ordered(G, {v for _, v, d in G.edges(data=True) if d.get("type") == "IMPLEMENTS"})


def tasks_of(G: nx.MultiDiGraph, doc_id: str) -> list[str]:
    """The tasks of a document in reading order.

    >>> tasks_of(_example(), "low")
    ['low/一/1', 'low/一/2']
    """
    return ordered(G, [n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc_id])


def diff_segments(upper: str | None, lower: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts cut into ``(kind, text)`` segments for side-by-side display: ``same`` for what they
    share, ``removed`` (upper only) and ``added`` (lower only).

    >>> diff_segments("做好公开工作", "年底前做好公开工作")
    ([('same', '做好公开工作')], [('added', '年底前'), ('same', '做好公开工作')])
    """
    import difflib

    upper, lower = upper or "", lower or ""
    up: list[tuple[str, str]] = []
    low: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, upper, lower, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            up.append(("same", upper[i1:i2]))
            low.append(("same", lower[j1:j2]))
            continue
        if i2 > i1:
            up.append(("removed", upper[i1:i2]))
        if j2 > j1:
            low.append(("added", lower[j1:j2]))
    return up, low


def chain_rows(rows: list[dict], uppers) -> list[dict]:
    """The coverage rows a dropped chain starting at one of ``uppers`` can involve: the rows of those
    upper tasks, and the rows of the lower tasks that covered them (the next link of the chain).

    Passing these to :func:`queries.gaps.dropped_chains` instead of every row gives the same chains
    for ``uppers`` at a fraction of the cost on a large cascade.

    >>> rows = [{"upper": "a", "status": "covered", "lower": ["b"]}, {"upper": "b", "status": "gap", "lower": []},
    ...         {"upper": "z", "status": "gap", "lower": []}, {"status": "local", "lower": ["q"]}]
    >>> [r["upper"] for r in chain_rows(rows, ["a"])]
    ['a', 'b']
    """
    wanted = set(uppers)
    first = [r for r in rows if r.get("upper") in wanted]
    middles = {m for r in first if r.get("status") == "covered" for m in r.get("lower") or []}
    return first + [r for r in rows if r.get("upper") in middles - wanted]
