"""The vectorised engine against the plain per-row implementation in tests/support/reference.py.

The loop is written the obvious way (dicts, one row at a time), so agreement on
every cell, warnings included, on synthetic data with gaps, zeros, decimals and
ratios is strong evidence the fast path computes what the rules say.
"""

import pytest

from jianfu.compare import compare
from tests.support import reference


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("group", [None, "合计"])
def test_engine_equals_the_per_row_loop(seed, group):
    catalog = reference.synthetic_catalog()
    obs = reference.synthetic_obs(60, seed=seed)
    before, after = reference.PERIODS[-2], reference.PERIODS[-1]
    table = compare(obs, catalog, before, after, group=group)
    looped = reference.loop_compare(obs, catalog, before, after, group=group)
    assert len(table) > 0 and set(table["verdict"]) >= {"改善", "恶化"}
    reference.check(table, looped)  # raises on the first column that differs


def test_the_reference_would_notice_a_difference():
    catalog = reference.synthetic_catalog()
    obs = reference.synthetic_obs(10)
    table = compare(obs, catalog, reference.PERIODS[-2], reference.PERIODS[-1])
    wrong = table.copy()
    wrong.loc[wrong.index[0], "change"] += 1
    with pytest.raises(AssertionError):
        reference.check(wrong, table)
