"""Reading one typed-in value: what the form accepts and the Chinese reason when not.

Parsing is the importer's (`parse_numbers`), so a form and a spreadsheet accept
exactly the same spellings; the range rules match the importer's checks.
"""

from __future__ import annotations

import math

import pandas as pd

from ..dataio.importer import parse_numbers
from .model import Indicator


def parse_value(indicator: Indicator, raw: object) -> tuple[float | None, str | None]:
    """(value, None) if acceptable; (None, None) for an empty field; (None, message) if not.

    Forgiving where the meaning is unambiguous: full-width digits, spaces,
    thousands separators, a trailing measure (“82件”) or “%” on percentages.
    """
    if isinstance(raw, bool):
        return None, "应为数字"
    suffixes = tuple(dict.fromkeys((indicator.measure, "%")))
    values, blank = parse_numbers(pd.Series([raw], dtype=object), suffixes)
    if blank.iloc[0]:
        return None, None
    number = float(values.iloc[0])
    if math.isnan(number):
        return None, f"应为数字，而不是“{str(raw).strip()}”"
    return _check_range(indicator, number)


def _check_range(indicator: Indicator, number: float) -> tuple[float | None, str | None]:
    if not indicator.entered:
        return None, "由分子分母计算得出，无需填写"
    if not math.isfinite(number):
        return None, "应为有限的数字"
    if number < 0:
        return None, "不能为负数"
    if indicator.kind == "count" and not number.is_integer():
        return None, "计数应为整数"
    if indicator.kind == "percent" and number > 100:
        return None, "百分比应在0到100之间"
    return number, None
