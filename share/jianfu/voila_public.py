"""Voila for the public 自评 server: one page at the root URL, a kernel cap, a cookie token.

Run by jianfu.server.public (``python share/jianfu/voila_public.py <notebook> <voila options>``);
it lives outside the ``jianfu`` package because it imports Voila, which the core
never does. What it changes in Voila 0.5:

- only the root URL renders (the participant notebook); any other path is 404,
  and /voila/files/ serves nothing;
- a random participant token in an HttpOnly cookie, handed to the kernel through
  the Cookie header (``--VoilaConfiguration.http_header_envs=["Cookie"]``), so a
  reload or a second tab finds the same answers;
- the ``_xsrf`` cookie is set, so the page's shutdown beacon on reload or close
  is accepted and the old kernel stops at once (voila #1458 refuses it otherwise);
- a cap on live kernels (``--PublicVoila.max_kernels``): over it, a friendly
  “请稍候” page that retries by itself (status 503), never an out-of-memory server;
- a pooled kernel whose refill is still deferred (``VoilaKernelManager.fill_delay``)
  does not count as available: the visitor gets a fresh kernel instead of waiting
  for the deferred refill.
"""

from __future__ import annotations

import random
import re
import secrets
import sys
import time
import warnings
from pathlib import Path

import tornado.web
import voila.app as voila_app
from traitlets import Int
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

# traitlets deprecates list literals on the command line ([] and ["Cookie"] below);
# voila re-enables DeprecationWarnings on import, so filter after importing it.
warnings.filterwarnings("ignore", r"--VoilaConfiguration\.", DeprecationWarning)

TOKEN_COOKIE = "jianfu_participant"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
BUSY_PAGE = (Path(__file__).with_name("busy.html")).read_text(encoding="utf-8")
RETRY_SECONDS = (4, 9)  # spread the retries of a crowd


class PublicVoilaHandler(TornadoVoilaHandler):
    async def get(self, path=None):
        if path:
            raise tornado.web.HTTPError(404)
        public: PublicVoila = self.settings["jianfu_public"]
        if not public.admit():
            self._busy()
            return
        self._participant_cookie()
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the shutdown beacon sends back
        await super().get(path)

    def _participant_cookie(self) -> None:
        token = self.get_cookie(TOKEN_COOKIE)
        if token and TOKEN_PATTERN.match(token):
            return
        token = secrets.token_urlsafe(24)
        self.set_cookie(TOKEN_COOKIE, token, expires_days=30, httponly=True, samesite="Lax")
        # The kernel reads the token from the request's Cookie header: add it on the first visit.
        sent = self.request.headers.get("Cookie")
        self.request.headers["Cookie"] = (
            f"{sent}; {TOKEN_COOKIE}={token}" if sent else f"{TOKEN_COOKIE}={token}"
        )

    def _busy(self) -> None:
        retry = random.randint(*RETRY_SECONDS)
        self.set_status(503)
        self.set_header("Retry-After", str(retry))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(BUSY_PAGE.replace("{retry}", str(retry)))


class NotFoundHandler(tornado.web.RequestHandler):
    def get(self, *args):
        raise tornado.web.HTTPError(404)

    post = put = delete = patch = get


class PublicVoila(Voila):
    max_kernels = Int(
        100, config=True, help="Most kernels alive at once; over it visitors see 请稍候 and retry."
    )

    def init_handlers(self):
        self.app.settings["jianfu_public"] = self
        handlers = []
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if handler is TornadoVoilaHandler:
                spec = (pattern, PublicVoilaHandler, *spec[2:])
            elif pattern.endswith("/voila/files/(.*)"):
                spec = (pattern, NotFoundHandler)
            handlers.append(spec)
        return handlers

    def admit(self) -> bool:
        """May one more visitor get a page now? A ready pooled kernel is always fine."""
        km = self.kernel_manager
        path = getattr(km, "notebook_path", None)
        if path is not None and km.get_pool_size(path) > 0:
            return True
        starting = sum(
            1 for pool in getattr(km, "_pools", {}).values() for t in pool if not t.done()
        )
        return len(km.list_kernel_ids()) + starting < self.max_kernels


_voila_factory = voila_app.voila_kernel_manager_factory


def _kernel_manager_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
    cls = _voila_factory(base_class, preheat_kernel, default_pool_size, page_config_hook)
    if not preheat_kernel:
        return cls

    class PublicKernelManager(cls):
        """Voila's pool, but a refill still waiting out ``fill_delay`` is not offered."""

        def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
            pool = self._pools.get(notebook_name, [])
            before = len(pool)
            super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)
            wait = delay if delay is not None else self.fill_delay
            for task in self._pools.get(notebook_name, [])[before:]:
                task.jianfu_ready_at = time.monotonic() + wait

        def get_pool_size(self, notebook_name):
            now = time.monotonic()
            return sum(
                1
                for task in self._pools.get(notebook_name, [])
                if task.done() or now >= getattr(task, "jianfu_ready_at", 0)
            )

        async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
            # Take a started kernel first: refills sit at the end of the pool, but a
            # failed start may not; move the deferred ones behind the ready ones.
            pool = self._pools.get(notebook_name, [])
            now = time.monotonic()
            pool.sort(key=lambda t: not (t.done() or now >= getattr(t, "jianfu_ready_at", 0)))
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    return PublicKernelManager


voila_app.voila_kernel_manager_factory = _kernel_manager_factory

if __name__ == "__main__":
    sys.exit(PublicVoila.launch_instance())
