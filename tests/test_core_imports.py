"""The core package must stay importable without any UI library."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "jianfu"
BANNED = ("ipywidgets", "IPython", "voila", "ipykernel", "traitlets")
# The servers' Voila subclasses: each run as its own process (python -m), imported by no
# core module (checked below), so they may import Voila.
SERVER_PROCESSES = {CORE / "server" / "voila_public.py", CORE / "server" / "voila_private.py"}
CORE_MODULES = sorted(p for p in CORE.rglob("*.py") if p not in SERVER_PROCESSES)


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_ui(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    assert not [n for n in names if n.split(".")[0] in BANNED]


@pytest.mark.slow  # a fresh interpreter importing every module
def test_importing_every_core_module_loads_no_ui_library():
    modules = [
        ".".join(("jianfu", *p.relative_to(CORE).with_suffix("").parts)).removesuffix(".__init__")
        for p in CORE_MODULES
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print([b for b in {BANNED!r} if b in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow  # 0.9 s
def test_no_core_module_imports_the_voila_server_process():
    processes = [p.stem for p in SERVER_PROCESSES]
    users = [p for p in CORE_MODULES if any(name in _imported(p) for name in processes)]
    assert users == []


def _imported(path: Path) -> str:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names += [node.module or "", *(a.name for a in node.names)]
    return " ".join(names)
