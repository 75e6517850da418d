"""Checking an import's cells: every value as meant, or a message naming its cell.

The importer reduces both layouts to one "cells" frame (one candidate value per
row, with its Excel row, column header, indicator and the measure it was written
in); the checks here run over it with vectorised masks, so a 10,000-row file is
checked in a fraction of a second and every problem is listed at once.

Nothing is guessed: a measure that converts exactly is converted and said; a
total or change row is left out and said; 0.926 in a percent column is asked
about; two spellings of one name are one name, and two values for it are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..catalog import Catalog, Indicator
from ..catalog.values import (
    part_whole_message,
    parts_over_wholes,
    stored_values,
    value_problems,
)
from ..numbers.format import scaled
from ..numbers.parse import parse_numbers
from ..text.names import MAX_NAME, cell_text, has_text, name_key, squash
from ..text.periods import summary_kind
from .headers import ratio_message, suggest
from .measures import describe, factor
from .percent import fractions
from .rules import say
from .totals import check_period_rows, check_totals, is_total

OBS_COLUMNS = ["unit", "period", "indicator", "value", "note"]
KEYS = ["unit", "period", "indicator"]


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
    answers: Mapping[str, str],
) -> Checked:
    """Tidy observations from ``cells``; problems go to ``check`` (the importer's checker)."""
    if cells.empty:
        return Checked(_empty())
    cells = _with_numbers(cells, catalog)
    kind = per_value(cells["period"], summary_kind)
    summary = cells[kind.notna()].assign(kind=kind[kind.notna()])
    cells = cells[kind.isna() & ~cells["blank"]].reset_index(drop=True)  # empty: no value
    notes = _summary_note(summary)
    if cells.empty:
        return Checked(_empty(), notes)
    cells, notes_on_names = _same_names(cells)
    total = per_value(cells["unit"], is_total).astype(bool)
    ok = _check_labels(cells, check, labels)
    ok &= _check_indicators(cells, catalog, check)
    ok &= _convert_measures(cells, catalog, check)
    ok &= _check_numbers(cells, catalog, check)
    questions, mixed = fractions(cells, ok & ~total, catalog, answers, notes, check)
    ok &= ~mixed
    notes += _totals(cells[ok & total], cells[ok & ~total], catalog)
    good = _merge_duplicates(cells[(ok & ~total).to_numpy()], check)
    notes += check_period_rows(summary[~summary["blank"]], good, catalog)
    _check_parts(good, catalog, check)
    out = good[OBS_COLUMNS].reset_index(drop=True)
    out = out.astype({"unit": str, "period": str, "indicator": str, "value": float, "note": str})
    return Checked(out, notes_on_names + _conversion_notes(cells[ok], catalog) + notes, questions)


def per_value(series: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct value (a long file repeats ~30 names 10,000 times)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    out = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        out[i] = fn(value)
    out[-1] = fn(None)  # code -1: an empty cell
    return pd.Series(out[codes], index=series.index, dtype=object)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else str) for c in OBS_COLUMNS})


def _with_numbers(cells: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Add value (float), blank, bad and signed (typed with %) columns.

    Parsed once per distinct set of measure suffixes, not once per indicator: a
    40-indicator long file is a few passes, not 40."""
    value = pd.Series(np.nan, index=cells.index)
    blank = pd.Series(False, index=cells.index)
    codes = cells["indicator"].map(lambda code: code if isinstance(code, str) else None)
    by_code = {code: _suffixes(catalog.get(code) if code else None) for code in set(codes)}
    keys = {suffixes: n for n, suffixes in enumerate(dict.fromkeys(by_code.values()))}
    group_of = codes.map(lambda code: keys[by_code[code]])
    for suffixes, n in keys.items():
        rows = group_of.index[group_of.to_numpy() == n]
        v, b = parse_numbers(cells.loc[rows, "raw"], suffixes)
        value[rows] = v.to_numpy()
        blank[rows] = b.to_numpy()
    cells = cells.assign(value=value, blank=blank)
    cells["bad"] = ~cells["blank"] & ~np.isfinite(cells["value"])
    return cells


def _suffixes(ind: Indicator | None) -> tuple[str, ...]:
    if ind is None:
        return ()
    measure = squash(ind.measure)
    return (measure, "%") if ind.kind == "percent" and measure != "%" else (measure,)


def _summary_note(summary: pd.DataFrame) -> list[str]:
    """增减, 同比 and 合计 rows in the 时期 column: left out, and said."""
    if summary.empty:
        return []
    labels = summary.drop_duplicates("row").sort_values("row")
    said = "、".join(
        f"第{int(r)}行“{p}”" for r, p in labels[["row", "period"]].itertuples(index=False)
    )
    return [say("change_row", rows=said)]


def _same_names(cells: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Spellings that are one name (示例 县 / 示例县, 2024年度 / 2024年, （县）/ (县))
    become the file's first spelling, before the duplicate check; each merge is said.

    ``unit_typed`` and ``period_typed`` keep the spelling of each row for messages.
    """
    cells = cells.assign(unit_typed=cells["unit"], period_typed=cells["period"])
    notes = []
    for column, what, period in (("unit", "单位", False), ("period", "时期", True)):
        keys = per_value(cells[column], lambda name, p=period: name_key(name, p))
        first = cells[column].groupby(keys, sort=False).transform("first")
        pairs = pd.DataFrame({"typed": cells[column], "kept": first})
        for typed, kept in (
            pairs[pairs["typed"] != pairs["kept"]].drop_duplicates().itertuples(index=False)
        ):
            notes.append(say("same_name", typed=typed, kept=kept, what=what))
        cells[column] = first
    return cells, notes


def _check_labels(cells: pd.DataFrame, check, labels: dict[str, str]) -> pd.Series:
    unit_empty = cells["unit"].eq("")
    period_empty = cells["period"].eq("")
    check.add_rows(cells.loc[unit_empty, "row"].unique(), labels["unit"], say("unit_empty"))
    check.add_rows(cells.loc[period_empty, "row"].unique(), labels["period"], say("period_empty"))
    bad = unit_empty | period_empty
    for role, what in (("unit", "单位名称"), ("period", "时期名称")):
        long = cells[role].str.len() > MAX_NAME
        for row, text in (
            cells.loc[long, ["row", role]].drop_duplicates("row").itertuples(index=False)
        ):
            message = say("name_too_long", what=what, limit=MAX_NAME, text=text[:20])
            check.add(message, int(row), labels[role])
        bad |= long
    return ~bad


def _check_indicators(cells: pd.DataFrame, catalog: Catalog, check) -> pd.Series:
    unknown = cells["indicator"].isna()
    for row, column, text in cells.loc[
        unknown, ["row", "indicator_column", "indicator_text"]
    ].itertuples(index=False):
        if has_text(text):
            shown = cell_text(text)
            hint = suggest(catalog, shown)
            check.add(say("unknown_indicator", text=shown, hint=hint), int(row), column)
        else:
            check.add(say("indicator_empty"), int(row), column)
    ratios = {i.code for i in catalog if i.is_ratio}
    ratio = cells["indicator"].isin(ratios)
    for row, column, code in cells.loc[ratio, ["row", "indicator_column", "indicator"]].itertuples(
        index=False
    ):
        check.add(ratio_message(catalog, catalog[code]), int(row), column)
    return ~(unknown | ratio)


def _convert_measures(cells: pd.DataFrame, catalog: Catalog, check) -> pd.Series:
    """Multiply values written in another measure (小时 for 分钟 …); refuse the inexact."""
    measures = per_value(cells["indicator"], lambda c: catalog[c].measure if c in catalog else "")
    keys = cells["written"].astype(str) + "\x1f" + cells["indicator"].astype(str)

    def times_of(key: str | None) -> float | None:
        written, code = (key or "\x1f").split("\x1f")
        return factor(written, catalog[code].measure) if code in catalog else 1.0

    times = per_value(keys, times_of)
    refused = times.isna() & ~cells["bad"]
    for row, column, written, measure in (
        cells.loc[refused, ["row", "measure_column", "written", "indicator"]]
        .assign(indicator=measures[refused])
        .itertuples(index=False)
    ):
        message = say("measure_column_refused", written=written, measure=measure)
        check.add(message, int(row), column)
    scale = times.where(~refused, 1.0).astype(float)
    moved = scale != 1
    # only converted cells: 1e308 must not overflow
    cells.loc[moved, "value"] = scaled(cells.loc[moved, "value"], scale[moved])
    cells["factor"] = scale
    return ~refused


def _conversion_notes(cells: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Long layout: which rows were converted from which measure (wide says it per column)."""
    moved = cells[(cells["factor"] != 1) & (cells["measure_column"] != "")]
    notes = []
    for (written, code), group in moved.groupby(["written", "indicator"], sort=False):
        ind = catalog[code]
        rule = describe(written, ind.measure, group["factor"].iloc[0])
        fields = dict(name=ind.name, rows=_rows(group["row"]), written=written, rule=rule)
        notes.append(say("measure_column", **fields))
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
    cells.loc[~bad, "value"] = stored_values(kinds[~bad], cells.loc[~bad, "value"])
    return ~bad


def _totals(totals: pd.DataFrame, rows: pd.DataFrame, catalog: Catalog) -> list[str]:
    if totals.empty:
        return []
    labels = totals.drop_duplicates("row")
    said = "、".join(
        f"第{int(r)}行“{u}”" for r, u in labels[["row", "unit"]].itertuples(index=False)
    )
    return [say("total_row", rows=said)] + check_totals(totals, rows, catalog)


def _merge_duplicates(cells: pd.DataFrame, check) -> pd.DataFrame:
    """Same unit, period and indicator twice: merge if equal, else name both rows."""
    repeated = cells.duplicated(KEYS, keep="first")
    if not repeated.any():
        return cells
    typed = ["unit_typed", "period_typed"]
    first = cells.loc[~repeated, KEYS + ["row", "value", *typed]]
    later = cells[repeated].merge(first, on=KEYS, how="left", suffixes=("", "_first"))
    differs = ~np.isclose(later["value"], later["value_first"], rtol=0, atol=1e-9)
    for r in later[differs].itertuples(index=False):
        spelled = ""
        if (r.unit_typed, r.period_typed) != (r.unit_typed_first, r.period_typed_first):
            spelled = f"，本行写作“{r.unit_typed}”“{r.period_typed}”"
        message = say(
            "duplicate",
            first=int(r.row_first),
            spelled=spelled,
            first_value=cell_text(float(r.value_first)),
            value=cell_text(r.raw),
        )
        check.add(message, int(r.row), r.column)
    return cells[~repeated]


def _check_parts(good: pd.DataFrame, catalog: Catalog, check) -> None:
    """A numerator above its denominator (520 of 400 police): refused at the part's cell."""
    breaches = parts_over_wholes(good, catalog)
    if breaches.empty:
        return
    where = good.set_index(["unit", "period", "indicator"])[["row", "column"]]
    for breach in breaches.itertuples(index=False):
        part_row, column = where.loc[(breach.unit, breach.period, breach.part)]
        whole_row = where.loc[(breach.unit, breach.period, breach.whole), "row"]
        at = "" if whole_row == part_row else f"，第{int(whole_row)}行"
        check.add(part_whole_message(catalog, breach, at), int(part_row), column)


def _rows(rows: pd.Series) -> str:
    shown = sorted(int(r) for r in rows.unique())
    return "、".join(str(r) for r in shown[:8]) + ("等" if len(shown) > 8 else "")
