"""Bar charts of a comparison: before/after panels, percent change, categories, ranking.

Pure functions from the engine's output to :class:`~.pages.Pages`; nothing is
displayed or rendered here (PNG/SVG export is in :mod:`.images`). User text (unit,
indicator and period names) travels only as data values, titles or sort lists,
which vega treats as literal strings; filtering is done in pandas.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ..catalog import CATEGORIES
from ..errors import JianfuError
from ..numbers.format import fmt_signed
from .pages import Pages, paginate
from .shaping import (
    before_after_long,
    compared_only,
    percent_rows,
    present,
    row_labels,
    unique,
    value_texts,
)
from .sizes import SCREEN, ChartSize
from .style import (
    PERIOD_COLORS,
    VERDICT_COLORS,
    WORSE,
    bar_labels,
    label_room,
    period_color,
    tooltip,
)

MAX_BAR_UNITS = 6  # units side by side in one before/after panel
# What change_pages keeps of the comparison table (and derives from it).
_CHANGE_COLUMNS = (
    "row",
    "name",
    "unit",
    "verdict",
    "pct_change",
    "text",
    "before_text",
    "after_text",
)


def before_after_pages(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    title: str | None = None,
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """Before and after value of each indicator, one small panel per indicator.

    Indicators have different units (件, 分钟, %), so each panel has its own
    x scale and the bars carry their value as text instead of a shared axis.
    With several units, each panel has one bar pair per unit (the first
    :data:`MAX_BAR_UNITS`; the table has them all). Pages hold ``size.panels``.
    """
    if before_label == after_label:
        raise JianfuError("对比的两个时期不能相同")
    table, notes = compared_only(table)
    units = unique(table["unit"])
    if len(units) > MAX_BAR_UNITS:
        notes.append(f"仅画出前{MAX_BAR_UNITS}个单位（共{len(units)}个），其余见对比表")
        units = units[:MAX_BAR_UNITS]
        table = table[table["unit"].isin(units)]
    long = before_after_long(table, before_label, after_label)
    panels = unique(long["panel"])
    periods = [before_label, after_label]
    several = len(units) > 1
    name = title or "减负指标前后对比"

    def draw(chunk: list) -> alt.FacetChart:
        part = long[long["panel"].isin(chunk)]
        y = (
            alt.Y("unit:N", title=None, sort=units, axis=alt.Axis(labelLimit=160))
            if several
            else alt.Y("period:N", title=None, sort=periods, axis=None)
        )
        extra = {"yOffset": alt.YOffset("period:N", sort=periods)} if several else {}
        # Bars stop short of the panel edge so the value text after them stays inside.
        bar_room = int(size.panel_width * 0.62)
        x = alt.X("value:Q", title=None, axis=None, scale=alt.Scale(zero=True, range=[0, bar_room]))
        base = alt.Chart(part).encode(y=y, x=x, **extra)
        bars = base.mark_bar().encode(
            color=period_color(periods),
            tooltip=tooltip(
                ("name", "指标"), ("unit", "单位"), ("period", "时期"), ("text", "数值")
            ),
        )
        text = base.mark_text(align="left", dx=4, fontSize=size.font).encode(text="text:N")
        step = round(size.step * (0.7 if several else 0.85))
        return (
            alt.layer(bars, text)
            .properties(width=size.panel_width, height=alt.Step(step))
            .facet(
                facet=alt.Facet("panel:N", title=None, sort=chunk),
                columns=size.columns,
                spacing={"row": 12, "column": 28},
            )
            .resolve_scale(x="independent")
        )

    return paginate(panels, size.panels, draw, name, subtitle, notes, size)


def change_pages(
    table: pd.DataFrame,
    title: str | None = None,
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """Diverging bars of the percent change, coloured by verdict, largest cuts first.

    Rows not compared (a value in one period only) and rows with a zero base
    (no percentage exists) are left out, and the footnote says how many and which.
    Rates move in 个百分点 and are left to the table; counts on a small base are
    listed in the footnote with their two counts (1人→3人 is not drawn as +200%).
    Pages hold ``size.rows`` bars; each page's axis spans the bars on that page.
    """
    several_units = table["unit"].nunique() > 1
    data, notes = compared_only(table)
    data = data.copy()
    data["row"] = row_labels(data, several_units)
    data, left_out = percent_rows(data)
    notes += left_out
    data = data.sort_values("pct_change", kind="stable")
    data["text"] = [
        fmt_signed(v, "%") + (f" {WORSE}" if verdict == WORSE else "")
        for v, verdict in zip(data["pct_change"], data["verdict"], strict=True)
    ]
    data["before_text"] = value_texts(data.assign(value=data["before"]))
    data["after_text"] = value_texts(data.assign(value=data["after"]))
    data = data[list(_CHANGE_COLUMNS)].reset_index(drop=True)
    present = [v for v in VERDICT_COLORS if v in set(data["verdict"])]
    name = title or "减负指标变化幅度"

    def draw(rows: list) -> alt.LayerChart:
        base = _row_bars(data.iloc[rows], "pct_change", "变化幅度（%）", size)
        bars = base.mark_bar().encode(
            color=alt.Color(
                "verdict:N",
                title="判断",
                scale=alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values())),
                legend=alt.Legend(values=present, orient="top"),
            ),
            tooltip=tooltip(
                ("name", "指标"),
                ("unit", "单位"),
                ("before_text", "基期"),
                ("after_text", "本期"),
                ("text", "变化幅度"),
                ("verdict", "判断"),
            ),
        )
        labels = bar_labels(base, "text", alt.datum.pct_change, size)
        zero = (
            alt.Chart(pd.DataFrame({"zero": [0]}))
            .mark_rule(color="#37474f", size=2)
            .encode(x="zero:Q")
        )
        return alt.layer(bars, *labels, zero).properties(
            width=size.width, height=alt.Step(size.step)
        )

    return paginate(list(range(len(data))), size.rows, draw, name, subtitle, notes, size)


def category_pages(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    unit: str | None = None,
    title: str | None = None,
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """One panel per category and unit of measure (文件·件, 文件·字, 会议·次…).

    A panel's bars share one scale, so a panel never mixes 字 with 件; panels
    compare the indicators of a category side by side, for one unit (``unit``
    picks it when the table holds several).
    """
    if before_label == after_label:
        raise JianfuError("对比的两个时期不能相同")
    units = unique(table["unit"])
    if unit is None:
        if len(units) != 1:
            raise JianfuError("表中有多个单位，请先选择要展示的单位")
        unit = units[0]
    elif unit not in units:
        raise JianfuError(f"对比表中没有单位“{unit}”")
    table, notes = compared_only(table[table["unit"] == unit])
    long = before_after_long(table, before_label, after_label)
    periods = [before_label, after_label]
    order = [c for c in CATEGORIES if c in set(long["category"])]
    order += [c for c in unique(long["category"]) if c not in order]
    keys = [
        (category, measure)
        for category in order
        for measure in unique(long.loc[long["category"] == category, "measure"])
    ]
    several = {c for c, _ in keys if sum(1 for k, _ in keys if k == c) > 1}
    name = title or "分类别减负成效"
    lead = [f"各类别按计量单位分图，刻度各不相同（{before_label}浅色，{after_label}深色）"]

    def panel(category: str, measure: str) -> alt.LayerChart:
        part = long[(long["category"] == category) & (long["measure"] == measure)]
        base = alt.Chart(part).encode(
            y=alt.Y("name:N", title=None, sort=unique(part["name"]), axis=alt.Axis(labelLimit=180)),
            yOffset=alt.YOffset("period:N", sort=periods),
            x=alt.X(
                "value:Q",
                title=None,
                axis=None,
                scale=alt.Scale(zero=True, range=[0, int(size.panel_width * 0.6)]),
            ),
        )
        bars = base.mark_bar().encode(
            color=period_color(periods),
            tooltip=tooltip(("name", "指标"), ("period", "时期"), ("text", "数值")),
        )
        text = base.mark_text(align="left", dx=4, fontSize=size.font).encode(text="text:N")
        label = f"{category}（{measure}）" if category in several else category
        return alt.layer(bars, text).properties(
            title=label, width=size.panel_width, height=alt.Step(round(size.step * 0.6))
        )

    def draw(chunk: list) -> alt.ConcatChart:
        panels = [panel(c, m) for c, m in chunk]
        return alt.concat(*panels, columns=size.columns, spacing=28)

    return paginate(keys, size.panels, draw, name, [*subtitle, *lead], notes, size)


def ranking_pages(
    ranking: pd.DataFrame,
    title: str | None = None,
    value_title: str = "数值",
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """Units in rank order, the label (改善7项/共9项, 减少32.6%) at the end of each bar."""
    data = ranking[["rank", "unit", "value", "label"]].copy()
    unranked = int((~data["value"].map(present)).sum())
    data = data[data["value"].map(present)].sort_values("rank", kind="stable")
    data["label"] = data["label"].astype(str)
    data["row"] = [f"{int(r)}. {u}" for r, u in zip(data["rank"], data["unit"], strict=True)]
    data = data.reset_index(drop=True)
    notes = list(ranking.attrs.get("notes") or [])
    if unranked:
        notes.append(f"{unranked}个单位没有可比的数据，未参与排名")
    name = title or "各单位排名"

    def draw(rows: list) -> alt.LayerChart:
        base = _row_bars(data.iloc[rows], "value", value_title, size)
        bars = base.mark_bar(color=PERIOD_COLORS[1]).encode(
            tooltip=tooltip(("rank", "名次"), ("unit", "单位"), ("label", "数值"))
        )
        labels = bar_labels(base, "label", alt.datum.value, size)
        return alt.layer(bars, *labels).properties(width=size.width, height=alt.Step(size.step))

    return paginate(list(range(len(data))), size.rows, draw, name, subtitle, notes, size)


def _row_bars(part: pd.DataFrame, field: str, title: str, size: ChartSize) -> alt.Chart:
    """One horizontal bar per row of ``part`` (labelled by its ``row``), the value axis
    spanning this page's bars only, with room for the labels at their ends."""
    lowest, highest = label_room(part[field])
    y = alt.Y(
        "row:N", title=None, sort=part["row"].tolist(), axis=alt.Axis(labelLimit=size.width // 2)
    )
    x = alt.X(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(domain=[lowest, highest], nice=True),
        axis=alt.Axis(tickCount=max(3, size.width // 90)),
    )
    return alt.Chart(part).encode(y=y, x=x)
