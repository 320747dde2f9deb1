"""Lines back for a document that lost them.

A crawler's text extraction, a copy from a web page or a PDF, a 台账 pasted into a mail: the whole plan
arrives on one line, paragraphs joined by a space and a table's cells joined with nothing. The structure
parser reads lines, so this module gives them back before it runs: it finds the plan's numbering (一、,
(一), 1. and the bare 1 2 3 of a 序号 column) from the numbering itself — a marker counts only where it
continues the sequence — the table's header row, and, in each flattened row, where the task text ends
and the unit cells begin (from the header's column order and the unit names themselves).

The output is what the same document gives with its lines kept: paragraphs, heading lines, and table
rows whose cells follow the header. A document that has its lines is returned unchanged.

>>> text = "工作任务工作要求牵头单位配合/责任单位一、加强信息公开1.做好规划公开。区发改局区直各单位2.做好预算公开。 各镇政府"
>>> [b.cells for b in reflow([Block((text,), 1)])]
[('工作任务', '工作要求', '牵头单位', '配合/责任单位'), ('一、加强信息公开',), ('1.做好规划公开。', '', '区发改局', '区直各单位'), ('2.做好预算公开。', '', '', '各镇政府')]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .columns import HEADER_RUN, HEADER_WORD, column_meaning
from .normalize import strip_pinyin, to_simplified
from .blocks import Block
from .structure import cn_to_int
from core.roles import role_words_pattern

from .units import UNIT_SUFFIX, is_unit_name

__all__ = ["reflow", "is_flat", "split_cells"]

CN = "一二三四五六七八九十"
# Markers on the simplified, half-width view (see _view). A part is 一、; a section (一); a task 1. or 1、
# (20.2021年底前 is task 20, 1.5亿 no task); a bare number only in a table with a 序号 column.
_PART = re.compile(rf"([{CN}]{{1,3}})、")
_SECTION = re.compile(rf"\(([{CN}]{{1,3}})\)")
_TASK = re.compile(r"(?<![\d.\-/:第])(\d{1,3})\s?[.、](?!\d(?!\d{3}年))")
_BARE = re.compile(r"(?<![\d.\-/:第年月])(\d{1,3})(?![\d.%、年月日号个项次季期批万亿元家件天条所人])")
# 附件1: opening an annex, not (附件1) or 附件下载 in a sentence.
_ANNEX = re.compile(r"(?<![(\u4e00-\u9fff])附件\s?\d{0,2}\s?[::]?(?=\s?[\u4e00-\u9fff《])(?!下载)")
_GAP = re.compile(r"\[GAP\]")
# A link to the attachment (…通知.pdf 附件下载) after the table: the page's chrome, not a cell.
_LINK = re.compile(r"(?<=\s)[^\s。]{0,120}?\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar)(?=\s|$)", re.I)
# Where a marker may stand: after a boundary, never inside a word (统一、规范; 第1季度; 十四五).
_IN_WORD = {"统一", "唯一", "之一", "逐一", "同一", "万一", "单一", "划一", "归一", "合一", "专一", "不一", "择一", "任一"}
_WEAK_BEFORE = set("第一二三四五六七八九十百千")
_STRONG_BEFORE = set(" 。;:!?)]】\"'”’|") | {""}
_TERMINAL = "。;!?"


_CHAR_VIEW: dict[str, str] = {}


def _view(text: str) -> str:
    """A simplified, half-width copy of ``text`` with the same length, so positions found in it cut
    the original (traditional script and full-width punctuation kept in the output)."""
    out = []
    for c in text:
        v = _CHAR_VIEW.get(c)
        if v is None:
            if ord(c) < 128:
                v = c
            else:
                n = unicodedata.normalize("NFKC", c)
                n = to_simplified(n) if len(n) == 1 else c
                v = n if len(n) == 1 else c
                if v in "\u3000\xa0\u2002\u2003":
                    v = " "
            _CHAR_VIEW[c] = v
        out.append(v)
    return "".join(out)


def is_flat(blocks: list[Block]) -> bool:
    """Whether a document lost its line breaks: a line far longer than a paragraph (400 characters)
    holds the plan's numbering or its table header inside it. A paragraph of a document that kept
    its lines holds neither (measured on the shared seeds and corpus: at most one marker, in lines
    of at most 341 characters)."""
    for b in blocks:
        if b.row or len(b.cells[0]) < 40:
            continue
        found = _markers(_view(b.cells[0]))
        inside = sum(1 for m in found if m.start > 0 and m.kind in ("part", "section", "task"))
        header = any(m.kind == "header" for m in found)
        if (len(b.cells[0]) >= _LONG and (header or inside)) or (header and inside >= 2) or inside >= _MANY:
            return True
    return False


_LONG = 400
_MANY = 3   # a short plan on one line (一、… 1.… 2.… 二、…) lost its breaks whatever its length


@dataclass
class _Marker:
    kind: str          # part, section, task, bare, header, annex, gap
    start: int
    end: int
    number: int = 0
    strong: bool = True


def _markers(v: str) -> list[_Marker]:
    found: list[_Marker] = []
    for m in HEADER_RUN.finditer(v):
        words = [column_meaning(w.group(0)) for w in HEADER_WORD.finditer(v, m.start(), m.end())]
        # 工作任务落实情况 in a sentence is no header: a header names at least three columns or a units one.
        if len(words) >= 3 or any(w and w.kind == "units" for w in words):
            found.append(_Marker("header", m.start(), m.end()))
    spans = [(m.start, m.end) for m in found]

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in spans)

    for kind, rx in (("part", _PART), ("section", _SECTION), ("task", _TASK)):
        for m in rx.finditer(v):
            if not free(m.start()):
                continue
            before = v[m.start() - 1] if m.start() else ""
            if kind == "part" and (before in _WEAK_BEFORE or before + m.group(1) in _IN_WORD):
                continue
            n = cn_to_int(m.group(1)) if kind != "task" else int(m.group(1))
            found.append(_Marker(kind, m.start(), m.end(), n, before in _STRONG_BEFORE))
    for m in _ANNEX.finditer(v):
        found.append(_Marker("annex", m.start(), m.end()))
    for m in _GAP.finditer(v):
        found.append(_Marker("gap", m.start(), m.end()))
    for m in _LINK.finditer(v):
        # A notice's file name (关于印发…的通知.pdf) glued to the last cell: the link starts at 关于.
        at = v.find("关于", m.start(), m.end())
        found.append(_Marker("link", at if at >= 0 else m.start(), m.end()))
    found.sort(key=lambda m: (m.start, m.kind != "header"))
    return found


@dataclass
class _Seq:
    """The numbering read so far: a marker counts only where it continues it."""
    part: int = 0
    section: int = 0
    task: int = 0
    heading_since_task: bool = True
    skipped: list = field(default_factory=list)
    ahead: list = field(default_factory=list)   # (position, number) of every task-like marker of the text

    def _continued(self, m: _Marker) -> bool:
        """A jump in the numbering is real when the next two markers go on from it (29. 30. 31.)."""
        want = [m.number + 1, m.number + 2]
        for pos, n in self.ahead:
            if pos > m.start and n == want[0]:
                want.pop(0)
                if not want:
                    return True
        return False

    def accept(self, m: _Marker) -> bool:
        if m.kind == "header":
            # A table starts its own numbering (a cover notice before it may have had 一、二、).
            self.part = self.section = self.task = 0
            self.heading_since_task = True
            return True
        if m.kind == "part":
            if m.number == self.part + 1 or (m.number == 1 and m.strong and self.part):
                self.part = m.number
                self.heading_since_task = True
                return True
            if m.number == self.part and m.strong:
                return True   # a heading printed twice (a repeated header row): one section
            return False
        if m.kind == "section":
            if m.number == self.section + 1 or (m.number == 1 and self.heading_since_task):
                self.section = m.number
                self.heading_since_task = True
                return True
            if m.number == self.section and m.strong:
                return True   # printed again before a later row: one section
            return False
        if m.kind in ("task", "bare"):
            n = m.number
            if n == self.task + 1 or (n == 1 and (self.heading_since_task or not self.task)):
                ok = True
            elif self.task < n <= self.task + 5 and (
                    (n == self.task + 2 and (m.strong or m.kind == "bare" or self.heading_since_task))
                    or self._continued(m)):
                # Numbers the source itself lacks (…27. (三)… 29.): kept as printed, reported.
                self.skipped.extend(range(self.task + 1, n))
                ok = True
            else:
                ok = False
            if ok:
                self.task = n
                self.heading_since_task = False
            return ok
        return True


def reflow(blocks: list[Block], warnings: list[str] | None = None) -> list[Block]:
    """The blocks of a flattened document cut back into lines and table rows; others unchanged."""
    if not is_flat(blocks):
        return blocks
    out: list[Block] = []
    seq = _Seq()
    table: list | None = None        # the header's columns, once seen
    header_words: str | None = None  # the first header, to know it when a later page repeats it
    unsplit = 0                      # rows in which no unit cell was found
    for b in blocks:
        if b.row:
            out.append(b)
            continue
        orig = strip_pinyin(b.cells[0])   # 區(qū): a mirror's gloss would cut names in two
        v = _view(orig)
        vocab = doc_vocabulary(v)
        cuts: list[_Marker] = []
        found = _markers(v)
        seq.ahead = [(m.start, m.number) for m in found if m.kind == "task"]
        for m in found:
            if m.kind == "bare":
                continue
            if m.kind == "header":
                words = re.sub(r"[\s|/]", "", v[m.start:m.end])
                if header_words is not None and words != header_words:
                    continue
                if header_words is not None:
                    cuts.append(_Marker("repeat", m.start, m.end))
                    continue   # the header printed again on a later page: the table goes on
                header_words = words
            if m.kind in ("part", "section", "task", "header") and not seq.accept(m):
                continue
            if cuts and m.start < cuts[-1].end:
                continue
            cuts.append(m)
        if table is not None or any(m.kind == "header" for m in cuts):
            cuts = _with_bare_numbers(v, cuts, seq)
        pieces = []
        starts = [0] + [m.start for m in cuts] + [len(v)]
        kinds = ["text"] + [m for m in cuts]
        for k, (a, z) in enumerate(zip(starts, starts[1:])):
            if a < z:
                pieces.append((kinds[k], a, z))
        for marker, a, z in pieces:
            kind = marker if isinstance(marker, str) else marker.kind
            if kind == "header":
                cells = tuple(orig[w.start():w.end()].strip()
                              for w in HEADER_WORD.finditer(v, a, marker.end))
                table = [column_meaning(c) for c in cells]
                out.append(Block(cells, b.line, row=True, merged=()))
                if marker.end < z:
                    out += _table_text(orig[marker.end:z], v[marker.end:z], b.line)
            elif kind == "bare" and not v[marker.end:z].strip():
                out.append(Block((orig[a:z].strip(),), b.line))   # a 序号 cell alone: the next marker follows
            elif kind in ("task", "bare") and table is not None and _SPACED.search(v, marker.end, z):
                out += _table_text(orig[a:z], v[a:z], b.line)
            elif kind in ("task", "bare") and table is not None:
                row = _row(orig[a:z], v[a:z], marker.end - a, marker, table, b.line, vocab)
                units_at = [k for k, c in enumerate(table) if c and c.kind == "units"]
                unsplit += bool(units_at) and not any(row.cells[k] for k in units_at)
                out.append(row)
            elif kind in ("part", "section") and table is not None:
                out += _heading_row(orig[a:z], v[a:z], marker.end - a, table, b.line, vocab)
            elif kind == "repeat":
                if marker.end < z:
                    out += _paragraphs(orig[marker.end:z], v[marker.end:z], b.line)
            elif kind == "link":
                table = None
                out += _paragraphs(orig[a:z], v[a:z], b.line)
            elif kind == "gap":
                out.append(Block(("[GAP]",), b.line))
                if marker.end < z:
                    out += _paragraphs(orig[marker.end:z], v[marker.end:z], b.line)
            else:
                out += _paragraphs(orig[a:z], v[a:z], b.line)
    if warnings is not None and seq.skipped:
        warnings.append("numbering skips task " + ", ".join(map(str, seq.skipped)) + " (as printed in the source)")
    if warnings is not None and unsplit:
        warnings.append(f"{unsplit} rows whose unit cells were not found in the flattened text "
                        "(merged with the row above, or glued to the text)")
    return out


def _with_bare_numbers(v: str, cuts: list[_Marker], seq: _Seq) -> list[_Marker]:
    """In a table numbered by a bare 序号 column (1 做好… 2 扎实…), the bare numbers that continue
    the sequence cut rows too, where no dotted task marker does."""
    if any(m.kind == "task" for m in cuts):
        return cuts
    header_end = max((m.end for m in cuts if m.kind == "header"), default=0)
    out = [m for m in cuts if m.start < header_end or m.kind != "task"]
    for m in _BARE.finditer(v, header_end):
        before = v[m.start() - 1] if m.start() else ""
        mk = _Marker("bare", m.start(), m.end(), int(m.group(1)), before in _STRONG_BEFORE)
        if seq.task and not mk.strong and mk.number != seq.task + 1:
            continue
        if seq.accept(mk):
            out.append(mk)
    out.sort(key=lambda m: m.start)
    return out


_PARA_SPLIT = re.compile(r"(?<=[。;:!?)”])\s+|\s{2,}|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff(“《])"
                         r"|\s+(?=\d{4}年\d{1,2}月\d{1,2}日)|(?<=\d日)\s+")   # a signature's date is a line of its own


def _paragraphs(orig: str, v: str, line: int) -> list[Block]:
    """Paragraphs of running text joined by spaces: cut at the spaces (a CJK text has none inside
    a paragraph, a crawler puts one between two)."""
    out = []
    pos = 0
    for m in _PARA_SPLIT.finditer(v):
        s = orig[pos:m.start()].strip()
        if s:
            out.append(Block((s,), line))
        pos = m.end()
    s = orig[pos:].strip()
    if s:
        out.append(Block((s,), line))
    return out


_SPACED = re.compile(r"\S(?:[ \t\u3000\xa0]{2,}|\t)\S")
_CELL_GAP = re.compile(r"[ \t\u3000\xa0]{2,}|\t")


def _table_text(orig: str, v: str, line: int) -> list[Block]:
    """Table text whose cells a wide space still separates (1  对行政…  办公室  年底前): one cell a
    line, as a table printed one cell per line reads; else paragraphs."""
    if not _SPACED.search(v):
        return _paragraphs(orig, v, line)
    out, pos = [], 0
    for m in _CELL_GAP.finditer(v):
        cell = orig[pos:m.start()].strip()
        if cell:
            out.append(Block((cell,), line, row=True))
        pos = m.end()
    if orig[pos:].strip():
        out.append(Block((orig[pos:].strip(),), line, row=True))
    return out


def _heading_row(orig: str, v: str, body: int, table: list, line: int, vocab=frozenset()) -> list[Block]:
    """A heading inside a table (a merged 工作任务 cell, a colspan row): its own line; any unit cell
    printed after it belongs to the heading's row."""
    text, units, tail = split_cells(orig, v, body, table, vocab)
    text = text.replace("\x00", " ")
    # As the lined page prints it: the heading, its prose, then its unit cell as a paragraph.
    out = _paragraphs(text, _view(text), line)
    out += [Block((u,), line) for u in units if u.strip()]
    if tail.strip():
        out += _paragraphs(tail, _view(tail), line)
    return out


def _row(orig: str, v: str, body_at: int, marker: _Marker, table: list, line: int, vocab=frozenset()) -> Block:
    """A flattened row as a grid row: each piece in the column the header gives it."""
    text, units, tail = split_cells(orig, v, body_at, table, vocab)
    if marker.kind == "bare":
        text = f"{marker.number}." + text[body_at:].lstrip()
    before, after = _text_halves(text, table)
    kinds = [c.kind if c else "text" for c in table]
    cells = [""] * len(table)
    unit_at = [i for i, k in enumerate(kinds) if k == "units"]
    text_at = [i for i, k in enumerate(kinds) if k in ("task", "requirement", "number", "text")]
    first = min(unit_at) if unit_at else len(kinds)
    lead_text = [i for i in text_at if i < first and kinds[i] != "number"] or text_at[:1]
    after_text = [i for i in text_at if i > first]
    if lead_text:
        cells[lead_text[0]] = before
    if after and after_text:
        cells[after_text[0]] = after
    elif after and lead_text:
        cells[lead_text[0]] = (before + " " + after).strip()
    for i, cell in zip(unit_at[len(unit_at) - len(units):], units):
        cells[i] = cell
    if tail.strip():
        rest = [i for i, k in enumerate(kinds) if k in ("deadline", "remarks", "status") and i > first]
        if rest:
            cells[rest[0]] = tail.strip()
        elif lead_text:
            cells[lead_text[0]] = (cells[lead_text[0]] + " " + tail.strip()).strip()
    # No unit cell found: in flattened text an empty cell and a merged one look the same, and a
    # merged one is what plans print (the cell above applies).
    return Block(tuple(cells), line, row=True, merged=tuple(i for i in unit_at if not cells[i]))


def _text_halves(text: str, table: list) -> tuple[str, str]:
    """split_cells joins a title and the requirement after the units with "\x00"."""
    if "\x00" in text:
        a, b = text.split("\x00", 1)
        return a.strip(), b.strip()
    return text.strip(), ""


# -- cells of a flattened row -----------------------------------------------------------------
_START = re.compile(r"(?:省直|市直|区直|县直|省(?!级|份|内|外)|市(?!场|级|民(?!政|族|宗))|区(?!域|别|分|级|块)|县(?!级|域)|"
                    r"镇(?!街)|乡(?!村)|各(?!级|类|项|地区|地|方面)|中央|国家)")
_SEP = set("、,，;； /")
_DEADLINE_TAIL = re.compile(
    r"(?:已完成|已落实|已公开|正在推进|推进中|未完成|(?:长期|持续|全年|按年度|按季度|每季度|常态化)(?:推进|坚持|开展)?|(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?|年底|年内|年中|上半年|下半年)"
    r"(?:底|中旬|上旬|下旬)?(?:前|以前|完成|底前)?|年底前|及时(?:更新|公开)?)"
    r"(?:[,、,]?(?:\d{4}年)?\d{1,2}月[^。]{0,30})?$"
    # dates with what happens on them: 2021年2月公布预算信息,2021年8月公布上年度决算信息
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:前|底)?[^。,，\d]{1,12}(?:[,，、]\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:前|底)?[^。,，\d]{1,14})*$"
)


def split_cells(orig: str, v: str, start: int, table: list, vocab: frozenset | set = frozenset()) -> tuple[str, list[str], str]:
    """(task text, unit cells in the header's order, what follows the units) of one flattened row.

    The units are found where the header puts them: a row whose header prints the unit columns last
    ends with them (before a deadline cell); one that prints a requirement after them (工作任务 |
    牵头单位 | 责任单位 | 工作要求) holds them between the task's title and its requirement."""
    unit_cols = [c for c in table if c and c.kind == "units"]
    if not unit_cols:
        return orig, [], ""
    kinds = [c.kind if c else "text" for c in table]
    last_units = max(i for i, k in enumerate(kinds) if k == "units")
    text_after = any(k in ("requirement", "task") for k in kinds[last_units + 1:])
    deadline_after = any(k in ("deadline", "status", "remarks") for k in kinds[last_units + 1:])
    body_v = v[start:]
    end = len(v)
    tail = ""
    if deadline_after and not text_after:
        m = _DEADLINE_TAIL.search(body_v)
        if m and m.start() > 0:
            end = start + m.start()
            tail = orig[end:]
    run = _find_run(v, start, end, at_end=not text_after, vocab=vocab)
    if run is None:
        return orig[:end], [], tail
    a, z, segments = run
    if text_after:
        title = orig[:a]
        req = orig[z:end]
        text = title.rstrip() + "\x00" + req.strip()
    else:
        text = orig[:a]
    cells = [orig[s:e].strip(" ,，、") for s, e in segments]
    n_cols = len(unit_cols)
    if n_cols >= 2 and len(cells) > n_cols:
        # The lead cell prints its units glued (省工商局省审改办); the last segment is the last column.
        # Collectives lead nothing: 区直有关单位各区属事业单位各区属国企 is one cell of three lines.
        first = cells[:-(n_cols - 1)]
        if all(_ALL_COLLECTIVE.match(c) for c in first):
            cells = ["", "、".join(cells)] if n_cols == 2 else cells
        else:
            cells = ["、".join(first), *cells[-(n_cols - 1):]]
    elif n_cols == 1 and len(cells) > 1:
        cells = ["、".join(cells)]
    if len(cells) < n_cols and n_cols >= 2 and a > start and v[a - 1] == " ":
        # A space before the units: the crawler's mark of an empty first unit cell.
        cells = cells
    return text, cells, tail


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    text = (Path(__file__).with_name("unit_names.txt")).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _known_at(v: str, i: int, vocab: frozenset | set) -> bool:
    """Whether a known unit name (the generic list, or one this document sets off elsewhere) starts at ``i``."""
    for n in range(2, 9):
        w = v[i:i + n]
        if w in vocab or w in _names():
            return True
    return False


_SET_OFF = re.compile(r"[、,;\s]")


def doc_vocabulary(v: str) -> set[str]:
    """Unit names a document prints where a separator sets them off (…、疾控处、基层处…), to find the
    same names where a flattened cell glues them to the text before."""
    out = set()
    end = len(v)
    for m in _SET_OFF.finditer(v):
        a = m.end()
        z = _name_at(v, a, end)
        # set off on both sides, and a name after it too: a list of units, not a word in a sentence
        if z is None or z - a > 8 or v[a] in "各省市区县" or z >= end or v[z] not in _SEP:
            continue
        if _name_at(v, z + 1, end, True) is not None:
            out.add(v[a:z])
    return out


_ALL_COLLECTIVE = re.compile(r"^(?:(?:各|[省市区县]直|[省市区县]属)[^、,，;]*(?:[、,，;]|$))+$")


def _find_run(v: str, start: int, end: int, at_end: bool, vocab: frozenset | set = frozenset()) -> tuple[int, int, list] | None:
    """A run of unit names between ``start`` and ``end``: (run start, run end, segments), a segment
    being names joined by separators; two segments meet where one name is glued to the next.

    With the units printed last, the run must reach the row's end and starts at the earliest place
    that gives one; with a requirement after them, the first run after the title is the units."""
    stop = end
    while stop > start and v[stop - 1] in " 。.,，;；":
        stop -= 1
    i = start + 2
    while i < stop:
        before = v[i - 1]
        if before in " 。;:,)、" or _START.match(v, i) or _known_at(v, i, vocab):
            got = _scan(v, i, stop)
            if got is not None and before in "、,," and not (_START.match(v, i) or _known_at(v, i, vocab)) \
                    and _LIST_PROSE.search(v, i, got[1][0][1]):
                got = None   # …预算、|决算及相关报表公开财务处: an item of a list in the text, not a unit
            if got is not None and not at_end and len(got[1]) == 1 and not _SEP.intersection(v[i:got[0]]) \
                    and not (_START.match(v, i) or _known_at(v, i, vocab)):
                got = None   # one bare name inside the text (…国有产权交易、增资扩股项目…) is no unit cell
            if got is not None:
                z, segs = got
                # A few characters the page cut (各区属国有企企) may follow the last cell.
                cut_short = 0 < stop - z <= 8 and before in " 。" and not any(c in _TERMINAL for c in v[z:stop])
                if cut_short:
                    segs[-1] = (segs[-1][0], stop)   # the cut name stays in its cell, as the page prints it
                    return i, stop, segs
                if not at_end or z >= stop:
                    return i, z, segs
        i += 1
    if at_end:
        # Last resort: a section's name glued to the end of the text it follows (…信息发布工作|规划信息处),
        # found where a word of prose ends and one name reaches the row's end.
        for i in range(start + 2, stop - 2):
            if not _PROSE_END.search(v, max(start, i - 4), i):
                continue
            z = _name_at(v, i, stop, True)
            if z is not None and z >= stop and z - i <= 10 and v[z - 1] in _STRONG_END | {")"}:
                return i, z, [(i, z)]
    return None


_LIST_PROSE = re.compile(r"公开|情况|报表|力度|推进|做好|及相关|等方面")
_PROSE_END = re.compile(r"(?:工作|信息|公开|建设|管理|情况|机制|制度|服务|力度|政策|规范|发布|宣传)$")


_NOT_IN_NAME = set("。;:!?《》的了是在对把将为并或但要须等由从向按于以该此每年月日号好,，、;； ")
_PAREN = re.compile(r"\([^()]{1,16}\)")
_SPACE_PAREN = re.compile(r" ?\(")
# What may follow a name inside one cell: its role, and the words that join two names.
_ROLE = "(?:" + role_words_pattern() + ")"
_DUTY = r"(?:按(?:照)?(?:各自)?职(?:责|能)(?:分工)?)"
_ROLE_TAIL = re.compile(rf"等(?:有关|相关)?(?:市直|区直|县直|省直)?(?:部门|单位|机构|处室|科室|股室){_DUTY}?{_ROLE}?"
                        rf"|等{_DUTY}?{_ROLE}|{_DUTY}?{_ROLE}")
_JOIN = re.compile(r"会同|协调|牵头|(?<![社委员协管学商工总联])会(?!议)|和|及|与")


def _scan(v: str, i: int, end: int) -> tuple[int, list] | None:
    """Unit names from ``i`` on: (end of the run, segments), or None when no name starts at ``i``."""
    segs: list[tuple[int, int]] = []
    seg_start = i
    pos = i
    names = 0
    name_start = i
    while pos < end:
        z = _name_at(v, pos, end, names > 0)
        if z is None:
            break
        names += 1
        name_start, pos = pos, z
        r = _ROLE_TAIL.match(v, pos, end)
        if r:
            pos = r.end()
        q = pos
        while q < end and v[q] in _SEP:
            q += 1
        if q == pos:
            j = _JOIN.match(v, pos, end)
            if j and _name_at(v, j.end(), end, True) is not None:
                pos = j.end()
                continue
            nxt = _name_at(v, q, end, True) if q < end else None
            if nxt is None:
                break
            # Glued: another cell begins here, unless the next name belongs to this one (省政府各部门).
            # (各区政府|各处室 are two: a collective has no members of its own named after it.)
            if not (v[pos - 2:pos] == "政府" and re.match(r"各|有关|直属|所属", v[q:q + 2])
                    and v[name_start] != "各"):
                segs.append((seg_start, pos))
                seg_start = q
            continue
        if q >= end or _name_at(v, q, end, True) is None:
            break
        if v[pos:q].strip() == "" and q < end:
            segs.append((seg_start, pos))   # a space between two names: two cells
            seg_start = q
        pos = q
    if names == 0:
        return None
    segs.append((seg_start, pos))
    # The last glued segment before prose that goes on (省教育厅、环保厅等部门要…, 省政府和各设区市应…)
    # is the prose's subject, not a cell.
    if pos < end and len(segs) > 1 and v[pos] in "等和与及要应须将":
        segs.pop()
        pos = segs[-1][1]
    return pos, segs


_BARE_LEVEL = re.compile(r"各[\u4e00-\u9fff]{0,3}[市县区州旗乡镇]")


def _is_name(name: str, after: str) -> bool:
    """A unit's name: one ending like a unit (局, 股室 …), or a collective of places (各设区市, 各县)
    that the next character does not continue (各乡|镇, 各片|区管理局 are no names)."""
    if len(name) < 2 or not is_unit_name(name) or (name[-1] == "办" and after and after in "好理结"):
        return False
    if UNIT_SUFFIX.search(_PAREN.sub("", name)) and not (name.startswith("各") and len(name) <= 2):
        return True
    return bool(_BARE_LEVEL.fullmatch(name)) and after not in "镇区县市街道乡"


_BARE_SUFFIX = {"政府", "部门", "单位", "机构", "中心", "委员会", "人民政府"}
_WEAK_END = set("组乡镇街网台社团联站所队馆院会行")
# Before a region prefix inside a name, words a unit's name does not hold: the text before is prose
# (涉及范围|省直各部门, 季度国民经济运行情况|省统计局).
_PROSE_WORD = re.compile(r"情况|力度|范围|政策|工作|信息|公开|任务|目标|引导|解读|措施|机制|制度|服务|监管|改革|发展|"
                         r"重视|进程|清单|目录|程序|领域|项目|方案|时|的|和")
_INNER_PREFIX = re.compile(r"[省市区县](?!场|级|域|直属|民(?!政|族|宗))")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:综合实验区|实验区|开发区|高新区|新区|自治州|自治县|特别行政区)"
                    r"|[\u4e00-\u9fff]{2,4}?[市县区州旗](?=[、,，;；\s]|$)")


def _prose_before_prefix(v: str, i: int, j: int) -> bool:
    """Whether a name candidate v[i:j] is prose glued to a unit that a region prefix starts inside it."""
    for m in _INNER_PREFIX.finditer(v, i + 2, j - 1):
        if _PROSE_WORD.search(v, i, m.start()):
            return True
    return False


def _name_at(v: str, i: int, end: int, in_run: bool = False) -> int | None:
    """End of a unit name starting at ``i`` (with a trailing (街道办事处)-style note), or None.
    ``in_run``: the name follows another in a list of units, where even a name with a weak ending
    (街镇, 图书馆) is one; at the start of a run it must start like a unit or be a known name."""
    if i >= end or v[i] in _NOT_IN_NAME:
        return None
    known = in_run or bool(_START.match(v, i)) or _known_at(v, i, ())
    best = None
    strong = False
    limit = min(end, i + 26)
    j = i + 1
    while j < limit:
        j += 1
        if v[j - 1] == "(" or (v[j - 1] == " " and v[j:j + 1] == "("):
            p = _PAREN.match(v, j - 1 if v[j - 1] == "(" else j)
            if p is None or p.end() >= end:
                break
            after = p.end()
            while after < end and v[after] == " ":
                after += 1
            if best is not None and best >= j - 2 and (after >= end or _START.match(v, after) or v[after] in _SEP
                                                        or v[after] == "各"):
                return p.end()       # 省编办(省审改办)|省直各部门: the alias closes the name
            j = p.end() + 1          # 各县(市、区)政府: a note inside the name
            while j < end and v[j - 1] == " ":
                j += 1
        if v[j - 1] in _NOT_IN_NAME or (v[j - 1] in "和及与" and best == j - 1):
            break   # 各街镇|和|园区管理机构: 和 after a whole name joins two names (工业和信息化局 is one)
        name = v[i:j]
        # A verb inside the name ends it (应办好, 做好); one character on tells 应急 from 应, and a verb
        # across the name's end (机构|建立) is no verb of the name.
        verb = _VERB_IN_NAME.search(v, i, min(j + 1, end))
        if verb and verb.end() <= j or (verb and verb.group(0) == "应" and verb.start() < j):
            break
        if _is_name(name, v[j] if j < end else "") and not _ROLE_TAIL.fullmatch(name) \
                and name.count("“") == name.count("”") and name not in _BARE_SUFFIX \
                and (known or name[-1] not in _WEAK_END or name.endswith(("管委会", "委员会", "银行", "支行")))\
                and not _prose_before_prefix(v, i, j):
            # Past a name that ends as a unit should (管委会), a weak ending (…出台, …网) is prose.
            is_strong = name[-1] in _STRONG_END or name.endswith(("支行", "分行", "银行"))
            if strong and not is_strong:
                continue
            best, strong = j, strong or is_strong
            if strong and name[0] == "各":
                break   # a collective ends at its collective noun: 各区政府|财审处
            # the longest name that does not swallow the start of the next one
            if j < end and (_START.match(v, j) or v[j] in _SEP or v[j] == "各") and not _SPACE_PAREN.match(v, j):
                break
    if best is None:
        # A place standing for its government in a list of units: 各设区市，平潭综合实验区
        place = _PLACE.match(v, i, end)
        if place and i > 0 and v[i - 1] in _SEP:
            return place.end()
        return None
    p = _PAREN.match(v, best)
    if p:
        best = p.end()
    return best


_STRONG_END = set("局委办厅府会室股处科门位构心")
_VERB_IN_NAME = re.compile(r"应(?!急)|通过|确定|发布会|两级|三级|四级|制定|推进|加强|开展|建立|完善|做好|出台|构建|贯彻|推动|提高|提升|办好|抓好|确保|探索|深化|"
                           r"规范|强化|严格|按照|结合|围绕|对照|加快|积极|及时|全面|坚持|组织开展|认真")
