"""What the loaders' speed-ups must not change: the manifest's fast reader reads as PyYAML does (or
leaves the text to PyYAML), path resolving, the normalizer's shortcuts, shared unit records, slotted
records that still pickle (old pickles included), and no reference cycle left by a decoding error.
(Speed itself is measured by bench/, never asserted here.)"""
from __future__ import annotations

import gc
import pickle
import threading
import types
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from loaders import load_file
from loaders.manifest import _load_yaml, _simple_documents, read_manifest, resolve_path
from loaders.metadata import find_doc_numbers
from loaders.normalize import normalize
from core.records import Assignment, Document, DocumentRecords, Section, Task
from loaders.units import parse_units

ROOT = Path(__file__).resolve().parents[1]


def _pyyaml(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


PLAIN = """# a comment
documents:   # the list
  - file: docs/a.txt     # trailing comment
    id: 2022-p01
    level: city
    year: 2022
    issued_on: 2022-03-01
    title: "广州市2022年政务公开工作要点 # not a comment"
    doc_no: 穗府办函〔2022〕48号
    parents: [2022-national, 国办发〔2022〕8号]
    cites: []
    note: 'single quoted'
    flag: yes
    empty_ish: ~
    ratio: 0.5
    url: http://example.org/a#b

  - file: docs/b.txt
    id: b
    parents: 2022-p01
"""


def test_a_plain_manifest_is_read_fast_and_as_pyyaml_reads_it():
    fast = _simple_documents(PLAIN)
    assert fast is not None
    assert fast == _pyyaml(PLAIN)
    entry = fast["documents"][0]
    assert entry["year"] == 2022 and entry["flag"] is True and entry["empty_ish"] is None
    assert str(entry["issued_on"]) == "2022-03-01" and entry["cites"] == []
    assert _simple_documents((ROOT / "data" / "manifest.yaml").read_text(encoding="utf-8")) == \
        _pyyaml((ROOT / "data" / "manifest.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "documents:\n  - file: a.txt\n    parents: &p [x]\n  - file: b.txt\n    parents: *p\n",   # anchors
    "documents:\n  - file: a.txt\n    title: first line\n      continued\n",                  # folded plain scalar
    "documents:\n  - file: a.txt\n    title: |\n      block\n",                                # block scalar
    "documents:\n  - file: a.txt\n    on: 1\n",                                                # a key YAML reads as True
    "documents:\n  - file: a.txt\n    title: \"esc\\u00e9\"\n",                                # escapes
    "documents:\n  - file: a.txt\n    title: 'it''s'\n",                                       # quote in quotes
    "documents:\n  - file: a.txt\n    x: a: b\n",                                              # a nested mapping
    "documents:\n  - file: a.txt\n    parents:\n      - x\n",                                  # a block list
    "documents:\n\t- file: a.txt\n",                                                           # a tab
    "other: 1\ndocuments:\n  - file: a.txt\n",                                                 # another key
    "documents:\n- file: a.txt\n  - file: b.txt\n",                                            # two indents
    "documents: []\n",
    "documents:\n",
])
def test_anything_else_is_left_to_pyyaml(text):
    assert _simple_documents(text) is None
    try:
        want = _pyyaml(text) or {}
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            _load_yaml(text)
        return
    assert _load_yaml(text) == want


def test_read_manifest_keys_are_the_resolved_paths(tmp_path):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (real / "target.txt").write_text("y", encoding="utf-8")
    (real / "sub" / "link.txt").symlink_to(real / "target.txt")
    (tmp_path / "alias").symlink_to(real)
    manifest = tmp_path / "alias" / "manifest.yaml"
    manifest.write_text("documents:\n  - file: sub/a.txt\n  - file: sub/link.txt\n  - file: sub/../sub/a.txt\n"
                        "  - file: missing/none.txt\n", encoding="utf-8")
    keys = list(read_manifest(manifest))
    assert keys == [(tmp_path / "alias" / p).resolve() for p in ("sub/a.txt", "sub/link.txt", "missing/none.txt")]
    folders: dict[str, str] = {}
    for p in ("alias/sub/a.txt", "alias/sub/link.txt", "alias/sub/..", "alias/missing/x.txt", "alias/sub/"):
        assert resolve_path(tmp_path / p, folders) == (tmp_path / p).resolve()
        assert resolve_path(tmp_path / p) == (tmp_path / p).resolve()


@pytest.mark.parametrize("raw,want", [
    ("①推進（一）加強【重点】〖任务〗", "①推进(一)加强[重点][任务]"),      # circled kept, the rest NFKC, brackets
    ("經(jīng)(jīng)濟 abc(jīng)", "经济 abc(jīng)"),                     # a gloss only after a CJK character
    ("本地?ldquo;十四五?rdquo;规划、/div>", "本地“十四五”规划、"),
    ("区 政务  公开办 ok  go", "区政务公开办 ok go"),
    ("", ""),
])
def test_normalize_shortcuts_give_the_same_text(raw, want):
    assert normalize(raw) == want
    assert normalize(raw) == want   # remembered: the same answer again


def test_doc_numbers_found_across_a_line_break_and_none_without_a_number():
    assert find_doc_numbers("依据(穗府办函\n〔2022〕48号),印发(国办发〔2022〕8号)") == ["穗府办函〔2022〕48号", "国办发〔2022〕8号"]
    assert find_doc_numbers("没有文号的文字〔2022〕") == []


def test_parsed_units_are_shared_records_in_fresh_lists():
    a = parse_units("区市场监管局牵头,区发展改革局配合", region="广州市黄埔区")
    b = parse_units("区市场监管局牵头,区发展改革局配合", region="广州市黄埔区")
    assert a == b and a is not b
    a.append(a[0])
    assert len(parse_units("区市场监管局牵头,区发展改革局配合", region="广州市黄埔区")) == 2


def _record() -> DocumentRecords:
    doc = Document(source="x.txt", title="标题", year=2022, cites=["国办发〔2022〕8号"])
    unit = Assignment(name="区市场监管局", role="lead", canonical="广州市黄埔区市场监管局", short_name="区市场监管局")
    task = Task(number="1", section=("一",), text="加强。", text_norm="加强。", assignments=[unit, unit])
    return DocumentRecords(document=doc, sections=[Section(path=("一",), number="一", title="总体", depth=1)],
                           tasks=[task])


def test_slotted_records_pickle_and_copy_as_plain_data():
    rec = _record()
    assert not hasattr(rec.tasks[0], "__dict__")
    again = pickle.loads(pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == rec and asdict(again) == asdict(rec)
    assert again.tasks[0].assignments[0] is again.tasks[0].assignments[1]   # shared, pickled once
    rec.document.kind = "notice"   # records stay assignable
    assert rec.document.kind == "notice"


def test_records_pickled_before_the_slots_still_load():
    """A record cache or a saved list of records holds each record's plain __dict__."""
    rec = _record()
    old = {}
    for obj in (rec.document, rec.sections[0], rec.tasks[0].assignments[0], rec.tasks[0], rec):
        fresh = object.__new__(type(obj))
        fresh.__setstate__({name: getattr(obj, name) for name in type(obj).__slots__})
        old[type(obj).__name__] = fresh == obj
    assert all(old.values()), old


def test_a_decoding_error_leaves_no_cycle_holding_the_loaded_document(tmp_path):
    """A caught UnicodeDecodeError kept in a local made a cycle through its traceback that held the
    whole loading call stack (blocks, records) until a full garbage collection."""
    f = tmp_path / "gbk.txt"
    f.write_bytes("一、总体要求\n1.加强政策解读。\n责任单位:市政府办公室\n".encode("gb18030"))
    load_file(f)   # imports and first-use caches
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        load_file(f)
        gc.collect()
        frames = [o.f_code.co_name for o in gc.garbage if isinstance(o, types.FrameType)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()
    assert frames == []


def test_workers_fork_only_from_a_single_threaded_process():
    from cascade.loading import _can_fork

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("no fork here")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    single = threading.active_count() == 1
    other.start()
    try:
        assert not _can_fork()   # the app's server: another thread runs
    finally:
        stop.set()
        other.join()
    if single:
        assert _can_fork()   # the CLI and bench/run.py: one thread, two workers
