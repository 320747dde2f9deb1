"""Link reviews: read, saved atomically, applied on every rebuild."""
from __future__ import annotations

import shutil

import pytest
import yaml

from core.errors import ReviewError
from graph.link import review_hash
from graph.reviews import read_reviews, save_review


def _a_link(G):
    return next((u, v) for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1]))
                if d.get("type") == "DERIVED_FROM" and G.nodes[v]["label"] == "Task")


def test_missing_reviews_file_means_no_reviews(tmp_path):
    assert read_reviews(tmp_path / "reviews.yaml") == {}
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert read_reviews(tmp_path / "empty.yaml") == {}


@pytest.mark.parametrize("text, problem", [
    ("reviews: [oops", "cannot read reviews"),
    ("- a\n- b\n", "not a reviews file"),
    ("reviews:\n  - {lower: a}\n", "review 1 needs 'lower' and 'upper'"),
    ("reviews:\n  - {lower: a, upper: b, status: maybe}\n", "review 1 has status 'maybe'"),
])
def test_malformed_reviews_file_is_one_error_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "reviews.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError) as err:
        read_reviews(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)


def test_saved_review_round_trips_with_the_hash_of_both_texts(seed_graph, tmp_path):
    path = tmp_path / "reviews.yaml"
    lower, upper = _a_link(seed_graph)
    save_review(path, lower, upper, "confirmed", seed_graph, note="同一要求")
    got = read_reviews(path)
    assert got[(lower, upper)]["status"] == "confirmed"
    assert got[(lower, upper)]["hash"] == review_hash(seed_graph.nodes[lower]["text_norm"],
                                                      seed_graph.nodes[upper]["text_norm"])
    text = path.read_text(encoding="utf-8")
    assert "同一要求" in text and yaml.safe_load(text)["reviews"][0]["lower"] == lower
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_withdrawn_review_leaves_the_file_and_others_untouched(seed_graph, tmp_path):
    path = tmp_path / "reviews.yaml"
    links = [(u, v) for u, v, d in seed_graph.edges(data=True) if d.get("type") == "DERIVED_FROM"][:2]
    for lower, upper in links:
        save_review(path, lower, upper, "rejected", seed_graph)
    save_review(path, *links[0], None, seed_graph)
    assert set(read_reviews(path)) == {links[1]}


def test_review_of_a_node_not_in_the_graph_or_with_unknown_status_is_refused(seed_graph, tmp_path):
    lower, upper = _a_link(seed_graph)
    with pytest.raises(ReviewError, match="no node"):
        save_review(tmp_path / "r.yaml", lower, "2099-nowhere/1", "confirmed", seed_graph)
    with pytest.raises(ReviewError, match="not one of"):
        save_review(tmp_path / "r.yaml", lower, upper, "maybe", seed_graph)
    assert not (tmp_path / "r.yaml").exists()


def test_rejected_and_confirmed_reviews_survive_a_rebuild_from_the_data_folder(data_dir, tmp_path, seed_graph):
    from cascade.pipeline import build

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    rejected = _a_link(seed_graph)
    # a pair the linker does not propose: a Huangpu task of the last part against 广州's first task
    confirmed = ("2022-huangpu/五/(十八)/64", "2022-guangzhou/一/(一)/1")
    assert not seed_graph.has_edge(*confirmed, key="DERIVED_FROM")
    save_review(data / "reviews.yaml", *rejected, "rejected", seed_graph)
    save_review(data / "reviews.yaml", *confirmed, "confirmed", seed_graph)
    for _ in range(2):
        G = build([data]).graph
        assert not G.has_edge(*rejected, key="DERIVED_FROM")
        e = G.edges[(*confirmed, "DERIVED_FROM")]
        assert e["status"] == "confirmed" and e["suspect"] is False
    # the next best candidate of the rejected task may be proposed, never the rejected one
    assert all(v != rejected[1] for u, v, d in G.edges(data=True)
               if u == rejected[0] and d.get("type") == "DERIVED_FROM")
