"""An office's mailed 附件 in a bundle (``.zip``, ``.7z``, ``.rar``) dropped in the data folder: the build
reads its members in place as documents (core.archives), with the upload's limits; a member with a
password is one line and the others are read; nothing is written beside the data; the ids stay as the
members' names give them and an incremental build sees a changed bundle.

The bundles are made here: zips by :mod:`zipfile` (their GBK names and encryption flag set as Windows'
tool and an encrypting tool write them), 7z by libarchive, RAR 4 (stored) by a few lines below, since no
free tool writes RAR."""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from core.archives import Bundle
from core.errors import LoadError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASCADE = [sys.executable, "-m", "cascade.cli"]
HUANGPU = (DATA / "2022_guangzhou_huangpu_district_plan.txt").read_bytes()
TAISHAN = (DATA / "2021_taishan_culture_bureau_sections.txt").read_bytes()
SMALL = "关于印发2022年某县政务公开工作要点的通知\n一、总体要求\n1.做好政策文件解读工作，县政务公开办牵头。\n".encode()


def _libarchive() -> bool:
    try:
        import libarchive  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


# (as the LibreOffice tests: scripts/office-tools installs it; a machine where apt could not is told so)
needs_libarchive = pytest.mark.skipif(not _libarchive(), reason="libarchive (libarchive-c, libarchive13) not installed")


def gbk_zip(members: dict[str, bytes], encrypted: tuple[str, ...] = ()) -> bytes:
    """A zip as Windows' own tool writes it (GBK names, no UTF-8 flag); the members in ``encrypted``
    flagged as a password tool flags them (their bytes left as they are: the flag is what a reader sees)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, body) in enumerate(members.items()):
            z.writestr(chr(65 + i) * len(name.encode("gbk")), body)   # a placeholder of the GBK name's length
    data = bytearray(buf.getvalue())
    for i, name in enumerate(members):
        data = bytearray(bytes(data).replace(chr(65 + i).encode() * len(name.encode("gbk")), name.encode("gbk")))
    for sig, flags_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        pos = data.find(sig)
        while pos >= 0:
            n = int.from_bytes(data[pos + name_len_at:pos + name_len_at + 2], "little")
            if bytes(data[pos + name_at:pos + name_at + n]).decode("gbk") in encrypted:
                data[pos + flags_at] |= 1
            pos = data.find(sig, pos + 4)
    return bytes(data)


def rar4(members: dict[str, bytes], encrypted: tuple[str, ...] = (), gbk: bool = False) -> bytes:
    """A RAR 4 archive of stored members: names in RAR's Unicode form, or (``gbk``) in the writer's code
    page only, as an old WinRAR on Chinese Windows wrote them."""
    def block(kind: int, flags: int, body: bytes) -> bytes:
        head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    def unicode_name(name: str) -> bytes:
        out = bytearray(name.encode("ascii", "replace") + b"\0\0")
        for i in range(0, len(name), 4):
            group = name[i:i + 4]
            out.append(sum(2 << (6 - 2 * j) for j in range(len(group))))   # each char: two bytes, low first
            for c in group:
                out += struct.pack("<H", ord(c))
        return bytes(out)

    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\0" * 6)
    for name, body in members.items():
        flags = 0x8000 | (0x04 if name in encrypted else 0)
        if gbk or name.isascii():
            raw = name.encode("gbk")
        else:
            raw, flags = unicode_name(name), flags | 0x200
        head = struct.pack("<IIBIIBBHI", len(body), len(body), 2, zlib.crc32(body), 0x5A000000, 29, 0x30, len(raw), 0x20)
        out += block(0x74, flags, head + raw) + body
    return out + block(0x7B, 0x4000, b"")


def seven_zip(members: dict[str, bytes]) -> bytes:
    import libarchive

    buf = io.BytesIO()
    with libarchive.custom_writer(buf.write, "7zip") as w:
        for name, body in members.items():
            w.add_file_from_memory(name, len(body), body)
    return buf.getvalue()


def run(*args, cwd):
    return subprocess.run([*CASCADE, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CASCADE_LANG": "en"})


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_mailed_zip_is_read_in_place_its_encrypted_member_named_in_one_line(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "附件.zip").write_bytes(gbk_zip({"附件1/2022年黄埔区政务公开工作要点.txt": HUANGPU,
                                              "2021年台山市文广旅体局分工.txt": TAISHAN,
                                              "__MACOSX/._2021年台山市文广旅体局分工.txt": b"\0\5\x16\7",
                                              "密码.txt": SMALL}, encrypted=("密码.txt",)))
    before = _tree(docs)
    r = run("build", str(docs), cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    skipped = [line for line in r.stderr.splitlines() if line.startswith("skipped")]
    assert skipped == [f"skipped: {docs}/附件.zip/密码.txt: password-protected zip member"], r.stderr
    assert "Built 2 documents" in r.stdout
    assert _tree(docs) == before   # nothing unpacked beside the data
    exported = json.loads(run("export", "--format", "json", cwd=tmp_path).stdout)
    docs = {n["id"]: n["properties"] for n in exported["nodes"] if n["label"] == "Document"}
    assert sorted(docs) == ["2021年台山市文广旅体局分工", "2022年黄埔区政务公开工作要点"]
    assert {d["source"] for d in docs.values()} == {"2021年台山市文广旅体局分工.txt", "2022年黄埔区政务公开工作要点.txt"}


def test_ids_stay_and_an_incremental_build_sees_a_changed_zip(tmp_path):
    from cascade.pipeline import build
    from graph.build import document_id

    docs = tmp_path / "docs"
    docs.mkdir()
    bundle = docs / "bundle.zip"
    bundle.write_bytes(gbk_zip({"黄埔/2022年要点.txt": HUANGPU, "台山分工.txt": TAISHAN}))
    first = build([docs], store=tmp_path / "store", incremental=True)
    ids = sorted(document_id(r) for r in first.records)
    assert ids == ["2022年要点", "台山分工"]
    again = build([docs], store=tmp_path / "store", incremental=True)
    assert again.incremental["mode"] == "incremental" and again.incremental["changed"] == []
    # the office mails the bundle again: 台山's plan with one more task, a new member beside
    st = bundle.stat()
    bundle.write_bytes(gbk_zip({"黄埔/2022年要点.txt": HUANGPU, "台山分工.txt": TAISHAN + "\n34.新增一项任务，县政务公开办牵头。\n".encode(),
                                "县要点.txt": SMALL}))
    os.utime(bundle, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    third = build([docs], store=tmp_path / "store", incremental=True)
    assert third.incremental["mode"] == "incremental", third.incremental
    assert third.incremental["changed"] == ["县要点", "台山分工"] and third.incremental["loaded"] == 2
    full = build([docs])
    assert sorted(document_id(r) for r in full.records) == ["2022年要点", "县要点", "台山分工"]
    taishan = next(r for r in full.records if document_id(r) == "台山分工")
    assert len(taishan.tasks) == len(next(r for r in first.records if document_id(r) == "台山分工").tasks) + 1


def test_the_upload_limits_hold_for_a_zip_in_the_folder(tmp_path, monkeypatch):
    from cascade.pipeline import build
    import core.archives as archives

    docs = tmp_path / "docs"
    docs.mkdir()
    buf = io.BytesIO()   # a bomb: 30 MB of nothing deflates to 30 KB
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"\0" * (30 * 1024 * 1024))
        z.writestr("plan.txt", SMALL)
    (docs / "bomb.zip").write_bytes(buf.getvalue())
    (docs / "many.zip").write_bytes(gbk_zip({f"{i}.txt": SMALL for i in range(4)}))
    (docs / "broken.zip").write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)
    result = build([docs])
    said = sorted((Path(p.path).relative_to(docs).as_posix(), p.message) for p in result.problems
                  if p.severity != "warning")
    assert said == [("bomb.zip/bomb.txt", "unpacks to more than 20 MB"), ("broken.zip", "damaged zip archive"),
                    ("many.zip", "zip archive of 4 files (more than 3)")]
    assert [r.document.source for r in result.records] == ["plan.txt"]


@needs_libarchive
def test_seven_zip_and_rar_bundles_are_read_the_same_way(tmp_path):
    from cascade.pipeline import build

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.7z").write_bytes(seven_zip({"附件/2022年黄埔区要点.txt": HUANGPU}))
    (docs / "b.rar").write_bytes(rar4({"2021年台山分工.txt": TAISHAN, "加密.txt": SMALL}, encrypted=("加密.txt",)))
    (docs / "c.rar").write_bytes(rar4({"县要点.txt": SMALL}, gbk=True))
    result = build([docs])
    assert sorted(r.document.source for r in result.records) == ["2021年台山分工.txt", "2022年黄埔区要点.txt", "县要点.txt"]
    said = [(Path(p.path).relative_to(docs).as_posix(), p.message) for p in result.problems if p.severity != "warning"]
    assert said == [("b.rar/加密.txt", "password-protected rar member")]


# 7z archives with the password "secret" (made by py7zr, which the project does not need): one whose
# members are encrypted, one whose header (the names) is encrypted too
SEALED_MEMBER = ("N3q8ryccAASHOjBtiwAAAAAAAAAUAAAAAAAAAFZXWhKQzv9DF4HWmxxV6n40LvjGJEqJWudiASDoiD1W46xfGQEAZgEEBgABCSAKAUxg"
                 "r8QABwsBAAIkBvEHARJTDxfBHY1HPEuGf633R+5IqcMhIQEYAQAMFhIACAoBx1cPrgAABQERDwCBiblwLgB0AHgAdAAAABQKAQCw"
                 "ZaCunYbdARUGAQAggICBAAAAFwYgAQlrAAcLAQABISEBGAxnAAA=")
SEALED_HEADER = ("N3q8ryccAASkexSokAAAAAAAAAAoAAAAAAAAAEu95yOnddaq119pU7mAw30EooHmXyPneSW6nXqoQIt76SRWnQOijavS7if/JfWMsQtF"
                 "PjmD9h8jh4s/CJLJdKtk4O6p/O0cl1dWePBeB3i/oh5Tyz0ianys6JmMoGfDf1Sq23Iy6OViFrA/GgArR4W9Turts3qgZt555o+F3VbW"
                 "Ivl9MkH8sKyfCBc+Z06wiRqHuF4XBiABCXAABwsBAAEkBvEHARJTD/RNx5agV3RLfwb0AsBOspkMZwAA")


@needs_libarchive
def test_an_encrypted_7z_is_named_as_such_not_as_damaged():
    import base64

    from cascade.i18n import problem_text

    member = Bundle(base64.b64decode(SEALED_MEMBER), "a.7z")
    with pytest.raises(LoadError, match="^a.7z/要点.txt: password-protected 7z member$"):
        member.read(member.members()[0])
    with pytest.raises(LoadError, match="^b.7z: password-protected 7z archive$") as err:
        Bundle(base64.b64decode(SEALED_HEADER), "b.7z").members()
    assert problem_text(str(err.value), "zh") == "b.7z：7z 压缩包设有密码（连文件名也已加密），无法读取"


@needs_libarchive
def test_a_rar_bomb_is_cut_at_the_member_cap():
    data = rar4({"big.txt": b"x" * (2 * 1024 * 1024)})
    with pytest.raises(LoadError, match="unpacks to more than 1 MB"):
        Bundle(data, "big.rar").read("big.txt", cap_mb=1)


def test_without_libarchive_a_7z_is_one_line_in_both_languages(tmp_path, monkeypatch):
    from cascade.i18n import problem_text

    monkeypatch.setitem(sys.modules, "libarchive", None)   # as if the package were not installed
    (tmp_path / "a.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\0" * 40)
    with pytest.raises(LoadError) as err:
        Bundle(tmp_path / "a.7z").members()
    line = str(err.value)
    assert line.endswith("7z archive: reading it needs libarchive (pip install libarchive-c; apt-get install libarchive13)")
    assert problem_text(line, "zh").endswith("7z 压缩包：读取需要 libarchive（pip install libarchive-c; apt-get install libarchive13）")


@needs_libarchive
def test_the_app_saves_a_7z_upload_through_the_same_reader(tmp_path):
    from cascade.uploads import save_uploads

    saved, refused = save_uploads("附件.7z", seven_zip({"子目录/2022年要点.txt": SMALL, "../逃逸.txt": SMALL}), tmp_path)
    assert sorted(p.name for p in saved) == ["2022年要点.txt", "逃逸.txt"] and not refused
    assert all(p.parent == tmp_path / "uploads" for p in saved)
    saved, refused = save_uploads("b.rar", rar4({"加密.txt": SMALL}, encrypted=("加密.txt",)), tmp_path)
    assert not saved and [(e.path, e.problem) for e in refused] == [("b.rar/加密.txt", "password-protected rar member")]


def test_a_page_saved_complete_in_a_bundle_keeps_its_pictures_as_in_a_folder(tmp_path, monkeypatch):
    """page.html beside page_files/ inside the zip: the folder is the page's (no document of its own), and
    the page finds its pictures in the bundle (read in place, never a path outside it)."""
    import loaders.formats.web as web
    from core.files import list_documents
    from loaders.read import read_blocks

    html = ('<html><body><p>一、总体要求</p><p>1.做好政策文件解读工作，县政务公开办牵头。</p>'
            '<img src="page_files/scan.jpg"><img src="../outside.jpg"></body></html>').encode()
    (tmp_path / "outside.jpg").write_bytes(b"\xff\xd8\xff outside")
    (tmp_path / "site.zip").write_bytes(gbk_zip({"page.html": html, "page_files/scan.jpg": b"\xff\xd8\xff scan",
                                                 "page_files/logo.png": b"\x89PNG logo"}))
    files, _ = list_documents([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["outside.jpg", "site.zip/page.html"]
    seen = []
    monkeypatch.setattr(web, "is_page_image", lambda blob: seen.append(blob) and False)
    read_blocks(tmp_path / "site.zip" / "page.html")
    assert seen == [b"\xff\xd8\xff scan"]


@needs_libarchive
def test_a_7z_is_inflated_once_for_all_its_members(tmp_path, monkeypatch):
    """A solid 7z inflates every member before the one asked for: read one by one, 100 members took
    34 s; the build reads them all from one pass (a changed archive is read again)."""
    import core.archives as archives

    path = tmp_path / "a.7z"
    path.write_bytes(seven_zip({f"{i:02d}.txt": SMALL + str(i).encode() for i in range(30)}))
    passes = []
    real = archives.Bundle._unpack_all
    monkeypatch.setattr(archives.Bundle, "_unpack_all", lambda self, cap: passes.append(1) or real(self, cap))
    bodies = [archives.document_bytes(path / f"{i:02d}.txt") for i in range(30)]
    assert bodies == [SMALL + str(i).encode() for i in range(30)] and len(passes) == 1
    st = path.stat()
    path.write_bytes(seven_zip({"00.txt": b"new"}))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert archives.document_bytes(path / "00.txt") == b"new" and len(passes) == 2
