"""The compare engine against hand-checked figures (seed facts noted where used)."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from jianfu.catalog import indicator_from_dict, load_catalog
from jianfu.compare import (
    COMPARE_COLUMNS,
    compare,
    descendants,
    rank,
    trend,
    with_ratios,
)
from jianfu.compare.views import compare_records, format_table, table_view, trend_records
from jianfu.errors import JianfuError
from tests.support.observations import TREND_PERIODS, TWO_STATIONS, make_obs, one, pair

CATALOG = load_catalog()


# ---------------------------------------------------------------- shape


def test_columns_exact_and_catalog_order():
    obs = pd.concat(
        [
            pair("meeting_count", 10, 8, unit="乙"),
            pair("doc_count", 82, 81, unit="乙"),
            pair("report_forms", 5, 4, unit="甲"),
            pair("doc_count", 3, 2, unit="甲"),
        ]
    )
    table = compare(obs, CATALOG, "2023年", "2024年")
    assert list(table.columns) == COMPARE_COLUMNS
    # units in order of first appearance, indicators in catalog order within a unit
    assert list(zip(table["unit"], table["indicator"], strict=True)) == [
        ("乙", "doc_count"),
        ("乙", "meeting_count"),
        ("甲", "doc_count"),
        ("甲", "report_forms"),
    ]
    assert table.attrs["before"] == "2023年" and table.attrs["after"] == "2024年"
    row = one(table, "doc_count", "乙")
    assert (row["name"], row["short"], row["category"], row["measure"]) == (
        "发文数量",
        "发文数量",  # no short name: the indicator's own name, never its category's
        "文件",
        "件",
    )
    assert (row["direction"], row["kind"]) == ("越少越好", "count")


def test_units_filter_keeps_caller_order_and_drops_others():
    obs = pd.concat([pair("doc_count", 1, 2, unit=u) for u in ("甲", "乙", "丙")])
    table = compare(obs, CATALOG, "2023年", "2024年", units=["丙", "甲"])
    assert list(table["unit"]) == ["丙", "甲"]


def test_empty_observations_give_empty_table_with_columns():
    table = compare(make_obs(), CATALOG, "2023年", "2024年")
    assert table.empty and list(table.columns) == COMPARE_COLUMNS


def test_unknown_codes_and_stored_ratios_are_ignored():
    obs = make_obs(
        ("甲", "2023年", "no_such_code", 5),
        ("甲", "2023年", "frontline_police_share", 99.0),  # stale stored ratio
        ("甲", "2023年", "frontline_police", 377),
        ("甲", "2023年", "total_police", 407),
    )
    table = compare(obs, CATALOG, "2023年", "2024年")
    assert "no_such_code" not in set(table["indicator"])
    assert one(table, "frontline_police_share")["before"] == 92.6  # 377/407, one decimal


def test_later_duplicate_wins():
    obs = make_obs(("甲", "2023年", "doc_count", 5), ("甲", "2023年", "doc_count", 7))
    assert one(compare(obs, CATALOG, "2023年", "2024年"), "doc_count")["before"] == 7


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize(
    "code, before, after, change, pct",
    [
        # seed 003: 社区民警工作台账 16 -> 10 种: -6, -6/16 = -37.5%
        ("community_police_ledgers", 16, 10, -6, -37.5),
        # seed 001 percentages from raw counts: -102/200 = -51%,
        # -60/106 = -56.6037…%, -134/175 = -76.5714…%
        ("doc_count", 200, 98, -102, -51.0),
        ("meeting_count", 106, 46, -60, -56.60377358),
        ("inspection_items", 175, 41, -134, -76.57142857),
        # a rise: 81 -> 85 is +4, 4/81 = +4.938…%
        ("doc_count", 81, 85, 4, 4.9382716),
    ],
)
def test_change_and_pct_change(code, before, after, change, pct):
    row = one(compare(pair(code, before, after), CATALOG, "2023年", "2024年"), code)
    assert (row["before"], row["after"], row["change"]) == (before, after, change)
    assert row["pct_change"] == pytest.approx(pct)
    assert math.isnan(row["pp_change"])  # counts have no point change


def test_seed_frontline_share_is_computed_from_parts():
    # public material: 377 of 407 police in frontline units = 92.6289…% (92.6%)
    obs = make_obs(
        ("分局", "改革后", "frontline_police", 377), ("分局", "改革后", "total_police", 407)
    )
    row = one(compare(obs, CATALOG, "改革前", "改革后"), "frontline_police_share")
    assert (row["after"], row["decimals"]) == (92.6, 1)
    assert math.isnan(row["before"]) and row["verdict"] == "基期无数据"


def test_percentage_point_change_of_a_ratio():
    # video meetings 4 of 20 = 20%  ->  7 of 20 = 35%: +15 points, relative +75%
    obs = make_obs(
        ("甲", "2023年", "meeting_count", 20),
        ("甲", "2023年", "meeting_video", 4),
        ("甲", "2024年", "meeting_count", 20),
        ("甲", "2024年", "meeting_video", 7),
    )
    row = one(compare(obs, CATALOG, "2023年", "2024年"), "meeting_video_share")
    assert (row["before"], row["after"]) == pytest.approx((20.0, 35.0))
    assert row["pp_change"] == pytest.approx(15.0)
    assert row["pct_change"] == pytest.approx(75.0)
    assert row["verdict"] == "改善"


def test_percent_kind_has_point_change():
    row = one(
        compare(pair("satisfaction_rate", 80, 86.5), CATALOG, "2023年", "2024年"),
        "satisfaction_rate",
    )
    assert row["pp_change"] == pytest.approx(6.5)
    assert row["pct_change"] == pytest.approx(6.5 / 80 * 100)


# ---------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    "code, before, after, verdict",
    [
        # 越少越好: fewer is better
        ("doc_count", 10, 8, "改善"),
        ("doc_count", 8, 10, "恶化"),
        ("doc_count", 5, 0, "改善"),
        # 越多越好: more is better
        ("problems_solved", 10, 12, "改善"),
        ("problems_solved", 12, 10, "恶化"),
        # 中性: moved but not judged
        ("police_stations", 14, 11, "变化"),
        ("police_stations", 14, 14, "持平"),
        # equal values, zero included
        ("doc_count", 7, 7, "持平"),
        ("doc_count", 0, 0, "持平"),
        # a recorded zero before, a positive value after: 新增
        ("gov_apps", 0, 3, "新增"),
        ("care_measures", 0, 2, "新增"),
        # no value before is not zero: not compared, never a rise
        ("gov_apps", None, 3, "基期无数据"),
        ("doc_count", None, 0, "基期无数据"),
        # no value after
        ("doc_count", 5, None, "比较期无数据"),
    ],
)
def test_verdicts(code, before, after, verdict):
    row = one(compare(pair(code, before, after), CATALOG, "2023年", "2024年"), code)
    assert row["verdict"] == verdict


@pytest.mark.parametrize(
    "before, after",
    [(0, 3), (None, 3), (0, 0), (5, None), (None, 0)],
)
def test_zero_or_missing_baseline_has_no_inf_or_percentage(before, after):
    row = one(compare(pair("gov_apps", before, after), CATALOG, "2023年", "2024年"), "gov_apps")
    assert math.isnan(row["pct_change"])
    assert not np.isinf(row[["before", "after", "change"]].astype(float)).any()


def test_change_is_nan_when_a_period_is_missing():
    row = one(compare(pair("doc_count", 5, None), CATALOG, "2023年", "2024年"), "doc_count")
    assert math.isnan(row["change"]) and math.isnan(row["after"])


def test_ratio_with_zero_denominator_is_missing_not_inf():
    obs = make_obs(
        ("甲", "2023年", "meeting_count", 0),
        ("甲", "2023年", "meeting_video", 0),
        ("甲", "2024年", "meeting_count", 10),
        ("甲", "2024年", "meeting_video", 4),
    )
    row = one(compare(obs, CATALOG, "2023年", "2024年"), "meeting_video_share")
    assert math.isnan(row["before"]) and row["after"] == pytest.approx(40.0)
    assert row["verdict"] == "基期无数据"  # a share of nothing is no share: not compared


# ---------------------------------------------------------------- aggregation


def test_ratio_aggregation_recomputes_from_summed_parts():
    # 2024: 甲 377/407 = 92.629%, 乙 30/93 = 32.258%; mean of shares = 62.444%;
    # from summed parts (377+30)/(407+93) = 407/500 = 81.4%.
    # 2023: (300+20)/(400+100) = 320/500 = 64%  ->  +17.4 points.
    table = compare(TWO_STATIONS, CATALOG, "2023年", "2024年", group="合计")
    assert set(table["unit"]) == {"合计"}
    row = one(table, "frontline_police_share")
    assert row["after"] == 81.4
    assert row["after"] != round((377 / 407 + 30 / 93) / 2 * 100, 1)
    assert row["before"] == 64.0
    assert row["pp_change"] == 17.4
    assert one(table, "total_police")["after"] == 500


def test_group_of_selected_units_only():
    obs = pd.concat([TWO_STATIONS, make_obs(("丙所", "2024年", "total_police", 1000))])
    table = compare(obs, CATALOG, "2023年", "2024年", units=["甲所", "乙所"], group="两所")
    assert one(table, "total_police", "两所")["after"] == 500


@pytest.mark.parametrize(
    "code, values, expected",
    [
        ("doc_count", (10, 20, 30), 60),  # sum
        ("mean_custom", (3000, 4000, 5000), 4000),  # mean without a weight (custom indicator)
        ("speech_main_minutes", (30, 75, 50), 75),  # max
        ("community_police_ledgers", (16, 10, 12), 16),  # max
        ("low_custom", (7, 3, 5), 3),  # min (custom indicator)
    ],
)
def test_aggregate_rules(code, values, expected):
    custom = [
        indicator_from_dict(
            {"code": code_, "name": name, "category": "成效", "measure": "项",
             "direction": "越多越好", "kind": kind, "aggregate": rule}
        )
        for code_, name, kind, rule in (
            ("low_custom", "最少示例", "count", "min"),
            ("mean_custom", "平均示例", "amount", "mean"),
        )
    ]  # fmt: skip
    catalog = CATALOG.with_custom(custom)
    obs = make_obs(
        *[
            (u, p, code, v)
            for u, v in zip("ABC", values, strict=True)
            for p in ("2023年", "2024年")
        ],
        ("D", "2024年", code, 999),
        ("D", "2023年", code, 999),
    )
    table = compare(obs, catalog, "2023年", "2024年", units=list("ABC"), group="合计")
    assert table[["unit", "indicator", "before", "after"]].values.tolist() == [
        ["合计", code, expected, expected]
    ]


def test_a_mean_with_a_weight_is_weighted_over_units_with_both():
    obs = make_obs(
        *[
            (u, p, code, v)
            for u, chars, docs in (("A", 3000, 10), ("B", 6000, 30), ("C", 9000, None))
            for p in ("2023年", "2024年")
            for code, v in (("doc_avg_chars", chars), ("doc_count", docs))
            if v is not None
        ]
    )
    table = compare(obs, CATALOG, "2023年", "2024年", units=list("ABC"), group="合计")
    chars = table.set_index("indicator").loc["doc_avg_chars"]
    assert (chars["before"], chars["after"]) == (5250, 5250)  # (3000*10 + 6000*30) / 40
    assert {(r["unit"], r["indicator"]) for r in table.attrs["left_out"]} == {
        ("C", "doc_avg_chars")
    }


HIERARCHY = pd.DataFrame(
    {
        "name": ["县", "甲镇", "乙镇", "一村", "二村", "局"],
        "parent": [None, "县", "县", "甲镇", "甲镇", np.nan],
    }
)


@pytest.mark.parametrize(
    "parent, leaves_only, expected",
    [
        ("县", False, ["甲镇", "乙镇", "一村", "二村"]),
        ("县", True, ["乙镇", "一村", "二村"]),
        ("甲镇", False, ["一村", "二村"]),
        ("一村", False, []),
        ("局", False, []),
        ("不存在", False, []),
    ],
)
def test_descendants(parent, leaves_only, expected):
    assert descendants(HIERARCHY, parent, leaves_only=leaves_only) == expected


def test_descendants_survives_a_cycle():
    cyclic = pd.DataFrame({"name": ["A", "B"], "parent": ["B", "A"]})
    assert descendants(cyclic, "A") == ["B"]


def test_with_ratios_adds_rows_and_is_idempotent():
    obs = make_obs(
        ("甲", "2024年", "frontline_police", 377),
        ("甲", "2024年", "total_police", 407),
        ("乙", "2024年", "frontline_police", 5),
        ("乙", "2024年", "total_police", 0),  # no share for a zero denominator
        ("丙", "2024年", "meeting_count", 10),  # no numerator: no share
    )
    once = with_ratios(obs, CATALOG)
    added = once[once["indicator"] == "frontline_police_share"]
    assert added[["unit", "period"]].values.tolist() == [["甲", "2024年"]]
    assert added["value"].iloc[0] == pytest.approx(92.62899262899)
    assert len(once) == len(obs) + 1
    twice = with_ratios(once, CATALOG)
    assert len(twice) == len(once)


# ---------------------------------------------------------------- output


def test_compare_records_are_json_ready():
    obs = pd.concat(
        [
            pair("community_police_ledgers", 16, 10),
            pair("gov_apps", 0, 3),
            pair("doc_count", 5, None),
        ]
    )
    records = compare_records(compare(obs, CATALOG, "2023年", "2024年"))
    json.dumps(records, allow_nan=False, ensure_ascii=False)
    assert [r["indicator"] for r in records] == [
        "doc_count",
        "community_police_ledgers",
        "gov_apps",
    ]
    ledger = records[1]
    assert (
        ledger["indicator"] == "community_police_ledgers"
        and ledger["name"] == "社区民警工作台账种类"
    )
    assert (ledger["before"], ledger["after"], ledger["change"], ledger["pct_change"]) == (
        16.0,
        10.0,
        -6.0,
        -37.5,
    )
    assert ledger["pp_change"] is None and ledger["verdict"] == "改善" and ledger["warnings"] == []
    doc = next(r for r in records if r["indicator"] == "doc_count")
    assert doc["after"] is None and doc["change"] is None and doc["verdict"] == "比较期无数据"
    apps = next(r for r in records if r["indicator"] == "gov_apps")
    assert apps["pct_change"] is None and apps["warnings"][0]["level"] == "中央"


def test_format_table_aligns_chinese_columns():
    obs = pd.concat([pair("community_police_ledgers", 16, 10), pair("speech_main_minutes", 30, 45)])
    text = format_table(table_view(compare(obs, CATALOG, "2023年", "2024年")))
    lines = text.splitlines()
    assert lines[0].split() == [
        "单位", "类别", "指标", "2023年", "2024年", "变化", "变化率", "判断", "预警",
    ]  # fmt: skip
    # catalog order: 会议 before 报表台账
    assert "主讲话不超过40分钟，当前为45分钟" in lines[1]
    assert lines[2].split() == [
        "甲", "报表台账", "社区民警工作台账种类", "16种", "10种", "-6种", "-37.5%", "改善",
    ]  # fmt: skip
    # the 2024年 column starts at the same display position on every line
    import unicodedata

    def col(line, token):
        prefix = line[: line.index(token)]
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in prefix)

    assert col(lines[0], "2024年") == col(lines[1], "45分钟") == col(lines[2], "10种")
    assert "nan" not in text


def test_trend_records_are_json_ready():
    obs = make_obs(
        ("区委组织部", "2019年", "doc_count", 82), ("区委组织部", "2021年", "doc_count", 85)
    )
    [record] = trend_records(trend(obs, CATALOG, TREND_PERIODS))
    json.dumps(record, allow_nan=False, ensure_ascii=False)
    assert record["values"] == [82.0, None, 85.0] and record["changes"] == [None, None]
    assert record["periods"] == TREND_PERIODS
    assert (record["monotone"], record["first_break"]) == (False, "2021年")
    assert record["verdict"] == "未实现逐年递减"


def test_rows_without_warnings_share_a_read_only_empty_list():
    obs = pd.concat(
        [pair("doc_count", 5, 4), pair("meeting_count", 5, 4), pair("doc_count", 4, 5, unit="乙")]
    )
    table = compare(obs, CATALOG, "2023年", "2024年")
    quiet = table["warnings"].iloc[0]
    assert quiet == [] and isinstance(quiet, list)
    with pytest.raises(TypeError):
        quiet.append({"level": "x"})
    fired = one(table, "doc_count", "乙")["warnings"]
    fired.append({"level": "x"})  # a row's own list stays an ordinary list
    assert one(table, "doc_count", "甲")["warnings"] == []


@pytest.mark.parametrize("group", [None, "合计"])
def test_empty_inputs_and_same_period(group):
    empty = compare(make_obs(), CATALOG, "2023年", "2024年", group=group)
    assert empty.empty and list(empty.columns) == COMPARE_COLUMNS
    assert trend(make_obs(), CATALOG, TREND_PERIODS, group=group).empty
    same = compare(pair("doc_count", 5, 7), CATALOG, "2024年", "2024年", group=group)
    assert same["verdict"].tolist() == ["持平"] and same["after"].tolist() == [7]


def test_missing_columns_are_reported_in_chinese():
    with pytest.raises(JianfuError, match="观测数据缺少列：value"):
        compare(pd.DataFrame(columns=["unit", "period", "indicator"]), CATALOG, "2023年", "2024年")


def test_empty_table_keeps_column_kinds():
    table = compare(make_obs(), CATALOG, "2023年", "2024年")
    assert table["warnings"].dtype == object and table["before"].dtype == float
    assert rank(table).empty
