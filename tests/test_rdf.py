"""The Turtle export and its SPARQL queries, on the seed cascade."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS

from graph.export import export
from graph.export.rdf import PC, ONTOLOGY_PATH, node_iri, ontology, saved_sparql, sparql, to_rdf

pc = lambda name: URIRef(PC + name)  # noqa: E731


@pytest.fixture(scope="module")
def parsed(seed_graph):
    """The Turtle export parsed back with rdflib's own parser and memory store (not Oxigraph)."""
    g = Graph()
    g.parse(data=export(seed_graph, "ttl"), format="turtle")
    return g


@pytest.fixture(scope="module")
def oxi(seed_graph):
    return to_rdf(seed_graph)


def _count(G, label):
    return sum(1 for _, d in G.nodes(data=True) if d["label"] == label)


def test_turtle_parses_back_into_the_same_numbers_of_documents_tasks_units_and_links(parsed, seed_graph):
    for label in ("Document", "Section", "Task", "Unit"):
        assert len(set(parsed.subjects(RDF.type, pc(label)))) == _count(seed_graph, label), label
    edges = Counter(d["type"] for _, _, d in seed_graph.edges(data=True))
    assert len(set(parsed.subjects(RDF.type, pc("Derivation")))) == edges["DERIVED_FROM"]
    assert len(set(parsed.subject_objects(pc("implements")))) == edges["IMPLEMENTS"]
    assert len(set(parsed.subjects(RDF.type, pc("Assignment")))) == edges["ASSIGNED_TO"]
    assert len(set(parsed.subject_objects(DCTERMS.hasPart))) == edges["CONTAINS"]
    assert len(set(parsed.subject_objects(ORG.subOrganizationOf))) == edges["MEMBER_OF"]
    not_rejected = sum(1 for _, _, d in seed_graph.edges(data=True)
                       if d["type"] == "DERIVED_FROM" and d.get("status") != "rejected")
    assert len(set(parsed.subject_objects(PROV.wasDerivedFrom))) == not_rejected


def test_literals_carry_the_documents_script(parsed, seed_graph):
    hant = [n for n, d in seed_graph.nodes(data=True) if d["label"] == "Document" and d.get("script") == "zh-Hant"]
    assert hant, "the seed cascade has a traditional-script document (黄埔区 2022)"
    for doc in hant:
        title = parsed.value(URIRef(node_iri("Document", doc)), DCTERMS.title)
        assert title.language.lower() == "zh-hant" and str(title) == seed_graph.nodes[doc]["title"]
        task = next(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task" and d.get("doc_id") == doc)
        text = parsed.value(URIRef(node_iri("Task", task)), pc("text"))
        norm = parsed.value(URIRef(node_iri("Task", task)), pc("textNorm"))
        assert (str(text), text.language.lower()) == (seed_graph.nodes[task]["text"], "zh-hant")
        assert (str(norm), norm.language.lower()) == (seed_graph.nodes[task]["text_norm"], "zh-hans")


def test_turtle_spells_language_tags_as_registered(seed_graph):
    ttl = export(seed_graph, "ttl")
    assert '"@zh-Hant' in ttl and '"@zh-Hans' in ttl
    assert not re.search(r'"@zh-han[st]\b', ttl)


def test_units_are_w3c_org_organizations_with_names_and_levels_are_skos_concepts(parsed, seed_graph):
    unit = next(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Unit")
    s = URIRef(node_iri("Unit", unit))
    assert (s, RDF.type, ORG.Organization) in parsed
    assert str(parsed.value(s, SKOS.prefLabel)) == seed_graph.nodes[unit]["name"]
    onto = ontology()
    levels = {str(o) for o in parsed.objects(None, pc("level"))}
    concepts = {str(c) for c in onto.subjects(RDF.type, SKOS.Concept)}
    assert levels and levels <= concepts


def test_ontology_reuses_org_prov_dublin_core_and_skos():
    text = ONTOLOGY_PATH.read_text(encoding="utf-8")
    for ns in ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/",
               "http://www.w3.org/2004/02/skos/core#"):
        assert ns in text
    onto = ontology()
    assert (pc("Unit"), URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), ORG.Organization) in onto
    assert (pc("implements"), URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), PROV.wasDerivedFrom) in onto


def test_every_pc_term_the_export_uses_is_defined_in_the_ontology(parsed):
    onto = ontology()
    defined = {str(s) for s in onto.subjects() if str(s).startswith(PC)}
    used = {str(p) for p in parsed.predicates() if str(p).startswith(PC)}
    used |= {str(o) for o in parsed.objects(None, RDF.type) if str(o).startswith(PC)}
    assert used - defined == set()


@pytest.mark.parametrize("which", ["data", "cut"])
def test_sparql_gap_query_agrees_with_cascade_gaps(which, seed_graph, cut_built):
    gaps = pytest.importorskip("queries.gaps")
    G = seed_graph if which == "data" else cut_built[0].graph
    rows = sparql(to_rdf(G), saved_sparql()["gaps"])
    got = {(r["upper"], r["lower_doc"]): r["status"] for r in rows}
    want = {(r["upper"], r["lower_doc"]): r["status"] for r in gaps.coverage(G) if r["status"] != "local"}
    assert len(rows) == len(got)  # one row per (upper task, lower document)
    assert got == want
    assert {"covered", "not_applicable", "not_assessable"} <= set(got.values())
    assert ("gap" in got.values()) == (which == "cut")


def test_sparql_gap_pattern_is_the_python_one():
    gaps = pytest.importorskip("queries.gaps")
    text = saved_sparql()["gaps"]
    assert gaps.NATIONAL_ONLY.replace("(?:", "(") in text


def test_sparql_gap_query_runs_on_rdflibs_own_engine_too(parsed, oxi):
    # rdflib's engine reads the same Turtle a triple store would: the query is plain SPARQL 1.1.
    q = saved_sparql()["gaps"]
    assert sorted(map(str, sparql(parsed, q))) == sorted(map(str, sparql(oxi, q)))


def test_sparql_local_additions_agree_with_python(oxi, seed_graph):
    gaps = pytest.importorskip("queries.gaps")
    got = {(r["lower_doc"], r["lower"]) for r in sparql(oxi, saved_sparql()["local_additions"])}
    assert got == {(r["lower_doc"], r["lower"][0]) for r in gaps.local_additions(seed_graph)}


def test_sparql_trace_agrees_with_python_trace(oxi, seed_graph):
    trace_mod = pytest.importorskip("queries.trace")
    upper = [n for n, d in seed_graph.nodes(data=True)
             if d["label"] == "Task" and seed_graph.nodes[d["doc_id"]].get("level") in ("national", "city")]
    taken_up = 0
    for task in sorted(upper)[::3]:
        want = set()

        def walk(node, depth):
            for branch in node["below"]:
                for kid in branch["tasks"]:
                    want.add((depth + 1, node["task"], kid["task"]))
                    walk(kid, depth + 1)

        walk(trace_mod.trace(seed_graph, task), 0)
        rows = sparql(oxi, saved_sparql()["trace"], {"start_id": Literal(task)})
        assert {(r["depth"], r["parent"], r["task"]) for r in rows} == want, task
        taken_up += bool(want)
    assert taken_up >= 5  # the comparison covered tasks that do reach a lower level
