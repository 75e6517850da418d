"""deploy/: the nginx site passes `nginx -t` and, run for real, exposes only the public
pages; the systemd units pass `systemd-analyze verify`; the env file example parses."""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.nginx_site import (
    DEPLOY,
    PLACEHOLDER,
    SITE,
    NoRedirect,
    filled_site,
    get,
    get_from,
    nginx,
    running_site,
)
from tests.support.servers import free_port

UNITS = sorted((DEPLOY / "systemd").glob("jianfu-*"))


def test_the_site_names_its_placeholders():
    found = set(PLACEHOLDER.findall(SITE.read_text(encoding="utf-8")))
    assert found == {"__SERVER_NAME__", "__TLS_CERTIFICATE__", "__TLS_CERTIFICATE_KEY__",
                     "__OFFICE_NETWORK__", "__MONITORING_NETWORK__"}  # fmt: skip


def test_nginx_t_accepts_the_site(tmp_path):
    main = filled_site(tmp_path)
    done = subprocess.run(
        [nginx(), "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


class Upstream(http.server.BaseHTTPRequestHandler):
    """A stand-in for a Voila server: answers 200 naming itself, records the paths."""

    def do_GET(self):
        self.server.seen.append(self.path)
        self.server.real_ip.append(self.headers.get("X-Real-IP"))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(self.server.name.encode())

    do_POST = do_GET

    def log_message(self, *args):
        pass


def upstream(name: str) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Upstream)
    server.name, server.seen, server.real_ip = name, [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("nginx")
    app, public = upstream("app"), upstream("public")
    ports = {"http": free_port(), "https": free_port(), "app": app.server_address[1],
             "public": public.server_address[1]}  # fmt: skip
    with running_site(tmp_path, filled_site(tmp_path, ports), ports["https"]) as base:
        yield base.rstrip("/"), ports, public
    app.shutdown()
    public.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize(
    "path, expected",
    [
        ("/?s=ABC123", (200, "public")),
        ("/report", (200, "public")),
        ("/report/status", (200, "public")),
        ("/jianfu-queue", (200, "public")),
        ("/voila/static/voila.js", (200, "public")),
        ("/voila/labextensions/@jupyter-widgets/x.js", (200, "public")),
        ("/api/kernels/0a1b2c3d-0000-4000-8000-00000000abcd", (200, "public")),
        ("/jianfu/voila/render/index.ipynb", (200, "app")),  # 127.0.0.1 is allowed
        ("/voila/render/05_dashboard.ipynb", (404, "")),
        ("/voila/tree", (404, "")),
        ("/voila/files/data/indicators.yaml", (404, "")),
        ("/api/contents", (404, "")),
        ("/api/kernels", (404, "")),
        ("/healthz", (404, "")),
        ("/05_dashboard.ipynb", (404, "")),
    ],
)
def test_nginx_exposes_only_the_public_pages(proxy, path, expected):
    base, _, _ = proxy
    assert get(base + path) == expected


@pytest.mark.slow
def test_nginx_tells_the_public_pages_the_client_and_a_client_cannot_choose_it(proxy):
    base, _, public = proxy
    assert get(base + "/report", {"X-Real-IP": "10.9.8.7"}) == (200, "public")
    assert public.real_ip[-1] == "127.0.0.1"  # the connection's address, not the header sent


@pytest.mark.slow
@pytest.mark.parametrize(
    "source, path, expected",
    [
        ("127.0.0.2", "/jianfu/healthz", (200, "app")),  # the monitoring network
        ("127.0.0.2", "/jianfu/voila/render/index.ipynb", (403, "")),  # health only
        ("127.0.0.2", "/jianfu/healthz/x", (403, "")),
        ("127.0.0.3", "/jianfu/healthz", (403, "")),  # neither office nor monitoring
        ("127.0.0.1", "/jianfu/healthz", (200, "app")),
    ],
)
def test_monitoring_reaches_the_apps_health_only(proxy, source, path, expected):
    base, _, _ = proxy
    assert get_from(source, base + path) == expected


@pytest.mark.slow
def test_plain_http_goes_to_https(proxy):
    _, ports, _ = proxy
    request = urllib.request.Request(
        f"http://127.0.0.1:{ports['http']}/report", headers={"Host": "jianfu.test"}
    )
    with pytest.raises(urllib.error.HTTPError) as found:
        urllib.request.build_opener(NoRedirect()).open(request, timeout=5)
    assert found.value.code == 301
    assert found.value.headers["Location"] == "https://jianfu.test/report"


def test_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    texts = {unit.name: unit.read_text(encoding="utf-8") for unit in UNITS}
    assert set(texts) == {"jianfu-app.service", "jianfu-public.service",
                          "jianfu-backup.service", "jianfu-backup.timer"}  # fmt: skip
    for name, text in texts.items():
        if name.endswith(".service") and name != "jianfu-backup.service":
            assert "Restart=on-failure" in text and "User=jianfu" in text
            assert "EnvironmentFile=/etc/jianfu/jianfu.env" in text
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (the units were only read)")
    jianfu = Path(shutil.which("jianfu") or Path(os.sys.executable).parent / "jianfu")
    for name, text in texts.items():
        (tmp_path / name).write_text(text.replace("/opt/jianfu/venv/bin/jianfu", str(jianfu)))
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in texts)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_env_example_names_what_the_program_reads():
    from jianfu.cli.commands import TOKEN_ENV
    from jianfu.paths import DATA_DIR_ENV, DB_URL_ENV
    from jianfu.server.report import TRUSTED_PROXIES_ENV

    lines = (DEPLOY / "jianfu.env.example").read_text(encoding="utf-8").splitlines()
    names = {line.lstrip("#").split("=", 1)[0] for line in lines
             if re.match(r"^#?[A-Z_]+=", line)}  # fmt: skip
    assert names == {
        DATA_DIR_ENV, DB_URL_ENV, TOKEN_ENV, "JIANFU_PUBLIC_URL", TRUSTED_PROXIES_ENV
    }  # fmt: skip


# ---- the office apps under a path (jianfu serve --base-url) ------------------------


@pytest.mark.parametrize(
    "given, prefix",
    [
        ("/", "/"),
        ("", "/"),
        ("jianfu", "/jianfu/"),
        ("/jianfu", "/jianfu/"),
        ("/a/b/", "/a/b/"),
    ],  # fmt: skip
)
def test_the_base_url_gets_both_slashes(given, prefix):
    from jianfu.server.voila import clean_prefix

    assert clean_prefix(given) == prefix


def test_serve_base_url_reaches_voila(monkeypatch, tmp_path):
    from jianfu.cli import main
    from jianfu.server import voila as private
    from tests.support.voila_options import unknown_voila_options

    argv, _ = private.build_command(prefix="/jianfu", data_dir=tmp_path)
    assert "--Voila.base_url=/jianfu/" in argv
    assert unknown_voila_options(argv[4:]) == []
    assert not any(a.startswith("--Voila.base_url") for a in private.build_command()[0])
    seen = {}
    monkeypatch.setattr(private, "run", lambda **kw: seen.update(kw) or 0)
    assert main(["serve", "--base-url", "/jianfu/", "--no-demo"]) == 0
    assert seen["prefix"] == "/jianfu/"


@pytest.mark.slow
def test_the_apps_under_jianfu_through_nginx(tmp_path, demo_data_dir):
    from tests.support.servers import start_server, stop_server

    app = start_server(demo_data_dir, prefix="/jianfu/", token="office-token")
    ports = {"http": free_port(), "https": free_port(), "app": app.port, "public": free_port()}
    try:
        with running_site(tmp_path, filled_site(tmp_path, ports), ports["https"]) as base:
            status, page = get(base + "jianfu/voila/render/index.ipynb?token=office-token")
            assert status == 200 and "基层减负工作簿" in page
            assert 'data-base-url="/jianfu/voila/"' in page
            assert get(base + "jianfu/voila/render/index.ipynb")[0] in (302, 403)  # no token
            # monitoring has no token: the health check answers without one, and says only this
            assert get(base + "jianfu/healthz") == (200, '{"ok": true}')
    finally:
        stop_server(app)


@pytest.mark.slow
def test_the_first_page_sets_the_participant_cookie(tmp_path):
    """nginx keeps a participant on one node by this cookie: it must come with the
    first page, before the request that starts the kernel."""
    from jianfu.assess.links import TOKEN_COOKIE
    from tests.support.servers import start_public_server, stop_server

    node = start_public_server(tmp_path, f"sqlite:///{tmp_path / 'p.sqlite'}", preheat=0)
    try:
        with urllib.request.urlopen(node.url(), timeout=30) as answer:
            cookies = answer.headers.get_all("Set-Cookie") or []
            assert "jianfu_js" in answer.read().decode()  # the gate page: no kernel yet
        assert any(c.startswith(f"{TOKEN_COOKIE}=") for c in cookies), cookies
    finally:
        stop_server(node)
