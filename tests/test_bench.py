"""The benchmark's generator and runner (bench/): gold consistent with the documents, deterministic output,
a small run that completes. No timing is asserted here: numbers belong to bench/run.py's output."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

from loaders import load_file  # noqa: E402
from loaders.manifest import read_manifest  # noqa: E402

SMALL = 700


@pytest.fixture(scope="module")
def cascade_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    synth.generate(SMALL, 3, out)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_gold_link_names_tasks_the_loaders_find_in_the_generated_documents(cascade_dir):
    gold = yaml.safe_load((cascade_dir / "gold.yaml").read_text(encoding="utf-8"))
    manifest = read_manifest(cascade_dir / "manifest.yaml")
    numbers = {}
    for path, entry in manifest.items():
        rec = load_file(path, entry)
        numbers[entry["file"]] = {t.number for t in rec.tasks}
    refs = [r for link in gold["links"] for r in [link["lower"], link["upper"], *(link.get("alternatives") or [])]]
    refs += gold["local"]
    assert refs
    missing = [r for r in refs if r.partition("#")[2] not in numbers.get(r.partition("#")[0], set())]
    assert missing == []


def test_gold_counts_match_what_the_loaders_read(cascade_dir):
    gold = yaml.safe_load((cascade_dir / "gold.yaml").read_text(encoding="utf-8"))
    manifest = {e["file"]: (p, e) for p, e in read_manifest(cascade_dir / "manifest.yaml").items()}
    wrong = []
    for entry in gold["documents"]:
        path, meta = manifest[entry["file"]]
        rec = load_file(path, meta)
        if len(rec.tasks) != entry["counts"]["tasks"]:
            wrong.append((entry["file"], entry["counts"]["tasks"], len(rec.tasks)))
    assert wrong == []


def test_gold_links_point_from_each_document_to_its_manifest_parent(cascade_dir):
    gold = yaml.safe_load((cascade_dir / "gold.yaml").read_text(encoding="utf-8"))
    entries = yaml.safe_load((cascade_dir / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    parent_file = {}
    by_id = {e["id"]: e["file"] for e in entries}
    for e in entries:
        for p in e.get("parents") or []:
            parent_file[e["file"]] = by_id[p]
    assert len(parent_file) == len(entries) - 1          # everything but the national plan has a parent
    for link in gold["links"]:
        assert parent_file[link["lower"].partition("#")[0]] == link["upper"].partition("#")[0]


def test_the_ladder_has_every_level_and_grows_with_the_task_count():
    small, large = synth.plan_counts(1_000, 64), synth.plan_counts(100_000, 64)
    assert all(small[level] >= 1 for level in ("national", "province", "city", "county", "department"))
    assert large["county"] > small["county"] and large["department"] > small["department"]
    assert synth.plan_counts(1_000_000, 64)["province"] == 31


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    synth.generate(400, 11, a)
    synth.generate(400, 11, b)
    synth.generate(400, 12, c)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "para", "pipe"])
def test_every_emitted_format_reads_back_with_its_task_numbers_and_lead_units(fmt, tmp_path):
    rng = random.Random(5)
    parts = synth.read_templates(ROOT.parent / "shared")
    docs = synth.make_ladder(400, 64, rng)
    national, province = docs[0], docs[1]
    synth.restate(national, rng, parts)
    synth.number_tasks(national, rng)
    synth.restate(province, rng)
    synth.number_tasks(province, rng)
    province.fmt = fmt
    path = tmp_path / Path(province.file).name
    if fmt == "docx":
        path.write_bytes(synth.render_docx(province, rng))
    elif fmt == "xlsx":
        path.write_bytes(synth.render_xlsx(province, rng))
    else:
        path.write_text(synth.render_text(province, rng), encoding="utf-8")
    rec = load_file(path, {"level": "province", "region": province.region, "issuer": province.issuer, "year": synth.YEAR})
    assert [t.number for t in rec.tasks] == list(province.numbers)
    first = province.numbers["1"]
    lead = next(u for u, r in first.units if r == "lead")
    assert any(a.canonical.endswith(synth._base_unit(lead)) and a.role == "lead" for a in rec.tasks[0].assignments)


@pytest.mark.slow
def test_a_small_benchmark_run_completes_and_reports_every_stage(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--scales", "300", "--work", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    for stage in ("load", "graph", "link", "store", "queries", "pages"):
        assert f"\n{stage} " in out
    for name in ("gaps", "workload", "trace"):   # the saved queries' first pages, on the embedded store
        assert f"\npage {name:<16}embedded  first 50 cold" in out
    assert "F1" in out and "all-pairs baseline" in out and "trace national requirement" in out
    assert "incremental rebuild after adding one document" in out and "'mode': 'incremental'" in out


def test_a_synthetic_cascades_store_reads_back_as_the_graph_built(tmp_path):
    """The store's database is its one copy of the graph (graph.store.tables): a synthetic cascade (docx,
    xlsx, traditional script, every kind of link) reads back as built, and streams record by record
    (what `cascade push` sends) in the order and shape of to_json_dict."""
    import json

    from cascade.pipeline import build
    from graph.export import to_json_dict
    from graph.store import load_graph
    from graph.store.stream import stored_records

    synth.generate(300, 4, tmp_path / "c")
    result = build([tmp_path / "c" / "docs"], tmp_path / "c" / "manifest.yaml", tmp_path / "store")
    want = to_json_dict(result.graph)
    assert json.dumps(to_json_dict(load_graph(tmp_path / "store")), ensure_ascii=False) == json.dumps(want, ensure_ascii=False)
    records = list(stored_records(tmp_path / "store"))
    assert [r for kind, r in records if kind == "node"] == want["nodes"]
    assert [r for kind, r in records if kind == "relationship"] == want["relationships"]


@pytest.mark.slow
def test_parallel_loading_gives_the_records_of_sequential_loading_in_the_same_order(tmp_path):
    from cascade.loading import PARALLEL_MIN_FILES, _can_fork, collect_files, load_all

    if not _can_fork():
        pytest.skip("workers are forked only from a single-threaded process")
    synth.generate(3000, 6, tmp_path)
    files, _ = collect_files([tmp_path / "docs"])
    assert len(files) >= PARALLEL_MIN_FILES
    manifest = read_manifest(tmp_path / "manifest.yaml")
    one, _ = load_all(files, manifest, workers=1)
    two, _ = load_all(files, manifest, workers=2)
    assert [r.to_dict() for r in one] == [r.to_dict() for r in two]


def test_no_complete_generated_plan_reads_as_cut_at_its_end(tmp_path):
    """The generated plans are whole; some end with a row that carries its deadline but shares the unit
    cell above, or a narrative task with no unit line of its own. None may read as cut at its end (a
    text cut by the web page), which would drop its last task and hide its rows from the gap list."""
    synth.generate(10_000, 0, tmp_path)
    gold = {e["file"]: e["counts"]["tasks"] for e in yaml.safe_load((tmp_path / "gold.yaml").read_text(encoding="utf-8"))["documents"]}
    cut, wrong = [], []
    for path, entry in read_manifest(tmp_path / "manifest.yaml").items():
        rec = load_file(path, entry)
        cut += [entry["file"] for w in rec.document.warnings if w.startswith("truncated: the text ends")]
        if len(rec.tasks) != gold[entry["file"]]:
            wrong.append(entry["file"])
    assert cut == [] and wrong == []
