"""The compare engine: every before/after figure of the workbook comes from here.

``compare`` turns tidy observations into one row per (unit, indicator) with the
values of two periods, the change, the relative change in percent, the change in
percentage points for rates, a direction-aware verdict and threshold warnings.
It works on dense numpy grids (units x indicators) and never loops over
observations; only warnings that fire are built one by one.

Verdicts
--------
改善 / 恶化   the value moved the way the indicator's direction calls better / worse
持平          equal values (0 -> 0 included)
新增          0 before, a positive count or measure after (no percentage exists)
变化          a 中性 indicator whose value moved: no judgement is made
基期无数据    no value before: not compared (missing is not zero, so never a rise)
比较期无数据  no value after
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..catalog.directions import (
    CHANGED,
    COMPARED,
    FLAT,
    HIGHER,
    IMPROVED,
    LOWER,
    NEW,
    NO_BASE,
    NO_VALUE,
    VERDICTS,
    WORSENED,
    sign,
)
from ..numbers.format import DIGITS, decimals_shown, digits_by_kind, round_values, snap
from .grids import Grids, period_grids
from .rollups import not_rolled_records, rollup_words
from .thresholds import ThresholdOptions, threshold_warnings

COMPARE_COLUMNS = [
    "unit", "indicator", "name", "short", "category", "measure", "direction", "kind",
    "before", "after", "change", "pct_change", "pp_change", "decimals", "verdict", "warnings",
    "rollup", "rollup_label",
]  # fmt: skip
# verdict words and directions live in catalog.directions; re-exported for callers of the engine
__all__ = [
    "COMPARED", "COMPARE_COLUMNS", "HIGHER", "LOWER", "NO_BASE", "NO_VALUE", "VERDICTS",
    "compare", "left_out_records",
]  # fmt: skip
DEFAULT_THRESHOLDS = ThresholdOptions()  # immutable, so safe as a default
_META = ("name", "short", "category", "measure", "direction", "kind")


def compare(
    obs: pd.DataFrame,
    catalog: Catalog,
    before: str,
    after: str,
    *,
    units: Sequence[str] | None = None,
    group: str | None = None,
    thresholds: ThresholdOptions = DEFAULT_THRESHOLDS,
    digits: int | None = None,
    phrase: str | None = None,
) -> pd.DataFrame:
    """Compare two periods for each unit and indicator.

    Parameters
    ----------
    obs
        tidy observations (unit, period, indicator, value); ratio rows are ignored
        and recomputed from their parts.
    before, after
        period labels, e.g. "2023年" and "2024年", or "改革前" and "改革后".
    units
        restrict to these units (output follows their order); default all units in
        order of first appearance.
    group
        if given, the selected units are first combined into one unit of this name,
        like for like (each indicator over the units with a value in both periods).
    thresholds
        which warning levels apply and the user's own threshold values.
    digits
        decimals figures are rounded to (0–2); default one for computed ratios and
        two otherwise.
    phrase
        for a group, how its members are counted in words (两镇): a row that is not
        a sum is labelled with it (主讲话时长: 两镇中最长; see :mod:`.rollups`).

    Returns
    -------
    DataFrame with :data:`COMPARE_COLUMNS`, one row per (unit, indicator) with a value
    in either period, units in order and indicators in catalog order.

    Every figure is what a reader sees: ``before`` and ``after`` are rounded first,
    and the change, percent change, verdict and warnings are computed from the
    rounded values, so 74.0% -> 92.6% is +18.6 points, never +18.7. ``decimals`` is
    how many decimals the row shows (the same for all its values). ``pct_change``
    is in percent (-37.5) and NaN without a non-zero base; ``pp_change`` is set for
    rate indicators only. A row without a value in the base period is 基期无数据 and
    is not compared (no change, no percentage): missing is not zero. ``attrs``
    holds ``before``, ``after``, ``group``, ``members`` (the units combined),
    ``left_out`` (records of unit, indicator, name and the periods it lacks) and
    ``not_rolled_up`` (records of indicators the members have but the catalog does
    not combine, with the reason). ``rollup`` and ``rollup_label`` say how a group's
    figure was made ("" for a single unit).
    """
    grids = period_grids(obs, catalog, [before, after], units, group)
    table = _rows(grids, catalog, before, thresholds, digits, group is not None, phrase)
    members = list(dict.fromkeys(units)) if units is not None else None
    table.attrs.update(
        before=before,
        after=after,
        group=group,
        members=members,
        left_out=left_out_records(grids.left_out, catalog),
        not_rolled_up=not_rolled_records(grids.not_rolled, catalog),
    )
    return table


def _rows(
    grids: Grids,
    catalog: Catalog,
    before: str,
    thresholds: ThresholdOptions,
    digits: int | None,
    grouped: bool,
    phrase: str | None,
) -> pd.DataFrame:
    """One row per (unit, indicator) with a value in either period, figures as shown."""
    cube = grids.cube
    unit_idx, ind_idx = np.nonzero(np.isfinite(cube).any(axis=0))  # unit, then catalog order
    inds = list(catalog)
    kinds = [i.kind for i in inds]
    cap = digits_by_kind(kinds, digits)[ind_idx]
    b = round_values(cube[0][unit_idx, ind_idx], cap)
    a = round_values(cube[1][unit_idx, ind_idx], cap)
    direction = np.array([sign(i.direction) for i in inds], dtype=np.int8)[ind_idx]
    rate = np.array([i.is_rate for i in inds], dtype=bool)[ind_idx]
    verdict, change, pct, pp = _changes(b, a, direction, rate, cap)
    decimals = np.maximum(decimals_shown(b, cap), decimals_shown(a, cap))
    meta = {k: _strings([getattr(i, k) for i in inds], ind_idx) for k in _META}
    rules, labels = rollup_words(catalog, grouped, phrase)
    # a warning quotes the percentage as the sentence beside it does (39.66% at two
    # decimals, 40% at none) and judges that shown figure, not the raw one
    shown_pct = round_values(pct, DIGITS if digits is None else digits)
    return pd.DataFrame(
        {
            "unit": _strings(grids.units, unit_idx),
            "indicator": _strings(catalog.codes(), ind_idx),
            **meta,
            "before": b,
            "after": a,
            "change": change,
            "pct_change": pct,
            "pp_change": pp,
            "decimals": decimals,
            "verdict": verdict,
            "warnings": _objects(
                threshold_warnings(catalog, thresholds, ind_idx, b, a, shown_pct, before)
            ),
            "rollup": _strings(rules, ind_idx),
            "rollup_label": _strings(labels, ind_idx),
        },
        columns=COMPARE_COLUMNS,
        copy=False,  # every column is a fresh array made above
    )


def left_out_records(left_out: pd.DataFrame, catalog: Catalog) -> list[dict]:
    """Who a combined figure leaves out, as plain records with the indicator's name."""
    return [
        {"unit": u, "indicator": code, "name": catalog[code].name, "missing": missing}
        for u, code, missing in left_out.itertuples(index=False)
    ]


def _changes(
    b: np.ndarray, a: np.ndarray, direction: np.ndarray, rate: np.ndarray, digits: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Verdict, change, percent change and point change of rounded values, vectorised.

    ``direction`` is -1 for 越少越好, +1 for 越多越好, 0 for 中性. A value of 0 in the
    base period is a value (a count may rise from 0: 新增); a missing one is not.
    """
    has_b, has_a = np.isfinite(b), np.isfinite(a)
    both = has_a & has_b
    with np.errstate(invalid="ignore", divide="ignore"):
        change = snap(a - b, digits)  # 92.6 - 74.0 is 18.6, not 18.599999999999994
        same = both & (change == 0)
        base = both & (b != 0)
        pct = np.full_like(change, np.nan)
        np.divide(change, np.abs(b), out=pct, where=base)
        pct *= 100.0
        new = both & ~rate & (b == 0) & (a > 0)
        better = np.sign(change) * direction > 0
    at = {v: n for n, v in enumerate(VERDICTS)}
    code = np.full(len(b), at[WORSENED], dtype=np.intp)  # unless a rule below says otherwise
    code[better] = at[IMPROVED]
    code[direction == 0] = at[CHANGED]
    code[new] = at[NEW]
    code[same] = at[FLAT]
    code[has_a & ~has_b] = at[NO_BASE]
    code[~has_a] = at[NO_VALUE]
    change[~both] = np.nan
    pp = np.where(rate & both, change, np.nan)
    return _strings(VERDICTS, code), change, pct, pp


def _objects(items: list) -> np.ndarray:
    """A 1-d object array of ``items`` (lists stay cells, not a second dimension)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _strings(labels: Sequence[str], positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A string column by position into a few labels, without re-checking every cell."""
    return pd.array(list(labels), dtype="str").take(positions)
