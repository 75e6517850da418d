"""Returned files as they arrive: paths, folders, .zip archives or page uploads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from ..errors import JianfuError

SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_ZIP_BYTES = 200 * 1024 * 1024  # all entries of one archive, unpacked


@dataclass(frozen=True)
class Incoming:
    """One returned file: its name as the user knows it, its bytes, when it was saved."""

    name: str
    data: bytes
    modified: datetime | None = None


def from_paths(paths: Iterable[str | Path]) -> list[Incoming]:
    """Files, folders (searched recursively) and .zip archives, in the order given."""
    found: list[Incoming] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                found += _one_path(child, shown=str(child.relative_to(path)), quiet=True)
        elif path.is_file():
            found += _one_path(path, shown=path.name, quiet=False)
        else:
            raise JianfuError(f"找不到文件或文件夹“{raw}”")
    return found


def from_uploads(items: Iterable[tuple[str, bytes, datetime | None]]) -> list[Incoming]:
    """Page uploads (name, bytes, last modified); a .zip among them is unpacked.

    One upload holds at most MAX_ZIP_BYTES in all, unpacked (as one archive may)."""
    found: list[Incoming] = []
    for name, data, modified in items:
        if name.lower().endswith(".zip"):
            found += from_zip(data, name)
        else:
            found.append(Incoming(name, bytes(data), modified))
        if sum(len(f.data) for f in found) > MAX_ZIP_BYTES:
            raise JianfuError("一次选择的文件合计超过200MB，请分批导入")
    return found


def from_zip(data: bytes, name: str) -> list[Incoming]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise JianfuError(f"“{name}”不是有效的.zip压缩包") from exc
    with archive:
        entries = [i for i in archive.infolist() if _wanted(i.filename) and not i.is_dir()]
        if sum(i.file_size for i in entries) > MAX_ZIP_BYTES:
            raise JianfuError(f"压缩包“{name}”解压后超过200MB，请分批导入")
        return [
            Incoming(f"{name}/{_zip_name(i)}", archive.read(i), datetime(*i.date_time))
            for i in entries
        ]


def _one_path(path: Path, shown: str, quiet: bool) -> list[Incoming]:
    if path.suffix.lower() == ".zip":
        return from_zip(path.read_bytes(), shown)
    if not _wanted(path.name):
        if quiet:
            return []  # a folder may hold other things
        raise JianfuError(f"“{path.name}”不是.xlsx或.csv文件")
    modified = datetime.fromtimestamp(path.stat().st_mtime)
    return [Incoming(shown, path.read_bytes(), modified)]


def _wanted(name: str) -> bool:
    base = PurePosixPath(name).name
    hidden = base.startswith(("~$", ".")) or "__MACOSX" in name
    return not hidden and base.lower().endswith(SUFFIXES)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Entry names written by Chinese Windows tools are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
