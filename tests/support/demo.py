"""The demo database as a file: built once, copied for every test or server that writes.

Building it runs the store's own code (jianfu.store.demo.build_demo); copying the
finished SQLite file is what makes a fresh demo database per test cheap.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DB_NAME = "jianfu.sqlite"  # the file name Store.default() uses in a data folder


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_demo_file(folder: Path) -> Path:
    """Create ``folder/jianfu.sqlite`` holding the demo data (topped up if it exists)."""
    from jianfu.collect.demo import build_demo_rounds
    from jianfu.store import Store
    from jianfu.store.demo import build_demo

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DB_NAME
    store = Store(sqlite_url(path))
    try:
        if store.is_empty():
            build_demo(store)
            build_demo_rounds(store)
    finally:
        store.engine.dispose()
    return path


def copy_demo(demo_file: Path, folder: Path, name: str = DB_NAME) -> str:
    """A private copy of the demo database in `folder`; its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(demo_file, target)
    return sqlite_url(target)
