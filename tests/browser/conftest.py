"""Browser tests: the real Voila server (jianfu.server.voila) driven by headless Chromium.

Everything in this folder is marked `browser`. Fixtures:

- ``voila_server``: one server for the session over notebooks/, its kernels on the
  demo database (``browser_db``) in a temporary data folder;
- ``start_voila``: start another server (own database, folder or options), stopped
  at the end of the session;
- ``page``: a new tab without cookies in the session's browser context (Chromium
  compiles Voila's scripts once); every request is recorded, requests to any host
  but 127.0.0.1/localhost are aborted and fail the test at teardown; a screenshot
  lands in test-artifacts/ when the test fails; its tabs are closed as a person
  closes them. ``page_at`` makes a fresh context with the options given.

- ``demo_voila``: a server on its own copy of the demo data, for tests that write.

The helpers behind them (``open_app``, ``watch_requests``, Chromium's flags) live in
tests.support.browser, where the page benchmarks import them too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.browser import (
    CHROMIUM,
    chromium,
    leave,
    open_app,
    screenshot,
    watch_requests,
)
from tests.support.browser import is_outside as is_outside
from tests.support.demo import copy_demo
from tests.support.servers import LiveServer, start_public_server, start_server, stop_servers

HERE = Path(__file__).resolve().parent


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
def browser_db(demo_db_file, tmp_path_factory) -> str:
    """URL of the database the session server uses: a copy of the demo data.

    Tests that write should start their own server with ``demo_voila()``
    rather than change this one.
    """
    return copy_demo(demo_db_file, tmp_path_factory.mktemp("browser-db"))


@pytest.fixture(scope="session")
def start_voila(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Factory: ``start_voila(db_url=None, notebooks_dir=NOTEBOOKS, **build_command options)``."""
    servers: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        server = start_server(tmp_path_factory.mktemp("voila-data"), **kwargs)
        servers.append(server)
        return server

    yield start
    stop_servers(servers)


@pytest.fixture(scope="session")
def demo_voila(start_voila, demo_db_file, tmp_path_factory) -> Callable[..., LiveServer]:
    """Factory: a server on a fresh copy of the demo data, for tests that write.

    The server's ``db_url`` names its database.
    """

    def start(**kwargs) -> LiveServer:
        url = copy_demo(demo_db_file, tmp_path_factory.mktemp("demo-db"))
        server = start_voila(db_url=url, **kwargs)
        server.db_url = url
        return server

    return start


@pytest.fixture(scope="session")
def voila_server(start_voila, browser_db) -> LiveServer:
    return start_voila(db_url=browser_db)


# ---- the browser -----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM.exists(), f"{CHROMIUM} not found: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _require(False, "the playwright Python package is not installed")
    with chromium() as browser:
        yield browser


def _checked_page(browser, **options):
    context = browser.new_context(locale="zh-CN", **options)
    seen = watch_requests(context)
    page = context.new_page()
    page.on("websocket", lambda ws: seen.append(ws.url))
    page.requests = seen
    return context, page


def _close_checked(request, made) -> None:
    """Screenshot pages of a failed test, close them, fail on requests that left the machine."""
    call = getattr(request.node, "report_call", None)
    outside = set()
    for context, page in made:
        if call is not None and call.failed:
            screenshot(page, request.node.nodeid)
        context.close()
        outside |= {url for url in page.requests if is_outside(url)}
    if outside:
        pytest.fail("requests left this machine:\n" + "\n".join(sorted(outside)), pytrace=False)


@pytest.fixture(scope="session")
def plain_context(browser):
    """The context of every ``page``: Chromium compiles Voila's scripts once for the
    session (a fresh context compiles them again, ~0.7 CPU-s a page on two cores)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.requests = watch_requests(context)
    yield context
    context.close()


@pytest.fixture
def page(plain_context, request):
    """A new tab (1280×800) with no cookies; outside requests are aborted and fail the test.

    Its tabs are closed as a person closes them (their kernels shut down) at the end.
    """
    plain_context.clear_cookies()
    plain_context.requests.clear()
    page = plain_context.new_page()
    page.on("websocket", lambda ws: plain_context.requests.append(ws.url))
    yield page
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        screenshot(page, request.node.nodeid)
    from playwright.sync_api import Error as PlaywrightError

    for tab in plain_context.pages:
        try:
            leave(tab)
        except PlaywrightError:  # the test closed it already
            pass
    outside = sorted({url for url in plain_context.requests if is_outside(url)})
    if outside:
        pytest.fail("requests left this machine:\n" + "\n".join(outside), pytrace=False)


@pytest.fixture
def page_at(browser, request):
    """Factory: ``page_at(**context options)`` (viewport, zoom, phone), checked like ``page``."""
    made = []

    def make(**options):
        made.append(_checked_page(browser, **options))
        return made[-1][1]

    yield make
    _close_checked(request, made)


@pytest.fixture(name="open_app")
def open_app_fixture() -> Callable[..., float]:
    return open_app


# ---- the public 自评 server (jianfu serve --public) ----------------------------


@pytest.fixture(scope="session")
def start_public(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Factory: ``start_public(db_url, preheat=0, max_kernels=None, ...)``; stopped at the end."""
    servers: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        server = start_public_server(tmp_path_factory.mktemp("voila-public"), **kwargs)
        servers.append(server)
        return server

    yield start
    stop_servers(servers)
