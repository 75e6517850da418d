"""A pooled kernel waits for its visitor without Voila (jianfu.server.visitor)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
from websockets.sync.server import serve

from jianfu.paths import PROJECT_ROOT
from jianfu.server import visitor

REQUEST = {"QUERY_STRING": "s=abc", "HTTP_COOKIE": "jianfu_participant=" + "t" * 32}


@contextmanager
def voila_query(send):
    """A stand-in for Voila's /voila/query/<kernel id> socket; ``send(ws)`` talks."""
    seen = []

    def handler(ws):
        seen.append(ws.request.path)
        send(ws)

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        yield f"ws://127.0.0.1:{port}/voila/query/k-1", seen
        server.shutdown()


def whole(ws):
    ws.ping(b"still there?")  # the client answers pings while it waits
    ws.send(json.dumps(REQUEST))


def fragmented(ws):
    text = json.dumps(REQUEST | {"SERVER_NAME": "名" * 200})
    ws.send([text[:50], text[50:300], text[300:]])  # continuation frames


@pytest.mark.parametrize("send", [whole, fragmented])
def test_the_request_reaches_the_environment(monkeypatch, send):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    for name in REQUEST:
        monkeypatch.delenv(name, raising=False)
    with voila_query(send) as (url, seen):
        assert visitor.wait_for_request(url) is True
    assert seen == ["/voila/query/k-1"]
    assert {k: os.environ[k] for k in REQUEST} == REQUEST


def test_a_server_that_closes_first_gives_no_request(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    with voila_query(lambda ws: ws.close()) as (url, _):
        assert visitor.wait_for_request(url) is False


@pytest.mark.parametrize("preheat", [None, "False"])
def test_outside_a_pool_nothing_is_awaited(monkeypatch, preheat):
    if preheat is None:
        monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    else:
        monkeypatch.setenv("VOILA_PREHEAT", preheat)
    assert visitor.wait_for_request("ws://127.0.0.1:9/never") is False


def test_the_url_is_voilas(monkeypatch):
    monkeypatch.setenv("VOILA_APP_IP", "192.0.2.7")
    monkeypatch.setenv("VOILA_APP_PORT", "8870")
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-9")
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    assert visitor.query_url() == "ws://192.0.2.7:8870/voila/query/k-9"


@pytest.mark.slow
def test_a_preheated_participant_page_waits_without_importing_voila():
    """voila.utils alone added ~51 MB to every pooled participant kernel (issue 19)."""
    code = (
        "import sys, jianfu.server.visitor as v\n"
        'v.receive_one = lambda url: \'{"QUERY_STRING": "s=x"}\'\n'
        "from jianfu_widgets.common import wait_for_visitor\n"
        "import jianfu_widgets.assess\n"
        "assert wait_for_visitor() is True\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'voila', 'jupyter_server', 'jupyterlab_server', 'websockets', 'pandas', 'altair'})\n"
        "print(heavy)"
    )
    env = dict(os.environ, VOILA_PREHEAT="True", PYTHONPATH=str(PROJECT_ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
