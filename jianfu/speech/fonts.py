"""Font schemes for the Word export and what to tell the user about missing fonts.

Apart from word.py so that the page can show the choice without loading python-docx.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class FontScheme:
    label: str
    title: str
    body: str
    heading1: str
    heading2: str
    page: str
    title_bold: bool = False


FONT_SCHEMES = {
    "official": FontScheme(
        "公文标准字体", "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
    ),
    "common": FontScheme("常用字体（Windows 自带）", "宋体", "仿宋", "黑体", "楷体", "宋体", True),
}
# what Word should use where an official font is not installed
FALLBACKS = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
FONT_ENGLISH = {"宋体": "SimSun", "仿宋": "FangSong", "楷体": "KaiTi", "黑体": "SimHei"}


# ---- fonts on this machine -------------------------------------------------


@cache
def installed_fonts() -> frozenset[str] | None:
    """Font family names known to fontconfig here; None where that cannot be told."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def font_note(scheme_name: str) -> str:
    """What to tell the user about the fonts of a scheme."""
    scheme = FONT_SCHEMES.get(scheme_name, FONT_SCHEMES["official"])
    if scheme_name != "official":
        return "使用 Windows 自带的宋体、仿宋、楷体、黑体，任何电脑打开都一样。"
    names = [scheme.title, scheme.body, scheme.heading2]
    fonts = installed_fonts()
    missing = [n for n in names if fonts is not None and n not in fonts]
    fallback = "、".join(f"{n}→{FALLBACKS[n]}" for n in names)
    if missing:
        return (
            f"本机未安装{'、'.join(missing)}：Word 会用替代字体显示（{fallback}）。"
            "可安装公文字体，或改选“常用字体”。"
        )
    return f"使用公文标准字体；电脑未安装时 Word 会用替代字体显示（{fallback}）。"
