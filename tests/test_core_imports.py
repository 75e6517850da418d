"""The core package must stay importable without any UI library."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "jianfu"
BANNED = ("ipywidgets", "IPython", "voila", "ipykernel", "traitlets")


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_ui(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    assert not [n for n in names if n.split(".")[0] in BANNED]


def test_importing_every_core_module_loads_no_ui_library():
    modules = [
        ".".join(("jianfu", *p.relative_to(CORE).with_suffix("").parts)).removesuffix(".__init__")
        for p in sorted(CORE.rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print([b for b in {BANNED!r} if b in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
