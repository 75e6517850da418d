"""Persistence: units, periods, custom indicators and observations.

One SQLAlchemy Core code path for SQLite (the embedded default: WAL, busy
timeout) and PostgreSQL (by URL). Every write is one transaction, so a failed
import or form save leaves nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import pandas as pd
from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.engine import Connection

from ..catalog import Catalog, Indicator, indicator_from_dict, load_catalog
from ..db import make_engine
from ..errors import JianfuError, Problem, ValidationError
from ..paths import default_db_url
from ..periods import clean_period, period_sort_key
from .schema import (
    MAX_NAME,
    MIGRATIONS,
    OBS_COLUMNS,
    SCHEMA_VERSION,
    UNIT_LEVELS,
    custom_indicators,
    meta,
    metadata,
    observations,
    periods,
    units,
)


@dataclass(frozen=True)
class SaveResult:
    added: int
    changed: int
    unchanged: int
    new_units: tuple[str, ...] = ()
    new_periods: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"新增{self.added}项", f"修改{self.changed}项", f"未变{self.unchanged}项"]
        if self.new_units:
            parts.append(f"新建单位{len(self.new_units)}个")
        if self.new_periods:
            parts.append(f"新建时期{len(self.new_periods)}个")
        return "已保存：" + "，".join(parts)


class Store:
    """The workbook's database. Build with `Store(url)` or `Store.default()`."""

    def __init__(self, url: str | None = None, catalog: Catalog | None = None):
        self.url = url or default_db_url()
        self.engine = make_engine(self.url)
        self._base_catalog = catalog
        try:
            metadata.create_all(self.engine)
            self._migrate()
        except Exception:
            self.engine.dispose()
            raise

    @classmethod
    def default(cls) -> Store:
        """The store named by $JIANFU_DB_URL / $JIANFU_DATA_DIR (SQLite by default)."""
        return cls(default_db_url())

    # ---- catalog -------------------------------------------------------
    @cached_property
    def base_catalog(self) -> Catalog:
        return self._base_catalog or load_catalog()

    def catalog(self) -> Catalog:
        """The shipped catalog plus this database's custom indicators."""
        return self.base_catalog.with_custom(self.custom_indicators())

    def custom_indicators(self) -> list[Indicator]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(custom_indicators).order_by(custom_indicators.c.created_at))
            return [indicator_from_dict(dict(r._mapping), custom=True) for r in rows]

    def add_custom_indicator(self, entry: dict) -> Indicator:
        """Validate and store a user's own indicator (counts, durations, amounts, percents)."""
        entry = {k: (v.strip() if isinstance(v, str) else v) for k, v in entry.items()}
        if not entry.get("code"):
            entry["code"] = self._next_custom_code()
        if entry.get("kind") == "ratio":
            raise JianfuError(
                "自定义指标暂不支持“比例（计算）”类型，请选择计数、时长、数量或百分比"
            )
        ind = indicator_from_dict(entry, custom=True)
        catalog = self.catalog()
        if ind.code in catalog:
            raise JianfuError(f"指标代码“{ind.code}”已存在")
        if any(i.name == ind.name for i in catalog):
            raise JianfuError(f"指标名称“{ind.name}”已存在")
        row = {
            "code": ind.code,
            "name": ind.name,
            "category": ind.category,
            "measure": ind.measure,
            "direction": ind.direction,
            "kind": ind.kind,
            "aggregate": ind.aggregate,
            "description": ind.description,
            "created_at": _now(),
        }
        with self.engine.begin() as conn:
            conn.execute(custom_indicators.insert().values(**row))
        return ind

    def _next_custom_code(self) -> str:
        taken = set(self.catalog().codes())
        n = 1
        while f"custom_{n}" in taken:
            n += 1
        return f"custom_{n}"

    # ---- units and periods --------------------------------------------
    def units(self) -> pd.DataFrame:
        """Units with their level and parent name, in creation order."""
        parent = units.alias("parent")
        query = (
            select(units.c.name, units.c.level, parent.c.name.label("parent"))
            .select_from(units.outerjoin(parent, units.c.parent_id == parent.c.id))
            .order_by(units.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["name", "level", "parent"], dtype=object)
        return frame.fillna({"parent": ""})

    def unit_names(self) -> list[str]:
        return self.units()["name"].tolist()

    def add_unit(self, name: str, level: str = "其他", parent: str | None = None) -> str:
        """Create a unit (or update its level/parent if it exists); returns the clean name."""
        name = _clean_name(name, "单位名称")
        if level not in UNIT_LEVELS:
            raise JianfuError(f"单位层级“{level}”无效，应为：{'、'.join(UNIT_LEVELS)}")
        parent = (parent or "").strip() or None
        if parent == name:
            raise JianfuError("上级单位不能是本单位")
        with self.engine.begin() as conn:
            parent_id = None
            if parent:
                parent_id = _id_of(conn, units, units.c.name, parent)
                if parent_id is None:
                    raise JianfuError(f"上级单位“{parent}”不存在，请先添加")
            unit_id = _id_of(conn, units, units.c.name, name)
            values = {"level": level, "parent_id": parent_id}
            if unit_id is None:
                conn.execute(units.insert().values(name=name, **values))
            else:
                conn.execute(units.update().where(units.c.id == unit_id).values(**values))
        return name

    def periods(self) -> list[str]:
        """Period labels in their order (years by year, others as added)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(periods.c.label).order_by(periods.c.sort_key, periods.c.id))
            return [r[0] for r in rows]

    def add_period(self, label: str) -> str:
        """Create a period; a bare year as typed (2025, ２０２５) becomes “2025年”, as on import."""
        label = _clean_name(clean_period(label), "时期名称")
        with self.engine.begin() as conn:
            _ensure_periods(conn, [label])
        return label

    def set_period_order(self, labels: Sequence[str]) -> None:
        """Reorder periods: the given labels first, in the given order."""
        known = self.periods()
        missing = [p for p in labels if p not in known]
        if missing:
            raise JianfuError(f"时期“{missing[0]}”不存在")
        order = list(labels) + [p for p in known if p not in labels]
        with self.engine.begin() as conn:
            for n, label in enumerate(order):
                conn.execute(periods.update().where(periods.c.label == label).values(sort_key=n))

    # ---- observations --------------------------------------------------
    def observations(
        self,
        units_: Iterable[str] | None = None,
        periods_: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Tidy observations (unit, period, indicator, value, note, source, updated_at)."""
        query = (
            select(
                units.c.name.label("unit"),
                periods.c.label.label("period"),
                observations.c.indicator,
                observations.c.value,
                observations.c.note,
                observations.c.source,
                observations.c.updated_at,
            )
            .select_from(observations.join(units).join(periods))
            .order_by(units.c.id, periods.c.sort_key, observations.c.id)
        )
        if units_ is not None:
            query = query.where(units.c.name.in_(list(units_)))
        if periods_ is not None:
            query = query.where(periods.c.label.in_(list(periods_)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=OBS_COLUMNS)
        # SQLite hands back naive UTC, PostgreSQL the session's zone: make both UTC-aware.
        frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
        return frame.astype({"value": "float64", "updated_at": "datetime64[us, UTC]"})

    def save_observations(self, frame: pd.DataFrame, source: str = "") -> SaveResult:
        """Upsert tidy rows in one transaction; units and periods are created as needed.

        Either every row is written or, on any error, none is.
        """
        frame = self._checked(frame, source)
        now = _now()
        with self.engine.begin() as conn:
            new_units = _ensure_units(conn, frame["unit"].unique())
            new_periods = _ensure_periods(conn, frame["period"].unique())
            unit_ids = _id_map(conn, units, units.c.name)
            period_ids = _id_map(conn, periods, periods.c.label)
            existing = _existing(conn, frame, unit_ids, period_ids)
            inserts, updates, unchanged = _plan_writes(frame, existing, unit_ids, period_ids)
            stamp = {"updated_at": now}
            if inserts:
                conn.execute(observations.insert(), [{**r, **stamp} for r in inserts])
            if updates:
                conn.execute(
                    observations.update()
                    .where(observations.c.unit_id == bindparam("u"))
                    .where(observations.c.period_id == bindparam("p"))
                    .where(observations.c.indicator == bindparam("i"))
                    .values(
                        value=bindparam("v"), note=bindparam("n"), source=bindparam("s"), **stamp
                    ),
                    updates,
                )
            added, changed = len(inserts), len(updates)
        return SaveResult(added, changed, unchanged, tuple(new_units), tuple(new_periods))

    def delete_observations(self, unit: str, period: str, indicators: Iterable[str]) -> int:
        """Remove values (e.g. a field cleared in the form); returns how many went."""
        codes = list(indicators)
        with self.engine.begin() as conn:
            unit_id = _id_of(conn, units, units.c.name, unit)
            period_id = _id_of(conn, periods, periods.c.label, period)
            if unit_id is None or period_id is None or not codes:
                return 0
            result = conn.execute(
                observations.delete()
                .where(observations.c.unit_id == unit_id)
                .where(observations.c.period_id == period_id)
                .where(observations.c.indicator.in_(codes))
            )
            return result.rowcount or 0

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(observations)).scalar() == 0

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            return int(value.scalar() or 0)

    def _checked(self, frame: pd.DataFrame, source: str) -> pd.DataFrame:
        """Last line of defence: forms and imports validate first, the store re-checks."""
        missing = [c for c in ("unit", "period", "indicator", "value") if c not in frame]
        if missing:
            raise JianfuError(f"缺少列：{'、'.join(missing)}")
        frame = frame.copy()
        for column in ("unit", "period", "indicator"):
            frame[column] = frame[column].astype(str).str.strip()
        for column, default in (("note", ""), ("source", source)):
            if column not in frame:
                frame[column] = default
            frame[column] = frame[column].fillna("").astype(str)
        catalog = self.catalog()
        problems = []
        for n, row in enumerate(frame.itertuples(index=False), start=1):
            ind = catalog.get(row.indicator)
            if ind is None:
                problems.append(Problem(f"未知指标“{row.indicator}”", row=n))
            elif not ind.entered:
                problems.append(Problem(f"“{ind.name}”由分子分母计算，不能直接保存", row=n))
            elif pd.isna(row.value) or row.value < 0:
                problems.append(Problem(f"“{ind.name}”的数值应为非负数", row=n))
            elif ind.kind == "percent" and row.value > 100:
                problems.append(Problem(f"“{ind.name}”应在0到100之间", row=n))
            if not str(row.unit).strip() or not str(row.period).strip():
                problems.append(Problem("单位和时期不能为空", row=n))
        if problems:
            raise ValidationError(problems)
        return frame

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            current = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            version = current.scalar()
            if version is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                return
            version = int(version)
            if version > SCHEMA_VERSION:
                raise JianfuError(
                    f"数据库版本（{version}）比本程序（{SCHEMA_VERSION}）新，请升级工作簿后再打开"
                )
            if version == SCHEMA_VERSION:
                return  # opening a current database writes nothing
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS.get(step, []):
                    conn.exec_driver_sql(statement)
            conn.execute(
                meta.update()
                .where(meta.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _clean_name(value: str, field: str) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if not text:
        raise JianfuError(f"{field}不能为空")
    if len(text) > MAX_NAME:
        raise JianfuError(f"{field}过长（最多{MAX_NAME}个字）")
    return text


def _id_of(conn: Connection, table: Table, column, value: str) -> int | None:
    return conn.execute(select(table.c.id).where(column == value)).scalar()


def _id_map(conn: Connection, table: Table, column) -> dict[str, int]:
    return {name: id_ for id_, name in conn.execute(select(table.c.id, column))}


def _ensure_units(conn: Connection, names: Iterable[str]) -> list[str]:
    known = _id_map(conn, units, units.c.name)
    new = [_clean_name(n, "单位名称") for n in names if n not in known]
    for name in new:
        conn.execute(units.insert().values(name=name, level="其他"))
    return new


def _ensure_periods(conn: Connection, labels: Iterable[str]) -> list[str]:
    known = _id_map(conn, periods, periods.c.label)
    new = [_clean_name(p, "时期名称") for p in labels if p not in known]
    top = conn.execute(select(func.max(periods.c.sort_key))).scalar() or 0
    for label in new:
        key = period_sort_key(label)
        if key is None:
            top = max(top, 100000) + 1
            key = top
        conn.execute(periods.insert().values(label=label, sort_key=key))
    return new


def _existing(conn, frame, unit_ids, period_ids) -> dict[tuple, tuple[float, str]]:
    wanted_units = {unit_ids[u] for u in frame["unit"].unique()}
    wanted_periods = {period_ids[p] for p in frame["period"].unique()}
    rows = conn.execute(
        select(
            observations.c.unit_id,
            observations.c.period_id,
            observations.c.indicator,
            observations.c.value,
            observations.c.note,
        )
        .where(observations.c.unit_id.in_(wanted_units))
        .where(observations.c.period_id.in_(wanted_periods))
    )
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}


def _plan_writes(frame, existing, unit_ids, period_ids) -> tuple[list, list, int]:
    """Split rows into inserts, updates and unchanged, against what is stored."""
    inserts, updates, unchanged = [], [], 0
    for row in frame.itertuples(index=False):
        key = (unit_ids[row.unit], period_ids[row.period], row.indicator)
        value, note = float(row.value), row.note
        old = existing.get(key)
        if old is None:
            inserts.append(
                {
                    "unit_id": key[0],
                    "period_id": key[1],
                    "indicator": key[2],
                    "value": value,
                    "note": note,
                    "source": row.source,
                }
            )
        elif old == (value, note):
            unchanged += 1
        else:
            updates.append(
                {"u": key[0], "p": key[1], "i": key[2], "v": value, "n": note, "s": row.source}
            )
    return inserts, updates, unchanged
