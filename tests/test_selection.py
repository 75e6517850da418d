"""The 对比 app's model on the demo data: default selection, checks, views, exports, trends."""

import dataclasses

import pandas as pd
import pytest

from jianfu.compare.selection import (
    Selection,
    check_pair,
    check_run,
    default_selection,
    run_comparison,
    run_trend,
)
from jianfu.compare.views import (
    LABELS,
    export_view,
    format_table,
    table_view,
    trend_view,
    warnings_frame,
)
from jianfu.errors import JianfuError


@pytest.fixture
def demo(demo_store):
    return demo_store.observations(), demo_store.catalog(), demo_store.periods()


def test_default_selection_picks_the_pair_with_most_data(demo):
    obs, _, periods = demo
    sel = default_selection(obs, periods)
    assert (sel.before, sel.after) == ("2023年", "2024年")
    # one unit, the one with most values, so the first chart is readable on a projector
    assert sel.units == ("示例县城关镇",)


def test_default_selection_on_empty_data():
    assert (
        default_selection(pd.DataFrame(columns=["unit", "period", "indicator", "value"]), [])
        == Selection()
    )


def test_seed_sentence_for_the_county(demo):
    obs, catalog, periods = demo
    sel = Selection(units=("示例县",), before="2023年", after="2024年")
    result = run_comparison(obs, catalog, sel)
    assert result.sentences == [
        "示例县发文数量、会议数量、督检考事项同比分别减少51%、56.6%、76.57%"
    ]
    assert result.ranking is None


def test_table_view_formats_rates_in_points(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇",), before="2023年", after="2024年")
    view = table_view(run_comparison(obs, catalog, sel).table).set_index("指标")
    video = view.loc["视频会议占比"]  # 12/58 = 20.69% -> 16/40 = 40%: one precision in a row
    assert (video["2023年"], video["2024年"], video["变化"], video["判断"]) == (
        "20.7%",
        "40.0%",
        "+19.3个百分点",
        "改善",
    )
    docs = view.loc["发文数量"]  # 46 -> 31
    assert (docs["变化"], docs["变化率"]) == ("-15件", "-32.61%")
    assert "多于2023年的12件" in view.loc["无文号来文/便笺数量", "预警"]


def test_export_view_keeps_numbers(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("公安分局",), before="改革前", after="改革后")
    view = export_view(run_comparison(obs, catalog, sel).table).set_index("指标")
    assert view.loc["社区民警工作台账种类", "变化率（%）"] == -37.5
    share = view.loc["一线实战部门警力占比"]  # 301/407 = 73.96% -> 377/407 = 92.63%
    assert (share["改革前"], share["改革后"], share["变化（个百分点）"]) == (74.0, 92.6, 18.6)


def test_group_aggregates_before_comparing(demo):
    obs, catalog, _ = demo
    sel = Selection(
        units=("示例县城关镇", "示例县青山镇"), group="两镇合计", before="2023年", after="2024年"
    )
    table = run_comparison(obs, catalog, sel).table.set_index("indicator")
    assert set(table["unit"]) == {"两镇合计"}
    assert (table.loc["doc_count", "before"], table.loc["doc_count", "after"]) == (85, 64)
    # ratio from summed parts: (12+5)/(58+44) = 16.67% and (16+14)/(40+37) = 38.96%,
    # not the mean of the two shares (15.85% and 38.92%)
    assert table.loc["meeting_video_share", "before"] == 16.7
    assert table.loc["meeting_video_share", "after"] == 39.0


def test_disabled_levels_drop_their_warnings(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇",), before="2023年", after="2024年")
    levels = set(warnings_frame(run_comparison(obs, catalog, sel).table)["级别"])
    assert {"中央", "地方", "示例"} <= levels
    quiet = dataclasses.replace(sel, disabled_levels=frozenset({"地方", "示例"}))
    assert set(warnings_frame(run_comparison(obs, catalog, quiet).table)["级别"]) == {"中央"}


def test_categories_filter(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇",), before="2023年", after="2024年", categories=("会议",))
    assert set(run_comparison(obs, catalog, sel).table["category"]) == {"会议"}


def test_ranking_with_several_units(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇", "示例县青山镇"), before="2023年", after="2024年")
    ranking = run_comparison(obs, catalog, sel).ranking
    assert list(ranking["unit"]) == ["示例县城关镇", "示例县青山镇"]  # 25/27 improved vs 24/27


def test_trend_for_the_seed_documents(demo):
    obs, catalog, _ = demo
    periods = ("2019年", "2020年", "2021年")
    sel = Selection(units=("区委组织部",), periods=periods)
    table, sentences = run_trend(obs, catalog, sel)
    assert sentences == ["区委组织部发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减"]
    assert table.iloc[0]["verdict"] == "未实现逐年递减"
    view = trend_view(table, list(periods))
    assert view.iloc[0].tolist() == [
        "区委组织部",
        "发文数量",
        "82件",
        "81件",
        "85件",
        "未实现逐年递减（2021年）",
    ]


# ---- checks shared by the page and the CLI ----------------------------------------


@pytest.mark.parametrize(
    "sel, message",
    [
        (Selection(before="2023年", after="2023年"), "不能是同一个时期"),
        (Selection(before="2023年"), "请选择基期和比较期"),
        (Selection(before="2023年", after="2030年"), "时期“2030年”不存在"),
        (Selection(units=("无此单位",), before="2023年", after="2024年"), "单位“无此单位”不存在"),
    ],
)
def test_check_pair_refuses(sel, message):
    with pytest.raises(JianfuError, match=message):
        check_pair(sel, ["2023年", "2024年"], ["示例县"])


def test_check_pair_on_an_empty_database_points_at_entry():
    with pytest.raises(JianfuError, match="数据录入"):
        check_pair(Selection(), [])


def test_check_run_needs_two_periods():
    with pytest.raises(JianfuError, match="至少选择两个"):
        check_run(Selection(periods=("2023年",)), ["2023年", "2024年"])
    check_run(Selection(periods=("2023年", "2024年")), ["2023年", "2024年"])


# ---- one vocabulary ------------------------------------------------------------------


def test_page_and_cli_tables_use_the_same_headers(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("公安分局",), before="改革前", after="改革后")
    view = table_view(run_comparison(obs, catalog, sel).table)
    assert list(view.columns) == [
        LABELS["unit"], LABELS["category"], LABELS["name"], "改革前", "改革后",
        LABELS["change"], LABELS["pct_change"], LABELS["verdict"], LABELS["warnings"],
    ]  # fmt: skip
    header = format_table(view).splitlines()[0].split()
    assert header == list(view.columns)
    assert "增减" not in header and "结论" not in header


def test_trend_view_takes_the_verdict_from_the_trend_module(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇",), periods=("2023年", "2024年"))
    table, _ = run_trend(obs, catalog, sel)
    view = trend_view(table, ["2023年", "2024年"]).set_index("指标")
    assert view.loc["为基层解决实际问题", "趋势"] == "逐年递增"  # 21 -> 38, more is better
    assert view.loc["工作群数量", "趋势"] == "未实现逐年递减（2024年）"  # 27 -> 31
    assert view.loc["视频会议数量", "趋势"] == "—"  # 中性: not judged
    verdicts = table.set_index("name")["verdict"]
    assert verdicts["工作群数量"] == "未实现逐年递减"  # the page adds the period that broke it
