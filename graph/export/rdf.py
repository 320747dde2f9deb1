"""The graph as RDF (Turtle), in the vocabulary of ``graph/export/ontology.ttl``: W3C ORG for units, PROV-O
for derivation, Dublin Core for document metadata, SKOS for the levels.

Built in an rdflib graph backed by the Oxigraph store (``oxrdflib``), which serializes and answers
SPARQL far faster than rdflib's memory store. Chinese literals carry their script: a document's title
and a task's source text are ``@zh-Hant`` when the document is in traditional script, else
``@zh-Hans``; normalized text and unit names are ``@zh-Hans``.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("d", label="Document", id="d", title="黃埔區要點", level="county", script="zh-Hant")
>>> ttl = to_turtle(G)
>>> '"黃埔區要點"@zh-Hant' in ttl and "level:county" in ttl
True
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import networkx as nx

__all__ = ["to_turtle", "to_rdf", "ontology", "sparql", "saved_sparql", "node_iri", "PC", "BASE",
           "ONTOLOGY_PATH", "SPARQL_DIR"]

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")
SPARQL_DIR = Path(__file__).resolve().parents[2] / "queries" / "sparql"
NS = "https://policy-cascade.example/"
BASE = NS + "id/"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What an IRI path may hold as it is (RFC 3987 ipchar: unreserved, sub-delims, ':', '@', '/' and
# ucschar); anything else is percent-encoded: '%', '#', '?', brackets, controls, U+FFF0-FFFF,
# non-characters. A final '.' too: Turtle writers print it as the prefixed name 'id:doc/a\.', which
# rdflib cannot parse.
_UCSCHAR = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef" + "".join(
    f"{chr(p << 16)}-{chr((p << 16) | 0xFFFD)}" for p in range(1, 14)) + "\U000e1000-\U000efffd"
_IRI_UNSAFE = re.compile(f"[^A-Za-z0-9\\-._~!$&'()*+,;=:@/{_UCSCHAR}]|\\.$")
_SEGMENT = {"Document": "doc", "Section": "section", "Task": "task", "Unit": "unit"}


def _ns():
    from rdflib import Namespace
    from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

    return {"pc": Namespace(NS + "ns#"), "level": Namespace(NS + "level/"), "role": Namespace(NS + "role/"),
            "dcterms": DCTERMS, "org": ORG, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD}


PC = NS + "ns#"


def node_iri(label: str, node_id: str, base: str = BASE) -> str:
    """The IRI of a node: readable (Chinese kept), unsafe characters percent-encoded.

    >>> node_iri("Task", "2022-huangpu/一/(一)/1")
    'https://policy-cascade.example/id/task/2022-huangpu/一/(一)/1'
    >>> node_iri("Unit", "unit:各 街镇#1")
    'https://policy-cascade.example/id/unit/unit:各%20街镇%231'
    """
    safe = _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")),
                           str(node_id))
    return f"{base}{_SEGMENT.get(label, 'node')}/{safe}"


def ontology():
    """The published ontology as an rdflib graph."""
    from rdflib import Graph

    g = Graph()
    g.parse(ONTOLOGY_PATH, format="turtle")
    return g


def to_rdf(G: nx.MultiDiGraph, base: str = BASE, with_ontology: bool = False):
    """The graph as an rdflib ``Graph`` on the Oxigraph store (its default graph).

    Triples are made as pyoxigraph terms and loaded in one call: going through rdflib terms one
    triple at a time took 20 s for the 434k triples of a 10k-task cascade.
    """
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    ns = _ns()
    N = ox.NamedNode
    xsd = "http://www.w3.org/2001/XMLSchema#"
    X_INT, X_DEC, X_BOOL, X_DATE = N(xsd + "integer"), N(xsd + "decimal"), N(xsd + "boolean"), N(xsd + "date")

    class _Terms:
        """Attribute access to a namespace's terms as pyoxigraph named nodes, made once each."""

        def __init__(self, prefix: str):
            self._prefix, self._made = prefix, {}

        def __getattr__(self, name: str):
            return self[name]

        def __getitem__(self, name: str):
            node = self._made.get(name)
            if node is None:
                node = self._made[name] = N(self._prefix + name)
            return node

    pc, level, role = _Terms(NS + "ns#"), _Terms(NS + "level/"), _Terms(NS + "role/")
    dct, org, prov = _Terms(str(ns["dcterms"])), _Terms(str(ns["org"])), _Terms(str(ns["prov"]))
    RDF, SKOS = _Terms(str(ns["rdf"])), _Terms(str(ns["skos"]))
    triples: list = []
    add = triples.append

    def lit(value, lang=None):
        if lang:
            return ox.Literal(str(value), language=lang)
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=X_BOOL)
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=X_INT)
        if isinstance(value, float):
            text = repr(value)
            return ox.Literal(format(value, "f") if "e" in text or "inf" in text or "nan" in text else text,
                              datatype=X_DEC)
        return ox.Literal(str(value))

    def opt(s, p, value, lang=None):
        if value is not None and value != "":
            add((s, p, lit(value, lang)))

    iri = {n: N(node_iri(d.get("label", ""), d.get("id", n), base)) for n, d in G.nodes(data=True)}
    script_of = {n: (d.get("script") or "zh-Hans") for n, d in G.nodes(data=True) if d.get("label") == "Document"}

    for n, d in G.nodes(data=True):
        s, label = iri[n], d.get("label")
        add((s, pc.id, ox.Literal(str(d.get("id", n)))))
        if label == "Document":
            script = script_of[n]
            add((s, RDF.type, pc.Document))
            opt(s, dct.title, d.get("title"), script)
            if d.get("level"):
                add((s, pc.level, level[d["level"]]))
            opt(s, pc.region, d.get("region"), "zh-Hans")
            opt(s, pc.year, d.get("year"))
            opt(s, dct.identifier, d.get("doc_no"), script)
            if d.get("issued_on") and _ISO_DATE.match(str(d["issued_on"])):
                add((s, dct.issued, ox.Literal(d["issued_on"], datatype=X_DATE)))
            opt(s, pc.issuer, d.get("issuer"), "zh-Hans")
            opt(s, dct.source, d.get("source"))
            opt(s, pc.kind, d.get("kind"))
            opt(s, pc.truncated, d.get("truncated"))
            opt(s, pc.script, d.get("script"))
            opt(s, dct["format"], d.get("format"))
            for c in d.get("cites") or []:
                opt(s, pc.cites, c, script)
            if d.get("declared"):
                opt(s, pc.declared, json.dumps(d["declared"], ensure_ascii=False, sort_keys=True))
            for w in d.get("warnings") or []:
                opt(s, pc.warning, w)
            opt(s, pc.tier, d.get("tier"))
            if d.get("parent_level"):
                add((s, pc.parentLevel, level[d["parent_level"]]))
            opt(s, pc.explains, d.get("explains"), "zh-Hans")
            for c in d.get("parent_cited") or []:
                opt(s, pc.parentCited, c, "zh-Hans")
        elif label == "Section":
            script = script_of.get(d.get("doc_id"), "zh-Hans")
            add((s, RDF.type, pc.Section))
            opt(s, pc.number, d.get("number"), script)
            opt(s, dct.title, d.get("title"), script)
            opt(s, pc.depth, d.get("depth"))
            opt(s, pc.scope, d.get("scope"))
            if d.get("sole_requirement") in iri:
                add((s, pc.soleRequirement, iri[d["sole_requirement"]]))
            if d.get("doc_id") in iri:
                add((s, pc.document, iri[d["doc_id"]]))
        elif label == "Task":
            script = script_of.get(d.get("doc_id"), "zh-Hans")
            add((s, RDF.type, pc.Task))
            opt(s, pc.number, d.get("number"), script)
            opt(s, pc.text, d.get("text"), script)
            opt(s, pc.textNorm, d.get("text_norm"), "zh-Hans")
            opt(s, pc.scope, d.get("scope"))
            opt(s, pc.line, d.get("line"))
            opt(s, pc.inheritedUnits, d.get("inherited_units"))
            opt(s, pc.clause, d.get("clause"))
            for a in d.get("addressees") or []:
                opt(s, pc.addressee, a, "zh-Hans")
            for a in d.get("addressed_to") or []:
                opt(s, pc.addressedTo, a)
            if d.get("national_only"):
                add((s, pc.nationalOnly, lit(True)))
            for dl in d.get("deadlines") or []:
                if _ISO_DATE.match(str(dl)):
                    add((s, pc.deadline, ox.Literal(dl, datatype=X_DATE)))
                else:
                    opt(s, pc.deadline, dl, "zh-Hans")
            if d.get("doc_id") in iri:
                add((s, pc.document, iri[d["doc_id"]]))
        elif label == "Unit":
            add((s, RDF.type, pc.Unit))
            add((s, RDF.type, org.Organization))
            opt(s, SKOS.prefLabel, d.get("name"), "zh-Hans")
            if d.get("short_name") and d.get("short_name") != d.get("name"):
                opt(s, SKOS.altLabel, d["short_name"], "zh-Hans")
            for a in d.get("aliases") or []:
                opt(s, SKOS.altLabel, a, "zh-Hans")
            opt(s, pc.region, d.get("region"), "zh-Hans")
            opt(s, pc.collective, d.get("collective"))

    def qualified(kind: str, u: str, v: str, k):
        # A blank node labelled from the relationship itself, so the same graph gives the same Turtle.
        return ox.BlankNode(kind + hashlib.sha1(f"{u}\x1f{v}\x1f{k}".encode("utf-8")).hexdigest()[:20])

    def derivation(kind: str, cls, a, b, u: str, v: str, k):
        """A qualified derivation (PROV-O) of ``a`` from ``b``, typed ``cls``: the node the link's properties hang on."""
        x = qualified(kind, u, v, k)
        add((a, prov.qualifiedDerivation, x))
        add((x, RDF.type, cls))
        add((x, prov.entity, b))
        return x

    for u, v, k, d in G.edges(keys=True, data=True):
        a, b, t = iri[u], iri[v], d.get("type")
        if t == "CONTAINS":
            add((a, dct.hasPart, b))
            add((b, dct.isPartOf, a))
            opt(b, pc.order, d.get("order"))
        elif t == "ASSIGNED_TO":
            x = qualified("a", u, v, k)
            add((a, pc.assignedTo, b))
            add((a, pc.assignment, x))
            add((x, RDF.type, pc.Assignment))
            add((x, pc.unit, b))
            add((x, pc.role, role[d.get("role") or "implement"]))
            opt(x, pc.column, d.get("column") or "own")
        elif t == "DERIVED_FROM":
            if d.get("status") != "rejected":
                add((a, prov.wasDerivedFrom, b))
            x = derivation("d", pc.Derivation, a, b, u, v, k)
            for key, p in (("score", pc.score), ("method", pc.method), ("status", pc.status),
                           ("kind", pc.kind), ("suspect", pc.suspect)):
                opt(x, p, d.get(key))
            if d.get("evidence"):
                opt(x, pc.evidence, json.dumps(d["evidence"], ensure_ascii=False, sort_keys=True))
        elif t == "IMPLEMENTS":
            add((a, pc.implements, b))
            x = derivation("i", pc.Implementation, a, b, u, v, k)
            opt(x, pc.via, d.get("via"))
        elif t == "ISSUED_BY":
            add((a, dct.publisher, b))
        elif t == "MEMBER_OF":
            add((a, org.subOrganizationOf, b))
            if d.get("via"):
                # The membership's evidence differs per pair: keep it on a qualified node.
                x = qualified("m", u, v, k)
                add((a, pc.membership, x))
                add((x, org.organization, b))
                opt(x, pc.via, d["via"])
        elif t == "CONTINUES":
            add((a, pc.continues, b))
        else:
            add((a, pc[str(t)], b))

    store = ox.Store()
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(s, p, o, default) for s, p, o in triples)
    g = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="core")
    for prefix, n in ns.items():
        if prefix not in ("rdf", "rdfs", "xsd"):
            g.bind(prefix, n)
    g.bind("id", base)
    if with_ontology:
        for t in ontology():
            g.add(t)
    return g


# Oxigraph writes language tags in lower case; tags are case-insensitive (BCP 47), but zh-Hans and
# zh-Hant are the registered spelling that people search for. Only a quote that ends a literal counts.
_LANG_TAG = re.compile(r'(?<!\\)"@zh-han([st])(?=[\s;,.)\]])')


def to_turtle(G: nx.MultiDiGraph) -> str:
    """Turtle of the graph (the ontology itself is in ``graph/export/ontology.ttl``)."""
    out = to_rdf(G).serialize(format="ox-turtle")
    text = out.decode("utf-8") if isinstance(out, bytes) else out
    return _LANG_TAG.sub(lambda m: f'"@zh-Han{m.group(1)}', text)


def saved_sparql() -> dict[str, str]:
    """The SPARQL queries of ``queries/sparql/``: name → text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SPARQL_DIR.glob("*.rq"))}


def sparql(g, query: str, bindings: dict | None = None) -> list[dict]:
    """Run a SELECT query; rows as dicts of Python values (IRIs as strings).

    ``bindings`` (variable → value) become a ``VALUES`` block at the start of the query's WHERE
    clause, so the engine joins them first, on any store (the Oxigraph store refuses rdflib's
    ``initBindings`` for a variable the query does not select).
    """
    from rdflib import Literal, URIRef

    if bindings:
        names = list(bindings)
        terms = [(v if isinstance(v, (URIRef, Literal)) else Literal(v)).n3() for v in bindings.values()]
        values = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
        m = re.search(r"\bWHERE\s*\{", query, re.I)
        if m is None:
            raise ValueError("a query with bindings needs a WHERE clause")
        query = query[:m.end()] + "\n  " + values + query[m.end():]
    result = g.query(query)
    names = [str(v) for v in result.vars]
    rows = []
    for r in result:
        row = {}
        for name, value in zip(names, r):
            row[name] = None if value is None else (value.toPython() if isinstance(value, Literal) else str(value))
        rows.append(row)
    return rows
