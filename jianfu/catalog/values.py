"""What a valid value of an indicator is, written once.

The form, the importer, the store and the Excel template all ask here, so a value
is accepted or refused the same way, with the same Chinese words, wherever it is
typed. Rules depend on the indicator's kind: counts are whole numbers, nothing is
negative, percentages lie within 0–100, and every kind has a sane maximum (a
number beyond it is a typing slip, and would break the arithmetic downstream).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..numbers.format import plain
from ..numbers.parse import parse_numbers
from .model import Indicator


@dataclass(frozen=True)
class ValueRule:
    """The range and granularity of one kind of indicator."""

    whole: bool = False
    maximum: float = 1e9
    percent: bool = False  # 0–100, and a value below 1 may be a fraction typed by mistake

    def describe(self) -> str:
        """The rule in the words of the template and the help texts."""
        if self.percent:
            return "填写0到100之间的数"
        if self.whole:
            return "填写不小于0的整数"
        return "填写不小于0的数字"


KIND_RULES = {
    "count": ValueRule(whole=True, maximum=1e8),
    "duration": ValueRule(maximum=1e6),
    "amount": ValueRule(maximum=1e9),
    "percent": ValueRule(maximum=100, percent=True),
}

# Refusals, each with the text the user typed in “{}”.
NOT_A_NUMBER = "数值应为数字，而不是“{}”"
NEGATIVE = "数值不能为负数（填写的是“{}”）"
NOT_WHOLE = "计数类指标应填写整数，而不是“{}”"
OVER_PERCENT = "百分比应在0到100之间，而不是“{}”"
TOO_BIG = "数值过大（“{}”），请检查是否多填了位数"
COMPUTED = "由分子分母计算得出，无需填写"


def rule_for(kind: str) -> ValueRule:
    return KIND_RULES.get(kind, ValueRule())


def value_problems(kinds: pd.Series, values: pd.Series) -> pd.Series:
    """The message template (with “{}” for the typed text) for each bad value, else None.

    Returns an object Series aligned with ``values``; test it with ``.notna()``.

    Vectorised for the importer: ``kinds`` and ``values`` are aligned Series
    (NaN in ``values`` means the text was not a number).
    """
    values = values.astype(float)
    bad = ~np.isfinite(values)
    negative = ~bad & (values < 0)
    ok = ~bad & ~negative
    rules = {kind: rule_for(kind) for kind in pd.unique(kinds)}  # once per kind, not per cell
    whole = kinds.map({k: r.whole for k, r in rules.items()}).astype(bool)
    percent = kinds.map({k: r.percent for k, r in rules.items()}).astype(bool)
    maximum = kinds.map({k: r.maximum for k, r in rules.items()}).astype(float)
    over_percent = ok & percent & (values > 100)
    too_big = ok & ~percent & (values > maximum)
    fraction = ok & ~too_big & whole & ((values - values.round()).abs() > 1e-9)
    out = np.full(len(values), None, dtype=object)
    for mask, message in (
        (fraction, NOT_WHOLE),
        (too_big, TOO_BIG),
        (over_percent, OVER_PERCENT),
        (negative, NEGATIVE),
        (bad, NOT_A_NUMBER),
    ):
        out[mask.to_numpy()] = message
    return pd.Series(out, index=values.index, dtype=object)


def parse_value(indicator: Indicator, raw: object) -> tuple[float | None, str | None]:
    """(value, None) if acceptable; (None, None) for an empty field; (None, message) if not.

    Forgiving where the meaning is unambiguous: full-width digits, spaces,
    thousands separators, a trailing measure (“82件”) or “%” on percentages.
    """
    return parse_values([indicator], [raw])[0]


def parse_values(
    indicators: Sequence[Indicator], raws: Sequence[object]
) -> list[tuple[float | None, str | None]]:
    """:func:`parse_value` for a whole form at once: one vectorised pass, not one per field."""
    raw = pd.Series(list(raws), dtype=object)
    values, blank = parse_numbers(raw)
    measures = pd.Series([ind.measure for ind in indicators], dtype=object)
    retry = (values.isna() & ~blank).to_numpy()
    for measure in pd.unique(measures[retry]):  # “82件” in a 件 field; rare, so per measure
        rows = retry & (measures == measure).to_numpy()
        again, empty = parse_numbers(raw[rows], tuple(dict.fromkeys((measure, "%"))))
        values[rows], blank[rows] = again.to_numpy(), empty.to_numpy()
    kinds = pd.Series([ind.kind for ind in indicators], dtype=object)
    problems, stored = value_problems(kinds, values), stored_values(kinds, values)
    return [
        _one_value(ind, typed, bool(blank.iloc[k]), problems.iloc[k], stored.iloc[k])
        for k, (ind, typed) in enumerate(zip(indicators, raws, strict=True))
    ]


def _one_value(ind: Indicator, typed: object, blank: bool, problem: str | None, stored: float):
    if isinstance(typed, bool):
        return None, NOT_A_NUMBER.format(typed)
    if blank:
        return None, None
    if not ind.entered:
        return None, COMPUTED
    if problem is not None:
        return None, problem.format(str(typed).strip())
    return float(stored), None


def stored_values(kinds: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` as stored: a whole-number kind (counts) keeps whole numbers, so
    3.0000000001 from an Excel formula is 3 (:func:`value_problems` refused the rest)."""
    rules = {kind: rule_for(kind) for kind in pd.unique(kinds)}
    whole = kinds.map({k: r.whole for k, r in rules.items()}).astype(bool).to_numpy()
    return values.where(~whole, values.round())


def maybe_fraction(indicator: Indicator, value: float | None) -> bool:
    """True for 0.85 in a percent field: 85% typed as a fraction? Ask, do not guess."""
    if value is None or not rule_for(indicator.kind).percent:
        return False
    return 0 < value < 1


# ---- parts and wholes --------------------------------------------------------------

PART_OVER_WHOLE = (
    "{part}（{part_value}）大于{whole}（{whole_value}{where}），"
    "部分不能大于整体（{ratio} = {part} ÷ {whole}）"
)


def parts_over_wholes(obs: pd.DataFrame, catalog) -> pd.DataFrame:
    """Where a ratio's numerator exceeds its denominator for one unit and period.

    ``obs`` has unit, period, indicator, value (one value per key). Returns one row
    per breach: unit, period, ratio, part, whole (codes), part_value, whole_value.
    A part above its whole (520 of 400 police) would make the ratio 130%; 0 of 0
    is not a breach: the ratio stays “无法计算”.
    """
    columns = ["unit", "period", "ratio", "part", "whole", "part_value", "whole_value"]
    ratios = [i for i in catalog if i.is_ratio and i.numerator and i.denominator]
    codes = {c for i in ratios for c in (i.numerator, i.denominator)}
    mine = obs[obs["indicator"].isin(codes)]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    wide = mine.pivot_table(
        index=["unit", "period"], columns="indicator", values="value", aggfunc="last"
    )
    found = []
    for ind in ratios:
        if ind.numerator not in wide or ind.denominator not in wide:
            continue
        part, whole = wide[ind.numerator], wide[ind.denominator]
        over = part > whole + 1e-9  # NaN compares False: a missing part or whole is no breach
        for (unit, period), p, w in zip(wide.index[over], part[over], whole[over], strict=True):
            found.append((unit, period, ind.code, ind.numerator, ind.denominator, p, w))
    return pd.DataFrame(found, columns=columns)


def part_whole_message(catalog, breach, where: str = "") -> str:
    """The words for one row of :func:`parts_over_wholes` (``where``: “，第2行”)."""
    return PART_OVER_WHOLE.format(
        part=catalog[breach.part].name,
        part_value=plain(breach.part_value),
        whole=catalog[breach.whole].name,
        whole_value=plain(breach.whole_value),
        where=where,
        ratio=catalog[breach.ratio].name,
    )
