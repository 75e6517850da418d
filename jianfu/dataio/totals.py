"""Total and subtotal rows: recognised in their many spellings, left out, and checked.

Offices add 合计 rows to their tables (“全县合计”, “合计：”, “合  计”, “总计（2个镇）”,
“城区小计”). Imported as units they would be counted twice in every roll-up, so
they are left out, and each is checked against the sum of the rows above it: a
mismatch is worth telling the user before the numbers are used.
"""

from __future__ import annotations

import re

import pandas as pd

from ..catalog import Catalog
from ..names import squash
from ..numfmt import plain

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
                        f"第{row}行“{label}”的{name}为{plain(cell.value)}，"
                        f"上面各行之和为{shown}，请核对"
                    )
            block_start = row
    return notes


def _sum(cells: pd.DataFrame, code: str) -> float | None:
    mine = cells.loc[cells["indicator"] == code, "value"]
    return float(mine.sum()) if len(mine) else None
