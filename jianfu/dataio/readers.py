"""Turn an uploaded file's bytes into a raw table, whatever Excel or WPS produced.

Users save from Excel or WPS: .xlsx, or CSV in UTF-8, UTF-8 with BOM, or GBK/GB18030
(the default of Chinese Windows). Nothing here knows about indicators; the importer
validates. The returned frame keeps every cell as Python objects and is indexed by
the row number the user sees in Excel, so every later message can point at a row.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

import pandas as pd

from ..errors import Problem, ValidationError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # a compressed 20 MB workbook can unpack to far more than memory allows
MAX_SHEET_XML = 256 * 1024 * 1024
OLD_EXCEL = (".xls", ".et", ".ett", ".xlt")  # .et is WPS's own spreadsheet format
HELPER_SHEETS = ("说明", "指标目录")  # sheets our template adds around the data sheet
HEADER_HINTS = ("单位", "单位名称", "填报单位")  # a header row contains one of these
HEADER_SEARCH_ROWS = 10
DELIMITERS = (",", "\t", ";")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, and also password-protected .xlsx

_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+\d+):([A-Z]+\d+)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")  # a value, or inline text
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class Sheet:
    """One sheet's non-empty rows, with what a plain read would hide.

    ``rows`` are (Excel row number, cell values) with merged cells filled in;
    ``hidden`` the row numbers hidden or filtered out in Excel; ``formulas`` the
    (row, 0-based column) of formulas saved without a computed value (files
    written by software, not by Excel): such a cell reads as empty.
    """

    name: str
    rows: list[tuple[int, list]]
    hidden: frozenset[int] = frozenset()
    formulas: frozenset[tuple[int, int]] = frozenset()


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
        The sheet to read; by default the one whose header looks most like a data
        table (helper sheets of our template are never data).
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
        Entirely empty rows and columns are dropped. ``attrs``: ``sheet`` (its name,
        "" for CSV), ``sheets`` (the sheets holding data), ``header_row`` (its Excel
        row number), ``hidden`` (hidden or filtered data rows) and ``formulas``
        ((row, header) of formulas saved without a value).

    Raises
    ------
    ValidationError
        Empty, oversized, unsupported, unreadable or header-only files, or an
        unknown sheet.
    """
    name = PurePath(filename or "").name or "上传的文件"
    score = header_score or _hint_score
    sheets = [s for s in read_sheets(data, name, max_bytes=max_bytes) if s.rows]
    if not sheets:
        _fail(name, "文件里没有数据")
    chosen = _pick_sheet(sheets, sheet, score, name)
    frame = _to_frame(chosen, name, score)
    frame.attrs["sheets"] = [s.name for s in sheets]
    return frame


def read_sheets(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> list[Sheet]:
    """Every sheet of the upload (a CSV is one sheet named ""), helper sheets left out."""
    name = PurePath(filename or "").name or "上传的文件"
    _check_size(data, name, max_bytes)
    ext = PurePath(name).suffix.lower()
    if ext in OLD_EXCEL:
        _fail(
            name,
            "这是旧版Excel（.xls）或WPS表格（.et）格式，请在Excel或WPS中“另存为”"
            "Excel工作簿（.xlsx）后再导入",
        )
    if ext == ".xlsx":
        return _xlsx_sheets(data, name)
    if ext == ".csv":
        return [Sheet("", _csv_rows(data, name))]
    shown = f"“{ext}”" if ext else "没有扩展名的"
    _fail(name, f"不支持{shown}文件，请上传 .xlsx 或 .csv 文件")


def _hint_score(values: list) -> int:
    return sum(_header_text(v) in HEADER_HINTS for v in values)


def _pick_sheet(sheets: list[Sheet], wanted: str | None, score, name: str) -> Sheet:
    if wanted is not None:
        for sheet in sheets:
            if sheet.name == wanted:
                return sheet
        names = "、".join(f"“{s.name}”" for s in sheets)
        _fail(name, f"找不到有数据的工作表“{wanted}”，有数据的工作表是：{names}")
    best = [
        max((score(values) for _, values in s.rows[:HEADER_SEARCH_ROWS]), default=0) for s in sheets
    ]
    return sheets[best.index(max(best))]  # ties: the first (visible sheets come first)


def untitled(column_letter: str) -> str:
    """Name given to a column that has data but no header text."""
    return f"（{column_letter}列）"


def is_untitled(header: str) -> bool:
    return re.fullmatch(r"（[A-Z]+列）", header) is not None


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _fail(name: str, message: str, sheet: str | None = None) -> NoReturn:
    raise ValidationError([Problem(message, file=name, sheet=sheet or None)])


def _check_size(data: bytes, name: str, max_bytes: int) -> None:
    if not data:
        _fail(name, "文件是空的（0字节），请检查是否选错了文件或文件未保存")
    if len(data) > max_bytes:
        mb = 1024 * 1024
        _fail(
            name,
            f"文件大小为{len(data) / mb:.1f} MB，超过了{max_bytes / mb:g} MB的上限，"
            "请删除无关的工作表或拆分成几个文件分别导入",
        )


# ---------------------------------------------------------------- xlsx


def _xlsx_sheets(data: bytes, name: str) -> list[Sheet]:
    from openpyxl import load_workbook  # import cost paid only when an xlsx arrives

    if data[:4] == OLE_MAGIC:
        _fail(
            name,
            "这个文件实际是旧版Excel（.xls）格式，或设置了打开密码；请在Excel或WPS中"
            "打开后“另存为”Excel工作簿（.xlsx，不设密码）再导入",
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl errors all mean the same to a user
        _fail(
            name,
            "无法读取这个Excel文件，文件可能已损坏或并非.xlsx格式；请在Excel或WPS中"
            "打开后重新“另存为”Excel工作簿（.xlsx）",
        )
    try:
        # hidden sheets usually hold lookup lists: they come last
        order = sorted(wb.worksheets, key=lambda ws: getattr(ws, "sheet_state", "") != "visible")
        sheets = [_sheet(ws, data) for ws in order if ws.title.strip() not in HELPER_SHEETS]
    except _TooManyRows:
        _fail(name, f"文件超过{MAX_ROWS}行，请拆分成几个文件分别导入")
    except Exception:
        _fail(name, "Excel文件内容无法解析，文件可能已损坏；请在Excel或WPS中打开后重新保存")
    finally:
        wb.close()
    if not any(s.rows for s in sheets):
        _fail(name, "工作簿里没有数据（所有工作表都是空的）")
    return sheets


class _TooManyRows(Exception):
    pass


def _sheet(ws, data: bytes) -> Sheet:
    ws.reset_dimensions()  # WPS and some generators write a wrong <dimension>
    rows = []
    for n, cells in enumerate(ws.iter_rows(), start=1):
        values = [_cell_value(cell) for cell in cells]
        if not _blank_row(values):
            rows.append((n, values))
            if len(rows) > MAX_ROWS + 1:  # + header
                raise _TooManyRows
    xml = _sheet_xml(ws, data) if rows else b""
    if xml:
        _fill_merged(rows, _merged_ranges(xml))
    return Sheet(ws.title, rows, _hidden_rows(xml), _formulas_without_value(xml))


def _cell_value(cell) -> object:
    """The cell's value; a number shown as a percentage comes back as text “92.6%”.

    Typing 92.6% into Excel or WPS stores 0.926 with a percent format; handing the
    importer 0.926 would silently turn 92.6% into 0.926%.
    """
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in (cell.number_format or ""):
            return f"{round(value * 100, 10):.15g}%"
    return value


def _sheet_xml(ws, data: bytes) -> bytes:
    """The sheet's own XML: read-only worksheets hide merges, hidden rows and formulas."""
    path = getattr(ws, "_worksheet_path", None)
    if not path:
        return b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = path.lstrip("/")
            if archive.getinfo(member).file_size > MAX_SHEET_XML:
                return b""
            return archive.read(member)
    except (KeyError, zipfile.BadZipFile):
        return b""


def _merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col), 1-based.

    Users often merge a unit's name down over its period rows.
    """
    ranges = []
    for start, end in _MERGE_REF.findall(xml):
        r1, c1 = _cell_position(start.decode())
        r2, c2 = _cell_position(end.decode())
        ranges.append((r1, c1, r2, c2))
    return ranges


def _hidden_rows(xml: bytes) -> frozenset[int]:
    """Rows hidden by hand or by a filter (Excel marks both hidden="1")."""
    return frozenset(int(r) for r in _HIDDEN_ROW.findall(xml))


def _formulas_without_value(xml: bytes) -> frozenset[tuple[int, int]]:
    """(row, 0-based column) of cells with a formula but no cached value."""
    found = set()
    for ref, body in _CELL.findall(xml):
        if b"<f" in body and not _CACHED.search(body):
            row, col = _cell_position(ref.decode())
            found.add((row, col - 1))
    return frozenset(found)


def _cell_position(ref: str) -> tuple[int, int]:
    letters, digits = _CELL_REF.fullmatch(ref).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


def _fill_merged(rows: list[tuple[int, list]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Copy each merged range's top-left value into all its cells."""
    by_number = {n: values for n, values in rows}
    for r1, c1, r2, c2 in ranges:
        top = by_number.get(r1)
        if top is None or c1 > len(top):
            continue
        value = top[c1 - 1]
        for r in range(r1, r2 + 1):
            values = by_number.get(r)
            if values is None:
                continue
            if len(values) < c2:
                values.extend([None] * (c2 - len(values)))
            for c in range(c1, c2 + 1):
                if values[c - 1] is None:
                    values[c - 1] = value


# ---------------------------------------------------------------- csv


def _csv_rows(data: bytes, name: str) -> list[tuple[int, list]]:
    text = _decode(data, name)
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        _fail(
            name, "CSV文件格式有误（引号不配对或含有非法字符），请在Excel或WPS中打开后重新保存为CSV"
        )
    cells = ([value if value.strip() else None for value in record] for record in records)
    rows = [(n, values) for n, values in enumerate(cells, start=1) if not _blank_row(values)]
    if len(rows) > MAX_ROWS + 1:
        _fail(name, f"文件超过{MAX_ROWS}行，请拆分成几个文件分别导入")
    return rows


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK), strictly.

    Valid UTF-8 is almost never valid-looking GBK by accident, so trying UTF-8 first
    is safe; charset-normalizer is only consulted when both fail.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's “Unicode文本” is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        _fail(name, "无法识别文件的文字编码，请在Excel或WPS中另存为“CSV UTF-8（逗号分隔）”格式")
    return str(best)


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the header line uses most (ties: comma)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# ---------------------------------------------------------------- frame


def _blank_row(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


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
        _fail(name, "只有标题行，没有数据行；请在标题行下面填写数据", sheet.name)
    width = max(len(header_values), *(len(values) for _, values in body))
    matrix = [values + [None] * (width - len(values)) for _, values in body]
    padded = header_values + [None] * (width - len(header_values))
    headers = [_header_name(h) or untitled(column_letter(i)) for i, h in enumerate(padded)]
    frame = pd.DataFrame(matrix, columns=headers, dtype=object)
    frame.index = pd.Index([n for n, _ in body], name="row")
    keep = [
        not (is_untitled(h) and frame.iloc[:, i].map(_is_blank).all())
        for i, h in enumerate(headers)
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
    )
    return frame


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
