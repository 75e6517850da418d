"""Validate a user's table and turn it into tidy observations, or say everything wrong.

Two layouts are accepted. Long: one value per row with columns 单位, 时期, 指标, 数值
(and optionally 备注, plus the extra columns our own export writes). Wide: one row per
unit and period with one column per indicator, which is what the blank template
gives out. Both are reduced to one "cells" frame (one candidate value per row, with
its Excel row and column header) and validated together with vectorised masks, so a
10,000-row file is checked in a fraction of a second and every problem is listed at
once with the row and column a user sees in Excel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from ..catalog import Catalog, Indicator
from ..errors import Problem, ValidationError
from ..text.names import clean_note, clean_unit, has_text, squash
from ..text.periods import clean_period
from . import headers as cols
from . import structure
from .measures import describe, factor, written_measure
from .readers import MAX_BYTES, is_untitled, read_table
from .rules import say
from .validate import per_value, validate


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A validated file: tidy observations plus what the preview needs to say.

    ``notes`` are things the user should know before confirming (rows left out as
    totals, converted measures, hidden rows, totals that do not add up);
    ``questions`` ask, per indicator code, what a doubtful column means (0.926 in a
    percent column): the import is run again with the answers (``fractions``).
    """

    observations: pd.DataFrame  # unit, period, indicator (code), value (float), note
    layout: str  # "long" or "wide"
    rows_read: int  # data rows below the header, empty rows not counted
    units: list[str]  # in file order
    periods: list[str]  # in file order
    sheet: str = ""  # the sheet read ("" for CSV)
    sheets: tuple[str, ...] = ()  # every sheet holding data
    hidden_sheets: tuple[str, ...] = ()  # those of them hidden in Excel
    notes: tuple[str, ...] = ()
    questions: dict[str, str] = field(default_factory=dict)


def import_file(
    data: bytes,
    filename: str,
    catalog: Catalog,
    *,
    max_bytes: int = MAX_BYTES,
    sheet: str | None = None,
    fractions: Mapping[str, str] | None = None,
) -> ImportResult:
    """Read, validate and tidy an uploaded .xlsx/.csv file.

    Parameters
    ----------
    data, filename
        The upload; the name picks the reader and is named in every message.
    catalog
        Indicators that columns or 指标 cells are matched against.
    max_bytes
        Upload cap.
    sheet
        The sheet to read; default the one that looks most like a data table.
    fractions
        The user's answers to ``questions``: per percent indicator code,
        "percent" (0.926 means 92.6%) or "as_is" (0.926%).

    Raises
    ------
    ValidationError
        Listing every problem found (sheet, row and column as Excel shows them),
        never only the first; nothing is returned unless the whole file is valid.
    """
    raw = read_table(
        data, filename, max_bytes=max_bytes, sheet=sheet, header_score=cols.header_scorer(catalog)
    )
    name = PurePath(filename or "").name or "上传的文件"
    return import_table(raw, name, catalog, fractions=fractions)


def import_table(
    raw: pd.DataFrame,
    filename: str,
    catalog: Catalog,
    *,
    fractions: Mapping[str, str] | None = None,
) -> ImportResult:
    """Validate a raw table as returned by `read_table` (index = Excel row numbers)."""
    check = _Checker(filename, list(raw.columns), raw.attrs.get("sheet", ""))
    header_row = raw.attrs.get("header_row", 1)
    roles = cols.roles(raw.columns)
    layout = cols.layout(raw.columns, roles, catalog)
    cols.check_required(roles, layout, check, header_row)
    cols.check_repeated_roles(raw.columns, roles, check, header_row)
    structure.far_columns(raw, check, header_row)
    raw = structure.merged_cells(raw, roles, layout, check)
    raw, measures = structure.measure_row(raw, roles, layout)
    structure.period_cells(raw, roles, check)
    notes: list[str] = list(raw.attrs.get("notes") or [])
    if measures:
        notes.append(say("measure_row", row=raw.attrs["measure_row"]))
    if layout == "long":
        cells = _long_cells(raw, roles, catalog, check)
    else:
        cells = _wide_cells(raw, roles, catalog, check, notes, measures)
    check.raise_if_any()  # header problems: nothing below would make sense
    _check_formulas(raw, cells, check)
    headers = list(raw.columns)
    labels = {role: headers[roles[role]] for role in ("unit", "period")}
    checked = validate(cells, catalog, check, labels, fractions or {})
    check.raise_if_any()
    observations = checked.observations
    if observations.empty:
        check.add(say("no_values"))
        check.raise_if_any()
    notes += checked.notes + _hidden_note(raw)
    return ImportResult(
        observations=observations,
        layout=layout,
        rows_read=len(raw),
        units=list(dict.fromkeys(observations["unit"])),
        periods=list(dict.fromkeys(observations["period"])),
        sheet=raw.attrs.get("sheet", ""),
        sheets=tuple(raw.attrs.get("sheets", ())),
        hidden_sheets=tuple(raw.attrs.get("hidden_sheets", ())),
        notes=tuple(notes),
        questions=checked.questions,
    )


def _hidden_note(raw: pd.DataFrame) -> list[str]:
    hidden = raw.attrs.get("hidden") or []
    if not hidden:
        return []
    rows = "、".join(str(r) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
    return [say("hidden_rows", count=len(hidden), rows=rows)]


def _check_formulas(raw: pd.DataFrame, cells: pd.DataFrame, check: _Checker) -> None:
    """A formula saved without its value reads as empty: say so rather than drop it."""
    if cells.empty:
        return
    value_cells = set(zip(cells["row"], cells["column"], strict=True))
    for row, header in raw.attrs.get("formulas") or []:
        if (row, header) in value_cells:
            check.add(say("formula"), row, header)


# ---------------------------------------------------------------- problems


class _Checker:
    """Collects problems, keeps them unique and sorts them as the file reads."""

    def __init__(self, filename: str, headers: list[str], sheet: str = ""):
        self.filename = filename
        self.sheet = sheet or None
        self._position = {h: i for i, h in reversed(list(enumerate(headers)))}
        self._problems: dict[tuple, Problem] = {}

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        key = (row or 0, self._position.get(column, -1), message)
        problem = Problem(message, self.filename, row, column, self.sheet)
        self._problems.setdefault(key, problem)

    def add_rows(self, rows, column: str, message) -> None:
        """One problem per row; `message` is a string or a per-row sequence."""
        messages = [message] * len(rows) if isinstance(message, str) else list(message)
        for row, text in zip(rows, messages, strict=True):
            self.add(text, int(row), column)

    def raise_if_any(self) -> None:
        if self._problems:
            raise ValidationError([self._problems[k] for k in sorted(self._problems)])


# ---------------------------------------------------------------- cells


def _column(raw: pd.DataFrame, roles: dict[str, int], role: str) -> pd.Series:
    if role in roles:
        return raw.iloc[:, roles[role]]
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _base(raw: pd.DataFrame, roles: dict[str, int]) -> dict[str, pd.Series]:
    """Cleaned unit, period and note per file row (once per row, not per value)."""
    return {
        "unit": per_value(_column(raw, roles, "unit"), clean_unit),
        "period": per_value(_column(raw, roles, "period"), clean_period),
        "note": per_value(_column(raw, roles, "note"), clean_note),
    }


def _long_cells(raw, roles, catalog: Catalog, check: _Checker) -> pd.DataFrame:
    if "value" not in roles or not roles.keys() & {"indicator", "code"}:
        return pd.DataFrame()
    headers = list(raw.columns)
    names = _column(raw, roles, "indicator")
    codes = _column(raw, roles, "code")
    by_name = per_value(names, lambda v: cols.match(catalog, v))
    by_code = per_value(codes, lambda v: cols.match_code(catalog, v))
    both = by_name.notna() & by_code.notna()
    conflict = both & (by_name.map(_code_of) != by_code.map(_code_of))
    if conflict.any():
        check.add_rows(
            raw.index[conflict],
            headers[roles["code"]],
            [
                say("code_mismatch", name=a.name, code=b.code, code_name=b.name)
                for a, b in zip(by_name[conflict], by_code[conflict], strict=True)
            ],
        )
    indicator = by_code.where(by_code.notna(), by_name).map(_code_of)
    shown = names.where(names.map(has_text), codes)
    column = headers[roles["indicator"]] if "indicator" in roles else headers[roles["code"]]
    return pd.DataFrame(
        {
            "row": raw.index,
            "column": headers[roles["value"]],
            "indicator_column": column,
            "indicator": indicator.to_numpy(),
            "indicator_text": shown.to_numpy(),
            "raw": _column(raw, roles, "value").to_numpy(),
            "written": _column(raw, roles, "measure")
            .map(lambda v: squash(v) if has_text(v) else "")
            .to_numpy(),
            "measure_column": headers[roles["measure"]] if "measure" in roles else "",
            **{k: v.to_numpy() for k, v in _base(raw, roles).items()},
        }
    )


def _wide_cells(
    raw, roles, catalog: Catalog, check: _Checker, notes: list[str], measures: dict[int, str]
) -> pd.DataFrame:
    header_row = raw.attrs.get("header_row", 1)
    role_positions = set(roles.values())
    seen: dict[str, str] = {}
    parts = []
    base = {k: v.to_numpy() for k, v in _base(raw, roles).items()}
    any_indicator = unknown = False
    for i, header in enumerate(raw.columns):
        if i in role_positions or cols.is_ignored(header) or cols.role_of(header):
            continue
        values = raw.iloc[:, i]
        has_data = bool(_filled(values).any())
        ind = cols.match(catalog, header)
        if ind is None:
            unknown |= has_data
            if has_data and is_untitled(header):
                check.add(say("untitled_column"), header_row, header)
            elif has_data:
                hint = cols.suggest(catalog, header)
                check.add(say("unknown_column", header=header, hint=hint), header_row, header)
            continue
        any_indicator = True
        if ind.code in seen:
            check.add(
                say("same_indicator", other=seen[ind.code], name=ind.name), header_row, header
            )
            continue
        seen[ind.code] = header
        if ind.is_ratio:
            if has_data:
                check.add(cols.ratio_message(catalog, ind), header_row, header)
            continue
        written = _written(raw, i, ind, measures, check)
        if written is None:
            continue
        times = factor(written, ind.measure)
        if times != 1 and has_data:
            shown = header if i not in measures else ind.name
            notes.append(
                say("header_measure", header=shown, rule=describe(written, ind.measure, times))
            )
        parts.append(
            pd.DataFrame(
                {
                    "row": raw.index,
                    "column": header,
                    "indicator_column": header,
                    "indicator": ind.code,
                    "indicator_text": header,
                    "raw": values.to_numpy(),
                    "written": written,
                    "measure_column": "",
                    **base,
                }
            )
        )
    if not any_indicator and not unknown and "unit" in roles and "period" in roles:
        check.add(say("no_indicator_columns"), row=header_row)
    if not parts:
        return pd.DataFrame()
    cells = pd.concat(parts, ignore_index=True)
    return cells.sort_values("row", kind="stable", ignore_index=True)


def _written(raw, i: int, ind: Indicator, measures: dict[int, str], check) -> str | None:
    """The measure column ``i`` is written in (header brackets or the measure row);
    None (and a problem) when it does not convert exactly."""
    header = raw.columns[i]
    in_header = written_measure(header) if squash(header) != squash(ind.name) else ""
    if i in measures and factor(measures[i], ind.measure) is None:
        fields = dict(written=measures[i], name=ind.name, measure=ind.measure)
        check.add(say("measure_row_refused", **fields), raw.attrs["measure_row"], header)
        return None
    if i in measures and in_header and squash(in_header) != measures[i]:
        fields = dict(header=in_header, row=raw.attrs["measure_row"], written=measures[i])
        check.add(say("measure_conflict", **fields), raw.attrs["measure_row"], header)
        return None
    if factor(in_header, ind.measure) is None:
        fields = dict(written=in_header, name=ind.name, measure=ind.measure, label=ind.label)
        check.add(say("header_measure_refused", **fields), raw.attrs.get("header_row", 1), header)
        return None
    return measures.get(i) or in_header


def _code_of(ind: object) -> object:
    return ind.code if isinstance(ind, Indicator) else None


def _filled(series: pd.Series) -> pd.Series:
    """Vectorised `_has_text`: not None/NaN and not only spaces."""
    filled = series.notna()
    is_str = series.map(lambda v: isinstance(v, str))
    if is_str.any():
        filled[is_str] = series[is_str].astype(str).str.strip().ne("").to_numpy()
    return filled
