"""Writing any table into .xlsx or .csv cells that Excel and WPS open cleanly.

Every sheet and CSV the workbook writes (all data, comparison tables, the blank
template, self-assessment results) goes through here. Any text that a
spreadsheet would run as a formula gets a leading apostrophe and is written as a
string cell (:mod:`jianfu.text.formula`): a unit named “=HYPERLINK(...)” stays
text. Text is cleaned of characters a file cannot hold as it is written,
whatever the database holds. Numbers are written exactly (:func:`plain`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import pandas as pd

from ..numbers.format import plain
from ..text.formula import cell_safe
from ..text.width import display_width

HEADER_FILL = "DDEBF7"


def table_xlsx(table: pd.DataFrame, sheet: str) -> bytes:
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


def table_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with BOM (so Excel and WPS detect the encoding), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def append_row(ws, values) -> None:
    """Append a row whose text can never run as a formula: every sheet the workbook
    writes (exports, comparison tables, the template) goes through here."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # belt and braces: a string cell, whatever it starts with


def text_of(value: object) -> str:
    """A value as a file shows it: nothing for a missing one, times in local time."""
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
    return text_of(value)


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
    return plain(value) if isinstance(value, int | float) else text_of(value)
