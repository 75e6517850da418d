"""The compare engine and what is built from its output.

grids       observations as dense (period, unit, indicator) grids; roll-ups; ratios
engine      two periods compared: change, % change, points, verdict, warnings
trend       a run of periods: values and 逐年递减
thresholds  warnings (预警) from the catalog's rules
ranking     units ranked on a comparison
sentences   Chinese data sentences from engine rows
views       tables, exports and JSON as people read them
"""

from .engine import COMPARE_COLUMNS, NO_BASE, NO_VALUE, VERDICTS, compare
from .grids import descendants, with_ratios
from .ranking import rank
from .thresholds import ThresholdOptions
from .trend import TREND_COLUMNS, trend

__all__ = [
    "COMPARE_COLUMNS",
    "NO_BASE",
    "NO_VALUE",
    "TREND_COLUMNS",
    "VERDICTS",
    "ThresholdOptions",
    "compare",
    "descendants",
    "rank",
    "trend",
    "with_ratios",
]
