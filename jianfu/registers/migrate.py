"""Recording the register tables' version, running missing steps, refusing a newer database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ..db import writing
from .model import RegisterError
from .schema import MIGRATIONS, REGISTER_SCHEMA_VERSION, meta

VERSION_KEY = "schema_version"


def migrate(engine: Engine) -> None:
    """A new database gets the version; an older one its missing steps, in one transaction."""
    with engine.connect() as conn:
        found = conn.execute(select(meta.c.value).where(meta.c.key == VERSION_KEY)).scalar()
    if found is not None and int(found) == REGISTER_SCHEMA_VERSION:
        return  # opening a current database writes nothing
    with writing(engine) as conn:
        found = conn.execute(select(meta.c.value).where(meta.c.key == VERSION_KEY)).scalar()
        version = REGISTER_SCHEMA_VERSION if found is None else int(found)
        if version > REGISTER_SCHEMA_VERSION:
            raise RegisterError(
                f"台账数据的版本（{version}）比本程序（{REGISTER_SCHEMA_VERSION}）新，"
                "请升级工作簿后再打开"
            )
        for step in range(version + 1, REGISTER_SCHEMA_VERSION + 1):
            for statement in MIGRATIONS.get(step, []):
                conn.exec_driver_sql(statement)
        if found is None:
            conn.execute(meta.insert().values(key=VERSION_KEY, value=str(REGISTER_SCHEMA_VERSION)))
        else:
            conn.execute(
                meta.update()
                .where(meta.c.key == VERSION_KEY)
                .values(value=str(REGISTER_SCHEMA_VERSION))
            )
