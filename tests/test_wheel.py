"""The wheel installs anywhere (issue 18 step 5): built from this checkout, installed in a
fresh venv, run from another folder, ``jianfu demo`` and ``jianfu serve`` work and every
page renders its app.

Slow (a fresh venv and every dependency installed from pip's cache; measured in
CHANGELOG.md): ``make test`` runs it, ``make test-fast`` does not.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
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


def test_the_wheel_carries_everything_and_serves_every_page_from_another_folder(tmp_path):
    """One test: building and installing cost a minute, and xdist may give separate
    tests to separate workers (loadgroup does not group with pytest 9.2: xdist #1386)."""
    wheel = build_wheel(tmp_path / "dist")
    check_contents(wheel)
    installed = install(wheel, tmp_path / "installed")
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
