"""Every registered exporter on the seed cascade, and each format read back by the tool it is for."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter

import networkx as nx
import pytest

from graph.export import export, formats
from graph.export.csv import CSV_ARRAY_DELIMITERS
from graph.export.cypher import cypher_statements

CASCADE = [sys.executable, "-m", "cascade.cli"]


def _counts(G):
    return (Counter(d["label"] for _, d in G.nodes(data=True)), Counter(d["type"] for _, _, d in G.edges(data=True)))


@pytest.mark.parametrize("fmt", formats())
def test_every_registered_format_exports_the_seed_graph_and_writes_the_same_bytes_to_a_file(fmt, seed_graph, tmp_path):
    out = export(seed_graph, fmt)
    assert isinstance(out, (str, bytes)) and len(out) > 1000
    dest = tmp_path / f"graph.{fmt}"
    assert export(seed_graph, fmt, dest) is None
    data = dest.read_bytes()
    assert data == (out.encode("utf-8") if isinstance(out, str) else out)
    # Exports are deterministic: the same graph gives the same bytes.
    assert export(seed_graph, fmt) == out


def test_the_registry_imports_a_writer_only_when_its_format_is_asked_for():
    """The app and the store import graph.export; rdflib (Turtle) costs nothing until a ttl export."""
    code = ("import sys, networkx as nx\n"
            "import graph.export, graph.store, graph.push\n"
            "G = nx.MultiDiGraph(); G.add_node('d', label='Document', id='d')\n"
            "graph.export.export(G, 'json'); graph.export.export(G, 'cypher')\n"
            "lazy = ('rdflib', 'pyoxigraph', 'graph.export.rdf', 'graph.export.csv')\n"
            "print(sorted(m for m in lazy if m in sys.modules))\n"
            "graph.export.export(G, 'ttl')\n"
            "print('rdflib' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["[]", "True"]


def test_graphml_reads_back_into_the_same_nodes_and_relationships(seed_graph):
    H = nx.read_graphml(io.BytesIO(export(seed_graph, "graphml").encode("utf-8")), force_multigraph=True)
    assert Counter(d["label"] for _, d in H.nodes(data=True)) == _counts(seed_graph)[0]
    assert Counter(d["type"] for _, _, d in H.edges(data=True)) == _counts(seed_graph)[1]
    task = next(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task" and d.get("deadlines"))
    assert H.nodes[task]["text"] == seed_graph.nodes[task]["text"]
    assert json.loads(H.nodes[task]["deadlines"]) == seed_graph.nodes[task]["deadlines"]


def test_csv_zip_has_neo4j_admin_headers_and_every_row(seed_graph):
    zf = zipfile.ZipFile(io.BytesIO(export(seed_graph, "csv")))
    names = set(zf.namelist())
    labels, types = _counts(seed_graph)
    assert names == {f"nodes_{l}.csv" for l in labels} | {f"rels_{t}.csv" for t in types} | {"import.sh"}
    script = zf.read("import.sh").decode()
    delim = re.search(r"--array-delimiter='(.)'", script).group(1)
    assert delim in CSV_ARRAY_DELIMITERS
    ids = set()
    for label, n in labels.items():
        rows = list(csv.reader(io.StringIO(zf.read(f"nodes_{label}.csv").decode("utf-8"))))
        header, body = rows[0], rows[1:]
        assert header[:2] == ["id:ID", ":LABEL"] and len(body) == n
        assert all(r[1] == label for r in body)
        ids |= {r[0] for r in body}
        if label == "Task":
            col = header.index("deadlines:string[]")
            by_id = {r[0]: r for r in body}
            for t, d in seed_graph.nodes(data=True):
                if d["label"] == "Task":
                    cell = by_id[t][col]
                    assert (cell.split(delim) if cell else []) == d["deadlines"]
                    assert by_id[t][header.index("text")] == d["text"]
    assert ids == set(seed_graph.nodes)
    for rtype, n in types.items():
        rows = list(csv.reader(io.StringIO(zf.read(f"rels_{rtype}.csv").decode("utf-8"))))
        assert rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and len(rows) - 1 == n
        assert all(r[0] in ids and r[1] in ids and r[2] == rtype for r in rows[1:])
    header = next(csv.reader(io.StringIO(zf.read("nodes_Document.csv").decode())))
    assert "year:long" in header and "truncated:boolean" in header and "cites:string[]" in header


def test_csv_export_from_the_cli_writes_a_zip_file(built, tmp_path):
    out = tmp_path / "graph.zip"
    r = subprocess.run([*CASCADE, "export", "--format", "csv", "--out", str(out), "--store", str(built[1])],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert zipfile.is_zipfile(out)


def test_cypher_script_has_one_statement_per_line_ending_in_a_semicolon(seed_graph):
    text = export(seed_graph, "cypher")
    lines = [l for l in text.splitlines() if l and not l.startswith("//")]
    assert lines == [s + ";" for s in cypher_statements(seed_graph)]
    assert sum(l.startswith("CREATE CONSTRAINT") for l in lines) == 4


@pytest.mark.bolt
@pytest.mark.skipif(not os.environ.get("CASCADE_BOLT_URI"), reason="no Bolt server: CASCADE_BOLT_URI is unset")
def test_cypher_script_statements_rebuild_the_graph_on_a_bolt_server(seed_graph):
    """The script's UNWIND … MERGE statements, run one by one (one row each: FalkorDB takes requests
    of 4 KB at most, and no constraints), give the store's counts and properties."""
    from graph.push import OWNER_PROPERTY, connect, neo4j_properties

    uri = os.environ["CASCADE_BOLT_URI"]
    user = os.environ.get("CASCADE_BOLT_USER", "neo4j")
    password = os.environ.get("CASCADE_BOLT_PASSWORD") or None
    database = os.environ.get("CASCADE_BOLT_DATABASE") or None
    driver = connect(uri, user, password)
    try:
        with driver.session(database=database) as s:
            s.run(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = 'policy-cascade' DETACH DELETE n").consume()
            statements = [st for st in cypher_statements(seed_graph, batch_size=1) if not st.startswith("CREATE CONSTRAINT")]
            for st in statements:
                s.run(st).consume()
            nodes = s.run(f"MATCH (n) WHERE n.{OWNER_PROPERTY} = 'policy-cascade' RETURN labels(n)[0] AS l, count(n) AS c").data()
            rels = s.run(f"MATCH (a)-[r]->() WHERE a.{OWNER_PROPERTY} = 'policy-cascade' RETURN type(r) AS t, count(r) AS c").data()
            assert (Counter({r["l"]: r["c"] for r in nodes}), Counter({r["t"]: r["c"] for r in rels})) == _counts(seed_graph)
            tasks = sorted(n for n, d in seed_graph.nodes(data=True) if d["label"] == "Task")[::25]
            got = s.run("MATCH (t:Task) WHERE t.id IN $ids RETURN t.id AS id, properties(t) AS p", ids=tasks).data()
            for row in got:
                p = {k: v for k, v in row["p"].items() if k != OWNER_PROPERTY}
                assert p == neo4j_properties(seed_graph.nodes[row["id"]])
    finally:
        driver.close()
