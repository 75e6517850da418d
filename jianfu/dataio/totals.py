"""Total and subtotal rows: recognised in their many spellings, left out, and checked.

Offices add 合计 rows to their tables (“全县合计”, “合计：”, “合  计”, “总计（2个镇）”,
“城区小计”). Imported as units they would be counted twice in every roll-up, so
they are left out, and each is checked against the sum of the rows above it: a
mismatch is worth telling the user before the numbers are used.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..numbers.format import plain
from ..numbers.parse import parse_numbers
from ..text.names import cell_text, squash
from .rules import say

TOTAL = re.compile(
    r"^[\u4e00-\u9fff]{0,8}?(合计|总计|小计|汇总|共计|总数)(?:[(（][^)）]*[)）])?[:：]?$"
)


def is_total(name: object) -> bool:
    """True for a row label that says it sums other rows."""
    return bool(TOTAL.match(squash(name or "")))


def check_totals(totals: pd.DataFrame, rows: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Notes for totals that differ from the sum of the rows above them.

    ``totals`` and ``rows`` are cells (row, unit, period, indicator, value); a total
    is compared with the rows above it since the previous total of the same period
    (a subtotal), and also with all rows above it (a grand total): it agrees if
    either sum matches. Only indicators that add up (aggregate ``sum``) are checked.
    """
    summed = {i.code for i in catalog if i.entered and i.aggregate == "sum"}
    notes = []
    for period, group in totals.groupby("period", sort=False):
        block_start = 0
        for row in sorted(group["row"].unique()):
            above = rows[(rows["period"] == period) & (rows["row"] < row)]
            block = above[above["row"] > block_start]
            label = group.loc[group["row"] == row, "unit"].iloc[0]
            for cell in group[(group["row"] == row) & group["indicator"].isin(summed)].itertuples():
                sums = {_sum(part, cell.indicator) for part in (block, above) if len(part)} - {None}
                if sums and not any(abs(s - cell.value) < 1e-6 for s in sums):
                    name = catalog[cell.indicator].name
                    shown = "或".join(plain(s) for s in sorted(sums))
                    notes.append(
                        say("total_mismatch", row=row, label=label, name=name,
                            value=plain(cell.value), sums=shown)
                    )  # fmt: skip
            block_start = row
    return notes


def _sum(cells: pd.DataFrame, code: str) -> float | None:
    mine = cells.loc[cells["indicator"] == code, "value"]
    return float(mine.sum()) if len(mine) else None


DECREASE_WORDS = ("减少", "下降", "降幅", "减幅")  # a decrease may be written without its minus


def check_period_rows(summary: pd.DataFrame, rows: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Notes for 增减, 同比 and 合计 rows (in the 时期 column) that disagree with the rows above.

    ``summary`` are their cells (row, unit, period, indicator, value, raw, kind); the
    rows above are the same unit's since its previous such row. A change or rate is
    checked when exactly two periods are above (either reading, difference or rate,
    agrees); a total when the indicator adds up.
    """
    notes = []
    summed = {i.code for i in catalog if i.entered and i.aggregate == "sum"}
    for unit, group in summary.groupby("unit", sort=False):
        block_start = 0
        mine = rows[rows["unit"] == unit]
        for row in sorted(group["row"].unique()):
            block = mine[(mine["row"] > block_start) & (mine["row"] < row)]
            for cell in group[group["row"] == row].itertuples():
                above = block[block["indicator"] == cell.indicator].sort_values("row")
                value = _number(cell.raw, catalog[cell.indicator].measure)
                expected = _expected(cell, value, above, summed)
                if expected:
                    notes.append(
                        say(
                            "change_mismatch",
                            row=row,
                            unit=unit,
                            label=cell.period,
                            name=catalog[cell.indicator].name,
                            value=cell_text(cell.raw),
                            expected=expected,
                        )
                    )
            block_start = row
    return notes


def _number(raw: object, measure: str) -> float:
    """A change cell's number: “-25%” and “-30件” both read (NaN when not a number)."""
    values, _ = parse_numbers(pd.Series([raw], dtype=object), (squash(measure), "%"))
    return float(values.iloc[0])


def _expected(cell, value: float, above: pd.DataFrame, summed: set[str]) -> str | None:
    """What the rows above make of this cell, when it disagrees (None when it agrees)."""
    if not np.isfinite(value) or above.empty:
        return None
    if cell.kind == "total":
        total = float(above["value"].sum())
        if cell.indicator not in summed or abs(total - value) < 1e-6:
            return None
        return f"上面各行之和为{plain(total)}"
    if len(above) != 2:
        return None
    (first, earlier), (second, later) = above[["period", "value"]].itertuples(index=False)
    diff = later - earlier
    rate = diff / earlier * 100 if earlier else None
    tolerance = 0.5 * 10 ** -_decimals(value) + 1e-9
    signs = (1, -1) if any(word in cell.period for word in DECREASE_WORDS) else (1,)
    for sign in signs:  # “减少30” may be written 30 or -30
        if abs(diff - sign * value) < 1e-6:
            return None
        if rate is not None and abs(rate - sign * value) <= tolerance:
            return None
    if cell.kind == "rate" and rate is not None:
        return f"由上面两行算得的变化率为{plain(round(rate, 2))}%"
    return f"上面两行之差（{second}减{first}）为{plain(diff)}"


def _decimals(value: float) -> int:
    text = plain(value)
    return len(text.split(".")[1]) if "." in text else 0
