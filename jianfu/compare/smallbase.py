"""The small-base rule: a count below :data:`SMALL_BASE` in the base period is said and drawn
as its two counts, never as a percentage.

1 -> 3 people is “+200%”, the longest bar on a slide, and 6 -> 1 is “-83.33%”; both
are better read as “由1人增加到3人”. Sentences and charts ask this module, so a
chart never inflates what the sentences beside it say plainly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..numbers.format import is_missing

SMALL_BASE = 10


def small_base(kind: object, before: object) -> bool:
    """True for a count whose base-period value is below :data:`SMALL_BASE`."""
    if kind != "count" or is_missing(before):
        return False
    return float(before) < SMALL_BASE  # type: ignore[arg-type]


def small_base_mask(table: pd.DataFrame) -> np.ndarray:
    """:func:`small_base` over a compare table's ``kind`` and ``before`` columns."""
    before = pd.to_numeric(table["before"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return (table["kind"].to_numpy() == "count") & (before < SMALL_BASE)
