"""A throwaway PostgreSQL cluster for tests: initdb in a temp dir, start, yield a URL, remove.

Uses the server binaries of Debian's ``postgresql`` package (/usr/lib/postgresql/N/bin).
PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the
``postgres`` user the package creates and every server command runs through
``runuser``. Durability is switched off: the cluster lives for one test session.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import free_port

SERVER_USER = "postgres"
# Not UTC on purpose: timestamps must survive a session time zone that differs from UTC.
SERVER_TIMEZONE = "Asia/Shanghai"
START_TIMEOUT = 30


@dataclass(frozen=True)
class PgServer:
    port: int
    log: Path

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of a database in this cluster (psycopg 3 driver)."""
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def dsn(self) -> str:
        """The same for psycopg itself."""
        return self.url().replace("postgresql+psycopg://", "postgresql://")

    def schema_url(self, name: str) -> str:
        """URL whose connections use schema `name` and carry it as their application name."""
        return self.url() + f"?application_name={name}&options=-csearch_path%3D{name}"


_schemas = itertools.count(1)


def _unavailable(reason: str) -> None:
    """Skip without PostgreSQL on a developer machine; in CI (CI=true) fail instead."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(
            f"{reason}: CI must run the PostgreSQL tests (make system-deps, pip install -e .[test])"
        )
    pytest.skip(reason)


@contextmanager
def session_cluster() -> Iterator[PgServer]:
    """The cluster behind the ``pg_server`` fixture: skipped (or failed in CI) without one."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e .[test])")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _unavailable("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    with running_server(bin_dir) as server:
        yield server


@contextmanager
def fresh_schema(server: PgServer, admin, prefix: str = "test") -> Iterator[str]:
    """URL of a new, empty schema (ten times cheaper than CREATE DATABASE); dropped on exit
    together with every connection left open on it. `admin`: an autocommit connection."""
    name = f"{prefix}_{next(_schemas)}"
    admin.execute(f"CREATE SCHEMA {name}")
    try:
        yield server.schema_url(name)
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [name],
        )
        admin.execute(f"DROP SCHEMA {name} CASCADE")


@contextmanager
def fresh_database(server: PgServer, admin, prefix: str = "db") -> Iterator[str]:
    """URL of a new, empty database whose tables go to the default ``public`` schema, as
    a real installation's do (no search_path in the URL); dropped on exit, connections
    left open on it too. `admin`: an autocommit connection."""
    name = f"{prefix}_{next(_schemas)}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server bin dir holding initdb and pg_ctl, if any."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [d for d in found if (d / "pg_ctl").exists()]
    return max(found, key=lambda d: int(d.parent.name), default=None)


@contextmanager
def running_server(bin_dir: Path) -> Iterator[PgServer]:
    """Start a fresh cluster on a free 127.0.0.1 port; stop it and delete it on exit."""
    root = Path(tempfile.mkdtemp(prefix="jianfu-pg-"))
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, SERVER_USER, SERVER_USER)
    data, log = root / "data", root / "server.log"
    server = PgServer(port=free_port(), log=log)
    run = _runner(bin_dir, root, as_root)
    try:
        run("initdb", "-D", data, "-A", "trust", "-U", SERVER_USER, "--encoding=UTF8",
            "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={root}"
            f" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            f" -c timezone={SERVER_TIMEZONE}"
        )
        run("pg_ctl", "start", "-w", "-t", str(START_TIMEOUT), "-D", data, "-l", log, "-o", options)
        try:
            wait_until_ready(server.url())
            yield server
        finally:
            run("pg_ctl", "stop", "-m", "immediate", "-D", data)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _runner(bin_dir: Path, cwd: Path, as_root: bool):
    prefix = ["runuser", "-u", SERVER_USER, "--"] if as_root else []

    def run(tool: str, *args: object) -> None:
        command = [*prefix, str(bin_dir / tool), *map(str, args)]
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        if done.returncode:
            log = cwd / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}{done.stdout}\n{tail}")

    return run


def wait_until_ready(url: str, timeout: float = START_TIMEOUT) -> None:
    """Connect until the server accepts queries (pg_ctl -w already waits; this is the proof)."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(dsn, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
