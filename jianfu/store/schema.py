"""The data tables (SQLAlchemy Core) and their migrations.

SQLite and PostgreSQL share these tables and one code path (see jianfu.db).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ..text.names import MAX_NAME
from ..versions import version_table

SCHEMA_VERSION = 3
UNIT_LEVELS = ("省", "市", "县", "区", "乡镇", "街道", "部门", "局", "派出所", "村", "社区", "其他")
# whether a unit's figures are its own (本级) or include its subordinates' (含下级);
# "" is not stated: counted as 本级, and asked about when a group holds both (schema 3)
OWN_LEVEL, WITH_SUBORDINATES = "本级", "含下级"
UNIT_SCOPES = (OWN_LEVEL, WITH_SUBORDINATES)
OBS_COLUMNS = ["unit", "period", "indicator", "value", "note", "source", "updated_at"]

metadata = MetaData()

meta = version_table("meta", metadata)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    Column("level", String(20), nullable=False, default="其他"),
    Column("parent_id", Integer, ForeignKey("units.id", ondelete="SET NULL")),
    Column("scope", String(10), nullable=False, default="", server_default=""),
)

periods = Table(
    "periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(MAX_NAME), nullable=False, unique=True),
    Column("sort_key", Integer, nullable=False),
)

custom_indicators = Table(
    "custom_indicators",
    metadata,
    Column("code", String(48), primary_key=True),
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    Column("category", String(20), nullable=False),
    Column("measure", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("aggregate", String(10), nullable=False),
    Column("numerator", String(48)),  # a custom ratio's parts (schema 2)
    Column("denominator", String(48)),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("period_id", Integer, ForeignKey("periods.id", ondelete="CASCADE"), nullable=False),
    Column("indicator", String(48), nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("unit_id", "period_id", "indicator", name="uq_observation"),
)

# Each step upgrades a database from the version before it; append, never edit.
MIGRATIONS: dict[int, list[str]] = {
    2: [
        "ALTER TABLE custom_indicators ADD COLUMN numerator VARCHAR(48)",
        "ALTER TABLE custom_indicators ADD COLUMN denominator VARCHAR(48)",
    ],
    3: ["ALTER TABLE units ADD COLUMN scope VARCHAR(10) NOT NULL DEFAULT ''"],
}
