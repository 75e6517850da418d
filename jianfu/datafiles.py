"""Reading the workbook's YAML data files (catalog, phrase bank, genres, questionnaires).

Organisations edit these files by hand, so a file that cannot be read is reported
in Chinese with what it is, its name, and the line and column YAML stumbled on.
Strings come back cleaned (:func:`jianfu.text.characters.clean_text`): a "\\uFFFE" escape in a
phrase would otherwise break every draft exported with it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import JianfuError
from .text.characters import cleaned_strings

# libyaml's loader where installed: ten times faster on the catalog, which every
# page reads as it opens.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path, what: str, error: type[JianfuError] = JianfuError) -> object:
    """The parsed contents of ``path``; ``what`` names the file for messages (“指标目录”).

    Raises ``error`` for a missing file, a wrong encoding or broken YAML.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"找不到{what}文件：{path}") from None
    except UnicodeDecodeError:
        raise error(f"{what}文件“{path.name}”不是UTF-8编码") from None
    try:
        return cleaned_strings(yaml.load(text, Loader=_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise error(f"{what}文件“{path.name}”{where}格式错误（YAML无法解析）") from None
