"""Blocks → sections and tasks.

One parser for every format: headings (一、 / (一) / 1. / (1) / ①), tables whatever their
flattening (pipe rows, one cell per line, paragraphs), responsible-unit cells (a row without one
inherits the cell above: a merged cell), narrative sections (one task per obligation sentence),
a cover notice's own points kept apart from the plan, and annex catalogs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .columns import Column, column_meaning, field_label, grid_columns
from .deadlines import parse_deadlines
from .headings import split_heading as _title_of
from .heading_units import give_heading_units
from .index_table import index_rows
from .shared_cells import group_cell, merged_lead, share_column_cells, share_unit_cell
from .cell_rows import absorb_loose, merged_number_row, group_column_rows, loose_row, numbered_rows_enough, unnumbered_row as _unnumbered_row
from .truncation import (TERMINAL as _TERMINAL, complete as _complete, cut_at_the_end, deadline_cell as _is_deadline_cell,
                         gap as _gap, last_cell as _last_cell)
from .cover import issuing_notice, titled_after_signature
from .narrative import narrative_tasks
from .qa import qa_line
from .signature import signature_lines
from .sub_heads import heads_next_item
from .normalize import PAGE_END, inside_brackets, normalize
from .numbering import classify
from .blocks import Block
from core.records import Assignment, Document, Section, Task
from .units import looks_like_units, parse_units, units_in_prose

__all__ = ["parse_structure"]

_ORIG_NUMBER = re.compile(r"^\s*(?:[\d０-９]{1,3}\s*(?:[.、．]|[)）](?!\d))|[(（][\d０-９]{1,2}[)）]|[①-⑳])\s*")
_NOTICE_MARK = re.compile(r"印发给你们|现印发|印发你们|现将.{0,60}印发|现转发|转发给你们")
_ADDRESSEES_LINE = re.compile(r"(?:^|的通知)各[^。:：]{0,120}[:：]")   # (its title before it, the breaks lost)
_PLAN_TITLE = re.compile(r"(工作要点|分工方案|实施方案|任务分工|分工表|任务清单|工作台账|台账|要点|工作安排|任务安排|工作方案|明细表)$")
_ANNEX = re.compile(r"^附件\s*(\d*)\s*[::]?\s*$")
_END = re.compile("^(?:" + PAGE_END + ")")   # where a web page's own text ends and its footer begins
_GAP = "[GAP]"
_STANDING = re.compile(r"以下.{0,12}?责任单位均(?:包含|包括|含|有)(.+?)[。;;]?$")
_BARE_NUMBER = re.compile(r"^(\d{1,3})[.、．]?$")   # a 序号 cell: 1, 1. or 1、
_BARE_NUMBERED = re.compile(r"^\d{1,3}\s+\S")     # a line that opens with one
_DEBRIS = re.compile(
    r"^(当前位置|首页|浏览次数|扫描二维码|分享|打印|【打印】|字体|放大字体|热词搜索|索引号|主题分类|发布机构|"
    r"名\s*称|文\s*号|有效性|发布日期|来源|无障碍|主题词|官方服务|回帖|积分|管理员|发表于|网站支持)"
)

# A page's information box printed as a numbered list (1. [索引号]…  7. [发文字号] 某办发〔2024〕1号): a field
# of the page, its label in brackets, is no task of the plan.
_PAGE_FIELD = re.compile(r"^[\[【]\s*(?:索引号|主题分类|发文机构|发布机构|联合发文单位|实施日期|成文日期|发文字号|文号|"
                         r"废止日期|发布日期|有效性|主题词|名\s*称|标\s*题)\s*[\]】]")


@dataclass
class _State:
    doc: Document
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    bodies: dict = field(default_factory=dict)          # section path -> (prose, original, line)
    line: int | None = None                             # source line of the block being read
    part: tuple = ()
    section: tuple = ()
    scope: str = "plan"
    open_task: Task | None = None
    last_own: list[Assignment] = field(default_factory=list)
    last_upper: list[Assignment] = field(default_factory=list)
    unit_columns: list[str] = field(default_factory=list)   # "own"/"upper" per unit column
    unit_roles: list[str | None] = field(default_factory=list)  # default role per unit column
    catalog: bool = False
    pending: list[Task] = field(default_factory=list)
    pending_number: str | None = None      # a bare-number cell (``1``) waiting for its task text
    extra_deadlines: dict = field(default_factory=dict)  # id(task) -> text of a 时限 cell
    cut: set = field(default_factory=set)               # id(task) of tasks cut by a [GAP]
    cut_bodies: set = field(default_factory=set)        # section paths whose prose a [GAP] cut
    section_units: dict = field(default_factory=dict)   # section path -> assignments of its cell
    line_units: dict = field(default_factory=dict)      # section path -> [(prose lines before, assignments)]
    standing: list = field(default_factory=list)        # (task order from, units cell) rules
    table: bool = False                                 # inside a table (a header row was seen)
    numbered: bool = False                              # the table's header has a 序号 column
    measures: bool = False                              # ... and a task's title and its measures' columns
    text_after_units: bool = False                      # ... a 工作要求 column after its unit columns
    dated_before_units: bool = False                    # ... a 完成时限 column before its unit columns
    adding: tuple | None = None                         # (task, its units before its next measure's)
    columns: list | None = None                         # the header's Column per cell (a grid header)
    no_inherit: set = field(default_factory=set)        # id(task) of grid rows whose unit cells are empty
    unnumbered: int = 0
    labelled: Task | None = None                        # the task a 牵头单位: line just gave its units
    previous: Block | None = None                       # the block read before this one
    at: int = 0                                         # the index of the block read now
    opened_at: int = -1                                 # ... and of the one that opened the open task
    unit_run: tuple | None = None                       # (task, unit cells, block): a unit cell a row
    loose: list = field(default_factory=list)           # one-cell rows since the last task: a row's text cells
    header_kinds: set = field(default_factory=set)      # the column kinds of the header read last
    group_from: int = -1                                # the first task of a 工作任务 group not yet given a unit cell

    # -- sections -----------------------------------------------------------------------
    def open_section(self, path: tuple, number: str, title: str, depth: int) -> tuple:
        for s in self.sections:
            if s.path == path:
                return path  # a heading printed twice is one section
        self.sections.append(Section(path=path, number=number, title=title, depth=depth,
                                     order=len(self.sections), scope=self.scope))
        return path

    def part_heading(self, number: str, rest: str, orig: str = ""):
        self.close_task()
        title, body = _title_of(rest, self.scope == "notice")
        if self.scope == "notice":
            path = ("通知", number)
            self.part = self.open_section(path, number, title, 2)
        else:
            self.part = self.open_section((number,), number, title, 1)
        self.section = self.part
        if body:
            self.bodies.setdefault(self.section, []).append((body, orig or body, self.line))

    def section_heading(self, number: str, rest: str, orig: str = ""):
        self.close_task()
        title, body = _title_of(rest)
        if self.catalog:
            self.catalog_item(number, rest)
            return
        path = self.part + (number,)
        self.section = self.open_section(path, number, title, len(path))
        if body:
            self.bodies.setdefault(self.section, []).append((body, orig or body, self.line))

    # -- tasks --------------------------------------------------------------------------
    def new_task(self, number: str, text_norm: str, text_orig: str, line: int) -> Task:
        self.close_task()
        t = Task(number=number, section=self.section, text=text_orig, text_norm=text_norm,
                 order=len(self.tasks), line=line)
        self.tasks.append(t)
        self.open_task, self.opened_at = t, self.at
        return t

    def close_task(self):
        t = self.open_task
        if t is not None and not t.assignments and self.tasks and self.scope == "plan" and id(t) not in self.no_inherit:
            # No cell of its own: the merged cell above applies, unless its own text names who does it
            # (…由办公室负责,各股室配合), read at the end (_finish).
            if self.last_own and not units_in_prose(t.text_norm, self.doc.region, self.doc.issuer,
                                                    self.doc.level == "department"):
                t.assignments = [*self.last_upper, *self.last_own]
                t.inherited_units = True
        self.open_task, self.loose = None, []

    def set_units(self, task: Task, cells: list[str], first: bool = False, merged: bool = True):
        """``cells`` are the last unit columns' (a merged first one left out, unless ``merged`` is false: it
        was printed empty), or the first ones' (``first``: an empty cell followed them, the later are empty)."""
        doc = self.doc
        internal = doc.level == "department"
        n = len(cells)
        fits = len(self.unit_columns) >= n
        cols = (self.unit_columns[:n] if first else self.unit_columns[-n:]) if fits else ["own"] * n
        roles = (self.unit_roles[:n] if first else self.unit_roles[-n:]) if len(self.unit_roles) >= n else [None] * n
        own: list[Assignment] = []
        upper: list[Assignment] = []
        lead = [] if first or not fits or not merged else merged_lead(self, task, self.unit_roles[:max(len(self.unit_roles) - n, 0)])
        # A 配合/责任单位 column cooperates with the row's lead (its own, or a merged one's), alone it carries the task
        has_lead = bool(lead) or any(r == "lead" and c.strip() for c, r in zip(cells, roles))
        for cell, col, role in zip(cells, cols, roles):
            if role == "cooperate_or_implement":
                role = "cooperate" if has_lead else "implement"
            got = parse_units(cell, region=doc.region, issuer=doc.issuer,
                              internal=internal and col == "own", column=col,
                              default_role=role or "implement")
            (own if col == "own" else upper).extend(got)
        if (own := [*lead, *own] if own else own) or upper:   # (a merged 牵头 cell's lead first, as above)
            if not own and upper and len(cells) < len(self.unit_columns):
                own = list(self.last_own)
            if not upper and self.last_upper and len(cells) < len(self.unit_columns):
                upper = list(self.last_upper)  # the upper column is the merged one
            task.assignments = [*upper, *own]
            self.last_own, self.last_upper = own, upper

    def set_units_by_column(self, task: Task, cells: list[tuple[str, Column]], unknown: list[Column] = ()):
        """Unit cells whose columns the header named: each cell read with its column's role. ``unknown`` are unit
        columns left empty where an empty cell cannot be told from a merged one (flattened text): a merged 市里落实单位
        column carries on from the row above."""
        doc, internal = self.doc, self.doc.level == "department"
        lead = merged_lead(self, task, [c.role for c in unknown if not c.upper], flat=True)   # (a merged 牵头 cell)
        has_lead = bool(lead) or any(col.role == "lead" and cell.strip() for cell, col in cells)
        own: list[Assignment] = []
        upper: list[Assignment] = []
        for cell, col in cells:
            role = col.role
            if role == "cooperate_or_implement":
                role = "cooperate" if has_lead else "implement"
            column = "upper" if col.upper else "own"
            got = parse_units(cell, region=doc.region, issuer=doc.issuer, internal=internal and not col.upper,
                              column=column, default_role=role or "implement")
            (upper if col.upper else own).extend(got)
        if (own := [*lead, *own] if own else own) or upper:
            if not upper and self.last_upper and any(c.upper for c in unknown):
                upper = list(self.last_upper)
            if not own and self.last_own and any(not c.upper for c in unknown):
                own = list(self.last_own)
            task.assignments = [*upper, *own]
            self.last_own, self.last_upper = own, upper
        else:
            self.no_inherit.add(id(task))

    def catalog_item(self, number: str, rest: str):
        annex = self.part
        t = Task(number=number, section=annex, text=rest, text_norm=rest, order=len(self.tasks), line=self.line)
        self.tasks.append(t)
        self.pending.append(t)


def _is_header(cells: tuple[str, ...]) -> bool:
    return all(column_meaning(c) is not None for c in cells)


_WS = re.compile(r"\s+")


def _find_plan_start(norm: list[str], heads: list[bool], issuing: bool = False) -> int:
    """Index of the plan's own title (or its table's header, when a [GAP] ate the title) when a
    cover notice with points of its own precedes it. A notice titled 关于印发…的通知 (``issuing``) is one
    from its addressees on, even when it never says 印发给你们 (…并提出以下要求)."""
    mark = next((i for i, s in enumerate(norm) if _NOTICE_MARK.search(s)), None)
    if mark is None and issuing:
        mark = next((i for i, s in enumerate(norm[:30]) if _ADDRESSEES_LINE.search(s)), None)
    if mark is None:
        return 0
    parts_before, titled = False, titled_after_signature(norm[mark])   # (…2023年5月17日某市…安排为…)
    for i in range(mark + 1, len(norm)):
        kind = classify(norm[i])[0]
        is_title = len(norm[i]) <= 40 and _PLAN_TITLE.search(norm[i]) and "关于" not in norm[i]
        if kind == "part" and not titled:   # (after the plan's own title, its parts are the plan's)
            parts_before = True
        elif parts_before and is_title:
            return i
        elif parts_before and heads[i]:
            return i
        titled = titled or bool(is_title and not parts_before)
    # A cover notice with points of its own and no plan after it (the plan was not retrieved): its
    # points are the notice's requirements, not plan sections; parts printed after the plan's own
    # title line (…2024年某省政务公开工作要点 / 一、…) are the plan's.
    if parts_before and not titled and not any(classify(s)[0] in ("task", "section") or heads[j] for j, s in enumerate(norm) if j > mark):
        return len(norm)
    return 0


def _regroup(blocks: list[Block]) -> list[Block]:
    """A table printed one cell per line, each cell followed by a line holding only ``|``: make
    each such cell a one-cell row, and drop the bare ``|`` lines that close pipe rows."""
    bars = sum(1 for b in blocks if not b.row and b.cells[0].strip() == "|")
    if bars < 3:   # (too few to print a table: a bar alone on its line is no text either)
        return _numbered_cells([b for b in blocks if b.row or b.cells[0].strip() != "|"])
    out: list[Block] = []
    for b in blocks:
        if not b.row and b.cells[0].strip() in ("|", _GAP):
            # A cell closes with its bar; the last one before a [GAP] lost it with the cut.
            if out and not out[-1].row and out[-1].cells[0] != _GAP:
                out[-1] = Block(out[-1].cells, out[-1].line, row=True)
            if b.cells[0].strip() == "|":
                continue
        out.append(b)
    return out


def _numbered_cells(blocks: list[Block]) -> list[Block]:
    """A table printed one cell a line with no bars, its 序号 cells lines of their own (1 / 聚焦… /
    各区直部门 / 持续推进 / 2 / …): from its header on, each line a one-cell row, as the barred form's."""
    numbers = [int(b.cells[0].strip()) for b in blocks if not b.row and b.cells[0].strip().isdigit()
               and len(b.cells[0].strip()) <= 3]
    head = next((i for i, b in enumerate(blocks) if not b.row and column_meaning(b.cells[0].strip())), None)
    if head is None or not numbered_rows_enough(blocks, head, numbers) or any(
            _ANNEX.match(normalize(b.cells[0])) for b in blocks[:head] if not b.row):
        return blocks   # (an annex's table is a catalog, read as one: see _paragraph)
    return blocks[:head] + [b if b.row else Block(b.cells, b.line, row=True) for b in blocks[head:]]


_AFTER_SENTENCE = re.compile(r"(?<=[。;；])\s*(?=[\u4e00-\u9fff]{2,6}\s*[:：])")


def _split_labels(blocks: list[Block], grids: list) -> tuple[list[Block], list]:
    """A task's line that goes on with its fields after its last sentence (…信息。责任股室:登记注册股;
    …解读。牵头单位:市政府办公室 完成时限:6月底前): each field a line of its own, as a plan that prints
    them under the task does, and as the same line read flattened is cut."""
    out_b, out_g = [], []
    for b, g in zip(blocks, grids):
        text = b.cells[0]
        if b.row or g is not None or "：" not in text and ":" not in text:
            out_b.append(b)
            out_g.append(g)
            continue
        cuts = [m.start() for m in _AFTER_SENTENCE.finditer(text)
                if not inside_brackets(text, m.start())   # (牵头单位:…;责任单位:…) is a note of the sentence
                and (f := field_label(normalize(text[m.end():]))) and f[0].kind in ("units", "deadline")]
        for a, z in zip([0, *cuts], [*cuts, len(text)]):
            if text[a:z].strip():
                out_b.append(Block((text[a:z].strip(),), b.line))
                out_g.append(None)
    return out_b, out_g


def parse_structure(blocks: list[Block], doc: Document) -> tuple[list[Section], list[Task]]:
    """Parse blocks into sections and tasks (assignments and deadlines included)."""
    st = _State(doc)
    blocks = group_column_rows(index_rows(_regroup(blocks)))
    grids = [b if b.grid else None for b in blocks]
    blocks = [b.printed() if b.grid else b for b in blocks]
    blocks, grids = _split_labels(blocks, grids)
    norm_blocks = [tuple(normalize(c) for c in b.cells) for b in blocks]
    firsts = [c[0] if c else "" for c in norm_blocks]
    heads = [_is_header(c) for c in norm_blocks]
    plan_start = _find_plan_start(firsts, heads, issuing_notice(doc.title, firsts))
    if plan_start:
        st.scope = "notice"
        st.open_section(("通知",), "通知", "印发通知", 1)
        st.part = st.section = ("通知",)

    signature = signature_lines(blocks, firsts)
    started, end = False, len(blocks)
    for i, (block, cells) in enumerate(zip(blocks, norm_blocks)):
        st.line = block.line or None
        st.previous, st.at = (blocks[i - 1] if i else None), i
        if plan_start and i == plan_start:
            if _stops_mid_sentence(st, blocks[i - 1]):
                st.cut_bodies.add(st.section)   # a [GAP] before the plan, lost with the line breaks
            st.close_task()
            st.scope = "plan"
            st.part = st.section = ()
        if i in signature:
            st.close_task()   # the 落款: who signed and when, no unit of any task
            continue
        if cells[0] == _GAP:
            _gap(st, blocks[i - 1] if i else None, all(c[0] in ("", _GAP) for c in norm_blocks[i + 1:]),
                 next((c[0] for c in norm_blocks[i + 1:] if c[0]), ""))
            continue
        if (started or st.bodies) and _END.match(cells[0]):   # (a cover notice's points too)
            end = i   # the page's footer: nothing of the document follows, the line above is where it ends
            break
        if st.scope == "notice":
            kind, number, rest = classify(cells[0])
            if kind == "part":
                title, body = _title_of(rest, True)
                path = ("通知", number)
                st.open_section(path, number, title, 2)
                st.section = path
                if body:
                    st.bodies.setdefault(path, []).append((body, block.cells[0], block.line))
            elif st.section != ("通知",) and kind == "text" and not _DEBRIS.match(cells[0]):
                st.bodies.setdefault(st.section, []).append((cells[0], block.cells[0], block.line))
            continue
        if heads[i]:
            _header(st, cells, block.row)
            g = grids[i]
            st.columns = grid_columns(g.cells) if g is not None else None
            continue
        g = grids[i]
        if g is not None and st.columns and len(g.cells) == len(st.columns) and st.scope == "plan":
            _grid_row(st, g, tuple(normalize(c) for c in g.cells))
            started = started or bool(st.tasks or st.sections)
            continue
        words = tuple(block.cells[0].split())
        if not block.row and len(words) >= 2 and _is_header(words):
            _header(st, words, True)   # a header printed as one line: 序号 工作任务 责任单位 完成时限
            continue
        m = _STANDING.search(cells[0])
        if m and len(cells) == 1 and not cells[0][:m.start()].strip("(（注:： "):   # a line of its own, not a task's note
            st.standing.append((len(st.tasks), m.group(1)))
            continue
        if block.row:
            _row(st, block, cells)
        elif st.table and _BARE_NUMBERED.match(block.cells[0].strip()):
            # A table flattened to one line with bare numbers: 1 对照法律法规… 市直各单位
            orig = tuple(block.cells[0].split())
            _row(st, Block(orig, block.line, row=True), tuple(normalize(c) for c in orig))
        else:
            _paragraph(st, block, cells[0])
        started = started or bool(st.tasks or st.sections)
    # Where the text ends (its last line, or the line above a page's footer: a page cut short has
    # its footer all the same), what the end cut mid-way is dropped, as before a [GAP]
    # (a download cut short, or a [GAP] line lost when the line breaks were): a row whose last cell
    # stops mid-way, or a table's last row that has neither the unit cell nor the deadline every row
    # above has (where rows share a merged cell, the last may too). A row whose unit cell was read
    # is whole when page text follows the table.
    blocks = blocks[:end]
    last = blocks[-1] if blocks else None
    cut_at_the_end(st, blocks, _last_cell(last) if last else "", bool(last) and not _complete(normalize(_last_cell(last))))
    t = st.open_task
    if (t is not None and last is not None and last.cells[0] != _GAP
            and ((not _complete(normalize(_last_cell(last))) and (last.row or not t.assignments))
                 or (st.table and st.unit_columns and not t.assignments and _lacks_every_cell(st, t)))):
        doc.truncated = True
        doc.warnings.append("truncated: the text ends mid-row")
        lone = [c.strip() for c in last.cells if c.strip()]
        if not (t.assignments and last.row and lone and lone[0] not in t.text
                and not looks_like_units(lone[0])
                and (len(lone) == 1 or t.line != last.line or st.opened_at != len(blocks) - 1)):
            # (a cut row that started no task of its own leaves the whole row before it)
            st.cut.add(id(t))
        st.open_task = None
        st.close_task()
    elif st.open_task is None and last is not None and _stops_mid_sentence(st, last):
        # A narrative whose text stops mid-sentence (a [GAP] lost with the line breaks, a download
        # cut short): the document is truncated; its last sentence stays a task, as an analyst
        # counts the task whose opening the text shows (…对相关政策举措,加大).
        doc.truncated = True
        doc.warnings.append("truncated: the text ends mid-sentence")
    st.close_task()
    narrative_tasks(st)
    _finish(st)
    return st.sections, st.tasks


def _stops_mid_sentence(st: _State, block: Block) -> bool:
    """Whether ``block`` is the last paragraph of the open section's narrative and stops mid-sentence."""
    bodies = st.bodies.get(st.section) if st.section else None
    return (not block.row and bool(bodies) and bodies[-1][1] == block.cells[0]
            and normalize(block.cells[0])[-1:] not in _TERMINAL + ")）")


def _lacks_every_cell(st: _State, last: Task) -> bool:
    """Whether the last row lacks every cell each row above has: its own units and a deadline."""
    def deadline(t: Task) -> bool:
        return bool(parse_deadlines(t.text_norm + " " + st.extra_deadlines.get(id(t), ""), st.doc.year))

    rows = [t for t in st.tasks if t is not last and t.section[:1] != ("通知",)]
    return (len(rows) >= 2 and not any(t.inherited_units or not t.assignments for t in rows)
            and not deadline(last) and all(deadline(t) for t in rows))


def _finish(st: _State):
    doc = st.doc
    if st.cut:
        cut = [t for t in st.tasks if id(t) in st.cut]
        doc.warnings.append("truncated: task " + ", ".join(t.number for t in cut) + " cut mid-row by a [GAP], dropped")
        st.tasks = [t for t in st.tasks if id(t) not in st.cut]
    # Standing rules (以下责任单位均包含各区县政府) apply to every task after them that has units.
    for start, cell in st.standing:
        extra = parse_units(cell, region=doc.region, issuer=doc.issuer)
        for t in st.tasks[start:]:
            have = {a.canonical for a in t.assignments}
            t.assignments += [a for a in extra if a.canonical not in have]
    titles = {s.path: s.title for s in st.sections}
    dated: dict[tuple, list[str]] = {}   # a heading's dates, asked by each task under it
    for t in st.tasks:
        if not t.assignments and re.fullmatch(r"\d+|\(\d+\)|[①-⑳]", t.number):   # (2)…。(各级行政机关负责)
            t.assignments = units_in_prose(t.text_norm, doc.region, doc.issuer, doc.level == "department")
        t.deadlines = parse_deadlines(t.text_norm + " " + st.extra_deadlines.get(id(t), ""), doc.year)
        if not any(d[:1].isdigit() for d in t.deadlines):
            # A section's deadline in its heading (时间安排: (一)梳理目录(2020年9月24日—9月30日)).
            for k in range(len(t.section), 0, -1):
                path = t.section[:k]
                if path not in dated:
                    dated[path] = [d for d in parse_deadlines(titles.get(path, ""), doc.year) if d[:1].isdigit()]
                dl = dated[path]
                if dl:
                    t.deadlines = dl + t.deadlines
                    break
    give_heading_units(st.sections, st.tasks, doc)   # 一、市政府各部门负责落实的工作任务: its rows' units
    for i, t in enumerate(st.tasks):
        t.order = i
        if t.text_norm == t.text:
            t.text_norm = t.text   # one string, not two equal ones: held and pickled once


def _header(st: _State, cells: tuple[str, ...], row: bool):
    cols, roles = [], []
    for c in cells:
        col = column_meaning(c)
        if col is not None and col.kind == "units":
            cols.append("upper" if col.upper else "own")
            roles.append(col.role)
    st.table = True
    if row:
        kinds = {c.kind for c in map(column_meaning, cells) if c is not None}
        prev = st.previous
        if len(cells) == 1 and prev is not None and len(prev.cells) == 1 and _is_header((normalize(prev.cells[0]),)):
            kinds |= st.header_kinds   # a header printed a cell a line (序号 / 任务事项 / 工作要求): one header
        st.header_kinds = kinds
        st.numbered, st.measures = "number" in kinds, {"task", "requirement"} <= kinds
        order = [c.kind for c in map(column_meaning, cells) if c is not None]
        st.text_after_units = "units" in order and any(
            k in ("task", "requirement") for k in order[max(i for i, k in enumerate(order) if k == "units"):])
        st.dated_before_units = "units" in order and "deadline" in order[:order.index("units")]
    if row or cols:
        if row:
            st.unit_columns = cols or ["own"]
            st.unit_roles = roles or [None]
        elif cols:
            if st.unit_columns and st.unit_columns != ["own"]:
                st.unit_columns, st.unit_roles = st.unit_columns + cols, st.unit_roles + roles
            else:
                st.unit_columns, st.unit_roles = cols, roles
    if "序号" in cells and st.part and st.part[0].startswith("附件"):
        st.catalog = True


def _row(st: _State, block: Block, cells: tuple[str, ...]):
    if _unnumbered_row(st, block, cells):
        return
    if (st.table and st.open_task is not None and st.open_task.assignments and len(cells) >= 2
            and classify(cells[0])[0] == "text" and not _BARE_NUMBER.match(cells[0])
            and (kinds := merged_number_row(block.cells))):
        # A row whose number and task cells are merged from the row above (| | 具体措施 | 责任单位 | 时限, or
        # | | 其他文件 | 具体要求 | 责任科室 | 时限): one more measure of that task, printed without its empty cells.
        _measure_row(st, block, cells, kinds, ())
        return
    task: Task | None = None
    unit_cells: list[str] = []
    last_unit = -1
    for k, (orig, cell) in enumerate(zip(block.cells, cells)):
        kind, number, rest = classify(cell)
        if task is None and _BARE_NUMBER.match(cell) and (st.table or len(cells) > 2):
            st.pending_number = _BARE_NUMBER.match(cell).group(1)
            continue
        if task is None and st.pending_number and kind in ("text", "sub") and not looks_like_units(cell):
            task = st.new_task(st.pending_number, cell, orig, block.line)
            st.pending_number = None
            continue
        if task is None and kind == "part":
            st.part_heading(number, rest, orig)
        elif task is None and kind == "section":
            st.section_heading(number, rest, orig)
        elif (task is None and st.table and st.numbered and len(cells) == 1 and st.open_task is not None
              and st.opened_at == st.at - 1 and kind in ("task", "text") and not looks_like_units(orig)
              and not _is_deadline_cell(cell)):
            # A table printed a cell a paragraph (序号 | 任务事项 | 工作要求 | …): the cell after a row's task
            # cell is its requirement, points 1.…;2.… included, no row of its own.
            st.open_task.text_norm += " " + cell
            st.open_task.text += " " + orig
        elif kind == "task" and task is None:
            task = st.new_task(number, rest, _ORIG_NUMBER.sub("", orig, count=1), block.line)
        elif task is not None and looks_like_units(orig):
            unit_cells.append(orig)
            last_unit = k
        elif task is not None and (unit_cells or st.dated_before_units) and _is_deadline_cell(cell):
            # (任务内容 | 完成时限 | 责任单位: the 时限 cell before the units is no part of the text)
            st.extra_deadlines[id(task)] = st.extra_deadlines.get(id(task), "") + " " + cell
        elif task is not None and not unit_cells:
            task.text_norm += " " + cell  # a 具体要求 column beside the task
            task.text += " " + orig
        elif task is None and len(cells) == 1 and looks_like_units(orig) and (task := loose_row(st)):
            unit_cells.append(orig)   # a row whose text cells made no task (no full stop): now they do
        elif task is None and st.open_task is not None and looks_like_units(orig):
            unit_cells.append(orig)
            task = absorb_loose(st, st.open_task)
        elif (task is None and kind == "text" and st.measures and st.numbered and len(cells) == 1
              and st.open_task is not None
              and (cell.endswith("。") or not st.open_task.assignments and not _is_deadline_cell(cell))):
            # A table printed a cell a row, a task's title then its measures (序号 | 重点任务 | 具体措施 |
            # 责任单位 | 时限): a measure's text is the task's; after the first measure's units, the next
            # measure's units are added to them (as _measure_row does for a grid's merged rows).
            t = st.open_task
            t.text_norm += " " + cell
            t.text += " " + orig
            if t.assignments:
                st.adding = (t, list(t.assignments))
        elif (task is None and st.open_task is not None and (st.open_task.assignments or st.dated_before_units)
              and _is_deadline_cell(cell)):   # (a 时限 cell a line of its own, after the units or before them)
            t = st.open_task
            st.extra_deadlines[id(t)] = st.extra_deadlines.get(id(t), "") + " " + cell
        elif (task is None and kind == "text" and st.table and not st.numbered and len(cells) == 1
              and len(cell) >= 20 and cell.endswith("。") and (st.open_task is None or st.open_task.assignments)):
            # An unnumbered row of a task table (任务 | 责任单位 | 时限): numbered by position. (Under a
            # 序号 column, a sentence after a row's units is its 落实情况 or 备注 cell.)
            st.unnumbered += 1
            task = st.new_task(str(st.unnumbered), cell, orig, block.line)
        elif task is None and len(cells) == 1 and kind == "text" and st.table and not st.numbered:
            st.loose.append((orig, cell, block.line))
    if task is not None and unit_cells:
        run = st.unit_run
        if len(cells) == 1 and run is not None and run[0] is task and run[2] is st.previous:
            unit_cells = run[1] + unit_cells   # the next unit column's cell, printed a row of its own
        share_unit_cell(st, task, unit_cells, first=last_unit in block.emptied, block=block)
        st.unit_run = (task, unit_cells, block) if len(cells) == 1 else None
        if st.adding is not None and st.adding[0] is task:
            before = st.adding[1]
            task.assignments = before + [a for a in task.assignments if a not in before]


def _measure_row(st: _State, block: Block, cells: tuple[str, ...], kinds: list, merged) -> None:
    """One more measure of the task above, whose number (and title) cell spans this row too: its text
    joins the task's, its units join the task's units (a merged cell's rows share one task, as the
    number says), its deadline the task's deadlines."""
    task = st.open_task
    units, deadline = [], ""
    for i, (orig, cell, kind) in enumerate(zip(block.cells, cells, kinds)):
        if not cell or i in merged:
            continue
        if kind == "units":
            units.append(orig)
        elif kind == "deadline":
            deadline += " " + cell
        elif kind in ("task", "requirement"):
            task.text_norm += " " + cell
            task.text += " " + orig
    if deadline.strip():
        st.extra_deadlines[id(task)] = st.extra_deadlines.get(id(task), "") + deadline
    if units:
        had = list(task.assignments)
        st.set_units(task, units)
        seen = {(a.canonical, a.role) for a in had}
        task.assignments = had + [a for a in task.assignments if (a.canonical, a.role) not in seen]


def _grid_row(st: _State, block: Block, cells: tuple[str, ...]):
    """A row whose cells line up with the header: each cell read as its column says."""
    task: Task | None = None
    units: list[tuple[str, Column]] = []
    deadline = ""
    title = ""
    own_units = False
    merged = set(block.merged or ())
    numbers = [i for i, c in enumerate(st.columns) if c and c.kind == "number"]
    if numbers and all(i in merged for i in numbers) and st.open_task is not None:
        _measure_row(st, block, cells, [c.kind if c else None for c in st.columns], merged)
        return
    unit_cols = [i for i, c in enumerate(st.columns) if c and c.kind == "units"]
    # A row shifted one cell left (its merged first cell printed as no cell at all: 3.及时答复… | 各科室 |
    # and an empty units cell): its last cell, a units one, sits in a text column.
    shifted = (unit_cols and not any(block.cells[i] or i in merged for i in unit_cols)
               and max((i for i, c in enumerate(block.cells) if c), default=-1))
    for i, (orig, cell, col) in enumerate(zip(block.cells, cells, st.columns)):
        if col is None or not cell:
            continue
        if shifted and i == shifted and task is not None and col.kind in ("task", "requirement") and looks_like_units(orig):
            units.append((orig, st.columns[unit_cols[0]]))
            own_units = True
            continue
        if col.kind == "units":
            units.append((orig, col))      # a merged unit cell applies to every row it spans
            own_units = own_units or i not in merged
            continue
        if col.kind == "deadline":
            deadline += " " + cell
            continue
        if i in merged or col.kind not in ("number", "task", "requirement"):
            continue                       # a merged title or heading is read in its first row
        kind, number, rest = classify(cell)
        if task is None and _BARE_NUMBER.match(cell):   # (a 序号 cell, its column perhaps under a spanning header)
            st.pending_number = _BARE_NUMBER.match(cell).group(1)
        elif task is None and kind == "part":
            st.part_heading(number, rest, orig)
        elif task is None and kind == "section":
            st.section_heading(number, rest, orig)
        elif task is None and kind == "task":
            task = st.new_task(number, rest, _ORIG_NUMBER.sub("", orig, count=1), block.line)
        elif task is None and st.pending_number:
            task = st.new_task(st.pending_number, cell, orig, block.line)
            st.pending_number = None
        elif task is None:
            title = (title + " " + orig).strip()
        else:
            task.text_norm += " " + cell
            task.text += " " + orig
    if task is None and title and (units or deadline) and len(title) >= 8:
        # An unnumbered row of a task table (任务 | 责任单位 | 时限): numbered by position.
        st.unnumbered += 1
        task = st.new_task(str(st.unnumbered), normalize(title), title, block.line)
    if task is None and units and st.open_task is not None and not st.open_task.assignments:
        task = st.open_task
    if task is None:
        return
    if deadline.strip():
        st.extra_deadlines[id(task)] = st.extra_deadlines.get(id(task), "") + deadline
    if unit_cols and (units or not all(i in merged for i in unit_cols)):
        unknown = [st.columns[i] for i in unit_cols if i in merged and not block.cells[i]]
        share_column_cells(st, task, units, unknown)
        task.inherited_units = bool(units) and not own_units   # all from a merged cell above


def _paragraph(st: _State, block: Block, cell: str):
    if _ANNEX.match(cell):
        st.close_task()
        st.catalog = False
        num = _ANNEX.match(cell).group(1) or "1"
        path = (f"附件{num}",)
        st.part = st.section = st.open_section(path, f"附件{num}", f"附件{num}", 1)
        return
    if qa_line(st, block, cell):
        return   # 问:… / 答:…: an interpretation's questions are its headings, its answers prose
    kind, number, rest = classify(cell)
    if st.catalog:
        if kind == "section":
            st.catalog_item(number, rest)
        elif looks_like_units(cell) and st.pending:
            for t in st.pending:
                t.assignments = parse_units(block.cells[0], region=st.doc.region, issuer=st.doc.issuer)
            st.pending = []
        elif re.match(r"^附件", cell):
            st.catalog = False
        return
    if st.part and st.part[0].startswith("附件") and kind != "part":
        return  # annex prose other than a catalog holds no tasks
    if kind == "part":
        st.part_heading(number, rest, block.cells[0])
    elif kind == "section":
        st.section_heading(number, rest, block.cells[0])
    elif kind == "task" and _PAGE_FIELD.match(rest):
        st.close_task()
    elif kind == "task":
        heads_next_item(st, number, rest)   # 1.强化组织领导 over 2.健全…。: a sub-heading
        st.new_task(number, rest, _ORIG_NUMBER.sub("", block.cells[0], count=1), block.line)
    elif kind == "sub" and st.section and (st.open_task is None or not st.open_task.number[:1].isdigit()):
        # (1) / ① items straight under a heading are the plan's tasks; under a numbered task they
        # are its points (next branch).
        st.new_task(number, rest, _ORIG_NUMBER.sub("", block.cells[0], count=1), block.line)
    elif st.open_task is not None and not st.open_task.assignments and looks_like_units(block.cells[0]):
        share_unit_cell(st, st.open_task, [block.cells[0]])
        st.labelled, st.open_task = st.open_task, None
    elif (st.open_task is None and st.labelled is not None and st.tasks and st.tasks[-1] is st.labelled
          and st.labelled.section == st.section and _labelled_line(st, block.cells[0], cell)):
        pass   # 配合单位:… / 完成时限:… on the lines after the task's 牵头单位:…
    elif st.open_task is not None and not st.open_task.assignments and kind in ("text", "sub") and not _DEBRIS.match(cell):
        st.open_task.text_norm += cell
        st.open_task.text += block.cells[0]
    elif st.open_task is None and st.section in st.bodies and looks_like_units(block.cells[0]):
        # A section whose prose is the task (工作事项 | 具体任务 | 牵头及责任单位, flattened).
        units = parse_units(block.cells[0], region=st.doc.region, issuer=st.doc.issuer,
                            internal=st.doc.level == "department")
        marks = st.line_units.setdefault(st.section, [])
        at = len(st.bodies[st.section])
        if marks and marks[-1][0] == at:
            # Unit lines one after another (牵头单位:… / 责任单位:…) name the units of the same prose.
            have = {(a.canonical, a.role) for a in marks[-1][1]}
            units = [*marks[-1][1], *(a for a in units if (a.canonical, a.role) not in have)]
            marks.pop()
        st.section_units[st.section] = units
        marks.append((at, units))
    elif group_cell(st, block.cells[0]):
        pass   # a new 工作任务 group: the unit cell above reaches no row in it (shared_cells)
    elif st.section and not _DEBRIS.match(cell):
        st.bodies.setdefault(st.section, []).append((cell, block.cells[0], block.line))


def _labelled_line(st: _State, orig: str, cell: str) -> bool:
    """A further labelled line of the task whose units a labelled line just gave: its units
    (配合单位:…) are added, its deadline (完成时限:…) kept. False for any other line."""
    label = field_label(cell)
    if label is None or label[0].kind not in ("units", "deadline"):
        return False
    col, value = label
    t = st.labelled
    if col.kind == "deadline":
        st.extra_deadlines[id(t)] = st.extra_deadlines.get(id(t), "") + " " + value
        return True
    if not looks_like_units(orig):
        return False
    have = {(a.canonical, a.role) for a in t.assignments}
    got = parse_units(orig, region=st.doc.region, issuer=st.doc.issuer, internal=st.doc.level == "department",
                      default_role=col.role if col.role in ("lead", "cooperate", "implement") else "implement")
    t.assignments = [*t.assignments, *(a for a in got if (a.canonical, a.role) not in have)]
    return True
