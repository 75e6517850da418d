"""SQLite backups with the online backup API: consistent while the apps write.

A backup is one self-contained file (rollback journal, not WAL) checked with
``PRAGMA quick_check`` before it takes its final name. A restore copies the
backup *into* the live file with the same API, so servers that have it open
see the restored data at their next query; the file it replaces is first
copied aside, the same way.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from .target import OpsError
from .versions import PartVersion, check_restorable, is_workbook, read_versions

MAGIC = b"SQLite format 3\x00"
BUSY_MS = 30_000


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    else:
        conn = sqlite3.connect(path, timeout=30)
    conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return conn


def versions_of(conn: sqlite3.Connection) -> tuple[set[str], list[PartVersion]]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def scalar(sql: str):
        row = conn.execute(sql).fetchone()
        return row[0] if row else None

    return tables, read_versions(tables, scalar)


def check_file(path: Path, what: str) -> list[PartVersion]:
    """Refuse anything but an intact workbook database; returns its versions."""
    if not path.is_file():
        raise OpsError(f"{what}不存在：{path}")
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise OpsError(f"{what}不是 SQLite 数据库文件：{path}")
    try:
        with closing(_connect(path, readonly=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise OpsError(f"{what}已损坏（{verdict}）：{path}")
            tables, versions = versions_of(conn)
    except sqlite3.DatabaseError as exc:
        raise OpsError(f"{what}无法读取（{exc}）：{path}") from exc
    if not is_workbook(tables, versions):
        raise OpsError(f"{what}不是工作簿数据库（没有版本记录）：{path}")
    return versions


def copy(source: Path, out: Path) -> None:
    """Online backup of ``source`` into a new file ``out``, written under a temporary
    name and renamed only once complete and checked."""
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        check_file(partial, "备份文件")
        os.replace(partial, out)
    except sqlite3.Error as exc:
        raise OpsError(f"备份失败（{exc}）：{source} → {out}") from exc
    finally:
        partial.unlink(missing_ok=True)


def backup(source: Path, out: Path) -> list[PartVersion]:
    versions = check_file(source, "数据库文件")
    copy(source, out)
    return versions


def restore(backup_file: Path, live: Path, aside: Path | None) -> list[PartVersion]:
    """Copy ``backup_file`` into ``live`` (created if missing); ``aside``: where the
    current contents go first (None: nothing to keep)."""
    versions = check_file(backup_file, "备份文件")
    check_restorable(versions, "备份文件")
    if aside is not None:
        copy(live, aside)
    live.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=live.parent, prefix=".restore-") as work:
            source = _with_page_size(backup_file, _page_size(live), Path(work))
            with closing(_connect(source, readonly=True)) as src, closing(_connect(live)) as dst:
                src.backup(dst)  # one step, one transaction: on failure the file is as it was
    except sqlite3.Error as exc:
        kept = f"；原有数据另存在 {aside}" if aside else ""
        raise OpsError(f"恢复失败（{exc}），数据库未改变{kept}") from exc
    return versions


def _page_size(path: Path) -> int | None:
    if not holds_data(path):
        return None
    with closing(_connect(path, readonly=True)) as conn:
        return conn.execute("PRAGMA page_size").fetchone()[0]


def _with_page_size(backup_file: Path, size: int | None, work: Path) -> Path:
    """The backup, or a copy of it with the live file's page size: the backup API cannot
    change the page size of a database in WAL mode ("attempt to write a readonly database")."""
    with closing(_connect(backup_file, readonly=True)) as conn:
        if size is None or conn.execute("PRAGMA page_size").fetchone()[0] == size:
            return backup_file
    copy_ = work / "resized.sqlite"
    shutil.copyfile(backup_file, copy_)
    with closing(sqlite3.connect(copy_)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA page_size={int(size)}")
        conn.execute("VACUUM")
    return copy_


def holds_data(path: Path) -> bool:
    """Whether restoring over ``path`` would replace something."""
    return path.is_file() and path.stat().st_size > 0
