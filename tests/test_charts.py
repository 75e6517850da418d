"""Chart builders tested on their Vega-Lite dicts; export tested by rendering.

Builders get small DataFrames in the shapes compare.py produces (comparison
table, ranking) and tidy observations for trends.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jianfu.charts import bars as bar_charts
from jianfu.charts import lines as line_charts
from jianfu.charts import style as chart_style
from jianfu.charts.sizes import DOC, SCREEN, SLIDE
from jianfu.errors import JianfuError
from tests.support.chart_specs import (
    BUILDERS,
    CATALOG,
    HAN,
    PERIODS,
    TABLE,
    TABLE_COLUMNS,
    TWO_UNITS,
    comparison_row,
    layer_with,
    make_table,
    marks,
    notes,
    plot,
    rows,
    trend_of,
    walk,
)

# ---- every builder ----------------------------------------------------------------------


@pytest.mark.slow  # 0.6 s
@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_is_chinese_and_readable_from_afar(name):
    spec = BUILDERS[name]().to_dict()
    config = spec["config"]
    assert HAN.search(spec["title"]["text"])
    assert config["font"] == chart_style.FONT
    assert config["font"].startswith("Noto Sans CJK SC,")
    assert config["title"]["fontSize"] >= 18
    assert config["axis"]["labelFontSize"] >= 14
    assert config["legend"]["labelFontSize"] >= 14
    assert config["header"]["labelFontSize"] >= 14
    text_sizes = [
        n["mark"]["fontSize"]
        for n in walk(spec)
        if n.get("mark", {}) and "fontSize" in n.get("mark", {})
    ]
    assert text_sizes and min(text_sizes) >= 14


@pytest.mark.parametrize("name", BUILDERS)
def test_user_text_never_reaches_a_vega_expression(name):
    """Filters are constants; unit and indicator names travel only as data."""
    spec = BUILDERS[name]().to_dict()
    expressions = [
        str(n[key])
        for n in walk(spec)
        for key in ("filter", "expr", "calculate", "test")
        if key in n
    ]
    for text in expressions:
        assert not HAN.search(text), text


def test_user_text_with_quotes_is_kept_as_data():
    unit = "东山乡'\"};alert(1)//"
    table = make_table(unit)
    spec = bar_charts.change_pages(table)[0].to_dict()
    bars = layer_with(spec, "bar")
    assert {r["unit"] for r in rows(spec, bars)} == {unit}
    assert unit not in str([n.get("filter") for n in walk(spec)])
    assert bars["encoding"]["y"]["field"] == "row"


# ---- before_after_bars ------------------------------------------------------------------


def test_before_after_bars_facets_each_indicator_with_its_own_scale():
    spec = BUILDERS["before_after"]().to_dict()
    facet = plot(spec)
    assert facet["facet"]["field"] == "panel"
    assert facet["facet"]["sort"][0] == "发文数量（件）"
    assert facet["resolve"]["scale"]["x"] == "independent"
    assert marks(facet["spec"]) == ["bar", "text"]
    bar = facet["spec"]["layer"][0]["encoding"]
    assert bar["x"]["field"] == "value"
    assert bar["color"]["field"] == "period"
    assert bar["color"]["scale"]["domain"] == ["改革前", "改革后"]
    assert [t["field"] for t in bar["tooltip"]] == ["name", "unit", "period", "text"]
    data = rows(spec, spec)
    assert len(data) == 2 * len(TABLE)
    assert {"warnings", "pct_change"}.isdisjoint(data[0])  # only what the chart needs
    assert {(r["period"], r["text"]) for r in data if r["indicator"] == "doc_count"} == {
        ("改革前", "80件"),
        ("改革后", "50件"),
    }


def test_before_after_bars_offsets_periods_within_each_unit():
    spec = BUILDERS["before_after_units"]().to_dict()
    enc = plot(spec)["spec"]["layer"][0]["encoding"]
    assert enc["y"]["field"] == "unit"
    assert enc["y"]["sort"] == ["城关镇", "新城街道"]
    assert enc["yOffset"] == {"field": "period", "sort": ["改革前", "改革后"], "type": "nominal"}


def test_before_after_bars_skips_missing_values():
    table = TABLE.copy()
    table.loc[0, "before"] = math.nan
    spec = bar_charts.before_after_pages(table, "改革前", "改革后")[0].to_dict()
    assert len(rows(spec, spec)) == 2 * len(TABLE) - 1


@pytest.mark.slow  # 0.7 s
def test_before_after_pages_hold_a_few_panels_each_and_cap_units_with_a_note():
    codes = [c for c in CATALOG.codes() if CATALOG[c].entered][:20]
    units = [f"单位{n}" for n in range(9)]
    many = pd.DataFrame(
        [comparison_row(u, c, 10, 5, "改善") for u in units for c in codes],
        columns=TABLE_COLUMNS,
    )
    pages = bar_charts.before_after_pages(many, "前", "后", size=SLIDE)
    assert len(pages) == math.ceil(len(codes) / SLIDE.panels)
    seen = []
    for chart in pages:
        spec = chart.to_dict()
        data = rows(spec, spec)
        assert len({r["indicator"] for r in data}) <= SLIDE.panels
        assert {r["unit"] for r in data} == set(units[: bar_charts.MAX_BAR_UNITS])
        assert any("共9个" in line for line in notes(spec))
        seen += [r["indicator"] for r in data]
    assert set(seen) == set(codes)
    assert "（2/" in pages[1].to_dict()["title"]["text"]


def test_before_after_bars_rejects_equal_period_labels():
    with pytest.raises(JianfuError, match="不能相同"):
        bar_charts.before_after_pages(TABLE, "2023年", "2023年")[0]


# ---- change_bars --------------------------------------------------------------------------


def test_change_bars_diverge_from_zero_coloured_by_verdict():
    spec = BUILDERS["change"]().to_dict()
    layers = plot(spec)["layer"]
    assert marks(spec) == ["bar", "text", "text", "rule"]
    bar = layers[0]["encoding"]
    assert bar["x"]["field"] == "pct_change"
    assert bar["x"]["title"] == "变化幅度（%）"
    color = bar["color"]
    assert color["field"] == "verdict"
    assert color["scale"]["domain"] == ["改善", "恶化", "持平", "变化", "新增", "无数据"]
    assert (
        dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
        == chart_style.VERDICT_COLORS
    )
    assert color["legend"]["values"] == ["改善", "恶化", "持平"]  # 新增 has no bar here
    rule = layers[3]
    assert rule["encoding"]["x"]["field"] == "zero"


def test_change_bars_sort_by_change_and_label_in_percent():
    spec = BUILDERS["change"]().to_dict()
    bars = plot(spec)["layer"][0]
    data = rows(spec, bars)
    assert bars["encoding"]["y"]["sort"] == [
        "发文数量", "会议数量", "单次会议时长", "主讲话时长",
    ]  # fmt: skip
    assert {r["name"]: r["text"] for r in data} == {
        "发文数量": "-37.5%",
        "会议数量": "-25%",
        "单次会议时长": "0%",
        "主讲话时长": "+40% 恶化",  # worse is said in words, not by colour alone
    }


def test_change_bars_leave_rates_to_the_table_in_points():
    spec = BUILDERS["change"]().to_dict()
    assert "视频会议占比" not in {r["name"] for r in rows(spec, plot(spec)["layer"][0])}
    assert any("个百分点" in line and "视频会议占比" in line for line in notes(spec))


def test_change_bars_leave_out_rows_without_a_percentage_and_say_so_under_the_plot():
    spec = BUILDERS["change"]().to_dict()
    names = {r["name"] for r in rows(spec, plot(spec)["layer"][0])}
    assert "无文号来文/便笺数量" not in names  # 0 -> 5: no percentage
    note = notes(spec)[0]
    assert note.startswith("1项基期为0") and "无文号来文/便笺数量" in note
    assert plot(spec)["title"]["orient"] == "bottom"  # a footnote, not across the plot
    assert "subtitle" not in spec["title"]


def test_charts_never_draw_rows_that_were_not_compared():
    table = pd.concat(
        [TABLE, pd.DataFrame([comparison_row("城关镇", "work_groups", math.nan, 9, "基期无数据")])],
        ignore_index=True,
    )
    for build in (
        lambda t: bar_charts.change_pages(t)[0],
        lambda t: bar_charts.before_after_pages(t, "甲", "乙")[0],
    ):
        spec = build(table).to_dict()
        drawn = {
            r.get("name")
            for node in walk(spec)
            if "name" in node.get("data", {})
            for r in rows(spec, node)
        }
        assert drawn and "工作群数量" not in drawn
        assert any("未作比较：工作群数量" in line for line in notes(spec))


def test_change_bars_name_the_unit_when_there_are_several():
    spec = bar_charts.change_pages(TWO_UNITS)[0].to_dict()
    labels = plot(spec)["layer"][0]["encoding"]["y"]["sort"]
    assert "城关镇·发文数量" in labels and "新城街道·发文数量" in labels


@pytest.mark.slow  # 1.3 s
@pytest.mark.parametrize("size", [SCREEN, SLIDE, DOC])
def test_change_bars_are_split_into_pages_largest_cuts_first(size):
    many = pd.DataFrame(
        [comparison_row("甲", "doc_count", 100, 100 - n, "改善") for n in range(50)],
        columns=TABLE_COLUMNS,
    )
    many["name"] = [f"指标{n}" for n in range(50)]
    pages = bar_charts.change_pages(many, size=size)
    assert len(pages) == math.ceil(50 / size.rows)
    shown = [rows(spec, plot(spec)["layer"][0]) for spec in (p.to_dict() for p in pages)]
    assert all(len(page) <= size.rows for page in shown)
    assert [r["name"] for page in shown for r in page] == [f"指标{n}" for n in range(49, -1, -1)]
    for page, spec in zip(shown, (p.to_dict() for p in pages), strict=True):
        low, high = plot(spec)["layer"][0]["encoding"]["x"]["scale"]["domain"]
        assert high == 0 and low <= min(r["pct_change"] for r in page)  # the page's own bars


# ---- trend_lines ---------------------------------------------------------------------------


def test_trend_lines_follow_the_given_period_order():
    periods = ["2023年", "2021年", "2022年"]
    spec = line_charts.trend_pages(trend_of(periods), CATALOG, ["doc_count"])[0].to_dict()
    line = layer_with(spec, "line")
    assert line["encoding"]["x"]["sort"] == periods
    assert line["encoding"]["x"]["scale"]["domain"] == periods
    assert line["encoding"]["color"]["field"] == "unit"
    assert layer_with(spec, "point")["encoding"]["shape"]["field"] == "unit"  # not hue alone
    data = rows(spec, line)
    assert {r["period"] for r in data} == set(periods)  # 2019年 was not asked for
    assert spec["title"]["text"] == "发文数量变化趋势"


def test_trend_lines_draw_dashed_threshold_rules_per_level():
    spec = BUILDERS["trend_one"]().to_dict()
    rule = layer_with(spec, "rule")
    assert rule["mark"]["strokeDash"] == chart_style.THRESHOLD_DASH
    labels = {r["value"]: r["label"] for r in rows(spec, rule)}
    assert labels == {
        60.0: "中央：不超过60分钟",
        40.0: "地方：不超过40分钟",
        20.0: "示例：不超过20分钟",
    }
    only = line_charts.trend_pages(trend_of(), CATALOG, ["speech_main_minutes"], levels=["中央"])[
        0
    ].to_dict()
    assert [r["value"] for r in rows(only, layer_with(only, "rule"))] == [60.0]
    none = line_charts.trend_pages(trend_of(), CATALOG, ["doc_count"])[0].to_dict()
    assert "rule" not in marks(none)  # not_above_previous is no horizontal line


def test_trend_lines_draw_the_engines_ratios():
    spec = line_charts.trend_pages(trend_of(units=["城关镇"]), CATALOG, ["meeting_video_share"])[
        0
    ].to_dict()
    data = rows(spec, layer_with(spec, "line"))
    assert {r["period"]: round(r["value"], 2) for r in data} == {
        "2021年": 20.0,
        "2022年": 30.0,
        "2023年": 50.0,
    }
    assert {r["unit"] for r in data} == {"城关镇"}


@pytest.mark.slow  # 0.6 s
def test_trend_lines_put_several_indicators_in_panels():
    spec = BUILDERS["trend_many"]().to_dict()
    assert plot(spec)["columns"] == 2
    assert [p["title"] for p in plot(spec)["concat"]] == [
        "发文数量（件）",
        "主讲话时长（分钟）",
        "视频会议占比（%）",
    ]


@pytest.mark.parametrize(
    ("periods", "indicators", "message"),
    [
        ([], ["doc_count"], "时期"),
        (PERIODS, [], "指标"),
        (PERIODS, ["no_such_code"], "no_such_code"),
    ],
)
def test_trend_lines_refuse_empty_or_unknown_choices(periods, indicators, message):
    table = trend_of()
    table.attrs["periods"] = periods
    with pytest.raises(JianfuError, match=message):
        line_charts.trend_pages(table, CATALOG, indicators)[0]


# ---- category_small_multiples ----------------------------------------------------------------


def test_category_small_multiples_one_panel_per_category_and_measure_in_catalog_order():
    spec = BUILDERS["categories"]().to_dict()
    panels = plot(spec)["concat"]
    assert [p["title"] for p in panels] == ["文件", "会议（次）", "会议（分钟）", "会议（%）"]
    assert "resolve" not in plot(spec)  # concat panels keep independent scales
    first = panels[0]
    enc = first["layer"][0]["encoding"]
    assert enc["y"]["field"] == "name" and enc["yOffset"]["field"] == "period"
    assert {r["name"] for r in rows(spec, first)} == {"发文数量", "无文号来文/便笺数量"}
    assert "刻度各不相同" in spec["title"]["subtitle"][0]


def test_category_small_multiples_need_a_unit_when_several():
    with pytest.raises(JianfuError, match="多个单位"):
        bar_charts.category_pages(TWO_UNITS, "前", "后")[0]
    spec = bar_charts.category_pages(TWO_UNITS, "前", "后", unit="新城街道")[0].to_dict()
    assert {r["unit"] for r in rows(spec, plot(spec)["concat"][0])} == {"新城街道"}


# ---- ranking_bars ------------------------------------------------------------------------------


def test_ranking_bars_order_units_by_rank():
    spec = BUILDERS["ranking"]().to_dict()
    layers = plot(spec)["layer"]
    bar = layers[0]["encoding"]
    assert bar["y"]["sort"] == ["1. 城关镇", "2. 新城街道", "3. 东山乡"]
    assert bar["x"]["title"] == "变化幅度（%）"
    assert marks(spec) == ["bar", "text", "text"]
    assert layers[1]["encoding"]["text"]["field"] == "label"
