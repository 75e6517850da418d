"""Pace: the year so far against last year's total, projected to the year's end.

Counts only down (只减不增): if the unit keeps registering at this year's rate, will
it pass last year's total, and in which month will it reach it? Last year's total is
the store's value for the previous year (typed, imported or derived); without one
there is nothing to hold the pace against and no sentence is made.

When last year's register rows exist and count to that very total (so the register
was kept the whole year), the sentence also says where last year stood on the same
day (“截至9月底，已发文162件，上年同期150件，……”): a partial register would make
last year look lighter than it was, so then nothing is said about it.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

from ..store import Store
from .derive import derive_rows
from .store import RegisterStore

WATCHED = {  # indicator -> (verb phrase, measure)
    "doc_count": ("发文", "件"),
    "meeting_count": ("召开会议", "次"),
    "inspection_items": ("开展督检考", "项"),
}


@dataclass(frozen=True)
class Pace:
    unit: str
    indicator: str
    so_far: int
    projected: int
    last_year: float
    reach_month: int | None  # the month the pace reaches last year's total; None: not this year
    text: str
    row_ids: tuple[int, ...]
    same_time: int | None = None  # last year's register count up to the same day

    @property
    def over(self) -> bool:
        return self.projected > self.last_year


def months_elapsed(as_of: date) -> float:
    """Months of the year gone by the end of ``as_of`` (9月30日 -> 9.0, 9月15日 -> 8.5)."""
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return as_of.month - 1 + as_of.day / days


def pace(registers: RegisterStore, store: Store, unit: str, as_of: date) -> list[Pace]:
    """One :class:`Pace` per watched indicator with rows this year and a total last year."""
    rows = registers.rows(unit=unit, start=date(as_of.year, 1, 1), end=as_of)
    figures = {f.code: f for f in derive_rows(rows) if f.code in WATCHED}
    before = store.values_of(unit, f"{as_of.year - 1}年") if unit in store.unit_names() else {}
    earlier = same_time_last_year(registers, unit, as_of, before) if figures else {}
    out = []
    for code, f in figures.items():
        if code not in before or not f.value:
            continue
        out.append(project(unit, code, int(f.value), before[code], as_of, f.row_ids,
                           earlier.get(code)))  # fmt: skip
    return out


def same_time_last_year(
    registers: RegisterStore, unit: str, as_of: date, totals: dict[str, float]
) -> dict[str, int]:
    """Per watched indicator, last year's register count up to the same day, where last
    year's rows count to the stored total ``totals[code]`` (the register is complete)."""
    year = as_of.year - 1
    rows = registers.rows(unit=unit, start=date(year, 1, 1), end=date(year, 12, 31))
    if not rows:
        return {}
    day = _same_day(as_of, year)
    whole = {f.code: f.value for f in derive_rows(rows) if f.code in WATCHED}
    upto = {f.code: f.value for f in derive_rows(r for r in rows if r.day <= day)}
    return {
        code: int(upto.get(code, 0))
        for code, value in whole.items()
        if code in totals and value == totals[code]
    }


def _same_day(as_of: date, year: int) -> date:
    """The same day in ``year`` (29 February becomes the 28th)."""
    last = calendar.monthrange(year, as_of.month)[1]
    return date(year, as_of.month, min(as_of.day, last))


def project(
    unit: str, code: str, so_far: int, last_year: float, as_of: date, row_ids=(),
    same_time: int | None = None,
) -> Pace:  # fmt: skip
    """The sentence and numbers for one indicator (``so_far`` > 0); ``same_time``: last
    year's count up to the same day, said beside this year's when known."""
    elapsed = months_elapsed(as_of)
    rate = so_far / elapsed
    projected = round(rate * 12)
    reach = math.ceil(last_year / rate - 1e-9) if last_year > 0 else 1
    reach_month = reach if reach <= 12 else None
    verb, measure = WATCHED[code]
    when = (
        f"{as_of.month}月底"
        if as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
        else (f"{as_of.month}月{as_of.day}日")
    )
    last = f"{last_year:g}{measure}"
    text = f"截至{when}，已{verb}{so_far}{measure}，"
    if same_time is not None:
        text += f"上年同期{same_time}{measure}，"
    text += f"照此进度全年约{projected}{measure}"
    if so_far >= last_year:
        text += f"，已达到上年全年的{last}，不符合“只减不增”的要求"
    elif projected > last_year:
        text += (
            f"，将比上年（{last}）多{projected - last_year:g}{measure}，不符合“只减不增”的要求；"
            f"照此进度{reach_month}月就会达到上年全年数"
        )
    else:
        text += f"，不超过上年的{last}"
    return Pace(unit, code, so_far, projected, last_year, reach_month, text + "。",
                tuple(row_ids), same_time)  # fmt: skip
