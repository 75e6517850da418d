"""What the shape of a sheet says before any value is read.

Merged cells (a unit merged down its periods is a label for each row; a merged value
would be counted in every row it spans), data right of the header, a row of measures
under the header (件、次、小时) and period cells that are dates or bare numbers.
Each check takes the raw table (:func:`.readers.read_table`) and the column roles.
"""

from __future__ import annotations

import re

import pandas as pd

from ..text.names import has_text, squash
from . import headers as cols
from .rules import say
from .sheets import ShownDate, is_blank

MEASURE_ROW_LABELS = ("计量单位", "单位")
_MEASURE_WORD = re.compile(r"[^\d.,，]{1,4}")


def merged_cells(raw: pd.DataFrame, roles: dict[str, int], layout: str, check) -> pd.DataFrame:
    """Keep copies of merged labels, drop every other copy; refuse merged values.

    The reader copied each merged range's value into all its cells; only label
    columns (单位, 时期) may keep them. A value merged over rows or columns is refused
    with the range named: copied, it would be counted once per row.
    """
    merged = raw.attrs.get("merged") or []
    if not merged:
        return raw
    raw = raw.copy()
    values = _value_positions(raw, roles, layout)
    headers = list(raw.columns)
    for ref, first, last, top, covered in merged:
        rows = raw.index[(raw.index >= first) & (raw.index <= last)]
        if not len(rows):
            continue
        if top in values and (last > first or len(covered) > 1) and rows[0] == first:
            if not is_blank(raw.iat[raw.index.get_loc(rows[0]), top]):
                message = _merged_message(ref, first, last, covered, headers)
                check.add(message, int(rows[0]), headers[top])
        for position in covered:
            if top not in values and position not in values:
                continue  # a label (or note) copied down: meant for every row
            for row in rows:
                if not (row == first and position == top):  # not the cell itself
                    raw.iat[raw.index.get_loc(row), position] = None
    return raw


def _value_positions(raw: pd.DataFrame, roles: dict[str, int], layout: str) -> set[int]:
    if layout == "long":
        return {roles["value"]} if "value" in roles else set()
    taken = set(roles.values())
    return {
        i
        for i, header in enumerate(raw.columns)
        if i not in taken and not cols.is_ignored(header) and not cols.role_of(header)
    }


def _merged_message(ref: str, first: int, last: int, covered: list[int], headers) -> str:
    spans, each = [], "格"
    if last > first:
        spans.append(f"第{first}行至第{last}行")
        each = "行"
    if len(covered) > 1:
        spans.append(f"“{headers[covered[0]]}”至“{headers[covered[-1]]}”列")
        each = "列" if last == first else "格"
    return say("merged_value", ref=ref, span="、".join(spans), each=each)


def far_columns(raw: pd.DataFrame, check, header_row: int) -> None:
    """Data right of the header's last title: one message naming the range."""
    far = raw.attrs.get("far")
    if not far:
        return
    first, last, row, column, value = far
    columns = f"{first}列" if first == last else f"{first}列至{last}列"
    text = str(value).strip()
    shown = text if len(text) <= 20 else text[:20] + "……"
    check.add(say("far_columns", columns=columns, row=row, column=column, text=shown), header_row)


def measure_row(raw: pd.DataFrame, roles: dict[str, int], layout: str) -> tuple[pd.DataFrame, dict]:
    """A row of measures right under the header (件、次、小时): (table without it,
    {column position: measure written}); nothing found: (raw, {})."""
    if layout != "wide" or raw.empty:
        return raw, {}
    first = raw.iloc[0]
    for role in cols.LABEL_ROLES:
        if role in roles and has_text(first.iloc[roles[role]]):
            if squash(first.iloc[roles[role]]) not in MEASURE_ROW_LABELS:
                return raw, {}
    found = {}
    for position in _value_positions(raw, roles, layout):
        value = first.iloc[position]
        if not has_text(value):
            continue
        if not isinstance(value, str) or not _MEASURE_WORD.fullmatch(squash(value)):
            return raw, {}
        found[position] = squash(value)
    if not found:
        return raw, {}
    rest = raw.iloc[1:]
    rest.attrs = {**raw.attrs, "measure_row": int(raw.index[0])}
    return rest, found


def period_cells(raw: pd.DataFrame, roles: dict[str, int], check) -> None:
    """Period cells that are dates not showing a year or month, or numbers not a year."""
    if "period" not in roles:
        return
    column = raw.iloc[:, roles["period"]]
    header = raw.columns[roles["period"]]
    odd = column.map(type) != str  # noqa: E721 (ShownDate is a str subclass: caught here)
    for row, value in column[odd & column.notna()].items():
        message = _period_problem(value)
        if message:
            check.add(message, int(row), header)


def _period_problem(value: object) -> str | None:
    if isinstance(value, ShownDate):
        if value.serial.is_integer() and 1900 <= value.serial < 2100:
            return say("year_in_date_cell", typed=int(value.serial), shown=str(value))
        if value.kind == "date":
            return say("date_not_period", shown=str(value))
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if float(value).is_integer() and 1900 <= value < 2100:
        return None
    text = str(int(value)) if float(value).is_integer() else str(value)
    return say("number_period", text=text)
