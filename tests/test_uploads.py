"""cascade/uploads.py's manifest rows: what the user says of an upload goes into data/manifest.yaml, and
the hand-written rest of the file (comments, order, blank lines) stays as it was written."""
from __future__ import annotations

import shutil

import yaml

from cascade.uploads import record_metadata
from test_app import ROOT


def test_replacing_a_row_keeps_every_comment_and_every_other_line(tmp_path):
    shutil.copy(ROOT / "data" / "manifest.yaml", tmp_path / "manifest.yaml")
    (tmp_path / "2022_guangzhou_city_plan.txt").write_text("x", encoding="utf-8")
    before = (tmp_path / "manifest.yaml").read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if "#" in line]
    assert len(comments) > 5

    record_metadata(tmp_path, tmp_path / "2022_guangzhou_city_plan.txt",
                    {"level": "city", "region": "广州市", "year": 2023, "parents": ["2022-national"]})
    after = (tmp_path / "manifest.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(after)["documents"]
    old_rows = yaml.safe_load(before)["documents"]
    mine = next(r for r in rows if r["file"] == "2022_guangzhou_city_plan.txt")
    assert mine == {"file": "2022_guangzhou_city_plan.txt", "level": "city", "region": "广州市", "year": 2023,
                    "parents": ["2022-national"]}
    assert [r for r in rows if r is not mine] == [r for r in old_rows if r["file"] != mine["file"]]
    # every comment is still there (the row's own note on its first line too), and nothing else moved
    assert [line.partition("#")[2] for line in after.splitlines() if "#" in line] == \
        [line.partition("#")[2] for line in comments]
    gone = set(before.splitlines()) - set(after.splitlines())
    assert gone and all(line.startswith("    ") or "2022_guangzhou_city_plan.txt" in line for line in gone)


def test_a_new_row_is_appended_and_a_flow_style_manifest_is_written_anew(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text("# mine\ndocuments:\n  - file: b.txt  # kept\n    year: 2021\n",
                                            encoding="utf-8")
    record_metadata(tmp_path, tmp_path / "a.txt", {"year": 2022})
    text = (tmp_path / "manifest.yaml").read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and "# kept" in text
    assert yaml.safe_load(text)["documents"] == [{"file": "b.txt", "year": 2021}, {"file": "a.txt", "year": 2022}]

    (tmp_path / "manifest.yaml").write_text("documents: [{file: a.txt, year: 2020}]\n", encoding="utf-8")
    record_metadata(tmp_path, tmp_path / "a.txt", {"year": 2022})
    assert yaml.safe_load((tmp_path / "manifest.yaml").read_text(encoding="utf-8"))["documents"] == \
        [{"file": "a.txt", "year": 2022}]
