"""Cell text as people type it: what counts as empty, how a cell reads, names as stored.

One place decides how a unit name, a note or a header is read from a cell, so the
form, the importer and the store agree on what one name is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import numpy as np

from .characters import clean_name, clean_text
from .formula import unguard

MAX_NAME = 60  # characters in a unit name or period label (the database column's width)


def squash(text: object) -> str:
    """For matching headers and codes: a clean name, NFKC (full-width to half-width) and
    no spaces at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_name(text)))


def has_text(value: object) -> bool:
    """False for None, NaN and blank strings."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    return not (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as the user typed it, for messages (a logical cell as Excel shows it: TRUE)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat().replace("T", " ").removesuffix(" 00:00:00")
    return str(value).strip()


def clean_unit(value: object) -> str:
    """A 单位 name from a cell: cleaned as stored (:func:`clean_name`), our export's
    apostrophe undone."""
    if not has_text(value):
        return ""
    return clean_name(unguard(cell_text(value)))


def clean_note(value: object) -> str:
    """A 备注 cell: text a file can hold (line breaks kept), our export's apostrophe undone."""
    if not has_text(value):
        return ""
    return clean_text(unguard(cell_text(value))).strip()


def name_key(text: object, period: bool = False) -> str:
    """What makes two names the same name: NFKC (full-width brackets = half-width),
    no spaces at all, and for periods “2024年度” = “2024年”."""
    key = squash(clean_name(text))
    return key.replace("年度", "年") if period else key


def match_names(typed, known, period: bool = False) -> dict[str, str]:
    """Each typed name -> the name to store: a known name with the same key, else the
    first spelling of that key in ``typed``. Only names that change are returned."""
    canonical = {}
    for name in known:
        canonical.setdefault(name_key(name, period), name)
    out = {}
    for name in typed:
        chosen = canonical.setdefault(name_key(name, period), name)
        if chosen != name:
            out[name] = chosen
    return out
