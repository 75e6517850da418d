"""The compare engine written the obvious way, and synthetic data to check it on.

``loop_compare`` builds the engine's table with dicts and a loop over every row
(same columns, same warning messages), independently of jianfu.compare: agreement
on every cell (``check``) on ``synthetic_obs`` data with gaps, zeros, decimals and
ratios is strong evidence the vectorised engine computes what the rules say.
Used by tests/test_engine_reference.py and benchmarks/bench_compare.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from jianfu.catalog import Catalog, parse_catalog
from jianfu.compare import COMPARE_COLUMNS
from jianfu.numbers.format import fmt_number, fmt_value, round_half_up, value_digits

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
            "kind": "amount" if n % 6 == 1 else "count",  # amounts carry decimals
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
                "denominator": f"ind{2 * r + 2:02d}",  # counts, so the share is a real ratio
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
    amounts = i.ravel() % 6 == 1
    value[amounts] += rng.integers(0, 1000, size=amounts.sum()) / 1000  # e.g. 412.125
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


def loop_compare(
    obs: pd.DataFrame, catalog: Catalog, before: str, after: str, group: str | None = None
) -> pd.DataFrame:
    """The same compare written the obvious way: dicts and a loop over every row.

    It builds the same table as the engine (all columns, same warning messages),
    so the two can be timed and checked against each other. With ``group`` all
    units are combined like for like: per indicator, the units with a value in
    both periods.
    """
    values: dict[tuple[str, str, str], float] = {}
    units: dict[str, None] = {}
    for row in obs.itertuples(index=False):
        if row.period in (before, after) and row.indicator in catalog:
            if not catalog[row.indicator].is_ratio and not math.isnan(row.value):
                values[(row.unit, row.period, row.indicator)] = row.value
            units.setdefault(row.unit)
    if group is not None:
        values, units = (
            loop_combine(values, list(units), catalog, (before, after), group),
            {group: None},
        )
    else:
        for unit in units:
            for period in (before, after):
                for ind in catalog:
                    if ind.is_ratio:
                        num = values.get((unit, period, ind.numerator))
                        den = values.get((unit, period, ind.denominator))
                        if num is not None and den is not None and den > 0:
                            values[(unit, period, ind.code)] = num / den * 100
    rows = []
    for unit in units:
        for ind in catalog:
            b = values.get((unit, before, ind.code))
            a = values.get((unit, after, ind.code))
            if b is None and a is None:
                continue
            rows.append(loop_row(unit, ind, b, a, before, grouped=group is not None))
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def loop_combine(values, units, catalog, periods, group) -> dict:
    """Each indicator over the units that have it in every period (ratios: both parts)."""
    out = {}

    def complete(unit, code):
        return all((unit, p, code) in values for p in periods)

    for ind in catalog:
        if ind.is_ratio:
            use = [u for u in units if complete(u, ind.numerator) and complete(u, ind.denominator)]
        else:
            use = [u for u in units if complete(u, ind.code)]
        if not use:
            continue
        for p in periods:
            if ind.is_ratio:
                num = sum(values[(u, p, ind.numerator)] for u in use)
                den = sum(values[(u, p, ind.denominator)] for u in use)
                if den > 0:
                    out[(group, p, ind.code)] = num / den * 100
            else:
                found = [values[(u, p, ind.code)] for u in use]
                rule = {"sum": sum, "max": max, "min": min}.get(ind.aggregate)
                out[(group, p, ind.code)] = rule(found) if rule else sum(found) / len(found)
    return out


def loop_rollup(ind, grouped: bool) -> tuple[str, str]:
    """How a group's figure was made, in the words tables use ("" for one unit or a sum)."""
    if not grouped:
        return "", ""
    if ind.is_ratio:
        return "ratio", ""
    if ind.aggregate == "mean":
        return ("weighted", f"按{ind.weight}加权平均") if ind.weight else ("mean", "各单位简单平均")
    words = {"max": {"count": "最多", "amount": "最大"}, "min": {"count": "最少", "amount": "最小"}}
    if ind.aggregate in words:
        return ind.aggregate, f"各单位中{words[ind.aggregate][ind.kind]}"
    return ind.aggregate, ""


def loop_row(
    unit: str, ind, b: float | None, a: float | None, before: str, grouped: bool = False
) -> dict:
    digits = value_digits(ind.kind)
    if b is not None:
        b = float(round_half_up(b, digits))  # figures are rounded first, as shown
    if a is not None:
        a = float(round_half_up(a, digits))
    both = a is not None and b is not None
    change = float(round_half_up(a - b, digits)) if both else math.nan
    pct = change / abs(b) * 100 if both and b != 0 else math.nan
    if a is None:
        verdict = "比较期无数据"
    elif b is None:
        verdict = "基期无数据"
    elif change == 0:
        verdict = "持平"
    elif b == 0 and a > 0 and not ind.is_rate:
        verdict = "新增"
    elif ind.direction == "中性":
        verdict = "变化"
    elif (change < 0) == (ind.direction == "越少越好"):
        verdict = "改善"
    else:
        verdict = "恶化"
    warnings = []
    for t in ind.thresholds if a is not None else ():
        said = t.text or f"{ind.name}{t.describe(ind.measure)}"
        now = fmt_value(a, ind.measure, digits)
        if t.rule == "max" and a > t.value or t.rule == "min" and a < t.value:
            message = f"{said}，当前为{now}"
        elif t.rule == "not_above_previous" and b is not None and a > b:
            message = f"{said}，当前为{now}，多于{before}的{fmt_value(b, ind.measure, digits)}"
        elif t.rule == "min_reduction_pct" and not math.isnan(pct) and -shown_pct(pct) < t.value:
            moved = (
                "持平" if pct == 0 else f"{'减少' if pct < 0 else '增加'}{fmt_number(abs(pct))}%"
            )
            message = f"{said}，当前较{before}{moved}"
        else:
            continue
        warnings.append({"level": t.level, "rule": t.rule, "source": t.source, "message": message})
    shown = [decimals_needed(v, digits) for v in (b, a) if v is not None]
    return {
        "unit": unit,
        "indicator": ind.code,
        "name": ind.name,
        "short": ind.short,
        "category": ind.category,
        "measure": ind.measure,
        "direction": ind.direction,
        "kind": ind.kind,
        "before": math.nan if b is None else b,
        "after": math.nan if a is None else a,
        "change": change,
        "pct_change": pct,
        "pp_change": change if ind.is_rate and both else math.nan,
        "decimals": max(shown),
        "verdict": verdict,
        "warnings": warnings,
        **dict(zip(("rollup", "rollup_label"), loop_rollup(ind, grouped), strict=True)),
    }


def decimals_needed(value: float, digits: int) -> int:
    """Fewest decimals (up to ``digits``) that show ``value`` as rounded: 74.0 -> 0."""
    return next(k for k in range(digits + 1) if float(round_half_up(value, k)) == value)


def check(table: pd.DataFrame, ref: pd.DataFrame) -> None:
    """Fail loudly if the engine and the loop disagree anywhere."""
    assert list(ref.columns) == list(table.columns) and len(ref) == len(table)
    for col in COMPARE_COLUMNS:
        mine, theirs = table[col].to_numpy(), ref[col].to_numpy()
        if table[col].dtype == float:
            np.testing.assert_allclose(
                mine, theirs.astype(float), rtol=1e-12, equal_nan=True, err_msg=col
            )
        else:
            bad = [(n, x, y) for n, (x, y) in enumerate(zip(mine, theirs, strict=True)) if x != y]
            assert not bad, (col, bad[:3])


def shown_pct(pct: float) -> float:
    """A percentage as a warning quotes and judges it: rounded to two decimals."""
    return float(round_half_up(pct, 2))
