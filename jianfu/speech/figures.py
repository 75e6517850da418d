"""The figures a draft may use: the compare engine's output at the draft's precision.

By default (``digits=None``) a draft says the figures the 对比 page shows:
computed ratios to one decimal, everything else to at most two, no trailing
zeros on percentages (视频会议占比由20.7%提高到40.0%，提高19.3个百分点). A writer
may override that with 整数 / 一位小数 / 两位小数: the engine's ``digits``, so
values are rounded there and every change is computed from the rounded values.
Percentages are rounded in :func:`at_precision`; the data sentences are made from
that table by the engine's own sentence maker, and the figure check accepts
exactly these rounded figures. The export says which rule was used
(:func:`precision_note`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..catalog import LEVELS, Catalog
from ..compare.selection import Selection, run_comparison
from ..errors import JianfuError
from ..numbers.format import DIGITS, is_missing, round_half_up

PRECISION_COLUMNS = ("before", "after", "change", "pct_change", "pp_change")
# a number in running text; dates (2024年8月6日), ordinals (第3) and clock times are not figures
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])")
_NOT_A_FIGURE_AFTER = ("年", "月", "日", "时", "号", "届", "期", "季度")


PAGE_RULE = "计算得出的比例保留一位小数，其余数字最多保留两位小数"
_OVERRIDES = {0: "整数", 1: "一位小数", 2: "两位小数"}


def precision_note(digits: int | None) -> str:
    """What the export's metadata says about its figures."""
    if digits is None:
        return f"数字精度：与对比页面一致（{PAGE_RULE}）"
    return f"数字精度：{_OVERRIDES[digits]}（撰写人指定，不同于对比页面的规则：{PAGE_RULE}）"


def draft_comparison(
    obs: pd.DataFrame,
    catalog: Catalog,
    unit: str,
    before: str,
    after: str,
    digits: int | None = None,
    disabled_levels: Iterable[str] = (),
) -> pd.DataFrame:
    """The engine's comparison of one unit at the page's rule or at ``digits`` decimals.

    ``disabled_levels`` are threshold levels the writer left out (预警依据, as on the
    对比 page): no warning of theirs reaches the draft.
    """
    if digits not in (None, 0, 1, 2):
        raise ValueError("digits must be None, 0, 1 or 2")
    selection = Selection(
        units=(unit,),
        before=before,
        after=after,
        digits=digits,
        disabled_levels=frozenset(checked_levels(disabled_levels)),
    )
    table = at_precision(run_comparison(obs, catalog, selection).table, digits)
    # the indicators a rule applies to: only these can be said to have “未触发预警”
    table.attrs["ruled"] = frozenset(i.code for i in catalog if i.thresholds)
    return table


def checked_levels(levels: Iterable[str]) -> list[str]:
    """Threshold levels named by a writer (or a saved draft), in the catalog's order,
    or a Chinese refusal."""
    chosen = set(levels)
    unknown = sorted(chosen - set(LEVELS))
    if unknown:
        raise JianfuError(f"预警依据“{unknown[0]}”无效，可选：{'、'.join(LEVELS)}")
    return [level for level in LEVELS if level in chosen]


def levels_note(disabled_levels: Iterable[str]) -> str:
    """What the export's metadata says about the warnings ("" when every level counts)."""
    left_out = checked_levels(disabled_levels)
    return f"预警依据不含：{'、'.join(left_out)}" if left_out else ""


def figures_note(draft) -> str:
    """The export's metadata on a saved draft's figures: precision, and left-out warnings."""
    return "；".join(
        filter(None, [precision_note(draft.digits), levels_note(draft.disabled_levels)])
    )


def at_precision(table: pd.DataFrame, digits: int | None) -> pd.DataFrame:
    """Round the percentages of a compare table at the draft's precision (half up).

    The values and changes are the engine's, already rounded at ``digits``; with
    ``None`` percentages keep at most two decimals, as on the 对比 page. A
    percentage that rounds to 0 although the value moved is dropped, so a sentence
    says the amount ("减少3件"), not "减少0%".
    """
    if digits not in (None, 0, 1, 2):
        raise ValueError("digits must be None, 0, 1 or 2")
    places = DIGITS if digits is None else digits
    out = table.copy()
    out["pct_change"] = [_round(v, places) for v in out["pct_change"]]
    vanished = (out["pct_change"] == 0) & (table["change"].fillna(0) != 0)
    out.loc[vanished, "pct_change"] = float("nan")
    out.attrs.update(table.attrs, digits=digits)
    return out


def _round(value: object, digits: int) -> float:
    if is_missing(value):
        return float("nan")
    return float(round_half_up(float(value), digits))


@dataclass(frozen=True)
class IndicatorFigures:
    """What a draft may say about one indicator: its names and its figures."""

    code: str
    names: tuple[str, ...]
    figures: frozenset[Decimal]
    measure: str


def indicator_figures(table: pd.DataFrame) -> list[IndicatorFigures]:
    """Per indicator: full and short name, and every figure the engine gives for it.

    Figures are before, after, the amount, the percentage and the points moved
    (as absolute values) and the numbers in the engine's warnings (a threshold).
    """
    out = []
    for row in table.to_dict("records"):
        numbers = {row[c] for c in PRECISION_COLUMNS if not is_missing(row[c])}
        figures = {_decimal(abs(float(v))) for v in numbers}
        for warning in row.get("warnings") or []:
            figures |= {Decimal(n) for n in numbers_in(str(warning.get("message", "")))}
        names = tuple(dict.fromkeys(n for n in (row["name"], row.get("short")) if n))
        out.append(IndicatorFigures(row["indicator"], names, frozenset(figures), row["measure"]))
    return out


def _decimal(value: float) -> Decimal:
    return round_half_up(value, 2).normalize()


def numbers_in(text: str) -> list[str]:
    """Arabic figures in ``text`` (full-width digits too), leaving out dates and ordinals."""
    return [m.group(1) for m in figure_matches(text)]


def figure_matches(text: str) -> list[re.Match]:
    text = unicodedata.normalize("NFKC", text)
    found = []
    for match in _NUMBER.finditer(text):
        after = text[match.end() : match.end() + 2]
        if after.startswith(_NOT_A_FIGURE_AFTER) or text[max(0, match.start() - 1)] == "第":
            continue
        found.append(match)
    return found


def same_figure(text_number: str, figure: Decimal) -> bool:
    return Decimal(text_number).normalize() == figure


def has_figure(text: str) -> bool:
    """True if ``text`` carries at least one figure (a date alone is not one)."""
    return bool(figure_matches(text))


def draft_figures(obs: pd.DataFrame, catalog: Catalog, draft) -> list[IndicatorFigures]:
    """The figures a saved draft may use: its unit and periods, at its precision."""
    if not (draft.unit and draft.before and draft.after):
        return []
    table = draft_comparison(
        obs, catalog, draft.unit, draft.before, draft.after, draft.digits, draft.disabled_levels
    )
    return indicator_figures(table)
