"""Multi-period trends: did an indicator go down every period (逐年递减)?

Seed fact: a unit's documents 82, 81, 85 over 2019–2021 did not decline every
year; the first period that broke the decline is 2021年.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..catalog import Catalog
from .gcpause import gc_paused
from .grids import period_grids

TREND_COLUMNS = [
    "unit", "indicator", "name", "short", "measure", "direction",
    "values", "changes", "monotone_decrease", "first_break", "kind",
]  # fmt: skip


def trend(
    obs: pd.DataFrame,
    catalog: Catalog,
    periods: Sequence[str],
    *,
    units: Sequence[str] | None = None,
    group: str | None = None,
) -> pd.DataFrame:
    """Values of each (unit, indicator) over ``periods``, and whether they fell each time.

    Returns
    -------
    DataFrame with :data:`TREND_COLUMNS`, one row per (unit, indicator) observed in
    any period. ``values`` is a list aligned to ``periods`` (NaN for missing);
    ``changes`` the consecutive differences (NaN next to a gap). A gap is skipped
    when judging the decline: each observed value is compared with the previous
    observed one. ``monotone_decrease`` is True when every such step went down,
    False otherwise, None with fewer than two values; ``first_break`` is the label
    of the first period whose value did not go down (equal counts as not down).
    ``kind`` (last column) lets sentences quote computed ratios to one decimal.
    ``attrs["periods"]`` keeps the period labels.
    """
    periods = list(periods)
    cube, units_out = period_grids(obs, catalog, periods, units, group)
    unit_idx, ind_idx = np.nonzero(np.isfinite(cube).any(axis=0))
    values = cube[:, unit_idx, ind_idx].T  # (rows, periods)
    monotone, first_break = _declines(values, periods)
    meta = {
        k: pd.array([getattr(i, k) for i in catalog], dtype="str").take(ind_idx)
        for k in ("name", "short", "measure", "direction", "kind")
    }
    with gc_paused():  # two lists per row
        values_list, changes_list = values.tolist(), np.diff(values, axis=1).tolist()
    table = pd.DataFrame(
        {
            "unit": pd.array(units_out, dtype="str").take(unit_idx),
            "indicator": pd.array(catalog.codes(), dtype="str").take(ind_idx),
            **meta,
            "values": values_list,
            "changes": changes_list,
            "monotone_decrease": monotone,
            "first_break": first_break,
        },
        columns=TREND_COLUMNS,
        copy=False,  # every column is a fresh array made above
    )
    table.attrs["periods"] = periods
    return table


def _declines(values: np.ndarray, periods: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised check of a strict decline over observed values, gaps skipped."""
    n_rows, n_periods = values.shape
    observed = np.isfinite(values)
    # previous observed value for each cell: forward fill, then shift by one period
    last = np.maximum.accumulate(np.where(observed, np.arange(n_periods), 0), axis=1)
    filled = np.take_along_axis(values, last, axis=1)
    prev = np.full_like(values, np.nan)
    prev[:, 1:] = filled[:, :-1]
    with np.errstate(invalid="ignore"):
        tol = 1e-9 * np.maximum(1.0, np.abs(prev))
        breaks = observed & np.isfinite(prev) & (values > prev - tol)
    enough = observed.sum(axis=1) >= 2
    broken = breaks.any(axis=1)
    monotone = np.full(n_rows, None, dtype=object)
    monotone[enough] = (~broken[enough]).tolist()  # Python bools, None when undecided
    first_break = np.full(n_rows, None, dtype=object)
    hit = enough & broken
    first_break[hit] = np.array(periods, dtype=object)[np.argmax(breaks[hit], axis=1)]
    return monotone, first_break
