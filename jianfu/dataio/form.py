"""The model behind the 录入 form: field values in, validated tidy rows out.

Widgets hand over the raw text of each field; everything that decides whether a
value is acceptable lives here so the form, the importer and the store agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..catalog import Catalog, Indicator
from ..catalog.values import parse_value


@dataclass(frozen=True)
class FormResult:
    """Rows to save, codes whose field was cleared, and a message per bad field."""

    rows: pd.DataFrame
    cleared: tuple[str, ...]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_field(indicator: Indicator, raw: object) -> tuple[float | None, str | None]:
    """(value, None) when acceptable, (None, message) otherwise; empty text is no value."""
    return parse_value(indicator, raw)


def read_form(catalog: Catalog, unit: str, period: str, fields: Mapping[str, object]) -> FormResult:
    """Validate every field of the form at once, so the user sees all problems together."""
    errors: dict[str, str] = {}
    if not str(unit or "").strip():
        errors["unit"] = "请选择或新增单位"
    if not str(period or "").strip():
        errors["period"] = "请选择或新增时期"
    rows, cleared = [], []
    for code, raw in fields.items():
        ind = catalog[code]
        value, message = check_field(ind, raw)
        if message:
            errors[code] = message
        elif value is None:
            cleared.append(code)
        else:
            rows.append((unit, period, code, value))
    frame = pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"])
    return FormResult(frame, tuple(cleared), errors)


def default_choice(
    obs: pd.DataFrame, units: list[str], periods: list[str]
) -> tuple[str | None, str | None]:
    """The first unit and its latest period with data, so the form opens filled in."""
    if not units:
        return None, periods[-1] if periods else None
    unit = units[0]
    seen = set(obs.loc[obs["unit"] == unit, "period"])
    with_data = [p for p in periods if p in seen]
    if with_data:
        return unit, with_data[-1]
    return unit, periods[-1] if periods else None


def split_labels(text: str) -> list[str]:
    """“改革前、改革后” or “2023年, 2024年” as a list, the way people type lists in Chinese."""
    return [part.strip() for part in re.split(r"[、,，;；\n]", text or "") if part.strip()]


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
