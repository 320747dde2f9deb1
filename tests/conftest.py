"""Shared fixtures: the real documents of data/ and a store built from them once per session.

The suite reads the CLI's and the app's words in English, the language ``CASCADE_LANG=en`` gives (so
a test's strings do not change with the developer's shell); the Chinese default is checked where it
is the point, in test_i18n.py, which removes the setting."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ["CASCADE_LANG"] = "en"

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seeds.yaml"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The seed cascade built from data/ into a session store: (BuildResult, store path)."""
    from cascade.pipeline import build

    store = tmp_path_factory.mktemp("store") / ".cascade"
    result = build([DATA], store=store)
    return result, store


@pytest.fixture(scope="session")
def seed_graph(built):
    return built[0].graph


@pytest.fixture
def store_copy(built, tmp_path):
    """A private copy of the built store, for tests that change it."""
    dst = tmp_path / ".cascade"
    shutil.copytree(built[1], dst)
    return dst


def graph_of_texts(folder: Path, files: dict[str, str], store: Path | None = None):
    """The graph a build makes of short texts (name -> text) written in ``folder``/src, saved to ``store``
    when one is given."""
    from cascade.pipeline import build

    src = folder / "src"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    return build([src], store=store).graph


def reject_link(store: Path, lower: str, upper: str) -> None:
    """Mark the link ``lower`` → ``upper`` rejected in the store's database itself (as a review would)."""
    import ladybug

    from graph.store import database_path

    db = ladybug.Database(str(database_path(store)))
    conn = ladybug.Connection(db)
    conn.execute("MATCH (a:Task {id: $a})-[d:DERIVED_FROM]->(b {id: $b}) SET d.status = 'rejected'",
                 {"a": lower, "b": upper})
    conn.close()
    db.close()


def store_without(store: Path, table: str, tmp_path: Path) -> Path:
    """A copy of ``store`` as a build before it kept ``table`` (rows derived for a saved query): the table
    dropped, and no answer kept (a first page kept once asked is true whatever the store holds)."""
    import ladybug

    from graph.store import current_version

    dst = tmp_path / ".cascade"
    shutil.copytree(store, dst, ignore=shutil.ignore_patterns("answers"))
    db = ladybug.Database(str(current_version(dst) / "cascade.lbdb"))
    conn = ladybug.Connection(db)
    conn.execute(f"DROP TABLE {table}")
    conn.close()
    db.close()
    return dst


def says_to_build_again(store: Path, args: list[str], cwd: Path) -> None:
    """``cascade gaps --store STORE ARGS`` on a store without the rows it pages fails with one line saying to
    build again, in Chinese by default and in English when asked, and prints no row."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("CASCADE_BOLT_") and k != "CASCADE_LANG"}
    for lang, words in ((None, "重新构建"), ("en", "build it again")):
        r = subprocess.run([sys.executable, "-m", "cascade.cli", *(["--lang", lang] if lang else []), "gaps", "--store",
                            str(store), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 1 and r.stdout == ""
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def cut_huangpu_rows(folder: Path) -> None:
    """Remove the 黄埔 2022 plan's tasks 2 and 3 (two rows of the real file, lines 75-82) in ``folder``."""
    path = folder / "2022_guangzhou_huangpu_district_plan.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("2.根據職能職責"))
    end = next(i for i, line in enumerate(lines) if line.startswith("4.加強內容保障"))
    assert lines[start:end] and any(line.startswith("3.持續推進反壟斷") for line in lines[start:end])
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


@pytest.fixture(scope="session")
def cut_built(tmp_path_factory):
    """data/ with two rows of the 黄埔 plan removed, built into a session store: (BuildResult, store path).
    Its city's tasks 2 and 3 are real gaps for 黄埔 (issue 22)."""
    from cascade.pipeline import build

    folder = tmp_path_factory.mktemp("cut") / "data"
    shutil.copytree(DATA, folder)
    cut_huangpu_rows(folder)
    store = folder.parent / ".cascade"
    return build([folder], store=store), store


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory):
    """The seeds and the dev corpus built together into a session store: truncated openings, cover
    notices, plans whose level the text does not say (many rows that cannot be judged)."""
    from cascade.pipeline import build

    store = tmp_path_factory.mktemp("corpus") / ".cascade"
    build([SEEDS, CORPUS], store=store)
    return store


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory):
    """A generated cascade of 800 tasks (bench/synth.py) with dropped chains built into a session store:
    gaps in many lower plans."""
    from bench.synth import generate
    from cascade.pipeline import build

    out = tmp_path_factory.mktemp("synthetic")
    generate(800, 3, out)
    build([out / "docs"], manifest_path=out / "manifest.yaml", store=out / ".cascade")
    return out / ".cascade"


@pytest.fixture(autouse=True)
def _embedded_unless_bolt(request, monkeypatch):
    """A test not marked ``bolt`` reads the embedded store even when scripts/test exported
    CASCADE_BOLT_URI for the bolt ones: the app and `cascade gaps --limit` follow that variable."""
    if request.node.get_closest_marker("bolt") is None:
        monkeypatch.delenv("CASCADE_BOLT_URI", raising=False)
