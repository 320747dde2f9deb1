"""``cascade build --incremental`` (cascade/incremental.py) on a small synthetic cascade from bench/synth.py."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import networkx as nx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

from cascade.pipeline import build  # noqa: E402
from graph.store import load_graph  # noqa: E402

LINKS = ("IMPLEMENTS", "DERIVED_FROM", "CONTINUES")


def _links(G) -> set:
    return {(u, v, d["type"]) for u, v, d in G.edges(data=True) if d.get("type") in LINKS}


@pytest.fixture()
def cascade(tmp_path):
    src = tmp_path / "cascade"
    synth.generate(500, 2, src)
    store = tmp_path / "store"
    first = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    return src, store, first


def _add_bureau_copy(src: Path) -> str:
    """A new bureau plan: a copy of the last one under a new id, appended to the manifest."""
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    return _add_copy(src, [e for e in entries if e["level"] == "department"][-1])


def _add_copy(src: Path, entry: dict) -> str:
    manifest = src / "manifest.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]
    new_file = str(Path(entry["file"]).with_name("new-" + Path(entry["file"]).name))
    shutil.copy(src / entry["file"], src / new_file)
    entries.append(dict(entry, file=new_file, id="new-" + entry["id"]))
    manifest.write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8")
    return "new-" + entry["id"]


@pytest.fixture()
def local_idf(monkeypatch):
    """The linker with one IDF for every graph, so that linking a pair of documents depends on those two
    documents only. The linker weighs n-grams by their IDF over the graph it links, which an incremental
    build cannot reproduce without reading every task: with that cause out of the way, an incremental
    build must give exactly the graph of a full build."""
    from graph.link.features import _TaskIndex

    fixed = _TaskIndex._compute_idf(_TaskIndex(nx.MultiDiGraph()))   # the empty graph's IDF
    monkeypatch.setattr(_TaskIndex, "_compute_idf", lambda self: fixed)


def _shape(G) -> tuple:
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = sorted((d["type"], u, v, repr(sorted(d.items()))) for u, v, d in G.edges(data=True))
    return nodes, edges


def _same_as_full(src: Path, store: Path, paths: list | None = None) -> None:
    from graph.export import export
    from queries.cypher import run_cypher

    stored = load_graph(store)
    full = build(paths or [src / "docs"], src / "manifest.yaml", None).graph
    a, b = _shape(stored), _shape(full)
    assert a[0] == b[0]
    assert a[1] == b[1]
    assert export(stored, "json") == export(full, "json")
    # the database of the new version holds the same graph
    for label in ("Document", "Task", "Unit"):
        rows = run_cypher(store, f"MATCH (n:{label}) RETURN count(n)")[1]
        assert rows[0][0] == sum(1 for _, d in full.nodes(data=True) if d["label"] == label)
    for rel in ("DERIVED_FROM", "MEMBER_OF", "ASSIGNED_TO", "IMPLEMENTS", "CONTINUES"):
        rows = run_cypher(store, f"MATCH ()-[r:{rel}]->() RETURN count(r)")[1]
        assert rows[0][0] == sum(1 for *_, d in full.edges(data=True) if d["type"] == rel), rel
    _same_workload_rows(store, full)
    _same_gap_rows(store, full)
    _same_not_assessable_rows(store, full)
    _same_local_addition_rows(store, full)


def _same_local_addition_rows(store: Path, full) -> None:
    """The store's local-addition rows, asked again of the documents a change reaches, are a full build's:
    the analysis's, and the definition's on the store."""
    from test_local_addition_rows import same_as_analysis

    same_as_analysis(store, full)


def _same_not_assessable_rows(store: Path, full) -> list:
    """The store's not-assessable rows, counted again for the pairs that came to qualify and those a
    change reaches, are a full build's: the analysis's, and the definition's on the store."""
    from test_not_assessable_rows import same_as_analysis

    return same_as_analysis(store, full)


def _same_gap_rows(store: Path, full) -> None:
    """The store's gap rows, counted again for the pairs a change reaches, are those the analysis finds in
    a full build's graph, and those the definition gives on the store."""
    from graph.gap_rows import gap_definition
    from queries.cypher import run_cypher
    from test_gap_rows import expected_rows, stored_rows

    rows = stored_rows(store)
    assert rows == expected_rows(full)
    assert sorted(run_cypher(store, gap_definition())[1]) == rows


def _same_workload_rows(store: Path, full) -> None:
    """The store's workload rows, counted again for the units a change touched, are a full build's:
    none left of a unit that is gone, each row at its unit."""
    from graph.workload_rows import WORKLOAD_COLUMNS, workload_rows
    from queries.cypher import run_cypher

    columns = ", ".join(f"w.`{c}`" for c, _ in WORKLOAD_COLUMNS)
    linked = run_cypher(store, f"MATCH (w:Workload)-[:WORKLOAD_OF]->(u:Unit) WHERE u.id = w.unit RETURN {columns}")[1]
    every = run_cypher(store, "MATCH (w:Workload) RETURN count(w)")[1][0][0]
    expected = [[r[c] for c, _ in WORKLOAD_COLUMNS] for r in workload_rows(full)]
    assert expected and sorted(linked) == expected and every == len(expected)
    # and the saved query reads them as the analysis counts them
    from queries.cypher import saved_queries
    from queries.workload import workload

    keys = ("unit", "level", "lead", "implement", "cooperate", "support", "total")
    saved = run_cypher(store, saved_queries()["workload"]["query"])
    assert sorted(tuple(dict(zip(saved[0], r))[k] for k in keys) for r in saved[1]) == \
        sorted(tuple(r[k] for k in keys) for r in workload(full) if r["total"])


def test_first_incremental_build_links_in_full_and_says_why(cascade):
    _, _, first = cascade
    assert first.incremental["mode"] == "full" and first.incremental["reason"] == "no previous store"


def test_rebuild_of_unchanged_documents_loads_nothing_and_gives_the_same_graph(cascade):
    src, store, first = cascade
    again = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert again.incremental["mode"] == "incremental"
    assert again.incremental["loaded"] == 0 and again.incremental["changed_documents"] == 0
    assert sorted(again.graph.nodes) == sorted(first.graph.nodes)
    assert _links(again.graph) == _links(first.graph)


def test_adding_a_document_loads_and_links_only_it_and_keeps_every_other_link(cascade):
    src, store, first = cascade
    new_id = _add_bureau_copy(src)
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    info = after.incremental
    assert info["mode"] == "incremental" and info["loaded"] == 1 and info["changed"] == [new_id]
    assert _links(first.graph) <= _links(after.graph)       # ids stable, nothing else re-linked away
    new_links = {(u, v) for u, v, t in _links(after.graph) - _links(first.graph) if t == "DERIVED_FROM"}
    assert new_links and all(u.startswith(new_id + "/") for u, _ in new_links)
    assert load_graph(store).number_of_nodes() == after.graph.number_of_nodes()


def test_adding_a_document_gives_the_graph_of_a_full_build(local_idf, cascade):
    src, store, _ = cascade
    _add_bureau_copy(src)
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental"
    assert not (after.store / "graph.json").exists() and not list(after.store.glob("delta-*"))   # the database is the graph
    _same_as_full(src, store)
    G = load_graph(store)
    assert after.counts["Task"] == sum(1 for _, d in G.nodes(data=True) if d["label"] == "Task")
    assert after.links == sum(1 for *_, d in G.edges(data=True) if d["type"] == "DERIVED_FROM")


def test_two_additions_in_a_row_stay_exact(local_idf, cascade, monkeypatch):
    from cascade.incremental import db

    monkeypatch.setattr(db, "_COPY_ROWS", 0)   # rows inserted by Arrow COPY, as for a large change
    src, store, _ = cascade
    _add_bureau_copy(src)
    build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    county = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    second = _add_copy(src, next(e for e in county if e["level"] == "county"))
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental" and after.incremental["changed"] == [second]
    _same_as_full(src, store)


def test_removing_a_document_touches_only_it_and_stays_exact(local_idf, cascade):
    src, store, _ = cascade
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    county = next(e for e in entries if e["level"] == "county")
    (src / county["file"]).unlink()
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental" and after.incremental["removed"] == [county["id"]]
    _same_as_full(src, store)


def test_gap_rows_follow_a_plan_added_and_one_removed(local_idf, cascade):
    """A county plan copied under a new id owes what the plan it copies owes: its gap rows come with it
    (and those of the bureau plans below it, now below two county plans); the county plan removed, its
    rows go; every row as a full build counts them."""
    from test_gap_rows import stored_rows

    src, store, _ = cascade
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    before = stored_rows(store)
    owed = {}
    for r in before:
        owed.setdefault(r[3], []).append(r[1])
    county = next(e for e in entries if e["level"] == "county" and e["id"] in owed)
    copy = _add_copy(src, county)
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental" and after.incremental["changed"] == [copy]
    rows = stored_rows(store)
    assert sorted(r[1] for r in rows if r[3] == copy) == sorted(owed[county["id"]])
    _same_as_full(src, store)
    (src / county["file"]).unlink()
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["removed"] == [county["id"]]
    assert not any(r[3] == county["id"] for r in stored_rows(store))
    _same_as_full(src, store)


def test_not_assessable_rows_follow_an_interpretation_added_and_removed(local_idf, cascade):
    """A county plan's 解读 added (its manifest entry says so): what it leaves out of the city plan cannot
    be judged, and its rows come; removed, they go; each time as a full build gives them."""
    src, store, _ = cascade
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    county = next(e for e in entries if e["level"] == "county")
    new = _add_copy(src, dict(county, kind="interpretation", title=county["title"] + "解读"))
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental" and after.incremental["changed"] == [new]
    _same_as_full(src, store)
    from test_not_assessable_rows import stored_rows

    assert {r[-1] for r in stored_rows(store) if r[3] == new} == {"interpretation"}
    entry = next(e for e in yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
                 if e["id"] == new)
    (src / entry["file"]).unlink()
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["removed"] == [new]
    assert not any(r[3] == new for r in stored_rows(store))
    _same_as_full(src, store)


def test_workload_rows_are_counted_again_in_the_store_when_a_removed_documents_records_are_gone(
        local_idf, cascade, monkeypatch):
    """Without the previous graph of a touched document, the units it named have their workload rows
    counted again by the database (graph.store.derived.refresh_workload): the same rows."""
    from cascade.incremental import apply

    monkeypatch.setattr(apply, "_stored_graph", lambda plan, d, cache: None)
    src, store, _ = cascade
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    county = next(e for e in entries if e["level"] == "county")
    (src / county["file"]).unlink()
    _add_bureau_copy(src)
    after = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert after.incremental["mode"] == "incremental" and after.incremental["removed"] == [county["id"]]
    _same_as_full(src, store)


def test_a_document_removed_restored_and_removed_again_stays_exact(local_idf, cascade):
    """Each step starts from the store the previous one wrote: a unit's aliases emptied by one step
    (the bureaus named by the county plan) are read back from the database by the next."""
    src, store, _ = cascade
    manifest = src / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    county = next(e for e in yaml.safe_load(text)["documents"] if e["level"] == "county")
    saved = (src / county["file"]).read_bytes()
    for step in ("remove", "restore", "remove"):
        if step == "remove":
            (src / county["file"]).unlink()
        else:
            (src / county["file"]).write_bytes(saved)
        after = build([src / "docs"], manifest, store, incremental=True)
        assert after.incremental["mode"] == "incremental", step
        _same_as_full(src, store)


def test_an_unchanged_rebuild_keeps_the_current_version(cascade):
    src, store, first = cascade
    again = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert again.store == first.store and again.incremental["changed_documents"] == 0


def test_a_touched_file_with_the_same_bytes_is_hashed_not_reloaded(cascade):
    src, store, first = cascade
    f = sorted((src / "docs").rglob("*.txt"))[0]
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    again = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert again.incremental["loaded"] == 0 and again.incremental["changed_documents"] == 0


def test_fast_listing_and_manifest_agree_with_the_pipelines(cascade, tmp_path):
    from cascade.incremental import read_manifest_cached
    from cascade.loading import collect_files
    from core.files import list_documents_fast
    from loaders.manifest import read_manifest

    src, _, _ = cascade
    for paths in ([src / "docs"], [ROOT / "data"], [ROOT / "data" / "manifest.yaml", src / "docs"]):
        files, manifests, real = list_documents_fast(paths)
        assert ([Path(f) for f in files], manifests) == collect_files(paths)
        assert all(real[f] == str(Path(f).resolve()) for f in files)
    for m in (src / "manifest.yaml", ROOT / "data" / "manifest.yaml"):
        want = {str(k): v for k, v in read_manifest(m).items()}
        assert read_manifest_cached(m, tmp_path)[0] == want     # parsed and cached entry by entry
        assert read_manifest_cached(m, tmp_path)[0] == want     # from the cache
    # a full build leaves every entry cached: the next build parses none of them
    from cascade.incremental import prime_manifest_cache

    m = src / "manifest.yaml"
    assert prime_manifest_cache(m, list(read_manifest(m).values()), tmp_path / "primed")
    import yaml as _yaml
    calls = []
    real_load = _yaml.load
    _yaml.load = lambda *a, **k: calls.append(1) or real_load(*a, **k)
    try:
        assert read_manifest_cached(m, tmp_path / "primed")[0] == {str(k): v for k, v in read_manifest(m).items()}
    finally:
        _yaml.load = real_load
    assert len(calls) <= 1   # read_manifest's own parse, for the comparison (none: it reads a plain list itself)
    _add_bureau_copy(src)   # yaml.safe_dump writes anchors for shared lists: read whole, same answer
    m = src / "manifest.yaml"
    assert read_manifest_cached(m, tmp_path)[0] == {str(k): v for k, v in read_manifest(m).items()}


def test_an_edited_document_is_relinked_and_agrees_with_a_full_build(cascade):
    src, store, _ = cascade
    county = sorted((src / "docs").rglob("2022-k00001.txt"))[0]
    county.write_text(county.read_text(encoding="utf-8").replace("2.", "2.认真", 1), encoding="utf-8")
    inc = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    full = build([src / "docs"], src / "manifest.yaml", None)
    assert inc.incremental["changed"] == ["2022-k00001"]
    a, b = _links(inc.graph), _links(full.graph)
    # The linker's IDF is taken over the graph it links: the neighbourhood's can tip a link near the
    # threshold, so agreement is near-total rather than exact (see cascade/incremental.py).
    assert len(a ^ b) <= 0.02 * len(b)


def test_changed_reviews_make_the_incremental_build_link_in_full(cascade):
    src, store, _ = cascade
    reviews = src / "reviews.yaml"
    reviews.write_text("reviews: []\n", encoding="utf-8")
    again = build([src / "docs"], src / "manifest.yaml", store, reviews=reviews, incremental=True)
    assert again.incremental["mode"] == "full" and "reviews" in again.incremental["reason"]


def test_cli_incremental_build_says_how_much_it_reused(tmp_path):
    from click.testing import CliRunner

    from cascade.cli import cli

    store = str(tmp_path / "store")
    data = str(ROOT / "data")
    first = CliRunner().invoke(cli, ["build", data, "--store", store, "--incremental"])
    second = CliRunner().invoke(cli, ["build", data, "--store", store, "--incremental"])
    assert first.exit_code == 0 and "linked in full (no previous store)" in first.output
    assert second.exit_code == 0 and "Incremental: 0 of 8 file(s) loaded, 0 document(s) re-linked" in second.output


def test_an_incremental_build_killed_while_writing_its_layer_leaves_old_or_new(cascade, tmp_path):
    """SIGKILL at the moment the new version's folder appears (the database being copied and changed):
    the store answers, in graph and in Cypher, exactly as before or exactly as after, never a mix."""
    import signal
    import subprocess
    import time

    from graph.export import export
    from queries.cypher import run_cypher

    src, store, _ = cascade
    query = "MATCH (d:Document) RETURN d.id ORDER BY d.id"

    def answer():
        return export(load_graph(store), "json"), run_cypher(store, query)[1]

    old = answer()
    _add_bureau_copy(src)
    cmd = [sys.executable, "-m", "cascade.cli", "build", str(src / "docs"), "--manifest",
           str(src / "manifest.yaml"), "--store", str(store), "--incremental"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".partial") for p in store.iterdir()):
            break
        time.sleep(0.001)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    got = answer()
    if got != old:   # the kill came after the switch: then it is the full build's graph
        full = build([src / "docs"], src / "manifest.yaml", None).graph
        assert got[0] == export(full, "json")
        assert [r[0] for r in got[1]] == sorted(n for n, d in full.nodes(data=True) if d["label"] == "Document")
    # and the next incremental build finishes the work
    again = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert again.incremental["mode"] == "incremental"
    assert not any(p.name.endswith(".partial") for p in store.iterdir())


def test_a_changed_idf_table_makes_the_next_build_link_in_full(tmp_path, monkeypatch):
    """The linker scores with the fixed IDF table graph/idf.tsv: a new table changes links anywhere, so
    it is part of the code key and the next incremental build links everything again."""
    from cascade.incremental import CODE_PACKAGES, keys

    root = tmp_path / "root"
    for package in CODE_PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "_ROOT", root)
    monkeypatch.setattr(keys, "_FINGERPRINTS", {})
    src = tmp_path / "cascade"
    synth.generate(200, 1, src)
    store = tmp_path / "store"
    build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    same = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert same.incremental["mode"] == "incremental"
    idf = next((root / "graph").rglob("idf.tsv"))
    idf.write_text(idf.read_text(encoding="utf-8") + "新词\t1.0\n", encoding="utf-8")
    again = build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    assert again.incremental["mode"] == "full" and "code changed" in again.incremental["reason"]


def test_the_code_key_covers_core_and_every_subpackage_and_data_file(tmp_path, monkeypatch):
    """A file the store's output depends on, in a subpackage or not Python, changes the code key; one of
    core or loaders changes every document's key as well."""
    from cascade.incremental import CODE_PACKAGES, CONTENT_PACKAGES, keys

    root = tmp_path / "root"
    for package in CODE_PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "_ROOT", root)
    monkeypatch.setattr(keys, "_FINGERPRINTS", {})
    assert set(CONTENT_PACKAGES) <= set(CODE_PACKAGES) and "core" in CONTENT_PACKAGES
    code, content = keys.code_key(), keys.content_code()
    (root / "graph" / "deeper").mkdir()
    (root / "graph" / "deeper" / "rules.cypher").write_text("MATCH (n) RETURN n", encoding="utf-8")
    assert keys.code_key() != code and keys.content_code() == content
    code = keys.code_key()
    (root / "graph" / "deeper" / "notes.md").write_text("not code", encoding="utf-8")
    assert keys.code_key() == code
    records = root / "core" / "records.py"
    records.write_text(records.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert keys.code_key() != code and keys.content_code() != content


@pytest.mark.parametrize("text, n", [
    ("documents:\n  - file: a.txt\n    level: county\n\n  # a comment\n  - file: b.txt\n", 2),
    ("# head\ndocuments:\n- file: a.txt\n  level: county\n- file: b.txt\n", 2),
    ("documents:\n  - file: a.txt\nother: 1\n", None),            # another top-level key
    ("documents:\n  - file: a.txt\n  level: county\n", None),     # a key at the dash's indent
    ("documents:\n  - file: a.txt\n -x: 1\n", None),              # less indented than the entries
    ("documents:\n  - file: &a a.txt\n  - file: *a\n", None),     # anchors: parsed whole
])
def test_the_manifest_splits_into_entries_only_when_it_is_a_plain_list(text, n):
    from cascade.incremental.manifest_cache import _split_manifest

    chunks = _split_manifest(text)
    assert (None if chunks is None else len(chunks)) == n


def test_cached_manifest_entries_unpack_only_when_asked_and_keep_dates(tmp_path):
    import datetime

    from cascade.incremental import read_manifest_cached
    from loaders.manifest import read_manifest

    (tmp_path / "a.txt").write_text("一、总体要求", encoding="utf-8")
    (tmp_path / "b.txt").write_text("一、总体要求", encoding="utf-8")
    m = tmp_path / "manifest.yaml"
    m.write_text("documents:\n  - file: a.txt\n    level: county\n    issued: 2022-03-01\n"
                 "  - file: b.txt\n    level: city\n", encoding="utf-8")
    want = {str(k): v for k, v in read_manifest(m).items()}
    first, keys = read_manifest_cached(m, tmp_path / "cache")
    assert first == want and set(keys) == set(want)
    again, keys2 = read_manifest_cached(m, tmp_path / "cache")   # from the cache (pickled: a date)
    assert keys2 == keys and again._cached is None   # nothing unpacked yet
    assert again[str(tmp_path / "a.txt")]["issued"] == datetime.date(2022, 3, 1) and again == want


def test_editing_and_removing_plans_linked_over_years_stays_exact(tmp_path):
    """The real plans: an issuer's plans of two years are linked (CONTINUES); an edited plan relinks
    its years, a removed one takes its links with it, each time as a full build would."""
    src = tmp_path / "data"
    shutil.copytree(ROOT / "data", src)
    store = tmp_path / "store"
    first = build([src], src / "manifest.yaml", store, incremental=True)
    assert ("2022-national", "2021-national", "CONTINUES") in _links(first.graph)
    national = src / "2022_national_state_council_opening.txt"
    national.write_text(national.read_text(encoding="utf-8") + "\n（十）加强政务公开平台建设，按时完成。\n",
                        encoding="utf-8")
    edited = build([src], src / "manifest.yaml", store, incremental=True)
    assert edited.incremental["mode"] == "incremental" and edited.incremental["changed"] == ["2022-national"]
    _same_as_full(src, store, [src])
    (src / "2021_national_state_council_workpoints.txt").unlink()
    removed = build([src], src / "manifest.yaml", store, incremental=True)
    assert removed.incremental["mode"] == "incremental" and removed.incremental["removed"] == ["2021-national"]
    assert not any(t == "CONTINUES" and "2021-national" in (u, v) for u, v, t in _links(load_graph(store)))
    _same_as_full(src, store, [src])
