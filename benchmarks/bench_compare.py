"""Benchmark the compare engine against a straightforward per-row Python loop.

Synthetic data: 10,000 units x 40 entered indicators x 5 periods (2,000,000
observations, about 3% missing) and a catalog of 44 indicators: the 40 entered
ones plus 4 ratios of them, with a few thresholds. Times compare() on two periods
and trend() on five, then a plain loop computing the same compare in the same run,
checks that both agree, and prints the ratio loop/engine.

Run: .venv/bin/python benchmarks/bench_compare.py [--units N] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from jianfu.catalog import Catalog, parse_catalog
from jianfu.compare import compare, trend

PERIODS = ["2020年", "2021年", "2022年", "2023年", "2024年"]
N_ENTERED = 40
DIRECTIONS = ("越少越好", "越多越好", "中性")
AGGREGATES = ("sum", "mean", "max", "min")


def synthetic_catalog() -> Catalog:
    entries = []
    for n in range(N_ENTERED):
        entry = {
            "code": f"ind{n:02d}",
            "name": f"指标{n:02d}",
            "category": "文件",
            "measure": "件",
            "direction": DIRECTIONS[n % 3],
            "kind": "count",
            "aggregate": AGGREGATES[n % 4],
        }
        if n % 5 == 0:
            entry["thresholds"] = [
                {"rule": "not_above_previous", "level": "中央", "source": "合成"}
            ]
        if n % 7 == 0:
            entry["thresholds"] = [{"rule": "max", "value": 900, "level": "地方", "source": "合成"}]
        if n == 3:
            entry["thresholds"] = [
                {"rule": "min_reduction_pct", "value": 20, "level": "示例", "source": "合成"}
            ]
        entries.append(entry)
    for r in range(4):
        entries.append(
            {
                "code": f"share{r}",
                "name": f"占比{r}",
                "category": "成效",
                "measure": "%",
                "direction": "越多越好",
                "kind": "ratio",
                "numerator": f"ind{2 * r:02d}",
                "denominator": f"ind{2 * r + 1:02d}",
                "thresholds": [{"rule": "min", "value": 40, "level": "中央", "source": "合成"}],
            }
        )
    return parse_catalog({"indicators": entries}, source="合成目录")


def synthetic_obs(n_units: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = np.array([f"单位{u:05d}" for u in range(n_units)], dtype=object)
    codes = np.array([f"ind{n:02d}" for n in range(N_ENTERED)], dtype=object)
    periods = np.array(PERIODS, dtype=object)
    p, u, i = np.meshgrid(
        np.arange(len(PERIODS)), np.arange(n_units), np.arange(N_ENTERED), indexing="ij"
    )
    value = rng.integers(0, 1000, size=p.size).astype(float)
    value[rng.random(p.size) < 0.01] = 0.0  # some zero baselines
    keep = rng.random(p.size) >= 0.03  # some missing observations
    return pd.DataFrame(
        {
            "unit": units[u.ravel()[keep]],
            "period": periods[p.ravel()[keep]],
            "indicator": codes[i.ravel()[keep]],
            "value": value[keep],
        }
    )


def loop_compare(obs: pd.DataFrame, catalog: Catalog, before: str, after: str) -> list[dict]:
    """The same compare written the obvious way: dicts and a loop over every row."""
    values: dict[tuple[str, str, str], float] = {}
    units: dict[str, None] = {}
    for row in obs.itertuples(index=False):
        if row.period in (before, after) and row.indicator in catalog:
            values[(row.unit, row.period, row.indicator)] = row.value
            units.setdefault(row.unit)
    for unit in units:
        for period in (before, after):
            for ind in catalog:
                if ind.is_ratio:
                    num = values.get((unit, period, ind.numerator))
                    den = values.get((unit, period, ind.denominator))
                    if num is not None and den is not None and den > 0:
                        values[(unit, period, ind.code)] = num / den * 100
    out = []
    for unit in units:
        for ind in catalog:
            b = values.get((unit, before, ind.code))
            a = values.get((unit, after, ind.code))
            if b is None and a is None:
                continue
            change = a - b if a is not None and b is not None else math.nan
            pct = change / abs(b) * 100 if b not in (None, 0) and a is not None else math.nan
            if a is None or (b is None and a <= 0):
                verdict = "无数据"
            elif b is not None and abs(a - b) <= 1e-9 + 1e-9 * abs(b):
                verdict = "持平"
            elif b is None or b == 0:
                verdict = "新增"
            elif ind.direction == "中性":
                verdict = "变化"
            elif (change < 0) == (ind.direction == "越少越好"):
                verdict = "改善"
            else:
                verdict = "恶化"
            warnings = []
            for t in ind.thresholds if a is not None else ():
                fired = (
                    (t.rule == "max" and a > t.value)
                    or (t.rule == "min" and a < t.value)
                    or (t.rule == "not_above_previous" and b is not None and a > b)
                    or (t.rule == "min_reduction_pct" and not math.isnan(pct) and -pct < t.value)
                )
                if fired:
                    warnings.append({"level": t.level, "rule": t.rule, "source": t.source})
            out.append({"unit": unit, "indicator": ind.code, "before": b, "after": a,
                        "pct_change": pct, "verdict": verdict, "warnings": warnings})  # fmt: skip
    return out


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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    catalog = synthetic_catalog()
    obs = synthetic_obs(args.units)
    print(f"observations: {len(obs):,} rows ({args.units:,} units x {N_ENTERED} indicators x "
          f"{len(PERIODS)} periods, ~3% missing); catalog: {len(catalog)} indicators")  # fmt: skip

    t_compare, table = best_of(args.repeat, compare, obs, catalog, PERIODS[-2], PERIODS[-1])
    t_group, _ = best_of(args.repeat, compare, obs, catalog, PERIODS[-2], PERIODS[-1], group="合计")
    t_trend, tr = best_of(args.repeat, trend, obs, catalog, PERIODS)
    t_loop, looped = best_of(1, loop_compare, obs, catalog, PERIODS[-2], PERIODS[-1])

    check(table, looped)
    print(f"compare (2 periods, {len(table):,} rows, best of {args.repeat}): {t_compare:8.3f} s")
    print(f"compare group=合计 (all units aggregated):           {t_group:8.3f} s")
    print(f"trend   (5 periods, {len(tr):,} rows, best of {args.repeat}):   {t_trend:8.3f} s")
    print(f"per-row Python loop, same compare:                  {t_loop:8.3f} s")
    print(f"ratio loop/engine: {t_loop / t_compare:.1f}x  (results identical: yes)")


def check(table: pd.DataFrame, looped: list[dict]) -> None:
    """Fail loudly if the engine and the loop disagree on any row."""
    ref = pd.DataFrame(looped)
    assert len(ref) == len(table), (len(ref), len(table))
    assert (ref["unit"].to_numpy() == table["unit"].to_numpy()).all()
    assert (ref["indicator"].to_numpy() == table["indicator"].to_numpy()).all()
    assert (ref["verdict"].to_numpy() == table["verdict"].to_numpy()).all()
    for col in ("before", "after", "pct_change"):
        np.testing.assert_allclose(ref[col].astype(float), table[col].astype(float), equal_nan=True)
    fired = [len(w) for w in table["warnings"]]
    assert fired == [len(w) for w in ref["warnings"]]


if __name__ == "__main__":
    main()
