"""A user's own indicators: checked like catalog entries, stored beside the observations.

Counts, durations and amounts; a percent typed in (never added up when units are
combined); or a ratio of two counts (recomputed from summed parts). A new ratio
must fit the data already stored: a part above its whole is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select

from ..catalog import Catalog, Indicator, indicator_from_dict
from ..errors import JianfuError
from ..text.characters import clean_name, clean_text
from .observations import check_parts
from .schema import OBS_COLUMNS, custom_indicators


def read_custom(conn) -> list[Indicator]:
    """The database's own indicators, oldest first."""
    rows = conn.execute(select(custom_indicators).order_by(custom_indicators.c.created_at))
    return [
        indicator_from_dict({k: v for k, v in r._mapping.items() if v is not None}, custom=True)
        for r in rows
    ]


def new_custom(
    entry: dict, catalog: Catalog, stored: Callable[[], pd.DataFrame]
) -> tuple[Indicator, dict]:
    """(indicator, database row) for a user's entry, or a Chinese refusal.

    ``stored`` gives the observations a new ratio is checked against.
    """
    entry = {k: _entered(k, v) for k, v in entry.items() if v is not None}
    if not entry.get("code"):
        entry["code"] = _next_code(catalog)
    if entry.get("kind") == "ratio":
        entry["measure"] = "%"
        entry.pop("aggregate", None)
    ind = indicator_from_dict(entry, custom=True)
    if ind.code in catalog:
        raise JianfuError(f"指标代码“{ind.code}”已存在")
    if any(i.name == ind.name for i in catalog):
        raise JianfuError(f"指标名称“{ind.name}”已存在")
    for part, label in ((ind.numerator, "分子"), (ind.denominator, "分母")):
        if ind.is_ratio and (part not in catalog or catalog[part].kind != "count"):
            raise JianfuError(f"{label}应为已有的计数类指标")
    if ind.is_ratio and ind.numerator == ind.denominator:
        raise JianfuError("分子和分母不能是同一个指标")
    if ind.is_ratio:  # data already stored must fit the new ratio
        check_parts(stored(), pd.DataFrame(columns=OBS_COLUMNS), (), catalog, [ind])
    return ind, _row(ind)


def _row(ind: Indicator) -> dict:
    fields = ("code", "name", "category", "measure", "direction", "kind", "aggregate")
    fields += ("numerator", "denominator", "description")
    row = {name: getattr(ind, name) for name in fields}
    return row | {"created_at": datetime.now(UTC).replace(microsecond=0)}


def _entered(key: str, value: object) -> object:
    """A custom indicator's field as typed: names on one line, the description as text."""
    if not isinstance(value, str):
        return value
    return clean_text(value).strip() if key == "description" else clean_name(value)


def _next_code(catalog: Catalog) -> str:
    taken = set(catalog.codes())
    n = 1
    while f"custom_{n}" in taken:
        n += 1
    return f"custom_{n}"
