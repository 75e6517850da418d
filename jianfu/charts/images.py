"""Charts to PNG/SVG through vl-convert, and to static SVG markup for offline pages.

vl-convert draws text with the fonts it knows; without a CJK font every Chinese
character comes out as a box or not at all, with no error. So before the first
PNG export we register the CJK font folders we can find and check that two
different Chinese strings really render differently, and refuse with a clear
message otherwise.

Every string in a specification is cleaned of characters an SVG cannot hold
(:func:`jianfu.text.characters.clean_text`) before vl-convert sees it: a C0 control
character, U+FFFE or U+FFFF in a unit name makes its SVG parser panic, which
aborts the whole process rather than raising.

Neither altair nor vl_convert is imported at module level: pages that only show
tables do not pay for them.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import JianfuError
from ..paths import DATA_FILES
from ..text.characters import cleaned_strings

if TYPE_CHECKING:
    import altair as alt

    ChartLike = alt.TopLevelMixin | dict[str, Any]
else:
    ChartLike = Any

FONT_DIR_ENV = "JIANFU_FONT_DIR"
PROJECT_FONT_DIR = DATA_FILES / "fonts"
SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",  # Arch
    "/usr/share/fonts/google-noto-cjk",  # Fedora
    "/usr/share/fonts/opentype/source-han-sans",
    "/usr/share/fonts/truetype/wqy",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)
CJK_FONT_FILE = re.compile(
    r"^(NotoSans(Mono)?CJK|NotoSerifCJK|NotoSans(SC|TC|HK|JP)|SourceHan|msyh|simhei|simsun|"
    r"simkai|simfang|PingFang|STHeiti|Hiragino Sans GB|wqy)",
    re.IGNORECASE,
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
PNG_SCALE = 2.0
VEGA_DEFAULT_FONT = "sans-serif"

NO_CJK_FONT = (
    "未找到可用的中文字体，导出的图片中文字会显示为方框或空白，已停止导出。"
    "请安装思源黑体/Noto Sans CJK（Debian/Ubuntu：sudo apt install fonts-noto-cjk），"
    f"或把中文字体文件放入 {PROJECT_FONT_DIR} 文件夹，"
    f"或设置环境变量 {FONT_DIR_ENV} 指向存放中文字体的文件夹，然后重新启动程序。"
)


def to_png(
    chart: ChartLike, scale: float = PNG_SCALE, canvas: tuple[int, int] | None = None
) -> bytes:
    """PNG bytes at ``scale`` × the chart's pixel size (2 gives slide resolution).

    With ``canvas`` (logical px), the picture is exactly ``canvas`` × ``scale``
    pixels: the chart is centred on a white canvas, shrunk only if it does not fit.

    Raises
    ------
    JianfuError
        when no CJK font can be used, rather than exporting boxes.
    """
    spec = _spec(chart)
    ensure_cjk_font(spec.get("config", {}).get("font") or VEGA_DEFAULT_FONT)
    vlc = _vl_convert()
    if canvas is None:
        return vlc.vegalite_to_png(spec, vl_version=_vl_version(spec), scale=scale)
    return vlc.svg_to_png(to_svg(spec, canvas), scale=scale)


def to_svg(chart: ChartLike, canvas: tuple[int, int] | None = None) -> str:
    """SVG text; Chinese stays text, drawn by the viewer's fonts by name.

    Needs no CJK font on this machine, but layout is measured better with one,
    so font folders are registered when found. ``canvas`` as for :func:`to_png`.
    """
    register_font_dirs()
    vlc = _vl_convert()
    spec = _spec(chart)
    svg = vlc.vegalite_to_svg(spec, vl_version=_vl_version(spec))
    return svg if canvas is None else fit_canvas(svg, canvas)


def fit_canvas(svg: str, canvas: tuple[int, int]) -> str:
    """Centre an SVG on a white canvas of exactly ``canvas`` px, shrinking it to fit."""
    width, height = svg_size(svg)
    cw, ch = canvas
    k = min(1.0, cw / width, ch / height)
    w, h = width * k, height * k
    x, y = (cw - w) / 2, (ch - h) / 2
    opening = re.match(r"<svg\b[^>]*>", svg)
    tag = re.sub(r'\s(width|height|x|y)="[^"]*"', "", opening.group(0))
    tag = tag.replace("<svg", f'<svg x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"', 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{cw}" height="{ch}" '
        f'viewBox="0 0 {cw} {ch}"><rect width="{cw}" height="{ch}" fill="white"/>'
        f"{tag}{svg[opening.end() :]}</svg>"
    )


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of an SVG as vl-convert writes it (attributes on the root)."""
    opening = re.match(r"<svg\b[^>]*>", svg)
    if opening is None:
        raise JianfuError("图表没有生成有效的SVG")
    found = dict(re.findall(r'\s(width|height)="([\d.]+)"', opening.group(0)))
    return float(found.get("width", 0)) or 1.0, float(found.get("height", 0)) or 1.0


def chart_svg_html(chart: ChartLike) -> str:
    """Static SVG markup for an ipywidgets ``HTML`` value: no JavaScript, no network.

    The SVG shrinks to the width of its container, and any element ids get a
    prefix unique to this call so several charts on one page cannot clash.
    """
    svg = to_svg(chart)
    svg = _unique_ids(svg, f"jf{next(_SVG_COUNTER)}-")
    return f'<div class="jianfu-chart">{svg}</div>'


def chart_bytes(chart: ChartLike, kind: str, size=None) -> bytes:
    """A chart as .png or .svg file content at a ChartSize (its canvas and scale)."""
    canvas = getattr(size, "canvas", None)
    if kind == "png":
        return to_png(chart, scale=getattr(size, "scale", PNG_SCALE), canvas=canvas)
    if kind == "svg":
        return to_svg(chart, canvas).encode("utf-8")
    raise JianfuError(f"不支持的图片格式“{kind}”，请使用 .png 或 .svg")


def save_chart(chart: ChartLike, path: str | Path, scale: float = PNG_SCALE, size=None) -> Path:
    """Write a chart to ``path`` as .png or .svg (by suffix), at ``size`` when given."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise JianfuError(f"不支持的图片格式“{path.suffix}”，请使用 .png 或 .svg")
    if size is None and kind == "png":
        path.write_bytes(to_png(chart, scale=scale))
    else:
        path.write_bytes(chart_bytes(chart, kind, size))
    return path


def page_paths(path: str | Path, count: int) -> list[Path]:
    """Where the pages of a split chart go: chart.png, or chart_1.png, chart_2.png, …"""
    path = Path(path)
    if count <= 1:
        return [path]
    return [path.with_name(f"{path.stem}_{i + 1}{path.suffix}") for i in range(count)]


def find_cjk_font_dirs(candidates: list[Path] | None = None) -> list[Path]:
    """Folders (not searched recursively) that hold a CJK font file, in priority order."""
    if candidates is None:
        candidates = _candidate_dirs()
    found = []
    for folder in candidates:
        if folder.is_dir() and any(_is_cjk_font(f) for f in folder.iterdir()):
            found.append(folder)
    return found


@functools.cache
def register_font_dirs() -> tuple[Path, ...]:
    """Register the CJK font folders with vl-convert, once per process."""
    vlc = _vl_convert()
    found = find_cjk_font_dirs()
    for folder in found:
        vlc.register_font_directory(str(folder))
    return tuple(found)


@functools.cache
def ensure_cjk_font(family: str = "Noto Sans CJK SC") -> None:
    """Make sure vl-convert draws Chinese in ``family`` (a CSS font list).

    Cached only on success (functools.cache does not keep exceptions), so a retry
    after installing a font checks again.

    The check renders two different Chinese strings: with a missing font both come
    out as the same boxes (or nothing) and the images are byte-identical.
    """
    register_font_dirs()
    first, second = (_probe_png(text, family) for text in ("减负", "成效"))
    if first == second:
        raise JianfuError(NO_CJK_FONT)


_SVG_COUNTER = itertools.count(1)


def _probe_png(text: str, family: str) -> bytes:
    spec = {
        "data": {"values": [{}]},
        "mark": {"type": "text", "font": family, "fontSize": 24},
        "encoding": {"text": {"value": text}},
        "config": {"view": {"stroke": None}},
        "width": 60,
        "height": 30,
    }
    return _vl_convert().vegalite_to_png(spec, scale=1)


def _candidate_dirs() -> list[Path]:
    dirs = []
    if os.environ.get(FONT_DIR_ENV):
        dirs.append(Path(os.environ[FONT_DIR_ENV]))
    dirs.append(PROJECT_FONT_DIR)
    dirs += [Path(d).expanduser() for d in SYSTEM_FONT_DIRS]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return dirs


def _is_cjk_font(path: Path) -> bool:
    return path.suffix.lower() in FONT_SUFFIXES and bool(CJK_FONT_FILE.match(path.name))


def _spec(chart: ChartLike) -> dict[str, Any]:
    # The builders' specs are validated by the tests; skipping altair's schema check
    # here saves a few hundred ms on every chart a page draws.
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return cleaned_strings(spec)


def _vl_version(spec: dict[str, Any]) -> str | None:
    """“6.4” from the spec's $schema when vl-convert bundles it, else its default."""
    match = re.search(r"/v(\d+)\.(\d+)", str(spec.get("$schema", "")))
    if not match:
        return None
    version = f"{match[1]}.{match[2]}"
    return version if version in _vl_convert().get_vegalite_versions() else None


def _unique_ids(svg: str, prefix: str) -> str:
    ids = re.findall(r'\bid="([^"]+)"', svg)
    for name in sorted(set(ids), key=len, reverse=True):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return svg


def _vl_convert():
    import vl_convert

    return vl_convert
