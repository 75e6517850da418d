"""`jianfu backup` / `jianfu restore` / `jianfu health` on PostgreSQL (pg_dump, pg_restore)."""

from __future__ import annotations

import pytest

from jianfu.cli import main
from jianfu.store import Store
from jianfu.store.demo import build_demo

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db(pg_url, data_dir, monkeypatch):
    monkeypatch.setenv("JIANFU_DB_URL", pg_url)
    store = Store(pg_url)
    build_demo(store)
    yield store
    store.engine.dispose()


def test_backup_then_restore_with_force_keeps_the_replaced_data(pg_db, data_dir, tmp_path, capsys):
    out = tmp_path / "county.dump"
    assert main(["backup", "--out", str(out)]) == 0
    assert "已备份到" in capsys.readouterr().out
    units = pg_db.unit_names()
    pg_db.add_unit("备份后新建的单位")
    assert main(["restore", str(out)]) == 2
    assert "当前数据库已有数据" in capsys.readouterr().err
    assert "备份后新建的单位" in pg_db.unit_names()
    assert main(["restore", str(out), "--force"]) == 0
    said = capsys.readouterr().out
    assert pg_db.unit_names() == units
    assert len(pg_db.observations()) > 0
    aside = next((data_dir / "backups").glob("before-restore-*.dump"))
    assert f"原有数据已另存为 {aside}" in said
    assert main(["health"]) == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"SQLite format 3\x00" + b"\x00" * 100,
            "备份文件是 SQLite 数据库，当前数据库是 PostgreSQL",
        ),
        (b"not a dump", "备份文件不是 pg_dump 的备份"),
    ],
)
def test_restore_refuses_what_is_not_a_dump(pg_db, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.dump"
    bad.write_bytes(content)
    units = pg_db.unit_names()
    assert main(["restore", str(bad), "--force"]) == 2
    assert message in capsys.readouterr().err
    assert pg_db.unit_names() == units


def test_health_on_postgresql(pg_db, capsys):
    assert main(["health"]) == 0
    out = capsys.readouterr().out
    assert "数据：版本" in out and "（当前）" in out
