"""The record model loaders produce, on the real seed documents."""
from dataclasses import asdict

from loaders import load_file
from loaders.manifest import read_manifest
from core.records import LEVELS, ROLES


def _load(data_dir, name):
    manifest = read_manifest(data_dir / "manifest.yaml")
    path = (data_dir / name).resolve()
    return load_file(path, manifest[path])


def test_manifest_overrides_what_the_text_says(data_dir):
    rec = _load(data_dir, "2021_national_state_council_workpoints.txt")
    assert rec.document.id == "2021-national"
    assert rec.document.doc_no == "国办发〔2021〕12号"  # the forum repost prints no number
    assert rec.document.level == "national"


def test_every_task_sits_in_a_section_of_its_document(data_dir):
    for name in ("2022_guangzhou_huangpu_district_plan.txt", "2021_taishan_culture_bureau_sections.txt",
                 "2021_national_state_council_workpoints.txt"):
        rec = _load(data_dir, name)
        paths = {s.path for s in rec.sections}
        assert rec.tasks, name
        assert all(t.section in paths for t in rec.tasks), name


def test_roles_and_levels_use_the_schema_words(data_dir):
    rec = _load(data_dir, "2022_guangzhou_huangpu_district_plan.txt")
    assert rec.document.level in LEVELS
    assert {a.role for a in rec.units} <= set(ROLES)
    assert rec.document.cites == ["国办发〔2022〕8号", "粤府办〔2022〕17号", "穗府办函〔2022〕48号"]


def test_traditional_source_keeps_its_script_and_matches_in_simplified(data_dir):
    rec = _load(data_dir, "2022_guangzhou_huangpu_district_plan.txt")
    task = next(t for t in rec.tasks if t.number == "3")
    assert "反壟斷" in task.text and "反垄断" in task.text_norm
    assert rec.document.script == "zh-Hant"
    lead = [a for a in task.assignments if a.role == "lead"]
    assert [a.canonical for a in lead] == ["广州市黄埔区市场监管局"]


def test_records_are_plain_data(data_dir):
    rec = _load(data_dir, "2021_taishan_culture_bureau_sections.txt")
    d = asdict(rec)
    assert d["document"]["source"] == "2021_taishan_culture_bureau_sections.txt"
    assert isinstance(d["tasks"][0]["assignments"][0]["role"], str)
