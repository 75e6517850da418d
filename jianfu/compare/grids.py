"""Operations on the tidy observation frame: cleaning, aggregation, ratios, grids.

Observations are rows of (unit, period, indicator, value). Ratio indicators are
never stored: they are derived from their numerator and denominator, so when units
are combined the parts are aggregated first and the ratio recomputed from them
(377 of 407 plus 30 of 93 is 407/500, not the mean of two shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..errors import JianfuError

OBS_COLUMNS = ("unit", "period", "indicator", "value")


def clean_observations(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The four core columns, only entered catalog indicators, only real numbers.

    Ratio rows (if a caller passes ``with_ratios`` output back in) and codes the
    catalog does not know are dropped: ratios are always recomputed from parts.
    """
    _require_columns(obs)
    entered = [i.code for i in catalog if i.entered]
    out = obs.loc[:, list(OBS_COLUMNS)]
    value = pd.to_numeric(out["value"], errors="coerce").astype(float)
    keep = out["indicator"].isin(entered).to_numpy() & np.isfinite(value.to_numpy())
    out = out.assign(value=value)[keep]
    return out.reset_index(drop=True)


def aggregate_units(
    obs: pd.DataFrame, catalog: Catalog, units: Iterable[str], name: str
) -> pd.DataFrame:
    """Combine ``units`` into one unit called ``name``, per period and indicator.

    Each indicator uses its catalog ``aggregate`` rule (sum/mean/max/min). Ratios are
    left out: derive them afterwards with :func:`with_ratios`, which then divides the
    aggregated parts. A unit lacking a value simply does not contribute to it.
    """
    obs = clean_observations(obs, catalog)
    part = obs[obs["unit"].isin(list(units))]
    rules = part["indicator"].map({i.code: i.aggregate for i in catalog if i.entered})
    pieces = []
    for rule in ("sum", "mean", "max", "min"):  # four group-bys, not a loop over rows
        chosen = part[(rules == rule).to_numpy()]
        if len(chosen):
            grouped = chosen.groupby(["period", "indicator"], sort=False)["value"].agg(rule)
            pieces.append(grouped.reset_index())
    if not pieces:
        return pd.DataFrame(
            {c: pd.Series(dtype=object if c != "value" else float) for c in OBS_COLUMNS}
        )
    out = pd.concat(pieces, ignore_index=True)
    out.insert(0, "unit", name)
    order = {code: n for n, code in enumerate(catalog.codes())}
    periods = {p: n for n, p in enumerate(pd.unique(part["period"]))}
    out = out.assign(_p=out["period"].map(periods), _i=out["indicator"].map(order))
    return out.sort_values(["_p", "_i"]).drop(columns=["_p", "_i"]).reset_index(drop=True)


def descendants(hierarchy: pd.DataFrame, parent: str, *, leaves_only: bool = False) -> list[str]:
    """All units below ``parent`` (children, grandchildren, …), breadth first.

    ``hierarchy`` has columns ``name`` and ``parent`` (None/NaN for a top unit).
    With ``leaves_only`` only units without children are returned, which avoids
    counting a township and its villages twice when both carry totals.
    """
    children: dict[str, list[str]] = {}
    for child, up in zip(hierarchy["name"], hierarchy["parent"], strict=True):
        if up is not None and not (isinstance(up, float) and np.isnan(up)) and up != child:
            children.setdefault(str(up), []).append(str(child))
    found: list[str] = []
    seen = {parent}
    queue = list(children.get(parent, []))
    while queue:
        unit = queue.pop(0)
        if unit in seen:  # a cycle in bad data must not loop forever
            continue
        seen.add(unit)
        found.append(unit)
        queue.extend(children.get(unit, []))
    if leaves_only:
        return [u for u in found if u not in children]
    return found


def rollup(
    obs: pd.DataFrame,
    catalog: Catalog,
    hierarchy: pd.DataFrame,
    parent: str,
    *,
    name: str | None = None,
    include_self: bool = False,
    leaves_only: bool = False,
) -> pd.DataFrame:
    """Aggregate a parent unit from its descendants (optionally with its own rows)."""
    units = descendants(hierarchy, parent, leaves_only=leaves_only)
    if include_self:
        units = [parent, *units]
    return aggregate_units(obs, catalog, units, name or parent)


def ratio_values(grid: np.ndarray, catalog: Catalog, column: dict[str, int]) -> None:
    """Fill the ratio columns of ``grid`` in place: numerator / denominator * 100.

    ``grid`` is (rows, indicators) with NaN for missing; ``column`` maps codes to
    columns. A ratio exists only where both parts exist and the denominator is > 0.
    """
    for ind in catalog:
        if not ind.is_ratio:
            continue
        num = grid[:, column[ind.numerator]]
        den = grid[:, column[ind.denominator]]
        ok = np.isfinite(num) & (den > 0)
        out = np.full(len(grid), np.nan)
        np.divide(num, den, out=out, where=ok)
        grid[:, column[ind.code]] = np.where(ok, out * 100.0, np.nan)


def with_ratios(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """``obs`` plus one row per computable ratio indicator and (unit, period).

    Existing ratio rows are replaced, so the function can be applied twice.
    Extra columns (note, source) are kept on the entered rows and empty on ratios.
    """
    ratios = [i for i in catalog if i.is_ratio]
    entered_rows = obs[~obs["indicator"].isin([i.code for i in ratios])]
    if not ratios or obs.empty:
        return entered_rows.reset_index(drop=True)
    clean = clean_observations(entered_rows, catalog)
    keys = pd.MultiIndex.from_frame(clean[["unit", "period"]])
    row_codes, row_keys = pd.factorize(keys)
    codes = catalog.codes()
    column = {c: n for n, c in enumerate(codes)}
    cols = pd.Index(codes).get_indexer(clean["indicator"])
    grid = fill_grid(
        row_codes, cols, clean["value"].to_numpy(dtype=float), (len(row_keys), len(codes))
    )
    ratio_values(grid, catalog, column)
    cols = [column[i.code] for i in ratios]
    block = grid[:, cols]
    rows, which = np.nonzero(np.isfinite(block))
    added = pd.DataFrame(
        {
            "unit": row_keys.get_level_values(0)[rows],
            "period": row_keys.get_level_values(1)[rows],
            "indicator": np.asarray([i.code for i in ratios], dtype=object)[which],
            "value": block[rows, which],
        }
    )
    return pd.concat([entered_rows, added], ignore_index=True)


def fill_grid(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """A dense (rows, indicators) float grid with NaN where nothing was observed.

    ``rows``/``cols`` are integer positions. When a cell is observed twice the later
    observation wins, as a re-import would.
    """
    grid = np.full(shape, np.nan)
    flat = rows.astype(np.intp) * shape[1] + cols
    if len(flat) and np.bincount(flat).max() > 1:
        last = len(flat) - 1 - np.unique(flat[::-1], return_index=True)[1]
        flat, values = flat[last], values[last]
    grid.ravel()[flat] = values
    return grid


def unit_order(obs: pd.DataFrame, units: Sequence[str] | None) -> list[str]:
    """Units as the caller listed them, else in order of first appearance."""
    if units is not None:
        return list(dict.fromkeys(units))
    return list(pd.unique(obs["unit"]))


def period_grids(
    obs: pd.DataFrame,
    catalog: Catalog,
    periods: Sequence[str],
    units: Sequence[str] | None = None,
    group: str | None = None,
) -> tuple[np.ndarray, list[str]]:
    """A (periods, units, indicators) value cube with ratios filled in, and its units.

    Indicators are in catalog order; NaN marks a missing value. Rows of other
    periods or units, unknown codes, stored ratios and non-numbers are skipped
    without copying the frame. With ``group`` the units are aggregated first.
    """
    _require_columns(obs)
    if group is not None:
        sub = obs[obs["period"].isin(list(periods)).to_numpy()]
        if units is not None:
            sub = sub[sub["unit"].isin(list(units)).to_numpy()]
        obs, units = aggregate_units(sub, catalog, unit_order(sub, units), group), [group]
    distinct = list(dict.fromkeys(periods))
    period_codes = pd.Index(distinct).get_indexer(obs["period"])
    keep = period_codes >= 0
    unit_raw = obs["unit"].to_numpy(dtype=object)[keep]
    if units is None:
        unit_codes, uniques = pd.factorize(unit_raw)
        units_out = [str(u) for u in uniques]
    else:
        units_out = list(dict.fromkeys(units))
        unit_codes = pd.Index(units_out, dtype=object).get_indexer(unit_raw)
    codes = catalog.codes()
    # factorize (few distinct codes) then look the distinct ones up: entered codes only
    found, distinct_codes = pd.factorize(obs["indicator"].to_numpy(dtype=object)[keep])
    entered = pd.Index([c for c in codes if catalog[c].entered], dtype=object)
    lookup = np.array([codes.index(c) for c in entered] + [-1], dtype=np.intp)  # -1: unknown
    ind_cols = lookup[entered.get_indexer(distinct_codes)][found]
    values = _floats(obs["value"].to_numpy()[keep])
    ok = (unit_codes >= 0) & (ind_cols >= 0) & np.isfinite(values)
    period_codes, unit_codes, cols = period_codes[keep][ok], unit_codes[ok], ind_cols[ok]
    values = values[ok]
    column = {c: n for n, c in enumerate(codes)}
    cube = np.full((len(distinct), len(units_out), len(codes)), np.nan)
    for p in range(len(distinct)):  # one vectorised pass per period
        mine = period_codes == p
        cube[p] = fill_grid(unit_codes[mine], cols[mine], values[mine], cube[p].shape)
        ratio_values(cube[p], catalog, column)
    return cube[[distinct.index(p) for p in periods]], units_out


def _floats(values: np.ndarray) -> np.ndarray:
    """Values as floats; anything that is not a number becomes NaN (and is skipped)."""
    if values.dtype.kind in "fiub":
        return values.astype(float, copy=False)
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def _require_columns(obs: pd.DataFrame) -> None:
    missing = [c for c in OBS_COLUMNS if c not in obs.columns]
    if missing:
        raise JianfuError(f"观测数据缺少列：{'、'.join(missing)}")
