"""Blocks → sections and tasks.

One parser for every format: headings (一、 / (一) / 1. / (1) / ①), tables whatever their
flattening (pipe rows, one cell per line, paragraphs), responsible-unit cells (a row without one
inherits the cell above: a merged cell), narrative sections (one task per obligation sentence),
a cover notice's own points kept apart from the plan, and annex catalogs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import parse_deadlines
from .normalize import normalize
from .read import Block
from .records import Assignment, Document, Section, Task
from .units import looks_like_units, parse_units

__all__ = ["parse_structure", "cn_to_int", "classify"]

CN = "一二三四五六七八九十百零〇两"
_PART = re.compile(rf"^([{CN}]+)\s*[、.．]\s*(.*)$")
_SECTION = re.compile(rf"^[(（]([{CN}]+)[)）]\s*(.*)$")
# 20.2021年底前 is task 20; 1.5亿 is no task.
_TASK = re.compile(r"^(\d{1,3})\s*[.、．](?!\d(?!\d{3}年))\s*(.*)$")
_SUB = re.compile(r"^(?:[(（](\d{1,2})[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*(.*)$")
_ORIG_NUMBER = re.compile(r"^\s*(?:[\d０-９]{1,3}\s*[.、．]|[(（][\d０-９]{1,2}[)）]|[①-⑳])\s*")
_HEADER_WORDS = re.compile(
    r"^(序号|工作任务|具体要求|工作要求|责任单位|落实单位|责任部门|牵头单位|配合单位|完成时限|时间要求|"
    r"市里落实单位|局内负责处室|局内负责\s*处室|责任处室|责任科室|责任股室|任务|主要内容|政务公开领域|备注|"
    r"工作措施|完成时间|责任领导|牵头部门|任务内容|重点任务|落实情况|进展情况)$"
)
_NOTICE_MARK = re.compile(r"印发给你们|现印发|印发你们|现将.{0,60}印发|现转发|转发给你们")
_PLAN_TITLE = re.compile(r"(工作要点|分工方案|实施方案|任务分工|分工表|任务清单|工作台账|台账|要点)$")
_ANNEX = re.compile(r"^附件\s*(\d*)\s*[::]?\s*$")
_OBLIGATION = re.compile(
    r"要|应|须|加强|做好|推进|推动|完善|建立|健全|提高|落实|开展|加大|强化|深化|确保|及时|持续|规范|严格|积极|"
    r"切实|组织|编制|梳理|发布|主动公开|负责|抓好|围绕|聚焦|探索|优化|提升|增强|督促|用好|办理"
)
_DEBRIS = re.compile(
    r"^(当前位置|首页|浏览次数|扫描二维码|分享|打印|【打印】|字体|放大字体|热词搜索|索引号|主题分类|发布机构|"
    r"名\s*称|文\s*号|有效性|发布日期|来源|无障碍|主题词|官方服务|回帖|积分|管理员|发表于|网站支持)"
)


def cn_to_int(s: str) -> int:
    """Chinese numerals to int, past 十.

    >>> [cn_to_int(x) for x in ("一", "十", "十三", "二十", "二十六", "一百零一")]
    [1, 10, 13, 20, 26, 101]
    """
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    total, cur = 0, 0
    for c in s:
        if c in digits:
            cur = digits[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


def classify(text: str) -> tuple[str, str | None, str]:
    """The kind of a normalized cell: part, section, task, sub, or text.

    >>> classify("(十三)加强政策解读。")
    ('section', '(十三)', '加强政策解读。')
    >>> classify("12.建立台账")
    ('task', '12', '建立台账')
    >>> classify("二、工作内容")
    ('part', '二', '工作内容')
    """
    m = _PART.match(text)
    if m and m.group(2):
        return "part", m.group(1), m.group(2)
    m = _SECTION.match(text)
    if m:
        return "section", f"({m.group(1)})", m.group(2)
    m = _TASK.match(text)
    if m and m.group(2):
        return "task", m.group(1), m.group(2)
    m = _SUB.match(text)
    if m and m.group(3):
        return "sub", f"({m.group(1)})" if m.group(1) else m.group(2), m.group(3)
    return "text", None, text


def _title_of(rest: str) -> tuple[str, str]:
    """Split a heading line into its title and the prose after it."""
    m = re.match(r"^(.{1,60}?[。.!！])(.*)$", rest)
    if m and m.group(2).strip():
        return m.group(1).rstrip("。.!！"), m.group(2).strip()
    return rest.rstrip("。.!！ "), ""


@dataclass
class _State:
    doc: Document
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    bodies: dict = field(default_factory=dict)          # section path -> prose lines
    part: tuple = ()
    section: tuple = ()
    scope: str = "plan"
    open_task: Task | None = None
    last_own: list[Assignment] = field(default_factory=list)
    last_upper: list[Assignment] = field(default_factory=list)
    unit_columns: list[str] = field(default_factory=list)   # "own"/"upper" per unit column
    catalog: bool = False
    pending: list[Task] = field(default_factory=list)

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
        title, body = _title_of(rest)
        if self.scope == "notice":
            path = ("通知", number)
            self.part = self.open_section(path, number, title, 2)
        else:
            self.part = self.open_section((number,), number, title, 1)
        self.section = self.part
        if body:
            self.bodies.setdefault(self.section, []).append((body, orig or body))

    def section_heading(self, number: str, rest: str, orig: str = ""):
        self.close_task()
        title, body = _title_of(rest)
        if self.catalog:
            self.catalog_item(number, rest)
            return
        path = self.part + (number,)
        self.section = self.open_section(path, number, title, len(path))
        if body:
            self.bodies.setdefault(self.section, []).append((body, orig or body))

    # -- tasks --------------------------------------------------------------------------
    def new_task(self, number: str, text_norm: str, text_orig: str, line: int) -> Task:
        self.close_task()
        t = Task(number=number, section=self.section, text=text_orig, text_norm=text_norm,
                 order=len(self.tasks), line=line)
        self.tasks.append(t)
        self.open_task = t
        return t

    def close_task(self):
        t = self.open_task
        if t is not None and not t.assignments and self.tasks and self.scope == "plan":
            # No cell of its own: the merged cell above applies.
            if self.last_own:
                t.assignments = [*self.last_upper, *self.last_own]
                t.inherited_units = True
        self.open_task = None

    def set_units(self, task: Task, cells: list[str]):
        doc = self.doc
        internal = doc.level == "department"
        cols = self.unit_columns[-len(cells):] if len(self.unit_columns) >= len(cells) else ["own"] * len(cells)
        own: list[Assignment] = []
        upper: list[Assignment] = []
        for cell, col in zip(cells, cols):
            got = parse_units(cell, region=doc.region, issuer=doc.issuer,
                              internal=internal and col == "own", column=col)
            (own if col == "own" else upper).extend(got)
        if own or upper:
            if not own and upper and len(cells) < len(self.unit_columns):
                own = list(self.last_own)
            if not upper and self.last_upper and len(cells) < len(self.unit_columns):
                upper = list(self.last_upper)  # the upper column is the merged one
            task.assignments = [*upper, *own]
            self.last_own, self.last_upper = own, upper

    def catalog_item(self, number: str, rest: str):
        annex = self.part
        t = Task(number=number, section=annex, text=rest, text_norm=rest, order=len(self.tasks))
        self.tasks.append(t)
        self.pending.append(t)


def _find_plan_start(norm: list[str]) -> int:
    """Index of the plan's own title when a cover notice with points of its own precedes it."""
    mark = next((i for i, s in enumerate(norm) if _NOTICE_MARK.search(s)), None)
    if mark is None:
        return 0
    parts_before = False
    for i in range(mark + 1, len(norm)):
        kind = classify(norm[i])[0]
        if kind == "part":
            parts_before = True
        elif parts_before and len(norm[i]) <= 40 and _PLAN_TITLE.search(norm[i]) and "关于" not in norm[i]:
            return i
    return 0


def parse_structure(blocks: list[Block], doc: Document) -> tuple[list[Section], list[Task]]:
    """Parse blocks into sections and tasks (assignments and deadlines included)."""
    st = _State(doc)
    norm_blocks = [tuple(normalize(c) for c in b.cells) for b in blocks]
    firsts = [c[0] if c else "" for c in norm_blocks]
    plan_start = _find_plan_start(firsts)
    if plan_start:
        st.scope = "notice"
        st.open_section(("通知",), "通知", "印发通知", 1)
        st.part = st.section = ("通知",)

    for i, (block, cells) in enumerate(zip(blocks, norm_blocks)):
        if plan_start and i == plan_start:
            st.close_task()
            st.scope = "plan"
            st.part = st.section = ()
        if st.scope == "notice":
            kind, number, rest = classify(cells[0])
            if kind == "part":
                title, body = _title_of(rest)
                path = ("通知", number)
                st.open_section(path, number, title, 2)
                st.section = path
                if body:
                    st.bodies.setdefault(path, []).append((body, block.cells[0]))
            elif st.section != ("通知",) and kind == "text" and not _DEBRIS.match(cells[0]):
                st.bodies.setdefault(st.section, []).append((cells[0], block.cells[0]))
            continue
        if all(_HEADER_WORDS.match(re.sub(r"\s+", "", c)) for c in cells):
            _header(st, cells, block.row)
            continue
        if block.row:
            _row(st, block, cells)
        else:
            _paragraph(st, block, cells[0])
    st.close_task()
    _narrative_tasks(st)
    for t in st.tasks:
        t.deadlines = parse_deadlines(t.text_norm, doc.year)
    # Notice tasks carry the notice's deadlines; sections of the notice hold none of the plan.
    return st.sections, st.tasks


def _header(st: _State, cells: tuple[str, ...], row: bool):
    cols = []
    for c in cells:
        c = re.sub(r"\s+", "", c)
        if re.search(r"单位|部门|处室|科室|股室", c):
            cols.append("upper" if re.search(r"^市里|^上级|^市级|^省里|^区里", c) else "own")
    if row or cols:
        if row:
            st.unit_columns = cols or ["own"]
        else:
            st.unit_columns = st.unit_columns if len(st.unit_columns) > 0 and not cols else (cols or ["own"])
    if "序号" in cells and st.part and st.part[0].startswith("附件"):
        st.catalog = True


def _row(st: _State, block: Block, cells: tuple[str, ...]):
    task: Task | None = None
    unit_cells: list[str] = []
    for orig, cell in zip(block.cells, cells):
        kind, number, rest = classify(cell)
        if task is None and kind == "part":
            st.part_heading(number, rest, orig)
        elif task is None and kind == "section":
            st.section_heading(number, rest, orig)
        elif kind == "task" and task is None:
            task = st.new_task(number, rest, _ORIG_NUMBER.sub("", orig, count=1), block.line)
        elif task is not None and looks_like_units(cell):
            unit_cells.append(cell)
        elif task is not None and not unit_cells:
            task.text_norm += " " + cell  # a 具体要求 column beside the task
            task.text += " " + orig
        elif task is None and st.open_task is not None and looks_like_units(cell):
            unit_cells.append(cell)
            task = st.open_task
    if task is not None and unit_cells:
        st.set_units(task, unit_cells)


def _paragraph(st: _State, block: Block, cell: str):
    if _ANNEX.match(cell):
        st.close_task()
        st.catalog = False
        num = _ANNEX.match(cell).group(1) or "1"
        path = (f"附件{num}",)
        st.part = st.section = st.open_section(path, f"附件{num}", f"附件{num}", 1)
        return
    kind, number, rest = classify(cell)
    if st.catalog:
        if kind == "section":
            st.catalog_item(number, rest)
        elif looks_like_units(cell) and st.pending:
            for t in st.pending:
                t.assignments = parse_units(cell, region=st.doc.region, issuer=st.doc.issuer)
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
    elif kind == "task":
        st.new_task(number, rest, _ORIG_NUMBER.sub("", block.cells[0], count=1), block.line)
    elif st.open_task is not None and not st.open_task.assignments and looks_like_units(cell):
        st.set_units(st.open_task, [cell])
        st.open_task = None
    elif st.open_task is not None and not st.open_task.assignments and kind in ("text", "sub") and not _DEBRIS.match(cell):
        st.open_task.text_norm += cell
        st.open_task.text += block.cells[0]
    elif st.section and not _DEBRIS.match(cell):
        st.bodies.setdefault(st.section, []).append((cell, block.cells[0]))


def _narrative_tasks(st: _State):
    """One task per obligation sentence in sections that hold no numbered task."""
    has_tasks = {t.section for t in st.tasks}
    parents_with_tasks = {t.section[:k] for t in st.tasks for k in range(1, len(t.section) + 1)}
    by_path = {s.path: s for s in st.sections}
    for path, lines in st.bodies.items():
        sec = by_path.get(path)
        if sec is None or path in has_tasks:
            continue
        if sec.scope == "plan" and path in parents_with_tasks:
            continue
        norm_sents = [x for line, _ in lines for x in _sentences(line)]
        orig_sents = [x for line, orig in lines for x in _sentences(_strip_heading(orig, line))]
        if len(orig_sents) != len(norm_sents):
            orig_sents = norm_sents
        n = 0
        for s, o in zip(norm_sents, orig_sents):
            core = s.strip("。;,  ")
            if len(core) < 10 or not _OBLIGATION.search(core) or looks_like_units(core):
                continue
            n += 1
            number = f"{sec.number}.{n}"
            st.tasks.append(Task(number=number, section=path, text=o, text_norm=s,
                                 order=len(st.tasks)))
    st.tasks.sort(key=lambda t: (_section_order(st, t.section), t.order))
    for i, t in enumerate(st.tasks):
        t.order = i


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。;；！!])", text) if s.strip()]


def _strip_heading(orig: str, norm_body: str) -> str:
    """The original-script prose of a line whose normalized prose is ``norm_body``: a heading line
    keeps its title before the prose, which must go."""
    kind, _, _ = classify(normalize(orig))
    if kind in ("part", "section"):
        m = re.match(r"^.{1,64}?[。.!！](.*)$", orig.strip())
        if m and m.group(1).strip():
            return m.group(1).strip()
    return orig


def _section_order(st: _State, path: tuple) -> int:
    for s in st.sections:
        if s.path == path:
            return s.order
    return -1
