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

import difflib
import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd

from ..catalog import Catalog, Indicator
from ..catalog.values import value_problems
from ..errors import Problem, ValidationError
from ..names import cell_text, clean_note, clean_unit, has_text, squash
from ..numparse import parse_numbers
from ..periods import clean_period
from .readers import MAX_BYTES, is_untitled, read_table

OBS_COLUMNS = ["unit", "period", "indicator", "value", "note"]
KEYS = ["unit", "period", "indicator"]

# header text (after NFKC and removing spaces) -> role
ROLES = {
    "unit": ("单位", "单位名称", "填报单位"),
    "period": ("时期", "年度", "年份", "期间"),
    "indicator": ("指标", "指标名称"),
    "code": ("指标代码",),
    "value": ("数值", "值", "指标值"),
    "note": ("备注",),
}
# columns that carry no values: ours (export) and common bookkeeping ones
IGNORED = (
    "序号",
    "编号",
    "计量单位",
    "来源",
    "更新时间",
    "填报人",
    "联系人",
    "联系电话",
    "填报日期",
    "上级单位",
)
TOTAL_UNITS = ("合计", "总计", "小计", "汇总")


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A validated file: tidy observations plus what the preview needs to say."""

    observations: pd.DataFrame  # unit, period, indicator (code), value (float), note
    layout: str  # "long" or "wide"
    rows_read: int  # data rows below the header, empty rows not counted
    units: list[str]  # in file order
    periods: list[str]  # in file order


def import_file(
    data: bytes, filename: str, catalog: Catalog, *, max_bytes: int = MAX_BYTES
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

    Raises
    ------
    ValidationError
        Listing every problem found (row and column as Excel shows them), never
        only the first; nothing is returned unless the whole file is valid.
    """
    raw = read_table(data, filename, max_bytes=max_bytes)
    return import_table(raw, PurePath(filename or "").name or "上传的文件", catalog)


def import_table(raw: pd.DataFrame, filename: str, catalog: Catalog) -> ImportResult:
    """Validate a raw table as returned by `read_table` (index = Excel row numbers)."""
    check = _Checker(filename, list(raw.columns))
    roles = _roles(raw.columns)
    layout = _layout(raw.columns, roles, catalog)
    _check_required(roles, layout, check)
    _check_repeated_roles(raw.columns, roles, check)
    if layout == "long":
        cells = _long_cells(raw, roles, catalog, check)
    else:
        cells = _wide_cells(raw, roles, catalog, check)
    check.raise_if_any()  # header problems: nothing below would make sense
    headers = list(raw.columns)
    labels = {role: headers[roles[role]] for role in ("unit", "period")}
    observations = _validate(cells, catalog, check, labels)
    check.raise_if_any()
    if observations.empty:
        check.add("没有找到任何数值：指标格子都是空的，请填写数据后再导入")
        check.raise_if_any()
    return ImportResult(
        observations=observations,
        layout=layout,
        rows_read=len(raw),
        units=list(dict.fromkeys(observations["unit"])),
        periods=list(dict.fromkeys(observations["period"])),
    )


# ---------------------------------------------------------------- problems


class _Checker:
    """Collects problems, keeps them unique and sorts them as the file reads."""

    def __init__(self, filename: str, headers: list[str]):
        self.filename = filename
        self._position = {h: i for i, h in reversed(list(enumerate(headers)))}
        self._problems: dict[tuple, Problem] = {}

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        key = (row or 0, self._position.get(column, -1), message)
        self._problems.setdefault(key, Problem(message, self.filename, row, column))

    def add_rows(self, rows, column: str, message) -> None:
        """One problem per row; `message` is a string or a per-row sequence."""
        messages = [message] * len(rows) if isinstance(message, str) else list(message)
        for row, text in zip(rows, messages, strict=True):
            self.add(text, int(row), column)

    def raise_if_any(self) -> None:
        if self._problems:
            raise ValidationError([self._problems[k] for k in sorted(self._problems)])


# ---------------------------------------------------------------- layout


_ROLE_OF = {squash(alias): role for role, aliases in ROLES.items() for alias in aliases}
_IGNORED = {squash(h) for h in IGNORED}


def _roles(headers) -> dict[str, int]:
    """Role -> position of the first column playing it."""
    roles: dict[str, int] = {}
    for i, header in enumerate(headers):
        role = _ROLE_OF.get(squash(header))
        if role:
            roles.setdefault(role, i)
    return roles


def _match(catalog: Catalog, text: object) -> Indicator | None:
    """Catalog match on the text as typed, then with full-width forms folded."""
    if text is None:
        return None
    return catalog.match(str(text).strip()) or catalog.match(squash(text))


def _layout(headers, roles: dict[str, int], catalog: Catalog) -> str:
    if "value" in roles and ("indicator" in roles or "code" in roles):
        return "long"
    role_positions = set(roles.values())
    has_indicator_column = any(
        _match(catalog, h) for i, h in enumerate(headers) if i not in role_positions
    )
    if not has_indicator_column and roles.keys() & {"indicator", "code", "value"}:
        return "long"  # a long table missing a column: say which
    return "wide"


def _check_required(roles: dict[str, int], layout: str, check: _Checker) -> None:
    needed = [("unit", "单位"), ("period", "时期")]
    if layout == "long":
        needed.append(("indicator", "指标"))
        needed.append(("value", "数值"))
    missing = [
        label
        for role, label in needed
        if role not in roles and not (role == "indicator" and "code" in roles)
    ]
    if missing:
        names = "、".join(f"“{m}”" for m in missing)
        shape = (
            "长表应有“单位、时期、指标、数值”四列"
            if layout == "long"
            else "宽表应有“单位”“时期”两列，其后每个指标一列"
        )
        check.add(f"缺少必需的列：{names}（{shape}）", row=1)


def _check_repeated_roles(headers, roles: dict[str, int], check: _Checker) -> None:
    for i, header in enumerate(headers):
        role = _ROLE_OF.get(squash(header))
        if role and roles[role] != i:
            check.add(
                f"与第{roles[role] + 1}列“{headers[roles[role]]}”重复，请只保留一列",
                row=1,
                column=header,
            )


def _suggest(catalog: Catalog, text: str) -> str:
    """“，是否指“发文数量”？” for a near miss, else a pointer to the catalog."""
    bare = re.sub(r"[（(][^）)]*[）)]\s*$", "", squash(text))
    names = {ind.name: ind.name for ind in catalog}
    names.update({ind.code: ind.name for ind in catalog})
    close = difflib.get_close_matches(bare, list(names), n=3, cutoff=0.5)
    picks = list(dict.fromkeys(names[c] for c in close))
    if picks:
        return "，是否指" + "或".join(f"“{p}”" for p in picks) + "？"
    return "，请使用指标目录（模板的“指标目录”表）中的名称或代码"


# ---------------------------------------------------------------- cells


def _column(raw: pd.DataFrame, roles: dict[str, int], role: str) -> pd.Series:
    if role in roles:
        return raw.iloc[:, roles[role]]
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _base(raw: pd.DataFrame, roles: dict[str, int]) -> dict[str, pd.Series]:
    """Cleaned unit, period and note per file row (once per row, not per value)."""
    return {
        "unit": _cached(_column(raw, roles, "unit"), clean_unit),
        "period": _cached(_column(raw, roles, "period"), clean_period),
        "note": _cached(_column(raw, roles, "note"), clean_note),
    }


def _long_cells(raw, roles, catalog: Catalog, check: _Checker) -> pd.DataFrame:
    if "value" not in roles or not roles.keys() & {"indicator", "code"}:
        return pd.DataFrame()
    headers = list(raw.columns)
    names = _column(raw, roles, "indicator")
    codes = _column(raw, roles, "code")
    by_name = _cached(names, lambda v: _match(catalog, v))
    by_code = _cached(codes, lambda v: catalog.get(squash(v)) if v is not None else None)
    both = by_name.notna() & by_code.notna()
    conflict = both & (by_name.map(_code_of) != by_code.map(_code_of))
    if conflict.any():
        check.add_rows(
            raw.index[conflict],
            headers[roles["code"]],
            [
                f"“指标”列是“{a.name}”，而“指标代码”列是“{b.code}”（{b.name}），两者不一致"
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
            **{k: v.to_numpy() for k, v in _base(raw, roles).items()},
        }
    )


def _wide_cells(raw, roles, catalog: Catalog, check: _Checker) -> pd.DataFrame:
    role_positions = set(roles.values())
    seen: dict[str, str] = {}
    parts = []
    base = {k: v.to_numpy() for k, v in _base(raw, roles).items()}
    any_indicator = unknown = False
    for i, header in enumerate(raw.columns):
        if i in role_positions or squash(header) in _IGNORED or squash(header) in _ROLE_OF:
            continue
        values = raw.iloc[:, i]
        has_data = bool(_filled(values).any())
        ind = _match(catalog, header)
        if ind is None:
            unknown |= has_data
            if has_data and is_untitled(header):
                check.add("此列有数据但没有列标题，请填写指标名称或删除此列", row=1, column=header)
            elif has_data:
                check.add(
                    f"无法识别的指标列“{header}”{_suggest(catalog, header)}"
                    "（如不是指标，请删除此列）",
                    row=1,
                    column=header,
                )
            continue
        any_indicator = True
        if ind.code in seen:
            check.add(
                f"与“{seen[ind.code]}”列是同一指标（{ind.name}），请只保留一列",
                row=1,
                column=header,
            )
            continue
        seen[ind.code] = header
        if ind.is_ratio:
            if has_data:
                check.add(_ratio_message(catalog, ind), row=1, column=header)
            continue
        parts.append(
            pd.DataFrame(
                {
                    "row": raw.index,
                    "column": header,
                    "indicator_column": header,
                    "indicator": ind.code,
                    "indicator_text": header,
                    "raw": values.to_numpy(),
                    **base,
                }
            )
        )
    if not any_indicator and not unknown and "unit" in roles and "period" in roles:
        check.add(
            "没有找到任何指标列：列标题应为指标名称、代码或“名称（计量单位）”，可下载模板对照",
            row=1,
        )
    if not parts:
        return pd.DataFrame()
    cells = pd.concat(parts, ignore_index=True)
    return cells.sort_values("row", kind="stable", ignore_index=True)


def _cached(series: pd.Series, fn) -> pd.Series:
    """Apply `fn` once per distinct cell text (a long file repeats ~30 names)."""
    memo: dict = {}
    return series.map(lambda v: memo[v] if v in memo else memo.setdefault(v, fn(v)))


def _code_of(ind: object) -> object:
    return ind.code if isinstance(ind, Indicator) else None


def _filled(series: pd.Series) -> pd.Series:
    """Vectorised `_has_text`: not None/NaN and not only spaces."""
    filled = series.notna()
    is_str = series.map(type).eq(str)
    if is_str.any():
        filled[is_str] = series[is_str].astype(str).str.strip().ne("").to_numpy()
    return filled


def _ratio_message(catalog: Catalog, ind: Indicator) -> str:
    parts = [catalog.get(c) for c in (ind.numerator, ind.denominator)]
    a, b = (
        p.name if p else c for p, c in zip(parts, (ind.numerator, ind.denominator), strict=True)
    )
    return f"“{ind.name}”由“{a}”和“{b}”计算得出，请填写这两项"


# ---------------------------------------------------------------- values


def _validate(
    cells: pd.DataFrame, catalog: Catalog, check: _Checker, labels: dict[str, str]
) -> pd.DataFrame:
    if cells.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=float if c == "value" else str) for c in OBS_COLUMNS}
        )
    cells = _with_numbers(cells, catalog)
    cells = cells[~cells["blank"]].reset_index(drop=True)  # empty cell: no value, no error
    ok = _check_labels(cells, check, labels)
    ok &= _check_indicators(cells, catalog, check)
    ok &= _check_numbers(cells, catalog, check)
    good = cells[ok.to_numpy()]
    good = _merge_duplicates(good, check)
    out = good[OBS_COLUMNS].reset_index(drop=True)
    return out.astype({"unit": str, "period": str, "indicator": str, "value": float, "note": str})


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


def _check_labels(cells: pd.DataFrame, check: _Checker, labels: dict[str, str]) -> pd.Series:
    unit_empty = cells["unit"].eq("")
    period_empty = cells["period"].eq("")
    total = cells["unit"].isin(TOTAL_UNITS)
    check.add_rows(cells.loc[unit_empty, "row"].unique(), labels["unit"], "单位不能为空")
    check.add_rows(cells.loc[period_empty, "row"].unique(), labels["period"], "时期不能为空")
    for row, unit in (
        cells.loc[total, ["row", "unit"]].drop_duplicates("row").itertuples(index=False)
    ):
        check.add(
            f"“{unit}”是合计行，合计数由系统按指标规则计算，请删除此行", int(row), labels["unit"]
        )
    return ~(unit_empty | period_empty | total)


def _check_indicators(cells: pd.DataFrame, catalog: Catalog, check: _Checker) -> pd.Series:
    unknown = cells["indicator"].isna()
    for row, column, text in cells.loc[
        unknown, ["row", "indicator_column", "indicator_text"]
    ].itertuples(index=False):
        if has_text(text):
            shown = cell_text(text)
            check.add(f"无法识别的指标“{shown}”{_suggest(catalog, shown)}", int(row), column)
        else:
            check.add("指标不能为空", int(row), column)
    ratios = {i.code for i in catalog if i.is_ratio}
    ratio = cells["indicator"].isin(ratios)
    for row, column, code in cells.loc[ratio, ["row", "indicator_column", "indicator"]].itertuples(
        index=False
    ):
        check.add(_ratio_message(catalog, catalog[code]), int(row), column)
    return ~(unknown | ratio)


def _check_numbers(cells: pd.DataFrame, catalog: Catalog, check: _Checker) -> pd.Series:
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


def _merge_duplicates(cells: pd.DataFrame, check: _Checker) -> pd.DataFrame:
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
