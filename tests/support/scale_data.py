"""Generated data for the big-table cases: many units, every category, two or three years.

Values are the demo town's, scaled per unit by a seeded random factor, so every
unit has plausible figures in every category (no large binary is committed).
Used by tests/test_compare_scale.py and benchmarks/bench_compare_page.py.
A part is capped at its whole, as the store requires.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jianfu.store.demo import TOWN_VALUES

TEMPLATE = TOWN_VALUES["示例县城关镇"]
PERIODS = ("2023年", "2024年")
PERCENT_CODES = {"satisfaction_rate"}


def unit_names(n_units: int) -> list[str]:
    return [f"测试单位{u:04d}" for u in range(n_units)]


def scale_observations(n_units: int, periods=PERIODS, seed: int = 3) -> pd.DataFrame:
    """Tidy rows (unit, period, indicator, value) for ``n_units`` units."""
    rng = np.random.default_rng(seed)
    codes = list(TEMPLATE)
    base = np.array([TEMPLATE[c][0] for c in codes], dtype=float)
    after = np.array([TEMPLATE[c][1] for c in codes], dtype=float)
    names = unit_names(n_units)
    frames = []
    for i, period in enumerate(periods):
        share = i / max(len(periods) - 1, 1)
        factor = rng.uniform(0.5, 1.5, size=(n_units, len(codes)))
        values = np.round((base + (after - base) * share) * factor)
        percent = np.array([c in PERCENT_CODES for c in codes])
        values[:, percent] = np.clip(values[:, percent], 0, 100)
        cap_parts(values, codes)
        frames.append(
            pd.DataFrame(
                {
                    "unit": np.repeat(names, len(codes)),
                    "period": period,
                    "indicator": np.tile(codes, n_units),
                    "value": values.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def cap_parts(values: np.ndarray, codes: list[str]) -> None:
    """A ratio's part never above its whole (the store refuses 24 video meetings of 22)."""
    from jianfu.catalog import load_catalog

    column = {code: k for k, code in enumerate(codes)}
    for ind in load_catalog():
        if ind.is_ratio and ind.numerator in column and ind.denominator in column:
            part, whole = column[ind.numerator], column[ind.denominator]
            values[:, part] = np.minimum(values[:, part], values[:, whole])


def fill_store(store, n_units: int, periods=PERIODS) -> None:
    """Save the generated rows through the store, as an import would."""
    store.save_observations(scale_observations(n_units, periods), source="生成的测试数据")
