"""Where things live: shipped data files, the data directory, the database URL."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = PROJECT_ROOT / "data"
NOTEBOOKS = PROJECT_ROOT / "notebooks"

DATA_DIR_ENV = "JIANFU_DATA_DIR"
DB_URL_ENV = "JIANFU_DB_URL"


def data_dir() -> Path:
    """The folder holding the embedded database and exports (created on demand)."""
    path = Path(os.environ.get(DATA_DIR_ENV) or PROJECT_ROOT / "instance")
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """$JIANFU_DB_URL if set (e.g. PostgreSQL), else SQLite in the data directory."""
    url = os.environ.get(DB_URL_ENV)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'jianfu.sqlite'}"
