"""Which way is better for an indicator, and the words and marks a verdict is said with.

The one place for the three directions (越少越好 / 越多越好 / 中性), the verdict
words of the compare engine (改善 / 恶化 / 持平 / 新增 / 变化, and the two for rows
that cannot be compared), the test whether a compared row is good news, and the
arrow shown beside a change. The arrow follows the sign of the change (▲ a rise,
▼ a fall), never the verdict: 一线实战部门警力 301 → 377 is “▲ 改善”, 发文数量
200 → 98 is “▼ 改善”. Colour and word follow the verdict (:func:`tone`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalog is imported by pages that never load pandas or numpy
    import numpy as np
    import pandas as pd

LOWER, HIGHER, NEUTRAL = "越少越好", "越多越好", "中性"
DIRECTIONS = (LOWER, HIGHER, NEUTRAL)
SIGN = {LOWER: -1, HIGHER: 1, NEUTRAL: 0}

IMPROVED, WORSENED, FLAT, NEW, CHANGED = "改善", "恶化", "持平", "新增", "变化"
NO_BASE, NO_VALUE = "基期无数据", "比较期无数据"
VERDICTS = (IMPROVED, WORSENED, FLAT, NEW, CHANGED, NO_BASE, NO_VALUE)
COMPARED = VERDICTS[:5]  # verdicts of rows with a value in both periods
COUNTED = (IMPROVED, WORSENED, FLAT)  # what a headline counts per unit

UP, DOWN = "▲", "▼"
GOOD, BAD, PLAIN = "good", "bad", "plain"  # tones: colour classes and chart colours key on them

# trend words: did the run move the better way every period?
STEADY = {LOWER: "逐年递减", HIGHER: "逐年递增"}
NOT_STEADY = {LOWER: "未实现逐年递减", HIGHER: "未实现逐年递增"}
# better at every step that has data, but a period inside the run has none: 逐年 cannot be said
GAPPED = "数据不连续"


def sign(direction: str) -> int:
    """-1 when less is better, +1 when more is better, 0 for 中性."""
    return SIGN[direction]


def is_judged(direction: str) -> bool:
    """中性 indicators move without a verdict of better or worse."""
    return direction != NEUTRAL


def favourable(verdict: str, direction: str) -> bool:
    """Good news: 改善, or a first value of an indicator where more is better."""
    return verdict == IMPROVED or (verdict == NEW and direction == HIGHER)


def unfavourable(verdict: str, direction: str) -> bool:
    """A setback: 恶化, or a first value where less is better (a new app, a new group)."""
    return verdict == WORSENED or (verdict == NEW and direction == LOWER)


def favourable_mask(table: pd.DataFrame) -> pd.Series:
    """:func:`favourable` over a table with ``verdict`` and ``direction`` columns."""
    verdict, direction = table["verdict"], table["direction"]
    return (verdict == IMPROVED) | ((verdict == NEW) & (direction == HIGHER))


def unfavourable_mask(table: pd.DataFrame) -> pd.Series:
    """:func:`unfavourable` over a table with ``verdict`` and ``direction`` columns."""
    verdict, direction = table["verdict"], table["direction"]
    return (verdict == WORSENED) | ((verdict == NEW) & (direction == LOWER))


def tone(verdict: str, direction: str = NEUTRAL) -> str:
    """good / bad / plain: the colour of a verdict (a 新增 takes its direction's side)."""
    if favourable(verdict, direction):
        return GOOD
    if unfavourable(verdict, direction):
        return BAD
    return PLAIN


def arrow(change: object) -> str:
    """▲ for a rise, ▼ for a fall, "" for no change or no figure: the data's sign only."""
    try:
        value = float(change)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(value) or value == 0:
        return ""
    return UP if value > 0 else DOWN


def mark(verdict: str, change: object) -> str:
    """The verdict with the arrow of its change: “▲ 改善”, “▼ 恶化”, “持平”."""
    head = arrow(change)
    return f"{head} {verdict}" if head else verdict


def limit_rule(direction: str) -> str:
    """A user's own threshold is a floor where more is better, else a ceiling."""
    return "min" if direction == HIGHER else "max"


def steady_words(direction: np.ndarray, steady: np.ndarray) -> np.ndarray:
    """逐年递减 / 未实现逐年递减 / 逐年递增 / 未实现逐年递增 by sign; "" for 中性."""
    import numpy as np  # the trend engine's, already loaded there

    return np.select(
        [(direction < 0) & steady, direction < 0, (direction > 0) & steady, direction > 0],
        [STEADY[LOWER], NOT_STEADY[LOWER], STEADY[HIGHER], NOT_STEADY[HIGHER]],
        "",
    ).astype(object)
