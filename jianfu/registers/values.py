"""One register row read and checked against its kind: typed values or Chinese problems.

A form field and a spreadsheet cell go through the same :func:`row_values`, so both
accept the same spellings: dates as Excel shows them or typed (2026-03-05,
2026/3/5, 2026年3月5日, 2026.3.5), 是/否 (√, ×, Y, N), numbers as the importer reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd

from ..numbers.parse import parse_numbers
from ..text.characters import clean_text
from ..text.names import has_text, squash
from .model import RegisterField, RegisterKind

YES = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有"}
NO = {"否", "×", "✗", "n", "no", "false", "0", "无"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")

Values = dict[str, object]  # field code -> date | str | int | float | bool | None


def row_values(kind: RegisterKind, raw: Mapping[str, object]) -> tuple[Values, list[str]]:
    """The row's values by field code, and one problem per bad field (“字段“字数”：…”).

    ``raw`` may be keyed by field code or label; a key that is neither is a problem.
    """
    by_key = {}
    for f in kind.fields:
        for key in (f.code, f.label, *f.aliases):
            by_key[fold(key)] = f
    values: Values = {f.code: None for f in kind.fields}
    problems, bad = [], set()
    for key, value in raw.items():
        f = by_key.get(fold(key))
        if f is None:
            problems.append(f"“{key}”不是{kind.name}台账的字段")
            continue
        try:
            values[f.code] = field_value(f, value)
        except ValueError as exc:
            said = f.label if key == f.code else str(key).strip()
            problems.append(f"“{said}”：{exc}")
            bad.add(f.code)
    for f in kind.fields:
        if f.required and values[f.code] in (None, "") and f.code not in bad:
            problems.append(f"字段“{f.label}”不能为空")
    return values, problems


def fold(text: object) -> str:
    """A header or key as matched: NFKC, no spaces, lower case (“ 字 数 ” = “字数”)."""
    return squash(unicodedata.normalize("NFKC", str(text or ""))).lower()


def field_value(f: RegisterField, value: object) -> object:
    """One cell as its field's type; None when blank; ValueError with a Chinese reason."""
    if not has_text(value):
        return None
    if f.type == "date":
        return as_date(value)
    if f.type in ("int", "number"):
        return _number(value, whole=f.type == "int")
    text = clean_text(value, lines=False).strip()
    if f.type == "bool":
        word = unicodedata.normalize("NFKC", text).lower()
        if word in YES:
            return True
        if word in NO:
            return False
        raise ValueError(f"应填“是”或“否”，现为“{text}”")
    if f.type == "choice":
        folded = {unicodedata.normalize("NFKC", c): c for c in f.choices}
        found = folded.get(unicodedata.normalize("NFKC", text))
        if found is None:
            raise ValueError(f"“{text}”不是可选值，可选：{'、'.join(f.choices)}")
        return found
    return text


def as_date(value: object) -> date:
    """A date cell: a date, Excel's shown date, or text such as 2026年3月5日."""
    shown = getattr(value, "date", None)  # dataio's ShownDate keeps what the cell holds
    if isinstance(shown, datetime):
        return shown.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = _DATE.fullmatch(text)
    if found:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            pass
    raise ValueError(f"“{text}”不是日期，请写成2026-03-05或2026年3月5日")


def _number(value: object, whole: bool) -> int | float:
    parsed, _ = parse_numbers(pd.Series([value], dtype=object), ("字", "页", "分钟", "分"))
    number = parsed.iloc[0]
    if pd.isna(number) or number < 0:
        raise ValueError(f"应为不小于0的数，现为“{value}”")
    if whole:
        if not float(number).is_integer():
            raise ValueError(f"应为整数，现为“{value}”")
        return int(number)
    return float(number)


def plain(values: Values) -> dict[str, object]:
    """Values as JSON can hold them (dates as ISO text), for the database."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def shown(f: RegisterField, value: object) -> str:
    """A stored value as a page or message shows it."""
    if value is None or value == "":
        return ""
    if f.type == "bool":
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
