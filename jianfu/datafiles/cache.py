"""Validated data files remembered by their bytes and by the code that judged them.

Validation needs pydantic (about 17 MB and 0.2 s to import), too heavy for the
participant page, whose kernels are started by the dozen. So a file is validated
once: the result is written as plain JSON under a key made of the file's bytes,
its name, the model, and the size and time of every module of the package (any
change to the code, including its rules, validates again). A page then reads that
JSON and builds the frozen objects without importing pydantic. The servers warm
the cache before their kernels start (:func:`jianfu.datafiles.check_shipped`).

The folder is $JIANFU_CACHE_DIR, else $XDG_CACHE_HOME/jianfu or ~/.cache/jianfu; when
it cannot be written, files are simply validated every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from .plain import from_plain, to_plain

T = TypeVar("T")
CACHE_ENV = "JIANFU_CACHE_DIR"
KEEP = 400  # cached results kept; the oldest half goes when there are more
_PACKAGE = Path(__file__).resolve().parents[1]
_MEMO: dict[str, object] = {}


def cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base) / "datafiles"
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(home) / "jianfu" / "datafiles"


@cache
def code_stamp() -> str:
    """Every module of the package by path, size and modification time."""
    digest = hashlib.sha256()
    for folder, subfolders, names in os.walk(_PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(folder, name)
            info = os.stat(path)
            digest.update(
                f"{os.path.relpath(path, _PACKAGE)}:{info.st_size}:{info.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


@cache
def _model_stamp(model: type) -> str:
    """The model's name, and its module's size and time when it lives outside the package."""
    name = f"{model.__module__}.{model.__qualname__}"
    source = getattr(sys.modules.get(model.__module__), "__file__", None)
    if source and not Path(source).resolve().is_relative_to(_PACKAGE):
        info = os.stat(source)
        name += f":{info.st_size}:{info.st_mtime_ns}"
    return name


def remember(model: type[T], parts: tuple[bytes | str, ...], build: Callable[[], T]) -> T:
    """The model for ``parts`` (a file's name and bytes): from memory, the cache, or ``build``."""
    digest = hashlib.sha256(f"{code_stamp()}\0{_model_stamp(model)}".encode())
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    key = digest.hexdigest()
    if key in _MEMO:
        return _MEMO[key]
    path = cache_dir() / f"{key[:40]}.json"
    value = _read(model, path)
    if value is None:
        value = build()
        _write(path, to_plain(value))
    _MEMO[key] = value
    return value


def _read(model: type[T], path: Path) -> T | None:
    try:
        return from_plain(model, json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign cache file: validate the data file again
        return None


def _write(path: Path, plain: object) -> None:
    """Write atomically; a cache that cannot be written is no error."""
    import tempfile  # only when something was validated

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune(path.parent)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
        ) as out:
            json.dump(plain, out, ensure_ascii=False)
        os.replace(out.name, path)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the folder small: results of old code and old files pile up otherwise."""
    entries = list(folder.glob("*.json"))
    if len(entries) < KEEP:
        return
    try:
        entries.sort(key=lambda p: p.stat().st_mtime)
    except OSError:  # another process pruned at the same time
        return
    for old in entries[: len(entries) // 2]:
        old.unlink(missing_ok=True)
