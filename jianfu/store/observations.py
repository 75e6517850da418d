"""Observations in the database: read, checked and written as tidy rows.

Every write is one transaction, so a failed import or form save leaves nothing
half-written; what a save will do is decided by the same comparison
(:mod:`.changes`) that the import preview shows. Functions take an open
connection, so the store combines them with unit and period writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import bindparam, select, tuple_

from ..catalog import Catalog, Indicator
from ..catalog.values import (
    part_whole_message,
    parts_over_wholes,
    stored_values,
    value_problems,
)
from ..errors import JianfuError, Problem, ValidationError
from ..numbers.format import plain
from ..text.characters import clean_name, clean_text
from ..text.names import match_names
from . import labels
from .changes import diff
from .schema import OBS_COLUMNS, observations, periods, units

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
    """What a save did, counted as the preview counts it."""

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


def checked(
    frame: pd.DataFrame,
    source: str,
    catalog: Catalog,
    known_units: list[str],
    known_periods: list[str],
) -> pd.DataFrame:
    """Rows as they will be stored, or a :class:`ValidationError` naming every bad row.

    Last line of defence: forms and imports validate first, the store re-checks
    with the same value rules (:mod:`jianfu.catalog.values`)."""
    missing = [c for c in ("unit", "period", "indicator", "value") if c not in frame]
    if missing:
        raise JianfuError(f"缺少列：{'、'.join(missing)}")
    frame = frame.reset_index(drop=True)
    frame["indicator"] = frame["indicator"].astype(str).str.strip()
    frame = _same_names(frame, known_units, known_periods)
    check_unique(frame, catalog)
    for column, default in (("note", ""), ("source", source)):
        if column not in frame:
            frame[column] = default
        frame[column] = _each_distinct(frame[column].fillna("").astype(str), clean_text)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    codes = frame["indicator"].unique()
    known = frame["indicator"].map({c: c in catalog for c in codes}).to_numpy(bool)
    entered = frame["indicator"].map({c: c in catalog and catalog[c].entered for c in codes})
    entered = entered.to_numpy(bool)
    kinds = frame["indicator"].map({c: catalog[c].kind if c in catalog else "" for c in codes})
    bad = value_problems(kinds, frame["value"]).to_numpy(object)
    blank = (frame["unit"].str.len() == 0) | (frame["period"].str.len() == 0)
    suspect = ~known | ~entered | pd.notna(bad) | blank.to_numpy(bool)
    problems = []
    for n in suspect.nonzero()[0]:  # 120,000 good rows are not visited one by one
        row, where = frame.iloc[n], {"row": int(n) + 1}
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


def _same_names(
    frame: pd.DataFrame, known_units: list[str], known_periods: list[str]
) -> pd.DataFrame:
    """One unit is one unit: names that match a stored one after normalising are
    stored under the stored spelling (and reported in ``attrs["renamed"]``)."""
    renamed = []
    for column, known, period in (
        ("unit", known_units, False),
        ("period", known_periods, True),
    ):
        frame[column] = _each_distinct(frame[column].astype(str), clean_name)
        mapping = match_names(frame[column].unique(), known, period)
        frame[column] = frame[column].replace(mapping)
        renamed += list(mapping.items())
    frame.attrs["renamed"] = renamed
    return frame


def _each_distinct(values: pd.Series, clean) -> pd.Series:
    """``values.map(clean)``, cleaning each distinct value once (2,000 units, 120,000 rows)."""
    distinct = values.unique()
    return values.map(dict(zip(distinct, map(clean, distinct), strict=True)))


def write(
    conn,
    frame: pd.DataFrame,
    clear: Iterable[Key],
    expected: Mapping[Key, float] | None,
    catalog: Catalog,
) -> SaveResult:
    """Write checked rows and clear the ``clear`` keys on ``conn`` (one transaction).

    Units and periods are created as needed. With ``expected`` (the values as
    read, NaN for none) nothing is written if any of them changed since.
    """
    clear = list(dict.fromkeys(clear))
    now = datetime.now(UTC).replace(microsecond=0)
    if expected is not None:
        check_unchanged(conn, expected)
    new_units = labels.ensure_units(conn, frame["unit"].unique())
    new_periods = labels.ensure_periods(conn, frame["period"].unique())
    stored = read(conn, frame["unit"].unique(), frame["period"].unique())
    check_parts(frame, stored, clear, catalog)
    changes = diff(frame, stored).assign(source=frame["source"].to_numpy())
    unit_ids, period_ids = labels.id_map(conn, units), labels.id_map(conn, periods)
    todo = changes[changes["status"] != "不变"]
    columns = zip(  # plain lists: walking pandas' arrays item by item cost 1.5 s a 100,000 rows
        todo["unit"].map(unit_ids).tolist(), todo["period"].map(period_ids).tolist(),
        todo["indicator"].tolist(), todo["new_value"].astype(float).tolist(),
        todo["note"].tolist(), todo["source"].tolist(), strict=True,
    )  # fmt: skip
    params = [
        {"u": u, "p": p, "i": i, "v": v, "n": n, "s": s, "t": now} for u, p, i, v, n, s in columns
    ]
    statuses = todo["status"].tolist()
    added = [row for row, st in zip(params, statuses, strict=True) if st == "新增"]
    changed = [row for row, st in zip(params, statuses, strict=True) if st == "修改"]
    if added:
        conn.execute(_INSERT, added)
    if changed:
        conn.execute(_UPDATE, changed)
    removed = delete(conn, clear)
    return SaveResult(
        len(added),
        len(changed),
        int((changes["status"] == "不变").sum()),
        removed,
        tuple(new_units),
        tuple(new_periods),
    )


def read(conn, units_: Iterable[str] | None, periods_: Iterable[str] | None) -> pd.DataFrame:
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


def check_unique(frame: pd.DataFrame, catalog: Catalog) -> None:
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


def check_parts(
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


def delete(conn, keys: list[Key]) -> int:
    if not keys:
        return 0
    unit_ids, period_ids = labels.id_map(conn, units), labels.id_map(conn, periods)
    ids = [(unit_ids[u], period_ids[p], i) for u, p, i in keys if u in unit_ids and p in period_ids]
    if not ids:
        return 0
    column = tuple_(observations.c.unit_id, observations.c.period_id, observations.c.indicator)
    return conn.execute(observations.delete().where(column.in_(ids))).rowcount or 0


def check_unchanged(conn, expected: Mapping[Key, float]) -> None:
    """Raise ConflictError when a stored value differs from the one read earlier."""
    keys = list(expected)
    stored = read(conn, {k[0] for k in keys}, {k[1] for k in keys}).set_index(
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
