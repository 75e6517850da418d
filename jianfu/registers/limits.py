"""The limits the register warnings hold rows against, from data/registers/limits.yaml.

Offices follow the central rules but may tighten them locally, so each limit is a
number in a data file with its source in words; the warning sentences quote the
number from the file. The file goes through the data-file layer (a missing,
negative or misspelt limit is reported naming the file and the field) and the
shipped one is read once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from ..datafiles import DataFile, DataModel, Label, Positive, Text
from ..paths import DATA_FILES
from .kinds import LIMITS_NAME
from .model import RegisterError

LIMITS_PATH = DATA_FILES / "registers" / LIMITS_NAME


@dataclass(frozen=True, kw_only=True)
class Limit(DataModel):
    value: Annotated[float, Positive("数值")]
    source: Annotated[str, Text("依据")]

    @property
    def number(self) -> int | float:
        """The value as written (5000, not 5000.0), for comparisons and sentences."""
        return int(self.value) if float(self.value).is_integer() else self.value


@dataclass(frozen=True, kw_only=True)
class Limits(DataModel):
    document_chars: Annotated[Limit, Label("文件字数上限")]
    task_document_chars: Annotated[Limit, Label("专项工作文件字数上限")]
    speech_minutes: Annotated[Limit, Label("主讲话时长上限（分钟）")]
    meeting_minutes: Annotated[Limit, Label("会议时长上限（分钟）")]
    memo_chars: Annotated[Limit, Label("无文号材料视同正式文件的字数")]
    merge_window_days: Annotated[Limit, Label("建议合并的会议间隔（天）")]


LIMITS_FILE = DataFile(Limits, "台账预警上限", RegisterError)


def load_limits(path: str | Path | None = None) -> Limits:
    """The limits in ``path``; the shipped file (read once) by default."""
    return LIMITS_FILE.load(path) if path is not None else shipped_limits()


@cache
def shipped_limits() -> Limits:
    return LIMITS_FILE.load(LIMITS_PATH)


def duration(minutes: float) -> str:
    """60 -> “1小时”, 240 -> “4小时”, 90 -> “90分钟”: a limit as the rules say it."""
    whole = float(minutes).is_integer()
    if whole and minutes % 60 == 0:
        return f"{int(minutes) // 60}小时"
    return f"{int(minutes) if whole else minutes}分钟"
