"""The not-assessable rows a store keeps beside the graph (无法判断): one per (upper requirement, lower
document) the lower document was expected to take up, did not take up in what is held, and whose pair
cannot be judged; the rows the saved query ``queries/cypher/not_assessable.cypher`` pages.

Their one definition is the Cypher query ``graph/not_assessable_rows.cypher`` (tested equal to the Python
analysis, :func:`queries.gaps.coverage`'s rows of status ``not_assessable``). Run at query time it joins
whole tables whatever the page asks: at a nation-year 0.8-1.2 s for a count, with no row to count. The
embedded store runs it once, when the graph is loaded (:mod:`graph.store.bulk`, beside the gap rows), and
only when a pair qualifies (:func:`pairs_query`, tens of milliseconds); an incremental build counts again
the pairs that came to qualify and those its change reaches, and drops those that no longer qualify
(:mod:`cascade.incremental.gaps`); a push sends the rows the store holds (:mod:`graph.push`).
Like the gap rows (:mod:`graph.gap_rows`) they live in the databases only, as ``(:NotAssessable)`` nodes
with no relationship.

>>> not_assessable_id("2021-taishan-culture", "2021-national/四/(二)/(二).2")
'2021-taishan-culture|2021-national/四/(二)/(二).2'
>>> [c for c, _ in NOT_ASSESSABLE_COLUMNS][-2:]
['lower_issuer', 'why']
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import networkx as nx

from .gap_rows import GAP_COLUMNS, gap_id, gap_row

__all__ = ["NOT_ASSESSABLE_LABEL", "NOT_ASSESSABLE_COLUMNS", "WHY", "not_assessable_definition", "pairs_query",
           "not_assessable_id", "not_assessable_row", "why_of", "names_lower_issuer"]

NOT_ASSESSABLE_LABEL = "NotAssessable"
# The saved query's columns, in its order, after the row's key: the gap rows' and why the pair cannot be
# judged (WHY).
NOT_ASSESSABLE_COLUMNS = [*GAP_COLUMNS, ("why", "STRING")]
# Machine keys of ``why``: a skip-level pair whose plan between is not held (asked first: that plan decides,
# whatever the lower text is, unless the requirement names the lower issuer), the lower document's kind
# (a cover notice, an interpretation), a truncated opening, a level not known, or a direct pair whose
# lower document's issuer is not known (whether a requirement assigned to named units is its own).
WHY = ("interpretation", "notice", "truncated", "level_unknown", "parent_missing", "issuer_unknown")

_DEFINITION = Path(__file__).with_name("not_assessable_rows.cypher")
_PAIRS_END = "// -- the qualifying pairs end here"

not_assessable_id = gap_id


def _strip(text: str) -> str:
    return re.sub(r"//[^\n]*\n?", "", text).strip()


@cache
def not_assessable_definition() -> str:
    """The definition's text without its comments: the query whose rows are the not-assessable rows, in
    order."""
    return _strip(_DEFINITION.read_text(encoding="utf-8"))


@cache
def pairs_query() -> str:
    """The definition's first part: the (lower document, upper document) pairs that qualify, whose rows
    are the requirements owed and not taken up (none, for a pair that owes nothing). Returns
    ``lower_doc, upper_doc``."""
    head, marker, _ = _DEFINITION.read_text(encoding="utf-8").partition(_PAIRS_END)
    if not marker:   # the definition edited without its marker: never the whole query in its place
        raise RuntimeError(f"{_DEFINITION.name}: no '{_PAIRS_END}' line")
    return _strip(head) + "\nRETURN lo.id AS lower_doc, up.id AS upper_doc"


def why_of(lower: dict, upper: dict, named: bool = False) -> str:
    """Why a qualifying pair cannot be judged on a requirement, from the two documents' properties and
    whether the requirement names the lower issuer (or a collective covering it) among its units
    (``named``: the definition's ``why``; the order :func:`queries.gaps.coverage` asks in). A skip-level
    pair waits for the plan between first, whatever the lower text is: held, that plan judges the pair;
    a requirement naming the lower issuer is owed directly, and waits for the lower text only.

    >>> why_of({"kind": "plan", "truncated": True, "parent_level": "city"}, {"level": "city"})
    'truncated'
    >>> why_of({"kind": "plan", "parent_level": "county"}, {"level": "city"})
    'parent_missing'
    >>> why_of({"kind": "notice", "parent_level": "city"}, {"level": "province"})
    'parent_missing'
    >>> why_of({"kind": "notice", "parent_level": "city"}, {"level": "province"}, named=True)
    'notice'
    >>> why_of({"kind": "plan", "parent_level": "city", "issuer": None}, {"level": "city"})
    'issuer_unknown'
    """
    kind = lower.get("kind") or "plan"
    levels = lower.get("parent_level") is not None and upper.get("level") is not None
    direct = levels and (lower.get("parent_level") == upper.get("level") or upper.get("level") == "department")
    if levels and not direct and not named:
        return "parent_missing"
    if kind in ("interpretation", "notice"):
        return kind
    if lower.get("truncated"):
        return "truncated"
    if not levels:
        return "level_unknown"
    if direct:
        return "issuer_unknown"   # a direct pair qualifies only when the lower issuer is not known
    return "parent_missing"


def names_lower_issuer(G: nx.MultiDiGraph, upper: str, lower_doc: str) -> bool:
    """Whether a requirement's own units name the lower document's issuer or a collective covering it
    (:func:`queries.gaps.coverage`'s ``named``, the definition's ``issuers``/``actors`` test)."""
    from graph.build import issuer_of, own_units
    from graph.membership import covering

    issuer = issuer_of(G, lower_doc)
    if issuer is None:
        return False
    actors = {issuer, *covering(G, issuer)}
    return any(v in actors for v, _ in own_units(G, upper))


def not_assessable_row(G: nx.MultiDiGraph, upper: str, upper_doc: str, lower_doc: str) -> dict:
    """The row of a requirement the pair cannot be judged on, from a graph of :mod:`graph.build`'s shape
    holding it and both documents (the definition's ``RETURN``, column for column)."""
    why = why_of(G.nodes[lower_doc], G.nodes[upper_doc], names_lower_issuer(G, upper, lower_doc))
    return {**gap_row(G, upper, upper_doc, lower_doc), "why": why}
