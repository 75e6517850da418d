"""Tables of the registers, in their own MetaData and with their own version (``register_meta``).

A row keeps its values as JSON (kinds are data files users extend), with the unit
and the date in columns for selecting a period. ``register_links`` ties a value
written to the store (unit, period, indicator) to the rows it was counted from.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

from ..versions import version_table

REGISTER_SCHEMA_VERSION = 1

metadata = MetaData()

meta = version_table("register_meta", metadata)

rows = Table(
    "register_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False, index=True),  # the kind's code
    Column("unit", String(200), nullable=False, index=True),
    Column("day", Date, nullable=False, index=True),
    Column("data", Text, nullable=False),  # JSON: field code -> value
    Column("source", String(200), nullable=False, default=""),  # 表单 or the imported file
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

links = Table(
    "register_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit", String(200), nullable=False, index=True),
    Column("period", String(100), nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("value", Float, nullable=False),
    Column("row_ids", Text, nullable=False),  # JSON list of register_rows ids
    Column("written_at", DateTime(timezone=True), nullable=False),
)

# Each step upgrades the register tables from the version before it; append, never edit.
MIGRATIONS: dict[int, list[str]] = {}
