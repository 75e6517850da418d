"""Traditional Chinese output through OpenCC (s2t, s2tw, s2hk).

The draft stays in Simplified Chinese; preview and exports are converted on the
way out. Converters are built once per configuration (building one reads
OpenCC's dictionaries).
"""

from __future__ import annotations

from functools import cache

from ..errors import JianfuError

SCRIPTS = {"s2t": "繁体（OpenCC 标准）", "s2tw": "繁体（台湾）", "s2hk": "繁体（香港）"}


@cache
def _converter(script: str):
    import opencc  # imported on first use: the page opens without it

    return opencc.OpenCC(f"{script}.json")


def convert(text: str, script: str | None) -> str:
    """``text`` in ``script`` (s2t, s2tw, s2hk); empty or None leaves it Simplified."""
    if not script:
        return text
    if script not in SCRIPTS:
        raise JianfuError(f"繁体转换方式“{script}”无效，应为：{'、'.join(SCRIPTS)}")
    return _converter(script).convert(text)
