"""The model behind the 录入 form: field values in, validated tidy rows out.

Widgets hand over the raw text of each field; everything that decides whether a
value is acceptable lives here so the form, the importer and the store agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..catalog import Catalog, Indicator
from ..catalog.values import (
    maybe_fraction,
    parse_value,
    parse_values,
    part_whole_message,
    parts_over_wholes,
)
from ..compare.selection import periods_with_data
from ..numbers.format import fraction_as_percent, plain


@dataclass(frozen=True)
class FormResult:
    """Rows to save, codes whose field was cleared, a message per bad field, and
    a question per doubtful one (0.85 in a percent field: 85% or 0.85%?)."""

    rows: pd.DataFrame
    cleared: tuple[str, ...]
    errors: dict[str, str]
    questions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_field(indicator: Indicator, raw: object) -> tuple[float | None, str | None]:
    """(value, None) when acceptable, (None, message) otherwise; empty text is no value."""
    return parse_value(indicator, raw)


def fraction_question(indicator: Indicator, value: float) -> str:
    """How to ask about a percent typed as a fraction, with both readings spelled out."""
    return (
        f"“{indicator.name}”填的是{plain(value)}，是指{plain(fraction_as_percent(value))}%"
        f"还是{plain(value)}%？"
    )


def read_form(
    catalog: Catalog,
    unit: str,
    period: str,
    fields: Mapping[str, object],
    confirmed: Iterable[str] = (),
) -> FormResult:
    """Validate every field of the form at once, so the user sees all problems together.

    ``confirmed`` are codes whose doubtful value the user has already confirmed.
    """
    errors: dict[str, str] = {}
    questions: dict[str, str] = {}
    if not str(unit or "").strip():
        errors["unit"] = "请选择或新增单位"
    if not str(period or "").strip():
        errors["period"] = "请选择或新增时期"
    rows, cleared = [], []
    indicators = [catalog[code] for code in fields]
    parsed = parse_values(indicators, list(fields.values()))
    for code, ind, (value, message) in zip(fields, indicators, parsed, strict=True):
        if message:
            errors[code] = message
        elif value is None:
            cleared.append(code)
        else:
            if maybe_fraction(ind, value) and code not in set(confirmed):
                questions[code] = fraction_question(ind, value)
            rows.append((unit, period, code, value))
    frame = pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"])
    for breach in parts_over_wholes(frame, catalog).itertuples(index=False):
        errors.setdefault(breach.part, part_whole_message(catalog, breach))
    return FormResult(frame, tuple(cleared), errors, questions)


def unsaved_fields(stored: Mapping[str, float], texts: Mapping[str, str]) -> list[str]:
    """Codes whose field text no longer shows the stored value: edits a switch would lose."""
    shown = form_texts(stored)
    return [code for code, text in texts.items() if str(text).strip() != shown.get(code, "")]


def form_texts(values: Mapping[str, float]) -> dict[str, str]:
    """Stored values as the form shows them: lossless, so an unedited save changes nothing."""
    return {code: plain(value) for code, value in values.items()}


def default_choice(
    obs: pd.DataFrame, units: list[str], periods: list[str]
) -> tuple[str | None, str | None]:
    """The first unit and its latest period with data, so the form opens filled in."""
    if not units:
        return None, periods[-1] if periods else None
    unit = units[0]
    with_data = periods_with_data(obs, [unit], periods)
    if with_data:
        return unit, with_data[-1]
    return unit, periods[-1] if periods else None


def saved_table(obs: pd.DataFrame, catalog: Catalog, unit: str, periods: list[str]) -> pd.DataFrame:
    """One row per indicator with a value, one column per period that has data, in order.

    Ratios are computed from their parts, so 一线警力占比 shows beside its counts.
    """
    from ..compare.grids import with_ratios

    mine = obs[obs["unit"] == unit]
    if mine.empty:
        return pd.DataFrame(columns=["类别", "指标", "计量单位"])
    mine = with_ratios(mine[["unit", "period", "indicator", "value"]], catalog)
    wide = mine.pivot_table(index="indicator", columns="period", values="value", aggfunc="first")
    columns = [p for p in periods if p in wide.columns]
    order = [c for c in catalog.codes() if c in wide.index]
    wide = wide.reindex(index=order, columns=columns)
    labels = pd.DataFrame(
        {
            "类别": [catalog[c].category for c in order],
            "指标": [catalog[c].name for c in order],
            "计量单位": [catalog[c].measure for c in order],
        },
        index=order,
    )
    return pd.concat([labels, wide], axis=1).reset_index(drop=True)
