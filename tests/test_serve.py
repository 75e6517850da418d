"""How `jianfu serve` starts Voila: options, environment, and the offline template."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from jianfu.paths import PROJECT_ROOT
from jianfu.server import voila as serve
from tests.support.servers import free_port
from tests.support.voila_options import unknown_voila_options

TEMPLATE_DIR = PROJECT_ROOT / "share" / "jupyter" / "voila" / "templates" / "jianfu"


@pytest.fixture
def command(tmp_path):
    return serve.build_command(
        port=8899, db_url="sqlite:////tmp/x.sqlite", data_dir=tmp_path, cull_idle_timeout=300
    )


@pytest.mark.parametrize(
    "option",
    [
        # where and how
        "--port=8899",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--template=jianfu",
        "--VoilaConfiguration.allow_template_override=NO",
        # what visitors never see
        "--show_tracebacks=False",
        "--strip_sources=True",
        # kernels of closed tabs are reclaimed
        "--MappingKernelManager.cull_idle_timeout=300",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        # a busy machine still delivers the app (nbclient's 4 s left the page blank)
        "--VoilaExecutor.iopub_timeout=60",
        # uploads up to 20 MB fit in one websocket message
        '--Voila.tornado_settings={"websocket_max_message_size": 26214400}',
    ],
)
def test_command_has_option(command, option):
    argv, _ = command
    assert option in argv


def test_command_serves_the_notebooks_folder_with_this_python(command):
    argv, _ = command
    assert argv[:4] == [sys.executable, "-m", serve.LAUNCHER, str(serve.NOTEBOOKS)]
    assert importlib.util.find_spec(serve.LAUNCHER)


@pytest.mark.parametrize(
    ("kwargs", "present", "absent"),
    [
        ({}, [], ["--preheat_kernel=True"]),
        ({"preheat": 2}, ["--preheat_kernel=True", "--pool_size=2"], []),
        ({"open_browser": True}, ["--Voila.open_browser=True"], []),
        ({"cull_idle_timeout": 0}, ["--MappingKernelManager.cull_idle_timeout=0"], []),
    ],
)
def test_command_options_follow_arguments(kwargs, present, absent):
    argv, _ = serve.build_command(**kwargs)
    assert [p for p in present if p not in argv] == []
    assert [a for a in absent if a in argv] == []


def test_every_page_is_preheated_on_the_private_server():
    """The participant page too: cold it opened 1.3× slower than a bare page."""
    argv, _ = serve.build_command(preheat=1)
    assert "--pool_size=1" in argv
    assert not any("denylist" in a for a in argv)


def test_every_option_is_known_to_voila():
    """Option names come from voila 0.5's source; a typo would be silently ignored."""
    argv, _ = serve.build_command(preheat=2, host="192.0.2.7", token="t")
    assert unknown_voila_options(argv[4:]) == []
    assert unknown_voila_options(["--Voila.no_such_option=1", "--nonsense=2"]) != []


def test_environment_passes_database_and_data_dir_to_kernels(command, tmp_path):
    _, env = command
    assert env["JIANFU_DB_URL"] == "sqlite:////tmp/x.sqlite"
    assert env["JIANFU_DATA_DIR"] == str(tmp_path.resolve())
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(PROJECT_ROOT)


@pytest.mark.slow  # 3.3 s
def test_voila_finds_the_template_and_keeps_its_own_data_dir(command):
    """Prepending our share/jupyter would make it Voila's data dir (themes 404)."""
    _, env = command
    code = (
        "import json; from voila.paths import collect_template_paths\n"
        "from voila.utils import get_data_dir\n"
        "paths = collect_template_paths(['voila', 'nbconvert'], 'jianfu', prune=True)\n"
        "print(json.dumps({'paths': paths, 'data_dir': get_data_dir()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(out.stdout)
    assert Path(found["paths"][0]) == TEMPLATE_DIR
    assert any(p.endswith("voila/templates/lab") for p in found["paths"])
    assert Path(sys.prefix) in Path(found["data_dir"]).parents


def test_template_names_no_outside_address():
    files = sorted(p for p in TEMPLATE_DIR.rglob("*") if p.is_file())
    assert len(files) >= 5
    address = re.compile(r"https?://|(?<![:\w])//[\w-]+\.[\w.-]+/")
    hits = [
        f"{p.name}: {m.group(0)}"
        for p in files
        for m in address.finditer(p.read_text(encoding="utf-8"))
    ]
    assert hits == []


def test_template_extends_lab_and_drops_its_cdn_block():
    page = (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    assert json.loads((TEMPLATE_DIR / "conf.json").read_text())["base_template"] == "lab"
    assert "extends 'voila/templates/lab/index.html.j2'" in page
    assert "super.super()" in page  # skips lab's notebook_css, the one with the CDN links
    assert '<html lang="zh-CN">' in page
    assert "正在加载，请稍候……" in page


def test_wait_until_ready_gives_up_when_the_server_exits():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    assert serve.wait_until_ready(process, port=9, timeout=30) is False
    assert process.returncode == 3


def test_landing_url():
    assert serve.landing_url(8866) == "http://127.0.0.1:8866/voila/render/index.ipynb"


@pytest.mark.filterwarnings("ignore:--tornado_settings:DeprecationWarning")
def test_voila_reads_the_websocket_limit_as_a_number():
    from voila.app import Voila

    argv, _ = serve.build_command()
    app = Voila()
    app.parse_command_line(argv[3:])
    assert app.tornado_settings == {"websocket_max_message_size": 25 * 1024 * 1024}
    assert app.ip == "127.0.0.1"


def test_the_browser_upload_limit_is_the_apps_limit():
    """static/jianfu.js refuses big files before sending; it must agree with the app."""
    import re

    from jianfu_widgets.import_panel import MAX_UPLOAD_MB

    script = (serve.TEMPLATE_ROOT / "voila/templates/jianfu/static/jianfu.js").read_text("utf-8")
    assert re.search(r"MAX_UPLOAD_MB = (\d+);", script).group(1) == str(MAX_UPLOAD_MB)
    assert MAX_UPLOAD_MB * 1024 * 1024 < serve.WEBSOCKET_MAX_MESSAGE_BYTES


def test_jianfu_serve_preheats_one_kernel_per_page_by_default(monkeypatch):
    from jianfu.cli import commands as cli

    asked = []
    monkeypatch.setattr(serve, "run", lambda **options: asked.append(options) or 0)
    monkeypatch.setattr(cli, "_store", lambda: type("S", (), {"is_empty": lambda self: False})())
    assert cli.main(["serve"]) == 0
    assert cli.main(["serve", "--preheat", "0"]) == 0
    assert [a["preheat"] for a in asked] == [1, 0]


@pytest.mark.parametrize(
    ("host", "asked"),
    [("127.0.0.1", "127.0.0.1"), ("127.0.0.2", "127.0.0.2"), ("0.0.0.0", "127.0.0.1")],
)
def test_preheated_kernels_ask_the_server_on_its_own_address(host, asked):
    argv, env = serve.build_command(host=host, token="t", preheat=1)
    assert f"--Voila.ip={host}" in argv
    assert env["VOILA_APP_IP"] == asked


def test_kernels_use_unix_sockets_unless_the_path_is_too_long(monkeypatch):
    """TCP ports picked for kernels starting together collide (a room lost a kernel)."""
    from jianfu.server import public

    assert "--KernelManager.transport=ipc" in serve.build_command()[0]
    assert "--KernelManager.transport=ipc" in public.build_command()[0]
    monkeypatch.setattr(serve.tempfile, "gettempdir", lambda: "/tmp/" + "deep/" * 20)
    assert serve.kernel_transport() == []


# What each server process runs before Voila is imported, and a probe that says whether
# jsonschema built its IRI grammar (jianfu/startup.py: 1.5–2 s of every start).
GRAMMAR_PROBE = "import sys; print(sys.modules.get('rfc3987_syntax', 'absent'))"


@pytest.mark.slow  # fresh interpreters importing Voila
@pytest.mark.parametrize(
    "start",
    [
        f"import {serve.LAUNCHER}",
        "import jianfu.server.voila_public",
    ],
    ids=["private", "public"],
)
def test_servers_import_voila_without_jsonschemas_iri_grammar(start):
    done = subprocess.run(
        [sys.executable, "-c", f"{start}\n{GRAMMAR_PROBE}"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.strip() == "None", done.stdout  # marked absent, never built


@pytest.mark.slow  # starts the real server
@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_kill_stops_the_server_with_voila_and_leaves_the_port_free(tmp_path, public):
    """`kill <pid of jianfu serve>` (SIGTERM) must not orphan Voila on the port."""
    import psutil

    port = free_port()
    options = ["--public", "--room", "0", "--host", "127.0.0.1"] if public else ["--no-demo"]
    env = {**os.environ, "JIANFU_DATA_DIR": str(tmp_path / "data")}
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jianfu"), "serve", "--port", str(port),
             "--preheat", "0", *options],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/"
        assert serve.wait_until_ready(process, port, timeout=90, url=url), (
            tmp_path / "serve.log"
        ).read_text()[-2000:]
        voila = psutil.Process(process.pid).children(recursive=True)
        assert voila, "no Voila process under jianfu serve"
        process.terminate()  # the parent alone, as `kill` does
        assert process.wait(timeout=30) == 0
        gone, alive = psutil.wait_procs(voila, timeout=15)
        assert not alive, [p.cmdline()[:3] for p in alive]
        with socket.socket() as sock:  # free again: a new server could listen there
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
            sock.bind(("127.0.0.1", port))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
