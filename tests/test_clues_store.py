"""问题线索 core: 查询码, supervisors, triage, merge, counts, privacy, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Date, DateTime, Time, inspect, select

from jianfu.clues import codes, counts, schema
from jianfu.clues.model import (
    CATEGORIES,
    CLOSED,
    MAX_WHAT,
    PARTLY,
    PENDING,
    RECTIFIED,
    REFERRED,
    TRUE,
    UNTRUE,
    ClueError,
)
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from

DAY = date(2026, 11, 3)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def clue_store(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'clues.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = ClueStore(url)
    yield store
    store.engine.dispose()


def report(**fields):
    form = {
        "category": "督检考",
        "imposed_by": "某县督查室",
        "what": "一个月内要求报送三次同一张表",
    }
    return report_from({**form, **fields})


def test_a_report_is_read_back_by_its_code_only(clue_store):
    code = clue_store.submit(report(), today=DAY)
    shown = clue_store.status(code)
    assert (shown.status, shown.reply, shown.received_on) == (PENDING, "", DAY)
    typed = code.lower().replace("-", " ")  # as a person types it back
    assert clue_store.status(typed) == shown
    assert clue_store.clues()[0].what == "一个月内要求报送三次同一张表"


@pytest.mark.parametrize("wrong", ["", "abc", "ABCD-EFGH-JKMN", "' OR 1=1 --", "Ｋ" * 12, None])
def test_wrong_codes_give_nothing_away(clue_store, wrong):
    clue_store.submit(report(), today=DAY)
    assert clue_store.status(wrong) is None


def test_codes_are_random_and_only_their_digest_is_stored(clue_store):
    made = {clue_store.submit(report(), today=DAY) for _ in range(20)}
    assert len(made) == 20
    with clue_store.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(select(schema.clues)) for v in row)
    for code in made:
        assert codes.normalise(code) not in stored.upper() and code not in stored


def test_privacy_no_column_holds_a_time_an_address_or_a_code(clue_store):
    """Every column of every clue table: dates only, no address, no code in clear."""
    number, sup_code = clue_store.issue_supervisor(today=DAY)
    code = clue_store.submit(report(contact_ok="1", contact="微信 abc"), sup_code, today=DAY)
    clue_store.change_status(1, TRUE, "已电话核实", today=DAY)
    inspector = inspect(clue_store.engine)
    tables = [t for t in inspector.get_table_names() if t.startswith("clue")]
    assert sorted(tables) == ["clue_events", "clue_meta", "clue_supervisors", "clues"]
    with clue_store.engine.connect() as conn:
        for table in tables:
            for column in inspector.get_columns(table):
                name = column["name"].lower()
                assert not isinstance(column["type"], DateTime | Time), (table, name)
                assert not any(w in name for w in ("ip", "addr", "host", "agent", "name", "time"))
            values = [
                v for row in conn.execute(schema.metadata.tables[table].select()) for v in row
            ]
            for value in values:
                assert not isinstance(value, date) or type(value) is date
                text = str(value)
                assert "127.0.0.1" not in text and sup_code not in text and code not in text
                assert codes.normalise(sup_code) not in text and codes.normalise(code) not in text


def test_contact_is_kept_only_when_the_reporter_chooses():
    assert report(contact="13800000000").contact == ""
    assert report(contact="13800000000", contact_ok="1").contact == "13800000000"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"category": "不存在"}, "请选择问题类别"),
        ({"what": "太多"}, "请写明发生了什么"),
        ({"hours": "很多"}, "请填写小时数"),
        ({"hours": "-1"}, "0 到"),
        ({"hours": "nan"}, "0 到"),
    ],
)
def test_bad_reports_are_refused_in_chinese(fields, message):
    with pytest.raises(ClueError, match=message):
        report(**fields)


def test_text_is_cleaned_and_capped():
    got = report(
        what="甲\x00乙\u202e丙\n\n\n" + "字" * (MAX_WHAT + 50), imposed_by="某\t县" + "局" * 99
    )
    assert "\x00" not in got.what and "\n\n" not in got.what and len(got.what) == MAX_WHAT
    assert got.imposed_by.startswith("某 县") and len(got.imposed_by) == 60


def test_supervisor_reports_are_marked_by_number_and_a_bad_code_is_quietly_ordinary(clue_store):
    number, code = clue_store.issue_supervisor(today=DAY)
    clue_store.submit(report(), code, today=DAY)
    clue_store.submit(report(), "AAAA-BBBB-CCCC", today=DAY)
    assert sorted(c.supervisor or 0 for c in clue_store.clues()) == [0, number]
    assert [c.supervisor for c in clue_store.clues(supervisor=number)] == [number]
    clue_store.withdraw_supervisor(number)
    clue_store.submit(report(), code, today=DAY)
    assert len(clue_store.clues(supervisor=number)) == 1


def test_triage_runs_to_the_end_with_notes_and_dates(clue_store):
    code = clue_store.submit(report(), today=DAY)
    steps = [
        (TRUE, "电话核实", "", date(2026, 11, 5)),
        (REFERRED, "转县委办", "县委办公室", date(2026, 11, 6)),
        (RECTIFIED, "已取消重复报表", "", date(2026, 11, 20)),
        (CLOSED, "回访满意", "", date(2026, 11, 25)),
    ]
    for after, note, to, day in steps:
        clue_store.change_status(1, after, note, to, today=day)
    clue = clue_store.clue(1)
    assert (clue.status, clue.finding, clue.referred_to) == (CLOSED, TRUE, "县委办公室")
    assert clue.verified
    got = [(e.before, e.after, e.note, e.day) for e in clue_store.events(1)]
    assert got == [
        (PENDING, TRUE, "电话核实", date(2026, 11, 5)),
        (TRUE, REFERRED, "转县委办", date(2026, 11, 6)),
        (REFERRED, RECTIFIED, "已取消重复报表", date(2026, 11, 20)),
        (RECTIFIED, CLOSED, "回访满意", date(2026, 11, 25)),
    ]
    assert clue_store.status(code).status == CLOSED


@pytest.mark.parametrize(
    "path, after, note, to, message",
    [
        ([], CLOSED, "直接办结", "", "不能改为"),
        ([], REFERRED, "转办", "县委办", "不能改为"),
        ([], TRUE, "", "", "请填写处理说明"),
        ([TRUE], REFERRED, "转办", "", "转给哪个单位"),
        ([UNTRUE], REFERRED, "转办", "县委办", "不能改为"),
        ([UNTRUE, CLOSED], PENDING, "重开", "", "已办结"),
    ],
)
def test_steps_outside_the_flow_are_refused(clue_store, path, after, note, to, message):
    clue_store.submit(report(), today=DAY)
    for step in path:
        clue_store.change_status(1, step, "说明", today=DAY)
    with pytest.raises(ClueError, match=message):
        clue_store.change_status(1, after, note, to, today=DAY)
    assert len(clue_store.events(1)) == len(path)  # nothing half-written


def test_a_verification_may_be_corrected_and_the_finding_follows(clue_store):
    clue_store.submit(report(), today=DAY)
    clue_store.change_status(1, TRUE, "初核", today=DAY)
    clue_store.change_status(1, PENDING, "证据不足，重新核实", today=DAY)
    assert clue_store.clue(1).finding == ""
    clue_store.change_status(1, PARTLY, "复核", today=DAY)
    assert clue_store.clue(1).finding == PARTLY


def test_the_reply_reaches_the_reporter_and_internal_notes_do_not(clue_store):
    code = clue_store.submit(report(), today=DAY)
    clue_store.change_status(1, TRUE, "内部：已约谈某某", today=DAY)
    clue_store.set_reply(1, "已核实，正在整改，感谢反映。", today=date(2026, 11, 9))
    shown = clue_store.status(code)
    assert (shown.status, shown.reply, shown.replied_on) == (
        TRUE,
        "已核实，正在整改，感谢反映。",
        date(2026, 11, 9),
    )
    assert "约谈" not in repr(shown)


def test_merge_files_a_duplicate_under_the_first_and_its_reporter_follows(clue_store):
    first = clue_store.submit(report(), today=DAY)
    second = clue_store.submit(report(what="同一张表又要报一次"), today=DAY)
    third = clue_store.submit(report(what="同一张表第三次"), today=DAY)
    clue_store.merge(3, 2, "同一事项")
    clue_store.merge(2, 1, "同一事项")
    assert [c.id for c in clue_store.clues()] == [1]
    assert {c.merged_into for c in clue_store.clues(merged=True) if c.id != 1} == {1}
    clue_store.change_status(1, TRUE, "核实", today=DAY)
    clue_store.set_reply(1, "已处理", today=DAY)
    for code in (first, second, third):
        assert (clue_store.status(code).status, clue_store.status(code).reply) == (TRUE, "已处理")
    with pytest.raises(ClueError, match="已合并到线索 1"):
        clue_store.change_status(2, TRUE, "核实", today=DAY)
    with pytest.raises(ClueError, match="合并到它自己"):
        clue_store.merge(1, 1)
    with pytest.raises(ClueError, match="请合并到后者"):
        clue_store.merge(1, 2)


def test_counts_by_category_unit_and_month(clue_store):
    for category, unit, day in [
        ("督检考", "县督查室", date(2026, 10, 3)),
        ("督检考", "县督查室", date(2026, 11, 3)),
        ("文件", "", date(2026, 11, 4)),
        ("督检考", "市统计局", date(2026, 11, 5)),
    ]:
        clue_store.submit(report(category=category, imposed_by=unit), today=day)
    clue_store.change_status(1, TRUE, "核实", today=DAY)
    clue_store.change_status(2, UNTRUE, "核实", today=DAY)
    clue_store.change_status(3, PARTLY, "核实", today=DAY)
    clue_store.merge(4, 1)
    clues = clue_store.clues(merged=True)
    assert counts.by_category(clues) == {
        "督检考": counts.Tally(2, 1),
        "文件": counts.Tally(1, 1),
    }
    assert counts.by_unit(clues) == {
        "县督查室": counts.Tally(2, 1),
        counts.UNSTATED: counts.Tally(1, 1),
    }
    assert counts.by_month(clues) == {
        "2026年10月": counts.Tally(1, 1),
        "2026年11月": counts.Tally(2, 1),
    }


def test_filters(clue_store):
    clue_store.submit(report(category="文件", imposed_by="市100%局"), today=date(2026, 9, 1))
    clue_store.submit(report(), today=DAY)
    assert [c.category for c in clue_store.clues(category="文件")] == ["文件"]
    assert len(clue_store.clues(imposed_by="100%")) == 1
    assert len(clue_store.clues(imposed_by="%")) == 1
    assert len(clue_store.clues(since=date(2026, 10, 1))) == 1
    assert len(clue_store.clues(until=date(2026, 10, 1))) == 1
    assert len(clue_store.clues(status=PENDING)) == 2


def test_a_newer_clue_database_is_refused(clue_store):
    with clue_store.engine.begin() as conn:
        conn.execute(schema.meta.update().values(value="99"))
    with pytest.raises(ClueError, match="请升级工作簿"):
        ClueStore(clue_store.url)


def test_categories_are_the_catalog_burden_areas_and_more():
    assert CATEGORIES[:3] == ("文件", "会议", "督检考") and "属地/权责" in CATEGORIES
    assert "成效" not in CATEGORIES


def test_dates_are_date_columns():
    for table in schema.metadata.tables.values():
        for column in table.columns:
            if "on" in column.name.split("_") or column.name == "day":
                assert isinstance(column.type, Date)


def test_a_workbook_database_gains_the_clue_tables_once(tmp_path, catalog):
    from jianfu.store import Store

    url = f"sqlite:///{tmp_path / 'workbook.sqlite'}"
    Store(url, catalog=catalog).engine.dispose()
    first = ClueStore(url)
    first.submit(report(), today=DAY)
    again = ClueStore(url)  # reopening keeps what is there
    assert len(again.clues()) == 1
    with again.engine.connect() as conn:
        assert conn.execute(select(schema.meta.c.value)).scalars().all() == ["1"]
    first.engine.dispose()
    again.engine.dispose()


def test_the_form_offers_the_workbook_units_without_loading_pandas(tmp_path, catalog):
    import os
    import subprocess
    import sys

    from jianfu.clues.store import UNITS_TABLE
    from jianfu.store import Store
    from jianfu.store.schema import units

    assert UNITS_TABLE == units.name
    url = f"sqlite:///{tmp_path / 'workbook.sqlite'}"
    store = Store(url, catalog=catalog)
    store.add_unit("某县统计局")
    store.engine.dispose()
    # the public server's process: the report page reads the unit list
    script = (
        "import sys; from jianfu.server.report import State;"
        "print(State().units(), 'pandas' in sys.modules)"
    )
    env = {**os.environ, "JIANFU_DB_URL": url}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.stdout.split() == ["['某县统计局']", "False"], done.stderr
