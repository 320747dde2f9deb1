"""Cells of one flattened table row: where the task text ends and the unit cells begin.

A crawler joins a row's cells with nothing (…做好预算公开。区财政局各镇政府), so the cells are found again
from the unit names themselves: a run of names where the header puts the unit columns, a name being what
starts like a unit (省直, 区, 各 …) or one the document sets off elsewhere, and ends like one (局, 处 …).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from core.roles import role_words_pattern

from .catalogue_cells import catalogue_units
from .places import is_place
from .units import PERSON, UNIT_SUFFIX, is_unit_name

__all__ = ["split_cells", "doc_vocabulary", "RowCells", "unit_line_end", "unnumbered_rows", "unit_name_end",
           "DEADLINE_HEAD", "trailing_units", "mid_unit_rows"]

_TERMINAL = "。;!?"

_START = re.compile(r"(?:省直|市直|区直|县直|省(?!级|份|内|外)|市(?!场|级|民(?!政|族|宗))|区(?!域|别|分|级|块)|县(?!级|域)|"
                    r"镇(?!街)|乡(?!村)|各(?!级|类|项|地区|地|方面)|中央|国家)")
_SEP = set("、,，;； /")
_DEADLINE = (r"(?:已完成|已落实|已公开|已发布|正在推进|推进中|未完成|(?:长期|持续|全年|按年度|按季度|每季度|常态化|序时)(?:推进|坚持|开展)?"
             r"|(?:\d{4}年)?(?:第)?[一二三四]季度(?:末|底)?(?:前|之前)?"   # 三季度前
             r"|(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?|年底|年内|年中|上半年|下半年)"
             r"(?:底|中旬|上旬|下旬)?(?:前|以前|完成|底前)?|年底前|及时(?:更新|公开)?)")
_DEADLINE_HEAD = DEADLINE_HEAD = re.compile(_DEADLINE)
_STATUS_START = re.compile("(" + _DEADLINE + r")\s?(已落实|已完成|已公开|持续推进|正在推进|推进中|未完成|部分完成)")   # a deadline cell's opening (public: the reflow)
_ROLE_THEN_STATUS = re.compile(r"(负责落实|牵头|配合|负责)\s?(" + _DEADLINE + ")")   # a unit cell's role word, then the status cell
_DEADLINE_TAIL = re.compile(
    _DEADLINE + r"(?:[,、,]?(?:\d{4}年)?\d{1,2}月[^。]{0,30})?$"
    # dates with what happens on them: 2021年2月公布预算信息,2021年8月公布上年度决算信息
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:前|底)?[^。,，\d]{1,12}(?:[,，、]\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:前|底)?[^。,，\d]{1,14})*$"
)


class RowCells(NamedTuple):
    """One flattened row cut into its cells."""
    text: str            # the task text (title and requirement joined by "\x00" when the units sit between)
    units: list[str]     # the unit cells, in the header's order
    tail: str            # what follows the units in the row (a deadline, a remark)
    next_title: str = ""  # the next row's title, printed after this row's units


def split_cells(orig: str, v: str, start: int, table: list, vocab: frozenset | set = frozenset()) -> RowCells:
    """The cells of one flattened row.

    The units are found where the header puts them: a row whose header prints the unit columns last
    ends with them (before a deadline cell); one that prints a requirement after them (工作任务 |
    牵头单位 | 责任单位 | 工作要求) holds them between the task's title and its requirement. Where a
    title column comes before the numbered requirement (工作任务 | 具体要求 | 落实单位), the next row's
    title follows the units: the units end where it begins."""
    unit_cols = [c for c in table if c and c.kind == "units"]
    if not unit_cols:
        return RowCells(orig, [], "")
    kinds = [c.kind if c else "text" for c in table]
    last_units = max(i for i, k in enumerate(kinds) if k == "units")
    before_units = kinds[:kinds.index("units")]
    titled = "task" in before_units and "requirement" in before_units
    text_after = any(k in ("requirement", "task") for k in kinds[last_units + 1:])
    deadline_after = any(k in ("deadline", "status", "remarks") for k in kinds[last_units + 1:])
    body_v = v[start:]
    end = len(v)
    tail = ""
    run = None
    status = None
    if "status" in kinds[last_units + 1:] and not text_after:
        # A 落实情况 cell after the deadline tells what was done, in sentences of its own (…疾控科|长期坚持|
        # 已落实。全年发布…): the row's cells end where it begins.
        status = _STATUS_START.search(v, start)
        if status is None and "deadline" not in kinds:
            # (no deadline column: the 落实情况 cell opens right after the unit cell's role word, 各乡镇
            # 街道负责落实|序时推进。 / …负责落实|已发布…规程。)
            status = _ROLE_THEN_STATUS.search(v, start)
        if status is not None:
            body_v = v[start:status.start(2)]
    if (cat := catalogue_units(v, start, end, kinds)) is not None:
        # (a catalogue's 公开主体 cell, between its deadline and its channel cells)
        run, end, tail = (*cat, [cat]), end if "units" == kinds[-1] else cat[1], "" if "units" == kinds[-1] else orig[cat[1]:]
    elif deadline_after and not text_after:
        m = _DEADLINE_TAIL.search(body_v)
        if status is not None and not (m and m.start() > 0) and status.start(2) > start:
            end, tail = status.start(2), orig[status.start(2):]
        elif m and m.start() > 0:
            end = start + m.start()
            tail = orig[end:]
        elif titled:
            # Joined with nothing, the next row's title follows the deadline: …目录。办公室|年底前|深化政策解读形式
            run = _dated_run(v, start, end)
            if run is not None:
                end, tail = run[3], orig[run[1]:run[3]]
                run = run[:3]
    contact = _CONTACT_END.search(v, start, end) if not text_after else None
    if contact is None and not text_after and "remarks" in kinds[last_units + 1:last_units + 2]:
        # (责任科室 | 责任人, or one column 责任科室、责任人: the person's name glued after the units, no phone)
        contact = _PERSON_END.search(v, start, end)
    if contact is not None:
        end = contact.start()   # 财务股|王明|0710-1234567|2023年6月底前: who answers, by name, no unit
    run = run or _find_run(v, start, end, at_end=not text_after, vocab=vocab, titled=titled)
    if run is None:
        return RowCells(orig[:end], [], tail)
    a, z, segments = run
    if text_after and len(unit_cols) >= 2 and unit_cols[0].role == "lead" and len(segments) < len(unit_cols):
        a = _glued_lead(v, start, a, segments)
    text_end = a
    if "deadline" in before_units and not tail:
        text_end, a, span = _deadline_before_units(v, start, a, segments)
        tail = orig[span[0]:span[1]].strip() if span else ""
    next_title = "" if text_after else orig[z:end].strip(" 。.,，;；")
    d = _DEADLINE_HEAD.match(v, z, end) if deadline_after and not tail and next_title else None
    if d and d.end() > z and _title_at(v, d.end(), end):
        tail, next_title = orig[z:d.end()], orig[d.end():end].strip()   # …各科室|持续推进|做好主动公开基础工作
    if text_after:
        title = orig[:a]
        req = orig[z:end]
        text = title.rstrip() + "\x00" + req.strip()
    else:
        text = orig[:text_end]
    cells = [orig[s:e].strip(" ,，、") for s, e in segments]
    n_cols = len(unit_cols)
    if n_cols >= 2 and len(cells) > n_cols:
        # The lead cell prints its units glued (省工商局省审改办); the last segment is the last column.
        # Collectives lead nothing: 区直有关单位各区属事业单位各区属国企 is one cell of three lines.
        first = cells[:-(n_cols - 1)]
        if all(_ALL_COLLECTIVE.match(c) for c in first):
            cells = ["", _join_units(cells)] if n_cols == 2 else cells
        else:
            cells = [_join_units(first), *cells[-(n_cols - 1):]]
    elif n_cols == 1 and len(cells) > 1:
        cells = [_join_units(cells)]
    if len(cells) < n_cols and n_cols >= 2 and a > start and v[a - 1] == " ":
        # A space before the units: the crawler's mark of an empty first unit cell.
        cells = cells
    return RowCells(text, cells, tail, next_title)


def mid_unit_rows(orig: str, v: str, table: list, vocab: frozenset | set = frozenset()) -> list[tuple[int, int]]:
    """Rows glued one to the next in a table that prints its requirement after its unit columns and has
    no number column (工作任务 | 牵头科室 | 责任科室 | 工作要求, joined with nothing): (start, end) of each.
    A row is its title, its units, then its requirement up to the sentence end after which the next
    row's title and units follow; after the last row's sentence, text with no unit cell (the next row,
    cut by the page's end) is a piece of its own. [] unless the header is so and a row's title (no full
    stop) and units open the text."""
    kinds = [c.kind if c else "text" for c in table]
    if "units" not in kinds or "number" in kinds or not any(
            k in ("task", "requirement") for k in kinds[max(i for i, k in enumerate(kinds) if k == "units"):]):
        return []
    if not _row_opens(orig, v, 0, table, vocab):
        return []
    rows, pos = [], 0
    while pos < len(v):
        cells = split_cells(orig[pos:], v[pos:], 0, table, vocab)
        if not cells.units or "\x00" not in cells.text:
            break
        title, req = cells.text.split("\x00", 1)
        at = pos + len(orig[pos:].rstrip()) - len(req)   # where the requirement begins
        ends = [m.end() for m in re.finditer(r"[。;!?]", v[at:])]
        cut = next((at + e for e in ends if at + e < len(v) and _row_opens(orig, v, at + e, table, vocab)), None)
        if cut is None:
            cut = at + ends[-1] if ends else len(v)
        rows.append((pos, cut))
        pos = cut
    if rows and pos < len(v) and v[pos:].strip():
        rows.append((pos, len(v)))
    return rows


def _row_opens(orig: str, v: str, at: int, table: list, vocab) -> bool:
    """Whether a row's title (no sentence end) and its unit cells follow at ``at``."""
    cells = split_cells(orig[at:], v[at:], 0, table, vocab)
    title = cells.text.split("\x00", 1)[0]
    return bool(cells.units) and 4 <= len(title.strip()) <= 80 and not re.search(r"[。;!?]", title)


_ROLE_END = re.compile("(?:" + role_words_pattern() + ")$")
_ROLE_ANY = re.compile(role_words_pattern())   # (no role word at all: no unit line, without a scan of names)
_DEADLINE_CELL_END = re.compile(rf"(?<=[。;!? ])\s*({_DEADLINE})\s*$")


def _deadline_before_units(v: str, start: int, a: int, segments: list) -> tuple[int, int, tuple[int, int] | None]:
    """A header that puts the deadline column before the units (任务内容 | 完成时限 | 责任单位): the
    deadline cell sits between the row's last sentence and its units, glued to either (…成果。全年|区发改局,
    …环境。|三季度前区发改局). (text end, units start, the deadline's span or None); ``segments`` loses
    the deadline too."""
    d = _DEADLINE_HEAD.match(v, a)
    if d and d.end() > a and _name_at(v, d.end(), segments[0][1], True) is not None:
        segments[0] = (d.end(), segments[0][1])
        return a, d.end(), (a, d.end())
    m = _DEADLINE_CELL_END.search(v, start, a)
    if m:
        return m.start(1), a, (m.start(1), a)
    return a, a, None


def _join_units(lines: list[str]) -> str:
    """A unit cell's lines as one cell: a line that ends with its own role word (…按职责分工分别落实 /
    各镇(街区)分别落实) closes its clause, so the next line is a clause of its own, not one more name."""
    out = ""
    for i, line in enumerate(lines):
        out += ("" if i == 0 else ";" if _ROLE_END.search(lines[i - 1]) else "、") + line
    return out


# A person's name and telephone number printed after a row's units (责任人 | 联系电话 columns), glued.
_CONTACT_END = re.compile(r"(?<=[股室局科办队所心站院委处])(?:(?![股室局科办队所心站院委处])[\u4e00-\u9fff]){2,4}\s?"
                          r"(?:[(（]?0\d{2,3}[)）]?-?\d{7,8}|1[3-9]\d{9})\s*$")


_PERSON_END = re.compile(r"(?<=[股室局科办队所心站院委处])、?" + PERSON.pattern + r"\s*$")


def unit_line_end(v: str, i: int, end: int) -> int | None:
    """End of a line of units with their role word starting at ``i`` (市发改委牵头落实; 市财政局牵头落实,
    市统计局配合), where a page printed it as a line of its own after a paragraph; None when the units
    are the subject of a sentence that goes on (市发改委要…, 市财政局牵头,做好…)."""
    if not "\u4e00" <= v[i:i + 1] <= "\u9fff":
        return None   # (省政务局牵头,…): a note inside the paragraph, read with it
    if not _ROLE_ANY.search(v, i, end):
        return None
    got = _scan(v, i, end)
    if got is None:
        return None
    z = got[0]
    if not _ROLE_END.search(v, i, z):
        return None
    if z < end and v[z] in "。.":
        return z + 1
    # (…意图。市金融办牵头落实 加强…: a space after the role word is the line break the text was joined by,
    # whatever opens the next line; a comma after it goes on with the sentence)
    w = z + len(v[z:end]) - len(v[z:end].lstrip(" "))
    if z < w and (w == end or v[w] not in ",，、;；:："):
        return z
    if z < end and not _TITLE_VERB.match(v, z):
        return None   # 各单位实施|方案于…: a role word that is the sentence's verb
    return z


def trailing_units(v: str) -> int | None:
    """Where a unit cell glued after a numbered item's last sentence starts (…动态更新。|司法所, the next
    item's number after it): the names reach the item's end. None when anything else follows the
    sentence."""
    end = len(v.rstrip(" ,，;；"))
    i = max(v.rfind(c, 0, end) for c in "。;") + 1
    if i <= 0 or i >= end:
        return None
    got = _scan(v, i, end)
    return i if got is not None and got[0] >= end else None


def unit_name_end(v: str, i: int, end: int, loose: bool = False) -> int | None:
    """End of a unit's name that starts like one (区政务公开办, 各单位) at ``i``, or None; ``loose``:
    any name that ends like a unit (赤壁市政务公开领导小组办公室)."""
    if not loose and not (_START.match(v, i) or _known_at(v, i, ())):
        return None
    return _name_at(v, i, end, loose)


def unnumbered_rows(v: str, start: int, end: int, table: list, vocab: frozenset | set = frozenset()) -> list[tuple]:
    """Rows of a flattened table with no number column (任务 | 责任单位 | 时限), glued one to the next:
    (row start, units start, units end, row end) each. A row's text ends with a sentence, its unit
    cell follows, then its deadline when the header has one, and the next row's text begins there
    (…以政策解读的“透”引导市场预期的“稳”。|市政府各部门,各县(市、区)政府|持续推进|围绕深入实施…).
    Empty when the rows cannot be told apart so."""
    kinds = [c.kind if c else "text" for c in table]
    if "units" not in kinds:
        return []
    after = kinds[max(i for i, k in enumerate(kinds) if k == "units") + 1:]
    if any(k not in ("deadline", "status", "remarks") for k in after):
        return []
    dated = "deadline" in after
    rows, pos = [], start
    while pos < end:
        for i in range(pos + 8, end):
            if v[i - 1] not in _TERMINAL:
                continue
            got = _scan(v, i, end)
            if got is None:
                continue
            z = got[0]
            if z < end and v[z] == "等":
                z += 1   # 财政所、国土所等: the cell's own end
            gap = z + (z < end and v[z] == " ")   # (各业务科室 2021年12月底前: one space kept before a date)
            d = _DEADLINE_HEAD.match(v, gap, end) if dated else None
            row_end = d.end() if d and d.end() > z else z
            if row_end < end and (dated and row_end == z or not (_TITLE_VERB.match(v, row_end) or _NEXT_TITLE.match(v, row_end))
                                  and not (dated and row_end > z)):
                continue   # the units must end the row: a deadline or the next row's title follows
            rows.append((pos, i, z, row_end))
            pos = row_end
            break
        else:
            break
    return _split_at_known_cells(v, rows) if rows and not dated else rows


def _split_at_known_cells(v: str, rows: list[tuple]) -> list[tuple]:
    """Rows whose requirement ends with no full stop (…办理结果等信息发布|综合科|财政资金…), glued to the
    next: a unit cell the table prints at another row's end, found again inside a row where a row's
    title follows it, ends a row there too."""
    known = {v[a:z].strip() for _, a, z, _ in rows if 2 <= len(v[a:z].strip()) <= 12}
    out = []
    for start, a, z, end in rows:
        pos = start
        while True:
            cut = min(((p, p + len(k)) for k in known for p in _occurrences(v, k, pos + 8, a)
                       if _NEXT_TITLE.match(v, p + len(k)) and a - (p + len(k)) >= 8
                       and v[p - 1] not in _SEP and v[p - 1] not in _STRONG_END),   # (局|综合科: the bureau's own)
                      default=None)
            if cut is None:
                break
            out.append((pos, cut[0], cut[1], cut[1]))
            pos = cut[1]
        out.append((pos, a, z, end))
    return out


def _occurrences(v: str, word: str, start: int, end: int) -> list[int]:
    out, at = [], v.find(word, start, end)
    while at >= 0:
        out.append(at)
        at = v.find(word, at + 1, end)
    return out


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    text = (Path(__file__).with_name("unit_names.txt")).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _known_at(v: str, i: int, vocab: frozenset | set) -> bool:
    """Whether a known unit name (the generic list, or one this document sets off elsewhere) starts at ``i``."""
    for n in range(2, 9):
        w = v[i:i + n]
        if w in vocab or w in _names() or is_place(w):
            return True   # (a place's name opens a unit's: 领域|咸宁市生态环境局赤壁市分局)
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
    # The places the document names where a boundary sets them off (发布机构:赤壁市…), found again
    # where a flattened cell glues them to the text before (…重大建设项目领域|赤壁市发改局).
    seen = [m.group(1) for m in _PLACE_SET_OFF.finditer(v)]
    out.update(p for p in set(seen) if p[0] not in _NO_PLACE and v.count(p) >= 3)
    return out


_PLACE_SET_OFF = re.compile(r"(?:^|(?<=[\s:;,。、《“(]))([\u4e00-\u9fff]{2}[市县区])")
_NO_PLACE = set("各全本该我省市区县在对和与及由为将把从向")


_ALL_COLLECTIVE = re.compile(r"^(?:(?:各|[省市区县]直|[省市区县]属)[^、,，;]*(?:[、,，;]|$))+$")


def _find_run(v: str, start: int, end: int, at_end: bool, vocab: frozenset | set = frozenset(),
              titled: bool = False) -> tuple[int, int, list] | None:
    """A run of unit names between ``start`` and ``end``: (run start, run end, segments), a segment
    being names joined by separators; two segments meet where one name is glued to the next.

    With the units printed last, the run must reach the row's end and starts at the earliest place
    that gives one; with a requirement after them, the first run after the title is the units.
    ``titled``: the next row's title may follow the units (a run after a whole sentence that gives
    way to a verb phrase reaching the row's end: …法定工作职责。各镇街(园区)|建立健全…制度)."""
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
                if at_end and titled and z < stop and before in _TERMINAL and _title_at(v, z, stop):
                    return i, z, segs
                # A few characters the page cut (各区属国有企企) may follow the last cell.
                cut_short = 0 < stop - z <= 8 and before in " 。" and not any(c in _TERMINAL for c in v[z:stop])
                if cut_short:
                    segs[-1] = (segs[-1][0], stop)   # the cut name stays in its cell, as the page prints it
                    return i, stop, segs
                if not at_end or z >= stop:
                    return (_glued_item(v, start, i - 1, segs) if before == "、" else i), z, segs
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


# The last word of a task's title (…权力清单和责任清单|法规科): where a lead cell glued to it begins.
_TITLE_END = re.compile(r"(?:工作|信息|公开|建设|管理|情况|机制|制度|服务|力度|政策|规范|发布|宣传|清单|目录|事项|平台|专栏)$")


def _glued_lead(v: str, start: int, a: int, segments: list) -> int:
    """Where the units really start when the header puts a lead column (牵头科室) before another unit
    column in the middle of the row and only that other column's cell was found (…责任清单法规和司法鉴定科|
    各科室|及时更新…): the lead's name is glued to the title, ending with a unit's last character right
    where the found cell begins, starting where the title's last word ends. ``segments`` takes it in."""
    if a < 1 or v[a - 1] not in _STRONG_END:
        return a
    for k in range(a - 3, max(start + 4, a - 12) - 1, -1):
        if _TITLE_END.search(v, max(start, k - 4), k) and _name_at(v, k, a, True) == a:
            segments.insert(0, (k, a))
            return k
    return a


def _dated_run(v: str, start: int, end: int) -> tuple[int, int, list, int] | None:
    """Units after the row's last sentence, then a deadline, then the next row's title reaching
    ``end``: (units start, units end, segments, deadline end), or None."""
    last = max(v.rfind(c, start, end) for c in _TERMINAL)
    # after the sentence, or a known name glued to a text with no full stop (…推动工作落实|办公室)
    for i in [last + 1] * (last >= start) + [k for k in range(end - 4, start + 8, -1) if _known_at(v, k, ())]:
        got = _scan(v, i, end)
        if got is None:
            continue
        z, segs = got
        d = _DEADLINE_HEAD.match(v, z, end)
        if d is not None and z < d.end() < end and _TITLE_BODY.fullmatch(v, d.end(), end):
            return i, z, segs, d.end()
    return None


def _glued_item(v: str, start: int, sep: int, segs: list) -> int:
    """Where a list of units found after the separator at ``sep`` really starts: its first item may be
    glued to the prose before it (…发布权威信息应急处、监督处…), a name reaching the separator just
    after a word of prose ends. ``segs`` takes the item in; the start of the run is returned."""
    if v[sep - 1] not in _STRONG_END:
        return sep + 1
    for k in range(sep - 2, max(start + 1, sep - 10) - 1, -1):
        if _PROSE_END.search(v, max(start, k - 4), k) and _name_at(v, k, sep, True) == sep:
            segs[0] = (k, segs[0][1])
            return k
    return sep + 1


_TITLE_VERB = re.compile(r"建立|健全|做好|推进|推动|加强|完善|明确|深化|优化|强化|规范|提升|提高|落实|抓好|扎实|"
                         r"积极|全面|持续|加大|加快|围绕|聚焦|创新|严格|主动|开展|组织|坚持|用好|办好|发挥|保障|"
                         r"拓展|丰富|实施|探索|统筹")
# A next row's title that is a noun (回应关切, 财政资金, 制度建设) after units that end a sentence's row: any
# text but what makes the units the subject of a sentence of the same cell (局综合科要…, 办公室负责…).
_NEXT_TITLE = re.compile(r"(?!要|应|须|负责|牵头|配合|会同|协助|将|结合|按照|根据|对|在|及时|每|于|等|和|及|的)[\u4e00-\u9fff]{2}")
_TITLE_BODY = re.compile(r"[^。;:!?,、()《》“”\s]{4,30}")


def _title_at(v: str, z: int, stop: int) -> bool:
    """Whether ``v[z:stop]`` reads as a row's title: a short verb phrase, no sentence."""
    return bool(_TITLE_VERB.match(v, z)) and bool(_TITLE_BODY.fullmatch(v, z, stop))


_LIST_PROSE = re.compile(r"公开|情况|报表|力度|推进|做好|及相关|等方面")
_PROSE_END = re.compile(r"(?:工作|信息|公开|建设|管理|情况|机制|制度|服务|力度|政策|规范|发布|宣传)$")


_NOT_IN_NAME = set("。;:!?《》的了是在对把将为并或但要须等由从向按于以该此每年月日号好,，、;； ")
_PAREN = re.compile(r"\([^()]{1,16}\)")
_SPACE_PAREN = re.compile(r" ?\(")
# What may follow a name inside one cell: its role, and the words that join two names.
_ROLE = "(?:" + role_words_pattern() + ")"
_DUTY = r"(?:按(?:照)?(?:各自)?职(?:责|能)(?:分工)?)"
_ROLE_TAIL = re.compile(rf"等(?:[省市区县](?=有关|相关))?(?:有关|相关)?(?:市直|区直|县直|省直)?(?:部门|单位|机构|处室|科室|股室)"
                        # (…就业指导中心等有关处室(单位);…: what 等 sums up, with its note)
                        rf"(?:[(（](?:单位|部门)[)）])?{_DUTY}?{_ROLE}?"
                        rf"|等{_DUTY}?{_ROLE}|{_DUTY}?{_ROLE}")
_ROLE_END = re.compile(rf"{_ROLE}$")
_JOIN = re.compile(r"会同|协调|牵头|(?<![社委员协管学商工总联])会(?!议)|和|及|与|等")   # 等: 市住建局等市政府各有关部门


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
            nxt = _name_at(v, q, end, True) if q < end and not _TITLE_VERB.match(v, q) else None
            if nxt is None:
                break   # (…党政办|健全本镇行政执法…: a verb opens the next row, no name)
            # Glued: another cell begins here, unless the next name belongs to this one (省政府各部门).
            # (各区政府|各处室 are two: a collective has no members of its own named after it.)
            # (市局各有关科室, 省厅各处室: a bureau's own sections, named after it, are one unit too)
            if not (v[pos - 2:pos] == "政府" and re.match(r"各|有关|直属|所属", v[q:q + 2])
                    and v[name_start] != "各") and not (v[pos - 1] in "局厅" and _OWN_SECTIONS.match(v, q)):
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
_OWN_SECTIONS = re.compile(r"各(?:有关|相关)?(?:业务)?(?:处室|科室|股室|处|科|股)(?![\u4e00-\u9fff]{0,2}[局委办厅])")


def _is_name(name: str, after: str) -> bool:
    """A unit's name: one ending like a unit (局, 股室 …), or a collective of places (各设区市, 各县)
    that the next character does not continue (各乡|镇, 各片|区管理局 are no names)."""
    if len(name) < 2 or not is_unit_name(name) or (name[-1] == "办" and after and after in "好理结"):
        return False
    if UNIT_SUFFIX.search(_PAREN.sub("", name)) and not (name.startswith("各") and len(name) <= 2):
        return True
    if _SCHOOLS.fullmatch(name):
        return True   # 各高校, 各高等学校: the schools a 教育厅 charges are units as its bureaus are
    return bool(_BARE_LEVEL.fullmatch(name)) and after not in "镇区县市街道乡"


_SCHOOLS = re.compile(r"(?:各|有关|相关)[\u4e00-\u9fff]{0,6}?(?:学校|高校|院校)")
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
        if v[j - 1] == "的" and best is None:
            return _qualified_name(v, i, j - 1, end, in_run)
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
            if strong and not is_strong and not (in_run and (j >= end or v[j] in _SEP)):
                # (in a list a name runs to its separator: 教科院、电教馆 holds no 教科 of its own)
                continue
            best, strong = j, strong or is_strong
            if strong and name[0] == "各" and v[j:j + 1] != "室" and v[j - 1:j + 2] != "办事处":
                break   # a collective ends at its collective noun: 各区政府|财审处 (各业务科室, 各街道办事处 are one)
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


_BOUNDARY = _SEP | set("。;:!?)")
_QUALIFIED_HEAD = re.compile(r"(?:单位|部门|机构|处室|科室|股室|政府|局|委|办)$")


def _qualified_name(v: str, i: int, k: int, end: int, in_run: bool) -> int | None:
    """End of a collective named with a qualifier (具有行政职能的市直各单位, 有关的各区政府), where
    ``v[k]`` is its 的; else None. It is one unit, named whole, when it stands where a unit may (a list
    or clause begins) and what follows 的 is itself a unit or a collective: a 的 before any other
    noun is prose (…公开的重点, 本单位的信息)."""
    if not (in_run or i == 0 or v[i - 1] in _BOUNDARY) or not 2 <= k - i <= 12:
        return None
    z = _name_at(v, k + 1, end, True)
    if z is None or not _QUALIFIED_HEAD.search(_PAREN.sub("", v[k + 1:z])):
        return None
    return z


_STRONG_END = set("局委办厅府会室股处科门位构心")
_VERB_IN_NAME = re.compile(r"应(?!急)|通过|确定|发布会|两级|三级|四级|制定|推进|加强|开展|建立|完善|做好|出台|构建|贯彻|推动|提高|提升|办好|抓好|确保|探索|深化|"
                           r"规范|强化|严格|按照|结合|围绕|对照|加快|积极|及时|全面|坚持|组织开展|认真|"
                           # (…提高活动效果,防止形式主义|法规科: a clause whose stop the cell lost)
                           r"防止|避免|杜绝")
