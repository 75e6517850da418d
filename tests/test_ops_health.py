"""`jianfu health` (exit 0/1) and the public server's /healthz: the database opens,
its schema is current; read-only; a running server answers."""

from __future__ import annotations

import http.server
import sqlite3
import threading
from contextlib import closing

import pytest
import requests

from jianfu.assess.schema import ASSESS_SCHEMA_VERSION
from jianfu.cli import main
from jianfu.server.health import ROUTE, HealthHandler
from jianfu.store import SCHEMA_VERSION
from tests.support.servers import free_port, tornado_app


def set_version(path, version, table="meta"):
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"UPDATE {table} SET value = ? WHERE key = 'schema_version'", [version])
        conn.commit()


def test_a_current_database_is_healthy(demo_data_dir, capsys):
    assert main(["health"]) == 0
    out = capsys.readouterr().out
    assert f"数据：版本{SCHEMA_VERSION}（当前）" in out and out.rstrip().endswith("正常")


def test_a_missing_database_is_reported_not_created(data_dir, capsys):
    assert main(["health"]) == 1
    assert "数据库文件不存在" in capsys.readouterr().out
    assert not (data_dir / "jianfu.sqlite").exists()


@pytest.mark.parametrize(
    "table, version, message",
    [
        ("meta", SCHEMA_VERSION - 1, f"数据：版本{SCHEMA_VERSION - 1}，需升级到{SCHEMA_VERSION}"),
        ("meta", SCHEMA_VERSION + 1, f"数据：版本{SCHEMA_VERSION + 1}，比本程序"),
        ("assess_meta", ASSESS_SCHEMA_VERSION + 1, "自评：版本"),
    ],
)
def test_a_database_off_this_version_is_unhealthy(demo_data_dir, capsys, table, version, message):
    from jianfu.assess.store import AssessStore

    path = demo_data_dir / "jianfu.sqlite"
    AssessStore(f"sqlite:///{path}").engine.dispose()
    set_version(path, version, table)
    before = path.read_bytes()
    assert main(["health"]) == 1
    captured = capsys.readouterr()
    assert message in captured.out and "异常" in captured.err
    assert path.read_bytes() == before  # a check writes nothing, migrates nothing


def test_upgrade_brings_an_older_database_up(demo_data_dir, capsys):
    set_version(demo_data_dir / "jianfu.sqlite", SCHEMA_VERSION - 1)
    assert main(["upgrade"]) == 0
    assert main(["health"]) == 0


@pytest.mark.parametrize("table", ["meta", "assess_meta", "clue_meta", "collect_meta",
                                   "register_meta"])  # fmt: skip
def test_upgrade_brings_every_part_up(demo_data_dir, capsys, table):
    """`jianfu health` says “run jianfu upgrade” for any part behind: upgrade must reach it."""
    from jianfu.assess.store import AssessStore
    from jianfu.clues.store import ClueStore
    from jianfu.collect.rounds import Collect
    from jianfu.ops.versions import expected
    from jianfu.registers.store import RegisterStore
    from jianfu.store import Store

    url = f"sqlite:///{demo_data_dir / 'jianfu.sqlite'}"
    for part in (AssessStore(url), ClueStore(url), RegisterStore(url), Collect(Store(url)).store):
        part.engine.dispose()
    set_version(demo_data_dir / "jianfu.sqlite", expected()[table] - 1, table)
    assert main(["health"]) == 1
    assert main(["upgrade"]) == 0
    assert main(["health"]) == 0, capsys.readouterr().out


def test_upgrade_creates_no_part_not_used_yet(demo_data_dir):
    from jianfu.ops.versions import PARTS

    main(["upgrade"])
    with closing(sqlite3.connect(demo_data_dir / "jianfu.sqlite")) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "clue_meta" not in tables and "meta" in tables, tables & set(PARTS)


def test_a_public_nodes_fresh_database_is_healthy_and_backed_up(data_dir, tmp_path, capsys):
    """`jianfu serve --public` on a fresh database creates 自评's tables alone: monitoring
    (and nginx's checks) must not see the node as down, nor backups refuse its answers."""
    from jianfu.assess.store import AssessStore

    store = AssessStore(f"sqlite:///{data_dir / 'jianfu.sqlite'}")
    store.create_session("room", "现场自评")
    store.engine.dispose()
    assert main(["health"]) == 0
    out = capsys.readouterr().out
    assert f"自评：版本{ASSESS_SCHEMA_VERSION}（当前）" in out
    assert "数据：尚未建立（第一次使用时自动建立）" in out and out.rstrip().endswith("正常")
    copy = tmp_path / "public.sqlite"
    assert main(["backup", "--out", str(copy)]) == 0
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("SELECT code FROM assess_sessions").fetchall() == [("room",)]


def test_a_file_that_is_not_a_workbook_is_unhealthy(data_dir, capsys):
    data_dir.mkdir(parents=True)
    with closing(sqlite3.connect(data_dir / "jianfu.sqlite")) as conn:
        conn.execute("CREATE TABLE other (x)")
    assert main(["health"]) == 1
    assert "没有工作簿的数据表" in capsys.readouterr().out


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/ok" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    "path, code, message",
    [("/ok", 0, "服务正常"), ("/down", 1, "返回 503"), (None, 1, "服务无法访问")],
)
def test_health_gets_a_running_server(demo_data_dir, capsys, web, path, code, message):
    address = web + path if path else f"http://127.0.0.1:{free_port()}/healthz"
    assert main(["health", "--url", address]) == code
    assert message in capsys.readouterr().out


def test_healthz_answers_healthy_then_not(tmp_path, monkeypatch, demo_db_file):
    from tests.support.demo import copy_demo

    monkeypatch.setenv("JIANFU_DB_URL", copy_demo(demo_db_file, tmp_path, "h.sqlite"))
    with tornado_app([(f"/{ROUTE}", HealthHandler)]) as base:
        answer = requests.get(base + ROUTE, timeout=10)
        assert answer.status_code == 200 and answer.json()["ok"] is True
        set_version(tmp_path / "h.sqlite", SCHEMA_VERSION + 1)
        answer = requests.get(base + ROUTE, timeout=10)
    assert answer.status_code == 503 and "sqlite" not in answer.text  # says nothing of where


def test_every_parts_version_table_is_read():
    """A part added later with its own version table must be known to backup and health."""
    import re
    from pathlib import Path

    from jianfu.ops.versions import PARTS, expected

    root = Path(__file__).resolve().parents[1] / "jianfu"
    tables = {
        name
        for path in root.rglob("schema.py")
        for name in re.findall(r'version_table\(\s*"(\w+)"', path.read_text(encoding="utf-8"))
    }
    assert tables == set(PARTS) == set(expected())


@pytest.mark.slow
def test_the_private_apps_answer_healthz_without_the_token(demo_data_dir):
    """`jianfu serve --base-url /jianfu/` with a token: monitoring has no token; the
    answer is ok or not and nothing more (no database address, no server software)."""
    from tests.support.servers import start_server, stop_server

    app = start_server(demo_data_dir, prefix="/jianfu/", token="office-token")
    base = f"http://127.0.0.1:{app.port}/"
    try:
        answer = requests.get(base + "jianfu/healthz", timeout=30)
        assert (answer.status_code, answer.text) == (200, '{"ok": true}')
        assert "Server" not in answer.headers and answer.headers["Cache-Control"] == "no-store"
        assert requests.get(base + "healthz", timeout=30).status_code == 404  # under the path
        page = requests.get(
            base + "jianfu/voila/render/index.ipynb", timeout=30, allow_redirects=False
        )
        assert page.status_code in (302, 403) and "基层减负工作簿" not in page.text  # still locked
        set_version(demo_data_dir / "jianfu.sqlite", SCHEMA_VERSION + 1)
        answer = requests.get(base + "jianfu/healthz", timeout=30)
        assert (answer.status_code, answer.text) == (503, '{"ok": false}')
    finally:
        stop_server(app)
