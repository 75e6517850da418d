"""The 对比 app driven from Python: it shows the demo at once and follows every change."""

import base64
import re

import pytest

from widgets.compare import CompareApp


@pytest.fixture
def app(demo_store):
    return CompareApp(demo_store)


def test_demo_shows_table_charts_and_sentences_on_first_load(app):
    assert app._status.value == ""
    assert "示例县城关镇" in app._table.value and "改善" in app._table.value
    assert "51%、56.6%、76.57%" in app._sentences.value
    assert app._charts.children == ()  # rendered when the tab opens
    app._tabs.selected_index = 2
    assert len(app._charts.children) == 3  # change bars, before/after, ranking
    assert all("<svg" in panel.children[0].value for panel in app._charts.children)


def test_warnings_list_names_level_and_source(app):
    assert "中央" in app._warnings.value and "若干规定" in app._warnings.value


def test_same_period_twice_is_explained(app):
    app._after.value = app._before.value
    assert "请选择两个不同的时期" in app._status.value


def test_trend_mode(app):
    app._mode.value = "trend"
    app._units.value = ("区委组织部",)
    app._periods.value = ("2019年", "2020年", "2021年")
    app._tabs.selected_index = 2
    assert "未实现逐年递减" in app._sentences.value
    assert "82件" in app._table.value
    assert len(app._charts.children) == 1


def test_trend_needs_two_periods(app):
    app._mode.value = "trend"
    app._periods.value = ("2019年",)
    assert "请至少选择两个时期" in app._status.value


def test_group_and_single_unit_charts(app):
    app._units.value = ("示例县城关镇", "示例县青山镇")
    app._group.value = True
    app._group_name.value = "两镇"
    app._tabs.selected_index = 2
    assert "两镇" in app._table.value and "示例县青山镇" not in app._table.value
    assert len(app._charts.children) == 3  # change bars, before/after, small multiples


def test_level_switch_removes_local_warnings(app):
    app._units.value = ("示例县城关镇",)
    assert "超过上限40分钟" in app._warnings.value
    local = next(c for c in app._levels.children if c.description == "地方")
    local.value = False
    assert "超过上限40分钟" not in app._warnings.value


def _download(container):
    link = container.children[0].value
    return base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1))


def test_table_and_chart_downloads(app):
    app._export.click()
    assert _download(app._downloads)[:2] == b"PK"
    app._tabs.selected_index = 2
    panel = app._charts.children[0]
    panel._svg.click()
    assert _download(panel._links).startswith(b"<svg")


@pytest.mark.slow
def test_png_download(app):
    app._tabs.selected_index = 2
    panel = app._charts.children[0]
    panel._png.click()
    assert _download(panel._links)[:8] == b"\x89PNG\r\n\x1a\n"


def test_sentences_are_escaped(demo_store):
    import pandas as pd

    demo_store.save_observations(
        pd.DataFrame(
            [("<b>镇</b>", "2023年", "doc_count", 5), ("<b>镇</b>", "2024年", "doc_count", 3)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    app = CompareApp(demo_store)
    app._units.value = ("<b>镇</b>",)
    assert "<b>镇</b>" not in app._sentences.value and "&lt;b&gt;镇" in app._sentences.value
    assert "<b>镇</b>" not in app._table.value


def test_user_threshold_overrides_the_catalog(app):
    app._units.value = ("示例县城关镇",)
    assert "超过上限8分钟" not in app._warnings.value  # 交流发言 12 -> 8 minutes: at the limit
    app._override_indicator.value = "speech_exchange_minutes"
    app._override_value.value = 5
    app._override_set.click()
    assert "超过上限5分钟" in app._warnings.value and "自定义" in app._warnings.value
    assert "交流发言时长：5" in app._override_list.value
    app._override_clear.click()
    assert "超过上限5分钟" not in app._warnings.value


def test_rollup_sums_the_children_of_a_parent(app):
    app._parent.value = "示例县"
    app._rollup.click()
    assert set(app._units.value) == {"示例县城关镇", "示例县青山镇"} and app._group.value
    table = app._result.table.set_index("indicator")
    assert set(table["unit"]) == {"示例县（下级合计）"}
    assert (table.loc["doc_count", "before"], table.loc["doc_count", "after"]) == (
        85,
        64,
    )  # 46+39, 31+33


def test_rank_on_one_indicator(app):
    app._units.value = ("示例县城关镇", "示例县青山镇")
    app._rank_by.value = "doc_count"  # 46 -> 31 (-32.61%) beats 39 -> 33 (-15.38%)
    assert list(app._result.ranking["unit"]) == ["示例县城关镇", "示例县青山镇"]
    app._rank_by.value = "work_groups"  # 27 -> 31 rose, 19 -> 12 fell
    assert list(app._result.ranking["unit"]) == ["示例县青山镇", "示例县城关镇"]
    app._tabs.selected_index = 2
    assert any(panel._name == "单位排名" for panel in app._charts.children)
