"""Shared fixtures: a fresh temporary store per test, the demo data, the catalog.

The demo database is built once per session (once per pytest-xdist worker) and
copied for every test that uses it. Each process gets its own throwaway data
folder ($JIANFU_DATA_DIR), so workers never share a database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest

from tests.support.demo import build_demo_file, copy_demo

pytest_plugins = ["tests.support.collect"]  # the 填报任务 fixtures

_ROOT_ENV = "JIANFU_TEST_ROOT"  # this process's throwaway folder


def pytest_configure(config):
    _widgets_without_a_frontend()
    # Notebooks run by nbval start kernels that read the data directory from the
    # environment: point them at a throwaway folder, never at the user's data.
    # xdist workers inherit the controller's environment: each makes its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    root = tempfile.mkdtemp(prefix=f"jianfu-test-{worker}-")
    os.environ[_ROOT_ENV] = root
    os.environ["JIANFU_DATA_DIR"] = str(Path(root) / "data")
    os.environ.pop("JIANFU_DB_URL", None)


def pytest_unconfigure(config):
    root = os.environ.pop(_ROOT_ENV, None)
    if root:
        shutil.rmtree(root, ignore_errors=True)


@cache
def demo_file() -> Path:
    """The session's demo database (read-only: copy it before writing)."""
    return build_demo_file(Path(os.environ[_ROOT_ENV]) / "demo")


HEAVY = ("slow", "browser", "postgres")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items):
    # A notebook run starts a kernel and builds a whole page (5-13 s each): make test
    # runs them, the one-minute loop leaves them to the widget tests of the same apps.
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    # Heavy tests first: make test hands whole modules to the workers in this order
    # (--dist loadscope --no-loadscope-reorder), so the minute-long ones start while
    # there is plenty left for the other worker, not at the end alone; a module stays
    # on one worker, so its Voila server or database is set up once.
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in HEAVY))


def pytest_collection_finish(session):
    # The notebooks run on the demo data, as `make app` does.
    if any(item.path.suffix == ".ipynb" for item in session.items):
        copy_demo(demo_file(), Path(os.environ["JIANFU_DATA_DIR"]))


def _widgets_without_a_frontend() -> None:
    """Outside a kernel every new widget still serialises its whole state for a comm
    nobody reads (a third of the widget tests' CPU). Tests assert on the widgets' values,
    never on comm messages; the browser tests run the real comms in Voila."""
    import ipywidgets

    ipywidgets.Widget.open = lambda self: None


@pytest.fixture(scope="session")
def demo_db_file() -> Path:
    return demo_file()


@pytest.fixture(scope="session")
def catalog():
    from jianfu.catalog import load_catalog

    return load_catalog()


@pytest.fixture
def store(tmp_path, catalog):
    from jianfu.store import Store

    return Store(f"sqlite:///{tmp_path / 'test.sqlite'}", catalog=catalog)


@pytest.fixture
def demo_store(tmp_path, catalog, demo_db_file):
    """A private copy of the demo database."""
    from jianfu.store import Store

    return Store(copy_demo(demo_db_file, tmp_path, "test.sqlite"), catalog=catalog)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data folder named by $JIANFU_DATA_DIR: the command line's default database."""
    folder = tmp_path / "data"
    monkeypatch.setenv("JIANFU_DATA_DIR", str(folder))
    monkeypatch.delenv("JIANFU_DB_URL", raising=False)
    return folder


@pytest.fixture
def demo_data_dir(data_dir, demo_db_file) -> Path:
    """The data folder as `jianfu demo` leaves it."""
    copy_demo(demo_db_file, data_dir)
    return data_dir


# ---- PostgreSQL (tests marked postgres) ------------------------------------------


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the session (one per xdist worker)."""
    from tests.support.pg_server import session_cluster

    with session_cluster() as server:
        yield server


@pytest.fixture(scope="session")
def pg_admin(pg_server):
    """An autocommit connection to the cluster, for creating and dropping test schemas."""
    import psycopg

    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        yield conn


@pytest.fixture
def pg_url(pg_server, pg_admin):
    """URL of a fresh, empty schema, dropped after the test."""
    from tests.support.pg_server import fresh_schema

    with fresh_schema(pg_server, pg_admin) as url:
        yield url
