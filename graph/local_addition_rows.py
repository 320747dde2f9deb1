"""The local-addition rows a store keeps beside the graph (本级新增): one per task of a document that
implements another and derives from nothing above, the rows the saved query
``queries/cypher/local_additions.cypher`` pages.

Their one definition is the Cypher query ``graph/local_addition_rows.cypher`` (tested equal to the Python
analysis, :func:`queries.gaps.local_additions`). Asked at query time it is an anti-join of every task
with its links: at a nation-year (974,766 tasks) 1.2-6 s for a total, 0.5-1.8 s for a first page. The
embedded store runs it once, when the graph is loaded (:mod:`graph.store.bulk`, beside the gap rows);
an incremental build asks it again of the documents whose tasks or links it changed, by the tasks' keys
(:func:`tasks_query`; :mod:`cascade.incremental.local_additions`); a push sends the rows the store holds
(:mod:`graph.push`). A page is then an ORDER BY over some 24,000 rows. Like the gap rows they live in the
databases only, as ``(:LocalAddition)`` nodes with no relationship, keyed by the task's id.

>>> [c for c, _ in LOCAL_ADDITION_COLUMNS]
['id', 'lower_doc', 'lower', 'number', 'text']
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["LOCAL_ADDITION_LABEL", "LOCAL_ADDITION_COLUMNS", "local_addition_definition", "tasks_query"]

LOCAL_ADDITION_LABEL = "LocalAddition"
# The saved query's columns, in its order, after the row's key (the task's id); the engine's types.
LOCAL_ADDITION_COLUMNS = [("id", "STRING"), ("lower_doc", "STRING"), ("lower", "STRING"), ("number", "STRING"),
                          ("text", "STRING")]

_DEFINITION = Path(__file__).with_name("local_addition_rows.cypher")


@cache
def local_addition_definition() -> str:
    """The definition's text without its comments: the query whose rows are the local-addition rows."""
    return re.sub(r"//[^\n]*\n?", "", _DEFINITION.read_text(encoding="utf-8")).strip()


@cache
def tasks_query() -> str:
    """The definition asked of the tasks whose ids are ``$ids`` (each found by its key): their rows, for
    an incremental build's few documents. The conditions are the definition's, read from it."""
    text = local_addition_definition()
    where = re.search(r"WHERE t\.doc_id = lo\.id AND (.*?)\nRETURN", text, re.S).group(1)
    returns = re.search(r"\nRETURN (.*?)\nORDER BY", text, re.S).group(1)
    return (f"UNWIND $ids AS x MATCH (t:Task {{id: x}}) WHERE {where}\n"
            "MATCH (lo:Document {id: t.doc_id}) WHERE EXISTS { MATCH (lo)-[:IMPLEMENTS]->(:Document) }\n"
            f"RETURN {returns}")
