"""Every problem the loaders and the build can name about a file is said in Chinese.

The messages are found in the code itself (the text given to ``LoadError``, ``Problem``, a document's
warnings, ``mark_truncated``, and what :func:`core.files._not_a_file` returns), each placeholder filled with
a sample value, and each must match a pattern of :data:`cascade.i18n.PROBLEMS`: a message added without
its Chinese sentence fails here, not in front of an analyst."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cascade.i18n import problem_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "loaders").rglob("*.py")), ROOT / "core" / "files.py", ROOT / "core" / "archives.py",
           ROOT / "cascade" / "loading.py",
           ROOT / "cascade" / "uploads.py"]


def _sample(node) -> str | None:
    """The message as a person would read it, each placeholder given a sample value; None for one that
    is no plain message (a variable, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "3" for v in node.values)
    return None


def _messages():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            arg = None
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in ("LoadError", "Problem", "mark_truncated") and len(node.args) >= 2:
                    arg = node.args[1]
                elif name == "append" and isinstance(f, ast.Attribute) and getattr(f.value, "attr", "") == "warnings":
                    arg = node.args[0] if node.args else None
            elif isinstance(node, ast.Return) and path.name == "files.py":
                arg = node.value
            text = _sample(arg) if arg is not None else None
            if text and any(c.isalpha() for c in text) and " " in text:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", text


MESSAGES = sorted(set(_messages()))


def test_the_messages_are_found():
    assert len(MESSAGES) > 60
    assert any("empty file" == text for _, text in MESSAGES)


@pytest.mark.parametrize("where, text", MESSAGES, ids=[w for w, _ in MESSAGES])
def test_every_problem_of_a_file_is_said_in_chinese(where, text):
    line = f"a.txt: {text}"
    said = problem_text(line, "zh")
    assert said != line and said.startswith("a.txt："), f"{where}: no Chinese sentence for {text!r}"
