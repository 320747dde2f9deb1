"""The local-addition rows the store keeps (graph/local_addition_rows.py): written with the store from the
definition, equal to the analysis's local additions, read by the saved local_additions query and by
`cascade gaps --status local`, kept true by an incremental build (tests/test_incremental.py checks every
change there), pushed with the graph, and refused where a store or server holds none rather than read as
"no local addition"."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from core.errors import QueryError
from graph.local_addition_rows import LOCAL_ADDITION_COLUMNS, local_addition_definition, tasks_query
from graph.store import load_graph, read_local_additions
from queries.backend import open_backend
from queries.cypher import run_cypher, saved_queries

from conftest import says_to_build_again, store_without
from falkordb_server import BOLT_ENV, NATIVE, needs_falkordb

CASCADE = [sys.executable, "-m", "cascade.cli"]
COLUMNS = ", ".join(f"n.`{c}`" for c, _ in LOCAL_ADDITION_COLUMNS)


def expected_rows(G) -> list[list]:
    """:func:`queries.gaps.local_additions` in the graph, as the store keeps them."""
    from queries.gaps import local_additions

    rows = []
    for r in local_additions(G):
        (t,) = r["lower"]
        rows.append([t, r["lower_doc"], t, G.nodes[t].get("number"), G.nodes[t].get("text_norm")])
    return sorted(rows)


def stored_rows(store) -> list[list]:
    return sorted(run_cypher(store, f"MATCH (n:LocalAddition) RETURN {COLUMNS}")[1])


def same_as_analysis(store, G) -> list[list]:
    """The store's rows are the analysis's in ``G``, the definition's run whole on the store, and what the
    definition asked by key of every task gives."""
    rows = stored_rows(store)
    assert rows == expected_rows(G)
    assert sorted(run_cypher(store, local_addition_definition())[1]) == rows
    every = [n for n, d in G.nodes(data=True) if d["label"] == "Task"]
    assert sorted(run_cypher(store, tasks_query(), {"ids": every})[1]) == rows
    return rows


@pytest.mark.parametrize("which", ["data", "cut", "corpus", "synthetic"])
def test_the_stores_rows_are_the_analysis_local_additions_and_the_definitions(which, request):
    fixture = {"data": "built", "cut": "cut_built", "corpus": "corpus_store", "synthetic": "synthetic_store"}[which]
    store = request.getfixturevalue(fixture)
    store = store[1] if isinstance(store, tuple) else store
    rows = same_as_analysis(store, load_graph(store))
    assert rows   # every one of these cascades has tasks of its own below a plan it implements


def test_a_rejected_link_makes_its_task_a_local_addition(tmp_path):
    """An analyst's rejection (data/reviews.yaml) counts in the rows as in the analysis: a task whose only
    link is rejected derives from nothing above."""
    from graph.reviews import REVIEWS_NAME, read_reviews, save_review

    data = tmp_path / "data"
    shutil.copytree("data", data)
    store = tmp_path / ".cascade"
    subprocess.run([*CASCADE, "build", str(data), "--store", str(store)], check=True, capture_output=True, timeout=600)
    G = load_graph(store)
    before = stored_rows(store)
    ups: dict[str, list] = {}
    for u, v, d in G.edges(data=True):
        if d["type"] == "DERIVED_FROM":
            ups.setdefault(u, []).append(v)
    lower, (upper,) = next((t, v) for t, v in sorted(ups.items()) if len(v) == 1
                           and G.nodes[t].get("clause") != "framing" and G.nodes[t].get("scope") != "notice")
    save_review(data / REVIEWS_NAME, lower, upper, "rejected", G)
    assert read_reviews(data / REVIEWS_NAME)[(lower, upper)]["status"] == "rejected"
    subprocess.run([*CASCADE, "build", str(data), "--store", str(store)], check=True, capture_output=True, timeout=600)
    after = same_as_analysis(store, load_graph(store))
    assert [r[0] for r in after if r not in before] == [lower]


def test_the_saved_query_and_the_command_page_the_rows(built, tmp_path):
    store = built[1]
    rows = stored_rows(store)
    saved = run_cypher(store, saved_queries()["local_additions"]["query"])
    assert saved[0] == [c for c, _ in LOCAL_ADDITION_COLUMNS][1:]
    assert saved[1] == sorted([r[1:] for r in rows])
    with open_backend(store, env={}) as b:
        total, page = b.table("local_additions", 3, 4)
        assert total == len(rows) and [list(r.values()) for r in page] == saved[1][3:7]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASCADE_BOLT_") and k != "CASCADE_LANG"}
    r = subprocess.run([*CASCADE, "gaps", "--store", str(store), "--limit", "5", "--offset", "2", "--status", "local",
                        "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total"] == len(rows)
    assert [[x["lower_doc"], x["lower"]] for x in out["rows"]] == [x[:2] for x in saved[1][2:7]]
    assert {x["status"] for x in out["rows"]} == {"local"}


def test_the_rows_are_in_the_database_only(built):
    G = load_graph(built[1])
    assert not any(d["label"] == "LocalAddition" for _, d in G.nodes(data=True))
    assert len(list(read_local_additions(built[1])())) == len(stored_rows(built[1]))


@pytest.fixture()
def old_store(built, tmp_path):
    """data/'s store as a build before the local-addition rows: no LocalAddition table."""
    return store_without(built[1], "LocalAddition", tmp_path)


def test_a_store_written_before_the_rows_says_to_build_again_not_no_local_addition(old_store, tmp_path):
    with open_backend(old_store, env={}) as b:
        assert not b.holds_rows("LocalAddition") and b.holds_gap_rows()
        with pytest.raises(QueryError) as err:
            b.table("local_additions", 0, 50)
        assert err.value.key == "no_local_addition_rows"
    says_to_build_again(old_store, ["--limit", "5", "--status", "local"], tmp_path)


@pytest.mark.bolt
@needs_falkordb
def test_pushed_rows_answer_as_the_embedded_store_and_an_older_push_says_to_push_again(built, old_store):
    from cascade.api import Cascade
    from graph.push import push

    n = len(stored_rows(built[1]))
    Cascade(built[1]).push(NATIVE, wipe=True)
    with open_backend(built[1], env={}) as e, open_backend(built[1], env=BOLT_ENV) as b:
        assert b.holds_rows("LocalAddition")
        assert b.table("local_additions", 0, 50) == e.table("local_additions", 0, 50)
        assert b.total("local_additions") == n
    summary = push(load_graph(old_store), NATIVE)
    assert "local-addition rows" not in summary
    with open_backend(old_store, env=BOLT_ENV) as b:
        assert not b.holds_rows("LocalAddition")
        assert b.rows("MATCH (n:LocalAddition) RETURN count(n)")[1] == [[0]]
        with pytest.raises(QueryError) as err:
            b.page("local_additions", 0, 5)
        assert err.value.key == "no_local_addition_rows_server"
    summary = push(load_graph(built[1]), NATIVE, local_additions=read_local_additions(built[1]))
    assert f"{n} local-addition rows" in summary
