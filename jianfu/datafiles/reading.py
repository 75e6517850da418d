"""Reading a data file's bytes and YAML, with Chinese messages for what cannot be read.

Organisations edit these files by hand, so a file that cannot be read is reported
with what it is, its name, and the line and column YAML stumbled on. Strings come
back cleaned (:func:`jianfu.text.clean_text`): a "\\uFFFE" escape in a phrase would
otherwise break every draft exported with it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import JianfuError
from ..text.characters import cleaned_strings

# libyaml's loader where installed: ten times faster on the catalog.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_bytes(path: Path, what: str, error: type[JianfuError] = JianfuError) -> bytes:
    """The file's bytes; ``error`` (“找不到指标目录文件”) when there is no such file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"找不到{what}文件：{path}") from None
    except IsADirectoryError:
        raise error(f"{what}文件“{path}”是一个文件夹") from None


def parse_yaml(raw: bytes, name: str, what: str, error: type[JianfuError] = JianfuError) -> object:
    """The parsed, cleaned contents of a YAML file's bytes; ``error`` for bad encoding or YAML."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{what}文件“{name}”不是UTF-8编码") from None
    try:
        return cleaned_strings(yaml.load(text, Loader=_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise error(f"{what}文件“{name}”{where}格式错误（YAML无法解析）") from None


def read_yaml(path: str | Path, what: str, error: type[JianfuError] = JianfuError) -> object:
    """The parsed contents of ``path``; ``what`` names the file for messages (“指标目录”).

    Raises ``error`` for a missing file, a wrong encoding or broken YAML.
    """
    path = Path(path)
    return parse_yaml(read_bytes(path, what, error), path.name, what, error)
