"""Formats benchmark: real plans rendered into every form offices send (``.doc``, ``.wps``, ``.xls``,
text OFD, image OFD, scanned PDF), each loaded cold (no cache): its task count against the text
version's, unit recall with roles, seconds, and OCR throughput in pages per second; then one
``cascade build`` of a 3-page scan in a fresh process (model loading included), the figure a user waits.

    python bench/formats.py [--json out.json]

The renderings come from ``tests/renditions.py`` (LibreOffice, an OFD writer, pdfium at 300 dpi).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SEEDS = ROOT.parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(os.environ.get("CASCADE_SHARED", "/work/shared")) / "seeds"

DOCS = {   # name: (seed, manifest entry, how it is printed)
    "001 table (2 pages)": ("001_04c5faad0ae32447.txt",
                            {"level": "department", "region": "江门市台山市", "issuer": "台山市文化广电旅游体育局", "year": 2021},
                            "table"),
    "003 national narrative (3 pages)": ("003_faeede1183fd7fea.txt", {"level": "national", "year": 2021}, 10),
    "004 county narrative (3 pages)": ("004_ff0872cb27d26d6e.txt",
                                       {"level": "county", "region": "咸宁市赤壁市", "year": 2020}, 9),
}


def _renderings(seed: str, how) -> dict[str, bytes]:
    import renditions as R
    import test_formats as tf

    lines = [l.strip() for l in (SEEDS / seed).read_text(encoding="utf-8").splitlines() if l.strip()]
    if how == "table":
        pdf, docx = tf._pdf_table_bytes(), tf._docx_bytes()
    else:
        pdf, docx = R.paragraph_pdf(lines, how), tf._paragraph_docx(lines)
    out = {"docx": docx}
    if R.soffice():
        out["doc"] = out["wps"] = R.legacy(docx, "docx", "doc")
        if how == "table":
            out["xls"] = R.legacy(tf._xlsx_bytes(), "xlsx", "xls")
    out["ofd"] = R.text_ofd(pdf)
    out["ofd (image)"] = R.image_ofd(pdf, rotate=0.5)
    out["pdf (scan)"] = R.scanned_pdf(pdf, rotate=-0.7)
    return out


def _cpu() -> float:
    """CPU seconds of this process and its children (LibreOffice): on a machine shared with other work
    the wall clock says more about the neighbours than about us."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _units(rec) -> set:
    return {(t.number, a.canonical, a.role) for t in rec.tasks for a in t.assignments}


def measure() -> dict:
    import pypdfium2

    from loaders import cache, load_file

    cache.use(None)   # cold: every OCR and conversion is done
    rows = []
    for name, (seed, meta, how) in DOCS.items():
        text = load_file(SEEDS / seed, meta)
        want = _units(text)
        for form, data in _renderings(seed, how).items():
            ext = form.split()[0]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"plan.{ext}"
                path.write_bytes(data)
                start, cpu = time.perf_counter(), _cpu()
                rec = load_file(path, meta)
                secs, cpu = time.perf_counter() - start, _cpu() - cpu
            pages = None
            if rec.document.ocr_confidence is not None:
                pages = len(pypdfium2.PdfDocument(data)) if ext == "pdf" else sum(
                    1 for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith("Content.xml"))
            rows.append({"document": name, "form": form, "tasks": len(rec.tasks), "text_tasks": len(text.tasks),
                         "unit_recall": round(len(want & _units(rec)) / len(want), 3) if want else None,
                         "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2), "pages": pages,
                         "pages_per_s": round(pages / secs, 3) if pages else None,
                         "ocr_confidence": rec.document.ocr_confidence})
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    return {"rows": rows, "build_3_page_scan_s": _build_scan()}


def _build_scan() -> dict:
    """``cascade build`` of one 3-page scanned plan, in a new process with a new store."""
    import renditions as R

    seed, meta, how = DOCS["004 county narrative (3 pages)"]
    lines = [l.strip() for l in (SEEDS / seed).read_text(encoding="utf-8").splitlines() if l.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        (folder / "chibi_scan.pdf").write_bytes(R.scanned_pdf(R.paragraph_pdf(lines, how), rotate=-0.7))
        (folder / "manifest.yaml").write_text(
            "documents:\n  - file: chibi_scan.pdf\n" + "".join(f"    {k}: {v}\n" for k, v in meta.items()), encoding="utf-8")
        start, cpu = time.perf_counter(), _cpu()
        r = subprocess.run([sys.executable, "-m", "cascade.cli", "build", str(folder), "--store", str(Path(tmp) / "st")],
                           cwd=tmp, capture_output=True, text=True, timeout=600)
        secs, cpu = time.perf_counter() - start, _cpu() - cpu
        if r.returncode not in (0, 2):
            raise SystemExit(f"build failed: {r.stderr[-500:]}")
        print(r.stdout.strip().splitlines()[-1], file=sys.stderr)
    return {"wall_s": round(secs, 1), "cpu_s": round(cpu, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)
    res = measure()
    res["load_average"] = os.getloadavg()
    print("| document | form | tasks (text) | unit recall with roles | wall s | CPU s | confidence |")
    print("|---|---|---|---|---|---|---|")
    for r in res["rows"]:
        print(f"| {r['document']} | {r['form']} | {r['tasks']} ({r['text_tasks']}) | {r['unit_recall']} | "
              f"{r['seconds']} | {r['cpu_seconds']} | {r['ocr_confidence'] or ''} |")
    ocr = [r for r in res["rows"] if r["pages"]]
    if ocr:
        pages = sum(r["pages"] for r in ocr)
        secs, cpu = sum(r["seconds"] for r in ocr), sum(r["cpu_seconds"] for r in ocr)
        print(f"\nOCR: {pages} pages in {secs:.1f} s wall = {pages / secs:.2f} pages/s; {cpu:.1f} CPU s = "
              f"{2 * pages / cpu:.2f} pages/s with both cores to itself (load average {res['load_average'][0]:.1f})")
    b = res["build_3_page_scan_s"]
    print(f"cascade build of a 3-page scan (new process, model loading included): {b['wall_s']} s wall, {b['cpu_s']} CPU s")
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
