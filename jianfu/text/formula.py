"""The formula guard: text a spreadsheet would run as a formula stays text.

Excel and WPS run a cell starting with = + - @ (or tab, CR, or their full-width
forms) as a formula, so a unit name "=HYPERLINK(...)" in an export would be a
live link. Writers prefix an apostrophe (:func:`formula_safe`); readers take
exactly that apostrophe off again (:func:`unguard`), so an export imports back
unchanged. Both use the one character set :data:`FORMULA_START`.
"""

from __future__ import annotations

import re

from .characters import clean_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
FORMULA_GUARD = re.compile("^'(?=[" + re.escape("".join(FORMULA_START)) + "])")


def formula_safe(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """Take off the apostrophe :func:`formula_safe` added (and nothing else)."""
    return FORMULA_GUARD.sub("", text)


def cell_safe(value: object) -> object:
    """A value as a spreadsheet writer may put it in a cell: text cleaned, never a formula."""
    if isinstance(value, str):
        return formula_safe(clean_text(value))
    return value
