"""The deploy/ nginx site filled in for a test folder and run until a block ends; HTTPS
requests to it (self-signed certificate, the site's host name). Used by the deploy and
county tests and the county benchmark."""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jianfu.paths import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
SITE = DEPLOY / "nginx" / "jianfu.conf"
PLACEHOLDER = re.compile(r"__[A-Z_]+__")
MONITORING = "127.0.0.2/32"  # the monitoring network in tests: a loopback source address


def nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    if os.geteuid() == 0:
        pytest.fail("nginx is missing: make system-deps installs Debian's nginx")
    pytest.skip(
        "nginx is not installed and this is not root (make system-deps as root installs it)"
    )


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "site.crt", folder / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=jianfu.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def filled_site(
    folder: Path, ports: dict[str, int] | None = None, nodes: list[int] | None = None
) -> Path:
    """The site with its placeholders filled; ``ports`` moves listens and upstreams;
    ``nodes``: the public servers' ports, one ``server`` line each (a county)."""
    cert, key = self_signed(folder)
    text = SITE.read_text(encoding="utf-8")
    if nodes:
        line = next(x for x in text.splitlines() if x.strip().startswith("server 127.0.0.1:8870"))
        text = text.replace(line, "\n".join(line.replace("8870", str(n)) for n in nodes))
    for name, value in {
        "__SERVER_NAME__": "jianfu.test",
        "__TLS_CERTIFICATE__": str(cert),
        "__TLS_CERTIFICATE_KEY__": str(key),
        "__OFFICE_NETWORK__": "10.20.0.0/16",
        "__MONITORING_NETWORK__": MONITORING,
    }.items():
        text = text.replace(name, value)
    text = text.replace("/var/log/nginx/", f"{folder}/")
    if ports:
        text = text.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{ports['https']} ssl")
        text = text.replace("127.0.0.1:8866", f"127.0.0.1:{ports['app']}")
        text = text.replace("127.0.0.1:8870", f"127.0.0.1:{ports['public']}")
    assert not PLACEHOLDER.search(text)
    site = folder / "jianfu.conf"
    site.write_text(text, encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {folder}/access.log;\n"
        f"  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;\n"
        f"  fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi;"
        f" scgi_temp_path {folder}/scgi;\n  include {site};\n}}\n",
        encoding="utf-8",
    )
    return main


@contextmanager
def running_site(folder: Path, main: Path, https_port: int) -> Iterator[str]:
    """nginx on the filled site (`filled_site`) until the block ends; yields its https URL."""
    process = subprocess.Popen(
        [nginx(), "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log"),
         "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"https://127.0.0.1:{https_port}/"
    deadline = time.monotonic() + 10
    while get(base + "favicon.ico")[0] is None and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int | None, str]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, headers={"Host": "jianfu.test", **(headers or {})})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(request, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return None, ""


def get_from(source: str, url: str) -> tuple[int | None, str]:
    """GET ``url`` (on 127.0.0.1) from the loopback address ``source``: another network."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPSConnection(
        parts.hostname, parts.port, context=context, timeout=5, source_address=(source, 0)
    )
    try:
        conn.request("GET", parts.path, headers={"Host": "jianfu.test"})
        answer = conn.getresponse()
        return answer.status, answer.read().decode() if answer.status == 200 else ""
    except OSError:
        return None, ""
    finally:
        conn.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
