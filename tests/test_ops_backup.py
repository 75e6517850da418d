"""`jianfu backup` / `jianfu restore` on SQLite: online copies, checked restores,
nothing replaced without --force and nothing replaced without a copy kept aside."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from jianfu.cli import main
from jianfu.store import SCHEMA_VERSION, Store


def count(path: Path, table: str = "observations") -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def set_version(path: Path, version: int, table: str = "meta") -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"UPDATE {table} SET value = ? WHERE key = 'schema_version'", [version])
        conn.commit()


@pytest.fixture
def live(demo_data_dir) -> Path:
    return demo_data_dir / "jianfu.sqlite"


@pytest.fixture
def backup_file(live, tmp_path, capsys) -> Path:
    out = tmp_path / "copy.sqlite"
    assert main(["backup", "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def add_unit(path: Path, name: str) -> None:
    store = Store(f"sqlite:///{path}")
    try:
        store.add_unit(name)
    finally:
        store.engine.dispose()


def test_backup_while_the_database_is_open_holds_the_latest_writes(live, tmp_path, capsys):
    store = Store(f"sqlite:///{live}")  # a server's open engine, its write still in the WAL
    store.add_unit("备份时新建的单位")
    out = tmp_path / "nested" / "backup.sqlite"
    assert main(["backup", "--out", str(out)]) == 0
    assert f"已备份到 {out}" in capsys.readouterr().out
    with closing(sqlite3.connect(out)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM units")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert "备份时新建的单位" in names
    assert count(out) == count(live) > 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["backup.sqlite"]  # no -wal, no partial
    store.engine.dispose()


def test_backup_without_out_goes_to_the_data_folder(live, demo_data_dir, capsys):
    assert main(["backup"]) == 0
    made = list((demo_data_dir / "backups").glob("jianfu-*.sqlite"))
    assert len(made) == 1 and count(made[0]) == count(live)


def test_backup_does_not_overwrite_a_file(live, tmp_path, capsys):
    out = tmp_path / "taken.sqlite"
    out.write_text("keep me")
    assert main(["backup", "--out", str(out)]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["backup", "--out", str(out), "--force"]) == 0
    assert count(out) == count(live)


def test_restore_needs_force_and_keeps_the_replaced_database(live, backup_file, capsys):
    add_unit(live, "备份后新建的单位")
    before = count(live, "units")
    assert main(["restore", str(backup_file)]) == 2
    assert "当前数据库已有数据" in capsys.readouterr().err
    assert count(live, "units") == before  # untouched
    assert main(["restore", str(backup_file), "--force"]) == 0
    said = capsys.readouterr().out
    assert count(live, "units") == count(backup_file, "units") == before - 1
    aside = next(live.parent.glob("jianfu.sqlite.before-restore-*"))
    assert f"原有数据已另存为 {aside}" in said
    assert count(aside, "units") == before


def test_restore_reaches_a_server_that_has_the_database_open(live, backup_file, capsys):
    store = Store(f"sqlite:///{live}")
    assert store.unit_names()  # the pool holds an open connection, as a serving kernel's does
    store.add_unit("将被恢复掉的单位")
    assert main(["restore", str(backup_file), "--force"]) == 0
    assert "将被恢复掉的单位" not in store.unit_names()
    store.add_unit("恢复后新建的单位")  # and it can still write
    assert "恢复后新建的单位" in store.unit_names()
    store.engine.dispose()


def test_restore_into_an_empty_data_folder_needs_no_force(live, backup_file, capsys):
    for path in live.parent.glob("jianfu.sqlite*"):
        path.unlink()  # a new machine: the data folder holds no database yet
    assert main(["restore", str(backup_file)]) == 0
    assert count(live) == count(backup_file) > 0
    assert not list(live.parent.glob("*.before-restore-*"))


def test_an_older_backup_is_upgraded_on_restore(live, backup_file, capsys):
    set_version(backup_file, SCHEMA_VERSION - 1)
    assert main(["restore", str(backup_file), "--force"]) == 0
    capsys.readouterr()
    assert main(["health"]) == 0
    assert f"数据：版本{SCHEMA_VERSION}（当前）" in capsys.readouterr().out


def test_a_backup_with_another_page_size_restores_into_the_wal_database(live, backup_file, capsys):
    with closing(sqlite3.connect(backup_file)) as conn:  # e.g. written by another SQLite build
        conn.execute("PRAGMA page_size=8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    add_unit(live, "将被恢复掉的单位")
    assert main(["restore", str(backup_file), "--force"]) == 0, capsys.readouterr().err
    assert count(live, "units") == count(backup_file, "units")
    assert not list(live.parent.glob(".restore-*"))


def _not_sqlite(path: Path) -> None:
    path.write_text("单位,时期\n示例县,2024年\n", encoding="utf-8")


def _empty_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE other (x)")
        conn.commit()


def _damaged(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)


def _newer(path: Path) -> None:
    Store(f"sqlite:///{path}").engine.dispose()
    set_version(path, SCHEMA_VERSION + 1)


@pytest.mark.parametrize(
    "make, message",
    [
        (_not_sqlite, "备份文件不是 SQLite 数据库文件"),
        (_empty_sqlite, "备份文件不是工作簿数据库"),
        (_damaged, "备份文件"),
        (_newer, "备份文件由更新的工作簿写出：数据版本"),
        (None, "备份文件不存在"),
    ],
)
def test_restore_refuses_what_is_not_a_workbook_backup(live, tmp_path, capsys, make, message):
    bad = tmp_path / "bad.sqlite"
    if make:
        make(bad)
    before = live.read_bytes()
    assert main(["restore", str(bad), "--force"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err
    assert "Traceback" not in err
    assert live.read_bytes() == before
    assert not list(live.parent.glob("*.before-restore-*"))  # nothing was set aside either
