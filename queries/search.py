"""Search the way analysts search: one box over units, documents and tasks that understands simplified
and traditional script (OpenCC through :func:`loaders.normalize.normalize`), whole pinyin (``caizheng``)
and pinyin initials (``szj``: each typed letter the initial of a following character, in order).

Pinyin is built (pypinyin) for unit names and document titles, short texts people abbreviate; tasks
are found by their words and ids. :func:`search_index` does the work once per graph; :func:`find`
ranks against it: exact id or name, then text containing the query, then pinyin, then initials.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:市财政局", label="Unit", name="市财政局")
>>> G.add_node("unit:市审计局", label="Unit", name="市审计局")
>>> G.add_node("d/1", label="Task", doc_id="d", text_norm="市财政局牵头做好预算公开")
>>> [h["id"] for h in find(G, "szj")]
['unit:市财政局']
>>> [h["id"] for h in find(G, "財政局")]
['unit:市财政局', 'd/1']
"""
from __future__ import annotations

import re

import networkx as nx

__all__ = ["search_index", "find", "jump_target", "resolve_task"]

_LABELS = ("Unit", "Document", "Task")
_RANK = {"Unit": 0, "Document": 1, "Task": 2}
_LATIN = re.compile(r"^[a-z]+$")


def _pinyin(text: str) -> tuple[str, str]:
    """Whole pinyin (no tones, no spaces) and initials of ``text``'s characters (others kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
    return "".join(syllables).lower(), "".join(s[:1] for s in syllables).lower()


def search_index(G: nx.MultiDiGraph) -> list[dict]:
    """One entry per unit, document and task: what is shown, and the forms a query is matched against."""
    from loaders.normalize import normalize

    out = []
    for n, d in G.nodes(data=True):
        label = d.get("label")
        if label not in _LABELS:
            continue
        if label == "Task":
            shown = " ".join((d.get("text_norm") or d.get("text") or "").split())
            names = []
        else:
            shown = d.get("name") or d.get("title") or n
            names = [x for x in (d.get("name"), d.get("short_name"), d.get("title"), d.get("doc_no"),
                                 *(d.get("aliases") or [])) if x]
        hay = normalize(" ".join([n, shown, *names])).lower()
        pinyin = [_pinyin(normalize(x)) for x in dict.fromkeys(names)] if label != "Task" else []
        out.append({"id": n, "label": label, "text": shown, "doc_id": d.get("doc_id") if label == "Task" else None,
                    "names": [normalize(x).lower() for x in names], "hay": hay, "pinyin": pinyin})
    return out


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


def _score(entry: dict, q: str, latin: bool) -> int | None:
    """0 exact id or name · 1 contains · 2 whole pinyin or initials in a row · 3 initials in order · None."""
    if q == entry["id"].lower() or q in entry["names"]:
        return 0
    if q in entry["hay"]:
        return 1
    if latin and len(q) >= 2:
        if any(q in full or q in initials for full, initials in entry["pinyin"]):
            return 2
        if any(_subsequence(q, initials) and initials[:1] == q[:1] for _, initials in entry["pinyin"]):
            return 3
    return None


def find(G: nx.MultiDiGraph, text: str, limit: int = 20, index: list[dict] | None = None) -> list[dict]:
    """Units, documents and tasks matching ``text``, best first: ``{id, label, text, doc_id, score}``.
    Pass ``index`` (from :func:`search_index`) to search a large graph repeatedly without rebuilding it."""
    from loaders.normalize import normalize

    q = normalize((text or "").strip()).lower()
    if not q:
        return []
    latin = bool(_LATIN.match(q))
    hits = []
    for e in index if index is not None else search_index(G):
        s = _score(e, q, latin)
        if s is not None:
            hits.append((s, _RANK[e["label"]], len(e["text"]), e))
    hits.sort(key=lambda h: h[:3])
    return [{"id": e["id"], "label": e["label"], "text": e["text"], "doc_id": e["doc_id"], "score": s}
            for s, _, _, e in hits[:limit]]


def jump_target(G: nx.MultiDiGraph, node: str, uppers) -> tuple[str, str] | None:
    """Where a search hit opens: ``("trace", task)`` for a requirement of an upper document, or for a
    lower task the nearest requirement up its best DERIVED_FROM links that is one; ``("cascade", node)``
    for anything else (a unit, a document, a task with no traceable source)."""
    if node not in G:
        return None
    uppers = set(uppers)
    current, seen = node, {node}
    while G.nodes[current].get("label") == "Task":
        if G.nodes[current].get("doc_id") in uppers:
            return ("trace", current)
        best: dict[str, float] = {}
        for _, v, ed in G.out_edges(current, data=True):
            if ed.get("type") == "DERIVED_FROM" and ed.get("status") != "rejected" and v not in seen \
                    and G.nodes[v].get("label") == "Task":
                best[v] = max(best.get(v, 0.0), float(ed.get("score") or 0))
        if not best:
            break
        current = max(sorted(best), key=best.get)
        seen.add(current)
    return ("cascade", node)


def resolve_task(G: nx.MultiDiGraph, what: str, index: list[dict] | None = None, uppers=None) -> str:
    """A task id as given, else the task the words find first, preferring one of an upper document
    (``uppers``: :func:`queries.view.upper_documents`), since a trace is read from the top down."""
    from core.errors import CascadeError

    if what in G and G.nodes[what].get("label") == "Task":
        return what
    hits = [h["id"] for h in find(G, what, limit=50, index=index) if G.nodes[h["id"]].get("label") == "Task"]
    if not hits:
        raise CascadeError(f"no task matches '{what}'", key="no_task_match", what=what)
    if uppers is None:
        from queries.view import upper_documents

        uppers = upper_documents(G)
    uppers = set(uppers)
    top = [h for h in hits if G.nodes[h].get("doc_id") in uppers]
    return (top or hits)[0]
