"""What each chart draws, taken from the engine's tables (never from raw observations).

Rows without a value in both periods, zero bases, rates (which move in 个百分点)
and small bases are set aside here with the footnote that says so; values are
labelled exactly as the tables write them. No altair here.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalog import Indicator
from ..catalog.directions import COMPARED
from ..compare.rollups import labelled
from ..compare.smallbase import SMALL_BASE, small_base_mask
from ..numbers.format import fmt_value, is_missing


def compared_only(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows with a value in both periods; the others are named in a note, never drawn."""
    compared = table["verdict"].isin(COMPARED)
    if compared.all():
        return table, []
    rows = row_labels(table[~compared], table["unit"].nunique() > 1)
    return table[compared], [f"{len(rows)}项只有一个时期有数据，未作比较：{listed(rows)}"]


def percent_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows a percent-change chart may draw, and notes on those it may not.

    A zero base has no percentage; a rate moves in 个百分点; a count on a small base
    (:mod:`jianfu.compare.smallbase`, the sentences' rule) is listed with its two counts.
    """
    notes = []
    has_pct = data["pct_change"].map(present).to_numpy()
    rate = data["kind"].isin(("percent", "ratio")).to_numpy()
    small = small_base_mask(data) & has_pct & ~rate
    zero_base = data.loc[~has_pct, "row"].tolist()
    if zero_base:
        notes.append(f"{len(zero_base)}项基期为0，无法计算变化幅度，未列出：{listed(zero_base)}")
    rates = data.loc[has_pct & rate, "row"].tolist()
    if rates:
        notes.append(f"占比类指标的变化以个百分点计，见对比表：{listed(rates)}")
    if small.any():
        few = data[small]
        counts = [
            f"{r}{b}→{a}"
            for r, b, a in zip(
                few["row"],
                value_texts(few.assign(value=few["before"])),
                value_texts(few.assign(value=few["after"])),
                strict=True,
            )
        ]
        notes.append(
            f"基期小于{SMALL_BASE}的计数不画百分比（以免夸大），前后数字：{listed(counts)}"
        )
    return data.loc[has_pct & ~rate & ~small], notes


def before_after_long(table: pd.DataFrame, before_label: str, after_label: str) -> pd.DataFrame:
    """Comparison rows -> one row per (unit, indicator, period) with a value."""
    keep = ["unit", "indicator", "name", "category", "measure", "kind", "decimals"]
    keep += [c for c in ("rollup_label",) if c in table.columns]
    parts = []
    for column, label in (("before", before_label), ("after", after_label)):
        part = table[keep].copy()
        part["period"] = label
        part["value"] = pd.to_numeric(table[column], errors="coerce")
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    long = long[long["value"].map(present)]
    labels = long["rollup_label"] if "rollup_label" in long.columns else [""] * len(long)
    long["panel"] = [  # 主讲话时长（两镇中最长，分钟）
        f"{n}（{label}，{m}）" if isinstance(label, str) and label else f"{n}（{m}）"
        for n, m, label in zip(long["name"], long["measure"], labels, strict=True)
    ]
    long["name"] = labelled_names(long)  # tooltips and category rows say what a figure is
    long["text"] = value_texts(long)
    return long


def trend_values(table: pd.DataFrame, picked: list[Indicator], periods: list[str]) -> pd.DataFrame:
    """The trend rows of the picked indicators as one row per (unit, indicator, period)."""
    rows = table[table["indicator"].isin([i.code for i in picked])]
    data = pd.DataFrame(
        [
            (r.unit, r.indicator, p, v, r.measure, r.kind, int(r.decimals))
            for r in rows.itertuples(index=False)
            for p, v in zip(periods, r.values, strict=True)
            if present(v)
        ],
        columns=["unit", "indicator", "period", "value", "measure", "kind", "decimals"],
    )
    data["text"] = value_texts(data)
    return data


def rollup_notes(rows: pd.DataFrame, picked: list[Indicator]) -> list[str]:
    """“主讲话时长：两镇中最长（不是合计）” for each drawn indicator that is not a total."""
    if "rollup_label" not in rows.columns:
        return []
    labels = dict(zip(rows["indicator"], rows["rollup_label"], strict=True))
    return [
        f"{ind.name}：{labels[ind.code]}（不是合计）"
        for ind in picked
        if isinstance(labels.get(ind.code), str) and labels[ind.code]
    ]


def trend_breaks(table: pd.DataFrame) -> pd.DataFrame:
    """(unit, indicator, period, value) where a run first failed to move the better way."""
    rows = []
    periods = list(table.attrs.get("periods") or [])
    for r in table.itertuples(index=False):
        if isinstance(r.first_break, str) and r.first_break in periods:
            value = r.values[periods.index(r.first_break)]
            if present(value):
                rows.append((r.unit, r.indicator, r.first_break, value))
    return pd.DataFrame(rows, columns=["unit", "indicator", "period", "value"])


def value_texts(data: pd.DataFrame) -> list[str]:
    """Labels as the tables write them: each row at its own precision."""
    return [
        fmt_value(v, m, int(d), fixed=True)
        for v, m, d in zip(data["value"], data["measure"], data["decimals"], strict=True)
    ]


def row_labels(data: pd.DataFrame, several_units: bool) -> list[str]:
    """Bar labels: the indicator with what a combined figure is (主讲话时长（两镇中最长）)."""
    names = labelled_names(data)
    if several_units:
        return [f"{u}·{n}" for u, n in zip(data["unit"], names, strict=True)]
    return names


def labelled_names(data: pd.DataFrame) -> list[str]:
    labels = data["rollup_label"] if "rollup_label" in data.columns else [""] * len(data)
    return [
        labelled(n, {"rollup_label": label}) for n, label in zip(data["name"], labels, strict=True)
    ]


def unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def listed(items: list[str], limit: int = 6) -> str:
    shown = "、".join(items[:limit])
    return shown + ("等" if len(items) > limit else "")


def present(value: object) -> bool:
    return not is_missing(value)
