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
from itertools import islice
from dataclasses import dataclass, field, replace

from .columns import HEADER_RUN, HEADER_WORD, column_meaning
from .catalogue_cells import box_gaps_closed
from .sub_columns import with_sub_columns
from .normalize import PAGE_END, inside_brackets, strip_pinyin, to_simplified
from .blocks import Block
from .numbering import classify, cn_to_int
from .headings import row_title_opens, title_ends_at
from .glued_breaks import CN, HEADING_MAX, PART_MARK, SECTION_MARK, SPACED_LABEL, glued_breaks, heading_end, label_at
from .wraps import closes_up, lines_unwrapped, fills_the_line, printed_width, splits_a_word, unwrapped, wraps_sentence
from .unit_tails import unit_lines_unglued
from .cell_rows import grouped_cell_lines, spaced_cell_lines
from .measures import measures as row_measures
from .units import is_unit_name
from .cells import (DEADLINE_HEAD, doc_vocabulary, mid_unit_rows, split_cells, trailing_units,
                    unit_name_end, unnumbered_rows)

__all__ = ["reflow", "is_flat"]

# Markers on the simplified, half-width view (see _view). A part is 一、; a section (一); a task 1. or 1、
# (20.2021年底前 is task 20, 1.5亿 no task); a bare number only in a table with a 序号 column.
_PART, _SECTION = PART_MARK, SECTION_MARK
_TASK = re.compile(r"(?<![\d.\-/:第])(\d{1,3})\s?[.、](?!\d(?!\d{3}年))"
                   r"|(?<![\d.\-/:第(（a-zA-Z])(\d{1,3})\)(?=[\u4e00-\u9fff])")   # 1)
_BARE = re.compile(r"(?<![\d.\-/:第年月])(\d{1,3})(?![\d.%、年月日号个项次季期批万亿元家件天条所人])")
# 附件1: opening an annex, not (附件1) or 附件下载 in a sentence.
# An annex after the unit cell that ends the table before it (…扶贫办附件2:…) opens the next annex too.
_ANNEX = re.compile(r"(?:(?<![(\u4e00-\u9fff])|(?<=\d日)|(?<=[局委办室处科](?=附件\d{1,2}:)))附件\s?\d{0,2}\s?(?:[::](?=\s?\d+个)|[::]?(?=\s?[\u4e00-\u9fff《]))(?!下载)")
_GAP = re.compile(r"\[GAP\]")
# A link to the attachment (…通知.pdf 附件下载) after the table: the page's chrome, not a cell.
_LINK = re.compile(r"(?<=\s)[^\s。]{0,120}?\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar)(?=\s|$)", re.I)
# Where a marker may stand: after a boundary, never inside a word (统一、规范; 第1季度; 十四五).
_IN_WORD = {"统一", "唯一", "之一", "逐一", "同一", "万一", "单一", "划一", "归一", "合一", "专一", "不一", "择一", "任一"}
_WEAK_BEFORE = set("第一二三四五六七八九十百千")
_STRONG_BEFORE = set(" 。;:!?)]】\"'”’|") | {""}


class _CharView(dict):
    """Each character's view (code point → one character), worked out the first time it is seen."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if code < 128 or 0x2460 <= code <= 0x24FF or 0x2776 <= code <= 0x2793:
            v = c   # (①②: a list inside a cell, as printed; NFKC would make them the digits a 序号 column prints)
        else:
            n = unicodedata.normalize("NFKC", c)
            n = to_simplified(n) if len(n) == 1 else c
            v = n if len(n) == 1 else c
            if v in "\u3000\xa0\u2002\u2003":
                v = " "
        self[code] = v
        return v


_CHAR_VIEW = _CharView()


def _view(text: str) -> str:
    """A simplified, half-width copy of ``text`` with the same length, so positions found in it cut
    the original (traditional script and full-width punctuation kept in the output)."""
    return text.translate(_CHAR_VIEW)   # (a third faster than a loop over the characters)


def is_flat(blocks: list[Block]) -> bool:
    """Whether a document lost its line breaks: a line far longer than a paragraph (400 characters)
    holds the plan's numbering or its table header inside it. A paragraph of a document that kept
    its lines holds neither (measured on the shared seeds and corpus: at most one marker, in lines
    of at most 341 characters)."""
    for b in blocks:
        if b.row or len(b.cells[0]) < 40:
            continue
        found = _markers(_view(b.cells[0]), numbering_only=True)
        inside = sum(1 for m in found if m.start > 0 and m.kind in ("part", "section", "task"))
        header = any(m.kind == "header" for m in found)
        if header and not inside:
            # A short table under its header, rows numbered by a bare column (…时限要求1全面清理…2认真…),
            # or by none (…责任部门做好政策公开常态化公开…。财政所等围绕…)
            v = _view(b.cells[0])
            heads = [m for m in found if m.kind == "header"]
            inside = sum(1 for m in _with_bare_numbers(v, heads, _Seq()) if m.kind == "bare")
            if not inside:
                w = _CELL_GAP.sub(" ", v)   # (a wide space parts cells as one does, for this test)
                w = _unspaced(w, w, 0)[1]
                head = next((m for m in _markers(w) if m.kind == "header"), None)
                if head is not None:
                    table = [column_meaning(x.group(0)) for x in HEADER_WORD.finditer(w, head.start, head.end)]
                    inside = len(unnumbered_rows(w, head.end, len(w), table, doc_vocabulary(w)))
        if (len(b.cells[0]) >= _LONG and (header or inside)) or (header and inside >= 2) or inside >= _MANY:
            return True
        if any(m.kind == "part" and _after_sentence(b.cells[0], m.start) for m in found):
            return True   # …请认真抓好贯彻落实。 一、加强组织领导。: a paragraph holds no heading after its own end
    return False


def _after_sentence(text: str, at: int) -> bool:
    """Whether the marker at ``at`` follows a whole sentence of the same line (its prose before it)."""
    before = text[:at].rstrip()
    return len(before) >= 20 and before[-1] in "。！!"


@dataclass
class _JoinedLines(Block):
    """Lines joined into one by :func:`_join_cell_lines`, which keeps them, so the rows cut from it get
    back their source lines (a task's evidence names its line): see :func:`_relocate`."""
    texts: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()


_CJK = re.compile(r"[^\u4e00-\u9fff]")


def _relocate(out: list[Block], at: int, joined: _JoinedLines) -> None:
    """The blocks cut from ``joined`` (from ``out[at]`` on, all on its first line) each on its source
    line: the first line, from the one before's on, that opens with its first words (else holds them)."""
    texts = [_CJK.sub("", _view(t)) for t in joined.texts]
    k = 0
    for b in out[at:]:
        if b.line != joined.line:
            return
        key = next((w for w in (_CJK.sub("", _view(c))[:4] for c in b.cells) if len(w) >= 2), "")
        hit = next((j for j in range(k, len(texts)) if key and texts[j].startswith(key)), None)
        if hit is None:   # (a cell's words may open past a line's start: 项目 | 1 政策解读…)
            hit = next((j for j in range(k, len(texts)) if key and key in texts[j]), None)
        k = k if hit is None else hit
        b.line = joined.lines[k]


def _glued_header(line: str) -> list[str]:
    """The header words of a line that holds nothing else, glued with nothing between them; [] if none."""
    v = _view(line)
    # (…责任科室完成时限其他: a last column for what else is to be said, as 备注, closes the header)
    v = v[:-2] if v.endswith("其他") and HEADER_RUN.fullmatch(v[:-2]) else v
    if HEADER_RUN.fullmatch(v) is None:
        return []
    words = list(HEADER_WORD.finditer(v))
    if any(a.end() != b.start() for a, b in zip(words, words[1:])):
        return []   # a space or | between the words: a header typed as one line, its rows as lines
    return [w.group(0) for w in words]


def _numbered_lines(blocks: list[Block]) -> bool:
    """Whether the rows of a table printed a cell a line open with the plan's numbering (一、 (一) 1.)."""
    found = (b for b in blocks if classify(_view(b.cells[0]).strip())[0] in ("part", "section", "task"))
    return sum(1 for _ in islice(found, 3)) == 3   # (three are enough: asked of every document)


_FOOTER = re.compile("^(?:" + PAGE_END + ")")


def _join_cell_lines(blocks: list[Block]) -> list[Block]:
    """A table printed one cell a line with nothing between its cells (a page's table as its text
    gives it, each cell a paragraph): from its header on, the lines joined by spaces, as the same
    table reads flattened, which the reflow then cuts into its rows. The header is three lines or more
    each holding one header word alone, a units column among them, or one line of three header words
    or more glued with nothing between (a page's row of inline cells): its rows' cells are glued so too,
    which the reflow reads as it reads a crawler's text. A pipe row ends the join. (Read as
    lines, a row whose cells go on past its text — a 具体要求 or second unit column, a 落实情况 cell —
    lost its units; read flattened, the rows are the same in every form the table comes in.)

    >>> lines = ["某局重点任务分工", "序号", "工作任务", "责任科室", "1", "做好预算公开。", "办公室"]
    >>> [b.cells for b in _join_cell_lines([Block((x,), i) for i, x in enumerate(lines, 1)])]
    [('某局重点任务分工',), ('序号 工作任务 责任科室 1 做好预算公开。 办公室',)]
    """
    for i in range(len(blocks)):
        run = i
        while run < len(blocks) and not blocks[run].row and column_meaning(blocks[run].cells[0].strip()):
            run += 1
        words, sep = [b.cells[0].strip() for b in blocks[i:run]], " "
        if run == i and not blocks[i].row:
            # or a header whose words nothing parts (序号重点任务责任单位完成时限): its rows' cells are so
            # glued, and its rows are joined so too, as a crawler joins them
            words, sep = _glued_header(blocks[i].cells[0].strip()), ""
            run = i + 1 if words else i
        if len(words) < 3 or run == len(blocks) or blocks[run].row:
            continue
        if any(column_meaning(w).kind == "units" for w in words):
            # (the page's footer after the table, 【打印本页】, is no cell of its last row)
            end = next((k for k in range(run, len(blocks)) if blocks[k].row or _FOOTER.match(blocks[k].cells[0].strip())),
                       len(blocks))
            kinds = [column_meaning(w).kind for w in words]
            if sep and kinds[-1] == "units" and kinds.count("units") == 1 and _numbered_lines(blocks[run:end]):
                # Its rows open lines of their own with the plan's numbering and end with their one unit
                # cell: the structure reads them as lines (a unit line names the units of the text above),
                # at a fraction of the reflow's cost.
                return blocks
            cells = unit_lines_unglued(blocks[i:end], _view)   # (a unit line a PDF glued to a cell: its own cell)
            texts = tuple(b.cells[0].strip() for b in cells)
            joined = _JoinedLines((sep.join(texts),), blocks[i].line, texts=texts, lines=tuple(b.line for b in cells))
            return [*blocks[:i], joined, *blocks[end:]]
    return blocks


_LONG = 400
_MANY = 3   # a short plan on one line (一、… 1.… 2.… 二、…) lost its breaks whatever its length


@dataclass
class _Marker:
    kind: str          # part, section, task, bare, header, annex, gap
    start: int
    end: int
    number: int = 0
    strong: bool = True


def _markers(v: str, numbering_only: bool = False) -> list[_Marker]:
    """The markers of a view: the table's header, the numbering, and unless ``numbering_only`` (all
    :func:`is_flat` asks) annexes, gaps and links."""
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
            if kind == "task" and m.group(2) and inside_brackets(v, m.start()):
                continue   # (附件1)组织…: a bracket's end, no 1)
            n = cn_to_int(m.group(1)) if kind != "task" else int(m.group(1) or m.group(2))
            found.append(_Marker(kind, m.start(), m.end(), n, before in _STRONG_BEFORE))
    if numbering_only:
        found.sort(key=lambda m: (m.start, m.kind != "header"))
        return found
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
    after_gap: bool = False   # a [GAP] took the numbering before: the next number starts it again
    mid: bool = False   # the text opened mid-plan (its first task 38.): its first section may be any
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
            if m.number == self.section + 1 or (m.number == 1 and self.heading_since_task) or (
                    self.mid and not self.section and m.strong):   # (…38. 39.(四)…: the page's next section)
                self.section = m.number
                self.heading_since_task = True
                return True
            if m.number == self.section and m.strong:
                return True   # printed again before a later row: one section
            return False
        if m.kind in ("task", "bare"):
            n = m.number
            if n == self.task + 1 or (n == 1 and (self.heading_since_task or not self.task)) or (
                    self.after_gap and m.strong and n > 1):   # (…[GAP](3)…3.全面推进…: the 3. the text shows)
                ok = True
            elif self.task < n <= self.task + 5 and (
                    (n == self.task + 2 and (m.strong or m.kind == "bare" or self.heading_since_task))
                    or self._continued(m)):
                # Numbers the source itself lacks (…27. (三)… 29.): kept as printed, reported.
                self.skipped.extend(range(self.task + 1, n))
                ok = True
            else:   # a page of a longer plan opens at its 38.: the count starts there when 39. 40. follow
                ok = self.mid = not (self.task or self.section or self.part) and m.strong and self._continued(m)
            if ok:
                self.task = n
                self.heading_since_task = self.after_gap = False
            return ok
        return True


def reflow(blocks: list[Block], warnings: list[str] | None = None) -> list[Block]:
    """The blocks of a flattened document cut back into lines and table rows; others unchanged."""
    as_read = blocks   # (a document that kept its lines is returned as read, its boxes' spaces too)
    if any(not b.row and ("■" in b.cells[0] or "□" in b.cells[0]) for b in blocks):
        blocks = [b if b.row else replace(b, cells=(box_gaps_closed(b.cells[0]),)) for b in blocks]
    grouped = grouped_cell_lines(blocks)
    if grouped is not None:
        return grouped
    flat = None if len(blocks) <= 3 else is_flat(blocks)
    spaced = spaced_cell_lines(blocks, _view) if flat is not False else None
    if spaced is not None:
        # (the text before the table: its paragraphs, parted by the same spaces)
        return [p for b in spaced[0] for p in ([b] if b.row else _paragraphs(b.cells[0], _view(b.cells[0]), b.line))] \
            + spaced[1]
    joined = _join_cell_lines(blocks)
    if not (flat if joined is blocks and flat is not None else is_flat(joined)):   # (the same blocks: asked once)
        return unit_lines_unglued(lines_unwrapped(as_read, _view), _view)   # (wrap spaces: 河南省人 民政府; a glued unit line)
    blocks = joined
    out: list[Block] = []
    seq = _Seq()
    table: list | None = None        # the header's columns, once seen
    header_words: str | None = None  # the first header, to know it when a later page repeats it
    spaced_cells = False
    unsplit = 0                      # rows in which no unit cell was found
    joined_at = None
    for b in blocks:
        if b.row:
            out.append(b)
            continue
        if isinstance(b, _JoinedLines):
            joined_at = (len(out), b)
        orig = strip_pinyin(b.cells[0])   # 區(qū): a mirror's gloss would cut names in two
        full = printed_width(orig)   # (measured over the whole text: a piece holds a few lines)
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
                # A header whose words one space parts printed a cell a line: its rows' cells are so parted too.
                spaced_cells = len(_WORD_GAP.findall(v, m.start, m.end)) >= 2
            seq.after_gap = m.kind == "gap" or seq.after_gap and m.kind not in ("part", "section", "header")
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
                cells = with_sub_columns(_sub_header(tuple(orig[w.start():w.end()].strip()
                                                           for w in HEADER_WORD.finditer(v, a, marker.end))))
                table = [column_meaning(c) for c in cells]
                out.append(Block(cells, b.line, row=True, merged=()))
                if marker.end < z:
                    if spaced_cells:
                        o, w = _unspaced(orig[marker.end:z], v[marker.end:z], 0)
                        out += _after_header(o, w, 0, len(w), table, b.line, vocab)
                    else:
                        out += _after_header(orig, v, marker.end, z, table, b.line, vocab)
            elif kind == "bare" and not v[marker.end:z].strip():
                out.append(Block((orig[a:z].strip(),), b.line))   # a 序号 cell alone: the next marker follows
            elif kind in ("task", "bare") and table is not None and _SPACED.search(v, marker.end, z):
                out += _table_text(orig[a:z], v[a:z], b.line)
            elif kind in ("task", "bare") and table is not None:
                o, w = orig[a:z], v[a:z]
                if spaced_cells:   # as joined with nothing, which the row's cells are read from
                    o, w = _unspaced(o, w, marker.end - a)
                rows = _row(o, w, marker.end - a, marker, table, b.line, vocab)
                units_at = [k for k, c in enumerate(table) if c and c.kind == "units"]
                unsplit += bool(units_at) and not any(rows[0].cells[k] for k in units_at)
                out += rows
            elif kind in ("part", "section") and table is not None:
                out += _heading_row(orig[a:z], v[a:z], marker.end - a, table, b.line, vocab)
            elif kind == "repeat":
                if marker.end < z:
                    out += _paragraphs(orig[marker.end:z], v[marker.end:z], b.line, full)
            elif kind == "annex" and v[marker.end:marker.end + 2].strip()[:1] not in ("《", ""):
                # 附件1:26个…分工表: the annex's own line, then its title (附件1:《…》 in a list of annexes is one line)
                out.append(Block((orig[a:marker.end].strip(),), b.line))
                out += _paragraphs(orig[marker.end:z], v[marker.end:z], b.line, full)
            elif kind == "link":
                table = None
                out += _paragraphs(orig[a:z], v[a:z], b.line, full)
            elif kind == "gap":
                out.append(Block(("[GAP]",), b.line))
                if marker.end < z:
                    out += _paragraphs(orig[marker.end:z], v[marker.end:z], b.line, full)
            elif kind in ("part", "section", "task") and z < len(v) and (k := trailing_units(v[a:z])) is not None:
                # …动态更新。司法所2.规范…: the item's unit cell, glued between its last sentence and the
                # next item, is a unit line of its own as the lined page prints it
                out += _paragraphs(orig[a:a + k], v[a:a + k], b.line, full) + [Block((orig[a + k:z].strip(),), b.line)]
            else:
                out += _paragraphs(orig[a:z], v[a:z], b.line, full)
    if joined_at is not None:
        _relocate(out, *joined_at)
    if warnings is not None and seq.skipped:
        warnings.append("numbering skips task " + ", ".join(map(str, seq.skipped)) + " (as printed in the source)")
    if warnings is not None and unsplit:
        warnings.append(f"{unsplit} rows whose unit cells were not found in the flattened text "
                        "(merged with the row above, or glued to the text)")
    return out


def _sub_header(cells: tuple[str, ...]) -> tuple[str, ...]:
    """A header of two rows flattened into one, the second naming the parts of the first's units column
    (序号 工作任务 责任单位 完成时限 | 牵头单位 配合单位): the parts in that column's place.

    >>> _sub_header(("序号", "工作任务", "责任单位", "完成时限", "牵头单位", "配合单位"))
    ('序号', '工作任务', '牵头单位', '配合单位', '完成时限')
    """
    cols = [column_meaning(c) for c in cells]
    k = len(cells)
    while k > 0 and cols[k - 1] is not None and cols[k - 1].kind == "units" and cols[k - 1].role:
        k -= 1
    generic = [i for i in range(k) if cols[i] is not None and cols[i].kind == "units" and cols[i].role is None]
    if len(cells) - k >= 2 and len(generic) == 1 and any(
            c is None or c.kind != "units" for c in cols[generic[0] + 1:k]):
        g = generic[0]
        return cells[:g] + cells[k:] + cells[g + 1:k]
    return cells


def _with_bare_numbers(v: str, cuts: list[_Marker], seq: _Seq) -> list[_Marker]:
    """In a table numbered by a bare 序号 column (1 做好… 2 扎实…), the bare numbers that continue
    the sequence cut rows too, where no dotted task marker does."""
    header_end = max((m.end for m in cuts if m.kind == "header"), default=0)
    if any(m.kind == "task" for m in cuts) and not _bare_first_row(v, cuts, header_end):
        return cuts
    if header_end:
        seq.task, seq.heading_since_task = 0, True   # (the 1、2、 read inside its first rows were a cell's list)
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


def _bare_first_row(v: str, cuts: list[_Marker], header_end: int) -> bool:
    """Whether the table under this header numbers its rows by a bare 序号 cell: its first row opens
    with a bare 1 (序号…公开主体1组织机构…). Its rows are then cut at the bare numbers; a 1、2、 after
    them is a list inside a cell (1、要公开…;2、要公开…), as the lined table prints it.

    >>> _bare_first_row("序号公开事项公开主体1组织机构1、要公开职责;2、要公开地址。政工室2政策文件", [_Marker("header", 0, 10)], 10)
    True
    >>> _bare_first_row("序号工作任务责任单位1.做好公开。办公室", [_Marker("header", 0, 10)], 10)
    False
    """
    if not header_end or not any(m.kind == "header" for m in cuts):
        return False
    first = _BARE.match(v, header_end + len(v[header_end:]) - len(v[header_end:].lstrip()))
    return bool(first and first.group(1) == "1")


_PARA_SPLIT = re.compile(r"(?<=[。;:!?)”])\s+|\s{2,}|(?<=[\u4e00-\u9fff》])\s+(?=[\u4e00-\u9fff(“《])|\s*\t\s*"
                         r"|\s+(?=\d{4}年\d{1,2}月\d{1,2}日)|(?<=\d日)\s+")   # a signature's date is a line of its own


# 通  知: a red header's title spaces its last word; the spaces are no break between paragraphs
_SPACED_TONGZHI = re.compile(r"通\s+知")
# A heading's number and the space that follows it ((一) 做好…): its spacing, no line of its own
_MARKER_ONLY = re.compile(rf"\s*(?:\([{CN}]{{1,3}}\)|[{CN}]{{1,3}}、|\d{{1,3}}[.、])")
_BREAK_AFTER = set("。;:!?)”")
_SENTENCE_END = set("。;:!?")


def _paragraphs(orig: str, v: str, line: int, full: float | None = None) -> list[Block]:
    """Paragraphs of running text joined by spaces: cut at the spaces (a CJK text has none inside
    a paragraph, a crawler puts one between two); joined with nothing, where the text itself shows
    a paragraph ends (:func:`loaders.glued_breaks.glued_breaks`)."""
    out = []
    pos = line_start = 0
    cuts = sorted([(m.start(), m.end()) for m in _PARA_SPLIT.finditer(v) if not _SPACED_TONGZHI.match(v, m.start() - 1)
                   and not SPACED_LABEL.match(v, m.start() - 1)]
                  + [(k, k) for k in glued_breaks(v)])
    full = full or printed_width(orig)   # (a PDF's lines: one that runs the full width goes on in the next)
    wraps = []   # the spaces read as no break that a reader does not see (河南省人 民政府)
    for a, z in cuts:
        if a >= pos and z - a >= 2 and _DUTY_AFTER.match(v, z) and is_unit_name(v[pos:a].strip()) \
                and 2 <= len(v[pos:a].strip()) <= 12:
            continue   # 法规处  负责…: a 分工 entry's unit, a wide space before its duties, opens that entry
        printed, line_start = orig[line_start:a], z if a < z else line_start
        if a < pos or (0 < a < z and not label_at(v, z) and (v[a - 1] not in _BREAK_AFTER and wraps_sentence(v[max(pos, a - 300):a])
                                      or v[a - 1] not in _SENTENCE_END and fills_the_line(printed, full)
                                      or splits_a_word(v, a, z) or _MARKER_ONLY.fullmatch(v, pos, a))):
            wraps += [(a, z)] if a >= pos and closes_up(v, a, z, full is not None) else []
            continue   # (…主要负责人要亲自过 问、定期…, …工作的决策部 署,切实…: a wrapped line inside a sentence)
        s = unwrapped(orig, pos, a, wraps)
        if s:
            out.append(Block((s,), line))
        pos = z
    s = unwrapped(orig, pos, len(orig), wraps)
    if s:
        out.append(Block((s,), line))
    return out


# What a 分工 entry says its unit does, after the unit's name (负责…, 组织、协调…, 牵头…)
_DUTY_AFTER = re.compile(r"负责|组织|牵头|承担|统筹|协调|指导|参与|配合|会同")
_SPACED = re.compile(r"\S(?:[ \t\u3000\xa0]{2,}|\t)\S")
_CELL_GAP = re.compile(r"[ \t\u3000\xa0]{2,}|\t")
# One space between two words of Chinese text: a cell ends there. Chinese prose has no space inside a
# sentence; a page whose table printed one cell a line, flattened, joins its cells so (…目录。 办公室 年底前 深化…).
_WORD_GAP = re.compile(r"(?<=[\u4e00-\u9fff。;)”》\d]) (?=[\u4e00-\u9fff(“《])")


def _unspaced(orig: str, v: str, start: int) -> tuple[str, str]:
    """``orig`` and its view without the one spaces between words after ``start``: a table's cells as
    joined with nothing, where they had been joined with a space (see _WORD_GAP)."""
    keep = [k for k in range(len(v)) if not (k > start and _WORD_GAP.match(v, k))]
    return "".join(orig[k] for k in keep).rstrip(), "".join(v[k] for k in keep).rstrip()


def _table_text(orig: str, v: str, line: int) -> list[Block]:
    """Table text whose cells a wide space still separates (1  对行政…  办公室  年底前): one cell a
    line, as a table printed one cell per line reads; else paragraphs."""
    if not _SPACED.search(v):
        return _paragraphs(orig, v, line)
    out, pos = [], 0
    for m in [*_CELL_GAP.finditer(v), None]:
        end = m.start() if m else len(v)
        d = DEADLINE_HEAD.match(v, pos, end)
        if d and v[d.end():d.end() + 1] == " " and v[d.end() + 1:end].strip():
            # 长期坚持 各部门…: a row's last cell, then the next row's first, one space between them (the
            # rows' line break lost)
            out.append(Block((orig[pos:d.end()].strip(),), line, row=True))
            pos = d.end() + 1
        cell = orig[pos:end].strip()
        if cell:
            out.append(Block((cell,), line, row=True))
        pos = m.end() if m else len(v)
    return out


def _after_header(orig: str, v: str, a: int, z: int, table: list, line: int, vocab) -> list[Block]:
    """The text after a table's header up to the next marker: cells a wide space sets apart, rows
    of a table with no number column glued one after another, or paragraphs."""
    if _SPACED.search(v, a, z):
        return _table_text(orig[a:z], v[a:z], line)
    out, pos = [], a
    for start, _, _, end in unnumbered_rows(v, a, z, table, vocab):
        out += _row(orig[start:end], v[start:end], 0, _Marker("row", start, start), table, line, vocab)
        pos = end
    return out + _paragraphs(orig[pos:z], v[pos:z], line)


def _heading_row(orig: str, v: str, body: int, table: list, line: int, vocab=frozenset()) -> list[Block]:
    """A heading inside a table (a merged 工作任务 cell, a colspan row): its own line; any unit cell
    printed after it belongs to the heading's row."""
    # 工作任务 | 牵头科室 | 责任科室 | 工作要求 joined with nothing: the heading is the group's cell (the header's
    # 工作任务 spans it and the task column), the rows under it follow its title. (Its end is asked of the
    # title's words too: a row's full stop close behind fails the heading's own test.)
    k = heading_end(v, body)
    if k is None:
        k = next((j for j in range(body + 4, min(len(v), body + HEADING_MAX + 1)) if title_ends_at(v, body, j)), None)
    rows = mid_unit_rows(orig[k:], v[k:], table, vocab) if k is not None else []
    # (else the first place a row's title opens with its verb (…社会关切|聚焦…, …政务服务|在网站…) and a row follows)
    for j in (j for j in range(body + 4, min(len(v), body + HEADING_MAX + 1)) if not rows and row_title_opens(v, body, j)):
        if rows := mid_unit_rows(orig[j:], v[j:], table, vocab):
            k = j
            break
    if rows:
        rest = orig[k:]
        return _paragraphs(orig[:k], v[:k], line) + [b for a, z in rows for b in _glued_row(rest[a:z], line, table, vocab)]
    text, units, tail, next_title = split_cells(orig, v, body, table, vocab)
    text = text.replace("\x00", " ")
    # As the lined page prints it: the heading, its prose, then its unit cell as a paragraph.
    out = _paragraphs(text, _view(text), line)
    out += [Block((u,), line) for u in units if u.strip()]
    if tail.strip():
        out += _paragraphs(tail, _view(tail), line)
    return out + _title_line(next_title, line)


def _glued_row(orig: str, line: int, table: list, vocab) -> list[Block]:
    """One row cut by :func:`mid_unit_rows`: a grid row, or the words of a row the page's end cut."""
    v = _view(orig)
    if not split_cells(orig, v, 0, table, vocab).units:
        return _paragraphs(orig, v, line)
    return _row(orig, v, 0, _Marker("row", 0, 0), table, line, vocab)


def _title_line(title: str, line: int) -> list[Block]:
    """The next row's title, printed after a row's units: a line of its own, as before the first row."""
    return [Block((title,), line)] if title else []


def _row(orig: str, v: str, body_at: int, marker: _Marker, table: list, line: int, vocab=frozenset()) -> list[Block]:
    """A flattened row as a grid row, each piece in the column the header gives it (and the next
    row's title, when it follows the units)."""
    text, units, tail, next_title = split_cells(orig, v, body_at, table, vocab)
    spaced = text.endswith((" ", "\u3000"))   # a space before the units: the crawler's mark of an empty first cell
    if marker.kind == "bare":
        text = f"{marker.number}." + text[body_at:].lstrip()
    before, after = _text_halves(text, table)
    measures = row_measures(before, table, _view) if not after else []
    if measures:
        # The row's first measure; each later one a row of its own, as the lined table prints it.
        first_text, first_units, first_deadline = measures[0]
        rows = _row(f"{first_text}{first_units}{first_deadline}", _view(f"{first_text}{first_units}{first_deadline}"),
                    len(f"{marker.number}.") if marker.kind == "bare" else body_at, marker, table, line, vocab)
        more = [(t, u, d) for t, u, d in measures[1:]]
        last_text = more.pop()[0] if more else ""
        out = rows[:1]
        for t, u, d in more:
            out.append(Block(tuple(c for c in (t, u, d) if c), line, row=True))
        out.append(Block(tuple(c for c in (last_text, *units, tail.strip()) if c), line, row=True))
        return out + _title_line(next_title, line)
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
    at = unit_at[len(unit_at) - len(units):]
    if (len(units) == 1 < len(unit_at) and table[unit_at[0]].role == "lead" and not spaced
            and not _COLLECTIVE_CELL.search(units[0])):
        # One named body under 牵头单位 | 配合单位: the lead (a task has one; its 配合单位 cell is the
        # one left empty). A collective (区直各部门) is the second column's, as before.
        at = unit_at[:1]
    for i, cell in zip(at, units):
        cells[i] = cell
    if tail.strip():
        rest = [i for i, k in enumerate(kinds) if k in ("deadline", "remarks", "status") and i > first]
        if DEADLINE_HEAD.match(_view(tail.strip())):   # (not a 责任人 column's: its name and phone are cut)
            # (the deadline column, after the units or before them: 任务内容 | 完成时限 | 责任单位)
            rest = [i for i in rest if kinds[i] == "deadline"] + rest or [i for i, k in enumerate(kinds) if k == "deadline"]
        if rest:
            cells[rest[0]] = tail.strip()
        elif lead_text:
            cells[lead_text[0]] = (cells[lead_text[0]] + " " + tail.strip()).strip()
    # No unit cell found: in flattened text an empty cell and a merged one look the same, and a
    # merged one is what plans print (the cell above applies).
    return [Block(tuple(cells), line, row=True, merged=tuple(i for i in unit_at if not cells[i])),
            *_title_line(next_title, line)]


_COLLECTIVE_CELL = re.compile(r"各|有关|相关|所属|直属|以上|以下")


def _text_halves(text: str, table: list) -> tuple[str, str]:
    """split_cells joins a title and the requirement after the units with "\x00"."""
    if "\x00" in text:
        a, b = text.split("\x00", 1)
        return a.strip(), b.strip()
    return text.strip(), ""
