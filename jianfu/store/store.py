"""Persistence: units, periods, custom indicators and observations.

One SQLAlchemy Core code path for SQLite (the embedded default: WAL, busy
timeout) and PostgreSQL (by URL). Every write is one transaction, so a failed
import or form save leaves nothing half-written; what a save will do is decided
by the same comparison (:mod:`.changes`) that the import preview shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import pandas as pd
from sqlalchemy import bindparam, func, inspect, select, tuple_

from ..catalog import Catalog, Indicator, indicator_from_dict, load_catalog
from ..catalog.values import (
    part_whole_message,
    parts_over_wholes,
    stored_values,
    value_problems,
)
from ..db import make_engine, writing
from ..errors import JianfuError, Problem, ValidationError
from ..numbers.format import plain
from ..paths import default_db_url
from ..text.characters import clean_name, clean_text
from ..text.names import match_names
from ..text.periods import clean_period
from . import labels
from .changes import diff
from .schema import (
    MIGRATIONS,
    OBS_COLUMNS,
    SCHEMA_VERSION,
    UNIT_LEVELS,
    UNIT_SCOPES,
    custom_indicators,
    meta,
    metadata,
    observations,
    periods,
    units,
)

Key = tuple[str, str, str]  # unit, period, indicator
_VALUES = {
    "value": bindparam("v"),
    "note": bindparam("n"),
    "source": bindparam("s"),
    "updated_at": bindparam("t"),
}
_INSERT = observations.insert().values(
    unit_id=bindparam("u"), period_id=bindparam("p"), indicator=bindparam("i"), **_VALUES
)
_UPDATE = (
    observations.update()
    .where(observations.c.unit_id == bindparam("u"))
    .where(observations.c.period_id == bindparam("p"))
    .where(observations.c.indicator == bindparam("i"))
    .values(**_VALUES)
)


@dataclass(frozen=True)
class SaveResult:
    added: int
    changed: int
    unchanged: int
    removed: int = 0
    new_units: tuple[str, ...] = ()
    new_periods: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"新增{self.added}项", f"修改{self.changed}项", f"未变{self.unchanged}项"]
        if self.removed:
            parts.append(f"清除{self.removed}项")
        if self.new_units:
            parts.append(f"新建单位{len(self.new_units)}个")
        if self.new_periods:
            parts.append(f"新建时期{len(self.new_periods)}个")
        return "已保存：" + "，".join(parts)


class ConflictError(JianfuError):
    """Someone else changed these values since they were read; nothing was saved.

    ``conflicts`` has columns unit, period, indicator, expected (the value as read,
    NaN when there was none), current (NaN when now absent) and updated_at.
    """

    def __init__(self, conflicts: pd.DataFrame):
        self.conflicts = conflicts
        first = conflicts.iloc[0]
        when = first["updated_at"]
        when = (
            f"（{pd.Timestamp(when).tz_convert(None):%m-%d %H:%M}修改）" if pd.notna(when) else ""
        )
        super().__init__(
            f"有{len(conflicts)}项数据在您打开后已被他人修改{when}，例如"
            f"“{first['unit']} {first['period']}”的一项由{plain(first['expected']) or '空'}"
            f"变为{plain(first['current']) or '空'}；为免覆盖，本次未保存"
        )


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
            return [
                indicator_from_dict(
                    {k: v for k, v in r._mapping.items() if v is not None}, custom=True
                )
                for r in rows
            ]

    def add_custom_indicator(self, entry: dict) -> Indicator:
        """Validate and store a user's own indicator.

        Counts, durations and amounts; a percent typed in (never added up when units
        are combined); or a ratio of two counts (recomputed from summed parts).
        """
        entry = {k: _entered(k, v) for k, v in entry.items() if v is not None}
        if not entry.get("code"):
            entry["code"] = self._next_custom_code()
        if entry.get("kind") == "ratio":
            entry["measure"] = "%"
            entry.pop("aggregate", None)
        ind = indicator_from_dict(entry, custom=True)
        catalog = self.catalog()
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
            _check_parts(self.observations(), pd.DataFrame(columns=OBS_COLUMNS), (), catalog, [ind])
        row = {
            "code": ind.code,
            "name": ind.name,
            "category": ind.category,
            "measure": ind.measure,
            "direction": ind.direction,
            "kind": ind.kind,
            "aggregate": ind.aggregate,
            "numerator": ind.numerator,
            "denominator": ind.denominator,
            "description": ind.description,
            "created_at": _now(),
        }
        with writing(self.engine) as conn:
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
            return _read(conn, units_, periods_)

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
        _check_parts(frame, stored, (), self.catalog())
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
        clear = list(dict.fromkeys(clear))
        now = _now()
        with writing(self.engine) as conn:
            if expected is not None:
                _check_unchanged(conn, expected)
            new_units = labels.ensure_units(conn, frame["unit"].unique())
            new_periods = labels.ensure_periods(conn, frame["period"].unique())
            stored = _read(conn, frame["unit"].unique(), frame["period"].unique())
            _check_parts(frame, stored, clear, self.catalog())
            changes = diff(frame, stored).assign(source=frame["source"].to_numpy())
            unit_ids, period_ids = labels.id_map(conn, units), labels.id_map(conn, periods)
            todo = changes[changes["status"] != "不变"]
            params = [
                {"u": unit_ids[r.unit], "p": period_ids[r.period], "i": r.indicator,
                 "v": float(r.new_value), "n": r.note, "s": r.source, "t": now}
                for r in todo.itertuples(index=False)
            ]  # fmt: skip
            added = [row for row, st in zip(params, todo["status"], strict=True) if st == "新增"]
            changed = [row for row, st in zip(params, todo["status"], strict=True) if st == "修改"]
            if added:
                conn.execute(_INSERT, added)
            if changed:
                conn.execute(_UPDATE, changed)
            removed = _delete(conn, clear)
        return SaveResult(
            len(added),
            len(changed),
            int((changes["status"] == "不变").sum()),
            removed,
            tuple(new_units),
            tuple(new_periods),
        )

    def delete_observations(self, unit: str, period: str, indicators: Iterable[str]) -> int:
        """Remove values (e.g. fields cleared in the form); returns how many went."""
        with writing(self.engine) as conn:
            return _delete(conn, [(unit, period, code) for code in indicators])

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(observations)).scalar() == 0

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            return int(value.scalar() or 0)

    def _checked(self, frame: pd.DataFrame, source: str) -> pd.DataFrame:
        """Last line of defence: forms and imports validate first, the store re-checks
        with the same value rules (:mod:`jianfu.catalog.values`)."""
        missing = [c for c in ("unit", "period", "indicator", "value") if c not in frame]
        if missing:
            raise JianfuError(f"缺少列：{'、'.join(missing)}")
        frame = frame.reset_index(drop=True)
        frame["indicator"] = frame["indicator"].astype(str).str.strip()
        frame = self._same_names(frame)
        _check_unique(frame, self.catalog())
        for column, default in (("note", ""), ("source", source)):
            if column not in frame:
                frame[column] = default
            frame[column] = frame[column].fillna("").astype(str).map(clean_text)
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
        catalog = self.catalog()
        known = frame["indicator"].map(lambda c: c in catalog)
        entered = frame["indicator"].map(lambda c: c in catalog and catalog[c].entered)
        kinds = frame["indicator"].map(lambda c: catalog[c].kind if c in catalog else "")
        bad = value_problems(kinds, frame["value"])
        problems = []
        for n, row in enumerate(frame.itertuples(index=False)):
            where = {"row": n + 1}
            if not known[n]:
                problems.append(Problem(f"未知指标“{row.indicator}”", **where))
            elif not entered[n]:
                problems.append(
                    Problem(f"“{catalog[row.indicator].name}”由分子分母计算，不能直接保存", **where)
                )
            elif pd.notna(bad[n]):
                shown = bad[n].format(plain(row.value) or row.value)
                problems.append(Problem(f"“{catalog[row.indicator].name}”{shown}", **where))
            if not row.unit or not row.period:
                problems.append(Problem("单位和时期不能为空", **where))
        if problems:
            raise ValidationError(problems)
        frame["value"] = stored_values(kinds, frame["value"])
        return frame

    def _same_names(self, frame: pd.DataFrame) -> pd.DataFrame:
        """One unit is one unit: names that match a stored one after normalising are
        stored under the stored spelling (and reported in ``attrs["renamed"]``)."""
        renamed = []
        for column, known, period in (
            ("unit", self.unit_names(), False),
            ("period", self.periods(), True),
        ):
            frame[column] = frame[column].astype(str).map(clean_name)
            mapping = match_names(frame[column].unique(), known, period)
            frame[column] = frame[column].replace(mapping)
            renamed += list(mapping.items())
        frame.attrs["renamed"] = renamed
        return frame

    def _migrate(self) -> None:
        with writing(self.engine) as conn:
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
                    if not _already_there(conn, statement):
                        conn.exec_driver_sql(statement)
            conn.execute(
                meta.update()
                .where(meta.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )


def _entered(key: str, value: object) -> object:
    """A custom indicator's field as typed: names on one line, the description as text."""
    if not isinstance(value, str):
        return value
    return clean_text(value).strip() if key == "description" else clean_name(value)


_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", re.IGNORECASE)


def _already_there(conn, statement: str) -> bool:
    """An added column that exists already: its table was created by this version's
    schema (a database older than the table itself), so there is nothing to add."""
    found = _ADD_COLUMN.match(statement)
    if not found:
        return False
    table, column = found.groups()
    return column in {c["name"] for c in inspect(conn).get_columns(table)}


def _checked_scope(scope: str, allow_unstated: bool = False) -> str:
    scope = (scope or "").strip()
    if scope in UNIT_SCOPES or (allow_unstated and not scope):
        return scope
    raise JianfuError(f"数据口径“{scope}”无效，应为：{'、'.join(UNIT_SCOPES)}")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _read(conn, units_: Iterable[str] | None, periods_: Iterable[str] | None) -> pd.DataFrame:
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
    # Plain tuples: pandas probes each Row for namedtuple fields, an exception per
    # row in SQLAlchemy (about 2/3 of the read time at 100,000 rows).
    rows = [tuple(row) for row in conn.execute(query).all()]
    frame = pd.DataFrame(rows, columns=OBS_COLUMNS)
    # SQLite hands back naive UTC, PostgreSQL the session's zone: make both UTC-aware.
    frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
    return frame.astype({"value": "float64", "updated_at": "datetime64[us, UTC]"})


def _check_unique(frame: pd.DataFrame, catalog: Catalog) -> None:
    """Two rows for one key (names that match only once normalised): say so, not IntegrityError."""
    twice = frame.duplicated(["unit", "period", "indicator"], keep="first")
    if twice.any():
        raise ValidationError(
            [
                Problem(
                    f"同一单位、时期和指标出现了两次：{r.unit} {r.period} "
                    f"{catalog[r.indicator].name if r.indicator in catalog else r.indicator}"
                )
                for r in frame[twice].itertuples(index=False)
            ]
        )


def _check_parts(
    frame: pd.DataFrame,
    stored: pd.DataFrame,
    clear: Iterable[Key],
    catalog: Catalog,
    ratios: Iterable[Indicator] | None = None,
) -> None:
    """A numerator above its denominator once ``frame`` is saved over ``stored``
    (``clear`` keys removed): refused, for the pairs the save touches (all pairs when
    checking new ``ratios`` against the stored data)."""
    keys = ["unit", "period", "indicator"]
    gone = set(clear) | set(zip(*(frame[k] for k in keys), strict=True))
    kept = [k not in gone for k in zip(*(stored[k] for k in keys), strict=True)]
    after = pd.concat([stored.loc[kept, keys + ["value"]], frame[keys + ["value"]]])
    breaches = parts_over_wholes(after, catalog if ratios is None else list(ratios))
    if ratios is None:  # only what this save changes: old data is not the saver's to fix
        breaches = breaches[
            [
                (b.unit, b.period, b.part) in gone or (b.unit, b.period, b.whole) in gone
                for b in breaches.itertuples(index=False)
            ]
        ]
    if len(breaches):
        names = catalog.with_custom(ratios or ())
        raise ValidationError(
            [
                Problem(f"{b.unit} {b.period}：{part_whole_message(names, b)}")
                for b in breaches.itertuples(index=False)
            ]
        )


def _delete(conn, keys: list[Key]) -> int:
    if not keys:
        return 0
    unit_ids, period_ids = labels.id_map(conn, units), labels.id_map(conn, periods)
    ids = [(unit_ids[u], period_ids[p], i) for u, p, i in keys if u in unit_ids and p in period_ids]
    if not ids:
        return 0
    column = tuple_(observations.c.unit_id, observations.c.period_id, observations.c.indicator)
    return conn.execute(observations.delete().where(column.in_(ids))).rowcount or 0


def _check_unchanged(conn, expected: Mapping[Key, float]) -> None:
    """Raise ConflictError when a stored value differs from the one read earlier."""
    keys = list(expected)
    stored = _read(conn, {k[0] for k in keys}, {k[1] for k in keys}).set_index(
        ["unit", "period", "indicator"]
    )
    rows = []
    for key in keys:
        was = expected[key]
        now = stored["value"].get(key, float("nan"))
        if not (pd.isna(was) and pd.isna(now)) and was != now:
            rows.append((*key, was, now, stored["updated_at"].get(key, pd.NaT)))
    if rows:
        raise ConflictError(
            pd.DataFrame(
                rows, columns=["unit", "period", "indicator", "expected", "current", "updated_at"]
            )
        )
