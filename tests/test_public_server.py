"""`jianfu serve --public`: the options that make a room of phones safe, and the private server's token."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from jianfu.cli import commands as cli
from jianfu.server import public
from jianfu.server import voila as private
from tests.support.voila_options import unknown_voila_options


@pytest.fixture
def command(tmp_path):
    return public.build_command(
        host="0.0.0.0",
        port=8870,
        room=20,
        max_kernels=50,
        db_url="sqlite:////tmp/x.sqlite",
        data_dir_=tmp_path,
    )


@pytest.mark.parametrize(
    "option",
    [
        # the participant page alone, on the LAN
        "--Voila.ip=0.0.0.0",
        "--port=8870",
        "--VoilaConfiguration.file_allowlist=[]",
        # the participant cookie reaches the kernel
        '--VoilaConfiguration.http_header_envs=["Cookie"]',
        # a pool for the room, refilled by the launcher only when the room is quiet
        "--preheat_kernel=True",
        "--pool_size=30",
        "--PublicVoila.room=20",
        "--PublicVoila.refill_quiet=15",
        # kernels of closed pages reclaimed, pages that never connect too, and a cap
        "--MappingKernelManager.cull_idle_timeout=120",
        "--MappingKernelManager.cull_connected=False",
        "--PublicVoila.connect_timeout=60",
        "--PublicVoila.max_kernels=50",
        # under load the page still gets its form
        "--VoilaExecutor.iopub_timeout=60",
        # what visitors never see
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--template=jianfu",
    ],
)
def test_public_command_has_option(command, option):
    argv, _ = command
    assert option in argv


def test_voila_does_not_refill_the_pool_itself(command):
    """Voila's timed refill landed ~60 kernel starts on the room's 提交 (issue 19)."""
    argv, _ = command
    assert not any("fill_delay" in a for a in argv)


def test_public_command_serves_the_participant_notebook_only(command):
    argv, env = command
    assert argv[1:3] == ["-m", public.LAUNCHER] and importlib.util.find_spec(public.LAUNCHER)
    assert argv[3] == str(public.PARTICIPANT_NOTEBOOK)
    assert not any(a.startswith("--token") for a in argv)  # phones open it without a token
    assert env["JIANFU_DB_URL"] == "sqlite:////tmp/x.sqlite"


def test_every_public_option_is_known_to_voila(command):
    argv, _ = command
    ours = frozenset(
        f"PublicVoila.{name}" for name in ("max_kernels", "room", "refill_quiet", "connect_timeout")
    )
    assert unknown_voila_options(argv[4:], ours=ours) == []


@pytest.mark.slow  # 3.3 s
def test_launcher_parses_its_options(command):
    """The launcher's PublicVoila takes the whole command line, its cap included."""
    argv, env = command
    code = (
        "import importlib, sys; ns = vars(importlib.import_module(sys.argv[1]));"
        "app = ns['PublicVoila'](); app.initialize(sys.argv[2:]);"
        "print(app.max_kernels, app.room, app.refill_quiet, app.connect_timeout, app.ip,"
        " app.voila_configuration.http_header_envs, app.voila_configuration.file_allowlist)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv[2:]], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["50", "20", "15.0", "60.0", "0.0.0.0", "['Cookie']", "[]"]


@pytest.mark.parametrize(
    ("room", "preheat", "pool"),
    [(30, None, 40), (60, None, 70), (0, None, 10), (30, 5, 5), (30, 0, None)],
)
def test_pool_sized_to_the_room(room, preheat, pool):
    argv, _ = public.build_command(room=room, preheat=preheat, max_kernels=500)
    sizes = [a for a in argv if a.startswith("--pool_size=")]
    assert sizes == ([f"--pool_size={pool}"] if pool else [])


@pytest.mark.parametrize(
    ("available_mb", "kernels"),
    [(24000, 191), (4096, 25), (1500, public.MIN_KERNELS), (200000, public.MAX_KERNELS)],
)
def test_kernel_cap_follows_available_memory(available_mb, kernels):
    assert public.default_max_kernels(available_mb) == kernels


def test_cap_is_never_below_the_pool():
    argv, _ = public.build_command(preheat=40, max_kernels=10)
    assert "--PublicVoila.max_kernels=41" in argv


def test_a_specific_address_is_handed_to_preheated_kernels():
    _, env = public.build_command(host="192.0.2.7")
    assert env["VOILA_APP_IP"] == "192.0.2.7"
    assert public.participant_url("192.0.2.7", 8870, "abc") == "http://192.0.2.7:8870/?s=abc"


def test_terminal_qr_and_recorded_address(tmp_path, monkeypatch):
    monkeypatch.setenv("JIANFU_DATA_DIR", str(tmp_path))
    assert "█" in public.terminal_qr("http://192.0.2.7:8870/?s=abc")
    assert public.read_state() is None
    public.write_state("http://192.0.2.7:8870/")  # in the default database of the data folder
    assert public.read_state() == "http://192.0.2.7:8870/"
    public.clear_state("http://192.0.2.7:8870/")
    assert public.read_state() is None


@pytest.mark.parametrize(
    ("host", "token", "error"),
    [
        ("127.0.0.1", None, False),
        ("127.0.0.2", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("192.0.2.7", None, True),
        ("192.0.2.7", "s3cret", False),
    ],
)
def test_private_server_needs_a_token_off_this_machine(host, token, error):
    if error:
        with pytest.raises(ValueError):
            private.build_command(host=host, token=token)
        return
    argv, _ = private.build_command(host=host, token=token)
    assert f"--Voila.ip={host}" in argv
    assert (f"--token={token}" in argv) == bool(token)


def test_cli_serve_public_passes_its_options(monkeypatch):
    seen = {}
    monkeypatch.setattr(public, "run", lambda **kw: seen.update(kw) or 0)
    assert (
        cli.main(["serve", "--public", "--room", "50", "--session", "abc", "--max-kernels", "90"])
        == 0
    )
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8870 and seen["code"] == "abc"
    assert seen["room"] == 50 and seen["preheat"] is None and seen["max_kernels"] == 90
    assert seen["cull_idle_timeout"] == public.CULL_IDLE_TIMEOUT and seen["fill_delay"] == 15


def test_cli_private_serve_reads_the_token_from_config(monkeypatch):
    seen = {}
    monkeypatch.setattr(private, "run", lambda **kw: seen.update(kw) or 0)
    monkeypatch.setenv("JIANFU_TOKEN", "from-config")
    assert cli.main(["serve", "--host", "192.0.2.7", "--no-demo"]) == 0
    assert seen["token"] == "from-config" and seen["host"] == "192.0.2.7"
    assert seen["port"] == 8866 and seen["preheat"] == 1 and seen["cull_idle_timeout"] == 600
    assert os.environ.get("JIANFU_TOKEN") == "from-config"


@pytest.fixture
def fake_server(monkeypatch, tmp_path):
    """`public.run` around a stand-in for Voila that is up at once and dies at once."""
    monkeypatch.setenv("JIANFU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(public, "QUICK_EXIT", 30)
    starts = []

    def command(**options):
        return [sys.executable, "-S", "-c", "raise SystemExit(3)"], dict(os.environ)

    monkeypatch.setattr(public, "build_command", command)
    monkeypatch.setattr(public, "_wait_ready", lambda process, host, port: starts.append(1) or True)
    return starts


def test_a_server_that_keeps_dying_at_once_is_given_up(fake_server, capsys):
    assert public.run(host="127.0.0.1", port=8870) == 3
    out = capsys.readouterr()
    assert len(fake_server) == public.RESTARTS
    assert out.out.count("自评服务意外退出（退出码 3），正在自动重新启动") == public.RESTARTS - 1
    assert (
        "自评服务已启动" in out.out and out.out.count("自评服务已重新启动") == public.RESTARTS - 1
    )
    assert f"连续{public.RESTARTS}次启动后很快退出，已放弃" in out.err


def test_a_server_that_never_starts_is_not_restarted(monkeypatch, capsys):
    monkeypatch.setattr(
        public,
        "build_command",
        lambda **o: ([sys.executable, "-S", "-c", "pass"], dict(os.environ)),
    )
    monkeypatch.setattr(public, "_wait_ready", lambda process, host, port: False)
    assert public.run(host="127.0.0.1", port=8870) == 1
    assert "启动失败：端口 8870 可能已被占用" in capsys.readouterr().err
