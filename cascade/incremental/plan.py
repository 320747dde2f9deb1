"""The plan of an incremental build: which files changed, and which document links change with them —
``IMPLEMENTS`` of the documents that could see the change, and the pairs of documents whose task links
(``DERIVED_FROM``, ``CONTINUES``) are made again. Everything else stays as the store holds it.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from cascade.incremental.keys import content_code, content_key, entry_hash
from cascade.incremental.state import DOC_FIELDS, file_stat, stored_form_key
from cascade.loading import form_key

__all__ = ["Plan", "find_changes", "two_forms"]


def find_changes(files: list[str], real: dict[str, str], manifest, entry_keys: dict[str, str],
                 old: dict[str, tuple]) -> tuple[dict[str, tuple], list[str], list[str]]:
    """Each file's (size, mtime_ns, entry hash, content key) by real path, the files whose content key
    is new, and the (real) files gone. A file whose stat and manifest entry are as the state remembers
    them is not read."""
    keys, changed = {}, []
    no_entry = entry_hash(None)
    code = content_code()
    for f in files:
        r = real[f]
        ek = entry_keys.get(r) or no_entry
        st = file_stat(r)
        prev = old.get(r)
        if prev is not None and prev[0] == st[0] and prev[1] == st[1] and prev[2] == ek:
            keys[r] = prev
            continue
        key = content_key(Path(r), manifest.get(r), code)
        keys[r] = (*st, ek, key)
        if prev is None or prev[3] != key:
            changed.append(f)
    gone = [f for f in old if f not in keys]
    return keys, changed, gone


def two_forms(changed: dict, docs: dict, removed: set) -> bool:
    """Whether a changed document is the same document as another one, given in another form (see
    :func:`cascade.loading.unique_documents`): the full build keeps one of them."""
    keys = {}
    for did, info in docs.items():
        if did in removed or did in changed:
            continue
        k = info["form_key"] if "form_key" in info else stored_form_key(did, info)
        if k:
            keys[k] = did
    for did, rec in changed.items():
        d = rec.document
        k = form_key(d.title, d.issuer, d.doc_no, named=bool(d.id))
        if k and k in keys:
            return True
        if k:
            keys[k] = did
    return False


class Plan:
    """Which document links change: ``IMPLEMENTS`` of the documents that could see the change, and the
    pairs of documents whose task links (``DERIVED_FROM``, ``CONTINUES``) are made again."""

    def __init__(self, old_docs: dict, docs: dict, touched: set, implements: dict, continues: set):
        from graph import link as L

        self.old_docs, self.docs, self.touched = old_docs, docs, touched
        self.stored_graphs: dict[str, nx.MultiDiGraph | None] = {}   # the touched documents' stored graphs (apply)
        removed = {d for d in touched if d not in docs}
        # 1. IMPLEMENTS: the documents whose parents may change, linked again on the few they could name
        seen = self._seers()
        S = self._doc_graph(seen)
        L.link_documents(S)
        self.implements = {p: v for p, v in implements.items() if p[0] not in seen and p[0] not in removed
                           and p[1] not in removed}
        for a, b, d in S.edges(data=True):
            if d.get("type") == "IMPLEMENTS" and a in seen:
                self.implements[(a, b)] = d.get("via")
        self.reimplemented = seen   # their IMPLEMENTS edges are replaced
        # 2. DERIVED_FROM: pairs new or with a changed side; stale: old pairs that are gone or changed
        changed = {d for d in touched if d in docs}
        self.dirty_pairs = {p for p in self.implements if p[0] in changed or p[1] in changed or p not in implements}
        self.stale_pairs = {p for p in implements if p[0] in touched or p[1] in touched or p not in self.implements}
        # 3. CONTINUES: an issuer's plan and its plan of the year before
        issuers = {docs[n]["issuer_key"] for n in changed if docs[n]["issuer_key"]}
        groups: dict[tuple, list[str]] = {}   # (issuer, year) → its plans, for the changed documents' issuers
        for n, d in docs.items():
            if d["issuer_key"] in issuers and d.get("plan_tasks") and d.get("year"):
                groups.setdefault((d["issuer_key"], d["year"]), []).append(n)
        self.continues = {p for p in continues if p[0] not in touched and p[1] not in touched}
        self.dirty_continues = set()
        for n in changed:
            d = docs[n]
            if not (d.get("plan_tasks") and d["issuer_key"] and d.get("year")):
                continue
            self.dirty_continues.update((n, p) for p in groups.get((d["issuer_key"], d["year"] - 1), ()))
            self.dirty_continues.update((c, n) for c in groups.get((d["issuer_key"], d["year"] + 1), ()))
        self.continues |= self.dirty_continues
        self.linked_docs = ({d for p in self.dirty_pairs for d in p} | {d for p in self.dirty_continues for d in p}
                            | changed)

    def _seers(self) -> set:
        """Documents whose IMPLEMENTS could change: the changed ones, and those that name a touched
        document (manifest parents, citations) or lie below one in its region chain (inferred parents,
        citations without a number)."""
        keys, places = set(), set()
        for n in self.touched:
            for d in (self.old_docs.get(n), self.docs.get(n)):
                if d is not None:
                    keys.update(x for x in (n, d.get("source"), d["docno_key"]) if x)
                    places.add((d["place"], d["rank"]))
        out = {n for n in self.touched if n in self.docs}
        for n, d in self.docs.items():
            if n in out:
                continue
            if keys.intersection(d["ref_keys"]) or keys.intersection(d["cite_keys"]):
                out.add(n)
                continue
            for place, rank in places:
                if d["rank"] > rank and (place == "全国" or place in d["chain"]):
                    out.add(n)
                    break
        return out

    def _doc_graph(self, seen: set) -> nx.MultiDiGraph:
        """The documents in ``seen`` and every document they could name, each with as many (empty) task
        nodes as it has tasks: what :func:`graph.link.link_documents` looks at."""
        want_keys, want_places = set(), set()
        for n in seen:
            d = self.docs[n]
            want_keys.update(d["ref_keys"], d["cite_keys"])
            want_places.update([*d["chain"], "全国"])
        keep = set(seen)
        for n, d in self.docs.items():
            if n in want_keys or d.get("source") in want_keys or d["place"] in want_places \
                    or (d["docno_key"] and d["docno_key"] in want_keys):
                keep.add(n)
        S = nx.MultiDiGraph()
        for n in sorted(keep):   # a full build adds documents in id order: the same ties break the same way
            d = self.docs[n]
            S.add_node(n, label="Document", **{k: d.get(k) for k in DOC_FIELDS})
        for n in sorted(keep):
            S.add_nodes_from(((f"{n}\x00{i}", {"label": "Task", "doc_id": n}) for i in range(self.docs[n]["n_tasks"])))
        return S
