"""One file in, one document's records out: read, reflow, structure, units, metadata (the package's
:func:`load_file`, imported on first use so that a reader of one loader's rule does not compile them all).

>>> from pathlib import Path
>>> recs = load_file(Path(__file__).parent.parent / "data" / "2021_taishan_culture_bureau_sections.txt",
...                  {"level": "department", "region": "江门市台山市", "issuer": "台山市文化广电旅游体育局", "year": 2021})
>>> len(recs.tasks), recs.tasks[0].assignments[0].role
(33, 'lead')
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

from core.errors import LoadError

from .clauses import annotate, explained_plan
from .cover import notice_only, plan_opening
from .digit_parts import digit_parts
from .note_key import apply_note_key
from .share_pages import drop_site_lines, join_share_chunks
from .qa import split_qa
from .blocks import Block
from .limits import display_name
from .own_title import amend_metadata
from .metadata import head_lines, level_of_issuer, level_of_title, level_of_units, read_metadata, town_region
from .normalize import is_traditional, normalize
from .number_issuer import issuer_of_number
from .places import is_place, place_level, region_of, title_region, unlisted_region
from .read import read_blocks
from .reflow import reflow
from .units import split_region
from core.records import Assignment, Document, DocumentRecords, Section, Task
from .structure import parse_structure
from .two_plans import other_plan_records, plan_title_lines, split_plans

from . import SUPPORTED

__all__ = ["load_file", "normalized_line"]
_REPORT = re.compile(r"(?:年度报告|工作总结|自查报告|情况报告|情况的报告|年报)$")
_NOTICE_WORDS = re.compile(r"通知|印发|转发|要点|方案|意见|办法|〔\d{4}〕")
_QA = re.compile(r"(?:^|(?<=[\n。.?？]))[问答][:：]")   # (a Q&A's lines, or its sentences once its breaks are lost)
# A notice's opening on one line of a page whose table kept its lines (…关于印发…的通知鲁教厅办字〔2023〕24号各市…:):
# its title, then its number or its addressees, glued; or its signer, then the date it signed
_GLUED_OPENING = re.compile(r"关于(?:[^。《》]|《[^《》]{1,60}》){2,60}?的(?:通知|公告)\s*(?:[\u4e00-\u9fff]{1,8}〔\d{4}\s*〕\d+号|各[^。]{1,60}?[:：])"
                             # or its signature glued to its date (…报送省政府办公厅。福建省人民政府办公厅2015年5月7日2015年…表)
                             r"|[。;](?:[\u4e00-\u9fff]{2,20}(?:办公厅|办公室|人民政府))\d{4}年\d{1,2}月\d{1,2}日")
_META_KEYS = ("id", "title", "level", "region", "year", "issuer", "doc_no", "issued_on", "cites", "kind", "parents")


def load_file(path: str | Path, overrides: dict | None = None, data: bytes | None = None) -> DocumentRecords:
    """Load one document. ``overrides`` (from the manifest) win over what the text says.

    Raises :class:`core.errors.LoadError` naming the file when it cannot be read as a document.
    """
    path = Path(path)
    overrides = overrides or {}
    if overrides.get("_error"):   # its manifest row is wrong (loaders.manifest): this document only is skipped
        raise LoadError(path, overrides["_error"])
    fmt, blocks, text = read_blocks(path, data)
    blocks = join_share_chunks(blocks)   # a sharing site's 1、2、3、 page chunks are no list of the document's
    read = blocks   # as read: a scan's blocks carry their OCR confidence
    reflow_notes: list[str] = []
    flat = reflow(blocks, reflow_notes)
    lost = flat is not blocks
    flat = drop_site_lines(flat)   # a sharing site's terms (1、本站…) and buttons above the text: the site's own
    qa = split_qa(flat)   # 问:…答:… on one line: each question and answer its own line
    if qa is not flat:   # (an answer's 1、2、 number its points, not the plan's tasks: no gap in them to report)
        reflow_notes = [n for n in reflow_notes if not n.startswith("numbering skips")]
    flat = qa
    norm_lines = [normalized_line(b) for b in flat]
    # A flattened opening (title, number, addressees, signature on one line) is cut back into its lines
    # for the metadata, as the same document with its lines gives them.
    lost_lines = lost or (len(norm_lines) <= 3 and any(len(x) > 200 for x in norm_lines)) or any(
        len(x) > 80 and _GLUED_OPENING.search(x) for x in norm_lines[:3])
    opening = head_lines(norm_lines) if lost_lines else norm_lines
    meta = amend_metadata(read_metadata(opening), opening)
    blocks = flat
    doc = Document(source=overrides.get("file") or display_name(path.name), format=fmt)
    doc.title = meta.get("title")
    doc.issuer = meta.get("issuer")
    doc.doc_no = meta.get("doc_no")
    doc.issued_on = meta.get("issued_on")
    doc.year = meta.get("year")
    doc.cites = meta.get("cites", [])
    doc.declared = meta.get("declared", {})
    doc.script = "zh-Hant" if is_traditional(text) else "zh-Hans"
    for key in _META_KEYS:
        if overrides.get(key) is not None:
            value = overrides[key]
            if key in ("issuer", "region") and isinstance(value, str):
                value = normalize(value)
            setattr(doc, key, value)
    if doc.level is None:
        doc.level = level_of_issuer(doc.issuer) or meta.get("addressed_level") or level_of_title(doc.title)
        if doc.level == "city" and not level_of_issuer(doc.issuer) and level_of_title(doc.title) == "county":
            # 市直有关部门 is how a county-level city (寿光市) addresses its bureaus too: the place its
            # title names says which it is.
            doc.level = "county"
    if doc.region is None and doc.level != "national":
        # No manifest row: the place the issuer's name opens with (台山市文化广电旅游体育局: 江门市台山市),
        # else the title's (…关于印发赤壁市2022年…), so that units are named in their region and the plan
        # finds its parent by region.
        title = doc.title or ""
        doc.region = (region_of(doc.issuer) or region_of(title) or region_of(title.partition("印发")[2])
                      or title_region(title) or title_region(doc.issuer))   # 南昌经济技术开发区管理委员会办公室
        if not doc.region:
            # A district or county-level city the divisions table lacks (红谷滩区, created 2019): its own
            # name, under the prefecture the text writes before it; a county-level place, whatever its 市.
            doc.region = unlisted_region([title, doc.issuer], "\n".join(norm_lines[:80]))
            parts = split_region(doc.region)
            if doc.level == "city" and parts and not is_place(parts[-1]):
                doc.level = "county"
        if doc.level in ("county", "department") and doc.region and place_level(split_region(doc.region)[-1]) == "city":
            # 济南市莱芜区人民政府办公室 with 莱芜区 newer than the divisions table: a county-level plan's
            # region reaches the district or county its title or issuer names under the prefecture (and a
            # bureau's: 南昌市红谷滩区市场监督管理局 is 红谷滩区's)
            deeper = unlisted_region([title, doc.issuer], "\n".join(norm_lines[:80]))
            if deeper and deeper.startswith(doc.region) and deeper != doc.region:
                doc.region = deeper
        posted = region_of(meta.get("posted_by") or "")
        if not doc.region and posted and place_level(split_region(posted)[-1]) == doc.level:
            doc.region = posted   # a bureau posts its own government's notice: the bureau's city is the notice's
        site = meta.get("site")
        if not doc.region and site and doc.level in (level_of_issuer(site), "department", None):
            doc.region = region_of(site)   # 中方县人民政府's site posts the notice: 怀化市中方县
        if doc.level == "township":   # its county's region, then the town its name gives
            doc.region = town_region(doc.region, doc.issuer, title, text="\n".join(norm_lines[:80]))
        if doc.level == "county" and doc.region and re.fullmatch(r"[\u4e00-\u9fff]{2,6}[区县]", doc.region):
            # 和平区, a name two cities share (天津, 沈阳): the one the text names its city of (天津市…要点)
            doc.region = next((r for c in dict.fromkeys(re.findall(r"[\u4e00-\u9fff]{2,4}?市", "\n".join(norm_lines[:80])))
                               if (r := region_of(c + doc.region)) and r.endswith(doc.region)), doc.region)
    if doc.region is None and doc.level != "national" and not {"issuer", "region", "level"} & set(overrides):
        # an issuer line that names no place (a mirror's advertisement in its stead, a bare 办公厅): the
        # number says who issued it (辽政办〔2016〕23号: 辽宁省人民政府办公厅), when the opening speaks at its level
        head = next((i for i, x in enumerate(norm_lines[:12]) if re.match(r"[一二三四五六七八九十]+、", x)), 12)
        named = issuer_of_number(doc.doc_no, "\n".join(norm_lines[:head]))   # the opening, not the tasks' notes
        if named:
            if doc.issuer:
                doc.warnings.append(f"issuer {doc.issuer} names no place: {named[0]}, as its number {doc.doc_no} says")
            doc.issuer, doc.level, doc.region = named
    if "[GAP]" in text:
        doc.truncated = True
        doc.warnings.append("truncated: the retrieved text has gaps ([GAP])")
    doc.warnings += reflow_notes
    # a notice issuing a plan beside its 政务公开 plan (政务服务 要点): that plan's lines read on their own,
    # each plan's title a line of its own again where the text lost its line breaks
    cut = plan_title_lines(blocks, doc.title)
    if cut is not blocks:
        blocks, norm_lines = cut, [normalized_line(b) for b in cut]
    span, whole_lines = split_plans(norm_lines, doc.title), norm_lines
    if span:
        other, blocks = blocks[span[0]:span[1]], blocks[:span[0] - 1] + blocks[span[1]:]
        norm_lines = norm_lines[:span[0] - 1] + norm_lines[span[1]:]
        apart = copy.copy(doc)
        apart.warnings = []   # (the other plan cut short says nothing of the 政务公开 plan's text)
        other = parse_structure(apply_note_key(digit_parts(other)), apart)
    sections, tasks = parse_structure(apply_note_key(digit_parts(blocks)), doc)   # (1、 for 一、 over (一) items)
    if doc.level is None and not doc.issuer and not doc.title:
        # A table on a page of its own: whom it assigns says whose it is.
        doc.level = level_of_units([a.name for t in tasks for a in t.assignments])
    if any(getattr(b, "ocr", False) for b in read):
        _mark_ocr(doc, read, tasks)
    if "kind" not in overrides:
        if any(s.path and s.path[0].startswith("附件") for s in sections) and any(
                t.section and t.section[0].startswith("附件") for t in tasks):
            doc.kind = "catalog"
        elif doc.title and "解读" in doc.title:
            doc.kind = "interpretation"
        elif doc.title and "台账" in doc.title:
            doc.kind = "ledger"
        elif len(_QA.findall("\n".join(norm_lines[:60])[:4000])) >= 3 or any("解读如下" in x for x in norm_lines[:4]):
            # 问:…的制定背景 / 答:…, or …印发《…要点》,现将有关内容解读如下: a 解读 with no title of its own
            doc.kind = "interpretation"
    if "kind" not in overrides and doc.title and _REPORT.search(doc.title):
        # A report says what was done (…工作要点落实情况报告 too: its title ends with what it is); read as
        # a plan, its paragraphs would be tasks nobody assigned.
        raise LoadError(path, f"a report ({_REPORT.search(doc.title).group(0)}), not a work plan: skipped")
    if not tasks and not sections:
        # A news page is no notice: a notice names what it issues (印发…要点/方案, a 〔2022〕 number).
        if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") < 20 or not _NOTICE_WORDS.search("\n".join(norm_lines)):
            raise LoadError(path, "no plan structure found (no numbered headings or tasks): not a work plan?")
        if doc.kind == "plan" and plan_opening(head_lines(norm_lines)):   # (however short a line the text lost its breaks into)
            # the notice, then the plan's own title and its first sentences: the plan, cut short
            doc.truncated = True
            doc.warnings.append("truncated: only the plan's opening was retrieved (no numbered part)")
        else:
            # A cover notice whose plan was not retrieved: a document still, with nothing to assign.
            doc.warnings.append("no plan structure found: only the cover notice or an opening was retrieved")
            if "kind" not in overrides and doc.kind != "interpretation":   # (a 解读 that asks nothing is still one)
                doc.kind = "notice"
    elif "kind" not in overrides and doc.kind == "plan" and notice_only(sections, tasks):
        # 印发…的通知 with points of its own, its plan not retrieved: the points are the notice's asks
        doc.kind = "notice"
        doc.warnings.append("only the cover notice was retrieved (its points read, not its plan)")
    if doc.kind == "interpretation" and doc.region is None and "region" not in overrides:
        # an untitled 解读 (问:…/答:…) is its plan's: the place and level the plan's name gives
        plan = explained_plan(doc.title, norm_lines) or ""
        doc.region = region_of(plan) or title_region(plan)
        doc.level = doc.level or level_of_title(plan)
    annotate(doc, tasks, whole_lines, sections)
    # the numbered rows an analyst counts: a goal of 工作目标 (1.到2023年底…) is none of them
    doc.parse = parse_check([t for t in tasks if t.clause != "framing"], reflow_notes)
    if span:   # the other plan's tasks: their addressees read, then marked as no 政务公开 requirement
        annotate(doc, other[1], whole_lines, other[0])
        more, marked = other_plan_records(*other, span[2], len(sections), len(tasks))
        sections, tasks = sections + more, tasks + marked
        doc.warnings.append(f"{len(marked)} task(s) of {span[2]}, issued beside the openness plan: read apart, "
                            f"none of its requirements" + (", its text cut short" if apart.truncated else ""))
    return DocumentRecords(document=doc, sections=sections, tasks=tasks)


def normalized_line(block: Block) -> str:
    """``normalize(block.text)``. A row's cells normalized one by one and joined as the row prints them
    give the same text (no step of the normalizer reaches across the ' | ' between two cells) unless a
    cell holds a '>' (an HTML tag's end), a line break or another space the normalizer neither folds
    nor makes a space (it strips them at a cell's ends only), or normalizes to nothing. The structure
    parser asks for the cells again, which the normalizer then remembers: a row is normalized once.

    >>> normalized_line(Block(("（一）加強", "區政務公開辦"), 1, row=True))
    '(一)加强 | 区政务公开办'
    """
    cells = block.printed().cells
    if len(cells) > 1:
        norm = [normalize(c) for c in cells]
        if all(norm) and not any(">" in c or _ODD_SPACE.search(c) for c in cells):
            return " | ".join(norm)
    return normalize(block.text)


_ODD_SPACE = re.compile(r"[\n\x0b\x0c\r\x1c-\x1f\x85\u1680\u2028\u2029]")


def parse_check(tasks: list[Task], notes: list[str]) -> dict:
    """How sure a load is, for ``cascade check`` and the app: numbered rows found against the highest
    number printed, the numbers missing between (the source's own gaps are named in the notes), rows
    with no unit cell of their own, and rows whose unit cells could not be found in flattened text.

    >>> parse_check([Task(number="1", section=(), text="a", text_norm="a"), Task(number="3", section=(), text="b", text_norm="b")], [])
    {'rows': 2, 'highest': 3, 'missing': ['2'], 'without_units': 2, 'unsplit': 0}
    """
    numbered = [t for t in tasks if t.number.isascii() and t.number.isdigit() and (not t.section or t.section[0] != "通知")]
    numbers = {int(t.number) for t in numbered}
    highest = max(numbers, default=0)
    unsplit = sum(int(m.group(1)) for n in notes for m in [re.search(r"(\d+) rows? whose unit cells", n)] if m)
    return {"rows": len(numbered), "highest": highest,
            "missing": [str(n) for n in range(1, highest + 1) if n not in numbers],
            "without_units": sum(1 for t in numbered if not t.assignments), "unsplit": unsplit}


def _mark_ocr(doc: Document, blocks, tasks: list[Task]) -> None:
    """Text read from a scan says so: the document's mean confidence (per character) and a warning the
    build prints and the app shows; each task the lowest confidence of the lines it was read from."""
    scanned = [b for b in blocks if getattr(b, "ocr", False)]
    chars = sum(len(b.text) for b in scanned) or 1
    doc.ocr_confidence = round(sum(b.confidence * len(b.text) for b in scanned) / chars, 3)
    low = sum(1 for b in scanned if b.confidence < 0.8)
    part = "" if len(scanned) == len(blocks) else f" ({len(scanned)} of {len(blocks)} lines)"
    doc.warnings.append(f"from a scan (OCR), confidence {doc.ocr_confidence:.2f}{part}"
                        + (f", {low} line(s) below 0.80" if low else "") + ": check names and numbers against the original")
    conf = {b.line: b.confidence for b in scanned}
    starts = sorted({t.line for t in tasks if t.line})
    for t in tasks:
        if not t.line:
            continue
        nxt = next((s for s in starts if s > t.line), t.line + 1)
        read = [conf[n] for n in range(t.line, max(nxt, t.line + 1)) if n in conf]
        if read:   # (a task on a page with a text layer has none)
            t.ocr_confidence = round(min(read), 3)
