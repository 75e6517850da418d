"""`jianfu backup` then `jianfu restore` on a PostgreSQL database the way an installation
has it: its own database, tables in the default ``public`` schema (no search_path in
the URL). Every part (数据, 自评, 问题线索, 填报任务, 台账) is changed between the
backup and the restore; afterwards every table holds exactly what the backup held."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from jianfu.assess.store import AssessStore
from jianfu.cli import main
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from jianfu.collect.demo import TOWNS, build_demo_rounds
from jianfu.collect.rounds import Collect
from jianfu.registers.sample import build_sample_registers
from jianfu.registers.store import RegisterStore
from jianfu.store import Store
from jianfu.store.demo import build_demo

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ALL_PARTS = ("数据", "自评", "问题线索", "填报任务", "台账")
DATA_AND_ASSESS = ("数据", "自评")  # the others are first used after the backup
DOCUMENT = {"日期": "2024-05-06", "标题": "备份后登记的通知", "文种": "通知", "字数": 1200}


@pytest.fixture
def pg_db(pg_server, pg_admin, data_dir, monkeypatch):
    from tests.support.pg_server import fresh_database

    with fresh_database(pg_server, pg_admin, "restore") as url:
        assert "search_path" not in url
        monkeypatch.setenv("JIANFU_DB_URL", url)
        yield url


def use(url: str, parts: tuple[str, ...], run: str) -> None:
    """Write something into each named part (its first use creates its tables)."""
    store = Store(url)
    try:
        if run == "before":
            build_demo(store)
        else:
            store.add_unit("备份后新建的单位")
        if "填报任务" in parts:
            if run == "before":
                build_demo_rounds(store)
            else:
                Collect(store).save_sites("备份后的监测点", TOWNS)
        if "台账" in parts:
            _registers(url, run)
        if "自评" in parts:
            _assess(url, run)
        if "问题线索" in parts:
            _clue(url, run)
    finally:
        store.engine.dispose()


def _registers(url: str, run: str) -> None:
    registers = RegisterStore(url)
    try:
        if run == "before":
            build_sample_registers(registers)
        else:
            for row in registers.rows()[:1]:
                registers.delete(row.id)
            registers.add("发文", TOWNS[0], {**DOCUMENT, "标题": f"{run}登记的通知"})
    finally:
        registers.engine.dispose()


def _assess(url: str, run: str) -> None:
    assess = AssessStore(url)
    try:
        if run == "before":
            assess.create_session("drill", "恢复演练")
        assess.save("drill", 1, f"participant-{run}", {"q01": 4, "q02": 2}, submit=True)
        if run == "after":
            assess.set_open("drill", False)
    finally:
        assess.engine.dispose()


def _clue(url: str, run: str) -> None:
    clues = ClueStore(url)
    try:
        clues.submit(report_from({"category": "督检考", "imposed_by": f"某县督查室（{run}）",
                                  "what": "一个月内要求报送三次同一张表"}))  # fmt: skip
    finally:
        clues.engine.dispose()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every table of the database and its rows, in a fixed order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names(schema="public")
            return {
                t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM public."{t}"'))), key=repr)
                for t in tables
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("at_backup", [ALL_PARTS, DATA_AND_ASSESS], ids=["all", "two"])
def test_restore_into_the_public_schema_gives_back_the_backup(pg_db, tmp_path, capsys, at_backup):
    use(pg_db, at_backup, "before")
    backed_up = snapshot(pg_db)
    assert all(backed_up[t] for t in ("meta", "units", "assess_submissions"))
    out = tmp_path / "drill.dump"
    assert main(["backup", "--out", str(out)]) == 0
    use(pg_db, ALL_PARTS, "after")
    changed = snapshot(pg_db)
    assert all(changed[t] != backed_up.get(t) for t in ("units", "assess_submissions",
               "clues", "collect_sites", "register_rows"))  # fmt: skip
    capsys.readouterr()
    assert main(["restore", str(out), "--force"]) == 0, capsys.readouterr().err
    restored = snapshot(pg_db)
    assert {t: restored[t] for t in backed_up} == backed_up
    # a part the backup did not have holds nothing written after the backup
    assert {t: rows for t, rows in restored.items() if t not in backed_up and rows} == {}
    assert main(["health"]) == 0
    # new rows after the restore: the restored sequences are past the restored ids
    use(pg_db, ALL_PARTS, "again")


def test_a_restore_that_fails_midway_changes_nothing(pg_db, tmp_path, capsys):
    """One transaction: the drops of tables the backup lacks are undone with the rest."""
    use(pg_db, DATA_AND_ASSESS, "before")
    out = tmp_path / "drill.dump"
    assert main(["backup", "--out", str(out)]) == 0
    use(pg_db, ALL_PARTS, "after")
    engine = create_engine(pg_db)
    with engine.begin() as conn:  # someone's own table pointing at the workbook's units
        conn.execute(text("CREATE TABLE local_notes (unit_id integer REFERENCES units (id))"))
    engine.dispose()
    before = snapshot(pg_db)
    capsys.readouterr()
    assert main(["restore", str(out), "--force"]) == 2
    said = capsys.readouterr().err
    assert "pg_restore 恢复失败" in said and "units" in said and "Command was" not in said
    assert snapshot(pg_db) == before
