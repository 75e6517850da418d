"""Recording the clue tables' version, running missing steps, refusing a newer database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..versions import upgrade
from .model import ClueError
from .schema import CLUE_SCHEMA_VERSION, MIGRATIONS, meta


def migrate(engine: Engine) -> None:
    """A new database gets the version; an older one its missing steps, in one transaction."""
    upgrade(engine, meta, CLUE_SCHEMA_VERSION, _newer, MIGRATIONS)


def _newer(version: int) -> ClueError:
    return ClueError(
        f"问题线索数据的版本（{version}）比本程序（{CLUE_SCHEMA_VERSION}）新，请升级工作簿后再打开"
    )
