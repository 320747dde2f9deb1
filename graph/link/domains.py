"""A lower task that lists the fields it covers (``重点推进教育、养老服务、医疗卫生等领域信息公开``) takes up
each requirement of the upper paragraph that is about one of those fields, though it shares little
wording with them (``学前教育、义务教育…``, ``养老服务扶持政策…``, ``城市医疗集团…``).

The rule, as an analyst states it: **a field the lower list names that occurs in one requirement of the
upper section and in no other says which requirement the list takes up; a list naming two or more
requirements so is a merge of them.** It only adds links, and only where the signal is strong:

- the list is a real enumeration (``A、B、C等领域/方面``), and each field is a specific word (its n-gram
  is in at most a tenth of the real plans' tasks: ``教育``, ``养老``, ``乡村振兴``, not ``服务``, ``建设``);
- a field names a requirement only if no other requirement of that upper section holds it (of the whole
  upper plan, for a task the scores left unlinked);
- at least two fields each name a different requirement of the section (the list maps onto the
  paragraph), or, for a task the scores left unlinked, two fields name the same requirement;
- a requirement another task of the lower document already takes up is left to it, and a candidate the
  order of the plans rules out (``order`` part below 1) is not taken.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .features import _Features, fixed_idf
from .text import _grams

# A、B、C等(重点)领域 / 方面 / 行业: the items are the runs of Chinese between the 、 (the first one is the
# tail of the words before it: 重点推进教育 → 教育, 推进教育)
_LIST = re.compile(r"((?:[\u4e00-\u9fff]{2,}、)+[\u4e00-\u9fff]{2,8})等(?:重点|重要|关键)?(?:领域|方面|行业)")
ITEM_MAX = 4            # an item longer than this is cut to its last four characters (a field's name)
SPECIFIC_SHARE = 0.10   # a field's bigram in at most this share of the real plans' tasks


def _specific_weight() -> float:
    # the IDF weight of an n-gram seen in SPECIFIC_SHARE of the tasks (fixed_idf's formula)
    return float(np.log(1.0 / SPECIFIC_SHARE)) + 1.0


def _weight(word: str) -> float:
    return float(fixed_idf()(_grams(word, (2,)))[0]) if len(word) == 2 else 0.0


@lru_cache(maxsize=4096)
def fields(text: str | None) -> list[tuple[str, ...]]:
    """The fields a task lists, each as the words that may name it in an upper text (the item, and its
    specific two-character halves).

    (Cached: a lower plan is scored against each of its parents; treat the list as read-only.)

    >>> fields("重点推进教育、养老服务、医疗卫生等领域信息公开。")
    [('推进教育', '教育'), ('养老服务', '养老'), ('医疗卫生', '医疗', '卫生')]
    """
    out: list[tuple[str, ...]] = []
    if not text or "、" not in text:
        return out
    floor = _specific_weight()
    for m in _LIST.finditer(text):
        for item in m.group(1).split("、"):
            item = item[-ITEM_MAX:]
            halves = [item] if len(item) == 2 else [item[:2], item[2:]] if len(item) == 4 else []
            specific = [h for h in halves if len(h) == 2 and _weight(h) >= floor]
            if not specific:
                continue        # 政务服务, 工作落实: words every plan uses say nothing of a field
            words = ([item] if len(item) > 2 else []) + specific
            out.append(tuple(dict.fromkeys(words)))
    return out


def field_links(FL: _Features, FU: _Features, order: np.ndarray | None,
                linked_to: dict[int, list[int]]) -> list[tuple[int, list[int]]]:
    """The links the fields add: ``[(lower row, [upper tasks])]``. ``linked_to`` maps each lower row to
    the upper tasks already chosen for it (the scores' links); an upper task in any of those lists is
    taken up already and is named by no list of another row."""
    L, U = FL.inp, FU.inp
    n_u = len(U.tasks)
    if not n_u:
        return []
    taken = {k: i for i, ks in linked_to.items() for k in ks}
    upper_clean = FU.clean        # the upper tasks' texts first, as _clean gives them (_Features)
    out = []
    for i, text in enumerate(L.texts):
        fs = fields(text) if text and "、" in text else []
        if len(fs) < 2:
            continue
        mine = linked_to.get(i, [])
        # where a field must be alone: the sections the row is linked into, else the whole upper plan
        groups = ([np.flatnonzero(FU.t_head == s).tolist() for s in {int(FU.t_head[j]) for j in mine}]
                  if mine else [list(range(n_u))])
        named: dict[int, set[int]] = {}     # upper task → the fields naming it
        for f, words in enumerate(fs):
            for inside in groups:
                hits = [k for k in inside if any(w in upper_clean[k] for w in words)]
                if len(hits) == 1:
                    named.setdefault(hits[0], set()).add(f)
        if mine:
            if len(named) < 2 or not any(k in named for k in mine):
                continue    # the list must map onto the paragraph its own link points into
            new = [k for k in named if k not in mine]
        else:
            new = [k for k, fs_k in named.items() if len(fs_k) >= 2]
            if len(new) != 1:
                continue
        new = [k for k in new if taken.get(k, i) == i and (order is None or order[i, k] >= 1.0)]
        if new:
            out.append((i, sorted(new)))
    return out
