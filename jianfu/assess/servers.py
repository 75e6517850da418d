"""Where participants go: the address each public server records in the database it serves.

`jianfu serve --public` writes its participant address into the database its
kernels use (one row per address, so two servers on one database are two
rows) and removes it when it stops. The dashboard reads its own database, so a
second public server on another database cannot change the address, and the
QR code it hands out, of the first. A server killed without stopping leaves
its row: the newest start is taken and the page says which server it is.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from ..db import writing
from . import schema
from .store import AssessStore


@dataclass(frozen=True)
class PublicServer:
    url: str
    machine: str
    started_at: datetime


def record(url: str, db_url: str | None = None) -> None:
    """Note that a public server hands out ``url`` for this database (now)."""
    with _store(db_url) as store, writing(store.engine) as conn:
        now = datetime.now(UTC).replace(microsecond=0)
        table = schema.servers
        values = {"machine": socket.gethostname()[:100], "started_at": now}
        done = conn.execute(update(table).where(table.c.url == url).values(**values))
        if not done.rowcount:
            conn.execute(table.insert().values(url=url, **values))


def forget(url: str, db_url: str | None = None) -> None:
    """The server handing out ``url`` has stopped."""
    with _store(db_url) as store, writing(store.engine) as conn:
        conn.execute(delete(schema.servers).where(schema.servers.c.url == url))


def recorded(store: AssessStore) -> list[PublicServer]:
    """Public servers on the store's database, the most recently started first."""
    table = schema.servers
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.started_at.desc(), table.c.id.desc()))
        return [PublicServer(r.url, r.machine, _aware(r.started_at)) for r in rows]


class _store:
    """A store for one call (the CLI's database), disposed of afterwards."""

    def __init__(self, db_url: str | None):
        self.store = AssessStore(db_url)

    def __enter__(self) -> AssessStore:
        return self.store

    def __exit__(self, *exc) -> None:
        self.store.engine.dispose()


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite drops the zone
