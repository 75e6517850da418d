"""What an import preview says besides its counts, the same on the page and the command line.

The file's own notes (conversions, rows left out, hidden sheets …), names matched to
stored ones, and every unit and period the import would create (a date cell read as
“2024年1月” is a new period worth seeing before it exists).
"""

from __future__ import annotations

import pandas as pd

from ..store.changes import counts
from .readers import HIDDEN
from .rules import say

SHOWN_NAMES = 20


def preview_notes(notes, changes: pd.DataFrame) -> list[str]:
    """``notes`` of the file plus what :meth:`Store.preview` found (``changes.attrs``)."""
    out = list(notes)
    out += [
        f"“{typed}”按已有名称“{stored}”导入" for typed, stored in changes.attrs.get("renamed", [])
    ]
    for key, what in (("new_units", "单位"), ("new_periods", "时期")):
        names = list(changes.attrs.get(key) or [])
        if names:
            shown = "、".join(names[:SHOWN_NAMES]) + ("等" if len(names) > SHOWN_NAMES else "")
            out.append(say("new_labels", what=what, count=len(names), names=shown))
    return out


def read_line(result) -> str:
    """“读取工作表“旧数据”（隐藏）3行（宽表）”: which sheet, how many rows, which layout."""
    where = f"工作表“{result.sheet}”" if result.sheet else ""
    if result.sheet in result.hidden_sheets:
        where += HIDDEN
    layout = "长表" if result.layout == "long" else "宽表"
    return f"读取{where}{result.rows_read}行（{layout}）"


def counts_text(changes: pd.DataFrame) -> str:
    """“新增3项，修改1项，不变0项”: what an import would do, said alike on page and command line."""
    return "，".join(f"{status}{n}项" for status, n in counts(changes).items())
