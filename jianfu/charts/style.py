"""How the charts look: fonts, colours, titles and footnotes, value labels.

Readable by everyone: verdict colours differ in lightness as well as hue (they
survive grayscale and red-green colour blindness), worse-than-before bars also
say so in words, trend lines differ by point shape, and a minus sign is the
same hyphen-minus on axes and labels as in the tables. Technical notes (rows
not compared, rows cut) are a footnote under the plot, never across it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..catalog.directions import CHANGED, FLAT, IMPROVED, NEW, WORSENED
from .sizes import ChartSize

# Fonts are resolved by name: vl-convert (PNG/SVG export) and the browser (inline
# SVG in Voila) each take the first one they have.
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"

# Lightness differs as much as hue: 改善 dark blue, 变化 purple, 恶化 orange,
# 持平 light grey (Okabe–Ito-like hues, safe for red-green colour blindness).
VERDICT_COLORS = {
    IMPROVED: "#1d4f91",
    WORSENED: "#f08c28",
    FLAT: "#cfcfcf",
    CHANGED: "#8e6bb0",
    NEW: "#f2d45c",
    "无数据": "#eceff1",
}
WORSE = WORSENED  # said in words beside the bar as well
PERIOD_COLORS = ("#a9b4bd", "#1d4f91")  # before light, after dark: distinct in grayscale
THRESHOLD_COLOR = "#d55e00"
THRESHOLD_DASH = [6, 4]
BREAK_COLOR = "#d55e00"
NOTE_COLOR = "#455a64"
UNIT_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
WHOLE_TICKS = {"count": {"tickMinStep": 1, "format": "d"}}  # no 80.5件 on an axis
# d3's default minus is U+2212; tables and sentences write "-", so axes do too.
NUMBER_LOCALE = {
    "decimal": ".",
    "thousands": "",
    "grouping": [3],
    "currency": ["", ""],
    "minus": "-",
}


def period_color(periods: list[str]) -> alt.Color:
    return alt.Color(
        "period:N",
        title="时期",
        sort=periods,
        scale=alt.Scale(domain=periods, range=list(PERIOD_COLORS)),
        legend=alt.Legend(orient="top"),
    )


def tooltip(*fields: tuple[str, str]) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{field}:N", title=label) for field, label in fields]


def finish(chart, title: str, subtitle: list[str], notes: list[str], size: ChartSize):
    """Title on top, notes as a footnote under the plot; fonts and sizes set once.

    The top chart is made in one step: every altair ``.properties()`` or
    ``.configure_*()`` call deep-copies the whole chart, and a chain of ten of
    them made a page of many panels take seconds to build.
    """
    if notes:
        chart = chart.properties(
            title=alt.TitleParams(
                [("注：" if i == 0 else "　　") + n for i, n in enumerate(notes)],
                orient="bottom",
                anchor="start",
                fontSize=max(12, size.font - 3),
                fontWeight="normal",
                color=NOTE_COLOR,
                offset=size.font,
                limit=max(size.width, 400),
            )
        )
    params = {"text": title, "anchor": "start"}
    if subtitle:
        params["subtitle"] = subtitle
    return alt.vconcat(chart, title=alt.TitleParams(**params), config=_config(size))


def _config(size: ChartSize) -> alt.Config:
    """Fonts, sizes and the minus sign of every chart."""
    return alt.Config(
        font=FONT,
        padding=16,
        locale={"number": NUMBER_LOCALE},
        title=alt.TitleConfig(
            fontSize=size.title,
            subtitleFontSize=size.font,
            subtitleColor=NOTE_COLOR,
            offset=12,
            limit=0,
        ),
        axis=alt.AxisConfig(labelFontSize=size.font, titleFontSize=size.font + 1, grid=False),
        legend=alt.LegendConfig(
            labelFontSize=size.font, titleFontSize=size.font, symbolSize=size.font * 12
        ),
        header=alt.HeaderConfig(
            labelFontSize=size.font + 1, titleFontSize=size.font + 1, labelLimit=260
        ),
        concat=alt.CompositionConfig(spacing=size.font),
        view=alt.ViewConfig(stroke=None),
    )


def bar_labels(base: alt.Chart, text: str, value, size: ChartSize) -> list[alt.Chart]:
    """Labels outside the bar end: right of positive bars, left of negative ones."""
    return [
        base.mark_text(align=align, dx=dx, fontSize=size.font)
        .encode(text=f"{text}:N")
        .transform_filter(test)
        for align, dx, test in (("left", 4, value >= 0), ("right", -4, value < 0))
    ]


def label_room(values: pd.Series, room: float = 0.3) -> tuple[float, float]:
    """An x domain from 0 to the extremes, with room beyond a bar's end for its label."""
    if not len(values):
        return -1.0, 1.0
    lowest, highest = min(0.0, float(values.min())), max(0.0, float(values.max()))
    span = (highest - lowest) or 1.0
    return (lowest - span * room if lowest < 0 else 0.0), (
        highest + span * room if highest > 0 else 0.0
    )
