"""The roles table: which words give a responsible unit which role. The one place 牵头 is defined.

A unit *leads* (牵头), *implements* (落实/办理), *cooperates* (配合/会办) or *supports* (指导) a task. Plans
say so in three places, all read from here: a word after the units (``市财政局牵头``), a label before
them (``牵头单位：市财政局``), or the header of a table column (``牵头单位 | 配合单位``).
"""
from __future__ import annotations


__all__ = ["ROLES", "ROLE_WORDS", "UNIT_LABELS", "UNIT_COLUMNS", "role_words_pattern"]

ROLES = ("lead", "implement", "cooperate", "support")

# A word after the units. Longest first in any regex built from it: 参照落实 before 落实.
ROLE_WORDS = {
    "按职能分工落实": "implement", "按职责分工落实": "implement", "按职责落实": "implement",
    "按照职责分工负责": "implement", "按职责分工负责": "implement", "按照职责分工落实": "implement",
    "分工负责": "implement", "按职责负责": "implement", "按照职责负责": "implement",
    "参照落实": "implement", "负责落实": "implement", "具体落实": "implement",
    "技术支持": "support", "业务指导": "support",
    # (局防控办主办、各工作组协办: 主办 leads as 协办 helps, the pair a bureau's table words as 牵头/配合)
    "牵头": "lead", "负责": "lead", "主责": "lead", "主办": "lead",
    "落实": "implement", "办理": "implement", "承办": "implement", "实施": "implement", "执行": "implement",
    "配合": "cooperate", "会办": "cooperate", "协助": "cooperate", "协办": "cooperate", "参与": "cooperate",
    "指导": "support",
    # The role word and the doing (牵头落实: leads it; 配合实施: helps carry it out): the role is the first.
    **{role_word + doing: role for role_word, role in (("牵头", "lead"), ("配合", "cooperate"), ("协助", "cooperate"))
       for doing in ("落实", "负责", "办理", "实施", "推进")},
}
# 分别牵头落实, 共同负责: the adverb says how several units share the role, not which role.
ROLE_WORDS.update({adverb + word: role for adverb in ("分别", "共同", "协同") for word, role in list(ROLE_WORDS.items())})

# A label before the units inside a cell or a note (``牵头单位：…；责任单位：…``); None: read the words.

# The header of a units column, as printed with spaces removed. ``cooperate_or_implement``: cooperate
# beside the row's lead, implement where the row has none (配合/责任单位). Real tables word it many ways
# (负责科室, 承办单位, 协办部门, 责任主体): a role word before a unit noun; None: read the cell's words.
_COLUMN_ROLES = {"牵头": "lead", "主责": "lead", "主办": "lead",
                 "配合": "cooperate", "协办": "cooperate", "会办": "cooperate", "协助": "cooperate",
                 "参与": "cooperate",
                 # (牵头责任单位 / 主要协作单位: a county's 政府工作报告 分解 labels lead and help so)
                 "牵头责任": "lead", "协作": "cooperate", "主要协作": "cooperate",
                 "责任": None, "负责": None, "落实": None, "承办": None, "实施": None, "承担": None,
                 "执行": None, "具体负责": None, "具体落实": None, "完成": None}
_COLUMN_NOUNS = ("单位", "部门", "处室", "科室", "股室", "机构", "主体")
UNIT_COLUMNS = {
    **{word + noun: role for word, role in _COLUMN_ROLES.items() for noun in _COLUMN_NOUNS},
    "市里落实单位": None, "局内负责处室": None, "牵头及责任单位": None, "牵头及配合单位": None,
    "配合/责任单位": "cooperate_or_implement", "配合责任单位": "cooperate_or_implement",
    "责任单位/配合单位": "cooperate_or_implement",
}
# A unit column's header written as a field's label before its units (牵头单位:…, 责任股室:…), longest
# first for a pattern; its role, or None where the units' own words say it.
UNIT_LABELS = {w: (r if r != "cooperate_or_implement" else None)
               for w, r in sorted(UNIT_COLUMNS.items(), key=lambda kv: -len(kv[0])) if "/" not in w}


def role_words_pattern() -> str:
    """The role words as one regex alternation, longest first."""
    return "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
