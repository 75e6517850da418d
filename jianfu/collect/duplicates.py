"""Two returned files for one unit: the user's choice, else the newer one, else ask.

A unit's files are told apart by the user's choice (``use``: file names as the
report lists them, or just their last part), else by their modified times when
every one has a time and one is the newest. Otherwise nothing of that unit is
imported: each file is 待选择 and says what tells them apart — its name, its
modified time, the values that differ — so the user can pick one and import again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

from ..errors import JianfuError
from ..numbers.format import plain
from .outcomes import ASK, DUPLICATE, IMPORTED, FileOutcome

UNKNOWN_TIME = "未知"
BLANK = "未填"


def resolve(outcomes: list[FileOutcome], use: Iterable[str], names: Mapping[str, str]) -> None:
    """Mark, in place, the files that lose (重复) or await a choice (待选择)."""
    groups = _groups(outcomes)
    picked = _picked(outcomes, groups, list(use))
    for unit, files in groups.items():
        keep = picked.get(unit) or _newer(files)
        if keep is None:
            lines = (_ask_text(unit, files), _times(files), *_differences(unit, files, names))
            for f in files:
                if f.status == IMPORTED:
                    f.status, f.messages = ASK, lines
                f.asks += (unit,)
            continue
        why = "已按选择采用" if unit in picked else "已采用较新的"
        for f in files:
            if f is not keep:
                f.status = DUPLICATE
                f.messages = (f"与“{keep.file}”都是“{unit}”的表格，{why}“{keep.file}”",)


def _groups(outcomes: Sequence[FileOutcome]) -> dict[str, list[FileOutcome]]:
    by_unit: dict[str, list[FileOutcome]] = {}
    for o in outcomes:
        if o.status == IMPORTED:
            for unit in o.units:
                by_unit.setdefault(unit, []).append(o)
    return {unit: files for unit, files in by_unit.items() if len(files) > 1}


def _picked(outcomes, groups, use: list[str]) -> dict[str, FileOutcome]:
    """The chosen file per contested unit; a choice naming no file is refused."""
    for name in use:
        found = [o for o in outcomes if _matches(o.file, name)]
        if not found:
            raise JianfuError(f"指定使用的文件“{name}”不在本次导入的文件中")
        if all(o.frame is None for o in found):
            raise JianfuError(f"指定使用的文件“{name}”未通过检查（见报告），不能选用")
    picked = {}
    for unit, files in groups.items():
        chosen = [f for f in files if any(_matches(f.file, name) for name in use)]
        if len(chosen) > 1:
            shown = "、".join(f"“{f.file}”" for f in chosen)
            raise JianfuError(f"“{unit}”只能选用一份表格，却指定了{shown}")
        if chosen:
            picked[unit] = chosen[0]
    return picked


def _matches(file: str, name: str) -> bool:
    """The report's name, or the same last part (a path on disk, a .zip prefix left out)."""
    name = name.strip()
    if file == name:
        return True
    return PurePosixPath(file).name == PureWindowsPath(name).name


def _newer(files: list[FileOutcome]) -> FileOutcome | None:
    """The one newest file, when every file has a modified time; else None."""
    times = [_local(f.modified) for f in files]
    if any(t is None for t in times):
        return None
    newest = max(times)
    winners = [f for f, t in zip(files, times, strict=True) if t == newest]
    return winners[0] if len(winners) == 1 else None


def _local(when: datetime | None) -> datetime | None:
    """Comparable times: a page upload's aware time as local wall-clock time, like a file's."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone().replace(tzinfo=None)


def _ask_text(unit: str, files: list[FileOutcome]) -> str:
    shown = "、".join(f"“{f.file}”" for f in files)
    return f"{shown}都是“{unit}”的表格，看不出哪份较新；请选择使用哪一份，选定前该单位不导入"


def _times(files: list[FileOutcome]) -> str:
    shown = [f"{f.file} {_time_text(f.modified)}" for f in files]
    return "修改时间：" + "，".join(shown)


def _time_text(when: datetime | None) -> str:
    local = _local(when)
    return UNKNOWN_TIME if local is None else local.strftime("%Y-%m-%d %H:%M:%S")


def _differences(unit: str, files: list[FileOutcome], names: Mapping[str, str]) -> list[str]:
    """“发文数量：a.xlsx 12，b.xlsx 15” for each indicator the files give differently."""
    values = []
    for f in files:
        mine = f.frame[f.frame["unit"] == unit]
        values.append(dict(zip(mine["indicator"], mine["value"], strict=True)))
    codes = list(dict.fromkeys(c for given in values for c in given))
    lines = []
    for code in codes:
        shown = [plain(v.get(code)) or BLANK for v in values]
        if len(set(shown)) > 1:
            pairs = "，".join(f"{f.file} {s}" for f, s in zip(files, shown, strict=True))
            lines.append(f"{names.get(code, code)}：{pairs}")
    return lines or ["各份所填数值相同，任选一份即可"]
