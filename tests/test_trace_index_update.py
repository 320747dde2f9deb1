"""After an incremental build the trace index is the index before, changed where the build changed the
graph (queries.trace_index.update_index), and every table of it is the one written whole from the store."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import yaml

from conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

import queries.trace_index as trace_index  # noqa: E402
from cascade.api import Cascade  # noqa: E402
from cascade.pipeline import build  # noqa: E402
from queries.backend import open_backend  # noqa: E402


def _tables(path: Path) -> dict[str, list]:
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}"), key=repr) for t in ("meta", "doc", "node", "below")}
    finally:
        db.close()


def _index_after_change(store: Path, tmp_path: Path, monkeypatch) -> dict[str, list]:
    """The current version's index as warming writes it (never whole: that would fail), checked equal to
    the index written whole from the same store."""
    def whole(*a, **k):
        raise AssertionError("the index was written whole")

    assert trace_index.index_delta(store) is not None
    with monkeypatch.context() as m:
        m.setattr(trace_index, "write_index", whole)
        path = Cascade(store).write_trace_index()
    assert path is not None and path.is_file()
    whole_path = tmp_path / f"whole-{path.parent.name}.sqlite"
    with open_backend(store, env={}) as b:
        trace_index.write_index(b, whole_path)
    got, want = _tables(path), _tables(whole_path)
    for table in want:
        assert got[table] == want[table], table
    assert [p.parent.name for p in (store / "answers").glob(f"*/{trace_index.FILE}")] == [path.parent.name]
    return got


def _first_index(store: Path) -> Path:
    assert trace_index.index_delta(store) is None   # a full build's version: written whole
    path = Cascade(store).write_trace_index()
    assert path is not None
    return path


def test_a_synthetic_cascades_index_follows_a_plan_added_one_removed_and_one_rewritten(tmp_path, monkeypatch):
    src, store = tmp_path / "cascade", tmp_path / "store"
    synth.generate(500, 2, src)
    build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    first = _tables(_first_index(store))
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]

    bureau = [e for e in entries if e["level"] == "department"][-1]   # a bureau's plan added, a copy of one
    new_file = str(Path(bureau["file"]).with_name("new-" + Path(bureau["file"]).name))
    shutil.copy(src / bureau["file"], src / new_file)
    entries.append(dict(bureau, file=new_file, id="new-" + bureau["id"]))
    (src / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8")
    assert build([src / "docs"], src / "manifest.yaml", store, incremental=True).incremental["mode"] == "incremental"
    added = _index_after_change(store, tmp_path, monkeypatch)
    assert len(added["below"]) > len(first["below"]) and len(added["node"]) > len(first["node"])

    county = next(e for e in entries if e["level"] == "county")   # a county's plan removed: its bureaus' links go
    (src / county["file"]).unlink()
    assert build([src / "docs"], src / "manifest.yaml", store, incremental=True).incremental["removed"] == [county["id"]]
    removed = _index_after_change(store, tmp_path, monkeypatch)
    assert not [r for r in removed["node"] if r[1] == county["id"]]

    city = next(e for e in entries if e["level"] == "city")   # a city's plan rewritten: a requirement cut in two
    text = (src / city["file"]).read_text(encoding="utf-8")
    cut = next(line for line in text.splitlines() if "。" in line[10:-2] and len(line) > 40)
    i = cut.index("。", 10) + 1
    (src / city["file"]).write_text(text.replace(cut, cut[:i] + "\n" + cut[i:]), encoding="utf-8")
    assert build([src / "docs"], src / "manifest.yaml", store, incremental=True).incremental["changed"] == [city["id"]]
    _index_after_change(store, tmp_path, monkeypatch)


def test_the_seeds_index_follows_a_task_that_named_a_section_taken_out_and_put_back(tmp_path, monkeypatch):
    data, store = tmp_path / "data", tmp_path / "store"
    shutil.copytree(DATA, data)
    build([data], store=store, incremental=True)
    first = _tables(_first_index(store))
    with open_backend(store, env={}) as b:   # a lower task deriving from a section its parent plan holds
        task, text, source = b.rows("MATCH (t:Task)-[:DERIVED_FROM]->(s:Section), (d:Document {id: t.doc_id}) "
                                    "RETURN t.id, t.text, d.source ORDER BY t.id LIMIT 1")[1][0]
    plan = data / Path(source).name
    before = plan.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    assert sum(text[:12] in line for line in lines) == 1
    plan.write_text("".join(line for line in lines if text[:12] not in line), encoding="utf-8")
    assert build([data], store=store, incremental=True).incremental["mode"] == "incremental"
    without = _index_after_change(store, tmp_path, monkeypatch)
    assert task not in {r[1] for r in without["below"]}
    plan.write_text(before, encoding="utf-8")
    build([data], store=store, incremental=True)
    again = _index_after_change(store, tmp_path, monkeypatch)
    assert again["below"] == first["below"] and again["node"] == first["node"]


def test_an_index_of_the_version_before_that_is_missing_or_broken_is_written_whole(tmp_path):
    src, store = tmp_path / "cascade", tmp_path / "store"
    synth.generate(300, 2, src)
    build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    base = _first_index(store)
    entries = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    (src / next(e for e in entries if e["level"] == "county")["file"]).unlink()
    build([src / "docs"], src / "manifest.yaml", store, incremental=True)
    base.write_bytes(b"not an index")
    path = Cascade(store).write_trace_index()
    assert path is not None and trace_index.open_index(path) is not None and not base.exists()
