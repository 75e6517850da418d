"""In a preheated Voila kernel, wait for the visitor's request without importing Voila.

Voila's helper (``voila.utils.wait_for_request``) pulls jupyter_server and
jupyterlab_server into every pooled kernel: about 51 MB and 700 modules per
kernel, more than the page itself needs. This asks the same question over the
same websocket (``/voila/query/<kernel id>``) with the ``websockets`` package's
small synchronous client (about 1.5 MB) and sets the same environment variables
(QUERY_STRING, HTTP_COOKIE, ...). Runs inside kernels: standard library and
``websockets`` only.
"""

from __future__ import annotations

import json
import os

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

PREHEAT = "VOILA_PREHEAT"
OPEN_TIMEOUT = 30  # seconds to reach the server (a crowd may keep it busy)


def query_url() -> str:
    """Where Voila hands a pooled kernel its request (same rule as voila.utils)."""
    protocol = os.getenv("VOILA_WS_PROTOCOL", "ws")
    host = os.getenv("VOILA_APP_IP", "127.0.0.1")
    port = os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.getenv('VOILA_KERNEL_ID')}"


def wait_for_request(url: str | None = None) -> bool:
    """Block until Voila sends this kernel's request; put its fields in os.environ.

    False outside a pool, or when the server could not be reached (the page then
    renders without a query string, as Voila's helper does). No keepalive pings:
    the wait may last hours, and a busy server late with a pong must not end it.
    """
    if os.getenv(PREHEAT, "False") == "False":
        return False
    try:
        with connect(
            url or query_url(), open_timeout=OPEN_TIMEOUT, ping_interval=None, max_size=None
        ) as socket:
            message = socket.recv()
    except (OSError, TimeoutError, WebSocketException):
        return False
    for key, value in json.loads(message).items():
        os.environ[key] = str(value)
    return True
