"""Measures written in a spreadsheet, converted to the catalog's measure when exact.

A header “单次会议时长（小时）” or a 计量单位 cell saying 小时 means the numbers are
in hours while the catalog counts minutes: storing 1.5 as 1.5 分钟 would be a
wrong number. Only exact, unambiguous conversions are made (小时→分钟, 千字→字,
万件→件 …); anything else is refused with a message, never guessed.
"""

from __future__ import annotations

import re

from ..text.names import squash

# (written, catalog measure) -> factor
EXACT = {("小时", "分钟"): 60.0, ("千字", "字"): 1000.0, ("万字", "字"): 10000.0}
SAME = {"%": ("%", "百分比", "百分数")}
_BRACKETED = re.compile(r"[（(]([^（）()]*)[）)]\s*$")


def written_measure(header: object) -> str:
    """The measure in a header's trailing brackets: “发文数量（万件）” -> “万件”."""
    match = _BRACKETED.search(str(header))
    return squash(match.group(1)) if match else ""


def factor(written: str, measure: str) -> float | None:
    """What a number in ``written`` is multiplied by to be in ``measure``; None if not exact.

    An empty ``written`` means the catalog's measure (factor 1).
    """
    written, measure = squash(written), squash(measure)
    if not written or written == measure or written in SAME.get(measure, ()):
        return 1.0
    if (written, measure) in EXACT:
        return EXACT[(written, measure)]
    if written == f"万{measure}":
        return 10000.0
    return None


def describe(written: str, measure: str, value: float) -> str:
    """“1小时=60分钟”, for the preview note."""
    n = int(value) if float(value).is_integer() else value
    return f"1{written}={n}{measure}"
