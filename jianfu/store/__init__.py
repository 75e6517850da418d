"""Persistence: units, periods, custom indicators and observations (SQLite or PostgreSQL)."""

from .schema import SCHEMA_VERSION, UNIT_LEVELS
from .store import SaveResult, Store

__all__ = ["SCHEMA_VERSION", "UNIT_LEVELS", "SaveResult", "Store"]
