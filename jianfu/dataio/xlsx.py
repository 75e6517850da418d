"""Reading .xlsx sheets as Excel shows them, in one streaming pass per sheet.

openpyxl's read-only worksheets hide what matters here (merged cells, hidden rows,
formulas saved without a result, number formats) and pad every row to its last
cell, so one stray “x” in column XFD made a 3,000-row sheet take 1.2 GB. Its sheet
parser hands over only the cells the file holds, with merges and row attributes
at the end: we read that, keep at most :data:`~.sheets.MAX_COLUMNS` columns and
summarise anything further out.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import datetime, timedelta

from ..numbers.format import fraction_as_percent
from . import sheets
from .rules import say
from .sheets import Far, Sheet, ShownDate, fail

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, and also password-protected .xlsx
HELPER_SHEETS = ("说明", "指标目录")  # sheets our template adds around the data sheet
EXCEL_EPOCH = datetime(1899, 12, 30)
_MERGE_REF = re.compile(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?")


class _TooBig(Exception):
    def __init__(self, key: str, row: int):
        self.key, self.row = key, row


def xlsx_sheets(data: bytes, name: str) -> list[Sheet]:
    """Every sheet but our template's helper sheets, visible ones first."""
    from openpyxl import load_workbook  # import cost paid only when an xlsx arrives

    if data[:4] == OLE_MAGIC:
        fail(name, say("old_inside"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl errors all mean the same to a user
        fail(name, say("unreadable"))
    try:
        order = sorted(wb.worksheets, key=lambda ws: ws.sheet_state != "visible")
        found = [_sheet(ws) for ws in order if ws.title.strip() not in HELPER_SHEETS]
    except _TooBig as big:
        if big.key == "too_many_rows":
            sheets.too_many_rows(name)
        fail(name, say("too_many_cells", limit=sheets.MAX_CELLS // 10_000, row=big.row))
    except Exception:
        fail(name, say("unparsable"))
    finally:
        wb.close()
    if not any(s.rows for s in found):
        fail(name, say("empty_workbook"))
    return found


def _sheet(ws) -> Sheet:
    reader = _Reader(ws)
    rows = reader.rows()
    merged = reader.merged()
    _fill_merged(rows, merged)
    return Sheet(
        ws.title,
        rows,
        hidden=reader.hidden(),
        formulas=frozenset(reader.formulas),
        merged=tuple(merged),
        state=ws.sheet_state,
        far=reader.far,
    )


class _Reader:
    """One pass over a sheet's XML with openpyxl's own parser (only cells that exist).

    The parser and the worksheet's source, shared strings and date styles are
    openpyxl internals (stable through 3.1, the range pyproject.toml allows); the
    reader tests exercise every one of them.
    """

    def __init__(self, ws):
        from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

        reader = self

        class Parser(WorkSheetParser):
            def parse_cell(self, element):
                cell = super().parse_cell(element)
                reader.parsed += 1
                if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                    reader.formulas.add((cell["row"], cell["column"] - 1))
                return cell

        self.ws = ws
        self.parsed = 0
        self.formulas: set[tuple[int, int]] = set()
        self.far: Far | None = None
        self._formats: dict[int, tuple[str, bool]] = {}
        wb = ws.parent
        self._source = ws._get_source()
        self.parser = Parser(
            self._source,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )

    def rows(self) -> list[tuple[int, list]]:
        kept, cells = [], 0
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dates out of range: read as errors
                for number, row in self.parser.parse():
                    if self.parsed > sheets.MAX_CELLS:
                        raise _TooBig("too_many_cells", number)
                    values = self._values(number, row)
                    if values is None:
                        continue
                    kept.append((number, values))
                    cells += len(values)
                    if len(kept) > sheets.MAX_ROWS + 1:  # + header
                        raise _TooBig("too_many_rows", number)
                    if cells > sheets.MAX_CELLS:
                        raise _TooBig("too_many_cells", number)
        finally:
            self._source.close()
        return kept

    def _values(self, number: int, row: list[dict]) -> list | None:
        """The row's values up to its last one (None for an empty row); far cells noted."""
        values: list = []
        for cell in row:
            value = cell["value"]
            if value is None or (type(value) is str and not value.strip()):
                continue
            column = cell["column"]
            if column > sheets.MAX_COLUMNS:
                self._note_far(number, column, value)
                continue
            if len(values) < column:
                values.extend([None] * (column - len(values)))
            values[column - 1] = value if type(value) is str else self._shown(value, cell)
        return values or None

    def _note_far(self, row: int, column: int, value: object) -> None:
        if self.far is None:
            self.far = Far(column, column, (row, column, value))
        else:
            self.far.first = min(self.far.first, column)
            self.far.last = max(self.far.last, column)

    def _shown(self, value: object, cell: dict) -> object:
        """A number formatted as a percentage comes back as “92.6%”; a date as shown.

        Typing 92.6% into Excel or WPS stores 0.926 with a percent format; handing the
        importer 0.926 would silently turn 92.6% into 0.926%.
        """
        if isinstance(value, bool) or not isinstance(value, int | float | datetime):
            return value
        fmt, percent = self._format(cell["style_id"])
        if isinstance(value, datetime):
            return shown_date(value, fmt)
        if percent:
            return f"{fraction_as_percent(value):.15g}%"
        return value

    def _format(self, style_id: int) -> tuple[str, bool]:
        """(number format, shows a percentage) of a cell style, looked up once per style."""
        if style_id not in self._formats:
            from openpyxl.cell.read_only import ReadOnlyCell

            fmt = ReadOnlyCell(self.ws, 1, 1, None, "n", style_id).number_format or "General"
            self._formats[style_id] = (fmt, "%" in _codes(fmt))
        return self._formats[style_id]

    def merged(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges (min_row, min_col, max_row, max_col), 1-based."""
        found = getattr(self.parser, "merged_cells", None)
        ranges = []
        for merge in getattr(found, "mergeCell", None) or ():
            match = _MERGE_REF.fullmatch(str(merge.ref or ""))
            if match:
                c1, r1, c2, r2 = match.groups()
                first, last = _column(c1), _column(c2 or c1)
                ranges.append((int(r1), first, int(r2 or r1), last))
        return ranges

    def hidden(self) -> frozenset[int]:
        """Rows hidden by hand or by a filter (Excel marks both hidden="1")."""
        return frozenset(
            int(row)
            for row, attrs in self.parser.row_dimensions.items()
            if str(attrs.get("hidden", "")).lower() in ("1", "true")
        )


def _column(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col


def _fill_merged(rows: list[tuple[int, list]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Copy each merged range's top-left value into its cells (within the columns read).

    Which of these copies stand (labels: yes; values: never) is the importer's call:
    it knows which column is which (``Sheet.merged`` keeps the ranges).
    """
    by_number = {n: values for n, values in rows}
    for r1, c1, r2, c2 in ranges:
        top = by_number.get(r1)
        if top is None or c1 > len(top) or top[c1 - 1] is None:
            continue
        value, c2 = top[c1 - 1], min(c2, sheets.MAX_COLUMNS)
        for r in range(r1, r2 + 1):
            values = by_number.get(r)
            if values is None:
                continue
            if len(values) < c2:
                values.extend([None] * (c2 - len(values)))
            for c in range(c1, c2 + 1):
                if values[c - 1] is None:
                    values[c - 1] = value


# ---------------------------------------------------------------- dates as shown


def _codes(fmt: str) -> str:
    """The format's first section without quoted text, escapes and [colour/locale] tags."""
    first = fmt.split(";")[0]
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", first).lower()


def shown_date(value: datetime, fmt: str) -> ShownDate:
    """A date cell as Excel shows it, read as a period where it shows one.

    “yyyy"年"” shows 2024年 and “yyyy"年"m"月"” 2024年1月: these are those periods;
    anything showing a day (or a time) is a date, kept with its shown text for the
    message that refuses it.
    """
    codes = _codes(fmt)
    serial = (value - EXCEL_EPOCH) / timedelta(days=1)
    day_or_time = any(ch in codes for ch in "dhs") or "general" in codes
    if "y" in codes and not day_or_time:
        if "m" in codes:
            return ShownDate(f"{value.year}年{value.month}月", "month", value, serial)
        return ShownDate(f"{value.year}年", "year", value, serial)
    return ShownDate(_render(value, fmt), "date", value, serial)


def _render(value: datetime, fmt: str) -> str:
    """Text of a date under an Excel format (literals kept; a midnight time left out)."""
    out, after_hour = [], False
    tokens = re.finditer(r'"([^"]*)"|\\(.)|\[[^\]]*\]|(y+|m+|d+|h+|s+)|(.)', fmt.split(";")[0])
    for match in tokens:
        quoted, escaped, code, other = match.groups()
        if code:
            code = code.lower()
            minutes = code[0] == "m" and after_hour
            out.append(_part(value, "n" * len(code) if minutes else code))
            after_hour = code[0] == "h" or (after_hour and code[0] != "s" and not minutes)
        else:
            out.append(quoted or escaped or other or "")
    text = "".join(out).strip() or value.strftime("%Y-%m-%d")
    return re.sub(r"\s+0?0:00(:00)?$", "", text)


def _part(value: datetime, code: str) -> str:
    number = {
        "y": value.year,
        "m": value.month,
        "d": value.day,
        "h": value.hour,
        "n": value.minute,
    }.get(code[0], value.second)
    if code[0] == "y":
        return f"{number % 100:02d}" if len(code) <= 2 else str(number)
    return f"{number:02d}" if len(code) >= 2 else str(number)
