"""PostgreSQL backups with pg_dump/pg_restore (custom format), the server's own tools.

A dump is checked before it is restored: ``pg_restore --list`` must read it and
it must hold the workbook's version table, whose rows say which program wrote
it. The restore runs in one transaction (``psql --single-transaction`` on the
script pg_restore writes): it lands whole or not at all. It first drops the
workbook's tables the dump does not hold (a part first used after the backup):
they would keep data the backup never had, and their foreign keys would stop
``--clean`` from dropping the tables they point at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .target import OpsError, Target
from .versions import (
    VERSION_KEY,
    PartVersion,
    check_restorable,
    is_workbook,
    read_versions,
    workbook_tables,
)

TIMEOUT = 3600
_COPY = re.compile(r"^COPY (?:[\w\"]+\.)?\"?(\w+)\"? \(")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpsError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）"
        )
    return found


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode:
        raise OpsError(f"{what}失败：{_reason(done.stderr or done.stdout) or done.returncode}")
    return done.stdout


def _reason(output: str) -> str:
    """The tool's error line (not the ``Command was:`` line that follows it)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR:" in line or "error:" in line]
    found = (errors or lines or [""])[0]
    return re.sub(r"^psql:[^:]*:\d+:\s*", "", found)


def dump(db: Target, out: Path) -> None:
    """pg_dump into ``out`` (written under a temporary name, renamed when complete)."""
    dsn, env = db.libpq()
    partial = out.with_name(f".{out.name}.partial")
    args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
            f"--file={partial}", f"--dbname={dsn}"]  # fmt: skip
    if db.pg_schema():
        args.append(f"--schema={db.pg_schema()}")
    try:
        _run(args, env, "pg_dump 备份")
        check_dump(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def check_dump(path: Path) -> list[PartVersion]:
    """Refuse a file that is not a pg_dump archive of a workbook database."""
    return _read_dump(path)[1]


def _read_dump(path: Path) -> tuple[set[str], list[PartVersion]]:
    """(the dump's tables, its parts' versions); OpsError for what is no workbook dump."""
    if not path.is_file():
        raise OpsError(f"备份文件不存在：{path}")
    env = dict(os.environ)
    try:
        listing = _run([_tool("pg_restore"), "--list", str(path)], env, "读取备份文件")
    except OpsError as exc:
        raise OpsError(f"备份文件不是 pg_dump 的备份（custom 格式）：{path}") from exc
    tables = {m.group(1) for m in re.finditer(r" TABLE DATA \S+ (\w+) ", listing)}
    data = _run([_tool("pg_restore"), "--data-only", *(f"--table={t}" for t in tables
                 if t.endswith("meta")), "--file=-", str(path)], env, "读取备份文件")  # fmt: skip
    rows = _version_rows(data)
    versions = read_versions(tables, lambda sql: rows.get(sql.split(" FROM ")[1].split()[0]))
    if not is_workbook(tables, versions):
        raise OpsError(f"备份文件不是工作簿数据库的备份（没有版本记录）：{path}")
    return tables, versions


def _version_rows(text: str) -> dict[str, str]:
    """table -> its schema_version value, from pg_restore's COPY blocks."""
    found, table = {}, None
    for line in text.splitlines():
        head = _COPY.match(line)
        if head:
            table = head.group(1)
        elif line == "\\.":
            table = None
        elif table and line.startswith(VERSION_KEY + "\t"):
            found[table] = line.split("\t", 1)[1]
    return found


def restore(db: Target, backup_file: Path) -> list[PartVersion]:
    """Replace the workbook's tables with the dump's, in one transaction."""
    tables, versions = _read_dump(backup_file)
    check_restorable(versions, "备份文件")
    dsn, env = db.libpq()
    absent = sorted(workbook_tables() - tables)
    with tempfile.TemporaryDirectory(prefix="jianfu-restore-") as folder:
        script = Path(folder) / "restore.sql"  # the folder is the user's alone (0700)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              f"--file={script}", str(backup_file)], env, "读取备份文件")  # fmt: skip
        args = [_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
                "--set=ON_ERROR_STOP=1", f"--dbname={dsn}"]  # fmt: skip
        if absent:
            args.append(f"--command=DROP TABLE IF EXISTS {', '.join(absent)} CASCADE")
        _run([*args, f"--file={script}"], env, "pg_restore 恢复")
    return versions
