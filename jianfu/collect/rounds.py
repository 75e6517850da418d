"""Rounds (填报任务), indicator groups (指标组) and 监测点 lists in the database.

:class:`Collect` is the one door, opened on a :class:`~jianfu.store.Store`; it
creates its tables on first use and records their version apart from the store's.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import delete, select

from ..db import writing
from ..errors import JianfuError
from ..store import Store
from ..store.labels import checked_name, id_map
from ..store.schema import units
from ..versions import upgrade
from . import schema
from .model import Round, RoundUnit

ROUND_FIELD = "填报任务名称"


class Collect:
    """Rounds, groups and site lists stored beside the store's observations."""

    def __init__(self, store: Store):
        self.store = store
        schema.metadata.create_all(store.engine)
        self._record_version()

    def _record_version(self) -> None:
        upgrade(self.store.engine, schema.meta, schema.COLLECT_SCHEMA_VERSION, _newer)

    # ---- 指标组 ------------------------------------------------------------
    def save_group(self, name: str, codes: Sequence[str]) -> str:
        """Create or replace an indicator group; codes must be entered indicators."""
        name = checked_name(name, "指标组名称")
        text = ",".join(self._checked_codes(codes))
        with writing(self.store.engine) as conn:
            conn.execute(delete(schema.groups).where(schema.groups.c.name == name))
            conn.execute(schema.groups.insert().values(name=name, indicators=text))
        return name

    def groups(self) -> dict[str, list[str]]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(schema.groups.c.name, schema.groups.c.indicators))
            return {name: text.split(",") for name, text in rows}

    def group(self, name: str) -> list[str]:
        found = self.groups().get(name)
        if found is None:
            raise JianfuError(f"指标组“{name}”不存在")
        return found

    # ---- 监测点 ------------------------------------------------------------
    def save_sites(self, name: str, unit_names: Sequence[str]) -> str:
        """Create or replace a named list of 监测点 (existing units)."""
        name = checked_name(name, "监测点名单名称")
        with writing(self.store.engine) as conn:
            ids = _unit_ids(conn, unit_names)
            conn.execute(delete(schema.sites).where(schema.sites.c.list == name))
            conn.execute(
                schema.sites.insert(),
                [{"list": name, "unit_id": i, "position": n} for n, i in enumerate(ids)],
            )
        return name

    def sites(self) -> dict[str, list[str]]:
        query = (
            select(schema.sites.c.list, units.c.name)
            .join(units, units.c.id == schema.sites.c.unit_id)
            .order_by(schema.sites.c.list, schema.sites.c.position)
        )
        found: dict[str, list[str]] = {}
        with self.store.engine.connect() as conn:
            for list_name, unit in conn.execute(query):
                found.setdefault(list_name, []).append(unit)
        return found

    def children(self, parent: str) -> list[str]:
        """A parent unit's direct subordinates, in the order they were added."""
        table = self.store.units()
        if parent not in set(table["name"]):
            raise JianfuError(f"单位“{parent}”不存在")
        found = table.loc[table["parent"] == parent, "name"].tolist()
        if not found:
            raise JianfuError(f"单位“{parent}”没有下级单位")
        return found

    # ---- 填报任务 ----------------------------------------------------------
    def new_round(
        self,
        name: str,
        period: str,
        unit_names: Sequence[str],
        indicators: Sequence[str] = (),
        *,
        group: str = "",
        due: date | None = None,
        notes: str = "",
    ) -> Round:
        """Create a round; indicators default to the group's (or every entered one)."""
        name = checked_name(name, ROUND_FIELD)
        if name in self.round_names():
            raise JianfuError(f"填报任务“{name}”已存在，请换一个名称")
        codes = list(indicators) or (self.group(group) if group else self._entered())
        codes = self._checked_codes(codes)
        if not unit_names:
            raise JianfuError("请至少选择一个填报单位")
        with self.store.engine.connect() as conn:
            _unit_ids(conn, unit_names)  # refused before the period is created
        period = self.store.add_period(period)
        with writing(self.store.engine) as conn:
            ids = _unit_ids(conn, unit_names)
            round_id = conn.execute(
                schema.rounds.insert().values(
                    token=secrets.token_hex(8),
                    name=name,
                    period=period,
                    indicators=",".join(codes),
                    group_name=group,
                    due=due,
                    notes=(notes or "").strip(),
                    created_at=datetime.now(UTC).replace(microsecond=0),
                )
            ).inserted_primary_key[0]
            conn.execute(
                schema.round_units.insert(),
                [
                    {"round_id": round_id, "unit_id": u, "key": f"u{n + 1}", "position": n}
                    for n, u in enumerate(ids)
                ],
            )
        return self.round(name)

    def round_names(self) -> list[str]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(schema.rounds.c.name).order_by(schema.rounds.c.id))
            return [r[0] for r in rows]

    def round(self, name: str) -> Round:
        return self._round(schema.rounds.c.name == name, f"填报任务“{name}”不存在")

    def round_by_token(self, token: str) -> Round | None:
        try:
            return self._round(schema.rounds.c.token == token, "")
        except JianfuError:
            return None

    def _round(self, where, missing: str) -> Round:
        r, ru = schema.rounds, schema.round_units
        with self.store.engine.connect() as conn:
            row = conn.execute(select(r).where(where)).first()
            if row is None:
                raise JianfuError(missing)
            members = conn.execute(
                select(units.c.name, ru.c.key)
                .join(units, units.c.id == ru.c.unit_id)
                .where(ru.c.round_id == row.id)
                .order_by(ru.c.position)
            ).all()
        return Round(
            id=row.id,
            token=row.token,
            name=row.name,
            period=row.period,
            indicators=tuple(c for c in row.indicators.split(",") if c),
            units=tuple(RoundUnit(n, k) for n, k in members),
            group=row.group_name or "",
            due=row.due,
            notes=row.notes or "",
        )

    def _entered(self) -> list[str]:
        return [i.code for i in self.store.catalog() if i.entered]

    def _checked_codes(self, codes: Sequence[str]) -> list[str]:
        catalog = self.store.catalog()
        found = []
        for code in dict.fromkeys(c.strip() for c in codes if c and c.strip()):
            ind = catalog.get(code) or catalog.match(code)
            if ind is None:
                raise JianfuError(f"指标“{code}”不在指标目录中")
            if not ind.entered:
                raise JianfuError(f"“{ind.name}”由分子分母计算，请改选其分子、分母两项")
            found.append(ind.code)
        if not found:
            raise JianfuError("请至少选择一个指标")
        return found


def _unit_ids(conn, names: Sequence[str]) -> list[int]:
    known = id_map(conn, units)
    names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    missing = [n for n in names if n not in known]
    if missing:
        raise JianfuError(f"单位“{'、'.join(missing)}”不存在，请先在“录入”页添加")
    return [known[n] for n in names]


def _newer(version: int) -> JianfuError:
    return JianfuError(
        f"填报任务数据的版本（{version}）比本程序（{schema.COLLECT_SCHEMA_VERSION}）新，"
        "请升级工作簿后再打开"
    )
