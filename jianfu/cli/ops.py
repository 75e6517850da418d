"""`jianfu backup|restore|upgrade|health`: operating an installation (jianfu.ops)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..paths import default_db_url


def add_commands(command) -> None:
    """``command(name, help, handler)`` adds a subcommand with --db and --data-dir."""
    p = command(
        "backup", "备份数据库（SQLite 在服务运行时也可备份；PostgreSQL 用 pg_dump）", _backup
    )
    p.add_argument(
        "--out", help="备份文件（默认：数据目录下 backups/jianfu-年月日-时分秒.sqlite 或 .dump）"
    )
    p.add_argument("--force", action="store_true", help="备份文件已存在时覆盖")

    p = command("restore", "用备份文件恢复数据库（先检查备份，替换前把现有数据另存一份）", _restore)
    p.add_argument("file", help="jianfu backup 写出的备份文件")
    p.add_argument(
        "--force", action="store_true", help="当前数据库已有数据时也恢复（会替换全部数据）"
    )

    command("upgrade", "把数据库升级到本程序的版本（升级工作簿后运行；先备份）", _upgrade)

    p = command("health", "检查数据库能否打开、版本是否当前；退出码0为正常，1为异常", _health)
    p.add_argument(
        "--url",
        action="append",
        help="同时检查一个运行中的服务（返回200为正常），如自评服务 http://127.0.0.1:8870/healthz、"
        "各应用 http://127.0.0.1:8866/jianfu/healthz；可多次指定",
    )


def _versions_text(versions) -> str:
    return "；".join(v.line() for v in versions)


def _backup(args) -> int:
    from ..ops.backup import backup

    done = backup(default_db_url(), Path(args.out) if args.out else None, force=args.force)
    size = done.file.stat().st_size
    print(f"已备份到 {done.file}（{size:,} 字节）。{_versions_text(done.versions)}")
    return 0


def _restore(args) -> int:
    from ..ops.backup import restore

    done = restore(default_db_url(), Path(args.file), force=args.force)
    if done.aside:
        print(f"原有数据已另存为 {done.aside}")
    print(f"已从 {done.file} 恢复，并已升级到本程序的版本。备份中：{_versions_text(done.versions)}")
    return 0


def _upgrade(args) -> int:
    from ..ops.backup import upgrade
    from ..ops.health import check_database

    upgrade(default_db_url())
    report = check_database(default_db_url())
    print("\n".join(report.lines))
    return 0 if report.ok else 1


def _health(args) -> int:
    from ..ops.health import check_database, check_url

    report = check_database(default_db_url())
    for address in args.url or ():
        check_url(address, report)
    print("\n".join(report.lines))
    print("正常" if report.ok else "异常", file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
