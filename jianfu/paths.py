"""Where things live: shipped files (data, notebooks, Voila template), the data directory,
the database URL.

The same code runs from a source checkout (``make app``, an editable install) and
from an installed wheel. A checkout keeps the shipped files in its own folders
(data/, notebooks/, share/jupyter/); the wheel installs copies of them as data files
under ``<prefix>/share/jianfu/`` (setup.py), prefix being the environment's, or the
user's base for ``pip install --user``. The Voila template is shipped under
share/jianfu/jupyter rather than share/jupyter: an editable install copies data files
into the environment, and a copy on Jupyter's own path would shadow the checkout's.
"""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent  # the source checkout, when jianfu runs from one
SHARE = Path("share") / "jianfu"  # under an installation prefix
# Shipped folder -> where it is in a checkout (installed: SHARE / name)
SOURCES = {"data": Path("data"), "notebooks": Path("notebooks"), "jupyter": Path("share/jupyter")}
APP_NAME = "jianfu"

DATA_DIR_ENV = "JIANFU_DATA_DIR"
DB_URL_ENV = "JIANFU_DB_URL"


def in_checkout(root: Path = PROJECT_ROOT) -> bool:
    """Whether jianfu runs from its source tree (not from site-packages)."""
    return (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir()


def installed_share(prefixes: tuple[str, ...] | None = None) -> Path:
    """``<prefix>/share/jianfu`` of the installation holding the wheel's data files."""
    prefixes = prefixes or (sys.prefix, site.USER_BASE or "")
    for prefix in filter(None, prefixes):
        if (Path(prefix) / SHARE).is_dir():
            return Path(prefix) / SHARE
    return Path(sys.prefix) / SHARE


def shipped(name: str) -> Path:
    """The folder of shipped files ``name`` (a key of SOURCES), checkout or installed."""
    if in_checkout():
        return PROJECT_ROOT / SOURCES[name]
    return installed_share() / name


DATA_FILES = shipped("data")
NOTEBOOKS = shipped("notebooks")
TEMPLATE_ROOT = shipped("jupyter")  # a Jupyter data root: voila/templates/jianfu


def user_data_dir() -> Path:
    """The per-user data folder of an installed package (never inside site-packages)."""
    from platformdirs import user_data_dir as platform_data_dir

    return Path(platform_data_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder holding the embedded database and exports (created on demand).

    $JIANFU_DATA_DIR, else ``instance/`` in a checkout, else the per-user folder
    (~/.local/share/jianfu on Linux, $XDG_DATA_HOME/jianfu when that is set).
    """
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        path = Path(env)
    elif in_checkout():
        path = PROJECT_ROOT / "instance"
    else:
        path = user_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """$JIANFU_DB_URL if set (e.g. PostgreSQL), else SQLite in the data directory."""
    url = os.environ.get(DB_URL_ENV)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'jianfu.sqlite'}"
