"""``cascade eval``: score loading and linking against a gold file (format of shared/gold/seeds.yaml).

Documents named in the gold are looked up beside it (the gold's folder, its sibling folders such as
``seeds/`` and ``corpus/``, and any folder given); the gold's own metadata (level, year, region,
issuer) serves as their manifest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.errors import CascadeError
from loaders.normalize import normalize

__all__ = ["evaluate", "Score", "read_gold", "resolve_gold_files", "compare_link_methods", "calibrate_links"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: "Score") -> "Score":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    counts: list[dict] = field(default_factory=list)       # {doc, key, expected, found, ok}
    units: dict[str, Score] = field(default_factory=dict)  # per document
    links: Score = field(default_factory=Score)
    link_details: list[dict] = field(default_factory=list)
    local: dict = field(default_factory=dict)              # {"total", "abstained"}
    deadlines: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        units_all = Score()
        for s in self.units.values():
            units_all += s
        return {"counts": self.counts, "units": {k: v.as_dict() for k, v in self.units.items()},
                "units_overall": units_all.as_dict(), "links": self.links.as_dict(),
                "link_details": self.link_details, "local": self.local, "deadlines": self.deadlines}


def read_gold(path: str | Path) -> dict:
    path = Path(path)
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CascadeError(f"{path}: cannot read gold file ({err})") from err
    if not isinstance(gold, dict) or "documents" not in gold:
        raise CascadeError(f"{path}: not a gold file (no 'documents:')")
    return gold


def resolve_gold_files(gold: dict, gold_path: Path, extra: list[Path] = ()) -> dict[str, Path]:
    """Gold file name → path on disk."""
    roots = [gold_path.parent, *[d for d in sorted(gold_path.parent.parent.iterdir()) if d.is_dir()], *extra]
    out = {}
    for entry in gold["documents"]:
        name = entry["file"]
        for root in roots:
            hit = root / name
            if hit.is_file():
                out[name] = hit
                break
        else:
            raise CascadeError(f"{gold_path}: document {name} not found beside the gold file")
    return out


def _doc_id(name: str) -> str:
    from graph.build import document_id
    from core.records import Document, DocumentRecords

    return document_id(DocumentRecords(Document(source=name)))


def evaluate(gold_path: str | Path, extra_dirs: list[Path] = ()) -> Report:
    from graph.build import build_graph
    from graph.link import link
    from loaders import load_file

    gold_path = Path(gold_path)
    gold = read_gold(gold_path)
    files = resolve_gold_files(gold, gold_path, list(extra_dirs))
    records = {}
    for entry in gold["documents"]:
        meta = {k: entry[k] for k in ("level", "year", "region", "issuer", "kind") if k in entry}
        records[entry["file"]] = load_file(files[entry["file"]], meta)
    G = build_graph(list(records.values()))
    link(G)
    report = Report()
    for entry in gold["documents"]:
        rec = records[entry["file"]]
        _score_counts(report, entry, rec)
        if "units" in entry or "catalog_units" in entry:
            report.units[entry["file"]] = _score_units(entry, rec)
        _score_deadlines(report, entry, rec)
    _score_links(report, gold, G)
    return report


def _plan_sections(rec):
    return [s for s in rec.sections if s.scope == "plan" and not s.path[0].startswith("附件")]


def _score_counts(report: Report, entry: dict, rec) -> None:
    counts = entry.get("counts", {})
    secs = _plan_sections(rec)
    plan_tasks = [t for t in rec.tasks if not t.section or (t.section[0] != "通知" and not t.section[0].startswith("附件"))]
    numbered = [t for t in plan_tasks if re.fullmatch(r"\d+", t.number)]
    depth1 = [s for s in secs if s.depth == 1]
    depth2 = [s for s in secs if s.depth == 2]
    found = {
        "parts": len([s for s in depth1 if any(x.path[:1] == s.path for x in depth2)]),
        "sections": len(depth2) if depth2 else len(depth1),
        "aspects": len(depth2),
        "tasks": len(numbered),
        "tasks_min": len(plan_tasks),
        "catalog_items": len([t for t in rec.tasks if t.section and t.section[0].startswith("附件")]),
        "distinct_units_in_catalog": len({a.canonical for t in rec.tasks if t.section and t.section[0].startswith("附件")
                                          for a in t.assignments}),
    }
    for key, expected in counts.items():
        got = found.get(key)
        ok = got is not None and (got >= expected if key.endswith("_min") else got == expected)
        report.counts.append({"doc": entry["file"], "key": key, "expected": expected, "found": got, "ok": ok})
    # What the text says the full plan holds ("5部分15方面共52项"), read by the metadata parser.
    for key, expected in (entry.get("declared") or {}).items():
        got = rec.document.declared.get(key)
        report.counts.append({"doc": entry["file"], "key": f"declared {key}", "expected": expected, "found": got,
                              "ok": got == expected})
    # Parent documents cited by number: each one the gold names must be found.
    if entry.get("cites"):
        found_cites = [c for c in entry["cites"] if c in rec.document.cites]
        report.counts.append({"doc": entry["file"], "key": "cites", "expected": len(entry["cites"]),
                              "found": len(found_cites), "ok": len(found_cites) == len(entry["cites"])})


def _unit_matches(canonical: str, gold_name: str) -> bool:
    c = normalize(canonical)
    g = normalize(gold_name)
    return c.endswith(g) or c.endswith(g.lstrip("各"))


def _score_units(entry: dict, rec) -> Score:
    score = Score()
    by_number = {}
    for t in rec.tasks:
        by_number.setdefault(t.number, t)
    for number, spec in (entry.get("units") or {}).items():
        t = by_number.get(str(number))
        predicted = [(a.canonical, a.role) for a in t.assignments if a.column == "own"] if t else []
        matched = set()
        for role, names in spec.items():
            for g in names:
                hit = next((i for i, (c, r) in enumerate(predicted)
                            if i not in matched and _unit_matches(c, g) and (role == "any" or r == role)), None)
                if hit is None:
                    score.fn += 1
                else:
                    matched.add(hit)
                    score.tp += 1
        # A predicted unit that gold names under another role is a wrong reading.
        for i, (c, r) in enumerate(predicted):
            if i in matched:
                continue
            for role, names in spec.items():
                if role != "any" and any(_unit_matches(c, g) for g in names) and r != role:
                    score.fp += 1
                    break
    for domain, unit in (entry.get("catalog_units") or {}).items():
        t = next((t for t in rec.tasks if t.section and t.section[0].startswith("附件") and domain in t.text_norm), None)
        if t and any(_unit_matches(a.canonical, unit) for a in t.assignments):
            score.tp += 1
        else:
            score.fn += 1
    return score


def _score_deadlines(report: Report, entry: dict, rec) -> None:
    all_deadlines = {d for t in rec.tasks for d in t.deadlines}
    for d in entry.get("deadlines_include", []) or []:
        ok = any(x.endswith(d) for x in all_deadlines)
        report.deadlines.append({"doc": entry["file"], "expected": d, "ok": ok})
    by_number = {t.number: t for t in rec.tasks}
    for number, ds in (entry.get("deadlines") or {}).items():
        t = by_number.get(str(number))
        for d in ds:
            report.deadlines.append({"doc": entry["file"], "task": str(number), "expected": d,
                                     "ok": bool(t and d in t.deadlines)})


def _resolve_ref(G, ref: str) -> tuple[str, str]:
    """'FILE#NUMBER' or 'FILE#二/(三)' → (doc id, what to match)."""
    file, _, rest = ref.partition("#")
    return _doc_id(file), rest


def _covers(G, target: str, doc: str, rest: str) -> bool:
    """Does linking to node ``target`` satisfy the gold reference doc#rest?"""
    d = G.nodes[target]
    if d.get("doc_id", target) != doc:
        return False
    if "/" in rest or not re.fullmatch(r"\d+", rest):
        path = "/".join((doc, *rest.split("/")))
        return target == path or target.startswith(path + "/")
    return d.get("label") == "Task" and d.get("number") == rest


def _score_links(report: Report, gold: dict, G) -> None:
    def lower_node(ref: str):
        doc, number = _resolve_ref(G, ref)
        return next((n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc
                     and d.get("number") == number), None)

    proposed = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") == "DERIVED_FROM" and d.get("status") != "rejected":
            proposed.setdefault(u, []).append(v)
    gold_lowers = set()
    for link in gold.get("links", []) or []:
        lower = lower_node(link["lower"])
        refs = [link["upper"], *(link.get("alternatives") or [])]
        targets = proposed.get(lower, []) if lower else []
        ok = any(_covers(G, t, *_resolve_ref(G, r)) for t in targets for r in refs)
        wrong = [t for t in targets if not any(_covers(G, t, *_resolve_ref(G, r)) for r in refs)]
        if lower:
            gold_lowers.add(lower)
        report.links.tp += ok
        report.links.fn += not ok
        # every wrong target counts, even beside a right one: a wrong link is worse than none
        report.links.fp += len(wrong)
        report.link_details.append({"lower": link["lower"], "upper": link["upper"], "found": ok,
                                    "proposed": targets, "wrong": wrong})
    locals_ = [lower_node(ref) for ref in gold.get("local", []) or []]
    abstained = sum(1 for n in locals_ if n and not proposed.get(n))
    report.links.fp += sum(1 for n in locals_ if n and proposed.get(n))
    report.local = {"total": len(locals_), "abstained": abstained}


THRESHOLDS = (0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.20, 0.25, 0.30, 0.40)


def _gold_base(gold_path: Path, extra_dirs) -> tuple[dict, object]:
    """The gold and its documents as a graph with IMPLEMENTS edges (no task links yet)."""
    from graph.build import build_graph
    from graph.link import link_documents
    from loaders import load_file

    gold = read_gold(gold_path)
    files = resolve_gold_files(gold, gold_path, list(extra_dirs))
    recs = []
    for entry in gold["documents"]:
        meta = {k: entry[k] for k in ("level", "year", "region", "issuer", "kind") if k in entry}
        recs.append(load_file(files[entry["file"]], meta))
    base = build_graph(recs)
    link_documents(base)
    return gold, base


def _unlinkable(G, lower_doc: str, upper_doc: str) -> list[str]:
    """Lower tasks that cannot derive from the loaded upper text: when the two plans mirror each other's
    headings (at least two headings with the same path and title) and the upper text is cut short, the
    tasks under a heading path the upper document does not hold."""
    from loaders.normalize import normalize

    def heads(doc):
        return {n.split("/", 1)[1]: normalize(d.get("title") or "") for n, d in G.nodes(data=True)
                if d.get("label") == "Section" and d.get("doc_id") == doc and d.get("scope", "plan") == "plan"}

    if not G.nodes[upper_doc].get("truncated"):
        return []
    lower, upper = heads(lower_doc), heads(upper_doc)
    if sum(1 for p, t in lower.items() if t and upper.get(p) == t) < 2:
        return []
    return sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == lower_doc
                  and d.get("scope", "plan") == "plan" and d.get("section_id")
                  and d["section_id"].split("/", 1)[1] not in upper)


def calibrate_links(gold_path: str | Path, extra_dirs: list[Path] = (), methods=None) -> dict:
    """Where the abstention threshold belongs: the score of the lowest right link on the gold (the best
    candidate of a gold lower task, when it is right) against the highest best score of a task that
    cannot derive from the loaded upper text (the gold's ``local`` tasks, and tasks under headings a
    mirrored upper plan that is cut short does not hold). The threshold is their midpoint.

    Returns ``{lowest_right, highest_unlinkable, unlinkable, wrong_best, threshold, in_use}``.
    """
    from graph.link import DEFAULT_METHODS, DEFAULT_THRESHOLD
    from graph.link.documents import pairs_of
    from graph.link.features import _TaskIndex
    from graph.link.scoring import score_pair

    gold_path = Path(gold_path)
    gold, G = _gold_base(gold_path, extra_dirs)
    index = _TaskIndex(G)
    best: dict[str, tuple[float, str]] = {}      # lower task → (best score, upper task)
    negatives: set[str] = set()
    for lower_doc, upper_doc in pairs_of(G, "IMPLEMENTS"):
        ps = score_pair(index, lower_doc, upper_doc, methods or DEFAULT_METHODS)
        for i, n in enumerate(ps.lowers):
            if len(ps.uppers):
                j = int(ps.score[i].argmax())
                if float(ps.score[i, j]) > best.get(n, (-1.0, ""))[0]:
                    best[n] = (float(ps.score[i, j]), ps.uppers[j])
        negatives.update(_unlinkable(G, lower_doc, upper_doc))

    def lower_node(ref):
        doc, number = _resolve_ref(G, ref)
        return next((n for n, d in G.nodes(data=True) if d.get("label") == "Task" and d.get("doc_id") == doc
                     and d.get("number") == number), None)

    right, wrong = [], 0
    for link in gold.get("links", []) or []:
        n = lower_node(link["lower"])
        if n not in best:
            continue
        score, up = best[n]
        refs = [link["upper"], *(link.get("alternatives") or [])]
        if any(_covers(G, up, *_resolve_ref(G, r)) for r in refs):
            right.append(score)
        else:
            wrong += 1
    negatives.update(n for n in (lower_node(r) for r in gold.get("local", []) or []) if n)
    neg = [best[n][0] for n in negatives if n in best]
    lo, hi = (min(right) if right else None), (max(neg) if neg else None)
    threshold = round((lo + hi) / 2, 3) if lo is not None and hi is not None and lo > hi else None
    return {"lowest_right": lo and round(lo, 3), "highest_unlinkable": hi and round(hi, 3),
            "unlinkable": len(neg), "wrong_best": wrong, "threshold": threshold, "in_use": DEFAULT_THRESHOLD}


def compare_link_methods(gold_path: str | Path, extra_dirs: list[Path] = (), presets=None,
                         thresholds=THRESHOLDS) -> list[dict]:
    """Link F1 on the gold per method preset (:data:`graph.link.PRESETS`, cumulative), each at the
    default threshold and at its best threshold of ``thresholds`` (optimistic: chosen on the gold).

    One row per preset: ``{method, f1, precision, recall, locals_unlinked, best_threshold, best_f1}``.
    """
    import copy

    from graph.link import DEFAULT_THRESHOLD, PRESETS, link_tasks
    from graph.link.features import _TaskIndex

    gold, base = _gold_base(Path(gold_path), extra_dirs)
    index = _TaskIndex(base)   # shared: the encoder embeds each task once
    rows = []
    for name in presets or PRESETS:
        methods = PRESETS[name]
        scores = {}
        for thr in sorted({*thresholds, DEFAULT_THRESHOLD}):
            G = copy.deepcopy(base)
            link_tasks(G, thr, methods, index=index, evict=False)
            rep = Report()
            _score_links(rep, gold, G)
            scores[thr] = rep
        at = scores[DEFAULT_THRESHOLD]
        best = max(scores, key=lambda t: (scores[t].links.f1, scores[t].local.get("abstained", 0), -abs(t - DEFAULT_THRESHOLD)))
        rows.append({"method": name, "f1": round(at.links.f1, 4), "precision": round(at.links.precision, 4),
                     "recall": round(at.links.recall, 4),
                     "locals_unlinked": f"{at.local.get('abstained', 0)}/{at.local.get('total', 0)}",
                     "best_threshold": best, "best_f1": round(scores[best].links.f1, 4),
                     "best_locals_unlinked": f"{scores[best].local.get('abstained', 0)}/{scores[best].local.get('total', 0)}"})
    return rows

