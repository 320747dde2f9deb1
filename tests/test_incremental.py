"""``cascade build --incremental`` (cascade/incremental.py) on a small synthetic cascade from bench/synth.py."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

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
    manifest = src / "manifest.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]
    last = [e for e in entries if e["level"] == "department"][-1]
    new_file = str(Path(last["file"]).with_name("new-" + Path(last["file"]).name))
    shutil.copy(src / last["file"], src / new_file)
    entries.append(dict(last, file=new_file, id="new-" + last["id"]))
    manifest.write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8")
    return "new-" + last["id"]


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
