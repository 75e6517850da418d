"""Bringing an older database up to this version's schema, and refusing a newer one.

A database records its schema version in ``meta``; opening it runs the missing
steps of :data:`.schema.MIGRATIONS` in one transaction. Opening a current database
writes nothing.
"""

from __future__ import annotations

import re

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from ..db import writing
from ..errors import JianfuError
from .schema import MIGRATIONS, SCHEMA_VERSION, meta

_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", re.IGNORECASE)


def migrate(engine: Engine) -> None:
    """Record the version of a new database, or run the steps an older one lacks."""
    with writing(engine) as conn:
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
            meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )


def _already_there(conn, statement: str) -> bool:
    """An added column that exists already: its table was created by this version's
    schema (a database older than the table itself), so there is nothing to add."""
    found = _ADD_COLUMN.match(statement)
    if not found:
        return False
    table, column = found.groups()
    return column in {c["name"] for c in inspect(conn).get_columns(table)}
