"""The Cascade and Documents pages' store queries (queries/cascade_store.py) against the graph they were
saved from, and the same answers from a Bolt server holding that graph."""
from __future__ import annotations

import os

import pytest

from queries.backend import open_backend
from queries.cascade_store import documents, groups, neighbourhood, to_graph
from queries.overview import documents_table

URI = os.environ.get("CASCADE_BOLT_URI")


def _docs(G):
    return {n: d for n, d in G.nodes(data=True) if d.get("label") == "Document"}


def _share_of(G, doc):
    """The store's share, computed on the graph: the obligation requirements of the plans ``doc``
    implements, and how many a plan task of ``doc`` derives from by a link not rejected."""
    def plan(d):
        return d.get("scope", "plan") != "notice"

    parents = [v for _, v, e in G.out_edges(doc, data=True) if e.get("type") == "IMPLEMENTS"]
    required = taken = 0
    for p in parents:
        reqs = {n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == p and plan(d)
                and d.get("clause", "obligation") == "obligation"}
        required += len(reqs)
        taken += len({v for u, v, e in G.edges(data=True) if e.get("type") == "DERIVED_FROM" and v in reqs
                      and e.get("status", "proposed") != "rejected" and G.nodes[u].get("doc_id") == doc
                      and plan(G.nodes[u])})
    return required, taken


def test_documents_from_the_store_count_what_the_graph_holds(built, seed_graph):
    with open_backend(built[1], env={}) as b:
        rows = documents(b, linked=True)
    G = seed_graph
    table = documents_table(G)
    assert [(r["id"], r["linked_tasks"]) for r in rows] == [(r["id"], r["linked_tasks"]) for r in table]
    for r in rows:
        tasks = sum(1 for _, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == r["id"]
                    and d.get("clause") != "framing")   # (what an analyst counts: queries.overview.counted)
        parents = sorted(v for _, v, e in G.out_edges(r["id"], data=True) if e.get("type") == "IMPLEMENTS")
        assert (r["tasks"], r["parents"]) == (tasks, parents), r["id"]
        assert (r["required"], r["taken"]) == _share_of(G, r["id"]), r["id"]
        assert r["share"] == (round(r["taken"] / r["required"], 3) if r["required"] else None)
    assert any(r["share"] for r in rows)


def test_filters_apply_in_the_store_and_keep_the_shares(built):
    with open_backend(built[1], env={}) as b:
        everything = {r["id"]: r for r in documents(b)}
        county = documents(b, levels=["county"])
        gz = documents(b, regions=["广州市黄埔区"], years=[2022])
    assert {r["id"] for r in county} == {i for i, r in everything.items() if r["level"] == "county"}
    assert [r["id"] for r in gz] == ["2022-huangpu"]
    for r in county + gz:     # a parent outside the filter still counts its requirements
        assert r == everything[r["id"]]


def test_groups_sum_their_documents(built, seed_graph):
    with open_backend(built[1], env={}) as b:
        rows = documents(b)
    found = {g["key"]: g for g in groups(rows)}
    for n, d in _docs(seed_graph).items():
        assert f"{d['level']}|{d['region']}" in found
    assert sum(g["documents"] for g in found.values()) == len(_docs(seed_graph))
    assert sum(g["tasks"] for g in found.values()) == sum(1 for _, d in seed_graph.nodes(data=True)
                                                          if d.get("label") == "Task" and d.get("clause") != "framing")
    assert [g["level"] for g in groups(rows, by_region=False)] == ["national", "city", "county", "department"]


def test_neighbourhood_of_a_document_is_its_part_of_the_graph(built, seed_graph):
    G = seed_graph
    doc = "2022-huangpu"
    with open_backend(built[1], env={}) as b:
        found = neighbourhood(b, [doc])
    small = to_graph(found)
    inside = {n for n, d in G.nodes(data=True) if d.get("doc_id") == doc}
    assert inside <= set(small) and found["left_out"] == 0
    assert {v for _, v, e in G.out_edges(doc, data=True) if e.get("type") == "IMPLEMENTS"} <= set(small)
    for kind in ("CONTAINS", "ASSIGNED_TO", "DERIVED_FROM"):
        want = {(u, v) for u, v, e in G.edges(data=True) if e.get("type") == kind and u in inside}
        assert want == {(u, v) for u, v, e in small.edges(data=True) if e.get("type") == kind and u in inside}, kind
    assert all(small.nodes[v].get("label") in ("Task", "Section") for u, v, e in small.edges(data=True)
               if e.get("type") == "DERIVED_FROM")
    with open_backend(built[1], env={}) as b:
        capped = neighbourhood(b, [doc], limit=5)
    assert len(capped["tasks"]) == 5 and capped["left_out"] == len(found["tasks"]) - 5


@pytest.mark.bolt
@pytest.mark.skipif(not URI, reason="no Bolt server: CASCADE_BOLT_URI is unset")
def test_cascade_store_queries_on_bolt_are_the_embedded_ones(built, seed_graph):
    from graph.push import push

    user, password = os.environ.get("CASCADE_BOLT_USER", "neo4j"), os.environ.get("CASCADE_BOLT_PASSWORD") or None
    database = os.environ.get("CASCADE_BOLT_DATABASE") or None
    push(seed_graph, URI, user, password, database=database, wipe=True)
    bolt = {"CASCADE_BOLT_URI": URI, "CASCADE_BOLT_USER": user, "CASCADE_BOLT_PASSWORD": password or "",
            "CASCADE_BOLT_DATABASE": database or ""}
    with open_backend(built[1], env={}) as e, open_backend(built[1], env=bolt) as b:
        assert b.kind == "bolt"
        assert documents(b, linked=True) == documents(e, linked=True)
        assert documents(b, levels=["county"], years=[2022]) == documents(e, levels=["county"], years=[2022])
        ids = ["2022-huangpu", "2021-taishan-culture"]
        assert neighbourhood(b, ids) == neighbourhood(e, ids)


def test_group_view_escapes_the_region_and_links_each_group_url_encoded():
    import json
    import re

    from cascade.graphview import render_groups

    hostile = '<img src=x onerror="window.__xss=1">区'
    page, left = render_groups([{"key": "county|x", "level": "county", "region": hostile, "documents": 2, "tasks": 9,
                                 "required": 4, "taken": 3, "share": 0.75}], [], lang="en",
                               open_links=(("open", "cascade?level={level}&region={region}"),))
    data = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.S).group(1)
    assert left == 0 and "<img" not in data
    box = json.loads(data)[0]
    assert "<img" not in box["title"] and "&lt;img src=x" in box["title"] and "<" not in box["label"]
    assert "region=%3Cimg%20src%3Dx" in box["title"] and "2 document(s) · 9 task(s)" in box["label"]
