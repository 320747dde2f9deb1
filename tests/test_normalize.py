"""The normalizer's shortcuts give the text its full pipeline gives: every step run on every text
(:func:`_every_step`) against :func:`loaders.normalize.normalize`, on every line of the real documents;
and normalizing a normalized text changes nothing, which lets the metadata search the normalized lines
as they are."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

N = importlib.import_module("loaders.normalize")   # (the package's attribute ``normalize`` is the function)
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _every_step(text: str) -> str:
    """:func:`loaders.normalize.normalize` without a shortcut: each step on the whole text."""
    if not text:
        return ""
    text = N._HTML_DEBRIS.sub("", text)
    text = N._LOST_SPACES.sub(" ", text)
    text = N._ENTITY.sub(N._entity, text)
    text = N._NOT_CIRCLED.sub(N._nfkc, text)
    text = N._PINYIN.sub("", text)
    text = text.translate(N._BRACKETS)
    text = N._converter().convert(text)
    text = N._SPACES.sub(" ", text).strip()
    return N._CJK_SPACE.sub("", text)


def _lines() -> list[str]:
    out = []
    for folder in (ROOT / "data", SHARED / "seeds", SHARED / "corpus", ROOT / "tests" / "fixtures" / "loaders"):
        for f in sorted(folder.glob("*")):
            if f.suffix in (".txt", ".md", ".html"):
                text = f.read_text(encoding="utf-8", errors="replace")
                out += text.splitlines() + [text[:3000]]
    return out


@pytest.mark.parametrize("text", [
    "①推進（一）加強【重点】〖任务〗", "經(jīng)(jīng)濟 abc(jīng)", "本地?ldquo;十四五?rdquo;规划、/div>",
    "区 政务  公开办 ok  go", "回覆市政府办", "深沈", "毛坏", "薴", "\uf900", "ﾟ", "Ⅻ", "﹝2022﹞", "ａ　ｂ",
    "<span>市</span> 局", "各区&amp;各部门", "⑳", "e\u0301", "\u3000中\u3000文\u3000",
])
def test_normalize_gives_what_every_step_gives(text):
    assert N._normalize(text) == _every_step(text)


def test_normalize_gives_what_every_step_gives_on_every_line_of_the_real_documents():
    lines = _lines()
    assert len(lines) > 2000
    assert [N._normalize(s) for s in lines] == [_every_step(s) for s in lines]


def test_a_normalized_line_normalized_again_is_the_same_and_so_are_lines_joined():
    norm = [N.normalize(s) for s in _lines()]
    assert [N.normalize(s) for s in norm] == norm
    assert N.normalize("\n".join(norm[:400])) == "\n".join(norm[:400]).strip()


def _blocks():
    from loaders.read import read_blocks

    for folder in (ROOT / "data", SHARED / "seeds", SHARED / "corpus", ROOT / "tests" / "fixtures" / "loaders"):
        for f in sorted(folder.glob("*")):
            if f.suffix in (".txt", ".md", ".html", ".docx", ".xlsx"):
                yield from read_blocks(f)[1]


def test_a_row_normalized_cell_by_cell_is_the_row_normalized():
    from loaders import normalized_line

    blocks = list(_blocks())
    assert sum(1 for b in blocks if b.row) > 150
    assert [normalized_line(b) for b in blocks] == [N.normalize(b.text) for b in blocks]


def test_a_row_of_odd_cells_normalized_cell_by_cell_is_the_row_normalized():
    import random

    from loaders import normalized_line
    from loaders.blocks import Block

    pieces = ["加強", "區政務公開辦", "（一）", "1．", "①", "經(jīng)", "（wěn）", "ldquo;", "?rdquo;", "nbsp;", "</span>",
              "/div>", "<p", ">", "&amp;", "\u200b", "\ufeff", "\u3000", "\xa0", "\u2009", "\u202f", "\u2028", "\x85",
              "\n", "\t", "\r", "¨", "e\u0301", "\u0301", "ﾟ", "\uf900", "毛坏", "回覆", "薴", "｜", "|", " ", "  ", "；", "2022年"]
    rng = random.Random(17)
    for _ in range(20000):
        cells = tuple("".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(2, 4)))
        block = Block(cells, 1, row=True)
        assert normalized_line(block) == N.normalize(block.text), cells
