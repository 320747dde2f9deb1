"""The gap rows a store keeps beside the graph: one per (upper requirement, lower plan) that the lower plan
was expected to take up and did not, the rows the saved query ``queries/cypher/gaps.cypher`` pages.

Their one definition is the Cypher query ``graph/gap_rows.cypher`` (tested equal to the Python analysis,
:func:`queries.gaps.coverage`'s rows of status ``gap``). Run at query time it joins whole tables whatever
the page asks: at a nation-year (974,766 tasks) 1.0-1.4 s before a first page of 50 rows, 5 s for the
total, 14 s whole, and more on FalkorDB. The embedded store runs it once, when the graph is loaded
(:mod:`graph.store.bulk`: the definition's rows copied into the ``Gap`` table, 106,636 at a nation-year); an incremental
build counts the pairs its change can reach again (:mod:`cascade.incremental.gaps`); a push sends the
rows the store holds (:mod:`graph.push`). A page is then an ORDER BY over the rows alone. They live in
the databases only, as ``(:Gap)`` nodes with no relationship: the networkx graph and the
exports hold none, since every one of them is derived from the graph.

>>> gap_id("2022-guangzhou-huangpu", "2022-guangzhou/一/(一)/2")
'2022-guangzhou-huangpu|2022-guangzhou/一/(一)/2'
>>> [c for c, _ in GAP_COLUMNS][:4]
['id', 'upper', 'upper_doc', 'lower_doc']
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import networkx as nx

__all__ = ["GAP_LABEL", "GAP_COLUMNS", "gap_definition", "gap_id", "gap_row"]

GAP_LABEL = "Gap"
# The saved query's columns, in its order, after the row's key; the engine's types.
GAP_COLUMNS = [("id", "STRING"), ("upper", "STRING"), ("upper_doc", "STRING"), ("lower_doc", "STRING"),
               ("number", "STRING"), ("text", "STRING"), ("upper_level", "STRING"), ("lower_level", "STRING"),
               ("lower_region", "STRING"), ("lower_year", "INT64"), ("lower_title", "STRING"),
               ("lower_issuer", "STRING")]

_DEFINITION = Path(__file__).with_name("gap_rows.cypher")


def gap_id(lower_doc: str, upper: str) -> str:
    """A row's key: the lower plan and the requirement (whose id names its own document)."""
    return f"{lower_doc}|{upper}"


@cache
def gap_definition() -> str:
    """The definition's text without its comments: the query whose rows are the gap rows, in order."""
    return re.sub(r"//[^\n]*\n?", "", _DEFINITION.read_text(encoding="utf-8")).strip()


def gap_row(G: nx.MultiDiGraph, upper: str, upper_doc: str, lower_doc: str) -> dict:
    """The row of a gap, from a graph of :mod:`graph.build`'s shape holding the requirement and both
    documents (the definition's ``RETURN``, column for column).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("up", label="Document", level="city")
    >>> G.add_node("lo", label="Document", level="county", region="黄埔区", year=2022, title="t", issuer="i")
    >>> G.add_node("up/1", label="Task", doc_id="up", number="1", text_norm="做好")
    >>> r = gap_row(G, "up/1", "up", "lo")
    >>> r["id"], r["text"], r["upper_level"], r["lower_year"]
    ('lo|up/1', '做好', 'city', 2022)
    """
    u, up, lo = G.nodes[upper], G.nodes[upper_doc], G.nodes[lower_doc]
    return {"id": gap_id(lower_doc, upper), "upper": upper, "upper_doc": upper_doc, "lower_doc": lower_doc,
            "number": u.get("number"), "text": u.get("text_norm"), "upper_level": up.get("level"),
            "lower_level": lo.get("level"), "lower_region": lo.get("region"), "lower_year": lo.get("year"),
            "lower_title": lo.get("title"), "lower_issuer": lo.get("issuer")}
