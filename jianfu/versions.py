"""Each part of a workbook database (data, 自评, 问题线索, 填报任务, 台账) keeps its schema
version in its own small key/value table; jianfu.ops.versions reads them all for backups.

One table shape and one upgrade rule for every part: a new database records the version,
an older one runs its missing steps in one transaction, a newer one is refused (this
program could not read it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from .db import writing

VERSION_KEY = "schema_version"


def version_table(name: str, metadata: MetaData) -> Table:
    return Table(
        name,
        metadata,
        Column("key", String(40), primary_key=True),
        Column("value", String(200), nullable=False),
    )


def upgrade(
    engine: Engine,
    meta: Table,
    current: int,
    refuse: Callable[[int], Exception],
    steps: Mapping[int, Sequence[str]] | None = None,
) -> None:
    """Bring the part's tables (already created) to ``current``; ``refuse(version)`` is the
    error for a newer database. Opening a current database writes nothing."""
    where = meta.c.key == VERSION_KEY
    with engine.connect() as conn:
        found = conn.execute(select(meta.c.value).where(where)).scalar()
    if found is not None and int(found) == current:
        return
    with writing(engine) as conn:
        found = conn.execute(select(meta.c.value).where(where)).scalar()  # under the lock
        version = current if found is None else int(found)
        if version > current:
            raise refuse(version)
        for step in range(version + 1, current + 1):
            for statement in (steps or {}).get(step, []):
                conn.exec_driver_sql(statement)
        if found is None:
            conn.execute(meta.insert().values(key=VERSION_KEY, value=str(current)))
        elif version != current:
            conn.execute(meta.update().where(where).values(value=str(current)))


def open_part(engine: Engine, metadata: MetaData, migrate: Callable[[Engine], None]) -> None:
    """Create a part's tables and bring them up to date. Many kernels may open a fresh
    database at once: the loser of a CREATE TABLE race tries again and finds them there."""
    for attempt in range(5):
        try:
            metadata.create_all(engine)
            migrate(engine)
            return
        except DBAPIError:  # OperationalError and IntegrityError are DBAPIErrors
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
