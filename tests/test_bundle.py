"""`make bundle` installs and serves on a machine with no network at all: the archive is
unpacked, installed and served inside a network namespace holding only loopback
(``unshare -n``), so one missing wheel fails the test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time

import pytest

from tests.support.servers import free_port

pytestmark = pytest.mark.slow  # test_wheel builds from a copy of the tree, never this one

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


def test_the_bundle_installs_and_serves_without_network(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("unshare -n (a namespace without network) needs root; CI runs as root")
    if not (shutil.which("unshare") and shutil.which("ip")):
        pytest.skip("unshare or ip is missing (util-linux, iproute2)")
    from deploy.bundle import build

    started = time.monotonic()
    archive = build(tmp_path / "dist", sys.executable)
    built = time.monotonic() - started
    name = archive.name.removesuffix(".tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"{name}/install.sh" in names and f"{name}/安装说明.md" in names
    assert any(n.startswith(f"{name}/wheels/jianfu-") for n in names)
    env = dict(os.environ, WORK=str(tmp_path), ARCHIVE=str(archive), NAME=name,
               PORT=str(free_port()))  # fmt: skip
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", OFFLINE], env=env, capture_output=True, text=True,
        timeout=1200,
    )  # fmt: skip
    log = tmp_path / "serve.log"
    assert done.returncode == 0, (
        done.stdout[-3000:] + done.stderr[-3000:] + (log.read_text() if log.exists() else "")
    )
    assert "PAGE OK" in done.stdout and "正常" in done.stdout
    print(
        f"bundle {archive.stat().st_size / 1e6:.1f} MB, built in {built:.0f} s, "
        f"installed and served offline in {time.monotonic() - started - built:.0f} s"
    )
