"""Writing derived figures to the store (source “台账”), never silently over a typed value.

Each figure is compared with what the store holds for the unit, period and
indicator: nothing there → 新增; the same number → 相同; a value the registers
wrote before → 更新; a value typed or imported (another source) that differs →
冲突, left as it is unless the user names it in ``replace`` after seeing both.
The store write checks the values it read (``expected``), so a value typed in the
meantime is not overwritten either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..numbers.format import plain
from ..store import Store
from .derive import Figure, period_span
from .store import RegisterStore

SOURCE = "台账"
STATUSES = ("新增", "相同", "更新", "冲突")


@dataclass(frozen=True)
class Outcome:
    figure: Figure
    status: str  # one of STATUSES
    stored: float | None = None
    stored_source: str = ""

    def line(self, name: str) -> str:
        new = plain(self.figure.value)
        if self.status == "冲突":
            return (
                f"{name}：台账计算为{new}，已录入的值为{plain(self.stored)}（来源：{self.stored_source or '未注明'}），"
                "未覆盖；请核对后选择保留哪一个"
            )
        return f"{name}：{new}（{self.status}）"


def plan(store: Store, unit: str, period: str, figures: Iterable[Figure]) -> list[Outcome]:
    """What writing ``figures`` would do, figure by figure (only catalog indicators)."""
    obs = store.observations([unit], [period])
    held = {r.indicator: (r.value, r.source) for r in obs.itertuples()}
    out = []
    for f in figures:
        if not f.written:
            continue
        if f.code not in held:
            out.append(Outcome(f, "新增"))
            continue
        value, source = held[f.code]
        if math.isclose(value, f.value, rel_tol=1e-12, abs_tol=1e-12):
            status = "相同"
        elif source == SOURCE:
            status = "更新"
        else:
            status = "冲突"
        out.append(Outcome(f, status, value, source))
    return out


def write(
    store: Store,
    registers: RegisterStore,
    unit: str,
    period: str,
    figures: Iterable[Figure],
    replace: Iterable[str] = (),
) -> list[Outcome]:
    """Write the figures (conflicts only those in ``replace``) and link them to their rows.

    Returns the plan as it was carried out; a conflict that was replaced says 更新.
    """
    period = period_span(period)[0]
    replace = set(replace)
    outcomes = plan(store, unit, period, figures)
    done = [
        Outcome(o.figure, "更新", o.stored, o.stored_source)
        if o.status == "冲突" and o.figure.code in replace
        else o
        for o in outcomes
    ]
    chosen = [o for o in done if o.status in ("新增", "更新")]
    if chosen:
        frame = pd.DataFrame({
            "unit": unit,
            "period": period,
            "indicator": [o.figure.code for o in chosen],
            "value": [o.figure.value for o in chosen],
            "note": [f"由台账{len(o.figure.row_ids)}条记录计算" for o in chosen],
        })  # fmt: skip
        expected = {
            (unit, period, o.figure.code): math.nan if o.stored is None else o.stored
            for o in chosen
        }
        store.save_observations(frame, source=SOURCE, expected=expected)
    linked = [o for o in done if o.status != "冲突"]
    registers.save_links(
        unit, period, {o.figure.code: (o.figure.value, o.figure.row_ids) for o in linked}
    )
    return done
