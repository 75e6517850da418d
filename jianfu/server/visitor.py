"""In a preheated Voila kernel, wait for the visitor's request without importing Voila.

Voila's helper (``voila.utils.wait_for_request``) pulls jupyter_server and
jupyterlab_server into every pooled kernel: about 51 MB and 700 modules per
kernel, more than the page itself needs (issue 19). This asks the same question
over the same websocket (``/voila/query/<kernel id>``) and sets the same
environment variables (QUERY_STRING, HTTP_COOKIE, ...), with the standard
library only: the wait is one blocking read of one message from this machine's
own server, so a websocket package (another 1.4 MB and a thread in every pooled
kernel) is not worth its weight.
"""

from __future__ import annotations

import base64
import ctypes
import gc
import json
import os
import socket
import struct
from urllib.parse import urlsplit

PREHEAT = "VOILA_PREHEAT"
OPEN_TIMEOUT = 30  # seconds to reach the server (a crowd may keep it busy)
TEXT, CONTINUATION, CLOSE, PING = 0x1, 0x0, 0x8, 0x9


def query_url() -> str:
    """Where Voila hands a pooled kernel its request (same rule as voila.utils)."""
    protocol = os.getenv("VOILA_WS_PROTOCOL", "ws")
    host = os.getenv("VOILA_APP_IP", "127.0.0.1")
    port = os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.getenv('VOILA_KERNEL_ID')}"


def wait_for_request(url: str | None = None) -> bool:
    """Block until Voila sends this kernel's request; put its fields in os.environ.

    False outside a pool, or when the server could not be reached or closed the
    connection (the page then renders without a query string, as with Voila's helper).
    """
    if os.getenv(PREHEAT, "False") == "False":
        return False
    release_free_memory()  # a pooled kernel may wait long: hold no garbage meanwhile
    try:
        message = receive_one(url or query_url())
    except (OSError, ValueError):
        return False
    if message is None:
        return False
    for key, value in json.loads(message).items():
        os.environ[key] = str(value)
    return True


def receive_one(url: str) -> str | None:
    """Open a websocket to ``url`` and return its first text message (None if closed first)."""
    parts = urlsplit(url)
    secure = parts.scheme == "wss"
    port = parts.port or (443 if secure else 80)
    with socket.create_connection((parts.hostname, port), timeout=OPEN_TIMEOUT) as raw:
        sock = raw
        if secure:
            import ssl

            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=parts.hostname)
        stream = sock.makefile("rb")
        _handshake(sock, stream, parts)
        sock.settimeout(None)  # the visitor may come in a second or in an hour
        return _read_text(sock, stream)


def _handshake(sock, stream, parts) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode("ascii"))
    status = stream.readline().split()
    if len(status) < 2 or status[1] != b"101":
        raise ValueError(f"no websocket: {b' '.join(status)!r}")
    while stream.readline() not in (b"\r\n", b""):
        pass


def _read_text(sock, stream) -> str | None:
    """Frames until one whole text message (RFC 6455; the server's frames are unmasked)."""
    parts: list[bytes] = []
    while True:
        head = stream.read(2)
        if len(head) < 2:
            return None
        fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", stream.read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", stream.read(8))
        mask = stream.read(4) if head[1] & 0x80 else b""
        payload = stream.read(length)
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        if opcode == CLOSE:
            return None
        if opcode == PING:
            sock.sendall(_frame(0xA, payload))
        elif opcode in (TEXT, CONTINUATION):
            parts.append(payload)
            if fin:
                return b"".join(parts).decode("utf-8")


def _frame(opcode: int, payload: bytes) -> bytes:
    """A small client frame (clients must mask)."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


def release_free_memory() -> None:
    """Collect garbage and hand freed heap back to the system (glibc's malloc_trim).

    What building a page left behind (parsed YAML, temporary objects) otherwise
    stays in the process's resident memory, in every pooled kernel.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
