"""Recording the register tables' version, running missing steps, refusing a newer database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..versions import upgrade
from .model import RegisterError
from .schema import MIGRATIONS, REGISTER_SCHEMA_VERSION, meta


def migrate(engine: Engine) -> None:
    """A new database gets the version; an older one its missing steps, in one transaction."""
    upgrade(engine, meta, REGISTER_SCHEMA_VERSION, _newer, MIGRATIONS)


def _newer(version: int) -> RegisterError:
    return RegisterError(
        f"台账数据的版本（{version}）比本程序（{REGISTER_SCHEMA_VERSION}）新，请升级工作簿后再打开"
    )
