"""One sheet of an upload as the readers hand it over, and what every reader shares.

The readers (:mod:`.xlsx`, :mod:`.csvfile`) turn bytes into :class:`Sheet` objects;
:mod:`.readers` picks one and makes a table of it. Limits that keep one upload from
taking minutes or gigabytes live here, with the messages that name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from ..errors import Problem, ValidationError
from .rules import say

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # a compressed 20 MB workbook can unpack to far more than memory allows
MAX_COLUMNS = 256  # read this far; cells beyond are only summarised (one far-away "x")
MAX_CELLS = 3_000_000  # cells kept per sheet, and cells parsed (styled blanks included)


@dataclass
class Far:
    """Cells with data beyond :data:`MAX_COLUMNS`: only where, never their values."""

    first: int  # leftmost column (1-based)
    last: int  # rightmost column
    example: tuple[int, int, object]  # (row, column, value) of the first one met


@dataclass
class Sheet:
    """One sheet's non-empty rows, with what a plain read would hide.

    ``rows`` are (Excel row number, cell values up to the row's last value, at most
    :data:`MAX_COLUMNS`) with merged cells filled in; ``hidden`` the row numbers
    hidden or filtered out in Excel; ``formulas`` the (row, 0-based column) of
    formulas saved without a computed value (such a cell reads as empty);
    ``merged`` the merged ranges (min_row, min_col, max_row, max_col), 1-based;
    ``state`` "visible", "hidden" or "veryHidden"; ``far`` data beyond the columns
    read; ``encoding`` the CSV encoding when it is worth saying (Big5).
    """

    name: str
    rows: list[tuple[int, list]]
    hidden: frozenset[int] = frozenset()
    formulas: frozenset[tuple[int, int]] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = ()
    state: str = "visible"
    far: Far | None = None
    encoding: str = ""

    @property
    def is_hidden(self) -> bool:
        return self.state != "visible"


class ShownDate(str):
    """A date cell as Excel shows it (“2024年”, “2024/12/31”), with what it holds.

    ``kind`` is "year", "month" or "date" (a full date, or a time); ``date`` the
    datetime; ``serial`` Excel's day number (2024 typed into a date cell shows as
    1905-07-16: serial 2024).
    """

    kind: str
    date: datetime
    serial: float

    def __new__(cls, shown: str, kind: str, date: datetime, serial: float) -> ShownDate:
        self = super().__new__(cls, shown)
        self.kind, self.date, self.serial = kind, date, serial
        return self


def fail(name: str, message: str, sheet: str | None = None) -> NoReturn:
    raise ValidationError([Problem(message, file=name, sheet=sheet or None)])


def too_many_rows(name: str) -> NoReturn:
    fail(name, say("too_many_rows", limit=MAX_ROWS))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def blank_row(values) -> bool:
    return all(is_blank(v) for v in values)


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


def cell_ref(row: int, col: int) -> str:
    """1-based (row, column) -> “C5”."""
    return f"{column_letter(col - 1)}{row}"
