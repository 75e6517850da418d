"""Who has reported: per unit 已报 / 部分 / 未报 / 逾期, and values worth a call back.

Status comes from the values stored for the round's period and indicators, whatever
brought them (a returned file or the entry form); the latest accepted file is shown
beside it. A unit not complete after the due date is 逾期.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import select

from ..numbers.format import plain
from ..store.schema import units
from . import schema
from .history import last_values
from .model import Round
from .rounds import Collect

DONE, PARTIAL, NONE, LATE = "已报", "部分", "未报", "逾期"
STATUSES = (DONE, PARTIAL, NONE, LATE)
SLIP = 8.0  # a value this many times (or this fraction of) last period's: a 万/个 slip?
BOARD_COLUMNS = ["单位", "状态", "缺报指标", "报送时间", "文件"]


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    status: str
    missing: tuple[str, ...]  # indicator names not yet reported
    received: pd.Timestamp | None
    file: str


def board(collect: Collect, rnd: Round, today: date | None = None) -> list[UnitStatus]:
    today = today or date.today()
    late = rnd.due is not None and today > rnd.due
    catalog = collect.store.catalog()
    stored = collect.store.observations(rnd.unit_names(), [rnd.period])
    stored = stored[stored["indicator"].isin(rnd.indicators)]
    have = stored.groupby("unit")["indicator"].agg(set).to_dict()
    files = latest_files(collect, rnd)
    found = []
    for unit in rnd.unit_names():
        got = have.get(unit, set())
        missing = tuple(catalog[c].name for c in rnd.indicators if c not in got)
        if not missing:
            status = DONE
        elif late:
            status = LATE
        else:
            status = PARTIAL if got else NONE
        received, file = files.get(unit, (None, ""))
        found.append(UnitStatus(unit, status, missing, received, file))
    return found


def board_table(statuses: list[UnitStatus], total: int) -> pd.DataFrame:
    rows = [
        [s.unit, s.status, _missing_text(s, total), _when(s.received), s.file] for s in statuses
    ]
    return pd.DataFrame(rows, columns=BOARD_COLUMNS)


def totals(statuses: list[UnitStatus]) -> dict[str, int]:
    return {s: sum(1 for u in statuses if u.status == s) for s in STATUSES}


def reported_units(statuses: list[UnitStatus]) -> list[str]:
    """Units whose every round value is in: what 对比 may compare like for like."""
    return [s.unit for s in statuses if s.status == DONE]


def compare_query(rnd: Round, statuses: list[UnitStatus], periods: list[str]) -> str:
    """The 对比 page's address query for the fully reported units, the round's period against
    the one before it (“” when nothing can be compared yet): a like-for-like hand-off."""
    ready = reported_units(statuses)
    if not ready or rnd.period not in periods or periods.index(rnd.period) == 0:
        return ""
    before = periods[periods.index(rnd.period) - 1]
    pairs = [("unit", u) for u in ready] + [("before", before), ("after", rnd.period)]
    return urlencode(pairs)


def latest_files(collect: Collect, rnd: Round) -> dict[str, tuple[pd.Timestamp, str]]:
    sub = schema.submissions
    query = (
        select(units.c.name, sub.c.received_at, sub.c.file)
        .join(units, units.c.id == sub.c.unit_id)
        .where(sub.c.round_id == rnd.id)
        .order_by(sub.c.id)
    )
    with collect.store.engine.connect() as conn:
        return {name: (pd.Timestamp(when), file) for name, when, file in conn.execute(query)}


def outliers(collect: Collect, rnd: Round) -> pd.DataFrame:
    """Values at least :data:`SLIP` times (or at most 1/SLIP of) the unit's own last
    period value: 单位, 指标, 本期, 上期, 说明."""
    catalog = collect.store.catalog()
    before = last_values(collect.store, rnd).rename(columns={"value": "before"})
    now = collect.store.observations(rnd.unit_names(), [rnd.period])
    now = now[now["indicator"].isin(rnd.indicators)][["unit", "indicator", "value"]]
    both = now.merge(before, on=["unit", "indicator"])
    both = both[(both["value"] > 0) & (both["before"] > 0)]
    ratio = both["value"] / both["before"]
    flagged = both[(ratio >= SLIP) | (ratio <= 1 / SLIP)]
    rows = []
    for r in flagged.itertuples(index=False):
        ind = catalog[r.indicator]
        times = r.value / r.before
        said = _ratio_text(times)
        rows.append([r.unit, ind.name, plain(r.value), plain(r.before),
                     f"本期{said}，请与单位核实是否填错计量单位（如“万”与“个”）"])  # fmt: skip
    return pd.DataFrame(rows, columns=["单位", "指标", "本期", "上期", "说明"])


def _missing_text(s: UnitStatus, total: int) -> str:
    if not s.missing or len(s.missing) == total:
        return "" if not s.missing else "全部"
    return "、".join(s.missing)


def _when(value: pd.Timestamp | None) -> str:
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.to_pydatetime().astimezone().strftime("%Y-%m-%d %H:%M")


def _ratio_text(times: float) -> str:
    """“是上期的10倍” / “约为上期的9.6倍” / “仅为上期的10%”: exact words only when exact."""
    shown = round(times, 1) if times > 1 else round(times * 100, 1)
    exact = abs(shown - (times if times > 1 else times * 100)) < 1e-9
    if times > 1:
        return f"{'是' if exact else '约为'}上期的{plain(shown)}倍"
    return f"{'仅为' if exact else '约为'}上期的{plain(shown)}%"
