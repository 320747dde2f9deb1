"""``python -m graph.store compact STORE VERSION``: fold a version's write-ahead log in, in a process of
its own (see :mod:`graph.store.compaction`).

An incremental build starts this detached; as a module of the installed package it runs whatever the
working directory is.
"""
import os
import sys

from .compaction import compact


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "compact":
        print("usage: python -m graph.store compact STORE VERSION", file=sys.stderr)
        return 2
    os.nice(10)   # a build or the app beside it comes first
    compact(argv[1], argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
