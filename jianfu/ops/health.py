"""`jianfu health` and the servers' ``/healthz``: can the database be opened,
and is its schema the one this program writes? Optionally: does a server answer?

Read-only: a missing SQLite file is reported, never created; nothing is migrated.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field

from .target import Target
from .versions import PartVersion, is_workbook, read_versions

URL_TIMEOUT = 10


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def fail(self, line: str) -> None:
        self.ok = False
        self.lines.append(line)


def check_database(url: str, report: Report | None = None) -> Report:
    report = report or Report()
    db = Target(url)
    report.lines.append(f"数据库：{db.shown}")
    if db.is_sqlite and not db.sqlite_path.is_file():
        report.fail(f"数据库文件不存在：{db.sqlite_path}（运行 jianfu demo 或启动服务时创建）")
        return report
    try:
        tables, versions = _read(url)
    except Exception as exc:  # any driver's failure to connect or read
        report.fail(f"数据库无法打开：{_first_line(exc)}")
        return report
    if not is_workbook(tables, versions):
        report.fail("数据库中没有工作簿的数据表（不是工作簿数据库，或尚未初始化）")
        return report
    for version in versions:
        if version.too_new or version.behind:
            report.fail(version.line())
        else:
            report.lines.append(version.line())
    return report


def _read(url: str) -> tuple[set[str], list[PartVersion]]:
    from sqlalchemy import create_engine, inspect, text

    from ..db import make_engine

    # A plain engine for SQLite: make_engine would switch the file to WAL (a write).
    engine = create_engine(url) if url.startswith("sqlite") else make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            return tables, read_versions(tables, lambda sql: conn.execute(text(sql)).scalar())
    finally:
        engine.dispose()


def check_url(address: str, report: Report | None = None) -> Report:
    """GET ``address``: healthy when it answers 200."""
    report = report or Report()
    try:
        with urllib.request.urlopen(address, timeout=URL_TIMEOUT) as answer:
            report.lines.append(f"服务正常：{address}（{answer.status}）")
    except urllib.error.HTTPError as exc:
        report.fail(f"服务异常：{address} 返回 {exc.code}")
    except OSError as exc:
        report.fail(f"服务无法访问：{address}（{_first_line(getattr(exc, 'reason', exc))}）")
    return report


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
