"""The plain records a loader produces: no graph, no storage, only data.

A loader turns one file into one :class:`DocumentRecords`. Identifiers are *paths of printed
numbers* (``("一", "(一)", "1")``), never counters, so that the graph builder can derive ids that
stay the same across rebuilds.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# A township (乡镇/街道办事处) is the government level below a county: its plan takes up what the county's
# assigns to 各乡镇(街道). A department plan (a bureau assigning to its own 科室/股室) sits under a bureau
# of any level, so it stays last.
LEVELS = ("national", "province", "city", "county", "township", "department")
LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}   # national 0 … department 5; unknown sorts last
# The relationships that link a lower task to what it derives from (and a plan to last year's).
LINK_TYPES = ("IMPLEMENTS", "DERIVED_FROM", "CONTINUES")
from core.roles import ROLES  # noqa: F401  (records carry roles; the table lives in core.roles)
KINDS = ("plan", "ledger", "interpretation", "notice", "catalog")


class _Record:
    """Base of the record classes, which are slotted: a million tasks and their units in memory cost
    a third less without an attribute dict each, and they pickle (worker → parent) faster."""
    __slots__ = ()

    def __reduce__(self):
        # Pickled as the class and its fields' values, unpickled by the dataclass's own __init__: at 1M
        # tasks the build's process unpickles every record the loader workers send, and rebuilding each
        # from a {slot: value} dict with a setattr per field (pickle's default for slots) took it 2-4
        # times as long (~14 CPU s at 1M, beside the workers on 2 cores); the bytes are 18 % fewer.
        return type(self), tuple([getattr(self, name) for name in _init_fields(type(self))])

    def __setstate__(self, state) -> None:
        # Records pickled before __reduce__ (an older record cache) come as (None, {slot: value}), those
        # before the slots as their plain __dict__: both load.
        if isinstance(state, tuple):
            state = {**(state[0] or {}), **(state[1] or {})}
        for name, value in state.items():
            object.__setattr__(self, name, value)


def _init_fields(cls) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        from dataclasses import fields

        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))   # every field is an __init__ argument
    return names


_FIELDS: dict[type, tuple[str, ...]] = {}

@dataclass(slots=True)
class Document(_Record):
    source: str                      # file name, as given
    id: str | None = None            # from the manifest, else derived by the builder
    title: str | None = None
    level: str | None = None
    region: str | None = None
    year: int | None = None
    issuer: str | None = None
    doc_no: str | None = None
    issued_on: str | None = None     # ISO date
    cites: list[str] = field(default_factory=list)
    kind: str = "plan"
    parents: list[str] = field(default_factory=list)   # manifest: ids, doc numbers or files
    declared: dict = field(default_factory=dict)        # "5部分15方面共52项" -> {parts: 5, ...}
    truncated: bool = False
    script: str = "zh-Hans"          # zh-Hans or zh-Hant: what the source was written in
    format: str = "text"             # text, html, docx, xlsx, pdf, doc, xls, ofd, image
    warnings: list[str] = field(default_factory=list)
    # loaders/clauses.py: what the issuer is, the level of the plan it owes to, the plan an
    # interpretation explains, and the plans its text names by title
    tier: str | None = None          # "county/government", "county/department", …
    parent_level: str | None = None
    explains: str | None = None
    parent_cited: list[str] = field(default_factory=list)
    # How sure the load is (loaders.load_file): numbered rows found, the highest number printed, the
    # numbers missing between, rows with no unit of their own, rows whose cells could not be split.
    parse: dict = field(default_factory=dict)
    ocr_confidence: float | None = None   # read from a scan: OCR's mean confidence (per character)


@dataclass(slots=True)
class Section(_Record):
    path: tuple[str, ...]            # printed numbers from the top: ("一", "(一)")
    number: str                      # as printed, normalized brackets: "(一)"
    title: str
    depth: int
    order: int = 0
    scope: str = "plan"              # "plan", or "notice" for a cover notice's own points


@dataclass(slots=True)
class Assignment(_Record):
    name: str                        # as written, original script ("區市場監管局")
    role: str                        # lead / implement / cooperate / support
    canonical: str                   # simplified, region-qualified ("广州市黄埔区市场监管局")
    short_name: str                  # simplified, as written without role words ("区市场监管局")
    region: str | None = None
    collective: bool = False
    alias: str | None = None         # "(行政审批服务股)"
    column: str = "own"              # "own", or "upper" for a column repeating the level above


@dataclass(slots=True)
class Task(_Record):
    number: str                      # as printed: "12", "(一).3" for narrative sentences
    section: tuple[str, ...]         # path of the section it sits in (may be ())
    text: str                        # as in the source, script unchanged
    text_norm: str                   # simplified, cleaned: what matching uses
    order: int = 0
    deadlines: list[str] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    inherited_units: bool = False    # units came from a merged cell above
    line: int | None = None          # 1-based line in the source
    clause: str = "obligation"       # or purpose / manner / penalty / closing / background / framing (loaders/clauses.py)
                                     # / other_plan (a plan issued beside the 政务公开 one: loaders/two_plans.py)
    addressees: list[str] = field(default_factory=list)    # phrases naming whom it asks (省级政府 …)
    addressed_to: list[str] = field(default_factory=list)  # tiers those stand for; empty: everyone
    national_only: bool = False      # its subject is a national body only (国务院有关部门…): asks no level below
    ocr_confidence: float | None = None   # from a scan: the lowest confidence of the lines it was read from


@dataclass(slots=True)
class DocumentRecords(_Record):
    document: Document
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def units(self) -> list[Assignment]:
        """Every assignment of every task, in order (the unit records of the document)."""
        return [a for t in self.tasks for a in t.assignments]

    def to_dict(self) -> dict:
        return asdict(self)
