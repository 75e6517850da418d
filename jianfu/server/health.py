"""``/healthz`` on both servers (the private apps', under their base URL, and the public
one): 200 when the database opens and its schema is current, 503 otherwise. For
monitoring and the reverse proxy's checks: no token asked (monitoring has none), no
kernel started, and the answer is ``{"ok": …}`` only: not where the database is, not
which versions, not the server's software."""

from __future__ import annotations

import asyncio

import tornado.web

ROUTE = "healthz"


class HealthHandler(tornado.web.RequestHandler):
    def set_default_headers(self):
        self.clear_header("Server")

    async def get(self):
        from ..ops.health import check_database
        from ..paths import default_db_url

        report = await asyncio.get_running_loop().run_in_executor(
            None, check_database, default_db_url()
        )
        self.set_status(200 if report.ok else 503)
        self.set_header("Cache-Control", "no-store")
        self.finish({"ok": report.ok})
