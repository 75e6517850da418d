"""Units and periods inside a transaction: create once, rename, delete, count values.

Functions take an open connection so the store can combine them with other
writes in one transaction. Creating is idempotent under concurrency (INSERT …
ON CONFLICT DO NOTHING on SQLite and PostgreSQL): two imports that both bring a
new town create it once, and neither fails.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from ..errors import JianfuError
from ..text.characters import clean_name
from ..text.periods import period_sort_key
from .schema import MAX_NAME, observations, periods, units

UNIT_FIELD, PERIOD_FIELD = "单位名称", "时期名称"
_LATER = 100000  # sort keys of labels that are not years start above every year's key


def checked_name(value: object, field: str) -> str:
    """A unit name or period label as stored, or a Chinese refusal naming the field."""
    text = clean_name(value)
    if not text:
        raise JianfuError(f"{field}不能为空")
    if len(text) > MAX_NAME:
        raise JianfuError(f"{field}过长（最多{MAX_NAME}个字）：“{text[:20]}……”")
    return text


def id_of(conn: Connection, table: Table, name: str) -> int | None:
    return conn.execute(select(table.c.id).where(_label(table) == name)).scalar()


def id_map(conn: Connection, table: Table) -> dict[str, int]:
    return {name: id_ for id_, name in conn.execute(select(table.c.id, _label(table)))}


def ensure_units(conn: Connection, names: Iterable[str]) -> list[str]:
    """Create the units not there yet (level 其他, no parent); returns those created."""
    known = id_map(conn, units)
    new = list(dict.fromkeys(n for n in names if n not in known))
    rows = [{"name": checked_name(n, UNIT_FIELD), "level": "其他"} for n in new]
    return _insert_missing(conn, units, rows, "name")


def ensure_periods(conn: Connection, labels: Iterable[str]) -> list[str]:
    """Create the periods not there yet; years sort by year, other labels after them."""
    known = id_map(conn, periods)
    new = [checked_name(p, PERIOD_FIELD) for p in dict.fromkeys(labels) if p not in known]
    top = max(conn.execute(select(func.max(periods.c.sort_key))).scalar() or 0, _LATER)
    rows = []
    for label in new:
        key = period_sort_key(label)
        if key is None:
            top += 1
            key = top
        rows.append({"label": label, "sort_key": key})
    return _insert_missing(conn, periods, rows, "label")


def rename(conn: Connection, table: Table, old: str, new: str, field: str) -> str:
    """Give a unit or period a new name; its values go with it."""
    new = checked_name(new, field)
    row_id = id_of(conn, table, old)
    if row_id is None:
        raise JianfuError(f"{field[:2]}“{old}”不存在")
    if new != old and id_of(conn, table, new) is not None:
        raise JianfuError(f"{field[:2]}“{new}”已存在，不能重名；如要合并，请先导出数据再导入")
    conn.execute(table.update().where(table.c.id == row_id).values({_label(table).key: new}))
    return new


def delete(conn: Connection, table: Table, name: str, field: str) -> int:
    """Delete a unit or period with all its values; returns how many values went."""
    row_id = id_of(conn, table, name)
    if row_id is None:
        raise JianfuError(f"{field[:2]}“{name}”不存在")
    gone = value_count(conn, table, name)
    column = observations.c.unit_id if table is units else observations.c.period_id
    conn.execute(observations.delete().where(column == row_id))
    if table is units:  # children keep their data and become top-level units
        conn.execute(units.update().where(units.c.parent_id == row_id).values(parent_id=None))
    conn.execute(table.delete().where(table.c.id == row_id))
    return gone


def value_count(conn: Connection, table: Table, name: str) -> int:
    """How many values a unit or a period holds (what a deletion would take with it)."""
    column = observations.c.unit_id if table is units else observations.c.period_id
    query = (
        select(func.count())
        .select_from(observations.join(table, column == table.c.id))
        .where(_label(table) == name)
    )
    return int(conn.execute(query).scalar() or 0)


def _label(table: Table):
    return table.c.name if table is units else table.c.label


def _insert_missing(conn: Connection, table: Table, rows: list[dict], key: str) -> list[str]:
    """Insert rows whose ``key`` is not taken yet; returns the keys this call inserted."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c[key])
    created: list[str] = []
    for row in rows:  # one statement per row: RETURNING with executemany is not portable
        created += [r[0] for r in conn.execute(statement, row)]
    return created
