"""Cell text as people type it: what counts as empty, how a cell reads, names as stored.

One place decides how a unit name, a note or a header is read from a cell, so the
form, the importer and the store agree on what one name is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import numpy as np

FORMULA_GUARD = re.compile(r"^'(?=[=+\-@＝＋－＠])")  # the apostrophe our export adds


def squash(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def has_text(value: object) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    return not (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat().replace("T", " ").removesuffix(" 00:00:00")
    return str(value).strip()


def clean_unit(value: object) -> str:
    """A 单位 name as stored: surrounding spaces dropped, our export's apostrophe undone."""
    if not has_text(value):
        return ""
    return FORMULA_GUARD.sub("", cell_text(value))


def clean_note(value: object) -> str:
    if not has_text(value):
        return ""
    return FORMULA_GUARD.sub("", cell_text(value))
