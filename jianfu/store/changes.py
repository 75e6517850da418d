"""What a save would change: incoming rows against stored ones, in one place.

The import preview and the save itself both call :func:`diff`, so the preview's
新增/修改/不变 counts are exactly what the save then reports. Values are compared
exactly, up to float noise (stored values reach forms and files as lossless text,
so an unedited value comes back identical). A changed note is a change. An empty
note leaves the stored note alone: a file or a form without a note column must
not wipe notes typed earlier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["unit", "period", "indicator"]
STATUSES = ("新增", "修改", "不变")
DIFF_COLUMNS = [*KEYS, "status", "old_value", "new_value", "old_note", "note", "updated_at"]


def diff(incoming: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """One row per incoming value: its status and what it replaces.

    Parameters
    ----------
    incoming
        unit, period, indicator, value and (optionally) note.
    stored
        The stored rows for (at least) the same units and periods: unit, period,
        indicator, value, note, updated_at.

    Returns
    -------
    DataFrame with :data:`DIFF_COLUMNS`, in the incoming order: ``status`` is 新增,
    修改 (value or note differs) or 不变; ``note`` is the note as it will be stored;
    ``old_value``/``old_note``/``updated_at`` are NaN/""/NaT for new values.
    """
    new = incoming[[*KEYS, "value"]].rename(columns={"value": "new_value"})
    new["new_note"] = _notes(incoming)
    old = stored[[*KEYS, "value", "note", "updated_at"]].rename(
        columns={"value": "old_value", "note": "old_note"}
    )
    merged = new.merge(old.drop_duplicates(KEYS, keep="last"), on=KEYS, how="left", sort=False)
    old_v = merged["old_value"].astype(float)
    new_v = merged["new_value"].astype(float)
    old_note = merged["old_note"].fillna("").astype(str)
    note = merged["new_note"].where(merged["new_note"] != "", old_note)
    is_new = old_v.isna()
    # float noise (0.1 + 0.2 from a spreadsheet formula) is not a change
    same_value = (old_v == new_v) | np.isclose(old_v, new_v, rtol=1e-12, atol=1e-12)
    same = same_value & (note == old_note)
    merged["status"] = np.select([is_new, same], ["新增", "不变"], default="修改")
    merged["old_value"], merged["new_value"] = old_v, new_v
    merged["old_note"], merged["note"] = old_note, note
    return merged[DIFF_COLUMNS]


def counts(changes: pd.DataFrame) -> dict[str, int]:
    """{新增: n, 修改: n, 不变: n}, every key present."""
    found = changes["status"].value_counts() if len(changes) else pd.Series(dtype=int)
    return {s: int(found.get(s, 0)) for s in STATUSES}


def expected_values(changes: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """(unit, period, indicator) -> the stored value a preview showed (NaN: none yet).

    A save given this mapping applies only if nothing changed since the preview.
    """
    keys = zip(changes["unit"], changes["period"], changes["indicator"], strict=True)
    return dict(zip(keys, changes["old_value"], strict=True))


def _notes(frame: pd.DataFrame) -> pd.Series:
    if "note" not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame["note"].fillna("").astype(str).str.strip()
