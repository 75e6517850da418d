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

# one worker builds from the source tree at a time (pip wheel writes build/ there)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("builds-from-source")]

CELL_ERROR = "jianfu-cell-error"  # the template's message in place of a failed cell
WIDGET = "application/vnd.jupyter.widget-view+json"  # the cell's app was built and displayed


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
    """``pip wheel`` from the checkout (its build backend from pip's cache)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-q",
         "-w", str(folder)],
        check=True, capture_output=True, text=True, cwd=folder,
    )  # fmt: skip
    (wheel,) = folder.glob("jianfu-*.whl")
    return wheel


# Session scope: xdist may run another module's test between these, and a module
# fixture would then build and install everything a second time (130 s seen in CI).
@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    venv, home = root / "venv", root / "home"
    home.mkdir()
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


def test_the_wheel_holds_the_packages_notebooks_data_and_template(wheel):
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


def test_installed_wheel_serves_every_page_from_another_folder(installed):
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
    finally:
        _stop(server)
    assert "Traceback" not in installed.log(), installed.log()[-3000:]


def test_installed_wheel_serves_the_public_page(installed):
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
    finally:
        _stop(server)
    assert "Traceback" not in installed.log(), installed.log()[-3000:]


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
    """Stop the server and its kernels (its own process group)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)  # jianfu serve, Voila and the kernels
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
        server.wait()
