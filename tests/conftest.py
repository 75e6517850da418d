"""Shared fixtures: a fresh temporary store per test, the demo data, the catalog."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config):
    # before any test module imports a chart module (and altair with it)
    from jianfu.charts.altair_setup import prepare_altair

    prepare_altair()
    # Notebooks run by nbval start kernels that read the data directory from the
    # environment: point them at a throwaway folder, never at the user's data.
    # They run on the demo data, as `make app` does.
    if "JIANFU_DATA_DIR" not in os.environ:
        os.environ["JIANFU_DATA_DIR"] = tempfile.mkdtemp(prefix="jianfu-test-")
        from jianfu.store import Store
        from jianfu.store.demo import build_demo

        build_demo(Store.default())
    os.environ.pop("JIANFU_DB_URL", None)


@pytest.fixture(scope="session")
def catalog():
    from jianfu.catalog import load_catalog

    return load_catalog()


@pytest.fixture
def store(tmp_path, catalog):
    from jianfu.store import Store

    return Store(f"sqlite:///{tmp_path / 'test.sqlite'}", catalog=catalog)


@pytest.fixture
def demo_store(store):
    from jianfu.store.demo import build_demo

    build_demo(store)
    return store
