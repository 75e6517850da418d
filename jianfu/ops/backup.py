"""`jianfu backup` / `jianfu restore`: one door for both databases.

Rules: a backup never overwrites a file unless asked (``force``); a restore
never replaces a database holding data unless asked, and then keeps what it
replaces in ``<data dir>/backups/`` first; a backup is checked (a workbook
database, not written by a newer program) before anything is touched; after a
restore the schema is brought up to this program's version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..paths import data_dir
from . import postgres, sqlite
from .target import OpsError, Target, target
from .versions import PartVersion

BACKUP_FOLDER = "backups"


@dataclass(frozen=True)
class Done:
    file: Path
    versions: list[PartVersion]
    aside: Path | None = None  # where the replaced database was kept (restore)


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def default_out(db: Target, label: str = "jianfu") -> Path:
    """``<data dir>/backups/jianfu-YYYYmmdd-HHMMSS.sqlite`` (``.dump`` for PostgreSQL)."""
    suffix = ".sqlite" if db.is_sqlite else ".dump"
    return data_dir() / BACKUP_FOLDER / f"{label}-{_stamp()}{suffix}"


def backup(url: str, out: Path | None = None, force: bool = False) -> Done:
    db = target(url)
    out = Path(out) if out else default_out(db)
    if out.exists() and not force:
        raise OpsError(f"文件已存在：{out}；如要覆盖，请加 --force")
    if out.is_dir():
        raise OpsError(f"{out} 是文件夹，请给出备份文件名")
    out.parent.mkdir(parents=True, exist_ok=True)
    if db.is_sqlite:
        return Done(out, sqlite.backup(db.sqlite_path, out))
    postgres.dump(db, out)
    return Done(out, postgres.check_dump(out))


def restore(url: str, backup_file: Path, force: bool = False) -> Done:
    db, backup_file = target(url), Path(backup_file)
    if db.is_sqlite:
        return _restore_sqlite(db, backup_file, force)
    if _looks_like_sqlite(backup_file):
        raise OpsError(f"备份文件是 SQLite 数据库，当前数据库是 PostgreSQL（{db.shown}）")
    postgres.check_dump(backup_file)
    aside = None
    if _pg_holds_workbook(db):
        if not force:
            raise OpsError(_refusal(db.shown))
        aside = default_out(db, "before-restore")
        aside.parent.mkdir(parents=True, exist_ok=True)
        postgres.dump(db, aside)
    versions = postgres.restore(db, backup_file)
    upgrade(url)
    return Done(backup_file, versions, aside)


def _restore_sqlite(db: Target, backup_file: Path, force: bool) -> Done:
    if backup_file.is_file() and not _looks_like_sqlite(backup_file):
        raise OpsError(f"备份文件不是 SQLite 数据库文件：{backup_file}（当前数据库是 SQLite）")
    live = db.sqlite_path
    if live.resolve() == backup_file.resolve():
        raise OpsError("备份文件就是当前数据库文件，不能用它恢复自己")
    sqlite.check_file(backup_file, "备份文件")
    aside = None
    if sqlite.holds_data(live):
        if not force:
            raise OpsError(_refusal(str(live)))
        aside = live.with_name(f"{live.name}.before-restore-{_stamp()}")
    versions = sqlite.restore(backup_file, live, aside)
    upgrade(db.url)
    return Done(backup_file, versions, aside)


def _refusal(where: str) -> str:
    return (
        f"当前数据库已有数据：{where}。恢复会用备份替换全部数据；"
        "确要恢复，请加 --force（替换前会先把现有数据另存一份）"
    )


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(sqlite.MAGIC)) == sqlite.MAGIC
    except OSError:
        return False


def _pg_holds_workbook(db: Target) -> bool:
    from sqlalchemy import inspect

    from ..db import make_engine

    engine = make_engine(db.url)
    try:
        return "meta" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def upgrade(url: str) -> None:
    """Open the data part and every other part the database holds: each runs its own
    migrations. A part not used yet stays uncreated (it is created on first use)."""
    from sqlalchemy import inspect

    from ..assess.store import AssessStore
    from ..clues.store import ClueStore
    from ..collect.rounds import Collect
    from ..registers.store import RegisterStore
    from ..store import Store

    store = Store(url)
    try:
        held = set(inspect(store.engine).get_table_names())
        openers = {"assess_meta": AssessStore, "clue_meta": ClueStore,
                   "register_meta": RegisterStore}  # fmt: skip
        for table, part in openers.items():
            if table in held:
                part(url).engine.dispose()
        if "collect_meta" in held:
            Collect(store)  # on the data part's engine
    finally:
        store.engine.dispose()
