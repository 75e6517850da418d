"""Tables of 填报任务 (collection rounds), in their own MetaData beside the data store's.

Self-contained on purpose: the tables are created when a :class:`~.rounds.Collect`
opens a store (like the self-assessment's), and their version is kept in their
own ``collect_meta`` table (as every part's is: jianfu.ops.versions reads them all),
so the data store's schema steps are not touched. Units are referred to by id: renaming a unit keeps its rounds, deleting
it removes it from them.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ..store.schema import units
from ..text.names import MAX_NAME
from ..versions import version_table

COLLECT_SCHEMA_VERSION = 1

metadata = MetaData()

meta = version_table("collect_meta", metadata)

groups = Table(  # 指标组: a reusable set of indicators, e.g. 七减监测指标
    "collect_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    Column("indicators", Text, nullable=False),  # codes, comma-separated, in order
)

sites = Table(  # 监测点 lists: named lists of units
    "collect_sites",
    metadata,
    Column("list", String(MAX_NAME), primary_key=True),
    Column("unit_id", Integer, ForeignKey(units.c.id, ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)

rounds = Table(  # 填报任务
    "collect_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(32), nullable=False, unique=True),  # written into templates
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    Column("period", String(MAX_NAME), nullable=False),
    Column("indicators", Text, nullable=False),
    Column("group_name", String(MAX_NAME), nullable=False, default=""),
    Column("due", Date),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

round_units = Table(
    "collect_round_units",
    metadata,
    Column("round_id", Integer, ForeignKey(rounds.c.id, ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Integer, ForeignKey(units.c.id, ondelete="CASCADE"), primary_key=True),
    Column("key", String(16), nullable=False),  # the unit's key in its template
    Column("position", Integer, nullable=False),
    UniqueConstraint("round_id", "key", name="uq_round_unit_key"),
)

submissions = Table(  # each accepted file, newest last
    "collect_submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey(rounds.c.id, ondelete="CASCADE"), nullable=False),
    Column("unit_id", Integer, ForeignKey(units.c.id, ondelete="CASCADE"), nullable=False),
    Column("file", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("indicators", Text, nullable=False),  # codes the file gave values for
    Column("added", Integer, nullable=False, default=0),
    Column("changed", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
)
