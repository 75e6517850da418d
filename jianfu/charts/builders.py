"""Altair chart builders for the comparison: pure functions from engine output to charts.

Every builder returns a top-level, configured chart (CJK font, sizes from a
:class:`~jianfu.charts.sizes.ChartSize`) and never displays or renders anything;
exporting is in :mod:`jianfu.charts.export`. A chart with more bars or panels
than one page of its size holds is split: ``*_pages`` builders return
:class:`Pages`, built one page at a time, and the single-chart builders draw one
page. So no chart is drawn 5,000 px tall and none can hit altair's MaxRowsError.

Readable by everyone: verdict colours differ in lightness as well as hue (they
survive grayscale and red-green colour blindness), worse-than-before bars also
say so in words, trend lines differ by point shape, and a minus sign is the
same hyphen-minus on axes and labels as in the tables. Technical notes (rows
not compared, rows cut) are a footnote under the plot, never across it.

User text (unit names, indicator names, period labels) only ever travels as data
values, titles or sort lists, which vega treats as literal strings; filtering is
done in pandas, and the few vega expressions used are constants.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

# altair imports jsonschema, which imports rfc3987_syntax when it is installed (it
# comes with Jupyter) to check IRI formats altair never uses; building its grammar
# takes 1.5-2 s, most of altair's import time and of a page's first chart. Marking it
# absent makes jsonschema skip that checker (measured: import altair 2.5 s -> 0.45 s).
sys.modules.setdefault("rfc3987_syntax", None)

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

from ..catalog import CATEGORIES, Catalog, Indicator  # noqa: E402
from ..catalog.directions import (  # noqa: E402
    CHANGED,
    COMPARED,
    FLAT,
    IMPROVED,
    NEW,
    WORSENED,
)
from ..compare.rollups import labelled  # noqa: E402
from ..compare.smallbase import SMALL_BASE, small_base_mask  # noqa: E402
from ..errors import JianfuError  # noqa: E402
from ..numfmt import fmt_signed, fmt_value, is_missing  # noqa: E402
from .sizes import SCREEN, ChartSize  # noqa: E402

# Fonts are resolved by name: vl-convert (PNG/SVG export) and the browser (inline
# SVG in Voila) each take the first one they have.
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
MAX_INDICATORS = 40  # bars on one screen page; more go to further pages
MAX_UNITS = 12  # lines in a trend chart
MAX_BAR_UNITS = 6  # units side by side in one before/after panel

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
LINE_RULES = ("max", "min")  # thresholds that are a horizontal line
NOTE_COLOR = "#455a64"
UNIT_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
WHOLE_TICKS = {"count": {"tickMinStep": 1, "format": "d"}}  # no 80.5件 on an axis
ZERO_KEEP = 0.5  # a trend axis starts at 0 unless every value is above this share of the top
# d3's default minus is U+2212; tables and sentences write "-", so axes do too.
NUMBER_LOCALE = {
    "decimal": ".",
    "thousands": "",
    "grouping": [3],
    "currency": ["", ""],
    "minus": "-",
}
# What change_bars keeps of the comparison table (and derives from it).
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


@dataclass(frozen=True)
class Pages:
    """A chart split into pages; each page is built only when asked for."""

    count: int
    build: Callable[[int], alt.TopLevelMixin]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> alt.TopLevelMixin:
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self.build(index)

    def __iter__(self) -> Iterator[alt.TopLevelMixin]:
        return (self.build(i) for i in range(self.count))


# ---- before and after ---------------------------------------------------------------


def before_after_bars(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    title: str | None = None,
    size: ChartSize = SCREEN,
    page: int = 0,
    subtitle: Sequence[str] = (),
) -> alt.VConcatChart:
    """One page of :func:`before_after_pages`."""
    return before_after_pages(table, before_label, after_label, title, size, subtitle)[page]


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
    table, notes = _compared_only(table)
    units = _unique(table["unit"])
    if len(units) > MAX_BAR_UNITS:
        notes.append(f"仅画出前{MAX_BAR_UNITS}个单位（共{len(units)}个），其余见对比表")
        units = units[:MAX_BAR_UNITS]
        table = table[table["unit"].isin(units)]
    long = _before_after_long(table, before_label, after_label)
    panels = _unique(long["panel"])
    chunks = _chunks(panels, size.panels)
    periods = [before_label, after_label]
    several = len(units) > 1
    name = title or "减负指标前后对比"

    def build(i: int) -> alt.VConcatChart:
        part = long[long["panel"].isin(chunks[i])]
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
            color=_period_color(periods),
            tooltip=_tooltip(
                ("name", "指标"), ("unit", "单位"), ("period", "时期"), ("text", "数值")
            ),
        )
        text = base.mark_text(align="left", dx=4, fontSize=size.font).encode(text="text:N")
        step = round(size.step * (0.7 if several else 0.85))
        chart = (
            alt.layer(bars, text)
            .properties(width=size.panel_width, height=alt.Step(step))
            .facet(
                facet=alt.Facet("panel:N", title=None, sort=chunks[i]),
                columns=size.columns,
                spacing={"row": 12, "column": 28},
            )
            .resolve_scale(x="independent")
        )
        return _finish(chart, _paged(name, i, len(chunks)), list(subtitle), notes, size)

    return Pages(len(chunks), build)


# ---- percent change ---------------------------------------------------------------------


def change_bars(
    table: pd.DataFrame,
    title: str | None = None,
    size: ChartSize = SCREEN,
    page: int = 0,
    subtitle: Sequence[str] = (),
) -> alt.VConcatChart:
    """One page of :func:`change_pages`."""
    return change_pages(table, title, size, subtitle)[page]


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
    data, notes = _compared_only(table)
    data = data.copy()
    data["row"] = _row_labels(data, several_units)
    data, left_out = _percent_rows(data)
    notes += left_out
    data = data.sort_values("pct_change", kind="stable")
    data["text"] = [
        fmt_signed(v, "%") + (f" {WORSE}" if verdict == WORSE else "")
        for v, verdict in zip(data["pct_change"], data["verdict"], strict=True)
    ]
    data["before_text"] = _value_texts(data.assign(value=data["before"]))
    data["after_text"] = _value_texts(data.assign(value=data["after"]))
    data = data[list(_CHANGE_COLUMNS)].reset_index(drop=True)
    chunks = _chunks(list(range(len(data))), size.rows) if len(data) else [[]]
    present = [v for v in VERDICT_COLORS if v in set(data["verdict"])]
    name = title or "减负指标变化幅度"

    def build(i: int) -> alt.VConcatChart:
        part = data.iloc[chunks[i]]
        lowest, highest = _label_room(part["pct_change"])  # this page's bars, not the others'
        y = alt.Y(
            "row:N",
            title=None,
            sort=part["row"].tolist(),
            axis=alt.Axis(labelLimit=size.width // 2),
        )
        x = alt.X(
            "pct_change:Q",
            title="变化幅度（%）",
            scale=alt.Scale(domain=[lowest, highest], nice=True),
            axis=alt.Axis(tickCount=max(3, size.width // 90)),
        )
        base = alt.Chart(part).encode(y=y, x=x)
        bars = base.mark_bar().encode(
            color=alt.Color(
                "verdict:N",
                title="判断",
                scale=alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values())),
                legend=alt.Legend(values=present, orient="top"),
            ),
            tooltip=_tooltip(
                ("name", "指标"),
                ("unit", "单位"),
                ("before_text", "基期"),
                ("after_text", "本期"),
                ("text", "变化幅度"),
                ("verdict", "判断"),
            ),
        )
        labels = _bar_labels(base, "text", alt.datum.pct_change, size)
        zero = (
            alt.Chart(pd.DataFrame({"zero": [0]}))
            .mark_rule(color="#37474f", size=2)
            .encode(x="zero:Q")
        )
        chart = alt.layer(bars, *labels, zero).properties(
            width=size.width, height=alt.Step(size.step)
        )
        return _finish(chart, _paged(name, i, len(chunks)), list(subtitle), notes, size)

    return Pages(len(chunks), build)


# ---- trend --------------------------------------------------------------------------------


def trend_lines(
    table: pd.DataFrame,
    catalog: Catalog,
    indicators: Sequence[str] | None = None,
    levels: Iterable[str] | None = None,
    title: str | None = None,
    size: ChartSize = SCREEN,
    page: int = 0,
    subtitle: Sequence[str] = (),
) -> alt.VConcatChart:
    """One page of :func:`trend_pages`."""
    return trend_pages(table, catalog, indicators, levels, title, size, subtitle)[page]


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
    codes = _unique(table["indicator"]) if indicators is None else list(dict.fromkeys(indicators))
    picked = [_indicator(catalog, code) for code in codes]
    if not picked:
        raise JianfuError("请至少选择一个指标")
    notes: list[str] = []
    all_units = _unique(table["unit"])
    if len(all_units) > MAX_UNITS:
        notes.append(f"仅画出前{MAX_UNITS}个单位（共{len(all_units)}个），其余见趋势表")
        all_units = all_units[:MAX_UNITS]
    rows = table[table["unit"].isin(all_units)]
    notes += _rollup_notes(rows, picked)
    data = _trend_values(rows, picked, periods)
    breaks = _trend_breaks(rows)
    if not breaks.empty:
        notes.append("圆圈标出首次未实现逐年递减（或递增）的时期")
    level_set = None if levels is None else set(levels)
    chunks = _chunks(picked, size.line_panels)
    name = title or (f"{picked[0].name}变化趋势" if len(picked) == 1 else "主要指标变化趋势")

    def build(i: int) -> alt.VConcatChart:
        inds = chunks[i]
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
        return _finish(chart, _paged(name, i, len(chunks)), list(subtitle), notes, size)

    return Pages(len(chunks), build)


# ---- categories ---------------------------------------------------------------------------


def category_small_multiples(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    unit: str | None = None,
    title: str | None = None,
    size: ChartSize = SCREEN,
    page: int = 0,
    subtitle: Sequence[str] = (),
) -> alt.VConcatChart:
    """One page of :func:`category_pages`."""
    return category_pages(table, before_label, after_label, unit, title, size, subtitle)[page]


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
    units = _unique(table["unit"])
    if unit is None:
        if len(units) != 1:
            raise JianfuError("表中有多个单位，请先选择要展示的单位")
        unit = units[0]
    elif unit not in units:
        raise JianfuError(f"对比表中没有单位“{unit}”")
    table, notes = _compared_only(table[table["unit"] == unit])
    long = _before_after_long(table, before_label, after_label)
    periods = [before_label, after_label]
    order = [c for c in CATEGORIES if c in set(long["category"])]
    order += [c for c in _unique(long["category"]) if c not in order]
    keys = [
        (category, measure)
        for category in order
        for measure in _unique(long.loc[long["category"] == category, "measure"])
    ]
    several = {c for c, _ in keys if sum(1 for k, _ in keys if k == c) > 1}
    chunks = _chunks(keys, size.panels)
    name = title or "分类别减负成效"
    lead = [f"各类别按计量单位分图，刻度各不相同（{before_label}浅色，{after_label}深色）"]

    def panel(category: str, measure: str) -> alt.LayerChart:
        part = long[(long["category"] == category) & (long["measure"] == measure)]
        base = alt.Chart(part).encode(
            y=alt.Y(
                "name:N", title=None, sort=_unique(part["name"]), axis=alt.Axis(labelLimit=180)
            ),
            yOffset=alt.YOffset("period:N", sort=periods),
            x=alt.X(
                "value:Q",
                title=None,
                axis=None,
                scale=alt.Scale(zero=True, range=[0, int(size.panel_width * 0.6)]),
            ),
        )
        bars = base.mark_bar().encode(
            color=_period_color(periods),
            tooltip=_tooltip(("name", "指标"), ("period", "时期"), ("text", "数值")),
        )
        text = base.mark_text(align="left", dx=4, fontSize=size.font).encode(text="text:N")
        label = f"{category}（{measure}）" if category in several else category
        return alt.layer(bars, text).properties(
            title=label, width=size.panel_width, height=alt.Step(round(size.step * 0.6))
        )

    def build(i: int) -> alt.VConcatChart:
        panels = [panel(c, m) for c, m in chunks[i]]
        chart = alt.concat(*panels, columns=size.columns, spacing=28)
        return _finish(chart, _paged(name, i, len(chunks)), list(subtitle) + lead, notes, size)

    return Pages(len(chunks), build)


# ---- ranking ------------------------------------------------------------------------------


def ranking_bars(
    ranking: pd.DataFrame,
    title: str | None = None,
    value_title: str = "数值",
    size: ChartSize = SCREEN,
    page: int = 0,
    subtitle: Sequence[str] = (),
) -> alt.VConcatChart:
    """One page of :func:`ranking_pages`."""
    return ranking_pages(ranking, title, value_title, size, subtitle)[page]


def ranking_pages(
    ranking: pd.DataFrame,
    title: str | None = None,
    value_title: str = "数值",
    size: ChartSize = SCREEN,
    subtitle: Sequence[str] = (),
) -> Pages:
    """Units in rank order, the label (改善7项/共9项, 减少32.6%) at the end of each bar."""
    data = ranking[["rank", "unit", "value", "label"]].copy()
    unranked = int((~data["value"].map(_present)).sum())
    data = data[data["value"].map(_present)].sort_values("rank", kind="stable")
    data["label"] = data["label"].astype(str)
    data["row"] = [f"{int(r)}. {u}" for r, u in zip(data["rank"], data["unit"], strict=True)]
    data = data.reset_index(drop=True)
    notes = list(ranking.attrs.get("notes") or [])
    if unranked:
        notes.append(f"{unranked}个单位没有可比的数据，未参与排名")
    chunks = _chunks(list(range(len(data))), size.rows) if len(data) else [[]]
    name = title or "各单位排名"

    def build(i: int) -> alt.VConcatChart:
        part = data.iloc[chunks[i]]
        lowest, highest = _label_room(part["value"])  # this page's bars
        y = alt.Y(
            "row:N",
            title=None,
            sort=part["row"].tolist(),
            axis=alt.Axis(labelLimit=size.width // 2),
        )
        x = alt.X(
            "value:Q",
            title=value_title,
            scale=alt.Scale(domain=[lowest, highest], nice=True),
            axis=alt.Axis(tickCount=max(3, size.width // 90)),
        )
        base = alt.Chart(part).encode(y=y, x=x)
        bars = base.mark_bar(color=PERIOD_COLORS[1]).encode(
            tooltip=_tooltip(("rank", "名次"), ("unit", "单位"), ("label", "数值"))
        )
        labels = _bar_labels(base, "label", alt.datum.value, size)
        chart = alt.layer(bars, *labels).properties(width=size.width, height=alt.Step(size.step))
        return _finish(chart, _paged(name, i, len(chunks)), list(subtitle), notes, size)

    return Pages(len(chunks), build)


# ---- data shaping -------------------------------------------------------------------


def _compared_only(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows with a value in both periods; the others are named in a note, never drawn."""
    compared = table["verdict"].isin(COMPARED)
    if compared.all():
        return table, []
    rows = _row_labels(table[~compared], table["unit"].nunique() > 1)
    return table[compared], [f"{len(rows)}项只有一个时期有数据，未作比较：{_list(rows)}"]


def _percent_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows a percent-change chart may draw, and notes on those it may not.

    A zero base has no percentage; a rate moves in 个百分点; a count on a small base
    (:mod:`jianfu.compare.smallbase`, the sentences' rule) is listed with its two counts.
    """
    notes = []
    has_pct = data["pct_change"].map(_present).to_numpy()
    rate = data["kind"].isin(("percent", "ratio")).to_numpy()
    small = small_base_mask(data) & has_pct & ~rate
    zero_base = data.loc[~has_pct, "row"].tolist()
    if zero_base:
        notes.append(f"{len(zero_base)}项基期为0，无法计算变化幅度，未列出：{_list(zero_base)}")
    rates = data.loc[has_pct & rate, "row"].tolist()
    if rates:
        notes.append(f"占比类指标的变化以个百分点计，见对比表：{_list(rates)}")
    if small.any():
        few = data[small]
        counts = [
            f"{r}{b}→{a}"
            for r, b, a in zip(
                few["row"],
                _value_texts(few.assign(value=few["before"])),
                _value_texts(few.assign(value=few["after"])),
                strict=True,
            )
        ]
        notes.append(f"基期小于{SMALL_BASE}的计数不画百分比（以免夸大），前后数字：{_list(counts)}")
    return data.loc[has_pct & ~rate & ~small], notes


def _before_after_long(table: pd.DataFrame, before_label: str, after_label: str) -> pd.DataFrame:
    """Comparison rows -> one row per (unit, indicator, period) with a value."""
    keep = ["unit", "indicator", "name", "category", "measure", "kind", "decimals"]
    keep += [c for c in ("rollup_label",) if c in table.columns]
    parts = []
    for column, label in (("before", before_label), ("after", after_label)):
        part = table[keep].copy()
        part["period"] = label
        part["value"] = pd.to_numeric(table[column], errors="coerce")
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    long = long[long["value"].map(_present)]
    labels = long["rollup_label"] if "rollup_label" in long.columns else [""] * len(long)
    long["panel"] = [  # 主讲话时长（两镇中最长，分钟）
        f"{n}（{label}，{m}）" if isinstance(label, str) and label else f"{n}（{m}）"
        for n, m, label in zip(long["name"], long["measure"], labels, strict=True)
    ]
    long["name"] = _labelled_names(long)  # tooltips and category rows say what a figure is
    long["text"] = _value_texts(long)
    return long


def _trend_values(table: pd.DataFrame, picked: list[Indicator], periods: list[str]) -> pd.DataFrame:
    """The trend rows of the picked indicators as one row per (unit, indicator, period)."""
    rows = table[table["indicator"].isin([i.code for i in picked])]
    data = pd.DataFrame(
        [
            (r.unit, r.indicator, p, v, r.measure, r.kind, int(r.decimals))
            for r in rows.itertuples(index=False)
            for p, v in zip(periods, r.values, strict=True)
            if _present(v)
        ],
        columns=["unit", "indicator", "period", "value", "measure", "kind", "decimals"],
    )
    data["text"] = _value_texts(data)
    return data


def _rollup_notes(rows: pd.DataFrame, picked: list[Indicator]) -> list[str]:
    """“主讲话时长：两镇中最长（不是合计）” for each drawn indicator that is not a total."""
    if "rollup_label" not in rows.columns:
        return []
    labels = dict(zip(rows["indicator"], rows["rollup_label"], strict=True))
    return [
        f"{ind.name}：{labels[ind.code]}（不是合计）"
        for ind in picked
        if isinstance(labels.get(ind.code), str) and labels[ind.code]
    ]


def _trend_breaks(table: pd.DataFrame) -> pd.DataFrame:
    """(unit, indicator, period, value) where a run first failed to move the better way."""
    rows = []
    periods = list(table.attrs.get("periods") or [])
    for r in table.itertuples(index=False):
        if isinstance(r.first_break, str) and r.first_break in periods:
            value = r.values[periods.index(r.first_break)]
            if _present(value):
                rows.append((r.unit, r.indicator, r.first_break, value))
    return pd.DataFrame(rows, columns=["unit", "indicator", "period", "value"])


def _value_texts(data: pd.DataFrame) -> list[str]:
    """Labels as the tables write them: each row at its own precision."""
    return [
        fmt_value(v, m, int(d), fixed=True)
        for v, m, d in zip(data["value"], data["measure"], data["decimals"], strict=True)
    ]


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
        tooltip=_tooltip(("unit", "单位"), ("period", "时期"), ("text", "数值")),
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
            .encode(x=x, y=y, tooltip=_tooltip(("unit", "单位"), ("period", "首次未实现")))
        )
    if not rules.empty:
        rule_base = alt.Chart(rules).encode(y="value:Q")
        layers.append(
            rule_base.mark_rule(color=THRESHOLD_COLOR, strokeDash=THRESHOLD_DASH, size=2).encode(
                tooltip=_tooltip(("label", "预警"), ("source", "出处"))
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


# ---- encodings and styling ----------------------------------------------------------


def _period_color(periods: list[str]) -> alt.Color:
    return alt.Color(
        "period:N",
        title="时期",
        sort=periods,
        scale=alt.Scale(domain=periods, range=list(PERIOD_COLORS)),
        legend=alt.Legend(orient="top"),
    )


def _tooltip(*fields: tuple[str, str]) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{field}:N", title=label) for field, label in fields]


def _finish(chart, title: str, subtitle: list[str], notes: list[str], size: ChartSize):
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


# ---- small helpers --------------------------------------------------------------------


def _indicator(catalog: Catalog, code: str) -> Indicator:
    ind = catalog.get(code)
    if ind is None:
        raise JianfuError(f"指标目录中没有指标“{code}”")
    return ind


def _row_labels(data: pd.DataFrame, several_units: bool) -> list[str]:
    """Bar labels: the indicator with what a combined figure is (主讲话时长（两镇中最长）)."""
    names = _labelled_names(data)
    if several_units:
        return [f"{u}·{n}" for u, n in zip(data["unit"], names, strict=True)]
    return names


def _labelled_names(data: pd.DataFrame) -> list[str]:
    labels = data["rollup_label"] if "rollup_label" in data.columns else [""] * len(data)
    return [
        labelled(n, {"rollup_label": label}) for n, label in zip(data["name"], labels, strict=True)
    ]


def _unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def _chunks(items: list, size: int) -> list[list]:
    """``items`` in pieces of at most ``size``; one empty piece when there are none."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _paged(title: str, index: int, count: int) -> str:
    return f"{title}（{index + 1}/{count}）" if count > 1 else title


def _list(items: list[str], limit: int = 6) -> str:
    shown = "、".join(items[:limit])
    return shown + ("等" if len(items) > limit else "")


def _bar_labels(base: alt.Chart, text: str, value, size: ChartSize) -> list[alt.Chart]:
    """Labels outside the bar end: right of positive bars, left of negative ones."""
    return [
        base.mark_text(align=align, dx=dx, fontSize=size.font)
        .encode(text=f"{text}:N")
        .transform_filter(test)
        for align, dx, test in (("left", 4, value >= 0), ("right", -4, value < 0))
    ]


def _label_room(values: pd.Series, room: float = 0.3) -> tuple[float, float]:
    """An x domain from 0 to the extremes, with room beyond a bar's end for its label."""
    if not len(values):
        return -1.0, 1.0
    lowest, highest = min(0.0, float(values.min())), max(0.0, float(values.max()))
    span = (highest - lowest) or 1.0
    return (lowest - span * room if lowest < 0 else 0.0), (
        highest + span * room if highest > 0 else 0.0
    )


def _present(value: object) -> bool:
    return not is_missing(value)
