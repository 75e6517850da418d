"""Runtime dependencies are exactly what the code imports, and environment.yml says the same.

A dependency nobody imports bloats every install (jupyterlab did); an import nobody
declares works here by luck and breaks in a fresh environment (lxml did).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib

import pytest
import yaml

from jianfu.paths import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = ("jianfu", "widgets")
OURS = {"jianfu", "jianfu_widgets"}
# distribution -> the top-level modules it provides, where the names differ
MODULES_OF = {
    "pyyaml": {"yaml"},
    "python-docx": {"docx"},
    "vl-convert-python": {"vl_convert"},
    "charset-normalizer": {"charset_normalizer"},
    # pydantic pins its own pydantic-core exactly: declaring it too could only conflict
    "pydantic": {"pydantic", "pydantic_core"},
}
# declared for what runs, not for an import
NOT_IMPORTED = {"ipykernel": "the kernel Voila starts for every page"}
# conda-forge name, where it is not the PyPI one; PIP_ONLY come from PyPI in environment.yml
CONDA_NAMES: dict[str, str] = {}
PIP_ONLY = {"opencc"}


def requirement(spec: str) -> tuple[str, str]:
    """("pandas", ">=3,<4") from "pandas>=3,<4" (names normalised as PyPI does)."""
    found = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$", spec)
    assert found, spec
    return re.sub(r"[-_.]+", "-", found[1]).lower(), found[3].replace(" ", "")


def declared() -> dict[str, str]:
    return dict(requirement(s) for s in PYPROJECT["project"]["dependencies"])


def imported(roots=SOURCES) -> dict[str, set[str]]:
    """Third-party top-level module -> the files importing it (lazy imports included)."""
    found: dict[str, set[str]] = {}
    for root in roots:
        for path in sorted((PROJECT_ROOT / root).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OURS:
                        found.setdefault(top, set()).add(str(path.relative_to(PROJECT_ROOT)))
    return found


def modules_of(dist: str) -> set[str]:
    return MODULES_OF.get(dist, {dist.replace("-", "_")})


@pytest.mark.slow  # 0.7 s
def test_every_import_is_declared():
    provided = {m for dist in declared() for m in modules_of(dist)}
    missing = {m: sorted(files) for m, files in imported().items() if m not in provided}
    assert missing == {}, "imported but not in pyproject.toml dependencies"


@pytest.mark.slow  # 0.9 s
def test_every_dependency_is_imported():
    used = set(imported())
    unused = [d for d in declared() if d not in NOT_IMPORTED and not modules_of(d) & used]
    assert unused == [], "declared but imported nowhere in jianfu/ or widgets/"


def test_jupyterlab_is_an_optional_extra():
    assert "jupyterlab" not in declared()
    assert any(
        requirement(s)[0] == "jupyterlab"
        for s in PYPROJECT["project"]["optional-dependencies"]["lab"]
    )


def test_environment_yml_lists_the_same_dependencies():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    from_conda = dict(requirement(s) for s in conda if requirement(s)[0] not in {"python", "pip"})
    from_pip = dict(requirement(s) for s in pip if not s.startswith("-"))
    wanted = declared()
    assert from_conda == {CONDA_NAMES.get(d, d): v for d, v in wanted.items() if d not in PIP_ONLY}
    assert from_pip == {d: v for d, v in wanted.items() if d in PIP_ONLY}


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("pandas>=3,<4", ("pandas", ">=3,<4")),
        ("psycopg[binary]>=3.1", ("psycopg", ">=3.1")),
        ("Charset_Normalizer >=3, <4", ("charset-normalizer", ">=3,<4")),
        ("lxml", ("lxml", "")),
    ],
)
def test_requirement_parsing(spec, parsed):
    assert requirement(spec) == parsed


def test_the_import_scan_sees_lazy_imports(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "import os\nfrom . import x\ndef f():\n    import docx.shared\n    from lxml import etree\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert imported(("pkg",)) == {"docx": {"pkg/m.py"}, "lxml": {"pkg/m.py"}}
