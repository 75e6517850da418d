"""Trend charts: lines over periods, one per unit, each point labelled with its value.

The period that first broke 逐年递减/递增 is ringed; thresholds that are a line
(a maximum or minimum) are dashed rules labelled with their level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from ..catalog import Catalog, Indicator
from ..errors import JianfuError
from .pages import Pages, paginate
from .shaping import rollup_notes, trend_breaks, trend_values, unique
from .sizes import SCREEN, ChartSize
from .style import (
    BREAK_COLOR,
    THRESHOLD_COLOR,
    THRESHOLD_DASH,
    UNIT_SHAPES,
    WHOLE_TICKS,
    tooltip,
)

MAX_UNITS = 12  # lines in a trend chart
LINE_RULES = ("max", "min")  # thresholds that are a horizontal line
ZERO_KEEP = 0.5  # a trend axis starts at 0 unless every value is above this share of the top


def trend_pages(
    table: pd.DataFrame,
    catalog: Catalog,
    indicators: Sequence[str] | None = None,
    levels: Iterable[str] | None = None,
    title: str | None = None,
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """Lines over periods, one per unit, each point labelled with its value.

    Parameters
    ----------
    table
        The trend engine's output (:func:`jianfu.compare.trend`): the chart draws
        exactly its rows, so a combined unit is drawn as the table shows it; the
        period that first broke 逐年递减/递增 (``first_break``) is ringed.
    indicators
        Codes to draw, in order; default every indicator of the table.
    levels
        Threshold levels (中央/省/地方/示例) drawn as dashed rules; all when None.

    An axis starts at 0 unless that would flatten the lines (every value above
    half the largest); the axis title then says so.
    """
    periods = list(table.attrs.get("periods") or [])
    if not periods:
        raise JianfuError("请至少选择一个时期")
    codes = unique(table["indicator"]) if indicators is None else list(dict.fromkeys(indicators))
    picked = [_indicator(catalog, code) for code in codes]
    if not picked:
        raise JianfuError("请至少选择一个指标")
    notes: list[str] = []
    all_units = unique(table["unit"])
    if len(all_units) > MAX_UNITS:
        notes.append(f"仅画出前{MAX_UNITS}个单位（共{len(all_units)}个），其余见趋势表")
        all_units = all_units[:MAX_UNITS]
    rows = table[table["unit"].isin(all_units)]
    notes += rollup_notes(rows, picked)
    data = trend_values(rows, picked, periods)
    breaks = trend_breaks(rows)
    if not breaks.empty:
        notes.append("圆圈标出首次未实现逐年递减（或递增）的时期")
    level_set = None if levels is None else set(levels)
    name = title or (f"{picked[0].name}变化趋势" if len(picked) == 1 else "主要指标变化趋势")

    def draw(inds: list[Indicator]) -> alt.TopLevelMixin:
        if len(inds) == 1:
            ind = inds[0]
            chart = _trend_one(data, breaks, ind, periods, all_units, level_set, size).properties(
                width=size.width, height=round(size.width * 0.45)
            )
        else:
            panel_width = (size.width - 60) // 2
            panels = [
                _trend_one(data, breaks, ind, periods, all_units, level_set, size).properties(
                    title=f"{ind.name}（{ind.measure}）",
                    width=panel_width,
                    height=round(panel_width * 0.5),
                )
                for ind in inds
            ]
            chart = alt.concat(*panels, columns=2, spacing=40).resolve_scale(
                color="shared", shape="shared"
            )
        return chart

    return paginate(picked, size.line_panels, draw, name, subtitle, notes, size)


def _trend_one(
    data: pd.DataFrame,
    breaks: pd.DataFrame,
    ind: Indicator,
    periods: list[str],
    units: list[str],
    levels: set[str] | None,
    size: ChartSize,
) -> alt.LayerChart:
    data = data[data["indicator"] == ind.code]
    rules = _threshold_rows(ind, levels)
    values = pd.concat([data["value"], rules["value"]], ignore_index=True).astype(float)
    keep_zero = bool(values.empty or values.min() <= 0 or values.min() < ZERO_KEEP * values.max())
    axis_title = ind.measure if keep_zero else f"{ind.measure}（纵轴未从0开始）"
    x = alt.X(
        "period:N",
        title=None,
        sort=periods,
        scale=alt.Scale(domain=periods, padding=0.3),
        axis=alt.Axis(labelAngle=0),
    )
    y = alt.Y(
        "value:Q",
        title=axis_title,
        scale=alt.Scale(zero=keep_zero, nice=True, padding=size.font),
        axis=alt.Axis(
            **WHOLE_TICKS.get(ind.kind, {}),
            titleAngle=0,
            titleAnchor="end",
            titleAlign="left",
            titleBaseline="bottom",
            titleY=-size.font,
            titleX=-8,
        ),
    )
    # one unit: the title names it, no legend; several: colour and shape in one legend
    legend = alt.Legend(orient="bottom") if len(units) > 1 else None
    color = alt.Color("unit:N", title="单位", scale=alt.Scale(domain=units), legend=legend)
    shapes = UNIT_SHAPES * (len(units) // len(UNIT_SHAPES) + 1)
    shape = alt.Shape(
        "unit:N",
        title="单位",
        scale=alt.Scale(domain=units, range=shapes[: len(units)]),
        legend=legend,
    )
    base = alt.Chart(data).encode(x=x, y=y)
    lines = base.mark_line(strokeWidth=3).encode(color=color, detail="unit:N")
    points = base.mark_point(size=size.font * 6, filled=True, opacity=1).encode(
        color=color,
        shape=shape,
        tooltip=tooltip(("unit", "单位"), ("period", "时期"), ("text", "数值")),
    )
    labels = base.mark_text(dy=-round(size.font * 1.3), fontSize=size.font).encode(
        text="text:N", detail="unit:N"
    )
    layers = [lines, points, labels]
    marked = breaks[breaks["indicator"] == ind.code]
    if not marked.empty:
        layers.append(
            alt.Chart(marked)
            .mark_point(size=size.font * 40, strokeWidth=3, color=BREAK_COLOR, filled=False)
            .encode(x=x, y=y, tooltip=tooltip(("unit", "单位"), ("period", "首次未实现")))
        )
    if not rules.empty:
        rule_base = alt.Chart(rules).encode(y="value:Q")
        layers.append(
            rule_base.mark_rule(color=THRESHOLD_COLOR, strokeDash=THRESHOLD_DASH, size=2).encode(
                tooltip=tooltip(("label", "预警"), ("source", "出处"))
            )
        )
        # Labels sit just right of the plot, where no line can run over them.
        layers.append(
            rule_base.mark_text(
                align="left", baseline="middle", dx=6, color=THRESHOLD_COLOR, fontSize=size.font
            ).encode(x=alt.value("width"), text="label:N")
        )
    return alt.layer(*layers)


def _threshold_rows(ind: Indicator, levels: set[str] | None) -> pd.DataFrame:
    rows = [
        {
            "value": t.value,
            "label": f"{t.level}：{t.describe(ind.measure)}",
            "source": t.source,
        }
        for t in ind.thresholds
        if t.rule in LINE_RULES and t.value is not None and (levels is None or t.level in levels)
    ]
    return pd.DataFrame(rows, columns=["value", "label", "source"])


def _indicator(catalog: Catalog, code: str) -> Indicator:
    ind = catalog.get(code)
    if ind is None:
        raise JianfuError(f"指标目录中没有指标“{code}”")
    return ind
