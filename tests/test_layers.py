"""The core's import graph: layers that only look down, and no circle (issue 18).

Every module of ``jianfu`` belongs to a layer, named after its top-level package or
module. A module may import from its own layer and the layers below, never above;
and no chain of imports (lazy ones inside functions included) comes back to where
it started. A new top-level package must be given its layer in ``LAYERS``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "jianfu"
WIDGETS = ROOT / "widgets"  # installed as jianfu_widgets

# lowest first: how a process starts and how people write things; data files, the catalog and the database
# connection; the store; reading files and comparing; what is made from a comparison
# (charts, speeches) and the self-assessment; operating an installation (backups, health);
# serving pages; the command line
LAYERS = [
    {"errors", "paths", "startup", "text", "numbers"},
    {"datafiles", "db", "versions", "catalog"},
    {"store"},
    {"dataio", "compare"},
    {"charts", "speech", "assess", "phrasebank", "clues", "collect", "registers"},
    {"ops"},
    {"server"},
    {"cli"},
]
LAYER_OF = {name: n for n, names in enumerate(LAYERS) for name in names}


def module_names(root: Path = CORE, package: str = "jianfu") -> dict[str, Path]:
    """Dotted name -> file, for every module of a package (the core unless told)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = (package, *path.relative_to(root).with_suffix("").parts)
        names[".".join(parts).removesuffix(".__init__")] = path
    return names


MODULES = module_names()


def imports_of(name: str, path: Path, modules: dict[str, Path] = MODULES) -> set[str]:
    """The modules of ``modules`` that ``name`` imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # `from . import labels` imports the module labels
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in found if m in modules and m != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}
WIDGET_MODULES = module_names(WIDGETS, "jianfu_widgets")
WIDGET_GRAPH = {n: imports_of(n, p, WIDGET_MODULES) for n, p in WIDGET_MODULES.items()}


def layer(name: str) -> int:
    top = name.split(".")[1] if "." in name else ""
    assert top in LAYER_OF, f"{name}：请在 LAYERS 中写明 jianfu.{top} 属于哪一层"
    return LAYER_OF[top]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "jianfu"))
def test_imports_only_look_down(name):
    upward = sorted(m for m in GRAPH[name] if m != "jianfu" and layer(m) > layer(name))
    assert not upward, f"{name} imports a higher layer: {upward}"


def test_no_circle():
    assert cycles(GRAPH) == []


def test_no_circle_among_the_widgets():
    assert cycles(WIDGET_GRAPH) == []


def test_the_widget_graph_sees_both_ways_of_importing():
    assert "jianfu_widgets.common" in WIDGET_GRAPH["jianfu_widgets.landing"]  # absolute
    assert "jianfu_widgets.apps" in WIDGET_GRAPH["jianfu_widgets.common"]  # from .apps import


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that reach each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize(
    ("graph", "circles"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"a"}, "c": {"c"} - {"c"}}, [["a", "b"]]),
    ],
)
def test_the_circle_finder_finds_circles(graph, circles):
    assert cycles(graph) == circles


def test_the_import_reader_resolves_relative_imports():
    assert "jianfu.store.labels" in GRAPH["jianfu.store.store"]  # from . import labels
    assert "jianfu.catalog" in GRAPH["jianfu.store.store"]  # from ..catalog import Catalog
    assert "jianfu.store.demo" in GRAPH["jianfu.cli.commands"]  # a lazy import inside a function


def touches_sys_modules_on_import(path: Path) -> bool:
    """A statement run at import (outside functions and classes) that uses ``sys.modules``."""
    outside = [
        node
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    return any(
        isinstance(n, ast.Attribute) and n.attr == "modules" and getattr(n.value, "id", "") == "sys"
        for node in outside
        for n in ast.walk(node)
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_importing_a_module_changes_no_other_module(name):
    """start-up choices are explicit calls (jianfu.startup), not side effects of an import."""
    assert not touches_sys_modules_on_import(MODULES[name])


# ---- rooms a reader can hold in mind (issue 18) ---------------------------------------

MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80
LONG_ALLOWED = {"jianfu/cli/commands.py:_parser"}  # table-driven: one add_argument per line


def too_big(path: Path, root: Path = ROOT) -> list[str]:
    """The file itself if over MAX_FILE_LINES, and each function over MAX_FUNCTION_LINES."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    if len(text.splitlines()) > MAX_FILE_LINES:
        found.append(f"{name}: {len(text.splitlines())} lines")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in LONG_ALLOWED:
                found.append(f"{name}:{node.name}: {lines} lines")
    return found


@pytest.mark.parametrize(
    "path",
    [*MODULES.values(), *WIDGET_MODULES.values()],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_file_over_500_lines_nor_function_over_80(path):
    assert too_big(path) == []


def test_the_size_check_finds_a_long_file_and_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def f():\n{body}\n", encoding="utf-8")
    (tmp_path / "big.py").write_text("x = 1\n" * (MAX_FILE_LINES + 1), encoding="utf-8")
    assert too_big(tmp_path / "long.py", tmp_path) == [f"long.py:f: {MAX_FUNCTION_LINES + 1} lines"]
    assert too_big(tmp_path / "big.py", tmp_path) == [f"big.py: {MAX_FILE_LINES + 1} lines"]
