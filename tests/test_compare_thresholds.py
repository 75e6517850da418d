"""Thresholds: the catalog's limits and the warnings the compare engine raises against them."""

import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.compare import (
    ThresholdOptions,
    compare,
)
from tests.support.observations import make_obs, one, pair

CATALOG = load_catalog()


# ---------------------------------------------------------------- thresholds


def levels(table, code):
    return [w["level"] for w in one(table, code)["warnings"]]


@pytest.mark.parametrize(
    "after, options, expected",
    [
        # 主讲话时长: 中央 60, 地方 40, 示例 20
        (45, ThresholdOptions(), ["地方", "示例"]),
        (75, ThresholdOptions(), ["中央", "地方", "示例"]),
        (15, ThresholdOptions(), []),
        (45, ThresholdOptions(disabled_levels=frozenset({"示例"})), ["地方"]),
        (45, ThresholdOptions(disabled_levels=frozenset({"地方", "示例"})), []),
        # the user's own value replaces the valued rules, whatever the disabled levels
        (45, ThresholdOptions(overrides={"speech_main_minutes": 50}), []),
        (55, ThresholdOptions(overrides={"speech_main_minutes": 50}), ["自定义"]),
        (
            55,
            ThresholdOptions(
                disabled_levels=frozenset({"自定义", "中央"}), overrides={"speech_main_minutes": 50}
            ),
            ["自定义"],
        ),
    ],
)
def test_max_threshold_levels_and_options(after, options, expected):
    table = compare(
        pair("speech_main_minutes", 30, after), CATALOG, "2023年", "2024年", thresholds=options
    )
    assert levels(table, "speech_main_minutes") == expected


def test_warning_fields_and_messages():
    obs = pd.concat(
        [
            pair("speech_main_minutes", 30, 75),
            pair("doc_count", 81, 85),
            pair("inspection_items", 100, 70),
            pair("gov_apps", 0, 3),
            make_obs(
                ("甲", "2024年", "frontline_police", 30), ("甲", "2024年", "total_police", 100)
            ),
        ]
    )
    table = compare(obs, CATALOG, "2023年", "2024年")
    speech = one(table, "speech_main_minutes")["warnings"][0]
    assert speech["rule"] == "max" and speech["level"] == "中央"
    assert speech["source"] == "《整治形式主义为基层减负若干规定》（2024年）"
    assert speech["message"] == "主要负责同志讲话或主报告一般不超过1小时，当前为75分钟"
    [doc] = one(table, "doc_count")["warnings"]
    assert doc["rule"] == "not_above_previous"
    assert doc["message"] == "年度发文数量原则上只减不增，当前为85件，多于2023年的81件"
    [insp] = one(table, "inspection_items")["warnings"]
    assert insp["message"] == "面向县乡村的督查检查考核事项至少压减50%，当前较2023年减少30%"
    [apps] = one(table, "gov_apps")["warnings"]  # rose from 0: only-down rule, not "上限0"
    assert (
        apps["message"] == "面向基层的政务App应清理整合，数量只减不增，当前为3个，多于2023年的0个"
    )
    # the 40% rule is about 派出所警力占比, not 一线实战部门警力占比
    assert not one(table, "frontline_police_share")["warnings"]


@pytest.mark.parametrize(
    "code, before, after, fires",
    [
        ("doc_count", 81, 85, True),
        ("doc_count", 85, 81, False),
        ("doc_count", 81, 81, False),
        ("doc_count", None, 85, False),  # nothing to compare with
        ("inspection_items", 100, 50, False),  # exactly 50% cut is enough
        ("inspection_items", 100, 51, True),
        ("inspection_items", 100, 120, True),
        ("inspection_items", 0, 5, False),  # no base, no percentage
        ("frontline_police_share", None, None, False),
        ("doc_avg_chars", 4000, 5000, False),  # at the limit
        ("doc_avg_chars", 4000, 5001, True),
        ("seconded_staff", 3, 0, False),
        ("seconded_staff", 3, None, False),  # no value after: no warning
    ],
)
def test_threshold_rules(code, before, after, fires):
    table = compare(pair(code, before, after), CATALOG, "2023年", "2024年")
    rows = table[table["indicator"] == code]
    assert bool(len(rows) and rows.iloc[0]["warnings"]) is fires


@pytest.mark.parametrize(
    "code, after, rule, message",
    [
        # no catalog value rule: max for 越少越好, min for 越多越好
        ("work_groups", 12, "max", "工作群数量不超过10个，当前为12个"),
        ("care_measures", 3, "min", "关心关爱措施不低于10项，当前为3项"),
    ],
)
def test_override_without_catalog_value_rule(code, after, rule, message):
    options = ThresholdOptions(overrides={code: 10})
    [warning] = one(
        compare(pair(code, 11, after), CATALOG, "2023年", "2024年", thresholds=options), code
    )["warnings"]
    assert (warning["rule"], warning["level"], warning["message"]) == (rule, "自定义", message)


def test_threshold_options_are_immutable_and_hashable():
    options = ThresholdOptions(disabled_levels={"示例"}, overrides={"doc_count": 3})
    assert options.disabled_levels == frozenset({"示例"})
    with pytest.raises(TypeError):
        options.overrides["doc_count"] = 4
    assert hash(options) == hash(ThresholdOptions(frozenset({"示例"}), {"doc_count": 3.0}))
