"""Live Voila servers for tests and benchmarks: started as `jianfu serve` would, stopped whole.

``start_server`` runs the private apps server (jianfu.server.voila),
``start_public_server`` the participant server (jianfu.server.public); both
return a `LiveServer` once it answers. Each server runs in its own process group,
so stopping it stops its kernels too.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tornado.web

from jianfu.paths import NOTEBOOKS
from jianfu.server import voila as serve


@dataclass
class LiveServer:
    process: subprocess.Popen
    port: int
    log_path: Path
    data_dir: Path
    host: str = serve.HOST

    def url(self, path: str = "") -> str:
        return serve.base_url(self.port, self.host) + path.lstrip("/")

    def render_url(self, notebook: str) -> str:
        return self.url(f"voila/render/{notebook}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        stop_server(self)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def tornado_app(handlers: list, **settings) -> Iterator[str]:
    """Serve `handlers` on 127.0.0.1 from a thread with its own event loop; yields the base URL.

    Its own thread and loop, because a worker that already ran a browser test has
    Playwright's loop marked running in the main thread.
    """
    port = free_port()
    ready = threading.Event()
    loop = asyncio.new_event_loop()

    def run():
        asyncio.set_event_loop(loop)
        tornado.web.Application(handlers, **settings).listen(port, address="127.0.0.1")
        loop.call_soon(ready.set)
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def _launch(argv, env, data_dir: Path, name: str, port: int, host: str) -> LiveServer:
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"{name}-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return LiveServer(process, port, log_path, data_dir, host)


def start_server(
    data_dir: Path, db_url: str | None = None, notebooks_dir: Path = NOTEBOOKS, **options
) -> LiveServer:
    """Start Voila the way `jianfu serve` does and wait until it answers."""
    from jianfu.server.warmup import compile_bytecode

    compile_bytecode()  # as serve does: kernels find the project compiled
    port = free_port()
    argv, env = serve.build_command(
        port=port, db_url=db_url, data_dir=data_dir, notebooks_dir=notebooks_dir, **options
    )
    server = _launch(argv, env, data_dir, "voila", port, options.get("host", serve.HOST))
    if not serve.wait_until_ready(server.process, port, timeout=90, url=server.url()):
        stop_server(server)
        raise RuntimeError(f"Voila did not start on port {port}:\n{server.log()[-3000:]}")
    return server


def start_public_server(
    data_dir: Path,
    db_url: str,
    preheat: int = 0,
    max_kernels: int | None = None,
    wait_for_pool: int = 0,
    pool_timeout: float | None = None,
    env: dict[str, str] | None = None,
    **options,
) -> LiveServer:
    """Start the public participant server on 127.0.0.1 as `jianfu serve --public` does.

    ``env`` adds to its environment (as /etc/jianfu/jianfu.env would). With
    ``wait_for_pool``, return once that many preheated kernels have run the
    participant notebook up to wait_for_visitor (each logs the PREHEATED text).
    Other options go to jianfu.server.public.build_command (room, fill_delay, ...).
    """
    from jianfu.server import public

    port = free_port()
    argv, environment = public.build_command(
        host="127.0.0.1",
        port=port,
        preheat=preheat,
        max_kernels=max_kernels,
        db_url=db_url,
        data_dir_=data_dir,
        **options,
    )
    environment.update(env or {})
    server = _launch(argv, environment, data_dir, "voila-public", port, "127.0.0.1")
    ready = serve.wait_until_ready(server.process, port, timeout=90, url=server.url("ready-check"))
    if not ready:
        stop_server(server)
        raise RuntimeError(f"the public server did not start on {port}:\n{server.log()[-3000:]}")
    if wait_for_pool:
        from jianfu_widgets.common import PREHEATED

        preheated = PREHEATED.format(page="participant")
        wait_for_log(server, preheated, wait_for_pool, pool_timeout or 60 + 4 * wait_for_pool)
    return server


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.5) -> bool:
    """Ask `condition` every `every` s until it holds (True) or `timeout` s pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def wait_for_log(server: LiveServer, text: str, count: int = 1, timeout: float = 60) -> bool:
    """Wait until the server's log holds `text` `count` times; False on timeout."""
    return wait_until(lambda: server.log().count(text) >= count, timeout)


def stop_server(server: LiveServer) -> None:
    """SIGTERM lets Voila stop its kernels; the whole process group is killed after."""
    stop_servers([server])


def stop_servers(servers: list[LiveServer]) -> None:
    """Stop several servers at once: each is told first, then all are waited for together
    (one after another, a session's dozen servers took ten seconds at its end)."""
    running = [s.process for s in servers if s.process.poll() is None]
    for process in running:
        _signal(process, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for server in servers:
        _signal(server.process, signal.SIGKILL)
        server.process.wait()


def _signal(process: subprocess.Popen, number: int) -> None:
    """The server's whole process group: Voila and its kernels."""
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass
