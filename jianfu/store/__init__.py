"""Persistence: units, periods, custom indicators and observations (SQLite or PostgreSQL)."""

from .schema import OWN_LEVEL, SCHEMA_VERSION, UNIT_LEVELS, UNIT_SCOPES, WITH_SUBORDINATES
from .store import SaveResult, Store

__all__ = [
    "OWN_LEVEL",
    "SCHEMA_VERSION",
    "UNIT_LEVELS",
    "UNIT_SCOPES",
    "WITH_SUBORDINATES",
    "SaveResult",
    "Store",
]
