"""Reading one typed-in value: what the form accepts and the Chinese reason when not."""

from __future__ import annotations

import math
import re
import unicodedata

from .catalog import Indicator


def parse_value(indicator: Indicator, raw: object) -> tuple[float | None, str | None]:
    """(value, None) if acceptable; (None, None) for an empty field; (None, message) if not.

    Forgiving where the meaning is unambiguous: full-width digits, spaces,
    thousands separators, a trailing measure (“82件”) or “%” on percentages.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, None
    if isinstance(raw, bool):
        return None, "应为数字"
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
        if not text:
            return None, None
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
        for suffix in (indicator.measure, "%"):
            if suffix and text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                break
        try:
            number = float(text)
        except ValueError:
            return None, f"应为数字，而不是“{raw}”"
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
