"""Tasks of a plan written as prose: one task per obligation sentence of a section that holds no
numbered task, with the units its inline notes, its unit lines or its section's unit cell name."""
from __future__ import annotations

import re
import unicodedata

from core.records import Task

from .headings import counted_title, split_heading
from .normalize import normalize, to_simplified
from .numbering import classify
from core.roles import UNIT_LABELS

from .units import inline_notes, is_unit_name, looks_like_units, parse_units, units_in_prose
from .truncation import note_cut_at_the_end
from .labelled_heading import labelled_heading_task

__all__ = ["narrative_tasks"]

_TERMINAL = "。;;!！"
_OBLIGATION = re.compile(
    # 四是妥善处置政务舆情: a measure the plan counts (一是…二是…) is one of its asks, whatever its verb
    r"^[一二三四五六七八九十]是(?=[\u4e00-\u9fff])|"
    r"要|应|须|加强|做好|推进|推动|完善|建立|健全|提高|落实|开展|加大|强化|深化|确保|及时|持续|规范|严格|积极|"
    r"切实|组织|编制|梳理|发布|主动公开|负责|抓好|围绕|聚焦|探索|优化|提升|增强|督促|用好|办理|纳入|通报|报送|更新|制定|"
    # 深入解读数字政府建设的各项政策措施: explaining policies is what a 政务公开 plan asks (解读如下 introduces
    # an interpretation's own text, it asks nothing)
    r"解读(?!如下)|公布|回应|"
    # 重点公开“一枢纽四中心”建设…等政策举措: publishing, said with how (重点, 集中, 依法 …), is the ask itself
    r"(?:重点|集中|全面|定期|依法|同步|逐步|统一|按时|按规定|按要求|分类|实时)公开|公示|"
    # 清理行政审批中介服务事项 / 大力宣传和坚持… / 其他…资质资格审批一律取消 / 不得擅自…: a plan's sentence
    # that clears, publicizes, holds to, or forbids asks as much as one that 加强s
    r"清理|宣传|坚持|一律|不得"
)
# (…的制定背景, 制定的背景和目标, 制定依据: what a 解读 rests on, in a heading or a question)
_BACKGROUND = re.compile(r"背景|起草过程|起草情况|编制说明|名词解释|依据$|依据[和及与、]|制定依据|政策依据")
# A title in 《》 is a name: its words (《工作要点》共五部分16项任务) ask nothing of anyone.
_QUOTED_TITLE = re.compile(r"《[^《》]*》")

# A note that also says who answers for every task of the plan from here on (…。本要点各项工作均需各市、
# 县〔市、区〕政府作为责任单位,以下不再列出 / …,以下责任单位均包含各区县政府): a standing rule, no unit's name.
_NOTE_STANDING = re.compile(r"[。;；,，]?\s*(?:本要点|本方案|以下)?各项(?:工作|任务)均(?:需|须|由)(.+?)作为责任单位[^。;；]*"
                            r"|[。;；,，]?\s*以下.{0,12}?责任单位均(?:包含|包括|含|有)(.+?)$"
                            # (…负责。各县市区人民政府、园区管委会均为责任单位,以下不再列出: 湘潭 2022)
                            r"|[。;；,，]?\s*([^。;；,，]+?)均为责任单位[,，]\s*以下不再(?:一一)?列出[^。;；]*")
_ROLE_CLAUSE = re.compile(r"(?:牵头|负责|落实|配合|会同|协助|办理|承办)$")
_ATTACHMENT_ENTRY = re.compile(r"^\s*附件\s*\d{0,2}\s*[:：]\s*\S")
# 组 长:某某 / 副组长:某某 / 成 员:各处室负责人: a leading group's roster says who sits in it, it asks nothing
# 办公室  组织… / 法规处:负责…: a unit's name opening a paragraph, a wide space or a colon after it
_LEADING_UNIT = re.compile(r"^\s*([\u4e00-\u9fff()（）]{2,16}?)(?:[ \u3000\xa0]{2,}|\s*[:：]\s*)(?=[\u4e00-\u9fff])")
_ROSTER = re.compile(r"^\s*(?:副?组\s*长|成\s*员|组\s*员|副?主\s*任)\s*[:：]")


def narrative_tasks(st) -> None:
    """One task per obligation sentence in sections that hold no numbered task."""
    has_tasks = {t.section for t in st.tasks}
    parents_with_tasks = {t.section[:k] for t in st.tasks for k in range(1, len(t.section) + 1)}
    by_path = {s.path: s for s in st.sections}
    doc = st.doc
    rules = []   # (the first task a note's standing rule reaches, its units)
    short_titles = st.__dict__.get("point_titles", ())   # an answer's short point titles (loaders.qa): kept
    last_body = next(reversed(st.bodies), None) if st.bodies else None
    for path, lines in st.bodies.items():
        sec = by_path.get(path)
        if sec is None or path in has_tasks:
            continue
        if sec.scope == "plan" and path in parents_with_tasks:
            continue
        if _BACKGROUND.search(sec.title):
            continue  # an interpretation's 制定背景和起草过程 tells a story, it asks nothing
        if labelled_heading_task(st, sec, lines):
            continue  # (一)财政工作概况;…。/ 责任股室:办公室: the heading is the task, the label its units
        n = 0
        # Unit lines between the prose (a table printed one cell a line: 要求 / 市发改委牵头落实 / 要求 /
        # 市人社局牵头落实): each names the units of the prose since the one before it.
        marks = st.line_units.get(path, [])
        lines = _join_broken([(*ln, next((u for k, u in marks if k > i), None) if len(marks) > 1 else None)
                              for i, ln in enumerate(lines)])
        tail: list[Task] = []   # the last paragraph's tasks after its last note (all of them without one)
        for li, (line, orig, lineno, line_units) in enumerate(lines):
            if _ATTACHMENT_ENTRY.match(line) or _ROSTER.match(line) and "。" not in line:   # (a sentence glued on stays)
                continue   # 附件2:《分管负责人及联络人名单》: the notice lists what it encloses, it asks nothing
            # Inline notes (省政府办公厅牵头;省直有关部门按照职责分工负责) name the units of the
            # sentences of their paragraph; they are no sentence themselves.
            notes = inline_notes(line)
            if not notes and path == last_body and li == len(lines) - 1:
                notes = note_cut_at_the_end(line)   # (…(责任单位:某某、某某、省直管县〔: the text ends in its note)
            standing = [m.group(1) or m.group(2) or m.group(3) for _, cell in notes for m in _NOTE_STANDING.finditer(cell)]
            parsed = [parse_units(_NOTE_STANDING.sub("", cell), region=doc.region, issuer=doc.issuer,
                                  internal=doc.level == "department") for _, cell in notes]
            # Several notes in one paragraph (…规划信息。(市规划委负责落实)推进…信息公开。(市发改委负责落实)):
            # each names the sentences since the note before it, not the whole paragraph.
            marks = (_note_marks(line, [n for n, _ in notes])
                     if notes and _prose_after(line, [n for n, _ in notes]) else [])
            units = [a for got in parsed for a in got]
            for note, _ in notes:
                line = line.replace(note, "")
            if notes and not line.strip(_NOTE_LEFTOVER):
                # A note on a line of its own (…应公开尽公开。/ (牵头单位:县财政局)) names the sentences of
                # the paragraph above that no note of their own named.
                for t in tail:
                    t.assignments = list(units)
                tail = []
                continue
            tail = []
            orig = _drop_notes(orig)
            units = units or list(line_units if line_units is not None else st.section_units.get(path, []))
            head = None if units else _LEADING_UNIT.match(orig)
            name = normalize(head.group(1)) if head else ""
            if head and is_unit_name(name) and name not in UNIT_LABELS and line.startswith(normalize(head.group(0))):
                # 办公室  组织、协调…;统一受理…: a 分工 entry opens with its unit, set apart by a wide space or
                # a colon; it names the unit of every duty the entry lists
                units = list(parse_units(name + "负责", region=doc.region, issuer=doc.issuer,
                                         internal=doc.level == "department"))
                line, orig = line[len(normalize(head.group(0))):], orig[head.end():]
            norm_sents = _sentences(line)
            orig_sents = _sentences(_strip_heading(orig, line))
            if len(orig_sents) != len(norm_sents):
                orig_sents = norm_sents
            if marks:
                ends = [sum(map(len, norm_sents[:k + 1])) for k in range(len(norm_sents))]
                # the note after a sentence's end names it; after the last note, no note names any
                sent_units = [next((got for m, got in zip(marks, parsed) if e <= m), []) for e in ends]
            else:
                sent_units = [units] * len(norm_sents)
            if path in st.cut_bodies and li == len(lines) - 1 and norm_sents and norm_sents[-1][-1] not in _TERMINAL:
                norm_sents, orig_sents = norm_sents[:-1], orig_sents[:-1]   # cut by a [GAP]
            bare = []   # this paragraph's tasks that no note, line or cell gave units
            first = len(st.tasks)
            for s, o, units in zip(norm_sents, orig_sents, sent_units):
                core = s.strip("。;,  ")
                if looks_like_units(core) and _ROLE_CLAUSE.search(core) and bare:
                    # …加强政府网站建设。县政务服务中心负责。: a sentence that only names who does the ones before
                    got = parse_units(core, region=doc.region, issuer=doc.issuer, internal=doc.level == "department")
                    for t in bare:
                        t.assignments = list(got)
                    bare = []
                    continue
                if (len(core) < 10 and core not in short_titles or not _OBLIGATION.search(_QUOTED_TITLE.sub("", core))
                        or looks_like_units(core)):
                    continue
                n += 1
                number = f"{sec.number}.{n}"
                # No note, line or cell names its units: the one body the sentence charges does (县财政局要…).
                own = units or units_in_prose(s, doc.region, doc.issuer, doc.level == "department")
                st.tasks.append(Task(number=number, section=path, text=o, text_norm=s,
                                     order=len(st.tasks), assignments=list(own), line=lineno))
                if not own:
                    bare.append(st.tasks[-1])
                if not notes or (marks and not units):
                    tail.append(st.tasks[-1])
            if standing and len(st.tasks) > first:
                rules.extend((st.tasks[first], cell) for cell in standing)
    st.tasks.sort(key=lambda t: (_section_order(st, t.section), t.order))
    for i, t in enumerate(st.tasks):
        t.order = i
    st.standing += [(st.tasks.index(t), cell) for t, cell in rules]


def _drop_notes(orig: str) -> str:
    """The source-script line without its unit notes. The notes are found in the normalized text; a
    line in traditional script or with full-width brackets ([責任單位:…]) holds them in its own
    characters, found at the same place in its character-for-character simplified form."""
    for note, _ in inline_notes(orig):
        if note in orig:
            orig = orig.replace(note, "")
            continue
        plain = to_simplified(unicodedata.normalize("NFKC", orig))
        k = plain.find(note) if len(plain) == len(orig) else -1
        if k >= 0:
            orig = orig[:k] + orig[k + len(note):]
    return orig


_NOTE_LEFTOVER = " \u3000。.;；,，"


def _prose_after(line: str, notes: list[str]) -> bool:
    """Whether prose follows the last of several notes, or the one note of a paragraph (…项目公开。(牵头
    单位:县发改局)常态化推进…): each note then names the sentences since the note before it only."""
    if len(notes) > 1:
        return True
    return bool(line[line.rfind(notes[-1]) + len(notes[-1]):].strip(_NOTE_LEFTOVER))


def _note_marks(line: str, notes: list[str]) -> list[int]:
    """Where each note stands in ``line`` once the notes are taken out (the length of the prose before
    it), so that a sentence is named by the first note at or after its end."""
    out, at, removed = [], 0, 0
    for note in notes:
        i = line.find(note, at)
        if i < 0:
            return []
        out.append(i - removed)
        removed += len(note)
        at = i + len(note)
    return out


def _join_broken(lines: list) -> list:
    """A sentence a line or page break cut (…建立政务公开工作台账, / 详细登记…) is one sentence: a body
    line that stops mid-sentence (on a comma or a character) is joined with the next."""
    out: list = []
    for line, orig, lineno, *rest in lines:
        if (out and out[-1][0] and (out[-1][0][-1] in _CONTINUES or _cut_mid_word(out[-1][0], line))
                and not looks_like_units(out[-1][0]) and out[-1][3:] == tuple(rest)):
            pl, po, pn, *_ = out[-1]
            out[-1] = (pl + line, po + orig.strip(), pn, *rest)
        else:
            out.append((line, orig, lineno, *rest))
    return out


_CONTINUES = ",，、"


def _cut_mid_word(prev: str, line: str) -> bool:
    """A line that stops on a character (…深化减权放权、完善管 / 机制、创新服务方式等方面的信息公开。: a
    page's blank line cut the sentence, even a word) goes on in the next line when that line's first
    sentence asks nothing by itself: it is the rest of the cut sentence, not a sentence of its own.

    >>> _cut_mid_word("做好落实宏观政策、完善管", "机制、创新服务方式等方面的信息公开。")
    True
    >>> _cut_mid_word("工作要求", "各单位要按时报送。")
    False
    """
    first = (_sentences(line) or [""])[0]
    return ("\u4e00" <= prev[-1] <= "\u9fff" and bool(first) and first[-1] in _TERMINAL
            and not _OBLIGATION.search(_QUOTED_TITLE.sub("", first)) and not looks_like_units(line)
            and classify(line)[0] == "text")
_COUNTED_NEXT = re.compile(r"[二三四五六七八九十]是(?=[\u4e00-\u9fff])")


def _sentences(text: str) -> list[str]:
    """Sentences, a quotation being part of the sentence that quotes it (围绕“…取得新突破；…”的重要部署)."""
    out, cur, depth = [], [], 0
    for k, ch in enumerate(text):
        if not depth and cur and _COUNTED_NEXT.match(text, k) and "\u4e00" <= text[k - 1] <= "\u9fff" \
                and text[k - 1] not in "一二三四五六七八九十第":
            # 一是加强行政决策公开二是优化依申请公开服务: each counted measure is a sentence, the stop
            # before 二是 lost (a page or a writer dropped it)
            out.append("".join(cur))
            cur = []
        cur.append(ch)
        if ch in "“《(（":
            depth += 1
        elif ch in "”》)）" and depth:
            depth -= 1
        elif ch in "。;；！!" and not depth:
            out.append("".join(cur))
            cur = []
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def _strip_heading(orig: str, norm_body: str) -> str:
    """The original-script prose of a line whose normalized prose is ``norm_body``: a heading line
    keeps its title before the prose, which must go."""
    kind, _, rest = classify(normalize(orig))
    if kind in ("part", "section") and split_heading(rest, notice=True)[1] == rest.strip():
        # a paragraph with no title of its own (一、各地各单位要…): only its number goes
        return re.sub(r"^\s*[(（]?[一二三四五六七八九十]+[)）、.．]?\s*", "", orig, count=1)
    counted = counted_title(rest) if kind in ("part", "section") else None
    if counted:   # (…公开是加强…;二是…: the title and the 是 its lost 一 left go)
        body = re.sub(r"^\s*[(（]?[一二三四五六七八九十]+[)）、.．]?\s*", "", orig, count=1)[len(counted):]
        return body[1:] if body[:1] == "是" else body
    if kind in ("part", "section"):
        m = re.match(r"^.{1,64}?[。.!！](.*)$", orig.strip())
        if m and m.group(1).strip():
            return m.group(1).strip()
    return orig


def _section_order(st, path: tuple) -> int:
    for s in st.sections:
        if s.path == path:
            return s.order
    return -1
