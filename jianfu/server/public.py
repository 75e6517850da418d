"""`jianfu serve --public`: the participant page alone, on the LAN, for a room of phones.

The server renders notebooks/04_assess.ipynb at its root URL and the 问题线索
form at /report (jianfu.server.report, no kernel), and nothing else (every
other path 404; no tree, no files, no contents API): the data apps and
the dashboard stay on the private server. It runs Voila through
jianfu.server.voila_public, which adds a participant cookie, a cap on every
kernel alive with a line in arrival order behind a “请稍候” page, a pool refilled
only when the room is quiet, and no kernel for a request that is not a browser's.

Defaults, for a room of ``room`` people:

- ``preheat = room + 10`` kernels started before the session (about 1.5 CPU-s
  each, a couple at a time: start the server a minute or two ahead);
- ``fill_delay = 15`` s: the pool is refilled (only with what the room can still
  need) once no page was opened and no answer sent for that long, never while
  the room is answering;
- ``cull_idle_timeout = 120`` s: kernels of closed or reloaded pages are
  reclaimed (reloads are also shut down at once by the page's beacon);
- ``max_kernels`` from the memory available (about 120 MB a kernel, 1 GB kept
  free), at least the pool and one more.

`run` keeps the server up: when the Voila process dies it is started again at
once; visitors get new kernels while the pool warms again, and saved answers are
in the database, not in the kernels.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..assess.links import participant_link
from ..paths import NOTEBOOKS
from . import voila as private
from .warmup import compile_bytecode, report_data_files

if TYPE_CHECKING:
    from ..assess.store import AssessStore

PARTICIPANT_NOTEBOOK = NOTEBOOKS / "04_assess.ipynb"
LAUNCHER = "jianfu.server.voila_public"  # run with -m: it imports Voila, the core never does
DEFAULT_PORT = 8870
DEFAULT_HOST = "0.0.0.0"
PUBLIC_URL_ENV = "JIANFU_PUBLIC_URL"  # the participant address, when the machine cannot tell
DEFAULT_ROOM = 30
SPARE_KERNELS = 10
FILL_DELAY = 15.0  # seconds of quiet (no page opened, no answer sent) before refills
CONNECT_TIMEOUT = 60  # seconds a page's kernel waits for its websocket (phones on a crowded Wi-Fi)
CULL_IDLE_TIMEOUT = 120
CULL_INTERVAL = 10
KERNEL_MB = 120  # participant kernel ~60 MB measured; headroom for Python's growth
RESERVE_MB = 1024
MIN_KERNELS = 8
MAX_KERNELS = 400
QUICK_EXIT = 30  # seconds: a server that dies sooner after starting did not really start
RESTARTS = 5  # quick deaths in a row before giving up


def default_preheat(room: int = DEFAULT_ROOM) -> int:
    """Pool size for a room: everyone gets a warm kernel, with spares for reloads."""
    return max(room, 0) + SPARE_KERNELS


def available_mb() -> int:
    """Memory available for new processes (Linux MemAvailable), in MB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        import psutil

        return int(psutil.virtual_memory().available // (1024 * 1024))
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return 4096


def default_max_kernels(available: int | None = None, kernel_mb: int = KERNEL_MB) -> int:
    """How many kernels fit in the memory available now, keeping RESERVE_MB free."""
    available = available_mb() if available is None else available
    fits = (available - RESERVE_MB) // kernel_mb
    return int(min(max(fits, MIN_KERNELS), MAX_KERNELS))


def lan_address() -> str:
    """This machine's address on the LAN, as phones in the room would reach it.

    Connecting a UDP socket sends nothing; it only picks the outgoing interface.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            address = sock.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    return address


def participant_url(host: str, port: int, code: str | None = None) -> str:
    """The address people type (host ``0.0.0.0`` means: this machine's LAN address)."""
    shown = lan_address() if host in private.ANY_ADDRESS else host
    return participant_link(f"http://{shown}:{port}/", code)


def build_command(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    preheat: int | None = None,
    room: int = DEFAULT_ROOM,
    fill_delay: float = FILL_DELAY,
    max_kernels: int | None = None,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
    cull_interval: int = CULL_INTERVAL,
    connect_timeout: float = CONNECT_TIMEOUT,
    db_url: str | None = None,
    data_dir_: str | os.PathLike | None = None,
    notebook: str | os.PathLike = PARTICIPANT_NOTEBOOK,
) -> tuple[list[str], dict[str, str]]:
    """Command line and environment of the public Voila server (see the module doc)."""
    preheat = default_preheat(room) if preheat is None else max(preheat, 0)
    max_kernels = default_max_kernels() if max_kernels is None else max_kernels
    max_kernels = max(max_kernels, preheat + 1)
    argv = [
        sys.executable,
        "-m",
        LAUNCHER,
        str(Path(notebook).resolve()),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        "--Voila.open_browser=False",
        f"--template={private.TEMPLATE}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--theme=light",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--VoilaConfiguration.file_allowlist=[]",
        '--VoilaConfiguration.http_header_envs=["Cookie"]',
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        f"--PublicVoila.max_kernels={max_kernels}",
        f"--PublicVoila.room={max(room, 0)}",
        f"--PublicVoila.refill_quiet={fill_delay:g}",
        f"--PublicVoila.connect_timeout={connect_timeout:g}",
        # A crowd resuming its kernels at once can take longer than nbclient's 4 s to
        # deliver a cell's output; past the timeout the page is left without its form.
        f"--VoilaExecutor.iopub_timeout={private.IOPUB_TIMEOUT}",
        *private.kernel_transport(),
    ]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    env = private._environment(db_url, data_dir_)
    env["VOILA_APP_IP"] = private.local_host(host)  # preheated kernels fetch their request here
    return argv, env


def terminal_qr(url: str) -> str:
    """The QR code of ``url`` drawn with block characters, for the terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def write_state(url: str, db_url: str | None = None) -> None:
    """Record the address to hand out in the database this server serves.

    Per database (not per data folder): a second public server on another
    database must not change the QR code of the first (jianfu.assess.servers).
    """
    from ..assess.servers import record

    record(url, db_url)


def clear_state(url: str, db_url: str | None = None) -> None:
    from ..assess.servers import forget

    forget(url, db_url)


def public_address(store: AssessStore) -> tuple[str, str]:
    """(address, where it comes from): $JIANFU_PUBLIC_URL, this database's server, or a guess."""
    if os.environ.get(PUBLIC_URL_ENV):
        return os.environ[PUBLIC_URL_ENV], f"由环境变量 {PUBLIC_URL_ENV} 指定"
    from ..assess.servers import recorded

    servers = recorded(store)
    if servers:
        newest = servers[0]
        when = newest.started_at.astimezone().strftime("%m月%d日 %H:%M")
        why = f"使用本数据库的自评服务（{newest.machine}，{when}启动）"
        if len(servers) > 1:
            others = "、".join(s.url for s in servers[1:])
            why += f"；本数据库另有{len(servers) - 1}个自评服务记录：{others}"
        return newest.url, why
    guess = participant_url(DEFAULT_HOST, DEFAULT_PORT)
    return guess, (
        "未找到使用本数据库的自评服务，这是按本机地址推测的。请在本机用同一数据库运行"
        " jianfu serve --public，或在上面填写正确的地址"
    )


def read_state(db_url: str | None = None) -> str | None:
    """The participant address of the newest public server on this database."""
    from ..assess.servers import recorded
    from ..assess.store import AssessStore

    store = AssessStore(db_url)
    try:
        found = recorded(store)
    finally:
        store.engine.dispose()
    return found[0].url if found else None


def run(
    host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, code: str | None = None, **options
) -> int:
    """Serve until Ctrl+C (or SIGTERM), printing the address and its QR code.

    A Voila process that dies is started again at once; one that keeps dying
    within QUICK_EXIT seconds is given up after RESTARTS tries.
    """
    argv, env = build_command(host=host, port=port, **options)
    url, db_url = participant_url(host, port), options.get("db_url")
    previous = signal.signal(signal.SIGTERM, private.interrupt)  # a service manager's stop
    print("自评服务正在启动，请稍候（预热内核需要一点时间）……", flush=True)
    report_data_files()  # and the kernels find them validated
    compile_bytecode()  # and they find the project's modules compiled
    process, quick, announced = None, 0, False
    try:
        while True:
            started = time.monotonic()
            process = subprocess.Popen(argv, env=env)
            ready = _wait_ready(process, host, port)
            if ready and not announced:
                write_state(url, db_url)  # the dashboard's QR code points here
                announced = _announce(host, port, code)
            elif ready:
                print(
                    "自评服务已重新启动：参加者刷新页面即可继续作答，已保存的答案都在。", flush=True
                )
            elif not announced:
                print(f"启动失败：端口 {port} 可能已被占用，请看上面的日志。", file=sys.stderr)
                private.stop(process)
                return 1
            status = process.wait()
            quick = quick + 1 if time.monotonic() - started < QUICK_EXIT else 0
            if quick >= RESTARTS:
                print(
                    f"自评服务连续{quick}次启动后很快退出，已放弃；请看上面的日志。",
                    file=sys.stderr,
                )
                return status or 1
            print(f"自评服务意外退出（退出码 {status}），正在自动重新启动……", flush=True)
    except KeyboardInterrupt:
        if process is not None:
            private.stop(process)
        print("已停止。", flush=True)
        return 0
    finally:
        if announced:
            clear_state(url, db_url)
        signal.signal(signal.SIGTERM, previous)


def _wait_ready(process: subprocess.Popen, host: str, port: int) -> bool:
    # Any path but the root is a quick 404: polling it starts no kernel.
    ready = private.base_url(port, host) + "ready-check"
    return private.wait_until_ready(process, port, timeout=120, url=ready)


def _announce(host: str, port: int, code: str | None) -> bool:
    shown = participant_url(host, port, code)
    print(f"自评服务已启动。参加者请用手机打开：{shown}", flush=True)
    if not code:
        print("（请在地址后加上场次代码，如 ?s=场次代码；“自评汇总”页面会生成完整链接和二维码）")
    print(
        f"问题线索反映页面（长期开放，匿名）：{participant_url(host, port).rstrip('/')}/report",
        flush=True,
    )
    print(terminal_qr(shown), flush=True)
    print("按 Ctrl+C 停止服务。", flush=True)
    return True
