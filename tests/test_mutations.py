"""A mutation corpus made from the seed documents at test time: cut short (at a line, mid-line, mid-
character), lines shuffled, web debris inserted, line endings changed, re-encoded (GB18030, Big5,
UTF-16, a UTF-8 file with GB18030 paragraphs pasted in). Random choices come from fixed seeds, so
every run tests the same corpus.

Every mutant loads or is skipped with one line naming it, never an exception; a re-encoded seed gives
the very tasks of the original.
"""
from __future__ import annotations

import random
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from core.errors import LoadError
from loaders import load_file
from core.records import ROLES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
CASCADE = [sys.executable, "-m", "cascade.cli"]

DEBRIS = ["当前位置：首页 > 政务公开 > 通知公告", "【打印】 【关闭】", "扫描二维码分享到微信", "<div class=\"nav\">首页</div>",
          "浏览次数：1234", "var _hmt = _hmt || [];", "\ufeff\u200b\u3000", "|||", "一、", "（一）", "1.", "附件",
          "责任单位", "区政务公开办牵头", "2021年13月45日前", "-" * 400, "经(jīng)济(jì)"]


def mutants(seed: Path) -> list[tuple[str, bytes]]:
    """The mutants of one seed: (name, bytes)."""
    text = seed.read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    lines = text.splitlines()
    rnd = random.Random(zlib.crc32(seed.name.encode()))   # stable across runs and machines
    out: list[tuple[str, bytes]] = []
    for i in range(3):
        cut = rnd.randrange(len(lines) // 4, len(lines))
        out.append((f"cut_line{i}", "\n".join(lines[:cut]).encode()))
    out.append(("cut_mid_char", raw[: len(raw) // 2 + (1 if raw[len(raw) // 2] >= 0x80 else 0) + 1]))
    out.append(("cut_mid_line", raw[: rnd.randrange(len(raw) // 3, len(raw))]))
    for i in range(2):
        shuffled = lines[:]
        rnd.shuffle(shuffled)
        out.append((f"shuffled{i}", "\n".join(shuffled).encode()))
    swapped = [l for pair in zip(lines[1::2], lines[0::2]) for l in pair]
    out.append(("neighbours_swapped", "\n".join(swapped).encode()))
    for i in range(2):
        noisy = lines[:]
        for _ in range(max(5, len(lines) // 5)):
            noisy.insert(rnd.randrange(len(noisy) + 1), rnd.choice(DEBRIS))
        out.append((f"debris{i}", "\n".join(noisy).encode()))
    glued = [l + rnd.choice(["", " ", "　", DEBRIS[1]]) for l in lines]
    out.append(("trailing_debris", "\n".join(glued).encode()))
    out.append(("crlf", "\r\n".join(lines).encode()))
    out.append(("cr_only", "\r".join(lines).encode()))
    out.append(("no_newlines", "".join(lines).encode()))
    out.append(("gb18030", text.encode("gb18030")))
    out.append(("big5", text.encode("big5", errors="replace")))
    out.append(("utf16", text.encode("utf-16")))
    out.append(("utf16be_no_bom", text.encode("utf-16-be")))
    out.append(("utf8_bom", b"\xef\xbb\xbf" + raw))
    mixed = "\n".join(lines[: len(lines) // 2]).encode() + b"\n" + "\n".join(lines[len(lines) // 2:]).encode("gb18030")
    out.append(("utf8_then_gb18030", mixed))
    out.append(("html_wrapped", ("<html><body>" + "".join(f"<p>{l}</p>" for l in lines) + "</body></html>").encode()))
    return out


CORPUS = [(seed, name, data) for seed in SEEDS for name, data in mutants(seed)]


def _check_records(rec):
    paths = {s.path for s in rec.sections}
    for t in rec.tasks:
        assert t.section == () or t.section in paths
        for a in t.assignments:
            assert a.canonical and a.short_name and a.role in ROLES


def test_corpus_is_large_and_stable():
    assert len(SEEDS) == 5 and len(CORPUS) >= 100
    assert [n for _, n, _ in CORPUS] == [n for s in SEEDS for n, _ in mutants(s)]
    assert [d for _, _, d in CORPUS[:10]] == [d for s in SEEDS[:1] for _, d in mutants(s)][:10]


@pytest.mark.parametrize("seed,name,data", CORPUS, ids=[f"{s.stem[:3]}-{n}" for s, n, _ in CORPUS])
def test_mutant_loads_or_is_skipped_with_one_line(seed, name, data):
    path = Path(f"{seed.stem}_{name}.txt")
    try:
        rec = load_file(path, None, data=data)
    except LoadError as err:
        assert "\n" not in str(err) and str(err).startswith(str(path)), str(err)
        return
    _check_records(rec)


def _tasks(rec):
    return [(t.section, t.number, t.text_norm, [(a.canonical, a.role) for a in t.assignments]) for t in rec.tasks]


@pytest.mark.parametrize("encoding", ["gb18030", "utf16", "utf16be_no_bom", "utf8_bom", "crlf", "html_wrapped"])
@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_re_encoded_seed_gives_the_same_tasks(seed, encoding):
    original = load_file(seed)
    data = dict(mutants(seed))[encoding]
    got = load_file(seed, data=data)
    assert _tasks(got) == _tasks(original)
    assert len(original.tasks) > 0


def test_traditional_seed_in_big5_gives_the_same_tasks():
    """Big5 lacks a few characters (谘): they become '?', and only they may differ."""
    seed = next(s for s in SEEDS if s.name.startswith("002"))
    got, want = _tasks(load_file(seed, data=dict(mutants(seed))["big5"])), _tasks(load_file(seed))
    assert [(s, n, a) for s, n, _, a in got] == [(s, n, a) for s, n, _, a in want]
    for (_, _, g, _), (_, _, w, _) in zip(got, want):
        assert len(g) == len(w) and all(x == y or x == "?" for x, y in zip(g, w)), (g, w)


def test_utf8_file_with_gb18030_half_keeps_every_task():
    for seed in SEEDS:
        original = load_file(seed)
        got = load_file(seed, data=dict(mutants(seed))["utf8_then_gb18030"])
        assert [t.text_norm for t in got.tasks] == [t.text_norm for t in original.tasks], seed.name


def test_whole_mutation_corpus_builds_with_one_line_per_skipped_file(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed, name, data in CORPUS:
        (folder / f"{seed.stem[:3]}_{name}.txt").write_bytes(data)
    r = subprocess.run([*CASCADE, "build", str(folder), "--store", str(tmp_path / ".cascade")], cwd=tmp_path,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode in (0, 2), r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    skipped = [l for l in r.stderr.splitlines() if l.startswith("skipped: ")]
    # Mutants of one seed keep its title and issuer: one document in several forms, kept once and named.
    twins = [l for l in r.stderr.splitlines() if l.startswith("warning: ") and "same document as" in l]
    built = int(re.search(r"Built (\d+) documents", r.stdout).group(1))
    assert built + len(skipped) + len(twins) == len(CORPUS)
    assert built + len(twins) >= len(CORPUS) * 0.8   # mutants stay documents: cutting or shuffling loses little
