"""Upgrading the 自评 tables of an existing database, once, by whoever opens it first.

Version 1 (the first release) had no version row, a ``comment_hidden`` flag (a
comment was public unless hidden) and chosen options stored by their wording.
Version 2 moderates comments (``comment_state``: waiting until released; those
not hidden before wait too) and stores options by id. A stored choice that
matches no option of its form is kept as it was: the dashboard reports it.

Every kernel of a room opens the store: a current database costs one SELECT.
"""

from __future__ import annotations

from sqlalchemy import inspect, select, update
from sqlalchemy.engine import Connection, Engine

from ..db import writing
from ..errors import JianfuError
from . import schema
from .questionnaire import QuestionnaireError, load_questionnaire

VERSION_KEY = "schema_version"
LOCK_ID = 4_171_717  # PostgreSQL advisory lock: one migrating process at a time


def schema_version(conn: Connection) -> int:
    """The stored version; 0 when none is stored yet (a new or a first-release database)."""
    value = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == VERSION_KEY)
    ).scalar()
    return int(value) if value else 0


def migrate(engine: Engine) -> None:
    """Bring the tables (already created) to ASSESS_SCHEMA_VERSION."""
    with engine.connect() as conn:
        version = schema_version(conn)
    if version == schema.ASSESS_SCHEMA_VERSION:
        return
    _too_new(version)
    with writing(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_ID})")
        version = schema_version(conn)  # again, under the write lock
        if version == schema.ASSESS_SCHEMA_VERSION:
            return
        _too_new(version)
        _moderated_comments(conn)
        _options_by_id(conn)
        if version:
            conn.execute(
                update(schema.meta)
                .where(schema.meta.c.key == VERSION_KEY)
                .values(value=str(schema.ASSESS_SCHEMA_VERSION))
            )
        else:
            conn.execute(
                schema.meta.insert().values(
                    key=VERSION_KEY, value=str(schema.ASSESS_SCHEMA_VERSION)
                )
            )


def _too_new(version: int) -> None:
    if version > schema.ASSESS_SCHEMA_VERSION:
        raise JianfuError(
            f"自评数据的版本（{version}）比本程序（{schema.ASSESS_SCHEMA_VERSION}）新，"
            "请升级工作簿后再打开"
        )


def _moderated_comments(conn: Connection) -> None:
    """comment_hidden -> comment_state: hidden stays hidden, the rest waits for release."""
    columns = {c["name"] for c in inspect(conn).get_columns("assess_submissions")}
    if "comment_hidden" not in columns:
        return
    if "comment_state" not in columns:
        conn.exec_driver_sql(
            "ALTER TABLE assess_submissions ADD COLUMN comment_state VARCHAR(10) "
            f"NOT NULL DEFAULT '{schema.PENDING}'"
        )
    conn.exec_driver_sql(
        f"UPDATE assess_submissions SET comment_state = CASE WHEN comment_hidden "
        f"THEN '{schema.HIDDEN}' ELSE '{schema.PENDING}' END"
    )
    conn.exec_driver_sql("ALTER TABLE assess_submissions DROP COLUMN comment_hidden")


def _options_by_id(conn: Connection) -> None:
    """Chosen problems stored by wording become their option ids (unknown ones stay)."""
    sub, ans = schema.submissions, schema.answers
    for session_pk, form_name in conn.execute(
        select(schema.sessions.c.id, schema.sessions.c.form)
    ).all():
        try:
            form = load_questionnaire(form_name)
        except QuestionnaireError:
            continue  # the form file is gone: its answers stay as stored, and are reported
        if form.problems is None:
            continue
        rows = conn.execute(
            select(ans.c.id, ans.c.text)
            .join(sub, sub.c.id == ans.c.submission)
            .where(sub.c.session_id == session_pk, ans.c.item == form.problems.id)
        ).all()
        for pk, text in rows:
            chosen = [line for line in (text or "").split("\n") if line]
            now = "\n".join(form.problems.resolve(line) or line for line in chosen)
            if now != text:
                conn.execute(update(ans).where(ans.c.id == pk).values(text=now))
