"""Altair chart builders for the comparison: pure functions from DataFrames to charts.

Every builder returns a top-level, already configured chart (CJK font, sizes a room
can read from a projector) and never displays or renders anything; exporting is in
``chart_export``. Data is trimmed to the columns a chart needs and capped in size,
so no builder can hit altair's MaxRowsError.

User text (unit names, indicator names, period labels) only ever travels as data
values, titles or sort lists, which vega treats as literal strings; filtering is
done in pandas, and the few vega expressions used are constants.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from ..catalog import CATEGORIES, Catalog, Indicator
from ..compare.engine import COMPARED
from ..errors import JianfuError
from ..numfmt import fmt_signed, fmt_value, is_missing

# Fonts are resolved by name: vl-convert (PNG/SVG export) and the browser (inline
# SVG in Voila) each take the first one they have.
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
WIDTH = 720  # plot width in px: fits a laptop screen; ×2 scale gives a ≥1600 px slide image
BAR_STEP = 30  # px per horizontal bar row
LABEL_SIZE = 15
TITLE_SIZE = 22
MAX_INDICATORS = 40  # facets / bars shown; more are cut with a note
MAX_UNITS = 12  # lines in a trend chart

VERDICT_COLORS = {
    "改善": "#2e7d32",
    "恶化": "#c62828",
    "持平": "#9e9e9e",
    "变化": "#1565c0",
    "新增": "#f9a825",
    "无数据": "#cfd8dc",
}
PERIOD_COLORS = ("#90a4ae", "#1565c0")  # before, after
THRESHOLD_COLOR = "#e65100"
THRESHOLD_DASH = [6, 4]
LINE_RULES = ("max", "min")  # thresholds that are a horizontal line
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


def before_after_bars(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    title: str | None = None,
) -> alt.FacetChart:
    """Before and after value of each indicator, one small panel per indicator.

    Indicators have different units (件, 分钟, %), so each panel has its own
    x scale and the bars carry their value as text instead of a shared axis.
    With several units in the table, each panel has one bar pair per unit.
    """
    table, note = _compared_only(table)
    table, capped = _cap_indicators(table)
    note += capped
    long = _before_after_long(table, before_label, after_label)
    periods = [before_label, after_label]
    several_units = table["unit"].nunique() > 1
    y = (
        alt.Y("unit:N", title=None, sort=_unique(table["unit"]), axis=alt.Axis(labelLimit=160))
        if several_units
        else alt.Y("period:N", title=None, sort=periods, axis=None)
    )
    extra = {"yOffset": alt.YOffset("period:N", sort=periods)} if several_units else {}
    # Bars stop short of the panel edge so the value text after them stays inside.
    x = alt.X("value:Q", title=None, axis=None, scale=alt.Scale(zero=True, range=[0, 160]))
    base = alt.Chart(long).encode(y=y, x=x, **extra)
    bars = base.mark_bar().encode(
        color=_period_color(periods),
        tooltip=_tooltip(("name", "指标"), ("unit", "单位"), ("period", "时期"), ("text", "数值")),
    )
    text = base.mark_text(align="left", dx=4, fontSize=LABEL_SIZE - 1).encode(text="text:N")
    chart = (
        alt.layer(bars, text)
        .properties(width=230, height=alt.Step(22 if several_units else 26))
        .facet(
            facet=alt.Facet("panel:N", title=None, sort=_unique(long["panel"])),
            columns=3,
            spacing={"row": 16, "column": 36},
        )
        .resolve_scale(x="independent")
    )
    subtitle = [f"{before_label}与{after_label}对比"] + note
    return _finish(chart, title or "减负指标前后对比", subtitle)


def change_bars(table: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Diverging bars of the percent change, coloured by verdict.

    Rows not compared (a value in one period only) and rows with a zero base
    (no percentage exists) are left out, and the subtitle says how many and which.
    """
    several_units = table["unit"].nunique() > 1
    data, note = _compared_only(table)
    data = data.copy()
    data["row"] = _row_labels(data, several_units)
    has_pct = data["pct_change"].map(_present)
    zero_base = data.loc[~has_pct, "row"].tolist()
    # a rate's change is said in 个百分点, never as a percentage of a percentage
    rate = data["kind"].isin(("percent", "ratio"))
    rates = data.loc[has_pct & rate, "row"].tolist()
    data = data.loc[has_pct & ~rate]
    if len(data) > MAX_INDICATORS:
        note.append(f"按变化幅度仅显示前{MAX_INDICATORS}项（共{len(data)}项）")
        data = data.loc[data["pct_change"].abs().nlargest(MAX_INDICATORS).index]
    if zero_base:
        note.append(f"{len(zero_base)}项基期为0，无法计算变化幅度，未列出：{_list(zero_base)}")
    if rates:
        note.append(f"占比类指标的变化以个百分点计，见对比表：{_list(rates)}")
    data = data.sort_values("pct_change", kind="stable")
    data["text"] = data["pct_change"].map(lambda v: fmt_signed(v, "%"))
    data["before_text"] = _value_texts(data.assign(value=data["before"]))
    data["after_text"] = _value_texts(data.assign(value=data["after"]))
    data = data[list(_CHANGE_COLUMNS)]

    y = alt.Y("row:N", title=None, sort=data["row"].tolist(), axis=alt.Axis(labelLimit=260))
    x = alt.X("pct_change:Q", title="变化幅度（%）", scale=alt.Scale(padding=56))
    base = alt.Chart(data).encode(y=y, x=x)
    present = [v for v in VERDICT_COLORS if v in set(data["verdict"])]
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
    labels = _bar_labels(base, "text", alt.datum.pct_change)
    zero = (
        alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#37474f", size=2).encode(x="zero:Q")
    )
    chart = alt.layer(bars, *labels, zero).properties(width=WIDTH, height=alt.Step(BAR_STEP))
    return _finish(chart, title or "减负指标变化幅度", note)


def trend_lines(
    table: pd.DataFrame,
    catalog: Catalog,
    indicators: Sequence[str] | None = None,
    levels: Iterable[str] | None = None,
    title: str | None = None,
) -> alt.LayerChart | alt.ConcatChart:
    """Lines over periods, one per unit, with max/min thresholds as dashed rules.

    Parameters
    ----------
    table
        The trend engine's output (:func:`jianfu.compare.trend`): the chart draws
        exactly its rows, so a combined unit is drawn as the table shows it.
    indicators
        Codes to draw, in order; default every indicator of the table.
    levels
        Threshold levels to draw (中央/省/地方/示例); all when None.
    """
    periods = list(table.attrs.get("periods") or [])
    if not periods:
        raise JianfuError("请至少选择一个时期")
    codes = _unique(table["indicator"]) if indicators is None else list(dict.fromkeys(indicators))
    picked = [_indicator(catalog, code) for code in codes]
    if not picked:
        raise JianfuError("请至少选择一个指标")
    note = []
    if len(picked) > MAX_INDICATORS:
        note.append(f"仅显示前{MAX_INDICATORS}项指标（共{len(picked)}项）")
        picked = picked[:MAX_INDICATORS]
    data = _trend_values(table, picked, periods)
    all_units = _unique(table["unit"])
    if len(all_units) > MAX_UNITS:
        note.append(f"仅显示前{MAX_UNITS}个单位（共{len(all_units)}个）")
        all_units = all_units[:MAX_UNITS]
    data = data[data["unit"].isin(all_units)]
    level_set = None if levels is None else set(levels)
    charts = [
        _trend_one(data[data["indicator"] == ind.code], ind, periods, all_units, level_set)
        for ind in picked
    ]
    if len(charts) == 1:
        chart = charts[0].properties(width=WIDTH, height=360)
        return _finish(chart, title or f"{picked[0].name}变化趋势", note)
    panels = [
        c.properties(title=f"{ind.name}（{ind.measure}）", width=WIDTH // 2 - 40, height=240)
        for c, ind in zip(charts, picked, strict=True)
    ]
    chart = alt.concat(*panels, columns=2, spacing=36).resolve_scale(color="shared")
    return _finish(chart, title or "主要指标变化趋势", note)


def category_small_multiples(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    unit: str | None = None,
    title: str | None = None,
) -> alt.ConcatChart:
    """One panel per category (文件, 会议, …), each with its own scale.

    Panels compare the indicators of a category side by side, so they are drawn
    for one unit; ``unit`` picks it when the table holds several.
    """
    units = _unique(table["unit"])
    if unit is None:
        if len(units) != 1:
            raise JianfuError("表中有多个单位，请先选择要展示的单位")
        unit = units[0]
    elif unit not in units:
        raise JianfuError(f"对比表中没有单位“{unit}”")
    table, note = _compared_only(table[table["unit"] == unit])
    table, capped = _cap_indicators(table)
    note += capped
    long = _before_after_long(table, before_label, after_label)
    periods = [before_label, after_label]
    order = [c for c in CATEGORIES if c in set(long["category"])]
    order += [c for c in _unique(long["category"]) if c not in order]
    panels = []
    for category in order:
        part = long[long["category"] == category]
        base = alt.Chart(part).encode(
            y=alt.Y(
                "name:N", title=None, sort=_unique(part["name"]), axis=alt.Axis(labelLimit=180)
            ),
            yOffset=alt.YOffset("period:N", sort=periods),
            x=alt.X("value:Q", title=None, axis=None, scale=alt.Scale(zero=True, range=[0, 130])),
        )
        bars = base.mark_bar().encode(
            color=_period_color(periods),
            tooltip=_tooltip(("name", "指标"), ("period", "时期"), ("text", "数值")),
        )
        text = base.mark_text(align="left", dx=4, fontSize=LABEL_SIZE - 1).encode(text="text:N")
        panels.append(
            alt.layer(bars, text).properties(title=category, width=200, height=alt.Step(16))
        )
    chart = alt.concat(*panels, columns=3, spacing=28)
    subtitle = [f"{unit}：{before_label}与{after_label}对比，各类别刻度不同"] + note
    return _finish(chart, title or "分类别减负成效", subtitle)


def ranking_bars(
    ranking: pd.DataFrame,
    title: str | None = None,
    value_title: str = "数值",
) -> alt.LayerChart:
    """Units ordered by rank, with the label text at the end of each bar."""
    data = ranking[["rank", "unit", "value", "label"]].copy()
    data = data[data["value"].map(_present)].sort_values("rank", kind="stable")
    note = []
    if len(data) > MAX_INDICATORS:
        note.append(f"仅显示前{MAX_INDICATORS}名（共{len(data)}个单位）")
        data = data.head(MAX_INDICATORS)
    data["label"] = data["label"].astype(str)
    y = alt.Y("unit:N", title=None, sort=_unique(data["unit"]), axis=alt.Axis(labelLimit=200))
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(padding=56))
    base = alt.Chart(data).encode(y=y, x=x)
    bars = base.mark_bar(color=PERIOD_COLORS[1]).encode(
        tooltip=_tooltip(("rank", "名次"), ("unit", "单位"), ("label", "数值"))
    )
    labels = _bar_labels(base, "label", alt.datum.value)
    chart = alt.layer(bars, *labels).properties(width=WIDTH, height=alt.Step(BAR_STEP))
    return _finish(chart, title or "各单位排名", note)


# ---- data shaping -------------------------------------------------------------------


def _compared_only(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows with a value in both periods; the others are named in a note, never drawn."""
    compared = table["verdict"].isin(COMPARED)
    if compared.all():
        return table, []
    rows = _row_labels(table[~compared], table["unit"].nunique() > 1)
    return table[compared], [f"{len(rows)}项只有一个时期有数据，未作比较：{_list(rows)}"]


def _cap_indicators(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    codes = _unique(table["indicator"])
    if len(codes) <= MAX_INDICATORS:
        return table, []
    keep = set(codes[:MAX_INDICATORS])
    note = f"仅显示前{MAX_INDICATORS}项指标（共{len(codes)}项）"
    return table[table["indicator"].isin(keep)], [note]


def _before_after_long(table: pd.DataFrame, before_label: str, after_label: str) -> pd.DataFrame:
    """Comparison rows -> one row per (unit, indicator, period) with a value."""
    if before_label == after_label:
        raise JianfuError("对比的两个时期不能相同")
    keep = ["unit", "indicator", "name", "category", "measure", "kind", "decimals"]
    parts = []
    for column, label in (("before", before_label), ("after", after_label)):
        part = table[keep].copy()
        part["period"] = label
        part["value"] = pd.to_numeric(table[column], errors="coerce")
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    long = long[long["value"].map(_present)]
    long["panel"] = long["name"] + "（" + long["measure"] + "）"
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


def _value_texts(data: pd.DataFrame) -> list[str]:
    """Labels as the tables write them: each row at its own precision."""
    return [
        fmt_value(v, m, int(d), fixed=True)
        for v, m, d in zip(data["value"], data["measure"], data["decimals"], strict=True)
    ]


def _trend_one(
    data: pd.DataFrame,
    ind: Indicator,
    periods: list[str],
    units: list[str],
    levels: set[str] | None,
) -> alt.LayerChart:
    x = alt.X(
        "period:N",
        title=None,
        sort=periods,
        scale=alt.Scale(domain=periods),
        axis=alt.Axis(labelAngle=0),
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=90, filled=True))
        .encode(
            x=x,
            y=alt.Y(
                "value:Q",
                title=ind.measure,
                axis=alt.Axis(
                    titleAngle=0,
                    titleAnchor="end",
                    titleAlign="left",
                    titleBaseline="bottom",
                    titleY=-10,
                    titleX=-8,
                ),
            ),
            color=alt.Color("unit:N", title="单位", sort=units, legend=alt.Legend(orient="top")),
            tooltip=_tooltip(("unit", "单位"), ("period", "时期"), ("text", "数值")),
        )
    )
    layers = [lines]
    rules = _threshold_rows(ind, levels)
    if not rules.empty:
        base = alt.Chart(rules).encode(y="value:Q")
        layers.append(
            base.mark_rule(color=THRESHOLD_COLOR, strokeDash=THRESHOLD_DASH, size=2).encode(
                tooltip=_tooltip(("label", "预警"), ("source", "出处"))
            )
        )
        # Labels sit just right of the plot, where no line can run over them.
        layers.append(
            base.mark_text(
                align="left",
                baseline="middle",
                dx=6,
                color=THRESHOLD_COLOR,
                fontSize=LABEL_SIZE - 1,
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


def _finish(chart, title: str, subtitle: list[str]):
    """Title, CJK font and projector-friendly sizes, set once on the top-level chart."""
    params = {"text": title, "anchor": "start"}
    if subtitle:
        params["subtitle"] = subtitle
    return (
        chart.properties(title=alt.TitleParams(**params))
        .configure(font=FONT, padding=16)
        .configure_title(
            fontSize=TITLE_SIZE, subtitleFontSize=LABEL_SIZE, subtitleColor="#455a64", offset=12
        )
        .configure_axis(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE + 1, grid=False)
        .configure_legend(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE, symbolSize=200)
        .configure_header(
            labelFontSize=LABEL_SIZE + 1, titleFontSize=LABEL_SIZE + 1, labelLimit=260
        )
        .configure_view(stroke=None)
    )


# ---- small helpers --------------------------------------------------------------------


def _indicator(catalog: Catalog, code: str) -> Indicator:
    ind = catalog.get(code)
    if ind is None:
        raise JianfuError(f"指标目录中没有指标“{code}”")
    return ind


def _row_labels(data: pd.DataFrame, several_units: bool) -> list[str]:
    if several_units:
        return [f"{u}·{n}" for u, n in zip(data["unit"], data["name"], strict=True)]
    return data["name"].tolist()


def _unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def _list(items: list[str], limit: int = 6) -> str:
    shown = "、".join(items[:limit])
    return shown + ("等" if len(items) > limit else "")


def _bar_labels(base: alt.Chart, text: str, value) -> list[alt.Chart]:
    """Labels outside the bar end: right of positive bars, left of negative ones."""
    return [
        base.mark_text(align=align, dx=dx, fontSize=LABEL_SIZE - 1)
        .encode(text=f"{text}:N")
        .transform_filter(test)
        for align, dx, test in (("left", 4, value >= 0), ("right", -4, value < 0))
    ]


def _present(value: object) -> bool:
    return not is_missing(value)
