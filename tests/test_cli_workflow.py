"""From a gap to whoever must act, in the CLI: ``cascade trace``, ``cascade check``, the PDF report,
the spreadsheet CSV and the files' modes. On data/ with two 黄埔 rows removed (two real gaps)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

CASCADE = [sys.executable, "-m", "cascade.cli"]


def run(*args, cwd, lang="en", umask=None):
    env = {**os.environ, "CASCADE_LANG": lang}
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env,
                          preexec_fn=pre)


@pytest.fixture(scope="module")
def store(cut_built):
    return str(cut_built[1])


def test_trace_by_id_shows_the_chain_up_and_the_gap_with_who_must_act(store, tmp_path):
    r = run("trace", "2022-guangzhou/一/(一)/2", "--store", store, cwd=tmp_path, lang="zh")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # up: the national sentence it comes from; then the city's requirement; then 黄埔, which left it out
    assert lines[0].startswith("↑ [国务院]") and "2022年政务公开工作要点" in lines[0]
    assert lines[1].lstrip().startswith("● [市]") and "#2" in lines[1]
    gap = [x for x in lines if x.lstrip().startswith("✗")]
    assert len(gap) == 1 and "缺口" in gap[0] and "黄埔" in gap[0]
    assert "需落实：广州市黄埔区人民政府办公室" in gap[0]


def test_trace_by_words_finds_the_requirement(store, tmp_path):
    r = run("trace", "反垄断", "--store", store, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "反垄断" in r.stdout.splitlines()[0] and "covered" in r.stdout
    r = run("trace", "没有这样的要求xyz", "--store", store, cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.strip() == "Error: no task matches '没有这样的要求xyz'"


def test_check_groups_the_checks_one_line_each(store, tmp_path):
    r = run("check", "--store", store, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    heads = [x for x in r.stdout.splitlines() if x.startswith("## ")]
    assert "## error · gap (2)" in heads[0]
    assert any("parse confidence" in h for h in heads) and any("lead" in h for h in heads)
    items = [x for x in r.stdout.splitlines() if x.startswith("- ")]
    assert r.stdout.splitlines()[-1] == f"{len(items)} in all"


def test_report_pdf_is_a_pdf_with_chinese_text_and_who_must_act(store, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "r.pdf"
    r = run("report", "--out", str(out), "--store", store, cwd=tmp_path, lang="zh")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages).replace("\n", "")
    assert "政务公开工作要点落实情况报告" in text and "需落实单位" in text
    assert "广州市黄埔区人民政府办公室" in text


def test_report_refuses_an_extension_it_cannot_write(store, tmp_path):
    r = run("report", "--out", "r.doc", "--store", store, cwd=tmp_path)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "r.doc" in r.stderr and ".pdf" in r.stderr
    assert not (tmp_path / "r.doc").exists()


def test_files_are_created_with_the_users_umask(store, tmp_path):
    for args in (("report", "--out", "r.html"), ("gaps", "--format", "csv", "--out", "g.csv")):
        r = run(*args, "--store", store, cwd=tmp_path, umask=0o022)
        assert r.returncode == 0, r.stderr
        assert stat.S_IMODE((tmp_path / args[-1]).stat().st_mode) == 0o644
    r = run("report", "--out", "r2.html", "--store", store, cwd=tmp_path, umask=0o077)
    assert stat.S_IMODE((tmp_path / "r2.html").stat().st_mode) == 0o600


def test_gaps_csv_has_a_bom_and_who_must_act(store, tmp_path):
    import csv

    r = run("gaps", "--format", "csv", "--out", "g.csv", "--store", store, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    raw = (tmp_path / "g.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfstatus,")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    gaps = [x for x in rows if x["status"] == "gap"]
    assert len(gaps) == 2 and all(x["who"].startswith("广州市黄埔区人民政府办公室") for x in gaps)
    assert all(x["lower_issuer"] == "广州市黄埔区人民政府办公室" for x in gaps)


@pytest.mark.parametrize("lang,head,item", [("zh", "是一份文件，不是一项要求", "第2项"), ("en", "is a document, not a requirement", "#2")])
def test_trace_of_a_document_id_lists_its_requirements_to_pick_from(store, tmp_path, lang, head, item):
    # A document's id is not words to search (that traced an arbitrary task): its requirements, one a line.
    r = run("trace", "2022-guangzhou", "--store", store, cwd=tmp_path, lang=lang)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert head in lines[0] and "广州市2022年政务公开工作要点分工方案" in lines[0] and "2022-guangzhou/一/(一)/1" in lines[0]
    assert lines[2].startswith("2022-guangzhou/一/(一)/2  " + item) and "建立市场主体" in lines[2]
    assert not any(x.lstrip().startswith(("↑", "●", "↓")) for x in lines)   # no trace guessed


def test_check_names_a_document_by_its_title(store, tmp_path):
    r = run("check", "--store", store, cwd=tmp_path, lang="zh")
    assert r.returncode == 0, r.stderr
    items = [x for x in r.stdout.splitlines() if x.startswith("- ")]
    assert "- 《台山市文化广电旅游体育局2021年政务公开工作任务分工》 第5项：2 个单位共同承担，未明确牵头单位" in items
    assert not any(x.startswith("- 2021-taishan-culture") for x in items)
