"""Which database a URL names, said the way the tools that copy it need it.

SQLite: the file's path (the online backup API works on the file). PostgreSQL: a
libpq connection string for pg_dump/pg_restore with the password passed in the
environment (never on a command line others can read), and the schema when the
URL pins one with ``options=-csearch_path=...``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ..errors import JianfuError

_SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*([A-Za-z_][A-Za-z0-9_]*)")


class OpsError(JianfuError):
    """A backup, restore or health check that cannot go on; the message says why."""


@dataclass(frozen=True)
class Target:
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgresql", "postgres:"))

    @property
    def shown(self) -> str:
        """The URL with its password masked, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path:
        path = self.url.split("///", 1)[-1].split("?", 1)[0]
        if not path or path == ":memory:":
            raise OpsError("内存数据库无法备份或恢复，请指定数据库文件")
        return Path(path)

    def libpq(self) -> tuple[str, dict[str, str]]:
        """(connection string without the password, environment holding it)."""
        url = make_url(self.url)
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        dsn = url.set(drivername="postgresql", password=None)
        return dsn.render_as_string(hide_password=False), env

    def pg_schema(self) -> str | None:
        """The schema a ``search_path`` option in the URL pins, if any."""
        options = make_url(self.url).query.get("options") or ""
        if isinstance(options, tuple):
            options = " ".join(options)
        found = _SEARCH_PATH.search(options)
        return found.group(1) if found else None


def target(url: str) -> Target:
    found = Target(url)
    if not (found.is_sqlite or found.is_postgres):
        raise OpsError(f"只能备份和恢复 SQLite 或 PostgreSQL 数据库，当前地址为：{found.shown}")
    return found
