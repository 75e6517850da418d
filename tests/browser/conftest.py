"""Browser tests: the real Voila server (jianfu.server.voila) driven by headless Chromium.

Everything in this folder is marked `browser`. Fixtures:

- ``voila_server``: one server for the session over notebooks/, its kernels on the
  demo database (``browser_db``) in a temporary data folder;
- ``start_voila``: start another server (own database, folder or options), stopped
  at the end of the session;
- ``page``: a fresh browser context and page; every request is recorded, requests
  to any host but 127.0.0.1/localhost are aborted and fail the test at teardown;
  a screenshot lands in test-artifacts/ when the test fails.

``open_app(page, url, ready_selector)`` (also a fixture) opens a page and returns
its time to interactive in seconds; benchmarks/bench_pages.py loads this file to
measure the same way.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from jianfu.paths import PROJECT_ROOT

if str(PROJECT_ROOT) not in sys.path:  # benchmarks load this file by its path
    sys.path.insert(0, str(PROJECT_ROOT))

from jianfu_widgets import common

from tests.support.servers import (  # noqa: F401 - also imported from here by the tests
    LiveServer,
    free_port,
    start_public_server,
    start_server,
    stop_server,
    wait_for_log,
)

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # a name for 127.0.0.2 that is not "localhost": a plain-HTTP intranet address,
    # which is not a secure context (no Clipboard API), still on this machine
    "--host-resolver-rules=MAP jianfu.test 127.0.0.2",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CELL_ERROR = ".jianfu-cell-error"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "127.0.0.2", "jianfu.test"})
# Everything but http(s)/ws(s) to this machine; matched inside the Playwright driver.
OUTSIDE = re.compile(
    r"^(?!(https?|wss?)://(127\.0\.0\.[12]|localhost|jianfu\.test)(:\d+)?/)[a-z-]+://", re.I
)


def is_outside(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme not in ("data", "blob", "about") and parts.hostname not in LOCAL_HOSTS


# ---- marking and reports ---------------------------------------------------


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _require(condition: bool, reason: str) -> None:
    """Skip on a developer machine without the browser; in CI (CI=true) fail instead."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must not skip browser tests)", pytrace=False)
    pytest.skip(reason)


# ---- the server ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_db(tmp_path_factory) -> str:
    """URL of the database the session server uses: the demo data, built once.

    Tests that write should start their own server on a fresh database with
    ``start_voila(db_url=...)`` rather than change this one.
    """
    from jianfu.store import Store
    from jianfu.store.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'jianfu.sqlite'}"
    store = Store(url)
    build_demo(store)
    store.engine.dispose()
    return url


@pytest.fixture(scope="session")
def start_voila(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Factory: ``start_voila(db_url=None, notebooks_dir=NOTEBOOKS, **build_command options)``."""
    servers: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        server = start_server(tmp_path_factory.mktemp("voila-data"), **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)


@pytest.fixture(scope="session")
def voila_server(start_voila, browser_db) -> LiveServer:
    return start_voila(db_url=browser_db)


# ---- the browser -----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM.exists(), f"{CHROMIUM} not found: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "the playwright Python package is not installed")
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh temporary user-data dir.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_requests(context) -> list[str]:
    """Record every request of `context`; abort those leaving this machine."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    context.route(OUTSIDE, lambda route: route.abort("blockedbyclient"))
    return seen


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    seen = watch_requests(context)
    page = context.new_page()
    page.on("websocket", lambda ws: seen.append(ws.url))
    page.requests = seen
    yield page
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a crashed page must not hide the real failure
            print(f"screenshot failed: {exc}")
    context.close()
    outside = sorted({url for url in seen if is_outside(url)})
    if outside:
        pytest.fail("requests left 127.0.0.1:\n" + "\n".join(outside), pytrace=False)


@pytest.fixture
def page_at(browser, request):
    """Factory: ``page_at(**context options)`` (viewport, zoom, phone), checked like ``page``."""
    made = []

    def make(**options):
        context = browser.new_context(locale="zh-CN", **options)
        seen = watch_requests(context)
        page = context.new_page()
        page.on("websocket", lambda ws: seen.append(ws.url))
        made.append((context, page, seen))
        return page

    yield make
    call = getattr(request.node, "report_call", None)
    for context, page, seen in made:
        if call is not None and call.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as exc:
                print(f"screenshot failed: {exc}")
        context.close()
        outside = sorted({url for url in seen if is_outside(url)})
        if outside:
            pytest.fail("requests left this machine:\n" + "\n".join(outside), pytrace=False)


@pytest.fixture(name="open_app")
def open_app_fixture() -> Callable[..., float]:
    return open_app


def open_app(page, url: str, ready_selector: str, timeout: float = 60) -> float:
    """Open `url`, wait until `ready_selector` shows; seconds to interactive.

    Widgets live in #rendered_cells, hidden until Voila removes #loading, so a
    visible widget means the page is ready; the websocket stays open, so never
    wait for network idle.
    """
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    # A failed cell shows the template's Chinese error instead: stop waiting then.
    page.wait_for_selector(
        f"{ready_selector}, {CELL_ERROR}", state="visible", timeout=timeout * 1000
    )
    elapsed = time.perf_counter() - start
    if page.locator(CELL_ERROR).count():
        raise AssertionError(f"{url} shows a cell error; the traceback is in the server log")
    page.wait_for_selector("#loading", state="detached", timeout=5000)
    return elapsed


# ---- the public 自评 server (jianfu serve --public) ----------------------------


PREHEATED = common.PREHEATED.format(page="participant")  # what a pooled kernel logs


@pytest.fixture(scope="session")
def start_public(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Factory: ``start_public(db_url, preheat=0, max_kernels=None, ...)``; stopped at the end."""
    servers: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        server = start_public_server(tmp_path_factory.mktemp("voila-public"), **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)
