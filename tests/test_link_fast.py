"""The fast linker: per-document arrays, workers, the fixed IDF table, and what must not change with them."""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

import graph.link.runner as runner
from graph.build import build_graph
from graph.export import to_json
from graph.link import IDF_TABLE, evidence_spans, fixed_idf, link, named_objects, write_idf_table
from graph.link.text import _clean, _clean_all, _gram_table, _grams, _objects_table
from loaders import load_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS, CORPUS = SHARED / "seeds", SHARED / "corpus"
HUANGPU = {"level": "county", "year": 2022, "region": "广州市黄埔区", "id": "hp"}
GUANGZHOU = {"level": "city", "year": 2022, "region": "广州市", "id": "gz"}


def _records():
    return [load_file(SEEDS / "002_cf2d3c68f4e2a2f4.txt", HUANGPU),
            load_file(CORPUS / "2022_guangzhou_city.txt", GUANGZHOU)]


@pytest.fixture(scope="module")
def pair_graph():
    return build_graph(_records())


def _links(G):
    return sorted((u, v, repr(sorted(d.items()))) for u, v, d in G.edges(data=True)
                  if d.get("type") in ("DERIVED_FROM", "IMPLEMENTS", "CONTINUES"))


def test_real_task_texts_give_the_same_ngrams_and_objects_one_document_at_a_time_as_one_text_at_a_time():
    texts = [t.text_norm for r in _records() for t in r.tasks] + [None, "", "第六版《条例》“12345”2022年3月5日300个"]
    vocab, rows, ids = _gram_table(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(np.sort(vocab[ids[rows == i]]), np.unique(_grams(_clean(text))))
    assert _objects_table(texts) == [named_objects(t) for t in texts]
    odd = texts + ["Ａｂ全角ＡＢ、x_y\u9fff\u4dff\ua000", "\ud800孤", "一\x00二"]     # a NUL inside a text too
    assert _clean_all(odd) == [_clean(t) for t in odd]
    assert _clean_all(odd[:-1]) == [_clean(t) for t in odd[:-1]]


def test_evidence_spans_of_a_stretch_broken_by_one_missing_trigram_may_overlap_the_previous_piece():
    # 北京市 matches, 京市实 does not, 市实际, does: the second stretch starts inside the first piece
    lower, upper = "结合北京市实际,各部门要密切关注", "结合周屏市实际,在北京市农村集体"
    assert evidence_spans(lower, upper) == [{"lower": [2, 5], "upper": [9, 12], "text": "北京市"},
                                            {"lower": [4, 8], "upper": [4, 8], "text": "市实际,"}]


def _gold_graph():
    from cascade.evaluate import read_gold, resolve_gold_files

    gold_path = SHARED / "gold" / "seeds.yaml"
    gold = read_gold(gold_path)
    files = resolve_gold_files(gold, gold_path)
    return build_graph([load_file(files[e["file"]], {k: e[k] for k in ("level", "year", "region", "issuer", "kind")
                                                     if k in e}) for e in gold["documents"]])


def test_forked_workers_give_byte_identical_output_to_one_process(monkeypatch):
    if not runner._can_fork():
        pytest.skip("this process may not fork (threads running)")
    G = _gold_graph()
    monkeypatch.setattr(runner, "PARALLEL_MIN_TASKS", 0)
    jobs = []
    real = runner._run_jobs
    monkeypatch.setattr(runner, "_run_jobs", lambda work, workers, consume: (jobs.append(len(work.jobs)),
                                                                             real(work, workers, consume)))
    one = link(copy.deepcopy(G), workers=1)
    two = link(copy.deepcopy(G), workers=2)
    assert jobs[0] >= 2     # several upper documents: the pool does run
    assert sum(1 for *_, d in one.edges(data=True) if d["type"] == "DERIVED_FROM") > 40
    assert to_json(one) == to_json(two)
    assert runner._WORKER_WORK is None     # the work went to the workers, no module state in this process


def test_a_pairs_links_do_not_depend_on_unrelated_documents_in_the_graph(pair_graph):
    # what makes an incremental build equal to a full one: the IDF does not come from the graph
    alone = link(copy.deepcopy(pair_graph))
    other = load_file(SEEDS / "001_04c5faad0ae32447.txt", {"level": "county", "year": 2021, "region": "江门市台山市",
                                                          "id": "other"})
    both = link(build_graph(_records() + [other]))
    pair = [e for e in _links(both) if e[0].startswith(("hp", "gz")) and e[1].startswith(("hp", "gz"))]
    assert pair == _links(alone)


def test_the_committed_idf_table_is_the_one_the_real_plans_give(tmp_path):
    out = tmp_path / "idf.tsv"
    n = write_idf_table(out=out)
    assert n > 200
    assert out.read_text(encoding="utf-8") == IDF_TABLE.read_text(encoding="utf-8")
    table = fixed_idf()
    assert np.all(np.diff(table.vocab) > 0)
    # 公开 is in many tasks of the real plans; 瑶琼 in none
    assert table(_grams("公开", (2,)))[0] < 3 < table.unseen == table(_grams("瑶琼", (2,)))[0]


def test_a_lower_document_with_headings_but_no_tasks_links_nothing_and_does_not_fail():
    lower, upper = _records()
    lower.tasks = []        # a mutilated file: its headings survive, its tasks do not
    G = link(build_graph([lower, upper]))
    assert G.has_edge("hp", "gz", key="IMPLEMENTS")
    assert not any(d["type"] == "DERIVED_FROM" for *_, d in G.edges(data=True))
