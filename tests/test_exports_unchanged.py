"""The exports of the data/ build, byte for byte, against the digests recorded before the architecture
redesign (issue 18): moving code between modules must not change a single byte an analyst receives.

When an export changes on purpose, record the new digests with
``python tests/test_exports_unchanged.py --write`` and say why in the commit.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

DIGESTS = Path(__file__).resolve().parent / "fixtures" / "export_digests.json"
FORMATS = ("json", "cypher", "ttl", "graphml", "csv")


def _digests(store: Path) -> dict[str, str]:
    from graph.export import export
    from graph.store import load_graph

    G = load_graph(store)
    out = {}
    for fmt in FORMATS:
        data = export(G, fmt)
        data = data.encode("utf-8") if isinstance(data, str) else data
        out[fmt] = hashlib.sha256(data).hexdigest()
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_byte_identical(built, fmt):
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert _digests(built[1])[fmt] == recorded[fmt], (
        f"the {fmt} export of data/ changed; if on purpose, rerun this file with --write")


def test_incremental_build_exports_the_same(built, tmp_path):
    """The incremental path (a second build over an unchanged folder) writes the same graph."""
    from cascade.pipeline import build

    store = tmp_path / ".cascade"
    data = Path(__file__).resolve().parent.parent / "data"
    build([data], store=store)
    build([data], store=store, incremental=True)
    assert _digests(store) == _digests(built[1])


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from cascade.pipeline import build

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / ".cascade"
        build([Path(__file__).resolve().parent.parent / "data"], store=store)
        DIGESTS.write_text(json.dumps(_digests(store), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")
