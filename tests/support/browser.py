"""Headless Chromium for the browser tests and the page benchmarks, measured one way.

``open_app(page, url, ready_selector)`` opens a page and returns its time to
interactive; ``watch_requests`` records every request of a context and aborts
those leaving this machine; ``chromium()`` launches the browser with the flags
both use. tests/browser/conftest.py wraps these in fixtures.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from jianfu.paths import PROJECT_ROOT
from jianfu_widgets import common

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
PREHEATED = common.PREHEATED.format(page="participant")  # what a pooled kernel logs
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "127.0.0.2", "jianfu.test"})
# Everything but http(s)/ws(s) to this machine; matched inside the Playwright driver.
OUTSIDE = re.compile(
    r"^(?!(https?|wss?)://(127\.0\.0\.[12]|localhost|jianfu\.test)(:\d+)?/)[a-z-]+://", re.I
)


def is_outside(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme not in ("data", "blob", "about") and parts.hostname not in LOCAL_HOSTS


def watch_requests(context) -> list[str]:
    """Record every request of `context`; abort those leaving this machine."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    context.route(OUTSIDE, lambda route: route.abort("blockedbyclient"))
    return seen


@contextmanager
def chromium():
    """Debian's Chromium, headless, through Playwright (a fresh profile per launch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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


def leave(page) -> None:
    """Close the tab as a person does: Voila's unload handler shuts the page's kernel down.

    Closing the browser context alone skips it, and every opened page would keep a
    kernel running until the culler came (600 s with `make app`).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.close(run_before_unload=True)
    try:
        # is_closed() only changes while Playwright handles events: wait for the event
        page.wait_for_event("close", timeout=5000)
    except PlaywrightTimeout:
        pass  # the unload request went out; the culler takes a kernel left behind


def screenshot(page, name: str) -> None:
    """Keep what a failed test's page showed in test-artifacts/ (never hides the failure)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # a crashed page must not hide the real failure
        print(f"screenshot failed: {exc}")
