"""Turn an uploaded file's bytes into a raw table, whatever Excel or WPS produced.

Users save from Excel or WPS: .xlsx (:mod:`.xlsx`), or CSV (:mod:`.csvfile`) in
UTF-8, GBK/GB18030 (the default of Chinese Windows) or Big5. Nothing here knows
about indicators; the importer validates. The returned frame keeps every cell as
Python objects and is indexed by the row number the user sees in Excel, so every
later message can point at a row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import PurePath

import pandas as pd

from ..errors import Problem, ValidationError
from .rules import say
from .sheets import (
    MAX_BYTES,
    Far,
    Sheet,
    cell_ref,
    column_letter,
    fail,
    is_blank,
    is_untitled,
    untitled,
)

__all__ = ["MAX_BYTES", "SheetChoiceError", "column_letter", "is_untitled", "read_table"]

OLD_EXCEL = (".xls", ".et", ".ett", ".xlt")  # .et is WPS's own spreadsheet format
HEADER_HINTS = ("单位", "单位名称", "填报单位")  # a header row contains one of these
HEADER_SEARCH_ROWS = 10
HIDDEN = "（隐藏）"


class SheetChoiceError(ValidationError):
    """No sheet can be read without the user's choice: ``sheets`` to choose from,
    ``hidden_sheets`` those hidden in Excel (never chosen automatically)."""

    def __init__(self, problems, sheets: tuple[str, ...], hidden_sheets: tuple[str, ...]):
        super().__init__(problems)
        self.sheets, self.hidden_sheets = sheets, hidden_sheets


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    sheet: str | None = None,
    header_score: Callable[[list], int] | None = None,
) -> pd.DataFrame:
    """Read an .xlsx or .csv upload into a raw table.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        The name the user chose; its extension picks the reader and it is named in
        every message.
    max_bytes
        Upload cap; larger files are refused before parsing.
    sheet
        The sheet to read; by default the visible sheet whose header looks most like
        a data table (helper sheets of our template are never data, hidden sheets
        are read only when named).
    header_score
        How header-like a row is (e.g. how many cells name a column role or an
        indicator); the best row within the first rows is the header, so title
        rows and a 填报单位 line above it are skipped. Default: cells naming 单位.

    Returns
    -------
    pandas.DataFrame
        Object-dtype cells (numbers stay numbers when Excel stored numbers, blank
        cells are None), the header row's texts as column names (stripped; a blank
        header with data below becomes “（C列）”), and the Excel row number as index.
        Only the columns up to the header's last title are read. ``attrs``:
        ``sheet`` (its name, "" for CSV), ``sheets`` (the sheets holding data),
        ``hidden_sheets``, ``header_row`` (its Excel row number), ``hidden``
        (hidden or filtered data rows), ``formulas`` ((row, header) of formulas
        saved without a value), ``merged`` (merged ranges as (first row, last row,
        headers covered) below the header), ``far`` (data beyond the header:
        (first letter, last letter, row, letter, value) or None) and ``notes``.

    Raises
    ------
    ValidationError
        Empty, oversized, unsupported, unreadable or header-only files, or an
        unknown sheet; :class:`SheetChoiceError` when only hidden sheets hold data.
    """
    name = PurePath(filename or "").name or "上传的文件"
    score = header_score or _hint_score
    found = [s for s in read_sheets(data, name, max_bytes=max_bytes) if s.rows]
    if not found:
        fail(name, say("no_data"))
    chosen = _pick_sheet(found, sheet, score, name)
    frame = _to_frame(chosen, name, score)
    frame.attrs["sheets"] = [s.name for s in found]
    frame.attrs["hidden_sheets"] = [s.name for s in found if s.is_hidden]
    frame.attrs["notes"] = _sheet_notes(found, chosen, score)
    return frame


def read_sheets(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> list[Sheet]:
    """Every sheet of the upload (a CSV is one sheet named ""), helper sheets left out."""
    name = PurePath(filename or "").name or "上传的文件"
    _check_size(data, name, max_bytes)
    ext = PurePath(name).suffix.lower()
    if ext in OLD_EXCEL:
        fail(name, say("old_excel"))
    if ext == ".xlsx":
        from .xlsx import xlsx_sheets

        return xlsx_sheets(data, name)
    if ext == ".csv":
        from .csvfile import csv_sheet

        return [csv_sheet(data, name)]
    fail(name, say("unsupported", shown=f"“{ext}”" if ext else "没有扩展名的"))


def sheet_label(name: str, hidden: bool) -> str:
    """A sheet as the picker and the command line name it: “旧数据（隐藏）”."""
    return f"{name}{HIDDEN}" if hidden else name


def _hint_score(values: list) -> int:
    return sum(_header_text(v) in HEADER_HINTS for v in values)


def _table_score(sheet: Sheet, score) -> int:
    return max((score(values) for _, values in sheet.rows[:HEADER_SEARCH_ROWS]), default=0)


def _pick_sheet(found: list[Sheet], wanted: str | None, score, name: str) -> Sheet:
    """The named sheet, else the most table-like visible one; hidden ones only by name."""
    if wanted is not None:
        for sheet in found:  # as listed (“旧数据（隐藏）”) or as named
            if wanted in (sheet.name, sheet_label(sheet.name, sheet.is_hidden)):
                return sheet
        names = "、".join(f"“{s.name}”{HIDDEN if s.is_hidden else ''}" for s in found)
        _choose(found, name, say("no_sheet", wanted=wanted, names=names))
    visible = [s for s in found if not s.is_hidden]
    scores = [_table_score(s, score) for s in visible]
    if scores and max(scores) > 0:
        return visible[scores.index(max(scores))]  # ties: the first
    tables = [s for s in found if s.is_hidden and (_table_score(s, score) > 0 or not visible)]
    if tables:
        names = "、".join(f"“{s.name}”" for s in tables)
        _choose(found, name, say("hidden_only", names=names))
    return visible[0]


def _choose(found: list[Sheet], name: str, message: str):
    raise SheetChoiceError(
        [Problem(message, file=name)],
        tuple(s.name for s in found),
        tuple(s.name for s in found if s.is_hidden),
    )


def _sheet_notes(found: list[Sheet], chosen: Sheet, score) -> list[str]:
    notes = []
    if chosen.is_hidden:
        notes.append(say("hidden_chosen", sheet=chosen.name))
    left = [s for s in found if s.is_hidden and s is not chosen and _table_score(s, score) > 0]
    if left:
        notes.append(say("hidden_left", names="、".join(f"“{s.name}”" for s in left)))
    if chosen.encoding == "Big5":
        notes.append(say("big5"))
    return notes


def _check_size(data: bytes, name: str, max_bytes: int) -> None:
    if not data:
        fail(name, say("empty_file"))
    if len(data) > max_bytes:
        mb = 1024 * 1024
        fail(name, say("file_too_big", size=f"{len(data) / mb:.1f}", limit=f"{max_bytes / mb:g}"))


# ---------------------------------------------------------------- frame


def _header_index(rows: list[tuple[int, list]], score) -> int:
    """The most header-like of the first rows (ties: the earlier one), else the first.

    This skips a title such as “2023年基层减负数据表”, a 填报单位/填报日期 line and
    the group row of a two-row header (文件 over 发文数量 | 上级来文数量).
    """
    scores = [score(values) for _, values in rows[:HEADER_SEARCH_ROWS]]
    best = max(scores, default=0)
    return scores.index(best) if best > 0 else 0


def _header_text(value: object) -> str:
    return unicodedata.normalize("NFKC", _header_name(value))


def _header_name(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _to_frame(sheet: Sheet, name: str, score) -> pd.DataFrame:
    rows = sheet.rows
    start = _header_index(rows, score)
    header_row, header_values = rows[start]
    body = rows[start + 1 :]
    if not body:
        fail(name, say("header_only"), sheet.name)
    width = max((i + 1 for i, v in enumerate(header_values) if not is_blank(v)), default=1)
    far = _far(sheet, body, width)
    matrix = [(values + [None] * width)[:width] for _, values in body]
    padded = (header_values + [None] * width)[:width]
    headers = [_header_name(h) or untitled(column_letter(i)) for i, h in enumerate(padded)]
    frame = pd.DataFrame(matrix, columns=headers, dtype=object)
    frame.index = pd.Index([n for n, _ in body], name="row")
    keep = [
        not (is_untitled(h) and frame.iloc[:, i].map(is_blank).all()) for i, h in enumerate(headers)
    ]
    frame = frame.loc[:, keep]
    rows_read = set(frame.index)
    frame.attrs.update(
        sheet=sheet.name,
        header_row=header_row,
        hidden=sorted(rows_read & sheet.hidden),
        formulas=sorted(
            (row, headers[col]) for row, col in sheet.formulas if row in rows_read and col < width
        ),
        merged=_merged_below(sheet, header_row, width, keep),
        far=far,
        encoding=sheet.encoding,
    )
    return frame


def _merged_below(sheet: Sheet, header_row: int, width: int, keep: list[bool]) -> list:
    """Merged ranges reaching below the header, for the importer to judge.

    Each is (ref “C2:C3”, first row, last row, frame position of its top-left
    column or None, frame positions of the columns it covers).
    """
    position, n = {}, 0
    for col, kept in enumerate(keep):
        if kept:
            position[col], n = n, n + 1
    out = []
    for r1, c1, r2, c2 in sheet.merged:
        if r2 <= header_row or c1 > width:
            continue
        covered = [position[c] for c in range(c1 - 1, min(c2, width)) if c in position]
        if covered:
            ref = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
            out.append((ref, max(r1, header_row + 1), r2, position.get(c1 - 1), covered))
    return out


def _far(sheet: Sheet, body: list[tuple[int, list]], width: int) -> tuple | None:
    """Data right of the header's last title, as one range and its first cell."""
    covering = [(r1, r2, c1) for r1, c1, r2, c2 in sheet.merged if c2 > width]
    found: Far | None = None
    for number, values in body:
        for col in range(width + 1, len(values) + 1):
            value = values[col - 1]
            if is_blank(value) or any(
                r1 <= number <= r2 and c1 <= width for r1, r2, c1 in covering
            ):
                continue
            if found is None:
                found = Far(col, col, (number, col, value))
            found.first, found.last = min(found.first, col), max(found.last, col)
    if sheet.far is not None:
        if found is None:
            found = sheet.far
        found.first, found.last = min(found.first, sheet.far.first), max(found.last, sheet.far.last)
    if found is None:
        return None
    row, col, value = found.example
    return (
        column_letter(found.first - 1),
        column_letter(found.last - 1),
        row,
        column_letter(col - 1),
        value,
    )
