"""The board's clues as an .xlsx sheet, through the project's one sheet writer (formula-safe).

The reporter's contact is left out: an exported sheet travels further than the
board, and the contact was given to the office, not to whoever gets the file.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..dataio.sheet_writer import table_xlsx
from .model import Clue

SHEET = "问题线索"
COLUMNS = {
    "编号": lambda c: c.id,
    "受理日期": lambda c: c.received_on.isoformat(),
    "类别": lambda c: c.category,
    "涉及单位": lambda c: c.imposed_by,
    "反映内容": lambda c: c.what,
    "发生时间": lambda c: c.when,
    "频次": lambda c: c.how_often,
    "耗时（小时）": lambda c: c.hours,
    "监督员": lambda c: f"监督员{c.supervisor}" if c.supervisor else "",
    "状态": lambda c: c.status,
    "核实结论": lambda c: c.finding,
    "转办单位": lambda c: c.referred_to,
    "整改措施": lambda c: c.measures,
    "答复": lambda c: c.reply,
    "答复日期": lambda c: c.replied_on.isoformat() if c.replied_on else "",
    "合并到": lambda c: c.merged_into or "",
}


def clues_table(clues: Iterable[Clue]) -> pd.DataFrame:
    rows = [[get(c) for get in COLUMNS.values()] for c in clues]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def clues_xlsx(clues: Iterable[Clue]) -> bytes:
    return table_xlsx(clues_table(clues), SHEET)
