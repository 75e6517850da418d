"""Connecting to the database: SQLite (embedded default) or PostgreSQL, one code path.

Only SQLAlchemy is imported here, so light pages (the participant self-assessment)
can reach the database without pandas.

Writes go through :func:`writing`. On SQLite it opens the transaction with
``BEGIN IMMEDIATE``: a plain (deferred) transaction that reads and then writes
fails at once with "database is locked" when another writer got in between, and
the busy timeout does not help; taking the write lock first makes writers queue.
The queue is not fair: SQLite's busy handler polls, and a writer that keeps losing
to newcomers can wait out the whole timeout while the others are served (60
processes saving at once on a busy machine: a few waited 30 s). Such a writer asks
again (:data:`LOCK_ATTEMPTS` times) instead of losing the participant's answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

BUSY_SECONDS = 30  # SQLite: how long one attempt waits for another writer
LOCK_ATTEMPTS = 4  # SQLite: attempts at the write lock before "database is locked" is raised


def make_engine(url: str, pooled: bool = True) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys.

    ``pooled=False``: a PostgreSQL connection per use, closed after it — for the
    participant kernels, a room of which would otherwise hold one idle connection
    each (120 people over PostgreSQL's default max_connections of 100).
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: the driver leaves BEGIN to us (see _sqlite_begin)
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith(("postgresql://", "postgres://")):
        # the driver we install is psycopg 3; bare URLs would ask for psycopg2
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not pooled:
        return create_engine(url, poolclass=NullPool)
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on error.

    On SQLite a writer still locked out after :data:`BUSY_SECONDS` tries again, up to
    :data:`LOCK_ATTEMPTS` times; nothing was written by the attempts that failed.
    """
    writer = engine.execution_options(jianfu_write=True)
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        conn = writer.connect()
        try:
            transaction = conn.begin()
            break
        except OperationalError as exc:
            conn.close()
            if attempt == LOCK_ATTEMPTS or "database is locked" not in str(exc.orig):
                raise
    with conn, transaction:
        yield conn


def _sqlite_begin(conn) -> None:
    immediate = conn.get_execution_options().get("jianfu_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: always consistent, fewer fsyncs
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
