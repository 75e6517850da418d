"""Observation tables for the compare engine's hand-checked tests."""

import pandas as pd


def make_obs(*rows):
    """rows: (unit, period, indicator, value)."""
    return pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"])


def pair(code, before, after, unit="甲", periods=("2023年", "2024年")):
    """Observations of one indicator in two periods; None leaves a period out."""
    rows = [
        (unit, p, code, v) for p, v in zip(periods, (before, after), strict=True) if v is not None
    ]
    return make_obs(*rows)


def one(table, code, unit=None):
    rows = table[table["indicator"] == code]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    assert len(rows) == 1, rows
    return rows.iloc[0]


TREND_PERIODS = ["2019年", "2020年", "2021年"]

# Two police stations (甲所, 乙所): a ratio summed over units is recomputed from its parts.
TWO_STATIONS = make_obs(
    ("甲所", "2024年", "frontline_police", 377),
    ("甲所", "2024年", "total_police", 407),
    ("乙所", "2024年", "frontline_police", 30),
    ("乙所", "2024年", "total_police", 93),
    ("甲所", "2023年", "frontline_police", 300),
    ("甲所", "2023年", "total_police", 400),
    ("乙所", "2023年", "frontline_police", 20),
    ("乙所", "2023年", "total_police", 100),
)
