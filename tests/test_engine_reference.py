"""The vectorised engine against the plain per-row implementation in benchmarks/bench_compare.py.

The loop is written the obvious way (dicts, one row at a time), so agreement on
every cell, warnings included, on synthetic data with gaps, zeros, decimals and
ratios is strong evidence the fast path computes what the rules say.
"""

import importlib.util

import pytest

from jianfu.compare import compare
from jianfu.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_compare", PROJECT_ROOT / "benchmarks" / "bench_compare.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("group", [None, "合计"])
def test_engine_equals_the_per_row_loop(bench, seed, group):
    catalog = bench.synthetic_catalog()
    obs = bench.synthetic_obs(60, seed=seed)
    before, after = bench.PERIODS[-2], bench.PERIODS[-1]
    table = compare(obs, catalog, before, after, group=group)
    reference = bench.loop_compare(obs, catalog, before, after, group=group)
    assert len(table) > 0 and set(table["verdict"]) >= {"改善", "恶化"}
    bench.check(table, reference)  # raises on the first column that differs


def test_the_reference_would_notice_a_difference(bench):
    catalog = bench.synthetic_catalog()
    obs = bench.synthetic_obs(10)
    table = compare(obs, catalog, bench.PERIODS[-2], bench.PERIODS[-1])
    wrong = table.copy()
    wrong.loc[wrong.index[0], "change"] += 1
    with pytest.raises(AssertionError):
        bench.check(wrong, table)
