"""Store round trips on SQLite, atomic writes, units/periods, custom indicators, schema version."""

import pandas as pd
import pytest
from sqlalchemy import text

from jianfu.errors import JianfuError, ValidationError
from jianfu.store import SCHEMA_VERSION, Store
from jianfu.text.periods import period_sort_key


def rows(*items):
    return pd.DataFrame(items, columns=["unit", "period", "indicator", "value"])


def test_round_trip_and_counts(store):
    first = store.save_observations(
        rows(("甲镇", "2023年", "doc_count", 46), ("甲镇", "2024年", "doc_count", 31))
    )
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    assert first.new_units == ("甲镇",) and first.new_periods == ("2023年", "2024年")
    again = store.save_observations(
        rows(("甲镇", "2023年", "doc_count", 46), ("甲镇", "2024年", "doc_count", 30))
    )
    assert (again.added, again.changed, again.unchanged) == (0, 1, 1)
    obs = store.observations()
    assert obs[["unit", "period", "indicator", "value"]].values.tolist() == [
        ["甲镇", "2023年", "doc_count", 46.0],
        ["甲镇", "2024年", "doc_count", 30.0],
    ]
    assert obs["updated_at"].notna().all()


def test_values_survive_reopening(tmp_path, catalog):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url, catalog=catalog).save_observations(rows(("乙镇", "改革前", "report_forms", 16)))
    reopened = Store(url, catalog=catalog)
    assert reopened.observations()["value"].tolist() == [16.0]
    assert reopened.schema_version() == SCHEMA_VERSION


def test_sqlite_uses_wal_and_busy_timeout(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_a_writer_locked_out_longer_than_the_busy_timeout_asks_again(tmp_path, monkeypatch):
    """SQLite's busy handler is not fair: a writer that keeps losing gets another
    attempt instead of "database is locked" (and the participant's answer kept)."""
    import threading

    from jianfu import db

    monkeypatch.setattr(db, "BUSY_SECONDS", 0.3)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'locked.sqlite'}")
    with db.writing(engine) as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock():  # another writer, for longer than one attempt waits
        with db.writing(engine) as other:
            other.execute(text("INSERT INTO t VALUES (1)"))
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(5)
    threading.Timer(0.5, release.set).start()  # beyond the first attempt's 0.3 s
    with db.writing(engine) as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
    holder.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    engine.dispose()


def test_a_bad_row_writes_nothing(store):
    store.save_observations(rows(("甲镇", "2023年", "doc_count", 46)))
    before = store.observations()
    bad = rows(("甲镇", "2023年", "doc_count", 50), ("丙镇", "2024年", "meeting_count", -1))
    with pytest.raises(ValidationError) as err:
        store.save_observations(bad)
    assert "第2行" in str(err.value) and "数值不能为负数（填写的是“-1”）" in str(err.value)
    pd.testing.assert_frame_equal(store.observations(), before)
    assert store.unit_names() == ["甲镇"]


@pytest.mark.parametrize(
    "indicator, value, message",
    [
        ("no_such", 1, "未知指标“no_such”"),
        ("frontline_police_share", 50, "由分子分母计算"),
        ("satisfaction_rate", 101, "应在0到100之间"),
    ],
)
def test_store_rejects(store, indicator, value, message):
    with pytest.raises(ValidationError, match=message):
        store.save_observations(rows(("甲镇", "2024年", indicator, value)))
    assert store.is_empty()


def test_failure_inside_the_transaction_rolls_back(store, monkeypatch):
    store.save_observations(rows(("甲镇", "2023年", "doc_count", 46)))
    import jianfu.store.observations as module

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "diff", explode)
    with pytest.raises(RuntimeError):
        store.save_observations(rows(("新镇", "2030年", "doc_count", 1)))
    assert store.unit_names() == ["甲镇"]
    assert "2030年" not in store.periods()


def test_units_with_parent_and_level(store):
    store.add_unit("示例县", "县")
    store.add_unit("  示例镇 ", "乡镇", parent="示例县")
    units = store.units()
    assert units.to_dict("records") == [
        {"name": "示例县", "level": "县", "parent": "", "scope": ""},
        {"name": "示例镇", "level": "乡镇", "parent": "示例县", "scope": ""},
    ]


@pytest.mark.parametrize(
    "name, level, parent, message",
    [
        ("", "县", None, "单位名称不能为空"),
        ("甲", "国家", None, "单位层级“国家”无效"),
        ("甲", "县", "没有的县", "上级单位“没有的县”不存在"),
        ("甲" * 61, "县", None, "单位名称过长"),
    ],
)
def test_bad_units(store, name, level, parent, message):
    with pytest.raises(JianfuError, match=message):
        store.add_unit(name, level, parent)


def test_periods_sort_by_year_then_insertion(store):
    for label in ["改革前", "2024年", "改革后", "2019年", "2024年上半年"]:
        store.add_period(label)
    assert store.periods() == ["2019年", "2024年上半年", "2024年", "改革前", "改革后"]
    store.set_period_order(["改革后", "改革前"])
    assert store.periods()[:2] == ["改革后", "改革前"]


def test_bare_year_becomes_a_year_label(store):
    assert store.add_period(" ２０２５ ") == "2025年"
    assert store.periods() == ["2025年"]


@pytest.mark.parametrize(
    "label, key", [("2023年", 20235), ("2024年上半年", 20242), ("改革前", None)]
)
def test_period_sort_key(label, key):
    assert period_sort_key(label) == key


def test_custom_indicator_joins_the_catalog(store):
    ind = store.add_custom_indicator(
        {
            "name": "村级挂牌数",
            "category": "成效",
            "measure": "块",
            "direction": "越少越好",
            "kind": "count",
        }
    )
    assert ind.code == "custom_1" and ind.custom
    assert store.catalog()["custom_1"].name == "村级挂牌数"
    store.save_observations(rows(("甲村", "2024年", "custom_1", 12)))
    assert store.observations()["indicator"].tolist() == ["custom_1"]


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"name": "发文数量"}, "指标名称“发文数量”已存在"),
        ({"name": "x", "kind": "ratio"}, "必须填写字段“分子”"),
        ({"name": "", "measure": "块"}, "字段“指标名称”（name）不能为空"),
        ({"name": "y", "direction": "越低越好"}, "direction"),
    ],
)
def test_bad_custom_indicator(store, entry, message):
    base = {"category": "成效", "measure": "块", "direction": "越少越好", "kind": "count"}
    with pytest.raises(JianfuError, match=message):
        store.add_custom_indicator({**base, **entry})


def test_delete_observations(store):
    store.save_observations(
        rows(("甲镇", "2024年", "doc_count", 1), ("甲镇", "2024年", "work_groups", 2))
    )
    assert store.delete_observations("甲镇", "2024年", ["doc_count"]) == 1
    assert store.observations()["indicator"].tolist() == ["work_groups"]


def test_newer_database_is_refused(tmp_path, catalog):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store(url, catalog=catalog)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value='99' WHERE key='schema_version'"))
    with pytest.raises(JianfuError, match="请升级工作簿"):
        Store(url, catalog=catalog)


def test_older_database_is_migrated_to_the_current_version(tmp_path, catalog, monkeypatch):
    import jianfu.store.migrate as module

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url, catalog=catalog).save_observations(rows(("甲镇", "2023年", "doc_count", 46)))
    monkeypatch.setattr(module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(
        module.MIGRATIONS, SCHEMA_VERSION + 1, ["CREATE TABLE added_later (x INTEGER)"]
    )
    upgraded = Store(url, catalog=catalog)
    assert upgraded.schema_version() == SCHEMA_VERSION + 1
    with upgraded.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM added_later")).scalar() == 0
    assert upgraded.observations()["value"].tolist() == [46.0]


# ---- units and periods: re-adding, renaming, deleting ------------------------------


def test_re_adding_a_unit_is_refused_and_keeps_its_parent(store):
    store.add_unit("示例县", "县")
    store.add_unit("示例镇", "乡镇", parent="示例县")
    with pytest.raises(JianfuError, match="单位“示例镇”已存在"):
        store.add_unit("示例镇", "其他")
    store.ensure_unit("示例镇", "其他")  # idempotent, changes nothing
    assert store.units().set_index("name").loc["示例镇", ["level", "parent"]].tolist() == [
        "乡镇",
        "示例县",
    ]
    store.update_unit("示例镇", "街道", None)
    assert store.units().set_index("name").loc["示例镇", ["level", "parent"]].tolist() == [
        "街道",
        "",
    ]


def test_names_lose_invisible_characters_and_extra_spaces(store):
    assert store.add_unit("城\u200b关镇\n 二村\t") == "城关镇 二村"
    with pytest.raises(JianfuError, match="已存在"):
        store.add_unit("城关镇  二村")


def test_rename_keeps_values_and_refuses_a_taken_name(store):
    store.save_observations(
        rows(("甲镇", "2023年", "doc_count", 4), ("乙镇", "2023年", "doc_count", 5))
    )
    assert store.rename_unit("甲镇", "甲乡") == "甲乡"
    assert store.values_of("甲乡", "2023年") == {"doc_count": 4.0}
    with pytest.raises(JianfuError, match="“乙镇”已存在"):
        store.rename_unit("甲乡", "乙镇")
    assert store.rename_period("2023年", "２０２２") == "2022年"
    assert store.periods() == ["2022年"]


def test_delete_takes_the_values_and_says_how_many(store):
    store.add_unit("县", "县")
    store.add_unit("镇", "乡镇", parent="县")
    store.save_observations(
        rows(
            ("县", "2023年", "doc_count", 9),
            ("县", "2024年", "doc_count", 8),
            ("镇", "2024年", "doc_count", 1),
        )
    )
    assert store.value_count(unit="县") == 2 and store.value_count(period="2024年") == 2
    assert store.delete_unit("县") == 2
    assert store.unit_names() == ["镇"] and store.units()["parent"].tolist() == [""]
    assert store.delete_period("2024年") == 1
    assert store.is_empty() and store.periods() == ["2023年"]
    with pytest.raises(JianfuError, match="不存在"):
        store.delete_unit("县")


# ---- one transaction; preview equals save; lost updates ----------------------------


def test_save_and_clear_are_one_transaction(store):
    store.save_observations(
        rows(("甲镇", "2024年", "doc_count", 1), ("甲镇", "2024年", "work_groups", 2))
    )
    result = store.save_observations(
        rows(("甲镇", "2024年", "doc_count", 3)), clear=[("甲镇", "2024年", "work_groups")]
    )
    assert (result.changed, result.removed) == (1, 1)
    assert store.values_of("甲镇", "2024年") == {"doc_count": 3.0}


def test_preview_counts_equal_the_save_result(store):
    store.save_observations(
        pd.DataFrame(
            [
                ("甲镇", "2024年", "doc_count", 1, "原备注"),
                ("甲镇", "2024年", "work_groups", 2, ""),
            ],
            columns=["unit", "period", "indicator", "value", "note"],
        )
    )
    incoming = pd.DataFrame(
        [
            ("甲镇", "2024年", "doc_count", 1, "新备注"),  # note only: a change
            ("甲镇", "2024年", "work_groups", 2, ""),  # same
            ("甲镇", "2024年", "meeting_count", 5, ""),  # new
        ],
        columns=["unit", "period", "indicator", "value", "note"],
    )
    preview = store.preview(incoming)["status"].value_counts().to_dict()
    saved = store.save_observations(incoming)
    assert preview == {"修改": 1, "不变": 1, "新增": 1}
    assert (saved.changed, saved.unchanged, saved.added) == (1, 1, 1)


def test_a_save_with_stale_expectations_writes_nothing(store):
    from jianfu.store import ConflictError

    store.save_observations(rows(("甲镇", "2024年", "doc_count", 1)))
    read = {("甲镇", "2024年", "doc_count"): 1.0, ("甲镇", "2024年", "work_groups"): float("nan")}
    store.save_observations(rows(("甲镇", "2024年", "work_groups", 7)))  # another tab
    with pytest.raises(ConflictError) as err:
        store.save_observations(rows(("甲镇", "2024年", "doc_count", 2)), expected=read)
    assert err.value.conflicts[["indicator", "current"]].values.tolist() == [["work_groups", 7.0]]
    assert "已被他人修改" in str(err.value)
    assert store.values_of("甲镇", "2024年") == {"doc_count": 1.0, "work_groups": 7.0}


# ---- several writers at once -------------------------------------------------------


@pytest.mark.parametrize(
    "writers, rounds",
    [pytest.param(8, 5, marks=pytest.mark.slow, id="8x5"), pytest.param(4, 3, id="4x3")],
)
@pytest.mark.slow  # 0.8 s
def test_several_writers_at_once_lose_nothing(store, writers, rounds):
    """Threads save, re-save and clear at once, creating the same new units.

    With a plain (deferred) BEGIN this fails with "database is locked".
    """
    from concurrent.futures import ThreadPoolExecutor

    def work(n: int) -> None:
        for k in range(rounds):
            unit = f"镇{k % 3}"  # every thread creates the same three units
            store.save_observations(rows((unit, f"{2010 + n}年", "doc_count", k)))
            store.save_observations(rows((unit, f"{2010 + n}年", "meeting_count", k)))
            store.delete_observations(unit, f"{2010 + n}年", ["meeting_count"])

    with ThreadPoolExecutor(writers) as pool:
        for future in [pool.submit(work, n) for n in range(writers)]:
            future.result()  # re-raises "database is locked" or IntegrityError, if any
    obs = store.observations()
    assert sorted(store.unit_names()) == ["镇0", "镇1", "镇2"]
    assert len(obs) == writers * 3 and set(obs["indicator"]) == {"doc_count"}
    last = obs.set_index(["unit", "period"])["value"]
    assert all(
        last[(f"镇{k % 3}", f"{2010 + n}年")] == max(j for j in range(rounds) if j % 3 == k % 3)
        for n in range(writers)
        for k in range(3)
    )


# ---- custom indicators that cannot lie -----------------------------------------------


def test_custom_rates_are_not_summed_when_units_are_combined(store):
    from jianfu.compare import compare

    with pytest.raises(JianfuError, match="百分比不能相加"):
        store.add_custom_indicator(
            {"name": "满意率", "category": "成效", "measure": "%", "direction": "越多越好",
             "kind": "percent", "aggregate": "sum"}
        )  # fmt: skip
    rate = store.add_custom_indicator(
        {"name": "满意率", "category": "成效", "measure": "%", "direction": "越多越好",
         "kind": "percent", "aggregate": "none"}
    )  # fmt: skip
    share = store.add_custom_indicator(
        {"name": "视频会议比重", "category": "会议", "direction": "越多越好", "kind": "ratio",
         "numerator": "meeting_video", "denominator": "meeting_count"}
    )  # fmt: skip
    store.save_observations(
        rows(
            ("甲", "2023年", rate.code, 75), ("乙", "2023年", rate.code, 75),
            ("甲", "2024年", rate.code, 90), ("乙", "2024年", rate.code, 95),
            ("甲", "2023年", "meeting_video", 1), ("甲", "2023年", "meeting_count", 10),
            ("乙", "2023年", "meeting_video", 9), ("乙", "2023年", "meeting_count", 10),
            ("甲", "2024年", "meeting_video", 5), ("甲", "2024年", "meeting_count", 10),
            ("乙", "2024年", "meeting_video", 5), ("乙", "2024年", "meeting_count", 10),
        )
    )  # fmt: skip
    table = compare(store.observations(), store.catalog(), "2023年", "2024年", group="合计")
    codes = set(table["indicator"])
    assert rate.code not in codes  # never 150% -> 185%
    row = table.set_index("indicator").loc[share.code]
    assert (row["before"], row["after"], row["pp_change"]) == (50.0, 50.0, 0.0)  # 10/20, 10/20


def test_a_schema_1_database_is_upgraded_for_custom_ratios(tmp_path, catalog):
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE meta (key VARCHAR(40) PRIMARY KEY, value VARCHAR(200) NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '1');
            CREATE TABLE custom_indicators (
                code VARCHAR(48) PRIMARY KEY, name VARCHAR(60) NOT NULL UNIQUE,
                category VARCHAR(20) NOT NULL, measure VARCHAR(20) NOT NULL,
                direction VARCHAR(10) NOT NULL, kind VARCHAR(20) NOT NULL,
                aggregate VARCHAR(10) NOT NULL, description TEXT NOT NULL,
                created_at DATETIME NOT NULL);
            INSERT INTO custom_indicators VALUES ('custom_1', '挂牌数', '成效', '块', '越少越好',
                'count', 'sum', '', '2024-01-01 00:00:00');
            """
        )
    store = Store(f"sqlite:///{path}", catalog=catalog)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.catalog()["custom_1"].name == "挂牌数"
    share = store.add_custom_indicator(
        {"name": "比重", "category": "成效", "direction": "越多越好", "kind": "ratio",
         "numerator": "custom_1", "denominator": "doc_count"}
    )  # fmt: skip
    assert store.catalog()[share.code].numerator == "custom_1"


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            {"name": "x", "kind": "ratio", "numerator": "no_such", "denominator": "doc_count"},
            "分子应为已有的计数类指标",
        ),
        (
            {"name": "x", "kind": "ratio", "numerator": "doc_count", "denominator": "doc_count"},
            "不能是同一个",
        ),
        ({"name": "x", "kind": "ratio"}, "字段“分子”（numerator）"),
        ({"name": "x", "measure": ""}, "字段“计量单位”（measure）不能为空"),
    ],
)
def test_custom_indicator_messages_name_the_field_in_chinese(store, entry, message):
    base = {"category": "成效", "measure": "块", "direction": "越少越好", "kind": "count"}
    with pytest.raises(JianfuError, match=message):
        store.add_custom_indicator({**base, **entry})


@pytest.mark.slow  # spawns four Pythons; the threads above keep the rule in the fast run
def test_writer_processes_creating_the_same_units_lose_and_double_nothing(store):
    """Separate processes import at once, each creating the same three new units."""
    import multiprocessing

    from tests.support.writers import import_towns

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.starmap(import_towns, [(store.url, n) for n in range(4)]) == ["ok"] * 4
    obs = store.observations()
    assert sorted(store.unit_names()) == ["新镇0", "新镇1", "新镇2"]  # each created once
    assert len(obs) == 4 * 3  # one value per unit and process-period, none doubled
    assert sorted(set(obs["value"])) == [3, 13, 23, 33]  # each process's last save
