"""Serve the notebooks as web apps with Voila, offline and in Chinese.

Voila runs in a subprocess (`python -m jianfu.server.voila_private`: Voila plus the
``/healthz`` check) so the core never imports it.
It serves the notebooks folder on 127.0.0.1 with the repository's own
``jianfu`` template (share/jupyter/voila/templates/jianfu, see jianfu.paths), which loads
nothing from outside the machine.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from jianfu.paths import (
    DATA_DIR_ENV,
    DB_URL_ENV,
    NOTEBOOKS,
    PROJECT_ROOT,
    TEMPLATE_ROOT,
    in_checkout,
)

from .warmup import compile_bytecode, report_data_files

HOST = "127.0.0.1"
TEMPLATE = "jianfu"
LANDING_PATH = "voila/render/index.ipynb"
ANY_ADDRESS = ("0.0.0.0", "", "::")  # listen on every interface
# Uploads travel over the kernel websocket; apps cap files at 20 MB themselves.
WEBSOCKET_MAX_MESSAGE_BYTES = 25 * 1024 * 1024
# nbclient waits 4 s for a cell's output by default; on a busy machine (kernels starting
# at once, an install running) the app's output came later and the page stayed blank.
IOPUB_TIMEOUT = 60
MAX_SOCKET_PATH = 100  # Linux refuses Unix socket paths of 108 bytes and more
LAUNCHER = "jianfu.server.voila_private"  # run with -m: it imports Voila, the core never does


def build_command(
    port: int = 8866,
    db_url: str | None = None,
    data_dir: str | os.PathLike | None = None,
    notebooks_dir: str | os.PathLike = NOTEBOOKS,
    cull_idle_timeout: int = 600,
    cull_interval: int = 60,
    open_browser: bool = False,
    preheat: int = 0,
    host: str = HOST,
    token: str | None = None,
    prefix: str = "/",
) -> tuple[list[str], dict[str, str]]:
    """Command line and environment that start the Voila server.

    Parameters
    ----------
    port
        TCP port on 127.0.0.1; the server fails rather than silently taking another.
    db_url, data_dir
        Passed to the kernels as $JIANFU_DB_URL / $JIANFU_DATA_DIR (see jianfu.paths).
    notebooks_dir
        Folder served: its tree page and /voila/render/<name>.ipynb.
    cull_idle_timeout, cull_interval
        Seconds. Kernels of closed tabs are never stopped by Voila (#1458), so idle
        kernels are culled; 0 turns culling off.
    preheat
        Size of the pool of preheated kernels per notebook (0: none).
    host, token
        Address to listen on (127.0.0.1 by default); any other address needs a
        token (see `needs_token`), which visitors pass once as ``?token=``.
    prefix
        URL path the apps live under (``/jianfu/`` behind a reverse proxy that
        serves other things too); every link Voila writes starts with it.

    Returns
    -------
    (argv, env) for `subprocess.Popen`.
    """
    argv = [
        sys.executable,
        "-m",
        LAUNCHER,
        str(Path(notebooks_dir).resolve()),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        f"--Voila.open_browser={open_browser}",
        f"--template={TEMPLATE}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--theme=light",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
        # A dict literal: key=value would hand tornado a string.
        f'--Voila.tornado_settings={{"websocket_max_message_size": {WEBSOCKET_MAX_MESSAGE_BYTES}}}',
    ]
    argv += kernel_transport()
    if clean_prefix(prefix) != "/":
        argv.append(f"--Voila.base_url={clean_prefix(prefix)}")
    if preheat:
        # Every page, the participant page too: a facilitator previews it in front of
        # the room, and cold it opened 1.3× slower than a bare page (bench_pages).
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    if needs_token(host) and not token:
        raise ValueError(f"serving on {host} needs a token")
    if token:
        argv.append(f"--token={token}")
    env = _environment(db_url, data_dir)
    # A preheated kernel asks the server for its visitor's address (?present=1) on
    # VOILA_APP_IP, which Voila leaves at 127.0.0.1: wrong when the server listens
    # on another address only.
    env["VOILA_APP_IP"] = local_host(host)
    return argv, env


def clean_prefix(prefix: str | None) -> str:
    """``jianfu`` or ``/jianfu`` -> ``/jianfu/``: Voila wants both slashes."""
    inner = (prefix or "").strip().strip("/")
    return f"/{inner}/" if inner else "/"


def kernel_transport() -> list[str]:
    """Kernels talk to the server over Unix sockets where their paths fit.

    With TCP each new kernel is given free ports that another kernel starting at
    the same moment may take first (“Address already in use”): a room arriving
    together lost a kernel that way. Socket files named after the kernel's id
    cannot collide. Voila keeps them in a new folder under the temporary folder; one
    too deep for a socket path keeps TCP.
    """
    longest = Path(tempfile.gettempdir()) / "voila_xxxxxxxx" / f"kernel-{'0' * 36}-ipc-99"
    return ["--KernelManager.transport=ipc"] if len(str(longest)) < MAX_SOCKET_PATH else []


def needs_token(host: str) -> bool:
    """Only this machine may use the private apps without a token."""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _environment(db_url: str | None, data_dir: str | os.PathLike | None) -> dict[str, str]:
    env = dict(os.environ)
    # Voila finds templates under <root>/voila/templates for each root on the Jupyter
    # path. Voila's own data folder (themes) is the *first* root holding a voila/
    # folder, so the environment's share/jupyter must stay ahead of ours.
    roots = [str(Path(sys.prefix) / "share" / "jupyter"), str(TEMPLATE_ROOT)]
    if env.get("JUPYTER_PATH"):
        roots.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(roots)
    if in_checkout():
        # The kernels import jianfu and jianfu_widgets (the widgets/ folder) from this checkout.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])
        )
    if db_url:
        env[DB_URL_ENV] = db_url
    if data_dir:
        env[DATA_DIR_ENV] = str(Path(data_dir).resolve())
    return env


def local_host(host: str) -> str:
    """The address this machine reaches a server on that listens on ``host``."""
    return HOST if host in ANY_ADDRESS else host


def base_url(port: int, host: str = HOST, prefix: str = "/") -> str:
    return f"http://{local_host(host)}:{port}{clean_prefix(prefix)}"


def landing_url(port: int, host: str = HOST, prefix: str = "/") -> str:
    """The address people open: the landing page."""
    return base_url(port, host, prefix) + LANDING_PATH


def wait_until_ready(
    process: subprocess.Popen, port: int, timeout: float = 60, url: str | None = None
) -> bool:
    """Poll the server (``url``, default its tree page) until it answers; False if it
    exited or timed out. Poll an address that starts no kernel."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url or base_url(port), timeout=5):
                pass
            return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means tornado is listening
        except OSError:
            time.sleep(0.2)
    return False


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop the server; SIGTERM lets Voila shut its kernels down first."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(
    port: int = 8866, host: str = HOST, token: str | None = None, prefix: str = "/", **options
) -> int:
    """Serve until Ctrl+C or SIGTERM; `options` as for `build_command`.

    Bound to any address but this machine's, a token is required: the one given,
    or a new random one, printed with the address.

    Returns the server's exit code (0 when stopped by hand).
    """
    if needs_token(host) and not token:
        import secrets

        token = secrets.token_urlsafe(16)
    argv, env = build_command(port=port, host=host, token=token, prefix=prefix, **options)
    print("基层减负工作簿正在启动，请稍候……", flush=True)
    report_data_files()  # and the kernels find them validated
    compile_bytecode()  # and they find the project's modules compiled
    previous = signal.signal(signal.SIGTERM, interrupt)  # `kill` or a service manager's stop
    process = subprocess.Popen(argv, env=env)
    shown = landing_url(port, host, prefix) + (f"?token={token}" if token else "")
    try:
        if wait_until_ready(process, port, url=base_url(port, host, prefix)):
            print(f"已启动。请用浏览器打开：{shown}", flush=True)
            if token:
                print(
                    "（此地址含访问口令，请勿转发给参加自评的人员；自评页面请用 jianfu serve --public）"
                )
            print("按 Ctrl+C 停止服务。", flush=True)
        else:
            print(f"启动失败：端口 {port} 可能已被占用，请看上面的日志。", file=sys.stderr)
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        print("已停止。", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupt(signum, frame):
    """SIGTERM stops the server as Ctrl+C does: Voila and its kernels with it, never
    left running on the port after `jianfu serve` is gone."""
    raise KeyboardInterrupt
