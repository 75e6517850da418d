"""Tables of the self-assessment, in their own MetaData beside the data store's.

Anonymous by design: a submission is known by a hash of the participant's
browser token (never the token itself), carries the day but no time, and no
name or address. Uniqueness is the database's job: one submission per
``submission_id``, one answer per submission and question.

Versioned apart from the data store (``assess_meta``); jianfu.assess.migrate
upgrades older databases. Version 2: comments wait for the facilitator
(``comment_state``), chosen options are stored by id, public servers record
their address here (``assess_servers``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
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

from ..versions import version_table

ASSESS_SCHEMA_VERSION = 2
PENDING, SHOWN, HIDDEN = "pending", "shown", "hidden"  # a comment: waiting, released, held back
COMMENT_STATES = (PENDING, SHOWN, HIDDEN)

metadata = MetaData()

meta = version_table("assess_meta", metadata)

sessions = Table(
    "assess_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("title", String(80), nullable=False),
    Column("form", String(40), nullable=False),
    Column("organiser", String(60), nullable=False, default=""),  # 本单位 for the draft hand-off
    Column("is_open", Boolean, nullable=False, default=True),
    Column("round", Integer, nullable=False, default=1),
    Column("ask_role", Boolean, nullable=False, default=True),
    Column("units", Text, nullable=False, default=""),  # one per line; empty: not asked
    Column("results_hidden", Boolean, nullable=False, default=False),
    Column("for_draft", Boolean, nullable=False, default=False),
    Column("created_on", Date, nullable=False),
)

submissions = Table(
    "assess_submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", String(64), nullable=False, unique=True),
    Column(
        "session_id", Integer, ForeignKey("assess_sessions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("round", Integer, nullable=False),
    Column("unit", String(60)),
    Column("role", String(20)),
    Column("day", Date, nullable=False),
    Column("submitted", Boolean, nullable=False, default=False),
    # a comment reaches the projector only once released (shown); an edit sends it back
    Column("comment_state", String(10), nullable=False, server_default=PENDING),
    Column("version", Integer, nullable=False, default=1),  # bumped on every write
)

answers = Table(
    "assess_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "submission",
        Integer,
        ForeignKey("assess_submissions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("item", String(40), nullable=False),
    Column("value", Integer),  # scale 0–5 (0: 不清楚), overall 0–10
    Column("text", Text),  # comment; ids of the chosen problems, one per line
    UniqueConstraint("submission", "item", name="uq_assess_answer"),
)

# The participant address of each public server (`jianfu serve --public`) serving
# this database: the dashboard on the same database hands out this one.
servers = Table(
    "assess_servers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(200), nullable=False, unique=True),
    Column("machine", String(100), nullable=False, default=""),
    Column("started_at", DateTime(timezone=True), nullable=False),
)
