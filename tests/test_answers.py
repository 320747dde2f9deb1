"""Store answers kept on disk per version of the graph (cascade/answers.py), on the seed store."""
from __future__ import annotations

import shutil

from cascade import answers
from cascade.api import Cascade


def _store(built, tmp_path):
    store = tmp_path / ".cascade"
    shutil.copytree(built[1], store)
    return store


def test_an_answer_is_computed_once_per_version_and_read_back_the_same(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return (3, [{"a": 1}])

    first = answers.cached(store, ("k", 1), compute)
    again = answers.cached(store, ("k", 1), compute)
    assert first == again == [3, [{"a": 1}]] and len(calls) == 1
    folder = answers.answers_dir(store)
    assert folder.parent == store / "answers" and len(list(folder.glob("*.json"))) == 1
    # another key is another answer
    answers.cached(store, ("k", 2), compute)
    assert len(calls) == 2


def test_a_new_version_asks_again_and_old_answers_are_pruned(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    root = store / "answers"
    for i in range(answers.KEEP + 2):
        (root / f"old{i}").mkdir(parents=True)
    calls = []
    answers.cached(store, ("k",), lambda: calls.append(1) or 1)
    assert len([p for p in root.iterdir()]) == answers.KEEP
    assert answers.answers_dir(store).is_dir()


def test_warm_answers_keeps_what_the_pages_ask_first_and_they_equal_the_store(built, tmp_path, monkeypatch):
    monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
    store = _store(built, tmp_path)
    c = Cascade(store)
    c.warm_answers()
    kept = list(answers.answers_dir(store).glob("*.json"))
    assert len(kept) == 7
    from queries.backend import open_backend

    with open_backend(store, env={}) as b:
        total, rows = b.table("gaps", 0, 50)
    assert c.store_table("gaps", 0, 50, None, None) == [total, rows]
    assert c.store_workload(0, 50, None, None)["rows"]


def test_no_answer_is_kept_for_a_bolt_server(built, tmp_path, monkeypatch):
    store = _store(built, tmp_path)
    monkeypatch.setenv("CASCADE_BOLT_URI", "bolt://127.0.0.1:1")
    assert answers.answers_dir(store) is None
    assert answers.cached(store, ("k",), lambda: (1, 2)) == [1, 2]
    assert not (store / "answers").exists()
