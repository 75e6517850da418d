"""Multi-period trends: did an indicator move the better way every period?

逐年递减 for indicators where less is better, 逐年递增 where more is better; this
module is the one place that decides it. Example from public material: a unit's
documents 82, 81, 85 over 2019–2021 did not decline every year; the first period
that broke the decline is 2021年.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..catalog.directions import GAPPED, sign, steady_words
from ..numbers.format import decimals_shown, digits_by_kind, round_values, snap
from .engine import left_out_records
from .gcpause import gc_paused
from .grids import period_grids
from .rollups import not_rolled_records, rollup_words

TREND_COLUMNS = [
    "unit", "indicator", "name", "short", "measure", "direction",
    "values", "changes", "monotone", "first_break", "verdict", "kind", "decimals",
    "rollup", "rollup_label",
]  # fmt: skip
TOO_FEW = "数据不足"
NOT_JUDGED = "—"


def trend(
    obs: pd.DataFrame,
    catalog: Catalog,
    periods: Sequence[str],
    *,
    units: Sequence[str] | None = None,
    group: str | None = None,
    digits: int | None = None,
    phrase: str | None = None,
) -> pd.DataFrame:
    """Values of each (unit, indicator) over ``periods``, and whether they kept improving.

    Returns
    -------
    DataFrame with :data:`TREND_COLUMNS`, one row per (unit, indicator) observed in
    any period. ``values`` is a list aligned to ``periods`` (NaN for missing),
    rounded as the engine rounds (one decimal for computed ratios, else two, or
    ``digits``); ``changes`` the consecutive differences (NaN next to a gap). A gap
    is skipped: each observed value is compared with the previous observed one.
    ``decimals`` is how many decimals the row shows. ``monotone`` is True when every such step went the better way (down for
    越少越好, up for 越多越好; 中性 is judged as down), False otherwise, None with
    fewer than two values; ``first_break`` is the first period that did not (equal
    counts as not); ``verdict`` says it in words (逐年递减 / 未实现逐年递减 / 逐年递增 /
    未实现逐年递增, 数据不连续 when a period inside the run has no value, 数据不足, or —
    for 中性). ``attrs`` keeps ``periods``, ``group``
    and, for a group, ``left_out`` (units without a value in every period are not
    counted, so the run compares like with like) and ``not_rolled_up``; ``rollup``
    and ``rollup_label`` are as in :func:`~jianfu.compare.engine.compare` (``phrase``).
    """
    periods = list(periods)
    grids = period_grids(obs, catalog, periods, units, group)
    cube = grids.cube
    unit_idx, ind_idx = np.nonzero(np.isfinite(cube).any(axis=0))
    inds = list(catalog)
    cap = digits_by_kind([i.kind for i in inds], digits)[ind_idx]
    values = round_values(cube[:, unit_idx, ind_idx].T, cap[:, None])  # (rows, periods)
    direction = np.array([sign(i.direction) for i in inds], dtype=np.int8)[ind_idx]
    monotone, first_break = _steady(values, periods, np.where(direction > 0, 1, -1))
    meta = {
        k: pd.array([getattr(i, k) for i in inds], dtype="str").take(ind_idx)
        for k in ("name", "short", "measure", "direction", "kind")
    }
    rules, labels = rollup_words(catalog, group is not None, phrase)
    with gc_paused():  # two lists per row
        values_list = values.tolist()
        changes_list = snap(np.diff(values, axis=1), cap[:, None]).tolist()
    table = pd.DataFrame(
        {
            "unit": pd.array(grids.units, dtype="str").take(unit_idx),
            "indicator": pd.array(catalog.codes(), dtype="str").take(ind_idx),
            **{k: v for k, v in meta.items() if k != "kind"},
            "values": values_list,
            "changes": changes_list,
            "monotone": monotone,
            "first_break": first_break,
            "verdict": _verdicts(monotone, direction, _gapped(values)),
            "kind": meta["kind"],
            "decimals": decimals_shown(values, cap[:, None]).max(axis=1, initial=0),
            "rollup": pd.array(rules, dtype="str").take(ind_idx),
            "rollup_label": pd.array(labels, dtype="str").take(ind_idx),
        },
        columns=TREND_COLUMNS,
        copy=False,  # every column is a fresh array made above
    )
    table.attrs.update(
        periods=periods,
        group=group,
        left_out=left_out_records(grids.left_out, catalog),
        not_rolled_up=not_rolled_records(grids.not_rolled, catalog),
    )
    return table


def _steady(
    values: np.ndarray, periods: list[str], sign: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised check that each observed value moved strictly the ``sign`` way, gaps skipped."""
    n_rows, n_periods = values.shape
    observed = np.isfinite(values)
    # previous observed value for each cell: forward fill, then shift by one period
    last = np.maximum.accumulate(np.where(observed, np.arange(n_periods), 0), axis=1)
    filled = np.take_along_axis(values, last, axis=1)
    prev = np.full_like(values, np.nan)
    prev[:, 1:] = filled[:, :-1]
    with np.errstate(invalid="ignore"):
        breaks = observed & np.isfinite(prev) & ((values - prev) * sign[:, None] <= 0)
    enough = observed.sum(axis=1) >= 2
    broken = breaks.any(axis=1)
    monotone = np.full(n_rows, None, dtype=object)
    monotone[enough] = (~broken[enough]).tolist()  # Python bools, None when undecided
    first_break = np.full(n_rows, None, dtype=object)
    hit = enough & broken
    first_break[hit] = np.array(periods, dtype=object)[np.argmax(breaks[hit], axis=1)]
    return monotone, first_break


def _gapped(values: np.ndarray) -> np.ndarray:
    """Rows with a period without a value between their first and last value."""
    observed = np.isfinite(values)
    first = observed.argmax(axis=1)
    last = observed.shape[1] - 1 - observed[:, ::-1].argmax(axis=1)
    return observed.any(axis=1) & (observed.sum(axis=1) < last - first + 1)


def _verdicts(monotone: np.ndarray, direction: np.ndarray, gapped: np.ndarray) -> np.ndarray:
    """逐年递减 / 未实现逐年递减 / 逐年递增 / 未实现逐年递增; 数据不足; — for 中性.

    A run better at every step that has data but with a period missing inside
    (82, —, 80, 78) is 数据不连续: the missing year may have risen, so 逐年递减 would
    claim what the data does not show. A rise seen across a gap still breaks it.
    """
    steady = np.equal(monotone, True)
    words = steady_words(direction, steady)
    words[steady & gapped & (direction != 0)] = GAPPED
    words[words == ""] = NOT_JUDGED
    return np.where(np.equal(monotone, None), TOO_FEW, words).astype(object)
