"""The store's SQLite tests again, on a real PostgreSQL server: one code path for both.

A throwaway cluster (tests/support/pg_server.py) runs for the session and every test gets a
fresh schema. Without PostgreSQL the tests skip, except in CI (CI=true), where
they fail, so that CI cannot pass without having run them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
import test_store
from sqlalchemy import event, text

from jianfu.compare import compare
from jianfu.db import _sqlite_pragmas
from jianfu.errors import JianfuError
from jianfu.store import SCHEMA_VERSION, Store
from jianfu.store.demo import build_demo
from tests.support.servers import wait_until

try:
    import psycopg
except ImportError:  # the server fixture skips (or fails in CI) below
    psycopg = None

pytestmark = pytest.mark.postgres

# The SQLite tests themselves, collected here with `store` on PostgreSQL (fixture below).
test_round_trip_and_counts = test_store.test_round_trip_and_counts
test_a_bad_row_writes_nothing = test_store.test_a_bad_row_writes_nothing
test_store_rejects = test_store.test_store_rejects
test_failure_inside_the_transaction_rolls_back = (
    test_store.test_failure_inside_the_transaction_rolls_back
)
test_units_with_parent_and_level = test_store.test_units_with_parent_and_level
test_bad_units = test_store.test_bad_units
test_periods_sort_by_year_then_insertion = test_store.test_periods_sort_by_year_then_insertion
test_bare_year_becomes_a_year_label = test_store.test_bare_year_becomes_a_year_label
test_custom_indicator_joins_the_catalog = test_store.test_custom_indicator_joins_the_catalog
test_bad_custom_indicator = test_store.test_bad_custom_indicator
test_delete_observations = test_store.test_delete_observations
test_re_adding_a_unit_is_refused_and_keeps_its_parent = (
    test_store.test_re_adding_a_unit_is_refused_and_keeps_its_parent
)
test_rename_keeps_values_and_refuses_a_taken_name = (
    test_store.test_rename_keeps_values_and_refuses_a_taken_name
)
test_delete_takes_the_values_and_says_how_many = (
    test_store.test_delete_takes_the_values_and_says_how_many
)
test_save_and_clear_are_one_transaction = test_store.test_save_and_clear_are_one_transaction
test_preview_counts_equal_the_save_result = test_store.test_preview_counts_equal_the_save_result
test_a_save_with_stale_expectations_writes_nothing = (
    test_store.test_a_save_with_stale_expectations_writes_nothing
)
test_several_writers_at_once_lose_nothing = test_store.test_several_writers_at_once_lose_nothing
test_writer_processes_creating_the_same_units_lose_and_double_nothing = (
    test_store.test_writer_processes_creating_the_same_units_lose_and_double_nothing
)
test_custom_rates_are_not_summed_when_units_are_combined = (
    test_store.test_custom_rates_are_not_summed_when_units_are_combined
)

rows = test_store.rows


@pytest.fixture
def open_store(pg_url, catalog):
    """Open (or reopen) the test's database; every store is closed after the test."""
    opened: list[Store] = []

    def open_() -> Store:
        opened.append(Store(pg_url, catalog=catalog))
        return opened[-1]

    yield open_
    for store in opened:
        store.engine.dispose()


@pytest.fixture
def store(open_store):
    return open_store()


def test_the_store_really_is_on_postgresql(store):
    assert store.engine.dialect.name == "postgresql"
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT current_schema()")).scalar().startswith("test_")
        tables = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        )
        assert tables.scalar() == 5


def test_values_survive_reopening(open_store):
    open_store().save_observations(rows(("乙镇", "改革前", "report_forms", 16)))
    reopened = open_store()
    assert reopened.observations()["value"].tolist() == [16.0]
    assert reopened.schema_version() == SCHEMA_VERSION
    assert not reopened.is_empty()


def test_newer_database_is_refused(open_store):
    with open_store().engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value='99' WHERE key='schema_version'"))
    with pytest.raises(JianfuError, match="请升级工作簿"):
        open_store()


def test_a_version_2_database_gains_the_unit_scope(open_store):
    store = open_store()
    store.add_unit("某县", "县")
    with store.engine.begin() as conn:  # back to the schema before 本级/含下级
        conn.execute(text("ALTER TABLE units DROP COLUMN scope"))
        conn.execute(text("UPDATE meta SET value='2' WHERE key='schema_version'"))
    reopened = open_store()
    assert reopened.schema_version() == SCHEMA_VERSION
    reopened.set_unit_scope("某县", "含下级")
    reopened.add_unit("某镇", "乡镇", "某县")
    assert reopened.units()["scope"].tolist() == ["含下级", ""]


def test_no_sqlite_pragma_reaches_postgresql(open_store, monkeypatch):
    sent: list[str] = []
    for name in ("execute", "executemany"):
        original = getattr(psycopg.Cursor, name)

        def recording(self, query, *args, _original=original, **kwargs):
            sent.append(str(query))
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, name, recording)
    store = open_store()
    store.save_observations(rows(("甲镇", "2024年", "doc_count", 3)))
    assert any("CREATE TABLE" in q for q in sent)  # the recorder saw the whole session
    assert not [q for q in sent if "PRAGMA" in q.upper()]
    assert not event.contains(store.engine, "connect", _sqlite_pragmas)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_timestamps_keep_their_instant(store, tmp_path, catalog, backend):
    if backend == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'ts.sqlite'}", catalog=catalog)
    else:
        with store.engine.connect() as conn:  # the session zone differs from UTC
            assert conn.execute(text("SHOW timezone")).scalar() == "Asia/Shanghai"
    start = datetime.now(UTC).replace(microsecond=0)
    store.save_observations(rows(("甲镇", "2024年", "doc_count", 3)))
    end = datetime.now(UTC)
    stamps = store.observations()["updated_at"]
    assert str(stamps.dtype) == "datetime64[us, UTC]"  # the same on both backends
    assert start <= stamps.iloc[0] <= end
    assert str(store.observations(units_=["无"])["updated_at"].dtype) == "datetime64[us, UTC]"


def test_demo_figures_on_postgresql(demo_store):
    obs = demo_store.observations(units_=["区委组织部"])
    doc = obs[obs["indicator"] == "doc_count"]
    assert doc[["period", "value"]].values.tolist() == [
        ["2019年", 82.0],
        ["2020年", 81.0],
        ["2021年", 85.0],
    ]
    table = compare(demo_store.observations(), demo_store.catalog(), "改革前", "改革后")
    share = table[(table["unit"] == "公安分局") & (table["indicator"] == "frontline_police_share")]
    assert share["after"].iloc[0] == 92.6
    assert share["pp_change"].iloc[0] == 18.6  # 74.0% -> 92.6% as shown, not 18.67


@pytest.mark.parametrize(
    "before, after", [("改革前", "改革后"), ("2023年", "2024年"), ("2019年", "2021年")]
)
def test_demo_compares_the_same_on_both_backends(demo_store, tmp_path, catalog, before, after):
    sqlite = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}", catalog=catalog)
    build_demo(sqlite)
    pg_obs, sqlite_obs = demo_store.observations(), sqlite.observations()
    assert pg_obs.dtypes.equals(sqlite_obs.dtypes)
    pd.testing.assert_frame_equal(
        pg_obs.drop(columns="updated_at"), sqlite_obs.drop(columns="updated_at")
    )
    assert demo_store.units().equals(sqlite.units()) and demo_store.periods() == sqlite.periods()
    pg_table = compare(demo_store.observations(), demo_store.catalog(), before, after)
    assert len(pg_table) > 0
    pd.testing.assert_frame_equal(
        pg_table, compare(sqlite.observations(), sqlite.catalog(), before, after)
    )


@pytest.mark.parametrize("pooled, held", [(True, 1), (False, 0)])
def test_a_participant_kernel_holds_no_connection_between_answers(pg_url, pg_admin, pooled, held):
    """A room of 120 preheated kernels held 120 idle connections: over PostgreSQL's
    default max_connections (100). The participant page's store connects per use."""
    from jianfu.assess.store import AssessStore

    schema = pg_url.split("application_name=")[1].split("&")[0]

    def connections() -> int:
        # Only this store's: other workers' tests connect to the same cluster meanwhile.
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
        return pg_admin.execute(query, [schema]).fetchone()[0]

    before = connections()
    store = AssessStore(pg_url, pooled=pooled)
    store.create_session("pool", "连接测试")
    assert store.session("pool") is not None  # it reads and writes all the same
    # a closed connection's backend leaves pg_stat_activity a moment after the client;
    # one still held stays listed however long we look
    assert wait_until(lambda: connections() - before == held, timeout=5, every=0.1)
    assert connections() - before == held
    store.engine.dispose()
