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
新增          no value or 0 before, a positive value after (no percentage exists)
变化          a 中性 indicator whose value moved: no judgement is made
无数据        no value after, or no value before and nothing (0) after
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .catalog import Catalog
from .errors import JianfuError
from .numfmt import fmt_number, fmt_signed, fmt_value, is_missing, value_digits
from .observations import aggregate_units, descendants, period_grids, rollup, with_ratios
from .thresholds import ThresholdOptions, describe_warnings, threshold_warnings
from .trend import trend, trend_records

__all__ = [
    "COMPARE_COLUMNS",
    "VERDICTS",
    "ThresholdOptions",
    "aggregate_units",
    "compare",
    "compare_records",
    "descendants",
    "format_table",
    "rank",
    "rollup",
    "trend",
    "trend_records",
    "with_ratios",
]

COMPARE_COLUMNS = [
    "unit", "indicator", "name", "short", "category", "measure", "direction", "kind",
    "before", "after", "change", "pct_change", "pp_change", "verdict", "warnings",
]  # fmt: skip
VERDICTS = ("改善", "恶化", "持平", "新增", "变化", "无数据")
LOWER, HIGHER = "越少越好", "越多越好"
_DIRECTION_SIGN = {LOWER: -1, HIGHER: 1, "中性": 0}
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
        if given, the selected units are first aggregated into one unit of this name.
    thresholds
        which warning levels apply and the user's own threshold values.

    Returns
    -------
    DataFrame with :data:`COMPARE_COLUMNS`, one row per (unit, indicator) with a value
    in either period, units in order and indicators in catalog order. ``pct_change``
    is in percent (-37.5) and NaN without a non-zero base; ``pp_change`` is set for
    rate indicators only. ``attrs`` holds ``before``, ``after`` and ``group``.
    """
    cube, units_out = period_grids(obs, catalog, [before, after], units, group)
    unit_idx, ind_idx = np.nonzero(np.isfinite(cube).any(axis=0))  # unit, then catalog order
    b = cube[0][unit_idx, ind_idx]
    a = cube[1][unit_idx, ind_idx]
    inds = list(catalog)
    direction = np.array([_DIRECTION_SIGN[i.direction] for i in inds], dtype=np.int8)[ind_idx]
    rate = np.array([i.is_rate for i in inds], dtype=bool)[ind_idx]
    verdict, change, pct, pp = _changes(b, a, direction, rate)
    meta = {k: _strings([getattr(i, k) for i in inds], ind_idx) for k in _META}
    table = pd.DataFrame(
        {
            "unit": _strings(units_out, unit_idx),
            "indicator": _strings(catalog.codes(), ind_idx),
            **meta,
            "before": b,
            "after": a,
            "change": change,
            "pct_change": pct,
            "pp_change": pp,
            "verdict": verdict,
            "warnings": _objects(
                threshold_warnings(catalog, thresholds, ind_idx, b, a, pct, before)
            ),
        },
        columns=COMPARE_COLUMNS,
        copy=False,  # every column is a fresh array made above
    )
    table.attrs.update(before=before, after=after, group=group)
    return table


def _changes(
    b: np.ndarray, a: np.ndarray, direction: np.ndarray, rate: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Verdict, change, percent change and point change, all vectorised.

    ``direction`` is -1 for 越少越好, +1 for 越多越好, 0 for 中性.
    """
    has_b, has_a = np.isfinite(b), np.isfinite(a)
    both = has_a & has_b
    with np.errstate(invalid="ignore", divide="ignore"):
        change = a - b
        same = both & (np.abs(change) <= 1e-9 * (1.0 + np.abs(b)))  # float noise is not a change
        change[same] = 0.0
        base = both & (b != 0)
        pct = np.full_like(change, np.nan)
        np.divide(change, np.abs(b), out=pct, where=base)
        pct *= 100.0
        new = has_a & (a > 0) & (~has_b | (b == 0))
        better = np.sign(change) * direction > 0
    code = np.ones(len(b), dtype=np.intp)  # 恶化 unless a rule below says otherwise
    code[better] = 0
    code[direction == 0] = 4
    code[new] = 3
    code[same] = 2
    code[~has_a | (~has_b & ~new)] = 5
    pp = np.where(rate & both, change, np.nan)
    return _strings(VERDICTS, code), change, pct, pp


def _objects(items: list) -> np.ndarray:
    """A 1-d object array of ``items`` (lists stay cells, not a second dimension)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _strings(labels: Sequence[str], positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A string column by position into a few labels, without re-checking every cell."""
    return pd.array(list(labels), dtype="str").take(positions)


def rank(table: pd.DataFrame, *, indicator: str | None = None) -> pd.DataFrame:
    """Rank units, best first, from a :func:`compare` table.

    With ``indicator``: by that indicator's percent change, direction-aware (the
    largest cut first for 越少越好, the largest rise first for 越多越好); units
    without a percentage (zero base, missing data) follow unranked. Without it: by
    the share (in percent) of judged indicators that improved. 中性 indicators are
    not judged; 新增 counts as improved for 越多越好 and not for 越少越好.
    Ties share a rank (1, 2, 2, 4). Ranking on a 中性 indicator, or on one absent
    from the table, raises :class:`JianfuError` with a Chinese message.

    Returns
    -------
    DataFrame with columns rank (Int64, <NA> when unranked), unit, value, label.
    """
    if indicator is not None:
        return _rank_indicator(table, indicator)
    judged = (table["direction"] != "中性") & (table["verdict"] != "无数据")
    improved = judged & (
        (table["verdict"] == "改善")
        | ((table["verdict"] == "新增") & (table["direction"] == HIGHER))
    )
    flags = pd.DataFrame({"unit": table["unit"], "up": improved, "judged": judged})
    summary = flags.groupby("unit", sort=False)[["up", "judged"]].sum().reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(summary["judged"] > 0, summary["up"] / summary["judged"] * 100.0, np.nan)
    labels = [
        f"改善{up}项/共{n}项" if n else "无可评价的指标"
        for up, n in zip(summary["up"], summary["judged"], strict=True)
    ]
    return _ranked(summary["unit"], value, value, labels)


def _rank_indicator(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = table[table["indicator"] == indicator]
    if rows.empty:
        raise JianfuError(f"对比结果中没有指标“{indicator}”")
    direction = rows["direction"].iloc[0]
    if direction == "中性":
        raise JianfuError(f"“{rows['name'].iloc[0]}”是中性指标，不能按改善程度排名")
    pct = rows["pct_change"].to_numpy(dtype=float)
    score = -pct if direction == LOWER else pct
    labels = np.where(
        np.isnan(pct),
        rows["verdict"].to_numpy(dtype=object),
        [_pct_label(p) for p in pct],
    )
    return _ranked(rows["unit"], pct, score, list(labels))


def _pct_label(pct: float) -> str:
    if np.isnan(pct) or pct == 0:
        return "持平"
    return f"{'减少' if pct < 0 else '增加'}{fmt_number(abs(pct))}%"


def _ranked(units: pd.Series, value, score, labels: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "unit": units.to_numpy(dtype=object),
            "value": np.asarray(value, dtype=float),
            "label": np.asarray(labels, dtype=object),
            "_score": np.asarray(score, dtype=float),
        }
    )
    out["rank"] = out["_score"].rank(method="min", ascending=False).astype("Int64")
    out = out.sort_values("_score", ascending=False, kind="stable", na_position="last")
    return out[["rank", "unit", "value", "label"]].reset_index(drop=True)


RECORD_KEYS = (
    "unit", "indicator", "name", "short", "measure", "direction", "kind",
    "before", "after", "change", "pct_change", "pp_change", "verdict", "warnings",
)  # fmt: skip


def compare_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a :func:`compare` table: plain Python values, None for NaN."""
    records = []
    for row in table.loc[:, list(RECORD_KEYS)].itertuples(index=False):
        record = {}
        for key, value in zip(RECORD_KEYS, row, strict=True):
            if key == "warnings":
                record[key] = [dict(w) for w in value]
            elif key in ("before", "after", "change", "pct_change", "pp_change"):
                record[key] = None if is_missing(value) else float(value)
            else:
                record[key] = str(value)
        records.append(record)
    return records


def format_table(table: pd.DataFrame) -> str:
    """A plain-text table in Chinese, columns aligned for a terminal (CJK = 2 cells)."""
    before = table.attrs.get("before") or "前期"
    after = table.attrs.get("after") or "后期"
    header = ["单位", "指标", before, after, "增减", "增减幅度", "结论", "预警"]
    lines = [header]
    for row in table.itertuples(index=False):
        digits = value_digits(row.kind)
        if row.kind in ("ratio", "percent"):
            moved = fmt_signed(row.pp_change, "个百分点", digits)
        else:
            moved = fmt_signed(row.change, row.measure, digits)
        lines.append(
            [
                str(row.unit),
                str(row.name),
                fmt_value(row.before, row.measure, digits),
                fmt_value(row.after, row.measure, digits),
                moved,
                fmt_signed(row.pct_change, "%"),
                str(row.verdict),
                describe_warnings(row.warnings) or "",
            ]
        )
    widths = [max(_width(line[c]) for line in lines) for c in range(len(header))]
    return "\n".join(
        "  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
