"""Tables of 问题线索, in their own MetaData and with their own version (``clue_meta``).

Private by construction: no column holds a time of day (dates only), an address,
a name or a code in clear; the reporter is reached only through the digest of
their 查询码, a supervisor is a number and the digest of their code.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from ..versions import version_table
from .model import MAX_SHORT

CLUE_SCHEMA_VERSION = 1

metadata = MetaData()

meta = version_table("clue_meta", metadata)

supervisors = Table(
    "clue_supervisors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", Integer, nullable=False, unique=True),  # shown as 监督员N
    Column("code_digest", String(64), nullable=False, unique=True),
    Column("issued_on", Date, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

clues = Table(
    "clues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code_digest", String(64), nullable=False, unique=True),
    Column("received_on", Date, nullable=False),
    Column("category", String(20), nullable=False),
    Column("imposed_by", String(MAX_SHORT), nullable=False, default=""),
    Column("what", Text, nullable=False),
    Column("happened", String(20), nullable=False, default=""),
    Column("how_often", String(20), nullable=False, default=""),
    Column("hours", Float),
    Column("contact", String(MAX_SHORT), nullable=False, default=""),
    Column("supervisor_id", Integer, ForeignKey("clue_supervisors.id", ondelete="SET NULL")),
    Column("status", String(10), nullable=False),
    Column("finding", String(10), nullable=False, default=""),
    Column("referred_to", String(MAX_SHORT), nullable=False, default=""),
    Column("measures", Text, nullable=False, default=""),
    Column("reply", Text, nullable=False, default=""),
    Column("replied_on", Date),
    Column("merged_into", Integer, ForeignKey("clues.id", ondelete="SET NULL")),
)

events = Table(
    "clue_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clue_id", Integer, ForeignKey("clues.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("from_status", String(10), nullable=False),
    Column("to_status", String(10), nullable=False),
    Column("note", Text, nullable=False),
)

# Each step upgrades the clue tables from the version before it; append, never edit.
MIGRATIONS: dict[int, list[str]] = {}
