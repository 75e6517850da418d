"""The registers' SQLite tests again, on a real PostgreSQL server: one code path for both."""

from __future__ import annotations

import pytest
import test_registers_derive as derive_tests
import test_registers_import as import_tests
import test_registers_kinds as kinds_tests

from jianfu.registers.store import RegisterStore
from jianfu.store import Store

pytestmark = pytest.mark.postgres

test_dates_as_typed = kinds_tests.test_dates_as_typed
test_bad_row_lists_every_problem_and_saves_nothing = (
    kinds_tests.test_bad_row_lists_every_problem_and_saves_nothing
)
test_repeats_are_refused_unless_confirmed = kinds_tests.test_repeats_are_refused_unless_confirmed
test_edit_checks_like_add_and_keeps_its_own_values = (
    kinds_tests.test_edit_checks_like_add_and_keeps_its_own_values
)
test_rows_by_period_include_both_ends = kinds_tests.test_rows_by_period_include_both_ends
test_a_year_derived_exactly = derive_tests.test_a_year_derived_exactly
test_period_boundaries = derive_tests.test_period_boundaries
test_written_with_source_and_rows_and_typed_values_kept = (
    derive_tests.test_written_with_source_and_rows_and_typed_values_kept
)
test_repeats_registered_when_asked = (
    import_tests.test_repeats_are_left_out_then_registered_when_asked
)
test_keep_repeats_after_a_plain_import = (
    import_tests.test_keep_repeats_after_a_plain_import_does_not_register_the_file_twice
)


# the derivation tests run on the hand-made registers; the others start empty
FILLED = ("test_a_year_derived_exactly", "test_period_boundaries", "test_written_with_source")


@pytest.fixture
def registers(request, pg_url):
    regs = RegisterStore(pg_url)
    if request.node.name.startswith(FILLED):
        derive_tests.fill(regs)
    yield regs
    regs.engine.dispose()


@pytest.fixture
def store(pg_url, catalog):
    opened = Store(pg_url, catalog=catalog)
    yield opened
    opened.engine.dispose()
