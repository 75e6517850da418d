"""The workbook's database: units, periods, custom indicators and observations.

One SQLAlchemy Core code path for SQLite (the embedded default: WAL, busy
timeout) and PostgreSQL (by URL). :class:`Store` is the one door: units and
periods (:mod:`.labels`), observations (:mod:`.observations`), custom
indicators (:mod:`.custom`) and schema upgrades (:mod:`.migrate`) each live in
their own module, with functions that take an open connection so one method
can combine them in a single transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property

import pandas as pd
from sqlalchemy import bindparam, func, select

from ..catalog import Catalog, Indicator, load_catalog
from ..db import make_engine, writing
from ..errors import JianfuError
from ..paths import default_db_url
from ..text.periods import clean_period
from . import labels
from .changes import diff
from .custom import new_custom, read_custom
from .migrate import migrate
from .observations import Key, SaveResult, check_parts, checked, delete, read, write
from .schema import (
    UNIT_LEVELS,
    UNIT_SCOPES,
    custom_indicators,
    meta,
    metadata,
    observations,
    periods,
    units,
)


class Store:
    """The workbook's database. Build with `Store(url)` or `Store.default()`."""

    def __init__(self, url: str | None = None, catalog: Catalog | None = None):
        self.url = url or default_db_url()
        self.engine = make_engine(self.url)
        self._base_catalog = catalog
        try:
            metadata.create_all(self.engine)
            migrate(self.engine)
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
            return read_custom(conn)

    def add_custom_indicator(self, entry: dict) -> Indicator:
        """Validate and store a user's own indicator (see :mod:`.custom`)."""
        ind, row = new_custom(entry, self.catalog(), self.observations)
        with writing(self.engine) as conn:
            conn.execute(custom_indicators.insert().values(**row))
        return ind

    # ---- units and periods --------------------------------------------
    def units(self) -> pd.DataFrame:
        """Units with their level, parent name and scope (本级/含下级, "" if not stated)."""
        parent = units.alias("parent")
        query = (
            select(units.c.name, units.c.level, parent.c.name.label("parent"), units.c.scope)
            .select_from(units.outerjoin(parent, units.c.parent_id == parent.c.id))
            .order_by(units.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["name", "level", "parent", "scope"], dtype=object)
        return frame.fillna({"parent": "", "scope": ""})

    def unit_names(self) -> list[str]:
        return self.units()["name"].tolist()

    def add_unit(
        self, name: str, level: str = "其他", parent: str | None = None, scope: str = ""
    ) -> str:
        """Create a new unit; returns its clean name. An existing name is refused
        (re-adding must not reset a unit's level or parent: use :meth:`update_unit`).
        ``scope``: 本级, 含下级 or "" (not stated)."""
        name = labels.checked_name(name, labels.UNIT_FIELD)
        with writing(self.engine) as conn:
            if labels.id_of(conn, units, name) is not None:
                raise JianfuError(
                    f"单位“{name}”已存在；如需修改层级或上级单位，请在“管理单位和时期”中修改"
                )
            values = self._unit_values(conn, name, level, parent, scope)
            conn.execute(units.insert().values(name=name, **values))
        return name

    def ensure_unit(
        self, name: str, level: str = "其他", parent: str | None = None, scope: str = ""
    ) -> str:
        """Create the unit if it is missing; an existing unit is left exactly as it is."""
        name = labels.checked_name(name, labels.UNIT_FIELD)
        with writing(self.engine) as conn:
            if labels.id_of(conn, units, name) is None:
                values = self._unit_values(conn, name, level, parent, scope)
                conn.execute(units.insert().values(name=name, **values))
        return name

    def update_unit(
        self, name: str, level: str, parent: str | None = None, scope: str | None = None
    ) -> None:
        """Set an existing unit's level and parent (and scope, unless it is None)."""
        with writing(self.engine) as conn:
            unit_id = labels.id_of(conn, units, name)
            if unit_id is None:
                raise JianfuError(f"单位“{name}”不存在")
            values = self._unit_values(conn, name, level, parent, scope)
            conn.execute(units.update().where(units.c.id == unit_id).values(**values))

    def set_unit_scope(self, name: str, scope: str) -> None:
        """Record whether a unit's figures are 本级 or 含下级 (the 对比 page asks)."""
        with writing(self.engine) as conn:
            unit_id = labels.id_of(conn, units, name)
            if unit_id is None:
                raise JianfuError(f"单位“{name}”不存在")
            scope = _checked_scope(scope)
            conn.execute(units.update().where(units.c.id == unit_id).values(scope=scope))

    def _unit_values(
        self, conn, name: str, level: str, parent: str | None, scope: str | None = ""
    ) -> dict:
        if level not in UNIT_LEVELS:
            raise JianfuError(f"单位层级“{level}”无效，应为：{'、'.join(UNIT_LEVELS)}")
        parent = (parent or "").strip() or None
        if parent == name:
            raise JianfuError("上级单位不能是本单位")
        parent_id = labels.id_of(conn, units, parent) if parent else None
        if parent and parent_id is None:
            raise JianfuError(f"上级单位“{parent}”不存在，请先添加")
        values = {"level": level, "parent_id": parent_id}
        if scope is not None:
            values["scope"] = _checked_scope(scope, allow_unstated=True)
        return values

    def rename_unit(self, old: str, new: str) -> str:
        with writing(self.engine) as conn:
            return labels.rename(conn, units, old, new, labels.UNIT_FIELD)

    def delete_unit(self, name: str) -> int:
        """Delete a unit and its values; returns how many values went with it."""
        with writing(self.engine) as conn:
            return labels.delete(conn, units, name, labels.UNIT_FIELD)

    def periods(self) -> list[str]:
        """Period labels in their order (years by year, others as added)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(periods.c.label).order_by(periods.c.sort_key, periods.c.id))
            return [r[0] for r in rows]

    def add_period(self, label: str) -> str:
        """Create a period; a bare year as typed (2025, ２０２５) becomes “2025年”, as on import."""
        label = labels.checked_name(clean_period(label), labels.PERIOD_FIELD)
        with writing(self.engine) as conn:
            labels.ensure_periods(conn, [label])
        return label

    def rename_period(self, old: str, new: str) -> str:
        with writing(self.engine) as conn:
            return labels.rename(conn, periods, old, clean_period(new), labels.PERIOD_FIELD)

    def delete_period(self, label: str) -> int:
        """Delete a period and its values; returns how many values went with it."""
        with writing(self.engine) as conn:
            return labels.delete(conn, periods, label, labels.PERIOD_FIELD)

    def value_count(self, *, unit: str | None = None, period: str | None = None) -> int:
        """How many values a unit (or a period) holds: what deleting it would take."""
        table, name = (units, unit) if unit is not None else (periods, period)
        with self.engine.connect() as conn:
            return labels.value_count(conn, table, name)

    def set_period_order(self, order: Sequence[str]) -> None:
        """Reorder periods: the given labels first, in the given order."""
        known = self.periods()
        missing = [p for p in order if p not in known]
        if missing:
            raise JianfuError(f"时期“{missing[0]}”不存在")
        order = list(dict.fromkeys(order)) + [p for p in known if p not in order]
        with writing(self.engine) as conn:
            conn.execute(
                periods.update()
                .where(periods.c.label == bindparam("l"))
                .values(sort_key=bindparam("k")),
                [{"l": label, "k": n} for n, label in enumerate(order)],
            )

    # ---- observations --------------------------------------------------
    def observations(
        self,
        units_: Iterable[str] | None = None,
        periods_: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Tidy observations (unit, period, indicator, value, note, source, updated_at)."""
        with self.engine.connect() as conn:
            return read(conn, units_, periods_)

    def values_of(self, unit: str, period: str) -> dict[str, float]:
        """One unit's stored values in one period, by indicator code (what a form shows)."""
        obs = self.observations([unit], [period])
        return dict(zip(obs["indicator"], obs["value"], strict=True))

    def preview(self, frame: pd.DataFrame) -> pd.DataFrame:
        """What :meth:`save_observations` would do with ``frame``, row by row (see changes.diff).

        ``attrs["renamed"]`` lists (typed, stored) names that were matched to a stored
        unit or period only after normalising (spaces, full-width brackets, 年度);
        ``attrs["new_units"]`` and ``attrs["new_periods"]`` those the save would create.
        """
        frame = self._checked(frame, "")
        stored = self.observations(frame["unit"].unique(), frame["period"].unique())
        check_parts(frame, stored, (), self.catalog())
        out = diff(frame, stored)
        out.attrs["renamed"] = frame.attrs.get("renamed", [])
        units, labels_ = set(self.unit_names()), set(self.periods())
        out.attrs["new_units"] = [u for u in frame["unit"].unique() if u not in units]
        out.attrs["new_periods"] = [p for p in frame["period"].unique() if p not in labels_]
        return out

    def save_observations(
        self,
        frame: pd.DataFrame,
        source: str = "",
        *,
        clear: Iterable[Key] = (),
        expected: Mapping[Key, float] | None = None,
    ) -> SaveResult:
        """Write tidy rows and clear the ``clear`` keys, all in one transaction.

        Units and periods are created as needed. With ``expected`` (the values as
        the form or preview read them, NaN for none, for every key written or
        cleared) nothing is written if any of them changed since: a
        :class:`ConflictError` says which. Either every row is written or none is.
        """
        frame = self._checked(frame, source)
        catalog = self.catalog()
        with writing(self.engine) as conn:
            return write(conn, frame, clear, expected, catalog)

    def delete_observations(self, unit: str, period: str, indicators: Iterable[str]) -> int:
        """Remove values (e.g. fields cleared in the form); returns how many went."""
        with writing(self.engine) as conn:
            return delete(conn, [(unit, period, code) for code in indicators])

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(observations)).scalar() == 0

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            return int(value.scalar() or 0)

    def _checked(self, frame: pd.DataFrame, source: str) -> pd.DataFrame:
        return checked(frame, source, self.catalog(), self.unit_names(), self.periods())


def _checked_scope(scope: str, allow_unstated: bool = False) -> str:
    scope = (scope or "").strip()
    if scope in UNIT_SCOPES or (allow_unstated and not scope):
        return scope
    raise JianfuError(f"数据口径“{scope}”无效，应为：{'、'.join(UNIT_SCOPES)}")
