"""What a batch import says about each returned file, and about the batch.

Kept apart from :mod:`.batch` (reading and saving) so the rule for two files of one
unit (:mod:`.duplicates`) can use the same records without a circular import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

IMPORTED, REFUSED, DUPLICATE, OTHER, CONFLICT = "已导入", "已拒收", "重复", "不属于本任务", "冲突"
ASK = "待选择"  # two files for one unit, the newer cannot be told: the user picks one
STATUSES = (IMPORTED, REFUSED, DUPLICATE, ASK, OTHER, CONFLICT)


@dataclass
class FileOutcome:
    """What became (or will become) of one returned file."""

    file: str
    status: str
    units: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # 新增/修改/不变/清除
    modified: datetime | None = None
    frame: pd.DataFrame | None = field(default=None, repr=False)
    clear: tuple = ()
    expected: dict = field(default_factory=dict, repr=False)
    notes: tuple[str, ...] = ()  # the importer's notes, kept when a choice changes the status
    asks: tuple[str, ...] = ()  # units for which this file awaits the user's choice

    def detail(self) -> str:
        if self.status == IMPORTED and self.counts:
            shown = [f"{k}{v}项" for k, v in self.counts.items() if v or k != "清除"]
            return "；".join(["，".join(shown), *self.messages])
        return "；".join(self.messages)


@dataclass
class BatchReport:
    round: str
    outcomes: list[FileOutcome]

    @property
    def refused(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status != IMPORTED]

    def choices(self) -> dict[str, list[str]]:
        """Per unit, the files the user must choose between (nothing of them is imported)."""
        found: dict[str, list[str]] = {}
        for o in self.outcomes:
            for unit in o.asks:
                found.setdefault(unit, []).append(o.file)
        return found

    def table(self) -> pd.DataFrame:
        rows = [[o.file, "、".join(o.units), o.status, o.detail()] for o in self.outcomes]
        return pd.DataFrame(rows, columns=["文件", "单位", "结果", "说明"])

    def summary(self) -> str:
        found = pd.Series([o.status for o in self.outcomes]).value_counts()
        parts = [f"{s}{int(found[s])}个" for s in STATUSES if s in found]
        return f"共{len(self.outcomes)}个文件：" + "，".join(parts)
