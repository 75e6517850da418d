"""Write observations out as .xlsx or .csv that Excel and WPS open cleanly.

The long layout carries the indicator's name, code and measure, so a file that
went out can come back in unchanged. Any text that a spreadsheet would run as a
formula (starting with = + - @, tab or carriage return) gets a leading apostrophe
and is written as a string cell: a unit named “=HYPERLINK(...)” stays text. Text
is cleaned of characters a file cannot hold (:mod:`jianfu.text.characters`) as it is written,
whatever the database holds.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime

import pandas as pd

from ..catalog import Catalog
from ..numbers.format import plain
from ..text.formula import cell_safe
from ..text.width import display_width

LONG_COLUMNS = ["单位", "时期", "指标", "指标代码", "计量单位", "数值", "备注", "来源", "更新时间"]
SHEET = "数据"
HEADER_FILL = "DDEBF7"


neutralise = cell_safe  # text for a cell: cleaned (jianfu.text.formula.cell_safe), never a formula


def export_frame(obs: pd.DataFrame, catalog: Catalog, layout: str = "long") -> pd.DataFrame:
    """The table as written to a file, with Chinese headers (values not neutralised).

    Parameters
    ----------
    obs
        Tidy observations: unit, period, indicator (code), value; optional note,
        source, updated_at.
    layout
        "long": one value per row (re-imports losslessly, notes included);
        "wide": one row per unit and period, one “名称（单位）” column per indicator.
    """
    if layout not in ("long", "wide"):
        raise ValueError(f"layout must be 'long' or 'wide', not {layout!r}")
    obs = _ordered(obs, catalog)
    if layout == "wide":
        return _wide(obs, catalog)
    ind = obs["indicator"].map(catalog.get)
    return pd.DataFrame(
        {
            "单位": obs["unit"].astype(object),
            "时期": obs["period"].astype(object),
            "指标": [i.name if i else c for i, c in zip(ind, obs["indicator"], strict=True)],
            "指标代码": obs["indicator"].astype(object),
            "计量单位": [i.measure if i else "" for i in ind],
            "数值": obs["value"].astype(float),
            "备注": _text_column(obs, "note"),
            "来源": _text_column(obs, "source"),
            "更新时间": _text_column(obs, "updated_at"),
        },
        columns=LONG_COLUMNS,
    ).reset_index(drop=True)


def export_xlsx(obs: pd.DataFrame, catalog: Catalog, *, layout: str = "long") -> bytes:
    """An .xlsx workbook with one 数据 sheet; text cells are never formulas."""
    return table_xlsx(export_frame(obs, catalog, layout), sheet=SHEET)


def table_xlsx(table: pd.DataFrame, sheet: str = SHEET) -> bytes:
    """Any table with Chinese headers as a styled one-sheet workbook, formulas neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    append_row(ws, [str(c) for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table.itertuples(index=False):
        append_row(ws, row)
    _set_widths(ws, table)
    ws.freeze_panes = "A2"
    if len(table):
        ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_csv(obs: pd.DataFrame, catalog: Catalog, *, layout: str = "long") -> bytes:
    """CSV in UTF-8 with BOM (so Excel and WPS detect the encoding), CRLF lines."""
    table = export_frame(obs, catalog, layout)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- helpers


def _ordered(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Units and periods in first-seen order, indicators in catalog order."""
    rank = {code: i for i, code in enumerate(catalog.codes())}
    keys = pd.DataFrame(
        {
            "u": pd.factorize(obs["unit"])[0],
            "p": pd.factorize(obs["period"])[0],
            "i": obs["indicator"].map(lambda c: rank.get(c, len(rank))).to_numpy(),
        },
        index=obs.index,
    )
    order = keys.sort_values(["u", "p", "i"], kind="stable").index
    return obs.loc[order]


def _wide(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    rank = {code: i for i, code in enumerate(catalog.codes())}
    codes = sorted(dict.fromkeys(obs["indicator"]), key=lambda c: rank.get(c, len(rank)))
    labels = {code: (catalog[code].label if code in catalog else code) for code in codes}
    rows: dict[tuple, dict] = {}
    for unit, period, code, value in obs[["unit", "period", "indicator", "value"]].itertuples(
        index=False
    ):
        rows.setdefault((unit, period), {"单位": unit, "时期": period})[labels[code]] = value
    columns = ["单位", "时期", *labels.values()]
    return pd.DataFrame(list(rows.values()), columns=columns)


def _text_column(obs: pd.DataFrame, name: str) -> list[str]:
    if name not in obs.columns:
        return [""] * len(obs)
    return [_text(v) for v in obs[name]]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        if value.tzinfo is not None:
            # stored in UTC; shown in the server's local time
            value = pd.Timestamp(value).to_pydatetime().astimezone()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def append_row(ws, values) -> None:
    """Append a row whose text can never run as a formula: every sheet the workbook
    writes (exports, comparison tables, the template) goes through here."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # belt and braces: a string cell, whatever it starts with


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return cell_safe(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _csv_value(value: object) -> str:
    if isinstance(value, str):
        return cell_safe(value)
    if isinstance(value, int | float):
        return plain(value)
    return _text(value)


def _set_widths(ws, table: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(table.columns, start=1):
        sample = [column, *table[column].head(200).map(_text_or_number)]
        width = max(excel_width(s) for s in sample) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 40)


def excel_width(text: object) -> int:
    """Column width in Excel units: a Chinese font shows CJK and ambiguous characters (“ ”) wide."""
    return display_width(text, ambiguous=2)


def _text_or_number(value: object) -> str:
    return plain(value) if isinstance(value, int | float) else _text(value)
