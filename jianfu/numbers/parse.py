"""Numbers as people type them into forms and spreadsheets, read back to floats.

The form and the importer both read through :func:`parse_numbers`, so a field and
a spreadsheet cell accept exactly the same spellings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BLANK_MARKS = ("", "-", "--", "—", "——", "–", "/", "\\")  # “no data” in Chinese tables
NUMBER_TYPES = (int, float, np.int64, np.float64)
THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
# Characters that Unicode folding (NFKC) turns into digits but that are not digits
# as typed: superscripts (45¹ would become 451), subscripts, circled and bracketed
# numbers (⑫), vulgar fractions and Roman numerals. A cell holding one is refused.
NOT_PLAIN_DIGITS = (
    "[\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff"
    "\u2776-\u2793\u3192-\u3195\u3220-\u3229\u3248-\u325f\u3280-\u3289\u32b1-\u32bf]"
)


def parse_numbers(raw: pd.Series, suffixes: tuple[str, ...] = ()) -> tuple[pd.Series, pd.Series]:
    """Numbers from cells as users type them, vectorised.

    Accepts Excel numbers, full-width digits, spaces, thousands separators
    (“1,234”) and a trailing measure (“82件”, “92.6%”); refuses superscripts and
    circled numbers (“45¹”, “⑫”), which folding would turn into other numbers. Returns (value, blank):
    value is NaN where the text is not a number; blank marks empty cells and the
    “no data” marks of Chinese tables (“—”, “/”).
    """
    types = raw.map(type)
    is_num = types.isin(NUMBER_TYPES)
    is_str = types.eq(str)
    value = pd.to_numeric(raw.where(is_num), errors="coerce").astype(float)
    blank = raw.isna() | (is_num & value.isna())
    if is_str.any():  # fast path: most text cells are plain numbers
        value[is_str] = pd.to_numeric(raw[is_str], errors="coerce").astype(float).to_numpy()
    slow = is_str & value.isna()
    if slow.any():
        typed = raw[slow].astype(str)
        odd = typed.str.contains(NOT_PLAIN_DIGITS, regex=True).to_numpy()
        text = typed.str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
        blank[slow] = text.isin(BLANK_MARKS).to_numpy()
        for suffix in suffixes:
            text = text.str.removesuffix(suffix)
        grouped = text.str.fullmatch(THOUSANDS)
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
        parsed = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
        value[slow] = np.where(odd, np.nan, parsed)
    return value, blank
