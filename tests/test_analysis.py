"""The 对比 app's model on the demo data: default selection, views, exports, trend verdicts."""

import dataclasses

import pytest

from jianfu.compare.views import (
    Selection,
    default_selection,
    export_view,
    run_comparison,
    run_trend,
    table_view,
    trend_view,
    warnings_frame,
)


@pytest.fixture
def demo(demo_store):
    return demo_store.observations(), demo_store.catalog(), demo_store.periods()


def test_default_selection_picks_the_pair_with_most_data(demo):
    obs, _, periods = demo
    sel = default_selection(obs, periods)
    assert (sel.before, sel.after) == ("2023年", "2024年")
    assert set(sel.units) == {"示例县", "示例县城关镇", "示例县青山镇", "示例支队"}


def test_default_selection_on_empty_data():
    import pandas as pd

    assert (
        default_selection(pd.DataFrame(columns=["unit", "period", "indicator", "value"]), [])
        == Selection()
    )


def test_seed_sentence_for_the_county(demo):
    obs, catalog, periods = demo
    sel = Selection(units=("示例县",), before="2023年", after="2024年")
    result = run_comparison(obs, catalog, sel)
    assert result.sentences == ["示例县文件、会议、督检考同比分别减少51%、56.6%、76.57%"]
    assert result.ranking is None


def test_table_view_formats_rates_in_points(demo):
    obs, catalog, _ = demo
    sel = Selection(units=("示例县城关镇",), before="2023年", after="2024年")
    view = table_view(run_comparison(obs, catalog, sel).table).set_index("指标")
    video = view.loc["视频会议占比"]  # 12/58 = 20.69% -> 16/40 = 40%
    assert (video["基期"], video["比较期"], video["变化"], video["判断"]) == (
        "20.7%",
        "40%",
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
    assert view.loc["一线警力占比", "比较期"] == 92.63  # 377 / 407, two decimals in the sheet
    assert view.loc["一线警力占比", "变化（个百分点）"] == 18.67  # 73.96% -> 92.63%


def test_group_aggregates_before_comparing(demo):
    obs, catalog, _ = demo
    sel = Selection(
        units=("示例县城关镇", "示例县青山镇"), group="两镇合计", before="2023年", after="2024年"
    )
    table = run_comparison(obs, catalog, sel).table.set_index("indicator")
    assert set(table["unit"]) == {"两镇合计"}
    assert (table.loc["doc_count", "before"], table.loc["doc_count", "after"]) == (85, 64)
    # ratio from summed parts: (12+5)/(58+44) and (16+14)/(40+37), not the mean of the two shares
    assert table.loc["meeting_video_share", "before"] == pytest.approx(100 * 17 / 102)
    assert table.loc["meeting_video_share", "after"] == pytest.approx(100 * 30 / 77)


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
    view = trend_view(table, list(periods))
    assert view.iloc[0].tolist() == [
        "区委组织部",
        "发文数量",
        "82件",
        "81件",
        "85件",
        "未实现逐年递减（2021年）",
    ]
