"""The public 问题线索 pages, answered by the public server itself (no kernel, no script).

``/report`` shows the form (GET) and takes a report (POST); ``/report/status``
looks up a 查询码. Mounted by share/jianfu/voila_public.py with one route
(:data:`ROUTE`). What keeps it quiet and cheap:

- a plain GET starts no kernel and writes nothing (the unit list it offers is
  read at most once a minute);
- per client (the connection's address, kept in memory only, never stored) at
  most REPORTS_PER_HOUR reports and LOOKUPS_PER_HOUR look-ups; over the limit the
  page says so plainly (status 429, “提交过于频繁，本次没有保存……”, the form kept
  as typed; no 查询码, which would mislead a real reporter sharing an office's
  address), and says nothing else: it is the same for every client. Behind a reverse proxy
  every connection comes from the proxy: the client is then the proxy's
  ``X-Real-IP``, trusted only from the addresses listed in JIANFU_TRUSTED_PROXIES
  (nginx overwrites the header; from any other address it is ignored);
- a body over MAX_BODY bytes is refused before it is read into a report;
- the XSRF cookie of the form is required for every POST;
- the request log shows "-" for these pages' client address.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from functools import partial

import tornado.web

from ..clues import page
from ..clues.model import ClueError
from ..clues.ratelimit import RateLimit
from ..clues.store import ClueStore
from ..clues.text import one_line, report_from

TRUSTED_PROXIES_ENV = "JIANFU_TRUSTED_PROXIES"  # e.g. 127.0.0.1 (nginx on this machine)
REAL_IP = "X-Real-IP"
ROUTE = r"report(?:/(status))?/?"  # replaces "(.*)" in the server's root pattern
REPORTS_PER_HOUR = 5
LOOKUPS_PER_HOUR = 30
RATE_WINDOW = 3600  # seconds
MAX_BODY = 16_000
UNITS_EVERY = 60.0  # seconds between readings of the unit list
FIELDS = ("category", "imposed_by", "what", "when", "how_often", "hours", "contact_ok", "contact")
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Type": "text/html; charset=utf-8",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


class ReportHandler(tornado.web.RequestHandler):
    def initialize(self):
        # the address serves the rate limit only: the server's request log gets "-"
        self.client = client_key(self.request, _state(self).trusted)
        self.request.remote_ip = "-"

    def prepare(self):
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        if self.request.method != "POST":
            return
        length = int(self.request.headers.get("Content-Length") or 0)
        if max(length, len(self.request.body)) > MAX_BODY:
            raise tornado.web.HTTPError(413)
        self.check_xsrf_cookie()  # whether or not the server's settings ask for it

    async def get(self, which=None):
        if self.request.path.endswith("/"):  # the pages' relative links need the bare path
            self.redirect(self.request.path.rstrip("/"), permanent=True)
            return
        if which:
            self.finish(page.lookup_page(self.xsrf_form_html()))
        else:
            units = await _run(_state(self).units)
            self.finish(page.form_page(self.xsrf_form_html(), units))

    async def post(self, which=None):
        state = _state(self)
        if which:
            await self._look_up(state)
            return
        form = {name: self.get_body_argument(name, "")[:MAX_BODY] for name in FIELDS}
        try:
            report = report_from(form)
        except ClueError as error:
            units = await _run(state.units)
            self.finish(page.form_page(self.xsrf_form_html(), units, str(error), form))
            return
        if not state.reports.allow(self.client):
            units = await _run(state.units)
            self._too_many()
            self.finish(page.form_page(self.xsrf_form_html(), units, page.TOO_MANY_REPORTS, form))
            return
        supervisor = one_line(self.get_body_argument("supervisor", ""), 30)
        code = await _run(state.store().submit, report, supervisor)
        self.finish(page.received_page(code))

    async def _look_up(self, state: State) -> None:
        code = self.get_body_argument("code", "")[:40]
        if not state.lookups.allow(self.client):
            self._too_many()
            self.finish(page.lookup_page(self.xsrf_form_html(), message=page.TOO_MANY_LOOKUPS))
            return
        found = await _run(state.store().status, code)
        self.finish(page.lookup_page(self.xsrf_form_html(), asked=True, found=found))

    def _too_many(self) -> None:
        self.set_status(429)
        self.set_header("Retry-After", str(RATE_WINDOW))

    def write_error(self, status_code, **kwargs):
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        said = "提交内容过长，请删减后再试" if status_code == 413 else "暂时无法处理，请稍后再试"
        self.finish(
            page.html_page(
                "请稍后再试", f'<p class="msg">{said}</p><p><a href="/report">返回</a></p>'
            )
        )


class State:
    """The server's one store and its rate limits (in this process's memory)."""

    def __init__(self, store: ClueStore | None = None, trusted: frozenset[str] | None = None):
        self._store = store
        self._opening = threading.Lock()  # the first requests arrive together
        self.trusted = trusted_proxies() if trusted is None else trusted
        self._units: tuple[float, list[str]] = (float("-inf"), [])
        self.reports = RateLimit(REPORTS_PER_HOUR, RATE_WINDOW)
        self.lookups = RateLimit(LOOKUPS_PER_HOUR, RATE_WINDOW)

    def store(self) -> ClueStore:
        with self._opening:
            if self._store is None:
                self._store = ClueStore()
        return self._store

    def units(self) -> list[str]:
        """Unit names the office entered (a list to pick from); none before a store exists."""
        read_at, names = self._units
        if time.monotonic() - read_at < UNITS_EVERY:
            return names
        try:
            names = self.store().unit_names()
        except Exception:  # noqa: BLE001 - the form works without the list
            names = []
        self._units = (time.monotonic(), names)
        return names


def trusted_proxies(environ=os.environ) -> frozenset[str]:
    """The reverse proxies whose X-Real-IP names the client (none unless configured)."""
    return frozenset(environ.get(TRUSTED_PROXIES_ENV, "").replace(",", " ").split())


def client_key(request, trusted: frozenset[str]) -> str:
    """Whom the rate limit counts: the connection's address, or what a trusted proxy says."""
    address = request.remote_ip or ""
    forwarded = request.headers.get(REAL_IP, "").strip() if address in trusted else ""
    return forwarded or address


def _state(handler: tornado.web.RequestHandler) -> State:
    return handler.settings.setdefault("jianfu_clues", State())


async def _run(function, *args):
    """Database work off the event loop: other visitors' pages keep flowing."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))
