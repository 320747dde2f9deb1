"""The architecture docs/ARCHITECTURE.md describes, checked on the code itself (issue 18).

Layers, bottom to top: core → loaders → graph → queries → cascade → the app (app.py, app_pages). A
module imports only from its own layer or those below; no two modules import each other, directly or
in a circle; no product file passes 800 lines; the CLI and the app reach no private name of the layers
below (they go through cascade.api.Cascade and the public functions of queries/).
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "loaders", "graph", "queries", "cascade", "app"]
PACKAGES = ["core", "loaders", "graph", "queries", "cascade", "app_pages"]


def _modules() -> dict[str, Path]:
    out = {"app": ROOT / "app.py"}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return LAYERS.index("app" if top in ("app", "app_pages") else top)


def _resolve(name: str) -> str | None:
    """The project module an import names (a name inside a module resolves to the module)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of the project, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                target = _resolve(a.name)
                if target:
                    out.append((target, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for a in node.names:
                target = _resolve(f"{base}.{a.name}") or _resolve(base)
                if target:
                    out.append((target, [a.name], node.lineno))
    return out


IMPORTS = {m: _imports(m, p) for m, p in MODULES.items()}


def test_imports_run_downward_only():
    upward = [f"{MODULES[m].relative_to(ROOT)}:{line} imports {t}"
              for m, imps in IMPORTS.items() for t, _, line in imps if _layer(t) > _layer(m)]
    assert not upward, "\n".join(upward)


def test_no_module_imports_itself_back():
    G = nx.DiGraph()
    for m, imps in IMPORTS.items():
        for t, _, _ in imps:
            # a package's __init__ naming its own modules is its public face, not a dependency cycle
            if t != m and not (MODULES[m].name == "__init__.py" and t.startswith(m + ".")):
                G.add_edge(m, t)
    cycles = list(nx.simple_cycles(G))
    assert not cycles, "\n".join(" → ".join(c + [c[0]]) for c in cycles[:10])


def test_no_product_file_over_800_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800}
    assert not long, long


@pytest.mark.parametrize("top", ["cascade.cli", "app", "app_pages"])
def test_cli_and_app_use_no_private_names(top):
    private = [f"{MODULES[m].relative_to(ROOT)}:{line} takes {names[0]} from {t}"
               for m, imps in IMPORTS.items() if m == top or m.startswith(top + ".")
               for t, names, line in imps
               if names and names[0].startswith("_") and t != m]
    assert not private, "\n".join(private)


def test_python_dash_m_cascade_works(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cascade", "--lang", "en", "--help"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "build" in out.stdout and "gaps" in out.stdout, out.stderr
