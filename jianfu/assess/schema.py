"""Tables of the self-assessment, in their own MetaData beside the data store's.

Anonymous by design: a submission is known by a hash of the participant's
browser token (never the token itself), carries the day but no time, and no
name or address. Uniqueness is the database's job: one submission per
``submission_id``, one answer per submission and question.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

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
    Column("comment_hidden", Boolean, nullable=False, default=False),
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
    Column("text", Text),  # comment; chosen problems, one per line
    UniqueConstraint("submission", "item", name="uq_assess_answer"),
)
