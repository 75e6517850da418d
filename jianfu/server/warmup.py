"""Work done once before a server starts its kernels, so that no kernel does it again.

Validating a data file needs pydantic; the pages do not load it when the file was
validated before (:mod:`jianfu.datafiles.cache`). Checking every file here, in the
server's own process, leaves each kernel — dozens for a room of participants — a
cache to read, and shows a broken file in the terminal before anyone opens a page.
Likewise the project's bytecode is written here (:func:`compile_bytecode`).
"""

from __future__ import annotations

import compileall
import importlib.util
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..errors import DataFileError


def data_file_loaders() -> list[Callable[[], object]]:
    """A loader for each shipped data file (catalog, questionnaires, genres, phrase bank,
    register kinds and warning limits)."""
    from ..assess.questionnaire import BUILTIN, load_questionnaire
    from ..catalog import load_catalog
    from ..registers.kinds import load_kinds
    from ..registers.limits import shipped_limits
    from ..speech.genres import load_genres
    from ..speech.phrasebank import load_phrasebank

    forms = [partial(load_questionnaire, key) for key in BUILTIN]
    return [load_catalog, *forms, load_genres, load_phrasebank, load_kinds, shipped_limits]


def check_data_files() -> list[str]:
    """Every problem of every shipped data file (none: all valid and cached)."""
    problems: list[str] = []
    for load in data_file_loaders():
        try:
            load()
        except DataFileError as exc:
            problems += exc.problems
    return problems


def report_data_files() -> None:
    """Print the problems of the shipped data files, if any, before serving."""
    problems = check_data_files()
    if problems:
        print("数据文件有误，用到它们的页面将无法打开：", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)


def package_folders() -> list[Path]:
    """The folders of the packages every kernel imports: jianfu and jianfu_widgets."""
    folders = [Path(__file__).resolve().parents[1]]
    spec = importlib.util.find_spec("jianfu_widgets")  # found, not imported
    if spec is not None and spec.submodule_search_locations:
        folders += [Path(p) for p in spec.submodule_search_locations]
    return folders


def compile_bytecode(folders: list[Path] | None = None) -> None:
    """Write the bytecode of the project's modules, so kernels need not compile them.

    A kernel imports a hundred-odd of them. Without bytecode — an editable install run
    with PYTHONDONTWRITEBYTECODE=1, as container images often set — every kernel
    compiles them from source again, about 0.15 s of each cold page open on a two-core
    machine. compileall writes bytecode whatever that variable says, and only for
    modules whose bytecode is missing or out of date; a folder it cannot write is
    left as it is (the kernels then compile, as before).
    """
    for folder in folders or package_folders():
        compileall.compile_dir(folder, quiet=2)
