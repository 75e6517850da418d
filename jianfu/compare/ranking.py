"""Ranking units on a comparison: by one indicator's change or by the share improved."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.directions import COMPARED, FLAT, IMPROVED, NEUTRAL, favourable_mask, sign
from ..errors import JianfuError
from ..numbers.format import fmt_number, fmt_value
from .smallbase import SMALL_BASE, small_base_mask


def rank(table: pd.DataFrame, *, indicator: str | None = None) -> pd.DataFrame:
    """Rank units, best first, from a :func:`compare` table.

    With ``indicator``: by that indicator's percent change, direction-aware (the
    largest cut first for 越少越好, the largest rise first for 越多越好); units
    without a percentage (zero base, missing data) follow unranked. Without it: by
    the share (in percent) of judged indicators that improved, counted only on the
    indicators every unit has compared (a unit judged on 3 indicators must not
    top one judged on 27); the label says how many (改善7项/共9项) and
    ``attrs["notes"]`` what was left out. 中性 indicators are not judged; 新增
    counts as improved for 越多越好 and not for 越少越好. Ties share a rank
    (1, 2, 2, 4). Ranking on a 中性 indicator, or on one absent from the table,
    raises :class:`JianfuError` with a Chinese message.

    Returns
    -------
    DataFrame with columns rank (Int64, <NA> when unranked), unit, value, label;
    ``attrs`` holds ``judged_on`` (indicators counted) and ``notes``.
    """
    if indicator is not None:
        return _rank_indicator(table, indicator)
    judged = (table["direction"] != NEUTRAL) & table["verdict"].isin(COMPARED)
    units = list(dict.fromkeys(table["unit"]))
    per_code = table.loc[judged].groupby("indicator", sort=False)["unit"].nunique()
    common = set(per_code.index[per_code == len(units)])
    dropped = [n for c, n in _names(table, judged) if c not in common]
    judged &= table["indicator"].isin(common)
    improved = judged & favourable_mask(table)
    flags = pd.DataFrame({"unit": table["unit"], "up": improved, "judged": judged})
    summary = flags.groupby("unit", sort=False)[["up", "judged"]].sum()
    summary = summary.reindex(units, fill_value=0).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(summary["judged"] > 0, summary["up"] / summary["judged"] * 100.0, np.nan)
    labels = [
        f"{IMPROVED}{up}项/共{n}项" if n else "无共同的可评价指标"
        for up, n in zip(summary["up"], summary["judged"], strict=True)
    ]
    out = _ranked(summary["unit"], value, value, labels)
    notes = []
    if common and len(units) > 1:
        notes.append(f"按各单位共有的{len(common)}项可评价指标计算改善指标占比")
    if dropped and len(units) > 1:
        notes.append(f"{len(dropped)}项指标并非各单位都有数据，未计入排名：{_list(dropped)}")
    if not common and len(table):
        notes.append("所选单位没有共同的可评价指标，无法按改善指标占比排名，可改按某一指标排名")
    out.attrs.update(judged_on=len(common), notes=notes)
    return out


def _names(table: pd.DataFrame, mask: pd.Series) -> list[tuple[str, str]]:
    """(code, name) of the indicators under ``mask``, in table order, once each."""
    rows = table.loc[mask, ["indicator", "name"]].drop_duplicates("indicator")
    return list(zip(rows["indicator"], rows["name"], strict=True))


def _list(items: list[str], limit: int = 6) -> str:
    return "、".join(items[:limit]) + ("等" if len(items) > limit else "")


def _rank_indicator(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = table[table["indicator"] == indicator]
    if rows.empty:
        raise JianfuError(f"对比结果中没有指标“{indicator}”")
    direction = rows["direction"].iloc[0]
    if direction == NEUTRAL:
        raise JianfuError(f"“{rows['name'].iloc[0]}”是中性指标，不能按改善程度排名")
    pct = rows["pct_change"].to_numpy(dtype=float)
    small = small_base_mask(rows) & ~np.isnan(pct)  # 1 -> 3 is not a +200% winner
    pct = np.where(small, np.nan, pct)
    score = pct * sign(direction)
    labels = [
        _small_label(row) if few else (row.verdict if np.isnan(p) else _pct_label(p))
        for row, p, few in zip(rows.itertuples(index=False), pct, small, strict=True)
    ]
    out = _ranked(rows["unit"], pct, score, labels)
    if small.any():
        out.attrs["notes"] = [
            f"基期小于{SMALL_BASE}的单位不按变化幅度排名：{_list(rows['unit'][small].tolist())}"
        ]
    return out


def _small_label(row) -> str:
    d = int(row.decimals)
    return f"{fmt_value(row.before, row.measure, d)}→{fmt_value(row.after, row.measure, d)}"


def _pct_label(pct: float) -> str:
    if np.isnan(pct) or pct == 0:
        return FLAT
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
