"""Benchmark the compare engine against a straightforward per-row Python loop.

Synthetic data: 10,000 units x 40 entered indicators x 5 periods (2,000,000
observations, about 3% missing) and a catalog of 44 indicators: the 40 entered
ones plus 4 ratios of them, with a few thresholds. Times compare() on two periods
and trend() on five, then the plain loop (tests.support.reference, which the
tests check the engine against) computing the same compare in the same run,
checks that both agree on every cell (messages included), and prints the ratio
loop/engine. Engine times are the best of --repeat runs (the first run also pays
for hashing each string once; the loop runs afterwards on the same strings).

Run: .venv/bin/python benchmarks/bench_compare.py [--units N] [--repeat R]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from jianfu.compare import compare, trend
from tests.support.reference import (
    N_ENTERED,
    PERIODS,
    check,
    loop_compare,
    synthetic_catalog,
    synthetic_obs,
)


def best_of(repeat: int, func, *args, **kwargs):
    times, result = [], None
    for _ in range(repeat):
        result = None  # free the previous result outside the timed region
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    catalog = synthetic_catalog()
    obs = synthetic_obs(args.units)
    print(f"observations: {len(obs):,} rows ({args.units:,} units x {N_ENTERED} indicators x "
          f"{len(PERIODS)} periods, ~3% missing); catalog: {len(catalog)} indicators")  # fmt: skip

    t_compare, table = best_of(args.repeat, compare, obs, catalog, PERIODS[-2], PERIODS[-1])
    t_group, grouped = best_of(
        args.repeat, compare, obs, catalog, PERIODS[-2], PERIODS[-1], group="合计"
    )
    t_trend, tr = best_of(args.repeat, trend, obs, catalog, PERIODS)
    t_loop, looped = best_of(1, loop_compare, obs, catalog, PERIODS[-2], PERIODS[-1])

    check(table, looped)
    check(grouped, loop_compare(obs, catalog, PERIODS[-2], PERIODS[-1], group="合计"))
    print(f"compare (2 periods, {len(table):,} rows, best of {args.repeat}): {t_compare:8.3f} s")
    print(f"compare group=合计 (like for like over all units):  {t_group:8.3f} s")
    print(f"trend   (5 periods, {len(tr):,} rows, best of {args.repeat}):   {t_trend:8.3f} s")
    print(f"per-row Python loop, same compare:                  {t_loop:8.3f} s")
    print(f"ratio loop/engine: {t_loop / t_compare:.1f}x  (results identical: yes)")


if __name__ == "__main__":
    main()
