"""Checking an import's cells: every value as meant, or a message naming its cell.

The importer reduces both layouts to one "cells" frame (one candidate value per
row, with its Excel row, column header, indicator and the measure it was written
in); the checks here run over it with vectorised masks, so a 10,000-row file is
checked in a fraction of a second and every problem is listed at once.

Nothing is guessed: a measure that converts exactly is converted and said; a
total row is left out and said; 0.926 in a percent column is asked about.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..catalog import Catalog, Indicator
from ..catalog.values import maybe_fraction, value_problems
from ..names import MAX_NAME, cell_text, has_text, squash
from ..numfmt import plain
from ..numparse import parse_numbers
from .measures import describe, factor
from .totals import check_totals, is_total

OBS_COLUMNS = ["unit", "period", "indicator", "value", "note"]
KEYS = ["unit", "period", "indicator"]
PERCENT, AS_IS = "percent", "as_is"  # answers to a fraction question


@dataclass(frozen=True)
class Checked:
    observations: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)


def validate(
    cells: pd.DataFrame,
    catalog: Catalog,
    check,
    labels: dict[str, str],
    fractions: Mapping[str, str],
) -> Checked:
    """Tidy observations from ``cells``; problems go to ``check`` (the importer's checker)."""
    if cells.empty:
        return Checked(_empty())
    cells = _with_numbers(cells, catalog)
    cells = cells[~cells["blank"]].reset_index(drop=True)  # empty cell: no value, no error
    if cells.empty:
        return Checked(_empty())
    total = cells["unit"].map(is_total).astype(bool)
    ok = _check_labels(cells, check, labels)
    ok &= _check_indicators(cells, catalog, check)
    ok &= _convert_measures(cells, catalog, check)
    ok &= _check_numbers(cells, catalog, check)
    notes: list[str] = []
    questions = _fractions(cells, ok & ~total, catalog, fractions, notes)
    notes += _totals(cells[ok & total], cells[ok & ~total], catalog)
    good = _merge_duplicates(cells[(ok & ~total).to_numpy()], check)
    out = good[OBS_COLUMNS].reset_index(drop=True)
    out = out.astype({"unit": str, "period": str, "indicator": str, "value": float, "note": str})
    return Checked(out, _conversion_notes(cells[ok], catalog) + notes, questions)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else str) for c in OBS_COLUMNS})


def _with_numbers(cells: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Add value (float), blank and bad columns, parsing per indicator."""
    value = pd.Series(np.nan, index=cells.index)
    blank = pd.Series(False, index=cells.index)
    for code, group in cells.groupby("indicator", dropna=False, sort=False):
        ind = catalog.get(code) if isinstance(code, str) else None
        v, b = parse_numbers(group["raw"], _suffixes(ind))
        value[group.index] = v.to_numpy()
        blank[group.index] = b.to_numpy()
    cells = cells.assign(value=value, blank=blank)
    cells["bad"] = ~cells["blank"] & ~np.isfinite(cells["value"])
    return cells


def _suffixes(ind: Indicator | None) -> tuple[str, ...]:
    if ind is None:
        return ()
    measure = squash(ind.measure)
    return (measure, "%") if ind.kind == "percent" and measure != "%" else (measure,)


def _check_labels(cells: pd.DataFrame, check, labels: dict[str, str]) -> pd.Series:
    unit_empty = cells["unit"].eq("")
    period_empty = cells["period"].eq("")
    check.add_rows(cells.loc[unit_empty, "row"].unique(), labels["unit"], "单位不能为空")
    check.add_rows(cells.loc[period_empty, "row"].unique(), labels["period"], "时期不能为空")
    bad = unit_empty | period_empty
    for role, what in (("unit", "单位名称"), ("period", "时期名称")):
        long = cells[role].str.len() > MAX_NAME
        for row, text in (
            cells.loc[long, ["row", role]].drop_duplicates("row").itertuples(index=False)
        ):
            check.add(f"{what}过长（最多{MAX_NAME}个字）：“{text[:20]}……”", int(row), labels[role])
        bad |= long
    return ~bad


def _check_indicators(cells: pd.DataFrame, catalog: Catalog, check) -> pd.Series:
    unknown = cells["indicator"].isna()
    for row, column, text in cells.loc[
        unknown, ["row", "indicator_column", "indicator_text"]
    ].itertuples(index=False):
        if has_text(text):
            shown = cell_text(text)
            check.add(f"无法识别的指标“{shown}”{suggest(catalog, shown)}", int(row), column)
        else:
            check.add("指标不能为空", int(row), column)
    ratios = {i.code for i in catalog if i.is_ratio}
    ratio = cells["indicator"].isin(ratios)
    for row, column, code in cells.loc[ratio, ["row", "indicator_column", "indicator"]].itertuples(
        index=False
    ):
        check.add(ratio_message(catalog, catalog[code]), int(row), column)
    return ~(unknown | ratio)


def _convert_measures(cells: pd.DataFrame, catalog: Catalog, check) -> pd.Series:
    """Multiply values written in another measure (小时 for 分钟 …); refuse the inexact."""
    measures = cells["indicator"].map(lambda c: catalog[c].measure if c in catalog else "")
    times = pd.Series(
        [
            factor(w, m) if c in catalog else 1.0
            for w, m, c in zip(cells["written"], measures, cells["indicator"], strict=True)
        ],
        index=cells.index,
        dtype=object,
    )
    refused = times.isna() & ~cells["bad"]
    for row, column, written, measure in (
        cells.loc[refused, ["row", "measure_column", "written", "indicator"]]
        .assign(indicator=measures[refused])
        .itertuples(index=False)
    ):
        check.add(f"计量单位“{written}”无法换算为指标的计量单位“{measure}”", int(row), column)
    scale = times.where(~refused, 1.0).astype(float)
    moved = scale != 1
    # 1.5 小时 -> 90.0, not 90.00000000000001 (only converted cells: 1e308 must not overflow)
    cells.loc[moved, "value"] = (cells.loc[moved, "value"] * scale[moved]).round(10)
    cells["factor"] = scale
    return ~refused


def _conversion_notes(cells: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Long layout: which rows were converted from which measure (wide says it per column)."""
    moved = cells[(cells["factor"] != 1) & (cells["measure_column"] != "")]
    notes = []
    for (written, code), group in moved.groupby(["written", "indicator"], sort=False):
        ind = catalog[code]
        rows = _rows(group["row"])
        times = describe(written, ind.measure, group["factor"].iloc[0])
        notes.append(f"{ind.name}第{rows}行的计量单位是“{written}”，已按{times}换算")
    return notes


def _check_numbers(cells: pd.DataFrame, catalog: Catalog, check) -> pd.Series:
    """The indicator's value rules (:mod:`jianfu.catalog.values`), one message per bad cell."""
    kinds = cells["indicator"].map({i.code: i.kind for i in catalog})
    problems = value_problems(kinds, cells["value"])
    bad = problems.notna()
    for row, column, raw, template in (
        cells.loc[bad, ["row", "column", "raw"]].assign(t=problems[bad]).itertuples(index=False)
    ):
        check.add(template.format(cell_text(raw)), int(row), column)
    counts = kinds.eq("count") & ~bad
    cells.loc[counts, "value"] = cells.loc[counts, "value"].round()  # 3.0000000001 from Excel
    return ~bad


def _fractions(
    cells: pd.DataFrame,
    use: pd.Series,
    catalog: Catalog,
    answers: Mapping[str, str],
    notes: list[str],
) -> dict[str, str]:
    """0.926 in a percent column: 92.6% typed as a fraction? Ask unless answered.

    Answered "percent", the doubtful values of ``cells`` (rows in ``use``) are
    multiplied by 100 in place.
    """
    questions = {}
    for code, group in cells[use].groupby("indicator", sort=False):
        ind = catalog[code]
        doubtful = group[group["value"].map(lambda v, ind=ind: maybe_fraction(ind, v))]
        if doubtful.empty:
            continue
        answer = answers.get(code)
        if answer == PERCENT:
            cells_index = doubtful.index
            cells.loc[cells_index, "value"] = (doubtful["value"] * 100).round(10)
            notes.append(f"{ind.name}的{len(doubtful)}个小数已按百分比换算（如0.926记为92.6%）")
        elif answer != AS_IS:
            example = plain(doubtful["value"].iloc[0])
            questions[code] = (
                f"“{ind.name}”有{len(doubtful)}个数值在0到1之间（如第{int(doubtful['row'].iloc[0])}行的"
                f"{example}），是指{plain(round(float(example) * 100, 10))}%这样的比例，"
                f"还是就是{example}%？"
            )
    return questions


def _totals(totals: pd.DataFrame, rows: pd.DataFrame, catalog: Catalog) -> list[str]:
    if totals.empty:
        return []
    labels = totals.drop_duplicates("row")
    said = "、".join(
        f"第{int(r)}行“{u}”" for r, u in labels[["row", "unit"]].itertuples(index=False)
    )
    notes = [f"{said}是合计或小计行，未导入（汇总数由系统按各单位计算）"]
    return notes + check_totals(totals, rows, catalog)


def _merge_duplicates(cells: pd.DataFrame, check) -> pd.DataFrame:
    """Same unit, period and indicator twice: merge if equal, else name both rows."""
    repeated = cells.duplicated(KEYS, keep="first")
    if not repeated.any():
        return cells
    first = cells.loc[~repeated, KEYS + ["row", "value"]]
    later = cells[repeated].merge(first, on=KEYS, how="left", suffixes=("", "_first"))
    differs = ~np.isclose(later["value"], later["value_first"], rtol=0, atol=1e-9)
    for row, column, raw, first_row, first_value in later.loc[
        differs, ["row", "column", "raw", "row_first", "value_first"]
    ].itertuples(index=False):
        check.add(
            f"与第{int(first_row)}行重复（同一单位、时期和指标），但数值不同："
            f"第{int(first_row)}行为{cell_text(float(first_value))}，本行为{cell_text(raw)}",
            int(row),
            column,
        )
    return cells[~repeated]


# ---------------------------------------------------------------- messages


def suggest(catalog: Catalog, text: str) -> str:
    """“，是否指“发文数量”？” for a near miss, else a pointer to the catalog."""
    bare = re.sub(r"[（(][^）)]*[）)]\s*$", "", squash(text))
    names = {ind.name: ind.name for ind in catalog}
    names.update({ind.code: ind.name for ind in catalog})
    close = difflib.get_close_matches(bare, list(names), n=3, cutoff=0.5)
    picks = list(dict.fromkeys(names[c] for c in close))
    if picks:
        return "，是否指" + "或".join(f"“{p}”" for p in picks) + "？"
    return "，请使用指标目录（模板的“指标目录”表）中的名称或代码"


def ratio_message(catalog: Catalog, ind: Indicator) -> str:
    parts = [catalog.get(c) for c in (ind.numerator, ind.denominator)]
    a, b = (
        p.name if p else c for p, c in zip(parts, (ind.numerator, ind.denominator), strict=True)
    )
    return f"“{ind.name}”由“{a}”和“{b}”计算得出，请填写这两项"


def _rows(rows: pd.Series) -> str:
    shown = sorted(int(r) for r in rows.unique())
    return "、".join(str(r) for r in shown[:8]) + ("等" if len(shown) > 8 else "")
