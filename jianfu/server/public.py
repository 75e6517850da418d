"""`jianfu serve --public`: the participant page alone, on the LAN, for a room of phones.

The server renders notebooks/04_assess.ipynb at its root URL and nothing else
(every other path 404; no tree, no files, no contents API): the data apps and
the dashboard stay on the private server. It runs Voila through
share/jianfu/voila_public.py, which adds a participant cookie, a cap on live
kernels with a self-retrying “请稍候” page, and a pool that never makes a
visitor wait for a deferred refill.

Defaults, for a room of ``room`` people arriving at once:

- ``preheat = room + 10`` kernels started before the session (about 1.5 CPU-s
  each: start the server a minute ahead);
- ``fill_delay = 120`` s: a used kernel is replaced two minutes later, so that
  refills do not compete with the people arriving;
- ``cull_idle_timeout = 120`` s: kernels of closed or reloaded pages are
  reclaimed (reloads are also shut down at once by the page's beacon);
- ``max_kernels`` from the memory available (about 120 MB a kernel, 1 GB kept
  free), at least the pool.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from ..assess.links import participant_link
from ..paths import NOTEBOOKS, PROJECT_ROOT
from . import voila as private

PARTICIPANT_NOTEBOOK = NOTEBOOKS / "04_assess.ipynb"
LAUNCHER = PROJECT_ROOT / "share" / "jianfu" / "voila_public.py"
DEFAULT_PORT = 8870
DEFAULT_HOST = "0.0.0.0"
DEFAULT_ROOM = 30
SPARE_KERNELS = 10
FILL_DELAY = 120.0
CULL_IDLE_TIMEOUT = 120
CULL_INTERVAL = 10
KERNEL_MB = 120  # participant kernel ~60 MB measured; headroom for Python's growth
RESERVE_MB = 1024
MIN_KERNELS = 8
MAX_KERNELS = 400
IOPUB_TIMEOUT = 60


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
        str(LAUNCHER),
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
        # A crowd resuming its kernels at once can take longer than nbclient's 4 s to
        # deliver a cell's output; past the timeout the page is left without its form.
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
        *private.kernel_transport(),
    ]
    if preheat:
        argv += [
            "--preheat_kernel=True",
            f"--pool_size={preheat}",
            f"--VoilaKernelManager.fill_delay={fill_delay}",
        ]
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
    """Serve until Ctrl+C, printing the address and its QR code."""
    argv, env = build_command(host=host, port=port, **options)
    url = participant_url(host, port)
    db_url = options.get("db_url")
    print("自评服务正在启动，请稍候（预热内核需要一点时间）……", flush=True)
    process = subprocess.Popen(argv, env=env)
    recorded = False
    try:
        # Any path but the root is a quick 404: polling it takes no pooled kernel.
        ready = private.base_url(port, host) + "ready-check"
        if private.wait_until_ready(process, port, timeout=120, url=ready):
            write_state(url, db_url)
            recorded = True
            shown = participant_url(host, port, code)
            print(f"自评服务已启动。参加者请用手机打开：{shown}", flush=True)
            if not code:
                print(
                    "（请在地址后加上场次代码，如 ?s=场次代码；“自评汇总”页面会生成完整链接和二维码）"
                )
            print(terminal_qr(shown), flush=True)
            print("按 Ctrl+C 停止服务。", flush=True)
        else:
            print(f"启动失败：端口 {port} 可能已被占用，请看上面的日志。", file=sys.stderr)
        return process.wait()
    except KeyboardInterrupt:
        private.stop(process)
        print("已停止。", flush=True)
        return 0
    finally:
        if recorded:
            clear_state(url, db_url)
