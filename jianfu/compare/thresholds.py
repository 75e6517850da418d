"""Warnings (预警) from the catalog's threshold rules, applied to compared values.

Each warning says which rule fired, at which level (中央/省/地方/示例) and from
which source, so a user can see where it comes from. Users may switch a level off
or set their own value for an indicator (:class:`ThresholdOptions`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ..catalog import Catalog, Indicator, Threshold
from ..catalog.directions import FLAT, limit_rule
from ..errors import JianfuError
from ..numbers.format import fmt_values, value_digits
from .gcpause import gc_paused

USER_LEVEL = "自定义"
USER_SOURCE = "使用者设定的阈值"
VALUE_RULES = ("max", "min", "min_reduction_pct")
NOW = "，当前"  # every message is “<the rule>，当前…”: the rule, then where the value stands


@dataclass(frozen=True)
class ThresholdOptions:
    """Which thresholds apply.

    disabled_levels
        levels to ignore, e.g. ``frozenset({"示例", "地方"})``.
    overrides
        ``{code: value}``: the user's own value for an indicator. It replaces the
        indicator's catalog thresholds that carry a value (max/min/min_reduction_pct)
        by one rule of the same kind (or, when it has none, ``max`` for 越少越好 and
        ``min`` for 越多越好) at level 自定义; it is not affected by disabled_levels.
        ``not_above_previous`` has no value and is kept.
    """

    disabled_levels: frozenset[str] = frozenset()
    overrides: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled_levels", frozenset(self.disabled_levels))
        fixed = {str(k): float(v) for k, v in dict(self.overrides).items()}
        object.__setattr__(self, "overrides", MappingProxyType(fixed))

    def __hash__(self) -> int:
        return hash((self.disabled_levels, tuple(sorted(self.overrides.items()))))


def checked_threshold(value: object) -> float:
    """A user's own threshold value, or a Chinese refusal: a finite number, not negative."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise JianfuError("阈值应为数字") from None
    if not math.isfinite(number) or number < 0:
        raise JianfuError("阈值应为不小于0的数字")
    return number


def effective_thresholds(ind: Indicator, options: ThresholdOptions) -> list[Threshold]:
    """The thresholds that apply to one indicator under the user's options."""
    kept = [t for t in ind.thresholds if t.level not in options.disabled_levels]
    if ind.code not in options.overrides:
        return kept
    valued = [t for t in ind.thresholds if t.rule in VALUE_RULES]
    if valued:
        rule = valued[0].rule
    else:
        rule = limit_rule(ind.direction)
    user = Threshold(
        rule=rule, level=USER_LEVEL, source=USER_SOURCE, value=options.overrides[ind.code]
    )
    return [t for t in kept if t.rule not in VALUE_RULES] + [user]


class NoWarnings(list):
    """The read-only empty list shared by every row without a warning.

    Half a million rows would otherwise each allocate (and later free) a list of
    their own. It compares equal to ``[]`` and serialises as one; mutating it
    raises instead of silently touching every row.
    """

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("warnings of a compare table are read-only; copy the list first")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (list, ())


NO_WARNINGS = NoWarnings()


@gc_paused()
def threshold_warnings(
    catalog: Catalog,
    options: ThresholdOptions,
    ind_index: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    pct_change: np.ndarray,
    before_label: str = "",
) -> list[list[dict]]:
    """One list of warning dicts per row (rows without one share :data:`NO_WARNINGS`).

    ``ind_index`` holds each row's position in the catalog. Rows are grouped by
    indicator once (argsort); each rule is then tested on its indicator's rows as
    arrays, and only rows that fire get a dict and a message.
    """
    warnings: list[list[dict]] = [NO_WARNINGS] * len(ind_index)
    order = np.argsort(ind_index, kind="stable")  # rows grouped by indicator
    bounds = np.searchsorted(ind_index[order], np.arange(len(catalog) + 1))
    for pos, ind in enumerate(catalog):
        rules = effective_thresholds(ind, options)
        rows = order[bounds[pos] : bounds[pos + 1]]
        rows = rows[np.isfinite(after[rows])]
        if not rules or not len(rows):
            continue
        b, a, p = before[rows], after[rows], pct_change[rows]
        for rule in rules:
            fired = _fires(rule, b, a, p)
            messages = _messages(ind, rule, b[fired], a[fired], p[fired], before_label)
            level, name, source = rule.level, rule.rule, rule.source
            for row, message in zip(rows[fired].tolist(), messages, strict=True):
                found = {"level": level, "rule": name, "source": source, "message": message}
                if warnings[row] is NO_WARNINGS:
                    warnings[row] = [found]
                else:
                    warnings[row].append(found)
    return warnings


def _fires(rule: Threshold, before: np.ndarray, after: np.ndarray, pct: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if rule.rule == "max":
            return after > rule.value
        if rule.rule == "min":
            return after < rule.value
        if rule.rule == "not_above_previous":
            return np.isfinite(before) & (after > before + 1e-9 * np.maximum(1.0, np.abs(before)))
        # min_reduction_pct: the cut since the base period falls short of the target
        return np.isfinite(pct) & (-pct < rule.value - 1e-9)


def _messages(
    ind: Indicator,
    rule: Threshold,
    before: np.ndarray,
    after: np.ndarray,
    pct: np.ndarray,
    before_label: str,
) -> list[str]:
    """Chinese messages for the rows where ``rule`` fired (values formatted once each).

    A message quotes the rule in its own words where the catalog gives them
    (“上级机关原则上不得从县级以下借调干部，当前为1人”), then says where the value stands.
    """
    digits = value_digits(ind.kind)
    said = rule_text(ind, rule)
    now = fmt_values(after, ind.measure, digits)
    if rule.rule in ("max", "min"):
        return [f"{said}{NOW}为{n}" for n in now]
    then = before_label or "上一时期"
    if rule.rule == "not_above_previous":
        was = fmt_values(before, ind.measure, digits)
        return [f"{said}{NOW}为{n}，多于{then}的{w}" for n, w in zip(now, was, strict=True)]
    moved = [
        FLAT if p == 0 else f"{'减少' if p < 0 else '增加'}{text}%"
        for p, text in zip(pct.tolist(), fmt_values(np.abs(pct)), strict=True)
    ]
    return [f"{said}{NOW}较{then}{m}" for m in moved]


def rule_of(message: str) -> str:
    """The rule a warning quotes, without the figures after it.

    Beside a sentence that already gives the indicator's figures, the rule alone is
    said (“……，不符合“年度发文数量原则上只减不增”的规定”): repeating “当前为19件，
    多于2023年的12件” would say one figure twice.
    """
    rule, sep, _ = message.rpartition(NOW)
    return rule if sep else message


def rule_text(ind: Indicator, rule: Threshold) -> str:
    """The rule as a sentence: the catalog's own words, else built from its value."""
    if rule.text:
        return rule.text
    if rule.rule == "max" and rule.value == 0:
        return f"{ind.name}原则上应为0"
    return f"{ind.name}{rule.describe(ind.measure)}"
