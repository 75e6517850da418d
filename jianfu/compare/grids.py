"""Observations as dense grids: cleaning, ratios, and units combined like for like.

Observations are rows of (unit, period, indicator, value). Ratio indicators are
never stored: they are derived from their numerator and denominator, so when units
are combined the parts are summed first and the ratio recomputed from them
(377 of 407 plus 30 of 93 is 407/500, not the mean of two shares). A combined unit
counts, for each indicator, only the units with a value in every period compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Grids:
    """Values by (period, unit, indicator), NaN where missing, ratios filled in.

    ``left_out`` (for a group only) names each unit and indicator that was not
    counted because the unit lacks a value in one of the periods: columns unit,
    indicator, missing (the periods without a value, in order). ``not_rolled``
    (for a group only) holds the codes the members have values for that the
    catalog does not roll up (a percent typed in without a weight).
    """

    cube: np.ndarray
    units: list[str]
    left_out: pd.DataFrame
    not_rolled: tuple[str, ...] = ()


LEFT_OUT_COLUMNS = ["unit", "indicator", "missing"]


def period_grids(
    obs: pd.DataFrame,
    catalog: Catalog,
    periods: Sequence[str],
    units: Sequence[str] | None = None,
    group: str | None = None,
) -> Grids:
    """The (periods, units, indicators) value cube of ``obs``, indicators in catalog order.

    Rows of other periods or units, unknown codes, stored ratios and non-numbers
    are skipped without copying the frame. With ``group`` the selected units are
    combined into one unit of that name, like for like: for each indicator only
    the units with a value in every one of ``periods`` count, so a town that
    reported in one year only cannot make the total jump (see :func:`combine`).
    """
    _require_columns(obs)
    distinct = list(dict.fromkeys(periods))
    cube, units_out = _unit_cube(obs, catalog, distinct, units)
    cube = cube[[distinct.index(p) for p in periods]]
    if group is None:
        column = {c: n for n, c in enumerate(catalog.codes())}
        for grid in cube:
            ratio_values(grid, catalog, column)
        return Grids(cube, units_out, _no_left_out())
    combined, left_out = combine(cube, catalog, units_out, list(periods))
    seen = np.isfinite(cube).any(axis=(0, 1))
    not_rolled = tuple(i.code for n, i in enumerate(catalog) if i.aggregate == "none" and seen[n])
    return Grids(combined, [group], left_out, not_rolled)


def combine(
    cube: np.ndarray, catalog: Catalog, units: list[str], periods: list[str]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Aggregate the units of ``cube`` into one, like for like; and who was left out.

    Each entered indicator uses its catalog rule (sum/mean/max/min) over the units
    that have a value in every period; a mean with a weight (单件文件平均字数 by
    发文数量) is weighted, over the units that have both. A ratio is the sum of its
    numerators over the sum of its denominators, both over the units that have both
    parts in every period (never an average of shares).
    """
    codes = catalog.codes()
    column = {c: n for n, c in enumerate(codes)}
    seen = np.isfinite(cube)  # (periods, units, indicators)
    have = seen.copy()  # every part a figure needs, per period
    for ind in catalog:
        parts = _parts(ind)
        if parts:
            n = column[ind.code]
            have[:, :, n] = np.logical_and.reduce([seen[:, :, column[p]] for p in parts])
            if ind.is_ratio:  # a weight alone does not make a unit count as reporting
                seen[:, :, n] = np.logical_or.reduce([seen[:, :, column[p]] for p in parts])
    complete = have.all(axis=0)  # (units, indicators)
    out = np.full((len(periods), 1, len(codes)), np.nan)
    for ind in catalog:
        n, use = column[ind.code], complete[:, column[ind.code]]
        if ind.is_ratio:
            num, den = (_aggregate(cube[:, :, column[p]], use, "sum") for p in _parts(ind))
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, 0, n] = np.where(den > 0, num / den * 100.0, np.nan)
        elif ind.weight is not None:
            out[:, 0, n] = _weighted(cube[:, :, n], cube[:, :, column[ind.weight]], use)
        else:
            out[:, 0, n] = _aggregate(cube[:, :, n], use, ind.aggregate)
    return out, _left_out(seen.any(axis=0) & ~complete, have, units, codes, periods)


def _parts(ind) -> tuple[str, ...]:
    """The other indicators a combined figure is made from, besides (or instead of) itself."""
    if ind.is_ratio:
        return (ind.numerator, ind.denominator)
    if ind.weight is not None:
        return (ind.code, ind.weight)
    return ()


def _aggregate(values: np.ndarray, use: np.ndarray, rule: str) -> np.ndarray:
    """(periods, units) values -> one per period over the units in ``use``; NaN if none."""
    if rule == "none" or not use.any():  # e.g. a rate typed in: it cannot be combined
        return np.full(values.shape[0], np.nan)
    chosen = values[:, use]
    return {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}[rule](chosen, axis=1)


def _weighted(values: np.ndarray, weights: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Per period: sum(value x weight) / sum(weight) over the units in ``use``."""
    if not use.any():
        return np.full(values.shape[0], np.nan)
    v, w = values[:, use], weights[:, use]
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (v * w).sum(axis=1) / total, np.nan)


def _left_out(partial, have, units, codes, periods) -> pd.DataFrame:
    """Units with a value in some period but not a full set in all, with the gaps."""
    rows = []
    for u, i in zip(*np.nonzero(partial), strict=True):
        missing = [p for p, has in zip(periods, have[:, u, i], strict=True) if not has]
        rows.append((units[u], codes[i], "、".join(missing)))
    return pd.DataFrame(rows, columns=LEFT_OUT_COLUMNS)


def _no_left_out() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in LEFT_OUT_COLUMNS})


def _unit_cube(
    obs: pd.DataFrame, catalog: Catalog, periods: list[str], units: Sequence[str] | None
) -> tuple[np.ndarray, list[str]]:
    """Entered values by (period, unit, indicator); ratio columns still empty."""
    period_codes = pd.Index(periods).get_indexer(obs["period"])
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
    cube = np.full((len(periods), len(units_out), len(codes)), np.nan)
    for p in range(len(periods)):  # one vectorised pass per period
        mine = period_codes == p
        cube[p] = fill_grid(unit_codes[mine], cols[mine], values[mine], cube[p].shape)
    return cube, units_out


def _floats(values: np.ndarray) -> np.ndarray:
    """Values as floats; anything that is not a number becomes NaN (and is skipped)."""
    if values.dtype.kind in "fiub":
        return values.astype(float, copy=False)
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def _require_columns(obs: pd.DataFrame) -> None:
    missing = [c for c in OBS_COLUMNS if c not in obs.columns]
    if missing:
        raise JianfuError(f"观测数据缺少列：{'、'.join(missing)}")
