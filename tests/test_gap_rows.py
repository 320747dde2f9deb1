"""The gap rows the store keeps (graph/gap_rows.py): written with the store from the definition, equal to
what the analysis finds, read by the saved gaps query, pushed with the graph, and refused where a store
or server holds none rather than read as "no gaps"."""
from __future__ import annotations

import shutil
import sys

import pytest

from core.errors import QueryError
from graph.gap_rows import GAP_COLUMNS, gap_definition, gap_row
from graph.store import current_version, load_graph, read_gaps
from queries.backend import open_backend
from queries.cypher import run_cypher, saved_queries

from conftest import says_to_build_again, store_without
from falkordb_server import BOLT_ENV, NATIVE, needs_falkordb

CASCADE = [sys.executable, "-m", "cascade.cli"]
COLUMNS = ", ".join(f"g.`{c}`" for c, _ in GAP_COLUMNS)


def expected_rows(G) -> list[list]:
    """The gap rows :func:`queries.gaps.coverage` finds in the graph, as the store keeps them, by id."""
    from queries.gaps import coverage

    return sorted([gap_row(G, r["upper"], r["upper_doc"], r["lower_doc"])[c] for c, _ in GAP_COLUMNS]
                  for r in coverage(G) if r["status"] == "gap")


def stored_rows(store) -> list[list]:
    return sorted(run_cypher(store, f"MATCH (g:Gap) RETURN {COLUMNS}")[1])


@pytest.mark.parametrize("which", ["data", "cut", "corpus", "synthetic"])
def test_the_stores_gap_rows_are_the_gaps_coverage_finds_and_the_definition_gives(which, request):
    # data/ and the corpus have no real gap (issue 22); the generated cascade drops chains on purpose
    fixture = {"data": "built", "cut": "cut_built", "corpus": "corpus_store", "synthetic": "synthetic_store"}[which]
    store = request.getfixturevalue(fixture)
    store = store[1] if isinstance(store, tuple) else store
    rows = stored_rows(store)
    assert rows == expected_rows(load_graph(store))
    assert sorted(run_cypher(store, gap_definition())[1]) == rows
    if which == "cut":   # the city's tasks 2 and 3, not taken up by 黄埔 (issue 22)
        assert [r[1] for r in rows] == ["2022-guangzhou/一/(一)/2", "2022-guangzhou/一/(一)/3"]
    if which == "synthetic":
        assert len(rows) > 10


def test_the_saved_gaps_query_reads_the_rows_in_the_definitions_order(synthetic_store):
    definition = run_cypher(synthetic_store, gap_definition())[1]
    saved = run_cypher(synthetic_store, saved_queries()["gaps"]["query"])
    assert saved[0] == [c for c, _ in GAP_COLUMNS][1:]
    assert saved[1] == [r[1:] for r in definition]
    with open_backend(synthetic_store, env={}) as b:
        total, page = b.table("gaps", 3, 5, equal={"lower_level": definition[0][7]})
        kept = [r[1:] for r in definition if r[7] == definition[0][7]]
        assert total == len(kept) and [list(r.values()) for r in page] == kept[3:8]


def test_the_gap_rows_are_in_the_database_only(cut_built):
    """Not in the graph read back or its exports (tests/test_exports_unchanged.py pins those); the
    database is the graph's one copy (no graph.json)."""
    G = load_graph(cut_built[1])
    assert not any(d["label"] == "Gap" for _, d in G.nodes(data=True))
    assert not (current_version(cut_built[1]) / "graph.json").exists()
    assert len(list(read_gaps(cut_built[1])())) == 2


@pytest.fixture()
def old_store(cut_built, tmp_path):
    """The cut store as a build before the gap rows: no Gap table."""
    return store_without(cut_built[1], "Gap", tmp_path)


def test_a_store_written_before_the_gap_rows_says_to_build_again_not_no_gaps(old_store, tmp_path):
    with open_backend(old_store, env={}) as b:
        assert not b.holds_gap_rows()
        with pytest.raises(QueryError) as err:
            b.table("gaps", 0, 50)
        assert err.value.key == "no_gap_rows"
        assert b.total("workload") > 0   # the other saved queries still answer
    says_to_build_again(old_store, ["--limit", "5"], tmp_path)


@pytest.mark.bolt
@needs_falkordb
def test_pushed_gap_rows_answer_as_the_embedded_store_and_an_older_push_says_to_push_again(cut_built, old_store):
    from cascade.api import Cascade
    from graph.push import push

    Cascade(cut_built[1]).push(NATIVE, wipe=True)
    with open_backend(cut_built[1], env={}) as e, open_backend(cut_built[1], env=BOLT_ENV) as b:
        assert b.holds_gap_rows()
        assert b.table("gaps", 0, 50) == e.table("gaps", 0, 50)
        assert b.total("gaps") == 2
    # pushed again from a store that holds none (its graph loaded: the layers' path): the earlier rows
    # go, and readers are told to push again
    summary = push(load_graph(old_store), NATIVE)
    assert "gap rows" not in summary
    with open_backend(old_store, env=BOLT_ENV) as b:
        assert not b.holds_gap_rows()
        assert b.rows("MATCH (g:Gap) RETURN count(g)")[1] == [[0]]
        with pytest.raises(QueryError) as err:
            b.page("gaps", 0, 5)
        assert err.value.key == "no_gap_rows_server"
    summary = push(load_graph(cut_built[1]), NATIVE, gaps=read_gaps(cut_built[1]))
    assert "2 gap rows" in summary
    with open_backend(cut_built[1], env=BOLT_ENV) as b:
        assert b.total("gaps") == 2


def test_gap_rows_follow_an_incremental_build_that_changes_who_is_in_a_collective(tmp_path):
    """The city plan removed, the units only it named go with their MEMBER_OF edges (市直各单位), and its
    two gaps in 黄埔's plan with it; restored, the collectives' members and the gaps come back: each time
    the rows a full build counts."""
    from cascade.pipeline import build
    from conftest import DATA, cut_huangpu_rows

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    cut_huangpu_rows(data)
    store = tmp_path / ".cascade"
    build([data], store=store, incremental=True)
    assert len(stored_rows(store)) == 2
    city = data / "2022_guangzhou_city_plan.txt"
    text = city.read_bytes()
    for step in ("remove", "restore"):
        if step == "remove":
            city.unlink()
        else:
            city.write_bytes(text)
        result = build([data], store=store, incremental=True)
        assert result.incremental["mode"] == "incremental"
        assert stored_rows(store) == expected_rows(build([data], store=None).graph)
        assert len(stored_rows(store)) == (0 if step == "remove" else 2)
