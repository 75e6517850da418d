"""A round's reference period: the one before it, in the store's period order."""

from __future__ import annotations

import pandas as pd

from ..store import Store
from .model import Round


def previous_period(store: Store, period: str) -> str | None:
    """The period just before ``period`` in the store's order (None for the first)."""
    order = store.periods()
    if period not in order:
        return order[-1] if order else None
    at = order.index(period)
    return order[at - 1] if at else None


def last_values(store: Store, rnd: Round) -> pd.DataFrame:
    """The round units' values of the previous period, round indicators only:
    unit, indicator, value (empty when there is no previous period)."""
    before = previous_period(store, rnd.period)
    if before is None:
        return pd.DataFrame(columns=["unit", "indicator", "value"])
    obs = store.observations(rnd.unit_names(), [before])
    obs = obs[obs["indicator"].isin(rnd.indicators)]
    return obs[["unit", "indicator", "value"]].reset_index(drop=True)


def values_by_unit(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    return {
        unit: dict(zip(part["indicator"], part["value"], strict=True))
        for unit, part in frame.groupby("unit", sort=False)
    }
