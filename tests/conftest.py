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
