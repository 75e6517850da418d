"""The 填报任务 tests again on PostgreSQL (a fresh schema per test): one code path for both."""

from __future__ import annotations

from datetime import date

import pytest
import test_collect
import test_collect_board
import test_collect_duplicates
from sqlalchemy import text

from jianfu.collect.board import DONE, NONE, PARTIAL, board, outliers
from jianfu.collect.rounds import Collect
from jianfu.store import Store
from tests.support.collect import seed_units

pytestmark = pytest.mark.postgres

test_round_is_stored = test_collect.test_round_is_stored_with_its_units_and_indicators
test_batch_from_a_folder = (
    test_collect.test_batch_from_a_folder_reports_each_file_and_saves_only_accepted
)
test_resent_file = test_collect.test_resent_file_replaces_the_units_round_values
test_conflict = test_collect.test_value_changed_between_reading_and_saving_is_a_conflict
test_group_and_sites = test_collect.test_group_and_site_list_feed_a_round
test_choice_between_two_files = (
    test_collect_duplicates.test_plan_then_choose_then_apply_stores_exactly_the_chosen_file
)


@pytest.fixture
def store(pg_url, catalog):
    store = Store(pg_url, catalog=catalog)
    yield store
    store.engine.dispose()


def test_board_on_postgresql(store, tmp_path):
    assert store.engine.dialect.name == "postgresql"
    seed_units(store)
    collect = Collect(store)
    rnd = test_collect_board.started_round(collect, tmp_path)
    statuses = board(collect, rnd, date(2025, 3, 1))
    assert [s.status for s in statuses] == [DONE, NONE, PARTIAL, NONE]
    assert statuses[0].received is not None
    assert outliers(collect, rnd)["单位"].tolist() == ["甲镇"]
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM collect_submissions")).scalar()
    assert found == 2
