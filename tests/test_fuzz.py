"""Property-based fuzzing (hypothesis) of the normalizer, the structure parser, the unit splitter, the
deadline parser and the format readers: no exception but a one-line LoadError, and the invariants the
graph relies on.

Profiles: ``ci`` (the default: derandomized, so a run is reproducible, and modest so the suite stays
fast) and ``thorough`` (``HYPOTHESIS_PROFILE=thorough``: 20x the examples, for a local hunt).
"""
from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from core.errors import LoadError
from loaders.deadlines import parse_deadlines
from loaders.normalize import normalize
from loaders.blocks import Block
from loaders.charset import decode
from loaders.read import detect_format, read_blocks
from core.records import ROLES, Document
from loaders.structure import parse_structure
from loaders.units import parse_units

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Pieces plans are made of, so that the generated text reaches deep into the parsers, plus noise.
TOKENS = [
    "一、", "二、", "十三、", "（一）", "(二)", "（十）", "1.", "2、", "12．", "(1)", "（3）", "①", "⑳", "附件", "附件1",
    "序号", "工作任务", "责任单位", "牵头单位", "配合单位", "完成时限", "市里落实单位", "局内负责处室",
    "区", "市", "县", "省", "局", "办", "委", "股", "室", "中心", "政府", "街镇", "各有关部门", "等部门",
    "市场监管局", "政务公开办", "财政局", "(行政审批服务股)", "牵头", "负责", "配合", "落实", "参照落实", "指导",
    "、", "，", ",", "；", "。", "：", "|", " | ", "\n", "\t", "\u3000", " ", "(", ")", "（", "）", "〔", "〕",
    "加强", "推进", "做好", "公开", "政策解读", "要", "应", "年底前", "每年", "每季度", "长期", "持续推进",
    "2021年11月20日前", "2020年9月24日—9月30日", "6月30日前", "2022年3月底前", "13月40日前", "0年0月0日",
    "經(jīng)濟", "發(fā)展", "經（jīng）", "（wěn）", "廣州市黃埔區", "區市場監管局", "[GAP]", "印发给你们", "现印发", "工作要点",
    "　", "\ufeff", "\u200b", "ｌ", "１２", "Ⅻ", "﹝", "\x0b", "\x1b[0m",
]
plan_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=60).map("".join)
cells = st.lists(plan_text, min_size=1, max_size=4)
blocks = st.lists(st.tuples(cells, st.booleans()), max_size=25).map(
    lambda bs: [Block(tuple(c), i + 1, row=r) for i, (c, r) in enumerate(bs)])
regions = st.sampled_from([None, "广州市黄埔区", "咸宁市赤壁市", "江门市台山市", "全国", "广东省", ""])
levels = st.sampled_from([None, "national", "province", "city", "county", "department"])


@given(plan_text)
@example("經（jīng）濟")  # once stripped only in ASCII brackets, before NFKC made these ASCII
def test_normalize_never_fails_and_is_idempotent(text):
    once = normalize(text)
    assert isinstance(once, str)
    assert once == once.strip()
    assert normalize(once) == once


@given(cells.map(" ".join), regions, st.sampled_from([None, "台山市文化广电旅游体育局", "广州市黄埔区人民政府"]),
       st.booleans())
def test_unit_splitter_gives_non_empty_names_and_known_roles(cell, region, issuer, internal):
    for a in parse_units(cell, region=region, issuer=issuer, internal=internal):
        for name in (a.name, a.canonical, a.short_name):
            assert isinstance(name, str) and name.strip() == name and name
        assert a.role in ROLES


@given(plan_text, st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
def test_deadlines_are_valid_dates_or_known_phrases_without_repeats(text, year):
    found = parse_deadlines(text, year)
    assert len(found) == len(set(found))
    for d in found:
        if d[:1].isdigit():
            dt.date.fromisoformat(d)
        else:
            assert d in {"每年", "每半年", "每季度", "每月", "每周", "长期", "年底"}


@given(blocks, levels, regions, st.one_of(st.none(), st.integers(min_value=2000, max_value=2030)))
@settings(max_examples=settings.default.max_examples * 2)
def test_structure_parser_tasks_sit_in_sections_of_their_document(bs, level, region, year):
    doc = Document(source="fuzz.txt", level=level, region=region, year=year,
                   issuer="台山市文化广电旅游体育局" if level == "department" else None)
    sections, tasks = parse_structure(bs, doc)
    paths = [s.path for s in sections]
    assert len(paths) == len(set(paths)), "a section printed twice must be one section"
    for s in sections:
        assert s.path and s.depth >= 1 and s.number
        assert len(s.path) == 1 or s.path[:-1] in paths or s.path[0] in ("通知",) or s.path[0].startswith("附件")
    for t in tasks:
        assert t.section == () or t.section in paths, (t.section, paths)
        assert t.number and isinstance(t.text, str) and isinstance(t.text_norm, str)
        for a in t.assignments:
            assert a.canonical and a.short_name and a.role in ROLES
    assert [t.order for t in tasks] == list(range(len(tasks)))


@given(blocks, levels)
def test_graph_ids_are_unique_so_no_task_merges_into_another_node(bs, level):
    from graph.build import build_graph
    from core.records import DocumentRecords

    doc = Document(source="fuzz.txt", level=level, region="广州市黄埔区", year=2022)
    sections, tasks = parse_structure(bs, doc)
    G = build_graph([DocumentRecords(doc, sections, tasks)])
    labels = [d["label"] for _, d in G.nodes(data=True)]
    assert labels.count("Task") == len(tasks)
    assert labels.count("Section") == len(sections)
    for n, d in G.nodes(data=True):
        if d["label"] == "Task":
            parents = [u for u, _, k in G.in_edges(n, keys=True) if k == "CONTAINS"]
            assert len(parents) == 1 and G.nodes[parents[0]]["label"] in ("Section", "Document")


@given(st.binary(max_size=3000))
def test_readers_on_random_bytes_give_blocks_or_one_load_error(data):
    try:
        fmt, bs, text = read_blocks("fuzz.bin", data)
    except LoadError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.bin")
        return
    assert fmt in ("text", "html", "docx", "xlsx", "pdf")
    assert all(isinstance(c, str) for b in bs for c in b.cells)


@given(plan_text, st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-8-sig"]))
def test_decode_reads_back_what_was_encoded(text, encoding):
    assume("\x00" not in text)  # NUL is binary; a second byte 00 is read as UTF-16 on purpose
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if not data.strip() or detect_format(data) != "text":
        return
    try:
        got = decode(data)
    except LoadError:
        return  # a few characters are too little to tell an encoding by
    if encoding in ("utf-8", "utf-16", "utf-8-sig"):
        assert got == text or got == text.lstrip("\ufeff")


@given(st.text(max_size=80), st.sampled_from([".txt", ".docx", ".PDF", ".html", ".sh", "", ".txt\x00.sh", "／.txt"]))
def test_upload_names_are_plain_supported_names_or_refused(stem, suffix):
    from core.errors import CascadeError
    from loaders import SUPPORTED

    try:
        from cascade.uploads import safe_name
    except ImportError:
        return
    try:
        name = safe_name(stem + suffix)
    except CascadeError as err:
        assert "\n" not in str(err).replace(stem, "")
        return
    assert name and not name.startswith(".") and "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in (".", "..") and len(name) <= 130
    assert any(name.lower().endswith(s) for s in SUPPORTED)


# --- hostile input (issue 20): names, manifests, document text, exporters ----------------------------
# Each property below runs a few hundred generated inputs per CI run (README, "Hostile input").

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1", "\x1b]0;t\x07",
           "\x1b[31m", "\x00", "\x0b", "\x85", "\x9b", "\u2028", "\u202e", "\ufeff", "\ufffe", "\uffff", "<script>",
           "]]>", "&amp;", '"', "'", "\\", "`", "%", "#", "?", "[", "]", "{", "}", "|", ".", " ", "\u3000", "政务", "📄"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=3)), max_size=12).map("".join)
_PLAN = "关于印发工作要点的通知\n一、总体要求\n（一）加强政策解读{0}。区政务公开办牵头。\n（二）推进{0}决策公开。{0}区财政局负责。\n"


def _linux_name(raw: bytes) -> bytes:
    return raw.replace(b"/", b"_").replace(b"\x00", b"_")[:200]


@given(st.binary(min_size=1, max_size=40))
@settings(max_examples=settings.default.max_examples * 4)
@example(b"\xff\xfe")
@example("政务公开要点".encode("gbk"))
@example(b"esc\x1b]0;t\x07")
def test_any_file_name_loads_and_is_stored_readably(raw):
    """A name the OS allows (GBK from a Windows zip, raw bytes, controls) loads; its document's source
    is text every writer takes (UTF-8, no controls) and the JSON store reads it back."""
    import json
    import tempfile
    from pathlib import Path

    from graph.build import build_graph
    from graph.export import from_json_dict, to_json_dict
    from loaders import load_file
    from loaders.limits import display_name

    name = _linux_name(raw) + b".txt"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(os.fsencode(tmp), name)
        with open(path, "wb") as fh:
            fh.write(_PLAN.format("").encode("utf-8"))
        rec = load_file(Path(os.fsdecode(path)))
    source = rec.document.source
    assert source == display_name(os.fsdecode(name))
    source.encode("utf-8")   # no lone surrogate
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in source), repr(source)
    G = build_graph([rec])
    text = json.dumps(to_json_dict(G), ensure_ascii=False)
    assert to_json_dict(from_json_dict(json.loads(text.encode("utf-8")))) == to_json_dict(G)
    for enc in ("utf-8", "gb18030"):   # UTF-8 first, then GB18030: a name either reads shows as it reads
        try:
            readable = name.decode(enc)
        except UnicodeDecodeError:
            continue
        if not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in readable):
            assert source == readable
        break


_yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**30),
              st.floats(allow_nan=True), hostile_text, st.dates(), st.datetimes(),
              st.sampled_from(["2021-13-45", "2021-02-30", "0000-00-00", "national", "city", "2021", "yes", ""])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)
_FIELDS = ["file", "id", "title", "level", "region", "year", "issuer", "doc_no", "issued_on", "kind", "cites", "parents"]
_rows = st.lists(st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _yaml_values, max_size=6),
    st.fixed_dictionaries({"file": st.sampled_from(["a.txt", "b/c.txt"])},
                          optional={f: _yaml_values for f in _FIELDS[1:]}),
    _yaml_values), max_size=6)


@given(_rows)
@settings(max_examples=settings.default.max_examples * 5)
def test_any_manifest_gives_typed_rows_or_one_line_per_bad_row(rows):
    """Whatever an analyst types into manifest.yaml: the manifest reads, every row is either checked
    (its fields of the types the loaders expect) or one line naming its row (and file and field)."""
    import tempfile
    from pathlib import Path

    import yaml

    from core.errors import ManifestError
    from loaders.manifest import read_manifest
    from core.records import LEVELS

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        try:
            path.write_text(yaml.dump({"documents": rows}, allow_unicode=True,
                                      Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)), encoding="utf-8")
        except (yaml.YAMLError, UnicodeEncodeError):
            return
        try:
            entries = read_manifest(path)
        except ManifestError as err:   # YAML that PyYAML itself wrote but cannot read back (rare)
            assert "\n" not in str(err)
            return
    for line in entries.problems:
        assert line.startswith("row ") and "\n" not in line
    for entry in entries.values():
        if "_error" in entry:
            assert entry["_error"].startswith("manifest.yaml: row ") and "\n" not in entry["_error"]
            continue
        for key in ("id", "title", "region", "issuer", "doc_no", "kind"):
            assert key not in entry or isinstance(entry[key], str)
        assert entry.get("level") in (None, *LEVELS)
        assert entry.get("year") is None or (type(entry["year"]) is int and 1 <= entry["year"] <= 9999)
        if "issued_on" in entry:
            dt.date.fromisoformat(entry["issued_on"])
        for key in ("cites", "parents"):
            assert key not in entry or all(isinstance(x, str) for x in entry[key])
    assert len(entries) + len(entries.problems) <= len(rows)


def _outputs_read_back(G):
    """Every export of ``G`` read by its own reader: rdflib and pyoxigraph (Turtle), networkx
    (GraphML), csv (Neo4j CSV, no formula cell), json (the same graph)."""
    import csv
    import io
    import json
    import zipfile

    import networkx as nx
    import pyoxigraph as ox
    import rdflib

    from graph.export import from_json_dict, to_json_dict
    from graph.export.csv import to_csv_zip
    from graph.export.graphml import to_graphml
    from graph.export.rdf import to_turtle
    from graph.textsafe import spreadsheet_cell

    ttl = to_turtle(G)
    assert len(rdflib.Graph().parse(data=ttl, format="turtle")) == len(list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE)))
    back = nx.read_graphml(io.BytesIO(to_graphml(G).encode("utf-8")))
    assert back.number_of_edges() == G.number_of_edges()
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(G))) as z:
        for name in z.namelist():
            if name.endswith(".csv"):
                for row in csv.reader(io.StringIO(z.read(name).decode("utf-8"))):
                    assert all(spreadsheet_cell(c) == c for c in row), row
    assert to_json_dict(from_json_dict(json.loads(json.dumps(to_json_dict(G), ensure_ascii=False)))) == to_json_dict(G)


@given(st.lists(hostile_text.filter(lambda s: s.strip()), min_size=1, max_size=4, unique=True), hostile_text)
@settings(max_examples=settings.default.max_examples * 3)
@example(["a.", "政务.", "with space", "q'\"", "=cmd"], "=HYPERLINK(\"x\")")
def test_hostile_ids_and_text_survive_every_exporter(ids, text):
    import networkx as nx

    from graph.textsafe import xml_text

    assume(len({xml_text(i) for i in ids}) == len(ids))   # GraphML shows a forbidden character as U+FFFD
    G = nx.MultiDiGraph()
    for n, i in enumerate(ids):
        G.add_node(i, label="Document", id=i, title=text, level="city", region=text, year=2022, source=f"{n}.txt")
        G.add_node(f"{i}/{text}", label="Task", id=f"{i}/{text}", doc_id=i, text=text, text_norm=text, number=text)
        G.add_edge(i, f"{i}/{text}", key="CONTAINS", type="CONTAINS", order=n)
    for a, b in zip(ids, ids[1:]):
        G.add_edge(f"{b}/{text}", f"{a}/{text}", key="DERIVED_FROM", type="DERIVED_FROM", score=0.5, method=text)
    assume(G.number_of_nodes() == 2 * len(ids))
    _outputs_read_back(G)


@given(hostile_text)
@settings(max_examples=settings.default.max_examples * 4)
@example("\x1b]0;pwned\x07=HYPERLINK(\"http://x\")\x00\ufffe")
def test_document_text_reaches_the_outputs_only_as_data(payload):
    """A plan carrying the payload in every place loads (or is one LoadError), and each output of its
    graph reads back."""
    from pathlib import Path

    from graph.build import build_graph
    from loaders import load_file

    try:
        rec = load_file(Path("plan.txt"), data=_PLAN.format(payload).encode("utf-8", "replace"))
    except LoadError as err:
        assert "\n" not in str(err)
        return
    G = build_graph([rec])
    for _, d in G.nodes(data=True):
        for v in d.values():
            if isinstance(v, str):
                assert not any(ord(c) < 0x20 and c not in "\t\n" for c in v), repr(v)
    _outputs_read_back(G)
