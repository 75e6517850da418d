"""Connecting to the database: SQLite (embedded default) or PostgreSQL, one code path.

Only SQLAlchemy is imported here, so light pages (the participant self-assessment)
can reach the database without pandas.

Writes go through :func:`writing`. On SQLite it opens the transaction with
``BEGIN IMMEDIATE``: a plain (deferred) transaction that reads and then writes
fails at once with "database is locked" when another writer got in between, and
the busy timeout does not help; taking the write lock first makes writers queue.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool


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
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith(("postgresql://", "postgres://")):
        # the driver we install is psycopg 3; bare URLs would ask for psycopg2
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not pooled:
        return create_engine(url, poolclass=NullPool)
    return create_engine(url, pool_pre_ping=True)


def writing(engine: Engine):
    """A write transaction (context manager): committed on success, rolled back on error."""
    return engine.execution_options(jianfu_write=True).begin()


def _sqlite_begin(conn) -> None:
    immediate = conn.get_execution_options().get("jianfu_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: always consistent, fewer fsyncs
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
