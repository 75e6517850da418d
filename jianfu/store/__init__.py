"""Persistence: units, periods, custom indicators and observations (SQLite or PostgreSQL)."""

from .observations import ConflictError, SaveResult
from .schema import OWN_LEVEL, SCHEMA_VERSION, UNIT_LEVELS, UNIT_SCOPES, WITH_SUBORDINATES
from .store import Store

__all__ = [
    "OWN_LEVEL",
    "SCHEMA_VERSION",
    "UNIT_LEVELS",
    "UNIT_SCOPES",
    "WITH_SUBORDINATES",
    "ConflictError",
    "SaveResult",
    "Store",
]
