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
from ..names import clean_note, clean_unit, has_text, squash
from ..periods import clean_period
from .measures import describe, factor, written_measure
from .readers import MAX_BYTES, is_untitled, read_table
from .validate import ratio_message, suggest, validate

# header text (after NFKC and removing spaces) -> role
ROLES = {
    "unit": ("单位", "单位名称", "填报单位"),
    "period": ("时期", "年度", "年份", "期间"),
    "indicator": ("指标", "指标名称"),
    "code": ("指标代码",),
    "value": ("数值", "值", "指标值"),
    "note": ("备注",),
    "measure": ("计量单位",),
}
# columns that carry no values: ours (export) and common bookkeeping ones
IGNORED = (
    "序号",
    "编号",
    "来源",
    "更新时间",
    "填报人",
    "联系人",
    "联系电话",
    "填报日期",
    "上级单位",
)


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
        data, filename, max_bytes=max_bytes, sheet=sheet, header_score=_header_scorer(catalog)
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
    roles = _roles(raw.columns)
    layout = _layout(raw.columns, roles, catalog)
    _check_required(roles, layout, check, header_row)
    _check_repeated_roles(raw.columns, roles, check, header_row)
    notes: list[str] = []
    if layout == "long":
        cells = _long_cells(raw, roles, catalog, check)
    else:
        cells = _wide_cells(raw, roles, catalog, check, header_row, notes)
    check.raise_if_any()  # header problems: nothing below would make sense
    _check_formulas(raw, cells, check)
    headers = list(raw.columns)
    labels = {role: headers[roles[role]] for role in ("unit", "period")}
    checked = validate(cells, catalog, check, labels, fractions or {})
    check.raise_if_any()
    observations = checked.observations
    if observations.empty:
        check.add("没有找到任何数值：指标格子都是空的，请填写数据后再导入")
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
        notes=tuple(notes),
        questions=checked.questions,
    )


def _header_scorer(catalog: Catalog):
    """How header-like a row is: cells naming a column role or an indicator."""

    def score(values: list) -> int:
        return sum(
            1
            for v in values
            if has_text(v)
            and (squash(v) in _ROLE_OF or squash(v) in _IGNORED or _match(catalog, v))
        )

    return score


def _hidden_note(raw: pd.DataFrame) -> list[str]:
    hidden = raw.attrs.get("hidden") or []
    if not hidden:
        return []
    rows = "、".join(str(r) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
    return [f"表中有{len(hidden)}行在Excel中被隐藏或筛选掉（第{rows}行），也一并导入了，请确认"]


def _check_formulas(raw: pd.DataFrame, cells: pd.DataFrame, check: _Checker) -> None:
    """A formula saved without its value reads as empty: say so rather than drop it."""
    if cells.empty:
        return
    value_cells = set(zip(cells["row"], cells["column"], strict=True))
    for row, header in raw.attrs.get("formulas") or []:
        if (row, header) in value_cells:
            check.add(
                "这个格子是公式，但文件里没有保存计算结果（常见于由软件生成的表格）；"
                "请在Excel或WPS中打开并保存后再导入",
                row,
                header,
            )


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


def _check_required(roles: dict[str, int], layout: str, check: _Checker, header_row: int) -> None:
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
        check.add(f"缺少必需的列：{names}（{shape}）", row=header_row)


def _check_repeated_roles(headers, roles: dict[str, int], check: _Checker, header_row: int) -> None:
    for i, header in enumerate(headers):
        role = _ROLE_OF.get(squash(header))
        if role and roles[role] != i:
            check.add(
                f"与第{roles[role] + 1}列“{headers[roles[role]]}”重复，请只保留一列",
                row=header_row,
                column=header,
            )


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
            "written": _column(raw, roles, "measure")
            .map(lambda v: squash(v) if has_text(v) else "")
            .to_numpy(),
            "measure_column": headers[roles["measure"]] if "measure" in roles else "",
            **{k: v.to_numpy() for k, v in _base(raw, roles).items()},
        }
    )


def _wide_cells(
    raw, roles, catalog: Catalog, check: _Checker, header_row: int, notes: list[str]
) -> pd.DataFrame:
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
                check.add("此列有数据但没有列标题，请填写指标名称或删除此列", header_row, header)
            elif has_data:
                check.add(
                    f"无法识别的指标列“{header}”{suggest(catalog, header)}"
                    "（如不是指标，请删除此列）",
                    header_row,
                    header,
                )
            continue
        any_indicator = True
        if ind.code in seen:
            check.add(
                f"与“{seen[ind.code]}”列是同一指标（{ind.name}），请只保留一列",
                header_row,
                header,
            )
            continue
        seen[ind.code] = header
        if ind.is_ratio:
            if has_data:
                check.add(ratio_message(catalog, ind), header_row, header)
            continue
        written = written_measure(header) if squash(header) != squash(ind.name) else ""
        times = factor(written, ind.measure)
        if times is None:
            check.add(
                f"列标题中的计量单位“{written}”无法换算为“{ind.name}”的计量单位“{ind.measure}”，"
                f"请按“{ind.measure}”填写并把列标题改为“{ind.label}”",
                header_row,
                header,
            )
            continue
        if times != 1 and has_data:
            notes.append(f"“{header}”列已按{describe(written, ind.measure, times)}换算")
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
        check.add(
            "没有找到任何指标列：列标题应为指标名称、代码或“名称（计量单位）”，可下载模板对照",
            row=header_row,
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
