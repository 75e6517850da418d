"""Voila for the public 自评 server: one page at the root URL, a real kernel cap, a line.

Run by jianfu.server.public (``python -m jianfu.server.voila_public <notebook> <voila
options>``) in the server's own process: the one core module that imports Voila, and
nothing in the core imports it (tests/test_core_imports.py names it). The rules
themselves (line, refill) are in jianfu.server.admission.
What it changes in Voila 0.5:

- only the root URL renders (the participant notebook); ``/report`` is the
  问题线索 form, answered without a kernel (jianfu.server.report), ``/healthz``
  the monitoring check (jianfu.server.health); any other path is 404, and /voila/files/ serves nothing;
- a first visit gets a tiny page whose script sets a cookie and reloads: a plain
  GET (a script, a link preview) never starts a kernel, and a page whose websocket
  never connects loses its kernel after ``--PublicVoila.connect_timeout`` seconds;
- a random participant token in an HttpOnly cookie, handed to the kernel through
  the Cookie header (``--VoilaConfiguration.http_header_envs=["Cookie"]``), so a
  reload or a second tab finds the same answers; it is also the visitor's place
  in line;
- the ``_xsrf`` cookie is set, so the page's shutdown beacon on reload or close
  is accepted and the old kernel stops at once (voila #1458 refuses it otherwise);
- ``--PublicVoila.max_kernels`` caps every kernel alive or starting, the pool's
  included; over it, visitors wait on a “请稍候” page that shows their place and
  opens the form when their turn comes (status 503);
- the pool is refilled by this server, not by Voila's ``fill_delay``: only what the
  room can still need, a couple at a time, after ``--PublicVoila.refill_quiet``
  seconds without a page opened or an answer sent; a visitor who finds no ready
  pooled kernel gets a new one at once (after a restart too, while the pool warms).
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import re
import secrets
import sys
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from jianfu.startup import skip_iri_grammar

skip_iri_grammar()  # this launcher's first act: before Voila imports jsonschema

import tornado.web
import voila.app as voila_app
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Int
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from jianfu.assess.links import TOKEN_COOKIE
from jianfu.server.admission import COME_IN, RefillPlan, WaitingLine
from jianfu.server.health import ROUTE as HEALTH_ROUTE
from jianfu.server.health import HealthHandler
from jianfu.server.report import ROUTE as REPORT_ROUTE
from jianfu.server.report import ReportHandler

# traitlets deprecates list literals on the command line ([] and ["Cookie"] below);
# voila re-enables DeprecationWarnings on import, so filter after importing it.
warnings.filterwarnings("ignore", r"--VoilaConfiguration\.", DeprecationWarning)

SCRIPT_COOKIE = "jianfu_js"  # set by the first page's script: proof of a browser
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
QUEUE_PATH = "jianfu-queue"
HERE = Path(__file__).resolve().parent
GATE_PAGE = (HERE / "gate.html").read_text(encoding="utf-8")
BUSY_PAGE = (HERE / "busy.html").read_text(encoding="utf-8")
RETRY_SECONDS = 2  # the 请稍候 page asks for its place this often (plus up to 1 s)
TICK_SECONDS = 1.0
VISIT: contextvars.ContextVar[Visit | None] = contextvars.ContextVar("jianfu_visit", default=None)


@dataclass
class Visit:
    """One admitted page request, followed from the handler into the kernel manager."""

    token: str
    promised: bool = False  # a new kernel was promised to it (no pooled one was ready)
    kernel_id: str | None = None


@dataclass
class KernelBook:
    promised: int = 0  # kernels decided on but not yet asked of jupyter_client
    starting: set[str] = field(default_factory=set)  # ids being started
    handed: dict[str, float | None] = field(default_factory=dict)  # id -> page sent at


# ---- request handlers ------------------------------------------------------


class PublicVoilaHandler(TornadoVoilaHandler):
    async def get(self, path=None):
        if path:
            raise tornado.web.HTTPError(404)
        public: PublicVoila = self.settings["jianfu_public"]
        # The token is set with the first page already: a reverse proxy spreading a room
        # over several nodes (deploy/nginx/jianfu.conf hashes on it) then sends the
        # request that starts the kernel, and the kernel's websocket, to the same node.
        token = self._participant_cookie()
        if not self.get_cookie(SCRIPT_COOKIE):
            self._page(GATE_PAGE, 200)
            return
        # ?template= or ?theme= would make Voila skip the pool and start a kernel unasked.
        for name in ("template", "theme"):
            self.request.arguments.pop(name, None)
        visit = public.admit(token)
        if not isinstance(visit, Visit):
            self._busy(visit)
            return
        reset = VISIT.set(visit)
        try:
            self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the shutdown beacon sends back
            await super().get(path)
        finally:
            VISIT.reset(reset)
            public.page_sent(visit)

    def _participant_cookie(self) -> str:
        token = self.get_cookie(TOKEN_COOKIE)
        if token and TOKEN_PATTERN.match(token):
            return token
        token = secrets.token_urlsafe(24)
        self.set_cookie(TOKEN_COOKIE, token, expires_days=30, httponly=True, samesite="Lax")
        # The kernel reads the token from the request's Cookie header: add it on the first visit.
        sent = self.request.headers.get("Cookie")
        self.request.headers["Cookie"] = (
            f"{sent}; {TOKEN_COOKIE}={token}" if sent else f"{TOKEN_COOKIE}={token}"
        )
        return token

    def _busy(self, place: int) -> None:
        self.set_header("Retry-After", str(RETRY_SECONDS))
        self._page(BUSY_PAGE.replace("{place}", str(place)), 503)

    def _page(self, text: str, status: int) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(text.replace("{retry}", str(RETRY_SECONDS)).replace("{queue}", QUEUE_PATH))


class QueueHandler(tornado.web.RequestHandler):
    """The 请稍候 page asks here for its place; 0 means: come in now."""

    def get(self):
        token = self.get_cookie(TOKEN_COOKIE) or ""
        public: PublicVoila = self.settings["jianfu_public"]
        place = public.place(token) if TOKEN_PATTERN.match(token) else COME_IN
        self.set_header("Cache-Control", "no-store")
        self.finish({"place": place})


class ActivityWebsocketHandler(VoilaKernelWebsocketHandler):
    """A participant's messages (answers, 提交) hold the pool's refills back."""

    def on_message(self, ws_message):
        self.settings["jianfu_public"].touch()
        return super().on_message(ws_message)


class NotFoundHandler(tornado.web.RequestHandler):
    def get(self, *args):
        raise tornado.web.HTTPError(404)

    post = put = delete = patch = get


# ---- the application ---------------------------------------------------------


class PublicVoila(Voila):
    max_kernels = Int(
        100, config=True, help="Most kernels alive or starting at once, the pool's included."
    )
    room = Int(
        30, config=True, help="People expected: the pool is refilled only for those to come."
    )
    refill_quiet = Float(
        15.0, config=True, help="Seconds without a page opened or an answer sent before refills."
    )
    connect_timeout = Float(
        60.0, config=True, help="Seconds a page's kernel waits for the page to connect."
    )

    def init_handlers(self):
        self.app.settings["jianfu_public"] = self
        self.line = WaitingLine()
        self.arrived: set[str] = set()
        self.last_activity = float("-inf")
        pool = self.voila_configuration.preheat_kernel and self.kernel_manager.kernel_pools_config
        size = pool["default"].get("pool_size", 0) if pool else 0
        self.plan = RefillPlan(size, self.room, quiet=self.refill_quiet, at_once=_cores())
        handlers = []
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if handler is TornadoVoilaHandler:
                handlers.append((pattern.replace("(.*)", QUEUE_PATH), QueueHandler))
                handlers.append((pattern.replace("(.*)", REPORT_ROUTE), ReportHandler))  # 问题线索
                handlers.append((pattern.replace("(.*)", HEALTH_ROUTE), HealthHandler))
                spec = (pattern, PublicVoilaHandler, *spec[2:])
            elif handler is VoilaKernelWebsocketHandler:
                spec = (pattern, ActivityWebsocketHandler, *spec[2:])
            elif pattern.endswith("/voila/files/(.*)"):
                spec = (pattern, NotFoundHandler)
            handlers.append(spec)
        PeriodicCallback(self._tick, TICK_SECONDS * 1000).start()
        return handlers

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def free(self) -> int:
        """Visitors who could get a kernel now: ready pooled ones, and room under the cap."""
        km = self.kernel_manager
        ready = km.get_pool_size(km.notebook_path) if self.plan.pool_size else 0
        return ready + max(self.max_kernels - km.jianfu_occupied(), 0)

    def place(self, token: str) -> int:
        return self.line.place(token, self.free())

    def admit(self, token: str) -> Visit | int:
        """A Visit when a kernel is there for this visitor, else their place in line."""
        self.touch()
        place = self.line.enter(token, self.free())
        if place != COME_IN:
            return place
        self.arrived.add(token)
        visit = Visit(token)
        km = self.kernel_manager
        if not (self.plan.pool_size and km.get_pool_size(km.notebook_path)):
            km.jianfu_promise(visit)  # Voila starts a new kernel for this page
        return visit

    def page_sent(self, visit: Visit) -> None:
        self.kernel_manager.jianfu_page_sent(visit, time.monotonic())

    def _tick(self) -> None:
        km = self.kernel_manager
        km.jianfu_reclaim(self.connect_timeout, time.monotonic())
        if self.plan.pool_size and not len(self.line):  # a freed kernel goes to who waits
            km.jianfu_refill(
                self.plan,
                arrived=len(self.arrived),
                idle=time.monotonic() - self.last_activity,
                cap=self.max_kernels,
            )


def _cores() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


# ---- the kernel manager ------------------------------------------------------


def _ready(task) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


class CappedKernels:
    """Counts kernels alive, starting or promised; stops those whose page never connected.

    Mixed in before Voila's kernel manager. The handler's new kernels come through
    `start_kernel`; pooled ones through `_initialize` (see PooledKernels).
    """

    @property
    def jianfu(self) -> KernelBook:
        book = self.__dict__.get("_jianfu_book")
        if book is None:
            book = self.__dict__["_jianfu_book"] = KernelBook()
        return book

    def jianfu_occupied(self) -> int:
        alive = set(self.list_kernel_ids())
        alive |= {k for k, task in self._pending_kernels.items() if not task.done()}
        return len(alive | self.jianfu.starting) + self.jianfu.promised

    def jianfu_promise(self, visit: Visit) -> None:
        visit.promised = True
        self.jianfu.promised += 1

    def _jianfu_keep(self, visit: Visit) -> None:
        if visit.promised:
            visit.promised = False
            self.jianfu.promised -= 1

    async def start_kernel(self, **kwargs):
        visit = VISIT.get()
        kernel_id = kwargs.pop("kernel_id", None) or str(uuid.uuid4())
        if visit is not None:
            self._jianfu_keep(visit)
            visit.kernel_id = kernel_id
            self.jianfu.handed[kernel_id] = None
        return await self._jianfu_start(kernel_id, super().start_kernel, **kwargs)

    async def _jianfu_start(self, kernel_id: str, start, **kwargs) -> str:
        self.jianfu.starting.add(kernel_id)
        try:
            return await start(kernel_id=kernel_id, **kwargs)
        finally:
            self.jianfu.starting.discard(kernel_id)

    def jianfu_page_sent(self, visit: Visit, now: float) -> None:
        self._jianfu_keep(visit)  # the request ended before a kernel was started
        if visit.kernel_id in self.jianfu.handed:
            self.jianfu.handed[visit.kernel_id] = now

    def notify_connect(self, kernel_id):
        self.jianfu.handed.pop(kernel_id, None)
        return super().notify_connect(kernel_id)

    def jianfu_reclaim(self, timeout: float, now: float) -> None:
        """Shut down kernels whose page has not connected ``timeout`` s after it was sent."""
        for kernel_id, sent in list(self.jianfu.handed.items()):
            if sent is None:
                continue
            if kernel_id not in self:
                del self.jianfu.handed[kernel_id]
            elif now - sent > timeout:
                del self.jianfu.handed[kernel_id]
                self.log.warning("Kernel %s: its page never connected; shutting it down", kernel_id)
                asyncio.ensure_future(self.shutdown_kernel(kernel_id))

    def jianfu_refill(self, plan: RefillPlan, **state) -> None:  # pragma: no cover - no pool
        pass


class PooledKernels(CappedKernels):
    """Voila's pool, filled by `jianfu_refill` instead of Voila's timed refills."""

    def fill_if_needed(self, *args, **kwargs) -> None:
        """Voila asks after every kernel taken; the refill plan decides instead."""

    def get_pool_size(self, notebook_name) -> int:
        return sum(1 for task in self._pools.get(notebook_name, []) if _ready(task))

    async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
        self._pools.get(notebook_name, []).sort(key=lambda task: not _ready(task))
        found = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
        visit = VISIT.get()
        if visit is not None:
            visit.kernel_id = found[2]
            self.jianfu.handed[found[2]] = None
        return found

    async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        if kernel_id is None:  # a pooled kernel, promised by jianfu_refill
            self.jianfu.promised -= 1
            kernel_id = str(uuid.uuid4())
            await self._jianfu_start(
                kernel_id, super().start_kernel, kernel_name=self.default_kernel_name, **kwargs
            )
        return await super()._initialize(notebook_path, kernel_id, **kwargs)

    def jianfu_refill(self, plan: RefillPlan, *, arrived: int, idle: float, cap: int) -> None:
        notebook = self.notebook_path
        pool = self._pools.setdefault(notebook, [])
        for task in [t for t in pool if t.done() and not _ready(t)]:
            pool.remove(task)
            self.log.error("A pooled kernel failed to start: %r", _failure(task))
        starts = plan.starts(
            arrived=arrived,
            pooled=len(pool),
            starting=sum(1 for t in pool if not t.done()),
            occupied=self.jianfu_occupied(),
            cap=cap,
            idle=idle,
        )
        for _ in range(starts):
            self._jianfu_start_one(notebook, len(pool) + 1)

    def _jianfu_start_one(self, notebook: str, size: int) -> None:
        config = dict(self.kernel_pools_config)
        config[notebook] = {**config.get("default", {}), "pool_size": size}
        self.kernel_pools_config = config
        self.jianfu.promised += 1
        super().fill_if_needed(delay=0, notebook_name=notebook)


def _failure(task) -> object:
    return "cancelled" if task.cancelled() else task.exception()


_voila_factory = voila_app.voila_kernel_manager_factory


def _kernel_manager_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
    cls = _voila_factory(base_class, preheat_kernel, default_pool_size, page_config_hook)
    mixin = PooledKernels if preheat_kernel else CappedKernels
    return type("PublicKernelManager", (mixin, cls), {})


voila_app.voila_kernel_manager_factory = _kernel_manager_factory

if __name__ == "__main__":
    sys.exit(PublicVoila.launch_instance())
