"""The workbook installs anywhere (issue 18 step 5, issue 23 item 1): one installation, two checks.

- As root (CI): ``make bundle``'s archive is unpacked, installed and served inside a network
  namespace holding only loopback (``unshare -n``), so one missing wheel fails the test.
- Otherwise: the wheel built from a copy of this checkout is installed in a fresh venv
  (every dependency from pip's cache), and the bundle test is skipped.

Either way the installed workbook then runs from another folder with a clean environment:
``jianfu demo``, every page of ``jianfu serve``, the public page. One module and one
installation, because building and installing cost a minute or two and make test keeps a
module on one worker (--dist loadscope). Slow: ``make test`` runs it, test-fast does not.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from jianfu.paths import NOTEBOOKS, PROJECT_ROOT
from jianfu_widgets.templating import TEMPLATES as WIDGET_TEMPLATES
from tests.support.servers import free_port

pytestmark = pytest.mark.slow

OFFLINE = r"""
set -eu
ip link set lo up
test "$(ip -o link | wc -l)" = 1   # loopback only: no way out
cd "$WORK"
tar xf "$ARCHIVE"
cd "$NAME"
HOME="$WORK/home" ./install.sh "$WORK/inst"
HOME="$WORK/home" "$WORK/inst/venv/bin/jianfu" health
HOME="$WORK/home" "$WORK/inst/venv/bin/jianfu" serve --port "$PORT" --preheat 0 --no-demo \
    > "$WORK/serve.log" 2>&1 &
server=$!
"$WORK/inst/venv/bin/python" - <<'PY'
import os, sys, time, urllib.request
url = f"http://127.0.0.1:{os.environ['PORT']}/voila/render/index.ipynb"
deadline = time.monotonic() + 180
while True:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            page = answer.read().decode()
            break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("the installed workbook did not answer")
        time.sleep(0.5)
assert "基层减负工作簿" in page, page[:500]
print("PAGE OK", len(page))
PY
kill "$server"
wait "$server" || true
"""


CELL_ERROR = "jianfu-cell-error"  # the template's message in place of a failed cell
WIDGET = "application/vnd.jupyter.widget-view+json"  # the cell's app was built and displayed
# what a build never reads: environments, caches, earlier builds, data of a running workbook
NOT_SOURCE = (".git", ".venv", "build", "dist", "instance", "test-artifacts", "__pycache__",
              "*.egg-info", ".pytest_cache", ".ruff_cache")  # fmt: skip


@dataclass
class Installed:
    wheel: Path
    venv: Path
    home: Path  # cwd, $HOME and $XDG_DATA_HOME of the commands: nowhere near the checkout

    def env(self) -> dict[str, str]:
        """A clean environment: no PYTHONPATH, no $JIANFU_*, the venv's bin first."""
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TMPDIR")}
        return {
            **keep,
            "PATH": f"{self.venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / "xdg"),
        }

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.venv / "bin" / "jianfu"), *args],
            cwd=self.home, env=self.env(), capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def serve(self, *args: str) -> subprocess.Popen:
        """``jianfu serve``, its output in serve.log (a pipe nobody reads would fill)."""
        with open(self.home / "serve.log", "wb") as log:
            return subprocess.Popen(
                [str(self.venv / "bin" / "jianfu"), "serve", *args],
                cwd=self.home, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def log(self) -> str:
        return (self.home / "serve.log").read_text(encoding="utf-8", errors="replace")


def build_wheel(folder: Path) -> Path:
    """``pip wheel`` from a copy of the checkout (its build backend from pip's cache).

    A copy, because setuptools writes build/ into the tree it builds: two builds of one
    tree at once (this test and the bundle's on another xdist worker) break each other.
    """
    source = folder / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q",
         "-w", str(folder)],
        check=True, capture_output=True, text=True, cwd=folder,
    )  # fmt: skip
    (wheel,) = folder.glob("jianfu-*.whl")
    return wheel


def install(wheel: Path, root: Path) -> Installed:
    venv, home = root / "venv", root / "home"
    home.mkdir(parents=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # pip's cache (the real $HOME's) keeps this to about a minute after the first run
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         str(wheel)],
        check=True, capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    print(f"fresh venv with the wheel installed in {time.monotonic() - started:.0f} s")
    return Installed(wheel, venv, home)


@dataclass
class Bundle:
    archive: Path
    names: list[str]
    output: str  # what the run without network printed
    built: float  # seconds
    installed: float


def offline_possible() -> bool:
    return os.geteuid() == 0 and bool(shutil.which("unshare") and shutil.which("ip"))


def install_offline(root: Path) -> tuple[Installed, Bundle]:
    """Build the bundle, then unpack, install and serve it where no network exists."""
    from deploy.bundle import build

    started = time.monotonic()
    archive = build(root / "dist", sys.executable)
    built = time.monotonic() - started
    name = archive.name.removesuffix(".tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    env = dict(os.environ, WORK=str(root), ARCHIVE=str(archive), NAME=name,
               PORT=str(free_port()))  # fmt: skip
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", OFFLINE], env=env, capture_output=True, text=True,
        timeout=1200,
    )  # fmt: skip
    log = root / "serve.log"
    assert done.returncode == 0, (
        done.stdout[-3000:] + done.stderr[-3000:] + (log.read_text() if log.exists() else "")
    )
    bundle = Bundle(archive, names, done.stdout, built, time.monotonic() - started - built)
    (wheel,) = (root / name / "wheels").glob("jianfu-*.whl")
    home = root / "elsewhere"
    home.mkdir()
    return Installed(wheel, root / "inst" / "venv", home), bundle


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> tuple[Installed, Bundle | None]:
    root = tmp_path_factory.mktemp("install")
    if offline_possible():
        return install_offline(root)
    return install(build_wheel(root / "dist"), root / "installed"), None


def test_the_bundle_installs_and_serves_without_network(installation):
    _, bundle = installation
    if bundle is None:
        pytest.skip("unshare -n (a namespace without network) needs root, util-linux and iproute2")
    name = bundle.archive.name.removesuffix(".tar.gz")
    assert f"{name}/install.sh" in bundle.names and f"{name}/安装说明.md" in bundle.names
    assert any(n.startswith(f"{name}/wheels/jianfu-") for n in bundle.names)
    assert "PAGE OK" in bundle.output and "正常" in bundle.output  # served; jianfu health
    print(
        f"bundle {bundle.archive.stat().st_size / 1e6:.1f} MB, built in {bundle.built:.0f} s, "
        f"installed and served offline in {bundle.installed:.0f} s"
    )


def test_the_installed_workbook_serves_every_page_from_another_folder(installation):
    installed, _ = installation
    check_contents(installed.wheel)
    check_private_pages(installed)
    check_public_page(installed)


def check_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    share = f"jianfu-{wheel.name.split('-')[1]}.data/data/share/jianfu/"
    wanted = [
        "jianfu/server/voila_public.py",
        "jianfu/server/gate.html",
        "jianfu/server/busy.html",
        "jianfu_widgets/entry.py",
        "jianfu_widgets/draft/app.py",
        *(f"jianfu_widgets/templates/{p.name}" for p in WIDGET_TEMPLATES.glob("*.html")),
        share + "data/indicators.yaml",
        share + "data/registers/limits.yaml",
        share + "jupyter/voila/templates/jianfu/index.html.j2",
        *(share + f"notebooks/{p.name}" for p in NOTEBOOKS.glob("*.ipynb")),
    ]
    assert [n for n in wanted if n not in names] == []
    assert not [n for n in names if n.startswith(("widgets/", "tests/", "data/", "notebooks/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def check_private_pages(installed: Installed) -> None:
    demo = installed.run("demo")
    assert demo.returncode == 0, demo.stderr
    database = installed.home / "xdg" / "jianfu" / "jianfu.sqlite"  # the per-user folder
    assert database.is_file(), demo.stdout
    port = free_port()
    server = installed.serve("--port", str(port))
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait(server, base, installed)
        for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
            html = _get(f"{base}voila/render/{notebook.name}")
            _assert_app(html, _title(notebook), notebook.name)
        served = installed.log()
    finally:
        _stop(server)
    assert "Traceback" not in served, served[-3000:]
    assert "已停止" in installed.log()[len(served) :], installed.log()[-3000:]


def check_public_page(installed: Installed) -> None:
    port = free_port()
    server = installed.serve(
        "--public", "--host", "127.0.0.1", "--port", str(port), "--room", "0", "--preheat", "0"
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait(server, base + "ready-check", installed)
        gate = _get(base)  # a first visit: the page whose script proves a browser
        assert "jianfu_js" in gate
        html = _get(base, cookie="jianfu_js=1")
        _assert_app(html, _title(NOTEBOOKS / "04_assess.ipynb"), "/")
        served = installed.log()
    finally:
        _stop(server)
    assert "Traceback" not in served, served[-3000:]


def _title(notebook: Path) -> str:
    """The page's Chinese title, e.g. 数据录入 from "数据录入 · 基层减负工作簿"."""
    title = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("title", "")
    return title.split(" · ")[0] or "基层减负工作簿"


def _assert_app(html: str, title: str, page: str) -> None:
    assert title in html, f"{page}: no title {title}"
    assert WIDGET in html, f"{page}: no app displayed"
    assert CELL_ERROR not in html and "Traceback" not in html, f"{page}: a cell failed"


def _get(url: str, cookie: str | None = None) -> str:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with opener.open(request, timeout=120) as reply:
        return reply.read().decode("utf-8")


def _wait(server: subprocess.Popen, url: str, installed: Installed, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, installed.log()[-3000:]
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # any answer: it listens
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def _stop(server: subprocess.Popen) -> None:
    """Stop the server as `kill` or systemd (KillMode=mixed) does: SIGTERM to
    jianfu serve alone, which stops Voila, which shuts its kernels down (a pooled kernel
    still waiting for a visitor may log ipykernel's ZMQError as it goes); SIGKILL to
    what is left."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
